// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio projection: every entry is re-checked against the rules before it touches a table, so
// entries from peers and entries from local commands obey the same rules.
#include "model/portfolio/portfolio.h"

#include "model/core/jsonfields.h"
#include "model/portfolio/deadlines.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace cartulary::model {

namespace {

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS assets(
    id                TEXT PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    type              TEXT NOT NULL,
    status            TEXT NOT NULL,
    jurisdictions     TEXT NOT NULL,      -- ';'-joined
    filing_date       TEXT NOT NULL,      -- YYYY-MM-DD or ''
    priority_date     TEXT NOT NULL,
    grant_date        TEXT NOT NULL,
    registration_date TEXT NOT NULL,
    expiry_date       TEXT NOT NULL,
    family            TEXT NOT NULL,
    owners            TEXT NOT NULL,      -- "Name:bp;Name:bp"
    creators          TEXT NOT NULL,      -- ';'-joined
    identifiers       TEXT NOT NULL,      -- "SCHEME:value;..."
    tags              TEXT NOT NULL,      -- ';'-joined
    notes             TEXT NOT NULL,
    body              TEXT NOT NULL,      -- canonical JSON of the current state
    controller        BLOB NOT NULL,      -- the key allowed to change the asset
    current_phase     TEXT NOT NULL,
    registered_index  INTEGER NOT NULL,
    updated_index     INTEGER NOT NULL,
    search            TEXT NOT NULL       -- lower-case reference, title, owners, identifiers, tags
);
-- Substring search over the search text: trigrams, so "nanopart" finds "nanoparticle". Its rowid
-- is the asset row's rowid.
CREATE VIRTUAL TABLE IF NOT EXISTS asset_search USING fts5(text, tokenize='trigram');
-- Stored in key order (WITHOUT ROWID): one b-tree each instead of a table and an index on its key.
CREATE TABLE IF NOT EXISTS asset_owners(
    asset_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    basis_points  INTEGER NOT NULL,
    PRIMARY KEY(asset_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS asset_jurisdictions(
    asset_id      TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    PRIMARY KEY(asset_id, jurisdiction)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS phase_states(
    asset_id      TEXT NOT NULL,
    subphase      TEXT NOT NULL,
    state         TEXT NOT NULL,
    note          TEXT NOT NULL,
    entry_index   INTEGER NOT NULL,
    PRIMARY KEY(asset_id, subphase)
);
CREATE TABLE IF NOT EXISTS phase_events(
    entry_index   INTEGER PRIMARY KEY,
    asset_id      TEXT NOT NULL,
    subphase      TEXT NOT NULL,
    event         TEXT NOT NULL,
    date          TEXT NOT NULL,
    actor_kind    TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    note          TEXT NOT NULL,
    deadline_key  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS phase_events_asset ON phase_events(asset_id, date);
CREATE INDEX IF NOT EXISTS phase_events_deadline ON phase_events(deadline_key);
CREATE TABLE IF NOT EXISTS asset_assignments(
    entry_index   INTEGER PRIMARY KEY,
    asset_id      TEXT NOT NULL,
    date          TEXT NOT NULL,
    from_owners   TEXT NOT NULL,
    to_owners     TEXT NOT NULL,
    from_key      BLOB NOT NULL,
    to_key        BLOB NOT NULL,
    note          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS asset_assignments_asset ON asset_assignments(asset_id, date);
-- The state an update replaced, when it changed what deadlines derive from (type, jurisdictions,
-- status, dates): an iCalendar SEQUENCE counts how often a deadline's date changed.
CREATE TABLE IF NOT EXISTS asset_history(
    entry_index   INTEGER PRIMARY KEY,    -- the update that replaced it
    asset_id      TEXT NOT NULL,
    body          TEXT NOT NULL           -- canonical JSON of the replaced state
);
CREATE INDEX IF NOT EXISTS asset_history_asset ON asset_history(asset_id, entry_index);
CREATE TABLE IF NOT EXISTS deadline_rules(
    id            TEXT PRIMARY KEY,
    rule          TEXT NOT NULL,          -- the rule's JSON, as signed
    entry_index   INTEGER NOT NULL
);
)sql";

/** The indexes only reads use: a bulk load drops them and builds each once at the end. */
constexpr const char *SecondaryIndexes = R"sql(
-- One index per sortable column, ending in reference: the Portfolio view pages in that order.
CREATE INDEX IF NOT EXISTS assets_title ON assets(title COLLATE NOCASE, reference);
CREATE INDEX IF NOT EXISTS assets_type ON assets(type, reference);
CREATE INDEX IF NOT EXISTS assets_status ON assets(status, reference);
CREATE INDEX IF NOT EXISTS assets_filing ON assets(filing_date, reference);
CREATE INDEX IF NOT EXISTS assets_grant ON assets(grant_date, reference);
CREATE INDEX IF NOT EXISTS assets_expiry ON assets(expiry_date, reference);
CREATE INDEX IF NOT EXISTS assets_phase ON assets(current_phase, reference);
CREATE INDEX IF NOT EXISTS assets_jurisdictions ON assets(jurisdictions, reference);
CREATE INDEX IF NOT EXISTS assets_owners ON assets(owners COLLATE NOCASE, reference);
CREATE INDEX IF NOT EXISTS assets_family ON assets(family);
CREATE INDEX IF NOT EXISTS asset_owners_name ON asset_owners(name);
CREATE INDEX IF NOT EXISTS asset_jurisdictions_code ON asset_jurisdictions(jurisdiction);
)sql";

constexpr const char *DropSecondaryIndexes = R"sql(
DROP INDEX IF EXISTS assets_title; DROP INDEX IF EXISTS assets_type;
DROP INDEX IF EXISTS assets_status; DROP INDEX IF EXISTS assets_filing;
DROP INDEX IF EXISTS assets_grant; DROP INDEX IF EXISTS assets_expiry;
DROP INDEX IF EXISTS assets_phase; DROP INDEX IF EXISTS assets_jurisdictions;
DROP INDEX IF EXISTS assets_owners; DROP INDEX IF EXISTS assets_family;
DROP INDEX IF EXISTS asset_owners_name; DROP INDEX IF EXISTS asset_jurisdictions_code;
)sql";

} // namespace

/** What a bulk load leaves for its end: the child rows of the assets it wrote. */
struct Portfolio::BulkLoad::Rows
{
    /** An asset's child rows as one write left them. */
    struct Children
    {
        QString id;
        QList<Owner> owners;
        QStringList jurisdictions;
    };
    const sql::Database *db = nullptr;
    QList<Children> children; ///< in the order written; the last of an id is its state
    QSet<QString> replaced;   ///< assets written again (existing or written before)
    qint64 lastRowid = 0;     ///< the last asset row before the load
    bool dropIndexes = false; ///< the secondary indexes were dropped at begin()
    qint64 cacheSize = 0;     ///< the connection's page cache before the load
};

namespace {

/** The bulk load running on this thread, if any (see Portfolio::BulkLoad). */
thread_local Portfolio::BulkLoad::Rows *t_bulkLoad = nullptr;

Status refuse(const QString &code, const QString &why)
{
    return Status::failure(code, why);
}

/** The text the search finds an asset by; owners: formatOwners(a.owners). */
QString searchText(const Asset &a, const QString &owners)
{
    QString text;
    text.reserve(a.reference.size() + a.title.size() + owners.size() + 64);
    text += a.reference;
    for (const QString &part : {a.title, owners, formatIdentifiers(a.identifiers),
                                a.tags.join(u' '), a.creators.join(u' '), a.family})
        text += u' ' + part;
    return std::move(text).toLower();
}

/** Refuses unless the entry's author controls the asset. */
Status authorise(sql::Database &db, const ledger::StoredEntry &e, const Asset &asset)
{
    const auto controller = Portfolio::controller(db, asset.id);
    if (!controller || *controller != e.author)
        return refuse("not-authorised",
                      QStringLiteral("%1 (%2) may only be changed by its owner's key %3, not by %4")
                          .arg(asset.reference, asset.title,
                               controller ? ledger::fingerprint(*controller) : QStringLiteral("?"),
                               ledger::fingerprint(e.author)));
    return {};
}

/** Writes the asset's row (and, outside a bulk load, its search text and child rows); canonical:
 * a.canonicalJson() when the caller has it already, else empty. */
Status writeAsset(sql::Database &db, const Asset &a, const ledger::StoredEntry &e, bool fresh,
                  const QByteArray &canonical = {})
{
    auto st = db.prepare(
        fresh
            ? "INSERT INTO assets(id, reference, title, type, status, jurisdictions, filing_date, "
              "priority_date, grant_date, registration_date, expiry_date, family, owners, "
              "creators, identifiers, tags, notes, body, controller, current_phase, "
              "registered_index, updated_index, search) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
              "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, 'generation', ?20, ?20, ?21)"
            : "UPDATE assets SET reference=?2, title=?3, type=?4, status=?5, jurisdictions=?6, "
              "filing_date=?7, priority_date=?8, grant_date=?9, registration_date=?10, "
              "expiry_date=?11, family=?12, owners=?13, creators=?14, identifiers=?15, tags=?16, "
              "notes=?17, body=?18, updated_index=?20, search=?21 WHERE id=?1");
    const QString owners = formatOwners(a.owners);
    st.bind(1, a.id)
        .bind(2, a.reference)
        .bind(3, a.title)
        .bind(4, a.type)
        .bind(5, a.status)
        .bind(6, a.jurisdictions.join(u';'))
        .bind(7, isoDate(a.filing))
        .bind(8, isoDate(a.priority))
        .bind(9, isoDate(a.grant))
        .bind(10, isoDate(a.registration))
        .bind(11, isoDate(a.expiry))
        .bind(12, a.family)
        .bind(13, owners)
        .bind(14, a.creators.join(u';'))
        .bind(15, formatIdentifiers(a.identifiers))
        .bind(16, a.tags.join(u';'))
        .bind(17, a.notes)
        .bindText(18, canonical.isEmpty() ? a.canonicalJson() : canonical)
        .bind(19, ledger::toView(e.author))
        .bind(20, qint64(e.index))
        .bind(21, searchText(a, owners));
    if (Status s = st.exec(); !s)
        return s;
    // Once the full-text table is written in a transaction, every later statement makes FTS5
    // flush at its savepoint: a bulk load writes it, and the child rows, once at the end instead.
    if (t_bulkLoad && t_bulkLoad->db == &db) {
        t_bulkLoad->children.append({a.id, a.owners, a.jurisdictions});
        if (!fresh)
            t_bulkLoad->replaced.insert(a.id);
        return {};
    }
    auto search = db.prepare("INSERT OR REPLACE INTO asset_search(rowid, text) "
                             "SELECT rowid, search FROM assets WHERE id=?");
    search.bind(1, a.id);
    if (Status s = search.exec(); !s)
        return s;
    for (const char *sql : {"DELETE FROM asset_owners WHERE asset_id=?",
                            "DELETE FROM asset_jurisdictions WHERE asset_id=?"}) {
        if (fresh)
            break; // a new asset has none yet
        auto del = db.prepare(sql);
        del.bind(1, a.id);
        if (Status s = del.exec(); !s)
            return s;
    }
    auto owner = db.prepare("INSERT INTO asset_owners(asset_id, name, basis_points) VALUES(?,?,?)");
    for (const Owner &o : a.owners) {
        owner.bind(1, a.id).bind(2, o.name).bind(3, qint64(o.basisPoints));
        if (Status s = owner.exec(); !s)
            return s;
    }
    auto jur = db.prepare("INSERT INTO asset_jurisdictions(asset_id, jurisdiction) VALUES(?,?)");
    for (const QString &j : a.jurisdictions) {
        jur.bind(1, a.id).bind(2, j);
        if (Status s = jur.exec(); !s)
            return s;
    }
    return {};
}

/**
 * Keys before jurisdictions were part of them ("<asset>/<rule>/<n>") meant the deadline of the
 * asset's first jurisdiction, as it was when the event was signed: they are stored in today's form
 * ("<asset>/<jurisdiction>/<rule>/<n>"), so old settlements keep settling, also after a rebuild.
 */
QString currentDeadlineKey(const QString &key, const Asset &asset)
{
    const QStringList parts = key.split(u'/');
    if (parts.size() != 3 || asset.jurisdictions.isEmpty())
        return key;
    return QStringList{parts[0], asset.jurisdictions.first(), parts[1], parts[2]}.join(u'/');
}

Status updateCurrentPhase(sql::Database &db, const Asset &a)
{
    auto st = db.prepare("UPDATE assets SET current_phase=? WHERE id=?");
    st.bind(1, phaseId(Portfolio::currentPhase(db, a))).bind(2, a.id);
    return st.exec();
}

Result<Asset> existing(sql::Database &db, const QString &id)
{
    auto a = Portfolio::asset(db, id);
    if (!a)
        return Result<Asset>::failure("unknown-asset",
                                      QStringLiteral("asset %1 does not exist").arg(id));
    return *a;
}

/** The rules of asset.registered and its rows, for an asset read from the entry's body (its
 * canonical JSON when the caller has it, else empty). */
Status registerAsset(sql::Database &db, const ledger::StoredEntry &e, const Asset &asset,
                     const QByteArray &canonical)
{
    if (Status s = validateAsset(asset); !s)
        return s;
    // A new asset has no events or states yet: it stands in Generation, as written. A taken id
    // or reference breaks the table's constraints; only then is it looked up, for the message.
    const Status written = writeAsset(db, asset, e, true, canonical);
    if (written)
        return written;
    auto clash = db.prepare("SELECT id, title FROM assets WHERE reference=?1 OR id=?2");
    clash.bind(1, asset.reference).bind(2, asset.id);
    if (!clash.next())
        return written;
    return clash.text(0) == asset.id
               ? refuse("duplicate-id",
                        QStringLiteral("id: %1 is already registered").arg(asset.id))
               : refuse("duplicate-reference",
                        QStringLiteral("reference: %1 is already registered (%2)")
                            .arg(asset.reference, clash.text(1)));
}

Status applyRegistered(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto asset = Asset::fromJson(body);
    if (!asset)
        return asset.error();
    return registerAsset(db, e, asset.value(), {});
}

/** The rules of asset.updated and its rows (see registerAsset). */
Status updateAsset(sql::Database &db, const ledger::StoredEntry &e, const Asset &asset,
                   const QByteArray &canonical)
{
    auto before = existing(db, asset.id);
    if (!before)
        return before.error();
    if (Status s = authorise(db, e, before.value()); !s)
        return s;
    if (Status s = validateAsset(asset); !s)
        return s;
    if (auto other = Portfolio::asset(db, asset.reference); other && other->id != asset.id)
        return refuse("duplicate-reference", QStringLiteral("reference: %1 is already used by %2")
                                                 .arg(asset.reference, other->title));
    if (asset.type != before->type) {
        // Explicit states and events must still apply to the new type.
        auto events = db.prepare("SELECT DISTINCT subphase FROM phase_events WHERE asset_id=? "
                                 "UNION SELECT subphase FROM phase_states WHERE asset_id=? AND "
                                 "state != 'not-applicable'");
        events.bind(1, asset.id).bind(2, asset.id);
        while (events.next())
            if (!subPhaseApplies(asset.type, events.text(0)))
                return refuse("inapplicable-sub-phase",
                              QStringLiteral("type: %1 cannot become a %2: it has events in %3, "
                                             "which does not apply to that type")
                                  .arg(asset.reference, asset.type, events.text(0)));
    }
    if (Status s = writeAsset(db, asset, e, false, canonical); !s)
        return s;
    if (!Portfolio::deadlineAsset(before.value()).sameFacts(Portfolio::deadlineAsset(asset))) {
        auto history =
            db.prepare("INSERT INTO asset_history(entry_index, asset_id, body) VALUES(?,?,?)");
        history.bind(1, qint64(e.index))
            .bind(2, asset.id)
            .bind(3, QString::fromUtf8(before->canonicalJson()));
        if (Status s = history.exec(); !s)
            return s;
    }
    return updateCurrentPhase(db, asset);
}

Status applyUpdated(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto asset = Asset::fromJson(body);
    if (!asset)
        return asset.error();
    return updateAsset(db, e, asset.value(), {});
}

Status applyOwnersSet(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"asset", "owners"}); !s)
        return s;
    auto id = requiredText(body, "asset");
    if (!id)
        return id.error();
    auto before = existing(db, id.value());
    if (!before)
        return before.error();
    if (Status s = authorise(db, e, before.value()); !s)
        return s;
    QJsonObject merged = before->toJson();
    merged.insert("owners", body.value("owners"));
    auto after = Asset::fromJson(merged);
    if (!after)
        return after.error();
    if (Status s = validateAsset(after.value()); !s)
        return s;
    return writeAsset(db, after.value(), e, false);
}

