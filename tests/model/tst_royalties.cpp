// SPDX-License-Identifier: GPL-3.0-or-later
// Distribution runs: exact money over random graphs, shares, fees and currencies; hand-computed
// chains under both policies, a consortium, a revoked licence and a lapsed parent in the period, a
// metered licence at its ceiling; matching; approval and its refusals.
#include "model/core/money.h"
#include "model/core/period.h"
#include "model/io/usageimport.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/distribution.h"
#include "model/royalties/matching.h"
#include "model/royalties/royalties.h"
#include "model/royalties/runs.h"
#include "model/workspace/commands.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"
#include "tests/model/modeltestutil.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <QUuid>

#include <cmath>

using namespace cartulary;
using namespace cartulary::model;

namespace {

constexpr char Org[] = "Lumen Ølund Forschung e.V.";

/** A register made up by a test: shares and owners given directly. */
struct FakeSource : RunSource
{
    QHash<QString, QList<RunShare>> atOrigin, above;
    QHash<QString, QList<RunOwner>> ownerList;
    QHash<QString, QString> disputes;
    QList<RunShare> shares(const QString &asset, bool origin) override
    {
        return (origin ? atOrigin : above).value(asset);
    }
    QList<RunOwner> owners(const QString &asset) override { return ownerList.value(asset); }
    QString dispute(const QString &asset) override { return disputes.value(asset); }
    QString name(const QString &asset) override { return asset; }
};

/** The same rules, in long double, written from the documentation rather than from the code. */
struct Reference
{
    FakeSource *srcp = nullptr;
    QHash<QString, long double> holders;
    long double held = 0;

    void visit(const QString &asset, long double amount, bool origin)
    {
        FakeSource &src = *srcp;
        if (!src.disputes.value(asset).isEmpty()) {
            held += amount;
            return;
        }
        qint64 total = 0;
        for (const RunShare &s : src.shares(asset, origin))
            if (s.active)
                total += s.ppm;
        if (total > 1000000) {
            held += amount;
            return;
        }
        for (const RunShare &s : src.shares(asset, origin)) {
            if (!s.active)
                continue;
            const long double part = amount * s.ppm / 1e6L;
            if (s.parentAsset.isEmpty())
                holders[s.party] += part;
            else
                visit(s.parentAsset, part, false);
        }
        const long double keep = amount * (1000000 - total) / 1e6L;
        int bp = 0;
        for (const RunOwner &o : src.ownerList.value(asset))
            bp += o.basisPoints;
        if (bp == 0 || bp > 10006) {
            held += keep;
            return;
        }
        const bool whole = bp >= 9994;
        for (const RunOwner &o : src.ownerList.value(asset))
            holders[o.party] += keep * o.basisPoints / (whole ? bp : 10000);
        if (!whole)
            held += keep * (10000 - bp) / 10000;
    }
};

QString cur(int i)
{
    static const char *list[] = {"JPY", "EUR", "BHD"};
    return QString::fromLatin1(list[i % 3]);
}

} // namespace

