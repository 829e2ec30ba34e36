// SPDX-License-Identifier: GPL-3.0-or-later
// Recording documents on the write path: files hashed, then one signed entry per file, all or none.
#pragma once

#include "model/portfolio/documents.h"
#include "model/workspace/workspace.h"

#include <QStringList>

namespace cartulary::model {

/** One recorded document: its digest and the entry that proves it. */
struct RecordedDocument
{
    FileDigest digest;
    ledger::StoredEntry entry;
};

/**
 * Hashes every file, then appends one entry per file in a single transaction: either all files are
 * recorded or none. Refuses an empty list, a missing or unreadable file, a note over 4096
 * chars, and an asset (reference or id; optional: the documents then belong to it) that does not
 * exist.
 */
Result<QList<RecordedDocument>> recordDocuments(Workspace &workspace, const QStringList &files,
                                                const QString &note,
                                                const ByteProgress &progress = {},
                                                const std::atomic_bool *cancel = nullptr,
                                                const QString &asset = {});

} // namespace cartulary::model
