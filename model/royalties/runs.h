// SPDX-License-Identifier: GPL-3.0-or-later
// Distribution runs kept for review: computed and stored with every amount's path, explained per
// holder, compared with the previous period, turned into statements, and approved by a signed
// entry.
#pragma once

#include "ledger/logstore.h"
#include "model/royalties/distribution.h"

#include <optional>

namespace cartulary::model {

/** A run as stored for review. */
struct StoredRun
{
    QString id;
    QString period, right;
    qint64 createdMs = 0;
    quint64 logSize = 0; ///< the ledger's size the run read
    QJsonObject result;  ///< RunResult::toJson()
    QList<HolderTotal> holders;
    QMap<QString, CurrencyTotals> currencies;
    quint64 approvedAt = 0;       ///< the royalty.approved entry, or 0
    quint64 correctsApproval = 0; ///< the approval of the same period and right it would correct
};

/** Computes a run over the read tables as they are and stores it (replacing nothing). */
Result<StoredRun> runDistribution(sql::Database &db, const QString &period, const QString &right,
                                  qint64 feePpm, quint64 logSize,
                                  const std::atomic_bool *cancel = nullptr);
/** The latest run of the period and right, or none. */
std::optional<StoredRun> latestRun(sql::Database &db, const QString &period, const QString &right);
std::optional<StoredRun> storedRun(sql::Database &db, const QString &runId);

/** Every amount that reached one holder in a run, with its way. */
struct Explanation
{
    QString runId, period, right, holder;
    struct Line
    {
        QString currency;
        QString work; ///< "REF (title)"
        QStringList path;
        Fine exact = 0;
        qint64 minor = 0; ///< the holder's rounded total split over its lines (largest remainder)
    };
    QList<Line> lines;
    QList<HolderTotal> totals;
    QJsonObject toJson() const;
    QString toText() const;
};

/** The holder's explanation in a run; an error naming the holders when it has none. */
Result<Explanation> explain(sql::Database &db, const StoredRun &run, const QString &holder);

/** What a run sent from one work's usage, in one currency: to holders and held, exact. */
struct RunWork
{
    QString work; ///< "REF (title)"
    QString currency;
    Fine toHolders = 0, held = 0;
    int holders = 0; ///< distinct holders paid from it
};
/** Every work of a run with its amounts, by work then currency (review by work). */
QList<RunWork> runWorks(sql::Database &db, const StoredRun &run);
/** The amounts of one work ("REF (title)") in a run, each with its way; a held amount has no
 * holder. By holder (held last), then currency. */
QList<Flow> workFlows(sql::Database &db, const StoredRun &run, const QString &work);

/** One holder's change since the previous period's run. */
struct HolderChange
{
    QString holder, currency;
    qint64 before = 0, after = 0;
    bool flagged = false; ///< changed by more than the threshold (or new, or gone)
};
/** This run against the latest run of the previous period (its approved one when there is). */
QList<HolderChange> compareWithPrevious(sql::Database &db, const StoredRun &run,
                                        qint64 thresholdPpm);

/** A correction: this run against the approval it would correct (its signed totals). */
QList<HolderChange> compareWithApproval(sql::Database &db, const StoredRun &run);

/**
 * The royalty.approved draft of a run: period, right, fee, totals per currency and holder, the
 * statement set's SHA-256 and the approval it corrects. Refused when the ledger grew since the run
 * (the run is stale: run again and review), or when the run is approved already.
 */
Result<ledger::Draft> approvalDraft(sql::Database &db, const StoredRun &run, quint64 currentLogSize,
                                    const QString &statementsSha256);

} // namespace cartulary::model
