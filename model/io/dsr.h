// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the usage readers (usage.cpp, dsr.cpp): the DDEX DSR flat-file reader and the few
// helpers the two formats share. Callers use model/io/usage.h.
#pragma once

#include "model/io/usage.h"

namespace cartulary::model::usage::detail {

using Sink = std::function<bool(const Record &)>;

/** Reads a DDEX DSR flat file (usage.h read() has detected the format). */
Result<Summary> readDsr(QIODevice &device, const Options &options, const Sink &sink);

/** An error of the report's content: code "invalid-usage". */
Error invalid(const QString &message);
/** The reading stopped by the caller (sink or options.cancel): code "cancelled". */
Error cancelled(qint64 line);

/** Adds amountMicro to totals[currency], refusing a sum past 64 bits (naming line). */
Status addToTotal(QMap<QString, qint64> &totals, const QString &currency, qint64 amountMicro,
                  qint64 line);
/** The same for one currency's running total. */
Status addToTotal(qint64 &total, const QString &currency, qint64 amountMicro, qint64 line);

/** Calls options.progress at most every 1 MiB (and at the end, when last is true). */
class Progress
{
public:
    Progress(const Options &options, const QIODevice &device);
    void report(qint64 bytes, bool last = false);

private:
    const Options &m_options;
    qint64 m_total = 0;
    qint64 m_next = 0;
};

} // namespace cartulary::model::usage::detail
