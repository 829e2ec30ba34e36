// SPDX-License-Identifier: GPL-3.0-or-later
// Verifier: a clean ledger passes; every kind of tampering is caught and the first bad entry is
// named.
#include "ledger/logstore.h"
#include "ledger/verifier.h"
#include "ledgertestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtEndian>
#include <QTest>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {
constexpr int LocalEntries = 40;
constexpr int PeerEntries = 20;
} // namespace

class TestVerifier : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pristine;
    std::shared_ptr<Identity> m_node = testutil::identity("Node", 'n');
    KeyPair m_peer = KeyPair::fromSeed(QByteArray(32, 'p'));
    int m_counter = 0;

    /** A copy of the pristine ledger to tamper with. */
    QString copy()
    {
        const QString path = m_dir.filePath(QStringLiteral("copy-%1.db").arg(++m_counter));
        if (!QFile::copy(m_pristine, path))
            qFatal("copy failed");
        return path;
    }

    /** Runs SQL on a database file, as an attacker with write access to it would. */
    static void tamper(const QString &path, const char *sqlText)
    {
        auto db = sql::Database::open(path);
        QVERIFY(db.ok());
        const Status s = db.value()->exec(sqlText);
        QVERIFY2(s.ok(), qPrintable(s.errorString()));
    }

    /** Flips one bit of the stored bytes of entry idx at offset (negative: from the end). */
    static void flipByte(const QString &path, qint64 idx, qsizetype offset)
    {
        auto db = sql::Database::open(path);
        QVERIFY(db.ok());
        auto read = db.value()->prepare("SELECT bytes FROM entries WHERE idx=?");
        read.bind(1, idx);
        QVERIFY(read.next());
        QByteArray bytes = read.blob(0);
        const qsizetype at = offset < 0 ? bytes.size() + offset : offset;
        bytes[at] = char(bytes[at] ^ 0x04);
        auto write = db.value()->prepare("UPDATE entries SET bytes=? WHERE idx=?");
        write.bind(1, bytes).bind(2, idx);
        QVERIFY(write.exec().ok());
    }

    VerifyReport run(const QString &path, bool incremental = false, int threads = 0)
    {
        VerifyOptions o;
        o.incremental = incremental;
        o.threads = threads;
        return Verifier::run(path, m_node->keys.publicKey, o);
    }

    /** A full run, then the mark the app stores after one: signed by the node key. */
    void markVerified(const QString &path)
    {
        const VerifyReport full = run(path);
        QVERIFY2(full.ok, qPrintable(full.summary()));
        auto store = LogStore::open(path);
        QVERIFY(store.value()->bindNodeKey(m_node->keys.publicKey).ok());
        const Status s = store.value()->storeVerifiedMark(full.total, full.root, m_node->keys);
        QVERIFY2(s.ok(), qPrintable(s.errorString()));
    }

    /** (author, seq) of the entry at idx in the pristine ledger. */
    std::pair<PublicKey, quint64> who(qint64 idx)
    {
        auto store = LogStore::open(m_pristine);
        const auto e = store.value()->entryAt(quint64(idx));
        return {e->author, e->seq};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pristine = m_dir.filePath("pristine.db");
        auto store = LogStore::open(m_pristine);
        QVERIFY(store.ok());
        QVERIFY(store.value()->bindNodeKey(m_node->keys.publicKey).ok());
        QVERIFY(store.value()->signHead(m_node->keys).ok());
        // Interleave two authors over several batches (several checkpoints).
        const auto peer = testutil::chain(m_peer, PeerEntries);
        for (int batch = 0; batch < 4; ++batch) {
            QVERIFY(store.value()->appendLocal(*m_node, testutil::drafts(LocalEntries / 4)).ok());
            QVERIFY(
                store.value()
                    ->accept(testutil::bytesOf(peer.mid(batch * PeerEntries / 4, PeerEntries / 4)),
                             m_node->keys)
                    .ok());
        }
        QCOMPARE(store.value()->size(), quint64(LocalEntries + PeerEntries));
    }

    void cleanLedgerVerifies()
    {
        const QString path = copy();
        quint64 lastDone = 0;
        quint64 lastTotal = 0;
        VerifyOptions o;
        o.progress = [&](quint64 done, quint64 total) {
            QVERIFY(done >= lastDone);
            lastDone = done;
            lastTotal = total;
        };
        const VerifyReport r = Verifier::run(path, m_node->keys.publicKey, o);
        QVERIFY2(r.ok, qPrintable(r.summary()));
        QCOMPARE(r.total, quint64(LocalEntries + PeerEntries));
        QCOMPARE(r.signaturesChecked, r.total);
        QCOMPARE(r.checkpointsChecked, 9u); // size 0 and two per batch
        QCOMPARE(lastDone, r.total);
        QCOMPARE(lastTotal, r.total);
        auto store = LogStore::open(path);
        QCOMPARE(r.root, store.value()->root());
        QVERIFY(r.summary().startsWith("ok: 60 entries"));
    }

    void singleAndMultiThreadedAgree()
    {
        const QString path = copy();
        const VerifyReport one = run(path, false, 1);
        const VerifyReport two = run(path, false, 2);
        QVERIFY(one.ok && two.ok);
        QCOMPARE(one.root, two.root);
        flipByte(path, 33, 120);
        const VerifyReport badOne = run(path, false, 1);
        const VerifyReport badTwo = run(path, false, 2);
        QCOMPARE(badOne.problem, badTwo.problem);
        QCOMPARE(badOne.index, badTwo.index);
    }

    void incrementalSkipsOnlyVerifiedSignatures()
    {
        const QString path = copy();
        // Without a mark, an incremental run checks every signature.
        QCOMPARE(run(path, true).signaturesChecked, quint64(LocalEntries + PeerEntries));
        markVerified(path);
        const VerifyReport again = run(path, true);
        QVERIFY2(again.ok, qPrintable(again.summary()));
        QCOMPARE(again.signaturesChecked, 0u);
        // Grow the log: only the new entries' signatures are checked.
        {
            auto store = LogStore::open(path);
            QVERIFY(store.value()->appendLocal(*m_node, testutil::drafts(3)).ok());
        }
        const VerifyReport grown = run(path, true);
        QVERIFY(grown.ok);
        QCOMPARE(grown.signaturesChecked, 3u);
    }

    void incrementalStillCatchesOldTampering()
    {
        const QString path = copy();
        markVerified(path);
        flipByte(path, 5, 100); // inside the body of an already verified entry
        const VerifyReport r = run(path, true);
        QVERIFY(!r.ok);
        QCOMPARE(r.problem, Problem::ModifiedRow);
        QCOMPARE(r.index, 5u);
        // A full run names the precise cause.
        const VerifyReport full = run(path);
        QCOMPARE(full.problem, Problem::BadSignature);
        QCOMPARE(full.index, 5u);
    }

    void flippedBodyBitIsABadSignature()
    {
        const QString path = copy();
        flipByte(path, 17, 130);
        const VerifyReport r = run(path);
        QVERIFY(!r.ok);
        QCOMPARE(r.problem, Problem::BadSignature);
        QVERIFY(r.hasEntry);
        QCOMPARE(r.index, 17u);
        const auto [author, seq] = who(17);
        QCOMPARE(r.author, author);
        QCOMPARE(r.seq, seq);
        QVERIFY(r.summary().contains("entry 17"));
        QVERIFY(r.summary().contains("bad signature"));
    }

    void flippedSignatureBitIsABadSignature()
    {
        const QString path = copy();
        flipByte(path, 42, -7);
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::BadSignature);
        QCOMPARE(r.index, 42u);
    }

    void entryByAnotherKeyInPlaceIsCaught()
    {
        // Replace entry 3 (local, seq 4) by one with the same fields signed with a wrong key.
        const QString path = copy();
        auto store = LogStore::open(path);
        auto original = decodeEntry(store.value()->entryAt(3)->bytes);
        const KeyPair wrong = KeyPair::fromSeed(QByteArray(32, 'w'));
        SignedEntry forged = signEntry(original->entry, wrong.secretKey);
        store.value().reset();
        auto db = sql::Database::open(path);
        auto st = db.value()->prepare("UPDATE entries SET bytes=?, hash=? WHERE idx=3");
        st.bind(1, forged.bytes).bind(2, toView(forged.hash));
        QVERIFY(st.exec().ok());
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::BadSignature);
        QCOMPARE(r.index, 3u);
    }

    void reSignedEntryBreaksTheMerkleRoot()
    {
        // Even the key holder cannot rewrite history: a different, validly signed entry in place
        // of a logged one changes the root that the checkpoints signed. Idx 54 is the local
        // author's last entry, so no later entry links to it and the chains stay intact.
        constexpr qint64 idx = 54;
        const QString path = copy();
        auto store = LogStore::open(path);
        auto original = decodeEntry(store.value()->entryAt(idx)->bytes);
        QCOMPARE(original->entry.author, m_node->keys.publicKey);
        QCOMPARE(original->entry.seq, quint64(LocalEntries));
        Entry e = original->entry;
        e.body = "{\"rewritten\":true}";
        const SignedEntry rewritten = signEntry(e, m_node->keys.secretKey);
        auto st =
            store.value()->database().prepare("UPDATE entries SET bytes=?, hash=? WHERE idx=?");
        st.bind(1, rewritten.bytes).bind(2, toView(rewritten.hash)).bind(3, idx);
        QVERIFY(st.exec().ok());
        store.value().reset();
        const VerifyReport r = run(path);
        QVERIFY(!r.ok);
        QCOMPARE(r.problem, Problem::BadMerkleRoot);
        QCOMPARE(r.index, quint64(idx));
    }

    void modifiedColumnIsAModifiedRow()
    {
        const QString path = copy();
        tamper(path, "UPDATE entries SET kind='asset.registered' WHERE idx=9");
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::ModifiedRow);
        QCOMPARE(r.index, 9u);

        const QString path2 = copy();
        tamper(path2, "UPDATE entries SET time_ms=time_ms+1 WHERE idx=11");
        QCOMPARE(run(path2).problem, Problem::ModifiedRow);

        const QString path3 = copy();
        tamper(path3, "UPDATE entries SET hash=zeroblob(32) WHERE idx=12");
        QCOMPARE(run(path3).problem, Problem::ModifiedRow);

        const QString path4 = copy();
        tamper(path4, "UPDATE entries SET bytes=substr(bytes, 1, 50) WHERE idx=13");
        const VerifyReport truncated = run(path4);
        QCOMPARE(truncated.problem, Problem::ModifiedRow);
        QVERIFY(truncated.reason.contains("decode"));
    }

    void deletedMiddleRowIsAMissingRow()
    {
        const QString path = copy();
        tamper(path, "DELETE FROM entries WHERE idx=21");
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::MissingRow);
        QCOMPARE(r.index, 21u);
    }

    void deletedRowWithRenumberingIsCaught()
    {
        // The attacker deletes a row and renumbers the rest to hide the gap.
        const QString path = copy();
        tamper(path, "DELETE FROM entries WHERE idx=2; UPDATE entries SET idx=idx-1 WHERE idx>2");
        const VerifyReport r = run(path);
        QVERIFY(!r.ok);
        QVERIFY2(r.problem == Problem::MissingRow || r.problem == Problem::BadMerkleRoot,
                 qPrintable(r.summary()));
        QVERIFY(r.index <= 2u);
    }

    void deletedLastRowIsATruncation()
    {
        const QString path = copy();
        tamper(path, "DELETE FROM entries WHERE idx=(SELECT MAX(idx) FROM entries)");
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::Truncated);
        QCOMPARE(r.summary(),
                 QStringLiteral("log truncated: checkpoint 60 signed, 59 entries present"));
    }

    void unsignedMarkDoesNotSkipSignatures()
    {
        // Someone who can write the database damages the last entry's signature, gets the node
        // to sign a checkpoint over the damaged log (what appending did when it trusted the stored
        // frontier), and writes a mark saying all of it was verified. Only a mark signed by the
        // node key may let signatures go unchecked; this one means a full run.
        const QString path = copy();
        constexpr qint64 last = LocalEntries + PeerEntries - 1; // the peer's last entry
        flipByte(path, last, -5);
        auto db = sql::Database::open(path);
        QVERIFY(db.ok());
        merkle::CompactRange frontier;
        {
            auto read = db.value()->prepare("SELECT idx, bytes FROM entries ORDER BY idx");
            while (read.next()) {
                const Hash h = leafHash(read.blob(1));
                frontier.append(h);
                if (read.int64(0) == last) {
                    auto fix = db.value()->prepare("UPDATE entries SET hash=? WHERE idx=?");
                    fix.bind(1, toView(h)).bind(2, last);
                    QVERIFY(fix.exec().ok());
                }
            }
        }
        const Checkpoint cp{logOrigin(m_node->keys.publicKey), frontier.size(), frontier.root()};
        auto resign = db.value()->prepare("UPDATE checkpoints SET root=?, note=? WHERE size=?");
        resign.bind(1, toView(cp.root))
            .bind(2, signCheckpoint(cp, m_node->keys))
            .bind(3, qint64(cp.size));
        QVERIFY(resign.exec().ok());
        QByteArray mark(8, Qt::Uninitialized);
        qToBigEndian(cp.size, mark.data());
        mark += toBytes(cp.root);
        auto forge = db.value()->prepare(
            "INSERT OR REPLACE INTO ledger_meta(key, value) VALUES('verified', ?1), "
            "('verified_mark', ?2)");
        forge.bind(1, mark).bind(2, mark + QByteArray(64, '\0'));
        QVERIFY(forge.exec().ok());
        db = Result<std::shared_ptr<sql::Database>>::failure("x", "x");

        const VerifyReport r = run(path, true);
        QVERIFY(!r.ok);
        QCOMPARE(r.problem, Problem::BadSignature);
        QCOMPARE(r.index, quint64(last));
        QCOMPARE(r.notes.size(), 1);
        QVERIFY(r.notes.first().contains("mark does not check"));
    }

    void markOfAnotherKeyOrRootIsNotUsed()
    {
        const QString path = copy();
        auto store = LogStore::open(path);
        QVERIFY(store.value()->bindNodeKey(m_node->keys.publicKey).ok());
        const Hash root = store.value()->latestCheckpoint()->root;
        // The store signs a mark only for a root the node signed at that size.
        QCOMPARE(store.value()->storeVerifiedMark(60, Hash{}, m_node->keys).error().code,
                 QStringLiteral("bad-mark"));
        QCOMPARE(store.value()->storeVerifiedMark(61, root, m_node->keys).error().code,
                 QStringLiteral("bad-mark"));
        // A mark signed by another key is ignored: every signature is checked, and it says so.
        const KeyPair other = KeyPair::fromSeed(QByteArray(32, 'z'));
        auto st = store.value()->database().prepare(
            "INSERT OR REPLACE INTO ledger_meta(key, value) VALUES('verified_mark', ?)");
        st.bind(1, signVerifiedMark({60, root}, other));
        QVERIFY(st.exec().ok());
        store.value().reset();
        const VerifyReport r = run(path, true);
        QVERIFY2(r.ok, qPrintable(r.summary()));
        QCOMPARE(r.signaturesChecked, 60u);
        QCOMPARE(r.notes.size(), 1);
    }

    void visitSeesEveryCheckedEntryInOrder()
    {
        const QString path = copy();
        QList<quint64> seen;
        VerifyOptions o;
        o.visit = [&seen](const StoredEntry &e) -> Status {
            seen.append(e.index);
            return decodeEntry(e.bytes).ok() && leafHash(e.bytes) == e.hash
                       ? Status()
                       : Status::failure("test", "the visited entry is not what was checked");
        };
        const VerifyReport all = Verifier::run(path, m_node->keys.publicKey, o);
        QVERIFY2(all.ok, qPrintable(all.summary()));
        QCOMPARE(seen.size(), LocalEntries + PeerEntries);
        for (qsizetype i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i], quint64(i));

        // The visit can stop the run; it is named like any other problem.
        VerifyOptions stop;
        stop.visit = [](const StoredEntry &e) {
            return e.index == 12 ? Status::failure("test", "no thanks") : Status();
        };
        const VerifyReport stopped = Verifier::run(path, m_node->keys.publicKey, stop);
        QCOMPARE(stopped.problem, Problem::VisitFailed);
        QCOMPARE(stopped.index, 12u);
        QCOMPARE(stopped.reason, QStringLiteral("no thanks"));

        // A bad entry is never visited.
        flipByte(path, 17, 130);
        seen.clear();
        QCOMPARE(Verifier::run(path, m_node->keys.publicKey, o).problem, Problem::BadSignature);
        QCOMPARE(seen.last(), 16u);
    }

    void cancelMidWayStopsAfterAChunk()
    {
        // More than one chunk of rows: cancelled from the first progress report, deterministically.
        const QString path = m_dir.filePath("big.db");
        {
            auto store = LogStore::open(path);
            QVERIFY(store.value()->bindNodeKey(m_node->keys.publicKey).ok());
            BulkOptions bulk;
            bulk.batchSize = 2500;
            QVERIFY(store.value()->appendBulk(*m_node, testutil::drafts(5000), bulk).ok());
        }
        std::atomic_bool cancel{false};
        QList<quint64> reports;
        VerifyOptions o;
        o.cancel = &cancel;
        o.progress = [&](quint64 done, quint64) {
            reports.append(done);
            cancel = true;
        };
        const VerifyReport r = Verifier::run(path, m_node->keys.publicKey, o);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QCOMPARE(r.total, 5000u);
        QCOMPARE(reports, (QList<quint64>{4096}));
        QCOMPARE(r.signaturesChecked, 4096u);
        QVERIFY(r.summary().startsWith("cancelled after 4096 of 5000"));
    }

    void reorderedRowsOfOneAuthorBreakTheChain()
    {
        const QString path = copy();
        // idx 0 and 1 are the local author's seq 1 and 2: swap every column.
        tamper(path, "UPDATE entries SET idx=-1 WHERE idx=0;"
                     "UPDATE entries SET idx=0 WHERE idx=1;"
                     "UPDATE entries SET idx=1 WHERE idx=-1;");
        const VerifyReport r = run(path);
        QVERIFY(!r.ok);
        QCOMPARE(r.index, 0u);
        QVERIFY2(r.problem == Problem::MissingRow || r.problem == Problem::BrokenChain,
                 qPrintable(r.summary()));
        // Seq 2 first: its predecessor is missing at that point.
        QCOMPARE(r.seq, 2u);
    }

    void reorderedRowsOfTwoAuthorsBreakTheRoot()
    {
        const QString path = copy();
        // idx 9 is the local author's 10th entry, idx 10 the peer's first: swapping keeps both
        // chains in order, so only the Merkle root can tell.
        tamper(path, "UPDATE entries SET idx=-1 WHERE idx=9;"
                     "UPDATE entries SET idx=9 WHERE idx=10;"
                     "UPDATE entries SET idx=10 WHERE idx=-1;");
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::BadMerkleRoot);
        QVERIFY(r.index >= 9u);
    }

    void tamperedCheckpointIsCaught()
    {
        const QString path = copy();
        tamper(path,
               "UPDATE checkpoints SET note=replace(note, X'0A3130', X'0A3131') WHERE size=10");
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::BadCheckpoint);
        QVERIFY(r.reason.contains("size 10"));

        const QString path2 = copy();
        tamper(path2, "UPDATE checkpoints SET root=zeroblob(32) WHERE size=25");
        QCOMPARE(run(path2).problem, Problem::BadCheckpoint);
    }

    void appendedEntryWithoutCheckpointIsCaught()
    {
        // A validly signed entry slipped in behind the app's back: no checkpoint covers it.
        const QString path = copy();
        auto store = LogStore::open(path);
        const auto [seq, head] = store.value()->head(m_node->keys.publicKey);
        Entry e{m_node->keys.publicKey, seq + 1, head, 1, "test.entry", "{}"};
        const SignedEntry s = signEntry(e, m_node->keys.secretKey);
        auto st = store.value()->database().prepare(
            "INSERT INTO entries(idx, hash, author, seq, time_ms, kind, bytes, received_ms) "
            "VALUES(?,?,?,?,?,?,?,0)");
        st.bind(1, qint64(store.value()->size()))
            .bind(2, toView(s.hash))
            .bind(3, toView(e.author))
            .bind(4, qint64(e.seq))
            .bind(5, e.timeMs)
            .bind(6, QStringLiteral("test.entry"))
            .bind(7, s.bytes);
        QVERIFY(st.exec().ok());
        store.value().reset();
        const VerifyReport r = run(path);
        QCOMPARE(r.problem, Problem::Uncheckpointed);
    }

    void wrongNodeKeyRejectsCheckpoints()
    {
        const QString path = copy();
        const KeyPair other = KeyPair::fromSeed(QByteArray(32, 'z'));
        VerifyOptions o;
        const VerifyReport r = Verifier::run(path, other.publicKey, o);
        QCOMPARE(r.problem, Problem::BadCheckpoint);
    }

    void cancelStopsEarly()
    {
        const QString path = copy();
        std::atomic_bool cancel{true};
        VerifyOptions o;
        o.cancel = &cancel;
        const VerifyReport r = Verifier::run(path, m_node->keys.publicKey, o);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QVERIFY(r.summary().startsWith("cancelled"));
    }

    void missingDatabaseIsAStorageError()
    {
        VerifyOptions o;
        const VerifyReport r =
            Verifier::run(m_dir.filePath("no/such/dir/x.db"), m_node->keys.publicKey, o);
        QVERIFY(!r.ok);
        QCOMPARE(r.problem, Problem::StorageError);
    }
};

QTEST_GUILESS_MAIN(TestVerifier)
#include "tst_verifier.moc"
