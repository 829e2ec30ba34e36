// SPDX-License-Identifier: GPL-3.0-or-later
// CISAC Common Works Registration (CWR 2.1 and 2.2) files: fixed-width work registrations read as a
// stream of works, all or nothing, every error naming its line.
#pragma once

#include "ledger/result.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

class QIODevice;

namespace cartulary::model::cwr {

/** A publisher or writer on a work with its ownership shares, in basis points (10,000 = 100 %). */
struct Party
{
    enum class Role { Publisher, Writer };
    Role role = Role::Writer;
    bool controlled = true;   ///< SPU/SWR (the submitter's) rather than OPU/OWR
    QString number;           ///< Interested Party # (submitter's own id)
    QString name;             ///< publisher name, or writer "Last, First" (first omitted when empty)
    QString ipiNameNumber;    ///< 11 digits when given
    QString designation;      ///< publisher type (E, AM, SE, PA, …) or writer designation (CA, A, C, …)
    int performingBp = 0;     ///< PR ownership share
    int mechanicalBp = 0;     ///< MR ownership share
    int syncBp = 0;           ///< SR ownership share
    qint64 line = 0;
};

/** A right whose ownership shares do not total 100 % (±0.06 %, or 0 where the rules allow). */
struct ShareProblem
{
    QString right; ///< "performing", "mechanical", "sync"
    int totalBp = 0;
    QString message; ///< "line 7: performing ownership shares total 99.00 %, not 100 % (±0.06 %)"
};

/** One work registration (NWR, REV; ISW and EXC read the same way). */
struct Work
{
    QString transaction;     ///< "NWR", "REV", …
    qint64 line = 0;         ///< the transaction header's line
    QString title;
    QString iswc;            ///< as in the file ("T0345246801"), empty when not given
    QString submitterWorkNumber;
    QString language;        ///< ISO 639-1 when given
    QStringList alternativeTitles; ///< ALT records
    QList<Party> parties;    ///< SPU/OPU then SWR/OWR in file order
    QList<ShareProblem> shareProblems;
};

/** The file's header and counts. */
struct Header
{
    QString version;    ///< "2.1" or "2.2"
    QString senderType; ///< PB, SO, AA, WR
    QString senderId;
    QString senderName;
    QDate created;
    qint64 lines = 0, groups = 0, transactions = 0, works = 0;
};

/** Progress and cancel. */
struct Options
{
    std::function<void(qint64, qint64)> progress; ///< (bytes read, bytes total)
    const std::atomic_bool *cancel = nullptr;
};

/**
 * Reads a whole CWR file, passing each work to sink in file order. Refused, naming the line: a
 * record shorter than its type's length in the file's version, an unknown record type, a record out
 * of place (SPU outside a transaction), a bad number or date in a field the rules require, and
 * GRT/TRL counts that disagree with the file. The caller discards what the sink received on error.
 */
Result<Header> read(QIODevice &device, const Options &options,
                    const std::function<bool(const Work &)> &sink);

} // namespace cartulary::model::cwr
