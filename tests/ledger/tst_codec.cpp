// SPDX-License-Identifier: GPL-3.0-or-later
// Tests the entry codec and the crypto primitives under it: round trips, known answers, must-fails.
#include "ledger/crypto.h"
#include "ledger/entry.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <sodium.h>

#include <limits>
#include <set>
#include <vector>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {

// Offsets of the fixed fields of an encoded entry (FORMAT.md, entry.cpp); the kind starts at
// KindOffset + 1, right after its length byte.
constexpr qsizetype VersionOffset = 16;
constexpr qsizetype AuthorOffset = 17;
constexpr qsizetype SeqOffset = AuthorOffset + 32;
constexpr qsizetype PrevOffset = SeqOffset + 8;
constexpr qsizetype TimeOffset = PrevOffset + 32;
constexpr qsizetype KindOffset = TimeOffset + 8;

// The known-answer entry: 2026-01-01T00:00:00Z.
constexpr qint64 KatTimeMs = 1767225600000;

// Computed with an independent Ed25519 and SHA-256 implementation (pyca/cryptography over OpenSSL)
// from the seed 0x01..0x20 and the known-answer entry, so they pin both the format and the
// interoperability of our signatures.
constexpr char KatPublicKeyHex[] =
    "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
constexpr char KatUnsignedHex[] =
    "63617274756c6172792d656e7472790001"                               // prefix, NUL, version
    "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664" // author
    "0000000000000001"                                                 // seq
    "0000000000000000000000000000000000000000000000000000000000000000" // prev
    "0000019b76daa800"                                                 // time
    "11646f63756d656e742e7265636f72646564"                             // kind
    "000000077b2261223a317d";                                          // body
constexpr char KatSignatureHex[] =
    "b02903a5602ef9f2037a7e1fc1fe61f04708a4fa68cdd40ed14b9578de56ec7b"
    "729fc7bf680b29835724233cbd0c10749dec7dabefa2ffadc517a0e18bb8fb0a";
constexpr char KatLeafHashHex[] =
    "c540495d44ad4bd7009950d22b3603d396809ee134844a241ab7d2aaaafb0d20";
constexpr char KatFingerprint[] = "MW3A-M46W-5WEE-X4A4";

