// SPDX-License-Identifier: GPL-3.0-or-later
// Importing CWR work registrations: copyright works registered or updated with their ISWC, titles,
// writers and ownership shares per right type, all in one transaction.
#pragma once

#include "model/io/cwr.h"
#include "model/workspace/workspace.h"

namespace cartulary::model {

/** What a works import did. */
struct WorksImportReport
{
    cwr::Header header;
    int registered = 0;   ///< new works
    int updated = 0;      ///< works this sender had registered, or that had no shares yet
    int disputed = 0;     ///< works another source had claimed: both claims kept, a dispute opened
    QStringList warnings; ///< shares that do not total 100 %, each with its line
    QStringList disputes; ///< the disputes opened, as sentences
};

/**
 * Reads a CWR 2.1/2.2 file whole (any error names its line; nothing is written) and, in one
 * transaction: registers each work not yet registered (found by ISWC) as a copyright asset — its
 * reference the ISWC, or SENDER/WORK-NUMBER without one; its owners the parties' performing shares
 * scaled to 100 % — and signs each work's shares per right (work.shares, the sender as source).
 * Another sender's claim on a registered work opens a dispute rather than overwriting it.
 */
Result<WorksImportReport>
importWorks(Workspace &workspace, const QString &path,
            const std::function<void(qint64, qint64, const QString &)> &progress = {},
            const std::atomic_bool *cancel = nullptr);

} // namespace cartulary::model
