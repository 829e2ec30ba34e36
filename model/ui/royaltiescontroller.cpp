// SPDX-License-Identifier: GPL-3.0-or-later
// RoyaltiesController: imports, runs, matches, settlements and approvals on the session's writer,
// as the command line does them; the period's review, explanations and statements on workers with
// their own read-only connections. Amounts are formatted here, never in QML.
#include "model/ui/royaltiescontroller.h"

#include "ledger/logstore.h"
#include "model/core/money.h"
#include "model/core/period.h"
#include "model/io/statements.h"
#include "model/io/usageimport.h"
#include "model/io/worksimport.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/runs.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace cartulary::model {

namespace {

/** The columns of each table (RowsModel roles), named once. */
const QStringList HolderRoles{"key",         "holder",  "currency", "amount",
                              "amountMinor", "exact",   "previous", "change",
                              "changeMinor", "flagged", "mark",     "note"};
const QStringList WorkRoles{"key",           "work", "currency", "toHolders",
                            "toHoldersSort", "held", "heldSort", "holders"};
const QStringList UnmatchedRoles{"key",         "keyId",   "importSha256", "importShort", "line",
                                 "lines",       "workRef", "isrc",         "iswc",        "doi",
                                 "title",       "creator", "identifiers",  "currency",    "amount",
                                 "amountMicro", "units",   "note",         "byTitle"};
const QStringList DisputeRoles{"key",   "work",    "assetId", "kind", "kindTitle",
                               "right", "message", "entry",   "held"};
const QStringList SettlementRoles{"key", "work", "kept", "withdrawn", "reason", "closed", "entry"};
const QStringList ImportRoles{"key",    "file",  "format", "periods", "records",
                              "totals", "entry", "loaded", "sha256"};
const QStringList ExplanationRoles{"key", "currency", "work", "steps", "way", "exact", "amount"};
const QStringList FlowRoles{"key", "holder", "held", "currency", "steps", "way", "exact"};

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString localPath(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

/** An exact amount with at least the currency's minor digits: "45.009 EUR", "54.00 EUR". */
QString exactText(Fine amount, const QString &currency)
{
    QString text = fineText(amount);
    const int digits = currencyDigits(currency);
    qsizetype point = text.indexOf(u'.');
    if (digits > 0 && point < 0) {
        text += u'.';
        point = text.size() - 1;
    }
    while (digits > 0 && text.size() - point - 1 < digits)
        text += u'0';
    return QStringLiteral("%1 %2").arg(text, currency);
}

/** The currency, then the integer of an exact amount, zero-padded: sorts as text in the order of
 * the amounts within each currency. */
QString fineSortKey(const QString &currency, Fine amount)
{
    const bool negative = amount < 0;
    unsigned __int128 magnitude =
        negative ? -static_cast<unsigned __int128>(amount) : static_cast<unsigned __int128>(amount);
    QString digits;
    do {
        digits.prepend(QChar(u'0' + int(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude > 0);
    return QStringLiteral("%1 %2%3").arg(currency, negative ? QStringLiteral("-") : QString(),
                                         digits.rightJustified(40, u'0'));
}

/** Sorts as text by currency, then by amount (negative ones first): amounts in different
 * currencies are not compared. */
QString moneySortKey(const QString &currency, qint64 amount)
{
    // Offset by 2^62 so that negative amounts sort before positive ones as digits.
    const quint64 offset = quint64(amount) + (quint64(1) << 62);
    return QStringLiteral("%1 %2").arg(currency).arg(offset, 20, 10, QChar(u'0'));
}

/** "+27.00 EUR (+50.00 %)": a change in minor units and against what it was. */
QString changeText(qint64 before, qint64 after, const QString &currency)
{
    const qint64 diff = after - before;
    QString text = QStringLiteral("%1%2").arg(diff < 0 ? QStringLiteral("−") : QStringLiteral("+"),
                                              formatMoney(qAbs(diff), currency));
    if (before != 0) {
        const qint64 ppm = qint64(__int128(qAbs(diff)) * 1000000 / qAbs(before));
        text += QStringLiteral(" (%1%2)").arg(diff < 0 ? QStringLiteral("−") : QStringLiteral("+"),
                                              formatPpm(ppm));
    }
    return text;
}

/** "2026-Q3" for "2026-07"; a quarter or anything else as it is. */
QString quarterOf(const QString &period)
{
    static const QRegularExpression month(QStringLiteral("^(\\d{4})-(\\d{2})$"));
    const auto m = month.match(period);
    if (!m.hasMatch())
        return period;
    return QStringLiteral("%1-Q%2").arg(m.captured(1)).arg((m.captured(2).toInt() - 1) / 3 + 1);
}

QString rightTitle(const QString &right)
{
    if (right == QLatin1String(rights::Mechanical))
        return RoyaltiesController::tr("Mechanical");
    if (right == QLatin1String(rights::Sync))
        return RoyaltiesController::tr("Synchronisation");
    return RoyaltiesController::tr("Performing");
}

/**
 * A work's sources as the settle dialog lists them: each one's shares per right as percents, its
 * total first ("Performing 100.00 %: A 50.00 %; B 50.00 %").
 */
QVariantList sourceList(sql::Database &db, const QString &assetId)
{
    const auto percent = [](int basisPoints) { return formatPpm(qint64(basisPoints) * 100); };
    QVariantList out;
    for (const WorkSource &s : Royalties::sources(db, assetId)) {
        QStringList lines;
        for (const char *right : {rights::Performing, rights::Mechanical, rights::Sync}) {
            if (!s.totals.contains(right))
                continue;
            QStringList parties;
            for (const WorkShare &share : s.shares)
                if (share.right == QLatin1String(right))
                    parties << QStringLiteral("%1 %2").arg(share.party, percent(share.basisPoints));
            lines << RoyaltiesController::tr("%1 %2: %3")
                         .arg(rightTitle(right), percent(s.totals.value(right)),
                              parties.join(QStringLiteral("; "))); // names hold commas
        }
        out.append(
            QVariantMap{{"source", s.source}, {"entry", qint64(s.entryIndex)}, {"shares", lines}});
    }
    return out;
}

QString totalsText(const QMap<QString, qint64> &micro)
{
    QStringList parts;
    for (auto it = micro.cbegin(); it != micro.cend(); ++it)
        parts << formatMicro(it.value(), it.key());
    return parts.isEmpty() ? RoyaltiesController::tr("nothing") : parts.join(QStringLiteral(", "));
}

/**
 * The chart of one grouping: per currency its bars, each a fraction of the currency's largest; at
 * most maxBars bars, the rest summed into one.
 */
QVariantList chart(const QList<RevenueBucket> &buckets, int maxBars, const QString &restLabel)
{
    QMap<QString, QList<RevenueBucket>> byCurrency;
    for (const RevenueBucket &b : buckets)
        byCurrency[b.currency].append(b);
    QVariantList out;
    for (auto it = byCurrency.begin(); it != byCurrency.end(); ++it) {
        QList<RevenueBucket> bars = it.value();
        if (bars.size() > maxBars) {
            RevenueBucket rest{restLabel.arg(bars.size() - maxBars + 1), it.key()};
            for (qsizetype i = maxBars - 1; i < bars.size(); ++i) {
                rest.amountMicro += bars.at(i).amountMicro;
                rest.unmatchedMicro += bars.at(i).unmatchedMicro;
                rest.lines += bars.at(i).lines;
            }
            bars.resize(maxBars - 1);
            bars.append(rest);
        }
        qint64 max = 0, total = 0;
        for (const RevenueBucket &b : bars) {
            max = std::max(max, b.amountMicro);
            total += b.amountMicro;
        }
        QVariantList rows;
        for (const RevenueBucket &b : bars)
            rows.append(QVariantMap{
                {"label", b.key},
                {"amount", formatMicro(b.amountMicro, b.currency)},
                {"unmatched",
                 b.unmatchedMicro ? formatMicro(b.unmatchedMicro, b.currency) : QString()},
                // Bar lengths only: the amounts themselves are the texts above.
                {"fraction", max > 0 ? double(b.amountMicro) / double(max) : 0.0},
                {"unmatchedFraction", max > 0 ? double(b.unmatchedMicro) / double(max) : 0.0},
                {"lines", number(b.lines)}});
        out.append(QVariantMap{
            {"currency", it.key()}, {"total", formatMicro(total, it.key())}, {"rows", rows}});
    }
    return out;
}

} // namespace

/** Everything the page shows of one period and right, read at once on a worker. */
struct RoyaltiesController::Review
{
    QString error;
    QString period; ///< the period read (the default one when none was chosen)
    QStringList periodOptions;
    QList<RowsModel::Row> imports, holders, works, unmatched, disputes, settlements;
    QHash<QString, QVariantMap> disputedWorks; ///< by asset id: RoyaltiesController::disputedWork
    qint64 unmatchedGroups = 0;
    QString unmatchedTotal;
    QVariantMap run;
    QString runId;
    int flagged = 0;
    QVariantList byTerritory, byMonth;

    static Review read(const QString &path, const QString &wantedPeriod, const QString &right,
                       qint64 thresholdPpm);
};

RoyaltiesController::Review RoyaltiesController::Review::read(const QString &path,
                                                              const QString &wantedPeriod,
                                                              const QString &right,
                                                              qint64 thresholdPpm)
{
    Review r;
    // The ledger read-only, for its size (is the run stale?) and its database.
    auto store = ledger::LogStore::openReadOnly(path);
    if (!store) {
        r.error = store.errorString();
        return r;
    }
    sql::Database &db = store.value()->database();
    const quint64 ledgerSize = store.value()->size();

    // Imports, newest first, and the periods they name.
    const QList<UsageImport> imports = Royalties::imports(db);
    QStringList options;
    for (qsizetype i = imports.size() - 1; i >= 0; --i) {
        const UsageImport &u = imports.at(i);
        QStringList totals;
        for (auto it = u.totalsMicro.cbegin(); it != u.totalsMicro.cend(); ++it)
            totals << formatMicro(it.value(), it.key());
        r.imports.append({u.sha256, u.fileName, u.format.toUpper(),
                          u.periods.join(QStringLiteral(", ")), number(u.records),
                          totals.join(QStringLiteral(", ")), qint64(u.entryIndex), u.loaded,
                          u.sha256});
        for (const QString &p : u.periods)
            options << p << quarterOf(p);
    }
    options.removeDuplicates();
    std::sort(options.begin(), options.end(), std::greater<>());
    r.periodOptions = options;
    r.period = wantedPeriod;
    if (r.period.isEmpty() && !imports.isEmpty())
        r.period = quarterOf(imports.last().period);
    if (r.period.isEmpty())
        return r;
    if (const auto range = periodRange(r.period, tr("period")); !range) {
        r.error = range.errorString();
        return r;
    }

    // The unmatched queue, largest first.
    r.unmatchedGroups = Royalties::unmatchedGroups(db, r.period);
    for (const UnmatchedUsage &u : Royalties::unmatched(db, r.period, UnmatchedShown)) {
        r.unmatched.append({QStringLiteral("%1/%2").arg(u.key.id).arg(u.currency), u.key.id,
                            u.key.importSha256, u.key.importSha256.left(12), u.key.firstLine,
                            u.lines, u.key.workRef, u.key.isrc, u.key.iswc, u.key.doi, u.key.title,
                            u.key.creator, u.key.identifiers().join(QStringLiteral(", ")),
                            u.currency, formatMicro(u.amountMicro, u.currency),
                            moneySortKey(u.currency, u.amountMicro), u.units, u.key.matchNote,
                            !u.key.title.trimmed().isEmpty()});
    }

    // Revenue by territory and by month.
    r.byTerritory =
        chart(Royalties::revenueByTerritory(db, r.period, right), 12, tr("%1 other territories"));
    r.byMonth = chart(Royalties::revenueByMonth(db, r.period, right), 12, tr("%1 more"));

    const std::optional<StoredRun> run = latestRun(db, r.period, right);

    // Disputes, with what each holds in the run; each disputed work with its sources to settle by.
    for (const Dispute &d : Royalties::disputes(db)) {
        const auto asset = Portfolio::asset(db, d.assetId);
        QMap<QString, Fine> held;
        if (run)
            for (const QJsonValue &v : run->result.value("held").toArray())
                if (v["asset"].toString() == d.assetId &&
                    v["why"].toString().startsWith(QLatin1String("dispute")))
                    held[v["currency"].toString()] +=
                        parseFine(v["exact"].toString(), true).value_or(0);
        QStringList heldText;
        for (auto it = held.cbegin(); it != held.cend(); ++it)
            heldText << exactText(it.value(), it.key());
        const QString work = asset ? asset->reference : d.assetId;
        const QString heldNow = heldText.isEmpty() ? (run ? tr("nothing in this run") : QString())
                                                   : heldText.join(QStringLiteral(", "));
        r.disputes.append(
            {d.id, work, d.assetId, d.kind,
             d.kind == QLatin1String("claimant") ? tr("Two claimants") : tr("Shares over 100 %"),
             d.right.isEmpty() ? tr("every right") : rightTitle(d.right), d.message,
             qint64(d.entryIndex), heldNow});
        QVariantMap &disputed = r.disputedWorks[d.assetId];
        if (disputed.isEmpty())
            disputed = {{"assetId", d.assetId},
                        {"work", work},
                        {"title", asset ? asset->title : QString()},
                        {"held", heldNow},
                        {"sources", sourceList(db, d.assetId)}};
        disputed.insert("disputes", disputed.value("disputes").toStringList() << d.message);
    }
    // Settled disputes, newest first.
    const QList<Settlement> settled = Royalties::settlements(db);
    for (auto it = settled.crbegin(); it != settled.crend(); ++it) {
        const auto asset = Portfolio::asset(db, it->assetId);
        r.settlements.append(
            {qint64(it->entryIndex), asset ? asset->reference : it->assetId,
             it->kept.join(QStringLiteral(", ")),
             it->dropped.isEmpty() ? tr("none") : it->dropped.join(QStringLiteral(", ")),
             it->reason, it->disputes.join(u'\n'), qint64(it->entryIndex)});
    }
    if (!run)
        return r;

    // The run, its totals and what it holds.
    r.runId = run->id;
    QVariantList currencies;
    QStringList unmatched;
    for (auto it = run->currencies.cbegin(); it != run->currencies.cend(); ++it) {
        const CurrencyTotals &t = it.value();
        const auto money = [&](qint64 m) { return formatMoney(m, it.key()); };
        currencies.append(QVariantMap{
            {"currency", it.key()},
            {"collected", money(t.collected)},
            {"distributed", money(t.distributed)},
            {"held", money(t.held)},
            {"unmatched", money(t.unmatched)},
            {"fees", money(t.fees)},
            {"hasHeld", t.held != 0},
            {"balanced", t.collected == t.distributed + t.held + t.unmatched + t.fees}});
        if (t.unmatched)
            unmatched << money(t.unmatched);
    }
    r.unmatchedTotal = unmatched.join(QStringLiteral(", "));
    QVariantList heldList;
    for (const QJsonValue &v : run->result.value("held").toArray()) {
        const auto asset = Portfolio::asset(db, v["asset"].toString());
        const QString currency = v["currency"].toString();
        heldList.append(QVariantMap{
            {"work", asset ? QStringLiteral("%1 (%2)").arg(asset->reference, asset->title)
                           : v["asset"].toString()},
            {"currency", currency},
            {"why", v["why"].toString()},
            {"amount", exactText(parseFine(v["exact"].toString(), true).value_or(0), currency)}});
    }
    QStringList metered;
    for (const QJsonValue &v : run->result.value("metered").toArray())
        metered << tr("%1 on %2: %3 uses × %4 = %5 %6 expected (ceiling %7), %8 %6 reported")
                       .arg(v["licence"].toString(), v["asset"].toString(),
                            number(v["units"].toInteger()), v["perUse"].toString(),
                            v["expected"].toString(), v["currency"].toString(),
                            v["ceiling"].toString(), v["reported"].toString());
    const bool stale = !run->approvedAt && ledgerSize != run->logSize;
    const QString previous = model::previousPeriod(run->period);
    r.run = {
        {"id", run->id},
        {"shortId", run->id.left(8)},
        {"period", run->period},
        {"right", run->right},
        {"rightTitle", rightTitle(run->right)},
        {"fee", formatPpm(run->result.value("feePpm").toInteger())},
        {"created", QDateTime::fromMSecsSinceEpoch(run->createdMs).toString("yyyy-MM-dd HH:mm")},
        {"approvedAt", qint64(run->approvedAt)},
        {"approvedText", run->approvedAt
                             ? tr("Approved and signed at ledger entry %1").arg(run->approvedAt)
                             : tr("Not approved")},
        {"corrects", qint64(run->correctsApproval)},
        {"stale", stale},
        {"staleText",
         stale ? tr("The ledger has grown since this run (%1 entries then, %2 now): run it again "
                    "and review before approving.")
                     .arg(number(qint64(run->logSize)), number(qint64(ledgerSize)))
               : QString()},
        {"currencies", currencies},
        {"held", heldList},
        {"metered", metered},
    };

    // Holders with the previous period: new, gone and changes past the threshold flagged.
    const QList<HolderChange> changes = compareWithPrevious(db, *run, thresholdPpm);
    bool hasPrevious = latestRun(db, previous, run->right).has_value();
    for (const HolderChange &c : changes)
        hasPrevious = hasPrevious || c.before != 0;
    QHash<QString, const HolderTotal *> now;
    for (const HolderTotal &h : run->holders)
        now.insert(h.holder + u'\x1f' + h.currency, &h);
    for (const HolderChange &c : changes) {
        const QString key = c.holder + u'\x1f' + c.currency;
        const HolderTotal *h = now.value(key);
        const bool gone = h == nullptr;
        const bool added = hasPrevious && !gone && c.before == 0 && c.flagged;
        const bool flagged = hasPrevious && c.flagged;
        r.flagged += flagged;
        r.holders.append(
            {key, c.holder, c.currency, gone ? tr("—") : formatMoney(c.after, c.currency),
             moneySortKey(c.currency, c.after), gone ? tr("—") : exactText(h->exact, c.currency),
             hasPrevious && !added ? formatMoney(c.before, c.currency) : tr("—"),
             !hasPrevious ? QString()
             : gone       ? tr("gone")
             : added      ? tr("new")
                          : changeText(c.before, c.after, c.currency),
             moneySortKey(c.currency, c.after - c.before), flagged,
             !flagged             ? QString()
             : gone               ? QStringLiteral("✕")
             : added              ? QStringLiteral("✚")
             : c.after > c.before ? QStringLiteral("▲")
                                  : QStringLiteral("▼"),
             gone    ? tr("nothing in this run")
             : added ? tr("new since %1").arg(previous)
                     : QString()});
    }
    r.run.insert(
        "previousText",
        hasPrevious
            ? tr("Compared with %1: changes over the threshold are marked ▲/▼.").arg(previous)
            : tr("No run of %1 to compare with.").arg(previous));
    r.run.insert("hasPrevious", hasPrevious);

    // Review by work.
    for (const RunWork &w : runWorks(db, *run))
        r.works.append({w.work + u'\x1f' + w.currency, w.work, w.currency,
                        exactText(w.toHolders, w.currency), fineSortKey(w.currency, w.toHolders),
                        w.held ? exactText(w.held, w.currency) : QString(),
                        fineSortKey(w.currency, w.held), w.holders});
    return r;
}

RoyaltiesController::RoyaltiesController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
    , m_holders(HolderRoles, "key", {{"amount", "amountMinor"}, {"change", "changeMinor"}})
    , m_works(WorkRoles, "key", {{"toHolders", "toHoldersSort"}, {"held", "heldSort"}})
    , m_unmatched(UnmatchedRoles, "key", {{"amount", "amountMicro"}})
    , m_disputes(DisputeRoles, "key")
    , m_settlements(SettlementRoles, "key")
    , m_imports(ImportRoles, "key")
    , m_explanation(ExplanationRoles, "key")
    , m_workFlows(FlowRoles, "key")
{
    connect(m_session, &Session::ready, this, &RoyaltiesController::open);
}

RoyaltiesController::~RoyaltiesController() = default;

QVariantList RoyaltiesController::rightOptions() const
{
    QVariantList out;
    for (const char *r : {rights::Performing, rights::Mechanical, rights::Sync})
        out.append(QVariantMap{{"id", QString::fromLatin1(r)}, {"title", rightTitle(r)}});
    return out;
}

QString RoyaltiesController::previousPeriod() const
{
    return periodRange(m_period, {}) ? model::previousPeriod(m_period) : QString();
}

void RoyaltiesController::open()
{
    m_workSearch.setDatabasePath(m_session->databasePath());
    // After a rebuild the usage lines are read again from the kept files, as the command line
    // does before it reads them; a missing file is said, not hidden.
    auto missing = std::make_shared<Result<QStringList>>(QStringList());
    m_session->post(
        [missing](Workspace &ws) { *missing = loadUsageStore(ws); },
        [this, missing] {
            if (!missing->ok())
                setNotice(tr("Usage could not be loaded: %1").arg(missing->errorString()), true);
            else if (!missing->value().isEmpty())
                setNotice(missing->value().join(u'\n'), true);
            refresh();
        });
}

void RoyaltiesController::setPeriod(const QString &period)
{
    const QString p = period.trimmed();
    if (p == m_period)
        return;
    m_period = p;
    emit periodChanged();
    refresh();
}

void RoyaltiesController::setRight(const QString &right)
{
    if (right == m_right || !rights::isRight(right))
        return;
    m_right = right;
    emit periodChanged();
    refresh();
}

void RoyaltiesController::setThreshold(const QString &percent)
{
    auto ppm = parseLocalePercent(percent, QLocale(), tr("threshold"));
    m_threshold = percent;
    m_thresholdError = ppm ? QString() : ppm.errorString();
    emit thresholdChanged();
    if (ppm && ppm.value() != m_thresholdPpm) {
        m_thresholdPpm = ppm.value();
        refresh();
    }
}

void RoyaltiesController::setLoading(bool loading)
{
    if (loading != m_loading) {
        m_loading = loading;
        emit loadingChanged();
    }
}

void RoyaltiesController::refresh()
{
    if (m_session->state() != Session::Unlocked)
        return;
    const quint64 generation = ++m_generation;
    setLoading(true);
    auto *watcher = new QFutureWatcher<Review>(this);
    connect(watcher, &QFutureWatcher<Review>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // a newer read is on its way
        setLoading(false);
        applyReview(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&Review::read, m_session->databasePath(), m_period,
                                         m_right, m_thresholdPpm));
}

void RoyaltiesController::applyReview(const Review &review)
{
    if (m_period != review.period) {
        m_period = review.period; // the default period, chosen from the imports
        emit periodChanged();
    }
    m_periodOptions = review.periodOptions;
    m_loadError = review.error;
    m_imports.setRows(review.imports);
    m_holders.setRows(review.holders);
    m_works.setRows(review.works);
    m_unmatched.setRows(review.unmatched);
    m_disputes.setRows(review.disputes);
    m_settlements.setRows(review.settlements);
    m_disputedWorks = review.disputedWorks;
    m_unmatchedGroups = review.unmatchedGroups;
    m_unmatchedTotal = review.unmatchedTotal;
    m_byTerritory = review.byTerritory;
    m_byMonth = review.byMonth;
    m_flagged = review.flagged;
    m_run = review.run;
    const bool newRun = m_runId != review.runId;
    m_runId = review.runId;
    emit reviewChanged();
    // A new run: what the panes showed was of the old one.
    if (newRun) {
        if (!m_explainedHolder.isEmpty())
            explain(m_explainedHolder);
        if (!m_shownWork.isEmpty())
            showWork(m_runId.isEmpty() ? QString() : m_shownWork);
    }
}

void RoyaltiesController::setReport(const QString &report, bool failed)
{
    m_importReport = report;
    m_importFailed = failed;
    emit importReportChanged();
}

void RoyaltiesController::written(bool works)
{
    emit entriesSigned();
    if (works) {
        emit worksRegistered();
        m_workSearch.reload();
    }
    refresh();
}

template<typename Report>
void RoyaltiesController::startImport(
    const QString &path,
    std::function<Result<Report>(Workspace &, const ImportProgress &, const std::atomic_bool *)>
        job,
    std::function<void(const QString &name, const Report &)> imported)
{
    const QString name = QFileInfo(path).fileName();
    setReport({}, false);
    const CancelFlag cancel = startWork(tr("Importing %1…").arg(name));
    const Reporter report = progressReporter();
    auto result = std::make_shared<Result<Report>>(Error{"not-run", {}});
    m_session->post(
        [job, cancel, report, name, result](Workspace &ws) {
            *result = job(
                ws,
                [report, name](qint64 done, qint64 total, const QString &what) {
                    report(quint64(std::max<qint64>(done, 0)), quint64(std::max<qint64>(total, 0)),
                           total > 0
                               ? tr("%1 %2: %3 / %4").arg(what, name, number(done), number(total))
                               : tr("%1 %2…").arg(what, name));
                },
                cancel.get());
        },
        [this, name, result, imported] {
            finishWork();
            if (!result->ok()) {
                setReport(tr("%1 was not imported; nothing was written.\n\n%2")
                              .arg(name, result->errorString()),
                          true);
                setNotice(tr("%1 was not imported: %2").arg(name, result->errorString()), true);
                emit importFinished(false);
                return;
            }
            imported(name, result->value());
        });
}

QVariantMap RoyaltiesController::importUsage(const QUrl &file, const QString &period,
                                             const QString &rightsControllers)
{
    QVariantMap errors;
    const QString path = localPath(file);
    if (path.isEmpty())
        errors.insert("file", tr("choose the usage report to import"));
    if (!period.trimmed().isEmpty())
        if (const auto range = periodRange(period.trimmed(), tr("period")); !range)
            errors.insert("period", range.errorString());
    if (busy() || m_session->state() != Session::Unlocked)
        errors.insert("form", tr("other work is running; try again when it has finished"));
    if (!errors.isEmpty())
        return errors;
    usage::Options options;
    options.period = period.trimmed();
    for (const QString &name :
         rightsControllers.split(QRegularExpression(QStringLiteral("[;\\n]")), Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            options.rightsControllers.append(name.trimmed());
    startImport<UsageImportReport>(
        path,
        [path, options](Workspace &ws, const ImportProgress &progress,
                        const std::atomic_bool *cancel) {
            return model::importUsage(ws, path, options, progress, cancel);
        },
        [this](const QString &name, const UsageImportReport &r) {
            const UsageImport &u = r.import;
            QStringList lines{
                tr("%1 %2 as entry %3: %4, %5, %6 usage lines, %7.")
                    .arg(name, r.reloaded ? tr("reloaded") : tr("imported"))
                    .arg(u.entryIndex)
                    .arg(u.format.toUpper(), u.periods.join(QStringLiteral(", ")),
                         number(u.records), totalsText(u.totalsMicro)),
                tr("Matched: %1 lines, %2.")
                    .arg(number(r.matchedLines), totalsText(r.matchedMicro)),
                tr("Unmatched: %1 lines, %2 — kept apart, never distributed; match them under "
                   "Unmatched.")
                    .arg(number(r.unmatchedLines), totalsText(r.unmatchedMicro)),
                tr("Rejected: none — a report is imported whole or not at all.")};
            if (u.unallocated)
                lines << tr("%1 usage lines had no allocation to a represented rights controller.")
                             .arg(number(u.unallocated));
            for (const QString &w : r.warnings)
                lines << tr("Warning: %1").arg(w);
            setReport(lines.join(u'\n'), false);
            setNotice(tr("Imported %1: %2 lines matched, %3 unmatched.")
                          .arg(name, number(r.matchedLines), number(r.unmatchedLines)),
                      false);
            emit importFinished(true);
            // The page shows what was just imported.
            const QString period = quarterOf(u.period);
            if (period != m_period) {
                m_period = period;
                emit periodChanged();
            }
            written(false);
        });
    return {};
}

void RoyaltiesController::importWorks(const QUrl &file)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    const QString path = localPath(file);
    startImport<WorksImportReport>(
        path,
        [path](Workspace &ws, const ImportProgress &progress, const std::atomic_bool *cancel) {
            return model::importWorks(ws, path, progress, cancel);
        },
        [this](const QString &name, const WorksImportReport &r) {
            QStringList lines{
                tr("%1: %2 works from %3 (CWR %4).")
                    .arg(name, number(r.header.works), r.header.senderName, r.header.version),
                tr("Registered: %1 new works. Updated: %2. Disputed: %3 (both claims kept, the "
                   "amounts held).")
                    .arg(number(r.registered), number(r.updated), number(r.disputed)),
                tr("Rejected: none — a file is imported whole or not at all.")};
            for (const QString &d : r.disputes)
                lines << tr("Dispute: %1").arg(d);
            for (const QString &w : r.warnings)
                lines << tr("Warning: %1").arg(w);
            setReport(lines.join(u'\n'), false);
            setNotice(tr("Imported %1: %2 registered, %3 updated, %4 disputed.")
                          .arg(name, number(r.registered), number(r.updated), number(r.disputed)),
                      false);
            emit importFinished(true);
            written(true);
        });
}

QVariantMap RoyaltiesController::runDistribution(const QString &period, const QString &right,
                                                 const QString &feePercent)
{
    QVariantMap errors;
    const QString p = period.trimmed();
    if (const auto range = periodRange(p, tr("period")); !range)
        errors.insert("period", range.errorString());
    if (!rights::isRight(right))
        errors.insert("right", tr("right: choose performing, mechanical or sync"));
    qint64 feePpm = 0;
    if (!feePercent.trimmed().isEmpty()) {
        auto fee = parseLocalePercent(feePercent, QLocale(), tr("fee"));
        if (fee)
            feePpm = fee.value();
        else
            errors.insert("fee", fee.errorString());
    }
    if (busy() || m_session->state() != Session::Unlocked)
        errors.insert("form", tr("other work is running; try again when it has finished"));
    if (!errors.isEmpty())
        return errors;
    auto cancel = startWork(tr("Computing the %1 %2 run (fee %3)…")
                                .arg(p, rightTitle(right).toLower(), formatPpm(feePpm)));
    auto result = std::make_shared<Result<StoredRun>>(Error{"not-run", {}});
    auto warnings = std::make_shared<QStringList>();
    m_session->post(
        [p, right, feePpm, cancel, result, warnings](Workspace &ws) {
            // As `royalty run`: the period's usage loaded, then the run over the read tables.
            auto missing = loadUsageStore(ws, cancel.get());
            if (!missing) {
                *result = missing.error();
                return;
            }
            *warnings = missing.value();
            *result = model::runDistribution(ws.store().database(), p, right, feePpm,
                                             ws.store().size(), cancel.get());
        },
        [this, p, right, result, warnings] {
            finishWork();
            if (!result->ok()) {
                const QString message = result->errorString();
                setNotice(tr("The %1 run was not computed: %2").arg(p, message), true);
                emit runFinished(false, message);
                return;
            }
            const StoredRun &run = result->value();
            QStringList totals;
            for (auto it = run.currencies.cbegin(); it != run.currencies.cend(); ++it)
                totals << tr("%1 collected = %2 distributed + %3 held + %4 unmatched + %5 fees")
                              .arg(formatMoney(it->collected, it.key()),
                                   formatMoney(it->distributed, it.key()),
                                   formatMoney(it->held, it.key()),
                                   formatMoney(it->unmatched, it.key()),
                                   formatMoney(it->fees, it.key()));
            QString message = tr("Run %1 of %2 (%3): %4; kept for review.")
                                  .arg(run.id.left(8), p, rightTitle(right).toLower(),
                                       totals.isEmpty() ? tr("no usage in the period")
                                                        : totals.join(QStringLiteral("; ")));
            if (!warnings->isEmpty())
                message += u'\n' + warnings->join(u'\n');
            setNotice(message, !warnings->isEmpty());
            emit runFinished(true, message);
            const bool changed = m_period != p || m_right != right;
            m_period = p;
            m_right = right;
            if (changed)
                emit periodChanged();
            refresh();
        });
    return {};
}

QVariantMap RoyaltiesController::matchUnmatched(int row, const QString &assetId,
                                                bool sameTitleAndCreator)
{
    QVariantMap errors;
    const QVariantMap line = m_unmatched.get(row);
    if (line.isEmpty())
        errors.insert("form", tr("choose an unmatched line"));
    if (assetId.trimmed().isEmpty())
        errors.insert("work", tr("choose the work to match to"));
    if (sameTitleAndCreator && !line.value("byTitle").toBool())
        errors.insert("scope", tr("this line has no title: match its identification"));
    if (busy() || m_session->state() != Session::Unlocked)
        errors.insert("form", tr("other work is running; try again when it has finished"));
    if (!errors.isEmpty())
        return errors;
    UsageKey key;
    key.importSha256 = line.value("importSha256").toString();
    key.workRef = line.value("workRef").toString();
    key.isrc = line.value("isrc").toString();
    key.iswc = line.value("iswc").toString();
    key.doi = line.value("doi").toString();
    key.title = line.value("title").toString();
    key.creator = line.value("creator").toString();
    key.firstLine = line.value("line").toLongLong();
    const QString period = m_period;
    startWork(tr("Signing the match…"));
    auto result = std::make_shared<Result<QString>>(Error{"not-run", {}});
    m_session->post(
        [key, assetId, period, sameTitleAndCreator, result](Workspace &ws) {
            sql::Database &db = ws.store().database();
            const auto work = Portfolio::asset(db, assetId);
            if (!work) {
                *result =
                    Error{"unknown-asset", tr("work: %1 is not a registered work").arg(assetId)};
                return;
            }
            const ledger::Draft draft =
                sameTitleAndCreator
                    ? Royalties::titleMatchDraft(key.title, key.creator, work->id, period)
                    : Royalties::matchDraft(key, work->id, period);
            auto written = ws.append({draft});
            if (!written) {
                *result = written.error();
                return;
            }
            *result = tr("Matched %1 to %2 (%3) as entry %4; the next run uses it.")
                          .arg(sameTitleAndCreator
                                   ? tr("every line of \"%1\" by %2")
                                         .arg(key.title,
                                              key.creator.isEmpty() ? tr("anyone") : key.creator)
                                   : tr("line %1 (\"%2\")").arg(key.firstLine).arg(key.title),
                               work->reference, work->title)
                          .arg(written->first().index);
        },
        [this, result] {
            finishWork();
            if (!result->ok()) {
                setNotice(tr("Nothing was signed: %1").arg(result->errorString()), true);
                emit matchFinished(false, result->errorString());
                return;
            }
            setNotice(result->value(), false);
            emit matchFinished(true, result->value());
            written(false);
        });
    return {};
}

QVariantMap RoyaltiesController::disputedWork(const QString &assetId) const
{
    return m_disputedWorks.value(assetId);
}

QVariantMap RoyaltiesController::settle(const QString &assetId, const QStringList &keep,
                                        const QString &reason)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return {{"form", tr("other work is running; try again when it has finished")}};
    const QVariantMap disputed = m_disputedWorks.value(assetId);
    startWork(tr("Signing the settlement of %1…").arg(disputed.value("work", assetId).toString()));
    auto result = std::make_shared<Result<QString>>(Error{"not-run", {}});
    m_session->post(
        [assetId, keep, reason, result](Workspace &ws) {
            sql::Database &db = ws.store().database();
            // As `royalty settle`: the model's rules decide, and a refusal writes nothing.
            auto draft =
                Royalties::settleDraft(db, assetId, keep, reason, ws.identity().keys.publicKey);
            if (!draft) {
                *result = draft.error();
                return;
            }
            auto written = ws.append({draft.value()});
            if (!written) {
                *result = written.error();
                return;
            }
            const quint64 index = written->first().index;
            const QList<Settlement> all = Royalties::settlements(db);
            const auto s = std::find_if(all.crbegin(), all.crend(), [index](const Settlement &s) {
                return s.entryIndex == index;
            });
            const auto work = Portfolio::asset(db, assetId);
            QString what = tr("the shares of %1 stand").arg(keep.join(QStringLiteral(", ")));
            if (s != all.crend() && !s->dropped.isEmpty())
                what += tr("; those of %1 are withdrawn (the ledger keeps them)")
                            .arg(s->dropped.join(QStringLiteral(", ")));
            if (s != all.crend())
                what += s->disputes.size() == 1
                            ? tr("; its dispute is closed")
                            : tr("; its %1 disputes are closed").arg(s->disputes.size());
            *result = tr("Settled %1 (%2) as entry %3: %4. Runs computed before are stale: run "
                         "again, then approve.")
                          .arg(work ? work->reference : assetId, work ? work->title : QString())
                          .arg(index)
                          .arg(what);
        },
        [this, result] {
            finishWork();
            if (!result->ok()) {
                const QString message = result->errorString();
                // The model names the field it refuses: "reason: …", "keep: …".
                const QString field = message.section(QStringLiteral(": "), 0, 0);
                QVariantMap errors;
                if (field == QLatin1String("keep") || field == QLatin1String("reason"))
                    errors.insert(field, message.section(QStringLiteral(": "), 1));
                setNotice(tr("Nothing was signed: %1").arg(message), true);
                emit settleFinished(false, message, errors);
                return;
            }
            setNotice(result->value(), false);
            emit settleFinished(true, result->value(), {});
            written(false);
        });
    return {};
}

void RoyaltiesController::approve()
{
    if (busy() || m_session->state() != Session::Unlocked || m_runId.isEmpty()) {
        const QString message = m_runId.isEmpty()
                                    ? tr("no run of %1 to approve: run it first").arg(m_period)
                                    : tr("other work is running; try again when it has finished");
        setNotice(tr("Not approved: %1").arg(message), true);
        emit approvalFinished(false, message);
        return;
    }
    const CancelFlag cancel = startWork(tr("Writing the statement set and signing the approval…"));
    auto result = std::make_shared<Result<QString>>(Error{"not-run", {}});
    m_session->post(
        [shown = m_runId, period = m_period, right = m_right, cancel, result](Workspace &ws) {
            sql::Database &db = ws.store().database();
            // As `royalty approve`: the period's latest run, which must be the one reviewed.
            const auto run = latestRun(db, period, right);
            if (!run || run->id != shown) {
                *result = Error{"newer-run",
                                tr("a newer %1 run of %2 was computed since this one was shown: "
                                   "review it, then approve")
                                    .arg(right, period)};
                return;
            }
            auto set = statements(db, *run);
            if (!set) {
                *result = set.error();
                return;
            }
            if (cancel->load()) {
                *result = Error{"cancelled", tr("the approval was cancelled; nothing was signed")};
                return;
            }
            const QString sha = statementSetSha256(set.value());
            auto draft = approvalDraft(db, *run, ws.store().size(), sha);
            if (!draft) {
                *result = draft.error();
                return;
            }
            auto written = ws.append({draft.value()});
            if (!written) {
                *result = written.error();
                return;
            }
            *result = tr("Approved run %1 (%2, %3) as entry %4; statement set SHA-256 %5.")
                          .arg(run->id.left(8), right, period)
                          .arg(written->first().index)
                          .arg(sha);
        },
        [this, result] {
            finishWork();
            if (!result->ok()) {
                setNotice(tr("Not approved: %1").arg(result->errorString()), true);
                emit approvalFinished(false, result->errorString());
                return;
            }
            setNotice(result->value(), false);
            emit approvalFinished(true, result->value());
            written(false);
        });
}

void RoyaltiesController::writeStatements(const QUrl &folder)
{
    const QString dir = localPath(folder);
    if (busy() || m_runId.isEmpty() || dir.isEmpty()) {
        setNotice(tr("Statements were not written: %1")
                      .arg(m_runId.isEmpty() ? tr("there is no run of %1 yet").arg(m_period)
                           : dir.isEmpty()   ? tr("choose a folder")
                                             : tr("other work is running; try again when it "
                                                    "has finished")),
                  true);
        emit statementsWritten(false, dir);
        return;
    }
    const CancelFlag cancel = startWork(tr("Writing statements to %1…").arg(dir));
    const Reporter report = progressReporter();
    auto *watcher = new QFutureWatcher<Result<QString>>(this);
    connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, watcher, dir] {
        watcher->deleteLater();
        finishWork();
        const Result<QString> r = watcher->result();
        setNotice(r ? r.value() : tr("Statements were not written: %1").arg(r.errorString()), !r);
        emit statementsWritten(r.ok(), dir);
    });
    watcher->setFuture(QtConcurrent::run([path = m_session->databasePath(), runId = m_runId, dir,
                                          cancel, report]() -> Result<QString> {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        const auto run = storedRun(*db.value(), runId);
        if (!run)
            return Error{"unknown-run", tr("run %1 is no longer kept: run again").arg(runId)};
        auto set = statements(*db.value(), *run);
        if (!set)
            return set.error();
        if (Status s = model::writeStatements(
                set.value(), *run, dir,
                [report](qint64 done, qint64 total) {
                    report(quint64(done), quint64(total),
                           tr("Writing statements: %1 / %2").arg(number(done), number(total)));
                },
                cancel.get());
            !s)
            return s.error();
        return tr("Wrote %1 statements (CSV and PDF) and MANIFEST.sha256 to %2; set SHA-256 "
                  "%3 (%4).")
            .arg(number(set->size()), dir, statementSetSha256(set.value()),
                 run->approvedAt ? tr("approved at entry %1").arg(run->approvedAt)
                                 : tr("not approved"));
    }));
}

void RoyaltiesController::setExplanationLoading(bool loading)
{
    if (loading != m_explanationLoading) {
        m_explanationLoading = loading;
        emit explanationLoadingChanged();
    }
}

void RoyaltiesController::explain(const QString &holder)
{
    const quint64 generation = ++m_explanationGeneration;
    m_explainedHolder = holder;
    if (holder.isEmpty() || m_runId.isEmpty()) {
        m_explanationError.clear();
        m_explanationTotals.clear();
        m_explanation.setRows({});
        setExplanationLoading(false);
        emit explanationChanged();
        return;
    }
    setExplanationLoading(true);
    struct Read
    {
        QString error;
        QList<RowsModel::Row> lines;
        QVariantList totals;
    };
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_explanationGeneration)
            return;
        const Read r = watcher->result();
        m_explanationError = r.error;
        m_explanationTotals = r.totals;
        m_explanation.setRows(r.lines);
        setExplanationLoading(false);
        emit explanationChanged();
    });
    watcher->setFuture(
        QtConcurrent::run([path = m_session->databasePath(), runId = m_runId, holder]() -> Read {
            Read r;
            auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
            if (!db)
                return Read{db.errorString(), {}, {}};
            const auto run = storedRun(*db.value(), runId);
            if (!run)
                return Read{tr("run %1 is no longer kept: run again").arg(runId), {}, {}};
            auto e = model::explain(*db.value(), *run, holder);
            if (!e)
                return Read{e.errorString(), {}, {}};
            for (qsizetype i = 0; i < e->lines.size(); ++i) {
                const Explanation::Line &l = e->lines.at(i);
                r.lines.append({qint64(i), l.currency, l.work, l.path,
                                l.path.join(QStringLiteral(" → ")), exactText(l.exact, l.currency),
                                formatMoney(l.minor, l.currency)});
            }
            for (const HolderTotal &t : e->totals)
                r.totals.append(QVariantMap{{"currency", t.currency},
                                            {"amount", formatMoney(t.minor, t.currency)},
                                            {"exact", exactText(t.exact, t.currency)}});
            return r;
        }));
}

