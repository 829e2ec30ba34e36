// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio import from docketing-system CSV exports, and export in the same format.
#pragma once

#include "model/workspace/workspace.h"

#include <QIODevice>

#include <atomic>
#include <functional>

namespace cartulary::model {

/** What an import did, for the report a user reads. */
struct ImportReport
{
    qint64 rows = 0;      ///< data rows read
    int registered = 0;   ///< new assets
    int updated = 0;      ///< known references whose data changed (one new entry each)
    int unchanged = 0;    ///< known references with identical data (no entry)
    QStringList warnings; ///< e.g. columns that were not understood
    qint64 firstEntry = -1, lastEntry = -1; ///< Merkle indexes written
};

/** Progress and cancel for long imports. */
struct ImportOptions
{
    /** (done, total, what) — bytes while reading, entries while signing and writing. */
    std::function<void(qint64, qint64, const QString &)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/** The columns the importer understands, in export order. */
const QStringList &assetCsvColumns();

/**
 * Imports an RFC 4180 CSV export: UTF-8 (BOM tolerated), header-driven, columns in any order
 * (reference, title and type required; unknown columns are warnings). A known reference updates
 * its asset; an unknown one registers a new asset. The whole file is one transaction: on any error
 * — which names the line and the column — nothing is written.
 */
Result<ImportReport> importAssetsCsv(Workspace &workspace, QIODevice &device,
                                     const ImportOptions &options = {});

/** Writes every asset in the import format (so export → import changes nothing), by reference. */
Status exportAssetsCsv(sql::Database &db, QIODevice &out);
/** Writes a JSON array of assets, each with its stable id and reference, by reference. */
Status exportAssetsJson(sql::Database &db, QIODevice &out);

} // namespace cartulary::model
