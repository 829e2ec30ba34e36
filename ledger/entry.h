// SPDX-License-Identifier: GPL-3.0-or-later
// Ledger entries: the deterministic binary encoding (see FORMAT.md), signing and structural
// decoding.
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

#include <QByteArray>

namespace cartulary::ledger {

/** Encoding version written by this build; decode accepts exactly the versions listed in FORMAT.md.
 */
constexpr std::uint8_t EntryVersion = 1;
/** Largest body accepted, checked before anything is allocated for it. */
constexpr std::uint32_t MaxBodySize = 1u << 20;
/** Longest kind accepted. */
constexpr int MaxKindSize = 64;

/** The signed content of an entry: who, where in their chain, when, what kind, and the body. */
struct Entry
{
    PublicKey author{};
    quint64 seq = 0;   ///< 1 for an author's first entry
    Hash prev{};       ///< hash of the author's entry seq-1; all zero for seq 1
    qint64 timeMs = 0; ///< claimed time, milliseconds since the Unix epoch, UTC
    QByteArray kind;   ///< e.g. "document.recorded"; [a-z0-9.-], 1..64 bytes
    QByteArray body;   ///< opaque to the ledger (the model writes canonical JSON)
};

/** An entry with its signature, its exact signed bytes and its hash (RFC 9162 leaf hash of bytes).
 */
struct SignedEntry
{
    Entry entry;
    Signature signature{};
    QByteArray bytes; ///< the signed entry: encodeUnsigned(entry) || signature
    Hash hash{};      ///< leafHash(bytes): the entry's identity, its chain link and its Merkle leaf
};

/** Checks the fields a writer controls (kind charset and length, body size, seq/prev rule). */
Status validateEntry(const Entry &entry);
/** The bytes the signature covers: domain prefix, version and every field (FORMAT.md). */
QByteArray encodeUnsigned(const Entry &entry);
/** Encodes, signs with key and hashes; entry must pass validateEntry. */
SignedEntry signEntry(Entry entry, const SecretKey &key);
/** Parses signed entry bytes strictly (exact length, known version, valid fields). Does not verify
 * the signature. */
Result<SignedEntry> decodeEntry(QByteArrayView bytes);
/** Verifies the Ed25519 signature of a decoded entry against its author key. */
[[nodiscard]] bool verifyEntrySignature(const SignedEntry &entry);

bool isZero(const Hash &h);

} // namespace cartulary::ledger
