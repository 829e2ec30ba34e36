// SPDX-License-Identifier: GPL-3.0-or-later
// CWR reader: lines cut from fixed blocks, each record checked against its type's length in the
// file's version and its place in the file, one work built at a time and handed on when its
// transaction ends.
#include "model/io/cwr.h"

#include <QIODevice>
#include <QStringDecoder>

#include <cstring>
#include <optional>

namespace cartulary::model::cwr {

namespace {

constexpr qint64 BlockSize = qint64(64) * 1024;
// The longest record is NAT (663 characters); UTF-8 takes up to four bytes a character.
constexpr qsizetype MaxLineBytes = 4096;
// One transaction is one work: more detail records than this is no registration but a file built
// to exhaust memory.
constexpr int MaxRecordsPerTransaction = 100000;
// The rights, in the order every record gives their shares.
const QLatin1String RightCodes[] = {QLatin1String("PR"), QLatin1String("MR"), QLatin1String("SR")};
// CWR's tolerance on ownership totals: 100 % plus or minus 0.06 %.
constexpr int ShareTolerance = 6;

enum class Version { V21, V22 };

QString versionName(Version v)
{
    return v == Version::V21 ? QStringLiteral("2.1") : QStringLiteral("2.2");
}

/** Where a record type may stand. */
enum class Kind {
    Header,          // HDR
    GroupHeader,     // GRH
    GroupTrailer,    // GRT
    Trailer,         // TRL
    Work,            // NWR, REV, ISW, EXC: a work's transaction header
    Agreement,       // AGR
    Acknowledgement, // ACK and its MSG: refused, see refuseAcknowledgement()
    WorkDetail,      // SPU … XRF
    AgreementDetail, // TER, IPA, NPA
};

/** A record type and its length in each version: the end of its last field in the specification
 * (CWR 2.1 revision 8, CWR 2.2 revision 2); 0 where the version does not define the type. */
struct RecordSpec
{
    char type[4];
    Kind kind;
    int length21;
    int length22;
};

// GRT's currency indicator and total monetary value (columns 25-37) are "not used for CWR": a GRT
// that ends after its record count (24) is complete, one of up to 37 characters too.
constexpr int GrtDefinedLength = 37;

constexpr RecordSpec Specs[] = {
    {"HDR", Kind::Header, 101, 167},
    {"GRH", Kind::GroupHeader, 28, 28},
    {"GRT", Kind::GroupTrailer, 24, 24},
    {"TRL", Kind::Trailer, 24, 24},
    {"NWR", Kind::Work, 260, 260},
    {"REV", Kind::Work, 260, 260},
    {"ISW", Kind::Work, 260, 260},
    {"EXC", Kind::Work, 260, 260},
    {"AGR", Kind::Agreement, 121, 121},
    {"ACK", Kind::Acknowledgement, 159, 159},
    {"MSG", Kind::Acknowledgement, 185, 185},
    {"TER", Kind::AgreementDetail, 24, 24},
    {"IPA", Kind::AgreementDetail, 153, 153},
    {"NPA", Kind::AgreementDetail, 350, 350},
    {"SPU", Kind::WorkDetail, 183, 183},
    {"OPU", Kind::WorkDetail, 183, 183},
    {"NPN", Kind::WorkDetail, 512, 512},
    {"SPT", Kind::WorkDetail, 58, 58},
    {"OPT", Kind::WorkDetail, 0, 58},
    {"SWR", Kind::WorkDetail, 180, 180},
    {"OWR", Kind::WorkDetail, 180, 180},
    {"NWN", Kind::WorkDetail, 350, 350},
    {"SWT", Kind::WorkDetail, 52, 52},
    {"OWT", Kind::WorkDetail, 0, 52},
    {"PWR", Kind::WorkDetail, 110, 112},
    {"ALT", Kind::WorkDetail, 83, 83},
    {"NAT", Kind::WorkDetail, 663, 663},
    {"EWT", Kind::WorkDetail, 364, 364},
    {"NET", Kind::WorkDetail, 661, 661},
    {"VER", Kind::WorkDetail, 364, 364},
    {"NVT", Kind::WorkDetail, 661, 661},
    {"PER", Kind::WorkDetail, 118, 118},
    {"NPR", Kind::WorkDetail, 370, 370},
    {"REC", Kind::WorkDetail, 266, 540},
    {"ORN", Kind::WorkDetail, 301, 348},
    {"INS", Kind::WorkDetail, 75, 75},
    {"IND", Kind::WorkDetail, 25, 25},
    {"COM", Kind::WorkDetail, 308, 308},
    {"NCT", Kind::WorkDetail, 661, 661},
    {"NOW", Kind::WorkDetail, 342, 342},
    {"ARI", Kind::WorkDetail, 201, 201},
    {"XRF", Kind::WorkDetail, 0, 38},
};

const RecordSpec *findSpec(const QString &type)
{
    for (const RecordSpec &spec : Specs)
        if (type == QLatin1String(spec.type))
            return &spec;
    return nullptr;
}

int requiredLength(const RecordSpec &spec, Version v)
{
    return v == Version::V21 ? spec.length21 : spec.length22;
}

bool isDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    return true;
}

QString columns(int start, int size)
{
    return size == 1 ? QStringLiteral("column %1").arg(start)
                     : QStringLiteral("columns %1-%2").arg(start).arg(start + size - 1);
}

/** Basis points as a percentage with two decimals: 9900 → "99.00". */
QString percent(qint64 bp)
{
    return QStringLiteral("%1.%2").arg(bp / 100).arg(bp % 100, 2, 10, QLatin1Char('0'));
}

/** The ISWC check digit of T and nine digits: (10 - (1 + Σ i·dᵢ) mod 10) mod 10. */
int iswcCheckDigit(QStringView nineDigits)
{
    int sum = 1;
    for (int i = 0; i < 9; ++i)
        sum += (i + 1) * (nineDigits[i].unicode() - '0');
    return (10 - sum % 10) % 10;
}

/**
 * One record as characters. Positions are the specification's: 1-based, counted in characters, so
 * that a UTF-8 name in an NWN record occupies as many columns as its letters. Most records are
 * ASCII and are sliced from their bytes; the others are decoded to code points once.
 */
class Line
{
public:
    /** Takes the line's bytes (without its line end); on failure, says what and in which column. */
    std::optional<QString> set(const QByteArray &bytes)
    {
        m_ascii = true;
        for (char c : bytes)
            if (uchar(c) < 0x20 || uchar(c) >= 0x7F) {
                m_ascii = false;
                break;
            }
        m_bytes = bytes;
        m_chars.clear();
        if (m_ascii)
            return std::nullopt;
        return decode();
    }

