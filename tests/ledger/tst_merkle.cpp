// SPDX-License-Identifier: GPL-3.0-or-later
// Tests the RFC 9162 Merkle tree against published vectors, a naive reference and mutated proofs.
#include "ledger/crypto.h"
#include "ledger/merkle.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtEndian>
#include <QTest>

#include <bit>
#include <limits>
#include <span>
#include <vector>

using namespace cartulary::ledger;

namespace {

constexpr quint64 MaxU64 = std::numeric_limits<quint64>::max();

// Exhaustive comparisons with the reference: every tree of depth <= 6 (up to 64 leaves) plus the
// first few of depth 7, which still keeps the whole test near 3 s under ASan.
constexpr quint64 ReferenceMax = 70;
// Mutations multiply the work by a few hundred per proof, so they stop earlier: every tree of
// depth <= 5 (up to 32 leaves) and the first few past that boundary.
constexpr quint64 MutationMax = 40;
constexpr quint64 CompactMax = 300;

QString vectorDir()
{
    return QString(CARTULARY_TEST_DATA) + QStringLiteral("/merkle");
}

/** A vector file that our deliberate rules decide against its wantErr, and why. */
struct Deviation
{
    const char *path;
    const char *reason;
};

// Every entry must name an existing file and must really be decided against wantErr; both are
// checked, so this list cannot go stale silently.
constexpr Deviation Deviations[] = {
    {"consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
     "both roots are the 12-byte string \"don't care 2\"; we refuse any root that is not exactly "
     "32 bytes, even when the sizes are equal and the roots are identical (upstream only compares "
     "the bytes here)"},
};

const char *deviationReason(const QString &path)
{
    for (const Deviation &d : Deviations) {
        if (path == QLatin1String(d.path)) {
            return d.reason;
        }
    }
    return nullptr;
}

QStringList vectorFiles()
{
    QStringList out;
    const QDir root(vectorDir());
    for (const QString &kind : {QStringLiteral("inclusion"), QStringLiteral("consistency")}) {
        QDirIterator it(root.filePath(kind), {QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            out << root.relativeFilePath(it.next());
        }
    }
    out.sort();
    return out;
}

Hash hashFromHex(const char *hex)
{
    Hash h{};
    const bool ok = fromBytes(QByteArray::fromHex(hex), h);
    Q_ASSERT(ok);
    return h;
}

QByteArray hex(const Hash &h)
{
    return toBytes(h).toHex();
}

QList<QByteArray> toList(const std::vector<Hash> &hashes)
{
    QList<QByteArray> out;
    out.reserve(qsizetype(hashes.size()));
    for (const Hash &h : hashes) {
        out << toBytes(h);
    }
    return out;
}

QByteArray flipBit(QByteArray bytes, int bit)
{
    bytes[bit / 8] = char(bytes[bit / 8] ^ (1 << (bit % 8)));
    return bytes;
}

/** The RFC 6962 test leaves (the published known-answer tree), then generated ones. */
std::vector<QByteArray> leafData(quint64 count)
{
    static const char *const rfc6962[] = {
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    };
    std::vector<QByteArray> out;
    for (quint64 i = 0; i < count; ++i) {
        out.push_back(i < std::size(rfc6962) ? QByteArray::fromHex(rfc6962[i])
                                             : QByteArray("leaf-") + QByteArray::number(i));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Reference implementation: RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF)
// transcribed literally over the leaf data, with its own prefixes, so it shares nothing with the
// code under test except SHA-256.
namespace ref {

using Data = std::span<const QByteArray>;

/** "k is the largest power of two smaller than n" (overflow-safe for every 64-bit n > 1). */
quint64 largestPowerOfTwoBelow(quint64 n)
{
    quint64 k = 1;
    while (k < n - k) {
        k *= 2;
    }
    return k;
}

Hash hashLeaf(const QByteArray &d)
{
    return sha256(QByteArray(1, '\x00') + d);
}

Hash hashChildren(const Hash &l, const Hash &r)
{
    return sha256(QByteArray(1, '\x01') + toBytes(l) + toBytes(r));
}

Hash mth(Data d)
{
    if (d.empty()) {
        return sha256(QByteArray(""));
    }
    if (d.size() == 1) {
        return hashLeaf(d[0]);
    }
    const quint64 k = largestPowerOfTwoBelow(d.size());
    return hashChildren(mth(d.first(k)), mth(d.subspan(k)));
}

std::vector<Hash> path(quint64 m, Data d)
{
    if (d.size() <= 1) {
        return {};
    }
    const quint64 k = largestPowerOfTwoBelow(d.size());
    std::vector<Hash> p;
    if (m < k) {
        p = path(m, d.first(k));
        p.push_back(mth(d.subspan(k)));
    } else {
        p = path(m - k, d.subspan(k));
        p.push_back(mth(d.first(k)));
    }
    return p;
}

std::vector<Hash> subproof(quint64 m, Data d, bool b)
{
    if (m == d.size()) {
        return b ? std::vector<Hash>{} : std::vector<Hash>{mth(d)};
    }
    const quint64 k = largestPowerOfTwoBelow(d.size());
    std::vector<Hash> p;
    if (m <= k) {
        p = subproof(m, d.first(k), b);
        p.push_back(mth(d.subspan(k)));
    } else {
        p = subproof(m - k, d.subspan(k), false);
        p.push_back(mth(d.first(k)));
    }
    return p;
}

std::vector<Hash> proof(quint64 m, Data d)
{
    return subproof(m, d, true);
}

// A verifier sees only sizes and hashes, so two (index, size) pairs whose PATH recursion takes the
// same turns get identical verifier arithmetic: the same proof then verifies for both. These
// shapes, taken from the same recursion over sizes alone, say exactly when a "wrong size" must
// still verify, instead of guessing.

/** Side of each PATH(m, D[n]) sibling, lowest first (true: sibling on the left). */
std::vector<bool> pathShape(quint64 m, quint64 n)
{
    if (n <= 1) {
        return {};
    }
    const quint64 k = largestPowerOfTwoBelow(n);
    std::vector<bool> s = m < k ? pathShape(m, k) : pathShape(m - k, n - k);
    s.push_back(m >= k);
    return s;
}

/** What a verifier can learn from the sizes of PROOF(m, D[n]). */
struct ConsistencyShape
{
    bool sameSize = false;        ///< m == n: empty proof, roots compared directly
    bool seededByOldRoot = false; ///< SUBPROOF ended with b true: the old root is the first node
    std::vector<bool> sides;      ///< side of each sibling, lowest first (true: left)
    bool operator==(const ConsistencyShape &) const = default;
};

void subproofShape(quint64 m, quint64 n, bool b, ConsistencyShape &s)
{
    if (m == n) {
        s.seededByOldRoot = b;
        return;
    }
    const quint64 k = largestPowerOfTwoBelow(n);
    if (m <= k) {
        subproofShape(m, k, b, s);
        s.sides.push_back(false);
    } else {
        subproofShape(m - k, n - k, false, s);
        s.sides.push_back(true);
    }
}

/** Shape of PROOF(m, D[n]); requires 0 < m <= n. */
ConsistencyShape consistencyShape(quint64 m, quint64 n)
{
    ConsistencyShape s;
    if (m == n) {
        s.sameSize = true;
    } else {
        subproofShape(m, n, true, s);
    }
    return s;
}

} // namespace ref

/** Arguments of one verifyInclusion call. */
struct InclusionArgs
{
    quint64 index = 0;
    quint64 size = 0;
    QByteArray leaf;
    QList<QByteArray> proof;
    QByteArray root;

    bool accepted() const { return merkle::verifyInclusion(index, size, leaf, proof, root); }
};

/** Arguments of one verifyConsistency call. */
struct ConsistencyArgs
{
    quint64 size1 = 0;
    quint64 size2 = 0;
    QList<QByteArray> proof;
    QByteArray root1;
    QByteArray root2;

    bool accepted() const { return merkle::verifyConsistency(size1, size2, proof, root1, root2); }
};

/** One altered input and whether a correct verifier must accept it. */
template<typename Args>
struct Mutation
{
    QByteArray what;
    Args args;
    bool expectAccepted = false;
};

// Bits spread over a hash: both ends of both halves and a few inside bytes.
constexpr int SampleBits[] = {0, 1, 7, 8, 100, 127, 128, 200, 255};

/** Mutations of the proof list that apply to both proof kinds; none of them may verify. */
template<typename Args>
void addProofMutations(const Args &good, std::vector<Mutation<Args>> &out)
{
    const QList<QByteArray> &proof = good.proof;
    const QByteArray extra = toBytes(leafHash("not in the tree"));
    auto with = [&](QByteArray what, const QList<QByteArray> &p) {
        Args a = good;
        a.proof = p;
        out.push_back({std::move(what), std::move(a), false});
    };
    for (qsizetype j = 0; j < proof.size(); ++j) {
        const QByteArray at = QByteArray::number(j);
        for (int bit : SampleBits) {
            QList<QByteArray> p = proof;
            p[j] = flipBit(p[j], bit);
            with("flip bit " + QByteArray::number(bit) + " of element " + at, p);
        }
        QList<QByteArray> dropped = proof;
        dropped.removeAt(j);
        with("drop element " + at, dropped);
        for (qsizetype k = j + 1; k < proof.size(); ++k) {
            QList<QByteArray> swapped = proof;
            swapped.swapItemsAt(j, k);
            with("swap elements " + at + " and " + QByteArray::number(k), swapped);
        }
        QList<QByteArray> shorter = proof;
        shorter[j].chop(1);
        with("31-byte element " + at, shorter);
        QList<QByteArray> longer = proof;
        longer[j].append('\0');
        with("33-byte element " + at, longer);
        QList<QByteArray> empty = proof;
        empty[j].clear();
        with("empty element " + at, empty);
    }
    for (qsizetype j = 0; j <= proof.size(); ++j) {
        QList<QByteArray> inserted = proof;
        inserted.insert(j, extra);
        with("insert an element at " + QByteArray::number(j), inserted);
    }
    if (!proof.isEmpty()) {
        QList<QByteArray> repeated = proof;
        repeated.append(proof.last());
        with("repeat the last element", repeated);
        repeated = proof;
        repeated.prepend(proof.first());
        with("repeat the first element", repeated);
    }
}

std::vector<Mutation<InclusionArgs>> inclusionMutations(const InclusionArgs &good,
                                                        const std::vector<Hash> &leaves,
                                                        const std::vector<Hash> &roots)
{
    std::vector<Mutation<InclusionArgs>> out;
    addProofMutations(good, out);
    const quint64 i = good.index;
    const quint64 n = good.size;

    for (quint64 j : {i - 1, i + 1, i ^ 1, quint64(0), n - 1, n, n + 1, MaxU64}) {
        if (j == i) {
            continue;
        }
        InclusionArgs a = good;
        a.index = j;
        out.push_back({"index " + QByteArray::number(j), a, false});
    }
    const std::vector<bool> shape = ref::pathShape(i, n);
    for (quint64 s : {quint64(0), i, n - 1, n + 1, 2 * n, n / 2, n | (n - 1), MaxU64}) {
        if (s == n) {
            continue;
        }
        InclusionArgs a = good;
        a.size = s;
        // Only a size whose PATH takes the same turns can verify (see ref::pathShape).
        const bool expected = s > i && ref::pathShape(i, s) == shape;
        out.push_back({"size " + QByteArray::number(s), a, expected});
    }
    auto withRoot = [&](QByteArray what, QByteArray root) {
        InclusionArgs a = good;
        a.root = std::move(root);
        out.push_back({std::move(what), a, false});
    };
    withRoot("root of size n - 1", toBytes(roots[n - 1]));
    if (n + 1 < roots.size()) {
        withRoot("root of size n + 1", toBytes(roots[n + 1]));
    }
    withRoot("all-zero root", QByteArray(32, '\0'));
    withRoot("root with bit 0 flipped", flipBit(good.root, 0));
    withRoot("root with bit 255 flipped", flipBit(good.root, 255));
    withRoot("31-byte root", good.root.first(31));
    withRoot("33-byte root", good.root + '\0');
    withRoot("empty root", QByteArray());

    auto withLeaf = [&](QByteArray what, QByteArray leaf) {
        InclusionArgs a = good;
        a.leaf = std::move(leaf);
        out.push_back({std::move(what), a, false});
    };
    for (quint64 j : {i - 1, i + 1, i ^ 1}) {
        if (j < n && j != i) {
            withLeaf("leaf " + QByteArray::number(j), toBytes(leaves[j]));
        }
    }
    withLeaf("leaf with bit 0 flipped", flipBit(good.leaf, 0));
    withLeaf("leaf with bit 255 flipped", flipBit(good.leaf, 255));
    withLeaf("leaf data instead of its hash", leafData(i + 1)[i]);
    withLeaf("31-byte leaf", good.leaf.first(31));
    withLeaf("33-byte leaf", good.leaf + '\0');
    return out;
}

std::vector<Mutation<ConsistencyArgs>> consistencyMutations(const ConsistencyArgs &good,
                                                            const std::vector<Hash> &roots)
{
    std::vector<Mutation<ConsistencyArgs>> out;
    addProofMutations(good, out);
    const quint64 m = good.size1;
    const quint64 n = good.size2;

    const ref::ConsistencyShape shape = ref::consistencyShape(m, n);
    const std::pair<quint64, quint64> sizes[] = {
        {m - 1, n}, {m + 1, n}, {m, n - 1}, {m, n + 1}, {2 * m, n}, {m, 2 * n},  {0, n},
        {m, 0},     {n, m},     {m, m},     {n, n},     {1, n},     {m, MaxU64}, {MaxU64, MaxU64},
    };
    for (const auto &[s1, s2] : sizes) {
        if (s1 == m && s2 == n) {
            continue;
        }
        ConsistencyArgs a = good;
        a.size1 = s1;
        a.size2 = s2;
        // Only sizes whose PROOF has the same shape can verify (see ref::consistencyShape).
        const bool expected = 0 < s1 && s1 <= s2 && ref::consistencyShape(s1, s2) == shape;
        out.push_back(
            {"sizes " + QByteArray::number(s1) + ", " + QByteArray::number(s2), a, expected});
    }
    auto withRoots = [&](QByteArray what, QByteArray root1, QByteArray root2) {
        ConsistencyArgs a = good;
        a.root1 = std::move(root1);
        a.root2 = std::move(root2);
        out.push_back({std::move(what), a, false});
    };
    if (m != n) {
        withRoots("swapped roots", good.root2, good.root1);
    }
    withRoots("root1 of size m - 1", toBytes(roots[m - 1]), good.root2);
    withRoots("root1 of size m + 1", toBytes(roots[m + 1]), good.root2);
    withRoots("root2 of size n - 1", good.root1, toBytes(roots[n - 1]));
    if (n + 1 < roots.size()) {
        withRoots("root2 of size n + 1", good.root1, toBytes(roots[n + 1]));
    }
    for (int bit : {0, 255}) {
        const QByteArray b = QByteArray::number(bit);
        withRoots("root1 bit " + b + " flipped", flipBit(good.root1, bit), good.root2);
        withRoots("root2 bit " + b + " flipped", good.root1, flipBit(good.root2, bit));
    }
    withRoots("31-byte root1", good.root1.first(31), good.root2);
    withRoots("33-byte root1", good.root1 + '\0', good.root2);
    withRoots("31-byte root2", good.root1, good.root2.first(31));
    withRoots("33-byte root2", good.root1, good.root2 + '\0');
    withRoots("31-byte roots", good.root1.first(31), good.root2.first(31));
    withRoots("empty roots", QByteArray(), QByteArray());
    return out;
}

/** Reads an unsigned integer field from the raw JSON text: QJsonValue holds numbers as double,
 *  which would turn the vectors' 18446744073709551615 into 2^64. */
bool integerField(const QByteArray &text, const char *key, quint64 &out)
{
    const QRegularExpression re(
        QStringLiteral("\"%1\"\\s*:\\s*(\\d+)\\s*[,}]").arg(QLatin1String(key)));
    QRegularExpressionMatchIterator it = re.globalMatch(QString::fromUtf8(text));
    if (!it.hasNext()) {
        return false;
    }
    const QRegularExpressionMatch match = it.next();
    if (it.hasNext()) {
        return false;
    }
    bool ok = false;
    out = match.captured(1).toULongLong(&ok);
    return ok;
}

bool base64Field(const QJsonValue &value, QByteArray &out)
{
    if (!value.isString()) {
        return false;
    }
    const auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return false;
    }
    out = *decoded;
    return true;
}

} // namespace

/** RFC 9162 Merkle tree, compact range and proof verification. */
class TestMerkle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void knownAnswers();
    void vectorDirectoryIsPopulated();
    void vectors_data();
    void vectors();
    void rootsMatchReference();
    void inclusionProofsMatchReference();
    void consistencyProofsMatchReference();
    void mutatedInclusionProofsFail();
    void mutatedConsistencyProofsFail();
    void verifiersRefuseDegenerateInput();
    void sizeIsBoundOnlyThroughTheProofShape();
    void compactRangeMatchesTree();
    void compactRangeRoundTrip();
    void compactRangeRejectsMalformed();

private:
    std::vector<QByteArray> m_data; // leaf data 0..ReferenceMax-1
    std::vector<Hash> m_leaves;     // their leaf hashes
    std::vector<Hash> m_roots;      // m_roots[n] = reference MTH of the first n leaves
    merkle::Tree m_tree;            // all ReferenceMax leaves
};

