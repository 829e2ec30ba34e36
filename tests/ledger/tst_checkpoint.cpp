// SPDX-License-Identifier: GPL-3.0-or-later
// Tests signed checkpoints (C2SP signed-note) and tlog-proof text: formats, round trips,
// must-fails.
#include "ledger/checkpoint.h"
#include "ledger/crypto.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QtEndian>
#include <QTest>

#include <limits>
#include <vector>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {

const QByteArray EmDash = QByteArrayLiteral("\xE2\x80\x94");
const QByteArray ProofHeader = QByteArrayLiteral("c2sp.org/tlog-proof@v1");

// The Go checksum database's published verifier key: a real-world signed-note key whose base64
// happens to contain '+', as about half of all Ed25519 keys do.
const QString GoSumdbVkey =
    QStringLiteral("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");

KeyPair keysFor(int n)
{
    return KeyPair::fromSeed(toBytes(sha256("seed " + QByteArray::number(n))));
}

Hash rootFor(const QByteArray &label)
{
    return sha256(label);
}

/** The C2SP signed-note key ID, computed here with Qt's SHA-256 so it shares nothing with the
 * code under test. */
quint32 referenceKeyId(const QByteArray &name, const PublicKey &key)
{
    const QByteArray h =
        QCryptographicHash::hash(name + '\n' + '\x01' + toBytes(key), QCryptographicHash::Sha256);
    return qFromBigEndian<quint32>(h.constData());
}

QByteArray keyIdBytes(quint32 id)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(id, out.data());
    return out;
}

/** One signature line: "— <name> base64(keyID || signature)". */
QByteArray signatureLine(const QByteArray &name, quint32 id, const QByteArray &signature)
{
    return EmDash + ' ' + name + ' ' + (keyIdBytes(id) + signature).toBase64() + '\n';
}

/** A note over arbitrary text, signed by keys under name with the right key ID. */
QByteArray signText(const QByteArray &text, const KeyPair &keys)
{
    const QByteArray name = logOrigin(keys.publicKey).toUtf8();
    return text + '\n' +
           signatureLine(name, referenceKeyId(name, keys.publicKey),
                         toBytes(sign(text, keys.secretKey)));
}

/** Checkpoint text built by hand from its three lines. */
QByteArray textOf(const QByteArray &origin, const QByteArray &size, const QByteArray &root)
{
    return origin + '\n' + size + '\n' + root + '\n';
}

Checkpoint checkpointFor(const KeyPair &keys, quint64 size, const QByteArray &label = "root")
{
    return Checkpoint{logOrigin(keys.publicKey), size, rootFor(label)};
}

/** A key whose base64 verifier encoding contains no '+', so parse failures mean what they say. */
bool plainBase64(const PublicKey &key)
{
    return !(QByteArray(1, '\x01') + toBytes(key)).toBase64().contains('+');
}

} // namespace

class TestCheckpoint : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void checkpointTextFormat();
    void noteKeyIdFollowsSignedNote();
    void verifierKeyFormat();
    void verifierKeyRoundTrip_data();
    void verifierKeyRoundTrip();
    void parseVerifierKeyAcceptsPublishedKey();
    void parseVerifierKeyRejects_data();
    void parseVerifierKeyRejects();
    void parseVerifierKeyRejectsNonCanonicalId_data();
    void parseVerifierKeyRejectsNonCanonicalId();

    void signOpenRoundTrip();
    void signedNoteFormat();
    void everySingleByteChangeFails();
    void otherKeyUnderSameNameIsNotASignature();
    void badSignatureFromTrustedKeyRejects();
    void noSignatureLines();
    void controlCharactersRefused();
    void originMustBeThisLog();
    void badSize_data();
    void badSize();
    void badRoot_data();
    void badRoot();
    void unknownSignatureLinesIgnored();

    void tlogProofRoundTrip_data();
    void tlogProofRoundTrip();
    void tlogProofWithExtra();
    void tlogProofRejects_data();
    void tlogProofRejects();

