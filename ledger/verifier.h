// SPDX-License-Identifier: GPL-3.0-or-later
// The ledger verifier: recomputes signatures, chains, leaf hashes and Merkle roots against signed
// checkpoints.
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

#include <QString>

#include <atomic>
#include <functional>

namespace cartulary::ledger {

/** What the verifier found wrong first. */
enum class Problem {
    None,
    BadSignature,   ///< an entry's Ed25519 signature does not verify
    BrokenChain,    ///< an entry does not follow its author's previous entry (order, prev hash)
    MissingRow,     ///< an index or an author's seq is missing, or the log is shorter than signed
    ModifiedRow,    ///< stored columns disagree with the signed bytes, or the bytes do not decode
    BadMerkleRoot,  ///< the recomputed root differs from a signed checkpoint's root
    BadCheckpoint,  ///< a stored checkpoint is not validly signed by the node key
    Uncheckpointed, ///< entries after the last signed checkpoint (never written by this app)
    StorageError,   ///< the database could not be read
};

/** Outcome of a verification run. */
struct VerifyReport
{
    bool ok = false;
    bool cancelled = false;
    bool incremental = false;
    quint64 total = 0; ///< entries in the log
    quint64 signaturesChecked = 0;
    quint64 checkpointsChecked = 0;
    Hash root{}; ///< recomputed root over all entries, when the run finished
    Problem problem = Problem::None;
    bool hasEntry = false; ///< index/author/seq below name the first bad entry
    quint64 index = 0;
    PublicKey author{};
    quint64 seq = 0;
    QString reason; ///< one line for a person

    /** "ok: ..." or "entry 12 (author X, seq 3): bad signature — ..." */
    QString summary() const;
};

QString problemName(Problem p);

/** Options for a run. */
struct VerifyOptions
{
    /** Incremental: signatures are re-checked only after the last successful run; hashes, chains
     * and roots are always recomputed over the whole log, so old rows cannot be altered unnoticed.
     */
    bool incremental = false;
    int threads = 0; ///< 0: every core
    /** Called from the verifying thread with (entries done, total); may be empty. */
    std::function<void(quint64, quint64)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/** Verifies the ledger database at path, whose node key is nodeKey, on its own connection. */
class Verifier
{
public:
    static VerifyReport run(const QString &databasePath, const PublicKey &nodeKey,
                            const VerifyOptions &options);
};

} // namespace cartulary::ledger
