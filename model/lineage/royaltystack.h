// SPDX-License-Identifier: GPL-3.0-or-later
// What share of an asset's revenue goes up its chain of licences, and the legal-status problems of
// ancestors and licences that reach it.
#pragma once

#include "model/lineage/lineagememo.h"

namespace cartulary::model {

/** One licence's share in an asset's royalty stack. */
struct StackShare
{
    DerivationLink link;
    QString licenceReference;
    QString licensor; ///< who receives the share
    qint64 ppm = 0;
    RoyaltyPolicy policy = RoyaltyPolicy::Absolute;
    bool active = true;  ///< false when the licence expired or the parent lapsed
    QString inactiveWhy; ///< why it no longer counts
    /** A head licence's share: the sublicence the link uses, through which it is owed; empty for
     * the share of the link's own licence. */
    QString sublicenceReference;
};

/** What share of an asset's revenue goes up its chain. */
struct RoyaltyStack
{
    qint64 totalPpm = 0;  ///< every share the licences set (the rule caps this at 100 %)
    qint64 activePpm = 0; ///< without expired licences and lapsed parents, as of today
    QList<StackShare> shares;
};

/** A legal-status problem of an ancestor (or of a licence) that reaches a descendant. */
struct LineageFlag
{
    QString kind;   ///< "lapsed", "licence-revoked", "licence-expired"
    QString source; ///< the asset whose status or licence is the cause
    QString via;    ///< the child on the link it reaches through (the flagged asset or an ancestor)
    QString licenceId; ///< the licence revoked or expired: the link's, or a head licence above it
    QDate since;       ///< when it took effect; invalid when not recorded
    QString message;   ///< what happened, naming the assets
    QString effect;    ///< what it means for royalties
};

/**
 * The asset's royalty stack: the absolute shares of every licence above it and the relative shares
 * of its parents' links. A link under a sublicence carries the sublicence's share and each head
 * licence's share, each by its own policy. A revoked licence, or a sublicence whose head was
 * revoked, leaves the stack; an expired one or a lapsed parent stays in the total but not in
 * effect.
 */
RoyaltyStack royaltyStack(sql::Database &db, const QString &assetId, const QDate &today);
RoyaltyStack royaltyStack(LineageMemo &memo, const QString &assetId);

/**
 * Lapsed ancestors, and revoked and expired licences on the links above the asset — a sublicence
 * is flagged when its head licence was revoked or expired.
 */
QList<LineageFlag> lineageFlags(sql::Database &db, const QString &assetId, const QDate &today);
QList<LineageFlag> lineageFlags(LineageMemo &memo, const QString &assetId);

} // namespace cartulary::model