void RoyaltiesController::showWork(const QString &work)
{
    const quint64 generation = ++m_workGeneration;
    m_shownWork = work;
    if (work.isEmpty() || m_runId.isEmpty()) {
        m_shownWork.clear();
        m_workFlows.setRows({});
        emit workFlowsChanged();
        return;
    }
    auto *watcher = new QFutureWatcher<QList<RowsModel::Row>>(this);
    connect(watcher, &QFutureWatcher<QList<RowsModel::Row>>::finished, this,
            [this, watcher, generation] {
                watcher->deleteLater();
                if (generation != m_workGeneration)
                    return;
                m_workFlows.setRows(watcher->result());
                emit workFlowsChanged();
            });
    watcher->setFuture(QtConcurrent::run(
        [path = m_session->databasePath(), runId = m_runId, work]() -> QList<RowsModel::Row> {
            QList<RowsModel::Row> rows;
            auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
            const auto run = db ? storedRun(*db.value(), runId) : std::nullopt;
            if (!run)
                return rows;
            const QList<Flow> flows = model::workFlows(*db.value(), *run, work);
            for (qsizetype i = 0; i < flows.size(); ++i) {
                const Flow &f = flows.at(i);
                rows.append({qint64(i), f.holder.isEmpty() ? tr("Held") : f.holder,
                             f.holder.isEmpty(), f.currency, f.path,
                             f.path.join(QStringLiteral(" → ")), exactText(f.amount, f.currency)});
            }
            return rows;
        }));
}

} // namespace cartulary::model
