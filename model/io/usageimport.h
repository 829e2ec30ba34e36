// SPDX-License-Identifier: GPL-3.0-or-later
// Importing a usage report: the file kept by its hash in the data directory, read and aggregated
// in one pass, signed as one usage.imported entry whose lines go to the read tables with it.
#pragma once

#include "model/io/usage.h"
#include "model/royalties/royalties.h"
#include "model/workspace/workspace.h"

namespace cartulary::model {

/** What a usage import did, for the report a user reads. */
struct UsageImportReport
{
    UsageImport import;
    bool reloaded = false; ///< the file had been imported; only its lines were read again
    qint64 keys = 0, matchedKeys = 0, unmatchedKeys = 0;
    qint64 matchedLines = 0, unmatchedLines = 0;
    QMap<QString, qint64> matchedMicro, unmatchedMicro; ///< currency → amount
    QStringList warnings;
};

/** Where usage reports are kept: <data dir>/usage/<sha256>. */
QString usageStorePath(const Workspace &workspace, const QString &sha256);

/**
 * Imports a usage CSV or DDEX DSR report (detected from its first bytes): hashes it, keeps a copy
 * in the usage store, reads it whole (any error names its line; nothing is written), and signs one
 * usage.imported entry with its hash, format, period, counts and totals, writing its lines,
 * aggregated by identification, period, territory, licensee, currency and right, in the same
 * transaction. A file imported before is refused; one whose lines are not loaded (after a rebuild
 * without its copy) is loaded again instead. progress: (bytes done, bytes total, what).
 */
Result<UsageImportReport>
importUsage(Workspace &workspace, const QString &path, const usage::Options &options,
            const std::function<void(qint64, qint64, const QString &)> &progress = {},
            const std::atomic_bool *cancel = nullptr);

/**
 * Reads the lines of every import not loaded from the usage store, checking each copy's hash
 * (after a projection rebuild). An import whose copy is missing stays unloaded and is named in
 * the returned list; runs over its periods refuse until the file is imported again.
 */
Result<QStringList> loadUsageStore(Workspace &workspace, const std::atomic_bool *cancel = nullptr);

/**
 * The usage key line N of a report of the period belongs to: a line `royalty unmatched` lists (the
 * first of its group), or any other line, found by reading the kept files. importPrefix (a prefix
 * of the file's SHA-256) chooses among reports that all have a line N; without it that is refused
 * as ambiguous, naming them.
 */
Result<UsageKey> usageKeyAtLine(Workspace &workspace, const QString &period, qint64 line,
                                const QString &importPrefix = {});

} // namespace cartulary::model
