// SPDX-License-Identifier: GPL-3.0-or-later
// Tests the identity key file: create/unlock round trips, no secret in clear, refusals, tampering.
#include "ledger/crypto.h"
#include "ledger/keystore.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {

const QString FixtureName = QStringLiteral("Acme Archive");
const QByteArray FixturePassphrase = QByteArrayLiteral("correct horse battery staple");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray secretBytes(const SecretKey &key)
{
    return QByteArray(reinterpret_cast<const char *>(key.data()), qsizetype(SecretKey::size()));
}

/** Every plain encoding of secret that might end up in a text file. */
QList<QByteArray> encodings(const QByteArray &secret)
{
    return {
        secret,
        secret.toHex(),
        secret.toHex().toUpper(),
        secret.toBase64(),
        secret.toBase64(QByteArray::OmitTrailingEquals),
        secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
    };
}

/** Base64 field with one byte of its decoded value flipped, re-encoded canonically. */
QString flipBase64Byte(const QJsonValue &field, qsizetype index)
{
    QByteArray raw = QByteArray::fromBase64(field.toString().toLatin1());
    raw[index] = char(raw[index] ^ 0x01);
    return QString::fromLatin1(raw.toBase64());
}

QStringList dirListing(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestKeyStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void createThenUnlock();
    void readPublicNeedsNoPassphrase();
    void fileHoldsNoSecretInClear();
    void filePermissions();
    void wrongPassphraseChangesNothing();
    void refusesEmptyName_data();
    void refusesEmptyName();
    void refusesShortPassphrase_data();
    void refusesShortPassphrase();
    void refusesToOverwrite();
    void tamperedCiphertextLooksLikeWrongPassphrase_data();
    void tamperedCiphertextLooksLikeWrongPassphrase();
    void tamperedNameOrKeyFails_data();
    void tamperedNameOrKeyFails();
    void malformedPublicKey_data();
    void malformedPublicKey();
    void notAnIdentity_data();
    void notAnIdentity();
    void absurdParametersRefusedWithoutDerivation_data();
    void absurdParametersRefusedWithoutDerivation();
    void missingFile();
    void nonAsciiPassphrase();

private:
    /** Writes a variant of the fixture file and returns its path. */
    QString writeVariant(const QString &name, const QByteArray &bytes);
    QString writeVariant(const QString &name, const QJsonObject &obj);

    QTemporaryDir m_dir;
    QString m_path;          // the fixture identity, created once
    QByteArray m_fileBytes;  // its bytes right after creation
    QJsonObject m_json;      // the same, parsed
    PublicKey m_publicKey{}; // the key pair create() returned
    QByteArray m_secretKey;
};

QString TestKeyStore::writeVariant(const QString &name, const QByteArray &bytes)
{
    QString path = m_dir.filePath(name);
    QFile::remove(path);
    if (!writeAll(path, bytes)) {
        qFatal("cannot write %s", qPrintable(path));
    }
    return path;
}

QString TestKeyStore::writeVariant(const QString &name, const QJsonObject &obj)
{
    return writeVariant(name, QJsonDocument(obj).toJson());
}

void TestKeyStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    initCrypto();
    m_path = m_dir.filePath(QStringLiteral("identity.json"));
    const auto created =
        KeyStore::create(m_path, FixtureName, FixturePassphrase, KdfLimits::interactive());
    QVERIFY2(created.ok(), qPrintable(created.errorString()));
    QCOMPARE(created.value()->name, FixtureName);
    m_publicKey = created.value()->keys.publicKey;
    m_secretKey = secretBytes(created.value()->keys.secretKey);
    m_fileBytes = readAll(m_path);
    QVERIFY(!m_fileBytes.isEmpty());
    QJsonParseError err;
    m_json = QJsonDocument::fromJson(m_fileBytes, &err).object();
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(m_json.value("format").toString(), QStringLiteral("cartulary-identity-v1"));
    // The atomic write leaves nothing else behind.
    QCOMPARE(dirListing(m_dir.path()), QStringList{QStringLiteral("identity.json")});
}

