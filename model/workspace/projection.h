// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLite projection: read tables derived from ledger entries, applied in the entry's
// transaction.
#pragma once

#include "ledger/logstore.h"

#include <atomic>
#include <functional>

namespace cartulary::model {

/** How a projection rebuild reports and stops. */
struct RebuildOptions
{
    /** Called with (entries applied, total). */
    std::function<void(quint64, quint64)> progress;
    /** Set from another thread to stop: the rebuild rolls back ("cancelled"). */
    const std::atomic_bool *cancel = nullptr;
};

/**
 * Builds the read tables from entries. apply() runs inside the ledger's transaction (it is the
 * LogStore Applier), so an entry and its projection commit together. The tables can be dropped and
 * rebuilt from the ledger alone, and must come out identical.
 */
class Projection
{
public:
    /** Bumped whenever the read tables change shape; a mismatch triggers a rebuild on open. */
    static constexpr int Version = 7;

    /** Called during a rebuild with (entries applied, total). */
    using Progress = std::function<void(quint64, quint64)>;

    /** Creates missing read tables; rebuilds them when their version is not Version. */
    static Status prepare(ledger::LogStore &store, const ledger::PublicKey &nodeKey,
                          const RebuildOptions &options = {});
    /**
     * Drops every read table and re-applies the whole ledger, in one transaction. Each entry is
     * verified first by the ledger's verifier (bytes, signature, chain, roots; every core), and
     * the rebuild stops at the first bad one, naming it; nothing changes then, nor on cancel.
     */
    static Status rebuild(ledger::LogStore &store, const ledger::PublicKey &nodeKey,
                          const RebuildOptions &options = {});
    /** Applies one accepted entry. Unknown kinds are ignored (a newer peer may write them). */
    static Status apply(sql::Database &db, const ledger::StoredEntry &entry);
    /** The applier to hand to LogStore::appendLocal / accept. */
    static ledger::Applier applier();
    /**
     * An applier for a batch of count entries: inner for each, and after the last, each area's
     * afterBatch with the kinds the batch held (royalties match usage again when works changed).
     */
    static ledger::Applier batchApplier(qsizetype count, ledger::Applier inner = applier());
    /** An applier that remembers the kinds it applied, and the batch's end that hands them to
     * afterBatch: for LogStore::accept, where how many entries will be applied is not known. */
    struct BatchHooks
    {
        ledger::Applier applier;
        ledger::BatchFinish finish;
    };
    static BatchHooks batchHooks();
    /** Each area's afterBatch, for the kinds a batch applied. */
    static Status afterBatch(sql::Database &db, const QSet<QByteArray> &kinds);

private:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
};

} // namespace cartulary::model
