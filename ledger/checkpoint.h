// SPDX-License-Identifier: GPL-3.0-or-later
// Signed checkpoints (C2SP tlog-checkpoint over signed-note, Ed25519) and the
// c2sp.org/tlog-proof@v1 text.
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

#include <QList>
#include <QString>

#include <vector>

namespace cartulary::ledger {

/** A tree head: which log, how many leaves, and the RFC 9162 root over them. */
struct Checkpoint
{
    QString origin;
    quint64 size = 0;
    Hash root{};
};

/** The note text a checkpoint signature covers: origin, size and base64 root, each ending in a
 * newline. */
QByteArray checkpointText(const Checkpoint &checkpoint);
/** The log origin (and signed-note key name) for a node key: "cartulary/<fingerprint>". */
QString logOrigin(const PublicKey &key);
/** Signed-note key ID: the first four bytes of SHA-256(name || 0x0A || 0x01 || key), big-endian. */
quint32 noteKeyId(const QString &keyName, const PublicKey &key);
/** The signed-note verifier key string: "<name>+<8 hex key ID>+<base64(0x01 || key)>". */
QString verifierKey(const QString &keyName, const PublicKey &key);
/** Parses a verifier key string; fails when the key ID does not match name and key. */
Result<std::pair<QString, PublicKey>> parseVerifierKey(const QString &vkey);
/** The whole signed note: text, blank line, "— <name> base64(keyID || signature)". */
QByteArray signCheckpoint(const Checkpoint &checkpoint, const KeyPair &keys);
/**
 * Verifies a signed note against the one trusted key (name = logOrigin(key)) and parses the
 * checkpoint. Lines from unknown keys are ignored; a failing signature from the trusted key rejects
 * the note.
 */
Result<Checkpoint> openCheckpoint(QByteArrayView note, const PublicKey &key);

/** A parsed c2sp.org/tlog-proof@v1 document. */
struct TlogProof
{
    QByteArray extra;
    quint64 index = 0;
    QList<QByteArray> hashes; ///< raw bytes; length checked by the Merkle verifier
    QByteArray checkpointNote;
};

QByteArray formatTlogProof(quint64 index, const std::vector<Hash> &proof,
                           const QByteArray &checkpointNote);
Result<TlogProof> parseTlogProof(QByteArrayView text);

/** A verification mark: the first `size` entries, whose root is `root`, were fully verified. */
struct VerifiedMark
{
    quint64 size = 0;
    Hash root{};
};

/** The stored mark (FORMAT.md §9): size, root and the node key's signature over a
 * domain-separated message, so that it can be checked with the public key alone. */
QByteArray signVerifiedMark(const VerifiedMark &mark, const KeyPair &keys);
/** Parses a stored mark and checks its signature by key; fails on any other length or signer. */
[[nodiscard]] Result<VerifiedMark> openVerifiedMark(QByteArrayView stored, const PublicKey &key);

} // namespace cartulary::ledger
