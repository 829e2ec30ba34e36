// SPDX-License-Identifier: GPL-3.0-or-later
// Proof of existence: hash files and record their digests as signed "document.recorded" entries.
#pragma once

#include "model/core/entrykind.h"
#include "model/workspace/workspace.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <span>

namespace cartulary::model {

/** The documents area: its read table and its entry kind, document.recorded. */
class Documents
{
public:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
    /** document.recorded: a digest (and the asset it belongs to, which must exist) is recorded. */
    static std::span<const EntryKind> entryKinds();
};

/** A file's name (without its folders), size and SHA-256; the file itself is never copied. */
struct FileDigest
{
    QString name;
    quint64 size = 0;
    ledger::Hash sha256{};
};

/** One recorded document: its digest and the entry that proves it. */
struct RecordedDocument
{
    FileDigest digest;
    ledger::StoredEntry entry;
};

/** Called with (bytes hashed so far, total bytes of all files). */
using ByteProgress = std::function<void(quint64, quint64)>;

/** Streams a file through SHA-256; cancellable. */
Result<FileDigest> hashFile(const QString &path, const ByteProgress &progress = {},
                            const std::atomic_bool *cancel = nullptr);

/** The entry draft for a digest: canonical JSON {asset (when given), name, note, sha256 (hex),
 * size}. */
ledger::Draft documentDraft(const FileDigest &digest, const QString &note,
                            const QString &assetId = {});

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