    qsizetype size() const { return m_ascii ? m_bytes.size() : m_chars.size(); }

    /** The characters at [start, start + size), 1-based, clipped at the end of the line. */
    QString field(int start, int size) const
    {
        const qsizetype from = qMin<qsizetype>(start - 1, this->size());
        const qsizetype n = qMin<qsizetype>(size, this->size() - from);
        if (m_ascii)
            return QString::fromLatin1(m_bytes.constData() + from, n);
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(m_chars.constData()) + from, n);
    }

    /** A field without its padding. */
    QString text(int start, int size) const { return field(start, size).trimmed(); }

    /** The 1-based column of the first character from start on that is not a space, or 0. */
    qsizetype firstNonBlank(int start) const
    {
        for (qsizetype i = start - 1; i < size(); ++i)
            if ((m_ascii ? uint(uchar(m_bytes[i])) : m_chars[i]) != ' ')
                return i + 1;
        return 0;
    }

private:
    // Strict UTF-8 (Qt's decoder refuses overlong forms, surrogates and code points past
    // U+10FFFF), then no control characters: a tab or a stray CR would shift every later column.
    std::optional<QString> decode()
    {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                         QStringDecoder::Flag::ConvertInitialBom);
        const QString text = decoder.decode(m_bytes);
        if (decoder.hasError()) {
            // The bad byte follows the longest prefix that decoded to itself: the first U+FFFD
            // that does not stand for an EF BF BD in the file.
            qsizetype at = -1, offset = 0;
            do {
                at = text.indexOf(QChar::ReplacementCharacter, at + 1);
                offset = QStringView(text).left(at < 0 ? text.size() : at).toUtf8().size();
            } while (at >= 0 && m_bytes.mid(offset, 3) == "\xEF\xBF\xBD");
            // Naming the byte lets a user recognise the encoding: 0xE9 is "é" in Latin-1.
            return QStringLiteral("column %1: byte 0x%2 is not UTF-8 text; CWR files are ASCII, "
                                  "or UTF-8 when their HDR says so: save the file as UTF-8")
                .arg(QStringView(text).left(qMax<qsizetype>(at, 0)).toUcs4().size() + 1)
                .arg(QString::number(uchar(m_bytes.at(qMin(offset, m_bytes.size() - 1))), 16)
                         .toUpper());
        }
        m_chars = text.toUcs4();
        for (qsizetype i = 0; i < m_chars.size(); ++i) {
            const uint c = m_chars[i];
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
                return QStringLiteral("column %1: control character 0x%2; CWR records are "
                                      "fixed-width text without tabs or control characters")
                    .arg(i + 1)
                    .arg(QString::number(c, 16).toUpper().rightJustified(2, QLatin1Char('0')));
        }
        return std::nullopt;
    }

    QByteArray m_bytes;
    bool m_ascii = true;
    QList<uint> m_chars; // code points, when the line is not all ASCII
};

/** The reader's state while it walks one file. */
class Parser
{
public:
    Parser(QIODevice &device, const Options &options, const std::function<bool(const Work &)> &sink)
        : m_device(device)
        , m_options(options)
        , m_sink(sink)
    {}

    Result<Header> run();

private:
    enum class State { Start, AfterHeader, InGroup, AfterGroup, Done };

    // Input.
    qint64 readSome(char *into, qint64 max);
    bool nextLine(QByteArray &line, Status &status);
    qint64 bytesRead() const { return m_blockOffset + m_pos; }
    void reportProgress(bool force);

    // Records.
    Status handle();
    Status header();
    Status fileHeader(Version version);
    Status groupHeader();
    Status groupTrailer();
    Status trailer();
    Status transactionHeader();
    Status detail();
    Status workDetail();
    Status closeTransaction();

    // Fields.
    Status checkLength();
    Status checkLength(Version version);
    Status checkSequence(qint64 transaction, qint64 record);
    Status checkCount(int start, int size, const char *item, qint64 counted, const QString &holder,
                      const QString &included = {});
    Result<qint64> number(int start, int size, const QString &what);
    Result<int> share(int start, const QString &what);
    Result<QString> ipi(int start, const QString &what);
    Result<QString> iswc(int start, const QString &what);
    Result<QDate> date(int start, const QString &what);
    Result<Collection> collection(int offset);
    Status ownership(Party &party, int ipiStart, const QString &ipiWhat, int prStart);
    Party *lastParty(Party::Role role);
    Status refuseAcknowledgement(qint64 at);

    Status fail(const QString &code, const QString &what) const
    {
        return failAt(m_line, code, what);
    }
    static Status failAt(qint64 line, const QString &code, const QString &what)
    {
        return Status::failure(code, QStringLiteral("line %1: %2").arg(line).arg(what));
    }

    QIODevice &m_device;
    const Options &m_options;
    const std::function<bool(const Work &)> &m_sink;

    // The block being cut into lines; m_block[m_pos, m_end) is not consumed yet.
    QByteArray m_block;
    qsizetype m_pos = 0;
    qsizetype m_end = 0;
    qint64 m_blockOffset = 0;
    bool m_eof = false;
    qint64 m_total = -1;
    qint64 m_reported = 0;

