// SPDX-License-Identifier: GPL-3.0-or-later
// The DDEX DSR flat-file reader (DSRF): HEAD, summary records, blocks and FOOT of the UGC and Basic
// Audio profiles, streamed a line at a time with only the current block's resources in memory.
#include "model/io/dsr.h"

#include "model/core/period.h"

#include "model/core/money.h"

#include <QHash>
#include <QIODevice>
#include <QSet>
#include <QVarLengthArray>

#include <cstring>
#include <limits>
#include <optional>
#include <vector>

namespace cartulary::model::usage::detail {

namespace {

constexpr qint64 ChunkSize = qint64(64) * 1024;
constexpr qsizetype MaxLineBytes = qsizetype(8) << 20;
// Summary records are all kept (usages point back at them); a block's resources until it ends.
constexpr qsizetype MaxSummaryRecords = 100'000;
constexpr qsizetype MaxBlockResources = 100'000;

/** Physical lines of a device: LF ends a line (a CR right before it is dropped); a BOM is skipped.
 */
class LineReader
{
public:
    explicit LineReader(QIODevice &device)
        : m_device(device)
    {}

    /** The next line, valid until the next call; false at the end or on an error. */
    bool next(QByteArrayView &line)
    {
        for (;;) {
            const char *data = m_buffer.constData();
            if (const void *nl = std::memchr(data + m_pos, '\n', size_t(m_end - m_pos))) {
                const qsizetype at = static_cast<const char *>(nl) - data;
                line = QByteArrayView(data + m_pos, at - m_pos);
                m_pos = at + 1;
                return take(line);
            }
            if (m_eof) {
                if (m_pos == m_end)
                    return false;
                line = QByteArrayView(data + m_pos, m_end - m_pos);
                m_pos = m_end;
                return take(line);
            }
            if (m_end - m_pos > MaxLineBytes) {
                m_error = QStringLiteral("line %1 is longer than %2 bytes; this is not a DSR flat "
                                         "file")
                              .arg(m_line + 1)
                              .arg(MaxLineBytes);
                return false;
            }
            if (!fill())
                return false;
        }
    }

    qint64 lineNumber() const { return m_line; }
    qint64 bytesRead() const { return m_bytes; }
    const QString &error() const { return m_error; }

private:
    bool take(QByteArrayView &line)
    {
        if (line.endsWith('\r'))
            line.chop(1);
        ++m_line;
        return true;
    }

    qint64 readSome(char *into, qint64 max)
    {
        for (;;) {
            const qint64 n = m_device.read(into, max);
            if (n != 0)
                return n;
            // A pipe may have nothing yet; a device that cannot wait is at its end.
            if (!m_device.isSequential() || !m_device.waitForReadyRead(-1))
                return 0;
        }
    }

    bool fill()
    {
        // Keep the unread tail at the front, then read a chunk after it.
        const qsizetype tail = m_end - m_pos;
        if (m_pos > 0 && tail > 0)
            std::memmove(m_buffer.data(), m_buffer.constData() + m_pos, size_t(tail));
        m_pos = 0;
        m_end = tail;
        if (m_buffer.size() < m_end + ChunkSize)
            m_buffer.resize(m_end + ChunkSize);
        const qint64 n = readSome(m_buffer.data() + m_end, ChunkSize);
        if (n < 0) {
            m_error = QStringLiteral("cannot read the report: %1").arg(m_device.errorString());
            return false;
        }
        if (n == 0)
            m_eof = true;
        m_end += n;
        m_bytes += n;
        if (!m_started && (m_end >= 3 || m_eof)) {
            m_started = true;
            if (m_end >= 3 && std::memcmp(m_buffer.constData(), "\xEF\xBB\xBF", 3) == 0)
                m_pos = 3;
        }
        return true;
    }

