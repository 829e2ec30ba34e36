// SPDX-License-Identifier: GPL-3.0-or-later
// The royalties area: its read tables, the appliers of its four entry kinds, and its reads.
#include "model/royalties/royalties.h"

#include "model/core/jsonfields.h"
#include "model/core/money.h"
#include "model/core/period.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/matching.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cartulary::model {

namespace {

constexpr const char *Tables = R"sql(
-- One row per usage.imported entry; the lines are read from the file (kept by its hash) into
-- usage_keys and usage_amounts, aggregated, when it is imported and after a rebuild.
CREATE TABLE IF NOT EXISTS usage_imports(
    sha256        TEXT PRIMARY KEY,
    entry_index   INTEGER NOT NULL,
    body          TEXT NOT NULL,         -- the entry's body
    loaded        INTEGER NOT NULL       -- 1 when its lines are in usage_keys/usage_amounts
);
-- Lines with one identification in one import, and the work they are matched to (Matcher).
CREATE TABLE IF NOT EXISTS usage_keys(
    id            INTEGER PRIMARY KEY,
    import_sha256 TEXT NOT NULL,
    ident         TEXT NOT NULL,         -- Identification::key()
    title_creator TEXT NOT NULL,         -- Identification::titleCreatorKey()
    work_ref      TEXT NOT NULL,
    isrc          TEXT NOT NULL,
    iswc          TEXT NOT NULL,
    doi           TEXT NOT NULL,
    title         TEXT NOT NULL,
    creator       TEXT NOT NULL,
    first_line    INTEGER NOT NULL,
    lines         INTEGER NOT NULL,
    match_asset   TEXT NOT NULL,
    match_how     TEXT NOT NULL,
    match_note    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_keys_import ON usage_keys(import_sha256, first_line);
CREATE INDEX IF NOT EXISTS usage_keys_asset ON usage_keys(match_asset);
-- What the lines of one key add up to, per period, territory, licensee, currency and right.
CREATE TABLE IF NOT EXISTS usage_amounts(
    key_id        INTEGER NOT NULL,
    period        TEXT NOT NULL,
    territory     TEXT NOT NULL,
    licensee      TEXT NOT NULL,
    currency      TEXT NOT NULL,
    right_type    TEXT NOT NULL,
    units         INTEGER NOT NULL,
    amount_micro  INTEGER NOT NULL,      -- millionths of the currency's major unit
    net_micro     INTEGER NOT NULL,
    lines         INTEGER NOT NULL,
    unallocated   INTEGER NOT NULL       -- DSR lines without an allocation to us
);
CREATE INDEX IF NOT EXISTS usage_amounts_key ON usage_amounts(key_id);
CREATE INDEX IF NOT EXISTS usage_amounts_period ON usage_amounts(period, right_type);
-- Matches made by hand (usage.matched): an identification, or a title and creator, to a work.
CREATE TABLE IF NOT EXISTS usage_rules(
    entry_index   INTEGER PRIMARY KEY,
    scope         TEXT NOT NULL,         -- 'identification' or 'title-creator'
    key           TEXT NOT NULL,
    asset_id      TEXT NOT NULL,
    body          TEXT NOT NULL
);
-- Registered works: alternative titles and ownership shares per right, per source.
CREATE TABLE IF NOT EXISTS work_titles(
    asset_id      TEXT NOT NULL,
    title         TEXT NOT NULL,
    PRIMARY KEY(asset_id, title)
);
CREATE TABLE IF NOT EXISTS work_shares(
    asset_id      TEXT NOT NULL,
    source        TEXT NOT NULL,         -- who registered them (a CWR sender, or a user)
    right_type    TEXT NOT NULL,
    party         TEXT NOT NULL,
    ipi           TEXT NOT NULL,
    role          TEXT NOT NULL,
    basis_points  INTEGER NOT NULL,
    entry_index   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS work_shares_asset ON work_shares(asset_id, right_type);
CREATE TABLE IF NOT EXISTS royalty_disputes(
    id            INTEGER PRIMARY KEY,
    asset_id      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    right_type    TEXT NOT NULL,
    message       TEXT NOT NULL,
    entry_index   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS royalty_disputes_asset ON royalty_disputes(asset_id);
-- work.settled entries: which sources' shares stood, which were withdrawn, what was closed.
CREATE TABLE IF NOT EXISTS royalty_settlements(
    entry_index   INTEGER PRIMARY KEY,
    asset_id      TEXT NOT NULL,
    body          TEXT NOT NULL,         -- the entry's body
    dropped       TEXT NOT NULL,         -- JSON array of the sources withdrawn
    disputes      TEXT NOT NULL          -- JSON array of the messages of the disputes closed
);
CREATE TABLE IF NOT EXISTS royalty_approvals(
    entry_index   INTEGER PRIMARY KEY,
    period        TEXT NOT NULL,
    right_type    TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    statements    TEXT NOT NULL,         -- SHA-256 of the statement set (hex)
    corrects      INTEGER NOT NULL,      -- the approval it corrects, or 0
    body          TEXT NOT NULL
);
-- Runs as computed (working data, not signed): their result and each amount's path.
CREATE TABLE IF NOT EXISTS royalty_runs(
    id            TEXT PRIMARY KEY,
    period        TEXT NOT NULL,
    right_type    TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    log_size      INTEGER NOT NULL,      -- the ledger's size the run read
    result        TEXT NOT NULL          -- the run as JSON (totals, holders, metered, disputes)
);
CREATE TABLE IF NOT EXISTS royalty_flows(
    run_id        TEXT NOT NULL,
    holder        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    work          TEXT NOT NULL,         -- the asset whose usage the amount comes from
    path          TEXT NOT NULL,         -- JSON array of steps
    amount        TEXT NOT NULL          -- exact, in 10^-18 of the major unit (decimal integer)
);
CREATE INDEX IF NOT EXISTS royalty_flows_holder ON royalty_flows(run_id, holder);
CREATE INDEX IF NOT EXISTS royalty_flows_work ON royalty_flows(run_id, work);
CREATE TABLE IF NOT EXISTS royalty_run_holders(
    run_id        TEXT NOT NULL,
    holder        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    exact         TEXT NOT NULL,         -- fineText()
    minor         INTEGER NOT NULL,
    PRIMARY KEY(run_id, currency, holder)
);
CREATE TABLE IF NOT EXISTS royalty_run_totals(
    run_id        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    collected     INTEGER NOT NULL,
    distributed   INTEGER NOT NULL,
    held          INTEGER NOT NULL,
    unmatched     INTEGER NOT NULL,
    fees          INTEGER NOT NULL,
    PRIMARY KEY(run_id, currency)
);
)sql";

Status bad(const ledger::StoredEntry &e, const QString &why)
{
    return Status::failure(
        "bad-body",
        QStringLiteral("%1 entry %2: %3").arg(QString::fromLatin1(e.kind)).arg(e.index).arg(why));
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Status applyUsageImported(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto import = UsageImport::fromJson(body);
    if (!import)
        return bad(e, import.errorString());
    auto seen = db.prepare("SELECT entry_index FROM usage_imports WHERE sha256=?");
    seen.bind(1, import->sha256);
    if (seen.next())
        return Status::failure("duplicate-import",
                               QStringLiteral("%1 (SHA-256 %2) was imported before, at entry %3")
                                   .arg(import->fileName, import->sha256)
                                   .arg(seen.int64(0)));
    auto st =
        db.prepare("INSERT INTO usage_imports(sha256, entry_index, body, loaded) VALUES(?,?,?,0)");
    return st.bind(1, import->sha256).bind(2, qint64(e.index)).bind(3, compact(body)).exec();
}

Status applyUsageMatched(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"asset", "creator", "identification", "import", "line",
                                    "period", "scope", "title"});
        !s)
        return bad(e, s.error().message);
    const QString scope = body.value("scope").toString();
    const QString asset = body.value("asset").toString();
    if (!Portfolio::asset(db, asset))
        return Status::failure("unknown-asset",
                               QStringLiteral("asset: %1 does not exist").arg(asset));
    QString key;
    if (scope == QLatin1String("identification")) {
        const QJsonObject i = body.value("identification").toObject();
        Identification id{i.value("work").toString(),  i.value("isrc").toString(),
                          i.value("iswc").toString(),  i.value("doi").toString(),
                          i.value("title").toString(), i.value("creator").toString()};
        key = id.key();
    } else if (scope == QLatin1String("title-creator")) {
        if (body.value("title").toString().trimmed().isEmpty())
            return bad(e, QStringLiteral("title: is required"));
        key = Identification::titleCreatorKey(body.value("title").toString(),
                                              body.value("creator").toString());
    } else {
        return bad(e,
                   QStringLiteral("scope: '%1' is not identification or title-creator").arg(scope));
    }
    auto st = db.prepare(
        "INSERT INTO usage_rules(entry_index, scope, key, asset_id, body) VALUES(?,?,?,?,?)");
    if (Status s = st.bind(1, qint64(e.index))
                       .bind(2, scope)
                       .bind(3, key)
                       .bind(4, asset)
                       .bind(5, compact(body))
                       .exec();
        !s)
        return s;
    return Royalties::rematch(db);
}

QString percent(int bp)
{
    return QStringLiteral("%1.%2 %").arg(bp / 100).arg(bp % 100, 2, 10, QChar(u'0'));
}

Status applyWorkShares(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"asset", "shares", "source", "titles"}); !s)
        return bad(e, s.error().message);
    const QString asset = body.value("asset").toString();
    const QString source = body.value("source").toString().trimmed();
    if (source.isEmpty())
        return bad(e, QStringLiteral("source: is required"));
    const auto controller = Portfolio::controller(db, asset);
    if (!controller)
        return Status::failure("unknown-asset",
                               QStringLiteral("asset: %1 does not exist").arg(asset));
    if (*controller != e.author)
        return Status::failure(
            "not-authorised",
            QStringLiteral("the shares of %1 may be registered only by the key that controls it")
                .arg(asset));
    QList<WorkShare> shares;
    for (const QJsonValue &v : body.value("shares").toArray()) {
        const QJsonObject o = v.toObject();
        WorkShare s{o.value("right").toString(), o.value("party").toString().trimmed(),
                    o.value("ipi").toString(), o.value("role").toString(),
                    o.value("basisPoints").toInt(-1)};
        if (!rights::isRight(s.right))
            return bad(e, QStringLiteral("shares: '%1' is not a right type").arg(s.right));
        if (s.party.isEmpty() || s.basisPoints < 0 || s.basisPoints > 10000)
            return bad(e, QStringLiteral("shares: each needs a party and 0–10,000 basis points"));
        shares.append(s);
    }
    // Another source's claim on a work already registered is a dispute: both claims are kept.
    auto others =
        db.prepare("SELECT DISTINCT source FROM work_shares WHERE asset_id=? AND source<>?");
    others.bind(1, asset).bind(2, source);
    QStringList claimants;
    while (others.next())
        claimants.append(others.text(0));
    auto drop = db.prepare("DELETE FROM work_shares WHERE asset_id=? AND source=?");
    if (Status s = drop.bind(1, asset).bind(2, source).exec(); !s)
        return s;
    auto ins = db.prepare("INSERT INTO work_shares(asset_id, source, right_type, party, ipi, role, "
                          "basis_points, entry_index) VALUES(?,?,?,?,?,?,?,?)");
    for (const WorkShare &s : shares)
        if (Status st = ins.bind(1, asset)
                            .bind(2, source)
                            .bind(3, s.right)
                            .bind(4, s.party)
                            .bind(5, s.ipi)
                            .bind(6, s.role)
                            .bind(7, qint64(s.basisPoints))
                            .bind(8, qint64(e.index))
                            .exec();
            !st)
            return st;
    auto title = db.prepare("INSERT OR IGNORE INTO work_titles(asset_id, title) VALUES(?,?)");
    for (const QJsonValue &t : body.value("titles").toArray())
        if (Status st = title.bind(1, asset).bind(2, t.toString()).exec(); !st)
            return st;
    auto dispute = db.prepare("INSERT INTO royalty_disputes(asset_id, kind, right_type, message, "
                              "entry_index) VALUES(?,?,?,?,?)");
    const QString name = Portfolio::asset(db, asset)->reference;
    if (!claimants.isEmpty())
        if (Status st = dispute.bind(1, asset)
                            .bind(2, "claimant")
                            .bind(3, "")
                            .bind(4, QStringLiteral("%1 claims %2, already registered by %3")
                                         .arg(source, name, claimants.join(QStringLiteral(", "))))
                            .bind(5, qint64(e.index))
                            .exec();
            !st)
            return st;
    auto totals = db.prepare("SELECT right_type, SUM(basis_points) FROM work_shares "
                             "WHERE asset_id=? GROUP BY right_type ORDER BY right_type");
    totals.bind(1, asset);
    while (totals.next()) {
        const int total = int(totals.int64(1));
        if (total <= 10000 + ShareToleranceBp)
            continue;
        if (Status st =
                dispute.bind(1, asset)
                    .bind(2, "over-100")
                    .bind(3, totals.text(0))
                    .bind(4,
                          QStringLiteral("%1 ownership shares of %2 total %3 across %4")
                              .arg(totals.text(0), name, percent(total),
                                   (QStringList(claimants) << source).join(QStringLiteral(", "))))
                    .bind(5, qint64(e.index))
                    .exec();
            !st)
            return st;
    }
    return {};
}

