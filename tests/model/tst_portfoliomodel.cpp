// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioModel and PortfolioController: the item-model contract, sorting, filters, search, and
// the controller's import, edit validation, events and deadlines without a window.
#include "model/io/demo.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/portfoliomodel.h"
#include "model/ui/session.h"
#include "model/workspace/commands.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

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
        Workspace ws(m_data);
        QVERIFY(
            ws.create("Meridian Biotech GmbH", "model passphrase", ledger::KdfLimits::interactive())
                .ok());
        QVERIFY(applyJsonLines(ws, demoCommands(QDate(2026, 11, 22))).ok());
    }

    void sortsFiltersAndSearches()
    {
        PortfolioModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_data + "/cartulary.db");
        const int total = model.totalCount();
        QVERIFY(total > 200);
        QCOMPARE(model.rowCount(), total);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);

        // Default order: by reference, ascending; across the page boundary too.
        QString previous;
        for (int row = 0; row < total; row += 7) {
            const QString ref =
                model.data(model.index(row, 0), PortfolioModel::ReferenceRole).toString();
            QVERIFY2(previous <= ref, qPrintable(previous + " > " + ref));
            previous = ref;
        }
        model.sortBy("reference"); // same column: descending
        QVERIFY(!model.sortAscending());
        QVERIFY(model.data(model.index(0, 0), PortfolioModel::ReferenceRole).toString() >
                model.data(model.index(total - 1, 0), PortfolioModel::ReferenceRole).toString());
        model.sortBy("filingDate");
        QVERIFY(model.sortAscending());
        QCOMPARE(model.sortColumn(), QStringLiteral("filingDate"));
        model.setSortColumn("no-such-column"); // ignored
        QCOMPARE(model.sortColumn(), QStringLiteral("filingDate"));

        model.setTypeFilter("trademark");
        QVERIFY(model.count() > 0 && model.count() < total);
        for (int row = 0; row < model.count(); ++row)
            QCOMPARE(model.data(model.index(row, 0), PortfolioModel::TypeRole).toString(),
                     QStringLiteral("trademark"));
        model.setJurisdictionFilter("EM");
        for (int row = 0; row < model.count(); ++row)
            QVERIFY(model.data(model.index(row, 0), PortfolioModel::JurisdictionsRole)
                        .toString()
                        .contains("EM"));
        model.clearFilters();
        QCOMPARE(model.count(), total);

        model.setSearchText("helix dreams");
        QVERIFY(model.count() >= 2);
        for (int row = 0; row < model.count(); ++row)
            QVERIFY(model.data(model.index(row, 0), PortfolioModel::TitleRole)
                        .toString()
                        .contains("Helix Dreams"));
        model.setSearchText("universität heidelberg"); // co-owner names are searchable
        QVERIFY(model.count() > 0);
        model.setSearchText({});
        model.setOwnerFilter("Lind Music Publishing");
        QCOMPARE(model.count(), 1);
        QCOMPARE(model.data(model.index(0, 0), PortfolioModel::ReferenceRole).toString(),
                 QStringLiteral("MBG-C002"));
        QVERIFY(
            model.data(model.index(0, 0), PortfolioModel::OwnersRole).toString().contains("50%"));
        model.setPhaseFilter("commercialization");
        QCOMPARE(model.count(), 1); // distributed by the CMO
        QCOMPARE(model.data(model.index(0, 0), PortfolioModel::PhaseTitleRole).toString(),
                 QStringLiteral("Commercialization"));
        model.clearFilters();
        model.setStatusFilter("no-such-status");
        QCOMPARE(model.count(), 0);
        QVERIFY(model.assetIdAt(0).isEmpty());
    }

    void controllerEditsAndRefuses()
    {
        Session session(m_data);
        PortfolioController portfolio(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("model passphrase");
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.deadlinesLoading(), 20000);
        QVERIFY(portfolio.overdueCount() + portfolio.upcomingCount() > 0);
        QVERIFY(!portfolio.deadlineGroups().isEmpty());
        QVERIFY(!portfolio.deadlinesByMonth().isEmpty());
        QVERIFY(portfolio.jurisdictionOptions().contains("EP"));

        portfolio.openAsset("MBG-C002");
        QCOMPARE(portfolio.asset().value("reference").toString(), QStringLiteral("MBG-C002"));
        QCOMPARE(portfolio.phases().size(), 4);

        // Inline validation names the form's field.
        QVariantMap fields = portfolio.asset();
        fields.insert("owners", "Meridian Biotech GmbH:5000;Lind Music Publishing:4000");
        const QVariantMap errors = portfolio.validateAsset(fields);
        QVERIFY(errors.contains("owners"));
        QVERIFY(errors.value("owners").toString().contains("9,000"));
        fields.insert("owners", "Meridian Biotech GmbH:5000;Lind Music Publishing:5000");
        fields.insert("grantDate", "not a date");
        QVERIFY(portfolio.validateAsset(fields).contains("grantDate"));
        fields.insert("grantDate", "");
        QVERIFY(portfolio.validateAsset(fields).isEmpty());

        // An event on a sub-phase a copyright work does not have is refused; nothing is written.
        portfolio.addEvent("prosecution", "filed", "2024-01-02", {}, {}, {});
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.busy(), 20000);
        QVERIFY(portfolio.assetError().contains("does not apply"));

        QSignalSpy saved(&portfolio, &PortfolioController::assetSaved);
        portfolio.setPhaseState("monetization", "in-progress");
        QVERIFY(saved.wait(20000));
        bool found = false;
        for (const QVariant &phase : portfolio.phases())
            for (const QVariant &sub : phase.toMap().value("subPhases").toList())
                if (sub.toMap().value("id") == "monetization")
                    found = sub.toMap().value("state") == "in-progress";
        QVERIFY(found);

        fields.insert("title", "Song: Helix Dreams (2023)");
        portfolio.saveAsset(fields, false);
        QVERIFY(saved.wait(20000));
        QCOMPARE(portfolio.asset().value("title").toString(),
                 QStringLiteral("Song: Helix Dreams (2023)"));

        // Import through the controller: a bad file writes nothing and says where.
        const QString bad = m_dir.filePath("bad.csv");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("reference,title,type\nX-1,Thing,gizmo\n");
        f.close();
        const int before = portfolio.assets()->totalCount();
        portfolio.importCsv(QUrl::fromLocalFile(bad));
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.busy(), 20000);
        QVERIFY(portfolio.noticeIsError());
        QVERIFY(portfolio.importReport().contains("line 2"));
        QCOMPARE(portfolio.assets()->totalCount(), before);
    }
};

QTEST_GUILESS_MAIN(TestPortfolioModel)
#include "tst_portfoliomodel.moc"