    QIODevice &m_device;
    QByteArray m_buffer; // m_buffer[m_pos, m_end) is not read yet
    qsizetype m_pos = 0;
    qsizetype m_end = 0;
    bool m_eof = false;
    bool m_started = false;
    qint64 m_line = 0;
    qint64 m_bytes = 0;
    QString m_error;
};

/** '\' + c: a tab, LF or CR for t, n, r; the character itself otherwise (\|, \\, \<tab>). */
QString unescape(QByteArrayView cell)
{
    if (!cell.contains('\\'))
        return QString::fromUtf8(cell);
    QByteArray out;
    out.reserve(cell.size());
    for (qsizetype i = 0; i < cell.size(); ++i) {
        char c = cell[i];
        if (c == '\\' && i + 1 < cell.size()) {
            c = cell[++i];
            c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

/** One record: cells at unescaped tabs, each decoded only when asked for. */
class Cells
{
public:
    /** False when the line ends in a backslash that escapes nothing. */
    bool split(QByteArrayView line)
    {
        m_line = line;
        m_cells.clear();
        qsizetype start = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            if (line[i] == '\\') {
                if (++i == line.size())
                    return false;
            } else if (line[i] == '\t') {
                m_cells.append({start, i});
                start = i + 1;
            }
        }
        m_cells.append({start, line.size()});
        return true;
    }

    qsizetype size() const { return m_cells.size(); }

    /** The cell's text, escapes resolved and trimmed; empty when the record has no such cell. */
    QString text(qsizetype i) const
    {
        if (i >= m_cells.size())
            return {};
        return unescape(raw(i)).trimmed();
    }

    /** A repeatable cell's values, split at unescaped '|'; empty values dropped. */
    QStringList values(qsizetype i) const
    {
        QStringList out;
        if (i >= m_cells.size())
            return out;
        const QByteArrayView cell = raw(i);
        qsizetype start = 0;
        for (qsizetype k = 0; k <= cell.size(); ++k) {
            if (k < cell.size() && cell[k] == '\\') {
                ++k;
                continue;
            }
            if (k == cell.size() || cell[k] == '|') {
                const QString value = unescape(cell.sliced(start, k - start)).trimmed();
                if (!value.isEmpty())
                    out.append(value);
                start = k + 1;
            }
        }
        return out;
    }

private:
    QByteArrayView raw(qsizetype i) const
    {
        return m_line.sliced(m_cells[i].first, m_cells[i].second - m_cells[i].first);
    }

    QByteArrayView m_line;
    QVarLengthArray<std::pair<qsizetype, qsizetype>, 32> m_cells;
};

enum class Profile { Ugc, BasicAudio };

/** Where a summary record type keeps what a usage needs (cell numbers; -1: it has none). */
struct SummaryLayout
{
    const char *type;
    int territory;
    int currency;
    int netRevenue;
    int usages;
    int allocatedUsages;
    int allocatedRevenue;
    int rightsType;
};

// From the record definitions of the UGC (1.0-1.2) and Basic Audio (1.0-1.2) profiles.
constexpr SummaryLayout Layouts[] = {
    {"SY01", 6, 10, 11, 8, -1, -1, -1},     {"SY01.01", 6, 10, 11, 8, -1, -1, -1},
    {"SY02.01", 6, 10, 11, 8, 14, 15, 17},  {"SY02.02", 6, 10, 11, 8, 14, 15, 17},
    {"SY03", 6, 10, 11, 8, 14, 15, -1},     {"SY04", 6, 14, 18, 13, -1, -1, -1},
    {"SY04.01", 6, 14, 18, 13, -1, -1, -1}, {"SY05.02", 6, 17, -1, 11, 12, 15, 10},
    {"SY09", 4, 15, 12, 10, 11, -1, 9},
};

const char *const UgcBody[] = {"AS01",    "AS01.01", "AS02",    "AS02.01", "AS02.02",
                               "MW01",    "MW01.01", "RU01",    "RU01.01", "RU02",
                               "RU02.01", "SU03.01", "SU03.02", "LI01.01", "LI01.02"};
const char *const BasicAudioBody[] = {"RE01",    "RE02", "AS01",    "AS01.01", "AS02", "AS02.01",
                                      "AS02.02", "MW01", "MW01.01", "SU01",    "SU02"};

/** floor(a × b / c) for c > 0, exactly. */
qint64 mulDivFloor(qint64 a, qint64 b, qint64 c)
{
    const __int128 p = __int128(a) * b;
    __int128 q = p / c;
    if (p % c != 0 && p < 0)
        --q;
    return qint64(q);
}

/** Micro-units as a decimal with six places: 12000000 -> "12.000000". */
QString microText(qint64 micro)
{
    return QStringLiteral("%1.%2")
        .arg(micro / 1'000'000)
        .arg(micro % 1'000'000, 6, 10, QLatin1Char('0'));
}

/** YYYY, YYYY-MM or YYYY-MM-DD as the first (or last) day it names. */
std::optional<QDate> isoDate(const QString &text, bool last)
{
    const QStringList parts = text.split(u'-');
    if (parts.isEmpty() || parts.size() > 3 || parts[0].size() != 4)
        return std::nullopt;
    bool ok = true;
    const int year = parts[0].toInt(&ok);
    if (!ok || year < 1)
        return std::nullopt;
    if (parts.size() == 1)
        return last ? QDate(year, 12, 31) : QDate(year, 1, 1);
    const int month = parts[1].size() == 2 ? parts[1].toInt(&ok) : 0;
    if (!ok || month < 1 || month > 12)
        return std::nullopt;
    if (parts.size() == 2) {
        const QDate first(year, month, 1);
        return last ? first.addMonths(1).addDays(-1) : first;
    }
    const int day = parts[2].size() == 2 ? parts[2].toInt(&ok) : 0;
    const QDate date(year, month, day);
    if (!ok || !date.isValid())
        return std::nullopt;
    return date;
}

class DsrReader
{
public:
    DsrReader(QIODevice &device, const Options &options, const Sink &sink)
        : m_options(options)
        , m_sink(sink)
        , m_lines(device)
        , m_progress(options, device)
    {}

    Result<Summary> run()
    {
        m_summary.format = Format::Dsr;
        QByteArrayView bytes;
        while (m_lines.next(bytes)) {
            m_line = m_lines.lineNumber();
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
                return cancelled(m_line);
            if (Status s = onLine(bytes); !s)
                return s.error();
            m_progress.report(m_lines.bytesRead());
        }
        if (!m_lines.error().isEmpty())
            return invalid(m_lines.error());
        if (m_headLine == 0)
            return invalid(QStringLiteral("the file has no HEAD record: it is not a DDEX DSR flat "
                                          "file"));
        if (m_footLine == 0)
            return invalid(QStringLiteral("line %1: the file ends without its FOOT record: it is "
                                          "cut short (truncated); ask the sender for the whole "
                                          "report")
                               .arg(m_lines.lineNumber()));
        m_summary.lines = m_lines.lineNumber();
        if (m_allControllers)
            m_summary.rightsControllers = m_counted;
        m_progress.report(m_lines.bytesRead(), true);
        return m_summary;
    }

private:
    struct SummaryRecord
    {
        qint64 line = 0;
        QString id;
        QString territory;
        QString currency;
        QString right;
        bool allocates = false;     // Basic Audio: an AllocatedRevenue spread over its usages
        qint64 allocatedMicro = 0;  // that AllocatedRevenue
        qint64 allocationUnits = 0; // AllocatedUsages, or Usages when it states none
        qint64 netMicro = 0;        // NetRevenue
        qint64 usages = -1;         // Usages; -1 when not stated
        qint64 unitsSeen = 0;       // units of its usage records so far
        qint64 usageRecords = 0;
    };

    struct Resource
    {
        QString ref;
        QString isrc;
        QString title;
        QString artist;
        QString iswc;
        QStringList composers; // AS02's own ComposerAuthor
        bool hasWork = false;  // an MW01 describes the work
        QString workTitle;
        QStringList workComposers;
    };

    struct Block
    {
        bool active = false;
        QString id;
        std::vector<Resource> resources;
        QHash<QString, QStringList> subReleases; // RE02 ReleaseReference -> UsedResources
        bool usageSeen = false;
    };

    struct Usage
    {
        bool open = false;
        qint64 line = 0;
        QString type;
        qsizetype summary = -1;
        qint64 units = 0;
        qint64 netMicro = 0;
        qsizetype resource = -1;
        QList<std::pair<QString, qint64>> allocations; // right -> represented LI01 amounts
    };

    Error fieldError(const QString &field, const QString &why) const
    {
        return invalid(
            QStringLiteral("line %1, field %2 (%3): %4").arg(m_line).arg(field, m_type, why));
    }

    QString where(const QString &field) const
    {
        return QStringLiteral("line %1, field %2 (%3)").arg(m_line).arg(field, m_type);
    }

    /** A count: digits, or digits and a '.' followed only by zeros (counts are decimals in 1.2). */
    Result<qint64> whole(qsizetype cell, const QString &field) const
    {
        const QString text = m_cells.text(cell);
        qsizetype i = 0;
        qint64 value = 0;
        for (; i < text.size() && text[i] >= u'0' && text[i] <= u'9'; ++i) {
            if (value > (std::numeric_limits<qint64>::max() - 9) / 10)
                return fieldError(field, QStringLiteral("'%1' is too large").arg(text));
            value = value * 10 + (text[i].unicode() - u'0');
        }
        const bool ok = i > 0;
        if (ok && i < text.size() && text[i] == u'.') {
            ++i;
            while (i < text.size() && text[i] == u'0')
                ++i;
        }
        if (!ok || i != text.size())
            return fieldError(field, QStringLiteral("'%1' is not a whole number (of uses, lines "
                                                    "or records)")
                                         .arg(text));
        return value;
    }

    Result<qint64> micro(qsizetype cell, const QString &field, bool allowNegative) const
    {
        const QString text = m_cells.text(cell);
        auto amount = parseMicro(text, where(field));
        if (!amount)
            return invalid(amount.errorString());
        if (amount.value() < 0 && !allowNegative)
            return fieldError(field, QStringLiteral("'%1' is negative; an amount owed is never "
                                                    "negative (corrections come as their own "
                                                    "report)")
                                         .arg(text));
        return amount;
    }

    Result<QString> right(qsizetype cell, const QString &field) const
    {
        const QString text = m_cells.text(cell);
        if (text.isEmpty())
            return QString();
        if (text.compare(u"PerformingRight", Qt::CaseInsensitive) == 0)
            return QStringLiteral("performing");
        if (text.compare(u"MechanicalRight", Qt::CaseInsensitive) == 0)
            return QStringLiteral("mechanical");
        for (const char *sync : {"SynchronizationRight", "SynchronisationRight", "SyncRight"})
            if (text.compare(QLatin1String(sync), Qt::CaseInsensitive) == 0)
                return QStringLiteral("sync");
        return fieldError(field, QStringLiteral("'%1' is a right this reader does not distribute; "
                                                "it reads PerformingRight, MechanicalRight and "
                                                "SynchronizationRight")
                                     .arg(text));
    }

    Result<qsizetype> summaryFor(const QString &id, const QString &field) const
    {
        const auto it = m_summaryById.constFind(id);
        if (it == m_summaryById.cend()) {
            QStringList ids = m_summaryById.keys();
            ids.sort();
            if (ids.size() > 10)
                ids = ids.mid(0, 10) << QStringLiteral("…");
            return fieldError(field,
                              QStringLiteral("points at summary record '%1', which the file does "
                                             "not have (it has %2); the report contradicts itself: "
                                             "ask the sender for a corrected one")
                                  .arg(id, ids.isEmpty() ? QStringLiteral("none")
                                                         : ids.join(QStringLiteral(", "))));
        }
        return it.value();
    }

    Status onLine(QByteArrayView bytes)
    {
        if (m_footLine != 0)
            return invalid(QStringLiteral("line %1 follows the FOOT record (line %2), which ends a "
                                          "DSR file; the file was altered")
                               .arg(m_line)
                               .arg(m_footLine));
        if (std::memchr(bytes.data(), 0, size_t(bytes.size())) != nullptr)
            return invalid(
                QStringLiteral("line %1: a NUL byte; this is not a text file").arg(m_line));
        if (!bytes.isValidUtf8())
            return invalid(QStringLiteral("line %1 is not UTF-8 text; a DSR flat file is UTF-8: "
                                          "ask the sender for a UTF-8 file")
                               .arg(m_line));
        if (bytes.startsWith('#'))
            return {}; // a comment line: counted in the FOOT, read by nobody
        if (bytes.isEmpty())
            return invalid(QStringLiteral("line %1 is empty; a DSR flat file has a record or a "
                                          "comment on every line")
                               .arg(m_line));
        if (!m_cells.split(bytes))
            return invalid(QStringLiteral("line %1 ends in a backslash that escapes nothing; a "
                                          "backslash in a value is written \\\\")
                               .arg(m_line));
        m_type = m_cells.text(0).toUpper();
        if (m_headLine == 0) {
            if (m_type != u"HEAD")
                return invalid(QStringLiteral("line %1: a %2 record before the HEAD; a DSR flat "
                                              "file starts with its HEAD record (after comment "
                                              "lines)")
                                   .arg(m_line)
                                   .arg(m_type.left(16)));
            return head();
        }
        if (m_type == u"HEAD")
            return invalid(QStringLiteral("line %1: a second HEAD record (the first is line %2)")
                               .arg(m_line)
                               .arg(m_headLine));
        if (m_type == u"FOOT")
            return foot();
        if (m_type.startsWith(u"SY"))
            return summaryRecord();
        return body();
    }

    Status head()
    {
        m_headLine = m_line;
        if (m_cells.size() < 12)
            return invalid(QStringLiteral("line %1: the HEAD has %2 fields; it needs at least 12 "
                                          "(MessageVersion … SenderName)")
                               .arg(m_line)
                               .arg(m_cells.size() - 1));
        const QString profile = m_cells.text(2);
        if (profile.compare(u"UgcProfile", Qt::CaseInsensitive) == 0)
            m_profile = Profile::Ugc;
        else if (profile.compare(u"BasicAudioProfile", Qt::CaseInsensitive) == 0)
            m_profile = Profile::BasicAudio;
        else
            return fieldError(QStringLiteral("Profile"),
                              QStringLiteral("'%1' is not a profile this reader knows; it reads "
                                             "UgcProfile and BasicAudioProfile reports")
                                  .arg(profile));
        auto file = whole(6, QStringLiteral("FileNumber"));
        if (!file)
            return file.error();
        auto files = whole(7, QStringLiteral("NumberOfFiles"));
        if (!files)
            return files.error();
        if (file.value() < 1 || file.value() > files.value())
            return fieldError(QStringLiteral("FileNumber"),
                              QStringLiteral("file %1 of %2 is not a file of the report")
                                  .arg(file.value())
                                  .arg(files.value()));
        m_oneOfOne = file.value() == 1 && files.value() == 1;
        if (Status s = period(); !s)
            return s;
        m_summary.sender = m_cells.text(11);
        if (m_summary.sender.isEmpty())
            return fieldError(QStringLiteral("SenderName"),
                              QStringLiteral("is empty; the report must say who sends it"));
        const QStringList represented = m_cells.values(15);
        m_summary.rightsControllers =
            m_options.rightsControllers.isEmpty() ? represented : m_options.rightsControllers;
        for (const QString &c : std::as_const(m_summary.rightsControllers))
            m_represented.insert(c.trimmed().toCaseFolded());
        m_allControllers = m_represented.isEmpty();
        if (m_allControllers && m_profile == Profile::Ugc)
            m_summary.warnings.append(
                QStringLiteral("the HEAD names no RepresentedRepertoire and no rights controller "
                               "was given: the LI01 allocations of every rights controller were "
                               "counted"));
        return {};
    }

    Status period()
    {
        const QString start = m_cells.text(8);
        const QString end = m_cells.text(9);
        const auto first = isoDate(start, false);
        const auto last = isoDate(end, true);
        if (!first || !last)
            return fieldError(
                QStringLiteral("UsageStartDate/UsageEndDate"),
                QStringLiteral("'%1' to '%2' are not dates like 2026-07-01").arg(start, end));
        const QString period = periodOf(*first, *last);
        if (period.isEmpty())
            return fieldError(QStringLiteral("UsageStartDate/UsageEndDate"),
                              QStringLiteral("%1 to %2 is neither a calendar month nor a calendar "
                                             "quarter; usage is imported a month or a quarter at "
                                             "a time")
                                  .arg(start, end));
        if (!m_options.period.isEmpty() && m_options.period != period)
            return fieldError(QStringLiteral("UsageStartDate/UsageEndDate"),
                              QStringLiteral("the report covers %1, not %2 as asked")
                                  .arg(period, m_options.period));
        m_summary.period = period;
        m_summary.periods = {period};
        return {};
    }

    Status summaryRecord()
    {
        if (m_blocks > 0)
            return invalid(QStringLiteral("line %1: a summary record after the first block (line "
                                          "%2); summary records come right after the HEAD")
                               .arg(m_line)
                               .arg(m_firstBlockLine));
        const auto layout =
            std::find_if(std::begin(Layouts), std::end(Layouts),
                         [&](const auto &l) { return m_type == QLatin1String(l.type); });
        if (layout == std::end(Layouts)) {
            QStringList known;
            for (const auto &l : Layouts)
                known.append(QLatin1String(l.type));
            return invalid(QStringLiteral("line %1: '%2' is not a summary record this reader knows "
                                          "(%3)")
                               .arg(m_line)
                               .arg(m_type.left(16), known.join(QStringLiteral(", "))));
        }
        if (qsizetype(m_summaries.size()) >= MaxSummaryRecords)
            return invalid(QStringLiteral("line %1: more than %2 summary records")
                               .arg(m_line)
                               .arg(MaxSummaryRecords));
        ++m_summaryCount;
        SummaryRecord s;
        s.line = m_line;
        s.id = m_cells.text(1);
        if (s.id.isEmpty())
            return fieldError(QStringLiteral("SummaryRecordId"), QStringLiteral("is empty"));
        s.territory = m_cells.text(layout->territory).toUpper();
        if (s.territory == u"WORLDWIDE")
            s.territory = QStringLiteral("WW");
        if (!isTerritoryCode(s.territory))
            return fieldError(QStringLiteral("Territory"),
                              QStringLiteral("'%1' is not an ISO 3166-1 alpha-2 country code (or "
                                             "Worldwide)")
                                  .arg(m_cells.text(layout->territory)));
        s.currency = m_cells.text(layout->currency);
        if (!s.currency.isEmpty() && !isKnownCurrency(s.currency))
            return fieldError(
                QStringLiteral("Currency"),
                QStringLiteral("'%1' is not an active ISO 4217 currency code").arg(s.currency));
        if (layout->rightsType >= 0) {
            auto r = right(layout->rightsType, QStringLiteral("RightsType"));
            if (!r)
                return r.error();
            s.right = r.value();
        }
        if (m_profile == Profile::BasicAudio)
            if (Status st = allocation(*layout, s); !st)
                return st;
        if (const auto it = m_summaryById.constFind(s.id); it != m_summaryById.cend()) {
            const SummaryRecord &first = m_summaries[size_t(it.value())];
            // The UGC samples repeat an id once per rights controller; each must say the same.
            if (m_profile == Profile::BasicAudio || first.currency != s.currency ||
                first.territory != s.territory)
                return invalid(QStringLiteral("line %1: summary record '%2' is already defined at "
                                              "line %3%4; each summary record has its own "
                                              "SummaryRecordId")
                                   .arg(m_line)
                                   .arg(s.id)
                                   .arg(first.line)
                                   .arg(m_profile == Profile::BasicAudio
                                            ? QString()
                                            : QStringLiteral(" with another currency or "
                                                             "territory")));
            if (first.right != s.right)
                m_summaries[size_t(it.value())].right.clear(); // ambiguous: no right
            return {};
        }
        m_summaryById.insert(s.id, qsizetype(m_summaries.size()));
        m_summaries.push_back(std::move(s));
        return {};
    }

    /** Basic Audio: what the summary record owes, and over how many uses it is spread. */
    Status allocation(const SummaryLayout &layout, SummaryRecord &s)
    {
        if (layout.netRevenue >= 0 && !m_cells.text(layout.netRevenue).isEmpty()) {
            auto net = micro(layout.netRevenue, QStringLiteral("NetRevenue"), true);
            if (!net)
                return net.error();
            s.netMicro = net.value();
        }
        if (layout.usages >= 0 && !m_cells.text(layout.usages).isEmpty()) {
            auto usages = whole(layout.usages, QStringLiteral("Usages"));
            if (!usages)
                return usages.error();
            s.usages = usages.value();
        }
        if (layout.allocatedRevenue < 0 || m_cells.values(layout.allocatedRevenue).isEmpty())
            return {};
        if (m_cells.values(layout.allocatedRevenue).size() > 1)
            return fieldError(QStringLiteral("AllocatedRevenue"),
                              QStringLiteral("holds several amounts; one amount owed per summary "
                                             "record is needed to spread it over the usages"));
        auto owed = micro(layout.allocatedRevenue, QStringLiteral("AllocatedRevenue"), false);
        if (!owed)
            return owed.error();
        s.allocates = true;
        s.allocatedMicro = owed.value();
        if (layout.allocatedUsages >= 0 && !m_cells.text(layout.allocatedUsages).isEmpty()) {
            auto units = whole(layout.allocatedUsages, QStringLiteral("AllocatedUsages"));
            if (!units)
                return units.error();
            s.allocationUnits = units.value();
        } else if (s.usages >= 0) {
            s.allocationUnits = s.usages;
        } else {
            return fieldError(QStringLiteral("AllocatedRevenue"),
                              QStringLiteral("states an amount owed but neither AllocatedUsages "
                                             "nor Usages to spread it over"));
        }
        if (s.currency.isEmpty())
            return fieldError(QStringLiteral("Currency"),
                              QStringLiteral("is empty but the record states an amount owed"));
        return {};
    }

    Status body()
    {
        const auto known = [&](const auto &types) {
            return std::any_of(std::begin(types), std::end(types),
                               [&](const char *t) { return m_type == QLatin1String(t); });
        };
        const bool ugc = m_profile == Profile::Ugc;
        if (!(ugc ? known(UgcBody) : known(BasicAudioBody))) {
            QStringList types;
            if (ugc)
                for (const char *t : UgcBody)
                    types.append(QLatin1String(t));
            else
                for (const char *t : BasicAudioBody)
                    types.append(QLatin1String(t));
            return invalid(
                QStringLiteral("line %1: '%2' is not a record of the %3 (its block "
                               "records are %4)")
                    .arg(m_line)
                    .arg(m_type.left(16),
                         ugc ? QStringLiteral("UgcProfile") : QStringLiteral("BasicAudioProfile"),
                         types.join(QStringLiteral(", "))));
        }
        const QString blockId = m_cells.text(1);
        if (blockId.isEmpty())
            return fieldError(QStringLiteral("BlockId"), QStringLiteral("is empty"));
        if (!m_block.active || blockId != m_block.id) {
            if (Status s = finishBlock(); !s)
                return s;
            m_block.active = true;
            m_block.id = blockId;
            if (m_blocks++ == 0)
                m_firstBlockLine = m_line;
        }
        const QStringView kind = QStringView(m_type).left(4);
        if (kind == u"AS01" || kind == u"AS02")
            return resource(kind == u"AS02");
        if (kind == u"MW01")
            return work();
        if (kind == u"RE02") {
            m_block.subReleases.insert(m_cells.text(2), m_cells.values(5));
            return {};
        }
        if (kind == u"SU01" || kind == u"SU02" || kind == u"SU03")
            return usage(kind);
        if (kind == u"LI01")
            return licence();
        return {}; // RE01, RU01, RU02: nothing a usage needs
    }

    Status resource(bool withWork)
    {
        if (qsizetype(m_block.resources.size()) >= MaxBlockResources)
            return invalid(QStringLiteral("line %1: block %2 has more than %3 resources")
                               .arg(m_line)
                               .arg(m_block.id)
                               .arg(MaxBlockResources));
        Resource r;
        r.ref = m_cells.text(2);
        r.isrc = m_cells.values(4).value(0);
        r.title = m_cells.text(5);
        r.artist = m_cells.text(7);
        if (withWork) {
            r.iswc = m_cells.text(11);
            r.composers = m_cells.values(12);
        }
        m_block.resources.push_back(std::move(r));
        return {};
    }

    Status work()
    {
        // After a usage, an MW01 is a licensor's own view of the work (UGC 1.2): not the
        // resource's.
        if (m_block.usageSeen)
            return {};
        if (m_block.resources.empty())
            return invalid(QStringLiteral("line %1: an MW01 work before any AS resource of block "
                                          "%2; a work describes the resource before it")
                               .arg(m_line)
                               .arg(m_block.id));
        Resource &r = m_block.resources.back();
        if (r.hasWork)
            return {}; // the first work describes the resource; later ones are medley parts
        r.hasWork = true;
        r.workTitle = m_cells.text(4);
        r.workComposers = m_cells.values(6);
        if (const QString iswc = m_cells.text(3); !iswc.isEmpty())
            r.iswc = iswc;
        return {};
    }

    Status usage(QStringView kind)
    {
        if (Status s = flushUsage(); !s)
            return s;
        m_block.usageSeen = true;
        Usage u;
        u.open = true;
        u.line = m_line;
        u.type = m_type;
        QString summaryId;
        if (kind == u"SU03") {
            summaryId = m_cells.text(3);
            if (!m_cells.text(5).isEmpty()) {
                auto units = whole(5, QStringLiteral("Usages"));
                if (!units)
                    return units.error();
                u.units = units.value();
            }
            if (!m_cells.text(6).isEmpty()) {
                auto net = micro(6, QStringLiteral("NetRevenue"), true);
                if (!net)
                    return net.error();
                u.netMicro = net.value();
            }
            if (m_block.resources.empty())
                return invalid(QStringLiteral("line %1: a usage in block %2, which describes no "
                                              "resource (AS01 or AS02) before it")
                                   .arg(m_line)
                                   .arg(m_block.id));
            u.resource = 0;
        } else {
            summaryId = m_cells.text(2);
            const bool download = kind == u"SU01";
            auto units = whole(download ? 8 : 7, download ? QStringLiteral("Usages")
                                                          : QStringLiteral("NumberOfStreams"));
            if (!units)
                return units.error();
            u.units = units.value();
            auto res = transacted();
            if (!res)
                return res.error();
            u.resource = res.value();
        }
        if (!summaryId.isEmpty()) {
            auto s = summaryFor(summaryId, QStringLiteral("SummaryRecordId"));
            if (!s)
                return s.error();
            u.summary = s.value();
        } else if (m_profile == Profile::BasicAudio) {
            return fieldError(QStringLiteral("SummaryRecordId"),
                              QStringLiteral("is empty; every usage points at its summary record"));
        }
        m_usage = std::move(u);
        return {};
    }

    /** Basic Audio: the resource an SU01/SU02 names, directly or through a one-track RE02. */
    Result<qsizetype> transacted()
    {
        const QString resourceRef = m_cells.text(5);
        const QString releaseRef = m_cells.text(4);
        const auto find = [&](const QString &ref) -> qsizetype {
            for (size_t i = 0; i < m_block.resources.size(); ++i)
                if (m_block.resources[i].ref == ref)
                    return qsizetype(i);
            return -1;
        };
        if (!resourceRef.isEmpty()) {
            const qsizetype i = find(resourceRef);
            if (i < 0)
                return fieldError(QStringLiteral("TransactedResource"),
                                  QStringLiteral("'%1' names no AS resource of block %2")
                                      .arg(resourceRef, m_block.id));
            return i;
        }
        if (releaseRef.isEmpty())
            return fieldError(QStringLiteral("TransactedRelease/TransactedResource"),
                              QStringLiteral("both are empty; a usage names what was used"));
        const QStringList used = m_block.subReleases.value(releaseRef);
        if (used.size() == 1)
            if (const qsizetype i = find(used.first()); i >= 0)
                return i;
        if (m_block.resources.size() == 1)
            return qsizetype(0);
        if (!m_releaseWarned) {
            m_releaseWarned = true;
            m_summary.warnings.append(
                QStringLiteral("line %1 and others report the use of a whole release of several "
                               "tracks: such usages carry no ISRC, ISWC or title, and match no "
                               "work until matched by hand")
                    .arg(m_line));
        }
        return qsizetype(-1);
    }

    Status licence()
    {
        if (!m_usage.open)
            return invalid(
                QStringLiteral("line %1: an LI01 allocation that follows no usage record "
                               "in block %2; it comes right after the SU03 it "
                               "allocates")
                    .arg(m_line)
                    .arg(m_block.id));
        qsizetype summary = m_usage.summary;
        if (const QString id = m_cells.text(2); !id.isEmpty()) {
            auto s = summaryFor(id, QStringLiteral("SummaryRecordId"));
            if (!s)
                return s.error();
            summary = s.value();
            if (m_usage.summary < 0)
                m_usage.summary = summary;
            else if (m_summaries[size_t(summary)].currency !=
                     m_summaries[size_t(m_usage.summary)].currency)
                return fieldError(QStringLiteral("SummaryRecordId"),
                                  QStringLiteral("summary record '%1' is in %2 but the usage at "
                                                 "line %3 is in %4")
                                      .arg(id, m_summaries[size_t(summary)].currency)
                                      .arg(m_usage.line)
                                      .arg(m_summaries[size_t(m_usage.summary)].currency));
        }
        if (summary < 0)
            return fieldError(QStringLiteral("SummaryRecordId"),
                              QStringLiteral("is empty, and so is the one of its usage (line %1): "
                                             "the allocation has no currency")
                                  .arg(m_usage.line));
        auto r = right(7, QStringLiteral("RightsType"));
        if (!r)
            return r.error();
        const QString rightName =
            r.value().isEmpty() ? m_summaries[size_t(summary)].right : r.value();
        auto amount = micro(9, QStringLiteral("AllocatedAmount"), false);
        if (!amount)
            return amount.error();
        const QString controller = m_cells.text(3);
        const QString key = controller.toCaseFolded();
        if (!m_allControllers && !m_represented.contains(key))
            return {};
        if (m_allControllers && !m_countedKeys.contains(key)) {
            m_countedKeys.insert(key);
            m_counted.append(controller);
        }
        for (auto &a : m_usage.allocations)
            if (a.first == rightName) {
                if (amount.value() > std::numeric_limits<qint64>::max() - a.second)
                    return fieldError(QStringLiteral("AllocatedAmount"),
                                      QStringLiteral("the usage's allocations are too large"));
                a.second += amount.value();
                return {};
            }
        m_usage.allocations.append({rightName, amount.value()});
        return {};
    }

    Status flushUsage()
    {
        if (!m_usage.open)
            return {};
        Usage u = std::move(m_usage);
        m_usage = Usage();
        if (u.summary < 0)
            return invalid(QStringLiteral("line %1: the usage record names no summary record "
                                          "(SummaryRecordId), and no LI01 after it does")
                               .arg(u.line));
        SummaryRecord &s = m_summaries[size_t(u.summary)];
        if (s.currency.isEmpty())
            return invalid(QStringLiteral("line %1: its summary record '%2' (line %3) states no "
                                          "currency")
                               .arg(u.line)
                               .arg(s.id)
                               .arg(s.line));
        Record r;
        r.line = u.line;
        r.period = m_summary.period;
        r.licensee = m_summary.sender;
        r.territory = s.territory;
        r.units = u.units;
        r.currency = s.currency;
        r.netRevenueMicro = u.netMicro;
        if (u.resource >= 0) {
            const Resource &res = m_block.resources[size_t(u.resource)];
            r.isrc = res.isrc;
            r.iswc = res.iswc;
            r.title = res.hasWork && !res.workTitle.isEmpty() ? res.workTitle : res.title;
            const QStringList &creators = res.hasWork                ? res.workComposers
                                          : !res.composers.isEmpty() ? res.composers
                                                                     : QStringList{res.artist};
            r.creator = creators.join(QStringLiteral("; "));
        }
        if (m_profile == Profile::Ugc) {
            if (u.allocations.isEmpty()) {
                r.right = s.right;
                r.allocated = false;
                ++m_summary.unallocatedRecords;
                return deliver(r);
            }
            for (const auto &[right, amount] : std::as_const(u.allocations)) {
                r.right = right;
                r.amountMicro = amount;
                if (Status st = deliver(r); !st)
                    return st;
            }
            return {};
        }
        // Basic Audio: the usage's share, by its uses, of what its summary record owes.
        const qint64 before = s.unitsSeen;
        const qint64 after = before + u.units;
        if (u.units > std::numeric_limits<qint64>::max() - before ||
            (s.allocates && after > s.allocationUnits))
            return invalid(QStringLiteral("line %1: the usage records of summary record '%2' (line "
                                          "%3) count %4 uses up to here, more than the %5 its "
                                          "amount owed is spread over; the report does not add "
                                          "up: ask the sender for a corrected one")
                               .arg(u.line)
                               .arg(s.id)
                               .arg(s.line)
                               .arg(after)
                               .arg(s.allocationUnits));
        s.unitsSeen = after;
        ++s.usageRecords;
        r.right = s.right;
        if (s.allocates && s.allocationUnits > 0) {
            r.amountMicro = mulDivFloor(s.allocatedMicro, after, s.allocationUnits) -
                            mulDivFloor(s.allocatedMicro, before, s.allocationUnits);
        } else if (!s.allocates) {
            r.allocated = false;
            ++m_summary.unallocatedRecords;
        }
        r.netRevenueMicro = s.usages > 0 && after <= s.usages
                                ? mulDivFloor(s.netMicro, after, s.usages) -
                                      mulDivFloor(s.netMicro, before, s.usages)
                                : 0;
        return deliver(r);
    }

    Status deliver(const Record &r)
    {
        if (Status s = addToTotal(m_summary.totalsMicro, r.currency, r.amountMicro, r.line); !s)
            return s;
        ++m_summary.records;
        if (!m_sink(r))
            return cancelled(r.line);
        return {};
    }

    Status finishBlock()
    {
        if (Status s = flushUsage(); !s)
            return s;
        m_block = Block();
        return {};
    }

    Status foot()
    {
        if (Status s = finishBlock(); !s)
            return s;
        m_footLine = m_line;
        const auto count = [&](qsizetype cell, const char *field,
                               bool required) -> Result<std::optional<qint64>> {
            if (m_cells.text(cell).isEmpty()) {
                if (required)
                    return fieldError(QLatin1String(field), QStringLiteral("is empty"));
                return std::optional<qint64>();
            }
            auto n = whole(cell, QLatin1String(field));
            if (!n)
                return n.error();
            return std::optional<qint64>(n.value());
        };
        const auto check = [&](qsizetype cell, const char *field, bool required, qint64 actual,
                               const QString &what) -> Status {
            auto stated = count(cell, field, required);
            if (!stated)
                return stated.error();
            if (stated.value() && *stated.value() != actual)
                return fieldError(QLatin1String(field),
                                  QStringLiteral("the FOOT counts %1 %3 but the file has %2; the "
                                                 "file was cut or altered: ask the sender for the "
                                                 "report again")
                                      .arg(*stated.value())
                                      .arg(actual)
                                      .arg(what));
            return {};
        };
        const QString lines = QStringLiteral("lines");
        const QString summaries = QStringLiteral("summary records");
        const QString blocks = QStringLiteral("blocks");
        if (Status s = check(1, "NumberOfLinesInFile", true, m_line, lines); !s)
            return s;
        if (m_oneOfOne)
            if (Status s = check(2, "NumberOfLinesInReport", false, m_line, lines); !s)
                return s;
        if (Status s = check(3, "NumberOfSummaryRecords", true, m_summaryCount, summaries); !s)
            return s;
        if (Status s = check(4, "NumberOfBlocksInFile", true, m_blocks, blocks); !s)
            return s;
        if (m_oneOfOne)
            if (Status s = check(5, "NumberOfBlocksInReport", false, m_blocks, blocks); !s)
                return s;
        for (const SummaryRecord &s : m_summaries) {
            if (!s.allocates)
                continue;
            if (s.usageRecords == 0) {
                if (s.allocatedMicro > 0)
                    m_summary.warnings.append(
                        QStringLiteral("summary record '%1' (line %2) owes %3 %4 for usages the "
                                       "file does not list; it was not imported")
                            .arg(s.id)
                            .arg(s.line)
                            .arg(microText(s.allocatedMicro))
                            .arg(s.currency));
                continue;
            }
            if (s.unitsSeen != s.allocationUnits)
                return invalid(QStringLiteral("line %1: summary record '%2' spreads what it owes "
                                              "over %3 uses, but its usage records count %4; the "
                                              "amounts would not add up to what is owed: ask the "
                                              "sender for a corrected report")
                                   .arg(s.line)
                                   .arg(s.id)
                                   .arg(s.allocationUnits)
                                   .arg(s.unitsSeen));
        }
        return {};
    }

    const Options &m_options;
    const Sink &m_sink;
    LineReader m_lines;
    Progress m_progress;
    Cells m_cells;
    Summary m_summary;

    qint64 m_line = 0;
    QString m_type;
    Profile m_profile = Profile::Ugc;
    qint64 m_headLine = 0;
    qint64 m_footLine = 0;
    bool m_oneOfOne = true;

    std::vector<SummaryRecord> m_summaries;
    QHash<QString, qsizetype> m_summaryById;
    qint64 m_summaryCount = 0;

    QSet<QString> m_represented; // case-folded
    bool m_allControllers = false;
    QSet<QString> m_countedKeys;
    QStringList m_counted;

    Block m_block;
    qint64 m_blocks = 0;
    qint64 m_firstBlockLine = 0;
    Usage m_usage;
    bool m_releaseWarned = false;
};

} // namespace

Result<Summary> readDsr(QIODevice &device, const Options &options, const Sink &sink)
{
    return DsrReader(device, options, sink).run();
}

} // namespace cartulary::model::usage::detail