private:
    QByteArray m_note; // a valid note by m_keys
    Checkpoint m_checkpoint;
};

void TestCheckpoint::initTestCase()
{
    initCrypto();
    const KeyPair keys = keysFor(1);
    m_checkpoint = checkpointFor(keys, 42);
    m_note = signCheckpoint(m_checkpoint, keys);
    QVERIFY(openCheckpoint(m_note, keys.publicKey).ok());
}

void TestCheckpoint::checkpointTextFormat()
{
    const Hash root = rootFor("root");
    const QByteArray b64 = toBytes(root).toBase64();
    QCOMPARE(b64.size(), 44);
    QCOMPARE(checkpointText({QStringLiteral("example.com/log"), 42, root}),
             QByteArray("example.com/log\n42\n") + b64 + '\n');
    QCOMPARE(checkpointText({QStringLiteral("o"), 0, Hash{}}),
             QByteArray("o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
    QCOMPARE(checkpointText({QStringLiteral("o"), std::numeric_limits<quint64>::max(), root}),
             QByteArray("o\n18446744073709551615\n") + b64 + '\n');
    // The origin is written as UTF-8.
    QCOMPARE(checkpointText({QStringLiteral("archiv.zürich"), 1, root}),
             QByteArray("archiv.z\xc3\xbcrich\n1\n") + b64 + '\n');
}

void TestCheckpoint::noteKeyIdFollowsSignedNote()
{
    for (int n = 0; n < 8; ++n) {
        const PublicKey key = keysFor(n).publicKey;
        for (const QString &name :
             {logOrigin(key), QStringLiteral("example.com/log"), QStringLiteral("ünïcode/name")}) {
            QCOMPARE(noteKeyId(name, key), referenceKeyId(name.toUtf8(), key));
        }
    }
    // Known answer: the Go checksum database's published key ID.
    const QByteArray raw = QByteArray::fromBase64("Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
    PublicKey sumdb{};
    QVERIFY(fromBytes(raw.sliced(1), sumdb));
    QCOMPARE(noteKeyId(QStringLiteral("sum.golang.org"), sumdb), quint32(0x033de0ae));
}

void TestCheckpoint::verifierKeyFormat()
{
    static const QRegularExpression format(
        QStringLiteral("^cartulary/[A-Z2-7-]{19}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$"));
    // Look for a key whose ID starts with a zero nibble, to see the zero padding.
    bool sawPadding = false;
    for (int n = 0; n < 64; ++n) {
        const PublicKey key = keysFor(n).publicKey;
        const QString name = logOrigin(key);
        const QString vkey = verifierKey(name, key);
        QVERIFY2(format.match(vkey).hasMatch(), qPrintable(vkey));
        const QStringList parts = vkey.split(QLatin1Char('+'));
        QCOMPARE(parts.first(), name);
        QCOMPARE(parts[1], QStringLiteral("%1").arg(referenceKeyId(name.toUtf8(), key), 8, 16,
                                                    QLatin1Char('0')));
        const QByteArray raw =
            QByteArray::fromBase64(vkey.sliced(name.size() + 10).toLatin1()); // after "+id+"
        QCOMPARE(raw, QByteArray(1, '\x01') + toBytes(key));
        sawPadding = sawPadding || parts[1].startsWith(QLatin1Char('0'));
    }
    QVERIFY(sawPadding);
}

void TestCheckpoint::verifierKeyRoundTrip_data()
{
    QTest::addColumn<int>("seed");
    for (int n = 0; n < 16; ++n) {
        const PublicKey key = keysFor(n).publicKey;
        QTest::addRow("seed %d%s", n, plainBase64(key) ? "" : " (base64 has '+')") << n;
    }
}

void TestCheckpoint::verifierKeyRoundTrip()
{
    QFETCH(int, seed);
    const PublicKey key = keysFor(seed).publicKey;
    const QString name = logOrigin(key);
    const QString vkey = verifierKey(name, key);
    const auto parsed = parseVerifierKey(vkey);
    QVERIFY2(parsed.ok(), qPrintable(vkey + QLatin1String(": ") + parsed.errorString()));
    QCOMPARE(parsed->first, name);
    QCOMPARE(parsed->second, key);
    // Surrounding whitespace (a pasted line) is tolerated.
    const auto pasted = parseVerifierKey(QLatin1Char(' ') + vkey + QLatin1Char('\n'));
    QVERIFY(pasted.ok());
    QCOMPARE(pasted->second, key);
}

void TestCheckpoint::parseVerifierKeyAcceptsPublishedKey()
{
    // signed-note: the name ends at the first '+', the key ID at the second; the base64 key is
    // everything after, and may itself contain '+'.
    const auto parsed = parseVerifierKey(GoSumdbVkey);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString()));
    QCOMPARE(parsed->first, QStringLiteral("sum.golang.org"));
    QCOMPARE(toBytes(parsed->second).toBase64(),
             QByteArray::fromBase64("Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8")
                 .sliced(1)
                 .toBase64());
}

void TestCheckpoint::parseVerifierKeyRejects_data()
{
    QTest::addColumn<QString>("vkey");

    // A key whose encoding has no '+', so that only the intended defect can cause a refusal.
    int seed = 0;
    while (!plainBase64(keysFor(seed).publicKey)) {
        ++seed;
    }
    const PublicKey key = keysFor(seed).publicKey;
    const QString name = QStringLiteral("example.com/log");
    const QString good = verifierKey(name, key);
    const QStringList parts = good.split(QLatin1Char('+'));
    QCOMPARE(parts.size(), 3);
    QVERIFY(parseVerifierKey(good).ok());
    const auto join = [](const QString &a, const QString &b, const QString &c) {
        return a + QLatin1Char('+') + b + QLatin1Char('+') + c;
    };
    const auto hex8 = [](quint32 id) {
        return QStringLiteral("%1").arg(id, 8, 16, QLatin1Char('0'));
    };
    const QString &keyB64 = parts[2];
    const QString wrongId = hex8(noteKeyId(name, key) ^ 1);
    // Type byte 2 with the ID computed for type 2, so only the type itself is wrong.
    const QByteArray type2 = QByteArray(1, '\x02') + toBytes(key);
    const QByteArray type2Id =
        QCryptographicHash::hash(name.toUtf8() + '\n' + type2, QCryptographicHash::Sha256);
    QTest::newRow("wrong key ID") << join(name, wrongId, keyB64);
    QTest::newRow("ID of another name")
        << join(QStringLiteral("example.com/other"), parts[1], keyB64);
    QTest::newRow("ID of another key")
        << join(name, hex8(noteKeyId(name, keysFor(seed + 1).publicKey)), keyB64);
    QTest::newRow("wrong type byte")
        << join(name, hex8(qFromBigEndian<quint32>(type2Id.constData())),
                QString::fromLatin1(type2.toBase64()));
    QTest::newRow("no type byte") << join(name, parts[1],
                                          QString::fromLatin1(toBytes(key).toBase64()));
    QTest::newRow("key too long") << join(
        name, parts[1],
        QString::fromLatin1((QByteArray(1, '\x01') + toBytes(key) + 'x').toBase64()));
    QTest::newRow("bad base64") << join(name, parts[1], QStringLiteral("!!!!not*base64!!!!"));
    QTest::newRow("base64 one character short") << join(name, parts[1], keyB64.chopped(1));
    QTest::newRow("base64 with needless padding")
        << join(name, parts[1], keyB64 + QLatin1Char('='));
    QTest::newRow("base64 with inner space")
        << join(name, parts[1], keyB64.first(20) + QLatin1Char(' ') + keyB64.sliced(20));
    QTest::newRow("short ID") << join(name, parts[1].sliced(1), keyB64);
    QTest::newRow("long ID") << join(name, QLatin1Char('0') + parts[1], keyB64);
    QTest::newRow("non-hex ID") << join(name, QStringLiteral("zzzzzzzz"), keyB64);
    QTest::newRow("empty name") << join(QString(), parts[1], keyB64);
    QTest::newRow("missing key") << name + QLatin1Char('+') + parts[1];
    QTest::newRow("missing key, trailing +")
        << name + QLatin1Char('+') + parts[1] + QLatin1Char('+');
    QTest::newRow("name only") << name;
    QTest::newRow("empty") << QString();
}

void TestCheckpoint::parseVerifierKeyRejects()
{
    QFETCH(QString, vkey);
    const auto parsed = parseVerifierKey(vkey);
    QVERIFY2(!parsed.ok(), qPrintable(vkey));
    QCOMPARE(parsed.error().code, QStringLiteral("bad-vkey"));
}

void TestCheckpoint::parseVerifierKeyRejectsNonCanonicalId_data()
{
    // The key ID is exactly 8 hex digits (Go's note package: strconv.ParseUint(id, 16, 32), which
    // takes no prefix and no spaces). Another spelling of the right ID is still not a verifier
    // key: every tool that reads these strings has to agree on which ones are valid.
    QTest::addColumn<QString>("vkey");
    const QString name = QStringLiteral("example.com/log");
    // A key whose ID starts with a zero byte, so that "0x" + six digits is the same number.
    int seed = 0;
    while (!plainBase64(keysFor(seed).publicKey) ||
           noteKeyId(name, keysFor(seed).publicKey) >> 24) {
        ++seed;
    }
    const PublicKey key = keysFor(seed).publicKey;
    const QString good = verifierKey(name, key);
    const QStringList parts = good.split(QLatin1Char('+'));
    QVERIFY(parseVerifierKey(good).ok());
    QVERIFY(parts[1].startsWith(QLatin1String("00")));
    const auto withId = [&](const QString &id) {
        return name + QLatin1Char('+') + id + QLatin1Char('+') + parts[2];
    };
    QTest::newRow("0x prefix") << withId(QLatin1String("0x") + parts[1].sliced(2));
    QTest::newRow("0X prefix") << withId(QLatin1String("0X") + parts[1].sliced(2));
    QTest::newRow("leading space") << withId(QLatin1Char(' ') + parts[1].sliced(1));
    QTest::newRow("trailing space") << withId(parts[1].sliced(1) + QLatin1Char(' '));
}

void TestCheckpoint::parseVerifierKeyRejectsNonCanonicalId()
{
    QFETCH(QString, vkey);
    const auto parsed = parseVerifierKey(vkey);
    QVERIFY2(!parsed.ok(), qPrintable(QLatin1Char('"') + vkey + QLatin1String("\" is accepted")));
    QCOMPARE(parsed.error().code, QStringLiteral("bad-vkey"));
}

void TestCheckpoint::signOpenRoundTrip()
{
    const KeyPair keys = keysFor(2);
    for (quint64 size : {quint64(0), quint64(1), quint64(42), quint64(1) << 40,
                         std::numeric_limits<quint64>::max()}) {
        const Checkpoint c = checkpointFor(keys, size, QByteArray::number(size));
        const QByteArray note = signCheckpoint(c, keys);
        const auto opened = openCheckpoint(note, keys.publicKey);
        QVERIFY2(opened.ok(), qPrintable(opened.errorString()));
        QCOMPARE(opened->origin, c.origin);
        QCOMPARE(opened->size, c.size);
        QCOMPARE(opened->root, c.root);
        QVERIFY(!openCheckpoint(note, keysFor(3).publicKey).ok()); // not this log's key
    }
}

void TestCheckpoint::signedNoteFormat()
{
    const KeyPair keys = keysFor(1);
    const QByteArray text = checkpointText(m_checkpoint);
    const QByteArray name = m_checkpoint.origin.toUtf8();
    QCOMPARE(name, logOrigin(keys.publicKey).toUtf8());
    // Ed25519 is deterministic, so the whole note is known.
    QCOMPARE(m_note, text + '\n' +
                         signatureLine(name, referenceKeyId(name, keys.publicKey),
                                       toBytes(sign(text, keys.secretKey))));
    QVERIFY(m_note.startsWith(text + '\n' + EmDash + ' ' + name + ' '));
    QVERIFY(m_note.endsWith('\n'));
    QCOMPARE(m_note.count('\n'), 5);
}

void TestCheckpoint::everySingleByteChangeFails()
{
    const PublicKey key = keysFor(1).publicKey;
    int tried = 0;
    for (qsizetype i = 0; i < m_note.size(); ++i) {
        const char original = m_note.at(i);
        for (char replacement : {char(original ^ 0x01), char(original ^ 0x20),
                                 char(original ^ 0x80), '\n', ' ', 'A', '0', '='}) {
            if (replacement == original) {
                continue;
            }
            QByteArray changed = m_note;
            changed[i] = replacement;
            QVERIFY2(!openCheckpoint(changed, key).ok(),
                     qPrintable(QStringLiteral("byte %1 changed from 0x%2 to 0x%3 still opens")
                                    .arg(i)
                                    .arg(quint8(original), 2, 16, QLatin1Char('0'))
                                    .arg(quint8(replacement), 2, 16, QLatin1Char('0'))));
            ++tried;
        }
        QVERIFY2(!openCheckpoint(QByteArray(m_note).remove(i, 1), key).ok(),
                 qPrintable(QStringLiteral("byte %1 deleted still opens").arg(i)));
    }
    QVERIFY(tried > 5 * m_note.size());
}

void TestCheckpoint::otherKeyUnderSameNameIsNotASignature()
{
    const KeyPair trusted = keysFor(1);
    const KeyPair other = keysFor(4);
    // Another key signs the same checkpoint under the trusted key's name; its key ID differs, so
    // signed-note treats the line as some other key's and ignores it.
    const QByteArray note = signCheckpoint(m_checkpoint, other);
    QVERIFY(note.contains(EmDash + ' ' + m_checkpoint.origin.toUtf8() + ' '));
    const auto opened = openCheckpoint(note, trusted.publicKey);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint-signature"));
    QVERIFY2(opened.errorString().contains(QLatin1String("not signed")),
             qPrintable(opened.errorString()));
}

void TestCheckpoint::badSignatureFromTrustedKeyRejects()
{
    const KeyPair trusted = keysFor(1);
    const QByteArray text = checkpointText(m_checkpoint);
    const QByteArray name = m_checkpoint.origin.toUtf8();
    const quint32 id = noteKeyId(m_checkpoint.origin, trusted.publicKey);
    const QByteArray good = toBytes(sign(text, trusted.secretKey));

    const auto expectRejected = [&](const QByteArray &note, const char *what) {
        const auto opened = openCheckpoint(note, trusted.publicKey);
        QVERIFY2(!opened.ok(), what);
        QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint-signature"));
    };

    QByteArray flipped = good;
    flipped[10] = char(flipped[10] ^ 0x04);
    expectRejected(text + '\n' + signatureLine(name, id, flipped), "flipped signature bit");
    expectRejected(text + '\n' + signatureLine(name, id, toBytes(sign(text, keysFor(5).secretKey))),
                   "another key's signature under our name and ID");
    expectRejected(text + '\n' + signatureLine(name, id, toBytes(sign("other", trusted.secretKey))),
                   "our signature over other text");
    expectRejected(text + '\n' + signatureLine(name, id, good.chopped(1)), "63-byte signature");
    expectRejected(text + '\n' + signatureLine(name, id, good + 'x'), "65-byte signature");
    // One good line does not excuse a bad one from the same key.
    expectRejected(text + '\n' + signatureLine(name, id, good) + signatureLine(name, id, flipped),
                   "good line then bad line");
    expectRejected(text + '\n' + signatureLine(name, id, flipped) + signatureLine(name, id, good),
                   "bad line then good line");
    // Sanity: the good line alone opens.
    QVERIFY(openCheckpoint(text + '\n' + signatureLine(name, id, good), trusted.publicKey).ok());
}

void TestCheckpoint::noSignatureLines()
{
    const PublicKey key = keysFor(1).publicKey;
    const QByteArray text = checkpointText(m_checkpoint);
    for (const QByteArray &note :
         {text, text + '\n', text + "\n\n", QByteArray(), QByteArray("\n\n")}) {
        const auto opened = openCheckpoint(note, key);
        QVERIFY2(!opened.ok(), note.constData());
    }
    // Only lines from keys we do not know.
    const QByteArray foreign =
        signCheckpoint({QStringLiteral("example.com/log"), 42, m_checkpoint.root}, keysFor(6));
    QVERIFY(!openCheckpoint(foreign, key).ok());
}

void TestCheckpoint::controlCharactersRefused()
{
    const KeyPair keys = keysFor(1);
    const QByteArray origin = m_checkpoint.origin.toUtf8();
    const QByteArray root = toBytes(m_checkpoint.root).toBase64();
    // Each note is correctly signed over its text, so only the control character can refuse it.
    for (const QByteArray &text : {textOf(origin + '\r', "42", root), textOf(origin, "42\r", root),
                                   textOf(origin, "42", root) + "ext\tension\n",
                                   textOf(origin, "42", root) + QByteArray("nul\0x\n", 6),
                                   textOf(origin, "42", root) + "\x1b[31m\n"}) {
        const auto opened = openCheckpoint(signText(text, keys), keys.publicKey);
        QVERIFY2(!opened.ok(), qPrintable(QString::fromLatin1(text.toPercentEncoding())));
        QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint"));
    }
    // A CRLF note (a checkpoint saved by a Windows editor).
    QByteArray crlf = m_note;
    crlf.replace("\n", "\r\n");
    QVERIFY(!openCheckpoint(crlf, keys.publicKey).ok());
    // And a control character in the signature block.
    QByteArray inSig = m_note;
    inSig.insert(inSig.size() - 1, '\t');
    QVERIFY(!openCheckpoint(inSig, keys.publicKey).ok());
}

void TestCheckpoint::originMustBeThisLog()
{
    const KeyPair keys = keysFor(1);
    const QByteArray root = toBytes(m_checkpoint.root).toBase64();
    const QByteArray origin = logOrigin(keys.publicKey).toUtf8();
    // Correctly signed by the trusted key under its own name, but about another log.
    for (const QByteArray &other :
         {QByteArray("example.com/log"), logOrigin(keysFor(7).publicKey).toUtf8(), origin.toLower(),
          origin + ' ', origin.chopped(1), QByteArray()}) {
        const auto opened =
            openCheckpoint(signText(textOf(other, "42", root), keys), keys.publicKey);
        QVERIFY2(!opened.ok(), other.constData());
        QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint"));
    }
    // The same construction with the right origin opens, so the origin is what refused them.
    QVERIFY(openCheckpoint(signText(textOf(origin, "42", root), keys), keys.publicKey).ok());
}

void TestCheckpoint::badSize_data()
{
    QTest::addColumn<QByteArray>("size");
    QTest::addColumn<bool>("valid");
    QTest::newRow("0") << QByteArray("0") << true;
    QTest::newRow("max") << QByteArray("18446744073709551615") << true;
    QTest::newRow("leading zero") << QByteArray("042") << false;
    QTest::newRow("00") << QByteArray("00") << false;
    QTest::newRow("trailing letter") << QByteArray("42a") << false;
    QTest::newRow("hex") << QByteArray("0x2a") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("negative") << QByteArray("-1") << false;
    QTest::newRow("plus") << QByteArray("+42") << false;
    QTest::newRow("leading space") << QByteArray(" 42") << false;
    QTest::newRow("trailing space") << QByteArray("42 ") << false;
    QTest::newRow("overflow") << QByteArray("18446744073709551616") << false;
    QTest::newRow("21 digits") << QByteArray("100000000000000000000") << false;
    QTest::newRow("exponent") << QByteArray("4e1") << false;
    QTest::newRow("fullwidth digits") << QByteArray("\xef\xbc\x94\xef\xbc\x92") << false;
}

void TestCheckpoint::badSize()
{
    QFETCH(QByteArray, size);
    QFETCH(bool, valid);
    const KeyPair keys = keysFor(1);
    const QByteArray text =
        textOf(logOrigin(keys.publicKey).toUtf8(), size, toBytes(m_checkpoint.root).toBase64());
    const auto opened = openCheckpoint(signText(text, keys), keys.publicKey);
    QCOMPARE(opened.ok(), valid);
    if (valid) {
        QCOMPARE(QByteArray::number(opened->size), size);
    } else {
        QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint"));
    }
}

void TestCheckpoint::badRoot_data()
{
    QTest::addColumn<QByteArray>("root");
    const QByteArray good = toBytes(rootFor("root")).toBase64();
    QTest::newRow("31 bytes") << QByteArray(31, 'r').toBase64();
    QTest::newRow("33 bytes") << QByteArray(33, 'r').toBase64();
    QTest::newRow("64 bytes") << QByteArray(64, 'r').toBase64();
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("no padding") << good.chopped(1);
    QTest::newRow("hex") << toBytes(rootFor("root")).toHex();
    QTest::newRow("base64url") << QByteArray(32, '\xff').toBase64(QByteArray::Base64UrlEncoding);
    QTest::newRow("trailing space") << good + ' ';
    QTest::newRow("not base64") << QByteArray("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!=");
}

void TestCheckpoint::badRoot()
{
    QFETCH(QByteArray, root);
    const KeyPair keys = keysFor(1);
    const QByteArray text = textOf(logOrigin(keys.publicKey).toUtf8(), "42", root);
    const auto opened = openCheckpoint(signText(text, keys), keys.publicKey);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("bad-checkpoint"));
}

