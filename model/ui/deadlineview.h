// SPDX-License-Identifier: GPL-3.0-or-later
// The deadline views' rows, groups and chart as QML reads them, all from one DeadlineOverview.
#pragma once

#include "model/portfolio/portfolio.h"

#include <QVariantList>
#include <QVariantMap>

namespace cartulary::model {

/** Turns Portfolio::deadlineOverview() into what the asset page, the Deadlines page and its chart
 * show, so that every view presents the same deadlines in the same states. */
class DeadlineView
{
public:
    /** How far the asset page looks ahead, and how far back it shows settled deadlines. */
    static constexpr int AssetDaysAhead = 3 * 366;
    static constexpr int AssetSettledDaysBack = 2 * 366;
    /** How far the Deadlines page looks ahead. */
    static constexpr int PageDaysAhead = 90;

    /** The asset page's query for one asset. */
    static DeadlineQuery assetQuery(const QDate &today, const QString &assetId);
    /** The Deadlines page's query (also the badge's and the chart's). */
    static DeadlineQuery pageQuery(const QDate &today);

    /** One row: key, assetId, reference, title, label, kind, jurisdiction, due, graceEnd,
     * windowOpens, state, stateTitle, overdue, done, settledBy, blockedBy, blockedByLabel, remedy,
     * remedyEnds, dependents. */
    static QVariantMap item(const PortfolioDeadline &d);
    /** The rows of an overview, in its order. */
    static QVariantList items(const DeadlineOverview &o);
    /** The Deadlines page: rights lost, overdue or in grace, blocked, then week by week; each
     * {title, kind ("lost", "overdue", "blocked", "week"), overdue, items}. Every row once. */
    static QVariantList groups(const DeadlineOverview &o);
    /** The chart: {month, count, overdue} per month of the listed rows. */
    static QVariantList months(const DeadlineOverview &o);
};

} // namespace cartulary::model
