// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage rules and projection. Every rule is checked when an entry is applied, which is the same
// path for local commands, peers' entries and rebuilds: a refused entry never touches a table.
#include "model/lineage/lineage.h"

#include "model/core/jsonfields.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/portfolio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace cartulary::model {

namespace {

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS licences(
    id              TEXT PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    licensor        TEXT NOT NULL,
    licensee        TEXT NOT NULL,
    granted         TEXT NOT NULL,
    expires         TEXT NOT NULL,        -- '' : no end
    body            TEXT NOT NULL,        -- canonical JSON of the terms, as signed
    granter         BLOB NOT NULL,        -- the licensor's key
    entry_index     INTEGER NOT NULL,
    revoked         TEXT NOT NULL DEFAULT '',
    revoked_reason  TEXT NOT NULL DEFAULT '',
    revoked_index   INTEGER,
    royalty_ppm     INTEGER NOT NULL,     -- copies of the terms the graph queries sum over
    policy          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS licence_assets(
    licence_id  TEXT NOT NULL,
    asset_id    TEXT NOT NULL,
    PRIMARY KEY(licence_id, asset_id)
);
CREATE INDEX IF NOT EXISTS licence_assets_asset ON licence_assets(asset_id);
CREATE TABLE IF NOT EXISTS derivations(
    child        TEXT NOT NULL,
    parent       TEXT NOT NULL,
    licence_id   TEXT NOT NULL,           -- '' : same owners, no licence needed
    kind         TEXT NOT NULL,
    date         TEXT NOT NULL,
    note         TEXT NOT NULL,
    entry_index  INTEGER NOT NULL,
    PRIMARY KEY(child, parent)
);
CREATE INDEX IF NOT EXISTS derivations_parent ON derivations(parent);
CREATE INDEX IF NOT EXISTS derivations_licence ON derivations(licence_id);
CREATE TABLE IF NOT EXISTS derivation_approvals(
    licence_id   TEXT NOT NULL,
    child        TEXT NOT NULL,
    date         TEXT NOT NULL,
    note         TEXT NOT NULL,
    entry_index  INTEGER NOT NULL,
    PRIMARY KEY(licence_id, child)
);
)sql";

QDate dateFrom(const QString &text)
{
    return QDate::fromString(text, Qt::ISODate);
}

Status refuse(const char *code, const QString &why)
{
    return Status::failure(QLatin1String(code), why);
}

/** "MBG-DS001 (Pan-European genomic reference panel)" */
QString named(const Asset &a)
{
    return QStringLiteral("%1 (%2)").arg(a.reference, a.title);
}

QString namedId(sql::Database &db, const QString &id)
{
    const auto a = Portfolio::asset(db, id);
    return a ? named(*a) : id;
}

QSet<QString> ownerNames(const Asset &a)
{
    QSet<QString> names;
    for (const Owner &o : a.owners)
        names.insert(o.name);
    return names;
}

QString ownerList(const Asset &a)
{
    QStringList names;
    for (const Owner &o : a.owners)
        names.append(o.name);
    return names.join(QStringLiteral(", "));
}

Result<Asset> existingAsset(sql::Database &db, const QString &id, const char *field)
{
    auto a = Portfolio::asset(db, id);
    if (!a)
        return Result<Asset>::failure(
            "unknown-asset",
            QStringLiteral("%1: asset %2 does not exist").arg(QLatin1String(field), id));
    return *a;
}

LicenceRecord recordFromRow(sql::Statement &st)
{
    // Columns: body, granter, entry_index, revoked, revoked_reason
    LicenceRecord r;
    if (auto l = Licence::fromJson(QJsonDocument::fromJson(st.text(0).toUtf8()).object()))
        r.licence = l.value();
    (void)ledger::fromBytes(st.blob(1), r.granter);
    r.entryIndex = quint64(st.int64(2));
    r.revoked = dateFrom(st.text(3));
    r.revokedReason = st.text(4);
    return r;
}

DerivationLink linkFromRow(sql::Statement &st)
{
    // Columns: parent, child, licence_id, kind, date, note, entry_index
    return DerivationLink{st.text(0),           st.text(1), st.text(2),          st.text(3),
                          dateFrom(st.text(4)), st.text(5), quint64(st.int64(6))};
}

/** Terms the licensed asset inherits from the licences above it: share-alike, non-commercial. */
struct Obligations
{
    QList<LicenceRecord> shareAlike;
    QList<LicenceRecord> nonCommercial;
};

Obligations inherited(sql::Database &db, const QString &assetId)
{
    Obligations o;
    QSet<QString> seen;
    LineageMemo memo(db, QDate::currentDate());
    for (const DerivationLink &link : memo.linksAbove(assetId)) {
        if (link.licenceId.isEmpty() || seen.contains(link.licenceId))
            continue;
        seen.insert(link.licenceId);
        const auto &rec = memo.licence(link.licenceId);
        if (!rec || rec->revoked.isValid())
            continue;
        if (rec->licence.shareAlike)
            o.shareAlike.append(*rec);
        if (!rec->licence.commercial)
            o.nonCommercial.append(*rec);
    }
    return o;
}

/** The family a reciprocal licence demands its derivatives be licensed under. */
QString reciprocalFamily(const Licence &l)
{
    return l.spdx.isEmpty() ? QStringLiteral("the terms of %1").arg(l.reference) : l.spdx;
}

/** A new or existing outbound licence of assetId must honour the obligations inherited from
 * above.
 */
Status honoursObligations(sql::Database &db, const Licence &l, const QString &assetId)
{
    const Obligations o = inherited(db, assetId);
    for (const LicenceRecord &up : o.shareAlike) {
        if (!l.shareAlike || reciprocalFamily(l) != reciprocalFamily(up.licence))
            return refuse("reciprocal-terms",
                          QStringLiteral("%1 is derived under the reciprocal licence %2, so every "
                                         "licence on it must be share-alike under %3; %4 is not")
                              .arg(namedId(db, assetId), up.licence.reference,
                                   reciprocalFamily(up.licence), l.reference));
    }
    for (const LicenceRecord &up : o.nonCommercial)
        if (l.commercial)
            return refuse("non-commercial-terms",
                          QStringLiteral("%1 is derived under the non-commercial licence %2, so it "
                                         "cannot be licensed for commercial use (%3)")
                              .arg(namedId(db, assetId), up.licence.reference, l.reference));
    return {};
}

/**
 * The countries a territory code stands for: a regional right covers its member states, so an
 * exclusive licence for EP overlaps one for DE. WO (a PCT filing) is treated as worldwide.
 */
QSet<QString> countries(const QStringList &territory, bool &worldwide)
{
    static const QHash<QString, QStringList> regions{
        // European Patent Convention contracting states (2024).
        {"EP", {"AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
                "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "ME",
                "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "TR"}},
        // European Union (EU trade marks and designs).
        {"EM", {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}},
        // Benelux Office for IP.
        {"BX", {"BE", "NL", "LU"}},
    };
    QSet<QString> out;
    worldwide = territory.isEmpty();
    for (const QString &code : territory) {
        if (code == u"WO")
            worldwide = true;
        out.insert(code);
        for (const QString &member : regions.value(code))
            out.insert(member);
    }
    return out;
}

bool termsOverlap(const Licence &a, const Licence &b)
{
    const QDate aEnd = a.expires.isValid() ? a.expires : QDate(9999, 12, 31);
    const QDate bEnd = b.expires.isValid() ? b.expires : QDate(9999, 12, 31);
    if (a.granted > bEnd || b.granted > aEnd)
        return false;
    bool aWorldwide = false, bWorldwide = false;
    const QSet<QString> aCountries = countries(a.territory, aWorldwide);
    const QSet<QString> bCountries = countries(b.territory, bWorldwide);
    const bool territory = aWorldwide || bWorldwide || aCountries.intersects(bCountries);
    const bool field = a.field.isEmpty() || b.field.isEmpty() ||
                       a.field.compare(b.field, Qt::CaseInsensitive) == 0;
    return territory && field;
}

Status applyLicenceGranted(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto parsed = Licence::fromJson(body);
    if (!parsed)
        return parsed.error();
    const Licence &l = parsed.value();
    auto clash = db.prepare("SELECT id, reference FROM licences WHERE id=?1 OR reference=?2");
    clash.bind(1, l.id).bind(2, l.reference);
    if (clash.next())
        return clash.text(0) == l.id
                   ? refuse("duplicate-id",
                            QStringLiteral("id: licence %1 is already granted").arg(l.id))
                   : refuse(
                         "duplicate-reference",
                         QStringLiteral("reference: a licence %1 already exists").arg(l.reference));
    for (const QString &assetId : l.assets) {
        auto asset = existingAsset(db, assetId, "assets");
        if (!asset)
            return asset.error();
        const auto controller = Portfolio::controller(db, assetId);
        if (!controller || *controller != e.author)
            return refuse(
                "not-authorised",
                QStringLiteral("%1 may only be licensed by its owner's key %2, not by %3")
                    .arg(named(asset.value()),
                         controller ? ledger::fingerprint(*controller) : QStringLiteral("?"),
                         ledger::fingerprint(e.author)));
        if (!ownerNames(asset.value()).contains(l.licensor))
            return refuse("not-licensor",
                          QStringLiteral("licensor: %1 does not own %2 (owners: %3)")
                              .arg(l.licensor, named(asset.value()), ownerList(asset.value())));
        if (Status s = honoursObligations(db, l, assetId); !s)
            return s;
        for (const LicenceRecord &other : Lineage::licencesOn(db, assetId)) {
            if (other.revoked.isValid() || !(l.exclusive || other.licence.exclusive) ||
                !termsOverlap(l, other.licence))
                continue;
            return refuse("exclusive-conflict",
                          QStringLiteral("%1 is already licensed under %2 (%3 → %4, %5) for an "
                                         "overlapping term, territory and field; %6 cannot be "
                                         "granted while %7 is in force")
                              .arg(named(asset.value()), other.licence.reference,
                                   other.licence.licensor, other.licence.licensee,
                                   other.licence.exclusive ? QStringLiteral("exclusive")
                                                           : QStringLiteral("non-exclusive"),
                                   l.exclusive ? QStringLiteral("an exclusive licence")
                                               : QStringLiteral("another licence"),
                                   other.licence.reference));
        }
    }
    auto st = db.prepare("INSERT INTO licences(id, reference, title, licensor, licensee, granted, "
                         "expires, body, granter, entry_index, royalty_ppm, policy) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, l.id)
        .bind(2, l.reference)
        .bind(3, l.title)
        .bind(4, l.licensor)
        .bind(5, l.licensee)
        .bind(6, isoDate(l.granted))
        .bind(7, isoDate(l.expires))
        .bind(8, QString::fromUtf8(Portfolio::body(l.toJson())))
        .bind(9, ledger::toView(e.author))
        .bind(10, qint64(e.index))
        .bind(11, l.payment.royaltyPpm)
        .bind(12, policyId(l.payment.policy));
    if (Status s = st.exec(); !s)
        return s;
    auto link = db.prepare("INSERT INTO licence_assets(licence_id, asset_id) VALUES(?,?)");
    for (const QString &assetId : l.assets) {
        link.bind(1, l.id).bind(2, assetId);
        if (Status s = link.exec(); !s)
            return s;
    }
    return {};
}

Result<LicenceRecord> grantedBy(sql::Database &db, const ledger::StoredEntry &e, const QString &id)
{
    const auto rec = Lineage::licence(db, id);
    if (!rec)
        return Result<LicenceRecord>::failure("unknown-licence",
                                              QStringLiteral("licence: %1 does not exist").arg(id));
    if (rec->granter != e.author)
        return Result<LicenceRecord>::failure(
            "not-authorised",
            QStringLiteral("licence %1 can only be acted on by its licensor's key "
                           "%2, not by %3")
                .arg(rec->licence.reference, ledger::fingerprint(rec->granter),
                     ledger::fingerprint(e.author)));
    return *rec;
}

Status applyLicenceRevoked(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto r = Revocation::fromJson(body);
    if (!r)
        return r.error();
    auto rec = grantedBy(db, e, r->licence);
    if (!rec)
        return rec.error();
    const Licence &l = rec->licence;
    if (rec->revoked.isValid())
        return refuse("already-revoked", QStringLiteral("licence %1 was already revoked on %2")
                                             .arg(l.reference, isoDate(rec->revoked)));
    if (r->date < l.granted)
        return refuse("invalid-field",
                      QStringLiteral("date: %1 is before licence %2 was granted (%3)")
                          .arg(isoDate(r->date), l.reference, isoDate(l.granted)));
    if (!l.revocableOn.contains(r->reason))
        return refuse("not-revocable",
                      QStringLiteral("licence %1 cannot be revoked for %2: its terms allow "
                                     "revocation only on %3")
                          .arg(l.reference, r->reason,
                               l.revocableOn.isEmpty()
                                   ? QStringLiteral("nothing (it ends at its term)")
                                   : l.revocableOn.join(QStringLiteral(", "))));
    if (r->reason == QLatin1String(revocation::ChangeOfControl) &&
        !Lineage::controlChanged(db, rec.value(), r->date))
        return refuse("no-change-of-control",
                      QStringLiteral("licence %1 cannot be revoked for change of control: no asset "
                                     "derived under it has been assigned since %2")
                          .arg(l.reference, isoDate(l.granted)));
    auto st =
        db.prepare("UPDATE licences SET revoked=?, revoked_reason=?, revoked_index=? WHERE id=?");
    st.bind(1, isoDate(r->date)).bind(2, r->reason).bind(3, qint64(e.index)).bind(4, l.id);
    return st.exec();
}

Status applyApproval(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto a = Approval::fromJson(body);
    if (!a)
        return a.error();
    auto rec = grantedBy(db, e, a->licence);
    if (!rec)
        return rec.error();
    if (rec->licence.derivatives != Derivatives::WithApproval)
        return refuse("approval-not-needed",
                      QStringLiteral("licence %1 allows derivatives %2; approvals are only for "
                                     "licences whose derivatives need approval")
                          .arg(rec->licence.reference, derivativesId(rec->licence.derivatives)));
    auto child = existingAsset(db, a->child, "child");
    if (!child)
        return child.error();
    auto st =
        db.prepare("INSERT OR IGNORE INTO derivation_approvals(licence_id, child, date, note, "
                   "entry_index) VALUES(?,?,?,?,?)");
    st.bind(1, rec->licence.id)
        .bind(2, a->child)
        .bind(3, isoDate(a->date))
        .bind(4, a->note)
        .bind(5, qint64(e.index));
    return st.exec();
}

/** The rules one parent link must pass before it is written. */
Status checkParentLink(sql::Database &db, const Derivation &d, const Asset &child,
                       const ParentLink &p)
{
    auto parent = existingAsset(db, p.asset, "parents");
    if (!parent)
        return parent.error();
    if (p.asset == d.child)
        return refuse(
            "cycle", QStringLiteral("parents: %1 cannot be derived from itself").arg(named(child)));
    auto dup = db.prepare("SELECT 1 FROM derivations WHERE child=? AND parent=?");
    dup.bind(1, d.child).bind(2, p.asset);
    if (dup.next())
        return refuse("duplicate-derivation", QStringLiteral("parents: %1 is already recorded as "
                                                             "derived from %2")
                                                  .arg(named(child), named(parent.value())));
    // One query inside SQLite answers whether the child is above the parent; the generations
    // are counted only for the message.
    // A child nothing derives from yet (the usual case) cannot close a cycle.
    auto hasChildren = db.prepare("SELECT 1 FROM derivations WHERE parent=? LIMIT 1");
    hasChildren.bind(1, d.child);
    bool cycle = false;
    if (hasChildren.next()) {
        auto above = db.prepare("WITH RECURSIVE anc(id) AS (SELECT ?1 UNION SELECT d.parent FROM "
                                "derivations d JOIN anc ON d.child = anc.id) SELECT 1 FROM anc "
                                "WHERE id = ?2 LIMIT 1");
        above.bind(1, p.asset).bind(2, d.child);
        cycle = above.next();
    }
    hasChildren.reset();
    for (const Reached &up : cycle ? Lineage::ancestors(db, p.asset) : QList<Reached>{})
        if (up.id == d.child)
            return refuse("cycle",
                          QStringLiteral("parents: %1 is itself derived from %2 (%3 generation(s) "
                                         "up); deriving %2 from it would make a cycle")
                              .arg(named(parent.value()), named(child))
                              .arg(up.depth));
    const bool sameHolders = ownerNames(parent.value()) == ownerNames(child);
    if (p.licence.isEmpty()) {
        if (sameHolders)
            return {};
        return refuse("licence-required",
                      QStringLiteral("parents: %1 is owned by %2; deriving %3 from it needs a "
                                     "licence from them that allows derivatives")
                          .arg(named(parent.value()), ownerList(parent.value()), named(child)));
    }
    const auto rec = Lineage::licence(db, p.licence);
    if (!rec)
        return refuse("unknown-licence",
                      QStringLiteral("parents: licence %1 does not exist").arg(p.licence));
    const Licence &l = rec->licence;
    if (!l.assets.contains(p.asset))
        return refuse("licence-does-not-cover",
                      QStringLiteral("parents: licence %1 does not cover %2 (it covers %3)")
                          .arg(l.reference, named(parent.value()), [&] {
                              QStringList refs;
                              for (const QString &id : l.assets)
                                  refs.append(namedId(db, id));
                              return refs.join(QStringLiteral(", "));
                          }()));
    if (!ownerNames(parent.value()).contains(l.licensor))
        return refuse(
            "not-licensor",
            QStringLiteral("parents: licence %1 is granted by %2, who does not own %3 "
                           "(owners: %4)")
                .arg(l.reference, l.licensor, named(parent.value()), ownerList(parent.value())));
    const auto childController = Portfolio::controller(db, child.id);
    const bool licenseeHolds =
        l.licenseeKey.isEmpty()
            ? ownerNames(child).contains(l.licensee)
            : (childController && ledger::toHex(*childController) == l.licenseeKey);
    if (!licenseeHolds)
        return refuse("not-licensee",
                      QStringLiteral("parents: licence %1 is granted to %2, who does not hold %3 "
                                     "(owners: %4)")
                          .arg(l.reference, l.licensee, named(child), ownerList(child)));
    if (!rec->validOn(d.date))
        return refuse(
            "licence-not-valid",
            rec->revoked.isValid() && rec->revoked <= d.date
                ? QStringLiteral("parents: licence %1 was revoked on %2, before the derivation of "
                                 "%3 on %4")
                      .arg(l.reference, isoDate(rec->revoked), named(child), isoDate(d.date))
                : QStringLiteral("parents: licence %1 runs from %2 to %3; it is not valid on %4, "
                                 "the date %5 was derived")
                      .arg(l.reference, isoDate(l.granted),
                           l.expires.isValid() ? isoDate(l.expires) : QStringLiteral("no end"),
                           isoDate(d.date), named(child)));
    if (!l.allowsDerivatives())
        return refuse("derivatives-prohibited",
                      QStringLiteral("parents: licence %1 for %2 does not allow derivatives")
                          .arg(l.reference, named(parent.value())));
    if (l.derivatives == Derivatives::WithApproval) {
        auto ok = db.prepare("SELECT 1 FROM derivation_approvals WHERE licence_id=? AND child=?");
        ok.bind(1, l.id).bind(2, d.child);
        if (!ok.next())
            return refuse("approval-required",
                          QStringLiteral("parents: licence %1 requires %2's approval for each "
                                         "derivative; %3 has not been approved")
                              .arg(l.reference, l.licensor, named(child)));
    }
    return {};
}

/**
 * Several parents' licences must be able to hold together: no mix of commercial and
 * non-commercial terms, and at most one reciprocal family, which the child's own licences must
 * follow.
 */
Status checkCompatibility(sql::Database &db, const Asset &child)
{
    QList<LicenceRecord> incoming;
    for (const DerivationLink &link : Lineage::parents(db, child.id))
        if (!link.licenceId.isEmpty())
            if (auto rec = Lineage::licence(db, link.licenceId))
                incoming.append(*rec);
    const LicenceRecord *commercial = nullptr;
    const LicenceRecord *nonCommercial = nullptr;
    const LicenceRecord *reciprocal = nullptr;
    for (const LicenceRecord &rec : incoming) {
        (rec.licence.commercial ? commercial : nonCommercial) = &rec;
        if (rec.licence.shareAlike) {
            if (reciprocal &&
                reciprocalFamily(reciprocal->licence) != reciprocalFamily(rec.licence))
                return refuse("incompatible-licences",
                              QStringLiteral("%1 would combine %2 and %3: both are reciprocal, and "
                                             "each demands that derivatives be licensed under its "
                                             "own terms (%4 vs %5)")
                                  .arg(named(child), reciprocal->licence.reference,
                                       rec.licence.reference, reciprocalFamily(reciprocal->licence),
                                       reciprocalFamily(rec.licence)));
            reciprocal = &rec;
        }
    }
    if (commercial && nonCommercial)
        return refuse("incompatible-licences",
                      QStringLiteral("%1 would combine %2 (commercial) and %3 (non-commercial "
                                     "only): a derivative of both could not be used commercially, "
                                     "yet %2 expects commercial use")
                          .arg(named(child), commercial->licence.reference,
                               nonCommercial->licence.reference));
    // The child's own licences, granted before this derivation, must follow what it now
    // inherits.
    for (const LicenceRecord &out : Lineage::licencesOn(db, child.id))
        if (!out.revoked.isValid())
            if (Status s = honoursObligations(db, out.licence, child.id); !s)
                return s;
    return {};
}

Status applyDerivation(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    auto d = Derivation::fromJson(body);
    if (!d)
        return d.error();
    auto child = existingAsset(db, d->child, "child");
    if (!child)
        return child.error();
    const auto controller = Portfolio::controller(db, d->child);
    if (!controller || *controller != e.author)
        return refuse("not-authorised",
                      QStringLiteral("derivations of %1 may only be recorded by its owner's key "
                                     "%2, not by %3")
                          .arg(named(child.value()),
                               controller ? ledger::fingerprint(*controller) : QStringLiteral("?"),
                               ledger::fingerprint(e.author)));
    for (const ParentLink &p : d->parents)
        if (Status s = checkParentLink(db, d.value(), child.value(), p); !s)
            return s;
    auto insert = db.prepare("INSERT INTO derivations(child, parent, licence_id, kind, date, note, "
                             "entry_index) VALUES(?,?,?,?,?,?,?)");
    for (const ParentLink &p : d->parents) {
        insert.bind(1, d->child)
            .bind(2, p.asset)
            .bind(3, p.licence.isEmpty() ? QString() : Lineage::licence(db, p.licence)->licence.id)
            .bind(4, d->kind)
            .bind(5, isoDate(d->date))
            .bind(6, d->note)
            .bind(7, qint64(e.index));
        if (Status s = insert.exec(); !s)
            return s;
    }
    // The rules over the whole graph run on the links as written; a refusal rolls them back.
    if (Status s = checkCompatibility(db, child.value()); !s)
        return s;
    QList<Reached> affected{{d->child, 0}};
    affected += Lineage::descendants(db, d->child);
    LineageMemo memo(db, d->date);
    for (const Reached &r : affected) {
        // The sum runs inside SQLite; the breakdown is read only to explain a refusal.
        auto sum = db.prepare(
            "WITH RECURSIVE anc(id) AS (SELECT ?1 UNION SELECT d.parent FROM derivations d JOIN "
            "anc ON d.child = anc.id) SELECT COALESCE(SUM(l.royalty_ppm), 0) FROM anc JOIN "
            "derivations d ON d.child = anc.id JOIN licences l ON l.id = d.licence_id WHERE "
            "l.revoked = '' AND l.royalty_ppm > 0 AND (l.policy = 'absolute' OR d.child = ?1)");
        sum.bind(1, r.id);
        if (!sum.next() || sum.int64(0) <= 1000000)
            continue;
        sum.reset();
        const RoyaltyStack stack = Lineage::royaltyStack(memo, r.id);
        QStringList parts;
        for (const StackShare &s : stack.shares)
            parts.append(QStringLiteral("%1 %2 to %3")
                             .arg(s.licenceReference, formatPpm(s.ppm), memo.name(s.link.parent)));
        return refuse("royalty-stack",
                      QStringLiteral("the royalty stack of %1 would be %2, more than 100 %: %3")
                          .arg(namedId(db, r.id), formatPpm(stack.totalPpm),
                               parts.join(QStringLiteral("; "))));
    }
    return {};
}

} // namespace

const QStringList &derivationKinds()
{
    static const QStringList kinds{"remix",     "training",    "subset",
                                   "cleaning",  "translation", "improvement",
                                   "composite", "adaptation",  "recording"};
    return kinds;
}

QJsonObject Derivation::toJson() const
{
    QJsonArray list;
    for (const ParentLink &p : parents) {
        QJsonObject o{{"asset", p.asset}};
        if (!p.licence.isEmpty())
            o.insert("licence", p.licence);
        list.append(o);
    }
    QJsonObject o{{"child", child}, {"parents", list}, {"kind", kind}, {"date", isoDate(date)}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Derivation> Derivation::fromJson(const QJsonObject &o)
{
    using R = Result<Derivation>;
    if (Status s = checkKeys(o, {"child", "parents", "kind", "date", "note"}); !s)
        return s.error();
    Derivation d;
    auto child = requiredText(o, "child", true);
    if (!child)
        return child.error();
    d.child = child.value();
    auto kind = requiredText(o, "kind", true);
    if (!kind)
        return kind.error();
    d.kind = kind.value();
    if (!derivationKinds().contains(d.kind))
        return R::failure("invalid-field",
                          QStringLiteral("kind: '%1' is not one of %2")
                              .arg(d.kind, derivationKinds().join(QStringLiteral(", "))));
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    d.date = date.value();
    const QJsonValue parents = o.value("parents");
    if (!parents.isArray() || parents.toArray().isEmpty())
        return R::failure("invalid-field", "parents: name at least one parent");
    QSet<QString> seen;
    for (const QJsonValue &v : parents.toArray()) {
        const QJsonObject p = v.toObject();
        if (Status s = checkKeys(p, {"asset", "licence"}); !s)
            return R::failure("invalid-field", QStringLiteral("parents: %1").arg(s.errorString()));
        ParentLink link{p.value("asset").toString().trimmed(),
                        p.value("licence").toString().trimmed()};
        if (link.asset.isEmpty())
            return R::failure("invalid-field", "parents: each parent needs an asset");
        if (seen.contains(link.asset))
            return R::failure("invalid-field",
                              QStringLiteral("parents: %1 is named twice").arg(link.asset));
        seen.insert(link.asset);
        d.parents.append(link);
    }
    d.note = o.value("note").toString();
    return d;
}

QJsonObject Revocation::toJson() const
{
    QJsonObject o{{"licence", licence}, {"date", isoDate(date)}, {"reason", reason}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Revocation> Revocation::fromJson(const QJsonObject &o)
{
    using R = Result<Revocation>;
    if (Status s = checkKeys(o, {"licence", "date", "reason", "note"}); !s)
        return s.error();
    Revocation r;
    auto licence = requiredText(o, "licence", true);
    if (!licence)
        return licence.error();
    r.licence = licence.value();
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    r.date = date.value();
    auto reason = requiredText(o, "reason", true);
    if (!reason)
        return reason.error();
    r.reason = reason.value();
    if (r.reason != QLatin1String(revocation::Breach) &&
        r.reason != QLatin1String(revocation::ChangeOfControl))
        return R::failure(
            "invalid-field",
            QStringLiteral("reason: '%1' is not breach or change-of-control").arg(r.reason));
    r.note = o.value("note").toString();
    return r;
}

QJsonObject Approval::toJson() const
{
    QJsonObject o{{"licence", licence}, {"child", child}, {"date", isoDate(date)}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Approval> Approval::fromJson(const QJsonObject &o)
{
    if (Status s = checkKeys(o, {"licence", "child", "date", "note"}); !s)
        return s.error();
    Approval a;
    auto licence = requiredText(o, "licence", true);
    if (!licence)
        return licence.error();
    auto child = requiredText(o, "child", true);
    if (!child)
        return child.error();
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    a.licence = licence.value();
    a.child = child.value();
    a.date = date.value();
    a.note = o.value("note").toString();
    return a;
}

bool LicenceRecord::validOn(const QDate &date) const
{
    return licence.inTerm(date) && (!revoked.isValid() || date < revoked);
}

Status Lineage::createTables(sql::Database &db)
{
    return db.exec(Tables);
}

Status Lineage::dropTables(sql::Database &db)
{
    return db.exec("DROP TABLE IF EXISTS licences; DROP TABLE IF EXISTS licence_assets; "
                   "DROP TABLE IF EXISTS derivations; DROP TABLE IF EXISTS derivation_approvals;");
}

bool Lineage::handles(const QByteArray &kind)
{
    return kind == kinds::LicenceGranted || kind == kinds::LicenceRevoked ||
           kind == kinds::DerivationRecorded || kind == kinds::DerivationApproved;
}

Status Lineage::apply(sql::Database &db, const ledger::StoredEntry &e, const QJsonObject &body)
{
    if (e.kind == kinds::LicenceGranted)
        return applyLicenceGranted(db, e, body);
    if (e.kind == kinds::LicenceRevoked)
        return applyLicenceRevoked(db, e, body);
    if (e.kind == kinds::DerivationRecorded)
        return applyDerivation(db, e, body);
    if (e.kind == kinds::DerivationApproved)
        return applyApproval(db, e, body);
    return {};
}

std::optional<LicenceRecord> Lineage::licence(sql::Database &db, const QString &idOrReference)
{
    auto st = db.prepare("SELECT body, granter, entry_index, revoked, revoked_reason FROM licences "
                         "WHERE id=?1 OR reference=?1");
    st.bind(1, idOrReference);
    if (!st.next())
        return std::nullopt;
    return recordFromRow(st);
}

QList<LicenceRecord> Lineage::licencesOn(sql::Database &db, const QString &assetId)
{
    auto st = db.prepare("SELECT l.body, l.granter, l.entry_index, l.revoked, l.revoked_reason "
                         "FROM licence_assets a JOIN licences l ON l.id = a.licence_id "
                         "WHERE a.asset_id=? ORDER BY l.entry_index");
    st.bind(1, assetId);
    QList<LicenceRecord> out;
    while (st.next())
        out.append(recordFromRow(st));
    return out;
}

QList<DerivationLink> Lineage::parents(sql::Database &db, const QString &child)
{
    auto st = db.prepare("SELECT parent, child, licence_id, kind, date, note, entry_index FROM "
                         "derivations WHERE child=? ORDER BY entry_index, parent");
    st.bind(1, child);
    QList<DerivationLink> out;
    while (st.next())
        out.append(linkFromRow(st));
    return out;
}

QList<DerivationLink> Lineage::children(sql::Database &db, const QString &parent)
{
    auto st = db.prepare("SELECT parent, child, licence_id, kind, date, note, entry_index FROM "
                         "derivations WHERE parent=? ORDER BY entry_index, child");
    st.bind(1, parent);
    QList<DerivationLink> out;
    while (st.next())
        out.append(linkFromRow(st));
    return out;
}

namespace {

QList<Reached> walk(sql::Database &db, const QString &id, int maxDepth, bool up)
{
    // Breadth first: each asset once, at its nearest distance.
    QList<Reached> out;
    QSet<QString> seen{id};
    QList<QString> frontier{id};
    auto st = db.prepare(up ? "SELECT parent FROM derivations WHERE child=? ORDER BY parent"
                            : "SELECT child FROM derivations WHERE parent=? ORDER BY child");
    for (int depth = 1; !frontier.isEmpty() && (maxDepth < 0 || depth <= maxDepth); ++depth) {
        QList<QString> next;
        for (const QString &node : frontier) {
            st.bind(1, node);
            while (st.next()) {
                const QString other = st.text(0);
                if (seen.contains(other))
                    continue;
                seen.insert(other);
                out.append({other, depth});
                next.append(other);
            }
            st.reset();
        }
        frontier = std::move(next);
    }
    return out;
}

} // namespace

QList<Reached> Lineage::ancestors(sql::Database &db, const QString &id, int maxDepth)
{
    return walk(db, id, maxDepth, true);
}

QList<Reached> Lineage::descendants(sql::Database &db, const QString &id, int maxDepth)
{
    return walk(db, id, maxDepth, false);
}

std::optional<QDate> Lineage::lapsedOn(sql::Database &db, const QString &assetId,
                                       const QDate &today)
{
    auto row = db.prepare("SELECT status, expiry_date FROM assets WHERE id=?");
    row.bind(1, assetId);
    if (!row.next())
        return std::nullopt;
    const QString status = row.text(0);
    const QDate expiry = dateFrom(row.text(1));
    row.reset();
    static const QSet<QString> ended{"lapsed", "expired", "revoked", "abandoned", "withdrawn"};
    const bool expiredByDate = expiry.isValid() && expiry < today;
    if (!ended.contains(status) && !expiredByDate)
        return std::nullopt;
    auto ev = db.prepare("SELECT MAX(date) FROM phase_events WHERE asset_id=? AND event='lapsed'");
    ev.bind(1, assetId);
    if (ev.next() && !ev.isNull(0))
        return dateFrom(ev.text(0));
    if (expiry.isValid() && expiry <= today)
        return expiry;
    return QDate(); // ended, on a date nobody recorded
}

bool Lineage::controlChanged(sql::Database &db, const LicenceRecord &rec, const QDate &until)
{
    auto st = db.prepare("SELECT 1 FROM asset_assignments s JOIN derivations d ON d.child = "
                         "s.asset_id WHERE d.licence_id=?1 AND s.date >= ?2 AND s.date <= ?3 "
                         "LIMIT 1");
    st.bind(1, rec.licence.id).bind(2, isoDate(rec.licence.granted)).bind(3, isoDate(until));
    return st.next();
}

LineageMemo::LineageMemo(sql::Database &db, const QDate &today)
    : m_db(db)
    , m_today(today)
{}

const QList<DerivationLink> &LineageMemo::parents(const QString &child)
{
    auto it = m_parents.find(child);
    if (it == m_parents.end())
        it = m_parents.insert(child, Lineage::parents(m_db, child));
    return *it;
}

const std::optional<LicenceRecord> &LineageMemo::licence(const QString &id)
{
    auto it = m_licences.find(id);
    if (it == m_licences.end())
        it = m_licences.insert(id, Lineage::licence(m_db, id));
    return *it;
}

const std::optional<QDate> &LineageMemo::lapsedOn(const QString &assetId)
{
    auto it = m_lapsed.find(assetId);
    if (it == m_lapsed.end())
        it = m_lapsed.insert(assetId, Lineage::lapsedOn(m_db, assetId, m_today));
    return *it;
}

const QList<QString> &LineageMemo::closure(const QString &assetId)
{
    auto it = m_closures.find(assetId);
    if (it != m_closures.end())
        return *it;
    // Breadth first through the memoised parents: the nodes of a neighbourhood share most of
    // their ancestors, so each asset's parents are read once. Each ancestor once, nearest first.
    QList<QString> out{assetId};
    QSet<QString> seen{assetId};
    for (qsizetype i = 0; i < out.size(); ++i)
        for (const DerivationLink &link : parents(out.at(i)))
            if (!seen.contains(link.parent)) {
                seen.insert(link.parent);
                out.append(link.parent);
            }
    return *m_closures.insert(assetId, out);
}

const QList<DerivationLink> &LineageMemo::linksAbove(const QString &assetId)
{
    auto it = m_linksAbove.find(assetId);
    if (it != m_linksAbove.end())
        return *it;
    QList<DerivationLink> out;
    const QList<QString> nodes = closure(assetId);
    for (const QString &node : nodes)
        out += parents(node);
    return *m_linksAbove.insert(assetId, out);
}

const QString &LineageMemo::name(const QString &assetId)
{
    auto it = m_names.find(assetId);
    if (it == m_names.end())
        it = m_names.insert(assetId, namedId(m_db, assetId));
    return *it;
}

RoyaltyStack Lineage::royaltyStack(sql::Database &db, const QString &assetId, const QDate &today)
{
    LineageMemo memo(db, today);
    return royaltyStack(memo, assetId);
}

RoyaltyStack Lineage::royaltyStack(LineageMemo &memo, const QString &assetId)
{
    RoyaltyStack stack;
    const QDate &today = memo.today();
    for (const DerivationLink &link : memo.linksAbove(assetId)) {
        const QString &node = link.child;
        if (link.licenceId.isEmpty())
            continue;
        const auto &rec = memo.licence(link.licenceId);
        if (!rec || rec->revoked.isValid() || rec->licence.payment.royaltyPpm == 0)
            continue;
        // Relative shares are paid by the direct child only; its ancestors pay their own.
        const RoyaltyPolicy policy = rec->licence.payment.policy;
        if (policy == RoyaltyPolicy::Relative && node != assetId)
            continue;
        StackShare share{link,
                         rec->licence.reference,
                         rec->licence.licensor,
                         rec->licence.payment.royaltyPpm,
                         policy,
                         true,
                         {}};
        if (rec->licence.expires.isValid() && rec->licence.expires < today) {
            share.active = false;
            share.inactiveWhy =
                QStringLiteral("licence expired on %1").arg(isoDate(rec->licence.expires));
        } else if (const auto &l = memo.lapsedOn(link.parent)) {
            share.active = false;
            share.inactiveWhy = l->isValid()
                                    ? QStringLiteral("parent lapsed on %1").arg(isoDate(*l))
                                    : QStringLiteral("parent lapsed");
        }
        stack.totalPpm += share.ppm;
        if (share.active)
            stack.activePpm += share.ppm;
        stack.shares.append(share);
    }
    return stack;
}

QList<LineageFlag> Lineage::flags(sql::Database &db, const QString &assetId, const QDate &today)
{
    LineageMemo memo(db, today);
    return flags(memo, assetId);
}

QList<LineageFlag> Lineage::flags(LineageMemo &memo, const QString &assetId)
{
    QList<LineageFlag> out;
    const QDate &today = memo.today();
    static const std::optional<LicenceRecord> none;
    for (const DerivationLink &link : memo.linksAbove(assetId)) {
        const QString &node = link.child;
        const auto &rec = link.licenceId.isEmpty() ? none : memo.licence(link.licenceId);
        const QString &parentName = memo.name(link.parent);
        const QString viaName = node == assetId ? QString() : memo.name(node);
        // Whether this link's royalty comes out of assetId's revenue.
        const bool paysFromHere =
            rec && rec->licence.payment.royaltyPpm > 0 &&
            (rec->licence.payment.policy == RoyaltyPolicy::Absolute || node == assetId);
        auto royaltyEffect = [&](const QDate &since, const QString &cause) {
            if (!rec || rec->licence.payment.royaltyPpm == 0)
                return QStringLiteral("No royalty depends on this link.");
            const QString share = QStringLiteral("%1 to %2 under %3")
                                      .arg(formatPpm(rec->licence.payment.royaltyPpm),
                                           rec->licence.licensor, rec->licence.reference);
            if (paysFromHere)
                return QStringLiteral("The share %1 is not owed on revenue after %2 (%3): the "
                                      "royalty stack in effect leaves it out.")
                    .arg(share, since.isValid() ? isoDate(since) : QStringLiteral("that date"),
                         cause);
            return QStringLiteral("%1 no longer owes %2 on revenue after %3 (%4); what this "
                                  "asset pays up its chain is unchanged.")
                .arg(viaName, share, since.isValid() ? isoDate(since) : QStringLiteral("that date"),
                     cause);
        };
        if (const auto &since = memo.lapsedOn(link.parent)) {
            const auto parent = Portfolio::asset(memo.db(), link.parent);
            LineageFlag f{
                QStringLiteral("lapsed"), link.parent, node, link.licenceId, *since, {}, {}};
            f.message =
                QStringLiteral("%1 is %2%3%4")
                    .arg(parentName, parent ? parent->status : QStringLiteral("lapsed"),
                         since->isValid() ? QStringLiteral(" since %1").arg(isoDate(*since))
                                          : QString(),
                         viaName.isEmpty() ? QString()
                                           : QStringLiteral(" (reached via %1)").arg(viaName));
            f.effect = royaltyEffect(*since, QStringLiteral("its protection ended"));
            out.append(f);
        }
        if (!rec)
            continue;
        const Licence &l = rec->licence;
        if (rec->revoked.isValid() && rec->revoked <= today) {
            LineageFlag f{
                QStringLiteral("licence-revoked"), link.parent, node, l.id, rec->revoked, {}, {}};
            f.message =
                QStringLiteral("Licence %1 (%2 → %3) for %4 was revoked on %5 for %6%7")
                    .arg(l.reference, l.licensor, l.licensee, parentName, isoDate(rec->revoked),
                         rec->revokedReason,
                         viaName.isEmpty() ? QString()
                                           : QStringLiteral(" (reached via %1)").arg(viaName));
            f.effect =
                QStringLiteral("%1 may no longer be exploited under it; continued use of "
                               "%2 needs a new licence. ")
                    .arg(viaName.isEmpty() ? QStringLiteral("This asset") : viaName, parentName) +
                royaltyEffect(rec->revoked, QStringLiteral("the licence was revoked"));
            out.append(f);
        } else if (l.expires.isValid() && l.expires < today) {
            LineageFlag f{
                QStringLiteral("licence-expired"), link.parent, node, l.id, l.expires, {}, {}};
            f.message =
                QStringLiteral("Licence %1 (%2 → %3) for %4 expired on %5%6")
                    .arg(l.reference, l.licensor, l.licensee, parentName, isoDate(l.expires),
                         viaName.isEmpty() ? QString()
                                           : QStringLiteral(" (reached via %1)").arg(viaName));
            f.effect =
                QStringLiteral("Continued use of %1 needs a renewed licence. ").arg(parentName) +
                royaltyEffect(l.expires, QStringLiteral("the licence ended"));
            out.append(f);
        }
    }
    return out;
}

QList<LicenceRecord> Lineage::licences(sql::Database &db)
{
    auto st = db.prepare("SELECT body, granter, entry_index, revoked, revoked_reason FROM licences "
                         "ORDER BY entry_index");
    QList<LicenceRecord> out;
    while (st.next())
        out.append(recordFromRow(st));
    return out;
}

} // namespace cartulary::model
