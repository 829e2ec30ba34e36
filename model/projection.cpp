// SPDX-License-Identifier: GPL-3.0-or-later
// Projection: one apply function per entry kind; bodies are canonical JSON written by the commands.
#include "model/projection.h"

#include "ledger/verifier.h"
#include "model/lineage.h"
#include "model/portfolio.h"

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

} // namespace

Status Projection::createTables(sql::Database &db)
{
    if (Status s = db.exec(Tables); !s)
        return s;
    if (Status s = Portfolio::createTables(db); !s)
        return s;
    return Lineage::createTables(db);
}

Status Projection::dropTables(sql::Database &db)
{
    if (Status s = Portfolio::dropTables(db); !s)
        return s;
    if (Status s = Lineage::dropTables(db); !s)
        return s;
    return db.exec("DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS projection_state;");
}

Status Projection::prepare(ledger::LogStore &store, const ledger::PublicKey &nodeKey,
                           const RebuildOptions &options)
{
    sql::Database &db = store.database();
    {
        auto st = db.prepare("SELECT version FROM projection_state");
        if (st.isValid() && st.next() && st.int64(0) == Version)
            return {};
    }
    return rebuild(store, nodeKey, options);
}

Status Projection::rebuild(ledger::LogStore &store, const ledger::PublicKey &nodeKey,
                           const RebuildOptions &options)
{
    sql::Database &db = store.database();
    // The write lock first: no other process appends while the verifier reads its snapshot.
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
    // The verifier reads on its own connection and checks signatures on every core; this thread
    // applies each entry once it has checked, in log order. Entries refused when they arrived (kept
    // in the log as evidence) are refused again here, the same way: each runs under a savepoint and
    // is skipped when refused, so the rebuilt tables are exactly what incremental application
    // produced. Savepoint statements come from the statement cache: parsing them per entry doubled
    // the time.
    ledger::VerifyOptions verify;
    verify.progress = options.progress;
    verify.cancel = options.cancel;
    verify.visit = [&db](const ledger::StoredEntry &e) -> Status {
        if (Status s = db.prepare("SAVEPOINT entry").exec(); !s)
            return s;
        if (!apply(db, e))
            (void)db.prepare("ROLLBACK TO entry").exec();
        return db.prepare("RELEASE entry").exec();
    };
    const ledger::VerifyReport report = ledger::Verifier::run(db.path(), nodeKey, verify);
    if (report.cancelled)
        return Status::failure("cancelled", QStringLiteral("rebuilding the read tables was "
                                                           "cancelled; nothing was changed"));
    if (!report.ok)
        return Status::failure(
            "ledger-invalid",
            QStringLiteral("the read tables were not rebuilt: %1").arg(report.summary()));
    return tx.commit();
}

Status Projection::apply(sql::Database &db, const ledger::StoredEntry &entry)
{
    const bool document = entry.kind == kinds::DocumentRecorded;
    const bool lineage = Lineage::handles(entry.kind);
    if (!document && !lineage && !Portfolio::handles(entry.kind))
        return {}; // a kind from a newer version: logged, not projected
    auto decoded = ledger::decodeEntry(entry.bytes);
    if (!decoded)
        return decoded.error();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(decoded->entry.body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return Status::failure("bad-body", QStringLiteral("entry %1 (%2): the body is not a JSON "
                                                          "object")
                                               .arg(entry.index)
                                               .arg(QString::fromLatin1(entry.kind)));
    if (document)
        return applyDocumentRecorded(db, entry, doc.object());
    if (lineage)
        return Lineage::apply(db, entry, doc.object());
    return Portfolio::apply(db, entry, doc.object());
}

ledger::Applier Projection::applier()
{
    return [](sql::Database &db, const ledger::StoredEntry &entry) { return apply(db, entry); };
}

} // namespace cartulary::model
