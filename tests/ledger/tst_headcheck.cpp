// SPDX-License-Identifier: GPL-3.0-or-later
// The head check: nothing read back from the database is signed over unchecked; a database cut
// back or replaced by an older copy is caught; two stores on one database take turns correctly.
#include "ledger/checkpointfile.h"
#include "ledger/logstore.h"
#include "ledger/verifier.h"
#include "ledgertestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::ledger;

class TestHeadCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::shared_ptr<Identity> m_node = testutil::identity("Node", 'n');
    KeyPair m_peer = KeyPair::fromSeed(QByteArray(32, 'p'));

    /** A fresh database path and the outside checkpoint file that goes with it. */
    std::pair<QString, QString> fresh()
    {
        const QString base = m_dir.filePath(QStringLiteral("ledger-%1").arg(++m_counter));
        return {base + ".db", base + "-checkpoint.txt"};
    }

    std::unique_ptr<LogStore> open(const QString &path, const QString &checkpointFile = {})
    {
        auto store = LogStore::open(path, {checkpointFile});
        if (!store)
            qFatal("%s", qPrintable(store.errorString()));
        if (!store.value()->bindNodeKey(m_node->keys.publicKey))
            qFatal("bind failed");
        return std::move(store).value();
    }

    VerifyReport verify(const QString &path, const QString &checkpointFile = {})
    {
        VerifyOptions o;
        o.checkpointFile = checkpointFile;
        return Verifier::run(path, m_node->keys.publicKey, o);
    }

    /** Runs SQL on a database file, as someone with write access to it would. */
    static void tamper(const QString &path, const char *sqlText)
    {
        auto db = sql::Database::open(path);
        QVERIFY(db.ok());
        const Status s = db.value()->exec(sqlText);
        QVERIFY2(s.ok(), qPrintable(s.errorString()));
    }

    /** Inserts a row at the end of the log and sets the author's head and the cached frontier to
     * match, as an attacker who wants the node to sign over it would. */
    static void insertRow(const QString &path, const SignedEntry &s)
    {
        auto store = LogStore::open(path);
        QVERIFY(store.ok());
        const quint64 index = store.value()->size();
        auto tree = store.value()->loadTree(index);
        QVERIFY(tree.ok());
        merkle::CompactRange frontier;
        for (quint64 i = 0; i < index; ++i)
            frontier.append(tree->leaf(i));
        frontier.append(s.hash);
        sql::Database &db = store.value()->database();
        auto st = db.prepare("INSERT INTO entries(idx, hash, author, seq, time_ms, kind, bytes, "
                             "received_ms) VALUES(?,?,?,?,?,?,?,0)");
        st.bind(1, qint64(index))
            .bind(2, toView(s.hash))
            .bind(3, toView(s.entry.author))
            .bind(4, qint64(s.entry.seq))
            .bind(5, s.entry.timeMs)
            .bind(6, QString::fromLatin1(s.entry.kind))
            .bind(7, s.bytes);
        QVERIFY(st.exec().ok());
        auto head =
            db.prepare("INSERT INTO authors(author, head_seq, head_hash) VALUES(?1, ?2, ?3) "
                       "ON CONFLICT(author) DO UPDATE SET head_seq=?2, head_hash=?3");
        head.bind(1, toView(s.entry.author)).bind(2, qint64(s.entry.seq)).bind(3, toView(s.hash));
        QVERIFY(head.exec().ok());
        auto meta = db.prepare("UPDATE ledger_meta SET value=? WHERE key='frontier'");
        meta.bind(1, frontier.serialize());
        QVERIFY(meta.exec().ok());
    }

    /** The node's next entry with its signature damaged: what a forger without the key has. */
    SignedEntry forgedNext(const QString &path)
    {
        auto store = LogStore::open(path);
        const auto [seq, head] = store.value()->head(m_node->keys.publicKey);
        Entry e{m_node->keys.publicKey, seq + 1,      head,
                1767225600000,          "test.entry", "{\"forged\":true}"};
        SignedEntry s = signEntry(e, KeyPair::fromSeed(QByteArray(32, 'f')).secretKey);
        s.bytes = encodeUnsigned(s.entry) + toBytes(s.signature);
        s.hash = leafHash(s.bytes);
        return s;
    }

    /** Replaces a closed database by another file (an older copy, another log). */
    static void replaceDatabase(const QString &path, const QString &with)
    {
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
        QVERIFY(QFile::copy(with, path));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void forgedRowAfterTheCheckpointIsNeverSignedOver()
    {
        const auto [path, file] = fresh();
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(3)).ok());
        insertRow(path, forgedNext(path));

        auto store = open(path);
        auto r = store->appendLocal(*m_node, testutil::drafts(1));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("read-only"));
        QVERIFY2(r.errorString().contains("entry 3 ") && r.errorString().contains("bad signature"),
                 qPrintable(r.errorString()));
        // Nothing was signed: the latest checkpoint is still the one before the forged row.
        QCOMPARE(store->latestCheckpoint()->size, 3u);
        QCOMPARE(store->size(), 4u);
        QVERIFY(store->writeRefusal().has_value());
        // Still readable and provable; verification names the same entry.
        QCOMPARE(store->entryAt(1)->seq, 2u);
        QVERIFY(store->loadTree(3).ok());
        const VerifyReport report = verify(path);
        QCOMPARE(report.problem, Problem::BadSignature);
        QCOMPARE(report.index, 3u);
        // Accepting a peer's entries is refused the same way.
        auto accepted = store->accept(testutil::bytesOf(testutil::chain(m_peer, 1)), m_node->keys);
        QCOMPARE(accepted.error().code, QStringLiteral("read-only"));
    }

    void validlySignedRowWithoutCheckpointIsRefused()
    {
        // A peer's genuine entry slipped into the table behind Cartulary's back: its signature and
        // chain check, but the node never accepted it (domain rules, frozen authors), so it does
        // not sign over it.
        const auto [path, file] = fresh();
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(2)).ok());
        insertRow(path, testutil::chain(m_peer, 1).first());
        auto store = open(path);
        const Status s = store->checkHead();
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains("entries 2 to 2 are not covered by a signed checkpoint"),
                 qPrintable(s.errorString()));
        QCOMPARE(store->appendLocal(*m_node, testutil::drafts(1)).error().code,
                 QStringLiteral("read-only"));
    }

    void damagedFrontierIsRecomputedNotTrusted()
    {
        const auto [path, file] = fresh();
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(5)).ok());
        // A frontier of the right size but the wrong hashes: the old store signed its root.
        merkle::CompactRange wrong;
        for (int i = 0; i < 5; ++i)
            wrong.append(sha256(QByteArray::number(i)));
        auto db = sql::Database::open(path);
        auto st = db.value()->prepare("UPDATE ledger_meta SET value=? WHERE key='frontier'");
        st.bind(1, wrong.serialize());
        QVERIFY(st.exec().ok());
        db = Result<std::shared_ptr<sql::Database>>::failure("x", "x");

        auto store = open(path);
        QVERIFY(store->appendLocal(*m_node, testutil::drafts(2)).ok());
        const VerifyReport report = verify(path);
        QVERIFY2(report.ok, qPrintable(report.summary()));
        QCOMPARE(report.total, 7u);
    }

    void forgedCheckpointRowIsRefused()
    {
        const auto [path, file] = fresh();
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(2)).ok());
        tamper(path,
               "UPDATE checkpoints SET note=replace(note, X'0A320A', X'0A330A') WHERE size=2");
        auto store = open(path);
        const Status s = store->checkHead();
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains("checkpoint at size 2"), qPrintable(s.errorString()));
    }

    void twoStoresOnOneDatabaseTakeTurns()
    {
        // The app and the command line on one data directory: each append re-reads the head
        // under the write lock and checks what the other appended before signing over it.
        const auto [path, file] = fresh();
        auto a = open(path, file);
        auto b = open(path, file);
        QVERIFY(a->appendLocal(*m_node, testutil::drafts(2)).ok());
        auto fromB = b->appendLocal(*m_node, testutil::drafts(3));
        QVERIFY2(fromB.ok(), qPrintable(fromB.errorString()));
        QCOMPARE(fromB->first().index, 2u);
        QCOMPARE(fromB->first().seq, 3u);
        auto fromA = a->appendLocal(*m_node, testutil::drafts(1));
        QVERIFY2(fromA.ok(), qPrintable(fromA.errorString()));
        QCOMPARE(fromA->first().index, 5u);
        QCOMPARE(fromA->first().seq, 6u);
        const auto peer = testutil::chain(m_peer, 2);
        auto accepted = b->accept(testutil::bytesOf(peer), m_node->keys);
        QVERIFY2(accepted.ok(), qPrintable(accepted.errorString()));
        QCOMPARE(accepted->at(0).outcome, AcceptOutcome::Accepted);
        QVERIFY(a->appendLocal(*m_node, testutil::drafts(2)).ok());
        QCOMPARE(a->root(), a->latestCheckpoint()->root);

        const VerifyReport report = verify(path, file);
        QVERIFY2(report.ok, qPrintable(report.summary()));
        QCOMPARE(report.total, 10u);
        QCOMPARE(a->head(m_node->keys.publicKey).first, 8u);
        // The file outside holds the latest checkpoint, whoever wrote it.
        auto outside = CheckpointFile::read(file, m_node->keys.publicKey);
        QVERIFY(outside.ok() && outside.value());
        QCOMPARE(outside.value()->checkpoint.size, 10u);
    }

    void bulkAppendResignsAfterAnotherStoreExtendsTheChain()
    {
        const auto [path, file] = fresh();
        auto a = open(path, file);
        auto b = open(path, file);
        BulkOptions options;
        options.batchSize = 100;
        int calls = 0;
        // Between a's first and second batch (after its COMMIT), b appends to the same chain.
        options.progress = [&](quint64, quint64) {
            if (++calls == 1)
                QVERIFY(b->appendLocal(*m_node, testutil::drafts(3)).ok());
        };
        QList<StoredEntry> written;
        auto r = a->appendBulk(*m_node, testutil::drafts(250), options, &written);
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r.value(), 250u);
        QCOMPARE(written.size(), 250);
        QCOMPARE(written[100].index, 103u);
        QCOMPARE(written[100].seq, 104u);
        QCOMPARE(a->size(), 253u);
        const VerifyReport report = verify(path, file);
        QVERIFY2(report.ok, qPrintable(report.summary()));
    }

    void anotherStoresEntriesAreCheckedBeforeSigning()
    {
        const auto [path, file] = fresh();
        auto a = open(path);
        QVERIFY(a->appendLocal(*m_node, testutil::drafts(2)).ok());
        {
            auto b = open(path);
            QVERIFY(b->appendLocal(*m_node, testutil::drafts(2)).ok());
        }
        // Someone damages what the other store wrote before this one looks at it.
        auto db = sql::Database::open(path);
        auto read = db.value()->prepare("SELECT bytes FROM entries WHERE idx=3");
        QVERIFY(read.next());
        QByteArray bytes = read.blob(0);
        read = sql::Statement();
        bytes[bytes.size() - 3] = char(bytes[bytes.size() - 3] ^ 0x01);
        auto write = db.value()->prepare("UPDATE entries SET bytes=?, hash=? WHERE idx=3");
        write.bind(1, bytes).bind(2, toView(leafHash(bytes)));
        QVERIFY(write.exec().ok());
        db = Result<std::shared_ptr<sql::Database>>::failure("x", "x");

        auto r = a->appendLocal(*m_node, testutil::drafts(1));
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().contains("entry 3 ") && r.errorString().contains("bad signature"),
                 qPrintable(r.errorString()));
        QCOMPARE(a->latestCheckpoint()->size, 4u);
    }

    void olderCopyOfTheDatabaseIsCaught()
    {
        const auto [path, file] = fresh();
        const QString backup = path + ".backup";
        QVERIFY(open(path, file)->appendLocal(*m_node, testutil::drafts(3)).ok());
        QVERIFY(QFile::copy(path, backup));
        QVERIFY(open(path, file)->appendLocal(*m_node, testutil::drafts(2)).ok());
        replaceDatabase(path, backup);

        // On its own the older copy is a perfectly valid ledger...
        QVERIFY(verify(path).ok);
        // ...but not next to the checkpoint the node signed last.
        const VerifyReport report = verify(path, file);
        QCOMPARE(report.problem, Problem::Truncated);
        QVERIFY2(report.summary().contains("log truncated: checkpoint 5 signed, 3 entries present"),
                 qPrintable(report.summary()));
        auto store = open(path, file);
        auto r = store->appendLocal(*m_node, testutil::drafts(1));
        QCOMPARE(r.error().code, QStringLiteral("read-only"));
        QVERIFY2(r.errorString().contains("log truncated: checkpoint 5 signed, 3 entries present"),
                 qPrintable(r.errorString()));
        QCOMPARE(store->size(), 3u);
    }

    void cutBackWithItsCheckpointsFrontierAndMarkIsCaught()
    {
        const auto [path, file] = fresh();
        {
            auto store = open(path, file);
            QVERIFY(store->appendLocal(*m_node, testutil::drafts(3)).ok());
            QVERIFY(store->appendLocal(*m_node, testutil::drafts(3)).ok());
            const VerifyReport full = verify(path, file);
            QVERIFY(full.ok);
            QVERIFY(store->storeVerifiedMark(full.total, full.root, m_node->keys).ok());
        }
        // Everything inside the database agrees with a log of 3 entries.
        auto store = open(path);
        auto tree = store->loadTree(3);
        merkle::CompactRange three;
        for (quint64 i = 0; i < 3; ++i)
            three.append(tree->leaf(i));
        auto db = sql::Database::open(path);
        QVERIFY(db.value()
                    ->exec("DELETE FROM entries WHERE idx >= 3; DELETE FROM checkpoints WHERE size "
                           "> 3; DELETE FROM ledger_meta WHERE key IN ('verified', "
                           "'verified_mark');")
                    .ok());
        auto st = db.value()->prepare("UPDATE ledger_meta SET value=? WHERE key='frontier'");
        st.bind(1, three.serialize());
        QVERIFY(st.exec().ok());
        auto head = db.value()->prepare("UPDATE authors SET head_seq=3, head_hash=?");
        head.bind(1, toView(tree->leaf(2)));
        QVERIFY(head.exec().ok());
        store.reset();
        db = Result<std::shared_ptr<sql::Database>>::failure("x", "x");

        QVERIFY(verify(path).ok);
        const VerifyReport report = verify(path, file);
        QCOMPARE(report.problem, Problem::Truncated);
        QVERIFY(report.summary().contains("log truncated: checkpoint 6 signed, 3 entries present"));
        const Status s = open(path, file)->checkHead();
        QVERIFY2(s.errorString().contains("log truncated: checkpoint 6 signed, 3 entries present"),
                 qPrintable(s.errorString()));
    }

    void checkpointRowsRemovedButEntriesKeptIsARollback()
    {
        const auto [path, file] = fresh();
        {
            auto store = open(path, file);
            QVERIFY(store->appendLocal(*m_node, testutil::drafts(3)).ok());
            QVERIFY(store->appendLocal(*m_node, testutil::drafts(2)).ok());
        }
        tamper(path, "DELETE FROM checkpoints WHERE size > 3");
        const VerifyReport report = verify(path, file);
        QCOMPARE(report.problem, Problem::RolledBack);
        QVERIFY(report.reason.contains("size 3"));
        const Status s = open(path, file)->checkHead();
        QVERIFY2(s.errorString().contains("older than the one kept"), qPrintable(s.errorString()));
    }

    void anotherLogUnderTheSameKeyIsCaught()
    {
        // Two histories signed by the one key: the outside checkpoint belongs to the first.
        const auto [path, file] = fresh();
        const auto [otherPath, otherFile] = fresh();
        QVERIFY(open(path, file)->appendLocal(*m_node, testutil::drafts(3)).ok());
        {
            auto other = open(otherPath);
            QVERIFY(other->appendLocal(*m_node, testutil::drafts(2, "other.kind")).ok());
            QVERIFY(other->appendLocal(*m_node, testutil::drafts(3, "other.kind")).ok());
        }
        // A larger log that does not extend the one the file vouches for.
        replaceDatabase(path, otherPath);
        const VerifyReport larger = verify(path, file);
        QCOMPARE(larger.problem, Problem::RolledBack);
        QVERIFY2(larger.reason.contains("another log"), qPrintable(larger.reason));
        const Status s = open(path, file)->checkHead();
        QVERIFY2(s.errorString().contains("does not extend"), qPrintable(s.errorString()));

        // The same size, another root.
        const auto [samePath, sameFile] = fresh();
        QVERIFY(open(samePath)->appendLocal(*m_node, testutil::drafts(3, "third.kind")).ok());
        replaceDatabase(path, samePath);
        QCOMPARE(verify(path, file).problem, Problem::RolledBack);
        const Status same = open(path, file)->checkHead();
        QVERIFY2(same.errorString().contains("holds another log"), qPrintable(same.errorString()));
    }

    void missingFileIsWrittenAfterChecking()
    {
        // First run after an upgrade (or the file was deleted: the two cannot be told apart).
        const auto [path, file] = fresh();
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(4)).ok());
        QVERIFY(!QFile::exists(file));
        const VerifyReport before = verify(path, file);
        QVERIFY(before.ok);
        QCOMPARE(before.notes.size(), 1);
        QVERIFY(before.notes.first().contains("no checkpoint is kept outside"));

        auto store = open(path, file);
        QVERIFY(store->checkHead().ok());
        QVERIFY2(store->headNotice().contains("was missing"), qPrintable(store->headNotice()));
        auto outside = CheckpointFile::read(file, m_node->keys.publicKey);
        QVERIFY(outside.ok() && outside.value());
        QCOMPARE(outside.value()->checkpoint.size, 4u);
        QCOMPARE(outside.value()->note, store->latestCheckpoint()->note);
        QVERIFY(verify(path, file).notes.isEmpty());
    }

    void laggingFileMovesForwardOnlyAfterConsistencyIsShown()
    {
        const auto [path, file] = fresh();
        QVERIFY(open(path, file)->appendLocal(*m_node, testutil::drafts(3)).ok());
        // A tool that does not know the file appends: the file now lags behind the database.
        QVERIFY(open(path)->appendLocal(*m_node, testutil::drafts(2)).ok());
        auto outside = CheckpointFile::read(file, m_node->keys.publicKey);
        QCOMPARE(outside.value()->checkpoint.size, 3u);
        QVERIFY(verify(path, file).ok);

        auto store = open(path, file);
        QVERIFY(store->checkHead().ok());
        outside = CheckpointFile::read(file, m_node->keys.publicKey);
        QCOMPARE(outside.value()->checkpoint.size, 5u);

        // The file never moves back, even when asked to.
        QVERIFY(CheckpointFile::advance(file, store->checkpointAt(3)->note, m_node->keys.publicKey)
                    .ok());
        QCOMPARE(CheckpointFile::read(file, m_node->keys.publicKey).value()->checkpoint.size, 5u);
    }

    void fileSignedByAnotherKeyIsRefused()
    {
        const auto [path, file] = fresh();
        QVERIFY(open(path, file)->appendLocal(*m_node, testutil::drafts(1)).ok());
        const KeyPair other = KeyPair::fromSeed(QByteArray(32, 'z'));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(signCheckpoint({logOrigin(other.publicKey), 0, merkle::emptyRoot()}, other));
        f.close();
        QCOMPARE(verify(path, file).problem, Problem::BadCheckpoint);
        const Status s = open(path, file)->checkHead();
        QVERIFY2(!s.ok() && s.errorString().contains(file), qPrintable(s.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestHeadCheck)
#include "tst_headcheck.moc"
