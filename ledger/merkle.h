// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9162 (section 2.1) Merkle tree: tree hashes, inclusion and consistency proofs, verification.
#pragma once

#include "ledger/crypto.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QtGlobal>

#include <optional>
#include <vector>

// All hashing goes through leafHash()/nodeHash()/sha256() from crypto.h, the one place that knows
// the RFC 9162 domain-separation prefixes.
namespace cartulary::ledger::merkle {

/** MTH({}): SHA-256 of the empty string, the root of a tree with no leaves. */
Hash emptyRoot();

/** In-memory tree over leaf hashes; caches every perfect, aligned subtree for O(log n) proofs. */
class Tree
{
public:
    void reserve(quint64 leaves);
    /** Amortised O(1): updates the cached perfect subtrees. */
    void append(const Hash &leafHash);
    quint64 size() const;
    const Hash &leaf(quint64 index) const;
    /** MTH of all leaves (emptyRoot() when empty). */
    Hash root() const;
    /** MTH of the first `size` leaves; precondition size <= this->size(). */
    Hash rootAt(quint64 size) const;
    /** RFC 9162 PATH(m, D[n]), lowest sibling first; precondition index < treeSize <= size(). */
    std::vector<Hash> inclusionProof(quint64 index, quint64 treeSize) const;
    /** RFC 9162 PROOF(m, D[n]); precondition 0 < oldSize <= newSize <= size(); equal: empty. */
    std::vector<Hash> consistencyProof(quint64 oldSize, quint64 newSize) const;

private:
    /** Hash of the perfect subtree of 2^level leaves starting at leaf `begin` (aligned). */
    const Hash &perfect(int level, quint64 begin) const;
    /** MTH(D[begin:end]) from cached perfect subtrees; `begin` aligned to the largest one. */
    Hash rangeHash(quint64 begin, quint64 end) const;

    // m_levels[k][i] is the hash of leaves [i * 2^k, (i + 1) * 2^k); level 0 holds the leaves.
    std::vector<std::vector<Hash>> m_levels;
};

/** The right frontier of an append-only tree (at most 64 hashes): a root without the leaves. */
class CompactRange
{
public:
    void append(const Hash &leafHash);
    quint64 size() const;
    Hash root() const;
    /** Size as 8-byte big-endian, then the frontier hashes, top (largest subtree) first. */
    QByteArray serialize() const;
    /** nullopt on any inconsistency (wrong length for that size, etc.). */
    static std::optional<CompactRange> deserialize(QByteArrayView bytes);

private:
    quint64 m_size = 0;
    // One hash per set bit of m_size, most significant (largest subtree) first.
    std::vector<Hash> m_frontier;
};

// Verification per RFC 9162 §2.1.3.2 and §2.1.4.2. Inputs are raw byte arrays so that malformed
// input can be refused: any proof element, leaf hash or root that is not exactly 32 bytes makes the
// proof invalid. A consistency proof from size 0 is always refused: PROOF(m, D[n]) is only defined
// for m > 0, and "consistent with the empty tree" proves nothing.
[[nodiscard]] bool verifyInclusion(quint64 index, quint64 treeSize, QByteArrayView leafHash,
                                   const QList<QByteArray> &proof, QByteArrayView root);
[[nodiscard]] bool verifyConsistency(quint64 size1, quint64 size2, const QList<QByteArray> &proof,
                                     QByteArrayView root1, QByteArrayView root2);

/** The root an inclusion proof implies (RFC 9162 §2.1.3.2); nullopt if the proof is misshapen. */
[[nodiscard]] std::optional<Hash> rootFromInclusionProof(quint64 index, quint64 treeSize,
                                                         const Hash &leafHash,
                                                         const std::vector<Hash> &proof);

} // namespace cartulary::ledger::merkle
