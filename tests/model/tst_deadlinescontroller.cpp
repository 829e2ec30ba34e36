// SPDX-License-Identifier: GPL-3.0-or-later
// DeadlinesController without a window: the dashboard computed off the GUI thread after unlocking
// and on refresh, overdue first, the rows of a table grouped under their headings.
#include "model/ui/deadlinescontroller.h"
#include "model/ui/session.h"
#include "modeltestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

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
        QCOMPARE(rows.size(), deadlines.overdueCount() + deadlines.upcomingCount());
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
            QVERIFY(row.value("state") == "overdue" || row.value("state") == "in grace");
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
};

QTEST_GUILESS_MAIN(TestDeadlinesController)
#include "tst_deadlinescontroller.moc"