Status applyRoyaltyApproved(sql::Database &db, const ledger::StoredEntry &e,
                            const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"corrects", "currencies", "feePpm", "holders", "logSize",
                                    "period", "right", "run", "statements"});
        !s)
        return bad(e, s.error().message);
    const QString period = body.value("period").toString();
    const QString right = body.value("right").toString();
    const QString statements = body.value("statements").toString();
    if (period.isEmpty() || !rights::isRight(right) || statements.size() != 64)
        return bad(e, QStringLiteral("period, right and statements (SHA-256) are required"));
    const qint64 corrects = body.value("corrects").toInteger();
    auto latest = db.prepare("SELECT MAX(entry_index) FROM royalty_approvals WHERE period=? AND "
                             "right_type=?");
    latest.bind(1, period).bind(2, right);
    const qint64 previous = latest.next() && !latest.isNull(0) ? latest.int64(0) : 0;
    if (previous != corrects)
        return Status::failure(
            "approved-run",
            previous
                ? QStringLiteral("the %1 run of %2 was approved at entry %3 and cannot change; "
                                 "a correction is a new run that names it")
                      .arg(right, period)
                      .arg(previous)
                : QStringLiteral("entry %1 corrects approval %2, but %3 (%4) has no approval "
                                 "there")
                      .arg(e.index)
                      .arg(corrects)
                      .arg(period, right));
    auto st = db.prepare("INSERT INTO royalty_approvals(entry_index, period, right_type, run_id, "
                         "statements, corrects, body) VALUES(?,?,?,?,?,?,?)");
    return st.bind(1, qint64(e.index))
        .bind(2, period)
        .bind(3, right)
        .bind(4, body.value("run").toString())
        .bind(5, statements)
        .bind(6, corrects)
        .bind(7, compact(body))
        .exec();
}

