// SPDX-License-Identifier: GPL-3.0-or-later
// Projection: each entry kind's applier, found in the areas' tables; bodies are canonical JSON
// written by the commands.
#include "model/workspace/projection.h"

#include "ledger/verifier.h"
#include "model/workspace/areas.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <utility>

namespace cartulary::model {

namespace {

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS projection_state(
    version     INTEGER NOT NULL
);
)sql";

} // namespace

Status Projection::createTables(sql::Database &db)
{
    if (Status s = db.exec(Tables); !s)
        return s;
    for (const Area &area : areas())
        if (Status s = area.createTables(db); !s)
            return s;
    return {};
}

Status Projection::dropTables(sql::Database &db)
{
    for (const Area &area : areas())
        if (Status s = area.dropTables(db); !s)
            return s;
    return db.exec("DROP TABLE IF EXISTS projection_state;");
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
    const EntryApplier applier = entryApplier(entry.kind);
    if (!applier)
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
    return applier(db, entry, doc.object());
}

ledger::Applier Projection::applier()
{
    return [](sql::Database &db, const ledger::StoredEntry &entry) { return apply(db, entry); };
}

ledger::Applier Projection::batchApplier(qsizetype count, ledger::Applier inner)
{
    // Shared so that the copies a caller makes of the applier count together.
    struct State
    {
        qsizetype applied = 0;
        QSet<QByteArray> kinds;
    };
    auto state = std::make_shared<State>();
    return [count, inner = std::move(inner), state](sql::Database &db,
                                                    const ledger::StoredEntry &entry) -> Status {
        if (Status s = inner(db, entry); !s)
            return s;
        state->kinds.insert(entry.kind);
        if (++state->applied != count)
            return {};
        return afterBatch(db, std::exchange(state->kinds, {}));
    };
}

Projection::BatchHooks Projection::batchHooks()
{
    auto kinds = std::make_shared<QSet<QByteArray>>();
    return {[kinds](sql::Database &db, const ledger::StoredEntry &entry) -> Status {
                if (Status s = apply(db, entry); !s)
                    return s;
                kinds->insert(entry.kind);
                return {};
            },
            [kinds](sql::Database &db) { return afterBatch(db, std::exchange(*kinds, {})); }};
}

Status Projection::afterBatch(sql::Database &db, const QSet<QByteArray> &kinds)
{
    for (const Area &area : areas())
        if (area.afterBatch)
            if (Status s = area.afterBatch(db, kinds); !s)
                return s;
    return {};
}

} // namespace cartulary::model