Status applyAssigned(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto assignment = Assignment::fromJson(body);
    if (!assignment)
        return assignment.error();
    auto before = existing(db, assignment->assetId);
    if (!before)
        return before.error();
    if (Status s = authorise(db, e, before.value()); !s)
        return s;
    Asset after = before.value();
    after.owners = assignment->owners;
    if (Status s = validateAsset(after); !s)
        return s;
    ledger::PublicKey to = e.author;
    if (!assignment->key.isEmpty()) {
        const QByteArray raw = QByteArray::fromHex(assignment->key.toLatin1());
        if (!ledger::fromBytes(raw, to))
            return refuse("invalid-field", "key: must be 64 hex digits");
    }
    if (after.owners == before->owners && to == e.author)
        return refuse("no-change", QStringLiteral("owners: %1 already belongs to %2")
                                       .arg(before->reference, formatOwners(before->owners)));
    if (Status s = writeAsset(db, after, e, false); !s)
        return s;
    auto st = db.prepare("INSERT INTO asset_assignments(entry_index, asset_id, date, from_owners, "
                         "to_owners, from_key, to_key, note) VALUES(?,?,?,?,?,?,?,?)");
    st.bind(1, qint64(e.index))
        .bind(2, after.id)
        .bind(3, isoDate(assignment->date))
        .bind(4, formatOwners(before->owners))
        .bind(5, formatOwners(after.owners))
        .bind(6, ledger::toView(e.author))
        .bind(7, ledger::toView(to));
    st.bind(8, assignment->note);
    if (Status s = st.exec(); !s)
        return s;
    auto control = db.prepare("UPDATE assets SET controller=? WHERE id=?");
    control.bind(1, ledger::toView(to)).bind(2, after.id);
    return control.exec();
}

