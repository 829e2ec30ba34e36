// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio: commands, every refusal, authority, value-chain states, CSV import/export, deadlines,
// the demo, and rebuild-equals-original.
#include "ledger/verifier.h"
#include "model/core/jsonfields.h"
#include "model/io/csv.h"
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
    QStringList rows = testutil::dumpTables(
        db, {"assets", "asset_owners", "asset_jurisdictions", "phase_states", "phase_events",
             "deadline_rules", "documents", "asset_history", "asset_assignments"});
    // The full-text index: its rows, not its internal b-trees (which depend on insert order).
    auto search = db.prepare("SELECT rowid, text FROM asset_search ORDER BY rowid");
    while (search.next())
        rows.append(QStringLiteral("asset_search|%1|%2").arg(search.int64(0)).arg(search.text(1)));
    return rows;
}

/** The deadline with this key, or an empty one. */
PortfolioDeadline find(const QList<PortfolioDeadline> &list, const QString &key)
{
    for (const PortfolioDeadline &d : list)
        if (d.deadline.key == key)
            return d;
    return {};
}

QString stateOf(const QList<PortfolioDeadline> &list, const QString &key)
{
    for (const PortfolioDeadline &d : list)
        if (d.deadline.key == key)
            return deadlineStateName(d.state);
    return QStringLiteral("(not listed)");
}

/** The indexes of the database, by name (SQLite's own for keys left out). */
QStringList indexes(sql::Database &db)
{
    QStringList names;
    auto st = db.prepare("SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE "
                         "'sqlite_autoindex%' ORDER BY name");
    while (st.next())
        names.append(st.text(0));
    return names;
}

/** CSV rows R-from to R-(to - 1); `edit` changes titles, owners and jurisdictions (updates). */
QByteArray bulkCsv(int from, int to, int edit = 0)
{
    QByteArray csv = "reference,title,type,jurisdiction,filing_date,owners,tags,notes\n";
    for (int i = from; i < to; ++i)
        csv += QStringLiteral("R-%1,Lipid nanoparticle no. %1%2,%3,%4,2015-01-%5,"
                              "Meridian Biotech GmbH:6000;Partner %6:4000,t%7,\"n, %1\"\n")
                   .arg(i)
                   .arg(edit ? QStringLiteral(" rev %1").arg(edit) : QString())
                   .arg(i % 3 ? "patent" : "trademark",
                        (i + edit) % 2 ? (edit ? "EP;FR" : "EP;DE") : "US")
                   .arg(1 + i % 28, 2, 10, QLatin1Char('0'))
                   .arg((i + edit) % 7)
                   .arg(i % 5)
                   .toUtf8();
    return csv;
}