/**
 * Why a settlement of the work's disputes keeping these sources is refused, or success: the rules
 * the draft and the entry share.
 */
Status checkSettlement(sql::Database &db, const QString &asset, const QStringList &keep,
                       const ledger::PublicKey &author)
{
    const auto a = Portfolio::asset(db, asset);
    if (!a)
        return Status::failure("unknown-asset",
                               QStringLiteral("asset: %1 does not exist").arg(asset));
    const auto controller = Portfolio::controller(db, asset);
    if (!controller || *controller != author)
        return Status::failure(
            "not-authorised",
            QStringLiteral("the disputes over %1 may be settled only by the key that controls it")
                .arg(a->reference));
    auto open = db.prepare("SELECT 1 FROM royalty_disputes WHERE asset_id=? LIMIT 1");
    open.bind(1, asset);
    if (!open.next())
        return Status::failure("no-dispute",
                               QStringLiteral("%1 has no open dispute").arg(a->reference));
    QStringList sources;
    auto st = db.prepare("SELECT DISTINCT source FROM work_shares WHERE asset_id=? ORDER BY "
                         "source");
    st.bind(1, asset);
    while (st.next())
        sources << st.text(0);
    if (keep.isEmpty())
        return Status::failure("invalid", QStringLiteral("keep: name the sources whose shares of "
                                                         "%1 stand (its sources: %2)")
                                              .arg(a->reference, sources.join(", ")));
    for (const QString &k : keep)
        if (!sources.contains(k))
            return Status::failure("invalid",
                                   QStringLiteral("keep: %1 registered no shares of %2 (its "
                                                  "sources: %3)")
                                       .arg(k, a->reference, sources.join(", ")));
    auto totals = db.prepare("SELECT right_type, SUM(basis_points) FROM work_shares WHERE "
                             "asset_id=? AND source IN (SELECT value FROM json_each(?)) GROUP BY "
                             "right_type ORDER BY right_type");
    totals.bind(1, asset).bind(
        2, QJsonDocument(QJsonArray::fromStringList(keep)).toJson(QJsonDocument::Compact));
    while (totals.next())
        if (totals.int64(1) > 10000 + ShareToleranceBp)
            return Status::failure(
                "shares-over-100",
                QStringLiteral("the %1 shares of %2 that %3 registered total %4: keep fewer "
                               "sources, or have them register corrected shares first")
                    .arg(totals.text(0), a->reference, keep.join(" and "),
                         percent(int(totals.int64(1)))));
    return {};
}

