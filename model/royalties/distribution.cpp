// SPDX-License-Identifier: GPL-3.0-or-later
// The distribution run, exactly: Fine amounts split by largest remainder at every step, each
// holder rounded once per currency at the end.
#include "model/royalties/distribution.h"

#include "model/core/money.h"
#include "model/core/period.h"
#include "model/lineage/lineagememo.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/royalties.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>
#include <map>

namespace cartulary::model {

namespace {

constexpr qint64 Million = 1000000;
constexpr int MaxDepth = 64; ///< a derivation chain deeper than this is held, not followed

Fine pow10(int n)
{
    Fine f = 1;
    while (n-- > 0)
        f *= 10;
    return f;
}

QString percentOfPpm(qint64 ppm)
{
    return formatPpm(ppm);
}

QString percentOfBp(int bp)
{
    return formatPpm(qint64(bp) * 100);
}

/** The run's state while it walks the chains. */
struct Walk
{
    Walk(RunSource &s, RunResult &r)
        : source(s)
        , result(r)
    {}

    RunSource &source;
    RunResult &result;
    /** The flows of the usage being visited: equal ways (holder and path; the work and currency
     * are the usage's) merge into one. A usage is one work in one currency, so flows of different
     * usages never merge: each usage's go to `done` when it has been visited. */
    QList<Flow> flows;
    QList<Flow> done;
    std::map<std::tuple<QString, QString, QString>, Fine> held; ///< (asset, currency, why)

    /** The shares paid out of what an asset receives, with their steps' text: the same for
     * every usage of a run, so worked out once per asset (and origin). */
    struct Stack
    {
        QList<RunShare> active;
        qint64 total = 0;
        QList<Fine> weights; ///< each active share's ppm, then what the asset keeps
        QStringList steps;   ///< each active share's step
    };
    QHash<QString, Stack> stacks[2]; ///< [origin]
    QHash<QString, QStringList> ownerSteps;

    const Stack &stackOf(const QString &asset, bool origin)
    {
        auto it = stacks[origin].find(asset);
        if (it != stacks[origin].end())
            return *it;
        Stack st;
        for (const RunShare &s : source.shares(asset, origin))
            if (s.active && s.ppm > 0) {
                st.active.append(s);
                st.total += s.ppm;
                st.weights.append(s.ppm);
                st.steps.append(s.parentAsset.isEmpty()
                                    ? QStringLiteral("%1 to %2 under sublicence %3 (%4)")
                                          .arg(percentOfPpm(s.ppm), s.party, s.licence, s.policy)
                                    : QStringLiteral("%1 to %2 under %3 (%4)")
                                          .arg(percentOfPpm(s.ppm), source.name(s.parentAsset),
                                               s.licence, s.policy));
            }
        st.weights.append(Million - st.total);
        return *stacks[origin].insert(asset, st);
    }

    void credit(const QString &holder, const QString &currency, const QString &work,
                const QStringList &path, Fine amount)
    {
        if (amount == 0)
            return;
        for (Flow &f : flows)
            if (f.holder == holder && f.path == path) {
                f.amount += amount;
                return;
            }
        flows.append({holder, currency, work, path, amount});
    }
    void usageDone()
    {
        done.append(std::move(flows));
        flows.clear();
    }
    void hold(const QString &asset, const QString &currency, const QString &work,
              const QStringList &path, const QString &why, Fine amount)
    {
        if (amount == 0)
            return;
        held[{asset, currency, why}] += amount;
        credit(QString(), currency, work, QStringList(path) << QStringLiteral("held: %1").arg(why),
               amount);
    }

