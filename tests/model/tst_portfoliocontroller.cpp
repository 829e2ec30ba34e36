// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioController without a window: the table and the filters' options read off the GUI
// thread after unlocking, CSV import all or nothing, export off the GUI thread.
#include "model/ui/portfoliocontroller.h"
#include "model/ui/session.h"
#include "modeltestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

class TestPortfolioController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void importExportAndOptions()
    {
        QVERIFY(m_dir.isValid());
        const QString data = m_dir.filePath("org");
        QVERIFY(testutil::createDemo(data, QDate(2026, 11, 22)));
        Session session(data);
        PortfolioController portfolio(&session);
        QSignalSpy options(&portfolio, &PortfolioController::optionsChanged);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock(testutil::Passphrase);
        QVERIFY(ready.wait(20000));
        // The options are read on a worker after unlocking: none yet on this thread.
        QVERIFY(portfolio.jurisdictionOptions().isEmpty());
        QVERIFY(options.wait(20000));
        QVERIFY(portfolio.jurisdictionOptions().contains("EP"));
        QVERIFY(portfolio.ownerOptions().contains("Lind Music Publishing"));
        QCOMPARE(portfolio.typeOptions().size(), 11);
        QTRY_VERIFY(!portfolio.assets()->loading());
        const int total = portfolio.assets()->totalCount();
        QVERIFY(total > 200);

        // Import: a bad file writes nothing and says where.
        QSignalSpy changed(&portfolio, &PortfolioController::portfolioChanged);
        portfolio.importCsv(QUrl::fromLocalFile(testutil::writeFile(m_dir.path(), "bad.csv",
                                                                    "reference,title,type\n"
                                                                    "X-1,Thing,gizmo\n")));
        QVERIFY(portfolio.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.busy(), 20000);
        QVERIFY(portfolio.noticeIsError());
        QVERIFY(portfolio.importReport().contains("line 2"));
        QCOMPARE(changed.size(), 0);
        QTRY_VERIFY(!portfolio.assets()->loading());
        QCOMPARE(portfolio.assets()->totalCount(), total);

        // A good one: signed, the table and the other areas follow.
        portfolio.importCsv(
            QUrl::fromLocalFile(testutil::writeFile(m_dir.path(), "good.csv",
                                                    "reference,title,type,jurisdiction\n"
                                                    "IMP-1,Imported patent,patent,FR\n")));
        QVERIFY(changed.wait(20000));
        QVERIFY2(!portfolio.noticeIsError(), qPrintable(portfolio.notice()));
        QVERIFY(portfolio.notice().contains("1 registered"));
        QTRY_COMPARE(portfolio.assets()->totalCount(), total + 1);
        QTRY_VERIFY(portfolio.jurisdictionOptions().contains("FR"));

        // Export, off the GUI thread: every asset, read back by import.
        const QString out = m_dir.filePath("export.csv");
        portfolio.exportCsv(QUrl::fromLocalFile(out));
        QVERIFY(portfolio.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.busy(), 20000);
        QVERIFY2(!portfolio.noticeIsError(), qPrintable(portfolio.notice()));
        QFile exported(out);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QVERIFY(exported.readAll().contains("IMP-1"));
        portfolio.exportCsv(QUrl::fromLocalFile(m_dir.filePath("no/such/dir/export.csv")));
        QTRY_VERIFY_WITH_TIMEOUT(!portfolio.busy(), 20000);
        QVERIFY(portfolio.noticeIsError());
    }
};

QTEST_GUILESS_MAIN(TestPortfolioController)
#include "tst_portfoliocontroller.moc"
