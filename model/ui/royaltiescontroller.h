// SPDX-License-Identifier: GPL-3.0-or-later
// What the Royalties view can do: import usage and works, run a period's distribution, review it
// by holder and by work down to every amount's way, match unmatched usage by hand, see and settle
// disputes, the change since the previous period and where the revenue came from, approve and
// sign, and write the statements.
#pragma once

#include "model/ui/portfoliomodel.h"
#include "model/ui/rowsmodel.h"
#include "model/ui/session.h"
#include "model/ui/workstate.h"

#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

namespace cartulary::model {

/**
 * The Royalties area's controller, doing what `cartulary import usage|works` and `cartulary
 * royalty …` do, with the same model functions. Imports, runs, hand matches, settlements,
 * approvals and statements are long work (WorkState: progress, cancel, a notice); the first five
 * go to the session's writer, statements to a worker. Everything the page shows of the period —
 * the latest run, its holders and works, the unmatched queue, disputes and settlements, the
 * comparison, revenue — is read on a worker with its own read-only connection after each change
 * (loading meanwhile); an explanation and a work's amounts are read there too. Money and shares
 * reach QML as text, formatted here.
 */
class RoyaltiesController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(QString period READ period WRITE setPeriod NOTIFY periodChanged)
    Q_PROPERTY(QString right READ right WRITE setRight NOTIFY periodChanged)
    Q_PROPERTY(QStringList periodOptions READ periodOptions NOTIFY reviewChanged)
    Q_PROPERTY(QVariantList rightOptions READ rightOptions CONSTANT)
    Q_PROPERTY(QString previousPeriod READ previousPeriod NOTIFY periodChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString loadError READ loadError NOTIFY reviewChanged)
    Q_PROPERTY(int importCount READ importCount NOTIFY reviewChanged)
    Q_PROPERTY(QVariantMap run READ run NOTIFY reviewChanged)
    Q_PROPERTY(bool hasRun READ hasRun NOTIFY reviewChanged)
    Q_PROPERTY(QString threshold READ threshold WRITE setThreshold NOTIFY thresholdChanged)
    Q_PROPERTY(QString thresholdError READ thresholdError NOTIFY thresholdChanged)
    Q_PROPERTY(int flaggedCount READ flaggedCount NOTIFY reviewChanged)
    Q_PROPERTY(cartulary::model::RowsModel *holders READ holders CONSTANT)
    Q_PROPERTY(cartulary::model::RowsModel *works READ works CONSTANT)
    Q_PROPERTY(cartulary::model::RowsModel *unmatched READ unmatched CONSTANT)
    Q_PROPERTY(int unmatchedGroups READ unmatchedGroups NOTIFY reviewChanged)
    Q_PROPERTY(QString unmatchedTotal READ unmatchedTotal NOTIFY reviewChanged)
    Q_PROPERTY(cartulary::model::RowsModel *disputes READ disputes CONSTANT)
    Q_PROPERTY(cartulary::model::RowsModel *settlements READ settlements CONSTANT)
    Q_PROPERTY(cartulary::model::RowsModel *imports READ imports CONSTANT)
    Q_PROPERTY(QVariantList revenueByTerritory READ revenueByTerritory NOTIFY reviewChanged)
    Q_PROPERTY(QVariantList revenueByMonth READ revenueByMonth NOTIFY reviewChanged)
    Q_PROPERTY(QString explainedHolder READ explainedHolder NOTIFY explanationChanged)
    Q_PROPERTY(cartulary::model::RowsModel *explanation READ explanation CONSTANT)
    Q_PROPERTY(QVariantList explanationTotals READ explanationTotals NOTIFY explanationChanged)
    Q_PROPERTY(QString explanationError READ explanationError NOTIFY explanationChanged)
    Q_PROPERTY(bool explanationLoading READ explanationLoading NOTIFY explanationLoadingChanged)
    Q_PROPERTY(QString shownWork READ shownWork NOTIFY workFlowsChanged)
    Q_PROPERTY(cartulary::model::RowsModel *workFlows READ workFlows CONSTANT)
    Q_PROPERTY(cartulary::model::PortfolioModel *workSearch READ workSearch CONSTANT)
    Q_PROPERTY(QString importReport READ importReport NOTIFY importReportChanged)
    Q_PROPERTY(bool importFailed READ importFailed NOTIFY importReportChanged)

public:
    /** How many unmatched groups the queue shows at once, largest first. */
    static constexpr int UnmatchedShown = 500;

    explicit RoyaltiesController(Session *session, QObject *parent = nullptr);
    ~RoyaltiesController() override;