Status applyWorkSettled(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"asset", "keep", "reason"}); !s)
        return bad(e, s.error().message);
    const QString asset = body.value("asset").toString();
    QStringList keep;
    for (const QJsonValue &v : body.value("keep").toArray())
        keep << v.toString();
    if (body.value("reason").toString().trimmed().isEmpty())
        return bad(e, QStringLiteral("reason: is required"));
    if (Status s = checkSettlement(db, asset, keep, e.author); !s)
        return s;
    const QString keepJson = QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(keep)).toJson(QJsonDocument::Compact));
    QJsonArray dropped, closed;
    auto gone = db.prepare("SELECT DISTINCT source FROM work_shares WHERE asset_id=? AND source "
                           "NOT IN (SELECT value FROM json_each(?)) ORDER BY source");
    gone.bind(1, asset).bind(2, keepJson);
    while (gone.next())
        dropped.append(gone.text(0));
    auto messages = db.prepare("SELECT message FROM royalty_disputes WHERE asset_id=? ORDER BY id");
    messages.bind(1, asset);
    while (messages.next())
        closed.append(messages.text(0));
    auto drop = db.prepare("DELETE FROM work_shares WHERE asset_id=? AND source NOT IN (SELECT "
                           "value FROM json_each(?))");
    if (Status s = drop.bind(1, asset).bind(2, keepJson).exec(); !s)
        return s;
    auto close = db.prepare("DELETE FROM royalty_disputes WHERE asset_id=?");
    if (Status s = close.bind(1, asset).exec(); !s)
        return s;
    auto ins = db.prepare("INSERT INTO royalty_settlements(entry_index, asset_id, body, dropped, "
                          "disputes) VALUES(?,?,?,?,?)");
    return ins.bind(1, qint64(e.index))
        .bind(2, asset)
        .bind(3, compact(body))
        .bind(4, QString::fromUtf8(QJsonDocument(dropped).toJson(QJsonDocument::Compact)))
        .bind(5, QString::fromUtf8(QJsonDocument(closed).toJson(QJsonDocument::Compact)))
        .exec();
}

