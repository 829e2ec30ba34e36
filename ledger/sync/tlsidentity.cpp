// SPDX-License-Identifier: GPL-3.0-or-later
// TLS identity: OpenSSL EVP for the key and certificate, libsodium to seal the key under a key
// derived from the node identity's secret (so one passphrase unlocks both).
#include "ledger/sync/tlsidentity.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <sodium.h>

namespace cartulary::ledger::sync {

namespace {

constexpr auto Format = "cartulary-tls-v1";
constexpr char SealContext[] = "cartulary-tls-key-seal-v1";

/** The sealing key: BLAKE2b-256 keyed with the identity's seed over a fixed context. */
std::array<unsigned char, 32> sealingKey(const Identity &identity)
{
    std::array<unsigned char, 32> key{};
    crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char *>(SealContext),
                       sizeof SealContext - 1, identity.keys.secretKey.data(), 32);
    return key;
}

QByteArray associatedData(const QByteArray &certificate)
{
    return QByteArray(Format) + '\n' + certificate;
}

Result<QJsonObject> readFile(const QString &path)
{
    using R = Result<QJsonObject>;
    QFile file(path);
    if (!file.exists())
        return R::failure("no-tls-identity", QStringLiteral("no TLS identity at %1").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(
            "io", QStringLiteral("cannot read TLS identity %1: %2").arg(path, file.errorString()));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(64 * 1024), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject() ||
        doc.object().value("format").toString() != QLatin1String(Format))
        return R::failure("corrupt-tls-identity",
                          QStringLiteral("%1 is not a cartulary TLS identity (v1)").arg(path));
    return doc.object();
}

} // namespace

TlsIdentity::~TlsIdentity()
{
    if (!m_seed.isEmpty())
        sodium_memzero(m_seed.data(), std::size_t(m_seed.size()));
}

TlsIdentity::TlsIdentity(const TlsIdentity &other)
    : m_certificate(other.m_certificate)
    , m_seed(other.m_seed.constData(), other.m_seed.size())
    , m_peerId(other.m_peerId)
{}

TlsIdentity &TlsIdentity::operator=(const TlsIdentity &other)
{
    if (this != &other) {
        if (!m_seed.isEmpty())
            sodium_memzero(m_seed.data(), std::size_t(m_seed.size()));
        m_certificate = other.m_certificate;
        m_seed = QByteArray(other.m_seed.constData(), other.m_seed.size());
        m_peerId = other.m_peerId;
    }
    return *this;
}

Result<TlsIdentity> TlsIdentity::generate(const QString &name)
{
    using R = Result<TlsIdentity>;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        return R::failure("tls", QStringLiteral("OpenSSL could not make an Ed25519 key"));
    X509 *cert = X509_new();
    auto cleanup = qScopeGuard([&] {
        X509_free(cert);
        EVP_PKEY_free(key);
    });
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // a positive serial number
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
    X509_set_version(cert, X509_VERSION_3);
    X509_gmtime_adj(X509_getm_notBefore(cert), -24 * 3600);
    X509_time_adj_ex(X509_getm_notAfter(cert), 36500, 0, nullptr);
    X509_NAME *subject = X509_get_subject_name(cert);
    const QByteArray cn = ("cartulary " + name).left(64).toUtf8();
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(cert, subject);
    X509_set_pubkey(cert, key);
    if (X509_sign(cert, key, nullptr) <= 0) // Ed25519 signs without a separate digest
        return R::failure("tls", QStringLiteral("OpenSSL could not sign the certificate"));
    unsigned char *der = nullptr;
    const int derLength = i2d_X509(cert, &der);
    if (derLength <= 0)
        return R::failure("tls", QStringLiteral("OpenSSL could not encode the certificate"));
    TlsIdentity tls;
    tls.m_certificate = QByteArray(reinterpret_cast<const char *>(der), derLength);
    OPENSSL_free(der);
    tls.m_seed.resize(32);
    std::size_t seedLength = 32;
    if (EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char *>(tls.m_seed.data()),
                                     &seedLength) != 1 ||
        seedLength != 32)
        return R::failure("tls", QStringLiteral("OpenSSL could not export the private key"));
    auto id = peerIdOfCertificate(tls.m_certificate);
    if (!id)
        return id.error();
    tls.m_peerId = id.value();
    return tls;
}

