// SPDX-License-Identifier: GPL-3.0-or-later
// What the Ledger view can do: list entries, record documents, verify, show an entry's proof.
#pragma once

#include "model/ui/ledgermodel.h"
#include "model/ui/session.h"
#include "model/ui/workstate.h"

#include <QObject>
#include <QUrl>
#include <QVariantMap>

namespace cartulary::model {

/** The Ledger area's controller: long work runs off the GUI thread with progress and cancel. */
class LedgerController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(cartulary::model::LedgerModel *entries READ entries CONSTANT)
    Q_PROPERTY(int entryCount READ entryCount NOTIFY statsChanged)
    Q_PROPERTY(int checkpointSize READ checkpointSize NOTIFY statsChanged)
    Q_PROPERTY(QString checkpointTime READ checkpointTime NOTIFY statsChanged)
    Q_PROPERTY(VerifyState verifyState READ verifyState NOTIFY verifyStateChanged)
    Q_PROPERTY(QString verifyMessage READ verifyMessage NOTIFY verifyStateChanged)
    Q_PROPERTY(QStringList errorLog READ errorLog NOTIFY errorLogChanged)
    Q_PROPERTY(QStringList forkWarnings READ forkWarnings NOTIFY statsChanged)

public:
    enum VerifyState {
        Unverified, ///< not checked since the app started
        Verifying,  ///< a run is in progress
        Verified,   ///< the last run found nothing wrong
        Failed,     ///< the last run found a problem (see verifyMessage)
        Cancelled,  ///< the last run was cancelled
    };
    Q_ENUM(VerifyState)

    explicit LedgerController(Session *session, QObject *parent = nullptr);
    ~LedgerController() override;

    LedgerModel *entries() { return &m_model; }
    int entryCount() const { return int(m_entryCount); }
    int checkpointSize() const { return int(m_checkpointSize); }
    QString checkpointTime() const { return m_checkpointTime; }
    VerifyState verifyState() const { return m_verifyState; }
    QString verifyMessage() const { return m_verifyMessage; }
    QStringList errorLog() const { return m_errorLog; }
    /** One line per proven fork (equivocation): whose chain is frozen, at which seq. */
    QStringList forkWarnings() const { return m_forkWarnings; }

    /** Full verification (every signature) on all cores; incremental when asked. */
    Q_INVOKABLE void verify(bool incremental = false);
    /** Hashes the files and records one signed entry each, all or none; with assetId the
     *  documents belong to that asset (its page lists them with their proof). */
    Q_INVOKABLE void recordDocuments(const QList<QUrl> &files, const QString &note,
                                     const QString &assetId = {});
    /** Everything about one entry for the detail pane (reads one row; checks its signature). */
    Q_INVOKABLE QVariantMap entryDetails(int index) const;
    /** Builds and checks the entry's inclusion proof against the latest checkpoint, off the GUI
     * thread. */
    Q_INVOKABLE void proveEntry(int index);

signals:
    void statsChanged();
    void verifyStateChanged();
    void errorLogChanged();
    /** proveEntry() finished: ok when the proof verified; text is the c2sp tlog-proof. */
    /** Documents were recorded (the Asset page lists those of its asset). */
    void documentsRecorded();
    void proofReady(int index, bool ok, const QString &text, const QString &message);

private:
    void open();

public:
    /** Re-reads counts, checkpoint and forks from the database and picks up new rows. */
    Q_INVOKABLE void refreshStats();

private:
    void logError(const QString &error);
    void setVerifyState(VerifyState state, const QString &message);

    Session *m_session;
    LedgerModel m_model;
    std::unique_ptr<ledger::LogStore>
        m_reader; ///< read-only store for stats and details (GUI thread)
    qint64 m_entryCount = 0;
    qint64 m_checkpointSize = 0;
    QString m_checkpointTime;
    VerifyState m_verifyState = Unverified;
    QString m_verifyMessage;
    QStringList m_errorLog;
    QStringList m_forkWarnings;
};

} // namespace cartulary::model