void TestCheckpoint::unknownSignatureLinesIgnored()
{
    const KeyPair trusted = keysFor(1);
    const QByteArray text = checkpointText(m_checkpoint);
    const QByteArray ours = m_note.sliced(text.size() + 1);
    const KeyPair witness = keysFor(8);
    const QByteArray witnessName = "witness.example.com";
    const QByteArray theirs =
        signatureLine(witnessName, referenceKeyId(witnessName, witness.publicKey),
                      toBytes(sign(text, witness.secretKey)));
    // A line in our name but with another key's ID (a rotated key, say).
    const QByteArray name = m_checkpoint.origin.toUtf8();
    const QByteArray rotated = signatureLine(name, referenceKeyId(name, witness.publicKey),
                                             toBytes(sign(text, witness.secretKey)));
    // An unknown key's line whose signature is garbage: not ours to judge.
    const QByteArray garbage = signatureLine("unknown", 0x12345678, QByteArray(64, 'g'));

    for (const QByteArray &block : {ours + theirs, theirs + ours, garbage + ours + rotated,
                                    rotated + theirs + ours + garbage}) {
        const auto opened = openCheckpoint(text + '\n' + block, trusted.publicKey);
        QVERIFY2(opened.ok(), qPrintable(opened.errorString()));
        QCOMPARE(opened->size, m_checkpoint.size);
        QCOMPARE(opened->root, m_checkpoint.root);
    }
}