    void visit(const QString &asset, const QString &currency, const QString &work, bool origin,
               const QStringList &path, Fine amount, int depth)
    {
        if (amount == 0)
            return;
        if (depth > MaxDepth)
            return hold(asset, currency, work, path,
                        QStringLiteral("derivation chain deeper than %1").arg(MaxDepth), amount);
        if (const QString why = source.dispute(asset); !why.isEmpty())
            return hold(asset, currency, work, path, QStringLiteral("dispute: %1").arg(why),
                        amount);
        const Stack &stack = stackOf(asset, origin);
        if (stack.total > Million)
            return hold(asset, currency, work, path,
                        QStringLiteral("royalty stack of %1 is %2, over 100 %")
                            .arg(source.name(asset), percentOfPpm(stack.total)),
                        amount);
        const QList<Fine> parts = splitFine(amount, stack.weights);
        for (qsizetype i = 0; i < stack.active.size(); ++i) {
            const RunShare &s = stack.active.at(i);
            if (s.parentAsset.isEmpty())
                credit(s.party, currency, work, QStringList(path) << stack.steps.at(i),
                       parts.at(i));
            else
                visit(s.parentAsset, currency, work, false, QStringList(path) << stack.steps.at(i),
                      parts.at(i), depth + 1);
        }
        keep(asset, currency, work, path, parts.last());
    }