void TestKeyStore::createThenUnlock()
{
    const auto unlocked = KeyStore::unlock(m_path, FixturePassphrase);
    QVERIFY2(unlocked.ok(), qPrintable(unlocked.errorString()));
    const Identity &id = *unlocked.value();
    QCOMPARE(id.name, FixtureName);
    QCOMPARE(id.keys.publicKey, m_publicKey);
    QCOMPARE(secretBytes(id.keys.secretKey), m_secretKey);

    // The unlocked secret key works, and its signatures verify under the created public key.
    const QByteArray message("checkpoint text");
    const Signature sig = sign(message, id.keys.secretKey);
    QVERIFY(verify(message, sig, m_publicKey));
    QVERIFY(!verify("another text", sig, m_publicKey));
    QCOMPARE(readAll(m_path), m_fileBytes); // unlocking writes nothing
}

void TestKeyStore::readPublicNeedsNoPassphrase()
{
    const auto pub = KeyStore::readPublic(m_path);
    QVERIFY2(pub.ok(), qPrintable(pub.errorString()));
    QCOMPARE(pub->name, FixtureName);
    QCOMPARE(pub->publicKey, m_publicKey);
}

void TestKeyStore::fileHoldsNoSecretInClear()
{
    const QByteArray seed = m_secretKey.first(32);
    QCOMPARE(m_secretKey.size(), 64);
    for (const QByteArray &secret : {seed, m_secretKey}) {
        for (const QByteArray &encoded : encodings(secret)) {
            QVERIFY2(!m_fileBytes.contains(encoded),
                     qPrintable(QStringLiteral("identity file contains %1")
                                    .arg(QString::fromLatin1(encoded.toHex()))));
        }
    }
    // Half the seed is already too much.
    QVERIFY(!m_fileBytes.contains(seed.first(16)));
    QVERIFY(!m_fileBytes.contains(seed.first(16).toHex()));
    // The search is able to find things: the public key is in the file, in base64.
    QVERIFY(m_fileBytes.contains(toBytes(m_publicKey).toBase64()));
}

void TestKeyStore::filePermissions()
{
#ifndef Q_OS_UNIX
    QSKIP("POSIX permission bits");
#endif
    const QFileDevice::Permissions mask =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
        QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFile::permissions(m_path) & mask, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestKeyStore::wrongPassphraseChangesNothing()
{
    const QString path = writeVariant(QStringLiteral("wrong-passphrase.json"), m_fileBytes);
    // Backdate the file so that any write, even of identical bytes, would show in its mtime.
    const QDateTime past = QDateTime::fromSecsSinceEpoch(1577836800, Qt::UTC);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.setFileTime(past, QFileDevice::FileModificationTime));
    }
    QCOMPARE(QFileInfo(path).lastModified().toUTC(), past);
    const QStringList before = dirListing(m_dir.path());

    const auto r = KeyStore::unlock(path, "not the passphrase");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("wrong-passphrase"));
    QVERIFY(!r.errorString().isEmpty());

    QCOMPARE(readAll(path), m_fileBytes);
    QCOMPARE(QFileInfo(path).lastModified().toUTC(), past);
    QCOMPARE(dirListing(m_dir.path()), before);
}

void TestKeyStore::refusesEmptyName_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   ");
    QTest::newRow("whitespace") << QStringLiteral("\t\n ");
}

void TestKeyStore::refusesEmptyName()
{
    QFETCH(QString, name);
    const QString path = m_dir.filePath(QStringLiteral("empty-name.json"));
    const auto r = KeyStore::createWithKeys(path, name, KeyPair::fromSeed(QByteArray(32, 'n')),
                                            FixturePassphrase, KdfLimits::interactive());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("bad-name"));
    QVERIFY(!QFileInfo::exists(path));
}