Status TlsIdentity::write(const QString &path, const Identity &sealer) const
{
    if (QFileInfo::exists(path))
        return Status::failure("tls-identity-exists",
                               QStringLiteral("a TLS identity already exists at %1; refusing to "
                                              "overwrite it")
                                   .arg(path));
    if (!hasPrivateKey())
        return Status::failure("locked", QStringLiteral("the TLS key is not unlocked"));
    const auto key = sealingKey(sealer);
    QByteArray nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    randombytes_buf(nonce.data(), std::size_t(nonce.size()));
    const QByteArray ad = associatedData(m_certificate);
    QByteArray sealed(m_seed.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    unsigned long long sealedLength = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char *>(sealed.data()), &sealedLength,
        reinterpret_cast<const unsigned char *>(m_seed.constData()), std::size_t(m_seed.size()),
        reinterpret_cast<const unsigned char *>(ad.constData()), std::size_t(ad.size()), nullptr,
        reinterpret_cast<const unsigned char *>(nonce.constData()), key.data());
    sealed.resize(qsizetype(sealedLength));
    const QJsonObject obj{
        {"format", Format},
        {"certificate", QString::fromLatin1(m_certificate.toBase64())},
        {"peerId", formatPeerId(m_peerId)},
        {"sealedBy", QString::fromLatin1(toBytes(sealer.keys.publicKey).toBase64())},
        {"cipher", "xchacha20poly1305-ietf"},
        {"nonce", QString::fromLatin1(nonce.toBase64())},
        {"sealedKey", QString::fromLatin1(sealed.toBase64())}};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(
            "io", QStringLiteral("cannot write TLS identity %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(obj).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Status::failure(
            "io", QStringLiteral("cannot write TLS identity %1: %2").arg(path, file.errorString()));
    return {};
}

Result<TlsIdentity> TlsIdentity::readPublic(const QString &path)
{
    auto obj = readFile(path);
    if (!obj)
        return obj.error();
    TlsIdentity tls;
    tls.m_certificate = QByteArray::fromBase64(obj->value("certificate").toString().toLatin1());
    auto id = peerIdOfCertificate(tls.m_certificate);
    if (!id)
        return Result<TlsIdentity>::failure("corrupt-tls-identity",
                                            QStringLiteral("%1: %2").arg(path, id.errorString()));
    tls.m_peerId = id.value();
    return tls;
}

Result<TlsIdentity> TlsIdentity::unlock(const QString &path, const Identity &sealer)
{
    using R = Result<TlsIdentity>;
    initCrypto();
    auto obj = readFile(path);
    if (!obj)
        return obj.error();
    auto tls = readPublic(path);
    if (!tls)
        return tls.error();
    const QByteArray nonce = QByteArray::fromBase64(obj->value("nonce").toString().toLatin1());
    const QByteArray sealed = QByteArray::fromBase64(obj->value("sealedKey").toString().toLatin1());
    if (nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
        sealed.size() != 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return R::failure("corrupt-tls-identity",
                          QStringLiteral("%1 has an invalid nonce or sealed key").arg(path));
    const auto key = sealingKey(sealer);
    const QByteArray ad = associatedData(tls->m_certificate);
    QByteArray seed(32, Qt::Uninitialized);
    unsigned long long seedLength = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(seed.data()), &seedLength, nullptr,
            reinterpret_cast<const unsigned char *>(sealed.constData()), std::size_t(sealed.size()),
            reinterpret_cast<const unsigned char *>(ad.constData()), std::size_t(ad.size()),
            reinterpret_cast<const unsigned char *>(nonce.constData()), key.data()) != 0)
        return R::failure("corrupt-tls-identity",
                          QStringLiteral("%1 was not sealed by this node's identity, or was "
                                         "altered; move it away to make a new one")
                              .arg(path));
    // The key must be the certificate's: a swapped certificate would pin another key.
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(seed.constData()), 32);
    const auto *p = reinterpret_cast<const unsigned char *>(tls->m_certificate.constData());
    X509 *cert = d2i_X509(nullptr, &p, long(tls->m_certificate.size()));
    const bool match = pkey && cert && EVP_PKEY_eq(pkey, X509_get0_pubkey(cert)) == 1;
    EVP_PKEY_free(pkey);
    X509_free(cert);
    if (!match) {
        sodium_memzero(seed.data(), std::size_t(seed.size()));
        return R::failure("corrupt-tls-identity",
                          QStringLiteral("%1: the sealed key is not the certificate's").arg(path));
    }
    tls->m_seed = seed;
    sodium_memzero(seed.data(), std::size_t(seed.size()));
    return tls;
}

