// SPDX-License-Identifier: GPL-3.0-or-later
// DeadlinesController: the whole portfolio's deadlines on the thread pool; the GUI thread only
// swaps the dashboard in.
#include "model/ui/deadlinescontroller.h"

#include "model/portfolio/portfolio.h"
#include "model/ui/deadlineview.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

namespace {

struct Dashboard
{
    QVariantList groups, byMonth;
    int overdue = 0, upcoming = 0;
};

} // namespace

DeadlinesController::DeadlinesController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &DeadlinesController::refresh);
}

DeadlinesController::~DeadlinesController() = default;

void DeadlinesController::refresh()
{
    if (m_session->state() != Session::Unlocked)
        return;
    // A newer computation supersedes a running one: its result would be out of date.
    const quint64 generation = ++m_generation;
    startWork(tr("Computing deadlines…"));
    const QString path = m_session->databasePath();
    // One query for the list, the chart and the badge (DeadlineView), so they cannot disagree.
    auto future = QtConcurrent::run([path]() -> Dashboard {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return {};
        const DeadlineOverview o =
            Portfolio::deadlineOverview(*db.value(), DeadlineView::pageQuery(QDate::currentDate()));
        return {DeadlineView::groups(o), DeadlineView::months(o), o.overdue, o.upcoming};
    });
    auto *watcher = new QFutureWatcher<Dashboard>(this);
    connect(watcher, &QFutureWatcher<Dashboard>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Dashboard d = watcher->result();
        m_groups = d.groups;
        m_rows.clear();
        for (const QVariant &g : std::as_const(m_groups)) {
            const QVariantMap group = g.toMap();
            bool first = true;
            for (const QVariant &item : group.value("items").toList()) {
                QVariantMap row = item.toMap();
                row.insert("group", group.value("title"));
                row.insert("groupStart", std::exchange(first, false));
                row.insert("late", group.value("overdue"));
                row.insert("groupKind", group.value("kind"));
                m_rows.append(row);
            }
        }
        m_byMonth = d.byMonth;
        m_overdue = d.overdue;
        m_upcoming = d.upcoming;
        finishWork();
        emit deadlinesChanged();
    });
    watcher->setFuture(future);
}

} // namespace cartulary::model