void TestKeyStore::refusesShortPassphrase_data()
{
    QTest::addColumn<QByteArray>("passphrase");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one short") << QByteArray(MinPassphraseLength - 1, 'x');
    // Seven characters in eleven UTF-8 bytes: the rule counts characters, not bytes.
    QTest::newRow("non-ASCII") << QStringLiteral("ключ123").toUtf8();
}

void TestKeyStore::refusesShortPassphrase()
{
    QFETCH(QByteArray, passphrase);
    const QString path = m_dir.filePath(QStringLiteral("short-passphrase.json"));
    const auto r = KeyStore::create(path, FixtureName, passphrase, KdfLimits::interactive());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("weak-passphrase"));
    QVERIFY(!QFileInfo::exists(path));
}

void TestKeyStore::refusesToOverwrite()
{
    const auto r = KeyStore::create(m_path, QStringLiteral("Someone Else"), "another passphrase",
                                    KdfLimits::interactive());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("identity-exists"));
    QCOMPARE(readAll(m_path), m_fileBytes);

    // Any existing file counts, even an empty one.
    const QString empty = writeVariant(QStringLiteral("empty.json"), QByteArray());
    const auto r2 =
        KeyStore::create(empty, FixtureName, FixturePassphrase, KdfLimits::interactive());
    QCOMPARE(r2.error().code, QStringLiteral("identity-exists"));
    QCOMPARE(QFileInfo(empty).size(), 0);
}

void TestKeyStore::tamperedCiphertextLooksLikeWrongPassphrase_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("index");
    QTest::newRow("sealedSeed first byte") << QStringLiteral("sealedSeed") << 0;
    QTest::newRow("sealedSeed tag") << QStringLiteral("sealedSeed") << 47;
    QTest::newRow("nonce") << QStringLiteral("nonce") << 5;
    QTest::newRow("salt") << QStringLiteral("kdf.salt") << 3;
}

void TestKeyStore::tamperedCiphertextLooksLikeWrongPassphrase()
{
    // The AEAD cannot tell a changed ciphertext (or salt, or nonce) from a wrong passphrase.
    QFETCH(QString, field);
    QFETCH(int, index);
    QJsonObject obj = m_json;
    if (field == QLatin1String("kdf.salt")) {
        QJsonObject kdf = obj.value("kdf").toObject();
        kdf.insert("salt", flipBase64Byte(kdf.value("salt"), index));
        obj.insert("kdf", kdf);
    } else {
        obj.insert(field, flipBase64Byte(obj.value(field), index));
    }
    QVERIFY(obj != m_json);
    const QString path = writeVariant(QStringLiteral("tampered-ciphertext.json"), obj);
    const auto r = KeyStore::unlock(path, FixturePassphrase);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("wrong-passphrase"));
}

void TestKeyStore::tamperedNameOrKeyFails_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("name") << QStringLiteral("name") << QStringLiteral("Evil Archive");
    QTest::newRow("name case") << QStringLiteral("name") << QStringLiteral("acme archive");
    QTest::newRow("publicKey")
        << QStringLiteral("publicKey")
        << QString::fromLatin1(
               toBytes(KeyPair::fromSeed(QByteArray(32, 'k')).publicKey).toBase64());
}

void TestKeyStore::tamperedNameOrKeyFails()
{
    // Name and public key are the AEAD's associated data: changing either breaks decryption, so
    // nobody can relabel a sealed key as another organisation's or pair it with another key.
    QFETCH(QString, field);
    QFETCH(QString, value);
    QJsonObject obj = m_json;
    obj.insert(field, value);
    const QString path = writeVariant(QStringLiteral("tampered-ad.json"), obj);
    QVERIFY(KeyStore::readPublic(path).ok()); // the public half reads as what it now claims
    const auto r = KeyStore::unlock(path, FixturePassphrase);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().code == QLatin1String("wrong-passphrase") ||
                 r.error().code == QLatin1String("corrupt-identity"),
             qPrintable(r.error().code));
}

