// SPDX-License-Identifier: GPL-3.0-or-later
// Projection: one apply function per entry kind; bodies are canonical JSON written by the commands.
#include "model/projection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace cartulary::model {

namespace {

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS projection_state(
    version     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents(
    entry_hash  BLOB PRIMARY KEY,          -- the document.recorded entry
    entry_index INTEGER NOT NULL,
    sha256      TEXT NOT NULL,             -- hex digest of the file's bytes
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    note        TEXT NOT NULL,
    recorded_ms INTEGER NOT NULL,
    author      BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);
)sql";

Status applyDocumentRecorded(sql::Database &db, const ledger::StoredEntry &e)
{
    auto decoded = ledger::decodeEntry(e.bytes);
    if (!decoded)
        return decoded.error();
    QJsonParseError err;
    const QJsonObject doc = QJsonDocument::fromJson(decoded->entry.body, &err).object();
    const QString sha = doc.value("sha256").toString();
    if (err.error != QJsonParseError::NoError || sha.size() != 64)
        return Status::failure(
            "bad-body",
            QStringLiteral("document.recorded entry %1 has no valid sha256").arg(e.index));
    auto st = db.prepare("INSERT OR REPLACE INTO documents(entry_hash, entry_index, sha256, name, "
                         "size, note, recorded_ms, author) VALUES(?,?,?,?,?,?,?,?)");
    st.bind(1, ledger::toView(e.hash))
        .bind(2, qint64(e.index))
        .bind(3, sha)
        .bind(4, doc.value("name").toString())
        .bind(5, qint64(doc.value("size").toDouble()))
        .bind(6, doc.value("note").toString())
        .bind(7, e.timeMs)
        .bind(8, ledger::toView(e.author));
    return st.exec();
}

} // namespace

Status Projection::createTables(sql::Database &db)
{
    return db.exec(Tables);
}

Status Projection::dropTables(sql::Database &db)
{
    return db.exec("DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS projection_state;");
}

Status Projection::prepare(ledger::LogStore &store)
{
    sql::Database &db = store.database();
    {
        auto st = db.prepare("SELECT version FROM projection_state");
        if (st.isValid() && st.next() && st.int64(0) == Version)
            return {};
    }
    return rebuild(store);
}

Status Projection::rebuild(ledger::LogStore &store)
{
    sql::Database &db = store.database();
    sql::Transaction tx(db);
    if (!tx.begun())
        return tx.begun();
    if (Status s = dropTables(db); !s)
        return s;
    if (Status s = createTables(db); !s)
        return s;
    auto version = db.prepare("INSERT INTO projection_state(version) VALUES(?)");
    version.bind(1, qint64(Version));
    if (Status s = version.exec(); !s)
        return s;
    Status applied;
    if (Status s = store.forEach([&](const ledger::StoredEntry &e) {
            applied = apply(db, e);
            return applied.ok();
        });
        !s)
        return s;
    if (!applied)
        return applied;
    return tx.commit();
}

Status Projection::apply(sql::Database &db, const ledger::StoredEntry &entry)
{
    if (entry.kind == kinds::DocumentRecorded)
        return applyDocumentRecorded(db, entry);
    return {};
}

ledger::Applier Projection::applier()
{
    return [](sql::Database &db, const ledger::StoredEntry &entry) { return apply(db, entry); };
}

} // namespace cartulary::model
