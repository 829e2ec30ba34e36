// SPDX-License-Identifier: GPL-3.0-or-later
// Reporting periods as usage reports and distribution runs name them: a month ("2026-09") or a
// calendar quarter ("2026-Q3").
#pragma once

#include "ledger/result.h"

#include <QDate>
#include <QStringList>

namespace cartulary::model {

/** The first and last day of "2026-09" or "2026-Q3"; an error naming field otherwise. */
Result<std::pair<QDate, QDate>> periodRange(const QString &period, const QString &field);
/** The period and the periods inside it: a quarter with its three months; a month alone. */
QStringList periodsWithin(const QString &period);
/** "2026-09" for a whole calendar month, "2026-Q3" for a whole quarter, else empty. */
QString periodOf(const QDate &first, const QDate &last);
/** The period before: "2026-Q2" before "2026-Q3", "2026-08" before "2026-09". */
QString previousPeriod(const QString &period);

} // namespace cartulary::model
