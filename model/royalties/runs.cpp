// SPDX-License-Identifier: GPL-3.0-or-later
// Runs kept for review: stored with their flows, explained, compared, approved.
#include "model/royalties/runs.h"

#include "model/core/money.h"
#include "model/core/period.h"
#include "model/royalties/royalties.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

namespace cartulary::model {

namespace {

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

quint64 latestApproval(sql::Database &db, const QString &period, const QString &right)
{
    auto st = db.prepare(
        "SELECT MAX(entry_index) FROM royalty_approvals WHERE period=? AND right_type=?");
    st.bind(1, period).bind(2, right);
    return st.next() && !st.isNull(0) ? quint64(st.int64(0)) : 0;
}

std::optional<StoredRun> readRun(sql::Database &db, sql::Statement &st)
{
    if (!st.next())
        return std::nullopt;
    StoredRun r;
    r.id = st.text(0);
    r.period = st.text(1);
    r.right = st.text(2);
    r.createdMs = st.int64(3);
    r.logSize = quint64(st.int64(4));
    r.result = QJsonDocument::fromJson(st.blob(5)).object();
    auto h = db.prepare("SELECT holder, currency, exact, minor FROM royalty_run_holders WHERE "
                        "run_id=? ORDER BY currency, holder");
    h.bind(1, r.id);
    while (h.next())
        r.holders.append(
            {h.text(0), h.text(1), parseFine(h.text(2), true).value_or(0), h.int64(3)});
    auto t = db.prepare("SELECT currency, collected, distributed, held, unmatched, fees FROM "
                        "royalty_run_totals WHERE run_id=? ORDER BY currency");
    t.bind(1, r.id);
    while (t.next()) {
        CurrencyTotals c;
        c.collected = t.int64(1);
        c.distributed = t.int64(2);
        c.held = t.int64(3);
        c.unmatched = t.int64(4);
        c.fees = t.int64(5);
        r.currencies.insert(t.text(0), c);
    }
    auto a = db.prepare("SELECT entry_index FROM royalty_approvals WHERE run_id=?");
    a.bind(1, r.id);
    if (a.next())
        r.approvedAt = quint64(a.int64(0));
    r.correctsApproval = latestApproval(db, r.period, r.right);
    if (r.correctsApproval == r.approvedAt)
        r.correctsApproval = 0;
    return r;
}

} // namespace

Result<StoredRun> runDistribution(sql::Database &db, const QString &period, const QString &right,
                                  qint64 feePpm, quint64 logSize, const std::atomic_bool *cancel)
{
    using R = Result<StoredRun>;
    auto input = runInput(db, period, right, feePpm);
    if (!input)
        return input.error();
    const auto range = periodRange(period, QStringLiteral("period"));
    DbRunSource source(db, right, range->first, range->second);
    RunResult result = computeRun(input.value(), source, cancel);
    if (cancel && cancel->load())
        return R::failure("cancelled", QStringLiteral("the run was cancelled; nothing was kept"));
    result.metered = source.metered(input.value());
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    sql::Transaction tx(db);
    if (!tx.begun())
        return tx.begun().error();
    auto run = db.prepare("INSERT INTO royalty_runs(id, period, right_type, created_ms, log_size, "
                          "result) VALUES(?,?,?,?,?,?)");
    if (Status s = run.bind(1, id)
                       .bind(2, period)
                       .bind(3, right)
                       .bind(4, QDateTime::currentMSecsSinceEpoch())
                       .bind(5, qint64(logSize))
                       .bind(6, compact(result.toJson()))
                       .exec();
        !s)
        return s.error();
    auto holder = db.prepare("INSERT INTO royalty_run_holders(run_id, holder, currency, exact, "
                             "minor) VALUES(?,?,?,?,?)");
    for (const HolderTotal &h : result.holders)
        if (Status s = holder.bind(1, id)
                           .bind(2, h.holder)
                           .bind(3, h.currency)
                           .bind(4, fineText(h.exact))
                           .bind(5, h.minor)
                           .exec();
            !s)
            return s.error();
    auto total = db.prepare("INSERT INTO royalty_run_totals(run_id, currency, collected, "
                            "distributed, held, unmatched, fees) VALUES(?,?,?,?,?,?,?)");
    for (auto it = result.currencies.cbegin(); it != result.currencies.cend(); ++it)
        if (Status s = total.bind(1, id)
                           .bind(2, it.key())
                           .bind(3, it->collected)
                           .bind(4, it->distributed)
                           .bind(5, it->held)
                           .bind(6, it->unmatched)
                           .bind(7, it->fees)
                           .exec();
            !s)
            return s.error();
    auto flow = db.prepare("INSERT INTO royalty_flows(run_id, holder, currency, work, path, "
                           "amount) VALUES(?,?,?,?,?,?)");
    // A path is the JSON array of its steps (as QJsonDocument writes it); the steps repeat from
    // flow to flow, so each is encoded once.
    QHash<QString, QByteArray> encoded;
    const auto step = [&](const QString &text) -> const QByteArray & {
        auto it = encoded.find(text);
        if (it == encoded.end()) {
            const QByteArray one = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            it = encoded.insert(text, one.sliced(1, one.size() - 2));
        }
        return *it;
    };
    const QByteArray runId = id.toUtf8();
    QByteArray path;
    for (const Flow &f : result.flows) {
        path = "[";
        for (qsizetype i = 0; i < f.path.size(); ++i) {
            if (i > 0)
                path += ',';
            path += step(f.path.at(i));
        }
        path += ']';
        if (Status s = flow.bindText(1, runId)
                           .bind(2, f.holder)
                           .bind(3, f.currency)
                           .bind(4, source.name(f.work))
                           .bindText(5, path)
                           .bind(6, fineText(f.amount))
                           .exec();
            !s)
            return s.error();
        // A usage's own first step is needed by its flows only.
        if (encoded.size() > 100000)
            encoded.clear();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    auto stored = storedRun(db, id);
    if (!stored)
        return R::failure("storage", QStringLiteral("the run was not kept"));
    return *stored;
}

std::optional<StoredRun> latestRun(sql::Database &db, const QString &period, const QString &right)
{
    auto st = db.prepare("SELECT id, period, right_type, created_ms, log_size, result FROM "
                         "royalty_runs WHERE period=? AND right_type=? ORDER BY created_ms DESC, "
                         "rowid DESC LIMIT 1");
    st.bind(1, period).bind(2, right);
    return readRun(db, st);
}

std::optional<StoredRun> storedRun(sql::Database &db, const QString &runId)
{
    auto st = db.prepare("SELECT id, period, right_type, created_ms, log_size, result FROM "
                         "royalty_runs WHERE id=?");
    st.bind(1, runId);
    return readRun(db, st);
}

Result<Explanation> explain(sql::Database &db, const StoredRun &run, const QString &holder)
{
    Explanation e;
    e.runId = run.id;
    e.period = run.period;
    e.right = run.right;
    e.holder = holder;
    for (const HolderTotal &h : run.holders)
        if (h.holder == holder)
            e.totals.append(h);
    if (e.totals.isEmpty()) {
        QStringList names;
        for (const HolderTotal &h : run.holders)
            if (!names.contains(h.holder))
                names.append(h.holder);
        return Result<Explanation>::failure(
            "unknown-holder",
            QStringLiteral("%1 receives nothing in the %2 %3 run; holders: %4")
                .arg(holder, run.right, run.period,
                     names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
    }
    auto st = db.prepare("SELECT currency, work, path, amount FROM royalty_flows WHERE run_id=? "
                         "AND holder=? ORDER BY currency, work, rowid");
    st.bind(1, run.id).bind(2, holder);
    while (st.next()) {
        Explanation::Line line;
        line.currency = st.text(0);
        line.work = st.text(1);
        for (const QJsonValue &v : QJsonDocument::fromJson(st.blob(2)).array())
            line.path.append(v.toString());
        line.exact = parseFine(st.text(3), true).value_or(0);
        e.lines.append(line);
    }
    // Each currency's rounded total over its lines, so that the lines sum to what is paid.
    for (const HolderTotal &t : e.totals) {
        QList<Fine> exact;
        QList<qsizetype> at;
        for (qsizetype i = 0; i < e.lines.size(); ++i)
            if (e.lines.at(i).currency == t.currency) {
                exact.append(e.lines.at(i).exact);
                at.append(i);
            }
        const QList<qint64> parts = roundParts(t.minor, exact, finePerMinor(t.currency));
        for (qsizetype k = 0; k < at.size(); ++k)
            e.lines[at.at(k)].minor = parts.at(k);
    }
    return e;
}

QList<RunWork> runWorks(sql::Database &db, const StoredRun &run)
{
    QList<RunWork> out;
    QSet<QString> holders; // of the current work and currency
    auto st = db.prepare("SELECT work, currency, holder, amount FROM royalty_flows WHERE run_id=? "
                         "ORDER BY work, currency");
    st.bind(1, run.id);
    while (st.next()) {
        if (out.isEmpty() || out.last().work != st.text(0) || out.last().currency != st.text(1)) {
            out.append({st.text(0), st.text(1)});
            holders.clear();
        }
        RunWork &w = out.last();
        const Fine amount = parseFine(st.text(3), true).value_or(0);
        const QString holder = st.text(2);
        if (holder.isEmpty()) {
            w.held += amount;
        } else {
            w.toHolders += amount;
            if (!holders.contains(holder)) {
                holders.insert(holder);
                ++w.holders;
            }
        }
    }
    return out;
}

QList<Flow> workFlows(sql::Database &db, const StoredRun &run, const QString &work)
{
    QList<Flow> out;
    auto st = db.prepare("SELECT holder, currency, path, amount FROM royalty_flows WHERE run_id=? "
                         "AND work=? ORDER BY holder = '', holder, currency, rowid");
    st.bind(1, run.id).bind(2, work);
    while (st.next()) {
        Flow f;
        f.holder = st.text(0);
        f.currency = st.text(1);
        f.work = work;
        for (const QJsonValue &v : QJsonDocument::fromJson(st.blob(2)).array())
            f.path.append(v.toString());
        f.amount = parseFine(st.text(3), true).value_or(0);
        out.append(f);
    }
    return out;
}

QJsonObject Explanation::toJson() const
{
    QJsonArray lineArray;
    for (const Line &l : lines)
        lineArray.append(QJsonObject{{"currency", l.currency},
                                     {"work", l.work},
                                     {"path", QJsonArray::fromStringList(l.path)},
                                     {"exact", fineText(l.exact)},
                                     {"amount", decimalAmount(l.minor, l.currency, false)}});
    QJsonArray totalArray;
    for (const HolderTotal &t : totals)
        totalArray.append(QJsonObject{{"currency", t.currency},
                                      {"exact", fineText(t.exact)},
                                      {"amount", decimalAmount(t.minor, t.currency, false)}});
    return QJsonObject{{"run", runId},     {"period", period},   {"right", right},
                       {"holder", holder}, {"lines", lineArray}, {"totals", totalArray}};
}

QString Explanation::toText() const
{
    QString out =
        QStringLiteral("%1 — %2 %3 royalties (run %4)\n").arg(holder, period, right, runId);
    for (const HolderTotal &t : totals) {
        out += QStringLiteral("\n%1: %2 (exact %3; rounded once, largest remainder)\n")
                   .arg(t.currency, formatMoney(t.minor, t.currency), fineText(t.exact));
        for (const Line &l : lines) {
            if (l.currency != t.currency)
                continue;
            out += QStringLiteral("  %1  from %2\n")
                       .arg(formatMoney(l.minor, l.currency).rightJustified(18), l.work);
            for (const QString &step : l.path)
                out += QStringLiteral("      → %1\n").arg(step);
            out += QStringLiteral("      = %1 exact\n").arg(fineText(l.exact));
        }
    }
    return out;
}

namespace {

using HolderKey = std::pair<QString, QString>; ///< (holder, currency)

/** The holders' amounts an approval signed. */
QMap<HolderKey, qint64> approvedAmounts(const QJsonObject &body)
{
    QMap<HolderKey, qint64> out;
    for (const QJsonValue &v : body.value("holders").toArray()) {
        const QJsonObject h = v.toObject();
        const QString currency = h.value("currency").toString();
        const auto amount =
            parseAmount(h.value("amount").toString(), currency, QStringLiteral("amount"));
        out[{h.value("holder").toString(), currency}] = amount ? amount.value() : 0;
    }
    return out;
}

/** Every holder in either, by name and currency; flagged past the threshold, new or gone. */
QList<HolderChange> compare(const QMap<HolderKey, qint64> &was, const StoredRun &run,
                            qint64 thresholdPpm)
{
    QMap<HolderKey, qint64> now;
    for (const HolderTotal &h : run.holders)
        now[{h.holder, h.currency}] = h.minor;
    QMap<HolderKey, bool> keys;
    for (auto it = was.cbegin(); it != was.cend(); ++it)
        keys.insert(it.key(), true);
    for (auto it = now.cbegin(); it != now.cend(); ++it)
        keys.insert(it.key(), true);
    QList<HolderChange> out;
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        const HolderKey &k = it.key();
        HolderChange c{k.first, k.second, was.value(k), now.value(k), false};
        const qint64 diff = qAbs(c.after - c.before);
        // |after − before| > threshold × before, in integers: diff × 10^6 > threshold × before.
        c.flagged = !was.contains(k) || !now.contains(k) ||
                    __int128(diff) * 1000000 > __int128(thresholdPpm) * qAbs(c.before);
        out.append(c);
    }
    return out;
}

} // namespace

QList<HolderChange> compareWithPrevious(sql::Database &db, const StoredRun &run,
                                        qint64 thresholdPpm)
{
    const QString previous = previousPeriod(run.period);
    auto approved = db.prepare("SELECT body FROM royalty_approvals WHERE period=? AND "
                               "right_type=? ORDER BY entry_index DESC LIMIT 1");
    approved.bind(1, previous).bind(2, run.right);
    // The approved totals are in the signed entry, whether or not the run is still stored.
    if (approved.next())
        return compare(approvedAmounts(QJsonDocument::fromJson(approved.blob(0)).object()), run,
                       thresholdPpm);
    QMap<HolderKey, qint64> was;
    if (const auto before = latestRun(db, previous, run.right))
        for (const HolderTotal &h : before->holders)
            was[{h.holder, h.currency}] = h.minor;
    return compare(was, run, thresholdPpm);
}

QList<HolderChange> compareWithApproval(sql::Database &db, const StoredRun &run)
{
    if (!run.correctsApproval)
        return {};
    auto approved = db.prepare("SELECT body FROM royalty_approvals WHERE entry_index=?");
    approved.bind(1, qint64(run.correctsApproval));
    if (!approved.next())
        return {};
    QList<HolderChange> out;
    for (const HolderChange &c :
         compare(approvedAmounts(QJsonDocument::fromJson(approved.blob(0)).object()), run, 0))
        if (c.before != c.after)
            out.append(c);
    return out;
}

Result<ledger::Draft> approvalDraft(sql::Database &db, const StoredRun &run, quint64 currentLogSize,
                                    const QString &statementsSha256)
{
    using R = Result<ledger::Draft>;
    if (run.approvedAt)
        return R::failure(
            "approved-run",
            QStringLiteral("run %1 was approved at entry %2").arg(run.id).arg(run.approvedAt));
    if (currentLogSize != run.logSize)
        return R::failure(
            "stale-run",
            QStringLiteral("the ledger has grown since run %1 was computed (%2 entries then, %3 "
                           "now): run the %4 %5 distribution again and review it")
                .arg(run.id)
                .arg(run.logSize)
                .arg(currentLogSize)
                .arg(run.right, run.period));
    QJsonArray holderArray;
    for (const HolderTotal &h : run.holders)
        holderArray.append(QJsonObject{{"holder", h.holder},
                                       {"currency", h.currency},
                                       {"amount", decimalAmount(h.minor, h.currency, false)}});
    const QJsonObject body{{"run", run.id},
                           {"period", run.period},
                           {"right", run.right},
                           {"feePpm", run.result.value("feePpm").toInteger()},
                           {"logSize", qint64(run.logSize)},
                           {"currencies", run.result.value("currencies")},
                           {"holders", holderArray},
                           {"statements", statementsSha256},
                           {"corrects", qint64(latestApproval(db, run.period, run.right))}};
    return ledger::Draft{kinds::RoyaltyApproved, QJsonDocument(body).toJson(QJsonDocument::Compact),
                         0};
}

} // namespace cartulary::model
