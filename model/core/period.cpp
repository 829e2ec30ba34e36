// SPDX-License-Identifier: GPL-3.0-or-later
// Reporting periods: months and calendar quarters, parsed strictly.
#include "model/core/period.h"

#include <QRegularExpression>

namespace cartulary::model {

Result<std::pair<QDate, QDate>> periodRange(const QString &period, const QString &field)
{
    using R = Result<std::pair<QDate, QDate>>;
    static const QRegularExpression re(QStringLiteral(R"(^(\d{4})-(?:Q([1-4])|(\d{2}))$)"));
    const auto m = re.match(period);
    const int year = m.hasMatch() ? m.captured(1).toInt() : 0;
    if (m.hasMatch() && year >= 1900) {
        if (!m.captured(2).isEmpty()) {
            const int q = m.captured(2).toInt();
            const QDate first(year, 3 * q - 2, 1);
            return std::pair{first, first.addMonths(3).addDays(-1)};
        }
        const int month = m.captured(3).toInt();
        if (month >= 1 && month <= 12) {
            const QDate first(year, month, 1);
            return std::pair{first, first.addMonths(1).addDays(-1)};
        }
    }
    return R::failure("bad-period",
                      QStringLiteral("%1: '%2' is not a period; write a month (2026-09) or a "
                                     "quarter (2026-Q3)")
                          .arg(field, period));
}

QStringList periodsWithin(const QString &period)
{
    const auto range = periodRange(period, QString());
    if (!range)
        return {};
    QStringList out{period};
    if (period.contains(u'Q'))
        for (QDate d = range->first; d <= range->second; d = d.addMonths(1))
            out.append(d.toString(QStringLiteral("yyyy-MM")));
    return out;
}

QString periodOf(const QDate &first, const QDate &last)
{
    if (!first.isValid() || !last.isValid() || first.day() != 1)
        return {};
    if (last == first.addMonths(1).addDays(-1))
        return first.toString(QStringLiteral("yyyy-MM"));
    if ((first.month() - 1) % 3 == 0 && last == first.addMonths(3).addDays(-1))
        return QStringLiteral("%1-Q%2").arg(first.year()).arg((first.month() + 2) / 3);
    return {};
}

QString previousPeriod(const QString &period)
{
    const auto range = periodRange(period, QString());
    if (!range)
        return {};
    if (period.contains(u'Q')) {
        const QDate before = range->first.addMonths(-3);
        return QStringLiteral("%1-Q%2").arg(before.year()).arg((before.month() + 2) / 3);
    }
    return range->first.addMonths(-1).toString(QStringLiteral("yyyy-MM"));
}

} // namespace cartulary::model