Status applyPhaseEvent(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto ev = PhaseEvent::fromJson(body);
    if (!ev)
        return ev.error();
    auto asset = existing(db, ev->assetId);
    if (!asset)
        return asset.error();
    if (Status s = authorise(db, e, asset.value()); !s)
        return s;
    if (!subPhaseApplies(asset->type, ev->subPhase))
        return refuse(
            "inapplicable-sub-phase",
            QStringLiteral("subphase: %1 does not apply to %2 (%3): %4")
                .arg(ev->subPhase, asset->reference, asset->type, assetType(asset->type)->why));
    auto st = db.prepare("INSERT INTO phase_events(entry_index, asset_id, subphase, event, date, "
                         "actor_kind, actor_name, note, deadline_key) VALUES(?,?,?,?,?,?,?,?,?)");
    st.bind(1, qint64(e.index))
        .bind(2, ev->assetId)
        .bind(3, ev->subPhase)
        .bind(4, ev->event)
        .bind(5, isoDate(ev->date))
        .bind(6, ev->actorKind)
        .bind(7, ev->actorName)
        .bind(8, ev->note)
        .bind(9, currentDeadlineKey(ev->deadlineKey, asset.value()));
    if (Status s = st.exec(); !s)
        return s;
    return updateCurrentPhase(db, asset.value());
}

