// SPDX-License-Identifier: GPL-3.0-or-later
// LineageMemo: each read once per question, however often a deep graph asks for it.
#include "model/lineage/lineagememo.h"

#include <QSet>

namespace cartulary::model {

LineageMemo::LineageMemo(sql::Database &db, const QDate &today)
    : m_db(db)
    , m_today(today)
{}

const QList<DerivationLink> &LineageMemo::parents(const QString &child)
{
    auto it = m_parents.find(child);
    if (it == m_parents.end())
        it = m_parents.insert(child, m_everyParent ? QList<DerivationLink>()
                                                   : Lineage::parents(m_db, child));
    return *it;
}

const std::optional<LicenceRecord> &LineageMemo::licence(const QString &id)
{
    auto it = m_licences.find(id);
    if (it == m_licences.end())
        it = m_licences.insert(id, Lineage::licence(m_db, id));
    return *it;
}

const QList<LicenceRecord> &LineageMemo::chain(const QString &licenceId)
{
    auto it = m_chains.find(licenceId);
    if (it != m_chains.end())
        return *it;
    QList<LicenceRecord> out;
    QSet<QString> seen;
    for (QString id = licenceId; !id.isEmpty() && !seen.contains(id);) {
        const auto &rec = licence(id);
        if (!rec)
            break;
        seen.insert(id);
        out.append(*rec);
        id = rec->licence.under;
    }
    return *m_chains.insert(licenceId, out);
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

void LineageMemo::preload()
{
    m_parents = Lineage::everyParents(m_db);
    m_everyParent = true;
    m_names = Lineage::everyName(m_db);
}

const QString &LineageMemo::name(const QString &assetId)
{
    auto it = m_names.find(assetId);
    if (it == m_names.end())
        it = m_names.insert(assetId, Lineage::name(m_db, assetId));
    return *it;
}

} // namespace cartulary::model