// RFC 8032 section 7.1, TEST 1.
constexpr char Rfc8032Seed[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char Rfc8032Public[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char Rfc8032Signature[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901"
                                    "555fb8821590a33bacc61e39701cf9b46b"
                                    "d25bf5f0595bbe24655141438e7a100b";

// The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr char GroupOrderLeHex[] =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

template<std::size_t N>
std::array<std::uint8_t, N> arrayFromHex(const char *hex)
{
    std::array<std::uint8_t, N> out{};
    const bool ok = fromBytes(QByteArray::fromHex(hex), out);
    Q_ASSERT(ok);
    return out;
}

QByteArray katSeed()
{
    QByteArray seed(32, Qt::Uninitialized);
    for (int i = 0; i < 32; ++i) {
        seed[i] = char(i + 1);
    }
    return seed;
}

QByteArray seedFor(int n)
{
    return QByteArray(32, char(n));
}

Hash hashOf(const QByteArray &label)
{
    return sha256(label);
}

Entry makeEntry(const PublicKey &author, quint64 seq, const QByteArray &kind,
                const QByteArray &body)
{
    Entry e;
    e.author = author;
    e.seq = seq;
    if (seq > 1) {
        e.prev = hashOf("previous entry " + QByteArray::number(seq - 1));
    }
    e.timeMs = KatTimeMs + qint64(seq);
    e.kind = kind;
    e.body = body;
    return e;
}

/** Entries that exercise every field's edge values; all pass validateEntry. */
std::vector<Entry> sampleEntries(const PublicKey &author)
{
    std::vector<Entry> out;
    out.push_back(makeEntry(author, 1, "document.recorded", R"({"a":1})"));
    out.push_back(makeEntry(author, 2, "licence.granted", QByteArray()));
    out.push_back(makeEntry(author, 0x0102030405060708ull, "a", QByteArray("\0\x01\xff\n", 4)));
    Entry maxSeq = makeEntry(author, std::numeric_limits<quint64>::max(),
                             QByteArray(MaxKindSize, 'z'), QByteArray(1000, 'b'));
    maxSeq.timeMs = std::numeric_limits<qint64>::min(); // no rule on the claimed time
    out.push_back(maxSeq);
    Entry negative = makeEntry(author, 3, "0.9-x", "body");
    negative.timeMs = -1;
    out.push_back(negative);
    return out;
}

QByteArray flipBit(QByteArray bytes, qsizetype bit)
{
    bytes[bit / 8] = char(bytes[bit / 8] ^ (1 << (bit % 8)));
    return bytes;
}

/** Adds the group order L to the S half of a signature (little-endian), keeping R. */
Signature addGroupOrderToS(const Signature &sig)
{
    const QByteArray l = QByteArray::fromHex(GroupOrderLeHex);
    Signature out = sig;
    unsigned carry = 0;
    for (std::size_t i = 0; i < 32; ++i) {
        const unsigned sum = unsigned(sig[32 + i]) + unsigned(quint8(l[qsizetype(i)])) + carry;
        out[32 + i] = std::uint8_t(sum & 0xff);
        carry = sum >> 8;
    }
    Q_ASSERT(carry == 0); // S < L, so S + L < 2L < 2^254
    return out;
}

/** Signs arbitrary unsigned bytes as if they were an entry, bypassing validateEntry. */
QByteArray signRaw(const QByteArray &unsignedBytes, const KeyPair &keys)
{
    return unsignedBytes + toBytes(sign(unsignedBytes, keys.secretKey));
}

void appendU32(QByteArray &out, quint32 v)
{
    out.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}

/** Where a byte of an encoded entry lies, for messages. */
QString regionOf(qsizetype byte, qsizetype kindSize, qsizetype bodySize)
{
    const qsizetype bodyLength = KindOffset + 1 + kindSize;
    const qsizetype body = bodyLength + 4;
    const qsizetype signature = body + bodySize;
    if (byte < VersionOffset) {
        return QStringLiteral("prefix");
    }
    if (byte < AuthorOffset) {
        return QStringLiteral("version");
    }
    if (byte < SeqOffset) {
        return QStringLiteral("author");
    }
    if (byte < PrevOffset) {
        return QStringLiteral("seq");
    }
    if (byte < TimeOffset) {
        return QStringLiteral("prev");
    }
    if (byte < KindOffset) {
        return QStringLiteral("time");
    }
    if (byte == KindOffset) {
        return QStringLiteral("kind length");
    }
    if (byte < bodyLength) {
        return QStringLiteral("kind");
    }
    if (byte < body) {
        return QStringLiteral("body length");
    }
    if (byte < signature) {
        return QStringLiteral("body");
    }
    return QStringLiteral("signature");
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // Crypto primitives.
    void sha256KnownAnswers();
    void leafHashOfEmpty();
    void fingerprintFormat();
    void ed25519Rfc8032Vector1();
    void ed25519RejectsNonCanonicalS();
    void ed25519RejectsSmallOrderKey();

    // Entries.
    void roundTrip();
    void deterministic();
    void knownAnswer();
    void bitFlipsNeverDecodeAndVerify();
    void wrongKeySignatureFails();
    void malleatedSignatureFails();
    void truncationFails();
    void trailingGarbageFails();
    void oversizedBodyRefused();
    void largestBodyAccepted();
    void validateKind_data();
    void validateKind();
    void validateSeqAndPrev();
    void validateBodySize();
    void decodeAppliesFieldRules();
};

void TestCodec::initTestCase()
{
    initCrypto();
}

void TestCodec::sha256KnownAnswers()
{
    // FIPS 180-2 appendix B.1 and the empty string.
    QCOMPARE(toHex(sha256("abc")),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(toHex(sha256(QByteArrayView())),
             QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));

    Sha256 stream;
    stream.add("a");
    stream.add(QByteArrayView());
    stream.add("bc");
    QCOMPARE(toHex(stream.finish()), toHex(sha256("abc")));
}

void TestCodec::leafHashOfEmpty()
{
    QCOMPARE(toHex(leafHash(QByteArrayView())),
             QStringLiteral("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
    // The prefix is really one 0x00 byte: leafHash(d) == SHA-256(0x00 || d), checked by Qt's
    // SHA-256 so the two sides share nothing.
    const QByteArray data("leaf data");
    QCOMPARE(toBytes(leafHash(data)),
             QCryptographicHash::hash(QByteArray(1, '\0') + data, QCryptographicHash::Sha256));
}

void TestCodec::fingerprintFormat()
{
    static const QRegularExpression format(
        QStringLiteral("^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"));
    std::set<QString> seen;
    for (int n = 0; n < 16; ++n) {
        const KeyPair keys = KeyPair::fromSeed(seedFor(n));
        const QString fp = fingerprint(keys.publicKey);
        QVERIFY2(format.match(fp).hasMatch(), qPrintable(fp));
        QCOMPARE(fingerprint(keys.publicKey), fp); // a pure function of the key
        seen.insert(fp);
    }
    QCOMPARE(seen.size(), std::size_t(16));

    // RFC 4648 base32 of the first 10 bytes of SHA-256(key), computed independently.
    const KeyPair kat = KeyPair::fromSeed(katSeed());
    QCOMPARE(fingerprint(kat.publicKey), QLatin1String(KatFingerprint));
}

void TestCodec::ed25519Rfc8032Vector1()
{
    const KeyPair keys = KeyPair::fromSeed(QByteArray::fromHex(Rfc8032Seed));
    QCOMPARE(toBytes(keys.publicKey).toHex(), QByteArray(Rfc8032Public));
    // libsodium's secret key is seed || public key.
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(keys.secretKey.data()), 64).toHex(),
             QByteArray(Rfc8032Seed) + QByteArray(Rfc8032Public));

    const Signature sig = sign(QByteArrayView(), keys.secretKey);
    QCOMPARE(toBytes(sig).toHex(), QByteArray(Rfc8032Signature));
    QVERIFY(verify(QByteArrayView(), sig, keys.publicKey));
    QVERIFY(!verify("x", sig, keys.publicKey));
    QVERIFY(!verify(QByteArrayView(), sig, KeyPair::fromSeed(seedFor(7)).publicKey));
}

void TestCodec::ed25519RejectsNonCanonicalS()
{
    const KeyPair keys = KeyPair::fromSeed(QByteArray::fromHex(Rfc8032Seed));
    const Signature sig = arrayFromHex<SignatureSize>(Rfc8032Signature);
    QVERIFY(verify(QByteArrayView(), sig, keys.publicKey));

    // S + L satisfies the verification equation exactly as S does; only the canonical-S check
    // stands between us and two valid encodings of one signature.
    const Signature malleated = addGroupOrderToS(sig);
    QVERIFY(malleated != sig);
    QVERIFY(crypto_sign_verify_detached(malleated.data(), nullptr, 0, keys.publicKey.data()) != 0);
    QVERIFY(!verify(QByteArrayView(), malleated, keys.publicKey));
}

void TestCodec::ed25519RejectsSmallOrderKey()
{
    // Public key and R both the identity point, S = 0: [S]B == R + [k]A holds for every message,
    // so a lax verifier accepts this "signature" on anything. libsodium refuses small-order points.
    PublicKey identity{};
    identity[0] = 1;
    Signature forged{};
    forged[0] = 1;
    QVERIFY(!verify("any message at all", forged, identity));
    QVERIFY(!verify(QByteArrayView(), forged, identity));
}

void TestCodec::roundTrip()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(1));
    for (const Entry &e : sampleEntries(keys.publicKey)) {
        const QString what =
            QStringLiteral("seq %1 kind %2").arg(e.seq).arg(QString::fromLatin1(e.kind));
        QVERIFY2(validateEntry(e).ok(), qPrintable(what));
        const SignedEntry s = signEntry(e, keys.secretKey);
        QCOMPARE(s.bytes, encodeUnsigned(e) + toBytes(s.signature));
        QCOMPARE(toHex(s.hash), toHex(leafHash(s.bytes)));
        QVERIFY2(verifyEntrySignature(s), qPrintable(what));

        const Result<SignedEntry> decoded = decodeEntry(s.bytes);
        QVERIFY2(decoded.ok(), qPrintable(what + QLatin1String(": ") + decoded.errorString()));
        const SignedEntry &d = decoded.value();
        QCOMPARE(d.entry.author, e.author);
        QCOMPARE(d.entry.seq, e.seq);
        QCOMPARE(d.entry.prev, e.prev);
        QCOMPARE(d.entry.timeMs, e.timeMs);
        QCOMPARE(d.entry.kind, e.kind);
        QCOMPARE(d.entry.body, e.body);
        QCOMPARE(d.signature, s.signature);
        QCOMPARE(d.bytes, s.bytes);
        QCOMPARE(toHex(d.hash), toHex(s.hash));
        QCOMPARE(toHex(d.hash), toHex(leafHash(d.bytes)));
        QVERIFY(verifyEntrySignature(d));
        // Re-encoding the decoded entry gives back the very same bytes.
        QCOMPARE(encodeUnsigned(d.entry) + toBytes(d.signature), s.bytes);
    }
}

void TestCodec::deterministic()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(2));
    const KeyPair again = KeyPair::fromSeed(seedFor(2));
    QCOMPARE(again.publicKey, keys.publicKey);
    for (const Entry &e : sampleEntries(keys.publicKey)) {
        QCOMPARE(encodeUnsigned(e), encodeUnsigned(e));
        const SignedEntry a = signEntry(e, keys.secretKey);
        const SignedEntry b = signEntry(e, again.secretKey);
        QCOMPARE(b.bytes, a.bytes);
        QCOMPARE(b.signature, a.signature);
        QCOMPARE(toHex(b.hash), toHex(a.hash));
    }
}