void TestMerkle::initTestCase()
{
    initCrypto();
    m_data = leafData(ReferenceMax);
    for (const QByteArray &d : m_data) {
        m_leaves.push_back(ref::hashLeaf(d));
        m_tree.append(leafHash(d));
    }
    for (quint64 n = 0; n <= ReferenceMax; ++n) {
        m_roots.push_back(ref::mth(ref::Data(m_data).first(n)));
    }
}

void TestMerkle::knownAnswers()
{
    QCOMPARE(hex(merkle::emptyRoot()),
             QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(hex(merkle::Tree().root()), hex(merkle::emptyRoot()));
    QCOMPARE(hex(merkle::CompactRange().root()), hex(merkle::emptyRoot()));

    // RFC 6962 test tree; the roots of sizes 1..8 also appear as roots in the happy-path vectors.
    const char *const roots[] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };
    merkle::Tree tree;
    merkle::CompactRange range;
    const std::vector<QByteArray> data = leafData(8);
    for (quint64 n = 1; n <= 8; ++n) {
        tree.append(leafHash(data[n - 1]));
        range.append(leafHash(data[n - 1]));
        QCOMPARE(hex(tree.root()), QByteArray(roots[n - 1]));
        QCOMPARE(hex(range.root()), QByteArray(roots[n - 1]));
        QCOMPARE(hex(m_roots[n]), QByteArray(roots[n - 1])); // the reference agrees too
    }
    for (quint64 n = 1; n <= 8; ++n) {
        QCOMPARE(hex(tree.rootAt(n)), QByteArray(roots[n - 1]));
    }
    QCOMPARE(tree.rootAt(0), merkle::emptyRoot());

    // Published leaf hashes of d(0) and d(1) and of one interior node (from the vectors' proofs).
    QCOMPARE(hex(tree.leaf(0)), QByteArray(roots[0]));
    QCOMPARE(hex(tree.leaf(1)),
             QByteArray("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"));
    QCOMPARE(hex(nodeHash(tree.leaf(2), tree.leaf(3))),
             QByteArray("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"));
    // The audit path of leaf 5 in the 8-leaf tree (inclusion/2/happy-path.json).
    const std::vector<Hash> path5 = {
        hashFromHex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        hashFromHex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        hashFromHex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    };
    QVERIFY(tree.inclusionProof(5, 8) == path5);
    const std::optional<Hash> root = merkle::rootFromInclusionProof(5, 8, tree.leaf(5), path5);
    QVERIFY(root);
    QCOMPARE(hex(*root), QByteArray(roots[7]));
}

