// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioModel and PortfolioController: the item-model contract, sorting, filters, search, and
// the controller's import, edit validation, events and deadlines without a window.
#include "model/io/demo.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/portfoliomodel.h"
#include "model/ui/session.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

namespace {

/** Every deadline view of the controller — asset page, Deadlines page, chart, badge. */
struct Views
{
    QStringList pageRows;               ///< "key state" of the Deadlines page, in order
    QHash<QString, QStringList> rowsOf; ///< asset id → its rows on the Deadlines page
    int overdueRows = 0;
    QSet<QString> rowMonths;
    int badge = 0;
    QSet<QString> chartMonths;
    int charted = 0, chartedOverdue = 0;
};

Views views(PortfolioController &portfolio)
{
    Views v;
    for (const QVariant &g : portfolio.deadlineGroups())
        for (const QVariant &i : g.toMap().value("items").toList()) {
            const QVariantMap item = i.toMap();
            const QString row = item.value("key").toString() + " " + item.value("state").toString();
            v.pageRows << row;
            v.rowsOf[item.value("assetId").toString()] << row;
            const QString state = item.value("state").toString();
            v.overdueRows += state == "in grace" || state == "overdue" || state == "rights lost";
            v.rowMonths.insert(item.value("due").toString().left(7));
        }
    v.badge = portfolio.overdueCount();
    for (const QVariant &m : portfolio.deadlinesByMonth()) {
        v.chartMonths.insert(m.toMap().value("month").toString());
        v.charted += m.toMap().value("count").toInt();
        v.chartedOverdue += m.toMap().value("overdue").toInt();
    }
    return v;
}

/** The open asset's rows that the Deadlines page must show too: open, due within 90 days. */
QStringList assetPageRows(PortfolioController &portfolio)
{
    QStringList rows;
    const QDate horizon = QDate::currentDate().addDays(90);
    for (const QVariant &i : portfolio.assetDeadlines()) {
        const QVariantMap item = i.toMap();
        if (!item.value("done").toBool() &&
            QDate::fromString(item.value("due").toString(), Qt::ISODate) <= horizon)
            rows << item.value("key").toString() + " " + item.value("state").toString();
    }
    return rows;
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

    void formShowsEveryInvalidField()
    {
        Session session(m_data);
        PortfolioController portfolio(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("model passphrase");
        QVERIFY(ready.wait(20000));
        const QVariantMap errors = portfolio.validateAsset({{"new", true},
                                                            {"reference", "X-1"},
                                                            {"title", ""},
                                                            {"type", "patent"},
                                                            {"filingDate", "2021-03-15"},
                                                            {"grantDate", "2020-01-01"},
                                                            {"expiryDate", "31.12.2040"},
                                                            {"jurisdictions", "EP;XX"},
                                                            {"owners", "Meridian:5000"}});
        // Each message beside its own field, under the form's field names.
        QCOMPARE(errors.keys(),
                 (QStringList{"expiryDate", "grantDate", "jurisdictions", "owners", "title"}));
        QCOMPARE(errors.value("grantDate").toString(),
                 QStringLiteral("2020-01-01 is before the filing date (2021-03-15)"));
        QVERIFY(errors.value("expiryDate").toString().contains("YYYY-MM-DD"));
        QVERIFY(errors.value("owners").toString().contains("5,000"));
    }

    void deadlineViewsAgree()
    {
        // A new EP application whose third-year fee was missed (its grace ended more than a
        // year ago) and whose fourth-year fee is past its grace too; a US patent whose first
        // maintenance fee was missed two years ago. Both are lost rights.
        const QDate today = QDate::currentDate();
        const QString data = m_dir.filePath("views");
        {
            Workspace ws(data);
            QVERIFY(ws.create("Meridian Biotech GmbH", "model passphrase",
                              ledger::KdfLimits::interactive())
                        .ok());
            const QByteArray commands =
                QStringLiteral(
                    R"({"command":"register-asset","reference":"EP-NEW","title":"Assay","type":"patent","jurisdiction":"EP","filing_date":"%1","status":"pending"})"
                    "\n"
                    R"({"command":"register-asset","reference":"US-OLD","title":"Pump","type":"patent","jurisdiction":"US","filing_date":"%2","grant_date":"%3","status":"granted"})"
                    "\n"
                    R"({"command":"register-asset","reference":"TM-1","title":"MERIDIAN","type":"trademark","jurisdiction":"JP","registration_date":"%4"})"
                    "\n")
                    .arg(today.addMonths(-46).toString(Qt::ISODate),
                         today.addYears(-8).toString(Qt::ISODate),
                         today.addYears(-6).toString(Qt::ISODate),
                         today.addYears(-10).addMonths(-2).toString(Qt::ISODate))
                    .toUtf8();
            auto applied = applyJsonLines(ws, commands);
            QVERIFY2(applied.ok(), qPrintable(applied.errorString()));
        }
        Session session(data);
        PortfolioController portfolio(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("model passphrase");
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.deadlinesLoading(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.deadlineGroups().isEmpty(), 20000);

        const Views v = views(portfolio);
        // The badge counts the overdue rows; the chart has a bar for exactly the rows' months
        // and holds every row, its overdue part the badge.
        QCOMPARE(v.badge, v.overdueRows);
        QCOMPARE(v.chartMonths, v.rowMonths);
        QCOMPARE(v.charted, int(v.pageRows.size()));
        QCOMPARE(v.chartedOverdue, v.badge);
        QCOMPARE(v.badge, 3); // EP year 3 and US 3.5 years lost, the trademark in grace

        // Each asset page lists the asset's open deadlines exactly as the Deadlines page does.
        for (const char *reference : {"EP-NEW", "US-OLD", "TM-1"}) {
            portfolio.openAsset(QLatin1String(reference));
            const QString id = portfolio.assetId();
            QCOMPARE(assetPageRows(portfolio), v.rowsOf.value(id));
        }
        portfolio.openAsset("EP-NEW");
        const QString ep = portfolio.assetId();
        QVERIFY2(v.rowsOf.value(ep).contains(ep + "/EP/ep-renewal-3/3 rights lost"),
                 qPrintable(v.rowsOf.value(ep).join(", ")));
        QVERIFY(v.rowsOf.value(ep).contains(ep + "/EP/ep-renewal/4 blocked"));
        portfolio.openAsset("US-OLD");
        const QString us = portfolio.assetId();
        QVERIFY(v.rowsOf.value(us).contains(us + "/US/us-maintenance/1 rights lost"));

        // Recording what happened settles the lost right everywhere at once.
        QSignalSpy saved(&portfolio, &PortfolioController::assetSaved);
        portfolio.recordDeadlineOutcome(us + "/US/us-maintenance/1", "lapsed",
                                        today.toString(Qt::ISODate), "Not worth reviving");
        QVERIFY(saved.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.deadlinesLoading(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(portfolio.overdueCount(), 2, 20000);
        const Views after = views(portfolio);
        QVERIFY(after.rowsOf.value(us).isEmpty());
        QCOMPARE(assetPageRows(portfolio), QStringList());
        bool lapsed = false;
        for (const QVariant &i : portfolio.assetDeadlines())
            lapsed = lapsed || i.toMap().value("state") == "lapsed";
        QVERIFY(lapsed);
        QCOMPARE(after.chartedOverdue, after.badge);
    }
};

QTEST_GUILESS_MAIN(TestPortfolioModel)
#include "tst_portfoliomodel.moc"