void TestCheckpoint::tlogProofRoundTrip_data()
{
    QTest::addColumn<int>("hashCount");
    QTest::newRow("no hashes") << 0;
    QTest::newRow("three hashes") << 3;
}

void TestCheckpoint::tlogProofRoundTrip()
{
    QFETCH(int, hashCount);
    std::vector<Hash> hashes;
    QByteArray expectedHashLines;
    for (int i = 0; i < hashCount; ++i) {
        hashes.push_back(rootFor("proof " + QByteArray::number(i)));
        expectedHashLines += toBytes(hashes.back()).toBase64() + '\n';
    }
    const QByteArray text = formatTlogProof(7, hashes, m_note);
    QCOMPARE(text, ProofHeader + "\nindex 7\n" + expectedHashLines + '\n' + m_note);

    const auto parsed = parseTlogProof(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString()));
    QCOMPARE(parsed->index, quint64(7));
    QVERIFY(parsed->extra.isEmpty());
    QCOMPARE(parsed->hashes.size(), qsizetype(hashCount));
    for (int i = 0; i < hashCount; ++i) {
        QCOMPARE(parsed->hashes[i], toBytes(hashes[std::size_t(i)]));
    }
    QCOMPARE(parsed->checkpointNote, m_note);
    QVERIFY(openCheckpoint(parsed->checkpointNote, keysFor(1).publicKey).ok());

    // Index 0 is written and read as "0", the largest index survives too.
    const auto zero = parseTlogProof(formatTlogProof(0, hashes, m_note));
    QVERIFY(zero.ok());
    QCOMPARE(zero->index, quint64(0));
    const auto big =
        parseTlogProof(formatTlogProof(std::numeric_limits<quint64>::max(), hashes, m_note));
    QVERIFY(big.ok());
    QCOMPARE(big->index, std::numeric_limits<quint64>::max());
}