constexpr EntryKind RoyaltyEntryKinds[] = {
    {kinds::UsageImported, &applyUsageImported}, {kinds::UsageMatched, &applyUsageMatched},
    {kinds::WorkShares, &applyWorkShares},       {kinds::RoyaltyApproved, &applyRoyaltyApproved},
    {kinds::WorkSettled, &applyWorkSettled},
};

} // namespace

bool rights::isRight(const QString &right)
{
    return right == QLatin1String(Performing) || right == QLatin1String(Mechanical) ||
           right == QLatin1String(Sync);
}

QJsonObject UsageImport::toJson() const
{
    QJsonObject totals;
    for (auto it = totalsMicro.cbegin(); it != totalsMicro.cend(); ++it)
        totals.insert(it.key(), microAmount(it.value()));
    QJsonObject o{{"sha256", sha256},
                  {"file", fileName},
                  {"format", format},
                  {"period", period},
                  {"periods", QJsonArray::fromStringList(periods)},
                  {"lines", lines},
                  {"records", records},
                  {"totals", totals},
                  {"right", right}};
    if (unallocated)
        o.insert("unallocated", unallocated);
    if (!sender.isEmpty())
        o.insert("sender", sender);
    if (!rightsControllers.isEmpty())
        o.insert("rightsControllers", QJsonArray::fromStringList(rightsControllers));
    return o;
}

Result<UsageImport> UsageImport::fromJson(const QJsonObject &body)
{
    using R = Result<UsageImport>;
    if (Status s =
            checkKeys(body, {"file", "format", "lines", "period", "periods", "records", "right",
                             "rightsControllers", "sender", "sha256", "totals", "unallocated"});
        !s)
        return s.error();
    UsageImport u;
    u.sha256 = body.value("sha256").toString();
    if (u.sha256.size() != 64)
        return R::failure("bad-body", QStringLiteral("sha256: 64 hex digits are required"));
    u.fileName = body.value("file").toString();
    u.format = body.value("format").toString();
    u.period = body.value("period").toString();
    for (const QJsonValue &p : body.value("periods").toArray())
        u.periods.append(p.toString());
    u.lines = body.value("lines").toInteger();
    u.records = body.value("records").toInteger();
    u.unallocated = body.value("unallocated").toInteger();
    u.sender = body.value("sender").toString();
    u.right = body.value("right").toString();
    for (const QJsonValue &c : body.value("rightsControllers").toArray())
        u.rightsControllers.append(c.toString());
    const QJsonObject totals = body.value("totals").toObject();
    for (auto it = totals.begin(); it != totals.end(); ++it) {
        auto micro = parseMicro(it.value().toString(), QStringLiteral("totals.%1").arg(it.key()));
        if (!micro || micro.value() < 0)
            return R::failure("bad-body",
                              micro ? QStringLiteral("totals: negative") : micro.errorString());
        u.totalsMicro.insert(it.key(), micro.value());
    }
    return u;
}

Status Royalties::createTables(sql::Database &db)
{
    return db.exec(Tables);
}

