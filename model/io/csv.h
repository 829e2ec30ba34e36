// SPDX-License-Identifier: GPL-3.0-or-later
// Bounded, streaming RFC 4180 CSV: reading hostile portfolio exports and writing our own.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <memory>

class QIODevice;

/**
 * The dialect, chosen so that any docketing system's export reads the same way everywhere:
 *
 * - UTF-8 only; a BOM at the very start is skipped (elsewhere U+FEFF is data). Invalid UTF-8,
 *   overlong forms and surrogates are errors, because guessing an encoding corrupts names.
 * - Fields are separated by ','. A record ends at LF, CRLF or a lone CR (old Mac exports); each of
 *   those ends one physical line, also inside quoted fields, where the bytes are kept as data.
 * - A line with no bytes at all between records (or at the end) is skipped but still counted;
 *   a line holding only "" is a record with one empty field.
 * - Field values are returned exactly: no trimming, no line-end normalisation.
 * - Refused, naming line and column: a quote in an unquoted field, anything but ',' or a line end
 *   after a closing quote, an unclosed quoted field (named by the line where it starts), a NUL
 *   byte, and anything over a Limit. The first error ends the reading: nothing is guessed.
 * - Lines and columns are 1-based; columns count characters (code points), as an editor does.
 */
namespace cartulary::model::csv {

/** What one file may make the reader buffer; exceeding a limit is an error, never a truncation. */
struct Limits
{
    qint64 maxFieldBytes = 1 << 20;  ///< per field: its UTF-8 data, without enclosing quotes
    qint64 maxRecordBytes = 8 << 20; ///< per record: its bytes in the file, without its line end
    int maxFields = 512;             ///< per record
};

/** One parsed record: its fields and the 1-based physical line on which it starts. */
struct Record
{
    QStringList fields;
    qint64 line = 0;
};

/**
 * One parsed record as UTF-8 bytes (validated, exactly as Record's fields would decode): views into
 * the reader that stay valid until its next call. For readers of millions of lines that need no
 * QString per field.
 */
struct RecordView
{
    QVarLengthArray<QByteArrayView, 16> fields;
    qint64 line = 0;
};

/** Streaming RFC 4180 reader over a QIODevice the caller opened (file, buffer, or a sequential
 * device). */
class Reader
{
public:
    /**
     * Does not take ownership. Open the device without QIODevice::Text. A sequential device that
     * has no data yet is waited on (waitForReadyRead), so run the reader on a worker thread.
     */
    explicit Reader(QIODevice *device, Limits limits = {});
    ~Reader();
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;

    /** Reads the next record; false at the end or on an error (check hasError()). */
    [[nodiscard]] bool next(Record &record);
    /** The same as bytes; one reader may mix both calls. */
    [[nodiscard]] bool next(RecordView &record);
    bool hasError() const;
    /** What and where, e.g. "line 12, column 7: a quote inside an unquoted field; ...". */
    QString errorString() const;
    /** The line the error names (for an unclosed quote: where that field started); 0 if none. */
    qint64 errorLine() const;
    /** Bytes taken from the device so far, for progress bars. */
    qint64 bytesRead() const;
    /** Physical lines read so far, blank ones included; after the last record, the file's lines. */
    qint64 lines() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

/**
 * One CSV line, UTF-8, ending with "\n" (never CRLF). A field is quoted only when it must be
 * (separator, quote, CR, LF, or a leading U+FEFF that would read back as a BOM). A record of one
 * empty field is written as "" so that it does not read back as a skipped blank line.
 */
QByteArray formatRecord(const QStringList &fields);

/**
 * A cell for a file a spreadsheet may open: one starting with '=', '+', '-', '@', tab or CR would
 * run as a formula there (OWASP "CSV injection"), so it gets a leading apostrophe, which
 * spreadsheets show as text; a cell already starting with an apostrophe gets one more, so that
 * unguardFormula() can tell the two apart. Anything else is returned as it is.
 */
QString guardFormula(const QString &cell);
/**
 * Undoes guardFormula() when reading: one leading apostrophe followed by '=', '+', '-', '@', tab,
 * CR or another apostrophe is removed ("'=SUM(A1)" → "=SUM(A1)", "''quoted" → "'quoted"); any other
 * cell ("'quoted" from another program) is returned as it is.
 */
QString unguardFormula(const QString &cell);

} // namespace cartulary::model::csv
