// SPDX-License-Identifier: GPL-3.0-or-later
// Identity files are small JSON documents; the sealed seed is bound to the name and public key as
// AAD.
#include "ledger/keystore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <sodium.h>

namespace cartulary::ledger {

namespace {

constexpr auto Format = "cartulary-identity-v1";
constexpr std::size_t SeedSize = crypto_sign_SEEDBYTES;

QByteArray associatedData(const QString &name, const PublicKey &pk)
{
    return QByteArray(Format) + '\n' + name.toUtf8() + '\n' + toBytes(pk);
}

/** Argon2id-derived 32-byte key; wiped on destruction. */
struct DerivedKey
{
    std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> bytes{};
    ~DerivedKey() { sodium_memzero(bytes.data(), bytes.size()); }
};

bool deriveKey(DerivedKey &key, const QByteArray &passphrase, const QByteArray &salt,
               const KdfLimits &limits)
{
    return crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.constData(),
                         std::size_t(passphrase.size()),
                         reinterpret_cast<const unsigned char *>(salt.constData()), limits.opsLimit,
                         std::size_t(limits.memLimit), crypto_pwhash_ALG_ARGON2ID13) == 0;
}

Result<QJsonObject> readFile(const QString &path)
{
    using R = Result<QJsonObject>;
    QFile file(path);
    if (!file.exists())
        return R::failure("no-identity", QStringLiteral("no identity at %1; create one with "
                                                        "'cartulary init --name NAME'")
                                             .arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(
            "io", QStringLiteral("cannot read identity %1: %2").arg(path, file.errorString()));
    const QByteArray data = file.read(64 * 1024);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject() ||
        doc.object().value("format").toString() != QLatin1String(Format))
        return R::failure(
            "corrupt-identity",
            QStringLiteral("identity file %1 is not a cartulary identity (v1)").arg(path));
    return doc.object();
}

} // namespace

KdfLimits KdfLimits::interactive()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