Status Royalties::dropTables(sql::Database &db)
{
    return db.exec(
        "DROP TABLE IF EXISTS usage_imports; DROP TABLE IF EXISTS usage_keys; "
        "DROP TABLE IF EXISTS usage_amounts; DROP TABLE IF EXISTS usage_rules; "
        "DROP TABLE IF EXISTS work_titles; DROP TABLE IF EXISTS work_shares; "
        "DROP TABLE IF EXISTS royalty_disputes; DROP TABLE IF EXISTS royalty_settlements; "
        "DROP TABLE IF EXISTS "
        "royalty_approvals; DROP TABLE IF EXISTS royalty_runs; DROP TABLE IF EXISTS "
        "royalty_flows; DROP TABLE IF EXISTS royalty_run_holders; "
        "DROP TABLE IF EXISTS royalty_run_totals;");
}

std::span<const EntryKind> Royalties::entryKinds()
{
    return RoyaltyEntryKinds;
}

QList<UsageImport> Royalties::imports(sql::Database &db)
{
    QList<UsageImport> out;
    auto st = db.prepare("SELECT body, entry_index, loaded FROM usage_imports ORDER BY "
                         "entry_index");
    while (st.next()) {
        auto u = UsageImport::fromJson(QJsonDocument::fromJson(st.blob(0)).object());
        if (!u)
            continue;
        u->entryIndex = quint64(st.int64(1));
        u->loaded = st.int64(2) != 0;
        out.append(u.value());
    }
    return out;
}

std::optional<UsageImport> Royalties::import(sql::Database &db, const QString &sha256)
{
    for (const UsageImport &u : imports(db))
        if (u.sha256 == sha256)
            return u;
    return std::nullopt;
}

QList<WorkShare> Royalties::workShares(sql::Database &db, const QString &assetId,
                                       const QString &right)
{
    QList<WorkShare> out;
    auto st = db.prepare("SELECT party, ipi, role, basis_points FROM work_shares WHERE asset_id=? "
                         "AND right_type=? ORDER BY entry_index, rowid");
    st.bind(1, assetId).bind(2, right);
    while (st.next())
        out.append({right, st.text(0), st.text(1), st.text(2), int(st.int64(3))});
    return out;
}

QList<Dispute> Royalties::disputes(sql::Database &db)
{
    QList<Dispute> out;
    auto st = db.prepare("SELECT id, asset_id, kind, right_type, message, entry_index FROM "
                         "royalty_disputes ORDER BY id");
    while (st.next())
        out.append(
            {st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), quint64(st.int64(5))});
    return out;
}

QList<WorkSource> Royalties::sources(sql::Database &db, const QString &assetId)
{
    QList<WorkSource> out;
    auto st = db.prepare("SELECT source, right_type, party, ipi, role, basis_points, entry_index "
                         "FROM work_shares WHERE asset_id=? ORDER BY source, rowid");
    st.bind(1, assetId);
    while (st.next()) {
        if (out.isEmpty() || out.constLast().source != st.text(0))
            out.append({st.text(0), {}, {}, quint64(st.int64(6))});
        WorkSource &s = out.last();
        const WorkShare share{st.text(1), st.text(2), st.text(3), st.text(4), int(st.int64(5))};
        s.shares.append(share);
        s.totals[share.right] += share.basisPoints;
    }
    return out;
}

QList<Settlement> Royalties::settlements(sql::Database &db)
{
    const auto strings = [](const QByteArray &json) {
        QStringList out;
        for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
            out << v.toString();
        return out;
    };
    QList<Settlement> out;
    auto st = db.prepare("SELECT entry_index, asset_id, body, dropped, disputes FROM "
                         "royalty_settlements ORDER BY entry_index");
    while (st.next()) {
        const QJsonObject body = QJsonDocument::fromJson(st.blob(2)).object();
        Settlement s;
        s.entryIndex = quint64(st.int64(0));
        s.assetId = st.text(1);
        for (const QJsonValue &v : body.value("keep").toArray())
            s.kept << v.toString();
        s.reason = body.value("reason").toString();
        s.dropped = strings(st.blob(3));
        s.disputes = strings(st.blob(4));
        out.append(s);
    }
    return out;
}

Result<ledger::Draft> Royalties::settleDraft(sql::Database &db, const QString &assetId,
                                             const QStringList &keep, const QString &reason,
                                             const ledger::PublicKey &author)
{
    using R = Result<ledger::Draft>;
    if (reason.trimmed().isEmpty())
        return R::failure("invalid", QStringLiteral("reason: say why the dispute is settled so "
                                                    "(an agreement, a court order…)"));
    if (Status s = checkSettlement(db, assetId, keep, author); !s)
        return s.error();
    const QJsonObject body{{"asset", assetId},
                           {"keep", QJsonArray::fromStringList(keep)},
                           {"reason", reason.trimmed()}};
    return ledger::Draft{kinds::WorkSettled, QJsonDocument(body).toJson(QJsonDocument::Compact), 0};
}

