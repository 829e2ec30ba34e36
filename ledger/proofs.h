// SPDX-License-Identifier: GPL-3.0-or-later
// The one place that builds proofs for outsiders (command line, GUI, evidence packs): inclusion and
// consistency proofs at signed checkpoint sizes, checked before they are handed out.
#pragma once

#include "ledger/logstore.h"

#include <optional>
#include <vector>

namespace cartulary::ledger {

/** An entry's RFC 9162 inclusion proof in the tree of a checkpoint signed at that size. */
struct InclusionProof
{
    quint64 index = 0;
    Hash leafHash{};             ///< recomputed from the entry's signed bytes
    std::vector<Hash> path;      ///< PATH(index, D[size]), the leaf's sibling first
    StoredCheckpoint checkpoint; ///< the checkpoint signed at the tree's size
    QByteArray text;             ///< the c2sp.org/tlog-proof@v1 document (FORMAT.md §7)
};

/** An RFC 9162 consistency proof between two checkpoints the node signed. */
struct ConsistencyProof
{
    std::vector<Hash> path;         ///< PROOF(old, D[new])
    StoredCheckpoint oldCheckpoint; ///< signed at the old size
    StoredCheckpoint newCheckpoint; ///< signed at the new size
    QByteArray text;                ///< the cartulary/consistency-proof@v1 document (FORMAT.md §7)
};

/**
 * Builds the inclusion proof of entry index in the tree of the checkpoint signed at treeSize (the
 * latest checkpoint when not given). Never signs anything: a size no checkpoint was signed at is
 * refused, naming the nearest signed sizes. Before returning, checks the checkpoint's signature by
 * nodeKey, the entry's signature, that the stored leaves give the signed root, and the proof
 * itself against that root with the leaf hash recomputed from the entry's bytes.
 */
Result<InclusionProof> buildInclusionProof(const LogStore &store, const PublicKey &nodeKey,
                                           quint64 index,
                                           std::optional<quint64> treeSize = std::nullopt);

/**
 * Builds the consistency proof from the checkpoint signed at oldSize to the one signed at newSize
 * (0 < oldSize <= newSize), and checks it against both signed roots before returning it.
 */
Result<ConsistencyProof> buildConsistencyProof(const LogStore &store, const PublicKey &nodeKey,
                                               quint64 oldSize, quint64 newSize);

} // namespace cartulary::ledger
