// SPDX-License-Identifier: GPL-3.0-or-later
// A node's TLS identity: a self-signed Ed25519 certificate and its key, sealed in a file next to
// the identity key, and the signed ledger entry that binds it to the node's author key.
#pragma once

#include "ledger/entry.h"
#include "ledger/keystore.h"
#include "ledger/logstore.h"
#include "ledger/sync/peerid.h"

#include <QSslConfiguration>

namespace cartulary::ledger::sync {

/** The kind of the entry binding a TLS certificate to its author's ledger key (SYNC.md §2). */
inline constexpr char BindingKind[] = "sync.tls-binding";

/** A TLS certificate and, once unlocked, its Ed25519 private key (32-byte seed, wiped). */
class TlsIdentity
{
public:
    TlsIdentity() = default;
    ~TlsIdentity();
    TlsIdentity(const TlsIdentity &other);
    TlsIdentity &operator=(const TlsIdentity &other);

    /** A new key pair and a self-signed certificate (CN "cartulary <name>", 100 years). */
    static Result<TlsIdentity> generate(const QString &name);
    /** Writes the certificate and the key sealed under the node identity (SYNC.md §2); 0600,
     * atomic, never over an existing file. */
    Status write(const QString &path, const Identity &sealer) const;
    /** The certificate only: peer ID and binding need no passphrase. */
    static Result<TlsIdentity> readPublic(const QString &path);
    /** Certificate and key, unsealed with the node identity. */
    static Result<TlsIdentity> unlock(const QString &path, const Identity &sealer);
    /** Reads the file, or on first use creates it; nothing else is written. */
    static Result<TlsIdentity> ensure(const QString &path, const Identity &identity);

    const QByteArray &certificate() const { return m_certificate; }
    const PeerId &peerId() const { return m_peerId; }
    bool hasPrivateKey() const { return m_seed.size() == 32; }

    /** TLS 1.3 only, this certificate and key, peer certificates requested (checked by the
     * caller against the paired peer IDs, SYNC.md §3). Needs the private key. */
    QSslConfiguration configuration(bool server) const;

private:
    QByteArray m_certificate; ///< DER
    QByteArray m_seed;        ///< raw Ed25519 private key, empty when locked
    PeerId m_peerId{};
};

/** The draft of the binding entry for cert, to be signed by the node key. */
Draft bindingDraft(const TlsIdentity &tls);
/** Checks a binding entry (kind, body, certificate) and returns the peer ID it binds to its author.
 * The caller checks the entry's signature. */
Result<PeerId> parseBinding(const SignedEntry &entry);
/** The node's binding entry in store for peer ID, if it signed one. */
std::optional<StoredEntry> findBinding(const LogStore &store, const PublicKey &author,
                                       const PeerId &id);

} // namespace cartulary::ledger::sync
