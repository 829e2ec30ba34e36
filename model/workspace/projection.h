// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLite projection: read tables derived from ledger entries, applied in the entry's
// transaction.
#pragma once

#include "ledger/logstore.h"

#include <functional>

namespace cartulary::model {

/** Entry kinds the model writes and understands. */
namespace kinds {
inline constexpr char DocumentRecorded[] = "document.recorded";
} // namespace kinds

/**
 * Builds the read tables from entries. apply() runs inside the ledger's transaction (it is the
 * LogStore Applier), so an entry and its projection commit together. The tables can be dropped and
 * rebuilt from the ledger alone, and must come out identical.
 */
class Projection
{
public:
    /** Bumped whenever the read tables change shape; a mismatch triggers a rebuild on open. */
    static constexpr int Version = 6;

    /** Called during a rebuild with (entries applied, total). */
    using Progress = std::function<void(quint64, quint64)>;

    /** Creates missing read tables; rebuilds them when their version is not Version. */
    static Status prepare(ledger::LogStore &store, const Progress &progress = {});
    /** Drops every read table and re-applies the whole ledger, in one transaction. */
    static Status rebuild(ledger::LogStore &store, const Progress &progress = {});
    /** Applies one accepted entry. Unknown kinds are ignored (a newer peer may write them). */
    static Status apply(sql::Database &db, const ledger::StoredEntry &entry);
    /** The applier to hand to LogStore::appendLocal / accept. */
    static ledger::Applier applier();

private:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
};

} // namespace cartulary::model