Status applyPhaseState(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto change = PhaseStateChange::fromJson(body);
    if (!change)
        return change.error();
    auto asset = existing(db, change->assetId);
    if (!asset)
        return asset.error();
    if (Status s = authorise(db, e, asset.value()); !s)
        return s;
    if (!subPhaseApplies(asset->type, change->subPhase) &&
        change->state != SubPhaseState::NotApplicable)
        return refuse(
            "inapplicable-sub-phase",
            QStringLiteral("subphase: %1 does not apply to %2 (%3): %4")
                .arg(change->subPhase, asset->reference, asset->type, assetType(asset->type)->why));
    auto st = db.prepare("INSERT OR REPLACE INTO phase_states(asset_id, subphase, state, note, "
                         "entry_index) VALUES(?,?,?,?,?)");
    st.bind(1, change->assetId)
        .bind(2, change->subPhase)
        .bind(3, subPhaseStateId(change->state))
        .bind(4, change->note)
        .bind(5, qint64(e.index));
    if (Status s = st.exec(); !s)
        return s;
    return updateCurrentPhase(db, asset.value());
}

Status applyDeadlineRule(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (Status s = checkKeys(body, {"rule"}); !s)
        return s;
    auto rule = DeadlineRules::ruleFromJson(body.value("rule").toObject());
    if (!rule)
        return rule.error();
    const QJsonObject normal = DeadlineRules::ruleToJson(rule.value());
    const QString id = normal.value("id").toString();
    auto clash = db.prepare("SELECT 1 FROM deadline_rules WHERE id=?");
    clash.bind(1, id);
    static const DeadlineRules shipped = DeadlineRules::builtIn();
    const bool shippedId = std::any_of(shipped.rules().begin(), shipped.rules().end(),
                                       [&id](const DeadlineRule &r) { return r.id == id; });
    if (clash.next() || shippedId)
        return refuse("duplicate-rule", QStringLiteral("rule: a deadline rule with id '%1' "
                                                       "already exists")
                                            .arg(id));
    auto st = db.prepare("INSERT INTO deadline_rules(id, rule, entry_index) VALUES(?,?,?)");
    st.bind(1, id).bind(2, QString::fromUtf8(Portfolio::body(normal))).bind(3, qint64(e.index));
    return st.exec();
}

} // namespace

QJsonObject PhaseEvent::toJson() const
{
    QJsonObject o{
        {"asset", assetId}, {"subphase", subPhase}, {"event", event}, {"date", isoDate(date)}};
    if (!actorKind.isEmpty() || !actorName.isEmpty())
        o.insert("actor", QJsonObject{{"kind", actorKind}, {"name", actorName}});
    if (!note.isEmpty())
        o.insert("note", note);
    if (!deadlineKey.isEmpty())
        o.insert("deadline", deadlineKey);
    return o;
}

Result<PhaseEvent> PhaseEvent::fromJson(const QJsonObject &o)
{
    using R = Result<PhaseEvent>;
    if (Status s =
            checkKeys(o, {"asset", "subphase", "event", "date", "actor", "note", "deadline"});
        !s)
        return s.error();
    PhaseEvent ev;
    auto asset = requiredText(o, "asset");
    auto kind = requiredText(o, "event");
    if (!asset)
        return asset.error();
    if (!kind)
        return kind.error();
    ev.assetId = asset.value();
    ev.event = kind.value();
    const auto k = eventKind(ev.event);
    if (!k) {
        QStringList ids;
        for (const EventKind &x : eventKinds())
            ids.append(x.id);
        return R::failure("invalid-field",
                          QStringLiteral("event: unknown event '%1'; use one of: %2")
                              .arg(ev.event, ids.join(QStringLiteral(", "))));
    }
    ev.subPhase = o.value("subphase").toString(k->defaultSubPhase);
    if (!model::subPhase(ev.subPhase))
        return R::failure("invalid-field",
                          QStringLiteral("subphase: unknown sub-phase '%1'").arg(ev.subPhase));
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    ev.date = date.value();
    const QJsonObject actor = o.value("actor").toObject();
    ev.actorKind = actor.value("kind").toString();
    ev.actorName = actor.value("name").toString();
    if (!ev.actorKind.isEmpty() && !model::actorKind(ev.actorKind)) {
        QStringList ids;
        for (const ActorKind &x : actorKinds())
            ids.append(x.id);
        return R::failure("invalid-field", QStringLiteral("actor: unknown actor kind '%1'; use one "
                                                          "of: %2")
                                               .arg(ev.actorKind, ids.join(QStringLiteral(", "))));
    }
    ev.note = o.value("note").toString();
    ev.deadlineKey = o.value("deadline").toString();
    return ev;
}

