// SPDX-License-Identifier: GPL-3.0-or-later
// The ledger verifier: recomputes signatures, chains, leaf hashes and Merkle roots against signed
// checkpoints.
#pragma once

#include "ledger/crypto.h"
#include "ledger/logstore.h"
#include "ledger/result.h"

#include <QString>
#include <QStringList>

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
    Truncated,      ///< fewer entries than a checkpoint the node signed (a cut-back or older copy)
    RolledBack,   ///< the database's checkpoints are older than, or disagree with, the outside one
    StorageError, ///< the database could not be read
    VisitFailed,  ///< the caller's visit function refused an entry (see reason)
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
    /** Things a person should know even when the log verified (no outside checkpoint file, an
     * unusable verification mark). */
    QStringList notes;

    /** "ok: ..." or "entry 12 (author X, seq 3): bad signature — ..." */
    QString summary() const;
};

QString problemName(Problem p);

/** Options for a run. */
struct VerifyOptions
{
    /** Incremental: signatures are not re-checked for the entries a verification mark signed by
     * the node key vouches for (a mark that does not check means a full run); hashes, chains and
     * roots are always recomputed over the whole log, so old rows cannot be altered unnoticed.
     */
    bool incremental = false;
    /** The latest signed checkpoint kept outside the database (FORMAT.md §4.1); empty: not
     * checked. A log shorter than it, or not extending it, fails as Truncated or RolledBack. */
    QString checkpointFile;
    /** Called from the calling thread for each entry, in log order, once its bytes, columns,
     * signature and chain have checked; an error stops the run (VisitFailed). */
    std::function<Status(const StoredEntry &)> visit;
    int threads = 0; ///< 0: every core
    /** Called from the verifying thread with (entries done, total); may be empty. */
    std::function<void(quint64, quint64)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/** Verifies the ledger database at path, whose node key is nodeKey, on its own connection; reads
 * only (the caller stores a verification mark with LogStore::storeVerifiedMark). */
class Verifier
{
public:
    [[nodiscard]] static VerifyReport run(const QString &databasePath, const PublicKey &nodeKey,
                                          const VerifyOptions &options);
};

} // namespace cartulary::ledger
