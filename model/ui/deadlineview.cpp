// SPDX-License-Identifier: GPL-3.0-or-later
// DeadlineView: rows and groups are derived from the overview's items only, never recomputed, so
// a count can never disagree with the rows it counts.
#include "model/ui/deadlineview.h"

#include "model/ui/labels.h"

#include <QCoreApplication>
#include <QMap>

namespace cartulary::model {

namespace {

QString iso(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

QString tr(const char *text)
{
    return QCoreApplication::translate("DeadlineView", text);
}

/** Monday of the week holding d. */
QDate weekStart(const QDate &d)
{
    return d.addDays(1 - d.dayOfWeek());
}

} // namespace

DeadlineQuery DeadlineView::assetQuery(const QDate &today, const QString &assetId)
{
    return {today, assetId, AssetDaysAhead, AssetSettledDaysBack};
}

DeadlineQuery DeadlineView::pageQuery(const QDate &today)
{
    return {today, {}, PageDaysAhead, -1};
}

QVariantMap DeadlineView::item(const PortfolioDeadline &p)
{
    const Deadline &d = p.deadline;
    return {{"key", d.key},
            {"assetId", d.assetId},
            {"reference", d.reference},
            {"title", d.title},
            {"label", d.label},
            {"kind", d.kind},
            {"jurisdiction", d.jurisdiction},
            {"due", iso(d.due)},
            {"graceEnd", d.graceEnd > d.due ? iso(d.graceEnd) : QString()},
            {"windowOpens", iso(d.windowOpens)},
            {"state", deadlineStateName(p.state)},
            {"stateTitle", deadlineStateTitle(p.state)},
            {"overdue", isOverdue(p.state)},
            {"done", p.done},
            {"settledBy", p.settledBy},
            {"blockedBy", d.blockedBy},
            {"blockedByLabel", d.blockedByLabel},
            {"remedy", p.state == DeadlineState::Lost ? d.remedy : QString()},
            {"remedyEnds", p.state == DeadlineState::Lost ? iso(d.remedyEnds) : QString()},
            {"dependents", p.dependents}};
}

QVariantList DeadlineView::items(const DeadlineOverview &o)
{
    QVariantList out;
    for (const PortfolioDeadline &p : o.items)
        out.append(item(p));
    return out;
}

QVariantList DeadlineView::groups(const DeadlineOverview &o)
{
    QVariantList lost, overdue, blocked;
    QMap<QDate, QVariantList> weeks;
    for (const PortfolioDeadline &p : o.items) {
        switch (p.state) {
        case DeadlineState::Lost:
            lost.append(item(p));
            break;
        case DeadlineState::InGrace:
        case DeadlineState::Overdue:
            overdue.append(item(p));
            break;
        case DeadlineState::Blocked:
            blocked.append(item(p));
            break;
        case DeadlineState::Due:
        case DeadlineState::Upcoming:
            weeks[weekStart(p.deadline.due)].append(item(p));
            break;
        case DeadlineState::Done:
        case DeadlineState::Lapsed:
            break; // the page lists what is open
        }
    }
    QVariantList out;
    const auto group = [&out](const QString &title, const char *kind, bool late,
                              const QVariantList &items) {
        if (!items.isEmpty())
            out.append(
                QVariantMap{{"title", title}, {"kind", kind}, {"overdue", late}, {"items", items}});
    };
    group(tr("Rights lost — record what happened (paid late, remedy filed, lapse accepted)"),
          "lost", true, lost);
    group(tr("Overdue or in grace"), "overdue", true, overdue);
    group(tr("Waiting on a lost right"), "blocked", false, blocked);
    for (auto it = weeks.begin(); it != weeks.end(); ++it)
        group(tr("Week of %1 (week %2)").arg(iso(it.key())).arg(it.key().weekNumber()), "week",
              false, it.value());
    return out;
}

QVariantList DeadlineView::months(const DeadlineOverview &o)
{
    QVariantList out;
    for (const DeadlineMonth &m : o.months)
        out.append(QVariantMap{{"month", m.month}, {"count", m.count}, {"overdue", m.overdue}});
    return out;
}

} // namespace cartulary::model