    /** What an asset keeps, split among its owners; an unclaimed part is held. */
    void keep(const QString &asset, const QString &currency, const QString &work,
              const QStringList &path, Fine amount)
    {
        if (amount == 0)
            return;
        const QList<RunOwner> owners = source.owners(asset);
        int total = 0;
        for (const RunOwner &o : owners)
            total += o.basisPoints;
        if (owners.isEmpty() || total == 0)
            return hold(asset, currency, work, path,
                        QStringLiteral("%1 has no owners for the right").arg(source.name(asset)),
                        amount);
        if (total > 10000 + ShareToleranceBp)
            return hold(asset, currency, work, path,
                        QStringLiteral("ownership of %1 totals %2")
                            .arg(source.name(asset), percentOfBp(total)),
                        amount);
        QList<Fine> weights;
        for (const RunOwner &o : owners)
            weights.append(o.basisPoints);
        // Within the CWR tolerance the registered shares are the whole; below it, the rest is
        // unclaimed and held.
        const bool whole = total >= 10000 - ShareToleranceBp;
        if (!whole)
            weights.append(10000 - total);
        const QList<Fine> parts = splitFine(amount, weights);
        const QString name = source.name(asset);
        auto steps = ownerSteps.find(asset);
        if (steps == ownerSteps.end()) {
            QStringList texts;
            for (const RunOwner &o : owners)
                texts.append(QStringLiteral("%1 owner share %2 (%3)")
                                 .arg(name, percentOfBp(o.basisPoints), o.party));
            steps = ownerSteps.insert(asset, texts);
        }
        for (qsizetype i = 0; i < owners.size(); ++i)
            credit(owners.at(i).party, currency, work, QStringList(path) << steps->at(i),
                   parts.at(i));
        if (!whole)
            hold(asset, currency, work, path,
                 QStringLiteral("%1 of %2 is not claimed by a registered owner")
                     .arg(percentOfBp(10000 - total), name),
                 parts.last());
    }
};

QString minorText(qint64 minor, const QString &currency)
{
    return decimalAmount(minor, currency, false);
}

} // namespace

Fine finePerMinor(const QString &currency)
{
    return pow10(18 - currencyDigits(currency));
}

QList<qint64> roundParts(qint64 totalMinor, const QList<Fine> &exact, Fine unit)
{
    QList<qint64> out;
    QList<std::pair<Fine, qsizetype>> remainders;
    qint64 sum = 0;
    for (qsizetype i = 0; i < exact.size(); ++i) {
        out.append(qint64(exact.at(i) / unit));
        sum += out.last();
        remainders.append({exact.at(i) % unit, i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (qint64 left = totalMinor - sum, k = 0; left > 0 && k < remainders.size(); --left, ++k)
        ++out[remainders.at(k).second];
    return out;
}

QString fineText(Fine amount)
{
    // Written backwards into a buffer: a run writes a million of these.
    const bool negative = amount < 0;
    unsigned __int128 v = negative ? 0 - static_cast<unsigned __int128>(amount)
                                   : static_cast<unsigned __int128>(amount);
    char buffer[64];
    char *end = buffer + sizeof(buffer);
    char *p = end;
    int digits = 0;
    bool significant = false; // a non-zero decimal seen (from the right)
    for (; digits < 18; ++digits, v /= 10) {
        const int d = int(v % 10);
        significant = significant || d != 0;
        if (significant)
            *--p = char('0' + d);
    }
    if (p != end)
        *--p = '.';
    do {
        *--p = char('0' + int(v % 10));
        v /= 10;
    } while (v > 0);
    if (negative)
        *--p = '-';
    return QString::fromLatin1(p, end - p);
}

std::optional<Fine> parseFine(const QString &text, bool scaled)
{
    QString t = text.trimmed();
    bool negative = t.startsWith(u'-');
    if (negative)
        t.remove(0, 1);
    QString whole = t, frac;
    if (const qsizetype dot = t.indexOf(u'.'); dot >= 0) {
        if (!scaled)
            return std::nullopt;
        whole = t.left(dot);
        frac = t.mid(dot + 1);
    }
    if (whole.isEmpty() || frac.size() > 18 || whole.size() > 20)
        return std::nullopt;
    Fine v = 0;
    for (const QChar c : whole + (scaled ? frac.leftJustified(18, u'0') : QString())) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        v = v * 10 + (c.unicode() - u'0');
    }
    return negative ? -v : v;
}

QList<Fine> splitFine(Fine total, const QList<Fine> &weights)
{
    Fine sum = 0;
    for (const Fine w : weights)
        sum += w;
    QList<Fine> parts(weights.size(), 0);
    if (sum == 0 || total == 0)
        return parts;
    QList<std::pair<Fine, qsizetype>> remainders;
    Fine given = 0;
    for (qsizetype i = 0; i < weights.size(); ++i) {
        // total × w fits: totals stay under 10^30 and weights under 10^6 (ppm) here.
        const Fine product = total * weights.at(i);
        parts[i] = product / sum;
        given += parts[i];
        remainders.append({product % sum, i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (Fine left = total - given, k = 0; left > 0; --left, ++k)
        ++parts[remainders.at(qsizetype(k)).second];
    return parts;
}

RunResult computeRun(const RunInput &input, RunSource &source, const std::atomic_bool *cancel)
{
    RunResult result;
    result.period = input.period;
    result.right = input.right;
    result.feePpm = input.feePpm;
    Walk walk(source, result);
    QMap<QString, Fine> collected, fees, unmatched;
    for (auto it = input.unmatchedMicro.cbegin(); it != input.unmatchedMicro.cend(); ++it) {
        unmatched[it.key()] += Fine(it.value()) * FinePerMicro;
        collected[it.key()] += Fine(it.value()) * FinePerMicro;
    }
    QList<RunInput::Usage> matched = input.matched;
    std::sort(matched.begin(), matched.end(), [](const auto &a, const auto &b) {
        return std::tie(a.asset, a.currency) < std::tie(b.asset, b.currency);
    });
    for (const RunInput::Usage &u : matched) {
        if (cancel && cancel->load())
            return result;
        const Fine amount = Fine(u.amountMicro) * FinePerMicro;
        collected[u.currency] += amount;
        const QList<Fine> feeSplit = splitFine(amount, {input.feePpm, Million - input.feePpm});
        fees[u.currency] += feeSplit.at(0);
        QStringList path{QStringLiteral("usage of %1: %2 lines, %3 units")
                             .arg(source.name(u.asset))
                             .arg(u.lines)
                             .arg(u.units)};
        if (input.feePpm > 0)
            path
                << QStringLiteral("less the administration fee of %1").arg(formatPpm(input.feePpm));
        walk.visit(u.asset, u.currency, u.asset, true, path, feeSplit.at(1), 0);
        walk.usageDone();
    }
    // Exact totals per holder, then one rounding per currency.
    QMap<QString, QMap<QString, Fine>> holders; // currency → holder → exact
    QMap<QString, Fine> heldExact;
    // In the order of (holder, currency, work, path), as flows are stored and explained.
    std::sort(walk.done.begin(), walk.done.end(), [](const Flow &a, const Flow &b) {
        return std::tie(a.holder, a.currency, a.work, a.path) <
               std::tie(b.holder, b.currency, b.work, b.path);
    });
    result.flows = std::move(walk.done);
    for (const Flow &f : std::as_const(result.flows)) {
        if (f.holder.isEmpty())
            heldExact[f.currency] += f.amount;
        else
            holders[f.currency][f.holder] += f.amount;
    }
    for (const auto &[key, amount] : walk.held)
        result.held.append({std::get<0>(key), std::get<1>(key), std::get<2>(key), amount});
    for (auto it = collected.cbegin(); it != collected.cend(); ++it) {
        const QString &currency = it.key();
        const Fine unit = finePerMinor(currency);
        CurrencyTotals t;
        t.collectedExact = it.value();
        t.heldExact = heldExact.value(currency);
        t.unmatchedExact = unmatched.value(currency);
        t.feesExact = fees.value(currency);
        // Halves up: usage amounts are never negative.
        t.collected = qint64((t.collectedExact + unit / 2) / unit);
        QList<Fine> exact;
        const QMap<QString, Fine> &byHolder = holders.value(currency);
        for (auto h = byHolder.cbegin(); h != byHolder.cend(); ++h)
            exact.append(h.value());
        exact << t.heldExact << t.unmatchedExact << t.feesExact;
        const QList<qint64> rounded = roundParts(t.collected, exact, unit);
        qsizetype i = 0;
        for (auto h = byHolder.cbegin(); h != byHolder.cend(); ++h, ++i) {
            result.holders.append({h.key(), currency, h.value(), rounded.at(i)});
            t.distributed += rounded.at(i);
        }
        t.held = rounded.at(i);
        t.unmatched = rounded.at(i + 1);
        t.fees = rounded.at(i + 2);
        result.currencies.insert(currency, t);
    }
    return result;
}

QJsonObject RunResult::toJson() const
{
    QJsonObject currencyObject;
    for (auto it = currencies.cbegin(); it != currencies.cend(); ++it) {
        const CurrencyTotals &t = it.value();
        currencyObject.insert(it.key(),
                              QJsonObject{{"collected", minorText(t.collected, it.key())},
                                          {"distributed", minorText(t.distributed, it.key())},
                                          {"held", minorText(t.held, it.key())},
                                          {"unmatched", minorText(t.unmatched, it.key())},
                                          {"fees", minorText(t.fees, it.key())}});
    }
    QJsonArray holderArray;
    for (const HolderTotal &h : holders)
        holderArray.append(QJsonObject{{"holder", h.holder},
                                       {"currency", h.currency},
                                       {"amount", minorText(h.minor, h.currency)},
                                       {"exact", fineText(h.exact)}});
    QJsonArray heldArray;
    for (const HeldAmount &h : held)
        heldArray.append(QJsonObject{{"asset", h.asset},
                                     {"currency", h.currency},
                                     {"why", h.why},
                                     {"exact", fineText(h.amount)}});
    QJsonArray meteredArray;
    for (const MeteredFee &m : metered)
        meteredArray.append(QJsonObject{{"licence", m.licence},
                                        {"asset", m.asset},
                                        {"currency", m.currency},
                                        {"units", m.units},
                                        {"perUse", minorText(m.perUseMinor, m.currency)},
                                        {"ceiling", minorText(m.ceilingMinor, m.currency)},
                                        {"expected", minorText(m.expectedMinor, m.currency)},
                                        {"reported", microAmount(m.reportedMicro)}});
    return QJsonObject{{"period", period},
                       {"right", right},
                       {"feePercent", formatPpm(feePpm).chopped(2)},
                       {"feePpm", feePpm},
                       {"currencies", currencyObject},
                       {"holders", holderArray},
                       {"held", heldArray},
                       {"metered", meteredArray}};
}

struct DbRunSource::Private
{
    sql::Database &db;
    QString right;
    QDate start, end;
    LineageMemo memo;
    QHash<QString, QList<RunOwner>> registered; ///< work shares for the right, by asset
    QHash<QString, QList<RunOwner>> owners;     ///< the assets' owners, by asset
    QHash<QString, QString> disputes;
    bool disputesRead = false;
};

DbRunSource::DbRunSource(sql::Database &db, const QString &right, const QDate &periodStart,
                         const QDate &periodEnd)
    : d(new Private{
          db, right, periodStart, periodEnd, LineageMemo(db, periodEnd), {}, {}, {}, false})
{
    // A run asks about most of the register: read it at once rather than asset by asset.
    d->memo.preload();
    // Each asset's in the order Royalties::workShares and asset_owners give them.
    auto shares = db.prepare("SELECT asset_id, party, basis_points FROM work_shares WHERE "
                             "right_type=? ORDER BY asset_id, entry_index, rowid");
    shares.bind(1, right);
    while (shares.next())
        d->registered[shares.text(0)].append({shares.text(1), int(shares.int64(2))});
    auto owners =
        db.prepare("SELECT asset_id, name, basis_points FROM asset_owners ORDER BY asset_id, name");
    while (owners.next())
        d->owners[owners.text(0)].append({owners.text(1), int(owners.int64(2))});
}

DbRunSource::~DbRunSource() = default;

QList<RunShare> DbRunSource::shares(const QString &asset, bool origin)
{
    QList<RunShare> out;
    const QList<DerivationLink> &links =
        origin ? d->memo.linksAbove(asset) : d->memo.parents(asset);
    for (const DerivationLink &link : links) {
        if (link.licenceId.isEmpty())
            continue;
        const QList<LicenceRecord> chain = d->memo.chain(link.licenceId);
        if (chain.isEmpty())
            continue;
        // As of the period's last day: a revocation on or before it, an expiry before it, or a
        // lapsed parent leaves every share of the link out.
        QString inactive;
        for (const LicenceRecord &r : chain) {
            if (r.revoked.isValid() && r.revoked <= d->end) {
                inactive = QStringLiteral("licence %1 revoked on %2")
                               .arg(r.licence.reference, r.revoked.toString(Qt::ISODate));
                break;
            }
            if (r.licence.expires.isValid() && r.licence.expires < d->end) {
                inactive = QStringLiteral("licence %1 expired on %2")
                               .arg(r.licence.reference, r.licence.expires.toString(Qt::ISODate));
                break;
            }
        }
        if (inactive.isEmpty())
            if (const auto &lapsed = d->memo.lapsedOn(link.parent))
                inactive =
                    QStringLiteral("%1 lapsed%2")
                        .arg(d->memo.name(link.parent),
                             lapsed->isValid()
                                 ? QStringLiteral(" on %1").arg(lapsed->toString(Qt::ISODate))
                                 : QString());
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const Licence &l = chain.at(i).licence;
            if (l.payment.royaltyPpm == 0)
                continue;
            const bool relative = l.payment.policy == RoyaltyPolicy::Relative;
            // At the origin: absolute shares of every link above, relative ones of its own links;
            // above it only relative shares of the asset's own links.
            if (relative ? link.child != asset : !origin)
                continue;
            RunShare s;
            s.ppm = l.payment.royaltyPpm;
            s.licence = l.reference;
            s.policy = relative ? QStringLiteral("relative") : QStringLiteral("absolute");
            if (i == 0 && !l.under.isEmpty())
                s.party = l.licensor; // a sublicence pays its licensor, who owns no share of it
            else
                s.parentAsset = link.parent;
            s.active = inactive.isEmpty();
            s.inactiveWhy = inactive;
            out.append(s);
        }
    }
    return out;
}

QList<RunOwner> DbRunSource::owners(const QString &asset)
{
    // The registered shares for the right when there are, else the asset's owners.
    if (const auto it = d->registered.constFind(asset); it != d->registered.cend())
        return *it;
    return d->owners.value(asset);
}

QString DbRunSource::dispute(const QString &asset)
{
    if (!d->disputesRead) {
        auto st = d->db.prepare("SELECT asset_id, message FROM royalty_disputes WHERE "
                                "right_type='' OR right_type=? ORDER BY id");
        st.bind(1, d->right);
        while (st.next())
            if (!d->disputes.contains(st.text(0)))
                d->disputes.insert(st.text(0), st.text(1));
        d->disputesRead = true;
    }
    return d->disputes.value(asset);
}

QString DbRunSource::name(const QString &asset)
{
    return d->memo.name(asset);
}

QList<MeteredFee> DbRunSource::metered(const RunInput &input)
{
    std::map<std::pair<QString, QString>, MeteredFee> out; // (licence, asset)
    for (const RunInput::Usage &u : input.matched)
        for (const DerivationLink &link : d->memo.parents(u.asset)) {
            if (link.licenceId.isEmpty())
                continue;
            const auto &rec = d->memo.licence(link.licenceId);
            if (!rec || rec->licence.payment.perUseMinor <= 0)
                continue;
            const PaymentTerms &p = rec->licence.payment;
            MeteredFee &m = out[{rec->licence.reference, u.asset}];
            m.licence = rec->licence.reference;
            m.asset = d->memo.name(u.asset);
            m.currency = p.currency;
            m.perUseMinor = p.perUseMinor;
            m.ceilingMinor = p.revenueCeilingMinor;
            m.units += u.units;
            if (u.currency == p.currency)
                m.reportedMicro += u.amountMicro;
        }
    QList<MeteredFee> list;
    for (auto &[key, m] : out) {
        m.expectedMinor = m.units * m.perUseMinor;
        if (m.ceilingMinor > 0)
            m.expectedMinor = std::min(m.expectedMinor, m.ceilingMinor);
        list.append(m);
    }
    return list;
}

Result<RunInput> runInput(sql::Database &db, const QString &period, const QString &right,
                          qint64 feePpm)
{
    using R = Result<RunInput>;
    const auto range = periodRange(period, QStringLiteral("period"));
    if (!range)
        return range.error();
    if (!rights::isRight(right))
        return R::failure(
            "bad-right",
            QStringLiteral("right: '%1' is not performing, mechanical or sync").arg(right));
    if (feePpm < 0 || feePpm > Million)
        return R::failure("bad-fee", QStringLiteral("fee: must be between 0 and 100 %"));
    const QStringList periods = periodsWithin(period);
    for (const UsageImport &u : Royalties::imports(db)) {
        if (u.loaded)
            continue;
        for (const QString &p : u.periods)
            if (periods.contains(p))
                return R::failure(
                    "usage-not-loaded",
                    QStringLiteral("the lines of %1 (SHA-256 %2) are not loaded: its copy is "
                                   "missing from the usage store; import the same file again")
                        .arg(u.fileName, u.sha256));
    }
    RunInput in;
    in.period = period;
    in.right = right;
    in.feePpm = feePpm;
    QStringList marks;
    for (qsizetype i = 0; i < periods.size(); ++i)
        marks << QStringLiteral("?%1").arg(i + 2);
    const QByteArray sql =
        QStringLiteral("SELECT k.match_asset, a.currency, SUM(a.amount_micro), SUM(a.units), "
                       "SUM(a.lines) FROM usage_amounts a JOIN usage_keys k ON k.id = a.key_id "
                       "WHERE a.right_type = ?1 AND a.period IN (%1) GROUP BY k.match_asset, "
                       "a.currency ORDER BY k.match_asset, a.currency")
            .arg(marks.join(u','))
            .toUtf8();
    auto st = db.prepare(sql.constData());
    st.bind(1, right);
    for (qsizetype i = 0; i < periods.size(); ++i)
        st.bind(int(i + 2), periods.at(i));
    while (st.next()) {
        const QString asset = st.text(0);
        if (asset.isEmpty()) {
            in.unmatchedMicro[st.text(1)] += st.int64(2);
            in.unmatchedLines[st.text(1)] += st.int64(4);
        } else {
            in.matched.append({asset, st.text(1), st.int64(2), st.int64(3), st.int64(4)});
        }
    }
    if (st.failed())
        return R::failure("storage", st.errorMessage());
    return in;
}

} // namespace cartulary::model
