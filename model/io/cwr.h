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

/** Collection shares in one territory (SPT/OPT for a publisher, SWT/OWT for a writer), in bp. */
struct Collection
{
    QString tis;               ///< CISAC TIS numeric territory code as in the file ("2136" = World)
    bool included = true;      ///< I(ncluded) or E(xcluded) from the party's territories
    int performingBp = 0;      ///< PR collection share
    int mechanicalBp = 0;      ///< MR collection share
    int syncBp = 0;            ///< SR collection share
    bool sharesChange = false; ///< Y: collection differs from ownership (e.g. on sub-publication)
    qint64 line = 0;
};

/** A publisher or writer on a work with its ownership shares, in basis points (10,000 = 100 %). */
struct Party
{
    enum class Role { Publisher, Writer };
    Role role = Role::Writer;
    bool controlled = true; ///< SPU/SWR (the submitter's) rather than OPU/OWR
    QString number;         ///< Interested Party # (submitter's own id)
    QString name;           ///< publisher name, or writer "Last, First" (first omitted when empty)
    QString ipiNameNumber;  ///< 11 digits when given
    QString designation; ///< publisher type (E, AM, SE, PA, …) or writer designation (CA, A, C, …)
    int performingBp = 0; ///< PR ownership share
    int mechanicalBp = 0; ///< MR ownership share
    int syncBp = 0;       ///< SR ownership share
    qint64 line = 0;
    /// Publishers: the Publisher Sequence # (1, 2, …): the chain of title (original publisher, its
    /// administrators and sub-publishers) this record belongs to. 0 for writers.
    int chain = 0;
    QList<Collection> collection; ///< the SPT/OPT or SWT/OWT records that follow it, in file order
    QStringList publishers; ///< writers: Interested Party # of each PWR publisher, in file order
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
    QString transaction; ///< "NWR", "REV", …
    qint64 line = 0;     ///< the transaction header's line
    QString title;
    QString iswc; ///< as in the file ("T0345246801"), empty when not given
    QString submitterWorkNumber;
    QString language;              ///< ISO 639-1 when given
    QStringList alternativeTitles; ///< ALT records
    QList<Party> parties;          ///< SPU/OPU then SWR/OWR in file order
    QList<ShareProblem> shareProblems;
    QString versionType;   ///< ORI (original) or MOD (modified version of another work), …
    QString originalTitle; ///< VER: the title of the work this one is a version of
    QString originalIswc;  ///< VER: that work's ISWC, empty when not given
    QStringList isrcs;     ///< REC: ISRCs of recordings of this work, in file order
};

/** The file's header and counts. */
struct Header
{
    QString version;    ///< "2.1" or "2.2"
    QString senderType; ///< PB, SO, AA, WR; or two digits, the start of an 11-digit IPI name #
    QString senderId;   ///< as in the file; with a two-digit sender type, all 11 digits
    QString senderName;
    QDate created;
    qint64 lines = 0, groups = 0, transactions = 0, works = 0;
    // lines: the records in the file, HDR and TRL included (what the TRL counts); transactions:
    // every transaction, AGR included; works: the NWR/REV/ISW/EXC transactions passed to the sink.
};

/** Progress and cancel. */
struct Options
{
    /// (bytes read, bytes total); total is -1 for a device of unknown size (a pipe). Called about
    /// every 64 KiB and once at the end, on the reading thread.
    std::function<void(qint64, qint64)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/**
 * Reads a whole CWR file, passing each work to sink in file order. Refused, naming the line: a
 * record shorter than its type's length in the file's version, an unknown record type, a record out
 * of place (SPU outside a transaction), a bad number or date in a field the rules require, and
 * GRT/TRL counts that disagree with the file. The caller discards what the sink received on error.
 *
 * The version comes from the first GRH (02.10 or 02.20; the HDR's version field must agree when
 * given). Records end with CRLF or LF; fields are counted in characters (UTF-8 is accepted, as the
 * HDR's character set allows). A work is passed to sink when its transaction ends, with its share
 * problems worked out; sink returning false cancels the read (code "cancelled", naming the work's
 * line), and so does options.cancel. An acknowledgement file (GRH ACK) is refused: it is a
 * society's reply to registrations, not registrations. Error codes: cwr-ack, cwr-version,
 * cwr-encoding, cwr-length, cwr-record-type, cwr-place, cwr-sequence, cwr-number, cwr-date,
 * cwr-field, cwr-count, cwr-truncated, cwr-read, cancelled. The format and the choices made where
 * the specification leaves room are documented in model/CWR.md.
 */
Result<Header> read(QIODevice &device, const Options &options,
                    const std::function<bool(const Work &)> &sink);

} // namespace cartulary::model::cwr