QJsonObject Assignment::toJson() const
{
    QJsonArray list;
    for (const Owner &o : owners)
        list.append(QJsonObject{{"name", o.name}, {"basis_points", o.basisPoints}});
    QJsonObject o{{"asset", assetId}, {"owners", list}, {"date", isoDate(date)}};
    if (!key.isEmpty())
        o.insert("key", key);
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Assignment> Assignment::fromJson(const QJsonObject &o)
{
    using R = Result<Assignment>;
    if (Status s = checkKeys(o, {"asset", "owners", "key", "date", "note"}); !s)
        return s.error();
    Assignment a;
    auto asset = requiredText(o, "asset");
    if (!asset)
        return asset.error();
    a.assetId = asset.value();
    // Owners come in the same forms as register-asset's: a list, or "Name:bp;Name:bp".
    const QJsonValue ownersValue = o.value("owners");
    if (ownersValue.isString()) {
        auto parsed = parseOwners(ownersValue.toString());
        if (!parsed)
            return parsed.error();
        a.owners = parsed.value();
    } else {
        auto holder = Asset::fromJson(QJsonObject{{"id", a.assetId}, {"owners", ownersValue}});
        if (!holder)
            return holder.error();
        a.owners = holder->owners;
    }
    if (a.owners.isEmpty())
        return R::failure("invalid-field", "owners: name the assignees and their basis points");
    a.key = o.value("key").toString().trimmed().toLower();
    static const QRegularExpression hexKey(QStringLiteral("^[0-9a-f]{64}$"));
    if (!a.key.isEmpty() && !hexKey.match(a.key).hasMatch())
        return R::failure("invalid-field",
                          "key: must be the assignee's Ed25519 public key as 64 hex digits");
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    a.date = date.value();
    a.note = o.value("note").toString();
    return a;
}

QJsonObject PhaseStateChange::toJson() const
{
    QJsonObject o{{"asset", assetId}, {"subphase", subPhase}, {"state", subPhaseStateId(state)}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<PhaseStateChange> PhaseStateChange::fromJson(const QJsonObject &o)
{
    using R = Result<PhaseStateChange>;
    if (Status s = checkKeys(o, {"asset", "subphase", "state", "note"}); !s)
        return s.error();
    PhaseStateChange c;
    auto asset = requiredText(o, "asset");
    auto sub = requiredText(o, "subphase");
    auto state = requiredText(o, "state");
    for (const auto *r : {&asset, &sub, &state})
        if (!r->ok())
            return r->error();
    c.assetId = asset.value();
    c.subPhase = sub.value();
    if (!model::subPhase(c.subPhase))
        return R::failure("invalid-field",
                          QStringLiteral("subphase: unknown sub-phase '%1'").arg(c.subPhase));
    const auto s = subPhaseStateFromId(state.value());
    if (!s)
        return R::failure("invalid-field",
                          QStringLiteral("state: '%1' is not one of not-started, in-progress, "
                                         "done, not-applicable")
                              .arg(state.value()));
    c.state = *s;
    c.note = o.value("note").toString();
    return c;
}

Status Portfolio::createTables(sql::Database &db)
{
    if (Status s = db.exec(Tables); !s)
        return s;
    // FTS5 writes the terms it holds as a new segment whenever they pass 'hashsize' (1 MiB by
    // default), and every few segments it merges them with the older ones: a bulk load of some
    // thousand assets' trigrams made several segments and merges per import. Held up to 64 MiB,
    // they make one segment per import. (Row-by-row writes flush at every statement anyway.)
    if (Status s = db.exec("INSERT INTO asset_search(asset_search, rank) VALUES('hashsize', "
                           "67108864)");
        !s)
        return s;
    return db.exec(SecondaryIndexes);
}

Portfolio::BulkLoad::BulkLoad(sql::Database &db, qsizetype entries)
    : m_db(db)
    , m_entries(entries)
    , m_rows(std::make_unique<Rows>())
{
    m_rows->db = &db;
}

Portfolio::BulkLoad::~BulkLoad()
{
    if (t_bulkLoad == m_rows.get()) {
        t_bulkLoad = nullptr;
        (void)m_db.exec(
            QByteArray("PRAGMA cache_size=" + QByteArray::number(m_rows->cacheSize)).constData());
    }
}

Status Portfolio::BulkLoad::begin()
{
    // The index builds at the end read the whole table: give them room for it.
    {
        // In a block: a statement still open on the table would lock it against DROP INDEX.
        auto cache = m_db.prepare("PRAGMA cache_size");
        m_rows->cacheSize = cache.next() ? cache.int64(0) : -2000;
        auto last = m_db.prepare("SELECT COALESCE(MAX(rowid), 0) FROM assets");
        m_rows->lastRowid = last.next() ? last.int64(0) : 0;
    }
    if (Status s = m_db.exec("PRAGMA cache_size=-262144"); !s)
        return s;
    // Building an index reads the whole table, updating one costs per row written: the indexes go
    // only when the load at least doubles the table (an import into an empty or small portfolio).
    if (m_rows->dropIndexes = m_entries >= Portfolio::assetCount(m_db); m_rows->dropIndexes)
        if (Status s = m_db.exec(DropSecondaryIndexes); !s)
            return s;
    t_bulkLoad = m_rows.get();
    return {};
}

Status Portfolio::BulkLoad::apply(const ledger::StoredEntry &entry, const Asset &asset,
                                  const QByteArray &body)
{
    const bool registered = entry.kind == kinds::AssetRegistered;
    if (!registered && entry.kind != kinds::AssetUpdated)
        return refuse("bulk-load", QStringLiteral("entry %1 (%2): only asset entries are applied "
                                                  "with their asset")
                                       .arg(entry.index)
                                       .arg(QString::fromLatin1(entry.kind)));
    // What the projection writes is what was signed: the body the asset was written as.
    auto decoded = ledger::decodeEntry(entry.bytes);
    if (!decoded)
        return decoded.error();
    if (decoded->entry.body != body)
        return refuse("bulk-load", QStringLiteral("entry %1: its body is not the asset's canonical "
                                                  "JSON")
                                       .arg(entry.index));
    // A rebuild reads the asset back from these bytes: it must be this asset.
    Q_ASSERT(Asset::fromJson(QJsonDocument::fromJson(body).object()).value() == asset);
    return registered ? registerAsset(m_db, entry, asset, body)
                      : updateAsset(m_db, entry, asset, body);
}

Status Portfolio::BulkLoad::finish()
{
    t_bulkLoad = nullptr;
    // Assets that existed before the load lose the child rows and search text of their earlier
    // state, as writeAsset() replaces them row by row. The assets the load added are the rows after
    // lastRowid: their search text goes in with one statement below.
    QStringList replaced(m_rows->replaced.begin(), m_rows->replaced.end());
    std::sort(replaced.begin(), replaced.end());
    for (const QString &id : std::as_const(replaced)) {
        for (const char *sql :
             {"DELETE FROM asset_owners WHERE asset_id=?1",
              "DELETE FROM asset_jurisdictions WHERE asset_id=?1",
              "DELETE FROM asset_search WHERE rowid=(SELECT rowid FROM assets WHERE id=?1 AND "
              "rowid <= ?2)",
              "INSERT INTO asset_search(rowid, text) SELECT rowid, search FROM assets WHERE id=?1 "
              "AND rowid <= ?2"}) {
            auto st = m_db.prepare(sql);
            st.bind(1, id);
            if (QByteArray(sql).contains("?2"))
                st.bind(2, m_rows->lastRowid);
            if (Status s = st.exec(); !s)
                return s;
        }
    }
    // Child rows in key order, each asset's last state: each insert lands next to the last one.
    auto &children = m_rows->children;
    std::stable_sort(children.begin(), children.end(),
                     [](const Rows::Children &x, const Rows::Children &y) { return x.id < y.id; });
    auto owner = m_db.prepare("INSERT INTO asset_owners(asset_id, name, basis_points) "
                              "VALUES(?,?,?)");
    auto jur = m_db.prepare("INSERT INTO asset_jurisdictions(asset_id, jurisdiction) VALUES(?,?)");
    for (qsizetype i = 0; i < children.size(); ++i) {
        const Rows::Children &c = children[i];
        if (i + 1 < children.size() && children[i + 1].id == c.id)
            continue; // written again later in the load
        for (const Owner &o : c.owners) {
            owner.bind(1, c.id).bind(2, o.name).bind(3, qint64(o.basisPoints));
            if (Status s = owner.exec(); !s)
                return s;
        }
        for (const QString &j : c.jurisdictions) {
            jur.bind(1, c.id).bind(2, j);
            if (Status s = jur.exec(); !s)
                return s;
        }
    }
    m_rows->children.clear();
    auto search = m_db.prepare("INSERT INTO asset_search(rowid, text) SELECT rowid, search FROM "
                               "assets WHERE rowid > ? ORDER BY rowid");
    search.bind(1, m_rows->lastRowid);
    if (Status s = search.exec(); !s)
        return s;
    if (m_rows->dropIndexes)
        if (Status s = m_db.exec(SecondaryIndexes); !s)
            return s;
    return m_db.exec(
        QByteArray("PRAGMA cache_size=" + QByteArray::number(m_rows->cacheSize)).constData());
}

Status Portfolio::dropTables(sql::Database &db)
{
    return db.exec("DROP TABLE IF EXISTS assets; DROP TABLE IF EXISTS asset_search; "
                   "DROP TABLE IF EXISTS asset_owners; "
                   "DROP TABLE IF EXISTS asset_jurisdictions; DROP TABLE IF EXISTS phase_states; "
                   "DROP TABLE IF EXISTS phase_events; DROP TABLE IF EXISTS deadline_rules; "
                   "DROP TABLE IF EXISTS asset_assignments; DROP TABLE IF EXISTS asset_history;");
}

namespace {

constexpr EntryKind PortfolioEntryKinds[] = {
    {kinds::AssetRegistered, &applyRegistered}, {kinds::AssetUpdated, &applyUpdated},
    {kinds::OwnersSet, &applyOwnersSet},        {kinds::PhaseEventAdded, &applyPhaseEvent},
    {kinds::PhaseStateSet, &applyPhaseState},   {kinds::DeadlineRuleAdded, &applyDeadlineRule},
    {kinds::AssetAssigned, &applyAssigned},
};

} // namespace

std::span<const EntryKind> Portfolio::entryKinds()
{
    return PortfolioEntryKinds;
}

std::optional<Asset> Portfolio::asset(sql::Database &db, const QString &idOrReference)
{
    auto st = db.prepare("SELECT body FROM assets WHERE id=?1 OR reference=?1");
    st.bind(1, idOrReference);
    if (!st.next())
        return std::nullopt;
    auto a = Asset::fromJson(QJsonDocument::fromJson(st.text(0).toUtf8()).object());
    if (!a)
        return std::nullopt;
    return a.value();
}

std::optional<ledger::PublicKey> Portfolio::controller(sql::Database &db, const QString &assetId)
{
    auto st = db.prepare("SELECT controller FROM assets WHERE id=?");
    st.bind(1, assetId);
    ledger::PublicKey key{};
    if (st.next() && ledger::fromBytes(st.blob(0), key))
        return key;
    return std::nullopt;
}

QList<std::pair<QString, SubPhaseState>> Portfolio::phaseStates(sql::Database &db, const Asset &a)
{
    QHash<QString, SubPhaseState> explicitStates;
    auto st = db.prepare("SELECT subphase, state FROM phase_states WHERE asset_id=?");
    st.bind(1, a.id);
    while (st.next())
        if (auto s = subPhaseStateFromId(st.text(1)))
            explicitStates.insert(st.text(0), *s);
    QHash<QString, SubPhaseState> fromEvents;
    auto ev = db.prepare("SELECT subphase, event FROM phase_events WHERE asset_id=? ORDER BY date, "
                         "entry_index");
    ev.bind(1, a.id);
    while (ev.next()) {
        const auto kind = eventKind(ev.text(1));
        SubPhaseState &s = fromEvents[ev.text(0)];
        if (kind && kind->completes)
            s = SubPhaseState::Done;
        else if (s != SubPhaseState::Done)
            s = SubPhaseState::InProgress;
    }
    QList<std::pair<QString, SubPhaseState>> out;
    for (const SubPhase &sp : subPhases()) {
        SubPhaseState s = SubPhaseState::NotStarted;
        if (!subPhaseApplies(a.type, sp.id))
            s = SubPhaseState::NotApplicable;
        else if (explicitStates.contains(sp.id))
            s = explicitStates.value(sp.id);
        else if (fromEvents.contains(sp.id))
            s = fromEvents.value(sp.id);
        out.append({sp.id, s});
    }
    return out;
}

Phase Portfolio::currentPhase(sql::Database &db, const Asset &a)
{
    Phase current = Phase::Generation;
    for (const auto &[id, state] : phaseStates(db, a))
        if (state == SubPhaseState::InProgress || state == SubPhaseState::Done) {
            const Phase p = subPhase(id)->phase;
            if (int(p) > int(current))
                current = p;
        }
    return current;
}

DeadlineRules Portfolio::deadlineRules(sql::Database &db)
{
    DeadlineRules rules = DeadlineRules::builtIn();
    auto st = db.prepare("SELECT rule FROM deadline_rules ORDER BY entry_index");
    while (st.next())
        if (auto r =
                DeadlineRules::ruleFromJson(QJsonDocument::fromJson(st.text(0).toUtf8()).object()))
            (void)rules.add(r.value()); // validated when its entry was applied
    return rules;
}

DeadlineAsset Portfolio::deadlineAsset(const Asset &a)
{
    DeadlineAsset d;
    d.id = a.id;
    d.reference = a.reference;
    d.title = a.title;
    d.type = a.type;
    d.jurisdictions = a.jurisdictions;
    d.status = a.status;
    d.filing = a.filing;
    d.priority = a.priority;
    d.grant = a.grant;
    d.registration = a.registration;
    d.expiry = a.expiry;
    return d;
}

namespace {

/** The latest event that names a deadline: what settled it. */
struct Settlement
{
    QString event;
    QDate date;
};

/**
 * The deadline's settlement: an event naming its key or — so that a rule replacing another keeps
 * the fees recorded under the one it replaces — the same deadline (jurisdiction and number) of a
 * rule it supersedes.
 */
const Settlement *settlementOf(const Deadline &d, const QHash<QString, Settlement> &settled,
                               const DeadlineRules &rules)
{
    if (auto it = settled.constFind(d.key); it != settled.constEnd())
        return &*it;
    if (const DeadlineRule *rule = rules.rule(d.ruleId)) {
        for (const QString &other : rule->supersedes) {
            const QString key =
                d.jurisdiction.isEmpty()
                    ? QStringLiteral("%1/%2/%3").arg(d.assetId, other).arg(d.sequence)
                    : QStringLiteral("%1/%2/%3/%4")
                          .arg(d.assetId, d.jurisdiction, other)
                          .arg(d.sequence);
            if (auto it = settled.constFind(key); it != settled.constEnd())
                return &*it;
        }
    }
    return nullptr;
}

/**
 * States of one asset's deadlines (sorted by due date), jurisdiction by jurisdiction: the first
 * right lost and not settled blocks every later deadline there that is not settled either; an
 * accepted lapse ends the jurisdiction's later deadlines.
 */
QList<PortfolioDeadline> withStates(const QList<Deadline> &all,
                                    const QHash<QString, Settlement> &settled,
                                    const DeadlineRules &rules, const QDate &today)
{
    QList<PortfolioDeadline> out;
    QHash<QString, qsizetype> blocker; // jurisdiction → index in out of its lost right
    QSet<QString> ended;               // jurisdictions whose right lapsed for good
    for (const Deadline &d : all) {
        const bool consequential = d.loss != QLatin1String("none");
        PortfolioDeadline p{d, false, DeadlineState::Upcoming, {}, {}, 0};
        if (const Settlement *s = settlementOf(d, settled, rules)) {
            p.done = true;
            p.settledBy = s->event;
            p.settledOn = s->date;
            p.state =
                s->event == QLatin1String("lapsed") ? DeadlineState::Lapsed : DeadlineState::Done;
            if (p.state == DeadlineState::Lapsed && d.loss == QLatin1String("right"))
                ended.insert(d.jurisdiction);
            out.append(std::move(p));
            continue;
        }
        if (consequential && ended.contains(d.jurisdiction))
            continue; // the right ended before: nothing more is owed for it
        if (auto it = blocker.constFind(d.jurisdiction);
            consequential && it != blocker.constEnd()) {
            PortfolioDeadline &lost = out[*it];
            p.state = DeadlineState::Blocked;
            p.deadline.blockedBy = lost.deadline.key;
            p.deadline.blockedByLabel =
                QStringLiteral("%1: %2").arg(lost.deadline.reference, lost.deadline.label);
            ++lost.dependents;
            out.append(std::move(p));
            continue;
        }
        p.state = deadlineState(d, today, false);
        if (p.state == DeadlineState::Lost) {
            p.deadline.rightsLost = true;
            if (d.loss == QLatin1String("right"))
                blocker.insert(d.jurisdiction, out.size());
        }
        out.append(std::move(p));
    }
    return out;
}

/**
 * How often each deadline's due date and grace end changed over the asset's versions (the states
 * its updates replaced, then the current one): deterministic from the ledger, so a re-export gives
 * the same SEQUENCE and a calendar replaces an event only when its date moved.
 */
QHash<QString, std::pair<int, int>> revisions(const QList<DeadlineAsset> &versions,
                                              const DeadlineRules &rules, const QDate &to)
{
    QHash<QString, std::pair<int, int>> count;
    QHash<QString, std::pair<QDate, QDate>> last;
    for (const DeadlineAsset &v : versions) {
        for (const Deadline &d : rules.compute(v, QDate(), to)) {
            auto it = last.find(d.key);
            if (it != last.end()) {
                auto &[due, grace] = count[d.key];
                due += it->first != d.due;
                grace += it->second != d.graceEnd;
                *it = {d.due, d.graceEnd};
            } else {
                last.insert(d.key, {d.due, d.graceEnd});
            }
        }
    }
    return count;
}

/** The deadlines of the portfolio (or of one asset) with their states; see Portfolio::deadlines.
 */
QList<PortfolioDeadline> collect(sql::Database &db, const QString &assetId, const QDate &from,
                                 const QDate &to, const QDate &today, bool withRevisions)
{
    const DeadlineRules rules = Portfolio::deadlineRules(db);
    const bool one = !assetId.isEmpty();
    QHash<QString, Settlement> settled;
    auto done = db.prepare(one ? "SELECT deadline_key, event, date FROM phase_events WHERE "
                                 "asset_id=?1 AND deadline_key != '' ORDER BY date, entry_index"
                               : "SELECT deadline_key, event, date FROM phase_events WHERE "
                                 "deadline_key != '' ORDER BY date, entry_index");
    if (one)
        done.bind(1, assetId);
    while (done.next())
        settled.insert(done.text(0), {done.text(1), QDate::fromString(done.text(2), Qt::ISODate)});
    QHash<QString, QList<DeadlineAsset>> history;
    if (withRevisions) {
        auto h = db.prepare(one ? "SELECT asset_id, body FROM asset_history WHERE asset_id=?1 "
                                  "ORDER BY entry_index"
                                : "SELECT asset_id, body FROM asset_history ORDER BY entry_index");
        if (one)
            h.bind(1, assetId);
        while (h.next())
            if (auto a = Asset::fromJson(QJsonDocument::fromJson(h.text(1).toUtf8()).object()))
                history[h.text(0)].append(Portfolio::deadlineAsset(a.value()));
    }
    QList<PortfolioDeadline> out;
    // Columns, not the JSON body: this runs over the whole portfolio on every refresh.
    auto st = db.prepare(one ? "SELECT id, reference, title, type, jurisdictions, status, "
                               "filing_date, priority_date, grant_date, registration_date, "
                               "expiry_date FROM assets WHERE id=?1"
                             : "SELECT id, reference, title, type, jurisdictions, status, "
                               "filing_date, priority_date, grant_date, registration_date, "
                               "expiry_date FROM assets");
    if (one)
        st.bind(1, assetId);
    while (st.next()) {
        DeadlineAsset a;
        a.id = st.text(0);
        a.reference = st.text(1);
        a.title = st.text(2);
        a.type = st.text(3);
        a.jurisdictions = st.text(4).split(u';', Qt::SkipEmptyParts);
        a.status = st.text(5);
        a.filing = QDate::fromString(st.text(6), Qt::ISODate);
        a.priority = QDate::fromString(st.text(7), Qt::ISODate);
        a.grant = QDate::fromString(st.text(8), Qt::ISODate);
        a.registration = QDate::fromString(st.text(9), Qt::ISODate);
        a.expiry = QDate::fromString(st.text(10), Qt::ISODate);
        // From the first deadline on: whether a right was lost depends on every earlier one.
        const QList<Deadline> all = rules.compute(a, QDate(), to);
        QHash<QString, std::pair<int, int>> changed;
        if (auto h = history.constFind(a.id); h != history.constEnd())
            changed = revisions(*h + QList<DeadlineAsset>{a}, rules, to);
        for (PortfolioDeadline &p : withStates(all, settled, rules, today)) {
            // Settled and past: only within the window. Unsettled: always, until recorded.
            if (p.done && from.isValid() && p.deadline.graceEnd < from)
                continue;
            if (auto c = changed.constFind(p.deadline.key); c != changed.constEnd()) {
                p.deadline.revision = c->first;
                p.deadline.graceRevision = c->second;
            }
            out.append(std::move(p));
        }
    }
    std::sort(out.begin(), out.end(), [](const PortfolioDeadline &x, const PortfolioDeadline &y) {
        return std::tie(x.deadline.due, x.deadline.reference, x.deadline.key) <
               std::tie(y.deadline.due, y.deadline.reference, y.deadline.key);
    });
    return out;
}

} // namespace

QList<PortfolioDeadline> Portfolio::deadlines(sql::Database &db, const QDate &from, const QDate &to,
                                              const QDate &today)
{
    return collect(db, {}, from, to, today, true);
}

DeadlineOverview Portfolio::deadlineOverview(sql::Database &db, const DeadlineQuery &q)
{
    DeadlineOverview o;
    const QDate from = q.settledDaysBack >= 0 ? q.today.addDays(-q.settledDaysBack) : q.today;
    const QDate to = q.today.addDays(q.daysAhead);
    QMap<QString, DeadlineMonth> months;
    for (PortfolioDeadline &p : collect(db, q.assetId, from, to, q.today, false)) {
        if (p.done && q.settledDaysBack < 0)
            continue;
        if (!p.done) {
            DeadlineMonth &m = months[p.deadline.due.toString(QStringLiteral("yyyy-MM"))];
            ++m.count;
            m.overdue += isOverdue(p.state);
        }
        o.overdue += isOverdue(p.state);
        o.lost += p.state == DeadlineState::Lost;
        o.upcoming += p.state == DeadlineState::Due || p.state == DeadlineState::Upcoming;
        o.blocked += p.state == DeadlineState::Blocked;
        o.items.append(std::move(p));
    }
    for (auto it = months.begin(); it != months.end(); ++it) {
        it->month = it.key();
        o.months.append(*it);
    }
    return o;
}

QByteArray Portfolio::body(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

qint64 Portfolio::assetCount(sql::Database &db)
{
    auto st = db.prepare("SELECT COUNT(*) FROM assets");
    return st.next() ? st.int64(0) : 0;
}

} // namespace cartulary::model