void TestKeyStore::malformedPublicKey_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("31 bytes") << QJsonValue(QString::fromLatin1(QByteArray(31, 'k').toBase64()));
    QTest::newRow("33 bytes") << QJsonValue(QString::fromLatin1(QByteArray(33, 'k').toBase64()));
    QTest::newRow("empty") << QJsonValue(QString());
    QTest::newRow("number") << QJsonValue(42);
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
}

void TestKeyStore::malformedPublicKey()
{
    QFETCH(QJsonValue, value);
    QJsonObject obj = m_json;
    if (value.isUndefined()) {
        obj.remove("publicKey");
    } else {
        obj.insert("publicKey", value);
    }
    const QString path = writeVariant(QStringLiteral("bad-public-key.json"), obj);
    const auto pub = KeyStore::readPublic(path);
    QVERIFY(!pub.ok());
    QCOMPARE(pub.error().code, QStringLiteral("corrupt-identity"));
    const auto r = KeyStore::unlock(path, FixturePassphrase);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("corrupt-identity"));
}

void TestKeyStore::notAnIdentity_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QJsonObject v2 = m_json;
    v2.insert("format", "cartulary-identity-v2");
    QJsonObject noFormat = m_json;
    noFormat.remove("format");
    QJsonObject numericFormat = m_json;
    numericFormat.insert("format", 1);

    QTest::newRow("invalid JSON") << QByteArray("{\"format\": \"cartulary-identity-v1\",");
    QTest::newRow("truncated") << m_fileBytes.first(m_fileBytes.size() / 2);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe\x01", 4);
    QTest::newRow("array") << QByteArray("[\"cartulary-identity-v1\"]");
    QTest::newRow("wrong format") << QJsonDocument(v2).toJson();
    QTest::newRow("no format") << QJsonDocument(noFormat).toJson();
    QTest::newRow("numeric format") << QJsonDocument(numericFormat).toJson();
}

void TestKeyStore::notAnIdentity()
{
    QFETCH(QByteArray, bytes);
    const QString path = writeVariant(QStringLiteral("not-an-identity.json"), bytes);
    const auto pub = KeyStore::readPublic(path);
    QVERIFY(!pub.ok());
    QCOMPARE(pub.error().code, QStringLiteral("corrupt-identity"));
    QVERIFY(pub.errorString().contains(path)); // says where
    const auto r = KeyStore::unlock(path, FixturePassphrase);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("corrupt-identity"));
    QCOMPARE(readAll(path), bytes);
}

void TestKeyStore::absurdParametersRefusedWithoutDerivation_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");

    const auto kdf = [](const char *key, const QJsonValue &v) {
        return std::make_pair(QStringLiteral("kdf.") + QLatin1String(key), v);
    };
    const auto row = [](const char *name, const std::pair<QString, QJsonValue> &change) {
        QTest::newRow(name) << change.first << change.second;
    };
    // Argon2id with opslimit 1000 would run for minutes; 1 TiB would exhaust memory.
    row("opslimit 1000", kdf("opslimit", QStringLiteral("1000")));
    row("memlimit 1 TiB", kdf("memlimit", QStringLiteral("1099511627776")));
    row("both absurd",
        std::make_pair(QStringLiteral("kdf"), QJsonValue(QJsonObject{
                                                  {"algorithm", "argon2id13"},
                                                  {"opslimit", "1000"},
                                                  {"memlimit", "1099511627776"},
                                                  {"salt", m_json.value("kdf")["salt"]},
                                              })));
    row("opslimit 0", kdf("opslimit", QStringLiteral("0")));
    row("memlimit 1", kdf("memlimit", QStringLiteral("1")));
    row("opslimit negative", kdf("opslimit", QStringLiteral("-2")));
    row("opslimit not a number", kdf("opslimit", QStringLiteral("two")));
    row("opslimit as JSON number", kdf("opslimit", QJsonValue(2)));
    row("memlimit overflow", kdf("memlimit", QStringLiteral("99999999999999999999999")));
    row("algorithm", kdf("algorithm", QStringLiteral("argon2i13")));
    row("salt short", kdf("salt", QString::fromLatin1(QByteArray(15, 's').toBase64())));
    row("no kdf", std::make_pair(QStringLiteral("kdf"), QJsonValue(QJsonValue::Undefined)));
    row("nonce short",
        std::make_pair(QStringLiteral("nonce"),
                       QJsonValue(QString::fromLatin1(QByteArray(23, 'n').toBase64()))));
    row("sealedSeed short",
        std::make_pair(QStringLiteral("sealedSeed"),
                       QJsonValue(QString::fromLatin1(QByteArray(47, 's').toBase64()))));
    row("sealedSeed long",
        std::make_pair(QStringLiteral("sealedSeed"),
                       QJsonValue(QString::fromLatin1(QByteArray(64 + 16, 's').toBase64()))));
}