Status Royalties::afterBatch(sql::Database &db, const QSet<QByteArray> &kinds)
{
    static const QSet<QByteArray> changeMatches = {kinds::AssetRegistered, kinds::AssetUpdated,
                                                   kinds::WorkShares};
    if (!kinds.intersects(changeMatches))
        return {};
    // A portfolio without usage (most of them) reads no register.
    if (!db.prepare("SELECT 1 FROM usage_keys LIMIT 1").next())
        return {};
    return rematch(db);
}

Status Royalties::rematch(sql::Database &db)
{
    return rematch(db, Matcher(db), QString());
}

Status Royalties::rematch(sql::Database &db, const Matcher &matcher, const QString &exceptImport)
{
    struct Row
    {
        qint64 id;
        WorkMatch match;
    };
    QList<Row> changed;
    {
        auto st = db.prepare("SELECT id, work_ref, isrc, iswc, doi, title, creator, match_asset, "
                             "match_how, match_note FROM usage_keys WHERE import_sha256 <> ?");
        st.bind(1, exceptImport);
        while (st.next()) {
            const Identification id{st.text(1), st.text(2), st.text(3),
                                    st.text(4), st.text(5), st.text(6)};
            WorkMatch m = matcher.match(id);
            if (m.assetId != st.text(7) || m.how != st.text(8) || m.note != st.text(9))
                changed.append({st.int64(0), std::move(m)});
        }
    }
    auto up = db.prepare("UPDATE usage_keys SET match_asset=?, match_how=?, match_note=? WHERE "
                         "id=?");
    for (const Row &r : changed)
        if (Status s = up.bind(1, r.match.assetId)
                           .bind(2, r.match.how)
                           .bind(3, r.match.note)
                           .bind(4, r.id)
                           .exec();
            !s)
            return s;
    return {};
}

namespace {

UsageKey readKey(sql::Statement &st, int c)
{
    UsageKey k;
    k.id = st.int64(c);
    k.importSha256 = st.text(c + 1);
    k.workRef = st.text(c + 2);
    k.isrc = st.text(c + 3);
    k.iswc = st.text(c + 4);
    k.doi = st.text(c + 5);
    k.title = st.text(c + 6);
    k.creator = st.text(c + 7);
    k.firstLine = st.int64(c + 8);
    k.lines = st.int64(c + 9);
    k.matchAsset = st.text(c + 10);
    k.matchHow = st.text(c + 11);
    k.matchNote = st.text(c + 12);
    return k;
}

constexpr const char KeyColumns[] = "k.id, k.import_sha256, k.work_ref, k.isrc, k.iswc, k.doi, "
                                    "k.title, k.creator, k.first_line, k.lines, k.match_asset, "
                                    "k.match_how, k.match_note";

/** "?2,?3,…" for the periods, bound from index first. */
QString periodMarks(const QStringList &periods, int first = 2)
{
    QStringList marks;
    for (qsizetype i = 0; i < periods.size(); ++i)
        marks << QStringLiteral("?%1").arg(i + first);
    return marks.join(u',');
}

/** Binds the periods to the marks periodMarks() wrote, from index first. */
void bindPeriods(sql::Statement &st, const QStringList &periods, int first)
{
    for (qsizetype i = 0; i < periods.size(); ++i)
        st.bind(int(i + first), periods.at(i));
}

ledger::Draft matchedDraft(QJsonObject body)
{
    return {kinds::UsageMatched, QJsonDocument(body).toJson(QJsonDocument::Compact), 0};
}

} // namespace

QStringList UsageKey::identifiers() const
{
    QStringList ids;
    for (const auto &[scheme, value] : {std::pair{"work", workRef}, std::pair{"ISWC", iswc},
                                        std::pair{"ISRC", isrc}, std::pair{"DOI", doi}})
        if (!value.isEmpty())
            ids << QStringLiteral("%1 %2").arg(QLatin1String(scheme), value);
    return ids;
}

