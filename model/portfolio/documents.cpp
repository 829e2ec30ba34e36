// SPDX-License-Identifier: GPL-3.0-or-later
// Document recording: hash first (slow, cancellable, outside any transaction), then sign and
// append.
#include "model/portfolio/documents.h"

#include "model/portfolio/portfolio.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace cartulary::model {

namespace {

constexpr qint64 ReadBlock = 1 << 20;

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS documents(
    entry_hash  BLOB PRIMARY KEY,          -- the document.recorded entry
    entry_index INTEGER NOT NULL,
    sha256      TEXT NOT NULL,             -- hex digest of the file's bytes
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    note        TEXT NOT NULL,
    recorded_ms INTEGER NOT NULL,
    author      BLOB NOT NULL,
    asset_id    TEXT                       -- the asset the document belongs to, if any
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_asset ON documents(asset_id);
)sql";

Status applyDocumentRecorded(sql::Database &db, const ledger::StoredEntry &e,
                             const QJsonObject &doc)
{
    const QString sha = doc.value("sha256").toString();
    if (sha.size() != 64)
        return Status::failure(
            "bad-body",
            QStringLiteral("document.recorded entry %1 has no valid sha256").arg(e.index));
    const QString assetId = doc.value("asset").toString();
    if (!assetId.isEmpty() && !Portfolio::asset(db, assetId))
        return Status::failure("unknown-asset",
                               QStringLiteral("asset: %1 does not exist").arg(assetId));
    auto st = db.prepare("INSERT OR REPLACE INTO documents(entry_hash, entry_index, sha256, name, "
                         "size, note, recorded_ms, author, asset_id) VALUES(?,?,?,?,?,?,?,?,?)");
    st.bind(1, ledger::toView(e.hash))
        .bind(2, qint64(e.index))
        .bind(3, sha)
        .bind(4, doc.value("name").toString())
        .bind(5, qint64(doc.value("size").toDouble()))
        .bind(6, doc.value("note").toString())
        .bind(7, e.timeMs)
        .bind(8, ledger::toView(e.author));
    if (assetId.isEmpty())
        st.bindNull(9);
    else
        st.bind(9, assetId);
    return st.exec();
}

constexpr EntryKind DocumentEntryKinds[] = {
    {kinds::DocumentRecorded, &applyDocumentRecorded},
};

} // namespace

Status Documents::createTables(sql::Database &db)
{
    return db.exec(Tables);
}

Status Documents::dropTables(sql::Database &db)
{
    return db.exec("DROP TABLE IF EXISTS documents;");
}

std::span<const EntryKind> Documents::entryKinds()
{
    return DocumentEntryKinds;
}

Result<FileDigest> hashFile(const QString &path, const ByteProgress &progress,
                            const std::atomic_bool *cancel)
{
    using R = Result<FileDigest>;
    QFileInfo info(path);
    if (!info.exists())
        return R::failure("no-file", QStringLiteral("%1: no such file").arg(path));
    if (!info.isFile())
        return R::failure("not-a-file", QStringLiteral("%1: not a regular file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure("io",
                          QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    ledger::Sha256 sha;
    QByteArray block(ReadBlock, Qt::Uninitialized);
    quint64 done = 0;
    const quint64 total = quint64(info.size());
    for (;;) {
        if (cancel && cancel->load())
            return R::failure("cancelled", QStringLiteral("cancelled while hashing %1").arg(path));
        const qint64 n = file.read(block.data(), ReadBlock);
        if (n < 0)
            return R::failure("io",
                              QStringLiteral("%1: read error: %2").arg(path, file.errorString()));
        if (n == 0)
            break;
        sha.add(QByteArrayView(block.constData(), n));
        done += quint64(n);
        if (progress)
            progress(done, total);
    }
    return FileDigest{info.fileName(), done, sha.finish()};
}

ledger::Draft documentDraft(const FileDigest &digest, const QString &note, const QString &assetId)
{
    // QJsonObject keeps keys sorted and Compact has no whitespace: the same document always
    // yields the same body bytes.
    QJsonObject body{{"name", digest.name},
                     {"note", note},
                     {"sha256", ledger::toHex(digest.sha256)},
                     {"size", double(digest.size)}};
    if (!assetId.isEmpty())
        body.insert("asset", assetId);
    return ledger::Draft{kinds::DocumentRecorded,
                         QJsonDocument(body).toJson(QJsonDocument::Compact), 0};
}

} // namespace cartulary::model
