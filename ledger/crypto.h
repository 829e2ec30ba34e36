// SPDX-License-Identifier: GPL-3.0-or-later
// Hashing (SHA-256, RFC 9162 leaf and node hashes) and Ed25519 keys, signatures and verification.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstdint>

namespace cartulary::ledger {

constexpr std::size_t HashSize = 32;
constexpr std::size_t PublicKeySize = 32;
constexpr std::size_t SecretKeySize = 64;
constexpr std::size_t SignatureSize = 64;

/** A SHA-256 digest. */
using Hash = std::array<std::uint8_t, HashSize>;
/** An Ed25519 public key (RFC 8032 encoding). */
using PublicKey = std::array<std::uint8_t, PublicKeySize>;
/** An Ed25519 signature (RFC 8032 encoding). */
using Signature = std::array<std::uint8_t, SignatureSize>;

/** Initialises libsodium once; aborts the process if it cannot (nothing is safe after that). */
void initCrypto();

Hash sha256(QByteArrayView data);
/** Incremental SHA-256 for streams (files of any size). */
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void add(QByteArrayView data);
    Hash finish();

private:
    void *m_ctx; // EVP_MD_CTX, kept opaque so OpenSSL stays out of this header
};

/** RFC 9162 leaf hash: SHA-256(0x00 || data). */
Hash leafHash(QByteArrayView data);
/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
Hash nodeHash(const Hash &left, const Hash &right);

/** An Ed25519 secret key (libsodium's 64-byte seed||pk form); wiped from memory on destruction. */
class SecretKey
{
public:
    SecretKey();
    ~SecretKey();
    SecretKey(const SecretKey &) = delete;
    SecretKey &operator=(const SecretKey &) = delete;
    SecretKey(SecretKey &&other) noexcept;
    SecretKey &operator=(SecretKey &&other) noexcept;

    std::uint8_t *data() { return m_bytes.data(); }
    const std::uint8_t *data() const { return m_bytes.data(); }
    static constexpr std::size_t size() { return SecretKeySize; }

private:
    std::array<std::uint8_t, SecretKeySize> m_bytes{};
};

/** An Ed25519 key pair. */
struct KeyPair
{
    PublicKey publicKey{};
    SecretKey secretKey;

    static KeyPair generate();
    /** Deterministic key pair from a 32-byte seed (tests and known-answer vectors). */
    static KeyPair fromSeed(QByteArrayView seed);
};

Signature sign(QByteArrayView message, const SecretKey &key);
/** Strict Ed25519 verification (libsodium: canonical encodings, no small-order points). */
[[nodiscard]] bool verify(QByteArrayView message, const Signature &signature, const PublicKey &key);

template<std::size_t N>
QByteArray toBytes(const std::array<std::uint8_t, N> &a)
{
    return QByteArray(reinterpret_cast<const char *>(a.data()), qsizetype(N));
}
template<std::size_t N>
QByteArrayView toView(const std::array<std::uint8_t, N> &a)
{
    return QByteArrayView(reinterpret_cast<const char *>(a.data()), qsizetype(N));
}
/** Copies exactly N bytes into an array; returns false (and leaves out untouched) on any other
 * length. */
template<std::size_t N>
[[nodiscard]] bool fromBytes(QByteArrayView bytes, std::array<std::uint8_t, N> &out)
{
    if (bytes.size() != qsizetype(N))
        return false;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
}

QString toHex(const Hash &h);
QString toBase64(const Hash &h);

/** Short, human-checkable fingerprint of a public key: "XXXX-XXXX-XXXX-XXXX" (base32 of SHA-256).
 */
QString fingerprint(const PublicKey &key);

} // namespace cartulary::ledger