void TestCodec::knownAnswer()
{
    const KeyPair keys = KeyPair::fromSeed(katSeed());
    QCOMPARE(toBytes(keys.publicKey).toHex(), QByteArray(KatPublicKeyHex));

    Entry e;
    e.author = keys.publicKey;
    e.seq = 1;
    e.timeMs = KatTimeMs;
    e.kind = "document.recorded";
    e.body = R"({"a":1})";
    QVERIFY(validateEntry(e).ok());

    // The layout, byte by byte, written out without the codec's helpers.
    QByteArray expected;
    expected.append("cartulary-entry", 15).append('\0'); // 16-byte domain prefix
    expected.append('\x01');                             // version
    expected.append(toBytes(keys.publicKey));            // author
    expected.append(QByteArray::fromHex("0000000000000001"));
    expected.append(QByteArray(32, '\0'));                    // prev: zero for seq 1
    expected.append(QByteArray::fromHex("0000019b76daa800")); // 1767225600000 big-endian
    expected.append(char(17)).append("document.recorded");    // kind length, kind
    expected.append(QByteArray::fromHex("00000007")).append(R"({"a":1})"); // body length, body
    QCOMPARE(expected.size(), 126);
    QCOMPARE(expected.first(16), QByteArray("cartulary-entry\0", 16));
    QCOMPARE(expected.at(VersionOffset), char(EntryVersion));

    const QByteArray unsignedBytes = encodeUnsigned(e);
    QCOMPARE(unsignedBytes.toHex(), expected.toHex());
    QCOMPARE(unsignedBytes.toHex(), QByteArray(KatUnsignedHex));

    const SignedEntry s = signEntry(e, keys.secretKey);
    QCOMPARE(s.bytes.first(unsignedBytes.size()), unsignedBytes);
    QCOMPARE(s.bytes.size(), unsignedBytes.size() + qsizetype(SignatureSize));
    QCOMPARE(toBytes(s.signature).toHex(), QByteArray(KatSignatureHex));
    QCOMPARE(s.bytes.sliced(unsignedBytes.size()), toBytes(s.signature));
    QCOMPARE(toHex(s.hash), QLatin1String(KatLeafHashHex));

    // Interoperability: libsodium, called directly, accepts the signature over the unsigned bytes.
    QCOMPARE(crypto_sign_verify_detached(
                 s.signature.data(), reinterpret_cast<const unsigned char *>(expected.constData()),
                 std::size_t(expected.size()), keys.publicKey.data()),
             0);
    QVERIFY(verifyEntrySignature(s));
}