KdfLimits KdfLimits::moderate()
{
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

Result<std::shared_ptr<Identity>> KeyStore::create(const QString &path, const QString &name,
                                                   const QByteArray &passphrase, KdfLimits limits)
{
    return createWithKeys(path, name, KeyPair::generate(), passphrase, limits);
}

Result<std::shared_ptr<Identity>> KeyStore::createWithKeys(const QString &path, const QString &name,
                                                           KeyPair keys,
                                                           const QByteArray &passphrase,
                                                           KdfLimits limits)
{
    using R = Result<std::shared_ptr<Identity>>;
    initCrypto();
    if (name.trimmed().isEmpty())
        return R::failure("bad-name", QStringLiteral("the organisation name must not be empty"));
    if (QString::fromUtf8(passphrase).size() < MinPassphraseLength)
        return R::failure("weak-passphrase",
                          QStringLiteral("the passphrase must have at least %1 characters")
                              .arg(MinPassphraseLength));
    if (QFileInfo::exists(path))
        return R::failure(
            "identity-exists",
            QStringLiteral("an identity already exists at %1; refusing to overwrite it").arg(path));

    QByteArray salt(crypto_pwhash_SALTBYTES, Qt::Uninitialized);
    randombytes_buf(salt.data(), std::size_t(salt.size()));
    QByteArray nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    randombytes_buf(nonce.data(), std::size_t(nonce.size()));

    DerivedKey key;
    if (!deriveKey(key, passphrase, salt, limits))
        return R::failure("kdf-failed", QStringLiteral("key derivation ran out of memory"));

    const QString trimmed = name.trimmed();
    const QByteArray ad = associatedData(trimmed, keys.publicKey);
    QByteArray sealed(qsizetype(SeedSize + crypto_aead_xchacha20poly1305_ietf_ABYTES),
                      Qt::Uninitialized);
    unsigned long long sealedLen = 0;
    // libsodium's secret key is seed || public key: the seed is the first 32 bytes.
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char *>(sealed.data()), &sealedLen, keys.secretKey.data(),
        SeedSize, reinterpret_cast<const unsigned char *>(ad.constData()), std::size_t(ad.size()),
        nullptr, reinterpret_cast<const unsigned char *>(nonce.constData()), key.bytes.data());
    sealed.resize(qsizetype(sealedLen));

    QJsonObject kdf{{"algorithm", "argon2id13"},
                    {"opslimit", QString::number(limits.opsLimit)},
                    {"memlimit", QString::number(limits.memLimit)},
                    {"salt", QString::fromLatin1(salt.toBase64())}};
    QJsonObject obj{{"format", Format},
                    {"name", trimmed},
                    {"publicKey", QString::fromLatin1(toBytes(keys.publicKey).toBase64())},
                    {"kdf", kdf},
                    {"cipher", "xchacha20poly1305-ietf"},
                    {"nonce", QString::fromLatin1(nonce.toBase64())},
                    {"sealedSeed", QString::fromLatin1(sealed.toBase64())}};

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return R::failure(
            "io", QStringLiteral("cannot write identity %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(obj).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return R::failure(
            "io", QStringLiteral("cannot write identity %1: %2").arg(path, file.errorString()));

    auto identity = std::make_shared<Identity>();
    identity->name = trimmed;
    identity->keys = std::move(keys);
    return identity;
}

Result<PublicIdentity> KeyStore::readPublic(const QString &path)
{
    auto obj = readFile(path);
    if (!obj)
        return obj.error();
    PublicIdentity id;
    id.name = obj->value("name").toString();
    if (!fromBytes(QByteArray::fromBase64(obj->value("publicKey").toString().toLatin1()),
                   id.publicKey))
        return Result<PublicIdentity>::failure(
            "corrupt-identity",
            QStringLiteral("identity file %1 has no valid public key").arg(path));
    return id;
}

Result<std::shared_ptr<Identity>> KeyStore::unlock(const QString &path,
                                                   const QByteArray &passphrase)
{
    using R = Result<std::shared_ptr<Identity>>;
    initCrypto();
    auto obj = readFile(path);
    if (!obj)
        return obj.error();
    auto pub = readPublic(path);
    if (!pub)
        return pub.error();
    const QJsonObject kdf = obj->value("kdf").toObject();
    const QByteArray salt = QByteArray::fromBase64(kdf.value("salt").toString().toLatin1());
    const QByteArray nonce = QByteArray::fromBase64(obj->value("nonce").toString().toLatin1());
    const QByteArray sealed =
        QByteArray::fromBase64(obj->value("sealedSeed").toString().toLatin1());
    bool okOps = false;
    bool okMem = false;
    const KdfLimits limits{kdf.value("opslimit").toString().toULongLong(&okOps),
                           kdf.value("memlimit").toString().toULongLong(&okMem)};
    if (kdf.value("algorithm").toString() != QLatin1String("argon2id13") || !okOps || !okMem ||
        limits.opsLimit < crypto_pwhash_OPSLIMIT_MIN || limits.opsLimit > 64 ||
        limits.memLimit < crypto_pwhash_MEMLIMIT_MIN || limits.memLimit > (quint64(4) << 30) ||
        salt.size() != crypto_pwhash_SALTBYTES ||
        nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
        sealed.size() != qsizetype(SeedSize + crypto_aead_xchacha20poly1305_ietf_ABYTES))
        return R::failure("corrupt-identity",
                          QStringLiteral("identity file %1 has invalid key-derivation or cipher "
                                         "parameters")
                              .arg(path));

    DerivedKey key;
    if (!deriveKey(key, passphrase, salt, limits))
        return R::failure("kdf-failed", QStringLiteral("key derivation ran out of memory"));

    const QByteArray ad = associatedData(pub->name, pub->publicKey);
    std::array<unsigned char, SeedSize> seed{};
    unsigned long long seedLen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            seed.data(), &seedLen, nullptr,
            reinterpret_cast<const unsigned char *>(sealed.constData()), std::size_t(sealed.size()),
            reinterpret_cast<const unsigned char *>(ad.constData()), std::size_t(ad.size()),
            reinterpret_cast<const unsigned char *>(nonce.constData()), key.bytes.data()) != 0)
        return R::failure("wrong-passphrase",
                          QStringLiteral("wrong passphrase for the identity in %1").arg(path));

    auto identity = std::make_shared<Identity>();
    identity->name = pub->name;
    identity->keys =
        KeyPair::fromSeed(QByteArrayView(reinterpret_cast<const char *>(seed.data()), SeedSize));
    sodium_memzero(seed.data(), seed.size());
    if (identity->keys.publicKey != pub->publicKey)
        return R::failure("corrupt-identity",
                          QStringLiteral("identity file %1: the sealed key does not match its "
                                         "public key")
                              .arg(path));
    return identity;
}

} // namespace cartulary::ledger
