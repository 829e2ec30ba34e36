// SPDX-License-Identifier: GPL-3.0-or-later
// Usage reports in: format detection, periods, territories, and the usage CSV (header-driven,
// streamed through the RFC 4180 reader); the DSR flat files are read in dsr.cpp.
#include "model/io/usage.h"

#include "model/core/money.h"
#include "model/io/csv.h"
#include "model/io/dsr.h"

#include <QIODevice>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <array>
#include <bitset>
#include <limits>

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
    qint64 &total = totals[currency];
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

/** Whole, non-negative uses: digits only (no sign, no decimals, no grouping). */
Result<qint64> parseUnits(const QString &text, const QString &where)
{
    const QString t = text.trimmed();
    bool digits = !t.isEmpty() && t.size() <= 18;
    for (QChar c : t)
        digits = digits && c >= u'0' && c <= u'9';
    if (digits)
        return t.toLongLong();
    if (t.startsWith(u'-'))
        return invalid(QStringLiteral("%1: '%2' is negative; uses are counted from 0 up (report "
                                      "a correction as its own line in the next period)")
                           .arg(where, text));
    return invalid(QStringLiteral("%1: '%2' is not a whole number of uses (digits only, like 1250)")
                       .arg(where, text));
}

/** The usage CSV: a header naming the columns, then one usage a line. */
class CsvReader
{
public:
    CsvReader(QIODevice &device, const Options &options, const detail::Sink &sink)
        : m_options(options)
        , m_sink(sink)
        , m_reader(&device)
        , m_progress(options, device)
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
        csv::Record record;
        while (m_reader.next(record)) {
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
                return detail::cancelled(record.line);
            if (Status s = readLine(record); !s)
                return s.error();
            m_progress.report(m_reader.bytesRead());
        }
        if (m_reader.hasError())
            return invalid(m_reader.errorString());
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

    QString cell(const csv::Record &record, Column c) const
    {
        const int i = m_index[c];
        return i < 0 ? QString() : record.fields.at(i).trimmed();
    }

    QString where(const csv::Record &record, Column c) const
    {
        return QStringLiteral("line %1, column %2").arg(record.line).arg(ColumnNames[c]);
    }

    Status required(const csv::Record &record, Column c, QString &out) const
    {
        out = cell(record, c);
        if (out.isEmpty())
            return invalid(QStringLiteral("%1: is empty; every usage line states its %2")
                               .arg(where(record, c), QLatin1String(ColumnNames[c])));
        return {};
    }

    Status readLine(const csv::Record &line)
    {
        if (line.fields.size() != m_width)
            return invalid(QStringLiteral("line %1: %2 fields where the header has %3; a comma "
                                          "inside a value needs the value in double quotes")
                               .arg(line.line)
                               .arg(line.fields.size())
                               .arg(m_width));
        Record r;
        r.line = line.line;
        r.period = cell(line, Period);
        if (r.period.isEmpty())
            r.period = m_options.period;
        if (r.period.isEmpty())
            return invalid(QStringLiteral("%1: is empty and no period was given for the file")
                               .arg(where(line, Period)));
        if (!m_seenPeriods.contains(r.period)) {
            if (auto range = periodRange(r.period, where(line, Period)); !range)
                return invalid(range.errorString());
            m_seenPeriods.insert(r.period);
            m_summary.periods.append(r.period);
        }
        if (Status s = required(line, Licensee, r.licensee); !s)
            return s;
        if (Status s = required(line, Territory, r.territory); !s)
            return s;
        r.territory = r.territory.toUpper();
        if (!isTerritoryCode(r.territory))
            return invalid(QStringLiteral("%1: '%2' is not an ISO 3166-1 alpha-2 country code "
                                          "(like DE, IS, US) or WW for worldwide")
                               .arg(where(line, Territory), cell(line, Territory)));
        const QString work = cell(line, Work);
        if (const qsizetype colon = work.indexOf(u':'); colon > 0) {
            const QString prefix = work.left(colon).toUpper();
            const QString id = work.mid(colon + 1).trimmed();
            if (prefix == u"ISWC")
                r.iswc = id;
            else if (prefix == u"ISRC")
                r.isrc = id;
            else if (prefix == u"DOI")
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
        QString text;
        if (Status s = required(line, Units, text); !s)
            return s;
        auto units = parseUnits(text, where(line, Units));
        if (!units)
            return units.error();
        r.units = units.value();
        if (Status s = required(line, Currency, r.currency); !s)
            return s;
        if (!isKnownCurrency(r.currency))
            return invalid(QStringLiteral("%1: '%2' is not an active ISO 4217 currency code (like "
                                          "EUR, USD, JPY)")
                               .arg(where(line, Currency), r.currency));
        if (Status s = required(line, Amount, text); !s)
            return s;
        auto minor = parseAmount(text, r.currency, where(line, Amount));
        if (!minor)
            return invalid(minor.errorString());
        if (minor.value() < 0)
            return invalid(QStringLiteral("%1: '%2' is negative; a usage report states what is "
                                          "owed (report a correction in the next period)")
                               .arg(where(line, Amount), text));
        qint64 scale = 1;
        for (int d = currencyDigits(r.currency); d < 6; ++d)
            scale *= 10;
        if (minor.value() > std::numeric_limits<qint64>::max() / scale)
            return invalid(QStringLiteral("%1: '%2' is too large").arg(where(line, Amount), text));
        r.amountMicro = minor.value() * scale;
        r.netRevenueMicro = r.amountMicro;
        r.right = cell(line, Right).toLower();
        if (r.right.isEmpty())
            r.right = m_options.right.isEmpty() ? QStringLiteral("performing") : m_options.right;
        if (!isRight(r.right))
            return invalid(QStringLiteral("%1: '%2' is not a right; write performing, mechanical "
                                          "or sync")
                               .arg(where(line, Right), cell(line, Right)));
        if (Status s = detail::addToTotal(m_summary.totalsMicro, r.currency, r.amountMicro, r.line);
            !s)
            return s;
        ++m_summary.records;
        if (!m_sink(r))
            return detail::cancelled(r.line);
        return {};
    }

    const Options &m_options;
    const detail::Sink &m_sink;
    csv::Reader m_reader;
    detail::Progress m_progress;
    std::array<int, ColumnNames.size()> m_index{};
    qsizetype m_width = 0;
    Summary m_summary;
    QSet<QString> m_seenPeriods;
};

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

Result<Summary> read(QIODevice &device, const Options &options,
                     const std::function<bool(const Record &)> &sink)
{
    if (!device.isReadable())
        return Result<Summary>::failure(
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
    if (detect(head) == Format::Dsr)
        return detail::readDsr(device, options, sink);
    return CsvReader(device, options, sink).run();
}

} // namespace cartulary::model::usage