    /** The period the page shows ("2026-Q3", "2026-09"): the latest import's quarter at first. */
    QString period() const { return m_period; }
    void setPeriod(const QString &period);
    QString right() const { return m_right; }
    void setRight(const QString &right);
    /** Periods the imports name, and the quarters of their months, newest first. */
    QStringList periodOptions() const { return m_periodOptions; }
    /** {id, title}: performing, mechanical, sync. */
    QVariantList rightOptions() const;
    QString previousPeriod() const;
    bool loading() const { return m_loading; }
    /** Why the period could not be read (a period that is not one), or empty. */
    QString loadError() const { return m_loadError; }
    int importCount() const { return int(m_imports.count()); }
    /**
     * The period's latest run: id, shortId, period, right, fee, created, approvedAt (0: not),
     * approvedText, corrects, stale, staleText, currencies [{currency, collected, distributed,
     * held, unmatched, fees, hasHeld, balanced}], held [{work, currency, why, amount}], metered
     * [{text}]. Empty when the period has no run.
     */
    QVariantMap run() const { return m_run; }
    bool hasRun() const { return !m_run.isEmpty(); }
    /** Changes since the previous period larger than this percent are flagged (20 at first). */
    QString threshold() const { return m_threshold; }
    void setThreshold(const QString &percent);
    QString thresholdError() const { return m_thresholdError; }
    int flaggedCount() const { return m_flagged; }

    /**
     * The run's holders with the previous period's amounts: holder, currency, amount (as paid),
     * amountMinor, exact, previous, change, changeMinor, flagged, mark (▲ ▼ for a change past the
     * threshold, ✚ new, ✕ gone), note, key. The sort keys (…Minor) order by currency, then amount.
     */
    RowsModel *holders() { return &m_holders; }
    /** Review by work: work, currency, toHolders and held (exact), their sort keys, holders, key.
     */
    RowsModel *works() { return &m_works; }
    /**
     * The unmatched queue, largest first: key, keyId, line, lines, importShort, title, creator,
     * identifiers, currency, amount, amountMicro, units, note, byTitle (a title to match all
     * lines by).
     */
    RowsModel *unmatched() { return &m_unmatched; }
    /** Groups in the queue (it shows the UnmatchedShown largest). */
    int unmatchedGroups() const { return int(m_unmatchedGroups); }
    /** The unmatched amounts of the period's latest run, per currency ("30.00 EUR"). */
    QString unmatchedTotal() const { return m_unmatchedTotal; }
    /** work, assetId, kind, kindTitle, right, message, entry, held (in the latest run), key. */
    RowsModel *disputes() { return &m_disputes; }
    /**
     * Settled disputes, newest first: work, kept, withdrawn (the sources, as text), reason, closed
     * (the messages of the disputes it closed), entry, key.
     */
    RowsModel *settlements() { return &m_settlements; }
    /**
     * A disputed work, as the settle dialog shows it: assetId, work (reference), title, disputes
     * (their messages), held (in the latest run), sources [{source, entry, shares: one text per
     * right, "Performing 100.00 %: A 50.00 %; B 50.00 %"}]. Empty for a work without an open
     * dispute.
     */
    Q_INVOKABLE QVariantMap disputedWork(const QString &assetId) const;
    /** file, format, periods, records, totals, entry, loaded, sha256, key. */
    RowsModel *imports() { return &m_imports; }
    /** Per currency {currency, max, rows: [{label, amount, unmatched, fraction,
     * unmatchedFraction, lines}]}: fractions of the currency's largest bar, for drawing. */
    QVariantList revenueByTerritory() const { return m_byTerritory; }
    QVariantList revenueByMonth() const { return m_byMonth; }

    QString explainedHolder() const { return m_explainedHolder; }
    /** The explained holder's amounts: key, currency, work, steps (list), way, exact, amount. */
    RowsModel *explanation() { return &m_explanation; }
    /** {currency, amount (as paid), exact}: the holder's totals, each the sum of its lines. */
    QVariantList explanationTotals() const { return m_explanationTotals; }
    QString explanationError() const { return m_explanationError; }
    bool explanationLoading() const { return m_explanationLoading; }
    QString shownWork() const { return m_shownWork; }
    /** The shown work's amounts: key, holder, held, currency, steps, way, exact. */
    RowsModel *workFlows() { return &m_workFlows; }
    /** Assets to match to, searched by reference and title (workSearch.searchText). */
    PortfolioModel *workSearch() { return &m_workSearch; }
    QString importReport() const { return m_importReport; }
    bool importFailed() const { return m_importFailed; }