    qint64 m_line = 0; // the line being handled, 1-based
    Line m_record;
    QString m_type;
    const RecordSpec *m_spec = nullptr;
    State m_state = State::Start;
    std::optional<Version> m_version;
    Header m_header;
    Line m_headerRecord; // HDR is checked when the first GRH has named the version
    qint64 m_headerLine = 1;

    // The group being read.
    qint64 m_groupLine = 0;
    QString m_groupType;
    qint64 m_groupRecords = 0;
    qint64 m_groupTransactions = 0;
    QStringList m_groupTypes; // one group per transaction type and file
    qint64 m_lastGroupTrailer = 0;

    // The transaction being read.
    qint64 m_transactionLine = 0;
    QString m_transactionType;
    Kind m_transactionKind = Kind::Work;
    qint64 m_transactionSequence = -1;
    qint64 m_recordSequence = 0;
    int m_transactionRecords = 0;
    std::optional<Work> m_work;
};

qint64 Parser::readSome(char *into, qint64 max)
{
    for (;;) {
        const qint64 n = m_device.read(into, max);
        if (n != 0)
            return n;
        // A pipe may simply have nothing yet; a device that cannot wait is at its end.
        if (!m_device.isSequential() || !m_device.waitForReadyRead(-1))
            return 0;
    }
}

// Cuts the next physical line (without its LF, and the CR before it); false at the end of the
// input, or with status set when the input cannot be read or a line is too long.
bool Parser::nextLine(QByteArray &line, Status &status)
{
    line.clear();
    bool any = false;
    for (;;) {
        if (m_pos == m_end) {
            if (m_eof)
                break;
            m_blockOffset += m_end;
            m_pos = m_end = 0;
            if (m_block.size() != BlockSize)
                m_block.resize(BlockSize);
            const qint64 n = readSome(m_block.data(), BlockSize);
            if (n < 0) {
                status =
                    failAt(m_line + 1, QStringLiteral("cwr-read"),
                           QStringLiteral("cannot read the file: %1").arg(m_device.errorString()));
                return false;
            }
            if (n == 0) {
                m_eof = true;
                break;
            }
            m_end = n;
        }
        const char *from = m_block.constData() + m_pos;
        const auto *lf = static_cast<const char *>(std::memchr(from, '\n', size_t(m_end - m_pos)));
        const qsizetype take = lf ? lf - from : m_end - m_pos;
        if (line.size() + take > MaxLineBytes) {
            status =
                failAt(m_line + 1, QStringLiteral("cwr-length"),
                       QStringLiteral("the line is longer than %1 bytes; no CWR record is that "
                                      "long: is this a CWR file?")
                           .arg(MaxLineBytes));
            return false;
        }
        line.append(from, take);
        m_pos += take;
        any = true;
        if (lf) {
            ++m_pos;
            break;
        }
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return any;
}

void Parser::reportProgress(bool force)
{
    if (!m_options.progress)
        return;
    const qint64 done = bytesRead();
    if (force || done - m_reported >= BlockSize) {
        m_reported = done;
        m_options.progress(done, m_total);
    }
}

Result<Header> Parser::run()
{
    m_total = m_device.isSequential() ? -1 : m_device.size() - m_device.pos();
    QByteArray bytes;
    for (;;) {
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
            return failAt(qMax<qint64>(m_line, 1), QStringLiteral("cancelled"),
                          QStringLiteral("cancelled; the file was read up to this line"))
                .error();
        Status status;
        if (!nextLine(bytes, status)) {
            if (!status)
                return status.error();
            break;
        }
        ++m_line;
        reportProgress(false);
        if (m_line == 1 && bytes.startsWith("\xEF\xBB\xBF"))
            bytes.remove(0, 3); // a BOM some editors add; CWR itself has none
        // A record starts with its type, never with a blank.
        const bool blank = bytes.isEmpty() || (bytes[0] == ' ' && bytes.trimmed().isEmpty());
        if (m_state == State::Done) {
            // Empty lines after the TRL are an editor's, not data; anything else is.
            if (blank)
                continue;
            return fail(QStringLiteral("cwr-place"),
                        QStringLiteral("data after the TRL record (line %1), which ends a CWR file")
                            .arg(m_header.lines))
                .error();
        }
        if (blank)
            return fail(QStringLiteral("cwr-place"),
                        m_line == 1 ? QStringLiteral("the file starts with an empty line; a CWR "
                                                     "file starts with its HDR record")
                                    : QStringLiteral("an empty line; every line of a CWR file is "
                                                     "a record (the TRL counts them)"))
                .error();
        if (const std::optional<QString> bad = m_record.set(bytes))
            return Status::failure(QStringLiteral("cwr-encoding"),
                                   QStringLiteral("line %1, %2").arg(m_line).arg(*bad))
                .error();
        if (Status s = handle(); !s)
            return s.error();
    }
    reportProgress(true);
    if (m_line == 0)
        return Status::failure(QStringLiteral("cwr-truncated"),
                               QStringLiteral("the file is empty; a CWR file starts with an HDR "
                                              "record and ends with a TRL record"))
            .error();
    if (m_state != State::Done) {
        QString what;
        if (m_state == State::InGroup)
            what = QStringLiteral("the file ends after this line, inside the group that starts on "
                                  "line %1, without its GRT and the TRL: it is truncated; ask the "
                                  "sender for the whole file")
                       .arg(m_groupLine);
        else
            what = QStringLiteral("the file ends after this line without its TRL record "
                                  "(transmission trailer): it is truncated; ask the sender for "
                                  "the whole file");
        return failAt(m_line, QStringLiteral("cwr-truncated"), what).error();
    }
    return m_header;
}

Status Parser::handle()
{
    if (m_record.size() < 3)
        return fail(QStringLiteral("cwr-record-type"),
                    QStringLiteral("a record of %1 characters; every CWR record starts with its "
                                   "three-letter record type")
                        .arg(m_record.size()));
    m_type = m_record.field(1, 3);
    m_spec = findSpec(m_type);
    if (m_state == State::Start) {
        if (m_type != QLatin1String("HDR"))
            return fail(QStringLiteral("cwr-record-type"),
                        QStringLiteral("the file starts with '%1', not with an HDR record: this is "
                                       "not a CWR file")
                            .arg(m_type));
        return header();
    }
    if (!m_spec)
        return fail(
            QStringLiteral("cwr-record-type"),
            QStringLiteral("unknown record type '%1': not a CWR %2 record")
                .arg(m_type, m_version ? versionName(*m_version) : QStringLiteral("2.1 or 2.2")));
    if (m_spec->kind == Kind::Acknowledgement)
        return refuseAcknowledgement(m_line);
    if (m_state == State::AfterHeader && m_spec->kind != Kind::GroupHeader)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 record where the GRH (group header) must be: the second "
                                   "record of a CWR file is a GRH")
                        .arg(m_type));
    switch (m_spec->kind) {
    case Kind::Header:
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("a second HDR record; a CWR file has one, on line 1"));
    case Kind::GroupHeader:
        return groupHeader();
    case Kind::GroupTrailer:
        return groupTrailer();
    case Kind::Trailer:
        return trailer();
    case Kind::Work:
    case Kind::Agreement:
        return transactionHeader();
    case Kind::WorkDetail:
    case Kind::AgreementDetail:
        return detail();
    case Kind::Acknowledgement:
        break;
    }
    return {};
}

