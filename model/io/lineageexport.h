// SPDX-License-Identifier: GPL-3.0-or-later
// What the lineage of one asset looks like from outside: the neighbourhood to draw, the report
// `cartulary lineage` prints, and its W3C PROV-JSON form.
#pragma once

#include "model/graph/graphlayout.h"
#include "model/lineage/lineage.h"

#include <QJsonObject>

namespace cartulary::model {

/** How much of a lineage to take around an asset. */
struct Neighbourhood
{
    int depth = 3;      ///< generations up and down; -1: all
    int maxNodes = 500; ///< the cap; nearest assets first, the rest counted in GraphSpec::omitted
};

/**
 * The asset, its ancestors and descendants within the depth, and the other parents of the
 * descendants shown (a composite's co-parents), with every derivation link among them. Each node
 * carries the legal-status flags that reach it as of today.
 */
Result<GraphSpec> lineageGraph(sql::Database &db, const QString &idOrReference,
                               const Neighbourhood &scope, const QDate &today);

/**
 * The lineage report: the asset, its ancestors and descendants with the licence on each edge, its
 * royalty stack and its flags. Field names are documented in model/COMMANDS.md.
 */
Result<QJsonObject> lineageReport(sql::Database &db, const QString &idOrReference, int depth,
                                  const QDate &today);
/** The report as text for a terminal. */
QString lineageText(const QJsonObject &report);

/**
 * The lineage as a W3C PROV-JSON document: assets are entities, derivations are activities that
 * used the parents and generated the child, owners are agents (wasAttributedTo), licensors are
 * associated with the activities they licensed, and each parent → child link is a wasDerivedFrom.
 */
Result<QJsonObject> lineageProv(sql::Database &db, const QString &idOrReference, int depth);

} // namespace cartulary::model
