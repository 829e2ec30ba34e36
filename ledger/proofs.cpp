// SPDX-License-Identifier: GPL-3.0-or-later
// Proof builder: every proof is re-verified against the signed root with the independent verifier
// functions of merkle.h before it leaves the ledger.
#include "ledger/proofs.h"

#include "ledger/checkpoint.h"

namespace cartulary::ledger {

namespace {

/** The checkpoint signed at size, its note checked under nodeKey; names the nearest signed sizes
 * when there is none. */
Result<StoredCheckpoint> signedCheckpointAt(const LogStore &store, const PublicKey &nodeKey,
                                            quint64 size)
{
    using R = Result<StoredCheckpoint>;
    const auto cp = store.checkpointAt(size);
    if (!cp) {
        const auto [below, above] = store.nearestCheckpointSizes(size);
        QStringList nearest;
        if (below)
            nearest.append(QString::number(*below));
        if (above)
            nearest.append(QString::number(*above));
        return R::failure(
            "no-checkpoint",
            QStringLiteral("no checkpoint was signed at size %1 (checkpoints are signed when the "
                           "log has that size, never afterwards); %2")
                .arg(size)
                .arg(nearest.isEmpty() ? QStringLiteral("the ledger has no signed checkpoint")
                                       : QStringLiteral("the nearest signed sizes are %1")
                                             .arg(nearest.join(QStringLiteral(" and ")))));
    }
    auto opened = openCheckpoint(cp->note, nodeKey);
    if (!opened)
        return R::failure("bad-checkpoint", QStringLiteral("the checkpoint at size %1: %2; run "
                                                           "'cartulary ledger verify'")
                                                .arg(size)
                                                .arg(opened.errorString()));
    if (opened->size != size || opened->root != cp->root)
        return R::failure("bad-checkpoint",
                          QStringLiteral("the checkpoint row at size %1 disagrees with its signed "
                                         "note; run 'cartulary ledger verify'")
                              .arg(size));
    return *cp;
}

Result<merkle::Tree> treeWithRoot(const LogStore &store, quint64 size, const Hash &signedRoot)
{
    auto tree = store.loadTree(size);
    if (!tree)
        return tree.error();
    if (tree->root() != signedRoot)
        return Result<merkle::Tree>::failure(
            "stale-entries", QStringLiteral("the stored entries no longer match the checkpoint at "
                                            "size %1; run 'cartulary ledger verify'")
                                 .arg(size));
    return tree;
}

QList<QByteArray> raw(const std::vector<Hash> &hashes)
{
    QList<QByteArray> out;
    out.reserve(qsizetype(hashes.size()));
    for (const Hash &h : hashes)
        out.append(toBytes(h));
    return out;
}

} // namespace

Result<InclusionProof> buildInclusionProof(const LogStore &store, const PublicKey &nodeKey,
                                           quint64 index, std::optional<quint64> treeSize)
{
    using R = Result<InclusionProof>;
    if (!treeSize) {
        const auto latest = store.latestCheckpoint();
        if (!latest)
            return R::failure("no-checkpoint",
                              QStringLiteral("the ledger has no signed checkpoint"));
        treeSize = latest->size;
    }
    const quint64 size = *treeSize;
    if (index >= size)
        return R::failure("bad-index", QStringLiteral("entry %1 is not in a tree of size %2 "
                                                      "(indexes run from 0 to size - 1)")
                                           .arg(index)
                                           .arg(size));
    auto cp = signedCheckpointAt(store, nodeKey, size);
    if (!cp)
        return cp.error();
    const auto entry = store.entryAt(index);
    if (!entry)
        return R::failure("missing-entry", QStringLiteral("entry %1 is missing from the log; run "
                                                          "'cartulary ledger verify'")
                                               .arg(index));
    auto decoded = decodeEntry(entry->bytes);
    if (!decoded || !verifyEntrySignature(decoded.value()))
        return R::failure("bad-entry", QStringLiteral("entry %1 does not decode or its signature "
                                                      "does not verify; run 'cartulary ledger "
                                                      "verify'")
                                           .arg(index));
    auto tree = treeWithRoot(store, size, cp->root);
    if (!tree)
        return tree.error();
    InclusionProof proof;
    proof.index = index;
    proof.leafHash = decoded->hash;
    proof.path = tree->inclusionProof(index, size);
    proof.checkpoint = cp.value();
    if (!merkle::verifyInclusion(index, size, toView(proof.leafHash), raw(proof.path),
                                 toView(proof.checkpoint.root)))
        return R::failure("bad-proof", QStringLiteral("the inclusion proof of entry %1 does not "
                                                      "verify against the checkpoint at size %2; "
                                                      "run 'cartulary ledger verify'")
                                           .arg(index)
                                           .arg(size));
    proof.text = formatTlogProof(index, proof.path, proof.checkpoint.note);
    return proof;
}

Result<ConsistencyProof> buildConsistencyProof(const LogStore &store, const PublicKey &nodeKey,
                                               quint64 oldSize, quint64 newSize)
{
    using R = Result<ConsistencyProof>;
    if (oldSize == 0 || oldSize > newSize)
        return R::failure("bad-size", QStringLiteral("a consistency proof needs 0 < OLD <= NEW "
                                                     "(got %1 and %2)")
                                          .arg(oldSize)
                                          .arg(newSize));
    auto oldCp = signedCheckpointAt(store, nodeKey, oldSize);
    if (!oldCp)
        return oldCp.error();
    auto newCp = signedCheckpointAt(store, nodeKey, newSize);
    if (!newCp)
        return newCp.error();
    auto tree = treeWithRoot(store, newSize, newCp->root);
    if (!tree)
        return tree.error();
    ConsistencyProof proof;
    proof.path = tree->consistencyProof(oldSize, newSize);
    proof.oldCheckpoint = oldCp.value();
    proof.newCheckpoint = newCp.value();
    if (!merkle::verifyConsistency(oldSize, newSize, raw(proof.path),
                                   toView(proof.oldCheckpoint.root),
                                   toView(proof.newCheckpoint.root)))
        return R::failure("bad-proof", QStringLiteral("the checkpoints signed at sizes %1 and %2 "
                                                      "are not consistent with the stored log; run "
                                                      "'cartulary ledger verify'")
                                           .arg(oldSize)
                                           .arg(newSize));
    QByteArray text = "cartulary/consistency-proof@v1\n";
    text += "old " + QByteArray::number(oldSize) + ' ' +
            toBytes(proof.oldCheckpoint.root).toBase64() + '\n';
    text += "new " + QByteArray::number(newSize) + ' ' +
            toBytes(proof.newCheckpoint.root).toBase64() + '\n';
    for (const Hash &h : proof.path)
        text += toBytes(h).toBase64() + '\n';
    proof.text = text;
    return proof;
}

} // namespace cartulary::ledger
