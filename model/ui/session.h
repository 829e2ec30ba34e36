// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's session: identity state (none, locked, unlocked) and the serial writer that owns the
// Workspace.
#pragma once

#include "model/ui/workstate.h"
#include "model/workspace/workspace.h"

#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace cartulary::model {

/**
 * Owns the Workspace and runs everything that touches it on one worker thread, in order, so the GUI
 * thread never waits for Argon2id, hashing or a COMMIT. Results come back as signals. Busy while
 * creating or unlocking (with progress when the read tables are rebuilt).
 */
class Session : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(QString organisationName READ organisationName NOTIFY stateChanged)
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY stateChanged)
    Q_PROPERTY(QString dataDir READ dataDir CONSTANT)
    Q_PROPERTY(int minPassphraseLength READ minPassphraseLength CONSTANT)
    Q_PROPERTY(QString demoPassphrase READ demoPassphrase CONSTANT)

public:
    enum State {
        NoIdentity, ///< first run: offer to create one
        Locked,     ///< identity exists: ask for the passphrase
        Unlocked,   ///< ready; entries can be signed
    };
    Q_ENUM(State)

    explicit Session(const QString &dataDir, QObject *parent = nullptr);
    ~Session() override;

    State state() const { return m_state; }
    QString errorString() const { return m_errorString; }
    QString organisationName() const { return m_name; }
    QString fingerprint() const { return m_fingerprint; }
    QString dataDir() const { return m_dataDir; }
    QString databasePath() const;
    /** The latest signed checkpoint kept outside the database. */
    QString checkpointPath() const;
    int minPassphraseLength() const;
    ledger::PublicKey nodeKey() const { return m_nodeKey; }

    /** Validates the form, then creates identity and ledger off the GUI thread. */
    Q_INVOKABLE void createIdentity(const QString &name, const QString &passphrase,
                                    const QString &confirmation);
    /** Unlocks off the GUI thread; a wrong passphrase sets errorString and stays Locked. */
    Q_INVOKABLE void unlock(const QString &passphrase);

    /** Runs job on the writer thread with the Workspace; then runs done on the GUI thread. */
    void post(std::function<void(Workspace &)> job, std::function<void()> done = {});

    /** For the demo data directory only: the passphrase the unlock page tells the user. */
    QString demoPassphrase() const { return m_demoPassphrase; }
    void setDemoPassphrase(const QString &passphrase) { m_demoPassphrase = passphrase; }

    /** What the ledger's head check found at the last unlock: why writes are refused, or what it
     * did by itself (wrote a missing checkpoint file); empty when nothing. */
    QStringList ledgerNotes() const { return m_ledgerNotes; }

    /** The Argon2id cost for new identities (tests lower it). */
    void setKdfLimits(ledger::KdfLimits limits) { m_kdf = limits; }

signals:
    void stateChanged();
    void errorStringChanged();
    /** The ledger is open and writable. */
    void ready();

private:
    void setError(const QString &error);
    void finishOpen(const Status &status, State onSuccess);

    QString m_dataDir;
    std::unique_ptr<Workspace> m_workspace; ///< touched only on m_writer's thread after start
    QThreadPool m_writer;
    State m_state = NoIdentity;
    QString m_errorString;
    QString m_name;
    QString m_fingerprint;
    ledger::PublicKey m_nodeKey{};
    ledger::KdfLimits m_kdf = ledger::KdfLimits::moderate();
    QString m_demoPassphrase;
    QStringList m_ledgerNotes;
};

} // namespace cartulary::model