Status Parser::refuseAcknowledgement(qint64 at)
{
    return failAt(at, QStringLiteral("cwr-ack"),
                  QStringLiteral("this is an acknowledgement file (%1 records): a society's reply "
                                 "to registrations, not registrations; import the registration "
                                 "file it acknowledges instead")
                      .arg(m_type == QLatin1String("GRH") ? QStringLiteral("ACK") : m_type));
}

// The HDR is kept until the first GRH has named the version, whose HDR is 101 or 167 characters.
Status Parser::header()
{
    m_headerRecord = m_record;
    m_state = State::AfterHeader;
    return {};
}

Status Parser::checkLength()
{
    return checkLength(*m_version);
}

Status Parser::checkLength(Version version)
{
    const int required = requiredLength(*m_spec, version);
    if (required == 0)
        return fail(QStringLiteral("cwr-record-type"),
                    QStringLiteral("%1 records exist only in CWR 2.2, and this file is CWR %2 (see "
                                   "its GRH)")
                        .arg(m_type, versionName(version)));
    const qsizetype length = m_record.size();
    if (length < required)
        return fail(QStringLiteral("cwr-length"),
                    QStringLiteral("%1 record is %2 characters; CWR %3 requires %4")
                        .arg(m_type)
                        .arg(length)
                        .arg(versionName(version))
                        .arg(required));
    const int defined = m_spec->kind == Kind::GroupTrailer ? GrtDefinedLength : required;
    if (length > defined) {
        if (const qsizetype extra = m_record.firstNonBlank(defined + 1))
            return fail(QStringLiteral("cwr-length"),
                        QStringLiteral("%1 record is %2 characters; CWR %3 defines %4, and "
                                       "character %5 is not blank")
                            .arg(m_type)
                            .arg(length)
                            .arg(versionName(version))
                            .arg(defined)
                            .arg(extra));
    }
    return {};
}

Result<qint64> Parser::number(int start, int size, const QString &what)
{
    const QString text = m_record.field(start, size);
    if (!isDigits(text))
        return fail(QStringLiteral("cwr-number"),
                    QStringLiteral("%1 %2 '%3' (%4) is not a number; numeric fields are "
                                   "zero-filled digits")
                        .arg(m_type, what, text, columns(start, size)))
            .error();
    return text.toLongLong();
}

// Shares are 5 digits with two implied decimals (999v99): 05000 is 50.00 %.
Result<int> Parser::share(int start, const QString &what)
{
    const QString text = m_record.field(start, 5);
    if (!isDigits(text))
        return fail(QStringLiteral("cwr-number"),
                    QStringLiteral("%1 %2 '%3' (%4) is not a number: shares are 5 digits with 2 "
                                   "implied decimals (05000 = 50.00 %), 00000 for none")
                        .arg(m_type, what, text, columns(start, 5)))
            .error();
    const int bp = text.toInt();
    if (bp > 10000)
        return fail(QStringLiteral("cwr-number"),
                    QStringLiteral("%1 %2 is %3 % (%4), more than 100 %")
                        .arg(m_type, what, percent(bp), columns(start, 5)))
            .error();
    return bp;
}

// IPI name numbers are 11 digits; zero-filled fields (and blanks) mean none was given.
Result<QString> Parser::ipi(int start, const QString &what)
{
    const QString text = m_record.text(start, 11);
    if (text.isEmpty())
        return QString();
    if (!isDigits(text))
        return fail(QStringLiteral("cwr-field"),
                    QStringLiteral("%1 %2 '%3' (%4) is not an IPI name number (11 digits)")
                        .arg(m_type, what, text, columns(start, 11)))
            .error();
    const QString digits = text.rightJustified(11, QLatin1Char('0'));
    return digits == QLatin1String("00000000000") ? QString() : digits;
}

Result<QString> Parser::iswc(int start, const QString &what)
{
    const QString text = m_record.text(start, 11);
    if (text.isEmpty())
        return QString();
    const bool shaped = text.size() == 11 && text[0] == QLatin1Char('T') && isDigits(text.mid(1));
    if (shaped && iswcCheckDigit(QStringView(text).mid(1, 9)) == text[10].unicode() - '0')
        return text;
    return fail(QStringLiteral("cwr-field"),
                shaped
                    ? QStringLiteral("%1 %2 '%3' (%4) has a wrong check digit (it should be %5); "
                                     "correct it, or leave the field blank")
                          .arg(m_type, what, text, columns(start, 11))
                          .arg(iswcCheckDigit(QStringView(text).mid(1, 9)))
                    : QStringLiteral("%1 %2 '%3' (%4) is not an ISWC (T, nine digits and a "
                                     "check digit, as in T0345246801)")
                          .arg(m_type, what, text, columns(start, 11)))
        .error();
}