void TestCodec::bitFlipsNeverDecodeAndVerify()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(3));
    const std::vector<Entry> entries = {
        makeEntry(keys.publicKey, 1, "document.recorded", R"({"a":1})"),
        makeEntry(keys.publicKey, 2, "k", "xy"),
    };
    QSet<QString> decodedRegions;
    QSet<QString> visitedRegions;
    for (const Entry &e : entries) {
        const SignedEntry s = signEntry(e, keys.secretKey);
        for (qsizetype bit = 0; bit < s.bytes.size() * 8; ++bit) {
            const QString region = regionOf(bit / 8, e.kind.size(), e.body.size());
            visitedRegions.insert(region);
            const Result<SignedEntry> d = decodeEntry(flipBit(s.bytes, bit));
            if (!d) {
                QCOMPARE(d.error().code, QStringLiteral("malformed-entry"));
                continue;
            }
            decodedRegions.insert(region);
            QVERIFY2(!verifyEntrySignature(d.value()),
                     qPrintable(QStringLiteral("seq %1: flipped bit %2 (byte %3, %4) still decodes "
                                               "and verifies")
                                    .arg(e.seq)
                                    .arg(bit)
                                    .arg(bit / 8)
                                    .arg(region)));
        }
    }
    QCOMPARE(visitedRegions.size(), 11);
    // Flips the decoder cannot see were really handed to the signature check.
    for (const char *region : {"author", "seq", "prev", "time", "kind", "body", "signature"}) {
        QVERIFY2(decodedRegions.contains(QLatin1String(region)), region);
    }
    for (const char *region : {"prefix", "version", "kind length", "body length"}) {
        QVERIFY2(!decodedRegions.contains(QLatin1String(region)), region);
    }
}

