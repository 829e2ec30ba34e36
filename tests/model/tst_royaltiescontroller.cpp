// SPDX-License-Identifier: GPL-3.0-or-later
// RoyaltiesController without a window: usage and works imported on the writer with a report (a
// refused file writes nothing, a cancelled one neither), a run reviewed by holder and by work with
// the explanation, a hand match, approval refusals in the model's words, statements, disputes
// settled (a refusal writes nothing); every table a well-behaved item model. And RowsModel's
// precise updates and sorting.
#include "ledger/logstore.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/royalties.h"
#include "model/ui/royaltiescontroller.h"
#include "model/ui/session.h"
#include "model/workspace/projection.h"
#include "modeltestutil.h"
#include "tests/royaltysamples.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QJsonArray>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace cartulary;
using namespace cartulary::model;

namespace {

constexpr char Org[] = "Sociedade Lusófona de Autores";

constexpr auto Usage = "period,licensee,territory,work,title,creator,units,amount,currency\n"
                       "2026-07,StreamCo,PT,ISRC:PT-XYZ-26-00001,Northern Lights,Ana Costa,1000,"
                       "100.00,EUR\n"
                       "2026-08,StreamCo,ES,SONG-2,,,500,50.01,EUR\n"
                       "2026-09,StreamCo,PT,,NORTHERN LIGHTS (remix),Kai,2000,200.00,EUR\n"
                       "2026-09,StreamCo,BR,,Saudade Nova,\"Silva, Maria\",300,30.00,EUR\n"
                       "2026-09,RadioJP,JP,SONG-2,,,10,1001,JPY\n";

/** The value of a role in every row, in order. */
QStringList column(RowsModel *model, const QString &role)
{
    QStringList out;
    for (int i = 0; i < model->rowCount(); ++i)
        out << model->value(i, role).toString();
    return out;
}

} // namespace

