// SPDX-License-Identifier: GPL-3.0-or-later
// What the Portfolio, Asset and Deadlines views can do: browse, import, edit, follow deadlines.
#pragma once

#include "model/ui/portfoliomodel.h"
#include "model/ui/session.h"
#include "model/workspace/commands.h"

#include <QObject>
#include <QQmlEngine>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

#include <atomic>
#include <memory>

namespace cartulary::model {

/**
 * The portfolio areas' controller. Reads use a read-only connection on the GUI thread (single rows,
 * pages); writes and long work (import, deadlines over the whole portfolio) run off it, with
 * progress and cancel, and end with a notice.
 */
class PortfolioController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(cartulary::model::PortfolioModel *assets READ assets CONSTANT)
    Q_PROPERTY(QVariantList typeOptions READ typeOptions CONSTANT)
    Q_PROPERTY(QVariantList phaseOptions READ phaseOptions CONSTANT)
    Q_PROPERTY(QStringList statusOptions READ statusOptions CONSTANT)
    Q_PROPERTY(QVariantList eventOptions READ eventOptions CONSTANT)
    Q_PROPERTY(QVariantList actorOptions READ actorOptions CONSTANT)
    Q_PROPERTY(QStringList jurisdictionOptions READ jurisdictionOptions NOTIFY optionsChanged)
    Q_PROPERTY(QStringList ownerOptions READ ownerOptions NOTIFY optionsChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY progressChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    Q_PROPERTY(bool noticeIsError READ noticeIsError NOTIFY noticeChanged)
    Q_PROPERTY(QString importReport READ importReport NOTIFY importReportChanged)
    // The open asset (Asset page).
    Q_PROPERTY(QString assetId READ assetId NOTIFY assetChanged)
    Q_PROPERTY(QVariantMap asset READ asset NOTIFY assetChanged)
    Q_PROPERTY(QVariantList phases READ phases NOTIFY assetChanged)
    Q_PROPERTY(QVariantList documents READ documents NOTIFY assetChanged)
    Q_PROPERTY(QVariantList assetDeadlines READ assetDeadlines NOTIFY assetChanged)
    Q_PROPERTY(QString assetError READ assetError NOTIFY assetErrorChanged)
    // Deadlines dashboard.
    Q_PROPERTY(QVariantList deadlineGroups READ deadlineGroups NOTIFY deadlinesChanged)
    Q_PROPERTY(QVariantList deadlinesByMonth READ deadlinesByMonth NOTIFY deadlinesChanged)
    Q_PROPERTY(int overdueCount READ overdueCount NOTIFY deadlinesChanged)
    Q_PROPERTY(int upcomingCount READ upcomingCount NOTIFY deadlinesChanged)
    Q_PROPERTY(bool deadlinesLoading READ deadlinesLoading NOTIFY deadlinesChanged)

public:
    explicit PortfolioController(Session *session, QObject *parent = nullptr);
    ~PortfolioController() override;

    static PortfolioController *create(QQmlEngine *, QJSEngine *);
    static void setInstance(PortfolioController *controller);

    PortfolioModel *assets() { return &m_model; }
    QVariantList typeOptions() const;
    QVariantList phaseOptions() const;
    QStringList statusOptions() const;
    QVariantList eventOptions() const;
    QVariantList actorOptions() const;
    QStringList jurisdictionOptions() const { return m_jurisdictions; }
    QStringList ownerOptions() const { return m_owners; }
    bool busy() const { return m_busy; }
    double progress() const { return m_progress; }
    QString progressText() const { return m_progressText; }
    QString notice() const { return m_notice; }
    bool noticeIsError() const { return m_noticeIsError; }
    QString importReport() const { return m_importReport; }
    QString assetId() const { return m_assetId; }
    QVariantMap asset() const { return m_asset; }
    QVariantList phases() const { return m_phases; }
    QVariantList documents() const { return m_documents; }
    QVariantList assetDeadlines() const { return m_assetDeadlines; }
    QString assetError() const { return m_assetError; }
    QVariantList deadlineGroups() const { return m_groups; }
    QVariantList deadlinesByMonth() const { return m_byMonth; }
    int overdueCount() const { return m_overdue; }
    int upcomingCount() const { return m_upcoming; }
    bool deadlinesLoading() const { return m_deadlinesLoading; }

    /** Imports a CSV file: all rows or none; the report lists what happened. */
    Q_INVOKABLE void importCsv(const QUrl &file);
    /** Loads the demo portfolio into an empty portfolio. */
    Q_INVOKABLE void loadDemo();
    Q_INVOKABLE void exportCsv(const QUrl &file);
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void clearNotice();

    /** Opens an asset (by id or reference) for the Asset page. */
    Q_INVOKABLE void openAsset(const QString &idOrReference);
    /** Records a dated event on a sub-phase of the open asset. */
    Q_INVOKABLE void addEvent(const QString &subPhase, const QString &event, const QString &date,
                              const QString &actorKind, const QString &actorName,
                              const QString &note, const QString &deadlineKey = {});
    /** Moves a sub-phase one step on: not started → in progress → done. */
    Q_INVOKABLE void advanceSubPhase(const QString &subPhaseId);
    /** Records the act that settles a deadline of the open asset (a fee paid, a national phase
     *  entered) on date (YYYY-MM-DD). */
    Q_INVOKABLE void markDeadlinePaid(const QString &key, const QString &date);
    /** Records what happened to a deadline of the open asset: "paid" (also late, with
     *  surcharge), "remedy" (further processing, re-establishment, revival filed) or "lapsed"
     *  (the loss accepted); each settles it. */
    Q_INVOKABLE void recordDeadlineOutcome(const QString &key, const QString &outcome,
                                           const QString &date, const QString &note);
    Q_INVOKABLE void clearAssetError() { setAssetError({}); }
    /** Sets a sub-phase's state: not-started, in-progress, done, not-applicable. */
    Q_INVOKABLE void setPhaseState(const QString &subPhase, const QString &state);
    /** Checks an edit form (field name → text, CSV forms for owners/identifiers); field → message.
     */
    Q_INVOKABLE QVariantMap validateAsset(const QVariantMap &fields) const;
    /** Saves an edit form for the open asset, or registers a new asset when none is open. */
    Q_INVOKABLE void saveAsset(const QVariantMap &fields, bool asNew);
    /** Recomputes the deadlines dashboard off the GUI thread: what is open, the next 90 days. */
    Q_INVOKABLE void refreshDeadlines();
    /**
     * Signs one command of the `apply` language (model/COMMANDS.md) — grant-licence,
     * record-derivation, revoke-licence, assign… — built by a dialog; the same compiler and rules
     * as the command line. success is the notice shown when it was written.
     */
    Q_INVOKABLE void applyCommand(const QVariantMap &command, const QString &success);
    /** Re-reads the open asset (after documents were recorded for it). */
    Q_INVOKABLE void refreshAsset() { reloadAsset(); }

signals:
    void optionsChanged();
    void progressChanged();
    void noticeChanged();
    void importReportChanged();
    void assetChanged();
    void assetErrorChanged();
    void deadlinesChanged();
    /** The portfolio changed (import, edit): views and the ledger header refresh. */
    void portfolioChanged();
    /** A save succeeded; the form can close. */
    void assetSaved(const QString &assetId);

private:
    void open();
    void reloadAll();
    void reloadAsset();
    void reloadOptions();
    void startWork(const QString &text);
    void finishWork();
    void setProgress(double progress, const QString &text);
    void setNotice(const QString &text, bool error);
    void setAssetError(const QString &text);
    /** The asset the form describes; problems receives every invalid field (column names). */
    Result<Asset> assetFromFields(const QVariantMap &fields, bool asNew,
                                  QList<FieldProblem> *problems = nullptr) const;
    /** Compiles one command on the writer thread, appends it, then refreshes. */
    void write(std::function<Result<QList<ledger::Draft>>(CommandCompiler &)> compile,
               const QString &success);

    Session *m_session;
    PortfolioModel m_model;
    std::shared_ptr<sql::Database> m_db;
    QStringList m_jurisdictions, m_owners;
    bool m_busy = false;
    double m_progress = 0;
    QString m_progressText;
    QString m_notice;
    bool m_noticeIsError = false;
    QString m_importReport;
    QString m_assetId;
    QVariantMap m_asset;
    QVariantList m_phases, m_documents, m_assetDeadlines;
    QString m_assetError;
    QVariantList m_groups, m_byMonth;
    int m_overdue = 0, m_upcoming = 0;
    bool m_deadlinesLoading = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace cartulary::model