/** A new patent of the organisation's, with nothing but what is required. */
Asset simpleAsset(const QString &reference, const QString &title)
{
    Asset a;
    a.id = newAssetId();
    a.reference = reference;
    a.title = title;
    a.type = "patent";
    a.owners = {{Org, 10000}};
    return a;
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
        refused(line(p), {"grant_date", "before the filing date (2021-03-15)"});
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
            overdueOrGrace += isOverdue(d.state);
            dueSoon += d.state == DeadlineState::Due;
        }
        QVERIFY2(overdueOrGrace > 0, "the demo should show overdue deadlines");
        QVERIFY2(dueSoon > 0, "the demo should show deadlines due soon");
        const auto report = ledger::Verifier::run(m_ws->databasePath(), m_ws->nodeKey(), {});
        QVERIFY2(report.ok, qPrintable(report.summary()));
    }

    void lostRightsStayVisibleUntilSettled()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        sql::Database &db = m_ws->store().database();
        const QString id = Portfolio::asset(db, "P-1")->id;
        const QString year3 = id + "/EP/ep-renewal-3/3"; // due 2023-03-31, grace to 2023-09-30
        const QString year4 = id + "/EP/ep-renewal/4";   // due 2024-03-31, grace to 2024-09-30
        const QString year5 = id + "/EP/ep-renewal/5";   // due 2025-03-31
        const auto at = [&](const QDate &today) {
            return Portfolio::deadlines(db, today.addYears(-1), today.addDays(90), today);
        };

        // The grace period of year 3 has ended unpaid: rights lost, not merely overdue; year 4,
        // still in its own grace, depends on it.
        QDate today(2024, 6, 1);
        auto list = at(today);
        QCOMPARE(stateOf(list, year3), QStringLiteral("rights lost"));
        QVERIFY(find(list, year3).deadline.rightsLost);
        QVERIFY(find(list, year3).deadline.remedy.contains("Art. 122 EPC"));
        QCOMPARE(stateOf(list, year4), QStringLiteral("blocked"));
        QCOMPARE(find(list, year4).deadline.blockedBy, year3);
        QCOMPARE(find(list, year4).deadline.blockedByLabel,
                 QStringLiteral("P-1: EP renewal fee, year 3"));

        // A year later the later fees are not "upcoming" either, and the lost one is still there
        // although its grace ended more than a year before.
        today = QDate(2025, 3, 1);
        list = at(today);
        QCOMPARE(stateOf(list, year3), QStringLiteral("rights lost"));
        QCOMPARE(stateOf(list, year5), QStringLiteral("blocked"));
        QCOMPARE(find(list, year3).dependents, 2); // years 4 and 5
        QVERIFY(stateOf(at(QDate(2030, 1, 1)), year3) == QStringLiteral("rights lost"));

        // The remedy was filed: year 3 is settled and the later fees stand on their own again.
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "remedy-filed"},
                             {"date", "2025-03-10"},
                             {"note", "Re-establishment requested"},
                             {"deadline", year3}})),
                 QString());
        list = at(today);
        QCOMPARE(stateOf(list, year3), QStringLiteral("(not listed)")); // settled, long past
        QCOMPARE(find(Portfolio::deadlines(db, QDate(), today.addDays(90), today), year3).settledBy,
                 QStringLiteral("remedy-filed"));
        QCOMPARE(stateOf(list, year4), QStringLiteral("rights lost"));
        QCOMPARE(stateOf(list, year5), QStringLiteral("blocked"));

        // Paid late, with surcharge: settled like any payment.
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "renewed"},
                             {"date", "2025-03-12"},
                             {"note", "Paid with surcharge after re-establishment"},
                             {"deadline", year4}})),
                 QString());
        QCOMPARE(stateOf(at(today), year5), QStringLiteral("due"));

        // The lapse accepted for year 5: nothing more is owed for EP.
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "lapsed"},
                             {"date", "2025-12-01"},
                             {"deadline", year5}})),
                 QString());
        list = Portfolio::deadlines(db, QDate(2025, 1, 1), QDate(2030, 1, 1), QDate(2026, 1, 1));
        QCOMPARE(stateOf(list, year5), QStringLiteral("lapsed"));
        for (const PortfolioDeadline &d : list)
            QVERIFY2(d.deadline.due <= QDate(2025, 3, 31), qPrintable(d.deadline.key));
    }

    void everyJurisdictionAndOldKeys()
    {
        QJsonObject two = patent("P-2");
        two.insert("jurisdiction", "DE;FR");
        two.insert("filing_date", "2020-04-15");
        QCOMPARE(apply(line(two) + line(patent("P-1"))), QString());
        sql::Database &db = m_ws->store().database();
        const QString id2 = Portfolio::asset(db, "P-2")->id;
        const QString id1 = Portfolio::asset(db, "P-1")->id;
        const QDate today(2022, 3, 1);
        auto list = Portfolio::deadlines(db, today, QDate(2022, 12, 31), today);
        QCOMPARE(stateOf(list, id2 + "/DE/de-annual/3"), QStringLiteral("upcoming"));
        // Each jurisdiction on its own: the French year-2 fee was missed, the German fees stand.
        QCOMPARE(stateOf(list, id2 + "/FR/fr-annual/2"), QStringLiteral("rights lost"));
        QCOMPARE(stateOf(list, id2 + "/FR/fr-annual/3"), QStringLiteral("blocked"));

        // Events signed before keys named the jurisdiction ("<asset>/<rule>/<n>") meant the
        // first jurisdiction's deadline: they still settle it, also after a rebuild.
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "P-2"},
                             {"event", "renewed"},
                             {"date", "2022-04-01"},
                             {"deadline", id2 + "/de-annual/3"}}) +
                       line({{"command", "add-phase-event"},
                             {"asset", "P-1"},
                             {"event", "renewed"},
                             {"date", "2023-03-01"},
                             {"deadline", id1 + "/ep-renewal-3/3"}})),
                 QString());
        for (int pass = 0; pass < 2; ++pass) {
            list = Portfolio::deadlines(db, QDate(2022, 1, 1), QDate(2023, 12, 31), today);
            QCOMPARE(stateOf(list, id2 + "/DE/de-annual/3"), QStringLiteral("done"));
            QCOMPARE(stateOf(list, id2 + "/FR/fr-annual/3"), QStringLiteral("blocked"));
            QCOMPARE(stateOf(list, id1 + "/EP/ep-renewal-3/3"), QStringLiteral("done"));
            QVERIFY(m_ws->rebuildProjection().ok());
        }
    }

    void replacingRuleKeepsTheFeesRecordedUnderTheOldOne()
    {
        // A German mark registered in 2010: its deadlines now come from de-tm-renewal-eom; the
        // renewal recorded under tm-renewal-filing still settles the same renewal.
        QCOMPARE(apply(line({{"command", "register-asset"},
                             {"reference", "TM-DE"},
                             {"title", "MERIDIAN"},
                             {"type", "trademark"},
                             {"jurisdiction", "DE"},
                             {"filing_date", "2010-03-10"},
                             {"registration_date", "2010-07-01"}})),
                 QString());
        sql::Database &db = m_ws->store().database();
        const QString id = Portfolio::asset(db, "TM-DE")->id;
        QCOMPARE(apply(line({{"command", "add-phase-event"},
                             {"asset", "TM-DE"},
                             {"event", "renewed"},
                             {"date", "2020-03-01"},
                             {"deadline", id + "/tm-renewal-filing/1"}})),
                 QString());
        const auto list =
            Portfolio::deadlines(db, QDate(2020, 1, 1), QDate(2030, 12, 31), QDate(2021, 1, 1));
        QCOMPARE(stateOf(list, id + "/DE/de-tm-renewal-eom/1"), QStringLiteral("done"));
        QCOMPARE(find(list, id + "/DE/de-tm-renewal-eom/1").deadline.due, QDate(2020, 3, 31));
    }

    void calendarSequenceFollowsTheLedger()
    {
        QCOMPARE(apply(line(patent("P-1"))), QString());
        sql::Database &db = m_ws->store().database();
        const QString year3 = Portfolio::asset(db, "P-1")->id + "/EP/ep-renewal-3/3";
        const QDate today(2023, 1, 1);
        const QDateTime stamp(today, QTime(9, 0), Qt::UTC);
        const auto calendar = [&] {
            QList<Deadline> listed;
            for (const auto &d : Portfolio::deadlines(db, today, today.addYears(1), today))
                listed.append(d.deadline);
            return toICalendar(listed, stamp);
        };
        const auto revisions = [&] {
            const auto d = find(Portfolio::deadlines(db, today, today.addYears(1), today), year3);
            return std::pair{d.deadline.revision, d.deadline.graceRevision};
        };
        QCOMPARE(revisions(), (std::pair{0, 0}));
        const QByteArray first = calendar();
        QVERIFY(first.contains("SEQUENCE:0"));

        // The filing date corrected: year 3 moves from March to April, a new revision.
        QCOMPARE(
            apply(line(
                {{"command", "update-asset"}, {"asset", "P-1"}, {"filing_date", "2021-04-15"}})),
            QString());
        QCOMPARE(revisions(), (std::pair{1, 1}));
        // Changes that do not move it leave the revision alone.
        QCOMPARE(apply(line({{"command", "update-asset"}, {"asset", "P-1"}, {"title", "Renamed"}}) +
                       line({{"command", "update-asset"},
                             {"asset", "P-1"},
                             {"priority_date", "2020-04-01"}})),
                 QString());
        QCOMPARE(revisions(), (std::pair{1, 1}));
        // Moved back: a further revision, not a return to 0.
        QCOMPARE(
            apply(line(
                {{"command", "update-asset"}, {"asset", "P-1"}, {"filing_date", "2021-03-15"}})),
            QString());
        QCOMPARE(revisions(), (std::pair{2, 2}));

        // Exporting again, or after a rebuild, gives the same calendar.
        const QByteArray again = calendar();
        QCOMPARE(calendar(), again);
        QVERIFY(m_ws->rebuildProjection().ok());
        QCOMPARE(calendar(), again);
        QVERIFY(again.contains("SEQUENCE:2"));
    }

    void deadlineViewsAgree()
    {
        // A new EP application whose third-year fee was missed more than a year ago, and whose
        // fourth-year fee is past its grace too; plus a trademark with a fee in grace and one
        // due soon. Every view takes its rows and counts from one query.
        const QDate today = QDate::currentDate();
        QJsonObject ep = patent("EP-NEW");
        ep.insert("filing_date", isoDate(today.addMonths(-46)));
        ep.remove("priority_date");
        QJsonObject tm{{"command", "register-asset"},
                       {"reference", "TM-1"},
                       {"title", "MERIDIAN"},
                       {"type", "trademark"},
                       {"jurisdiction", "JP"},
                       {"registration_date", isoDate(today.addYears(-10).addMonths(-2))}};
        QJsonObject tm2 = tm;
        tm2.insert("reference", "TM-2");
        tm2.insert("registration_date", isoDate(today.addYears(-10).addDays(20)));
        QCOMPARE(apply(line(ep) + line(tm) + line(tm2)), QString());
        sql::Database &db = m_ws->store().database();
        const QString epId = Portfolio::asset(db, "EP-NEW")->id;

        const DeadlineOverview page = Portfolio::deadlineOverview(db, {today, {}, 90, -1});
        const DeadlineOverview asset =
            Portfolio::deadlineOverview(db, {today, epId, 3 * 366, 2 * 366});
        // The asset page lists the same unsettled deadlines of that asset, in the same states.
        QStringList onPage, onAsset;
        for (const PortfolioDeadline &d : page.items)
            if (d.deadline.assetId == epId)
                onPage << d.deadline.key + " " + deadlineStateName(d.state);
        for (const PortfolioDeadline &d : asset.items)
            if (!d.done && d.deadline.due <= today.addDays(90))
                onAsset << d.deadline.key + " " + deadlineStateName(d.state);
        QCOMPARE(onAsset, onPage);
        QVERIFY(onPage.contains(epId + "/EP/ep-renewal-3/3 rights lost"));
        QVERIFY(onPage.contains(epId + "/EP/ep-renewal/4 blocked"));
        QCOMPARE(asset.overdue, 1); // the lost right; the blocked fee is not counted twice

        // The badge counts exactly the overdue rows; the chart has a bar for exactly the months
        // of the rows, and together they hold every row.
        int overdueRows = 0;
        QSet<QString> rowMonths;
        for (const PortfolioDeadline &d : page.items) {
            overdueRows += isOverdue(d.state);
            rowMonths.insert(d.deadline.due.toString("yyyy-MM"));
        }
        QCOMPARE(page.overdue, overdueRows);
        QCOMPARE(page.overdue, 2); // EP year 3 lost, TM-1 in grace
        int charted = 0, chartedOverdue = 0;
        QSet<QString> chartMonths;
        for (const DeadlineMonth &m : page.months) {
            chartMonths.insert(m.month);
            charted += m.count;
            chartedOverdue += m.overdue;
        }
        QCOMPARE(chartMonths, rowMonths);
        QCOMPARE(charted, int(page.items.size()));
        QCOMPARE(chartedOverdue, page.overdue);
        QCOMPARE(page.upcoming, 1); // TM-2
        QCOMPARE(page.lost, 1);
    }

    void importFindsReferencesWithQuotesAndBackslashes()
    {
        // The importer asks the portfolio for a file's references in one JSON array: a reference
        // with a quote, a backslash or a non-ASCII letter must be found again, not registered
        // twice.
        const QByteArray csv = "reference,title,type\n\"Q\"\"1\\x\",Quoted,copyright\n"
                               "Ü-\\\\2,Backslashed,copyright\n";
        auto first = importCsv(csv);
        QVERIFY2(first.ok(), qPrintable(first.errorString()));
        QCOMPARE(first->registered, 2);
        QVERIFY(Portfolio::asset(m_ws->store().database(), "Q\"1\\x"));
        QVERIFY(Portfolio::asset(m_ws->store().database(), "Ü-\\\\2"));
        auto again = importCsv(csv);
        QVERIFY2(again.ok(), qPrintable(again.errorString()));
        QCOMPARE(again->unchanged, 2);
        QCOMPARE(again->registered, 0);
        QCOMPARE(m_ws->store().size(), 2u);
    }

    void importedTablesEqualRebuiltOnes()
    {
        // Large enough for the importer to build the indexes once at the end (it does so from
        // 1,000 new assets): the tables must be exactly what row-by-row application gives.
        QByteArray csv = "reference,title,type,jurisdiction,filing_date,owners,tags,notes\n";
        for (int i = 0; i < 1500; ++i)
            csv += QStringLiteral("R-%1,Lipid nanoparticle no. %1,%2,%3,2015-01-%4,"
                                  "Meridian Biotech GmbH:6000;Partner %5:4000,t%6,\"n, %1\"\n")
                       .arg(i)
                       .arg(i % 3 ? "patent" : "trademark", i % 2 ? "EP;DE" : "US")
                       .arg(1 + i % 28, 2, 10, QLatin1Char('0'))
                       .arg(i % 7)
                       .arg(i % 5)
                       .toUtf8();
        auto r = importCsv(csv);
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->registered, 1500);
        sql::Database &db = m_ws->store().database();
        const QStringList imported = dump(db);
        QVERIFY(imported.size() > 6000);
        {
            // The indexes are back, and used.
            auto plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM assets ORDER BY title "
                                   "COLLATE NOCASE, reference");
            QVERIFY(plan.next());
            QVERIFY2(plan.text(3).contains("assets_title"), qPrintable(plan.text(3)));
            auto search = db.prepare("SELECT COUNT(*) FROM asset_search WHERE asset_search MATCH "
                                     "'\"particle no. 149\"'");
            QVERIFY(search.next());
            QCOMPARE(search.int64(0), 11); // 149 and 1490 to 1499
        }
        const Status rebuilt = m_ws->rebuildProjection();
        QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.errorString()));
        QCOMPARE(dump(db), imported);

        // A small import into it goes row by row and still matches.
        auto small = importCsv("reference,title,type\nS-1,Small,patent\n");
        QVERIFY(small.ok());
        const QStringList after = dump(db);
        QVERIFY(m_ws->rebuildProjection().ok());
        QCOMPARE(dump(db), after);
    }

    void largeImportsThatUpdateEqualRebuiltTables()
    {
        // Large imports that update assets they do not register: into an empty portfolio, one
        // that at least doubles it (the indexes are built once at the end) and one into a larger
        // portfolio (the indexes are kept). Each time: the same rows as a rebuild gives, the same
        // indexes, and a search finds the new text and no longer the old.
        sql::Database &db = m_ws->store().database();
        auto r = importCsv(bulkCsv(0, 1200));
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        const QStringList names = indexes(db);
        QVERIFY2(names.contains("assets_title") && names.contains("asset_owners_name"),
                 qPrintable(names.join(u' ')));
        const auto same = [&] {
            const QStringList imported = dump(db);
            const Status rebuilt = m_ws->rebuildProjection();
            QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.errorString()));
            QCOMPARE(dump(db), imported);
            QCOMPARE(indexes(db), names);
        };
        const auto found = [&](const char *text) {
            auto st = db.prepare("SELECT COUNT(*) FROM asset_search WHERE asset_search MATCH ?");
            st.bind(1, QStringLiteral("\"%1\"").arg(QLatin1String(text)));
            return st.next() ? st.int64(0) : -1;
        };
        same();

        // Half updates, half new: 1,200 entries into 1,200 assets.
        r = importCsv(bulkCsv(600, 1800, 1));
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->updated, 600);
        QCOMPARE(r->registered, 600);
        QCOMPARE(indexes(db), names);
        QCOMPARE(found("no. 599 meridian"), 1);
        QCOMPARE(found("no. 600 meridian"), 0);
        QCOMPARE(found("no. 600 rev 1"), 1);
        QCOMPARE(Portfolio::asset(db, "R-601")->jurisdictions, QStringList({"US"}));
        QCOMPARE(Portfolio::asset(db, "R-600")->owners.last().name, QStringLiteral("Partner 6"));
        same();

        // Updates only: 1,000 entries into 1,800 assets.
        r = importCsv(bulkCsv(0, 1000, 2));
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->updated, 1000);
        QCOMPARE(found("rev 2"), 1000);
        QCOMPARE(found("no. 999 rev 1"), 0);
        QCOMPARE(found("no. 1000 rev 1"), 1);
        QCOMPARE(Portfolio::asset(db, "R-1")->jurisdictions, QStringList({"EP", "FR"}));
        {
            auto owners = db.prepare("SELECT COUNT(*) FROM asset_owners");
            QVERIFY(owners.next());
            QCOMPARE(owners.int64(0), 3600);
        }
        same();
    }

    void largeImportWithARefusedRowWritesNothing()
    {
        // An asset another key controls: the projection refuses its update, near the end of a
        // large import, after the indexes were dropped and most rows written.
        sql::Database &db = m_ws->store().database();
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        Asset theirs;
        theirs.id = newAssetId();
        theirs.reference = "R-1490";
        theirs.title = "Their asset";
        theirs.type = "patent";
        theirs.owners = {{"Peer Laboratories Ltd", 10000}};
        ledger::Entry e{peer.publicKey, 1, {}, 1, "asset.registered", theirs.canonicalJson()};
        auto accepted = m_ws->store().accept({ledger::signEntry(e, peer.secretKey).bytes},
                                             m_ws->identity().keys, Projection::applier());
        QVERIFY(accepted.ok());
        QCOMPARE(accepted->at(0).outcome, ledger::AcceptOutcome::Accepted);
        QVERIFY2(Portfolio::asset(db, "R-1490").has_value(), qPrintable(accepted->at(0).reason));
        const QStringList before = dump(db);
        const QStringList names = indexes(db);
        for (const char *name : {"assets_title", "assets_owners", "assets_family",
                                 "asset_owners_name", "asset_jurisdictions_code"})
            QVERIFY2(names.contains(name), name);
        const quint64 size = m_ws->store().size();

        auto r = importCsv(bulkCsv(0, 1500));
        QVERIFY(!r.ok());
        // The header is line 1: R-1490 is on line 1492.
        QVERIFY2(r.errorString().contains("line 1492"), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains("may only be changed"), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains("nothing was written"), qPrintable(r.errorString()));
        QCOMPARE(m_ws->store().size(), size);
        QCOMPARE(indexes(db), names);
        QCOMPARE(dump(db), before);
        // And the connection works as before: a small import goes through, row by row.
        auto small = importCsv("reference,title,type\nS-1,Small,patent\n");
        QVERIFY2(small.ok(), qPrintable(small.errorString()));
        QCOMPARE(indexes(db), names);
    }

    void largeImportCancelledOrReadMeanwhile()
    {
        // While a large import writes, another connection (the Portfolio view's reader) sees the
        // portfolio as it was, indexes included; cancelling it then writes nothing.
        QVERIFY(importCsv(bulkCsv(5000, 5010)).ok());
        sql::Database &db = m_ws->store().database();
        const QStringList before = dump(db);
        const QStringList names = indexes(db);
        auto reader = sql::Database::open(m_ws->databasePath(), sql::Database::Mode::ReadOnly);
        QVERIFY(reader.ok());
        std::atomic_bool cancel = false;
        QStringList seen;
        qint64 seenCount = -1;
        QString plan;
        ImportOptions options;
        options.cancel = &cancel;
        options.progress = [&](qint64 done, qint64, const QString &what) {
            if (!what.startsWith("Signing") || done < 1024 || cancel)
                return;
            seen = indexes(*reader.value());
            auto count = reader.value()->prepare("SELECT COUNT(*) FROM assets");
            seenCount = count.next() ? count.int64(0) : -2;
            auto explain = reader.value()->prepare("EXPLAIN QUERY PLAN SELECT id FROM assets "
                                                   "ORDER BY title COLLATE NOCASE, reference");
            plan = explain.next() ? explain.text(3) : QString();
            cancel = true;
        };
        QBuffer buffer;
        buffer.setData(bulkCsv(0, 2100)); // the ledger checks cancel every 1,024 entries
        buffer.open(QIODevice::ReadOnly);
        auto r = importAssetsCsv(*m_ws, buffer, options);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("cancelled"));
        QCOMPARE(seen, names);
        QCOMPARE(seenCount, 10);
        QVERIFY2(plan.contains("assets_title"), qPrintable(plan));
        QCOMPARE(m_ws->store().size(), 10u);
        QCOMPARE(indexes(db), names);
        QCOMPARE(dump(db), before);
    }

    void csvExportCannotRunFormulas()
    {
        // Cells a spreadsheet would run: = + - @ tab and CR first (OWASP CSV injection).
        const QStringList titles{"=HYPERLINK(\"http://evil.example\",\"x\")",
                                 "+1+1",
                                 "-2+3",
                                 "@SUM(A1:A2)",
                                 "'quoted",
                                 "''twice",
                                 "'=already guarded"};
        QByteArray jsonl;
        for (int i = 0; i < titles.size(); ++i)
            jsonl += line({{"command", "register-asset"},
                           {"reference", QStringLiteral("X-%1").arg(i)},
                           {"title", titles[i]},
                           {"type", "copyright"},
                           {"notes", i == 0 ? "\tindented\nsecond line" : ""}});
        // A reference may start with '-' too.
        jsonl += line({{"command", "register-asset"},
                       {"reference", "-1"},
                       {"title", "Minus"},
                       {"type", "copyright"}});
        QCOMPARE(apply(jsonl), QString());
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QVERIFY(exportAssetsCsv(m_ws->store().database(), out).ok());
        QBuffer in(&out.buffer());
        in.open(QIODevice::ReadOnly);
        csv::Reader reader(&in);
        csv::Record record;
        QVERIFY(reader.next(record)); // the header
        int rows = 0;
        while (reader.next(record)) {
            ++rows;
            for (const QString &cell : record.fields)
                QVERIFY2(cell.isEmpty() || !QStringLiteral("=+-@\t\r").contains(cell.front()),
                         qPrintable(cell));
        }
        QCOMPARE(rows, titles.size() + 1);
        QVERIFY(out.data().contains("'=HYPERLINK"));
        QVERIFY(out.data().contains(",'-1,") || out.data().startsWith("'-1,") ||
                out.data().contains("\n'-1,"));

        // Export → import changes nothing: the importer undoes exactly the exporter's guard.
        auto same = importCsv(out.data());
        QVERIFY2(same.ok(), qPrintable(same.errorString()));
        QCOMPARE(same->unchanged, titles.size() + 1);
        QCOMPARE(same->updated, 0);
        // Into another portfolio: the same values.
        Workspace other(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
        QVERIFY(other.create(Org, "portfolio passphrase", ledger::KdfLimits::interactive()).ok());
        QBuffer again;
        again.setData(out.data());
        again.open(QIODevice::ReadOnly);
        QVERIFY(importAssetsCsv(other, again).ok());
        for (int i = 0; i < titles.size(); ++i)
            QCOMPARE(
                Portfolio::asset(other.store().database(), QStringLiteral("X-%1").arg(i))->title,
                titles[i]);
        QCOMPARE(Portfolio::asset(other.store().database(), "X-0")->notes,
                 QStringLiteral("\tindented\nsecond line"));
        QVERIFY(Portfolio::asset(other.store().database(), "-1").has_value());
    }

    void everyInvalidFieldAtOnce()
    {
        // CSV: one line, every problem of it, by column.
        auto r = importCsv(Header + "P-1,,patent,EP,,15.03.2021,,2020-01-01,,pending,A:5000,,,\n");
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().startsWith("line 2: filing_date: '15.03.2021' is not a date"),
                 qPrintable(r.errorString()));
        for (const char *needle : {"; title: is required", "; owners: shares sum to 5,000"})
            QVERIFY2(r.errorString().contains(needle), qPrintable(r.errorString()));
        QCOMPARE(m_ws->store().size(), 0u);

        // apply: the same for a command.
        const QString error = apply(line({{"command", "register-asset"},
                                          {"reference", "P-1"},
                                          {"title", " "},
                                          {"type", "gadget"},
                                          {"filing_date", "2021-13-01"},
                                          {"jurisdiction", "XX"}}));
        QVERIFY2(error.startsWith("line 1: filing_date: '2021-13-01' is not a date"),
                 qPrintable(error));
        for (const char *needle : {"; title: is required", "; type: unknown type 'gadget'",
                                   "; jurisdiction: 'XX' is not"})
            QVERIFY2(error.contains(needle), qPrintable(error));
        QCOMPARE(m_ws->store().size(), 0u);
    }

    void repeatsAndBlanksAreRefused()
    {
        // The asset rules that look at each value of a list: a repeat, however long the list
        // (short lists are scanned, long ones hashed), and a blank or padded value.
        const Asset a = simpleAsset("R-1", "Title");
        QVERIFY(validateAsset(a).ok());
        const auto problem = [](const Asset &x, const QString &field) {
            for (const FieldProblem &p : assetProblems(x))
                if (p.field == field)
                    return p.why;
            return QString();
        };
        Asset b = a;
        b.reference = " R-1";
        QVERIFY(problem(b, "reference").contains("surrounding spaces"));
        b = a;
        b.title = " \t ";
        QCOMPARE(problem(b, "title"), QStringLiteral("is required"));
        QStringList codes{"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
                          "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU"};
        for (const qsizetype n : {2, 16, 17, 22}) {
            b = a;
            b.jurisdictions = codes.first(n);
            QCOMPARE(problem(b, "jurisdiction"), QString());
            b.jurisdictions.append(codes.at(n - 1));
            QCOMPARE(problem(b, "jurisdiction"),
                     QStringLiteral("'%1' is listed twice").arg(codes.at(n - 1)));
        }
        b = a;
        b.owners = {{"Partner A", 5000}, {"Partner A", 5000}};
        QCOMPARE(problem(b, "owners"), QStringLiteral("'Partner A' is listed twice"));
        b.owners = {{" ", 5000}, {"Partner A", 5000}};
        QCOMPARE(problem(b, "owners"), QStringLiteral("an owner has no name"));
        b = a;
        b.creators = {"Dr. Ö", "  "};
        QCOMPARE(problem(b, "creators"), QStringLiteral("a creator has no name"));
        b = a;
        b.tags = {"platform", " "};
        QCOMPARE(problem(b, "tags"), QStringLiteral("' ' is not a tag"));
    }

    void largeImportOfEscapedTextEqualsRebuild()
    {
        // Text that JSON escapes, also in the references: a large import writes each row from the
        // asset it checked rather than from its parsed body, and asks the portfolio which
        // references it holds with one JSON list. Both must agree with what a rebuild reads from
        // the signed bodies, and a second import must find every asset again.
        const QString odd =
            QStringLiteral("\"q\" \\b\\ é 日本 ") + QString::fromUcs4(U"\U0001D504");
        const auto file = [&odd](const QString &edit) {
            QByteArray csv = "reference,title,type,owners,creators,notes\n";
            for (int i = 0; i < 1100; ++i)
                csv += csv::formatRecord({QStringLiteral("R\"%1\\%2").arg(i).arg(odd),
                                          QStringLiteral("Title %1 %2%3").arg(i).arg(odd, edit),
                                          "patent", QStringLiteral("%1 Ltd:10000").arg(odd),
                                          odd + ";Dr. Ö", odd + "\n\t" + odd});
            return csv;
        };
        sql::Database &db = m_ws->store().database();
        auto r = importCsv(file({}));
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->registered, 1100);
        QCOMPARE(Portfolio::asset(db, QStringLiteral("R\"7\\%1").arg(odd))->owners.first().name,
                 QStringLiteral("%1 Ltd").arg(odd));
        const auto same = [&] {
            const QStringList imported = dump(db);
            const Status rebuilt = m_ws->rebuildProjection();
            QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.errorString()));
            QCOMPARE(dump(db), imported);
        };
        same();
        r = importCsv(file(" rev 1"));
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->updated, 1100);
        QCOMPARE(r->registered, 0);
        same();
    }

    void newAssetIdsSortInTheOrderMade()
    {
        // Version 7 UUIDs: each id sorts after the ones made before it (so the indexes keyed by
        // asset id grow at their end), and carries the time it was made.
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        QString last;
        for (int i = 0; i < 20000; ++i) {
            const QString id = newAssetId();
            QVERIFY2(id > last, qPrintable(id + " after " + last));
            const QUuid uuid = QUuid::fromString(id);
            QVERIFY(!uuid.isNull());
            QCOMPARE(uuid.toRfc4122()[6] >> 4, 7); // the version (Qt 6.4 does not name 7)
            QCOMPARE(uuid.variant(), QUuid::DCE);
            last = id;
        }
        const QByteArray bytes = QUuid::fromString(last).toRfc4122();
        qint64 made = 0;
        for (int i = 0; i < 6; ++i)
            made = made << 8 | uchar(bytes[i]);
        // Not before the loop began; ahead of the clock by at most one millisecond per 4,096 ids.
        QVERIFY2(made >= start && made <= QDateTime::currentMSecsSinceEpoch() + 5,
                 qPrintable(QString::number(made - start)));
    }

    void bulkLoadAppliesOnlyTheSignedBody()
    {
        // BulkLoad::apply takes the asset the body was written from, so that it need not parse
        // the body again: it refuses an asset whose body is not the one signed, and other kinds.
        sql::Database &db = m_ws->store().database();
        const ledger::KeyPair &keys = m_ws->identity().keys;
        const auto stored = [&keys](const QByteArray &kind, const QByteArray &body) {
            const ledger::SignedEntry s = ledger::signEntry(
                ledger::Entry{keys.publicKey, 1, {}, 1, kind, body}, keys.secretKey);
            ledger::StoredEntry e;
            e.hash = s.hash;
            e.author = keys.publicKey;
            e.seq = 1;
            e.timeMs = 1;
            e.kind = kind;
            e.bytes = s.bytes;
            return e;
        };
        const Asset a = simpleAsset("B-1", "Signed title");
        Asset other = a;
        other.title = "Another title";
        sql::Transaction tx(db); // rolled back at the end
        Portfolio::BulkLoad load(db, 1);
        QVERIFY(load.begin().ok());
        Status s =
            load.apply(stored("asset.registered", other.canonicalJson()), a, a.canonicalJson());
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains("not the asset's canonical JSON"),
                 qPrintable(s.errorString()));
        s = load.apply(stored("phase.event", a.canonicalJson()), a, a.canonicalJson());
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains("only asset entries"), qPrintable(s.errorString()));
        QVERIFY(!Portfolio::asset(db, "B-1"));
        s = load.apply(stored("asset.registered", a.canonicalJson()), a, a.canonicalJson());
        QVERIFY2(s.ok(), qPrintable(s.errorString()));
        QVERIFY(load.finish().ok());
        QCOMPARE(Portfolio::asset(db, "B-1")->title, QStringLiteral("Signed title"));
    }

    void datesAsQtWritesAndReadsThem()
    {
        // isoDate() and parseDate() format and read by hand (they run for every date of every
        // imported row): exactly what Qt::ISODate writes, and only what it reads in that shape.
        for (QDate d(1, 1, 1); d.year() < 3000; d = d.addDays(d.year() < 1890 ? 97 : 1)) {
            QCOMPARE(isoDate(d), d.toString(Qt::ISODate));
            QCOMPARE(parseDate(isoDate(d), "date").value(), d);
        }
        QCOMPARE(isoDate(QDate()), QString());
        QCOMPARE(isoDate(QDate(12345, 6, 7)), QDate(12345, 6, 7).toString(Qt::ISODate));
        QCOMPARE(parseDate(" 2021-03-15 ", "filing_date").value(), QDate(2021, 3, 15));
        QVERIFY(parseDate("", "filing_date").value().isNull());
        for (const QString &bad :
             {QStringLiteral("2021-02-30"), QStringLiteral("2021-2-03"),
              QStringLiteral("2021-02-3"), QStringLiteral("21-02-03"), QStringLiteral("2021/02/03"),
              QStringLiteral("0000-01-01"), QStringLiteral("+2021-02-03"),
              QStringLiteral("2021-02-03T00:00"), QStringLiteral("2021-02-0x"),
              QStringLiteral("15.03.2021"), QStringLiteral("２０２１-02-03"),
              QStringLiteral("2021-13-01")}) {
            const auto d = parseDate(bad, "filing_date");
            QVERIFY2(!d.ok(), qPrintable(bad));
            QCOMPARE(d.errorString(), QStringLiteral("filing_date: '%1' is not a date in the form "
                                                     "YYYY-MM-DD")
                                          .arg(bad));
        }
    }

    void canonicalJsonIsQtsCompactJson()
    {
        // Asset::canonicalJson() writes entry bodies directly: it must be byte for byte what
        // QJsonDocument writes for toJson(), for every character a field can hold.
        QString every;
        for (char16_t c = 0; c < 0x300; ++c)
            every += QChar(c);
        every += QStringLiteral("\u2028\u2029\uFEFF\uFFFF€日本");
        every += QString::fromUcs4(U"\U0001F600\U00010000\U0010FFFF");
        every += QChar(0xD800); // lone surrogates: escaped
        every += QStringLiteral("x");
        every += QChar(0xDC00);
        Asset a;
        a.id = newAssetId();
        a.reference = "R\"1\\";
        a.title = every;
        a.type = "patent";
        a.jurisdictions = {"EP", "DE"};
        a.status = "granted";
        a.filing = QDate(2020, 2, 29);
        a.priority = QDate(2019, 3, 1);
        a.grant = QDate(2023, 1, 2);
        a.registration = QDate(2023, 1, 3);
        a.expiry = QDate(2040, 2, 28);
        a.family = "F-1";
        a.owners = {{"A \"quoted\" owner", 6000}, {every, 4000}};
        a.creators = {"Dr. Ö", every};
        a.identifiers = {{"application", "EP1"}, {"DOI", every}};
        a.tags = {"platform", "x\ty"};
        a.notes = every + "\n\r\t";
        const auto compact = [](const Asset &x) {
            return QJsonDocument(x.toJson()).toJson(QJsonDocument::Compact);
        };
        QCOMPARE(a.canonicalJson(), compact(a));
        // And with every optional field empty.
        Asset bare;
        bare.id = a.id;
        QCOMPARE(bare.canonicalJson(), compact(bare));
        QCOMPARE(Asset::fromJson(QJsonDocument::fromJson(a.canonicalJson()).object()).value(), a);
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
