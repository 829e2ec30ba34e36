// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio: commands, every refusal, authority, value-chain states, CSV import/export, deadlines,
// the demo, and rebuild-equals-original.
#include "ledger/verifier.h"
#include "model/io/demo.h"
#include "model/io/importer.h"
#include "model/portfolio/portfolio.h"
#include "model/workspace/commands.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"
#include "modeltestutil.h"

#include <QBuffer>
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

/** Every row of every read table, in a stable order. */
QStringList dump(sql::Database &db)
{
    return testutil::dumpTables(db,
                                {"assets", "asset_owners", "asset_jurisdictions", "phase_states",
                                 "phase_events", "deadline_rules", "documents"});
}

const QByteArray Header = "reference,title,type,jurisdiction,application_number,filing_date,"
                          "priority_date,grant_date,expiry_date,status,owners,creators,"
                          "identifiers,family\n";

} // namespace

class TestPortfolio : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

    /** Applies JSON lines like `cartulary apply` does; returns the error message or empty. */
    QString apply(const QByteArray &jsonl)
    {
        auto written = applyJsonLines(*m_ws, jsonl);
        return written ? QString() : written.errorString();
    }

    Result<ImportReport> importCsv(const QByteArray &csv)
    {
        QBuffer buffer;
        buffer.setData(csv);
        buffer.open(QIODevice::ReadOnly);
        return importAssetsCsv(*m_ws, buffer);
    }

    static QJsonObject patent(const QString &ref)
    {
        return {{"command", "register-asset"},
                {"reference", ref},
                {"title", "Thermostable polymerase variant"},
                {"type", "patent"},
                {"jurisdiction", "EP"},
                {"filing_date", "2021-03-15"},
                {"priority_date", "2020-03-16"},
                {"status", "pending"}};
    }

    /** Expects the command to be refused with a message containing every needle; nothing written.
     */
    void refused(const QByteArray &jsonl, const QStringList &needles)
    {
        const quint64 before = m_ws->store().size();
        const QString error = apply(jsonl);
        QVERIFY2(!error.isEmpty(), jsonl.constData());
        for (const QString &n : needles)
            QVERIFY2(error.contains(n), qPrintable(error + " lacks " + n));
        QCOMPARE(m_ws->store().size(), before);
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ws =
            std::make_unique<Workspace>(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(m_ws->create(Org, "portfolio passphrase", ledger::KdfLimits::interactive()).ok());
    }

    void registerAndUpdate()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        auto a = Portfolio::asset(m_ws->store().database(), "P-1");
        QVERIFY(a.has_value());
        QCOMPARE(a->owners, (QList<Owner>{{Org, 10000}}));
        QCOMPARE(a->jurisdictions, QStringList{"EP"});
        QCOMPARE(a->filing, QDate(2021, 3, 15));
        QCOMPARE(m_ws->store().entryAt(0)->kind, QByteArray("asset.registered"));

        QCOMPARE(apply(line({{"command", "update-asset"},
                             {"asset", "P-1"},
                             {"status", "granted"},
                             {"grant_date", "2023-05-02"}})),
                 QString());
        a = Portfolio::asset(m_ws->store().database(), a->id);
        QCOMPARE(a->status, QStringLiteral("granted"));
        QCOMPARE(a->grant, QDate(2023, 5, 2));
        QCOMPARE(a->title, QStringLiteral("Thermostable polymerase variant"));

        QCOMPARE(apply(line({{"command", "set-owners"},
                             {"asset", "P-1"},
                             {"owners", "Meridian Biotech GmbH:6000;Fraunhofer IZI:4000"}})),
                 QString());
        auto owners = m_ws->store().database().prepare(
            "SELECT name, basis_points FROM asset_owners ORDER BY name");
        QVERIFY(owners.next());
        QCOMPARE(owners.text(0), QStringLiteral("Fraunhofer IZI"));
        QCOMPARE(owners.int64(1), 4000);
    }

    void refusals()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        QJsonObject p = patent("P-2");
        p.insert("owners", "A:5000;B:4000");
        refused(line(p), {"line 1", "owners", "9,000", "10,000"});
        p = patent("P-2");
        p.insert("type", "patentish");
        refused(line(p), {"type", "patentish", "utility-model"});
        p = patent("P-2");
        p.insert("grant_date", "2020-01-01");
        refused(line(p), {"grant_date", "before filing_date"});
        p = patent("P-2");
        p.insert("jurisdiction", "XY");
        refused(line(p), {"jurisdiction", "XY"});
        p = patent("P-2");
        p.insert("status", "sleeping");
        refused(line(p), {"status", "sleeping"});
        p = patent("P-2");
        p.insert("filing_date", "2021-02-30");
        refused(line(p), {"filing_date", "2021-02-30", "YYYY-MM-DD"});
        p = patent("P-2");
        p.insert("colour", "blue");
        refused(line(p), {"colour", "unknown field"});
        refused(line(patent("P-1")), {"reference", "P-1", "already registered"});
        refused(line({{"command", "register-asset"}, {"title", "x"}, {"type", "patent"}}),
                {"reference", "required"});
        refused(line({{"command", "frobnicate"}}), {"command", "frobnicate"});
        refused("{not json\n", {"line 1", "column"});
        refused(line({{"command", "add-phase-event"},
                      {"asset", "P-404"},
                      {"event", "filed"},
                      {"date", "2021-01-01"}}),
                {"P-404", "does not exist"});
        refused(line({{"command", "add-phase-event"},
                      {"asset", "P-1"},
                      {"event", "teleported"},
                      {"date", "2021-01-01"}}),
                {"event", "teleported"});
        refused(line({{"command", "add-phase-event"},
                      {"asset", "P-1"},
                      {"event", "filed"},
                      {"date", "2021-01-01"},
                      {"actor", QJsonObject{{"kind", "wizard"}}}}),
                {"actor", "wizard"});
        refused(line({{"command", "set-phase-state"},
                      {"asset", "P-1"},
                      {"subphase", "prosecution"},
                      {"state", "half-done"}}),
                {"state", "half-done"});
    }

    void phaseEventOnInapplicableSubPhaseIsRefused()
    {
        QCOMPARE(apply(line({{"command", "register-asset"},
                             {"reference", "C-1"},
                             {"title", "Helix Dreams"},
                             {"type", "copyright"}})),
                 QString());
        refused(line({{"command", "add-phase-event"},
                      {"asset", "C-1"},
                      {"event", "filed"},
                      {"date", "2024-01-01"}}),
                {"prosecution", "does not apply", "C-1", "copyright"});
        refused(line({{"command", "set-phase-state"},
                      {"asset", "C-1"},
                      {"subphase", "maintenance"},
                      {"state", "in-progress"}}),
                {"maintenance", "does not apply"});
        // not-applicable on an inapplicable sub-phase is harmless and allowed.
        QCOMPARE(apply(line({{"command", "set-phase-state"},
                             {"asset", "C-1"},
                             {"subphase", "maintenance"},
                             {"state", "not-applicable"}})),
                 QString());
        // A type change that would orphan events is refused too.
        QCOMPARE(apply(line(patent("P-9")) + line({{"command", "add-phase-event"},
                                                   {"asset", "P-9"},
                                                   {"event", "filed"},
                                                   {"date", "2021-03-15"}})),
                 QString());
        refused(line({{"command", "update-asset"}, {"asset", "P-9"}, {"type", "software"}}),
                {"prosecution", "software"});
    }

    void jsonLinesAreAllOrNothing()
    {
        QByteArray file = "# a comment, then three good lines and a bad one\n";
        file += line(patent("P-1"));
        file += line({{"command", "add-phase-event"},
                      {"asset", "P-1"},
                      {"event", "filed"},
                      {"date", "2021-03-15"},
                      {"actor", QJsonObject{{"kind", "ip-office"}, {"name", "EPO"}}}});
        file += "\n";
        file += line(patent("P-2"));
        QJsonObject bad = patent("P-3");
        bad.insert("owners", QJsonArray{QJsonObject{{"name", "A"}, {"basis_points", 10001}}});
        file += line(bad);
        refused(file, {"line 6", "owners"});
        QCOMPARE(m_ws->store().size(), 0u);
        QVERIFY(!Portfolio::asset(m_ws->store().database(), "P-1"));
        // Without the bad line, all of it lands, the event on an asset of the same file included.
        file.chop(line(bad).size());
        QCOMPARE(apply(file), QString());
        QCOMPARE(m_ws->store().size(), 3u);
    }

    void valueChainStates()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        const auto a = *Portfolio::asset(m_ws->store().database(), "P-1");
        auto stateOf = [&](const QString &sub) {
            for (const auto &[id, s] : Portfolio::phaseStates(m_ws->store().database(), a))
                if (id == sub)
                    return s;
            return SubPhaseState::NotStarted;
        };
        QCOMPARE(stateOf("prosecution"), SubPhaseState::NotStarted);
        QCOMPARE(stateOf("distribution"), SubPhaseState::NotApplicable);
        QCOMPARE(Portfolio::currentPhase(m_ws->store().database(), a), Phase::Generation);
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "filed"},
                             {"date", "2021-03-15"}})),
                 QString());
        QCOMPARE(stateOf("prosecution"), SubPhaseState::InProgress);
        QCOMPARE(Portfolio::currentPhase(m_ws->store().database(), a), Phase::Protection);
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "granted"},
                             {"date", "2023-05-02"}})),
                 QString());
        QCOMPARE(stateOf("prosecution"), SubPhaseState::Done);
        QCOMPARE(apply(line({{"command", "set-phase-state"},
                             {"asset", "P-1"},
                             {"subphase", "monetization"},
                             {"state", "in-progress"}})),
                 QString());
        QCOMPARE(stateOf("monetization"), SubPhaseState::InProgress);
        auto phase = m_ws->store().database().prepare("SELECT current_phase FROM assets");
        QVERIFY(phase.next());
        QCOMPARE(phase.text(0), QStringLiteral("commercialization"));
    }

    void onlyTheControllerMayChangeAnAsset()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        const auto a = *Portfolio::asset(m_ws->store().database(), "P-1");
        // A peer signs an update of our asset: logged as evidence, never applied.
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        Asset changed = a;
        changed.title = "Stolen title";
        ledger::Entry e{
            peer.publicKey, 1, {}, 1, "asset.updated", Portfolio::body(changed.toJson())};
        const auto signedEntry = ledger::signEntry(e, peer.secretKey);
        auto r =
            m_ws->store().accept({signedEntry.bytes}, m_ws->identity().keys, Projection::applier());
        QVERIFY(r.ok());
        QCOMPARE(r->at(0).outcome, ledger::AcceptOutcome::Accepted);
        QVERIFY2(r->at(0).reason.contains("may only be changed"), qPrintable(r->at(0).reason));
        QCOMPARE(Portfolio::asset(m_ws->store().database(), "P-1")->title, a.title);
        QCOMPARE(m_ws->store().rejectedCount(), 1u);
        // Rebuilding refuses it the same way.
        const QStringList before = dump(m_ws->store().database());
        const Status rebuilt = m_ws->rebuildProjection();
        QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.errorString()));
        QCOMPARE(dump(m_ws->store().database()), before);
    }

    void csvImportRegistersThenUpdates()
    {
        QByteArray csv = "\xEF\xBB\xBF" + Header;
        csv += "MBG-P001-DE,\"Lipid nanoparticle formulation, stabilised\",patent,DE,DE 10 2021 "
               "123 456.7,2021-03-15,,,2041-03-15,pending,,\"Dr. Lena Hofmann;Dr. Arjun "
               "Mehta\",,\n";
        csv += "MBG-P001-EP,Lipid nanoparticle formulation,patent,EP,EP22712345.6,2022-03-14,"
               "2021-03-15,,2042-03-14,pending,Meridian Biotech GmbH:6000;Universität "
               "Heidelberg:4000,,DOI:10.1000/182,MBG-P001-DE\n";
        csv += "MBG-TM001-EM,MERIDIAN,trademark,EM,018123456,2016-05-02,,,,registered,,,,\n";
        auto r = importCsv(csv);
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->rows, 3);
        QCOMPARE(r->registered, 3);
        QCOMPARE(m_ws->store().size(), 3u);
        const auto ep = *Portfolio::asset(m_ws->store().database(), "MBG-P001-EP");
        QCOMPARE(ep.owners.size(), 2);
        QCOMPARE(ep.family, QStringLiteral("MBG-P001-DE"));
        QCOMPARE(ep.identifiers.first(), (Identifier{"application", "EP22712345.6"}));
        QCOMPARE(ep.identifiers.last(), (Identifier{"DOI", "10.1000/182"}));
        QCOMPARE(ep.priority, QDate(2021, 3, 15));
        QCOMPARE(Portfolio::asset(m_ws->store().database(), "MBG-P001-DE")->title,
                 QStringLiteral("Lipid nanoparticle formulation, stabilised"));

        // The same file again: nothing changes, nothing is written.
        auto again = importCsv(csv);
        QVERIFY(again.ok());
        QCOMPARE(again->unchanged, 3);
        QCOMPARE(m_ws->store().size(), 3u);

        // One changed row: one update entry, the same asset id.
        QByteArray changed = csv;
        changed.replace("MBG-TM001-EM,MERIDIAN,trademark,EM,018123456,2016-05-02,,,,registered",
                        "MBG-TM001-EM,MERIDIAN,trademark,EM,018123456,2016-05-02,,,,expired");
        auto update = importCsv(changed);
        QVERIFY(update.ok());
        QCOMPARE(update->updated, 1);
        QCOMPARE(update->unchanged, 2);
        QCOMPARE(m_ws->store().size(), 4u);
        QCOMPARE(m_ws->store().entryAt(3)->kind, QByteArray("asset.updated"));
        auto count = m_ws->store().database().prepare("SELECT COUNT(*) FROM assets");
        QVERIFY(count.next());
        QCOMPARE(count.int64(0), 3);

        // Columns in any order, unknown columns warned about.
        auto reordered =
            importCsv("type,title,reference,colour\ncopyright,Helix Dreams,C-1,blue\n");
        QVERIFY(reordered.ok());
        QCOMPARE(reordered->registered, 1);
        QCOMPARE(reordered->warnings.size(), 1);
        QVERIFY(reordered->warnings.first().contains("colour"));
    }

    void csvExportRoundTrips()
    {
        QVERIFY(apply(demoCommands(QDate(2026, 11, 22))).isEmpty());
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QVERIFY(exportAssetsCsv(m_ws->store().database(), out).ok());
        const quint64 size = m_ws->store().size();
        auto r = importCsv(out.data());
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->registered, 0);
        QCOMPARE(r->updated, 0);
        auto assets = m_ws->store().database().prepare("SELECT COUNT(*) FROM assets");
        QVERIFY(assets.next());
        QCOMPARE(r->unchanged, int(assets.int64(0)));
        QVERIFY(r->unchanged > 100);
        QCOMPARE(m_ws->store().size(), size);

        QBuffer json;
        json.open(QIODevice::WriteOnly);
        QVERIFY(exportAssetsJson(m_ws->store().database(), json).ok());
        const QJsonArray list = QJsonDocument::fromJson(json.data()).array();
        QCOMPARE(list.size(), r->unchanged);
        for (const QJsonValue &v : list) {
            QVERIFY(!QUuid::fromString(v.toObject().value("id").toString()).isNull());
            QVERIFY(!v.toObject().value("reference").toString().isEmpty());
        }
    }

    void csvImportRefusesBadFilesAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QStringList>("needles");
        const QByteArray good = "P-1,Title,patent,EP,,2021-03-15,,,,pending,,,,\n";
        QTest::newRow("bad quoting") << Header + good + "P-2,\"Tit\"le,patent,EP,,,,,,,,,,\n"
                                     << QStringList{"line 3", "quote"};
        QTest::newRow("unterminated quote") << Header + good + "P-2,\"Title,patent\n"
                                            << QStringList{"line 3"};
        QTest::newRow("latin-1") << Header + "P-1,Lipid \xE9mulsion,patent,EP,,,,,,,,,,\n"
                                 << QStringList{"line 2", "UTF-8"};
        QTest::newRow("missing column")
            << QByteArray("reference,type\nP-1,patent\n") << QStringList{"line 1", "title"};
        QTest::newRow("wrong field count") << Header + good + "P-2,Title,patent\n"
                                           << QStringList{"line 3", "3 fields"};
        QTest::newRow("bad date") << Header + "P-1,Title,patent,EP,,15.03.2021,,,,,,,,\n"
                                  << QStringList{"line 2", "filing_date", "15.03.2021"};
        QTest::newRow("bad shares") << Header + "P-1,Title,patent,EP,,,,,,,A:5000;B:4999,,,\n"
                                    << QStringList{"line 2", "owners", "9,999"};
        QTest::newRow("unknown type") << Header + "P-1,Title,gadget,EP,,,,,,,,,,\n"
                                      << QStringList{"line 2", "type", "gadget"};
        QTest::newRow("dates out of order")
            << Header + "P-1,Title,patent,EP,,2021-03-15,,2020-01-01,,,,,,\n"
            << QStringList{"line 2", "grant_date", "before"};
        QTest::newRow("duplicate reference")
            << Header + good + "\n" + good << QStringList{"line 4", "P-1", "line 2"};
        QTest::newRow("empty reference") << Header + ",Title,patent,EP,,,,,,,,,,\n"
                                         << QStringList{"line 2", "reference"};
        QTest::newRow("empty file") << QByteArray() << QStringList{"empty"};
        QTest::newRow("duplicate column")
            << QByteArray("reference,title,type,title\nP,T,patent,T\n")
            << QStringList{"title", "twice"};
    }

    void csvImportRefusesBadFilesAndWritesNothing()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QStringList, needles);
        auto r = importCsv(csv);
        QVERIFY(!r.ok());
        for (const QString &n : needles)
            QVERIFY2(r.errorString().contains(n), qPrintable(r.errorString() + " lacks " + n));
        QCOMPARE(m_ws->store().size(), 0u);
    }

    void csvImportOfAHugeLineStopsEarly()
    {
        // A 1 GB line is not read into memory: the reader's field limit stops it early.
        QByteArray csv = Header + "P-1,";
        csv += QByteArray(3 << 20, 'x'); // a 3 MiB title: over the 1 MiB field limit
        csv += ",patent,EP,,,,,,,,,,\n";
        auto r = importCsv(csv);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().contains("line 2"), qPrintable(r.errorString()));
        QCOMPARE(m_ws->store().size(), 0u);
    }

    void deadlinesFromTheRules()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        const QDate today(2023, 3, 1);
        auto list = Portfolio::deadlines(m_ws->store().database(), QDate(2023, 1, 1),
                                         QDate(2023, 12, 31), today);
        QVERIFY(!list.isEmpty());
        const auto first = list.first();
        QCOMPARE(first.deadline.reference, QStringLiteral("P-1"));
        QCOMPARE(first.deadline.due, QDate(2023, 3, 31)); // EP year 3: end of the anniversary month
        QCOMPARE(first.state, DeadlineState::Due);
        QVERIFY(!first.done);
        // Recording the renewal against its key settles it.
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "renewed"},
                             {"date", "2023-03-20"},
                             {"deadline", first.deadline.key}})),
                 QString());
        list = Portfolio::deadlines(m_ws->store().database(), QDate(2023, 1, 1),
                                    QDate(2023, 12, 31), today);
        QVERIFY(list.first().done);
        QCOMPARE(list.first().state, DeadlineState::Done);
        // A lapsed asset has no deadlines.
        QCOMPARE(apply(line({{"command", "update-asset"}, {"asset", "P-1"}, {"status", "lapsed"}})),
                 QString());
        QVERIFY(Portfolio::deadlines(m_ws->store().database(), QDate(2023, 1, 1), QDate(2030, 1, 1),
                                     today)
                    .isEmpty());
    }

    void userDeadlineRules()
    {
        QCOMPARE(apply(line(patent("P-1")) + line({{"command", "update-asset"},
                                                   {"asset", "P-1"},
                                                   {"grant_date", "2023-05-02"}})),
                 QString());
        const QJsonObject rule{{"id", "internal-review"}, {"label", "Internal review {n}"},
                               {"kind", "review"},        {"types", QJsonArray{"patent"}},
                               {"anchor", "grant"},       {"every", QJsonObject{{"years", 2}}}};
        QCOMPARE(apply(line({{"command", "add-deadline-rule"}, {"rule", rule}})), QString());
        bool found = false;
        for (const auto &d : Portfolio::deadlines(m_ws->store().database(), QDate(2025, 1, 1),
                                                  QDate(2025, 12, 31), QDate(2025, 1, 1)))
            found = found ||
                    (d.deadline.ruleId == "internal-review" && d.deadline.due == QDate(2025, 5, 2));
        QVERIFY(found);
        refused(line({{"command", "add-deadline-rule"}, {"rule", rule}}),
                {"internal-review", "already"});
        QJsonObject broken = rule;
        broken.insert("id", "other");
        broken.insert("anchor", "birthday");
        refused(line({{"command", "add-deadline-rule"}, {"rule", broken}}), {"birthday"});
    }

    void demoPortfolio()
    {
        const QDate today = QDate::currentDate();
        QCOMPARE(apply(demoCommands(today)), QString());
        auto types =
            m_ws->store().database().prepare("SELECT type, COUNT(*) FROM assets GROUP BY type");
        QSet<QString> seen;
        qint64 total = 0;
        while (types.next()) {
            seen.insert(types.text(0));
            total += types.int64(1);
        }
        for (const AssetType &t : assetTypes())
            QVERIFY2(seen.contains(t.id), qPrintable(t.id));
        QVERIFY2(total >= 150 && total <= 600, qPrintable(QString::number(total)));
        int overdueOrGrace = 0;
        int dueSoon = 0;
        for (const auto &d : Portfolio::deadlines(m_ws->store().database(), today.addYears(-1),
                                                  today.addDays(90), today)) {
            overdueOrGrace +=
                d.state == DeadlineState::InGrace || d.state == DeadlineState::Overdue;
            dueSoon += d.state == DeadlineState::Due;
        }
        QVERIFY2(overdueOrGrace > 0, "the demo should show overdue deadlines");
        QVERIFY2(dueSoon > 0, "the demo should show deadlines due soon");
        const auto report = ledger::Verifier::run(m_ws->databasePath(), m_ws->nodeKey(), {});
        QVERIFY2(report.ok, qPrintable(report.summary()));
    }

    void rebuildEqualsOriginal()
    {
        QCOMPARE(apply(demoCommands(QDate(2026, 11, 22))), QString());
        const QStringList before = dump(m_ws->store().database());
        QVERIFY(before.size() > 500);
        QVERIFY(m_ws->rebuildProjection().ok());
        QCOMPARE(dump(m_ws->store().database()), before);
    }
};

QTEST_GUILESS_MAIN(TestPortfolio)
#include "tst_portfolio.moc"