Result<TlsIdentity> TlsIdentity::ensure(const QString &path, const Identity &identity)
{
    if (QFileInfo::exists(path))
        return unlock(path, identity);
    auto tls = generate(identity.name);
    if (!tls)
        return tls;
    if (Status s = tls->write(path, identity); !s)
        return s.error();
    return tls;
}

QSslConfiguration TlsIdentity::configuration(bool server) const
{
    QSslConfiguration c = server ? QSslConfiguration::defaultConfiguration()
                                 : QSslConfiguration::defaultConfiguration();
    c.setProtocol(QSsl::TlsV1_3OrLater);
    c.setLocalCertificate(QSslCertificate(m_certificate, QSsl::Der));
    // Qt's PEM/DER constructors return a null key for Ed25519; the native handle works, and Qt
    // takes ownership of it.
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(m_seed.constData()),
        std::size_t(m_seed.size()));
    c.setPrivateKey(QSslKey(reinterpret_cast<Qt::HANDLE>(pkey), QSsl::PrivateKey));
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    c.setCaCertificates({}); // nobody is trusted by a CA: peers are pinned by ID
    c.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
    c.setSslOption(QSsl::SslOptionDisableSessionPersistence, true);
    return c;
}

Draft bindingDraft(const TlsIdentity &tls)
{
    const QJsonObject body{{"certificate", QString::fromLatin1(tls.certificate().toBase64())},
                           {"peer_id", formatPeerId(tls.peerId())}};
    return {QByteArray(BindingKind), QJsonDocument(body).toJson(QJsonDocument::Compact), 0};
}

Result<PeerId> parseBinding(const SignedEntry &entry)
{
    using R = Result<PeerId>;
    if (entry.entry.kind != BindingKind)
        return R::failure("bad-binding", QStringLiteral("the entry is a %1, not a %2")
                                             .arg(QString::fromLatin1(entry.entry.kind),
                                                  QLatin1String(BindingKind)));
    const QJsonObject body = QJsonDocument::fromJson(entry.entry.body).object();
    auto id = peerIdOfCertificate(
        QByteArray::fromBase64(body.value("certificate").toString().toLatin1()));
    if (!id)
        return id;
    auto stated = parsePeerId(body.value("peer_id").toString());
    if (!stated || stated.value() != id.value())
        return R::failure("bad-binding",
                          QStringLiteral("the binding's peer_id is not its certificate's"));
    return id;
}

std::optional<StoredEntry> findBinding(const LogStore &store, const PublicKey &author,
                                       const PeerId &id)
{
    std::optional<StoredEntry> found;
    (void)store.forEach([&](const StoredEntry &e) {
        if (e.author != author || e.kind != BindingKind)
            return true;
        auto decoded = decodeEntry(e.bytes);
        if (decoded) {
            auto bound = parseBinding(decoded.value());
            if (bound && bound.value() == id) {
                found = e;
                return false;
            }
        }
        return true;
    });
    return found;
}

} // namespace cartulary::ledger::sync
