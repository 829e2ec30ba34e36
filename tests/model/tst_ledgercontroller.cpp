// SPDX-License-Identifier: GPL-3.0-or-later
// Session and LedgerController without a window: state changes, work off the GUI thread, cancel.
#include "ledger/logstore.h"
#include "model/ui/ledgercontroller.h"
#include "model/ui/session.h"
#include "model/workspace/projection.h"
#include "tests/testutil.h"

#include <QFile>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QUrl>

using namespace cartulary;
using namespace cartulary::model;

class TestLedgerController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString file(const QString &name, const QByteArray &content)
    {
        return testutil::writeFile(m_dir.path(), name, content);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createRecordVerify()
    {
        Session session(m_dir.filePath("org"));
        session.setKdfLimits(ledger::KdfLimits::interactive());
        LedgerController ledger(&session);
        QCOMPARE(session.state(), Session::NoIdentity);

        // Form validation happens before any work and writes nothing.
        session.createIdentity("Org", "short", "short");
        QVERIFY(session.errorString().contains("at least"));
        session.createIdentity("Org", "long enough phrase", "different phrase!!");
        QVERIFY(session.errorString().contains("differ"));
        session.createIdentity(" ", "long enough phrase", "long enough phrase");
        QVERIFY(session.errorString().contains("name"));
        QVERIFY(!QFile::exists(m_dir.filePath("org/identity.key")));

        QSignalSpy ready(&session, &Session::ready);
        session.createIdentity("Org", "long enough phrase", "long enough phrase");
        QVERIFY(session.busy());
        QVERIFY(ready.wait(20000));
        QCOMPARE(session.state(), Session::Unlocked);
        QVERIFY(!session.fingerprint().isEmpty());
        // Opening runs an incremental verification by itself.
        QTRY_COMPARE_WITH_TIMEOUT(ledger.verifyState(), LedgerController::Verified, 20000);

        ledger.recordDocuments(
            {QUrl::fromLocalFile(file("a.txt", "a")), QUrl::fromLocalFile(file("b.txt", "b"))},
            "note");
        QVERIFY(ledger.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000);
        QCOMPARE(ledger.entryCount(), 2);
        QCOMPARE(ledger.checkpointSize(), 2);
        QVERIFY(ledger.notice().contains("entries 0–1"));
        QCOMPARE(ledger.verifyState(), LedgerController::Unverified);

        // A missing file: nothing recorded, the error is logged.
        ledger.recordDocuments({QUrl::fromLocalFile(m_dir.filePath("gone.txt"))}, {});
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000);
        QCOMPARE(ledger.entryCount(), 2);
        QCOMPARE(ledger.errorLog().size(), 1);
        QVERIFY(ledger.errorLog().first().contains("gone.txt"));

        ledger.verify(false);
        QCOMPARE(ledger.verifyState(), LedgerController::Verifying);
        QTRY_COMPARE_WITH_TIMEOUT(ledger.verifyState(), LedgerController::Verified, 20000);
        QVERIFY(ledger.verifyMessage().contains("2 entries verified"));

        const QVariantMap details = ledger.entryDetails(1);
        QCOMPARE(details.value("seq").toLongLong(), 2);
        QCOMPARE(details.value("signatureValid").toBool(), true);
        QCOMPARE(details.value("checkpointSize").toLongLong(), 2);
        QVERIFY(details.value("body").toString().contains("b.txt"));
        QVERIFY(ledger.entryDetails(99).isEmpty());

        QSignalSpy proof(&ledger, &LedgerController::proofReady);
        ledger.proveEntry(0);
        QVERIFY(proof.wait(10000));
        QCOMPARE(proof[0][0].toInt(), 0);
        QCOMPARE(proof[0][1].toBool(), true);
        QVERIFY(proof[0][2].toString().startsWith("c2sp.org/tlog-proof@v1\nindex 0\n"));
    }

    void wrongPassphraseStaysLocked()
    {
        Session session(m_dir.filePath("org"));
        LedgerController ledger(&session);
        QCOMPARE(session.state(), Session::Locked);
        QCOMPARE(session.organisationName(), QStringLiteral("Org"));
        session.unlock("wrong wrong wrong");
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);
        QCOMPARE(session.state(), Session::Locked);
        QVERIFY(session.errorString().contains("wrong passphrase"));
        QCOMPARE(ledger.entryCount(), 0);

        QSignalSpy ready(&session, &Session::ready);
        session.unlock("long enough phrase");
        QVERIFY(ready.wait(20000));
        QCOMPARE(session.state(), Session::Unlocked);
        QVERIFY(session.errorString().isEmpty());
        QCOMPARE(ledger.entryCount(), 2);
    }

    void provenForkIsShown()
    {
        Session session(m_dir.filePath("org"));
        LedgerController ledger(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("long enough phrase");
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000);
        QVERIFY(ledger.forkWarnings().isEmpty());

        // A peer signs two different first entries; both reach this node.
        auto identity =
            ledger::KeyStore::unlock(m_dir.filePath("org/identity.key"), "long enough phrase");
        QVERIFY(identity.ok());
        auto store = ledger::LogStore::open(session.databasePath());
        QVERIFY(store.ok());
        const ledger::KeyPair peer = ledger::KeyPair::fromSeed(QByteArray(32, 'p'));
        ledger::Entry e{peer.publicKey, 1, {}, 1, "test.entry", "{\"v\":1}"};
        const auto first = ledger::signEntry(e, peer.secretKey);
        e.body = "{\"v\":2}";
        const auto second = ledger::signEntry(e, peer.secretKey);
        auto r = store.value()->accept({first.bytes, second.bytes}, identity.value()->keys);
        QVERIFY(r.ok());
        QCOMPARE(r->at(1).outcome, ledger::AcceptOutcome::Forked);

        ledger.refreshStats();
        QCOMPARE(ledger.forkWarnings().size(), 1);
        QVERIFY(ledger.forkWarnings().first().contains(ledger::fingerprint(peer.publicKey)));
        QVERIFY(ledger.forkWarnings().first().contains("frozen"));
        QCOMPARE(ledger.entryCount(), 3);
    }

    void cancelledVerificationSaysSo()
    {
        Session session(m_dir.filePath("org"));
        LedgerController ledger(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("long enough phrase");
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000); // the automatic incremental run
        // Hold the thread pool's only thread, so that the verification can start only after the
        // cancel: deterministic however fast the run would be.
        QThreadPool *pool = QThreadPool::globalInstance();
        const int threads = pool->maxThreadCount();
        pool->setMaxThreadCount(1);
        QSemaphore started;
        QSemaphore gate;
        pool->start([&] {
            started.release();
            gate.acquire();
        });
        started.acquire();
        ledger.verify(false);
        QCOMPARE(ledger.verifyState(), LedgerController::Verifying);
        ledger.cancel();
        gate.release();
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000);
        pool->setMaxThreadCount(threads);
        QCOMPARE(ledger.verifyState(), LedgerController::Cancelled);
        QVERIFY(ledger.verifyMessage().contains("cancelled"));
        QVERIFY(ledger.notice().contains("not fully checked"));
    }

    void cancelledRebuildAtUnlockStaysLocked()
    {
        // Read tables of another version: unlocking rebuilds them, verifying every entry first.
        const QString dir = m_dir.filePath("org");
        auto projectionVersion = [&dir] {
            auto db = sql::Database::open(dir + "/cartulary.db");
            auto st = db.value()->prepare("SELECT version FROM projection_state");
            return st.next() ? st.int64(0) : -1;
        };
        {
            auto db = sql::Database::open(dir + "/cartulary.db");
            QVERIFY(db.value()->exec("UPDATE projection_state SET version = 0").ok());
        }
        Session session(dir);
        LedgerController ledger(&session);
        // Hold the writer thread until the cancel is in: the rebuild then meets it at its first
        // chunk, however fast the machine.
        QSemaphore gate;
        session.post([&gate](Workspace &) { gate.acquire(); });
        session.unlock("long enough phrase");
        QVERIFY(session.busy());
        session.cancel();
        gate.release();
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);
        QCOMPARE(session.state(), Session::Locked);
        QVERIFY2(session.errorString().contains("cancelled"), qPrintable(session.errorString()));
        QCOMPARE(ledger.entryCount(), 0);
        QCOMPARE(projectionVersion(), 0); // rolled back: nothing changed

        // Unlocking again finishes the rebuild and opens the ledger.
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("long enough phrase");
        QVERIFY(ready.wait(20000));
        QCOMPARE(session.state(), Session::Unlocked);
        QCOMPARE(projectionVersion(), qint64(Projection::Version));
        QCOMPARE(ledger.entryCount(), 3);
    }

    void readOnlyLedgerSaysWhyFromTheStart()
    {
        // The data directory's database is replaced by an older copy of itself (a restored backup).
        const QString dir = m_dir.filePath("restored");
        const QString db = dir + "/cartulary.db";
        {
            Workspace ws(dir);
            QVERIFY(ws.create("Org", "long enough phrase", ledger::KdfLimits::interactive()).ok());
            QVERIFY(ws.append({ledger::Draft{"test.entry", "{}", 0}}).ok());
        }
        QVERIFY(QFile::copy(db, dir + "/backup.db"));
        {
            Workspace ws(dir);
            QVERIFY(ws.unlock("long enough phrase").ok());
            QVERIFY(ws.append({ledger::Draft{"test.entry", "{}", 0}}).ok());
        }
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        QVERIFY(QFile::copy(dir + "/backup.db", db));

        Session session(dir);
        LedgerController ledger(&session);
        QSignalSpy ready(&session, &Session::ready);
        session.unlock("long enough phrase");
        QVERIFY(ready.wait(20000));
        QCOMPARE(session.state(), Session::Unlocked); // reading still works
        const QString why = QStringLiteral("log truncated: checkpoint 2 signed, 1 entries present");
        QVERIFY(session.ledgerNotes().join('\n').contains(why));
        QVERIFY2(ledger.errorLog().join('\n').contains("read-only: " + why),
                 qPrintable(ledger.errorLog().join('\n')));
        QTRY_COMPARE_WITH_TIMEOUT(ledger.verifyState(), LedgerController::Failed, 20000);
        QVERIFY(ledger.verifyMessage().contains(why));

        // A write attempt says it again, and writes nothing.
        ledger.recordDocuments({QUrl::fromLocalFile(file("late.txt", "late"))}, {});
        QTRY_VERIFY_WITH_TIMEOUT(!ledger.busy(), 20000);
        QVERIFY(ledger.errorLog().first().contains("Nothing was recorded"));
        QVERIFY(ledger.errorLog().first().contains(why));
        QCOMPARE(ledger.entryCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLedgerController)
#include "tst_ledgercontroller.moc"
