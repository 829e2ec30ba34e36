// SPDX-License-Identifier: GPL-3.0-or-later
// CSV reader as a byte-level state machine over fixed blocks: UTF-8 is validated as it streams and
// each field is decoded once from bytes, so memory stays within the limits whatever the input.
#include "model/io/csv.h"

#include <QIODevice>
#include <QStringDecoder>

#include <array>
#include <cstring>

namespace cartulary::model::csv {

namespace {
constexpr qint64 BlockSize = qint64(64) * 1024;

// Plain bytes change no state, so the hot loop skips runs of them without looking further.
enum ByteClass : quint8 { Plain, Comma, Quote, Cr, Lf, Nul, NonAscii };

constexpr std::array<quint8, 256> makeClasses()
{
    std::array<quint8, 256> classes{};
    for (int b = 0; b < 256; ++b)
        classes[b] = b < 0x80 ? Plain : NonAscii;
    classes[','] = Comma;
    classes['"'] = Quote;
    classes['\r'] = Cr;
    classes['\n'] = Lf;
    classes[0] = Nul;
    return classes;
}
constexpr std::array<quint8, 256> Classes = makeClasses();

QString notUtf8(uchar lead)
{
    // Naming the byte lets a user recognise the encoding: 0xE9 is "é" in Latin-1.
    return QStringLiteral("not UTF-8 text (a character starting with byte 0x%1); the file must be "
                          "UTF-8: re-save it as UTF-8")
        .arg(QString::number(lead, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}
} // namespace

struct Reader::Private
{
    enum class State { RecordStart, FieldStart, Unquoted, Quoted, AfterQuote };

    QIODevice *device = nullptr;
    Limits limits;

    // The block being parsed; block[pos..end) is not parsed yet.
    QByteArray block;
    qsizetype pos = 0;
    qsizetype end = 0;
    qint64 blockOffset = 0; // offset in the input of block[0]
    bool started = false;
    bool finished = false;

    QString error;
    qint64 errorLine = 0;

    State state = State::RecordStart;
    qint64 line = 1;
    qint64 column = 0;    // characters consumed on this line: the last one's column
    bool afterCr = false; // an LF right after a CR belongs to the same line end

    // A multi-byte UTF-8 sequence in progress: bytes still needed and the range of the next one.
    int utf8Need = 0;
    uchar utf8Low = 0x80;
    uchar utf8High = 0xBF;
    uchar utf8Lead = 0;
    qint64 utf8Line = 0;
    qint64 utf8Column = 0;

    QStringList fields;
    // In views mode (next(RecordView &)) the fields' bytes go one after another into `arena`, each
    // field's (offset, size) into `spans`: copying a line's bytes costs less than a QString a
    // field.
    bool views = false;
    QByteArray arena;
    QVarLengthArray<std::pair<qsizetype, qsizetype>, 16> spans;
    qint64 recordLine = 0;
    qint64 recordOffset = 0;
    qint64 fieldLine = 0;
    qint64 fieldColumn = 0;
    // The current field's data is `field` followed by block[runStart..): most fields lie in one
    // block without escaped quotes and are decoded straight from the block, with no copy.
    QByteArray field;
    qsizetype runStart = 0;
    qsizetype runEnd = 0; // in AfterQuote, where the run stopped (at the closing quote)
    // QString::fromUtf8 drops a leading U+FEFF; a field may start with one and must keep it.
    QStringDecoder decoder{QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom};

    bool fail(qint64 atLine, qint64 atColumn, const QString &what);
    qint64 readSome(char *into, qint64 max);
    bool fill();
    bool leaveBlock();
    bool append(const char *data, qsizetype size);
    bool endField(const char *data, qsizetype size);
    bool startUtf8(uchar lead);
    /** A whole line of plain or UTF-8 text without quotes or CR inside, in the block: its fields as
     * views into the block, past the state machine. False (record untouched) for anything else. */
    bool quickLine(RecordView &record);
    void startRecord();
    void startField();
    bool endRecord(Record &record);
    bool parse(Record &record);
    bool finish(Record &record);
    qsizetype fieldCount() const { return views ? spans.size() : fields.size(); }
};

bool Reader::Private::fail(qint64 atLine, qint64 atColumn, const QString &what)
{
    if (atLine <= 0)
        error = what;
    else if (atColumn <= 0)
        error = QStringLiteral("line %1: %2").arg(atLine).arg(what);
    else
        error = QStringLiteral("line %1, column %2: %3").arg(atLine).arg(atColumn).arg(what);
    errorLine = qMax<qint64>(atLine, 0);
    finished = true;
    // Nothing more will be parsed: give back what a hostile file made us hold.
    block = QByteArray();
    field = QByteArray();
    fields = QStringList();
    arena = QByteArray();
    spans.clear();
    blockOffset += end; // keeps bytesRead() right
    pos = end = 0;
    return false;
}

qint64 Reader::Private::readSome(char *into, qint64 max)
{
    for (;;) {
        const qint64 n = device->read(into, max);
        if (n != 0)
            return n;
        // A pipe or a process may simply have nothing yet; a device that cannot wait is at its end.
        if (!device->isSequential() || !device->waitForReadyRead(-1))
            return 0;
    }
}

bool Reader::Private::fill()
{
    blockOffset += end;
    pos = end = 0;
    if (block.size() != BlockSize)
        block.resize(BlockSize);
    qint64 n = readSome(block.data(), BlockSize);
    if (n < 0)
        return fail(line, 0, QStringLiteral("cannot read the file: %1").arg(device->errorString()));
    if (n == 0)
        return false;
    end = n;
    if (!started) {
        started = true;
        // A slow device may deliver the BOM in pieces: gather three bytes before looking.
        while (end < 3) {
            n = readSome(block.data() + end, BlockSize - end);
            if (n < 0)
                return fail(line, 0,
                            QStringLiteral("cannot read the file: %1").arg(device->errorString()));
            if (n == 0)
                break;
            end += n;
        }
        if (end >= 3 && std::memcmp(block.constData(), "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
    }
    return true;
}

// Before the block is reused, the current field's bytes in it move into `field`; the limits are
// checked here too, so a field or record never grows past a limit by more than one block.
bool Reader::Private::leaveBlock()
{
    const char *data = block.constData();
    if (state == State::Unquoted || state == State::Quoted) {
        if (!append(data + runStart, end - runStart))
            return false;
    } else if (state == State::AfterQuote) {
        if (!append(data + runStart, runEnd - runStart))
            return false;
    }
    if (state != State::RecordStart && blockOffset + end - recordOffset > limits.maxRecordBytes)
        return fail(
            recordLine, 0,
            QStringLiteral("a record longer than %1 bytes, the limit").arg(limits.maxRecordBytes));
    return true;
}

bool Reader::Private::append(const char *data, qsizetype size)
{
    if (field.size() + size > limits.maxFieldBytes)
        return fail(
            fieldLine, fieldColumn,
            QStringLiteral("a field longer than %1 bytes, the limit").arg(limits.maxFieldBytes));
    field.append(data, size);
    return true;
}

bool Reader::Private::endField(const char *data, qsizetype size)
{
    if (views) {
        if (!field.isEmpty() || size > limits.maxFieldBytes) {
            if (!append(data, size))
                return false;
            data = field.constData();
            size = field.size();
        }
        spans.append({arena.size(), size});
        arena.append(data, size);
        field.resize(0);
        return true;
    }
    if (field.isEmpty()) {
        if (size > limits.maxFieldBytes)
            return append(data, size); // fails with the message
        fields.append(decoder.decode(QByteArrayView(data, size)));
        return true;
    }
    if (!append(data, size))
        return false;
    // The bytes were validated as they streamed in, so this decoding never replaces anything.
    fields.append(decoder.decode(field));
    field.resize(0);
    return true;
}

namespace {
/** What may follow a UTF-8 lead byte: how many bytes, and the range of the first of them (the
 * others are 0x80-0xBF). Ranges from the Unicode standard (table 3-7): they exclude overlong
 * forms, surrogates and code points above U+10FFFF. False for a byte that cannot lead. */
bool utf8Follows(uchar lead, int &need, uchar &low, uchar &high)
{
    low = 0x80;
    high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return false;
    }
    return true;
}
} // namespace

bool Reader::Private::startUtf8(uchar lead)
{
    if (!utf8Follows(lead, utf8Need, utf8Low, utf8High))
        return fail(line, column, notUtf8(lead));
    utf8Lead = lead;
    utf8Line = line;
    utf8Column = column;
    return true;
}

bool Reader::Private::quickLine(RecordView &record)
{
    if (state != State::RecordStart || utf8Need > 0 || afterCr || pos >= end)
        return false;
    const char *data = block.constData();
    const auto *lf = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(end - pos)));
    if (!lf)
        return false;
    const qsizetype stop = lf - data;
    const qsizetype lineEnd = stop > pos && data[stop - 1] == '\r' ? stop - 1 : stop;
    if (lineEnd == pos || lineEnd - pos > limits.maxRecordBytes)
        return false; // a blank line, or one the state machine refuses
    qsizetype from = pos;
    for (qsizetype i = pos; i <= lineEnd; ++i) {
        const quint8 cls = i == lineEnd ? quint8(Comma) : Classes[uchar(data[i])];
        if (cls == Plain)
            continue;
        if (cls == Comma) {
            if (i - from > limits.maxFieldBytes || record.fields.size() >= limits.maxFields)
                return false;
            record.fields.append(QByteArrayView(data + from, i - from));
            from = i + 1;
            continue;
        }
        int need = 0;
        uchar low = 0, high = 0;
        if (cls != NonAscii || !utf8Follows(uchar(data[i]), need, low, high) || i + need >= lineEnd)
            return false; // a quote, a CR, a NUL or not UTF-8: the state machine says what
        for (int k = 1; k <= need; ++k, low = 0x80, high = 0xBF)
            if (uchar(data[i + k]) < low || uchar(data[i + k]) > high)
                return false;
        i += need;
    }
    record.line = line;
    ++line;
    column = 0;
    pos = stop + 1;
    return true;
}

void Reader::Private::startRecord()
{
    recordLine = line;
    recordOffset = blockOffset + pos;
    fields.clear();
    arena.resize(0);
    spans.clear();
}

void Reader::Private::startField()
{
    fieldLine = line;
    fieldColumn = column;
}

bool Reader::Private::endRecord(Record &record)
{
    if (blockOffset + pos - recordOffset > limits.maxRecordBytes)
        return fail(
            recordLine, 0,
            QStringLiteral("a record longer than %1 bytes, the limit").arg(limits.maxRecordBytes));
    record.fields = std::move(fields);
    record.line = recordLine;
    fields = QStringList();
    state = State::RecordStart;
    return true;
}

bool Reader::Private::parse(Record &record)
{
    for (;;) {
        if (pos == end) {
            if (!leaveBlock())
                return false;
            if (!fill())
                return error.isEmpty() ? finish(record) : false;
            runStart = runEnd = pos;
            continue;
        }
        const char *data = block.constData();

        if (utf8Need == 0 && (state == State::Unquoted || state == State::Quoted)) {
            const qsizetype from = pos;
            while (pos < end && Classes[uchar(data[pos])] == Plain)
                ++pos;
            if (pos != from) {
                column += pos - from;
                afterCr = false;
                continue;
            }
        }

        const uchar b = uchar(data[pos]);
        if (utf8Need > 0) {
            if (b < utf8Low || b > utf8High)
                return fail(utf8Line, utf8Column, notUtf8(utf8Lead));
            --utf8Need;
            utf8Low = 0x80;
            utf8High = 0xBF;
            ++pos;
            continue;
        }

        const quint8 cls = Classes[b];
        const bool lfOfCrlf = cls == Lf && afterCr;
        afterCr = cls == Cr;
        if (cls != Cr && cls != Lf)
            ++column;

        switch (cls) {
        case Nul:
            return fail(line, column, QStringLiteral("a NUL byte; this is not a text CSV file"));

        case NonAscii:
            if (!startUtf8(b))
                return false;
            [[fallthrough]];
        case Plain:
            switch (state) {
            case State::RecordStart:
                startRecord();
                [[fallthrough]];
            case State::FieldStart:
                startField();
                state = State::Unquoted;
                runStart = pos;
                break;
            case State::Unquoted:
            case State::Quoted:
                break;
            case State::AfterQuote:
                return fail(line, column,
                            QStringLiteral("text after a closing quote; a quoted field must end "
                                           "at a comma or at the end of the line"));
            }
            ++pos;
            continue;

        case Quote:
            switch (state) {
            case State::RecordStart:
                startRecord();
                [[fallthrough]];
            case State::FieldStart:
                startField();
                state = State::Quoted;
                runStart = pos + 1;
                break;
            case State::Unquoted:
                return fail(line, column,
                            QStringLiteral("a quote inside an unquoted field; enclose the whole "
                                           "field in quotes and double each quote inside it"));
            case State::Quoted:
                state = State::AfterQuote;
                runEnd = pos;
                break;
            case State::AfterQuote:
                // "" is one quote of data; the run may have left an earlier block, so add it apart.
                if (!append(data + runStart, runEnd - runStart) || !append("\"", 1))
                    return false;
                state = State::Quoted;
                runStart = pos + 1;
                break;
            }
            ++pos;
            continue;

        case Comma:
            switch (state) {
            case State::RecordStart:
                startRecord();
                [[fallthrough]];
            case State::FieldStart:
                startField();
                if (!endField(nullptr, 0))
                    return false;
                break;
            case State::Unquoted:
                if (!endField(data + runStart, pos - runStart))
                    return false;
                break;
            case State::Quoted:
                ++pos;
                continue;
            case State::AfterQuote:
                if (!endField(data + runStart, runEnd - runStart))
                    return false;
                break;
            }
            // Refuse at the separator, before the extra field's data is even read.
            if (fieldCount() >= limits.maxFields)
                return fail(line, column + 1,
                            QStringLiteral("a record with more than %1 fields, the limit")
                                .arg(limits.maxFields));
            state = State::FieldStart;
            ++pos;
            continue;

        case Cr:
        case Lf: {
            if (lfOfCrlf) {
                ++pos; // the line ended at the CR; in a quoted field the LF stays in the run
                continue;
            }
            bool recordEnds = true;
            switch (state) {
            case State::RecordStart: // a blank line
            case State::Quoted:      // data
                recordEnds = false;
                break;
            case State::FieldStart:
                startField();
                if (!endField(nullptr, 0))
                    return false;
                break;
            case State::Unquoted:
                if (!endField(data + runStart, pos - runStart))
                    return false;
                break;
            case State::AfterQuote:
                if (!endField(data + runStart, runEnd - runStart))
                    return false;
                break;
            }
            if (recordEnds && !endRecord(record))
                return false;
            ++line;
            column = 0;
            ++pos;
            if (recordEnds)
                return true;
            continue;
        }
        }
    }
}

bool Reader::Private::finish(Record &record)
{
    finished = true;
    if (utf8Need > 0)
        return fail(utf8Line, utf8Column,
                    QStringLiteral("the file ends in the middle of a UTF-8 character; the file "
                                   "must be UTF-8: re-save it as UTF-8"));
    // leaveBlock() has already moved the last field's bytes into `field`.
    switch (state) {
    case State::RecordStart:
        return false;
    case State::Quoted:
        return fail(fieldLine, fieldColumn,
                    QStringLiteral("a quoted field starts here and is never closed; add the "
                                   "missing closing quote"));
    case State::FieldStart:
        startField();
        [[fallthrough]];
    case State::Unquoted:
    case State::AfterQuote:
        if (!endField(nullptr, 0))
            return false;
        break;
    }
    return endRecord(record);
}

Reader::Reader(QIODevice *device, Limits limits)
    : d(std::make_unique<Private>())
{
    d->device = device;
    d->limits = limits;
    if (!device || !device->isReadable())
        d->fail(0, 0, QStringLiteral("cannot read the file: it is not open for reading"));
}

Reader::~Reader() = default;

bool Reader::next(Record &record)
{
    record.fields.clear();
    record.line = 0;
    if (d->finished)
        return false;
    d->views = false;
    return d->parse(record);
}

bool Reader::next(RecordView &record)
{
    record.fields.clear();
    record.line = 0;
    if (d->finished)
        return false;
    if (d->quickLine(record))
        return true;
    record.fields.clear();
    d->views = true;
    Record unused;
    if (!d->parse(unused))
        return false;
    for (const auto &[offset, size] : d->spans)
        record.fields.append(QByteArrayView(d->arena.constData() + offset, size));
    record.line = unused.line;
    return true;
}

bool Reader::hasError() const
{
    return !d->error.isEmpty();
}

QString Reader::errorString() const
{
    return d->error;
}

qint64 Reader::errorLine() const
{
    return d->errorLine;
}

qint64 Reader::bytesRead() const
{
    return d->blockOffset + d->end;
}

qint64 Reader::lines() const
{
    // `line` is the line being read: it counts only once a character of it has been seen.
    return d->line - 1 + (d->column > 0 ? 1 : 0);
}

QByteArray formatRecord(const QStringList &fields)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        const QString &value = fields[i];
        const QByteArray bytes = value.toUtf8();
        const bool quote = bytes.contains(',') || bytes.contains('"') || bytes.contains('\r') ||
                           bytes.contains('\n') || value.startsWith(QChar(0xFEFF));
        if (!quote) {
            out += bytes;
            continue;
        }
        out += '"';
        for (const char c : bytes) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    }
    if (fields.size() == 1 && fields.first().isEmpty())
        out += "\"\"";
    out += '\n';
    return out;
}

namespace {
bool startsFormula(QChar c)
{
    return c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r';
}
} // namespace

QString guardFormula(const QString &cell)
{
    if (cell.isEmpty() || !(startsFormula(cell.front()) || cell.front() == u'\''))
        return cell;
    return u'\'' + cell;
}

QString unguardFormula(const QString &cell)
{
    if (cell.size() >= 2 && cell.front() == u'\'' && (startsFormula(cell[1]) || cell[1] == u'\''))
        return cell.mid(1);
    return cell;
}

} // namespace cartulary::model::csv
