// SPDX-License-Identifier: GPL-3.0-or-later
// DeadlinesController without a window: the dashboard computed off the GUI thread after unlocking
// and on refresh, overdue first, the rows of a table grouped under their headings; and one truth in
// every deadline view (asset page, Deadlines page, chart, badge), lost rights included.
#include "model/ui/assetcontroller.h"
#include "model/ui/deadlinescontroller.h"
#include "model/ui/session.h"
#include "modeltestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

namespace {

/** Every deadline view of the Deadlines page — rows, chart, badge. */
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

Views views(const DeadlinesController &deadlines)
{
    Views v;
    for (const QVariant &g : deadlines.deadlineGroups())
        for (const QVariant &i : g.toMap().value("items").toList()) {
            const QVariantMap item = i.toMap();
            const QString row = item.value("key").toString() + " " + item.value("state").toString();
            v.pageRows << row;
            v.rowsOf[item.value("assetId").toString()] << row;
            const QString state = item.value("state").toString();
            v.overdueRows += state == "in grace" || state == "overdue" || state == "rights lost";
            v.rowMonths.insert(item.value("due").toString().left(7));
        }
    v.badge = deadlines.overdueCount();
    for (const QVariant &m : deadlines.deadlinesByMonth()) {
        v.chartMonths.insert(m.toMap().value("month").toString());
        v.charted += m.toMap().value("count").toInt();
        v.chartedOverdue += m.toMap().value("overdue").toInt();
    }
    return v;
}

/** The open asset's rows that the Deadlines page must show too: open, due within 90 days. */
QStringList assetPageRows(const AssetController &asset)
{
    QStringList rows;
    const QDate horizon = QDate::currentDate().addDays(90);
    for (const QVariant &i : asset.deadlines()) {
        const QVariantMap item = i.toMap();
        if (!item.value("done").toBool() &&
            QDate::fromString(item.value("due").toString(), Qt::ISODate) <= horizon)
            rows << item.value("key").toString() + " " + item.value("state").toString();
    }
    return rows;
}

} // namespace

