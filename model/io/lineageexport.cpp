// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage views: neighbourhood graph, report and PROV-JSON, all read from the projection.
#include "model/io/lineageexport.h"
#include "model/core/money.h"

#include "model/core/jsonfields.h"
#include "model/lineage/royaltystack.h"
#include "model/portfolio/portfolio.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSet>

namespace cartulary::model {

namespace {

/** The few asset columns the graph needs, without parsing the whole asset. */
struct NodeRow
{
    QString id, reference, title, type, phase, status;
};

std::optional<NodeRow> nodeRow(sql::Database &db, const QString &idOrReference)
{
    auto st = db.prepare("SELECT id, reference, title, type, current_phase, status FROM assets "
                         "WHERE id=?1 OR reference=?1");
    st.bind(1, idOrReference);
    if (!st.next())
        return std::nullopt;
    return NodeRow{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
}

Result<NodeRow> focusRow(sql::Database &db, const QString &idOrReference)
{
    auto row = nodeRow(db, idOrReference);
    if (!row)
        return Result<NodeRow>::failure(
            "unknown-asset", QStringLiteral("asset: %1 does not exist").arg(idOrReference));
    return *row;
}

/** The link's licence and its heads: the licence, then what each head adds to its terms. */
QString edgeTooltip(const DerivationLink &link, const QList<LicenceRecord> &chain,
                    const QString &parentRef, const QString &childRef)
{
    QString text =
        QStringLiteral("%1 → %2: %3 on %4").arg(parentRef, childRef, link.kind, isoDate(link.date));
    if (chain.isEmpty())
        return text + QStringLiteral("\nNo licence: both assets have the same owners");
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const LicenceRecord &rec = chain.at(i);
        if (i > 0)
            text += QStringLiteral("\n\nGranted under the head licence:");
        text += u'\n' + describeLicence(rec.licence);
        if (rec.revoked.isValid())
            text +=
                QStringLiteral("\nREVOKED on %1 (%2)").arg(isoDate(rec.revoked), rec.revokedReason);
    }
    return text;
}

QJsonObject licenceSummary(sql::Database &db, const LicenceRecord &rec)
{
    const Licence &l = rec.licence;
    QJsonObject o{{"id", l.id},
                  {"reference", l.reference},
                  {"title", l.title},
                  {"licensor", l.licensor},
                  {"licensee", l.licensee},
                  {"granted", isoDate(l.granted)},
                  {"expires", isoDate(l.expires)},
                  {"commercial", l.commercial},
                  {"derivatives", derivativesId(l.derivatives)},
                  {"share_alike", l.shareAlike},
                  {"royalty_ppm", l.payment.royaltyPpm},
                  {"royalty", formatPpm(l.payment.royaltyPpm)},
                  {"policy", policyId(l.payment.policy)},
                  {"revoked", isoDate(rec.revoked)},
                  {"revoked_reason", rec.revokedReason}};
    if (!l.spdx.isEmpty())
        o.insert("spdx", l.spdx);
    if (!l.territory.isEmpty())
        o.insert("territory", QJsonArray::fromStringList(l.territory));
    if (!l.field.isEmpty())
        o.insert("field", l.field);
    if (l.sublicensing)
        o.insert("sublicensing", true);
    // A sublicence names the head licences it was granted under, nearest first.
    const QList<LicenceRecord> heads = Lineage::chain(db, l.under);
    if (!heads.isEmpty()) {
        const Licence &head = heads.first().licence;
        o.insert("under", head.reference);
        QJsonArray chain;
        for (const LicenceRecord &h : heads)
            chain.append(QJsonObject{{"id", h.licence.id},
                                     {"reference", h.licence.reference},
                                     {"licensor", h.licence.licensor},
                                     {"licensee", h.licence.licensee},
                                     {"royalty_ppm", h.licence.payment.royaltyPpm},
                                     {"royalty", formatPpm(h.licence.payment.royaltyPpm)},
                                     {"policy", policyId(h.licence.payment.policy)},
                                     {"revoked", isoDate(h.revoked)}});
        o.insert("heads", chain);
    }
    return o;
}

} // namespace

Result<GraphSpec> lineageGraph(sql::Database &db, const QString &idOrReference,
                               const Neighbourhood &scope, const QDate &today)
{
    auto focus = focusRow(db, idOrReference);
    if (!focus)
        return focus.error();
    const int cap = std::max(1, scope.maxNodes);
    QList<Reached> up = Lineage::ancestors(db, focus->id, scope.depth);
    QList<Reached> down = Lineage::descendants(db, focus->id, scope.depth);
    // Nearest first from both sides, so a capped neighbourhood stays balanced around the focus.
    QList<Reached> order{{focus->id, 0}};
    for (qsizetype i = 0, j = 0; i < up.size() || j < down.size();) {
        const bool takeUp =
            j >= down.size() || (i < up.size() && up.at(i).depth <= down.at(j).depth);
        if (takeUp) {
            const Reached &r = up.at(i++);
            order.append({r.id, -r.depth});
        } else {
            order.append(down.at(j++));
        }
    }
    GraphSpec spec;
    spec.name = focus->reference;
    QHash<QString, int> index;
    auto addNode = [&](const QString &id, int depth) {
        if (index.contains(id) || spec.nodes.size() >= cap)
            return;
        const auto row = nodeRow(db, id);
        if (!row)
            return;
        GraphNode n{row->id,    row->reference, row->title, row->type,
                    row->phase, row->status,    depth,      {}};
        index.insert(id, int(spec.nodes.size()));
        spec.nodes.append(n);
    };
    for (const Reached &r : order)
        addNode(r.id, r.depth);
    // A composite's other parents: shown one step above the descendant, when there is room.
    for (const Reached &r : down)
        if (index.contains(r.id))
            for (const DerivationLink &link : Lineage::parents(db, r.id))
                addNode(link.parent, r.depth - 1);
    spec.focus = index.value(focus->id, -1);
    QSet<QString> reachable;
    for (const Reached &r : up)
        reachable.insert(r.id);
    for (const Reached &r : down)
        reachable.insert(r.id);
    int shownReachable = 0;
    for (const GraphNode &n : spec.nodes)
        shownReachable += reachable.contains(n.id) ? 1 : 0;
    spec.omitted = int(reachable.size()) - shownReachable;

    // One memo for the whole neighbourhood: the nodes share most of their ancestors.
    LineageMemo memo(db, today);
    for (qsizetype i = 0; i < spec.nodes.size(); ++i) {
        GraphNode &child = spec.nodes[i];
        for (const DerivationLink &link : memo.parents(child.id)) {
            const int parent = index.value(link.parent, -1);
            if (parent < 0)
                continue;
            const QList<LicenceRecord> chain =
                link.licenceId.isEmpty() ? QList<LicenceRecord>{} : memo.chain(link.licenceId);
            const LicenceRecord *rec = chain.isEmpty() ? nullptr : &chain.first();
            GraphEdge e;
            e.parent = parent;
            e.child = int(i);
            e.kind = link.kind;
            if (rec) {
                e.licenceId = rec->licence.id;
                e.licenceReference = rec->licence.reference;
                e.licenceTitle = rec->licence.title;
                e.royaltyPpm = rec->licence.payment.royaltyPpm;
                e.policy = e.royaltyPpm ? policyId(rec->licence.payment.policy) : QString();
                // A sublicence stops with its head: the edge is drawn revoked either way.
                e.revoked = std::any_of(chain.begin(), chain.end(), [&](const LicenceRecord &r) {
                    return r.revoked.isValid() && r.revoked <= today;
                });
                if (chain.size() > 1)
                    e.headReference = chain.at(1).licence.reference;
            }
            e.tooltip = edgeTooltip(link, chain, spec.nodes.at(parent).reference, child.reference);
            spec.edges.append(e);
        }
        for (const LineageFlag &f : lineageFlags(memo, child.id))
            child.flags.append(f.message + u' ' + f.effect);
    }
    return spec;
}

Result<QJsonObject> lineageReport(sql::Database &db, const QString &idOrReference, int depth,
                                  const QDate &today)
{
    auto focus = focusRow(db, idOrReference);
    if (!focus)
        return focus.error();
    const auto asset = Portfolio::asset(db, focus->id);
    auto describe = [&db](const Reached &r) {
        const auto row = nodeRow(db, r.id);
        return QJsonObject{{"id", r.id},
                           {"reference", row ? row->reference : QString()},
                           {"title", row ? row->title : QString()},
                           {"type", row ? row->type : QString()},
                           {"status", row ? row->status : QString()},
                           {"depth", r.depth}};
    };
    const QList<Reached> up = Lineage::ancestors(db, focus->id, depth);
    const QList<Reached> down = Lineage::descendants(db, focus->id, depth);
    QJsonArray ancestors, descendants, edges;
    for (const Reached &r : up)
        ancestors.append(describe(r));
    for (const Reached &r : down)
        descendants.append(describe(r));
    // Edges: every link into the focus and its ancestors, and into its descendants.
    QList<QString> children{focus->id};
    for (const Reached &r : up)
        children.append(r.id);
    for (const Reached &r : down)
        children.append(r.id);
    QSet<QString> shown(children.begin(), children.end());
    for (const QString &child : children)
        for (const DerivationLink &link : Lineage::parents(db, child)) {
            if (!shown.contains(link.parent))
                continue;
            QJsonObject e{
                {"parent", link.parent}, {"parent_reference", nodeRow(db, link.parent)->reference},
                {"child", link.child},   {"child_reference", nodeRow(db, link.child)->reference},
                {"kind", link.kind},     {"date", isoDate(link.date)}};
            if (!link.licenceId.isEmpty())
                if (const auto rec = Lineage::licence(db, link.licenceId))
                    e.insert("licence", licenceSummary(db, *rec));
            if (!link.territory.isEmpty())
                e.insert("territory", QJsonArray::fromStringList(link.territory));
            if (!link.field.isEmpty())
                e.insert("field", link.field);
            edges.append(e);
        }
    const RoyaltyStack stack = royaltyStack(db, focus->id, today);
    QJsonArray shares;
    for (const StackShare &s : stack.shares) {
        QJsonObject share{{"licence", s.licenceReference},
                          {"parent", s.link.parent},
                          {"parent_reference", nodeRow(db, s.link.parent)->reference},
                          {"licensor", s.licensor},
                          {"via_reference", nodeRow(db, s.link.child)->reference},
                          {"ppm", s.ppm},
                          {"rate", formatPpm(s.ppm)},
                          {"policy", policyId(s.policy)},
                          {"active", s.active},
                          {"inactive_reason", s.inactiveWhy}};
        if (!s.sublicenceReference.isEmpty())
            share.insert("sublicence", s.sublicenceReference);
        shares.append(share);
    }
    QJsonArray flags;
    for (const LineageFlag &f : lineageFlags(db, focus->id, today))
        flags.append(QJsonObject{{"kind", f.kind},
                                 {"source", f.source},
                                 {"source_reference", nodeRow(db, f.source)->reference},
                                 {"via_reference", nodeRow(db, f.via)->reference},
                                 {"licence", f.licenceId},
                                 {"since", isoDate(f.since)},
                                 {"message", f.message},
                                 {"effect", f.effect}});
    QJsonArray owners;
    for (const Owner &o : asset->owners)
        owners.append(QJsonObject{{"name", o.name}, {"basis_points", o.basisPoints}});
    return QJsonObject{{"asset", QJsonObject{{"id", focus->id},
                                             {"reference", focus->reference},
                                             {"title", focus->title},
                                             {"type", focus->type},
                                             {"status", focus->status},
                                             {"owners", owners}}},
                       {"as_of", isoDate(today)},
                       {"ancestors", ancestors},
                       {"descendants", descendants},
                       {"edges", edges},
                       {"royalty_stack", QJsonObject{{"total_ppm", stack.totalPpm},
                                                     {"total", formatPpm(stack.totalPpm)},
                                                     {"active_ppm", stack.activePpm},
                                                     {"active", formatPpm(stack.activePpm)},
                                                     {"shares", shares}}},
                       {"flags", flags}};
}

QString lineageText(const QJsonObject &r)
{
    QStringList out;
    const QJsonObject a = r.value("asset").toObject();
    out << QStringLiteral("%1  %2  (%3, %4)")
               .arg(a.value("reference").toString(), a.value("title").toString(),
                    a.value("type").toString(), a.value("status").toString());
    auto list = [&out](const char *heading, const QJsonArray &items) {
        out << QString();
        out << QStringLiteral("%1 (%2)").arg(QLatin1String(heading)).arg(items.size());
        if (items.isEmpty())
            out << QStringLiteral("  none");
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            out << QStringLiteral("  %1%2  %3  [%4]")
                       .arg(QString(2 * (o.value("depth").toInt() - 1), u' '),
                            o.value("reference").toString(), o.value("title").toString(),
                            o.value("status").toString());
        }
    };
    list("Ancestors", r.value("ancestors").toArray());
    list("Descendants", r.value("descendants").toArray());
    out << QString() << QStringLiteral("Derivations");
    for (const QJsonValue &v : r.value("edges").toArray()) {
        const QJsonObject e = v.toObject();
        const QJsonObject l = e.value("licence").toObject();
        QString licence =
            l.isEmpty() ? QStringLiteral("no licence (same owners)")
                        : QStringLiteral("%1 %2 %3 (%4 → %5)")
                              .arg(l.value("reference").toString(), l.value("royalty").toString(),
                                   l.value("policy").toString(), l.value("licensor").toString(),
                                   l.value("licensee").toString());
        if (!l.value("under").toString().isEmpty())
            licence += QStringLiteral(" under %1").arg(l.value("under").toString());
        if (!l.value("revoked").toString().isEmpty())
            licence += QStringLiteral(" REVOKED %1").arg(l.value("revoked").toString());
        // Where and for what the derivation said the child is used, when it said so.
        QStringList scope;
        if (e.contains("territory"))
            scope << QStringLiteral("territory %1")
                         .arg(e.value("territory").toVariant().toStringList().join(u';'));
        if (e.contains("field"))
            scope << QStringLiteral("field %1").arg(e.value("field").toString());
        if (!scope.isEmpty())
            licence += QStringLiteral(" [%1]").arg(scope.join(QStringLiteral(", ")));
        out << QStringLiteral("  %1 → %2  %3 %4  under %5")
                   .arg(e.value("parent_reference").toString(),
                        e.value("child_reference").toString(), e.value("kind").toString(),
                        e.value("date").toString(), licence);
    }
    const QJsonObject stack = r.value("royalty_stack").toObject();
    out << QString()
        << QStringLiteral("Royalty stack: %1 (in effect on %2: %3)")
               .arg(stack.value("total").toString(), r.value("as_of").toString(),
                    stack.value("active").toString());
    for (const QJsonValue &v : stack.value("shares").toArray()) {
        const QJsonObject s = v.toObject();
        out << QStringLiteral("  %1 %2 to %3 for %4, via %5 (%6)%7%8")
                   .arg(s.value("rate").toString(), s.value("licence").toString(),
                        s.value("licensor").toString(), s.value("parent_reference").toString(),
                        s.value("via_reference").toString(), s.value("policy").toString(),
                        s.contains("sublicence") ? QStringLiteral(", through sublicence %1")
                                                       .arg(s.value("sublicence").toString())
                                                 : QString(),
                        s.value("active").toBool()
                            ? QString()
                            : QStringLiteral(" — not in effect: %1")
                                  .arg(s.value("inactive_reason").toString()));
    }
    const QJsonArray flags = r.value("flags").toArray();
    out << QString() << QStringLiteral("Flags (%1)").arg(flags.size());
    for (const QJsonValue &v : flags) {
        const QJsonObject f = v.toObject();
        out << QStringLiteral("  ⚠ %1").arg(f.value("message").toString());
        out << QStringLiteral("    %1").arg(f.value("effect").toString());
    }
    return out.join(u'\n') + u'\n';
}

