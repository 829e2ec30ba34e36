// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage reads memoised for one question over a projection that does not change meanwhile.
#pragma once

#include "model/lineage/lineage.h"

#include <QHash>

namespace cartulary::model {

/**
 * Reads memoised for one question over a projection that does not change meanwhile (one entry's
 * rules, one neighbourhood): a deep graph asks for the same parents, licences and statuses many
 * times.
 */
class LineageMemo
{
public:
    LineageMemo(sql::Database &db, const QDate &today);
    sql::Database &db() { return m_db; }
    const QDate &today() const { return m_today; }
    const QList<DerivationLink> &parents(const QString &child);
    const std::optional<LicenceRecord> &licence(const QString &id);
    /** See Lineage::chain: the licence, then its head licences; empty when it does not exist. */
    const QList<LicenceRecord> &chain(const QString &licenceId);
    /** See Lineage::lapsedOn. */
    const std::optional<QDate> &lapsedOn(const QString &assetId);
    /** The asset and every ancestor, each once, nearest first. */
    const QList<QString> &closure(const QString &assetId);
    /** Every derivation link whose child is the asset or one of its ancestors. */
    const QList<DerivationLink> &linksAbove(const QString &assetId);
    /** "REF (title)" of an asset, or its id when unknown. */
    const QString &name(const QString &assetId);
    /** Reads every derivation link and every asset's name at once, for a question that touches
     * most of the register (a distribution run): parents() and name() then ask nothing more. */
    void preload();

private:
    sql::Database &m_db;
    QDate m_today;
    QHash<QString, QList<DerivationLink>> m_parents;
    QHash<QString, std::optional<LicenceRecord>> m_licences;
    QHash<QString, QList<LicenceRecord>> m_chains;
    QHash<QString, std::optional<QDate>> m_lapsed;
    QHash<QString, QList<QString>> m_closures;
    QHash<QString, QList<DerivationLink>> m_linksAbove;
    QHash<QString, QString> m_names;
    bool m_everyParent = false; ///< preloaded: a child missing from m_parents has none
};

} // namespace cartulary::model