class TestRoyalties : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

    sql::Database &db() { return m_ws->store().database(); }

    void ok(const QJsonObject &command)
    {
        auto r = applyJsonLines(*m_ws, testutil::line(command));
        QVERIFY2(r.ok(), qPrintable(r.errorString() + " — " + testutil::line(command)));
    }

    void asset(const QString &ref, const QString &owners, const QString &status = "active",
               const QString &type = "copyright")
    {
        ok({{"command", "register-asset"},
            {"reference", ref},
            {"title", "Work " + ref},
            {"type", type},
            {"status", status},
            {"owners", owners}});
    }

    static QJsonObject licence(const QString &ref, const QString &asset, const QString &licensor,
                               const QString &licensee, const QJsonObject &extra = {})
    {
        return testutil::licenceCommand(ref, asset, licensor, licensee, extra);
    }

    static QJsonObject derive(const QString &child, const QList<QPair<QString, QString>> &parents)
    {
        return testutil::deriveCommand(child, parents, "2024-06-01", "adaptation");
    }

    QString id(const QString &ref) { return Portfolio::asset(db(), ref)->id; }

    /** Runs the period over usage of the given amounts (minor units) per asset reference. */
    RunResult run(const QString &period, const QList<std::pair<QString, qint64>> &usage,
                  const QString &currency = "EUR", qint64 feePpm = 0, qint64 units = 0)
    {
        RunInput in;
        in.period = period;
        in.right = rights::Performing;
        in.feePpm = feePpm;
        const int digits = currencyDigits(currency);
        for (const auto &[ref, minor] : usage)
            in.matched.append(
                {id(ref), currency, minor * qint64(std::pow(10, 6 - digits)), units, 1});
        const auto range = periodRange(period, "period");
        DbRunSource source(db(), rights::Performing, range->first, range->second);
        RunResult r = computeRun(in, source);
        r.metered = source.metered(in);
        return r;
    }

    static qint64 paid(const RunResult &r, const QString &holder)
    {
        for (const HolderTotal &h : r.holders)
            if (h.holder == holder)
                return h.minor;
        return -1;
    }

    static void checkBalanced(const RunResult &r)
    {
        for (auto it = r.currencies.cbegin(); it != r.currencies.cend(); ++it) {
            const CurrencyTotals &t = it.value();
            QCOMPARE(t.collected, t.distributed + t.held + t.unmatched + t.fees);
            QVERIFY(t.distributed >= 0 && t.held >= 0 && t.unmatched >= 0 && t.fees >= 0);
        }
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ws =
            std::make_unique<Workspace>(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(m_ws->create(Org, "royalty passphrase", ledger::KdfLimits::interactive()).ok());
    }

    void periods()
    {
        QCOMPARE(periodRange("2026-Q3", "p")->first, QDate(2026, 7, 1));
        QCOMPARE(periodRange("2026-Q3", "p")->second, QDate(2026, 9, 30));
        QCOMPARE(periodRange("2024-02", "p")->second, QDate(2024, 2, 29));
        QCOMPARE(periodsWithin("2026-Q3"),
                 (QStringList{"2026-Q3", "2026-07", "2026-08", "2026-09"}));
        QCOMPARE(periodOf(QDate(2015, 10, 1), QDate(2015, 12, 31)), QStringLiteral("2015-Q4"));
        QCOMPARE(periodOf(QDate(2015, 2, 1), QDate(2015, 2, 28)), QStringLiteral("2015-02"));
        QVERIFY(periodOf(QDate(2015, 2, 1), QDate(2015, 3, 15)).isEmpty());
        QCOMPARE(previousPeriod("2026-Q1"), QStringLiteral("2025-Q4"));
        QCOMPARE(previousPeriod("2026-01"), QStringLiteral("2025-12"));
        for (const char *bad : {"2026-Q5", "2026-13", "26-Q1", "2026Q1", "", "2026-00"})
            QVERIFY2(!periodRange(bad, "period"), bad);
        QVERIFY(periodRange("2026-13", "period").errorString().contains("2026-13"));
    }

    void normalisers()
    {
        QCOMPARE(normalise::iswc("T-034.524.680-1"), normalise::iswc("T0345246801"));
        QCOMPARE(normalise::isrc("us-sm1-98-03037"), QStringLiteral("USSM19803037"));
        QCOMPARE(normalise::doi("https://doi.org/10.1000/ABC"), QStringLiteral("10.1000/abc"));
        QCOMPARE(normalise::title("L'Été, (Live)!"), QStringLiteral("l ete live"));
        QCOMPARE(normalise::person("Gaye, Marvin"), normalise::person("MARVIN  GAYÉ"));
        QCOMPARE(normalise::creators("Ritz, David|Marvin Gaye"),
                 normalise::creators("marvin gaye; DAVID RITZ"));
        QVERIFY(normalise::title("Sexual Healing") != normalise::title("Sexual Feeling"));
    }

    void splitsAreExact()
    {
        const QList<Fine> parts = splitFine(100, {1, 1, 1});
        QCOMPARE(parts, (QList<Fine>{34, 33, 33}));
        QCOMPARE(splitFine(0, {5, 5}), (QList<Fine>{0, 0}));
        const Fine big = Fine(999999999999) * FinePerMicro;
        Fine sum = 0;
        for (const Fine p : splitFine(big, {333333, 333333, 333334}))
            sum += p;
        QVERIFY(sum == big);
        QCOMPARE(fineText(Fine(1234567) * FinePerMicro), QStringLiteral("1.234567"));
        QVERIFY(parseFine("1.234567", true) == Fine(1234567) * FinePerMicro);
        QVERIFY(!parseFine("1.2x", true));
        // Rounding: floors, then leftovers by largest remainder, ties to the earlier part.
        QCOMPARE(roundParts(3, {Fine(15), Fine(15)}, 10), (QList<qint64>{2, 1}));
    }

    /** The invariant over random registers: parts sum to the whole, exactly, and each holder is
     * within one minor unit of its exact share. */
    void randomRunsBalanceExactly()
    {
        QRandomGenerator rng(20261202);
        for (int round = 0; round < 300; ++round) {
            FakeSource src;
            const int n = 2 + int(rng.bounded(9));
            QStringList assets;
            for (int i = 0; i < n; ++i)
                assets << QStringLiteral("A%1").arg(i);
            const QStringList people{"Ana", "Ben", "Çelik", "Dana", "Émile", "Femi"};
            for (int i = 0; i < n; ++i) {
                // Owners: sometimes whole within tolerance, sometimes short (unclaimed), rarely
                // none.
                QList<RunOwner> owners;
                int left = 10000 + int(rng.bounded(13)) - 6;
                if (rng.bounded(8) == 0)
                    left -= 2000;
                const int count = 1 + int(rng.bounded(4));
                for (int k = 0; k < count && left > 0; ++k) {
                    const int bp = k == count - 1 ? left : 1 + int(rng.bounded(quint32(left)));
                    owners.append({people.at((i + k) % people.size()), bp});
                    left -= bp;
                }
                if (rng.bounded(20) != 0)
                    src.ownerList.insert(assets[i], owners);
                // Shares to earlier assets (a DAG), or to a party (a sublicence).
                qint64 budget = 1000000;
                for (int j = 0; j < i; ++j) {
                    if (rng.bounded(3) != 0)
                        continue;
                    RunShare s;
                    s.ppm = 1 + qint64(rng.bounded(quint32(budget / 3 + 1)));
                    budget -= s.ppm;
                    s.licence = QStringLiteral("L%1-%2").arg(i).arg(j);
                    if (rng.bounded(6) == 0)
                        s.party = people.at(int(rng.bounded(quint32(people.size()))));
                    else
                        s.parentAsset = assets[j];
                    s.active = rng.bounded(7) != 0;
                    const bool relative = rng.bounded(2) == 0;
                    src.atOrigin[assets[i]].append(s);
                    if (relative)
                        src.above[assets[i]].append(s);
                }
                if (rng.bounded(15) == 0)
                    src.disputes.insert(assets[i], "two claimants");
            }
            RunInput in;
            in.period = "2026-Q3";
            in.right = rights::Performing;
            in.feePpm = qint64(rng.bounded(200001));
            QHash<QString, Reference> refs;
            for (int u = 0; u < 1 + int(rng.bounded(6)); ++u) {
                const QString currency = cur(int(rng.bounded(3)));
                const QString a = assets.at(int(rng.bounded(quint32(n))));
                // Millionths, as DSRs report them: not whole minor units.
                const qint64 micro = qint64(rng.bounded(Q_UINT64_C(5000000000000)));
                in.matched.append({a, currency, micro, 1, 1});
                auto it = refs.find(currency);
                if (it == refs.end())
                    it = refs.insert(currency, Reference{&src, {}, 0});
                it->visit(a, (micro / 1e6L) * (1000000 - in.feePpm) / 1e6L, true);
            }
            if (rng.bounded(2))
                in.unmatchedMicro.insert(cur(int(rng.bounded(3))),
                                         qint64(rng.bounded(Q_UINT64_C(9000000000))));
            const RunResult r = computeRun(in, src);
            checkBalanced(r);
            for (const HolderTotal &h : r.holders) {
                QVERIFY(h.minor >= 0);
                const long double unit = std::pow(10.0L, -currencyDigits(h.currency));
                const long double exact = refs.value(h.currency).holders.value(h.holder);
                const long double diff = std::fabs(h.minor * unit - exact) / unit;
                QVERIFY2(diff <= 1.0L + 1e-6L,
                         qPrintable(QStringLiteral("round %1: %2 %3 paid %4, exact %5")
                                        .arg(round)
                                        .arg(h.holder, h.currency)
                                        .arg(h.minor)
                                        .arg(double(exact))));
                // The engine's own exact amount agrees with the reference.
                QVERIFY(std::fabs(double(h.exact) / 1e18 - double(exact)) < 1e-6);
            }
            for (auto it = refs.cbegin(); it != refs.cend(); ++it)
                for (auto h = it->holders.cbegin(); h != it->holders.cend(); ++h)
                    if (h.value() > 0)
                        QVERIFY2(paid(r, h.key()) >= 0 ||
                                     h.value() < std::pow(10.0L, -currencyDigits(it.key())),
                                 qPrintable(h.key()));
        }
    }

    void threeGenerationsAbsolute()
    {
        asset("A", "Alice:10000");
        asset("B", "Bob:10000");
        asset("C", "Carol:10000");
        asset("D", "Dave:10000");
        ok(licence("L-A", "A", "Alice", "Carol", {{"royalty", "10%"}}));
        ok(licence("L-B", "B", "Bob", "Carol", {{"royalty", "5%"}}));
        ok(licence("L-C", "C", "Carol", "Dave", {{"royalty", "20%"}}));
        ok(derive("C", {{"A", "L-A"}, {"B", "L-B"}}));
        ok(derive("D", {{"C", "L-C"}}));
        const RunResult r = run("2026-Q3", {{"D", 100000}});
        checkBalanced(r);
        // Every absolute share comes out of D's revenue: 20 % to C, 10 % to A, 5 % to B.
        QCOMPARE(paid(r, "Carol"), 20000);
        QCOMPARE(paid(r, "Alice"), 10000);
        QCOMPARE(paid(r, "Bob"), 5000);
        QCOMPARE(paid(r, "Dave"), 65000);
        QCOMPARE(r.currencies["EUR"].collected, 100000);
    }

    void threeGenerationsRelative()
    {
        asset("A", "Alice:10000");
        asset("B", "Bob:10000");
        asset("C", "Carol:10000");
        asset("D", "Dave:10000");
        ok(licence("L-A", "A", "Alice", "Carol", {{"royalty", "10%"}, {"policy", "relative"}}));
        ok(licence("L-B", "B", "Bob", "Carol", {{"royalty", "5%"}, {"policy", "relative"}}));
        ok(licence("L-C", "C", "Carol", "Dave", {{"royalty", "20%"}, {"policy", "relative"}}));
        ok(derive("C", {{"A", "L-A"}, {"B", "L-B"}}));
        ok(derive("D", {{"C", "L-C"}}));
        const RunResult r = run("2026-Q3", {{"D", 100000}}, "EUR", 50000);
        checkBalanced(r);
        // Fee 5 %: 950.00 remain. D pays C 20 % = 190.00; C pays A 10 % = 19.00 and B 5 % = 9.50
        // out of what it receives.
        QCOMPARE(r.currencies["EUR"].fees, 5000);
        QCOMPARE(paid(r, "Carol"), 19000 - 1900 - 950);
        QCOMPARE(paid(r, "Alice"), 1900);
        QCOMPARE(paid(r, "Bob"), 950);
        QCOMPARE(paid(r, "Dave"), 76000);
        // The way of Alice's amount names every step.
        bool found = false;
        for (const Flow &f : r.flows)
            if (f.holder == "Alice") {
                found = true;
                QCOMPARE(f.path.size(), 5);
                QVERIFY2(f.path[1].contains("fee of 5.00 %"), qPrintable(f.path.join(" | ")));
                QVERIFY2(f.path[2].contains("20.00 %") && f.path[2].contains("L-C") &&
                             f.path[2].contains("relative"),
                         qPrintable(f.path.join(" | ")));
                QVERIFY(f.path[3].contains("10.00 %") && f.path[3].contains("L-A"));
                QVERIFY(f.path[4].contains("owner share 100.00 %"));
            }
        QVERIFY(found);
    }

    void consortiumSplitsByLargestRemainder()
    {
        asset("W", "Xavier:4000;Yusuf:4000;Zoë:2000");
        const RunResult r = run("2026-09", {{"W", 10001}});
        checkBalanced(r);
        // 40.004 / 40.004 / 20.002: the cent left over goes to the largest remainder, the tie to
        // the first holder by name.
        QCOMPARE(paid(r, "Xavier"), 4001);
        QCOMPARE(paid(r, "Yusuf"), 4000);
        QCOMPARE(paid(r, "Zoë"), 2000);
        // JPY has no minor unit; BHD three.
        const RunResult yen = run("2026-09", {{"W", 1001}}, "JPY");
        QCOMPARE(paid(yen, "Xavier") + paid(yen, "Yusuf") + paid(yen, "Zoë"), 1001);
        const RunResult dinar = run("2026-09", {{"W", 1001}}, "BHD");
        QCOMPARE(paid(dinar, "Xavier"), 401);
        QCOMPARE(paid(dinar, "Zoë"), 200);
    }

    void revokedLicenceAndLapsedParentInThePeriod()
    {
        asset("P", "Parent Co:10000");
        asset("Q", "Quill Ltd:10000", "granted", "patent");
        asset("K", QString(Org) + ":10000");
        ok(licence("L-P", "P", "Parent Co", Org,
                   {{"royalty", "10%"}, {"revocable_on", QJsonArray{"breach"}}}));
        ok(licence("L-Q", "Q", "Quill Ltd", Org, {{"royalty", "4%"}}));
        ok(derive("K", {{"P", "L-P"}, {"Q", "L-Q"}}));
        ok({{"command", "revoke-licence"},
            {"licence", "L-P"},
            {"date", "2026-08-15"},
            {"reason", "breach"}});
        // Q3 contains the revocation: no share; Q2 is before it: the share counts.
        RunResult q3 = run("2026-Q3", {{"K", 100000}});
        QCOMPARE(paid(q3, "Parent Co"), -1);
        QCOMPARE(paid(q3, "Quill Ltd"), 4000);
        QCOMPARE(paid(q3, Org), 96000);
        RunResult q2 = run("2026-Q2", {{"K", 100000}});
        QCOMPARE(paid(q2, "Parent Co"), 10000);
        // Q lapses in the period: its share leaves the stack too.
        ok({{"command", "add-phase-event"},
            {"asset", "Q"},
            {"event", "lapsed"},
            {"date", "2026-07-02"}});
        ok({{"command", "update-asset"}, {"asset", "Q"}, {"status", "lapsed"}});
        q3 = run("2026-Q3", {{"K", 100000}});
        QCOMPARE(paid(q3, "Quill Ltd"), -1);
        QCOMPARE(paid(q3, Org), 100000);
        checkBalanced(q3);
    }

    void meteredLicenceHitsItsCeiling()
    {
        asset("API", "Meter Corp:10000");
        asset("APP", QString(Org) + ":10000");
        ok(licence("L-M", "API", "Meter Corp", Org,
                   {{"royalty", "1%"}, {"per_use_minor", 10}, {"revenue_ceiling_minor", 5000}}));
        ok(derive("APP", {{"API", "L-M"}}));
        const RunResult r = run("2026-Q3", {{"APP", 200000}}, "EUR", 0, 1000);
        QCOMPARE(r.metered.size(), 1);
        const MeteredFee &m = r.metered.first();
        QCOMPARE(m.units, 1000);
        QCOMPARE(m.perUseMinor, 10);
        QCOMPARE(m.expectedMinor, 5000); // 1000 × 0.10 = 100.00, capped at 50.00
        QCOMPARE(m.reportedMicro, qint64(2000) * 1000000);
        QCOMPARE(paid(r, "Meter Corp"), 2000);
    }

    void disputesAndUnclaimedSharesAreHeld()
    {
        asset("S", "Writer One:10000");
        // Shares from two sources: the second claim opens a dispute; the amounts are held.
        const auto shares = [&](const QString &source, int bp) {
            return testutil::publisherShares(id("S"), source, bp, {"Other Title"});
        };
        QVERIFY(m_ws->append({shares("Alpha", 5000)}).ok());
        RunResult r = run("2026-Q3", {{"S", 100000}});
        // 50 % registered: the other half is unclaimed and held.
        QCOMPARE(paid(r, "Alpha Music"), 50000);
        QCOMPARE(r.currencies["EUR"].held, 50000);
        QVERIFY(Royalties::disputes(db()).isEmpty());
        QVERIFY(m_ws->append({shares("Beta", 7000)}).ok());
        const QList<Dispute> disputes = Royalties::disputes(db());
        QCOMPARE(disputes.size(), 2); // another claimant, and shares past 100 %
        QCOMPARE(disputes[0].kind, QStringLiteral("claimant"));
        QVERIFY(disputes[0].message.contains("Beta") && disputes[0].message.contains("Alpha"));
        QCOMPARE(disputes[1].kind, QStringLiteral("over-100"));
        QVERIFY2(disputes[1].message.contains("120.00 %"), qPrintable(disputes[1].message));
        // The sources to settle between, by name, each with its shares and their total per right.
        QList<WorkSource> sources = Royalties::sources(db(), id("S"));
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources[0].source, QStringLiteral("Alpha"));
        QCOMPARE(sources[1].source, QStringLiteral("Beta"));
        QCOMPARE(sources[1].totals, (QMap<QString, int>{{rights::Performing, 7000}}));
        QCOMPARE(sources[1].shares,
                 QList<WorkShare>({{rights::Performing, "Beta Music", "", "publisher", 7000}}));
        QVERIFY(sources[0].entryIndex < sources[1].entryIndex);
        QVERIFY(Royalties::sources(db(), "no-such-work").isEmpty());
        r = run("2026-Q3", {{"S", 100000}});
        QCOMPARE(r.currencies["EUR"].held, 100000);
        QCOMPARE(r.currencies["EUR"].distributed, 0);
        checkBalanced(r);

        // Settling: refused without a reason, for a source that registered nothing, and when the
        // kept shares still total past 100 %; nothing is written by a refusal.
        const ledger::PublicKey me = m_ws->identity().keys.publicKey;
        QCOMPARE(Royalties::settleDraft(db(), id("S"), {"Beta"}, " ", me).error().code,
                 QStringLiteral("invalid"));
        auto unknown = Royalties::settleDraft(db(), id("S"), {"Gamma"}, "agreement", me);
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.errorString().contains("Gamma registered no shares of S (its sources: "
                                                "Alpha, Beta)"),
                 qPrintable(unknown.errorString()));
        auto both = Royalties::settleDraft(db(), id("S"), {"Alpha", "Beta"}, "agreement", me);
        QVERIFY(!both.ok());
        QVERIFY2(both.errorString().contains("120.00 %"), qPrintable(both.errorString()));
        // Another key cannot settle a work it does not control: logged, never applied.
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        const QJsonObject settle{
            {"asset", id("S")}, {"keep", QJsonArray{"Alpha"}}, {"reason", "mine"}};
        ledger::Entry e{peer.publicKey,         1, ledger::Hash{}, 1000, kinds::WorkSettled,
                        Portfolio::body(settle)};
        auto accepted = m_ws->store().accept({ledger::signEntry(e, peer.secretKey).bytes},
                                             m_ws->identity().keys, Projection::applier());
        QVERIFY(accepted.ok());
        QVERIFY2(accepted->at(0).reason.contains("controls"), qPrintable(accepted->at(0).reason));
        QCOMPARE(Royalties::disputes(db()).size(), 2);
        QVERIFY(Royalties::settlements(db()).isEmpty());

        // Settled by the controller: Beta's 70 % stand, Alpha's claim is withdrawn, the disputes
        // close, and the run pays Beta and holds the unclaimed 30 %.
        auto draft = Royalties::settleDraft(db(), id("S"), {"Beta"}, "agreement of 2026-11-30", me);
        QVERIFY2(draft.ok(), qPrintable(draft.errorString()));
        QVERIFY(m_ws->append({draft.value()}).ok());
        QVERIFY(Royalties::disputes(db()).isEmpty());
        const QList<Settlement> settled = Royalties::settlements(db());
        QCOMPARE(settled.size(), 1);
        QCOMPARE(settled[0].kept, QStringList{"Beta"});
        QCOMPARE(settled[0].dropped, QStringList{"Alpha"});
        QCOMPARE(settled[0].disputes.size(), 2);
        sources = Royalties::sources(db(), id("S"));
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].source, QStringLiteral("Beta"));
        r = run("2026-Q3", {{"S", 100000}});
        QCOMPARE(paid(r, "Beta Music"), 70000);
        QCOMPARE(paid(r, "Alpha Music"), -1);
        QCOMPARE(r.currencies["EUR"].held, 30000);
        checkBalanced(r);
        // Nothing left to settle; a rebuild comes out the same.
        QCOMPARE(Royalties::settleDraft(db(), id("S"), {"Beta"}, "again", me).error().code,
                 QStringLiteral("no-dispute"));
        QVERIFY(Projection::rebuild(m_ws->store(), me).ok());
        QVERIFY(Royalties::disputes(db()).isEmpty());
        QCOMPARE(Royalties::settlements(db()).size(), 1);
        QCOMPARE(paid(run("2026-Q3", {{"S", 100000}}), "Beta Music"), 70000);
    }

    void sharesAreSignedByTheController()
    {
        asset("S", "Writer One:10000");
        // A peer's key does not control S: its shares are refused, nothing is written.
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'm'));
        ledger::Hash prev{};
        const QJsonObject body{{"asset", id("S")},
                               {"source", "Mallory"},
                               {"shares", QJsonArray{QJsonObject{{"right", "performing"},
                                                                 {"party", "Mallory"},
                                                                 {"ipi", ""},
                                                                 {"role", "publisher"},
                                                                 {"basisPoints", 10000}}}},
                               {"titles", QJsonArray{}}};
        ledger::Entry e{peer.publicKey, 1, prev, 1000, kinds::WorkShares, Portfolio::body(body)};
        const auto s = ledger::signEntry(e, peer.secretKey);
        auto r = m_ws->store().accept({s.bytes}, m_ws->identity().keys, Projection::applier());
        QVERIFY(r.ok());
        // Logged as evidence with its reason, never applied.
        QVERIFY2(r->at(0).reason.contains("controls"), qPrintable(r->at(0).reason));
        QVERIFY(Royalties::workShares(db(), id("S"), rights::Performing).isEmpty());
    }

    void usageIsMatchedAgainWhenWorksAreRegistered()
    {
        // Usage reported before its works were registered stays unmatched until they are; a
        // registration (by command, in any batch) matches it, and a second work with the same
        // title and creator makes the title match ambiguous again.
        const QString csv = testutil::writeFile(
            m_dir.path(), QUuid::createUuid().toString(QUuid::Id128) + ".csv",
            "period,licensee,territory,work,title,creator,units,amount,currency\n"
            "2026-07,StreamCo,PT,ISWC:T-034.524.680-1,,,10,100.00,EUR\n"
            "2026-08,StreamCo,PT,,Saudade Nova,Maria Silva,3,30.00,EUR\n");
        auto imported = importUsage(*m_ws, csv, {});
        QVERIFY2(imported.ok(), qPrintable(imported.errorString()));
        QCOMPARE(Royalties::unmatchedGroups(db(), "2026-Q3"), 2);

        ok({{"command", "register-asset"},
            {"reference", "FADO-1"},
            {"title", "Fado of the River"},
            {"type", "copyright"},
            {"status", "active"},
            {"owners", "Ana:10000"},
            {"identifiers",
             QJsonArray{QJsonObject{{"scheme", "ISWC"}, {"value", "T0345246801"}}}}});
        QCOMPARE(Royalties::unmatchedGroups(db(), "2026-Q3"), 1);
        const QList<UnmatchedUsage> left = Royalties::unmatched(db(), "2026-Q3");
        QCOMPARE(left.size(), 1);
        QCOMPARE(left[0].key.title, QStringLiteral("Saudade Nova"));

        const QJsonObject saudade{{"command", "register-asset"},
                                  {"reference", "SAUDADE-1"},
                                  {"title", "Saudade Nova"},
                                  {"type", "copyright"},
                                  {"status", "active"},
                                  {"owners", "Ana:10000"},
                                  {"creators", QJsonArray{"Silva, Maria"}}};
        ok(saudade);
        QCOMPARE(Royalties::unmatchedGroups(db(), "2026-Q3"), 0);
        auto run = runDistribution(db(), "2026-Q3", rights::Performing, 0, m_ws->store().size());
        QVERIFY2(run.ok(), qPrintable(run.errorString()));
        QCOMPARE(run->holders.size(), 1);
        QCOMPARE(run->holders[0].holder, QStringLiteral("Ana"));
        QCOMPARE(run->holders[0].minor, 13000);

        QJsonObject second = saudade;
        second["reference"] = "SAUDADE-2";
        ok(second);
        const QList<UnmatchedUsage> ambiguous = Royalties::unmatched(db(), "2026-Q3");
        QCOMPARE(ambiguous.size(), 1);
        QCOMPARE(ambiguous[0].key.title, QStringLiteral("Saudade Nova"));
    }

    void reviewReadsOfARunAndItsUsage()
    {
        asset("SONG-1", "Ana:6000;Rui:4000");
        asset("SONG-2", "Rui:10000");
        // Half of SONG-2 registered by a CWR sender: the other half is unclaimed and held.
        QVERIFY(m_ws->append({testutil::publisherShares(id("SONG-2"), "Alpha", 5000)}).ok());
        const QString csv = testutil::writeFile(
            m_dir.path(), QUuid::createUuid().toString(QUuid::Id128) + ".csv",
            "period,licensee,territory,work,title,creator,units,amount,currency,right\n"
            "2026-07,StreamCo,PT,SONG-1,,,10,100.00,EUR,\n"
            "2026-08,StreamCo,ES,SONG-1,,,5,50.00,EUR,\n"
            "2026-09,StreamCo,PT,,Saudade Nova,Maria Silva,3,30.00,EUR,\n"
            "2026-09,StreamCo,BR,,Fado Novo,Rui,1,0.50,EUR,\n"
            "2026-Q3,RadioCo,PT,SONG-2,,,1,10.00,EUR,\n"
            "2026-09,StreamCo,PT,SONG-1,,,1,99.00,EUR,mechanical\n"
            "2026-10,StreamCo,PT,SONG-1,,,1,77.00,EUR,\n");
        auto imported = importUsage(*m_ws, csv, {});
        QVERIFY2(imported.ok(), qPrintable(imported.errorString()));

        // Revenue of the quarter's performing usage: by territory, largest first; by month, the
        // quarter's own lines last; the unmatched part of each; other rights and periods left out.
        const QList<RevenueBucket> territories =
            Royalties::revenueByTerritory(db(), "2026-Q3", rights::Performing);
        QCOMPARE(territories.size(), 3);
        QCOMPARE(territories[0].key, QStringLiteral("PT"));
        QCOMPARE(territories[0].amountMicro, 140'000'000);
        QCOMPARE(territories[0].unmatchedMicro, 30'000'000);
        QCOMPARE(territories[0].lines, 3);
        QCOMPARE(territories[1].key, QStringLiteral("ES"));
        QCOMPARE(territories[1].unmatchedMicro, 0);
        QCOMPARE(territories[2].key, QStringLiteral("BR"));
        QCOMPARE(territories[2].amountMicro, 500'000);
        QStringList months;
        for (const RevenueBucket &b :
             Royalties::revenueByMonth(db(), "2026-Q3", rights::Performing))
            months << QStringLiteral("%1 %2 %3")
                          .arg(b.key, microAmount(b.amountMicro), microAmount(b.unmatchedMicro));
        QCOMPARE(months,
                 QStringList({"2026-07 100.000000 0.000000", "2026-08 50.000000 0.000000",
                              "2026-09 30.500000 30.500000", "2026-Q3 10.000000 0.000000"}));
        QCOMPARE(Royalties::revenueByMonth(db(), "2026-09", rights::Mechanical).size(), 1);
        QVERIFY(Royalties::revenueByTerritory(db(), "2026-Q2", rights::Performing).isEmpty());

        // The unmatched queue, largest first, a page of it, and how many groups it has.
        QCOMPARE(Royalties::unmatchedGroups(db(), "2026-Q3"), 2);
        QCOMPARE(Royalties::unmatched(db(), "2026-Q3").size(), 2);
        const QList<UnmatchedUsage> top = Royalties::unmatched(db(), "2026-Q3", 1);
        QCOMPARE(top.size(), 1);
        QCOMPARE(top[0].key.title, QStringLiteral("Saudade Nova"));
        QCOMPARE(top[0].amountMicro, 30'000'000);
        QCOMPARE(Royalties::unmatchedGroups(db(), "2026-10"), 0);

        // Review by work: what each work's usage sent to holders and what it held, exactly.
        auto run = runDistribution(db(), "2026-Q3", rights::Performing, 0, m_ws->store().size());
        QVERIFY2(run.ok(), qPrintable(run.errorString()));
        const QList<RunWork> works = runWorks(db(), run.value());
        QCOMPARE(works.size(), 2);
        QVERIFY2(works[0].work.startsWith("SONG-1"), qPrintable(works[0].work));
        QCOMPARE(fineText(works[0].toHolders), QStringLiteral("150"));
        QCOMPARE(works[0].held, Fine(0));
        QCOMPARE(works[0].holders, 2);
        QVERIFY(works[1].work.startsWith("SONG-2"));
        QCOMPARE(fineText(works[1].toHolders), QStringLiteral("5"));
        QCOMPARE(fineText(works[1].held), QStringLiteral("5"));
        QCOMPARE(works[1].holders, 1);
        // The parts of a work sum to what it sent, and each has its way; held comes last.
        const QList<Flow> flows = workFlows(db(), run.value(), works[1].work);
        QCOMPARE(flows.size(), 2);
        QCOMPARE(flows[0].holder, QStringLiteral("Alpha Music"));
        QCOMPARE(flows[1].holder, QString());
        QVERIFY2(flows[1].path.last().startsWith("held: "), qPrintable(flows[1].path.join(" | ")));
        QCOMPARE(flows[0].amount + flows[1].amount, works[1].toHolders + works[1].held);
        QVERIFY(workFlows(db(), run.value(), "NOT A WORK").isEmpty());
    }

    void approvalIsImmutableAndCorrectionsNameIt()
    {
        asset("W", "Xavier:10000");
        auto first = runDistribution(db(), "2026-Q3", rights::Performing, 0, m_ws->store().size());
        QVERIFY2(first.ok(), qPrintable(first.errorString()));
        const QString sha(64, u'a');
        auto draft = approvalDraft(db(), first.value(), m_ws->store().size(), sha);
        QVERIFY2(draft.ok(), qPrintable(draft.errorString()));
        QVERIFY(m_ws->append({draft.value()}).ok());
        QVERIFY(latestRun(db(), "2026-Q3", rights::Performing)->approvedAt > 0);
        // Approving the same run again, or a run computed before the ledger grew, is refused.
        auto again = approvalDraft(db(), *storedRun(db(), first->id), m_ws->store().size(), sha);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("approved-run"));
        auto second = runDistribution(db(), "2026-Q3", rights::Performing, 0, m_ws->store().size());
        QVERIFY(second.ok());
        QVERIFY(second->correctsApproval > 0);
        asset("X", "Yusuf:10000");
        auto stale = approvalDraft(db(), second.value(), m_ws->store().size(), sha);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, QStringLiteral("stale-run"));
        // A hand-made approval that does not name the earlier one is refused by the rule.
        QJsonObject body = QJsonDocument::fromJson(draft->body).object();
        body["run"] = "forged";
        const auto refused = m_ws->append({ledger::Draft{
            kinds::RoyaltyApproved, QJsonDocument(body).toJson(QJsonDocument::Compact), 0}});
        QVERIFY(!refused);
        QVERIFY2(refused.errorString().contains("cannot change"),
                 qPrintable(refused.errorString()));
        // A correction names it and is accepted.
        auto third = runDistribution(db(), "2026-Q3", rights::Performing, 0, m_ws->store().size());
        auto correction = approvalDraft(db(), third.value(), m_ws->store().size(), sha);
        QVERIFY(correction.ok());
        QVERIFY(QJsonDocument::fromJson(correction->body).object().value("corrects").toInteger() >
                0);
        QVERIFY(m_ws->append({correction.value()}).ok());
    }
};

QTEST_GUILESS_MAIN(TestRoyalties)
#include "tst_royalties.moc"