void TestCheckpoint::tlogProofWithExtra()
{
    const QByteArray hash = toBytes(rootFor("h")).toBase64();
    const QByteArray text = ProofHeader + "\nextra " + QByteArray("opaque\0data", 11).toBase64() +
                            "\nindex 3\n" + hash + '\n' + hash + "\n\n" + m_note;
    const auto parsed = parseTlogProof(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString()));
    QCOMPARE(parsed->extra, QByteArray("opaque\0data", 11));
    QCOMPARE(parsed->index, quint64(3));
    QCOMPARE(parsed->hashes.size(), 2);
    QCOMPARE(parsed->hashes[0], toBytes(rootFor("h")));
    QCOMPARE(parsed->checkpointNote, m_note);
}

void TestCheckpoint::tlogProofRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray hash = toBytes(rootFor("h")).toBase64();
    const QByteArray tail = hash + "\n\n" + m_note;

    QTest::newRow("wrong first line") << "c2sp.org/tlog-proof@v2\nindex 3\n" + tail;
    QTest::newRow("first line with space") << ProofHeader + " \nindex 3\n" + tail;
    QTest::newRow("no first line") << "index 3\n" + tail;
    QTest::newRow("missing index") << ProofHeader + '\n' + tail;
    QTest::newRow("index without number") << ProofHeader + "\nindex \n" + tail;
    QTest::newRow("index without space") << ProofHeader + "\nindex3\n" + tail;
    QTest::newRow("leading-zero index") << ProofHeader + "\nindex 03\n" + tail;
    QTest::newRow("negative index") << ProofHeader + "\nindex -3\n" + tail;
    QTest::newRow("index overflow") << ProofHeader + "\nindex 18446744073709551616\n" + tail;
    QTest::newRow("index after hashes") << ProofHeader + '\n' + hash + "\nindex 3\n\n" + m_note;
    QTest::newRow("extra after index")
        << ProofHeader + "\nindex 3\nextra " + QByteArray("x").toBase64() + '\n' + tail;
    QTest::newRow("extra not base64") << ProofHeader + "\nextra !!\nindex 3\n" + tail;
    QTest::newRow("non-base64 hash line") << ProofHeader + "\nindex 3\n" + "not base64!\n" + tail;
    QTest::newRow("unpadded hash line")
        << ProofHeader + "\nindex 3\n" + hash.chopped(1) + '\n' + tail;
    QTest::newRow("hash line with space") << ProofHeader + "\nindex 3\n" + hash + " \n" + tail;
    QTest::newRow("no blank line")
        << ProofHeader + "\nindex 3\n" + hash + '\n' + checkpointText(m_checkpoint);
    QTest::newRow("empty") << QByteArray();
}

void TestCheckpoint::tlogProofRejects()
{
    QFETCH(QByteArray, text);
    const auto parsed = parseTlogProof(text);
    QVERIFY2(!parsed.ok(), qPrintable(QString::fromUtf8(text.first(qMin(text.size(), 80)))));
    QCOMPARE(parsed.error().code, QStringLiteral("bad-proof"));
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