void TestMerkle::vectorDirectoryIsPopulated()
{
    const QStringList files = vectorFiles();
    QVERIFY2(
        files.size() > 100,
        qPrintable(
            QStringLiteral("only %1 vector files under %2").arg(files.size()).arg(vectorDir())));
    QVERIFY(!files.filter(QRegularExpression(QStringLiteral("^inclusion/"))).isEmpty());
    QVERIFY(!files.filter(QRegularExpression(QStringLiteral("^consistency/"))).isEmpty());
    for (const Deviation &d : Deviations) {
        QVERIFY2(files.contains(QLatin1String(d.path)), d.path);
    }
}

void TestMerkle::vectors_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &path : vectorFiles()) {
        QTest::newRow(qPrintable(path)) << path;
    }
}

void TestMerkle::vectors()
{
    QFETCH(QString, path);
    QFile file(vectorDir() + QLatin1Char('/') + path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray text = file.readAll();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    const QJsonObject obj = doc.object();
    QVERIFY(obj.value(QLatin1String("wantErr")).isBool());
    const bool wantErr = obj.value(QLatin1String("wantErr")).toBool();

    QList<QByteArray> proof;
    const QJsonValue proofValue = obj.value(QLatin1String("proof"));
    QVERIFY(proofValue.isNull() || proofValue.isArray()); // Go writes an empty proof as null
    const QJsonArray proofArray = proofValue.toArray();
    for (qsizetype k = 0; k < proofArray.size(); ++k) {
        QByteArray bytes;
        QVERIFY(base64Field(proofArray.at(k), bytes));
        proof << bytes;
    }

    // A happy path must also be what our Tree produces over the RFC 6962 leaves.
    const bool happy = obj.value(QLatin1String("desc")).toString() == QLatin1String("happy path");
    merkle::Tree rfcTree;
    for (const QByteArray &d : leafData(8)) {
        rfcTree.append(leafHash(d));
    }

    bool accepted = false;
    if (path.startsWith(QLatin1String("inclusion/"))) {
        quint64 index = 0;
        quint64 size = 0;
        QByteArray leaf;
        QByteArray root;
        QVERIFY(integerField(text, "leafIdx", index));
        QVERIFY(integerField(text, "treeSize", size));
        QVERIFY(base64Field(obj.value(QLatin1String("leafHash")), leaf));
        QVERIFY(base64Field(obj.value(QLatin1String("root")), root));
        accepted = merkle::verifyInclusion(index, size, leaf, proof, root);
        if (happy) {
            QCOMPARE(toList(rfcTree.inclusionProof(index, size)), proof);
            QCOMPARE(toBytes(rfcTree.leaf(index)), leaf);
            QCOMPARE(toBytes(rfcTree.rootAt(size)), root);
        }
    } else {
        quint64 size1 = 0;
        quint64 size2 = 0;
        QByteArray root1;
        QByteArray root2;
        QVERIFY(integerField(text, "size1", size1));
        QVERIFY(integerField(text, "size2", size2));
        QVERIFY(base64Field(obj.value(QLatin1String("root1")), root1));
        QVERIFY(base64Field(obj.value(QLatin1String("root2")), root2));
        accepted = merkle::verifyConsistency(size1, size2, proof, root1, root2);
        if (happy) {
            QCOMPARE(toList(rfcTree.consistencyProof(size1, size2)), proof);
            QCOMPARE(toBytes(rfcTree.rootAt(size1)), root1);
            QCOMPARE(toBytes(rfcTree.rootAt(size2)), root2);
        }
    }

    bool expectAccepted = !wantErr;
    if (const char *reason = deviationReason(path)) {
        expectAccepted = wantErr;
        qInfo("%s: decided against its wantErr on purpose: %s", qPrintable(path), reason);
    }
    QCOMPARE(accepted, expectAccepted);
}

void TestMerkle::rootsMatchReference()
{
    merkle::Tree tree;
    tree.reserve(ReferenceMax / 2); // smaller than the final size: growth must still work
    QCOMPARE(tree.size(), quint64(0));
    QCOMPARE(tree.root(), m_roots[0]);
    for (quint64 n = 1; n <= ReferenceMax; ++n) {
        tree.append(m_leaves[n - 1]);
        QCOMPARE(tree.size(), n);
        QVERIFY2(tree.root() == m_roots[n], qPrintable(QStringLiteral("size %1").arg(n)));
    }
    for (quint64 n = 0; n <= ReferenceMax; ++n) {
        QVERIFY2(m_tree.rootAt(n) == m_roots[n], qPrintable(QStringLiteral("rootAt(%1)").arg(n)));
    }
    for (quint64 i = 0; i < ReferenceMax; ++i) {
        QVERIFY(m_tree.leaf(i) == m_leaves[i]);
    }
}

void TestMerkle::inclusionProofsMatchReference()
{
    for (quint64 n = 1; n <= ReferenceMax; ++n) {
        const ref::Data data = ref::Data(m_data).first(n);
        for (quint64 i = 0; i < n; ++i) {
            const QByteArray where =
                "index " + QByteArray::number(i) + " size " + QByteArray::number(n);
            const std::vector<Hash> proof = m_tree.inclusionProof(i, n);
            QVERIFY2(proof == ref::path(i, data), where);
            QVERIFY2(proof.size() == ref::pathShape(i, n).size(), where);
            const std::optional<Hash> root =
                merkle::rootFromInclusionProof(i, n, m_leaves[i], proof);
            QVERIFY2(root && *root == m_roots[n], where);
            QVERIFY2(merkle::verifyInclusion(i, n, toView(m_leaves[i]), toList(proof),
                                             toView(m_roots[n])),
                     where);
        }
    }
}

void TestMerkle::consistencyProofsMatchReference()
{
    for (quint64 n = 1; n <= ReferenceMax; ++n) {
        const ref::Data data = ref::Data(m_data).first(n);
        for (quint64 m = 1; m <= n; ++m) {
            const QByteArray where =
                "sizes " + QByteArray::number(m) + ", " + QByteArray::number(n);
            const std::vector<Hash> proof = m_tree.consistencyProof(m, n);
            QVERIFY2(proof == ref::proof(m, data), where);
            QVERIFY2(merkle::verifyConsistency(m, n, toList(proof), toView(m_roots[m]),
                                               toView(m_roots[n])),
                     where);
        }
    }
}

void TestMerkle::mutatedInclusionProofsFail()
{
    int checked = 0;
    int sameShape = 0;
    for (quint64 n = 1; n <= MutationMax; ++n) {
        for (quint64 i = 0; i < n; ++i) {
            const InclusionArgs good{i, n, toBytes(m_leaves[i]),
                                     toList(m_tree.inclusionProof(i, n)), toBytes(m_roots[n])};
            QVERIFY2(good.accepted(), qPrintable(QStringLiteral("index %1 size %2").arg(i).arg(n)));
            for (const Mutation<InclusionArgs> &mutation :
                 inclusionMutations(good, m_leaves, m_roots)) {
                if (mutation.args.accepted() != mutation.expectAccepted) {
                    QFAIL(qPrintable(QStringLiteral("index %1 size %2, %3: %4")
                                         .arg(i)
                                         .arg(n)
                                         .arg(QString::fromLatin1(mutation.what))
                                         .arg(mutation.expectAccepted ? "refused" : "accepted")));
                }
                ++checked;
                sameShape += mutation.expectAccepted ? 1 : 0;
            }
        }
    }
    qInfo("%d mutated inclusion proofs checked (%d with another size of the same shape, accepted "
          "as RFC 9162 requires)",
          checked, sameShape);
}

void TestMerkle::mutatedConsistencyProofsFail()
{
    int checked = 0;
    int sameShape = 0;
    static_assert(MutationMax < ReferenceMax); // "root of size n + 1" must exist in m_roots
    for (quint64 n = 1; n <= MutationMax; ++n) {
        for (quint64 m = 1; m <= n; ++m) {
            const ConsistencyArgs good{m, n, toList(m_tree.consistencyProof(m, n)),
                                       toBytes(m_roots[m]), toBytes(m_roots[n])};
            QVERIFY2(good.accepted(), qPrintable(QStringLiteral("sizes %1, %2").arg(m).arg(n)));
            for (const Mutation<ConsistencyArgs> &mutation : consistencyMutations(good, m_roots)) {
                if (mutation.args.accepted() != mutation.expectAccepted) {
                    QFAIL(qPrintable(QStringLiteral("sizes %1, %2, %3: %4")
                                         .arg(m)
                                         .arg(n)
                                         .arg(QString::fromLatin1(mutation.what))
                                         .arg(mutation.expectAccepted ? "refused" : "accepted")));
                }
                ++checked;
                sameShape += mutation.expectAccepted ? 1 : 0;
            }
        }
    }
    qInfo("%d mutated consistency proofs checked (%d with other sizes of the same shape, accepted "
          "as RFC 9162 requires)",
          checked, sameShape);
}

void TestMerkle::verifiersRefuseDegenerateInput()
{
    const QByteArray empty = toBytes(merkle::emptyRoot());
    const QByteArray leaf0 = toBytes(m_leaves[0]);
    // Nothing is included in an empty tree, whatever the root.
    QVERIFY(!merkle::verifyInclusion(0, 0, leaf0, {}, empty));
    QVERIFY(!merkle::verifyInclusion(0, 0, leaf0, {}, leaf0));
    QVERIFY(!merkle::rootFromInclusionProof(0, 0, m_leaves[0], {}));
    QVERIFY(!merkle::rootFromInclusionProof(MaxU64, MaxU64, m_leaves[0], {}));
    QVERIFY(!merkle::rootFromInclusionProof(1, 1, m_leaves[0], {}));
    // A size-1 tree's root is its leaf hash and needs no proof.
    QVERIFY(merkle::verifyInclusion(0, 1, leaf0, {}, leaf0));

    // Size 0 is refused on both sides: PROOF(m, D[n]) is only defined for m > 0.
    QVERIFY(!merkle::verifyConsistency(0, 0, {}, empty, empty));
    QVERIFY(!merkle::verifyConsistency(0, 1, {}, empty, leaf0));
    QVERIFY(!merkle::verifyConsistency(0, 1, {leaf0}, empty, leaf0));
    QVERIFY(!merkle::verifyConsistency(1, 0, {}, leaf0, empty));
    // Equal sizes: empty proof and identical 32-byte roots, nothing else.
    QVERIFY(merkle::verifyConsistency(1, 1, {}, leaf0, leaf0));
    QVERIFY(merkle::verifyConsistency(MaxU64, MaxU64, {}, leaf0, leaf0));
    QVERIFY(!merkle::verifyConsistency(1, 1, {leaf0}, leaf0, leaf0));
    QVERIFY(!merkle::verifyConsistency(1, 1, {}, leaf0, empty));
    QVERIFY(!merkle::verifyConsistency(1, 1, {}, "don't care", "don't care"));
    // Huge sizes with a short proof must fail, not loop or overflow.
    QVERIFY(!merkle::verifyConsistency(MaxU64 - 1, MaxU64, {leaf0}, leaf0, leaf0));
    QVERIFY(!merkle::verifyInclusion(MaxU64 - 1, MaxU64, leaf0, {leaf0}, leaf0));

    // Proofs that are empty by definition.
    QVERIFY(m_tree.consistencyProof(5, 5).empty());
    QVERIFY(m_tree.inclusionProof(0, 1).empty());
}

void TestMerkle::sizeIsBoundOnlyThroughTheProofShape()
{
    // RFC 9162 proofs do not carry the tree size: PATH(0, D[3]) and PATH(0, D[4]) take the same
    // turns, so the 3-leaf proof also "verifies" for size 4 against the 3-leaf root. Callers must
    // take the size from the same signed checkpoint as the root; this pins that behaviour.
    const std::vector<Hash> proof = m_tree.inclusionProof(0, 3);
    QVERIFY(merkle::verifyInclusion(0, 4, toView(m_leaves[0]), toList(proof), toView(m_roots[3])));
    QVERIFY(!merkle::verifyInclusion(0, 5, toView(m_leaves[0]), toList(proof), toView(m_roots[3])));
    const std::vector<Hash> consistency = m_tree.consistencyProof(1, 3);
    QVERIFY(merkle::verifyConsistency(1, 4, toList(consistency), toView(m_roots[1]),
                                      toView(m_roots[3])));
}

void TestMerkle::compactRangeMatchesTree()
{
    merkle::Tree tree;
    merkle::CompactRange range;
    QCOMPARE(range.size(), quint64(0));
    QCOMPARE(range.root(), tree.root());
    for (quint64 n = 1; n <= CompactMax; ++n) {
        const Hash leaf = leafHash(QByteArray::number(n));
        tree.append(leaf);
        range.append(leaf);
        QCOMPARE(range.size(), n);
        QVERIFY2(range.root() == tree.root(), qPrintable(QStringLiteral("size %1").arg(n)));
    }
}

void TestMerkle::compactRangeRoundTrip()
{
    merkle::Tree tree;
    merkle::CompactRange range;
    for (quint64 n = 0; n <= CompactMax; ++n) {
        if (n > 0) {
            const Hash leaf = leafHash(QByteArray::number(n));
            tree.append(leaf);
            range.append(leaf);
        }
        const QByteArray bytes = range.serialize();
        QCOMPARE(bytes.size(), qsizetype(8 + std::popcount(n) * 32));
        QCOMPARE(bytes.first(8),
                 QByteArray::fromHex(QByteArray::number(n, 16).rightJustified(16, '0')));
        const std::optional<merkle::CompactRange> copy = merkle::CompactRange::deserialize(bytes);
        QVERIFY(copy);
        QCOMPARE(copy->size(), n);
        QVERIFY(copy->root() == range.root());
        QCOMPARE(copy->serialize(), bytes);
        // A restored range keeps growing exactly like the original.
        merkle::CompactRange grown = *copy;
        for (quint64 k = 1; k <= 3; ++k) {
            grown.append(leafHash(QByteArray::number(n + k)));
        }
        merkle::Tree longer = tree;
        for (quint64 k = 1; k <= 3; ++k) {
            longer.append(leafHash(QByteArray::number(n + k)));
        }
        QVERIFY(grown.root() == longer.root());
    }
    // The top of the frontier comes first: for size 3, the 2-leaf subtree then the single leaf.
    merkle::CompactRange three;
    const Hash a = leafHash("a");
    const Hash b = leafHash("b");
    const Hash c = leafHash("c");
    three.append(a);
    three.append(b);
    three.append(c);
    QCOMPARE(three.serialize(),
             QByteArray::fromHex("0000000000000003") + toBytes(nodeHash(a, b)) + toBytes(c));
}

void TestMerkle::compactRangeRejectsMalformed()
{
    QVERIFY(!merkle::CompactRange::deserialize(QByteArrayView()));
    QVERIFY(!merkle::CompactRange::deserialize(QByteArray(7, '\0')));
    QVERIFY(merkle::CompactRange::deserialize(QByteArray(8, '\0'))); // the empty range

    for (quint64 size : {quint64(1), quint64(5), quint64(8), quint64(255), quint64(300)}) {
        merkle::CompactRange range;
        for (quint64 k = 0; k < size; ++k) {
            range.append(leafHash(QByteArray::number(k)));
        }
        const QByteArray bytes = range.serialize();
        for (qsizetype len = 0; len < bytes.size(); ++len) {
            QVERIFY2(!merkle::CompactRange::deserialize(bytes.first(len)),
                     qPrintable(QStringLiteral("size %1 truncated to %2").arg(size).arg(len)));
        }
        QVERIFY(!merkle::CompactRange::deserialize(bytes + '\0'));
        QVERIFY(!merkle::CompactRange::deserialize(bytes + QByteArray(32, '\0')));
        QVERIFY(!merkle::CompactRange::deserialize(bytes + bytes.sliced(8, 32)));
    }

    // A size whose set bits do not match the number of hashes that follow.
    const QByteArray hash(32, 'h');
    auto withSize = [](quint64 size) {
        QByteArray out(8, Qt::Uninitialized);
        qToBigEndian<quint64>(size, out.data());
        return out;
    };
    QVERIFY(!merkle::CompactRange::deserialize(withSize(0) + hash));
    QVERIFY(!merkle::CompactRange::deserialize(withSize(4) + hash + hash));
    QVERIFY(!merkle::CompactRange::deserialize(withSize(7) + hash + hash));
    QVERIFY(merkle::CompactRange::deserialize(withSize(6) + hash + hash));
    QVERIFY(!merkle::CompactRange::deserialize(withSize(MaxU64) + hash));
    QByteArray full = withSize(MaxU64);
    for (int k = 0; k < 64; ++k) {
        full += hash;
    }
    QVERIFY(merkle::CompactRange::deserialize(full)); // the largest representable range
    QVERIFY(!merkle::CompactRange::deserialize(full + hash));
}

QTEST_GUILESS_MAIN(TestMerkle)
#include "tst_merkle.moc"
