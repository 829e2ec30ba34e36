// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage: every licence and derivation rule with its must-fail case, royalty stacks under both
// policies, revocation and lapse reaching descendants, peers' entries, rebuilds, ODRL and reports.
#include "ledger/verifier.h"
#include "model/core/money.h"
#include "model/io/demo.h"
#include "model/io/lineageexport.h"
#include "model/lineage/lineage.h"
#include "model/lineage/royaltystack.h"
#include "model/portfolio/portfolio.h"
#include "model/workspace/commands.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"
#include "modeltestutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace cartulary;
using namespace cartulary::model;
using cartulary::testutil::line;

namespace {

constexpr auto Org = "Meridian Biotech GmbH";

QStringList dump(sql::Database &db)
{
    return testutil::dumpTables(db, {"assets", "asset_assignments", "licences", "licence_assets",
                                     "derivations", "derivation_approvals"});
}

} // namespace

class TestLineage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

    sql::Database &db() { return m_ws->store().database(); }

    QString apply(const QByteArray &jsonl)
    {
        auto written = applyJsonLines(*m_ws, jsonl);
        return written ? QString() : written.errorString();
    }

    void ok(const QJsonObject &command) { QCOMPARE(apply(line(command)), QString()); }

    void refused(const QJsonObject &command, const QStringList &needles)
    {
        const quint64 before = m_ws->store().size();
        const QStringList tables = dump(db());
        const QString error = apply(line(command));
        QVERIFY2(!error.isEmpty(), line(command).constData());
        for (const QString &n : needles)
            QVERIFY2(error.contains(n), qPrintable(error + " -- lacks: " + n));
        QCOMPARE(m_ws->store().size(), before);
        QCOMPARE(dump(db()), tables);
    }

    /** An asset owned by owners ("Name:bp;Name:bp"). */
    void asset(const QString &ref, const QString &owners, const QString &type = "dataset",
               const QString &status = "active")
    {
        ok({{"command", "register-asset"},
            {"reference", ref},
            {"title", "Asset " + ref},
            {"type", type},
            {"jurisdiction", "DE"},
            {"status", status},
            {"owners", owners}});
    }

    static QJsonObject licence(const QString &ref, const QString &asset, const QString &licensor,
                               const QString &licensee, const QJsonObject &extra = {})
    {
        return testutil::licenceCommand(ref, asset, licensor, licensee, extra);
    }

    static QJsonObject derive(const QString &child, const QList<QPair<QString, QString>> &parents,
                              const QString &date = "2024-06-01", const QString &kind = "training")
    {
        return testutil::deriveCommand(child, parents, date, kind);
    }

    QString id(const QString &ref) { return Portfolio::asset(db(), ref)->id; }

    /** Signs an entry with a peer key (seq 1…) and offers it as a peer would. */
    ledger::AcceptResult fromPeer(const ledger::KeyPair &peer, quint64 seq, ledger::Hash &prev,
                                  const char *kind, const QJsonObject &body)
    {
        ledger::Entry e{peer.publicKey, seq, prev, qint64(1000 + seq), kind, Portfolio::body(body)};
        const auto s = ledger::signEntry(e, peer.secretKey);
        prev = s.hash;
        auto r = m_ws->store().accept({s.bytes}, m_ws->identity().keys, Projection::applier());
        if (!r)
            return {ledger::AcceptOutcome::Rejected, {}, 0, r.errorString()};
        return r->at(0);
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ws =
            std::make_unique<Workspace>(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(m_ws->create(Org, "lineage passphrase", ledger::KdfLimits::interactive()).ok());
    }

    void licenceTermsRoundTripAndRefuseNonsense()
    {
        asset("DS-1", "Biobank:10000");
        ok(licence("L-1", "DS-1", "Biobank", Org,
                   {{"royalty", "2.5%"},
                    {"policy", "relative"},
                    {"expires", "2029-12-31"},
                    {"territory", "DE;FR"},
                    {"spdx", "LicenseRef-Biobank-1.0"},
                    {"revocable_on", QJsonArray{"breach"}}}));
        const auto rec = Lineage::licence(db(), "L-1");
        QVERIFY(rec);
        QCOMPARE(rec->licence.payment.royaltyPpm, 25000);
        QCOMPARE(rec->licence.payment.policy, RoyaltyPolicy::Relative);
        QCOMPARE(rec->licence.territory, QStringList({"DE", "FR"}));
        QCOMPARE(rec->licence.assets, QStringList{id("DS-1")});
        QCOMPARE(rec->granter, m_ws->identity().keys.publicKey);
        QCOMPARE(Licence::fromJson(rec->licence.toJson()).value(), rec->licence);

        refused(licence("L-1", "DS-1", "Biobank", Org), {"reference", "L-1", "already exists"});
        refused(licence("L-2", "DS-9", "Biobank", Org), {"DS-9", "does not exist"});
        refused(licence("L-2", "DS-1", "Somebody", Org), {"licensor", "does not own", "Biobank"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"royalty", "101%"}}),
                {"royalty", "more than 100"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"royalty_ppm", 2.5}}), {"royalty_ppm"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"expires", "2023-12-31"}}),
                {"expires", "before the grant date"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"spdx", "MIT OR"}}),
                {"spdx", "not an SPDX licence expression"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"territory", "XX"}}), {"territory", "XX"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"colour", "blue"}}),
                {"colour", "unknown field"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"derivatives", "sometimes"}}),
                {"derivatives", "sometimes"});
        refused(licence("L-2", "DS-1", "Biobank", Org, {{"revocable_on", QJsonArray{"whim"}}}),
                {"revocable_on", "whim"});
        refused(licence("L-2", "DS-1", "Biobank", "Biobank"), {"licensee", "itself"});
        refused(licence("L-2", "DS-1", "Biobank", Org,
                        {{"derivatives", "prohibited"}, {"royalty", "1%"}}),
                {"royalty", "allows derivatives"});
    }

    void exclusiveLicencesCannotOverlap()
    {
        asset("P-1", QString(Org) + ":10000", "patent", "granted");
        ok(licence("EX-1", "P-1", Org, "Alpha AG",
                   {{"exclusive", true}, {"territory", "DE"}, {"expires", "2026-12-31"}}));
        // Same territory and term: refused, naming the licence in force.
        refused(licence("NX-1", "P-1", Org, "Beta AG", {{"territory", "DE;AT"}}),
                {"EX-1", "overlapping"});
        // Another territory, or after the term, or another field of use: allowed.
        ok(licence("NX-2", "P-1", Org, "Beta AG", {{"territory", "FR"}}));
        ok(licence("NX-3", "P-1", Org, "Gamma AG",
                   {{"granted", "2027-01-01"}, {"territory", "DE"}}));
        ok(licence("EX-2", "P-1", Org, "Delta AG",
                   {{"exclusive", true}, {"territory", "US"}, {"field", "veterinary"}}));
        ok(licence("NX-4", "P-1", Org, "Epsilon AG", {{"territory", "US"}, {"field", "human"}}));
        // A regional right covers its member states: EP includes DE, where EX-1 is exclusive.
        refused(licence("NX-5", "P-1", Org, "Eta AG", {{"territory", "EP"}}), {"EX-1"});
        ok(licence("NX-6", "P-1", Org, "Eta AG", {{"territory", "JP"}}));
        // Worldwide overlaps everything.
        refused(licence("EX-3", "P-1", Org, "Zeta AG", {{"exclusive", true}}), {"EX-1"});
    }

    void derivationNeedsAValidLicenceFromTheParentsOwner()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-1", QString(Org) + ":10000", "model");
        asset("M-2", QString(Org) + ":10000", "model");
        // No licence at all.
        refused(derive("M-1", {{"DS-1", ""}}), {"DS-1", "Biobank"});
        // A licence that does not cover the parent.
        asset("DS-2", "Biobank:10000");
        ok(licence("L-OTHER", "DS-2", "Biobank", Org));
        refused(derive("M-1", {{"DS-1", "L-OTHER"}}), {"does not cover", "DS-1"});
        // A licence to someone else.
        ok(licence("L-ELSE", "DS-1", "Biobank", "Another GmbH"));
        refused(derive("M-1", {{"DS-1", "L-ELSE"}}), {"granted to Another GmbH", "M-1"});
        // Outside its term.
        ok(licence("L-TERM", "DS-1", "Biobank", Org, {{"expires", "2024-03-31"}}));
        refused(derive("M-1", {{"DS-1", "L-TERM"}}, "2024-06-01"),
                {"L-TERM", "not valid on 2024-06-01"});
        refused(derive("M-1", {{"DS-1", "L-TERM"}}, "2023-12-31"), {"not valid on 2023-12-31"});
        ok(derive("M-1", {{"DS-1", "L-TERM"}}, "2024-02-01"));
        // Derivatives prohibited.
        ok(licence("L-NODERIV", "DS-1", "Biobank", Org, {{"derivatives", "prohibited"}}));
        refused(derive("M-2", {{"DS-1", "L-NODERIV"}}), {"does not allow derivatives"});
        // Approval needed, then given by the licensor.
        ok(licence("L-APPROVE", "DS-1", "Biobank", Org, {{"derivatives", "with-approval"}}));
        refused(derive("M-2", {{"DS-1", "L-APPROVE"}}), {"approval", "M-2"});
        refused({{"command", "approve-derivation"},
                 {"licence", "L-TERM"},
                 {"child", "M-2"},
                 {"date", "2024-05-01"}},
                {"only for licences"});
        ok({{"command", "approve-derivation"},
            {"licence", "L-APPROVE"},
            {"child", "M-2"},
            {"date", "2024-05-01"}});
        ok(derive("M-2", {{"DS-1", "L-APPROVE"}}));
        // Same owners need no licence.
        asset("M-3", QString(Org) + ":10000", "model");
        ok(derive("M-3", {{"M-1", ""}, {"M-2", ""}}, "2024-07-01", "composite"));
        QCOMPARE(Lineage::parents(db(), id("M-3")).size(), 2);
        // Recording the same link twice is refused.
        refused(derive("M-3", {{"M-1", ""}}), {"already recorded"});
    }

    void revokedLicenceCannotBeUsedAfterRevocation()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-1", QString(Org) + ":10000", "model");
        ok(licence("L-1", "DS-1", "Biobank", Org, {{"revocable_on", QJsonArray{"breach"}}}));
        ok({{"command", "revoke-licence"},
            {"licence", "L-1"},
            {"date", "2024-05-01"},
            {"reason", "breach"}});
        refused(derive("M-1", {{"DS-1", "L-1"}}, "2024-06-01"), {"revoked on 2024-05-01"});
        ok(derive("M-1", {{"DS-1", "L-1"}}, "2024-04-01"));
    }

    void malformedAndStaleReferencesAreRefused()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-1", QString(Org) + ":10000", "model");
        ok(licence("L-1", "DS-1", "Biobank", Org));
        QJsonObject d = derive("M-1", {{"DS-1", "L-1"}});
        d.insert("kind", "osmosis");
        refused(d, {"kind", "osmosis"});
        d = derive("M-1", {});
        refused(d, {"parents", "at least one"});
        refused(derive("M-1", {{"DS-1", "L-1"}, {"DS-1", "L-1"}}), {"named twice"});
        refused(derive("M-1", {{"DS-1", "L-404"}}), {"L-404", "does not exist"});
        refused(derive("M-1", {{"DS-404", ""}}), {"DS-404", "does not exist"});
        refused({{"command", "revoke-licence"},
                 {"licence", "L-404"},
                 {"reason", "breach"},
                 {"date", "2024-05-01"}},
                {"L-404", "does not exist"});
        refused({{"command", "revoke-licence"},
                 {"licence", "L-1"},
                 {"reason", "boredom"},
                 {"date", "2024-05-01"}},
                {"reason", "boredom"});
        refused({{"command", "assign"},
                 {"asset", "M-1"},
                 {"owners", QString(Org) + ":10000"},
                 {"date", "2024-05-01"}},
                {"already belongs"});
        // The licensor sold the parent after granting: its licence no longer comes from the owner.
        ok({{"command", "assign"},
            {"asset", "DS-1"},
            {"owners", "New Biobank Holding:10000"},
            {"date", "2024-03-01"}});
        refused(derive("M-1", {{"DS-1", "L-1"}}), {"Biobank", "does not own"});
        // A licence the peer signs for an id that is taken is refused by id.
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'q'));
        ledger::Hash prev{};
        auto r = fromPeer(peer, 1, prev, kinds::LicenceGranted,
                          Lineage::licence(db(), "L-1")->licence.toJson());
        QVERIFY2(r.reason.contains("already granted"), qPrintable(r.reason));
    }

    void noCycles()
    {
        for (const char *ref : {"A", "B", "C"})
            asset(ref, QString(Org) + ":10000");
        ok(derive("B", {{"A", ""}}));
        ok(derive("C", {{"B", ""}}));
        refused(derive("A", {{"C", ""}}), {"cycle", "2 generation"});
        refused(derive("A", {{"A", ""}}), {"from itself"});
        refused(derive("A", {{"B", ""}}), {"cycle"});
    }

    void parentsLicencesMustBeCompatible()
    {
        asset("DS-NC", "Uni:10000");
        asset("DS-C", "Biobank:10000");
        asset("DS-SA1", "Open:10000");
        asset("DS-SA2", "Other Open:10000");
        asset("DS-SA3", "Third Open:10000");
        for (const char *ref : {"M-1", "M-2", "M-3"})
            asset(ref, QString(Org) + ":10000", "model");
        ok(licence("L-NC", "DS-NC", "Uni", Org, {{"commercial", false}}));
        ok(licence("L-C", "DS-C", "Biobank", Org, {{"royalty", "3%"}}));
        ok(licence("L-SA1", "DS-SA1", "Open", Org,
                   {{"share_alike", true}, {"spdx", "CC-BY-SA-4.0"}}));
        ok(licence("L-SA2", "DS-SA2", "Other Open", Org,
                   {{"share_alike", true}, {"spdx", "ODbL-1.0"}}));
        ok(licence("L-SA3", "DS-SA3", "Third Open", Org,
                   {{"share_alike", true}, {"spdx", "CC-BY-SA-4.0"}}));
        // Commercial and non-commercial in one derivative: refused, naming both.
        refused(derive("M-1", {{"DS-NC", "L-NC"}, {"DS-C", "L-C"}}), {"L-C", "L-NC"});
        // Two reciprocal licences demanding different terms: refused.
        refused(derive("M-2", {{"DS-SA1", "L-SA1"}, {"DS-SA2", "L-SA2"}}),
                {"CC-BY-SA-4.0", "ODbL-1.0"});
        // The same reciprocal family: compatible.
        ok(derive("M-2", {{"DS-SA1", "L-SA1"}, {"DS-SA3", "L-SA3"}}));
        // A later derivation that adds an incompatible parent is refused too.
        ok(derive("M-3", {{"DS-C", "L-C"}}));
        refused(derive("M-3", {{"DS-NC", "L-NC"}}), {"L-C", "L-NC"});
    }

    void reciprocalAndNonCommercialTermsPropagate()
    {
        asset("DS-SA", "Open:10000");
        asset("DS-NC", "Uni:10000");
        asset("M-SA", QString(Org) + ":10000", "model");
        asset("M-SA2", QString(Org) + ":10000", "model");
        asset("M-NC", QString(Org) + ":10000", "model");
        ok(licence("L-SA", "DS-SA", "Open", Org,
                   {{"share_alike", true}, {"spdx", "CC-BY-SA-4.0"}}));
        ok(licence("L-NC", "DS-NC", "Uni", Org, {{"commercial", false}}));
        ok(derive("M-SA", {{"DS-SA", "L-SA"}}));
        ok(derive("M-SA2", {{"M-SA", ""}})); // same owners: inherits through the unlicensed link
        ok(derive("M-NC", {{"DS-NC", "L-NC"}}));
        // Licences granted on the derivatives must carry the inherited terms.
        refused(licence("OUT-1", "M-SA2", Org, "Customer AG"), {"L-SA", "CC-BY-SA-4.0"});
        refused(licence("OUT-1", "M-SA2", Org, "Customer AG",
                        {{"share_alike", true}, {"spdx", "GPL-3.0-only"}}),
                {"CC-BY-SA-4.0"});
        ok(licence("OUT-1", "M-SA2", Org, "Customer AG",
                   {{"share_alike", true}, {"spdx", "CC-BY-SA-4.0"}}));
        refused(licence("OUT-2", "M-NC", Org, "Customer AG"), {"non-commercial", "L-NC"});
        ok(licence("OUT-2", "M-NC", Org, "Customer AG", {{"commercial", false}}));
        // An asset already licensed out commercially cannot take a non-commercial parent.
        asset("M-OUT", QString(Org) + ":10000", "model");
        ok(licence("OUT-3", "M-OUT", Org, "Customer AG"));
        refused(derive("M-OUT", {{"DS-NC", "L-NC"}}), {"non-commercial", "OUT-3"});
    }

    void royaltyStackSumsAbsoluteAncestorsAndDirectRelativeParents()
    {
        // A -(abs 10 %)-> B -(rel 20 %)-> C -(abs 5 %)-> D
        asset("A", "Alpha:10000");
        asset("B", "Beta:10000");
        asset("C", "Gamma:10000");
        asset("D", "Delta:10000");
        ok(licence("L-AB", "A", "Alpha", "Beta", {{"royalty", "10%"}}));
        ok(licence("L-BC", "B", "Beta", "Gamma", {{"royalty", "20%"}, {"policy", "relative"}}));
        ok(licence("L-CD", "C", "Gamma", "Delta", {{"royalty", "5%"}}));
        ok(derive("B", {{"A", "L-AB"}}));
        ok(derive("C", {{"B", "L-BC"}}));
        ok(derive("D", {{"C", "L-CD"}}));
        const QDate today(2024, 12, 1);
        QCOMPARE(royaltyStack(db(), id("B"), today).totalPpm, 100000);
        QCOMPARE(royaltyStack(db(), id("C"), today).totalPpm, 300000);
        // D pays A's absolute 10 % and its own parent's 5 %; C pays B's relative share itself.
        const RoyaltyStack d = royaltyStack(db(), id("D"), today);
        QCOMPARE(d.totalPpm, 150000);
        QCOMPARE(d.shares.size(), 2);
        QCOMPARE(formatPpm(d.totalPpm), QStringLiteral("15.00 %"));
    }

    void royaltyStackOverOneHundredPercentIsRefused()
    {
        asset("A", "Alpha:10000");
        asset("B", "Beta:10000");
        asset("X", QString(Org) + ":10000");
        asset("Y", QString(Org) + ":10000");
        ok(licence("L-A", "A", "Alpha", Org, {{"royalty", "60%"}}));
        ok(licence("L-B", "B", "Beta", Org, {{"royalty", "40%"}}));
        ok(licence("L-B2", "B", "Beta", Org, {{"royalty", "40.0001%"}}));
        // Exactly 100 % is allowed.
        ok(derive("X", {{"A", "L-A"}, {"B", "L-B"}}, "2024-06-01", "composite"));
        QCOMPARE(royaltyStack(db(), id("X"), QDate(2024, 7, 1)).totalPpm, 1000000);
        // One ppm more is not, and the message names the assets and shares.
        refused(derive("Y", {{"A", "L-A"}, {"B", "L-B2"}}, "2024-06-01", "composite"),
                {"100.00 %", "L-A", "L-B2", "A (Asset A)"});
        // A link added upstream that pushes an existing descendant over 100 % is refused too.
        asset("Z", QString(Org) + ":10000");
        ok(derive("Z", {{"X", ""}}));
        asset("C", "Gamma:10000");
        ok(licence("L-C", "C", "Gamma", Org, {{"royalty", "1%"}}));
        refused(derive("X", {{"C", "L-C"}}), {"101.00 %"});
    }

    void revocationFollowsTheLicenceTerms()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-1", QString(Org) + ":10000", "model");
        asset("APP", QString(Org) + ":10000", "software");
        ok(licence("L-1", "DS-1", "Biobank", Org,
                   {{"royalty", "4%"}, {"revocable_on", QJsonArray{"change-of-control"}}}));
        ok(licence("L-FIXED", "DS-1", "Biobank", Org));
        ok(derive("M-1", {{"DS-1", "L-1"}}));
        ok(derive("APP", {{"M-1", ""}}));
        auto revoke = [](const char *licence, const char *reason, const char *date) {
            return QJsonObject{{"command", "revoke-licence"},
                               {"licence", licence},
                               {"reason", reason},
                               {"date", date}};
        };
        refused(revoke("L-FIXED", "breach", "2024-09-01"), {"cannot be revoked", "nothing"});
        refused(revoke("L-1", "breach", "2024-09-01"), {"only on change-of-control"});
        refused(revoke("L-1", "change-of-control", "2024-09-01"), {"no asset derived under it"});
        refused(revoke("L-1", "change-of-control", "2023-09-01"), {"before licence L-1"});
        // The licensee's derivative changes hands: now the licensor may revoke.
        ok({{"command", "assign"},
            {"asset", "M-1"},
            {"owners", "Acquirer Inc.:10000"},
            {"date", "2024-08-01"}});
        ok(revoke("L-1", "change-of-control", "2024-09-01"));
        refused(revoke("L-1", "change-of-control", "2024-10-01"), {"already revoked"});
        // The revocation reaches every descendant, with its effect on royalties.
        const QDate today(2024, 12, 1);
        for (const char *ref : {"M-1", "APP"}) {
            const auto flags = lineageFlags(db(), id(ref), today);
            QCOMPARE(flags.size(), 1);
            QCOMPARE(flags[0].kind, QStringLiteral("licence-revoked"));
            QVERIFY2(flags[0].message.contains("L-1") && flags[0].message.contains("2024-09-01"),
                     qPrintable(flags[0].message));
            QVERIFY2(flags[0].effect.contains("4.00 %"), qPrintable(flags[0].effect));
        }
        QVERIFY(lineageFlags(db(), id("APP"), today)[0].message.contains("via M-1"));
        // A revoked licence's share leaves the stack.
        QCOMPARE(royaltyStack(db(), id("APP"), today).totalPpm, 0);
    }

    void lapsedParentIsFlaggedOnEveryDescendant()
    {
        asset("P-1", "Genexa Corp.:10000", "patent", "granted");
        asset("DS-1", QString(Org) + ":10000");
        asset("M-1", QString(Org) + ":10000", "model");
        ok(licence("L-P", "P-1", "Genexa Corp.", Org, {{"royalty", "2%"}}));
        ok(derive("DS-1", {{"P-1", "L-P"}}, "2024-06-01", "improvement"));
        ok(derive("M-1", {{"DS-1", ""}}));
        const QDate today(2025, 3, 1);
        QVERIFY(lineageFlags(db(), id("M-1"), today).isEmpty());
        QCOMPARE(royaltyStack(db(), id("M-1"), today).activePpm, 20000);
        ok({{"command", "add-phase-event"},
            {"asset", "P-1"},
            {"event", "lapsed"},
            {"date", "2025-01-15"}});
        ok({{"command", "update-asset"}, {"asset", "P-1"}, {"status", "lapsed"}});
        for (const char *ref : {"DS-1", "M-1"}) {
            const auto flags = lineageFlags(db(), id(ref), today);
            QCOMPARE(flags.size(), 1);
            QCOMPARE(flags[0].kind, QStringLiteral("lapsed"));
            QCOMPARE(flags[0].since, QDate(2025, 1, 15));
            QVERIFY2(flags[0].effect.contains("2.00 %") && flags[0].effect.contains("2025-01-15"),
                     qPrintable(flags[0].effect));
        }
        const RoyaltyStack stack = royaltyStack(db(), id("M-1"), today);
        QCOMPARE(stack.totalPpm, 20000);
        QCOMPARE(stack.activePpm, 0);
        QVERIFY(stack.shares[0].inactiveWhy.contains("lapsed"));
        // An expired term counts as lapsed too.
        asset("P-2", "Other Corp.:10000", "patent", "granted");
        ok({{"command", "update-asset"},
            {"asset", "P-2"},
            {"filing_date", "2004-01-01"},
            {"expiry_date", "2024-01-01"}});
        asset("X", QString(Org) + ":10000");
        ok(licence("L-P2", "P-2", "Other Corp.", Org, {{"granted", "2020-01-01"}}));
        ok(derive("X", {{"P-2", "L-P2"}}, "2021-01-01"));
        QCOMPARE(lineageFlags(db(), id("X"), today).at(0).since, QDate(2024, 1, 1));
    }

    void assignmentIsSignedByTheCurrentOwner()
    {
        asset("M-1", QString(Org) + ":10000", "model");
        const ledger::KeyPair buyer = ledger::KeyPair::fromSeed(QByteArray(32, 'b'));
        refused({{"command", "assign"},
                 {"asset", "M-1"},
                 {"owners", "Buyer:9000"},
                 {"date", "2024-01-01"}},
                {"owners", "10,000"});
        refused({{"command", "assign"},
                 {"asset", "M-1"},
                 {"owners", "Buyer:10000"},
                 {"key", "abc"},
                 {"date", "2024-01-01"}},
                {"key", "64 hex"});
        ok({{"command", "assign"},
            {"asset", "M-1"},
            {"owners", "Buyer AG:10000"},
            {"key", ledger::toHex(buyer.publicKey)},
            {"date", "2024-01-01"}});
        QCOMPARE(Portfolio::asset(db(), "M-1")->owners.first().name, QStringLiteral("Buyer AG"));
        QCOMPARE(*Portfolio::controller(db(), id("M-1")), buyer.publicKey);
        // Our key no longer controls it.
        refused({{"command", "update-asset"}, {"asset", "M-1"}, {"title", "Renamed"}},
                {"may only be changed"});
        // The buyer's key does, through the peer path.
        ledger::Hash prev{};
        const auto r =
            fromPeer(buyer, 1, prev, kinds::AssetAssigned,
                     QJsonObject{{"asset", id("M-1")},
                                 {"owners", QJsonArray{QJsonObject{{"name", "Buyer Holding"},
                                                                   {"basis_points", 10000}}}},
                                 {"date", "2024-02-01"}});
        QCOMPARE(r.outcome, ledger::AcceptOutcome::Accepted);
        QVERIFY2(r.reason.isEmpty(), qPrintable(r.reason));
        QCOMPARE(Portfolio::asset(db(), "M-1")->owners.first().name,
                 QStringLiteral("Buyer Holding"));
    }

    void peersEntriesObeyTheSameRulesAndRebuildAgrees()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-1", QString(Org) + ":10000", "model");
        ok(licence("L-1", "DS-1", "Biobank", Org));
        ok(derive("M-1", {{"DS-1", "L-1"}}));
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        ledger::Hash prev{};
        // A peer may not license our asset…
        Licence stolen = Lineage::licence(db(), "L-1")->licence;
        stolen.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        stolen.reference = "L-STOLEN";
        auto r = fromPeer(peer, 1, prev, kinds::LicenceGranted, stolen.toJson());
        QCOMPARE(r.outcome, ledger::AcceptOutcome::Accepted); // logged as evidence…
        QVERIFY2(r.reason.contains("may only be licensed by its owner's key"),
                 qPrintable(r.reason));
        QVERIFY(!Lineage::licence(db(), "L-STOLEN")); // …never applied
        // …nor revoke our licence, nor record a derivation of our asset, nor create a cycle.
        r = fromPeer(
            peer, 2, prev, kinds::LicenceRevoked,
            Revocation{Lineage::licence(db(), "L-1")->licence.id, QDate(2024, 9, 1), "breach", {}}
                .toJson());
        QVERIFY2(r.reason.contains("licensor's key"), qPrintable(r.reason));
        r = fromPeer(
            peer, 3, prev, kinds::DerivationRecorded,
            Derivation{id("DS-1"), {{id("M-1"), {}}}, "cleaning", QDate(2024, 9, 1), {}, {}, {}}
                .toJson());
        QVERIFY2(r.reason.contains("owner's key"), qPrintable(r.reason));
        QCOMPARE(m_ws->store().rejectedCount(), 3u);
        QCOMPARE(Lineage::parents(db(), id("DS-1")).size(), 0);
        // A rebuild refuses them the same way and gives identical tables.
        const QStringList before = dump(db());
        const Status rebuilt = m_ws->rebuildProjection();
        QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.errorString()));
        QCOMPARE(dump(db()), before);
    }

    void demoLineageHasThreeGenerationsAndItsFlags()
    {
        QCOMPARE(apply(demoCommands(QDate(2026, 11, 22))), QString());
        const QDate today(2026, 11, 22);
        auto spec = lineageGraph(db(), "MBG-M003", {3, 500}, today);
        QVERIFY2(spec.ok(), qPrintable(spec.errorString()));
        QCOMPARE(spec->nodes.at(spec->focus).reference, QStringLiteral("MBG-M003"));
        int minDepth = 0;
        for (const GraphNode &n : spec->nodes)
            minDepth = std::min(minDepth, n.depth);
        QCOMPARE(minDepth, -3);
        QVERIFY(spec->edges.size() >= 7);
        int revoked = 0;
        for (const GraphEdge &e : spec->edges)
            revoked += e.revoked ? 1 : 0;
        QCOMPARE(revoked, 1);
        // The composite's flags: the revoked PGS-7 licence and the lapsed Genexa patent.
        const GraphNode &focus = spec->nodes.at(spec->focus);
        QCOMPARE(focus.flags.size(), 2);
        // A depth of 1 keeps only the parents and children.
        auto near = lineageGraph(db(), "MBG-M003", {1, 500}, today);
        QCOMPARE(near->nodes.size(), 4); // M003, M001, HLX-M007, S003
        // A cap keeps the nearest and counts the rest.
        auto capped = lineageGraph(db(), "MBG-M003", {-1, 3}, today);
        QCOMPARE(capped->nodes.size(), 3);
        QCOMPARE(capped->omitted, 5); // 7 reachable, 2 of them shown

        auto report = lineageReport(db(), "MBG-S003", -1, today);
        QVERIFY(report.ok());
        QCOMPARE(report->value("royalty_stack").toObject().value("total_ppm").toInteger(), 155000);
        QCOMPARE(report->value("royalty_stack").toObject().value("active_ppm").toInteger(), 135000);
        QCOMPARE(report->value("ancestors").toArray().size(), 7);
        QVERIFY(lineageText(report.value()).contains("Royalty stack: 15.50 %"));
        QVERIFY(!lineageReport(db(), "NOPE", -1, today).ok());
    }

    /** A sublicence command under a head licence (the head's licensee grants by default). */
    static QJsonObject sublicence(const QString &ref, const QString &head, const QString &licensee,
                                  QJsonObject extra = {})
    {
        QJsonObject c{
            {"command", "grant-licence"},   {"under", head},        {"reference", ref},
            {"title", "Sublicence " + ref}, {"licensee", licensee}, {"granted", "2024-02-01"},
            {"expires", "2027-12-31"},      {"territory", "DE"},    {"field", "genomics"}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            c.insert(it.key(), it.value());
        return c;
    }

    void sublicenceStaysWithinItsHead()
    {
        asset("DS-1", "Biobank:10000");
        asset("DS-2", "Biobank:10000");
        // Our key controls an asset Org owns: it speaks for Org, the head licences' licensee.
        asset("M-0", QString(Org) + ":10000", "model");
        const QJsonObject headTerms{{"sublicensing", true}, {"territory", "EP"},
                                    {"field", "genomics"},  {"expires", "2028-12-31"},
                                    {"royalty", "2%"},      {"revocable_on", QJsonArray{"breach"}}};
        ok(licence("H-1", "DS-1", "Biobank", Org, headTerms));
        ok(sublicence("S-1", "H-1", "Partner AG"));
        const auto s1 = Lineage::licence(db(), "S-1");
        QVERIFY(s1);
        QCOMPARE(s1->licence.under, Lineage::licence(db(), "H-1")->licence.id);
        QCOMPARE(s1->licence.licensor, QString(Org)); // the head's licensee, by default
        QCOMPARE(s1->licence.assets, QStringList{id("DS-1")});
        QCOMPARE(Lineage::chain(db(), "S-1").size(), 2);
        QCOMPARE(Lineage::sublicences(db(), s1->licence.under).size(), 1);
        QCOMPARE(licenceToOdrl(s1->licence).value("inheritFrom").toString(),
                 "urn:uuid:" + s1->licence.under);
        QVERIFY(!licenceToOdrl(Lineage::licence(db(), "H-1")->licence).contains("inheritFrom"));
        // A region within the head's region, the same field in other letters.
        ok(sublicence("S-2", "H-1", "Partner AG",
                      {{"territory", "BX"}, {"field", "Genomics"}, {"expires", "2028-12-31"}}));

        // Sublicensing not allowed by the head.
        QJsonObject closed = headTerms;
        closed.remove("sublicensing");
        ok(licence("H-CLOSED", "DS-1", "Biobank", Org, closed));
        refused(sublicence("S-X", "H-CLOSED", "Partner AG"),
                {"H-CLOSED", "does not allow sublicensing"});
        // Territory beyond the head's: another country, a region wider than it, the world.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"territory", "US"}}),
                {"territory", "US", "beyond the territory of H-1"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"territory", "WO"}}), {"H-1", "EP"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"territory", "worldwide"}}),
                {"worldwide", "H-1"});
        // Field beyond the head's: another field, or any field.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"field", "agriculture"}}),
                {"field", "agriculture", "genomics"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"field", QJsonValue::Null}}),
                {"field", "any field"});
        // Term beyond the head's: a later end, no end, or a grant before the head's.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"expires", "2029-06-30"}}),
                {"expires", "2028-12-31"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"expires", QJsonValue::Null}}),
                {"no end", "H-1"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"granted", "2023-06-01"}}),
                {"granted", "outside the term of H-1"});
        // Assets the head does not cover.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"asset", "DS-2"}}),
                {"DS-2", "not licensed under H-1"});
        // Exclusivity, non-commercial, share-alike and derivatives go no further than the head.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"exclusive", true}}),
                {"exclusive", "H-1 is non-exclusive"});
        QJsonObject nc = headTerms;
        nc.insert("commercial", false);
        ok(licence("H-NC", "DS-1", "Biobank", Org, nc));
        refused(sublicence("S-X", "H-NC", "Partner AG"), {"non-commercial", "H-NC"});
        ok(sublicence("S-NC", "H-NC", "Partner AG", {{"commercial", false}}));
        QJsonObject sa = headTerms;
        sa.insert("share_alike", true);
        sa.insert("spdx", "CC-BY-SA-4.0");
        ok(licence("H-SA", "DS-1", "Biobank", Org, sa));
        refused(sublicence("S-X", "H-SA", "Partner AG"), {"share-alike", "CC-BY-SA-4.0"});
        refused(sublicence("S-X", "H-SA", "Partner AG",
                           {{"share_alike", true}, {"spdx", "GPL-3.0-only"}}),
                {"CC-BY-SA-4.0"});
        ok(sublicence("S-SA", "H-SA", "Partner AG",
                      {{"share_alike", true}, {"spdx", "CC-BY-SA-4.0"}}));
        QJsonObject approve = headTerms;
        approve.insert("derivatives", "with-approval");
        ok(licence("H-APP", "DS-1", "Biobank", Org, approve));
        refused(sublicence("S-X", "H-APP", "Partner AG"), {"derivatives", "with-approval"});
        ok(sublicence("S-APP", "H-APP", "Partner AG", {{"derivatives", "prohibited"}}));
        // Granted by someone other than the head's licensee.
        refused(sublicence("S-X", "H-1", "Partner AG", {{"licensor", "Biobank"}}),
                {"licensor", "licensee", "Meridian"});
        // A head that does not exist.
        refused(sublicence("S-X", "H-404", "Partner AG"), {"under", "H-404", "does not exist"});
        // The head revoked on or before the sublicence's date.
        ok({{"command", "revoke-licence"},
            {"licence", "H-1"},
            {"date", "2024-05-01"},
            {"reason", "breach"}});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"granted", "2024-06-01"}}),
                {"H-1", "revoked on 2024-05-01"});
        refused(sublicence("S-X", "H-1", "Partner AG", {{"granted", "2024-05-01"}}),
                {"revoked on 2024-05-01"});
    }

    void sublicenceIsSignedByTheLicenseesKey()
    {
        asset("DS-1", "Biobank:10000");
        const ledger::KeyPair licensee = ledger::KeyPair::fromSeed(QByteArray(32, 'l'));
        // The head names its licensee's key: only that key may sublicense, not ours.
        ok(licence("H-KEY", "DS-1", "Biobank", "Keyholder AG",
                   {{"sublicensing", true}, {"licensee_key", ledger::toHex(licensee.publicKey)}}));
        refused(sublicence("S-X", "H-KEY", "Partner AG",
                           {{"territory", QJsonValue::Null},
                            {"field", QJsonValue::Null},
                            {"expires", QJsonValue::Null}}),
                {"must be signed by Keyholder AG's key", "licensee_key"});
        // The head names no key and our key controls nothing its licensee owns: refused too.
        ok(licence("H-NOKEY", "DS-1", "Biobank", "Stranger GmbH", {{"sublicensing", true}}));
        refused(sublicence("S-X", "H-NOKEY", "Partner AG",
                           {{"territory", QJsonValue::Null},
                            {"field", QJsonValue::Null},
                            {"expires", QJsonValue::Null}}),
                {"speaks for Stranger GmbH"});
        // Once our key controls an asset Stranger GmbH owns, it speaks for them.
        asset("ST-1", "Stranger GmbH:10000");
        ok(sublicence("S-NOKEY", "H-NOKEY", "Partner AG",
                      {{"territory", QJsonValue::Null},
                       {"field", QJsonValue::Null},
                       {"expires", QJsonValue::Null}}));
        // The licensee's own key, from its node: accepted and applied.
        Licence sub;
        sub.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        sub.reference = "S-KEY";
        sub.title = "Sublicence by the key holder";
        sub.licensor = "Keyholder AG";
        sub.licensee = "Partner AG";
        sub.assets = {id("DS-1")};
        sub.granted = QDate(2024, 3, 1);
        sub.under = Lineage::licence(db(), "H-KEY")->licence.id;
        ledger::Hash prev{};
        auto r = fromPeer(licensee, 1, prev, kinds::LicenceGranted, sub.toJson());
        QCOMPARE(r.outcome, ledger::AcceptOutcome::Accepted);
        QVERIFY2(r.reason.isEmpty(), qPrintable(r.reason));
        QCOMPARE(Lineage::licence(db(), "S-KEY")->granter, licensee.publicKey);
        // A third key, even with the right names, is refused.
        const ledger::KeyPair other = ledger::KeyPair::fromSeed(QByteArray(32, 'o'));
        sub.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        sub.reference = "S-OTHER";
        ledger::Hash otherPrev{};
        r = fromPeer(other, 1, otherPrev, kinds::LicenceGranted, sub.toJson());
        QVERIFY2(r.reason.contains("licensee_key"), qPrintable(r.reason));
        QVERIFY(!Lineage::licence(db(), "S-OTHER"));
    }

    void sublicenceRoyaltiesFlowUpAndStopWithTheHead()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-0", QString(Org) + ":10000", "model");
        asset("P-M", "Partner AG:10000", "model");
        asset("P-APP", "Partner AG:10000", "software");
        ok(licence("H-1", "DS-1", "Biobank", Org,
                   {{"sublicensing", true},
                    {"royalty", "2%"},
                    {"policy", "absolute"},
                    {"revocable_on", QJsonArray{"breach"}}}));
        ok(sublicence("S-1", "H-1", "Partner AG",
                      {{"royalty", "3%"},
                       {"policy", "relative"},
                       {"territory", QJsonValue::Null},
                       {"field", QJsonValue::Null},
                       {"expires", QJsonValue::Null}}));
        // The derivative is made under the sublicence: its licensee holds it.
        ok(derive("P-M", {{"DS-1", "S-1"}}));
        ok(derive("P-APP", {{"P-M", ""}}, "2024-07-01", "improvement"));
        const QDate today(2024, 8, 1);
        // Both shares: the sublicence's (to us, relative: the direct child pays) and the head's
        // (to the biobank, absolute: every descendant pays).
        const RoyaltyStack stack = royaltyStack(db(), id("P-M"), today);
        QCOMPARE(stack.totalPpm, 50000);
        QCOMPARE(stack.activePpm, 50000);
        QCOMPARE(stack.shares.size(), 2);
        QCOMPARE(stack.shares[0].licenceReference, QStringLiteral("S-1"));
        QCOMPARE(stack.shares[0].licensor, QString(Org));
        QCOMPARE(stack.shares[1].licenceReference, QStringLiteral("H-1"));
        QCOMPARE(stack.shares[1].licensor, QStringLiteral("Biobank"));
        QCOMPARE(stack.shares[1].sublicenceReference, QStringLiteral("S-1"));
        QCOMPARE(royaltyStack(db(), id("P-APP"), today).totalPpm, 20000);
        // The sublicence shows in the report, the text, PROV and the graph.
        const auto report = lineageReport(db(), "P-M", -1, today);
        QVERIFY(report.ok());
        const QJsonObject edge = report->value("edges").toArray().at(0).toObject();
        QCOMPARE(edge.value("licence").toObject().value("under").toString(), QStringLiteral("H-1"));
        QCOMPARE(edge.value("licence")
                     .toObject()
                     .value("heads")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("licensor")
                     .toString(),
                 QStringLiteral("Biobank"));
        const QJsonArray shares =
            report->value("royalty_stack").toObject().value("shares").toArray();
        QCOMPARE(shares.at(1).toObject().value("sublicence").toString(), QStringLiteral("S-1"));
        const QString text = lineageText(report.value());
        QVERIFY2(
            text.contains("S-1 3.00 % relative (Meridian Biotech GmbH → Partner AG) under H-1"),
            qPrintable(text));
        QVERIFY2(text.contains("through sublicence S-1"), qPrintable(text));
        const auto prov = lineageProv(db(), "P-M", -1);
        QVERIFY(prov.ok());
        QStringList under;
        for (const QJsonValue &d : prov->value("wasDerivedFrom").toObject())
            if (d.toObject().value("cartulary:licence").toString() == u"S-1")
                under.append(d.toObject().value("cartulary:underLicence").toString());
        QCOMPARE(under, QStringList{"H-1"});
        QVERIFY(QJsonDocument(prov.value()).toJson().contains("cartulary:headLicensor"));
        const auto graph = lineageGraph(db(), "P-M", {1, 50}, today);
        QVERIFY(graph.ok());
        QCOMPARE(graph->edges.size(), 2);
        QCOMPARE(graph->edges.at(0).headReference, QStringLiteral("H-1"));

        // The head is revoked: the sublicence stops with it, its descendants are flagged and
        // both shares leave the stack.
        ok({{"command", "revoke-licence"},
            {"licence", "H-1"},
            {"date", "2024-09-01"},
            {"reason", "breach"}});
        const QDate later(2024, 12, 1);
        for (const char *ref : {"P-M", "P-APP"}) {
            const auto flags = lineageFlags(db(), id(ref), later);
            QCOMPARE(flags.size(), 1);
            QCOMPARE(flags[0].kind, QStringLiteral("licence-revoked"));
            QCOMPARE(flags[0].licenceId, Lineage::licence(db(), "H-1")->licence.id);
            QVERIFY2(flags[0].message.contains("H-1") && flags[0].message.contains("S-1") &&
                         flags[0].message.contains("stops with it"),
                     qPrintable(flags[0].message));
            QVERIFY2(flags[0].effect.contains("2.00 %"), qPrintable(flags[0].effect));
        }
        QCOMPARE(royaltyStack(db(), id("P-M"), later).totalPpm, 0);
        QVERIFY(lineageGraph(db(), "P-M", {1, 50}, later)->edges.at(0).revoked);
        // No new derivation under the stopped sublicence, no new sublicence under the head.
        asset("P-M2", "Partner AG:10000", "model");
        refused(derive("P-M2", {{"DS-1", "S-1"}}, "2024-10-01"),
                {"S-1", "H-1", "revoked on 2024-09-01"});
        ok(derive("P-M2", {{"DS-1", "S-1"}}, "2024-08-15"));
        // The rebuild refuses and applies the same way.
        const QStringList before = dump(db());
        QVERIFY(m_ws->rebuildProjection().ok());
        QCOMPARE(dump(db()), before);
    }

    void sublicenceSharesCountTowardsTheCap()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-0", QString(Org) + ":10000", "model");
        asset("P-M", "Partner AG:10000", "model");
        ok(licence("H-1", "DS-1", "Biobank", Org, {{"sublicensing", true}, {"royalty", "60%"}}));
        ok(sublicence("S-1", "H-1", "Partner AG",
                      {{"royalty", "40.0001%"},
                       {"territory", QJsonValue::Null},
                       {"field", QJsonValue::Null},
                       {"expires", QJsonValue::Null}}));
        refused(derive("P-M", {{"DS-1", "S-1"}}), {"100.00 %", "H-1", "S-1"});
        ok(sublicence("S-2", "H-1", "Partner AG",
                      {{"royalty", "40%"},
                       {"territory", QJsonValue::Null},
                       {"field", QJsonValue::Null},
                       {"expires", QJsonValue::Null}}));
        ok(derive("P-M", {{"DS-1", "S-2"}}));
        QCOMPARE(royaltyStack(db(), id("P-M"), QDate(2024, 7, 1)).totalPpm, 1000000);
    }

    void sublicenceNeedsEveryApprovalAndTheOwnersLicensor()
    {
        asset("DS-1", "Biobank:10000");
        asset("M-0", QString(Org) + ":10000", "model");
        asset("P-M", "Partner AG:10000", "model");
        ok(licence("H-1", "DS-1", "Biobank", Org,
                   {{"sublicensing", true}, {"derivatives", "with-approval"}}));
        ok(sublicence("S-1", "H-1", "Partner AG",
                      {{"derivatives", "with-approval"},
                       {"territory", QJsonValue::Null},
                       {"field", QJsonValue::Null},
                       {"expires", QJsonValue::Null}}));
        // The sublicensor approves under its sublicence; the head's licensor has not yet.
        ok({{"command", "approve-derivation"},
            {"licence", "S-1"},
            {"child", "P-M"},
            {"date", "2024-05-01"}});
        refused(derive("P-M", {{"DS-1", "S-1"}}), {"H-1", "Biobank's approval", "P-M"});
        ok({{"command", "approve-derivation"},
            {"licence", "H-1"},
            {"child", "P-M"},
            {"date", "2024-05-01"}});
        ok(derive("P-M", {{"DS-1", "S-1"}}));
        // The head's licensor sold the parent: a sublicence under it no longer comes from the
        // owner.
        asset("P-M3", "Partner AG:10000", "model");
        ok({{"command", "assign"},
            {"asset", "DS-1"},
            {"owners", "New Biobank:10000"},
            {"date", "2024-06-01"}});
        refused(derive("P-M3", {{"DS-1", "S-1"}}), {"sublicence S-1", "Biobank", "does not own"});
    }

    void derivationTerritoryAndFieldLieWithinTheLicence()
    {
        asset("DS-1", "Biobank:10000");
        for (const char *ref : {"M-1", "M-2", "M-3"})
            asset(ref, QString(Org) + ":10000", "model");
        ok(licence("L-1", "DS-1", "Biobank", Org,
                   {{"territory", "EP"}, {"field", "genomic research"}}));
        ok(licence("L-WORLD", "DS-1", "Biobank", Org));
        // Outside the licence: another country, the world, another field.
        QJsonObject d = derive("M-1", {{"DS-1", "L-1"}});
        d.insert("territory", "US;DE");
        refused(d, {"territory", "US;DE", "beyond the territory of licence L-1", "EP"});
        d.insert("territory", "worldwide");
        refused(d, {"WO", "L-1"});
        d = derive("M-1", {{"DS-1", "L-1"}});
        d.insert("field", "agriculture");
        refused(d, {"field", "agriculture", "genomic research"});
        // Malformed.
        d.insert("field", 3);
        refused(d, {"field", "must be text"});
        d = derive("M-1", {{"DS-1", "L-1"}});
        d.insert("territory", "XX");
        refused(d, {"territory", "XX"});
        // Within: a member state of EP, the same field in other letters; stored and reported.
        d = derive("M-1", {{"DS-1", "L-1"}});
        d.insert("territory", "DE;FR");
        d.insert("field", "Genomic Research");
        ok(d);
        const DerivationLink link = Lineage::parents(db(), id("M-1")).at(0);
        QCOMPARE(link.territory, QStringList({"DE", "FR"}));
        QCOMPARE(link.field, QStringLiteral("Genomic Research"));
        const auto report = lineageReport(db(), "M-1", -1, QDate(2024, 7, 1));
        const QJsonObject edge = report->value("edges").toArray().at(0).toObject();
        QCOMPARE(edge.value("territory").toArray().size(), 2);
        QCOMPARE(edge.value("field").toString(), QStringLiteral("Genomic Research"));
        // A worldwide licence for any field holds anything; not stated, nothing is checked.
        d = derive("M-2", {{"DS-1", "L-WORLD"}});
        d.insert("territory", "worldwide");
        d.insert("field", "veterinary");
        ok(d);
        ok(derive("M-3", {{"DS-1", "L-1"}}));
        QVERIFY(Lineage::parents(db(), id("M-3")).at(0).territory.isEmpty());
        // A derivation without territory or field keeps the body it always had.
        QJsonObject body = derive("M-3", {{"DS-1", "L-1"}});
        body.remove("command");
        QCOMPARE(Derivation::fromJson(body).value().toJson().keys(),
                 QStringList({"child", "date", "kind", "parents"}));
    }

    void demoLoadsUnderAnyName()
    {
        // An identity with a name of its own (an accent, a space), not the demo's.
        const QString name = QStringLiteral("Équipe Recherche Nord");
        m_ws =
            std::make_unique<Workspace>(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(m_ws->create(name, "lineage passphrase", ledger::KdfLimits::interactive()).ok());
        const QDate today(2026, 11, 22);
        QCOMPARE(apply(demoCommands(today, m_ws->organisationName())), QString());
        // The organisation's own assets carry its name; third parties keep theirs.
        const auto m003 = Portfolio::asset(db(), "MBG-M003");
        QCOMPARE(m003->owners.size(), 1);
        QCOMPARE(m003->owners.first().name, name);
        const auto ds001 = Portfolio::asset(db(), "MBG-DS001");
        QCOMPARE(ds001->owners.size(), 2);
        QCOMPARE(ds001->owners.at(0).name, name);
        QCOMPARE(ds001->owners.at(1).name, QStringLiteral("Universität Heidelberg"));
        const auto lic = Lineage::licence(db(), "LIC-2023-014");
        QCOMPARE(lic->licence.licensee, name);
        QCOMPARE(lic->licence.licensor, QStringLiteral("Universität Heidelberg"));
        // The lineage is the demo's, whatever the name.
        auto report = lineageReport(db(), "MBG-S003", -1, today);
        QVERIFY(report.ok());
        QCOMPARE(report->value("royalty_stack").toObject().value("total_ppm").toInteger(), 155000);
        QCOMPARE(report->value("ancestors").toArray().size(), 7);
        QCOMPARE(lineageFlags(db(), id("MBG-M003"), today).size(), 2);
        // The sublicence is the organisation's; the head licence's share is owed through it.
        const auto sub = Lineage::licence(db(), "LIC-2025-014");
        QCOMPARE(sub->licence.licensor, name);
        QCOMPARE(sub->licence.licensee, QStringLiteral("Helix Therapeutics Inc."));
        const RoyaltyStack partner = royaltyStack(db(), id("HLX-M012"), today);
        QCOMPARE(partner.totalPpm, 60000);
        QCOMPARE(partner.shares.size(), 2);
        QCOMPARE(partner.shares.at(1).licenceReference, QStringLiteral("LIC-2024-003"));
        QCOMPARE(Lineage::parents(db(), id("HLX-M012")).at(0).field,
                 QStringLiteral("variant interpretation"));
        const QStringList before = dump(db());
        QVERIFY(m_ws->rebuildProjection().ok());
        QCOMPARE(dump(db()), before);
        const auto verified = ledger::Verifier::run(m_ws->databasePath(), m_ws->nodeKey(), {});
        QVERIFY2(verified.ok, qPrintable(verified.summary()));

        // An organisation that has a third party's name: the third party is told apart.
        m_ws =
            std::make_unique<Workspace>(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(
            m_ws->create("CardioSoft AG", "lineage passphrase", ledger::KdfLimits::interactive())
                .ok());
        QCOMPARE(apply(demoCommands(today, m_ws->organisationName())), QString());
        QCOMPARE(Lineage::licence(db(), "LIC-2025-009")->licence.licensee,
                 QStringLiteral("CardioSoft AG (partner)"));
        QCOMPARE(Lineage::licence(db(), "LIC-2025-009")->licence.licensor,
                 QStringLiteral("CardioSoft AG"));
    }

    void odrlExpressesTheTerms()
    {
        asset("DS-1", "Biobank:10000");
        ok(licence("L-1", "DS-1", "Biobank", Org,
                   {{"royalty", "4%"},
                    {"commercial", false},
                    {"share_alike", true},
                    {"spdx", "CC-BY-NC-SA-4.0"},
                    {"derivatives", "with-approval"},
                    {"attribution", true},
                    {"territory", "DE"},
                    {"expires", "2030-01-01"},
                    {"upfront_minor", 125000}}));
        const QJsonObject odrl = licenceToOdrl(Lineage::licence(db(), "L-1")->licence);
        QCOMPARE(odrl.value("@type").toString(), QStringLiteral("Agreement"));
        QCOMPARE(odrl.value("@context").toArray().at(0).toString(),
                 QStringLiteral("http://www.w3.org/ns/odrl.jsonld"));
        QVERIFY(odrl.value("uid").toString().startsWith("urn:uuid:"));
        QStringList permitted, prohibited, duties;
        for (const QJsonValue &p : odrl.value("permission").toArray()) {
            permitted.append(p.toObject().value("action").toString());
            for (const QJsonValue &d : p.toObject().value("duty").toArray())
                duties.append(d.toObject().value("action").toString());
        }
        for (const QJsonValue &p : odrl.value("prohibition").toArray())
            prohibited.append(p.toObject().value("action").toString());
        QCOMPARE(permitted, QStringList({"use", "derive"}));
        QCOMPARE(prohibited, QStringList({"commercialize", "grantUse"}));
        QVERIFY(duties.contains("compensate") && duties.contains("nextPolicy") &&
                duties.contains("obtainConsent") && duties.contains("attribute"));
        const QByteArray text = QJsonDocument(odrl).toJson();
        QVERIFY(text.contains("\"1250.00\""));
        QVERIFY(text.contains("\"spatial\""));
        QVERIFY(text.contains("40000"));
    }

    void spdxExpressionsAreChecked()
    {
        for (const char *good : {"MIT", "MIT OR (Apache-2.0 AND CC-BY-4.0)",
                                 "GPL-2.0-or-later WITH Classpath-exception-2.0", "LicenseRef-Acme",
                                 "GPL-2.0+", "(MIT)", ""})
            QVERIFY2(checkSpdxExpression(good).ok(), good);
        for (const char *bad : {"MIT OR", "(MIT", "AND MIT", "MIT MIT", "MIT WITH", "MIT)", "a b"})
            QVERIFY2(!checkSpdxExpression(bad).ok(), bad);
    }
};

QTEST_GUILESS_MAIN(TestLineage)
#include "tst_lineage.moc"
