// SPDX-License-Identifier: GPL-3.0-or-later
// Usage and revenue reports as they arrive: the usage CSV and DDEX DSR flat files, read as a stream
// of usage records, all or nothing, every error naming its line.
#pragma once

#include "ledger/result.h"
#include "model/core/period.h"

#include <QByteArrayView>
#include <QDate>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <utility>

class QIODevice;

namespace cartulary::model::usage {

/** The two report formats we read. */
enum class Format { Csv, Dsr };

/** One usage as reported: what was used where, how often, and the money owed for it. */
struct Record
{
    qint64 line = 0;   ///< 1-based physical line of the record (DSR: the SU record's line)
    QString period;    ///< "2026-Q3" or "2026-09"
    QString licensee;  ///< who reports and pays (CSV column; DSR: HEAD SenderName)
    QString territory; ///< ISO 3166-1 alpha-2, upper case, or "WW"
    /** An asset reference or id as written; empty when the work is an identifier. */
    QString workRef;
    QString isrc, iswc, doi; ///< as written (prefix removed); normalising is matching's job
    QString title;           ///< for matching by title when no identifier matches
    QString creator;         ///< "Last, First" or "First Last"; several joined by "; "
    qint64 units = 0;        ///< uses (streams, copies, queries); never negative
    qint64 amountMicro = 0;  ///< owed, in millionths of the currency's major unit; never negative
    QString currency;        ///< ISO 4217
    /** "performing", "mechanical", "sync"; empty when the report says none. */
    QString right;
    /** DSR only: false when the report states nothing owed for the usage — a UGC usage without an
     * LI01 allocation to a represented rights controller, a Basic Audio usage whose summary record
     * states no AllocatedRevenue (amountMicro is then 0 and netRevenueMicro what the service
     * reported). The rules: model/ROYALTIES.md, "Usage reports". */
    bool allocated = true;
    /** DSR: the SU03's NetRevenue (UGC), or the usage's share by units of its summary record's
     * NetRevenue (Basic Audio); CSV: equal to amountMicro. */
    qint64 netRevenueMicro = 0;
};

/**
 * A Record as UTF-8 bytes, for readers of millions of lines (the usage import aggregates them
 * without a QString per field): the same fields and rules; the views are valid only while the sink
 * runs.
 */
struct RecordView
{
    qint64 line = 0;
    QByteArrayView period, licensee, territory, workRef, isrc, iswc, doi, title, creator, currency,
        right;
    qint64 units = 0, amountMicro = 0, netRevenueMicro = 0;
    bool allocated = true;

    Record toRecord() const;
};

/** How to read a report. */
struct Options
{
    /** CSV: used for lines without a period column; DSR: must agree with HEAD when set. */
    QString period;
    /** CSV: the right of lines without a right column ("performing" when empty). */
    QString right;
    /** DSR: whose LI01 allocations count (compared without regard to case); empty: HEAD's
     * RepresentedRepertoire, and every rights controller when the HEAD names none either. */
    QStringList rightsControllers;
    /** (bytes read, bytes total) — total is 0 for a sequential device. */
    std::function<void(qint64, qint64)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/** What a whole report held, for the signed import entry and the report a user reads. */
struct Summary
{
    Format format = Format::Csv;
    QString period;      ///< the one period of every record, or the first one if several
    QStringList periods; ///< every distinct period, in order of first appearance
    qint64 lines = 0;    ///< physical lines in the file
    qint64 records = 0;  ///< usage records passed to the sink
    QMap<QString, qint64> totalsMicro; ///< currency -> sum of amountMicro
    qint64 unallocatedRecords = 0;     ///< DSR: usages without a represented LI01 allocation
    QStringList rightsControllers;     ///< DSR: the controllers whose allocations were counted
    QString sender;                    ///< DSR: HEAD SenderName; CSV: empty
    QStringList warnings;              ///< e.g. "column 'colour' is not understood and was ignored"
};

/** Csv or Dsr from the first bytes of a file (a DSR starts with "HEAD" or a '#' comment line; a
 * file starting with another DSR record type and a tab is a DSR too, refused for lacking its HEAD).
 */
Format detect(const QByteArray &head);
QString formatName(Format format); ///< "csv", "dsr"

/**
 * Reads a whole report, passing each usage record to sink in file order; never holds more than one
 * block in memory. On any error — which names the line (and the column or field) — the result is
 * an error and the caller must discard what the sink received: a DSR's FOOT is checked at its end.
 * A sink that returns false, or options.cancel set, stops the reading with code "cancelled".
 */
Result<Summary> read(QIODevice &device, const Options &options,
                     const std::function<bool(const Record &)> &sink);
/** read(), passing each record as UTF-8 views. */
Result<Summary> readViews(QIODevice &device, const Options &options,
                          const std::function<bool(const RecordView &)> &sink);

/**
 * True for an officially assigned ISO 3166-1 alpha-2 code in upper case ("DE", "IS"), for "WW"
 * (worldwide, as DDEX writes it) and for "XK" (Kosovo: user-assigned, but the code every DSP
 * reports it under). Not the patent offices EP, WO, EM that isJurisdiction() also accepts.
 */
bool isTerritoryCode(const QString &code);

} // namespace cartulary::model::usage