QList<UnmatchedUsage> Royalties::unmatched(sql::Database &db, const QString &period, qint64 limit)
{
    const QStringList periods = periodsWithin(period);
    QList<UnmatchedUsage> out;
    if (periods.isEmpty())
        return out;
    const QByteArray sql =
        QStringLiteral("SELECT %1, a.currency, SUM(a.amount_micro), SUM(a.units), SUM(a.lines) "
                       "FROM usage_keys k JOIN usage_amounts a ON a.key_id = k.id WHERE "
                       "k.match_asset = '' AND a.period IN (%2) GROUP BY k.id, a.currency "
                       "ORDER BY 15 DESC, k.id LIMIT %3")
            .arg(QLatin1String(KeyColumns), periodMarks(periods, 1))
            .arg(limit < 0 ? -1 : limit)
            .toUtf8();
    auto st = db.prepare(sql.constData());
    bindPeriods(st, periods, 1);
    while (st.next())
        out.append({readKey(st, 0), st.text(13), st.int64(14), st.int64(15), st.int64(16)});
    return out;
}

qint64 Royalties::unmatchedGroups(sql::Database &db, const QString &period)
{
    const QStringList periods = periodsWithin(period);
    if (periods.isEmpty())
        return 0;
    const QByteArray sql =
        QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM usage_keys k JOIN usage_amounts a ON "
                       "a.key_id = k.id WHERE k.match_asset = '' AND a.period IN (%1) GROUP BY "
                       "k.id, a.currency)")
            .arg(periodMarks(periods, 1))
            .toUtf8();
    auto st = db.prepare(sql.constData());
    bindPeriods(st, periods, 1);
    return st.next() ? st.int64(0) : 0;
}

namespace {

/** The period's usage for a right grouped by one column of usage_amounts (territory, period). */
QList<RevenueBucket> revenueBy(sql::Database &db, const QString &period, const QString &right,
                               const char *column, const char *order)
{
    const QStringList periods = periodsWithin(period);
    QList<RevenueBucket> out;
    if (periods.isEmpty())
        return out;
    const QByteArray sql =
        QStringLiteral("SELECT a.%1, a.currency, SUM(a.amount_micro), SUM(CASE WHEN "
                       "k.match_asset = '' THEN a.amount_micro ELSE 0 END), SUM(a.lines) FROM "
                       "usage_amounts a JOIN usage_keys k ON k.id = a.key_id WHERE a.right_type "
                       "= ?1 AND a.period IN (%2) GROUP BY a.%1, a.currency ORDER BY a.currency, "
                       "%3")
            .arg(QLatin1String(column), periodMarks(periods), QLatin1String(order))
            .toUtf8();
    auto st = db.prepare(sql.constData());
    st.bind(1, right);
    bindPeriods(st, periods, 2);
    while (st.next())
        out.append({st.text(0), st.text(1), st.int64(2), st.int64(3), st.int64(4)});
    return out;
}

} // namespace

QList<RevenueBucket> Royalties::revenueByTerritory(sql::Database &db, const QString &period,
                                                   const QString &right)
{
    return revenueBy(db, period, right, "territory", "3 DESC, 1");
}

QList<RevenueBucket> Royalties::revenueByMonth(sql::Database &db, const QString &period,
                                               const QString &right)
{
    // "2026-07" < "2026-08" < "2026-09" < "2026-Q3": the quarter's own lines come last.
    return revenueBy(db, period, right, "period", "1");
}

QList<UsageKey> Royalties::keysAtLine(sql::Database &db, const QString &period, qint64 line)
{
    const QStringList periods = periodsWithin(period);
    QList<UsageKey> out;
    if (periods.isEmpty())
        return out;
    const QByteArray sql =
        QStringLiteral("SELECT DISTINCT %1 FROM usage_keys k JOIN usage_amounts a ON a.key_id = "
                       "k.id WHERE k.first_line = ?1 AND a.period IN (%2) ORDER BY k.id")
            .arg(QLatin1String(KeyColumns), periodMarks(periods))
            .toUtf8();
    auto st = db.prepare(sql.constData());
    st.bind(1, line);
    bindPeriods(st, periods, 2);
    while (st.next())
        out.append(readKey(st, 0));
    return out;
}

ledger::Draft Royalties::matchDraft(const UsageKey &key, const QString &assetId,
                                    const QString &period)
{
    return matchedDraft({{"scope", "identification"},
                         {"identification", QJsonObject{{"work", key.workRef},
                                                        {"isrc", key.isrc},
                                                        {"iswc", key.iswc},
                                                        {"doi", key.doi},
                                                        {"title", key.title},
                                                        {"creator", key.creator}}},
                         {"asset", assetId},
                         {"period", period},
                         {"import", key.importSha256},
                         {"line", key.firstLine}});
}

ledger::Draft Royalties::titleMatchDraft(const QString &title, const QString &creator,
                                         const QString &assetId, const QString &period)
{
    return matchedDraft({{"scope", "title-creator"},
                         {"title", title},
                         {"creator", creator},
                         {"asset", assetId},
                         {"period", period}});
}

} // namespace cartulary::model