    /**
     * Imports a usage report (CSV or DDEX DSR) on the writer: period for CSV lines without one,
     * rights controllers (separated by ';' or new lines) whose DSR allocations count. Returns the
     * fields refused ({field: message}); empty when the import started.
     */
    Q_INVOKABLE QVariantMap importUsage(const QUrl &file, const QString &period,
                                        const QString &rightsControllers);
    /** Imports CISAC CWR work registrations on the writer. */
    Q_INVOKABLE void importWorks(const QUrl &file);
    /**
     * Computes and keeps a run (period, right, fee as the locale writes a percent) on the writer;
     * the page then shows that period. Returns the fields refused; empty when it started.
     */
    Q_INVOKABLE QVariantMap runDistribution(const QString &period, const QString &right,
                                            const QString &feePercent);
    /**
     * Signs a hand match of an unmatched row to an asset: its identification, or with
     * sameTitleAndCreator every line with its title and creator. Returns the fields refused.
     */
    Q_INVOKABLE QVariantMap matchUnmatched(int row, const QString &assetId,
                                           bool sameTitleAndCreator);
    /**
     * Signs the settlement of a work's open disputes on the writer: the shares of the sources in
     * keep stand, the others' are withdrawn (as `royalty settle`). Returns the fields refused
     * (form: other work is running); empty when it started. The model's refusals (another key, kept
     * shares past 100 %, no reason…) come through settleFinished, and nothing is written then.
     */
    Q_INVOKABLE QVariantMap settle(const QString &assetId, const QStringList &keep,
                                   const QString &reason);
    /** Signs the shown run's approval with its statement set's SHA-256 (refused when stale or
     * approved already, in the model's words). */
    Q_INVOKABLE void approve();
    /** Writes the shown run's statements (CSV, PDF, MANIFEST.sha256) into a folder. */
    Q_INVOKABLE void writeStatements(const QUrl &folder);
    /** Reads one holder's explanation in the shown run. */
    Q_INVOKABLE void explain(const QString &holder);
    /** Reads one work's amounts in the shown run ("" clears). */
    Q_INVOKABLE void showWork(const QString &work);

public slots:
    /** Reads the period again (after writes elsewhere: assets registered can match usage). */
    void refresh();

signals:
    void periodChanged();
    void loadingChanged();
    void reviewChanged();
    void thresholdChanged();
    void explanationChanged();
    void explanationLoadingChanged();
    void workFlowsChanged();
    void importReportChanged();
    /** An import ended (ok: something was imported); the report says what. */
    void importFinished(bool ok);
    /** A run ended. */
    void runFinished(bool ok, const QString &message);
    /** A hand match was signed, or refused with message. */
    void matchFinished(bool ok, const QString &message);
    /**
     * A settlement was signed (message: what was recorded), or refused with message in the model's
     * words; errors: the field it names (keep, reason) → the rest of the message.
     */
    void settleFinished(bool ok, const QString &message, const QVariantMap &errors);
    /** An approval was signed, or refused with message (in the model's words). */
    void approvalFinished(bool ok, const QString &message);
    /** Statements were written to folder, or not. */
    void statementsWritten(bool ok, const QString &folder);
    /** Entries were signed here: the ledger's views follow. */
    void entriesSigned();
    /** Works were registered or updated from CWR: the portfolio's views follow. */
    void worksRegistered();

private:
    struct Review;
    using ImportProgress = std::function<void(qint64, qint64, const QString &)>;
    /** Runs an import on the writer with progress and cancel; a refused file's report says why
     * and that nothing was written, an imported one goes to imported (on the GUI thread). */
    template<typename Report>
    void startImport(
        const QString &path,
        std::function<Result<Report>(Workspace &, const ImportProgress &, const std::atomic_bool *)>
            job,
        std::function<void(const QString &name, const Report &)> imported);
    void open();
    void applyReview(const Review &review);
    void setLoading(bool loading);
    void setReport(const QString &report, bool failed);
    void setExplanationLoading(bool loading);
    /** After a write: the ledger's views follow, and the period is read again. */
    void written(bool works);

    Session *m_session;
    QString m_period, m_right = QStringLiteral("performing");
    QStringList m_periodOptions;
    bool m_loading = false;
    QString m_loadError;
    QVariantMap m_run;
    QString m_runId;
    QString m_threshold = QStringLiteral("20");
    qint64 m_thresholdPpm = 200000;
    QString m_thresholdError;
    int m_flagged = 0;
    RowsModel m_holders, m_works, m_unmatched, m_disputes, m_settlements, m_imports, m_explanation,
        m_workFlows;
    QHash<QString, QVariantMap> m_disputedWorks;
    qint64 m_unmatchedGroups = 0;
    QString m_unmatchedTotal;
    QVariantList m_byTerritory, m_byMonth;
    QString m_explainedHolder, m_explanationError;
    QVariantList m_explanationTotals;
    bool m_explanationLoading = false;
    QString m_shownWork;
    PortfolioModel m_workSearch;
    QString m_importReport;
    bool m_importFailed = false;
    quint64 m_generation = 0, m_explanationGeneration = 0, m_workGeneration = 0;
};

} // namespace cartulary::model