void TestCodec::wrongKeySignatureFails()
{
    const KeyPair author = KeyPair::fromSeed(seedFor(4));
    const KeyPair other = KeyPair::fromSeed(seedFor(5));
    const Entry e = makeEntry(author.publicKey, 1, "document.recorded", "{}");

    // Signed by someone else in the author's name.
    const SignedEntry forged = signEntry(e, other.secretKey);
    const Result<SignedEntry> d = decodeEntry(forged.bytes);
    QVERIFY(d.ok());
    QVERIFY(!verifyEntrySignature(d.value()));

    // The author's signature, with the author field swapped for the other key.
    const SignedEntry genuine = signEntry(e, author.secretKey);
    QByteArray swapped = genuine.bytes;
    swapped.replace(AuthorOffset, 32, toBytes(other.publicKey));
    const Result<SignedEntry> d2 = decodeEntry(swapped);
    QVERIFY(d2.ok());
    QVERIFY(!verifyEntrySignature(d2.value()));
}

void TestCodec::malleatedSignatureFails()
{
    // A second encoding of a valid signature would give one entry two hashes; it must not verify.
    const KeyPair keys = KeyPair::fromSeed(seedFor(6));
    const SignedEntry s =
        signEntry(makeEntry(keys.publicKey, 1, "document.recorded", "{}"), keys.secretKey);
    const Signature malleated = addGroupOrderToS(s.signature);
    QByteArray bytes = s.bytes;
    bytes.replace(bytes.size() - 64, 64, toBytes(malleated));
    const Result<SignedEntry> d = decodeEntry(bytes);
    QVERIFY(d.ok()); // decoding does not look at the signature
    QVERIFY(toHex(d->hash) != toHex(s.hash));
    QVERIFY(!verifyEntrySignature(d.value()));
}

