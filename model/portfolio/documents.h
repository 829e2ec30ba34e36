// SPDX-License-Identifier: GPL-3.0-or-later
// Proof of existence: hash files and record their digests as signed "document.recorded" entries.
#pragma once

#include "ledger/logstore.h"
#include "model/core/entrykind.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <span>

namespace cartulary::model {

namespace kinds {
inline constexpr char DocumentRecorded[] = "document.recorded";
} // namespace kinds

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

/** Called with (bytes hashed so far, total bytes of all files). */
using ByteProgress = std::function<void(quint64, quint64)>;

/** Streams a file through SHA-256; cancellable. */
Result<FileDigest> hashFile(const QString &path, const ByteProgress &progress = {},
                            const std::atomic_bool *cancel = nullptr);

/** Documents longer notes than this are refused (characters). */
inline constexpr int MaxDocumentNoteLength = 4096;

/** The entry draft for a digest: canonical JSON {asset (when given), name, note, sha256 (hex),
 * size}. */
ledger::Draft documentDraft(const FileDigest &digest, const QString &note,
                            const QString &assetId = {});

} // namespace cartulary::model
