// SPDX-License-Identifier: GPL-3.0-or-later
// DeadlinesController: the whole portfolio's deadlines on the thread pool; the GUI thread only
// swaps the dashboard in.
#include "model/ui/deadlinescontroller.h"

#include "model/portfolio/portfolio.h"
#include "model/ui/labels.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

namespace {

QString iso(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

/** Monday of the week holding d. */
QDate weekStart(const QDate &d)
{
    return d.addDays(1 - d.dayOfWeek());
}

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
    auto future = QtConcurrent::run([path]() -> Dashboard {
        Dashboard out;
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return out;
        const QDate today = QDate::currentDate();
        const auto all =
            Portfolio::deadlines(*db.value(), today.addYears(-1), today.addMonths(12), today);
        QVariantList overdue;
        QMap<QDate, QVariantList> weeks;
        QMap<QString, std::pair<int, int>> months; // yyyy-MM → (due, of which overdue)
        for (const PortfolioDeadline &d : all) {
            if (d.done)
                continue;
            const QVariantMap item{{"key", d.deadline.key},
                                   {"assetId", d.deadline.assetId},
                                   {"reference", d.deadline.reference},
                                   {"title", d.deadline.title},
                                   {"label", d.deadline.label},
                                   {"kind", d.deadline.kind},
                                   {"due", iso(d.deadline.due)},
                                   {"graceEnd", iso(d.deadline.graceEnd)},
                                   {"state", deadlineStateName(d.state)},
                                   {"stateTitle", deadlineStateTitle(d.state)}};
            const bool late =
                d.state == DeadlineState::InGrace || d.state == DeadlineState::Overdue;
            if (late) {
                overdue.append(item);
                ++out.overdue;
            } else if (d.deadline.due <= today.addDays(90)) {
                weeks[weekStart(d.deadline.due)].append(item);
                ++out.upcoming;
            }
            // The chart starts six months back, but never hides a deadline still unsettled.
            if (late || d.deadline.due >= today.addMonths(-6)) {
                auto &m = months[d.deadline.due.toString(QStringLiteral("yyyy-MM"))];
                ++m.first;
                m.second += late;
            }
        }
        if (!overdue.isEmpty())
            out.groups.append(QVariantMap{{"title", QObject::tr("Overdue or in grace")},
                                          {"overdue", true},
                                          {"items", overdue}});
        for (auto it = weeks.begin(); it != weeks.end(); ++it)
            out.groups.append(QVariantMap{
                {"title",
                 QObject::tr("Week of %1 (week %2)").arg(iso(it.key())).arg(it.key().weekNumber())},
                {"overdue", false},
                {"items", it.value()}});
        for (auto it = months.begin(); it != months.end(); ++it)
            out.byMonth.append(QVariantMap{
                {"month", it.key()}, {"count", it.value().first}, {"overdue", it.value().second}});
        return out;
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
