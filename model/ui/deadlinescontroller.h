// SPDX-License-Identifier: GPL-3.0-or-later
// What the Deadlines view shows: what is overdue or in grace, the next 90 days week by week, and
// deadlines by month.
#pragma once

#include "model/ui/session.h"
#include "model/ui/workstate.h"

#include <QVariantList>

namespace cartulary::model {

/**
 * The Deadlines dashboard's controller: every asset's deadlines are computed on a worker (its own
 * read-only connection) after unlocking and after every write; busy meanwhile.
 */
class DeadlinesController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(QVariantList deadlineGroups READ deadlineGroups NOTIFY deadlinesChanged)
    Q_PROPERTY(QVariantList deadlineRows READ deadlineRows NOTIFY deadlinesChanged)
    Q_PROPERTY(QVariantList deadlinesByMonth READ deadlinesByMonth NOTIFY deadlinesChanged)
    Q_PROPERTY(int overdueCount READ overdueCount NOTIFY deadlinesChanged)
    Q_PROPERTY(int upcomingCount READ upcomingCount NOTIFY deadlinesChanged)

public:
    explicit DeadlinesController(Session *session, QObject *parent = nullptr);
    ~DeadlinesController() override;

    /** Groups {title, kind, overdue, items}: rights lost, overdue or in grace, blocked, then one
     * per week (DeadlineView::groups). */
    QVariantList deadlineGroups() const { return m_groups; }
    /**
     * The groups' items as one list (a table's rows), each with its group's title ("group"),
     * whether it is the group's first ("groupStart"), whether the group is late ("late") and its
     * kind
     * ("groupKind").
     */
    QVariantList deadlineRows() const { return m_rows; }
    /** {month (yyyy-MM), count, overdue}: every listed unsettled deadline by the month it is due.
     */
    QVariantList deadlinesByMonth() const { return m_byMonth; }
    int overdueCount() const { return m_overdue; }
    int upcomingCount() const { return m_upcoming; }

public slots:
    /** Recomputes the dashboard (overdue and the next 90 days) off the GUI thread. */
    void refresh();

signals:
    void deadlinesChanged();

private:
    Session *m_session;
    QVariantList m_groups, m_rows, m_byMonth;
    int m_overdue = 0, m_upcoming = 0;
    quint64 m_generation = 0; ///< the latest computation; older results are dropped
};

} // namespace cartulary::model