class TestRoyaltiesController : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<RoyaltiesController> m_royalties;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;

    QString file(const QString &name, const QByteArray &content)
    {
        return testutil::writeFile(m_dir.path(), name, content);
    }
    quint64 ledgerSize()
    {
        auto store = ledger::LogStore::openReadOnly(m_data + "/cartulary.db");
        return store ? store.value()->size() : 0;
    }
    /** Waits until the controller's work and its reads have ended. */
    bool settled()
    {
        return QTest::qWaitFor([this] { return !m_royalties->busy() && !m_royalties->loading(); },
                               30000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("cmo");
        {
            Workspace ws(m_data);
            QVERIFY(ws.create(Org, testutil::Passphrase, ledger::KdfLimits::interactive()).ok());
            auto applied = applyJsonLines(ws, testutil::RoyaltyRegister);
            QVERIFY2(applied.ok(), qPrintable(applied.errorString()));
        }
        m_session = std::make_unique<Session>(m_data);
        m_royalties = std::make_unique<RoyaltiesController>(m_session.get());
        RoyaltiesController &r = *m_royalties;
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 r.holders(), r.works(), r.unmatched(), r.disputes(), r.settlements(), r.imports(),
                 r.explanation(), r.workFlows()})
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        // Locked: nothing is read.
        r.refresh();
        QVERIFY(!r.loading());
        QSignalSpy reviewed(&r, &RoyaltiesController::reviewChanged);
        m_session->unlock(testutil::Passphrase);
        // Read once unlocked and the usage store is loaded, on a worker.
        QVERIFY(reviewed.wait(30000));
        QVERIFY(settled());
        // Nothing imported yet: no period, no run, nothing to show (the page's empty state).
        QCOMPARE(r.importCount(), 0);
        QCOMPARE(r.period(), QString());
        QVERIFY(!r.hasRun());
        QCOMPARE(r.rightOptions().size(), 3);
    }

    void usageImportReportsWhatItDid()
    {
        RoyaltiesController &r = *m_royalties;
        QSignalSpy finished(&r, &RoyaltiesController::importFinished);
        // Fields are checked before anything starts.
        QVariantMap refused = r.importUsage(QUrl(), "2026-13", {});
        QVERIFY(refused.contains("file") && refused.contains("period"));
        QVERIFY2(refused.value("period").toString().contains("2026-13"),
                 qPrintable(refused.value("period").toString()));
        QVERIFY(!r.busy());

        // A refused file: its line and value, and nothing written.
        const quint64 before = ledgerSize();
        const QString bad = file("bad.csv", "period,licensee,territory,work,units,amount,currency\n"
                                            "2026-07,StreamCo,PT,SONG-2,1,1.00,EUR\n"
                                            "2026-07,StreamCo,PT,SONG-2,1,12.345,EUR\n");
        QVERIFY(r.importUsage(QUrl::fromLocalFile(bad), {}, {}).isEmpty());
        QVERIFY(r.busy()); // on the writer: the GUI thread only waits for the result
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QVERIFY(r.importFailed());
        QVERIFY2(r.importReport().contains("nothing was written") &&
                     r.importReport().contains("line 3") && r.importReport().contains("12.345"),
                 qPrintable(r.importReport()));
        QVERIFY(r.noticeIsError());
        QCOMPARE(ledgerSize(), before);

        // Cancelled before it ran: nothing written either.
        QSemaphore hold;
        m_session->post([&hold](Workspace &) { hold.acquire(); });
        const QString usage = file("usage-2026-Q3.csv", Usage);
        QVERIFY(r.importUsage(QUrl::fromLocalFile(usage), {}, {}).isEmpty());
        // One piece of work at a time: a second import is refused while it waits.
        QVERIFY(r.importUsage(QUrl::fromLocalFile(usage), {}, {}).contains("form"));
        r.cancel();
        hold.release();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QVERIFY2(r.importReport().contains("cancelled"), qPrintable(r.importReport()));
        QCOMPARE(ledgerSize(), before);

        // Imported: matched, unmatched and rejected lines reported; the page shows its quarter.
        QVERIFY(r.importUsage(QUrl::fromLocalFile(usage), {}, {}).isEmpty());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), true);
        QVERIFY(!r.importFailed());
        QVERIFY2(r.importReport().contains("Matched: 4 lines") &&
                     r.importReport().contains("Unmatched: 1 lines, 30.00 EUR") &&
                     r.importReport().contains("Rejected: none"),
                 qPrintable(r.importReport()));
        QCOMPARE(ledgerSize(), before + 1);
        QCOMPARE(r.period(), QStringLiteral("2026-Q3"));
        QVERIFY(settled());
        QCOMPARE(r.importCount(), 1);
        QCOMPARE(r.imports()->value(0, "file").toString(), QStringLiteral("usage-2026-Q3.csv"));
        QVERIFY(r.periodOptions().contains("2026-Q3") && r.periodOptions().contains("2026-07"));
        QCOMPARE(r.unmatchedGroups(), 1);
        QCOMPARE(r.unmatched()->rowCount(), 1);
        QCOMPARE(r.unmatched()->value(0, "title").toString(), QStringLiteral("Saudade Nova"));
        QCOMPARE(r.unmatched()->value(0, "amount").toString(), QStringLiteral("30.00 EUR"));
        QCOMPARE(r.unmatched()->value(0, "line").toInt(), 5);
        // Revenue of the quarter: by territory, largest first, with its unmatched part.
        const QVariantList territories = r.revenueByTerritory();
        QCOMPARE(territories.size(), 2); // EUR and JPY
        const QVariantList eur = territories.at(0).toMap().value("rows").toList();
        QCOMPARE(eur.at(0).toMap().value("label").toString(), QStringLiteral("PT"));
        QCOMPARE(eur.at(0).toMap().value("amount").toString(), QStringLiteral("300.00 EUR"));
        QCOMPARE(eur.at(0).toMap().value("fraction").toDouble(), 1.0);
        QCOMPARE(eur.at(1).toMap().value("label").toString(), QStringLiteral("ES"));
        QCOMPARE(eur.at(2).toMap().value("unmatched").toString(), QStringLiteral("30.00 EUR"));
        QCOMPARE(r.revenueByMonth().at(0).toMap().value("rows").toList().size(), 3);
        QVERIFY(!r.hasRun());
    }

    void worksFromCwr()
    {
        RoyaltiesController &r = *m_royalties;
        QSignalSpy finished(&r, &RoyaltiesController::importFinished);
        QSignalSpy registered(&r, &RoyaltiesController::worksRegistered);
        const QString cwr = QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21";
        // A record cut short: refused whole, naming its line.
        QFile sample(cwr);
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = sample.readAll().split('\n');
        lines[3] = lines[3].left(40) + '\r';
        const quint64 before = ledgerSize();
        r.importWorks(QUrl::fromLocalFile(file("CW220002BAD_000.V21", lines.join('\n'))));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QVERIFY2(r.importReport().contains("line 4") &&
                     r.importReport().contains("nothing was written"),
                 qPrintable(r.importReport()));
        QCOMPARE(ledgerSize(), before);
        QCOMPARE(registered.size(), 0);

        r.importWorks(QUrl::fromLocalFile(cwr));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), true);
        QVERIFY2(r.importReport().contains("Registered: 1 new works"),
                 qPrintable(r.importReport()));
        QCOMPARE(registered.size(), 1);
        QVERIFY(ledgerSize() > before);
    }

    void runReviewAndExplain()
    {
        RoyaltiesController &r = *m_royalties;
        QSignalSpy ran(&r, &RoyaltiesController::runFinished);
        // Refused fields, in the words of the model's parsers.
        const QVariantMap refused = r.runDistribution("2026-Q5", "loud", "12.5.0");
        QVERIFY(refused.contains("period") && refused.contains("right") && refused.contains("fee"));
        QVERIFY(!r.busy());

        QVERIFY(r.runDistribution("2026-Q3", "performing", "10").isEmpty());
        QVERIFY(r.busy());
        QVERIFY(ran.wait(30000));
        QVERIFY2(ran.first().at(0).toBool(), qPrintable(ran.first().at(1).toString()));
        QVERIFY(settled());
        QVERIFY(r.hasRun());
        const QVariantMap run = r.run();
        QCOMPARE(run.value("fee").toString(), QStringLiteral("10.00 %"));
        QVERIFY(!run.value("stale").toBool());
        QCOMPARE(run.value("approvedAt").toInt(), 0);
        const QVariantMap eur = run.value("currencies").toList().at(0).toMap();
        QCOMPARE(eur.value("currency").toString(), QStringLiteral("EUR"));
        QCOMPARE(eur.value("collected").toString(), QStringLiteral("380.01 EUR"));
        QCOMPARE(eur.value("unmatched").toString(), QStringLiteral("30.00 EUR"));
        QCOMPARE(eur.value("fees").toString(), QStringLiteral("35.00 EUR"));
        QVERIFY(eur.value("balanced").toBool());
        QCOMPARE(r.unmatchedTotal(), QStringLiteral("30.00 EUR"));

        // By holder, as paid (hand-computed in tst_royaltycli), the exact amount beside it; no
        // previous period to compare with, so nothing is flagged.
        RowsModel *holders = r.holders();
        QCOMPARE(column(holders, "holder"),
                 QStringList({"Ana Costa", "DJ Kai", "Lumen Music", "Rui Lopes", "Rui Lopes"}));
        QCOMPARE(column(holders, "amount"),
                 QStringList({"54.00 EUR", "135.00 EUR", "81.00 EUR", "45.01 EUR", "901 JPY"}));
        QCOMPARE(holders->value(3, "exact").toString(), QStringLiteral("45.009 EUR"));
        QCOMPARE(r.flaggedCount(), 0);
        QVERIFY(!r.run().value("hasPrevious").toBool());
        // Sorted by amount (its integer, not its text), then reversed.
        QSignalSpy layout(holders, &QAbstractItemModel::layoutChanged);
        holders->sortBy("amount");
        QCOMPARE(layout.size(), 1);
        QCOMPARE(holders->value(0, "amount").toString(), QStringLiteral("45.01 EUR"));
        QCOMPARE(holders->value(4, "amount").toString(), QStringLiteral("901 JPY"));
        holders->sortBy("amount");
        QVERIFY(!holders->sortAscending());
        QCOMPARE(holders->value(0, "amount").toString(), QStringLiteral("901 JPY"));
        holders->sortBy("holder");

        // By work: what each work sent to holders, exactly.
        RowsModel *works = r.works();
        QVERIFY(works->rowCount() >= 3);
        const int remix = int(column(works, "work").indexOf(QRegularExpression("^REMIX-1 .*")));
        QVERIFY(remix >= 0);
        QCOMPARE(works->value(remix, "toHolders").toString(), QStringLiteral("180.00 EUR"));
        QCOMPARE(works->value(remix, "holders").toInt(), 3);
        QSignalSpy flows(&r, &RoyaltiesController::workFlowsChanged);
        r.showWork(works->value(remix, "work").toString());
        QVERIFY(flows.wait(10000));
        QCOMPARE(column(r.workFlows(), "holder"),
                 QStringList({"Ana Costa", "DJ Kai", "Lumen Music"}));
        QCOMPARE(r.workFlows()->value(2, "exact").toString(), QStringLiteral("27.00 EUR"));

        // The explanation: every amount's way, exact and as paid.
        QSignalSpy explained(&r, &RoyaltiesController::explanationChanged);
        r.explain("Lumen Music");
        QVERIFY(r.explanationLoading());
        QVERIFY(explained.wait(10000));
        QCOMPARE(r.explainedHolder(), QStringLiteral("Lumen Music"));
        QCOMPARE(r.explanationError(), QString());
        QCOMPARE(r.explanation()->rowCount(), 2);
        const QStringList ways = column(r.explanation(), "way");
        QVERIFY2(ways.join('\n').contains("25.00 % to SONG-1") && ways.join('\n').contains("LIC-R"),
                 qPrintable(ways.join('\n')));
        // By work: the remix's share first, then the song's own.
        QCOMPARE(column(r.explanation(), "amount"), QStringList({"27.00 EUR", "54.00 EUR"}));
        QCOMPARE(r.explanationTotals().size(), 1);
        QCOMPARE(r.explanationTotals().at(0).toMap().value("amount").toString(),
                 QStringLiteral("81.00 EUR"));
        QCOMPARE(r.explanationTotals().at(0).toMap().value("exact").toString(),
                 QStringLiteral("81.00 EUR"));
        // Someone the run pays nothing: the model's words, naming the holders.
        r.explain("Nobody");
        QVERIFY(explained.wait(10000));
        QVERIFY2(r.explanationError().contains("receives nothing") &&
                     r.explanationError().contains("Rui Lopes"),
                 qPrintable(r.explanationError()));
        QCOMPARE(r.explanation()->rowCount(), 0);
    }

    void handMatchThenApprove()
    {
        RoyaltiesController &r = *m_royalties;
        QSignalSpy matched(&r, &RoyaltiesController::matchFinished);
        QSignalSpy approved(&r, &RoyaltiesController::approvalFinished);
        QVERIFY(r.matchUnmatched(0, {}, false).contains("work"));
        QVERIFY(r.matchUnmatched(7, "x", false).contains("form"));
        QString song2;
        {
            auto db = sql::Database::open(m_data + "/cartulary.db", sql::Database::Mode::ReadOnly);
            song2 = Portfolio::asset(*db.value(), "SONG-2")->id;
        }
        // The row goes from the queue in place: a removal, not a reset.
        QSignalSpy removed(r.unmatched(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(r.unmatched(), &QAbstractItemModel::modelReset);
        QVERIFY(r.matchUnmatched(0, song2, false).isEmpty());
        QVERIFY(matched.wait(30000));
        QVERIFY2(matched.first().at(0).toBool(), qPrintable(matched.first().at(1).toString()));
        QVERIFY2(r.notice().contains("line 5") && r.notice().contains("SONG-2"),
                 qPrintable(r.notice()));
        QVERIFY(settled());
        QCOMPARE(r.unmatched()->rowCount(), 0);
        QCOMPARE(r.unmatchedGroups(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(reset.size(), 0);

        // The run was computed before the match: approving it is refused, as the model words it.
        QVERIFY(r.run().value("stale").toBool());
        QVERIFY(!r.run().value("staleText").toString().isEmpty());
        const quint64 before = ledgerSize();
        r.approve();
        QVERIFY(approved.wait(30000));
        QCOMPARE(approved.first().at(0).toBool(), false);
        QVERIFY2(approved.first().at(1).toString().contains("the ledger has grown since run"),
                 qPrintable(approved.first().at(1).toString()));
        QVERIFY(r.noticeIsError() && r.notice().contains("the ledger has grown"));
        QCOMPARE(ledgerSize(), before);
        approved.clear();

        // Run again: the matched line is distributed; approve; approving again is refused.
        QSignalSpy ran(&r, &RoyaltiesController::runFinished);
        QVERIFY(r.runDistribution("2026-Q3", "performing", "10").isEmpty());
        QVERIFY(ran.wait(30000));
        QVERIFY(settled());
        QCOMPARE(r.holders()
                     ->value(r.holders()->rowOf(QStringLiteral("Rui Lopes\x1f"
                                                               "EUR")),
                             "amount")
                     .toString(),
                 QStringLiteral("72.01 EUR"));
        r.approve();
        QVERIFY(approved.wait(30000));
        QVERIFY2(approved.first().at(0).toBool(), qPrintable(approved.first().at(1).toString()));
        QVERIFY(settled());
        QVERIFY(r.run().value("approvedAt").toInt() > 0);
        QCOMPARE(ledgerSize(), before + 1);
        approved.clear();
        r.approve();
        QVERIFY(approved.wait(30000));
        QCOMPARE(approved.first().at(0).toBool(), false);
        QVERIFY2(approved.first().at(1).toString().contains("was approved at entry"),
                 qPrintable(approved.first().at(1).toString()));
        QCOMPARE(ledgerSize(), before + 1);

        // Statements of the approved run, on a worker.
        QSignalSpy wrote(&r, &RoyaltiesController::statementsWritten);
        const QString out = m_dir.filePath("statements");
        r.writeStatements(QUrl::fromLocalFile(out));
        QVERIFY(r.busy());
        QVERIFY(wrote.wait(60000));
        QVERIFY2(wrote.first().at(0).toBool(), qPrintable(r.notice()));
        QVERIFY2(r.notice().contains("approved at entry"), qPrintable(r.notice()));
        for (const char *name : {"MANIFEST.sha256", "Rui-Lopes_EUR.csv", "Rui-Lopes_EUR.pdf",
                                 "Rui-Lopes_JPY.pdf", "Lumen-Music_EUR.csv"})
            QVERIFY2(QFile::exists(out + "/" + name), name);
    }

    void disputesHoldTheirAmounts()
    {
        RoyaltiesController &r = *m_royalties;
        // Two sources claim SONG-1, together past 100 %: two disputes; the run holds its amounts.
        QString song1;
        {
            auto db = sql::Database::open(m_data + "/cartulary.db", sql::Database::Mode::ReadOnly);
            song1 = Portfolio::asset(*db.value(), "SONG-1")->id;
        }
        QSemaphore done;
        bool appended = false;
        m_session->post([&](Workspace &ws) {
            appended = ws.append({testutil::publisherShares(song1, "Alpha", 6000)}).ok() &&
                       ws.append({testutil::publisherShares(song1, "Beta", 7000)}).ok();
            done.release();
        });
        QVERIFY(done.tryAcquire(1, 30000));
        QVERIFY(appended);
        QSignalSpy ran(&r, &RoyaltiesController::runFinished);
        QVERIFY(r.runDistribution("2026-Q3", "performing", "10").isEmpty());
        QVERIFY(ran.wait(30000));
        QVERIFY(settled());
        QCOMPARE(r.disputes()->rowCount(), 2);
        QCOMPARE(column(r.disputes(), "kind"), QStringList({"claimant", "over-100"}));
        QCOMPARE(r.disputes()->value(0, "work").toString(), QStringLiteral("SONG-1"));
        // SONG-1's own 90.00 and REMIX-1's 45.00 passed up to it: held, not paid.
        QCOMPARE(r.disputes()->value(0, "held").toString(), QStringLiteral("135.00 EUR"));
        // This run would correct the approved one.
        QVERIFY(r.run().value("corrects").toInt() > 0);

        // The comparison's threshold is a percent as the locale writes it.
        r.setThreshold("abc");
        QVERIFY(!r.thresholdError().isEmpty());
        r.setThreshold("5");
        QVERIFY(r.thresholdError().isEmpty());
        QVERIFY(settled());
    }

    void settleADispute()
    {
        RoyaltiesController &r = *m_royalties;
        QString song1;
        {
            auto db = sql::Database::open(m_data + "/cartulary.db", sql::Database::Mode::ReadOnly);
            song1 = Portfolio::asset(*db.value(), "SONG-1")->id;
        }
        // The work as the settle dialog shows it: its disputes, what they hold, its sources with
        // their shares per right as percents.
        const QVariantMap work = r.disputedWork(song1);
        QCOMPARE(work.value("work").toString(), QStringLiteral("SONG-1"));
        QCOMPARE(work.value("disputes").toStringList().size(), 2);
        QCOMPARE(work.value("held").toString(), QStringLiteral("135.00 EUR"));
        const QVariantList sources = work.value("sources").toList();
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources.at(0).toMap().value("source").toString(), QStringLiteral("Alpha"));
        QCOMPARE(sources.at(1).toMap().value("shares").toStringList(),
                 QStringList{"Performing 70.00 %: Beta Music 70.00 %"});
        QCOMPARE(r.disputes()->value(0, "assetId").toString(), song1);
        QVERIFY(r.disputedWork("no-such-work").isEmpty());

        // Refused by the model, in its words, and nothing written: kept shares past 100 %, no
        // reason (the field named), a source that registered nothing.
        QSignalSpy finished(&r, &RoyaltiesController::settleFinished);
        const quint64 before = ledgerSize();
        const auto refused = [&](const QString &asset, const QStringList &keep,
                                 const QString &reason) {
            finished.clear();
            if (!r.settle(asset, keep, reason).isEmpty() || !finished.wait(30000))
                return QVariantList();
            return finished.first();
        };
        QVariantList answer = refused(song1, {"Alpha", "Beta"}, "agreement");
        QVERIFY(!answer.isEmpty());
        QCOMPARE(answer.at(0).toBool(), false);
        QVERIFY2(answer.at(1).toString().contains("total 130.00 %: keep fewer sources"),
                 qPrintable(answer.at(1).toString()));
        QVERIFY(r.noticeIsError() && r.notice().contains("Nothing was signed"));
        answer = refused(song1, {"Beta"}, " ");
        QVERIFY(!answer.isEmpty());
        QCOMPARE(answer.at(0).toBool(), false);
        QVERIFY2(answer.at(2).toMap().value("reason").toString().startsWith("say why"),
                 qPrintable(answer.at(1).toString()));
        answer = refused(song1, {"Gamma"}, "agreement");
        QVERIFY(!answer.isEmpty());
        QVERIFY2(answer.at(2).toMap().value("keep").toString().contains("Gamma registered no"),
                 qPrintable(answer.at(1).toString()));
        QCOMPARE(ledgerSize(), before);
        QVERIFY(settled());
        QCOMPARE(r.disputes()->rowCount(), 2);
        QCOMPARE(r.settlements()->rowCount(), 0);

        // A work another key controls, disputed there: only that key may settle it.
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        Asset theirs;
        theirs.id = newAssetId();
        theirs.reference = "PEER-1";
        theirs.title = "Their song";
        theirs.type = "copyright";
        theirs.owners = {{"Peer Music", 10000}};
        QList<QByteArray> entries;
        ledger::Hash prev{};
        const auto sign = [&](const char *kind, const QByteArray &body) {
            const quint64 seq = quint64(entries.size()) + 1;
            const auto s = ledger::signEntry(
                ledger::Entry{peer.publicKey, seq, prev, qint64(1000 + seq), kind, body},
                peer.secretKey);
            prev = s.hash;
            entries.append(s.bytes);
        };
        sign("asset.registered", theirs.canonicalJson());
        for (const auto &[source, bp] : {std::pair{"Alpha", 6000}, std::pair{"Beta", 7000}})
            sign(kinds::WorkShares, testutil::publisherShares(theirs.id, source, bp).body);
        QSemaphore done;
        bool accepted = false;
        m_session->post([&](Workspace &ws) {
            auto a = ws.store().accept(entries, ws.identity().keys, Projection::applier());
            accepted = a.ok() && a->size() == 3 &&
                       std::all_of(a->begin(), a->end(), [](const ledger::AcceptResult &e) {
                           return e.outcome == ledger::AcceptOutcome::Accepted;
                       });
            done.release();
        });
        QVERIFY(done.tryAcquire(1, 30000));
        QVERIFY(accepted);
        r.refresh();
        QVERIFY(settled());
        QCOMPARE(r.disputes()->rowCount(), 4);
        QVERIFY(!r.disputedWork(theirs.id).isEmpty());
        const quint64 withPeer = ledgerSize();
        answer = refused(theirs.id, {"Beta"}, "ours now");
        QVERIFY(!answer.isEmpty());
        QCOMPARE(answer.at(0).toBool(), false);
        QVERIFY2(answer.at(1).toString().contains(
                     "the disputes over PEER-1 may be settled only by the key that controls it"),
                 qPrintable(answer.at(1).toString()));
        QCOMPARE(ledgerSize(), withPeer);

        // Settled: Beta's shares stand, Alpha's are withdrawn; the list shows it, the run is stale.
        QVERIFY(r.settle(song1, {"Beta"}, "agreement of 2026-11-30").isEmpty());
        QVERIFY(r.busy());
        // One piece of work at a time.
        QVERIFY(r.settle(song1, {"Beta"}, "again").contains("form"));
        finished.clear();
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        const QString notice = finished.first().at(1).toString();
        QVERIFY2(notice.contains("Settled SONG-1") && notice.contains("the shares of Beta stand") &&
                     notice.contains("those of Alpha are withdrawn") &&
                     notice.contains("its 2 disputes are closed") &&
                     notice.contains("Runs computed before are stale"),
                 qPrintable(notice));
        QCOMPARE(r.notice(), notice);
        QVERIFY(!r.noticeIsError());
        QCOMPARE(ledgerSize(), withPeer + 1);
        QVERIFY(settled());
        QCOMPARE(column(r.disputes(), "work"), QStringList({"PEER-1", "PEER-1"}));
        QVERIFY(r.disputedWork(song1).isEmpty());
        QCOMPARE(r.settlements()->rowCount(), 1);
        const QVariantMap row = r.settlements()->get(0);
        QCOMPARE(row.value("work").toString(), QStringLiteral("SONG-1"));
        QCOMPARE(row.value("kept").toString(), QStringLiteral("Beta"));
        QCOMPARE(row.value("withdrawn").toString(), QStringLiteral("Alpha"));
        QCOMPARE(row.value("reason").toString(), QStringLiteral("agreement of 2026-11-30"));
        QVERIFY(
            notice.contains(QStringLiteral("as entry %1:").arg(row.value("entry").toLongLong())));
        QCOMPARE(row.value("closed").toString().count('\n'), 1);
        QVERIFY(r.run().value("stale").toBool());
    }

    void rowsModelUpdatesPrecisely()
    {
        RowsModel model({"key", "name", "amount"}, "key", {{"name", "amount"}});
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setRows({{"a", "Ana", 3}, {"b", "Bo", 1}, {"c", "Cy", 2}});
        QCOMPARE(inserted.size(), 1); // from empty: one insertion
        QCOMPARE(reset.size(), 0);
        // One row gone, one changed, one new at the end: each said as it is.
        model.setRows({{"a", "Ana", 4}, {"c", "Cy", 2}, {"d", "Di", 0}});
        QCOMPARE(removed.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.get(0).value("amount").toInt(), 4);
        // Sorted by the role another column names.
        model.sortBy("name");
        QCOMPARE(model.value(0, "key").toString(), QStringLiteral("d"));
        // New rows arrive in the order chosen.
        model.setRows({{"a", "Ana", 4}, {"c", "Cy", 2}, {"d", "Di", 0}, {"e", "Ed", 1}});
        QCOMPARE(model.value(1, "key").toString(), QStringLiteral("e"));
        QCOMPARE(reset.size(), 0);
        // A reorder the keys cannot express precisely resets.
        model.sortBy("key");
        model.setRows({{"z", "Zed", 9}});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.count(), 1);
        QCOMPARE(model.rowOf("z"), 0);
        QCOMPARE(model.rowOf("a"), -1);
        QCOMPARE(model.rowWhere("name", "Zed"), 0);
        QCOMPARE(model.rowWhere("name", "Ana"), -1);
        QCOMPARE(model.get(5), QVariantMap());
    }

    void cleanupTestCase()
    {
        m_testers.clear();
        m_royalties.reset();
        m_session.reset();
    }
};

// Statements are PDFs too: QPdfWriter needs a QGuiApplication.
QTEST_MAIN(TestRoyaltiesController)
#include "tst_royaltiescontroller.moc"
