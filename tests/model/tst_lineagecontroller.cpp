// SPDX-License-Identifier: GPL-3.0-or-later
// LineageController without a window: the focus and its graph read on a worker (the asset looked
// up there too), a selected asset's report and the suggestions read on a worker as well (never in
// the call), superseded reads dropped.
#include "model/io/demo.h"
#include "model/io/lineageexport.h"
#include "model/ui/lineagecontroller.h"
#include "model/ui/session.h"
#include "model/workspace/commands.h"
#include "modeltestutil.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace cartulary;
using namespace cartulary::model;

namespace {

/** Occupies every thread of the global pool (where the controller's reads run) until released. */
struct GlobalPoolBlocker : testutil::PoolBlocker
{
    GlobalPoolBlocker()
        : PoolBlocker(*QThreadPool::globalInstance())
    {}
};

} // namespace

class TestLineageController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<LineageController> m_lineage;
    QDate m_today = QDate::currentDate();

    /** The report of an asset as the Lineage pane gets it, read here on a connection of ours. */
    QVariantMap expectedReport(const QString &reference)
    {
        auto db = sql::Database::open(m_session->databasePath(), sql::Database::Mode::ReadOnly);
        if (!db)
            return {};
        auto report = lineageReport(*db.value(), reference, 1, m_today);
        return report ? report->toVariantMap() : QVariantMap();
    }

    bool showFocus(const QString &reference)
    {
        QSignalSpy focus(m_lineage.get(), &LineageController::focusChanged);
        m_lineage->show(reference);
        return focus.wait(30000) && m_lineage->focus().value("reference").toString() == reference;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_session = std::make_unique<Session>(m_dir.filePath("org"));
        m_session->setKdfLimits(ledger::KdfLimits::interactive());
        m_lineage = std::make_unique<LineageController>(m_session.get());
        QSignalSpy ready(m_session.get(), &Session::ready);
        m_session->createIdentity(demoOrganisation(), "long enough phrase", "long enough phrase");
        QVERIFY(ready.wait(30000));
        QString error = QStringLiteral("not applied");
        bool done = false;
        const QDate today = m_today;
        m_session->post(
            [&error, today](Workspace &ws) {
                auto written = applyJsonLines(ws, demoCommands(today));
                error = written ? QString() : written.errorString();
            },
            [&done] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
        QCOMPARE(error, QString());
        m_lineage->refresh();
    }

    void cleanupTestCase()
    {
        m_lineage.reset();
        m_session.reset();
        QThreadPool::globalInstance()->waitForDone();
    }

    void focusIsTheFirstSelection()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        QCOMPARE(m_lineage->selectedId(), QString());
        QCOMPARE(m_lineage->selection(), m_lineage->focus());
        QCOMPARE(m_lineage->selection().value("asset").toMap().value("reference").toString(),
                 QStringLiteral("MBG-M003"));
        QVERIFY(!m_lineage->selectionLoading());
    }

    void selectionIsReadOffTheGuiThread()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        const QVariantMap focus = m_lineage->focus();
        QSignalSpy changed(m_lineage.get(), &LineageController::selectionChanged);
        QSignalSpy loading(m_lineage.get(), &LineageController::selectionLoadingChanged);
        {
            // With every worker busy, the read cannot happen: select() must return without it,
            // and the event loop keeps running while it waits (the GUI stays responsive).
            GlobalPoolBlocker blocker;
            m_lineage->select(QStringLiteral("MBG-S003"));
            QVERIFY(m_lineage->selectionLoading());
            QCOMPARE(loading.count(), 1);
            QCOMPARE(changed.count(), 0);
            QTest::qWait(200);
            QCOMPARE(changed.count(), 0);
            QCOMPARE(m_lineage->selection(), focus); // the pane keeps what it showed
        }
        QVERIFY(changed.wait(30000));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!m_lineage->selectionLoading());
        QCOMPARE(loading.count(), 2);
        QCOMPARE(m_lineage->selectedId(), QStringLiteral("MBG-S003"));
        const QVariantMap selection = m_lineage->selection();
        const QVariantMap expected = expectedReport(QStringLiteral("MBG-S003"));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(selection.value("asset"), expected.value("asset"));
        QCOMPARE(selection.value("flags"), expected.value("flags"));
        QCOMPARE(selection.value("edges"), expected.value("edges"));
        QCOMPARE(selection.value("reference").toString(), QStringLiteral("MBG-S003"));
        QVERIFY(selection.contains("licences"));
        QVERIFY(selection.contains("stack") && selection.contains("activeStack"));
        // The focus is not changed by selecting.
        QCOMPARE(m_lineage->focus(), focus);
    }

    void focusIsSelectedWithoutARead()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        const QString focusId = m_lineage->assetId();
        QSignalSpy loading(m_lineage.get(), &LineageController::selectionLoadingChanged);
        GlobalPoolBlocker blocker; // a read could not finish: the focus needs none
        for (const QString &which : {QStringLiteral("MBG-M003"), focusId, QString()}) {
            QSignalSpy changed(m_lineage.get(), &LineageController::selectionChanged);
            m_lineage->select(which);
            QCOMPARE(changed.count(), 1);
            QCOMPARE(m_lineage->selectedId(), QString());
            QCOMPARE(m_lineage->selection(), m_lineage->focus());
        }
        QCOMPARE(loading.count(), 0);
    }

    void newerSelectionWins()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        QSignalSpy changed(m_lineage.get(), &LineageController::selectionChanged);
        {
            GlobalPoolBlocker blocker; // both reads wait, in order
            m_lineage->select(QStringLiteral("MBG-S003"));
            m_lineage->select(QStringLiteral("MBG-DS003"));
        }
        QVERIFY(changed.wait(30000));
        QTest::qWait(300); // room for the older read to (wrongly) arrive
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_lineage->selectedId(), QStringLiteral("MBG-DS003"));
        QCOMPARE(m_lineage->selection().value("reference").toString(), QStringLiteral("MBG-DS003"));

        // Selecting the focus drops a read still running, too.
        changed.clear();
        {
            GlobalPoolBlocker blocker;
            m_lineage->select(QStringLiteral("MBG-S003"));
            m_lineage->select(QString());
            QCOMPARE(changed.count(), 1);
            QVERIFY(!m_lineage->selectionLoading());
        }
        QTest::qWait(300);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_lineage->selection(), m_lineage->focus());
    }

    void newFocusResetsTheSelection()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        QSignalSpy changed(m_lineage.get(), &LineageController::selectionChanged);
        m_lineage->select(QStringLiteral("MBG-S003"));
        QVERIFY(changed.wait(30000));
        QCOMPARE(m_lineage->selectedId(), QStringLiteral("MBG-S003"));
        QVERIFY(showFocus(QStringLiteral("MBG-DS003")));
        QCOMPARE(m_lineage->selectedId(), QString());
        QCOMPARE(m_lineage->selection(), m_lineage->focus());
    }

    void unknownAssetKeepsTheSelection()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        QSignalSpy changed(m_lineage.get(), &LineageController::selectionChanged);
        QSignalSpy notice(m_lineage.get(), &LineageController::noticeChanged);
        m_lineage->select(QStringLiteral("MBG-NOPE"));
        QVERIFY(notice.wait(30000));
        QVERIFY(!m_lineage->selectionLoading());
        QVERIFY(m_lineage->noticeIsError());
        QVERIFY2(m_lineage->notice().contains("MBG-NOPE"), qPrintable(m_lineage->notice()));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(m_lineage->selection(), m_lineage->focus());
        m_lineage->clearNotice();
    }

    void showLooksUpTheAssetOffTheGuiThread()
    {
        QVERIFY(showFocus(QStringLiteral("MBG-M003")));
        const QVariantMap focus = m_lineage->focus();
        QSignalSpy focusChanged(m_lineage.get(), &LineageController::focusChanged);
        QSignalSpy error(m_lineage.get(), &LineageController::errorStringChanged);
        {
            // With every worker busy, show() returns without reading anything.
            GlobalPoolBlocker blocker;
            m_lineage->show(QStringLiteral("MBG-NOPE"));
            QVERIFY(m_lineage->loading());
            QCOMPARE(error.count(), 0);
            QCOMPARE(m_lineage->focus(), focus);
        }
        // An unknown asset: said so, and the graph shown stays.
        QVERIFY(error.wait(30000));
        QVERIFY2(m_lineage->errorString().contains("MBG-NOPE"),
                 qPrintable(m_lineage->errorString()));
        QVERIFY(!m_lineage->loading());
        QCOMPARE(focusChanged.count(), 0);
        QCOMPARE(m_lineage->focus(), focus);
        QCOMPARE(m_lineage->assetId(), focus.value("asset").toMap().value("id").toString());
        // A known one by its reference: the focus moves and the error clears.
        QVERIFY(showFocus(QStringLiteral("MBG-S003")));
        QCOMPARE(m_lineage->errorString(), QString());
        QCOMPARE(m_lineage->assetId(),
                 m_lineage->focus().value("asset").toMap().value("id").toString());
    }

    void suggestionsAreReadOffTheGuiThread()
    {
        QSignalSpy suggestions(m_lineage.get(), &LineageController::suggestionsChanged);
        {
            GlobalPoolBlocker blocker;
            m_lineage->refresh();
            QCOMPARE(suggestions.count(), 0);
        }
        QVERIFY(suggestions.wait(30000));
        const QVariantList list = m_lineage->suggestions();
        QVERIFY(!list.isEmpty() && list.size() <= 8);
        // Most links first.
        for (qsizetype i = 1; i < list.size(); ++i)
            QVERIFY(list[i - 1].toMap().value("links").toLongLong() >=
                    list[i].toMap().value("links").toLongLong());
        QVERIFY(!list.first().toMap().value("reference").toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLineageController)
#include "tst_lineagecontroller.moc"