Result<QDate> Parser::date(int start, const QString &what)
{
    const QString text = m_record.field(start, 8);
    const QDate date =
        isDigits(text) ? QDate::fromString(text, QStringLiteral("yyyyMMdd")) : QDate();
    if (!date.isValid())
        return fail(QStringLiteral("cwr-date"),
                    QStringLiteral("%1 %2 '%3' (%4) is not a date in the form YYYYMMDD")
                        .arg(m_type, what, text, columns(start, 8)))
            .error();
    return date;
}

// Checks the HDR (line 1) against the version this first GRH names, then the GRH itself.
// The HDR's fields, read once the first GRH has named the version (m_record is the HDR then).
Status Parser::fileHeader(Version version)
{
    if (Status s = checkLength(version); !s)
        return s;
    const QString senderType = m_record.field(4, 2);
    const QString senderId = m_record.field(6, 9);
    if (senderType == QLatin1String("PB") || senderType == QLatin1String("SO") ||
        senderType == QLatin1String("AA") || senderType == QLatin1String("WR")) {
        m_header.senderId = senderId.trimmed();
    } else if (isDigits(senderType)) {
        // An IPI name number of more than 9 digits: its first two stand in Sender Type.
        m_header.senderId = senderType + senderId;
    } else {
        return fail(QStringLiteral("cwr-field"),
                    QStringLiteral("HDR sender type '%1' (%2) is not PB, SO, AA or WR")
                        .arg(senderType, columns(4, 2)));
    }
    m_header.senderType = senderType;
    m_header.senderName = m_record.text(15, 45);
    if (m_record.field(60, 5) != QLatin1String("01.10"))
        return fail(QStringLiteral("cwr-version"),
                    QStringLiteral("HDR EDI standard version '%1' (%2) is not 01.10, the one CWR "
                                   "2.1 and 2.2 use")
                        .arg(m_record.field(60, 5), columns(60, 5)));
    const Result<QDate> created = date(65, QStringLiteral("creation date"));
    if (!created)
        return created.error();
    m_header.created = created.value();
    if (const Result<QDate> sent = date(79, QStringLiteral("transmission date")); !sent)
        return sent.error();
    // Blank is ASCII; UTF-8 is the one other character set this reader decodes.
    const QString charset = m_record.text(87, 15);
    const QString upper = charset.toUpper();
    if (!charset.isEmpty() && upper != QLatin1String("ASCII") && upper != QLatin1String("UTF-8") &&
        upper != QLatin1String("UTF8"))
        return fail(QStringLiteral("cwr-encoding"),
                    QStringLiteral("HDR character set '%1' (%2): this reader reads ASCII and UTF-8 "
                                   "files only; ask the sender for UTF-8")
                        .arg(charset, columns(87, 15)));
    m_header.version = versionName(version);
    return {};
}

Status Parser::groupHeader()
{
    if (m_record.text(4, 3) == QLatin1String("ACK"))
        return refuseAcknowledgement(m_line);
    if (m_state == State::InGroup)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("GRH before the GRT of the group that starts on line %1; each "
                                   "group ends with its GRT")
                        .arg(m_groupLine));
    const bool first = !m_version.has_value();
    if (first && m_record.size() < 28)
        return fail(QStringLiteral("cwr-length"),
                    QStringLiteral("GRH record is %1 characters; CWR 2.1 and 2.2 require 28")
                        .arg(m_record.size()));
    const QString versionField = m_record.field(12, 5);
    std::optional<Version> version;
    if (versionField == QLatin1String("02.10"))
        version = Version::V21;
    else if (versionField == QLatin1String("02.20"))
        version = Version::V22;
    if (first && !version)
        return fail(QStringLiteral("cwr-version"),
                    QStringLiteral("GRH version '%1' (%2) is neither 02.10 (CWR 2.1) nor 02.20 "
                                   "(CWR 2.2), the versions this reader reads")
                        .arg(versionField, columns(12, 5)));
    if (!first && version != m_version)
        return fail(QStringLiteral("cwr-version"),
                    QStringLiteral("GRH version '%1' (%2) is not the file's (CWR %3, line 2)")
                        .arg(versionField, columns(12, 5), versionName(*m_version)));
    if (first) {
        m_version = version;
        const QString headerVersion = m_headerRecord.text(102, 3);
        if (!headerVersion.isEmpty() && headerVersion != versionName(*version))
            return fail(QStringLiteral("cwr-version"),
                        QStringLiteral("GRH version %1 (CWR %2) disagrees with the HDR's CWR "
                                       "version '%3' (line 1, columns 102-104)")
                            .arg(versionField, versionName(*version), headerVersion));
        // The HDR's checks name line 1: it is the current record while they run.
        std::swap(m_record, m_headerRecord);
        std::swap(m_line, m_headerLine);
        m_type = QStringLiteral("HDR");
        m_spec = findSpec(m_type);
        const Status status = fileHeader(*version);
        std::swap(m_record, m_headerRecord);
        std::swap(m_line, m_headerLine);
        m_type = QStringLiteral("GRH");
        m_spec = findSpec(m_type);
        if (!status)
            return status;
    }
    if (Status s = checkLength(); !s)
        return s;
    const QString type = m_record.field(4, 3);
    const RecordSpec *held = findSpec(type);
    if (!held || (held->kind != Kind::Work && held->kind != Kind::Agreement))
        return fail(QStringLiteral("cwr-record-type"),
                    QStringLiteral("GRH transaction type '%1' (%2) is not one a CWR group holds "
                                   "(NWR, REV, ISW, EXC or AGR)")
                        .arg(type, columns(4, 3)));
    const Result<qint64> id = number(7, 5, QStringLiteral("group ID"));
    if (!id)
        return id.error();
    if (id.value() != m_header.groups + 1)
        return fail(QStringLiteral("cwr-sequence"),
                    QStringLiteral("GRH group ID %1 (%2) should be %3: groups are numbered from 1 "
                                   "in file order")
                        .arg(m_record.field(7, 5), columns(7, 5))
                        .arg(m_header.groups + 1, 5, 10, QLatin1Char('0')));
    if (m_groupTypes.contains(type))
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("a second %1 group; CWR allows one group of each transaction "
                                   "type in a file")
                        .arg(type));
    m_groupTypes.append(type);
    ++m_header.groups;
    m_state = State::InGroup;
    m_groupLine = m_line;
    m_groupType = type;
    m_groupRecords = 1;
    m_groupTransactions = 0;
    m_transactionSequence = -1;
    m_transactionLine = 0;
    return {};
}