void TestCodec::truncationFails()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(7));
    for (const Entry &e : sampleEntries(keys.publicKey)) {
        const SignedEntry s = signEntry(e, keys.secretKey);
        for (qsizetype len = 0; len < s.bytes.size(); ++len) {
            QVERIFY2(!decodeEntry(s.bytes.first(len)).ok(),
                     qPrintable(QStringLiteral("seq %1 truncated to %2 of %3 bytes")
                                    .arg(e.seq)
                                    .arg(len)
                                    .arg(s.bytes.size())));
        }
        QVERIFY(decodeEntry(s.bytes).ok());
    }
}

void TestCodec::trailingGarbageFails()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(8));
    const SignedEntry s =
        signEntry(makeEntry(keys.publicKey, 2, "document.recorded", "{}"), keys.secretKey);
    QVERIFY(!decodeEntry(s.bytes + '\0').ok());
    QVERIFY(!decodeEntry(s.bytes + 'x').ok());
    QVERIFY(!decodeEntry(s.bytes + toBytes(s.signature)).ok());
    QVERIFY(!decodeEntry(s.bytes + s.bytes).ok());
}

void TestCodec::oversizedBodyRefused()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(9));
    const Entry e = makeEntry(keys.publicKey, 1, "k", QByteArray());
    const QByteArray head = encodeUnsigned(e).chopped(4); // everything up to the body length

    // A 4 GiB claim in a short entry: refused on the claim itself (the limit check comes before
    // the length check and before any allocation for the body).
    QByteArray huge = head;
    appendU32(huge, 0xffffffffu);
    huge += QByteArray(64, 's');
    const Result<SignedEntry> r1 = decodeEntry(huge);
    QVERIFY(!r1.ok());
    QVERIFY2(r1.errorString().contains(QLatin1String("limit")), qPrintable(r1.errorString()));

    // One byte over the limit with every byte present: the length matches, the limit does not.
    QByteArray over = head;
    appendU32(over, MaxBodySize + 1);
    over += QByteArray(qsizetype(MaxBodySize) + 1, 'b');
    over = signRaw(over, keys);
    const Result<SignedEntry> r2 = decodeEntry(over);
    QVERIFY(!r2.ok());
    QVERIFY2(r2.errorString().contains(QLatin1String("limit")), qPrintable(r2.errorString()));
}

void TestCodec::largestBodyAccepted()
{
    const KeyPair keys = KeyPair::fromSeed(seedFor(10));
    const Entry e = makeEntry(keys.publicKey, 1, "k", QByteArray(qsizetype(MaxBodySize), 'b'));
    QVERIFY(validateEntry(e).ok());
    const SignedEntry s = signEntry(e, keys.secretKey);
    const Result<SignedEntry> d = decodeEntry(s.bytes);
    QVERIFY2(d.ok(), qPrintable(d.errorString()));
    QCOMPARE(d->entry.body.size(), qsizetype(MaxBodySize));
    QVERIFY(verifyEntrySignature(d.value()));
}