class TestDeadlinesController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void dashboard()
    {
        QVERIFY(m_dir.isValid());
        const QString data = m_dir.filePath("org");
        QVERIFY(testutil::createDemo(data));
        Session session(data);
        DeadlinesController deadlines(&session);
        QSignalSpy changed(&deadlines, &DeadlinesController::deadlinesChanged);
        // Locked: nothing to compute.
        deadlines.refresh();
        QVERIFY(!deadlines.busy());
        QSignalSpy ready(&session, &Session::ready);
        session.unlock(testutil::Passphrase);
        QVERIFY(ready.wait(20000));
        // Unlocking starts the computation on a worker; the GUI thread only waits for it.
        QVERIFY(deadlines.busy());
        QVERIFY(changed.wait(30000));
        QVERIFY(!deadlines.busy());
        QVERIFY(deadlines.overdueCount() > 0);
        QVERIFY(deadlines.upcomingCount() > 0);
        QVERIFY(!deadlines.deadlinesByMonth().isEmpty());

        // Overdue (or in grace) first; the table's rows carry their group and whether it is late.
        const QVariantList groups = deadlines.deadlineGroups();
        QVERIFY(groups.first().toMap().value("overdue").toBool());
        const QVariantList rows = deadlines.deadlineRows();
        QVERIFY(rows.size() >= deadlines.overdueCount() + deadlines.upcomingCount());
        QCOMPARE(rows.first().toMap().value("group"), groups.first().toMap().value("title"));
        // The first row of each group says so: the table draws the group's heading above it.
        int starts = 0;
        for (const QVariant &row : rows)
            starts += row.toMap().value("groupStart").toBool();
        QCOMPARE(starts, groups.size());
        QVERIFY(rows.first().toMap().value("groupStart").toBool());
        for (int i = 0; i < deadlines.overdueCount(); ++i) {
            const QVariantMap row = rows.at(i).toMap();
            QVERIFY(row.value("late").toBool());
            QVERIFY(row.value("state") == "overdue" || row.value("state") == "in grace" ||
                    row.value("state") == "rights lost");
            QVERIFY(!row.value("stateTitle").toString().isEmpty());
        }
        QVERIFY(!rows.last().toMap().value("late").toBool());

        // A refresh supersedes one still running: one result, the newest.
        changed.clear();
        deadlines.refresh();
        deadlines.refresh();
        QVERIFY(changed.wait(30000));
        QTest::qWait(200);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(deadlines.deadlineRows().size(), rows.size());
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
            QVERIFY(ws.create("Meridian Biotech GmbH", testutil::Passphrase,
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
        DeadlinesController deadlines(&session);
        AssetController asset(&session);
        QObject::connect(&asset, &AssetController::assetWritten, &deadlines,
                         &DeadlinesController::refresh);
        QSignalSpy changed(&deadlines, &DeadlinesController::deadlinesChanged);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock(testutil::Passphrase);
        QVERIFY(ready.wait(20000));
        QVERIFY(changed.wait(30000));
        const auto open = [&asset](const QString &reference) {
            asset.openAsset(reference);
            return QTest::qWaitFor(
                [&] {
                    return !asset.loading() &&
                           asset.asset().value("reference").toString() == reference;
                },
                20000);
        };

        const Views v = views(deadlines);
        // The badge counts the overdue rows; the chart has a bar for exactly the rows' months
        // and holds every row, its overdue part the badge.
        QCOMPARE(v.badge, v.overdueRows);
        QCOMPARE(v.chartMonths, v.rowMonths);
        QCOMPARE(v.charted, int(v.pageRows.size()));
        QCOMPARE(v.chartedOverdue, v.badge);
        QCOMPARE(v.badge, 3); // EP year 3 and US 3.5 years lost, the trademark in grace

        // Each asset page lists the asset's open deadlines exactly as the Deadlines page does.
        for (const char *reference : {"EP-NEW", "US-OLD", "TM-1"}) {
            QVERIFY(open(QLatin1String(reference)));
            QCOMPARE(assetPageRows(asset), v.rowsOf.value(asset.assetId()));
        }
        QVERIFY(open("EP-NEW"));
        const QString ep = asset.assetId();
        QVERIFY2(v.rowsOf.value(ep).contains(ep + "/EP/ep-renewal-3/3 rights lost"),
                 qPrintable(v.rowsOf.value(ep).join(", ")));
        QVERIFY(v.rowsOf.value(ep).contains(ep + "/EP/ep-renewal/4 blocked"));
        QVERIFY(open("US-OLD"));
        const QString us = asset.assetId();
        QVERIFY(v.rowsOf.value(us).contains(us + "/US/us-maintenance/1 rights lost"));

        // Recording what happened settles the lost right everywhere at once; an outcome that is
        // not one refuses, writing nothing.
        QCOMPARE(asset
                     .recordOutcome(us + "/US/us-maintenance/1", "forgotten",
                                    today.toString(Qt::ISODate), {})
                     .keys(),
                 QStringList{"form"});
        QSignalSpy saved(&asset, &AssetController::assetSaved);
        changed.clear();
        QVERIFY(asset
                    .recordOutcome(us + "/US/us-maintenance/1", "lapsed",
                                   today.toString(Qt::ISODate), "Not worth reviving")
                    .isEmpty());
        QVERIFY(saved.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(deadlines.overdueCount(), 2, 30000);
        const Views after = views(deadlines);
        QVERIFY(after.rowsOf.value(us).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(assetPageRows(asset), QStringList(), 20000);
        bool lapsed = false;
        for (const QVariant &i : asset.deadlines())
            lapsed = lapsed || i.toMap().value("state") == "lapsed";
        QVERIFY(lapsed);
        QCOMPARE(after.chartedOverdue, after.badge);
    }
};

QTEST_GUILESS_MAIN(TestDeadlinesController)
#include "tst_deadlinescontroller.moc"