Status Parser::checkSequence(qint64 transaction, qint64 record)
{
    const Result<qint64> t = number(4, 8, QStringLiteral("transaction sequence #"));
    if (!t)
        return t.error();
    const Result<qint64> r = number(12, 8, QStringLiteral("record sequence #"));
    if (!r)
        return r.error();
    if (t.value() != transaction)
        return fail(QStringLiteral("cwr-sequence"),
                    QStringLiteral("%1 transaction sequence # is %2 (%3); it should be %4")
                        .arg(m_type, m_record.field(4, 8), columns(4, 8))
                        .arg(transaction, 8, 10, QLatin1Char('0')));
    if (r.value() != record)
        return fail(QStringLiteral("cwr-sequence"),
                    QStringLiteral("%1 record sequence # is %2 (%3); it should be %4")
                        .arg(m_type, m_record.field(12, 8), columns(12, 8))
                        .arg(record, 8, 10, QLatin1Char('0')));
    return {};
}

Status Parser::transactionHeader()
{
    if (m_state != State::InGroup)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 record outside any group (after the GRT on line %2); "
                                   "transactions stand between a GRH and its GRT")
                        .arg(m_type)
                        .arg(m_lastGroupTrailer));
    if (m_type != m_groupType)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 transaction in the %2 group that starts on line %3; a group "
                                   "holds transactions of its own type only")
                        .arg(m_type, m_groupType)
                        .arg(m_groupLine));
    if (Status s = checkLength(); !s)
        return s;
    if (Status s = checkSequence(m_transactionSequence + 1, 0); !s)
        return s;
    if (Status s = closeTransaction(); !s)
        return s;
    ++m_transactionSequence;
    ++m_groupTransactions;
    ++m_header.transactions;
    ++m_groupRecords;
    m_transactionLine = m_line;
    m_transactionType = m_type;
    m_transactionKind = m_spec->kind;
    m_recordSequence = 0;
    m_transactionRecords = 0;
    if (m_spec->kind != Kind::Work)
        return {};

    Work work;
    work.transaction = m_type;
    work.line = m_line;
    work.title = m_record.text(20, 60);
    work.language = m_record.text(80, 2);
    work.submitterWorkNumber = m_record.text(82, 14);
    work.versionType = m_record.text(143, 3);
    // An EXC describes another party's work, possibly not from CWR: the spec waives its mandatory
    // fields.
    if (m_type != QLatin1String("EXC")) {
        if (work.title.isEmpty())
            return fail(QStringLiteral("cwr-field"),
                        QStringLiteral("%1 work title (%2) is blank; every work has a title")
                            .arg(m_type, columns(20, 60)));
        if (work.submitterWorkNumber.isEmpty())
            return fail(QStringLiteral("cwr-field"),
                        QStringLiteral("%1 submitter work # (%2) is blank; it identifies the work "
                                       "to its publisher")
                            .arg(m_type, columns(82, 14)));
    }
    const Result<QString> code = iswc(96, QStringLiteral("ISWC"));
    if (!code)
        return code.error();
    work.iswc = code.value();
    m_work = std::move(work);
    return {};
}

Status Parser::detail()
{
    if (m_state == State::AfterGroup)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 record outside any group (after the GRT on line %2); it "
                                   "belongs in a transaction")
                        .arg(m_type)
                        .arg(m_lastGroupTrailer));
    if (m_transactionLine == 0)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 record before any transaction of the group that starts on "
                                   "line %2; detail records follow the %3 record they belong to")
                        .arg(m_type)
                        .arg(m_groupLine)
                        .arg(m_groupType));
    const bool forWork = m_spec->kind == Kind::WorkDetail;
    if (forWork != (m_transactionKind == Kind::Work))
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("%1 record inside the %2 transaction of line %3; %1 records "
                                   "belong to %4")
                        .arg(m_type, m_transactionType)
                        .arg(m_transactionLine)
                        .arg(forWork ? QStringLiteral("work registrations (NWR, REV, ISW, EXC)")
                                     : QStringLiteral("agreements (AGR)")));
    if (Status s = checkLength(); !s)
        return s;
    if (Status s = checkSequence(m_transactionSequence, m_recordSequence + 1); !s)
        return s;
    if (++m_transactionRecords > MaxRecordsPerTransaction)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("more than %1 records in the transaction of line %2; one work "
                                   "has not that many")
                        .arg(MaxRecordsPerTransaction)
                        .arg(m_transactionLine));
    ++m_recordSequence;
    ++m_groupRecords;
    return forWork ? workDetail() : Status();
}