Result<QJsonObject> lineageProv(sql::Database &db, const QString &idOrReference, int depth)
{
    auto focus = focusRow(db, idOrReference);
    if (!focus)
        return focus.error();
    QList<QString> assets{focus->id};
    for (const Reached &r : Lineage::ancestors(db, focus->id, depth))
        assets.append(r.id);
    for (const Reached &r : Lineage::descendants(db, focus->id, depth))
        assets.append(r.id);
    const QSet<QString> shown(assets.begin(), assets.end());

    auto entityId = [](const QString &assetId) { return QStringLiteral("asset:%1").arg(assetId); };
    // Agents are named parties: their id is a digest of the name, stable across exports.
    auto agentId = [](const QString &name) {
        return QStringLiteral("party:%1")
            .arg(QString::fromLatin1(
                QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256)
                    .toHex()
                    .left(16)));
    };
    auto typed = [](const QString &value, const char *type) {
        return QJsonObject{{"$", value}, {"type", QLatin1String(type)}};
    };
    QJsonObject entities, activities, agents, derived, attributed, generated, used, associated;
    int relation = 0;
    auto relationId = [&relation] { return QStringLiteral("_:r%1").arg(++relation); };
    auto addAgent = [&](const QString &name) {
        const QString id = agentId(name);
        if (!agents.contains(id))
            agents.insert(
                id, QJsonObject{{"prov:type", typed("prov:Organization", "prov:QUALIFIED_NAME")},
                                {"prov:label", name}});
        return id;
    };
    for (const QString &id : assets) {
        const auto a = Portfolio::asset(db, id);
        if (!a)
            continue;
        entities.insert(entityId(id),
                        QJsonObject{{"prov:label", a->title},
                                    {"prov:type", typed(QStringLiteral("cartulary:%1").arg(a->type),
                                                        "prov:QUALIFIED_NAME")},
                                    {"cartulary:reference", a->reference},
                                    {"cartulary:status", a->status}});
        for (const Owner &o : a->owners)
            attributed.insert(relationId(), QJsonObject{{"prov:entity", entityId(id)},
                                                        {"prov:agent", addAgent(o.name)},
                                                        {"cartulary:basisPoints", o.basisPoints}});
    }
    for (const QString &child : assets) {
        // One activity per derivation entry: several parents used, one child generated.
        QHash<quint64, QString> activityOf;
        for (const DerivationLink &link : Lineage::parents(db, child)) {
            if (!shown.contains(link.parent))
                continue;
            QString activity = activityOf.value(link.entryIndex);
            if (activity.isEmpty()) {
                activity = QStringLiteral("derivation:%1").arg(link.entryIndex);
                activityOf.insert(link.entryIndex, activity);
                const QString time = QStringLiteral("%1T00:00:00Z").arg(isoDate(link.date));
                activities.insert(
                    activity,
                    QJsonObject{
                        {"prov:startTime", time},
                        {"prov:endTime", time},
                        {"prov:type", typed(QStringLiteral("cartulary:%1").arg(link.kind),
                                            "prov:QUALIFIED_NAME")},
                        {"prov:label", QStringLiteral("%1 of %2")
                                           .arg(link.kind, nodeRow(db, child)->reference)}});
                generated.insert(relationId(), QJsonObject{{"prov:entity", entityId(child)},
                                                           {"prov:activity", activity},
                                                           {"prov:time", time}});
            }
            used.insert(relationId(), QJsonObject{{"prov:activity", activity},
                                                  {"prov:entity", entityId(link.parent)}});
            QJsonObject d{{"prov:generatedEntity", entityId(child)},
                          {"prov:usedEntity", entityId(link.parent)},
                          {"prov:activity", activity}};
            const QList<LicenceRecord> chain = link.licenceId.isEmpty()
                                                   ? QList<LicenceRecord>{}
                                                   : Lineage::chain(db, link.licenceId);
            auto associate = [&](const QString &party, const char *role) {
                associated.insert(relationId(),
                                  QJsonObject{{"prov:activity", activity},
                                              {"prov:agent", addAgent(party)},
                                              {"prov:role", typed(role, "prov:QUALIFIED_NAME")}});
            };
            if (!chain.isEmpty()) {
                const Licence &l = chain.first().licence;
                d.insert("cartulary:licence", l.reference);
                d.insert("cartulary:royaltyPpm", l.payment.royaltyPpm);
                associate(l.licensor, "cartulary:licensor");
                associate(l.licensee, "cartulary:licensee");
            }
            // A sublicence: the head licences it was granted under, and their licensors, are part
            // of the derivation's provenance too.
            for (qsizetype i = 1; i < chain.size(); ++i) {
                if (i == 1)
                    d.insert("cartulary:underLicence", chain.at(i).licence.reference);
                associate(chain.at(i).licence.licensor, "cartulary:headLicensor");
            }
            derived.insert(relationId(), d);
        }
    }
    QJsonObject doc{
        {"prefix", QJsonObject{{"cartulary", "https://cartulary.invalid/ns#"},
                               {"asset", "urn:uuid:"},
                               {"party", "https://cartulary.invalid/party/"},
                               {"derivation", "https://cartulary.invalid/derivation/"}}},
        {"entity", entities}};
    auto put = [&doc](const char *key, const QJsonObject &o) {
        if (!o.isEmpty())
            doc.insert(QLatin1String(key), o);
    };
    put("activity", activities);
    put("agent", agents);
    put("wasGeneratedBy", generated);
    put("used", used);
    put("wasAssociatedWith", associated);
    put("wasDerivedFrom", derived);
    put("wasAttributedTo", attributed);
    return doc;
}

} // namespace cartulary::model
