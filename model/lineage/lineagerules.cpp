// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage rules and projection. Every rule is checked when an entry is applied, which is the same
// path for local commands, peers' entries and rebuilds: a refused entry never touches a table.
#include "model/lineage/lineage.h"

#include "model/core/jsonfields.h"
#include "model/core/money.h"
#include "model/lineage/royaltystack.h"
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
    granter         BLOB NOT NULL,        -- the signer: the licensor's key (a sublicence's: its head licensee's)
    entry_index     INTEGER NOT NULL,
    revoked         TEXT NOT NULL DEFAULT '',
    revoked_reason  TEXT NOT NULL DEFAULT '',
    revoked_index   INTEGER,
    royalty_ppm     INTEGER NOT NULL,     -- copies of the terms the graph queries sum over
    policy          TEXT NOT NULL,
    head            TEXT NOT NULL         -- a sublicence: the licence it is granted under; '' : none
);
CREATE INDEX IF NOT EXISTS licences_head ON licences(head);
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
    territory    TEXT NOT NULL,           -- ';'-joined codes the derivation stated; '' : none
    field        TEXT NOT NULL,           -- the field of use it stated; '' : none
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

Status refuse(const char *code, const QString &why)
{
    return Status::failure(QLatin1String(code), why);
}

/** "MBG-DS001 (Pan-European genomic reference panel)" */
QString named(const Asset &a)
{
    return QStringLiteral("%1 (%2)").arg(a.reference, a.title);
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

/**
 * The family a reciprocal licence demands its derivatives be licensed under: its SPDX expression,
 * else its own terms — a sublicence without one is in its head's family.
 */
QString reciprocalFamily(sql::Database &db, const Licence &l)
{
    if (!l.spdx.isEmpty())
        return l.spdx;
    if (!l.under.isEmpty())
        if (const auto head = Lineage::licence(db, l.under); head && head->licence.id != l.id)
            return reciprocalFamily(db, head->licence);
    return QStringLiteral("the terms of %1").arg(l.reference);
}

/** A new or existing outbound licence of assetId must honour the obligations inherited from
 * above.
 */
Status honoursObligations(sql::Database &db, const Licence &l, const QString &assetId)
{
    const Obligations o = inherited(db, assetId);
    for (const LicenceRecord &up : o.shareAlike) {
        if (!l.shareAlike || reciprocalFamily(db, l) != reciprocalFamily(db, up.licence))
            return refuse("reciprocal-terms",
                          QStringLiteral("%1 is derived under the reciprocal licence %2, so every "
                                         "licence on it must be share-alike under %3; %4 is not")
                              .arg(Lineage::name(db, assetId), up.licence.reference,
                                   reciprocalFamily(db, up.licence), l.reference));
    }
    for (const LicenceRecord &up : o.nonCommercial)
        if (l.commercial)
            return refuse("non-commercial-terms",
                          QStringLiteral("%1 is derived under the non-commercial licence %2, so it "
                                         "cannot be licensed for commercial use (%3)")
                              .arg(Lineage::name(db, assetId), up.licence.reference, l.reference));
    return {};
}

bool termsOverlap(const Licence &a, const Licence &b)
{
    const QDate aEnd = a.expires.isValid() ? a.expires : QDate(9999, 12, 31);
    const QDate bEnd = b.expires.isValid() ? b.expires : QDate(9999, 12, 31);
    if (a.granted > bEnd || b.granted > aEnd)
        return false;
    const bool territory = territoriesOverlap(a.territory, b.territory);
    const bool field = a.field.isEmpty() || b.field.isEmpty() ||
                       a.field.compare(b.field, Qt::CaseInsensitive) == 0;
    return territory && field;
}

QString termText(const Licence &l)
{
    return QStringLiteral("%1 to %2")
        .arg(isoDate(l.granted),
             l.expires.isValid() ? isoDate(l.expires) : QStringLiteral("no end"));
}

QString territoryText(const QStringList &territory)
{
    return territory.isEmpty() ? QStringLiteral("worldwide") : territory.join(u';');
}

QString fieldText(const QString &field)
{
    return field.isEmpty() ? QStringLiteral("any field") : QStringLiteral("'%1'").arg(field);
}

/** The fingerprint of a key written as 64 hex digits, as keys are shown everywhere else. */
QString keyFingerprint(const QString &hex)
{
    ledger::PublicKey key{};
    return ledger::fromBytes(QByteArray::fromHex(hex.toLatin1()), key) ? ledger::fingerprint(key)
                                                                       : hex;
}

/**
 * Whether the signing key speaks for a party: the key a licence names as its licensee's, or else a
 * key that controls an asset the party owns.
 */
bool speaksFor(sql::Database &db, const ledger::PublicKey &author, const QString &party,
               const QString &partyKey)
{
    if (!partyKey.isEmpty())
        return ledger::toHex(author) == partyKey;
    auto st = db.prepare("SELECT 1 FROM asset_owners o JOIN assets a ON a.id = o.asset_id WHERE "
                         "o.name=? AND a.controller=? LIMIT 1");
    st.bind(1, party).bind(2, ledger::toView(author));
    return st.next();
}

/**
 * A sublicence is granted by its head licence's licensee, signed by the key that speaks for them,
 * on assets of the head, and reaches no further than the head: allowed by it (sublicensing), in
 * force on the grant date, within its term, territory and field, and no more exclusive, commercial,
 * derivative-friendly or less reciprocal than it.
 */
Status checkSublicence(sql::Database &db, const ledger::StoredEntry &e, const Licence &l)
{
    const auto head = Lineage::licence(db, l.under);
    if (!head)
        return refuse("unknown-licence",
                      QStringLiteral("under: licence %1 does not exist").arg(l.under));
    const Licence &h = head->licence;
    if (!h.sublicensing)
        return refuse("sublicensing-not-allowed",
                      QStringLiteral("under: licence %1 (%2 → %3) does not allow sublicensing; %4 "
                                     "cannot be granted under it")
                          .arg(h.reference, h.licensor, h.licensee, l.reference));
    if (l.licensor != h.licensee)
        return refuse("not-licensee",
                      QStringLiteral("licensor: a sublicence under %1 is granted by its licensee "
                                     "%2, not by %3")
                          .arg(h.reference, h.licensee, l.licensor));
    if (!speaksFor(db, e.author, h.licensee, h.licenseeKey))
        return refuse(
            "not-authorised",
            h.licenseeKey.isEmpty()
                ? QStringLiteral("sublicence %1 under %2 must be signed by a key that speaks for "
                                 "%3 (one that controls an asset %3 owns); %4 controls none")
                      .arg(l.reference, h.reference, h.licensee, ledger::fingerprint(e.author))
                : QStringLiteral("sublicence %1 under %2 must be signed by %3's key %4 (the "
                                 "licensee_key of %2), not by %5")
                      .arg(l.reference, h.reference, h.licensee, keyFingerprint(h.licenseeKey),
                           ledger::fingerprint(e.author)));
    // Revoked anywhere up the chain: nothing can be granted under it any more.
    for (const LicenceRecord &up : Lineage::chain(db, h.id))
        if (up.revoked.isValid() && up.revoked <= l.granted)
            return refuse("head-revoked",
                          QStringLiteral("under: licence %1 was revoked on %2; %3 (granted %4) "
                                         "cannot be granted under %5")
                              .arg(up.licence.reference, isoDate(up.revoked), l.reference,
                                   isoDate(l.granted), h.reference));
    if (!h.inTerm(l.granted))
        return refuse("beyond-head-term",
                      QStringLiteral("granted: %1 is outside the term of %2 (%3)")
                          .arg(isoDate(l.granted), h.reference, termText(h)));
    if (h.expires.isValid() && (!l.expires.isValid() || l.expires > h.expires))
        return refuse(
            "beyond-head-term",
            QStringLiteral("expires: %1 runs %2, beyond the term of %3 (%4); end it on "
                           "or before %5")
                .arg(l.reference, termText(l), h.reference, termText(h), isoDate(h.expires)));
    for (const QString &assetId : l.assets)
        if (!h.assets.contains(assetId))
            return refuse("beyond-head-assets",
                          QStringLiteral("assets: %1 is not licensed under %2")
                              .arg(Lineage::name(db, assetId), h.reference));
    if (!territoryWithin(l.territory, h.territory))
        return refuse(
            "beyond-head-territory",
            QStringLiteral("territory: %1 reaches beyond the territory of %2 (%3)")
                .arg(territoryText(l.territory), h.reference, territoryText(h.territory)));
    if (!fieldWithin(l.field, h.field))
        return refuse("beyond-head-field",
                      QStringLiteral("field: %1 reaches beyond the field of use of %2 (%3)")
                          .arg(fieldText(l.field), h.reference, fieldText(h.field)));
    if (l.exclusive && !h.exclusive)
        return refuse("beyond-head-exclusivity",
                      QStringLiteral("exclusive: %1 is non-exclusive, so no sublicence under it "
                                     "can be exclusive")
                          .arg(h.reference));
    if (l.commercial && !h.commercial)
        return refuse("non-commercial-terms",
                      QStringLiteral("commercial: %1 allows non-commercial use only, so %2 under "
                                     "it must be non-commercial too")
                          .arg(h.reference, l.reference));
    if (h.shareAlike && (!l.shareAlike || reciprocalFamily(db, l) != reciprocalFamily(db, h)))
        return refuse("reciprocal-terms",
                      QStringLiteral("share_alike: %1 is reciprocal, so %2 under it must be "
                                     "share-alike under %3 too")
                          .arg(h.reference, l.reference, reciprocalFamily(db, h)));
    if (derivativesRank(l.derivatives) > derivativesRank(h.derivatives))
        return refuse("beyond-head-derivatives",
                      QStringLiteral("derivatives: %1 allows derivatives %2, so %3 under it "
                                     "cannot allow %4")
                          .arg(h.reference, derivativesId(h.derivatives), l.reference,
                               derivativesId(l.derivatives)));
    return {};
}

/** True when the licence or a head above it was revoked: it no longer stands in anyone's way. */
bool stopped(sql::Database &db, const LicenceRecord &rec)
{
    if (rec.revoked.isValid())
        return true;
    if (rec.licence.under.isEmpty())
        return false;
    const QList<LicenceRecord> heads = Lineage::chain(db, rec.licence.under);
    return std::any_of(heads.begin(), heads.end(),
                       [](const LicenceRecord &h) { return h.revoked.isValid(); });
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
    // A sublicence's authority comes from its head licence, a licence's from the assets' owners.
    const bool sublicence = !l.under.isEmpty();
    if (sublicence)
        if (Status s = checkSublicence(db, e, l); !s)
            return s;
    QSet<QString> heads;
    for (const LicenceRecord &h : sublicence ? Lineage::chain(db, l.under) : QList<LicenceRecord>{})
        heads.insert(h.licence.id);
    for (const QString &assetId : l.assets) {
        auto asset = existingAsset(db, assetId, "assets");
        if (!asset)
            return asset.error();
        if (!sublicence) {
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
        }
        if (Status s = honoursObligations(db, l, assetId); !s)
            return s;
        for (const LicenceRecord &other : Lineage::licencesOn(db, assetId)) {
            // A sublicence lies within its heads by the rules above: it competes with the others.
            if (heads.contains(other.licence.id) || !(l.exclusive || other.licence.exclusive) ||
                !termsOverlap(l, other.licence) || stopped(db, other))
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
                         "expires, body, granter, entry_index, royalty_ppm, policy, head) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
        .bind(12, policyId(l.payment.policy))
        .bind(13, l.under);
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
    // The link's licence, then — for a sublicence — the heads it was granted under.
    const QList<LicenceRecord> chain = Lineage::chain(db, p.licence);
    if (chain.isEmpty())
        return refuse("unknown-licence",
                      QStringLiteral("parents: licence %1 does not exist").arg(p.licence));
    const LicenceRecord &rec = chain.first();
    const Licence &l = rec.licence;
    const Licence &root = chain.last().licence;
    if (!l.assets.contains(p.asset))
        return refuse("licence-does-not-cover",
                      QStringLiteral("parents: licence %1 does not cover %2 (it covers %3)")
                          .arg(l.reference, named(parent.value()), [&] {
                              QStringList refs;
                              for (const QString &id : l.assets)
                                  refs.append(Lineage::name(db, id));
                              return refs.join(QStringLiteral(", "));
                          }()));
    if (!ownerNames(parent.value()).contains(root.licensor))
        return refuse(
            "not-licensor",
            root.id == l.id
                ? QStringLiteral("parents: licence %1 is granted by %2, who does not own %3 "
                                 "(owners: %4)")
                      .arg(l.reference, l.licensor, named(parent.value()),
                           ownerList(parent.value()))
                : QStringLiteral("parents: sublicence %1 is granted under %2, whose licensor %3 "
                                 "does not own %4 (owners: %5)")
                      .arg(l.reference, root.reference, root.licensor, named(parent.value()),
                           ownerList(parent.value())));
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
    for (const LicenceRecord &up : chain) {
        if (up.validOn(d.date))
            continue;
        const Licence &u = up.licence;
        // A head's end is named with the sublicence the link uses.
        const QString which = u.id == l.id
                                  ? QStringLiteral("licence %1").arg(l.reference)
                                  : QStringLiteral("sublicence %1 is granted under %2, which")
                                        .arg(l.reference, u.reference);
        return refuse(
            "licence-not-valid",
            up.revoked.isValid() && up.revoked <= d.date
                ? QStringLiteral("parents: %1 was revoked on %2, before the derivation of %3 on "
                                 "%4")
                      .arg(which, isoDate(up.revoked), named(child), isoDate(d.date))
                : QStringLiteral("parents: %1 runs from %2 to %3; it is not valid on %4, the date "
                                 "%5 was derived")
                      .arg(which, isoDate(u.granted),
                           u.expires.isValid() ? isoDate(u.expires) : QStringLiteral("no end"),
                           isoDate(d.date), named(child)));
    }
    for (const LicenceRecord &up : chain) {
        const Licence &u = up.licence;
        if (!u.allowsDerivatives())
            return refuse("derivatives-prohibited",
                          QStringLiteral("parents: licence %1 for %2 does not allow derivatives")
                              .arg(u.reference, named(parent.value())));
        if (u.derivatives == Derivatives::WithApproval) {
            // Under a sublicence, each licensor up the chain that asked to approve derivatives
            // approves this one under its own licence.
            auto ok =
                db.prepare("SELECT 1 FROM derivation_approvals WHERE licence_id=? AND child=?");
            ok.bind(1, u.id).bind(2, d.child);
            if (!ok.next())
                return refuse("approval-required",
                              QStringLiteral("parents: licence %1 requires %2's approval for each "
                                             "derivative; %3 has not been approved")
                                  .arg(u.reference, u.licensor, named(child)));
        }
        // What the derivation states about where and for what the child is used must lie within
        // every licence of the link.
        if (!d.territory.isEmpty() && !territoryWithin(d.territory, u.territory))
            return refuse("beyond-licence-territory",
                          QStringLiteral("territory: %1 (where %2 is exploited) reaches beyond "
                                         "the territory of licence %3 (%4)")
                              .arg(territoryText(d.territory), named(child), u.reference,
                                   territoryText(u.territory)));
        if (!d.field.isEmpty() && !fieldWithin(d.field, u.field))
            return refuse(
                "beyond-licence-field",
                QStringLiteral("field: %1 (the field of use of %2) reaches beyond the "
                               "field of licence %3 (%4)")
                    .arg(fieldText(d.field), named(child), u.reference, fieldText(u.field)));
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
                reciprocalFamily(db, reciprocal->licence) != reciprocalFamily(db, rec.licence))
                return refuse("incompatible-licences",
                              QStringLiteral("%1 would combine %2 and %3: both are reciprocal, and "
                                             "each demands that derivatives be licensed under its "
                                             "own terms (%4 vs %5)")
                                  .arg(named(child), reciprocal->licence.reference,
                                       rec.licence.reference,
                                       reciprocalFamily(db, reciprocal->licence),
                                       reciprocalFamily(db, rec.licence)));
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
                             "entry_index, territory, field) VALUES(?,?,?,?,?,?,?,?,?)");
    for (const ParentLink &p : d->parents) {
        insert.bind(1, d->child)
            .bind(2, p.asset)
            .bind(3, p.licence.isEmpty() ? QString() : Lineage::licence(db, p.licence)->licence.id)
            .bind(4, d->kind)
            .bind(5, isoDate(d->date))
            .bind(6, d->note)
            .bind(7, qint64(e.index))
            .bind(8, d->territory.join(u';'))
            .bind(9, d->field);
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
        // The sum runs inside SQLite, over each link's licence and the heads of a sublicence. It
        // never counts less than the stack (it leaves out only licences revoked themselves, not
        // those stopped by a head), so the stack is read only when the sum is over 100 %: to
        // decide, and to explain a refusal.
        auto sum = db.prepare(
            "WITH RECURSIVE anc(id) AS (SELECT ?1 UNION SELECT d.parent FROM derivations d JOIN "
            "anc ON d.child = anc.id), "
            "owed(child, licence_id) AS (SELECT d.child, d.licence_id FROM anc JOIN derivations d "
            "ON d.child = anc.id WHERE d.licence_id <> '' UNION ALL SELECT owed.child, h.head FROM "
            "owed JOIN licences h ON h.id = owed.licence_id WHERE h.head <> '') "
            "SELECT COALESCE(SUM(l.royalty_ppm), 0) FROM owed JOIN licences l ON l.id = "
            "owed.licence_id WHERE l.revoked = '' AND l.royalty_ppm > 0 AND (l.policy = "
            "'absolute' OR owed.child = ?1)");
        sum.bind(1, r.id);
        if (!sum.next() || sum.int64(0) <= 1000000)
            continue;
        sum.reset();
        const RoyaltyStack stack = royaltyStack(memo, r.id);
        if (stack.totalPpm <= 1000000)
            continue;
        QStringList parts;
        for (const StackShare &s : stack.shares)
            parts.append(QStringLiteral("%1 %2 to %3")
                             .arg(s.licenceReference, formatPpm(s.ppm), memo.name(s.link.parent)));
        return refuse("royalty-stack",
                      QStringLiteral("the royalty stack of %1 would be %2, more than 100 %: %3")
                          .arg(Lineage::name(db, r.id), formatPpm(stack.totalPpm),
                               parts.join(QStringLiteral("; "))));
    }
    return {};
}

} // namespace

constexpr EntryKind LineageEntryKinds[] = {
    {kinds::LicenceGranted, &applyLicenceGranted},
    {kinds::LicenceRevoked, &applyLicenceRevoked},
    {kinds::DerivationRecorded, &applyDerivation},
    {kinds::DerivationApproved, &applyApproval},
};

Status Lineage::createTables(sql::Database &db)
{
    return db.exec(Tables);
}

Status Lineage::dropTables(sql::Database &db)
{
    return db.exec("DROP TABLE IF EXISTS licences; DROP TABLE IF EXISTS licence_assets; "
                   "DROP TABLE IF EXISTS derivations; DROP TABLE IF EXISTS derivation_approvals;");
}

std::span<const EntryKind> Lineage::entryKinds()
{
    return LineageEntryKinds;
}

} // namespace cartulary::model