// The IPI name # and the PR, MR and SR ownership shares, 8 columns apart (each after its society).
Status Parser::ownership(Party &party, int ipiStart, const QString &ipiWhat, int prStart)
{
    const Result<QString> ipiName = ipi(ipiStart, ipiWhat);
    if (!ipiName)
        return ipiName.error();
    party.ipiNameNumber = ipiName.value();
    int *shares[] = {&party.performingBp, &party.mechanicalBp, &party.syncBp};
    for (int i = 0; i < 3; ++i) {
        const Result<int> bp =
            share(prStart + 8 * i, QStringLiteral("%1 ownership share").arg(RightCodes[i]));
        if (!bp)
            return bp.error();
        *shares[i] = bp.value();
    }
    return {};
}

Party *Parser::lastParty(Party::Role role)
{
    if (!m_work || m_work->parties.isEmpty() || m_work->parties.last().role != role)
        return nullptr;
    return &m_work->parties.last();
}

// SPT/OPT put the shares 6 columns further than SWT/OWT (a constant of spaces after the IP #).
Result<Collection> Parser::collection(int offset)
{
    Collection c;
    c.line = m_line;
    int *shares[] = {&c.performingBp, &c.mechanicalBp, &c.syncBp};
    for (int i = 0; i < 3; ++i) {
        const Result<int> bp =
            share(29 + offset + 5 * i, QStringLiteral("%1 collection share").arg(RightCodes[i]));
        if (!bp)
            return bp.error();
        *shares[i] = bp.value();
    }
    const QString inclusion = m_record.field(44 + offset, 1);
    if (inclusion != QLatin1String("I") && inclusion != QLatin1String("E"))
        return fail(QStringLiteral("cwr-field"),
                    QStringLiteral("%1 inclusion/exclusion indicator '%2' (%3) is neither I nor E")
                        .arg(m_type, inclusion, columns(44 + offset, 1)))
            .error();
    c.included = inclusion == QLatin1String("I");
    c.tis = m_record.field(45 + offset, 4);
    if (!isDigits(c.tis))
        return fail(QStringLiteral("cwr-number"),
                    QStringLiteral("%1 TIS territory code '%2' (%3) is not a number")
                        .arg(m_type, c.tis, columns(45 + offset, 4)))
            .error();
    c.sharesChange = m_record.field(49 + offset, 1) == QLatin1String("Y");
    return c;
}

Status Parser::workDetail()
{
    if (!m_work)
        return {};
    Work &work = *m_work;
    const bool controlled = m_type[0] == QLatin1Char('S');
    if (m_type == QLatin1String("SPU") || m_type == QLatin1String("OPU")) {
        Party party;
        party.role = Party::Role::Publisher;
        party.controlled = controlled;
        party.line = m_line;
        const Result<qint64> chain = number(20, 2, QStringLiteral("publisher sequence #"));
        if (!chain)
            return chain.error();
        party.chain = int(chain.value());
        party.number = m_record.text(22, 9);
        party.name = m_record.text(31, 45);
        party.designation = m_record.text(77, 2);
        if (Status s = ownership(party, 88, QStringLiteral("publisher IPI name #"), 116); !s)
            return s;
        work.parties.append(std::move(party));
    } else if (m_type == QLatin1String("SWR") || m_type == QLatin1String("OWR")) {
        Party party;
        party.role = Party::Role::Writer;
        party.controlled = controlled;
        party.line = m_line;
        party.number = m_record.text(20, 9);
        const QString last = m_record.text(29, 45);
        const QString first = m_record.text(74, 30);
        party.name = first.isEmpty()  ? last
                     : last.isEmpty() ? first
                                      : last + QLatin1String(", ") + first;
        party.designation = m_record.text(105, 2);
        if (Status s = ownership(party, 116, QStringLiteral("writer IPI name #"), 130); !s)
            return s;
        work.parties.append(std::move(party));
    } else if (m_type == QLatin1String("SPT") || m_type == QLatin1String("OPT") ||
               m_type == QLatin1String("SWT") || m_type == QLatin1String("OWT")) {
        // Territories belong to the party right before them: an SPT to its SPU, an SWT to its SWR;
        // OPT/OWT (non-controlled collection) may follow either kind of publisher or an OWR.
        const bool publisher = m_type[1] == QLatin1Char('P');
        Party *party = lastParty(publisher ? Party::Role::Publisher : Party::Role::Writer);
        const bool fits = party && (publisher ? (!controlled || party->controlled)
                                              : party->controlled == controlled);
        if (!fits)
            return fail(
                QStringLiteral("cwr-place"),
                QStringLiteral("%1 record that does not follow %2: its collection shares "
                               "belong to the %3 right before it")
                    .arg(m_type,
                         publisher ? (controlled ? QStringLiteral("an SPU record")
                                                 : QStringLiteral("an SPU or OPU record"))
                                   : (controlled ? QStringLiteral("an SWR record")
                                                 : QStringLiteral("an OWR record")),
                         publisher ? QStringLiteral("publisher") : QStringLiteral("writer")));
        const QString number = m_record.text(20, 9);
        if (controlled && number != party->number)
            return fail(QStringLiteral("cwr-place"),
                        QStringLiteral("%1 record for interested party '%2' (%3) follows the "
                                       "record of '%4' (line %5); it must give that party's "
                                       "number")
                            .arg(m_type, number, columns(20, 9), party->number)
                            .arg(party->line));
        const Result<Collection> c = collection(publisher ? 6 : 0);
        if (!c)
            return c.error();
        party->collection.append(c.value());
    } else if (m_type == QLatin1String("PWR")) {
        // A PWR names a publisher of the writer before it (an SWR, or since 2.2 an OWR).
        Party *writer = lastParty(Party::Role::Writer);
        if (!writer)
            return fail(QStringLiteral("cwr-place"),
                        QStringLiteral("PWR record that does not follow a writer (SWR or OWR): "
                                       "it names the publisher of the writer before it"));
        if (const QString publisher = m_record.text(20, 9); !publisher.isEmpty())
            writer->publishers.append(publisher);
    } else if (m_type == QLatin1String("ALT")) {
        if (const QString title = m_record.text(20, 60); !title.isEmpty())
            work.alternativeTitles.append(title);
    } else if (m_type == QLatin1String("VER")) {
        work.originalTitle = m_record.text(20, 60);
        const Result<QString> code = iswc(80, QStringLiteral("ISWC of the original work"));
        if (!code)
            return code.error();
        work.originalIswc = code.value();
    } else if (m_type == QLatin1String("REC")) {
        const QString isrc = m_record.text(250, 12);
        if (!isrc.isEmpty()) {
            // ISO 3901: country (2 letters), registrant (3 letters or digits), year and
            // designation (7 digits).
            bool shaped = isrc.size() == 12 && isDigits(QStringView(isrc).mid(5));
            for (int i = 0; shaped && i < 5; ++i)
                shaped = isrc[i].isLetter() || (i >= 2 && isrc[i].isDigit());
            if (!shaped || !isrc[0].isLetter() || !isrc[1].isLetter())
                return fail(QStringLiteral("cwr-field"),
                            QStringLiteral("REC ISRC '%1' (%2) is not an ISRC (as in "
                                           "SEXYZ2500001: country, registrant, year, number)")
                                .arg(isrc, columns(250, 12)));
            work.isrcs.append(isrc);
        }
    }
    // Every other detail record (NPN, NWN, NAT, EWT, PER, ORN, INS, IND, COM, ARI, XRF, …) was
    // checked for its length and place and carries nothing a work keeps.
    return {};
}

