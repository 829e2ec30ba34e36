// SPDX-License-Identifier: GPL-3.0-or-later
// The proof builder: proofs at signed sizes only, checked before they are handed out, and refused
// (never signed into existence) otherwise.
#include "ledger/checkpoint.h"
#include "ledger/logstore.h"
#include "ledger/proofs.h"
#include "ledgertestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::ledger;

class TestProofs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<Identity> m_node = testutil::identity("Node", 'n');
    std::unique_ptr<LogStore> m_store;

    static QList<QByteArray> raw(const std::vector<Hash> &hashes)
    {
        QList<QByteArray> out;
        for (const Hash &h : hashes)
            out.append(toBytes(h));
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath("ledger.db");
        auto store = LogStore::open(m_path);
        QVERIFY(store.ok());
        m_store = std::move(store).value();
        QVERIFY(m_store->bindNodeKey(m_node->keys.publicKey).ok());
        QVERIFY(m_store->signHead(m_node->keys).ok());
        // Signed sizes 0, 3, 4, 8.
        for (int n : {3, 1, 4})
            QVERIFY(m_store->appendLocal(*m_node, testutil::drafts(n)).ok());
        QCOMPARE(m_store->checkpointSizes(), (QList<quint64>{0, 3, 4, 8}));
    }

    void inclusionAtTheLatestAndAtPastSignedSizes()
    {
        for (const auto &[index, size] : QList<std::pair<quint64, std::optional<quint64>>>{
                 {0, {}}, {7, {}}, {2, 3}, {3, 4}, {0, 4}}) {
            auto proof = buildInclusionProof(*m_store, m_node->keys.publicKey, index, size);
            QVERIFY2(proof.ok(), qPrintable(proof.errorString()));
            const quint64 treeSize = size.value_or(8);
            QCOMPARE(proof->checkpoint.size, treeSize);
            QCOMPARE(proof->leafHash, leafHash(m_store->entryAt(index)->bytes));
            auto cp = openCheckpoint(proof->checkpoint.note, m_node->keys.publicKey);
            QVERIFY(cp.ok());
            QVERIFY(merkle::verifyInclusion(index, cp->size, toView(proof->leafHash),
                                            raw(proof->path), toView(cp->root)));
            // The text is a c2sp.org/tlog-proof@v1 document around the very same proof and note.
            auto parsed = parseTlogProof(proof->text);
            QVERIFY2(parsed.ok(), qPrintable(parsed.errorString()));
            QCOMPARE(parsed->index, index);
            QCOMPARE(parsed->hashes, raw(proof->path));
            QCOMPARE(parsed->checkpointNote, proof->checkpoint.note);
        }
    }

    void sizeWithoutASignedCheckpointIsRefusedNotSigned()
    {
        auto proof = buildInclusionProof(*m_store, m_node->keys.publicKey, 1, 6);
        QVERIFY(!proof.ok());
        QCOMPARE(proof.error().code, QStringLiteral("no-checkpoint"));
        QVERIFY2(proof.errorString().contains("no checkpoint was signed at size 6") &&
                     proof.errorString().contains("the nearest signed sizes are 4 and 8"),
                 qPrintable(proof.errorString()));
        QCOMPARE(m_store->checkpointSizes(), (QList<quint64>{0, 3, 4, 8}));
        auto beyond = buildInclusionProof(*m_store, m_node->keys.publicKey, 1, 20);
        QVERIFY(beyond.errorString().contains("the nearest signed sizes are 8"));
        auto outside = buildInclusionProof(*m_store, m_node->keys.publicKey, 4, 4);
        QVERIFY(outside.errorString().contains("not in a tree of size 4"));
    }

    void consistencyBetweenSignedSizes()
    {
        for (const auto &[from, to] :
             QList<std::pair<quint64, quint64>>{{3, 8}, {4, 8}, {3, 4}, {8, 8}}) {
            auto proof = buildConsistencyProof(*m_store, m_node->keys.publicKey, from, to);
            QVERIFY2(proof.ok(), qPrintable(proof.errorString()));
            QCOMPARE(proof->oldCheckpoint.size, from);
            QCOMPARE(proof->newCheckpoint.size, to);
            QVERIFY(merkle::verifyConsistency(from, to, raw(proof->path),
                                              toView(proof->oldCheckpoint.root),
                                              toView(proof->newCheckpoint.root)));
            const QList<QByteArray> lines = proof->text.trimmed().split('\n');
            QCOMPARE(lines[0], QByteArray("cartulary/consistency-proof@v1"));
            QCOMPARE(lines[1], "old " + QByteArray::number(from) + ' ' +
                                   toBytes(proof->oldCheckpoint.root).toBase64());
            QCOMPARE(lines[2], "new " + QByteArray::number(to) + ' ' +
                                   toBytes(proof->newCheckpoint.root).toBase64());
            QCOMPARE(lines.size(), 3 + qsizetype(proof->path.size()));
        }
        auto unsignedOld = buildConsistencyProof(*m_store, m_node->keys.publicKey, 2, 8);
        QVERIFY2(unsignedOld.errorString().contains("no checkpoint was signed at size 2"),
                 qPrintable(unsignedOld.errorString()));
        auto backwards = buildConsistencyProof(*m_store, m_node->keys.publicKey, 8, 4);
        QVERIFY(backwards.errorString().contains("0 < OLD <= NEW"));
        QVERIFY(!buildConsistencyProof(*m_store, m_node->keys.publicKey, 0, 4).ok());
    }

    void wrongKeyIsRefused()
    {
        const KeyPair other = KeyPair::fromSeed(QByteArray(32, 'z'));
        auto proof = buildInclusionProof(*m_store, other.publicKey, 0);
        QCOMPARE(proof.error().code, QStringLiteral("bad-checkpoint"));
    }

    void damagedStorageIsNotProven()
    {
        // A copy whose hash column was altered: the stored leaves no longer give the signed root.
        QVERIFY(m_store->database().exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
        const QString copy = m_dir.filePath("damaged.db");
        QVERIFY(QFile::copy(m_path, copy));
        {
            auto db = sql::Database::open(copy);
            QVERIFY(db.value()->exec("UPDATE entries SET hash=zeroblob(32) WHERE idx=5").ok());
        }
        auto store = LogStore::openReadOnly(copy);
        QVERIFY(store.ok());
        auto proof = buildInclusionProof(*store.value(), m_node->keys.publicKey, 1);
        QCOMPARE(proof.error().code, QStringLiteral("stale-entries"));
        auto consistency = buildConsistencyProof(*store.value(), m_node->keys.publicKey, 3, 8);
        QCOMPARE(consistency.error().code, QStringLiteral("stale-entries"));

        // An entry whose signature was damaged is not proven either.
        const QString copy2 = m_dir.filePath("badsig.db");
        QVERIFY(QFile::copy(m_path, copy2));
        {
            auto db = sql::Database::open(copy2);
            QVERIFY(db.value()
                        ->exec("UPDATE entries SET bytes = substr(bytes, 1, length(bytes) - 1) "
                               "|| X'00' WHERE idx=2")
                        .ok());
        }
        auto store2 = LogStore::openReadOnly(copy2);
        auto bad = buildInclusionProof(*store2.value(), m_node->keys.publicKey, 2);
        QCOMPARE(bad.error().code, QStringLiteral("bad-entry"));
    }
};

QTEST_GUILESS_MAIN(TestProofs)
#include "tst_proofs.moc"