void TestCodec::validateKind_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<bool>("valid");

    QTest::newRow("dotted") << QByteArray("document.recorded") << true;
    QTest::newRow("one byte") << QByteArray("a") << true;
    QTest::newRow("digits dash dot") << QByteArray("0.9-z") << true;
    QTest::newRow("64 bytes") << QByteArray(64, 'k') << true;
    QTest::newRow("uppercase") << QByteArray("Document.recorded") << false;
    QTest::newRow("space") << QByteArray("document recorded") << false;
    QTest::newRow("trailing space") << QByteArray("document.recorded ") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("65 bytes") << QByteArray(65, 'k') << false;
    QTest::newRow("256 bytes") << QByteArray(256, 'k') << false; // would wrap the length byte
    QTest::newRow("underscore") << QByteArray("document_recorded") << false;
    QTest::newRow("slash") << QByteArray("document/recorded") << false;
    QTest::newRow("NUL") << QByteArray("doc\0x", 5) << false;
    QTest::newRow("newline") << QByteArray("doc\n") << false;
    QTest::newRow("non-ASCII") << QByteArray("dokum\xc3\xa9nt") << false;
}

void TestCodec::validateKind()
{
    QFETCH(QByteArray, kind);
    QFETCH(bool, valid);
    const Entry e = makeEntry(KeyPair::fromSeed(seedFor(11)).publicKey, 1, kind, "{}");
    const Status status = validateEntry(e);
    QCOMPARE(status.ok(), valid);
    if (!valid) {
        QCOMPARE(status.error().code, QStringLiteral("bad-kind"));
        QVERIFY(!status.errorString().isEmpty());
    }
}

void TestCodec::validateSeqAndPrev()
{
    const PublicKey author = KeyPair::fromSeed(seedFor(12)).publicKey;
    Entry e = makeEntry(author, 1, "k", "{}");
    QVERIFY(validateEntry(e).ok());

    e.seq = 0;
    QCOMPARE(validateEntry(e).error().code, QStringLiteral("bad-seq"));

    e.seq = 1;
    e.prev = hashOf("something");
    QCOMPARE(validateEntry(e).error().code, QStringLiteral("bad-prev"));
    e.prev = Hash{};
    e.prev[31] = 1; // a single non-zero byte is enough
    QCOMPARE(validateEntry(e).error().code, QStringLiteral("bad-prev"));

    e.seq = 2;
    e.prev = Hash{};
    QCOMPARE(validateEntry(e).error().code, QStringLiteral("bad-prev"));
    e.prev = hashOf("entry 1");
    QVERIFY(validateEntry(e).ok());
}

void TestCodec::validateBodySize()
{
    const PublicKey author = KeyPair::fromSeed(seedFor(13)).publicKey;
    Entry e = makeEntry(author, 1, "k", QByteArray(qsizetype(MaxBodySize), 'b'));
    QVERIFY(validateEntry(e).ok());
    e.body.append('b');
    QCOMPARE(validateEntry(e).error().code, QStringLiteral("body-too-large"));
}

void TestCodec::decodeAppliesFieldRules()
{
    // Correctly signed bytes that break a field rule: the decoder refuses them on its own.
    const KeyPair keys = KeyPair::fromSeed(seedFor(14));
    const Entry good = makeEntry(keys.publicKey, 2, "document.recorded", "{}");
    QVERIFY(decodeEntry(signRaw(encodeUnsigned(good), keys)).ok());

    const auto refused = [&](const Entry &e) {
        return !decodeEntry(signRaw(encodeUnsigned(e), keys)).ok();
    };
    Entry e = good;
    e.seq = 0;
    QVERIFY(refused(e));
    e = good;
    e.prev = Hash{};
    QVERIFY(refused(e));
    e = good;
    e.seq = 1;
    QVERIFY(refused(e));
    e = good;
    e.kind = "Document.Recorded";
    QVERIFY(refused(e));
    e = good;
    e.kind = QByteArray(65, 'k');
    QVERIFY(refused(e));
    e = good;
    e.kind.clear();
    QVERIFY(refused(e));

    // An unknown version, correctly signed.
    QByteArray v2 = encodeUnsigned(good);
    v2[VersionOffset] = 2;
    QVERIFY(!decodeEntry(signRaw(v2, keys)).ok());
    // A prefix that differs only in its terminating NUL.
    QByteArray prefix = encodeUnsigned(good);
    prefix[15] = '-';
    QVERIFY(!decodeEntry(signRaw(prefix, keys)).ok());
}

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
