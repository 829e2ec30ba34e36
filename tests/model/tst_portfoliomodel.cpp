// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioModel: the item-model contract, sorting, filters and search, counts and pages read off
// the GUI thread, and precise changes after writes (in place, one insert, a reset for a new query).
#include "model/ui/portfoliomodel.h"
#include "modeltestutil.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

namespace {

/** The model's data once the row's page has been read on the reader thread. */
QString cell(const PortfolioModel &model, int row, int role)
{
    (void)model.data(model.index(row, 0), role); // asks for its page
    if (!QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 10000))
        return QStringLiteral("<row %1 not read>").arg(row);
    return model.data(model.index(row, 0), role).toString();
}

/** Waits for the count of the query (or reload) just asked for. */
bool settled(const PortfolioModel &model)
{
    return QTest::qWaitFor([&] { return !model.loading(); }, 10000);
}

} // namespace

class TestPortfolioModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_data;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("org");
        QVERIFY(testutil::createDemo(m_data, QDate(2026, 11, 22)));
    }

    void readsOffTheGuiThread()
    {
        PortfolioModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDatabasePath(m_data + "/cartulary.db");
        // Nothing is read on this thread: the count arrives later, with a reset.
        QVERIFY(model.loading());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(settled(model));
        QCOMPARE(reset.size(), 1);
        QVERIFY(model.totalCount() > 200);
        QCOMPARE(model.rowCount(), model.totalCount());
        // The first page came with the count; a row further down is read when asked for: blank
        // text until then, then dataChanged for its page.
        QVERIFY(model.isRowLoaded(0));
        const int far = model.rowCount() - 1;
        QVERIFY(!model.isRowLoaded(far));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.data(model.index(far, 0), PortfolioModel::ReferenceRole).toString(),
                 QString());
        QVERIFY(changed.wait(10000));
        QVERIFY(changed.constLast().at(0).value<QModelIndex>().row() <= far);
        QVERIFY(changed.constLast().at(1).value<QModelIndex>().row() >= far);
        QVERIFY(
            !model.data(model.index(far, 0), PortfolioModel::ReferenceRole).toString().isEmpty());
        // Roles the model does not have stay invalid, even while a page is being read.
        QVERIFY(!model.data(model.index(far, 0), Qt::DecorationRole).isValid());
    }

    void sortsFiltersAndSearches()
    {
        PortfolioModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_data + "/cartulary.db");
        QVERIFY(settled(model));
        const int total = model.totalCount();
        QVERIFY(total > 200);
        QCOMPARE(model.rowCount(), total);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);

        // Default order: by reference, ascending; across the page boundary too.
        QString previous;
        for (int row = 0; row < total; row += 7) {
            const QString ref = cell(model, row, PortfolioModel::ReferenceRole);
            QVERIFY2(previous <= ref, qPrintable(previous + " > " + ref));
            previous = ref;
        }
        model.sortBy("reference"); // same column: descending
        QVERIFY(!model.sortAscending());
        QVERIFY(settled(model));
        QVERIFY(cell(model, 0, PortfolioModel::ReferenceRole) >
                cell(model, total - 1, PortfolioModel::ReferenceRole));
        model.sortBy("filingDate");
        QVERIFY(model.sortAscending());
        QCOMPARE(model.sortColumn(), QStringLiteral("filingDate"));
        model.setSortColumn("no-such-column"); // ignored
        QCOMPARE(model.sortColumn(), QStringLiteral("filingDate"));
        QVERIFY(settled(model));

        model.setTypeFilter("trademark");
        QVERIFY(model.filtered());
        QVERIFY(settled(model));
        QVERIFY(model.count() > 0 && model.count() < total);
        for (int row = 0; row < model.count(); ++row)
            QCOMPARE(cell(model, row, PortfolioModel::TypeRole), QStringLiteral("trademark"));
        model.setJurisdictionFilter("EM");
        QVERIFY(settled(model));
        for (int row = 0; row < model.count(); ++row)
            QVERIFY(cell(model, row, PortfolioModel::JurisdictionsRole).contains("EM"));
        model.clearFilters();
        QVERIFY(!model.filtered());
        QVERIFY(settled(model));
        QCOMPARE(model.count(), total);

        model.setSearchText("helix dreams");
        QVERIFY(settled(model));
        QVERIFY(model.count() >= 2);
        for (int row = 0; row < model.count(); ++row)
            QVERIFY(cell(model, row, PortfolioModel::TitleRole).contains("Helix Dreams"));
        model.setSearchText("universität heidelberg"); // co-owner names are searchable
        QVERIFY(settled(model));
        QVERIFY(model.count() > 0);
        model.setSearchText({});
        model.setOwnerFilter("Lind Music Publishing");
        QVERIFY(settled(model));
        QCOMPARE(model.count(), 1);
        QCOMPARE(cell(model, 0, PortfolioModel::ReferenceRole), QStringLiteral("MBG-C002"));
        QVERIFY(cell(model, 0, PortfolioModel::OwnersRole).contains("50%"));
        model.setPhaseFilter("commercialization");
        QVERIFY(settled(model));
        QCOMPARE(model.count(), 1); // distributed by the CMO
        QCOMPARE(cell(model, 0, PortfolioModel::PhaseTitleRole),
                 QStringLiteral("Commercialization"));
        model.clearFilters();
        model.setStatusFilter("no-such-status");
        QVERIFY(settled(model));
        QCOMPARE(model.count(), 0);
        QVERIFY(model.assetIdAt(0).isEmpty());
    }

    void writesChangeRowsPrecisely()
    {
        // A portfolio of its own: this test writes.
        QVERIFY(testutil::createDemo(m_dir.filePath("writes"), QDate(2026, 11, 22)));
        Workspace ws(m_dir.filePath("writes"));
        QVERIFY(ws.unlock(testutil::Passphrase).ok());
        PortfolioModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(ws.databasePath());
        model.sortBy("title");
        QVERIFY(settled(model));
        const int before = model.count();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(!cell(model, 0, PortfolioModel::TitleRole).isEmpty()); // the view has seen page 0

        // One asset registered: inserted where the order (title, then reference) puts it.
        auto added = applyJsonLines(ws, R"({"command":"register-asset","reference":"ZZ-NEW-1",)"
                                        R"("title":"aardvark tracking dataset","type":"dataset"})");
        QVERIFY(added.ok());
        CommandCompiler lookup(ws.store().database(), demoOrganisation());
        const QString newId = lookup.find("ZZ-NEW-1")->id;
        model.reload(newId);
        QVERIFY(settled(model));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(inserted.size(), 1);
        const int row = inserted.first().at(1).toInt();
        QCOMPARE(inserted.first().at(2).toInt(), row);
        QCOMPARE(model.count(), before + 1);
        QCOMPARE(cell(model, row, PortfolioModel::ReferenceRole), QStringLiteral("ZZ-NEW-1"));
        QVERIFY(row < 10); // "aardvark" sorts near the top, case-insensitively
        if (row > 0)
            QVERIFY(cell(model, row - 1, PortfolioModel::TitleRole)
                        .compare("aardvark tracking dataset", Qt::CaseInsensitive) <= 0);
        QVERIFY(cell(model, row + 1, PortfolioModel::TitleRole)
                    .compare("aardvark tracking dataset", Qt::CaseInsensitive) >= 0);

        // An asset changed in place: dataChanged for what the view has seen, no reset.
        changed.clear();
        QVERIFY(applyJsonLines(ws, R"({"command":"update-asset","asset":"ZZ-NEW-1",)"
                                   R"("status":"filed"})")
                    .ok());
        model.reload();
        QVERIFY(settled(model));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(inserted.size(), 1);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(cell(model, row, PortfolioModel::StatusRole), QStringLiteral("filed"));

        // Writes the model cannot place (an unknown id, several assets): a reset.
        QVERIFY(applyJsonLines(ws, R"({"command":"register-asset","reference":"ZZ-NEW-2",)"
                                   R"("title":"Second","type":"dataset"})"
                                   "\n"
                                   R"({"command":"register-asset","reference":"ZZ-NEW-3",)"
                                   R"("title":"Third","type":"dataset"})")
                    .ok());
        model.reload();
        QVERIFY(settled(model));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.count(), before + 3);

        // A new query is a bulk reload: a reset when its count arrives.
        model.setTypeFilter("dataset");
        QCOMPARE(reset.size(), 1);
        QVERIFY(settled(model));
        QCOMPARE(reset.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestPortfolioModel)
#include "tst_portfoliomodel.moc"