void TestKeyStore::absurdParametersRefusedWithoutDerivation()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QJsonObject obj = m_json;
    const auto set = [](QJsonObject &o, const QString &key, const QJsonValue &v) {
        if (v.isUndefined()) {
            o.remove(key);
        } else {
            o.insert(key, v);
        }
    };
    if (field.startsWith(QLatin1String("kdf."))) {
        QJsonObject kdf = obj.value("kdf").toObject();
        set(kdf, field.sliced(4), value);
        obj.insert("kdf", kdf);
    } else {
        set(obj, field, value);
    }
    QVERIFY(obj != m_json);
    const QString path = writeVariant(QStringLiteral("absurd-kdf.json"), obj);

    QElapsedTimer timer;
    timer.start();
    const auto r = KeyStore::unlock(path, FixturePassphrase);
    const qint64 elapsed = timer.elapsed();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("corrupt-identity"));
    // Refused on sight: derivation with the absurd limits would run for minutes (or fail with
    // "kdf-failed"), and the small ones would fail with "kdf-failed", not "corrupt-identity".
    QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
    QVERIFY(KeyStore::readPublic(path).ok()); // the public half is still readable
}

void TestKeyStore::missingFile()
{
    for (const QString &path :
         {m_dir.filePath(QStringLiteral("missing.json")),
          m_dir.filePath(QStringLiteral("no/such/directory/identity.json"))}) {
        const auto pub = KeyStore::readPublic(path);
        QVERIFY(!pub.ok());
        QCOMPARE(pub.error().code, QStringLiteral("no-identity"));
        const auto r = KeyStore::unlock(path, FixturePassphrase);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("no-identity"));
        QVERIFY(!QFileInfo::exists(path));
    }
}

void TestKeyStore::nonAsciiPassphrase()
{
    const QByteArray passphrase = QStringLiteral("pässwörd-ключ").toUtf8();
    const QString path = m_dir.filePath(QStringLiteral("non-ascii.json"));
    const KeyPair keys = KeyPair::fromSeed(QByteArray(32, 'u'));
    const PublicKey expected = keys.publicKey;
    const auto created = KeyStore::createWithKeys(path, QStringLiteral("Archiv Zürich"),
                                                  KeyPair::fromSeed(QByteArray(32, 'u')),
                                                  passphrase, KdfLimits::interactive());
    QVERIFY2(created.ok(), qPrintable(created.errorString()));

    const auto unlocked = KeyStore::unlock(path, passphrase);
    QVERIFY2(unlocked.ok(), qPrintable(unlocked.errorString()));
    QCOMPARE(unlocked.value()->name, QStringLiteral("Archiv Zürich"));
    QCOMPARE(unlocked.value()->keys.publicKey, expected);
    QCOMPARE(secretBytes(unlocked.value()->keys.secretKey), secretBytes(keys.secretKey));
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_keystore.moc"
