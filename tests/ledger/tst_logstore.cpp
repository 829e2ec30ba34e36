// SPDX-License-Identifier: GPL-3.0-or-later
// LogStore: schema, local appends, acceptance of foreign entries, forks, rejections, atomicity.
#include "ledger/logstore.h"
#include "ledger/merkle.h"
#include "ledgertestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::ledger;

class TestLogStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("ledger-%1.db").arg(++m_counter)); }

    std::unique_ptr<LogStore> openBound(const QString &path, const Identity &id)
    {
        auto store = LogStore::open(path);
        if (!store)
            qFatal("%s", qPrintable(store.errorString()));
        if (!store.value()->bindNodeKey(id.keys.publicKey))
            qFatal("bind failed");
        return std::move(store).value();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void schemaIsVersioned()
    {
        const QString path = freshPath();
        {
            auto store = LogStore::open(path);
            QVERIFY(store.ok());
            QCOMPARE(store.value()->database().userVersion(), LogStore::SchemaVersion);
            QCOMPARE(store.value()->size(), 0u);
            QCOMPARE(store.value()->root(), merkle::emptyRoot());
        }
        // Reopening an up-to-date database changes nothing.
        auto again = LogStore::open(path);
        QVERIFY(again.ok());
        QVERIFY(again.value()->database().setUserVersion(LogStore::SchemaVersion + 5).ok());
        again = Result<std::unique_ptr<LogStore>>::failure("x", "x"); // close
        auto newer = LogStore::open(path);
        QVERIFY(!newer.ok());
        QCOMPARE(newer.error().code, QStringLiteral("schema-too-new"));
        QVERIFY(newer.errorString().contains(path));
    }

    void bindsToOneNodeKey()
    {
        auto a = testutil::identity("A", 'a');
        auto b = testutil::identity("B", 'b');
        auto store = openBound(freshPath(), *a);
        QCOMPARE(*store->nodeKey(), a->keys.publicKey);
        QVERIFY(store->bindNodeKey(a->keys.publicKey).ok());
        const Status other = store->bindNodeKey(b->keys.publicKey);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().code, QStringLiteral("wrong-identity"));
    }

    void appendLocalBuildsAChainAndACheckpoint()
    {
        auto id = testutil::identity("Org", 'o');
        const QString path = freshPath();
        auto store = openBound(path, *id);
        auto first = store->appendLocal(*id, testutil::drafts(3));
        QVERIFY2(first.ok(), qPrintable(first.errorString()));
        auto second = store->appendLocal(*id, testutil::drafts(2));
        QVERIFY(second.ok());
        QCOMPARE(store->size(), 5u);

        Hash prev{};
        for (quint64 i = 0; i < 5; ++i) {
            const auto e = store->entryAt(i);
            QVERIFY(e.has_value());
            QCOMPARE(e->index, i);
            QCOMPARE(e->seq, i + 1);
            auto decoded = decodeEntry(e->bytes);
            QVERIFY(decoded.ok());
            QVERIFY(verifyEntrySignature(decoded.value()));
            QCOMPARE(decoded->entry.prev, prev);
            QCOMPARE(decoded->hash, e->hash);
            QCOMPARE(store->entryByHash(e->hash)->index, i);
            prev = e->hash;
        }
        QCOMPARE(store->head(id->keys.publicKey), std::make_pair(quint64(5), prev));

        // One checkpoint per batch, each over the right root.
        QCOMPARE(store->checkpointSizes(), (QList<quint64>{3, 5}));
        auto tree = store->loadTree(5);
        QVERIFY(tree.ok());
        const auto cp = store->latestCheckpoint();
        QCOMPARE(cp->size, 5u);
        QCOMPARE(cp->root, tree->root());
        QCOMPARE(store->checkpointAt(3)->root, tree->rootAt(3));
        auto opened = openCheckpoint(cp->note, id->keys.publicKey);
        QVERIFY(opened.ok());
        QCOMPARE(opened->root, tree->root());
        QCOMPARE(store->root(), tree->root());

        // Paging.
        const auto page = store->entries(1, 3);
        QCOMPARE(page.size(), 3);
        QCOMPARE(page.first().index, 1u);
        QCOMPARE(page.last().index, 3u);

        // Durable: another connection sees the committed entries, and the frontier survives reopen.
        store.reset();
        auto reopened = LogStore::open(path);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened.value()->size(), 5u);
        QCOMPARE(reopened.value()->root(), tree->root());
    }

    void appendBulkCommitsBatchByBatch()
    {
        auto id = testutil::identity("Org", 'o');
        auto store = openBound(freshPath(), *id);
        QList<quint64> progress;
        BulkOptions options;
        options.batchSize = 100;
        options.progress = [&](quint64 done, quint64 total) {
            QCOMPARE(total, 250u);
            progress.append(done);
        };
        QList<StoredEntry> written;
        auto r = store->appendBulk(*id, testutil::drafts(250), options, &written);
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r.value(), 250u);
        QCOMPARE(written.size(), 250);
        QCOMPARE(progress, (QList<quint64>{100, 200, 250}));
        QCOMPARE(store->checkpointSizes(), (QList<quint64>{100, 200, 250}));
        // The chain runs across batch boundaries, signed ahead on another thread.
        for (quint64 i = 1; i < 250; ++i) {
            auto e = decodeEntry(store->entryAt(i)->bytes);
            QVERIFY(verifyEntrySignature(e.value()));
            QCOMPARE(e->entry.prev, store->entryAt(i - 1)->hash);
            QCOMPARE(e->entry.seq, i + 1);
        }
        QCOMPARE(store->loadTree(250)->root(), store->latestCheckpoint()->root);
    }

    void appendBulkKeepsCommittedBatchesOnFailure()
    {
        auto id = testutil::identity("Org", 'o');
        auto store = openBound(freshPath(), *id);
        BulkOptions options;
        options.batchSize = 100;
        options.applier = [](sql::Database &, const StoredEntry &e) -> Status {
            return e.index == 150 ? Status::failure("rule", "entry 150 breaks a rule") : Status();
        };
        auto r = store->appendBulk(*id, testutil::drafts(300), options);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("rule"));
        QCOMPARE(store->size(), 100u);
        QCOMPARE(store->latestCheckpoint()->size, 100u);
        QCOMPARE(store->head(id->keys.publicKey).first, 100u);
        // The log continues cleanly from what was committed.
        auto next = store->appendLocal(*id, testutil::drafts(1));
        QVERIFY(next.ok());
        QCOMPARE(next->first().seq, 101u);
        QCOMPARE(next->first().index, 100u);

        std::atomic_bool cancel{true};
        BulkOptions cancelled;
        cancelled.cancel = &cancel;
        auto c = store->appendBulk(*id, testutil::drafts(500), cancelled);
        QCOMPARE(c.error().code, QStringLiteral("cancelled"));
        QCOMPARE(store->size(), 101u);
    }

    void appendLocalRefusesAnotherIdentity()
    {
        auto id = testutil::identity("Org", 'o');
        auto other = testutil::identity("Other", 'x');
        auto store = openBound(freshPath(), *id);
        auto r = store->appendLocal(*other, testutil::drafts(1));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("wrong-identity"));
        QCOMPARE(store->size(), 0u);
    }

    void appendLocalRefusesInvalidDraftsAtomically()
    {
        auto id = testutil::identity("Org", 'o');
        auto store = openBound(freshPath(), *id);
        QList<Draft> drafts = testutil::drafts(3);
        drafts[2].kind = "Bad Kind";
        auto r = store->appendLocal(*id, drafts);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().contains("entry 3 of 3"), qPrintable(r.errorString()));
        QCOMPARE(store->size(), 0u);
        QVERIFY(!store->latestCheckpoint().has_value());
    }

    void applierFailureRollsBackTheBatch()
    {
        auto id = testutil::identity("Org", 'o');
        auto store = openBound(freshPath(), *id);
        QVERIFY(store->appendLocal(*id, testutil::drafts(2)).ok());
        const Hash rootBefore = store->root();
        int calls = 0;
        auto failing = [&](sql::Database &db, const StoredEntry &) -> Status {
            // Write something first, to prove it is rolled back too.
            if (!db.exec("CREATE TABLE IF NOT EXISTS side(x)").ok() ||
                !db.exec("INSERT INTO side VALUES(1)").ok())
                return Status::failure("test", "side write failed");
            return ++calls == 2 ? Status::failure("rule", "second entry breaks a rule") : Status();
        };
        auto r = store->appendLocal(*id, testutil::drafts(3), failing);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("rule"));
        QCOMPARE(store->size(), 2u);
        QCOMPARE(store->root(), rootBefore);
        QCOMPARE(store->latestCheckpoint()->size, 2u);
        auto side = store->database().prepare("SELECT COUNT(*) FROM side");
        QVERIFY(!side.isValid() || (side.next() && side.int64(0) == 0));
        // The chain continues where it was.
        auto ok = store->appendLocal(*id, testutil::drafts(1));
        QVERIFY(ok.ok());
        QCOMPARE(ok->first().seq, 3u);
    }

    void acceptsAForeignChain()
    {
        auto node = testutil::identity("Node", 'n');
        const KeyPair peer = KeyPair::fromSeed(QByteArray(32, 'p'));
        auto store = openBound(freshPath(), *node);
        const auto entries = testutil::chain(peer, 4);
        auto r = store->accept(testutil::bytesOf(entries), node->keys);
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(r->at(i).outcome, AcceptOutcome::Accepted);
            QCOMPARE(r->at(i).index, quint64(i));
            QCOMPARE(r->at(i).hash, entries[i].hash);
        }
        QCOMPARE(store->latestCheckpoint()->size, 4u);

        // Offering them again changes nothing.
        auto again = store->accept(testutil::bytesOf(entries), node->keys);
        QVERIFY(again.ok());
        for (const auto &res : again.value())
            QCOMPARE(res.outcome, AcceptOutcome::Duplicate);
        QCOMPARE(store->size(), 4u);
        QCOMPARE(store->checkpointSizes(), (QList<quint64>{4}));
    }

    void rejectsWhatDoesNotExtendAChain()
    {
        auto node = testutil::identity("Node", 'n');
        const KeyPair peer = KeyPair::fromSeed(QByteArray(32, 'p'));
        const KeyPair other = KeyPair::fromSeed(QByteArray(32, 'q'));
        auto store = openBound(freshPath(), *node);
        const auto entries = testutil::chain(peer, 5);

        QByteArray badSig = entries[0].bytes;
        badSig[badSig.size() - 1] = char(badSig.back() ^ 0x01);
        QByteArray garbage("not an entry at all");
        // seq 3 without 2: a gap.
        auto r = store->accept({badSig, garbage, entries[0].bytes, entries[2].bytes}, node->keys);
        QVERIFY(r.ok());
        QCOMPARE(r->at(0).outcome, AcceptOutcome::Rejected);
        QVERIFY(r->at(0).reason.contains("bad signature"));
        QCOMPARE(r->at(1).outcome, AcceptOutcome::Rejected);
        QCOMPARE(r->at(2).outcome, AcceptOutcome::Accepted);
        QCOMPARE(r->at(3).outcome, AcceptOutcome::Rejected);
        QVERIFY2(r->at(3).reason.contains("missing predecessor"), qPrintable(r->at(3).reason));
        QCOMPARE(store->size(), 1u);
        QCOMPARE(store->rejectedCount(), 3u);

        // A seq-2 entry whose prev is not the seq-1 entry's hash: broken chain.
        const auto foreignPrev = testutil::chain(peer, 1, 2, testutil::chain(other, 1)[0].hash);
        auto broken = store->accept({foreignPrev[0].bytes}, node->keys);
        QVERIFY(broken.ok());
        QCOMPARE(broken->at(0).outcome, AcceptOutcome::Rejected);
        QVERIFY(broken->at(0).reason.contains("previous hash"));
        QCOMPARE(store->size(), 1u);
    }

    void forkFreezesTheAuthorAndKeepsEvidence()
    {
        auto node = testutil::identity("Node", 'n');
        const KeyPair peer = KeyPair::fromSeed(QByteArray(32, 'p'));
        auto store = openBound(freshPath(), *node);
        const auto honest = testutil::chain(peer, 3);
        QVERIFY(store->accept(testutil::bytesOf(honest.mid(0, 2)), node->keys).ok());

        // A second, validly signed entry for seq 2 with a different body.
        Entry e = honest[1].entry;
        e.body = "{\"n\":\"forked\"}";
        const SignedEntry fork = signEntry(e, peer.secretKey);
        QVERIFY(fork.hash != honest[1].hash);

        auto r = store->accept({fork.bytes}, node->keys);
        QVERIFY(r.ok());
        QCOMPARE(r->at(0).outcome, AcceptOutcome::Forked);
        QVERIFY(store->isFrozen(peer.publicKey));
        QCOMPARE(store->size(), 2u);
        const auto forks = store->forks();
        QCOMPARE(forks.size(), 1);
        QCOMPARE(forks[0].author, peer.publicKey);
        QCOMPARE(forks[0].seq, 2u);
        QCOMPARE(forks[0].keptHash, honest[1].hash);
        QCOMPARE(forks[0].otherBytes, fork.bytes);

        // Frozen: even the honest continuation is refused from now on.
        auto next = store->accept({honest[2].bytes}, node->keys);
        QVERIFY(next.ok());
        QCOMPARE(next->at(0).outcome, AcceptOutcome::Rejected);
        QVERIFY(next->at(0).reason.contains("frozen"));
        QCOMPARE(store->size(), 2u);
    }

    void localChainFrozenAfterFork()
    {
        auto node = testutil::identity("Node", 'n');
        auto store = openBound(freshPath(), *node);
        auto written = store->appendLocal(*node, testutil::drafts(1));
        QVERIFY(written.ok());
        // Someone holding our key signed another seq 1: proof that the key leaked.
        Entry e{node->keys.publicKey, 1, {}, 1, "test.entry", "{\"evil\":true}"};
        const SignedEntry evil = signEntry(e, node->keys.secretKey);
        auto r = store->accept({evil.bytes}, node->keys);
        QVERIFY(r.ok());
        QCOMPARE(r->at(0).outcome, AcceptOutcome::Forked);
        auto refused = store->appendLocal(*node, testutil::drafts(1));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("author-frozen"));
    }

    void domainRejectionLogsButDoesNotApply()
    {
        auto node = testutil::identity("Node", 'n');
        const KeyPair peer = KeyPair::fromSeed(QByteArray(32, 'p'));
        auto store = openBound(freshPath(), *node);
        QVERIFY(store->database().exec("CREATE TABLE applied(idx INTEGER)").ok());
        auto applier = [](sql::Database &db, const StoredEntry &e) -> Status {
            auto st = db.prepare("INSERT INTO applied VALUES(?)");
            st.bind(1, qint64(e.index));
            if (Status s = st.exec(); !s)
                return s;
            return e.seq == 2 ? Status::failure("not-authorised", "peer may not do this")
                              : Status();
        };
        auto r = store->accept(testutil::bytesOf(testutil::chain(peer, 3)), node->keys, applier);
        QVERIFY(r.ok());
        QCOMPARE(r->at(1).outcome, AcceptOutcome::Accepted);
        QCOMPARE(store->size(), 3u);
        QCOMPARE(store->rejectedCount(), 1u);
        auto st = store->database().prepare("SELECT group_concat(idx) FROM applied");
        QVERIFY(st.next());
        QCOMPARE(st.text(0), QStringLiteral("0,2"));
        auto why = store->database().prepare("SELECT code, in_log FROM rejected");
        QVERIFY(why.next());
        QCOMPARE(why.text(0), QStringLiteral("not-authorised"));
        QCOMPARE(why.int64(1), 1);
    }

    void signHeadSignsOnlyTheHead()
    {
        auto id = testutil::identity("Org", 'o');
        auto store = openBound(freshPath(), *id);
        auto empty = store->signHead(id->keys);
        QVERIFY2(empty.ok(), qPrintable(empty.errorString()));
        QCOMPARE(empty->size, 0u);
        QCOMPARE(empty->root, merkle::emptyRoot());
        QVERIFY(store->appendLocal(*id, testutil::drafts(3)).ok());
        QVERIFY(store->appendLocal(*id, testutil::drafts(4)).ok());
        // The head is signed already: the same checkpoint, nothing new and nothing for past sizes.
        auto head = store->signHead(id->keys);
        QVERIFY(head.ok());
        QCOMPARE(head->size, 7u);
        QCOMPARE(head->note, store->latestCheckpoint()->note);
        QCOMPARE(store->checkpointSizes(), (QList<quint64>{0, 3, 7}));
        QCOMPARE(store->nearestCheckpointSizes(4),
                 std::make_pair(std::optional<quint64>(3), std::optional<quint64>(7)));
        QCOMPARE(store->nearestCheckpointSizes(9),
                 std::make_pair(std::optional<quint64>(7), std::optional<quint64>()));
        QCOMPARE(store->coveringCheckpointSize(3), std::optional<quint64>(7));
        QCOMPARE(store->coveringCheckpointSize(2), std::optional<quint64>(3));
        QCOMPARE(store->coveringCheckpointSize(7), std::optional<quint64>());
        // Nothing signs for another key.
        auto other = testutil::identity("Other", 'x');
        QCOMPARE(store->signHead(other->keys).error().code, QStringLiteral("wrong-identity"));
    }

    void readOnlyStoreReadsAndRefusesWrites()
    {
        auto id = testutil::identity("Org", 'o');
        const QString path = freshPath();
        {
            auto store = openBound(path, *id);
            QVERIFY(store->appendLocal(*id, testutil::drafts(3)).ok());
        }
        auto reader = LogStore::openReadOnly(path);
        QVERIFY2(reader.ok(), qPrintable(reader.errorString()));
        QCOMPARE(reader.value()->size(), 3u);
        QCOMPARE(reader.value()->entryAt(1)->seq, 2u);
        QVERIFY(reader.value()->entryAt(1)->receivedMs > 0);
        QCOMPARE(reader.value()->latestCheckpoint()->size, 3u);
        QVERIFY(reader.value()->bindNodeKey(id->keys.publicKey).ok());
        QCOMPARE(reader.value()->appendLocal(*id, testutil::drafts(1)).error().code,
                 QStringLiteral("read-only"));
        QCOMPARE(reader.value()->size(), 3u);
        QVERIFY(!LogStore::openReadOnly(m_dir.filePath("absent.db")).ok());
    }
};

QTEST_GUILESS_MAIN(TestLogStore)
#include "tst_logstore.moc"
