// SPDX-License-Identifier: GPL-3.0-or-later
// The identity key file: an Ed25519 key sealed with Argon2id + XChaCha20-Poly1305, never stored in
// clear.
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

#include <QString>

#include <memory>

namespace cartulary::ledger {

/** Cost of the passphrase key derivation (libsodium crypto_pwhash Argon2id limits). */
struct KdfLimits
{
    quint64 opsLimit;
    quint64 memLimit;

    static KdfLimits interactive(); ///< ~0.1 s, 64 MiB: tests
    static KdfLimits moderate();    ///< ~0.7 s, 256 MiB: what users get
};

/** The organisation's signing identity, unlocked: its name and key pair. */
struct Identity
{
    QString name;
    KeyPair keys;
};

/** The public half of an identity file, readable without the passphrase. */
struct PublicIdentity
{
    QString name;
    PublicKey publicKey{};
};

/** Shortest passphrase accepted when an identity is created. */
constexpr int MinPassphraseLength = 8;

/** Creates, reads and unlocks identity key files. */
class KeyStore
{
public:
    /** Generates a key pair and writes it sealed under passphrase to path (0600, atomic). Refuses
     * to overwrite. */
    static Result<std::shared_ptr<Identity>> create(const QString &path, const QString &name,
                                                    const QByteArray &passphrase,
                                                    KdfLimits limits = KdfLimits::moderate());
    /** Same, with a given key pair (import, tests). */
    static Result<std::shared_ptr<Identity>> createWithKeys(const QString &path,
                                                            const QString &name, KeyPair keys,
                                                            const QByteArray &passphrase,
                                                            KdfLimits limits);
    /** Reads name and public key; no passphrase needed. */
    static Result<PublicIdentity> readPublic(const QString &path);
    /** Decrypts the key. A wrong passphrase is the error "wrong-passphrase"; nothing is written. */
    static Result<std::shared_ptr<Identity>> unlock(const QString &path,
                                                    const QByteArray &passphrase);
};

} // namespace cartulary::ledger
