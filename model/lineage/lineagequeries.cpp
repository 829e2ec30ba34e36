// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage's read side: licences, derivation links and walks over the graph, read from the
// projection's tables.
#include "model/lineage/lineage.h"

#include "model/core/jsonfields.h"
#include "model/portfolio/portfolio.h"

#include <QJsonDocument>
#include <QSet>

namespace cartulary::model {

namespace {

QDate dateFrom(const QString &text)
{
    return QDate::fromString(text, Qt::ISODate);
}

constexpr const char *LicenceColumns =
    "l.body, l.granter, l.entry_index, l.revoked, l.revoked_reason";
constexpr const char *LinkColumns =
    "parent, child, licence_id, kind, date, note, entry_index, territory, field";

LicenceRecord recordFromRow(sql::Statement &st)
{
    // Columns: LicenceColumns
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
    // Columns: LinkColumns
    return DerivationLink{st.text(0),
                          st.text(1),
                          st.text(2),
                          st.text(3),
                          dateFrom(st.text(4)),
                          st.text(5),
                          quint64(st.int64(6)),
                          st.text(7).split(u';', Qt::SkipEmptyParts),
                          st.text(8)};
}

/** Every row of a query with one parameter, each read by fromRow. */
template<typename Row>
QList<Row> rows(sql::Database &db, const QByteArray &sql, const QString &value,
                Row (*fromRow)(sql::Statement &))
{
    auto st = db.prepare(sql);
    st.bind(1, value);
    QList<Row> out;
    while (st.next())
        out.append(fromRow(st));
    return out;
}

QList<LicenceRecord> licencesWhere(sql::Database &db, const QByteArray &where, const QString &value)
{
    return rows(db, QByteArray("SELECT ") + LicenceColumns + " FROM licences l " + where, value,
                &recordFromRow);
}

QList<DerivationLink> links(sql::Database &db, const QByteArray &where, const QString &value)
{
    return rows(db, QByteArray("SELECT ") + LinkColumns + " FROM derivations " + where, value,
                &linkFromRow);
}

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

bool LicenceRecord::validOn(const QDate &date) const
{
    return licence.inTerm(date) && (!revoked.isValid() || date < revoked);
}

QList<LicenceRecord> Lineage::licences(sql::Database &db)
{
    auto st = db.prepare(QByteArray("SELECT ") + LicenceColumns +
                         " FROM licences l ORDER BY l.entry_index");
    QList<LicenceRecord> out;
    while (st.next())
        out.append(recordFromRow(st));
    return out;
}

std::optional<LicenceRecord> Lineage::licence(sql::Database &db, const QString &idOrReference)
{
    const QList<LicenceRecord> found =
        licencesWhere(db, "WHERE l.id=?1 OR l.reference=?1", idOrReference);
    if (found.isEmpty())
        return std::nullopt;
    return found.first();
}

QList<LicenceRecord> Lineage::chain(sql::Database &db, const QString &idOrReference)
{
    QList<LicenceRecord> out;
    QSet<QString> seen;
    // A head exists before its sublicence is granted, so the chain ends; seen guards a damaged
    // projection all the same.
    for (auto rec = licence(db, idOrReference); rec && !seen.contains(rec->licence.id);
         rec = rec->licence.under.isEmpty() ? std::nullopt : licence(db, rec->licence.under)) {
        seen.insert(rec->licence.id);
        out.append(*rec);
    }
    return out;
}

QList<LicenceRecord> Lineage::licencesOn(sql::Database &db, const QString &assetId)
{
    return licencesWhere(db,
                         "JOIN licence_assets a ON l.id = a.licence_id WHERE a.asset_id=? "
                         "ORDER BY l.entry_index",
                         assetId);
}

QList<LicenceRecord> Lineage::sublicences(sql::Database &db, const QString &licenceId)
{
    return licencesWhere(db, "WHERE l.head=? ORDER BY l.entry_index", licenceId);
}

QList<DerivationLink> Lineage::parents(sql::Database &db, const QString &child)
{
    return links(db, "WHERE child=? ORDER BY entry_index, parent", child);
}

QHash<QString, QList<DerivationLink>> Lineage::everyParents(sql::Database &db)
{
    // parents()' order within each child.
    auto st = db.prepare(QByteArray("SELECT ") + LinkColumns +
                         " FROM derivations ORDER BY child, entry_index, parent");
    QHash<QString, QList<DerivationLink>> out;
    while (st.next()) {
        DerivationLink link = linkFromRow(st);
        out[link.child].append(std::move(link));
    }
    return out;
}

QList<DerivationLink> Lineage::children(sql::Database &db, const QString &parent)
{
    return links(db, "WHERE parent=? ORDER BY entry_index, child", parent);
}

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

QString Lineage::name(sql::Database &db, const QString &assetId)
{
    const auto a = Portfolio::asset(db, assetId);
    return a ? QStringLiteral("%1 (%2)").arg(a->reference, a->title) : assetId;
}

QHash<QString, QString> Lineage::everyName(sql::Database &db)
{
    auto st = db.prepare("SELECT id, reference, title FROM assets");
    QHash<QString, QString> out;
    while (st.next())
        out.insert(st.text(0), QStringLiteral("%1 (%2)").arg(st.text(1), st.text(2)));
    return out;
}

QList<LinkedAsset> Lineage::mostLinked(sql::Database &db, int limit)
{
    QList<LinkedAsset> out;
    auto st = db.prepare(
        "SELECT a.id, a.reference, a.title, COUNT(*) AS n FROM (SELECT child AS id FROM "
        "derivations UNION ALL SELECT parent FROM derivations) d JOIN assets a ON a.id = d.id "
        "GROUP BY a.id ORDER BY n DESC, a.reference LIMIT ?");
    st.bind(1, qint64(limit));
    while (st.next())
        out.append({st.text(0), st.text(1), st.text(2), st.int64(3)});
    return out;
}

} // namespace cartulary::model