// Ends the transaction being read: a work gets its share problems and goes to the sink.
Status Parser::closeTransaction()
{
    if (!m_work)
        return {};
    Work work = std::move(*m_work);
    m_work.reset();
    struct Right
    {
        const char *name;
        int Party::*share;
    };
    static constexpr Right Rights[] = {{"performing", &Party::performingBp},
                                       {"mechanical", &Party::mechanicalBp},
                                       {"sync", &Party::syncBp}};
    for (const Right &right : Rights) {
        qint64 total = 0;
        for (const Party &party : work.parties)
            total += party.*right.share;
        // CWR (NWR transaction edit 11): each right totals 100 % within 0.06 %, or 0 % where the
        // work is not registered for that right.
        if (total == 0 || qAbs(total - 10000) <= ShareTolerance)
            continue;
        const QString name = QLatin1String(right.name);
        work.shareProblems.append(
            {name, int(total),
             QStringLiteral("line %1: %2 ownership shares total %3 %, not 100 % (±0.06 %)")
                 .arg(work.line)
                 .arg(name, percent(total))});
    }
    ++m_header.works;
    if (!m_sink(work))
        return failAt(work.line, QStringLiteral("cancelled"),
                      QStringLiteral("cancelled at the work that starts on this line"));
    return {};
}

// A GRT or TRL control total against what the reader counted.
Status Parser::checkCount(int start, int size, const char *item, qint64 counted,
                          const QString &holder, const QString &included)
{
    const Result<qint64> stated =
        number(start, size, QStringLiteral("%1 count").arg(QLatin1String(item)));
    if (!stated)
        return stated.error();
    if (stated.value() == counted)
        return {};
    return fail(QStringLiteral("cwr-count"),
                QStringLiteral("%1 says %2 %3s (%4), but %5 holds %6%7; the file was cut or "
                               "edited: ask the sender for it again")
                    .arg(m_type)
                    .arg(stated.value())
                    .arg(QLatin1String(item), columns(start, size), holder)
                    .arg(counted)
                    .arg(included));
}

Status Parser::groupTrailer()
{
    if (m_state != State::InGroup)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("GRT without a GRH: the group before ended with the GRT on line "
                                   "%1")
                        .arg(m_lastGroupTrailer));
    if (Status s = checkLength(); !s)
        return s;
    if (Status s = closeTransaction(); !s)
        return s;
    ++m_groupRecords;
    const Result<qint64> id = number(4, 5, QStringLiteral("group ID"));
    if (!id)
        return id.error();
    if (id.value() != m_header.groups)
        return fail(
            QStringLiteral("cwr-count"),
            QStringLiteral("GRT group ID %1 (%2) is not that of its group (%3, GRH line %4)")
                .arg(m_record.field(4, 5), columns(4, 5))
                .arg(m_header.groups, 5, 10, QLatin1Char('0'))
                .arg(m_groupLine));
    const QString group = QStringLiteral("the group (lines %1-%2)").arg(m_groupLine).arg(m_line);
    if (Status st = checkCount(9, 8, "transaction", m_groupTransactions, group); !st)
        return st;
    if (Status st = checkCount(17, 8, "record", m_groupRecords, group,
                               QStringLiteral(", its GRH and GRT included"));
        !st)
        return st;
    m_state = State::AfterGroup;
    m_lastGroupTrailer = m_line;
    m_transactionLine = 0;
    return {};
}

Status Parser::trailer()
{
    if (m_state == State::InGroup)
        return fail(QStringLiteral("cwr-place"),
                    QStringLiteral("TRL before the GRT of the group that starts on line %1; the "
                                   "group is incomplete")
                        .arg(m_groupLine));
    if (Status s = checkLength(); !s)
        return s;
    const QString file = QStringLiteral("the file");
    if (Status st = checkCount(4, 5, "group", m_header.groups, file); !st)
        return st;
    if (Status st = checkCount(9, 8, "transaction", m_header.transactions, file); !st)
        return st;
    if (Status st =
            checkCount(17, 8, "record", m_line, file, QStringLiteral(", its HDR and TRL included"));
        !st)
        return st;
    m_header.lines = m_line;
    m_state = State::Done;
    return {};
}

} // namespace

Result<Header> read(QIODevice &device, const Options &options,
                    const std::function<bool(const Work &)> &sink)
{
    Parser parser(device, options, sink);
    return parser.run();
}

} // namespace cartulary::model::cwr
