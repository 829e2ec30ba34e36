// SPDX-License-Identifier: GPL-3.0-or-later
// SHA-256 via OpenSSL (SHA-NI where the CPU has it) and Ed25519 via libsodium.
#include "ledger/crypto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace cartulary::ledger {

void initCrypto()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            std::fputs("cartulary: libsodium failed to initialise; refusing to run\n", stderr);
            std::abort();
        }
    });
}

Hash sha256(QByteArrayView data)
{
    Hash out;
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), std::size_t(data.size()),
           out.data());
    return out;
}

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx || EVP_DigestInit_ex(static_cast<EVP_MD_CTX *>(m_ctx), EVP_sha256(), nullptr) != 1) {
        std::fputs("cartulary: OpenSSL SHA-256 is unavailable; refusing to run\n", stderr);
        std::abort();
    }
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(m_ctx));
}

void Sha256::add(QByteArrayView data)
{
    EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(m_ctx), data.data(), std::size_t(data.size()));
}

Hash Sha256::finish()
{
    Hash out;
    unsigned int len = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX *>(m_ctx), out.data(), &len);
    return out;
}

Hash leafHash(QByteArrayView data)
{
    // One-shot SHA-256 over a prefixed copy: cheaper than an EVP context for small entries.
    thread_local QByteArray buffer;
    buffer.resize(data.size() + 1);
    buffer[0] = '\0';
    if (!data.isEmpty())
        std::memcpy(buffer.data() + 1, data.data(), std::size_t(data.size()));
    return sha256(buffer);
}

Hash nodeHash(const Hash &left, const Hash &right)
{
    std::array<std::uint8_t, 1 + 2 * HashSize> buffer;
    buffer[0] = 0x01;
    std::memcpy(buffer.data() + 1, left.data(), HashSize);
    std::memcpy(buffer.data() + 1 + HashSize, right.data(), HashSize);
    Hash out;
    SHA256(buffer.data(), buffer.size(), out.data());
    return out;
}

SecretKey::SecretKey() = default;

SecretKey::~SecretKey()
{
    sodium_memzero(m_bytes.data(), m_bytes.size());
}

SecretKey::SecretKey(SecretKey &&other) noexcept
    : m_bytes(other.m_bytes)
{
    sodium_memzero(other.m_bytes.data(), other.m_bytes.size());
}

SecretKey &SecretKey::operator=(SecretKey &&other) noexcept
{
    if (this != &other) {
        m_bytes = other.m_bytes;
        sodium_memzero(other.m_bytes.data(), other.m_bytes.size());
    }
    return *this;
}

KeyPair KeyPair::generate()
{
    initCrypto();
    KeyPair pair;
    crypto_sign_keypair(pair.publicKey.data(), pair.secretKey.data());
    return pair;
}

KeyPair KeyPair::fromSeed(QByteArrayView seed)
{
    initCrypto();
    Q_ASSERT(seed.size() == crypto_sign_SEEDBYTES);
    KeyPair pair;
    crypto_sign_seed_keypair(pair.publicKey.data(), pair.secretKey.data(),
                             reinterpret_cast<const unsigned char *>(seed.data()));
    return pair;
}

Signature sign(QByteArrayView message, const SecretKey &key)
{
    Signature sig;
    crypto_sign_detached(sig.data(), nullptr,
                         reinterpret_cast<const unsigned char *>(message.data()),
                         std::size_t(message.size()), key.data());
    return sig;
}

bool verify(QByteArrayView message, const Signature &signature, const PublicKey &key)
{
    return crypto_sign_verify_detached(signature.data(),
                                       reinterpret_cast<const unsigned char *>(message.data()),
                                       std::size_t(message.size()), key.data()) == 0;
}

QString toHex(const Hash &h)
{
    return QString::fromLatin1(toBytes(h).toHex());
}

QString toBase64(const Hash &h)
{
    return QString::fromLatin1(toBytes(h).toBase64());
}

QString fingerprint(const PublicKey &key)
{
    // RFC 4648 base32 of the first 10 bytes of SHA-256(key): 16 characters, grouped by four.
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const Hash h = sha256(toView(key));
    QString out;
    quint64 bits = 0;
    int nbits = 0;
    int written = 0;
    for (int i = 0; i < 10; ++i) {
        bits = (bits << 8) | h[std::size_t(i)];
        nbits += 8;
        while (nbits >= 5) {
            nbits -= 5;
            if (written > 0 && written % 4 == 0)
                out += QLatin1Char('-');
            out += QLatin1Char(alphabet[(bits >> nbits) & 31]);
            ++written;
        }
    }
    return out;
}

} // namespace cartulary::ledger
