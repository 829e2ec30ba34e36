// SPDX-License-Identifier: GPL-3.0-or-later
// Usage reports in: format detection, periods, territories, and the usage CSV (header-driven,
// streamed through the RFC 4180 reader); the DSR flat files are read in dsr.cpp.
#include "model/io/usage.h"

#include "model/core/money.h"
#include "model/io/csv.h"
#include "model/io/dsr.h"

#include <QIODevice>
#include <QSet>

#include <algorithm>
#include <array>
#include <bitset>
#include <limits>
#include <vector>

namespace cartulary::model::usage {

namespace detail {

Error invalid(const QString &message)
{
    return Error{QStringLiteral("invalid-usage"), message};
}

Error cancelled(qint64 line)
{
    return Error{
        QStringLiteral("cancelled"),
        QStringLiteral("the reading was cancelled at line %1; nothing was imported").arg(line)};
}

Status addToTotal(QMap<QString, qint64> &totals, const QString &currency, qint64 amountMicro,
                  qint64 line)
{
    return addToTotal(totals[currency], currency, amountMicro, line);
}

Status addToTotal(qint64 &total, const QString &currency, qint64 amountMicro, qint64 line)
{
    if (amountMicro > std::numeric_limits<qint64>::max() - total)
        return invalid(QStringLiteral("line %1: the %2 total passes 9,223,372,036,854 %2; split "
                                      "the report into smaller files")
                           .arg(line)
                           .arg(currency));
    total += amountMicro;
    return {};
}

Progress::Progress(const Options &options, const QIODevice &device)
    : m_options(options)
    , m_total(device.isSequential() ? 0 : device.size())
{}

void Progress::report(qint64 bytes, bool last)
{
    if (!m_options.progress || (!last && bytes < m_next))
        return;
    m_next = bytes + (qint64(1) << 20);
    m_options.progress(bytes, m_total);
}

} // namespace detail

using detail::invalid;

namespace {

/** The officially assigned ISO 3166-1 alpha-2 codes (249), as the ISO 3166 Maintenance Agency
 * lists them; plus WW and XK (see isTerritoryCode). */
constexpr char Alpha2[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW WW XK";

const std::bitset<26 * 26> &territories()
{
    static const std::bitset<26 * 26> set = [] {
        std::bitset<26 * 26> s;
        for (std::size_t i = 0; i + 1 < sizeof(Alpha2); i += 3)
            s.set(std::size_t(Alpha2[i] - 'A') * 26 + std::size_t(Alpha2[i + 1] - 'A'));
        return s;
    }();
    return set;
}

/** The columns a usage CSV may have, by their (case-insensitive) header names. */
enum Column { Period, Licensee, Territory, Work, Title, Creator, Units, Amount, Currency, Right };
constexpr std::array<const char *, 10> ColumnNames = {"period",   "licensee", "territory", "work",
                                                      "title",    "creator",  "units",     "amount",
                                                      "currency", "right"};

bool isRight(const QString &right)
{
    return right == u"performing" || right == u"mechanical" || right == u"sync";
}

/** isTerritoryCode() of UTF-8 text. */
bool isTerritory(QByteArrayView code)
{
    if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return false;
    return territories().test(std::size_t(code[0] - 'A') * 26 + std::size_t(code[1] - 'A'));
}

bool isRight(QByteArrayView right)
{
    return right == "performing" || right == "mechanical" || right == "sync";
}

/** The code point that starts at bytes[i] (valid UTF-8, as the CSV reader checked it). */
char32_t codePointAt(QByteArrayView bytes, qsizetype i, qsizetype *length)
{
    const uchar lead = uchar(bytes[i]);
    const int n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? lead : n == 2 ? lead & 0x1F : n == 3 ? lead & 0x0F : lead & 0x07;
    for (int k = 1; k < n && i + k < bytes.size(); ++k)
        c = (c << 6) | (uchar(bytes[i + k]) & 0x3F);
    *length = n;
    return c;
}

/** QString::trimmed() on UTF-8: the same white space (QChar::isSpace) removed at both ends. */
QByteArrayView trimmed(QByteArrayView v)
{
    const auto plain = [](char c) { return uchar(c) > ' ' && uchar(c) < 0x80; };
    if (v.isEmpty() || (plain(v.front()) && plain(v.back())))
        return v;
    qsizetype n = 0;
    while (!v.isEmpty() && QChar::isSpace(codePointAt(v, 0, &n)))
        v = v.sliced(n);
    while (!v.isEmpty()) {
        qsizetype at = v.size() - 1;
        while (at > 0 && (uchar(v[at]) & 0xC0) == 0x80)
            --at;
        if (!QChar::isSpace(codePointAt(v, at, &n)))
            break;
        v = v.first(at);
    }
    return v;
}

bool isAscii(QByteArrayView v)
{
    return std::all_of(v.begin(), v.end(), [](char c) { return uchar(c) < 0x80; });
}

/** QString::toUpper() or toLower() of UTF-8 text: the text itself when nothing changes, else the
 * changed text in scratch. */
QByteArrayView changeCase(QByteArrayView v, bool upper, QByteArray &scratch)
{
    const auto other = [upper](char c) {
        return upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z');
    };
    if (isAscii(v)) {
        if (std::none_of(v.begin(), v.end(), other))
            return v;
        scratch = v.toByteArray();
        for (char &c : scratch)
            if (other(c))
                c = char(c ^ 0x20);
        return scratch;
    }
    // Beyond ASCII, Unicode's case mappings (dotless ı upper-cases to I).
    const QString text = QString::fromUtf8(v);
    scratch = (upper ? text.toUpper() : text.toLower()).toUtf8();
    return scratch;
}

/** Whole, non-negative uses: digits only (no sign, no decimals, no grouping). */
Result<qint64> parseUnits(QByteArrayView text, const std::function<QString()> &where)
{
    const QByteArrayView t = trimmed(text);
    bool digits = !t.isEmpty() && t.size() <= 18;
    qint64 value = 0;
    for (char c : t) {
        digits = digits && c >= '0' && c <= '9';
        value = value * 10 + (c - '0');
    }
    if (digits)
        return value;
    if (t.startsWith('-'))
        return invalid(QStringLiteral("%1: '%2' is negative; uses are counted from 0 up (report "
                                      "a correction as its own line in the next period)")
                           .arg(where(), QString::fromUtf8(text)));
    return invalid(QStringLiteral("%1: '%2' is not a whole number of uses (digits only, like 1250)")
                       .arg(where(), QString::fromUtf8(text)));
}

/** A currency a report names, checked once: its code, minor digits and running total. */
struct CurrencySeen
{
    QByteArray bytes;
    QString code;
    bool known = false;
    int digits = 2;
    qint64 scale = 1; ///< micro-units per minor unit
    qint64 total = 0;
};

/** The usage CSV: a header naming the columns, then one usage a line, read as bytes. */
class CsvReader
{
public:
    CsvReader(QIODevice &device, const Options &options,
              const std::function<bool(const RecordView &)> &sink)
        : m_options(options)
        , m_sink(sink)
        , m_reader(&device)
        , m_progress(options, device)
        , m_period(options.period.toUtf8())
        , m_right(options.right.isEmpty() ? QByteArray("performing") : options.right.toUtf8())
    {
        m_index.fill(-1);
    }

    Result<Summary> run()
    {
        m_summary.format = Format::Csv;
        csv::Record header;
        if (!m_reader.next(header)) {
            if (m_reader.hasError())
                return invalid(m_reader.errorString());
            return invalid(
                QStringLiteral("the file is empty: a usage CSV starts with a header line "
                               "naming its columns (licensee, territory, work, title, "
                               "units, amount, currency, …)"));
        }
        if (Status s = readHeader(header); !s)
            return s.error();
        csv::RecordView record;
        while (m_reader.next(record)) {
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
                return detail::cancelled(record.line);
            if (Status s = readLine(record); !s)
                return s.error();
            m_progress.report(m_reader.bytesRead());
        }
        if (m_reader.hasError())
            return invalid(m_reader.errorString());
        for (const CurrencySeen &c : m_currencies)
            if (c.known)
                m_summary.totalsMicro.insert(c.code, c.total);
        m_summary.lines = m_reader.lines();
        m_summary.period = m_summary.periods.value(0, m_options.period);
        m_progress.report(m_reader.bytesRead(), true);
        return m_summary;
    }

private:
    Status readHeader(const csv::Record &header)
    {
        for (qsizetype i = 0; i < header.fields.size(); ++i) {
            const QString name = header.fields.at(i).trimmed().toLower();
            const auto known =
                std::find_if(ColumnNames.begin(), ColumnNames.end(),
                             [&](const char *n) { return name == QLatin1String(n); });
            if (known == ColumnNames.end()) {
                m_summary.warnings.append(
                    QStringLiteral("column '%1' is not understood and was ignored")
                        .arg(header.fields.at(i)));
                continue;
            }
            int &index = m_index[std::size_t(known - ColumnNames.begin())];
            if (index >= 0)
                return invalid(QStringLiteral("line %1: the column '%2' appears twice (columns %3 "
                                              "and %4); keep one")
                                   .arg(header.line)
                                   .arg(name)
                                   .arg(index + 1)
                                   .arg(i + 1));
            index = int(i);
        }
        m_width = header.fields.size();
        QStringList missing;
        for (Column c : {Licensee, Territory, Units, Amount, Currency})
            if (m_index[c] < 0)
                missing.append(QLatin1String(ColumnNames[c]));
        if (m_index[Period] < 0 && m_options.period.isEmpty())
            missing.prepend(QStringLiteral("period"));
        if (m_index[Work] < 0 && m_index[Title] < 0)
            missing.append(QStringLiteral("work or title"));
        if (!missing.isEmpty())
            return invalid(
                QStringLiteral("line %1: the header has no %2 column%3; a usage CSV needs period "
                               "(or --period), licensee, territory, work or title, units, amount "
                               "and currency")
                    .arg(header.line)
                    .arg(missing.join(QStringLiteral(", ")))
                    .arg(missing.size() > 1 ? QStringLiteral("s") : QString()));
        return {};
    }

    QByteArrayView cell(const csv::RecordView &record, Column c) const
    {
        const int i = m_index[c];
        return i < 0 ? QByteArrayView() : trimmed(record.fields[i]);
    }

    static QString where(const csv::RecordView &record, Column c)
    {
        return QStringLiteral("line %1, column %2").arg(record.line).arg(ColumnNames[c]);
    }

    Status required(const csv::RecordView &record, Column c, QByteArrayView &out) const
    {
        out = cell(record, c);
        if (out.isEmpty())
            return invalid(QStringLiteral("%1: is empty; every usage line states its %2")
                               .arg(where(record, c), QLatin1String(ColumnNames[c])));
        return {};
    }

    /** The period checked the first time it appears (most lines repeat the last one). */
    Status checkPeriod(const csv::RecordView &line, QByteArrayView period)
    {
        if (period == m_lastPeriod)
            return {};
        m_lastPeriod = period.toByteArray();
        if (m_seenPeriods.contains(m_lastPeriod))
            return {};
        const QString text = QString::fromUtf8(period);
        if (auto range = periodRange(text, where(line, Period)); !range)
            return invalid(range.errorString());
        m_seenPeriods.insert(m_lastPeriod);
        m_summary.periods.append(text);
        return {};
    }

    CurrencySeen &currency(QByteArrayView bytes)
    {
        for (CurrencySeen &c : m_currencies)
            if (c.bytes == bytes)
                return c;
        CurrencySeen &c = m_currencies.emplace_back();
        c.bytes = bytes.toByteArray();
        c.code = QString::fromUtf8(bytes);
        c.known = isKnownCurrency(c.code);
        c.digits = currencyDigits(c.code);
        for (int d = c.digits; d < 6; ++d)
            c.scale *= 10;
        return c;
    }

    Status readLine(const csv::RecordView &line)
    {
        if (line.fields.size() != m_width)
            return invalid(QStringLiteral("line %1: %2 fields where the header has %3; a comma "
                                          "inside a value needs the value in double quotes")
                               .arg(line.line)
                               .arg(line.fields.size())
                               .arg(m_width));
        RecordView r;
        r.line = line.line;
        r.period = cell(line, Period);
        if (r.period.isEmpty())
            r.period = m_period;
        if (r.period.isEmpty())
            return invalid(QStringLiteral("%1: is empty and no period was given for the file")
                               .arg(where(line, Period)));
        if (Status s = checkPeriod(line, r.period); !s)
            return s;
        if (Status s = required(line, Licensee, r.licensee); !s)
            return s;
        if (Status s = required(line, Territory, r.territory); !s)
            return s;
        r.territory = changeCase(r.territory, true, m_territory);
        if (!isTerritory(r.territory))
            return invalid(
                QStringLiteral("%1: '%2' is not an ISO 3166-1 alpha-2 country code "
                               "(like DE, IS, US) or WW for worldwide")
                    .arg(where(line, Territory), QString::fromUtf8(cell(line, Territory))));
        const QByteArrayView work = cell(line, Work);
        if (const qsizetype colon = work.indexOf(':'); colon > 0) {
            const QByteArrayView prefix = changeCase(work.first(colon), true, m_prefix);
            const QByteArrayView id = trimmed(work.sliced(colon + 1));
            if (prefix == "ISWC")
                r.iswc = id;
            else if (prefix == "ISRC")
                r.isrc = id;
            else if (prefix == "DOI")
                r.doi = id;
            else
                r.workRef = work;
        } else {
            r.workRef = work;
        }
        r.title = cell(line, Title);
        r.creator = cell(line, Creator);
        if (work.isEmpty() && r.title.isEmpty())
            return invalid(QStringLiteral("line %1: neither work nor title is given; name the work "
                                          "(a reference, ISWC:, ISRC: or DOI:) or its title")
                               .arg(line.line));
        QByteArrayView text;
        if (Status s = required(line, Units, text); !s)
            return s;
        auto units = parseUnits(text, [&] { return where(line, Units); });
        if (!units)
            return units.error();
        r.units = units.value();
        if (Status s = required(line, Currency, r.currency); !s)
            return s;
        CurrencySeen &cur = currency(r.currency);
        if (!cur.known)
            return invalid(QStringLiteral("%1: '%2' is not an active ISO 4217 currency code (like "
                                          "EUR, USD, JPY)")
                               .arg(where(line, Currency), cur.code));
        if (Status s = required(line, Amount, text); !s)
            return s;
        auto minor = parseAmount(text, cur.code, cur.digits, [&] { return where(line, Amount); });
        if (!minor)
            return invalid(minor.errorString());
        if (minor.value() < 0)
            return invalid(QStringLiteral("%1: '%2' is negative; a usage report states what is "
                                          "owed (report a correction in the next period)")
                               .arg(where(line, Amount), QString::fromUtf8(text)));
        if (minor.value() > std::numeric_limits<qint64>::max() / cur.scale)
            return invalid(QStringLiteral("%1: '%2' is too large")
                               .arg(where(line, Amount), QString::fromUtf8(text)));
        r.amountMicro = minor.value() * cur.scale;
        r.netRevenueMicro = r.amountMicro;
        r.right = changeCase(cell(line, Right), false, m_rightScratch);
        if (r.right.isEmpty())
            r.right = m_right;
        if (!isRight(r.right))
            return invalid(QStringLiteral("%1: '%2' is not a right; write performing, mechanical "
                                          "or sync")
                               .arg(where(line, Right), QString::fromUtf8(cell(line, Right))));
        if (Status s = detail::addToTotal(cur.total, cur.code, r.amountMicro, r.line); !s)
            return s;
        ++m_summary.records;
        if (!m_sink(r))
            return detail::cancelled(r.line);
        return {};
    }

    const Options &m_options;
    const std::function<bool(const RecordView &)> &m_sink;
    csv::Reader m_reader;
    detail::Progress m_progress;
    std::array<int, ColumnNames.size()> m_index{};
    qsizetype m_width = 0;
    Summary m_summary;
    const QByteArray m_period; ///< Options::period
    const QByteArray m_right;  ///< Options::right, or performing
    QByteArray m_lastPeriod;
    QSet<QByteArray> m_seenPeriods;
    std::vector<CurrencySeen> m_currencies;
    QByteArray m_territory, m_prefix, m_rightScratch; ///< case-changed cells
};

/** Checks what read() and readViews() are asked, then which format the device holds. */
Result<Format> prepare(QIODevice &device, const Options &options)
{
    if (!device.isReadable())
        return Result<Format>::failure(
            QStringLiteral("cannot-read"),
            QStringLiteral("cannot read the report: it is not open for reading"));
    if (!options.period.isEmpty())
        if (auto range = periodRange(options.period, QStringLiteral("the period asked for"));
            !range)
            return range.error();
    if (!options.right.isEmpty() && !isRight(options.right))
        return invalid(QStringLiteral("the right '%1' is not one of performing, mechanical, sync")
                           .arg(options.right));
    // Enough bytes to see a BOM and a record type with its version and tab
    // ("\xEF\xBB\xBFSY02.01\t").
    constexpr qint64 Enough = 12;
    QByteArray head = device.peek(Enough);
    while (head.size() < Enough && device.isSequential() && !head.contains('\n')) {
        const qsizetype before = head.size();
        if (device.bytesAvailable() <= before && !device.waitForReadyRead(-1))
            break;
        head = device.peek(Enough);
        if (head.size() == before)
            break;
    }
    return detect(head);
}

} // namespace

Format detect(const QByteArray &head)
{
    QByteArrayView v(head);
    if (v.startsWith("\xEF\xBB\xBF"))
        v = v.sliced(3);
    if (v.startsWith('#'))
        return Format::Dsr;
    if (v.startsWith("HEAD") && (v.size() == 4 || v[4] == '\t' || v[4] == '\r' || v[4] == '\n'))
        return Format::Dsr;
    // Another record type and a tab ("SY02.01\t", "AS01\t"): a DSR without its HEAD first, which
    // the DSR reader refuses saying so, rather than a CSV with a strange header.
    const auto upper = [&](qsizetype i) { return i < v.size() && v[i] >= 'A' && v[i] <= 'Z'; };
    const auto digit = [&](qsizetype i) { return i < v.size() && v[i] >= '0' && v[i] <= '9'; };
    if (upper(0) && upper(1) && (upper(2) || digit(2)) && (upper(3) || digit(3))) {
        qsizetype i = 4;
        if (i < v.size() && v[i] == '.' && digit(i + 1) && digit(i + 2))
            i += 3;
        if (i < v.size() && v[i] == '\t')
            return Format::Dsr;
    }
    return Format::Csv;
}

QString formatName(Format format)
{
    return format == Format::Dsr ? QStringLiteral("dsr") : QStringLiteral("csv");
}

bool isTerritoryCode(const QString &code)
{
    if (code.size() != 2)
        return false;
    const char16_t a = code[0].unicode();
    const char16_t b = code[1].unicode();
    if (a < u'A' || a > u'Z' || b < u'A' || b > u'Z')
        return false;
    return territories().test(std::size_t(a - u'A') * 26 + std::size_t(b - u'A'));
}

Record RecordView::toRecord() const
{
    Record r;
    r.line = line;
    r.period = QString::fromUtf8(period);
    r.licensee = QString::fromUtf8(licensee);
    r.territory = QString::fromUtf8(territory);
    r.workRef = QString::fromUtf8(workRef);
    r.isrc = QString::fromUtf8(isrc);
    r.iswc = QString::fromUtf8(iswc);
    r.doi = QString::fromUtf8(doi);
    r.title = QString::fromUtf8(title);
    r.creator = QString::fromUtf8(creator);
    r.units = units;
    r.amountMicro = amountMicro;
    r.currency = QString::fromUtf8(currency);
    r.right = QString::fromUtf8(right);
    r.allocated = allocated;
    r.netRevenueMicro = netRevenueMicro;
    return r;
}

Result<Summary> read(QIODevice &device, const Options &options,
                     const std::function<bool(const Record &)> &sink)
{
    const auto format = prepare(device, options);
    if (!format)
        return format.error();
    if (format.value() == Format::Dsr)
        return detail::readDsr(device, options, sink);
    const std::function<bool(const RecordView &)> views = [&](const RecordView &r) {
        return sink(r.toRecord());
    };
    return CsvReader(device, options, views).run();
}

Result<Summary> readViews(QIODevice &device, const Options &options,
                          const std::function<bool(const RecordView &)> &sink)
{
    const auto format = prepare(device, options);
    if (!format)
        return format.error();
    if (format.value() == Format::Csv)
        return CsvReader(device, options, sink).run();
    // DSR records are few per byte and built as QStrings: encoded here for the sink.
    QByteArray fields[11];
    return detail::readDsr(device, options, [&](const Record &r) {
        const QString *from[] = {&r.period,  &r.licensee, &r.territory, &r.workRef,
                                 &r.isrc,    &r.iswc,     &r.doi,       &r.title,
                                 &r.creator, &r.currency, &r.right};
        for (int i = 0; i < 11; ++i)
            fields[i] = from[i]->toUtf8();
        RecordView v{r.line,    fields[0],     fields[1],         fields[2],  fields[3], fields[4],
                     fields[5], fields[6],     fields[7],         fields[8],  fields[9], fields[10],
                     r.units,   r.amountMicro, r.netRevenueMicro, r.allocated};
        return sink(v);
    });
}

} // namespace cartulary::model::usage
