// SPDX-License-Identifier: GPL-3.0-or-later
// CSV reading and writing: every dialect rule, every refusal with its line and column, and bounded
// memory on endless input.
#include "model/io/csv.h"
#include "tests/model/devices.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTemporaryFile>
#include <QTest>

#include <climits>

using namespace cartulary::model::csv;

Q_DECLARE_METATYPE(cartulary::model::csv::Record)

namespace {

using Records = QList<Record>;

// The reader's block size; tests place tricky bytes across it.
constexpr qsizetype Block = qsizetype(64) * 1024;

Record rec(qint64 line, QStringList fields)
{
    return Record{std::move(fields), line};
}

/** Records as one line of text, so that a failed comparison shows both sides readably. */
QString dump(const Records &records)
{
    QStringList out;
    for (const Record &r : records) {
        QStringList fields;
        for (QString f : r.fields) {
            f.replace('\\', QLatin1String("\\\\"))
                .replace('\r', QLatin1String("\\r"))
                .replace('\n', QLatin1String("\\n"))
                .replace('"', QLatin1String("\\\""));
            fields.append('"' + f + '"');
        }
        out.append(QStringLiteral("%1[%2]").arg(r.line).arg(fields.join(',')));
    }
    return out.join(' ');
}

/** Everything one reader produced before it stopped. */
struct Outcome
{
    Records records;
    bool error = false;
    QString message;
    qint64 errorLine = 0;
    qint64 bytesRead = 0;
};

Outcome readAll(QIODevice *device, Limits limits = {})
{
    Outcome out;
    Reader reader(device, limits);
    Record r;
    while (reader.next(r))
        out.records.append(r);
    out.error = reader.hasError();
    out.message = reader.errorString();
    out.errorLine = reader.errorLine();
    out.bytesRead = reader.bytesRead();
    return out;
}

Outcome readBytes(const QByteArray &bytes, Limits limits = {})
{
    QBuffer buffer;
    buffer.setData(bytes);
    if (!buffer.open(QIODevice::ReadOnly))
        qFatal("cannot open a QBuffer");
    return readAll(&buffer, limits);
}

/** The same through next(RecordView &), each view decoded as the reader decodes a field. */
Outcome readViews(const QByteArray &bytes, Limits limits = {})
{
    QBuffer buffer;
    buffer.setData(bytes);
    if (!buffer.open(QIODevice::ReadOnly))
        qFatal("cannot open a QBuffer");
    Outcome out;
    Reader reader(&buffer, limits);
    RecordView v;
    while (reader.next(v)) {
        Record r;
        r.line = v.line;
        for (const QByteArrayView f : v.fields) {
            // A field may start with U+FEFF and keep it, as Record's fields do.
            QStringDecoder decoder(QStringDecoder::Utf8,
                                   QStringDecoder::Flag::Stateless |
                                       QStringDecoder::Flag::ConvertInitialBom);
            r.fields.append(decoder.decode(f));
        }
        out.records.append(r);
    }
    out.error = reader.hasError();
    out.message = reader.errorString();
    out.errorLine = reader.errorLine();
    out.bytesRead = reader.bytesRead();
    return out;
}

/** Serves a prefix, then a pattern forever, and counts what it served: a 1 GB line and more. */
class EndlessDevice : public QIODevice
{
public:
    // Far beyond any limit; a reader that has not stopped by then fails cleanly instead of
    // exhausting the test machine's memory.
    static constexpr qint64 SafetyCap = qint64(64) << 20;

    EndlessDevice(QByteArray prefix, QByteArray pattern)
        : m_prefix(std::move(prefix))
        , m_pattern(std::move(pattern))
    {
        open(ReadOnly | Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 served = 0;

protected:
    qint64 readData(char *data, qint64 max) override
    {
        if (served >= SafetyCap) {
            setErrorString(QStringLiteral("the reader did not stop before 64 MiB"));
            return -1;
        }
        for (qint64 i = 0; i < max; ++i, ++served)
            data[i] = served < m_prefix.size()
                          ? m_prefix[served]
                          : m_pattern[(served - m_prefix.size()) % m_pattern.size()];
        return max;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_prefix;
    QByteArray m_pattern;
};

/** Serves some data, then fails like a disk with a bad sector. */
class FailingDevice : public QIODevice
{
public:
    explicit FailingDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(ReadOnly | Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        if (m_done) {
            setErrorString(QStringLiteral("bad sector"));
            return -1;
        }
        m_done = true;
        const qint64 n = qMin<qint64>(max, m_data.size());
        memcpy(data, m_data.constData(), size_t(n));
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    bool m_done = false;
};

/** Counts line ends as the reader does (LF, CRLF and a lone CR each end one line). */
qint64 countLineEnds(const QByteArray &bytes)
{
    qint64 n = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const bool lfOfCrlf = bytes[i] == '\n' && i > 0 && bytes[i - 1] == '\r';
        if ((bytes[i] == '\n' && !lfOfCrlf) || bytes[i] == '\r')
            ++n;
    }
    return n;
}

} // namespace

class TestCsv : public QObject
{
    Q_OBJECT

private slots:
    void records_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<Records>("expected");

        QTest::newRow("simple") << QByteArray("a,b,c\n1,2,3\n")
                                << Records{rec(1, {"a", "b", "c"}), rec(2, {"1", "2", "3"})};
        QTest::newRow("single field") << QByteArray("a\n") << Records{rec(1, {"a"})};
        QTest::newRow("quoted") << QByteArray("\"a\",\"b c\"\n") << Records{rec(1, {"a", "b c"})};
        QTest::newRow("escaped quotes")
            << QByteArray("\"say \"\"hi\"\"\",\"\"\"\"\n") << Records{rec(1, {"say \"hi\"", "\""})};
        QTest::newRow("only escaped quotes")
            << QByteArray("\"\"\"\"\"\"\n") << Records{rec(1, {"\"\""})};
        QTest::newRow("escaped quote last") << QByteArray("\"a\"\"\"") << Records{rec(1, {"a\""})};
        QTest::newRow("embedded comma")
            << QByteArray("\"a,b\",c\n") << Records{rec(1, {"a,b", "c"})};
        QTest::newRow("only a quoted comma") << QByteArray("\",\"") << Records{rec(1, {","})};
        QTest::newRow("embedded LF")
            << QByteArray("\"a\nb\",c\nd\n") << Records{rec(1, {"a\nb", "c"}), rec(3, {"d"})};
        QTest::newRow("embedded CRLF") << QByteArray("\"a\r\nb\",c\r\nd\r\n")
                                       << Records{rec(1, {"a\r\nb", "c"}), rec(3, {"d"})};
        QTest::newRow("embedded lone CR")
            << QByteArray("\"a\rb\",c\rd\r") << Records{rec(1, {"a\rb", "c"}), rec(3, {"d"})};
        QTest::newRow("embedded LF CR is two lines")
            << QByteArray("\"a\n\rb\"\nc") << Records{rec(1, {"a\n\rb"}), rec(4, {"c"})};
        QTest::newRow("empty fields") << QByteArray(",,\n") << Records{rec(1, {"", "", ""})};
        QTest::newRow("empty middle field")
            << QByteArray("a,,b\n") << Records{rec(1, {"a", "", "b"})};
        QTest::newRow("only a comma") << QByteArray(",") << Records{rec(1, {"", ""})};
        QTest::newRow("empty quoted field is a record")
            << QByteArray("\"\"\n") << Records{rec(1, {""})};
        QTest::newRow("empty quoted fields")
            << QByteArray("\"\",\"\"\n") << Records{rec(1, {"", ""})};
        QTest::newRow("empty last field")
            << QByteArray("a,b,\n") << Records{rec(1, {"a", "b", ""})};
        QTest::newRow("empty last field at end of input")
            << QByteArray("a,b,") << Records{rec(1, {"a", "b", ""})};
        QTest::newRow("empty last field before CRLF")
            << QByteArray("a,\r\nb\r\n") << Records{rec(1, {"a", ""}), rec(2, {"b"})};
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF"
                                           "a,b\n")
                             << Records{rec(1, {"a", "b"})};
        QTest::newRow("BOM then quoted field")
            << QByteArray("\xEF\xBB\xBF\"a\"\n") << Records{rec(1, {"a"})};
        QTest::newRow("BOM only") << QByteArray("\xEF\xBB\xBF") << Records{};
        QTest::newRow("BOM after the start is data")
            << QByteArray("a\n\xEF\xBB\xBF"
                          "b\n")
            << Records{rec(1, {"a"}), rec(2, {QString(QChar(0xFEFF)) + "b"})};
        QTest::newRow("almost a BOM is data")
            << QByteArray("\xEF\xBB\xBE") << Records{rec(1, {QString(QChar(0xFEFE))})};
        QTest::newRow("no trailing newline")
            << QByteArray("a,b\nc,d") << Records{rec(1, {"a", "b"}), rec(2, {"c", "d"})};
        QTest::newRow("quoted, no trailing newline")
            << QByteArray("a,\"b\"") << Records{rec(1, {"a", "b"})};
        QTest::newRow("empty input") << QByteArray() << Records{};
        QTest::newRow("only line ends") << QByteArray("\n\r\n\r") << Records{};
        QTest::newRow("blank lines")
            << QByteArray("\na\n\n\nb\n\n") << Records{rec(2, {"a"}), rec(5, {"b"})};
        QTest::newRow("blank lines, CRLF")
            << QByteArray("\r\na\r\n\r\nb\r\n\r\n") << Records{rec(2, {"a"}), rec(4, {"b"})};
        QTest::newRow("blank lines, CR")
            << QByteArray("\ra\r\rb") << Records{rec(2, {"a"}), rec(4, {"b"})};
        QTest::newRow("CRLF") << QByteArray("a,b\r\nc,d\r\n")
                              << Records{rec(1, {"a", "b"}), rec(2, {"c", "d"})};
        QTest::newRow("LF") << QByteArray("a,b\nc,d\n")
                            << Records{rec(1, {"a", "b"}), rec(2, {"c", "d"})};
        QTest::newRow("lone CR") << QByteArray("a,b\rc,d\r")
                                 << Records{rec(1, {"a", "b"}), rec(2, {"c", "d"})};
        QTest::newRow("mixed line ends")
            << QByteArray("a\rb\nc\r\nd")
            << Records{rec(1, {"a"}), rec(2, {"b"}), rec(3, {"c"}), rec(4, {"d"})};
        QTest::newRow("CR then CRLF")
            << QByteArray("a\r\r\nb") << Records{rec(1, {"a"}), rec(3, {"b"})};
        QTest::newRow("LF then CR")
            << QByteArray("a\n\rb") << Records{rec(1, {"a"}), rec(3, {"b"})};
        QTest::newRow("lines after multi-line fields")
            << QByteArray("h\n\"x\ny\nz\",w\nnext\n\"p\r\nq\"\r\nlast")
            << Records{rec(1, {"h"}), rec(2, {"x\ny\nz", "w"}), rec(5, {"next"}),
                       rec(6, {"p\r\nq"}), rec(8, {"last"})};
        QTest::newRow("whitespace kept")
            << QByteArray(" a , b \n\t\n") << Records{rec(1, {" a ", " b "}), rec(2, {"\t"})};
        QTest::newRow("spaces-only line is a record")
            << QByteArray("  \n") << Records{rec(1, {"  "})};
        QTest::newRow("unicode") << QByteArray("é,€,\"𝄞\",日本\n")
                                 << Records{rec(1, {QStringLiteral("é"), QStringLiteral("€"),
                                                    QStringLiteral("𝄞"), QStringLiteral("日本")})};
    }

    void records()
    {
        QFETCH(QByteArray, input);
        QFETCH(Records, expected);
        // The byte views (a fast path for plain lines, the state machine for the rest) too.
        for (const auto read : {&readBytes, &readViews}) {
            const Outcome out = read(input, {});
            QVERIFY2(!out.error, qPrintable(out.message));
            QCOMPARE(dump(out.records), dump(expected));
            QCOMPARE(out.bytesRead, input.size());
        }
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("where");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("about");
        QTest::addColumn<int>("good"); // records returned before the error

        const QString bareQuote = QStringLiteral("a quote inside an unquoted field");
        const QString afterQuote = QStringLiteral("text after a closing quote");
        const QString unclosed = QStringLiteral("never closed");
        const QString nul = QStringLiteral("NUL byte");
        const QString utf8 = QStringLiteral("the file must be UTF-8: re-save it as UTF-8");
        const QString truncated = QStringLiteral("ends in the middle of a UTF-8 character");

        QTest::newRow("bare quote")
            << QByteArray("ab\"c\n") << "line 1, column 3" << 1LL << bareQuote << 0;
        QTest::newRow("bare quote, line 3")
            << QByteArray("h\nx\nb,c\"d\n") << "line 3, column 4" << 3LL << bareQuote << 2;
        QTest::newRow("bare quote after wide characters")
            << QByteArray("日本\"\n") << "line 1, column 3" << 1LL << bareQuote << 0;
        QTest::newRow("bare quote after CRLF lines")
            << QByteArray("a\r\nb\r\nc\"\r\n") << "line 3, column 2" << 3LL << bareQuote << 2;
        QTest::newRow("bare quote after lone-CR lines")
            << QByteArray("a\rb\rc\"") << "line 3, column 2" << 3LL << bareQuote << 2;
        QTest::newRow("text after closing quote")
            << QByteArray("\"a\"b,c\n") << "line 1, column 4" << 1LL << afterQuote << 0;
        QTest::newRow("space after closing quote")
            << QByteArray("x,\"a\" ,b\n") << "line 1, column 6" << 1LL << afterQuote << 0;
        QTest::newRow("text after closing quote of a multi-line field")
            << QByteArray("x\n\"a\nb\"c\n") << "line 3, column 3" << 3LL << afterQuote << 1;
        QTest::newRow("text after an escaped quote and CRLF inside")
            << QByteArray("\"a\r\nb\r\nc\"\"d\"x") << "line 3, column 6" << 3LL << afterQuote << 0;
        QTest::newRow("unclosed quote")
            << QByteArray("a,\"bc\n") << "line 1, column 3" << 1LL << unclosed << 0;
        QTest::newRow("unclosed quote started on line 2")
            << QByteArray("a\n\"b\nc\nd") << "line 2, column 1" << 2LL << unclosed << 1;
        QTest::newRow("unclosed quote ending in an escaped quote")
            << QByteArray("\"a\"\"") << "line 1, column 1" << 1LL << unclosed << 0;
        QTest::newRow("unclosed third field")
            << QByteArray("a\nb,c,\"d\r\ne\r\n") << "line 2, column 5" << 2LL << unclosed << 1;
        QTest::newRow("NUL unquoted")
            << QByteArray("a\0b\n", 4) << "line 1, column 2" << 1LL << nul << 0;
        QTest::newRow("NUL quoted")
            << QByteArray("\"a\0\"", 4) << "line 1, column 3" << 1LL << nul << 0;
        QTest::newRow("NUL at line start")
            << QByteArray("a\n\0\n", 4) << "line 2, column 1" << 2LL << nul << 1;
        QTest::newRow("NUL after closing quote")
            << QByteArray("\"a\"\0", 4) << "line 1, column 4" << 1LL << nul << 0;
        QTest::newRow("Latin-1 e-acute") << QByteArray("name,city\nCaf\xE9,Paris\n")
                                         << "line 2, column 4" << 2LL << "byte 0xE9" << 1;
        QTest::newRow("Latin-1 e-acute, message")
            << QByteArray("name,city\nCaf\xE9,Paris\n") << "line 2, column 4" << 2LL << utf8 << 1;
        QTest::newRow("Latin-1 e-acute at end of input")
            << QByteArray("Caf\xE9") << "line 1, column 4" << 1LL << utf8 << 0;
        QTest::newRow("Latin-1 u-umlaut")
            << QByteArray("M\xFCnchen\n") << "line 1, column 2" << 1LL << utf8 << 0;
        QTest::newRow("Latin-1 in a quoted field")
            << QByteArray("\"Caf\xE9\"\n") << "line 1, column 5" << 1LL << utf8 << 0;
        QTest::newRow("overlong 2-byte slash")
            << QByteArray("a\xC0\xAF") << "line 1, column 2" << 1LL << utf8 << 0;
        QTest::newRow("overlong 3-byte")
            << QByteArray("a\xE0\x80\xAF") << "line 1, column 2" << 1LL << utf8 << 0;
        QTest::newRow("overlong 4-byte")
            << QByteArray("\xF0\x80\x80\xAF") << "line 1, column 1" << 1LL << utf8 << 0;
        QTest::newRow("surrogate")
            << QByteArray("a,\xED\xA0\x80") << "line 1, column 3" << 1LL << utf8 << 0;
        QTest::newRow("above U+10FFFF")
            << QByteArray("\xF4\x90\x80\x80") << "line 1, column 1" << 1LL << utf8 << 0;
        QTest::newRow("byte 0xF5")
            << QByteArray("\xF5\x80\x80\x80") << "line 1, column 1" << 1LL << utf8 << 0;
        QTest::newRow("lone continuation byte")
            << QByteArray("ab\x80") << "line 1, column 3" << 1LL << utf8 << 0;
        QTest::newRow("truncated 3-byte character at end of input")
            << QByteArray("ab\xE2\x82") << "line 1, column 3" << 1LL << truncated << 0;
        QTest::newRow("truncated 4-byte character at end of input")
            << QByteArray("x\n\xF0\x9D\x84") << "line 2, column 1" << 2LL << truncated << 1;
        QTest::newRow("truncated character before a line end")
            << QByteArray("\xE2\x82\nb\n") << "line 1, column 1" << 1LL << utf8 << 0;
        QTest::newRow("invalid after wide characters on line 3")
            << QByteArray("a\nb\n日本\xFF") << "line 3, column 3" << 3LL << utf8 << 2;
        QTest::newRow("invalid inside a multi-line quoted field")
            << QByteArray("\"a\n\xFF\"") << "line 2, column 1" << 2LL << utf8 << 0;
        QTest::newRow("BOM then Latin-1")
            << QByteArray("\xEF\xBB\xBF\xE9t\xE9") << "line 1, column 1" << 1LL << utf8 << 0;
    }

    void errors()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, where);
        QFETCH(qint64, line);
        QFETCH(QString, about);
        QFETCH(int, good);
        const Outcome out = readBytes(input);
        QVERIFY(out.error);
        QVERIFY2(out.message.startsWith(where + QLatin1String(": ")), qPrintable(out.message));
        QVERIFY2(out.message.contains(about), qPrintable(out.message));
        QCOMPARE(out.errorLine, line);
        QCOMPARE(out.records.size(), good);
    }

    // The byte views refuse every error exactly as the QString records do.
    void viewsRefuseTheErrors_data() { errors_data(); }
    void viewsRefuseTheErrors()
    {
        QFETCH(QByteArray, input);
        const Outcome views = readViews(input);
        const Outcome records = readBytes(input);
        QVERIFY(views.error);
        QCOMPARE(views.message, records.message);
        QCOMPARE(views.errorLine, records.errorLine);
        QCOMPARE(dump(views.records), dump(records.records));
    }

    void viewsAtTheLimits_data() { limits_data(); }
    void viewsAtTheLimits()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, fieldBytes);
        QFETCH(qint64, recordBytes);
        QFETCH(int, maxFields);
        Limits limits;
        limits.maxFieldBytes = fieldBytes;
        limits.maxRecordBytes = recordBytes;
        limits.maxFields = maxFields;
        const Outcome views = readViews(input, limits);
        const Outcome records = readBytes(input, limits);
        QCOMPARE(views.error, records.error);
        QCOMPARE(views.message, records.message);
        QCOMPARE(dump(views.records), dump(records.records));
    }

    void viewsAcrossBlockBoundaries()
    {
        // Plain lines, lines with quotes, CRLF and UTF-8 slid across the end of the first block.
        const QByteArray lines = "a,b,c\nQZ,é€𝄞,x\r\n\"q\"\"\",z\n,,\nlast,é";
        for (qsizetype shift = 1; shift <= lines.size() + 1; ++shift) {
            const QByteArray input = QByteArray(Block - shift, 'x') + "\n" + lines;
            const Outcome views = readViews(input);
            const Outcome records = readBytes(input);
            QVERIFY2(!views.error, qPrintable(views.message));
            QCOMPARE(dump(views.records), dump(records.records));
            QCOMPARE(views.bytesRead, input.size());
        }
    }

    void errorIsSticky()
    {
        QBuffer buffer;
        buffer.setData("a\nb\"c\nd\ne\n");
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        Reader reader(&buffer);
        Record r;
        QVERIFY(reader.next(r));
        QCOMPARE(r.fields, QStringList{"a"});
        QVERIFY(!reader.hasError());
        QVERIFY(!reader.next(r));
        QVERIFY(reader.hasError());
        const QString message = reader.errorString();
        QVERIFY2(message.startsWith("line 2, column 2: "), qPrintable(message));
        for (int i = 0; i < 3; ++i) {
            r = rec(9, {"stale"});
            QVERIFY(!reader.next(r));
            QVERIFY(r.fields.isEmpty());
            QCOMPARE(r.line, 0);
            QVERIFY(reader.hasError());
            QCOMPARE(reader.errorString(), message);
            QCOMPARE(reader.errorLine(), 2);
        }
    }

    void endIsSticky()
    {
        QBuffer buffer;
        buffer.setData("a\n");
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        Reader reader(&buffer);
        Record r;
        QVERIFY(reader.next(r));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(!reader.next(r));
            QVERIFY(!reader.hasError());
            QVERIFY(reader.errorString().isEmpty());
            QCOMPARE(reader.errorLine(), 0);
        }
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qint64>("fieldBytes");
        QTest::addColumn<qint64>("recordBytes");
        QTest::addColumn<int>("maxFields");
        QTest::addColumn<QString>("where"); // empty: the input must be accepted
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("about");

        const qint64 field = 1 << 20;
        const qint64 record = 8 << 20;
        const int fields = 512;
        const QString tooLong = QStringLiteral("a field longer than 8 bytes, the limit");
        const QString tooBig = QStringLiteral("a record longer than 10 bytes, the limit");
        const QString tooMany = QStringLiteral("a record with more than 3 fields, the limit");

        // maxFields
        QTest::newRow("3 fields of 3")
            << QByteArray("a,b,c\n,,\n") << field << record << 3 << QString() << 0LL << QString();
        QTest::newRow("4 fields of 3, line 2") << QByteArray("a,b,c\nd,e,f,g\n") << field << record
                                               << 3 << "line 2, column 7" << 2LL << tooMany;
        QTest::newRow("4 fields of 3, last one empty")
            << QByteArray("a,b,c,") << field << record << 3 << "line 1, column 7" << 1LL << tooMany;
        QTest::newRow("4 fields of 3, after a multi-line field")
            << QByteArray("\"x\ny\",b,c,d") << field << record << 3 << "line 2, column 8" << 2LL
            << tooMany;
        QTest::newRow("512 fields of 512")
            << QByteArray(511, ',') << field << record << fields << QString() << 0LL << QString();
        QTest::newRow("513 fields of 512") << QByteArray(512, ',') << field << record << fields
                                           << "line 1, column 513" << 1LL << "more than 512 fields";

        // maxFieldBytes: data bytes, so quotes do not count and "" counts once
        QTest::newRow("field at the limit")
            << QByteArray("12345678\n") << 8LL << record << fields << QString() << 0LL << QString();
        QTest::newRow("field over the limit") << QByteArray("123456789\n") << 8LL << record
                                              << fields << "line 1, column 1" << 1LL << tooLong;
        QTest::newRow("field over the limit, line 3, column 3")
            << QByteArray("x\ny\na,123456789\n") << 8LL << record << fields << "line 3, column 3"
            << 3LL << tooLong;
        QTest::newRow("last field over the limit at end of input")
            << QByteArray("a,123456789") << 8LL << record << fields << "line 1, column 3" << 1LL
            << tooLong;
        QTest::newRow("quoted field at the limit")
            << QByteArray("\"12345678\",\"1234567\"\"\"\n") << 8LL << record << fields << QString()
            << 0LL << QString();
        QTest::newRow("quoted field over the limit")
            << QByteArray("\"1234567\"\"8\"\n") << 8LL << record << fields << "line 1, column 1"
            << 1LL << tooLong;
        QTest::newRow("multi-line quoted field over the limit")
            << QByteArray("\"1234\n5678\"\n") << 8LL << record << fields << "line 1, column 1"
            << 1LL << tooLong;
        QTest::newRow("multi-byte field at the limit")
            << QByteArray("éééé\n") << 8LL << record << fields << QString() << 0LL << QString();
        QTest::newRow("multi-byte field over the limit")
            << QByteArray("x,ééééa\n") << 8LL << record << fields << "line 1, column 3" << 1LL
            << tooLong;

        // maxRecordBytes: bytes in the file, quotes and separators included, line end excluded
        QTest::newRow("record at the limit") << QByteArray("abcde,fghi\n") << field << 10LL
                                             << fields << QString() << 0LL << QString();
        QTest::newRow("record at the limit, CRLF")
            << QByteArray("x\r\nabcde,fghi\r\n\r\n") << field << 10LL << fields << QString() << 0LL
            << QString();
        QTest::newRow("record over the limit")
            << QByteArray("abcde,fghij\n") << field << 10LL << fields << "line 1" << 1LL << tooBig;
        QTest::newRow("record over the limit at end of input")
            << QByteArray("\n\nabcde,fghij") << field << 10LL << fields << "line 3" << 3LL
            << tooBig;
        QTest::newRow("record over the limit by its quotes")
            << QByteArray("\"a\",\"bc\",de\n") << field << 10LL << fields << "line 1" << 1LL
            << tooBig;
        QTest::newRow("multi-line record over the limit, named by its first line")
            << QByteArray("x\n\"abc\ndefghij\"\n") << field << 10LL << fields << "line 2" << 2LL
            << tooBig;

        // the defaults, with fields that cross many read blocks
        const QByteArray mib(field, 'a');
        QTest::newRow("1 MiB field") << "x\nb," + mib + ",c\n"
                                     << field << record << fields << QString() << 0LL << QString();
        QTest::newRow("1 MiB field, quoted")
            << "x\nb,\"" + mib + "\",c\n"
            << field << record << fields << QString() << 0LL << QString();
        QTest::newRow("1 MiB + 1 field") << "x\nb," + mib + "a,c\n"
                                         << field << record << fields << "line 2, column 3" << 2LL
                                         << "a field longer than 1048576 bytes";
        QTest::newRow("1 MiB + 1 field, quoted with an escaped quote")
            << "x\nb,\"" + mib + "\"\"\",c\n"
            << field << record << fields << "line 2, column 3" << 2LL
            << "a field longer than 1048576 bytes";
    }

    void limits()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, fieldBytes);
        QFETCH(qint64, recordBytes);
        QFETCH(int, maxFields);
        QFETCH(QString, where);
        QFETCH(qint64, line);
        QFETCH(QString, about);
        Limits limits;
        limits.maxFieldBytes = fieldBytes;
        limits.maxRecordBytes = recordBytes;
        limits.maxFields = maxFields;
        const Outcome out = readBytes(input, limits);
        if (where.isEmpty()) {
            QVERIFY2(!out.error, qPrintable(out.message));
            QVERIFY(!out.records.isEmpty());
            for (const Record &r : out.records) {
                QVERIFY(r.fields.size() <= maxFields);
                for (const QString &f : r.fields)
                    QVERIFY(f.toUtf8().size() <= fieldBytes);
            }
            return;
        }
        QVERIFY(out.error);
        QVERIFY2(out.message.startsWith(where + QLatin1String(": ")), qPrintable(out.message));
        QVERIFY2(out.message.contains(about), qPrintable(out.message));
        QCOMPARE(out.errorLine, line);
    }

    void fieldAtLimitIsExact()
    {
        const QByteArray mib(1 << 20, 'a');
        const Outcome out = readBytes("b,\"" + mib + "\"\r\nnext");
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(out.records.size(), 2);
        QCOMPARE(out.records[0].fields.size(), 2);
        QCOMPARE(out.records[0].fields[1], QString::fromLatin1(mib));
        QCOMPARE(out.records[1].line, 2);
    }

    void endlessInput_data()
    {
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<int>("maxFields");
        QTest::addColumn<qint64>("maxServed");
        QTest::addColumn<QString>("about");

        const qint64 four = 4 << 20;
        const QString field = QStringLiteral("line 1, column 1: a field longer than 1048576 bytes");
        QTest::newRow("1 GB line") << QByteArray() << QByteArray("a") << 512 << four << field;
        QTest::newRow("1 GB line after a BOM")
            << QByteArray("\xEF\xBB\xBF") << QByteArray("a") << 512 << four << field;
        QTest::newRow("1 GB quoted field")
            << QByteArray("\"") << QByteArray("a") << 512 << four << field;
        QTest::newRow("1 GB quoted field of lines")
            << QByteArray("\"") << QByteArray("ab\r\n") << 512 << four << field;
        QTest::newRow("1 GB quoted field of escaped quotes")
            << QByteArray("\"") << QByteArray("\"\"") << 512 << four << field;
        QTest::newRow("1 GB of fields")
            << QByteArray() << QByteArray("a,") << 512 << four
            << QStringLiteral("line 1, column 1025: a record with more than 512 fields");
        QTest::newRow("1 GB record of fields, no field count limit")
            << QByteArray() << QByteArray(1023, 'a') + ',' << INT_MAX << qint64(9 << 20)
            << QStringLiteral("line 1: a record longer than 8388608 bytes");
    }

    void endlessInput()
    {
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, pattern);
        QFETCH(int, maxFields);
        QFETCH(qint64, maxServed);
        QFETCH(QString, about);
        EndlessDevice device(prefix, pattern);
        Limits limits;
        limits.maxFields = maxFields;
        const Outcome out = readAll(&device, limits);
        QVERIFY(out.error);
        QVERIFY2(out.message.startsWith(about), qPrintable(out.message));
        QCOMPARE(out.errorLine, 1);
        QVERIFY(out.records.isEmpty());
        QVERIFY2(device.served < maxServed, qPrintable(QString::number(device.served)));
        QCOMPARE(out.bytesRead, device.served);
    }

    void oneByteAtATime_data() { records_data(); }

    void oneByteAtATime()
    {
        QFETCH(QByteArray, input);
        QFETCH(Records, expected);
        TrickleDevice device(input);
        const Outcome out = readAll(&device);
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(dump(out.records), dump(readBytes(input).records));
        QCOMPARE(dump(out.records), dump(expected));
        QCOMPARE(out.bytesRead, input.size());
        QVERIFY(device.reads > input.size()); // one byte per read, then the end
    }

    void oneByteAtATimeErrors_data() { errors_data(); }

    void oneByteAtATimeErrors()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, line);
        QFETCH(int, good);
        TrickleDevice device(input);
        const Outcome out = readAll(&device);
        const Outcome whole = readBytes(input);
        QVERIFY(out.error);
        QCOMPARE(out.message, whole.message);
        QCOMPARE(out.errorLine, line);
        QCOMPARE(out.records.size(), good);
        QCOMPARE(dump(out.records), dump(whole.records));
    }

    void deviceWithNothingYet_data() { records_data(); }

    void deviceWithNothingYet()
    {
        QFETCH(QByteArray, input);
        QFETCH(Records, expected);
        StutterDevice device(input);
        const Outcome out = readAll(&device);
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(dump(out.records), dump(expected));
        QVERIFY(device.waits > input.size() / 5); // it did have "nothing yet" between chunks
    }

    void blockBoundaries()
    {
        // Slide a record with every kind of token across the end of the first read block.
        const QByteArray tricky = "\"a\"\"b\r\nc\",é€𝄞,\"\",d\r\nnext\r";
        const Records expected{rec(2, {"a\"b\r\nc", QStringLiteral("é€𝄞"), "", "d"}),
                               rec(4, {"next"})};
        for (qsizetype shift = 1; shift <= tricky.size() + 1; ++shift) {
            for (const QByteArray &bom : {QByteArray(), QByteArray("\xEF\xBB\xBF")}) {
                const QByteArray filler = bom + QByteArray(Block - shift - bom.size(), 'x');
                const Outcome out = readBytes(filler + "\n" + tricky);
                QVERIFY2(!out.error, qPrintable(out.message));
                QCOMPARE(out.records.size(), 3);
                QCOMPARE(out.records[0].fields.first().size(), Block - shift - bom.size());
                QCOMPARE(dump(out.records.mid(1)), dump(expected));
            }
        }
    }

    void bytesReadGrows()
    {
        QByteArray input = "\xEF\xBB\xBF";
        for (int i = 0; i < 20000; ++i)
            input +=
                "row " + QByteArray::number(i) + ",\"quoted, " + QByteArray::number(i) + "\"\r\n";
        QBuffer buffer(&input);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        Reader reader(&buffer);
        Record r;
        qint64 last = 0;
        int count = 0;
        bool before = false;
        while (reader.next(r)) {
            QVERIFY(reader.bytesRead() >= last);
            QVERIFY(reader.bytesRead() <= input.size());
            last = reader.bytesRead();
            before = before || last < input.size();
            ++count;
        }
        QVERIFY(!reader.hasError());
        QCOMPARE(count, 20000);
        QCOMPARE(reader.bytesRead(), input.size());
        QVERIFY(before); // progress moves while reading, not only at the end
    }

    void deviceNotReadable()
    {
        QBuffer closed;
        QBuffer writeOnly;
        QVERIFY(writeOnly.open(QIODevice::WriteOnly));
        for (QIODevice *device :
             {static_cast<QIODevice *>(&closed), static_cast<QIODevice *>(&writeOnly),
              static_cast<QIODevice *>(nullptr)}) {
            Reader reader(device);
            Record r;
            QVERIFY(!reader.next(r));
            QVERIFY(reader.hasError());
            QVERIFY2(reader.errorString().contains("not open for reading"),
                     qPrintable(reader.errorString()));
            QCOMPARE(reader.bytesRead(), 0);
        }
    }

    void readError()
    {
        FailingDevice device("a\nb");
        const Outcome out = readAll(&device);
        QVERIFY(out.error);
        QCOMPARE(out.message, QStringLiteral("line 2: cannot read the file: bad sector"));
        QCOMPARE(out.errorLine, 2);
        QCOMPARE(out.records.size(), 1); // "b" may be incomplete, so it is not returned
    }

    void readsFile()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("\xEF\xBB\xBFid,name\r\n1,\"Smith, J.\"\r\n\r\n2,Müller\r\n");
        QVERIFY(file.seek(0));
        const Outcome out = readAll(&file);
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(dump(out.records), dump({rec(1, {"id", "name"}), rec(2, {"1", "Smith, J."}),
                                          rec(4, {"2", QStringLiteral("Müller")})}));
    }

    void hundredThousandLines()
    {
        QByteArray input;
        for (int i = 1; i <= 100000; ++i)
            input +=
                QByteArray::number(i) + ",name " + QByteArray::number(i) + ",\"a, \"\"b\"\"\"\n";
        const Outcome out = readBytes(input);
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(out.records.size(), 100000);
        for (const int i : {0, 1, 4095, 65535, 99999}) {
            QCOMPARE(out.records[i].line, i + 1);
            QCOMPARE(out.records[i].fields,
                     (QStringList{QString::number(i + 1), QStringLiteral("name %1").arg(i + 1),
                                  "a, \"b\""}));
        }
    }

    void format_data()
    {
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QStringList{"a", "b"} << QByteArray("a,b\n");
        QTest::newRow("comma") << QStringList{"a,b"} << QByteArray("\"a,b\"\n");
        QTest::newRow("quotes") << QStringList{"say \"hi\""} << QByteArray("\"say \"\"hi\"\"\"\n");
        QTest::newRow("LF") << QStringList{"line\nbreak"} << QByteArray("\"line\nbreak\"\n");
        QTest::newRow("CR") << QStringList{"cr\r"} << QByteArray("\"cr\r\"\n");
        QTest::newRow("one empty field") << QStringList{""} << QByteArray("\"\"\n");
        QTest::newRow("two empty fields") << QStringList{"", ""} << QByteArray(",\n");
        QTest::newRow("spaces kept") << QStringList{" padded "} << QByteArray(" padded \n");
        QTest::newRow("unicode") << QStringList{QStringLiteral("é€𝄞")} << QByteArray("é€𝄞\n");
        QTest::newRow("leading U+FEFF")
            << QStringList{QString(QChar(0xFEFF)) + "x"} << QByteArray("\"\xEF\xBB\xBFx\"\n");
        QTest::newRow("no fields") << QStringList{} << QByteArray("\n");
    }

    void format()
    {
        QFETCH(QStringList, fields);
        QFETCH(QByteArray, expected);
        QCOMPARE(formatRecord(fields), expected);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QList<QStringList>>("rows");
        QTest::newRow("tricky") << QList<QStringList>{
            {QString(QChar(0xFEFF)) + "starts like a BOM", "x"},
            {"a", "b"},
            {""},
            {"", ""},
            {"\"", "\"\"", ",", "\",\""},
            {"\r", "\n", "\r\n", "\n\r", "\r\r\n\n"},
            {" lead", "trail ", "\t"},
            {QStringLiteral("é€𝄞日本"), QString(QChar(0xFEFF))},
            {"=1+2", "-3", "@x"},
            {"", "", "last empty", ""}};
        QTest::newRow("one empty field only") << QList<QStringList>{{""}, {""}};
    }

    void roundTrip()
    {
        QFETCH(QList<QStringList>, rows);
        QByteArray file;
        for (const QStringList &row : rows)
            file += formatRecord(row);
        const Outcome out = readBytes(file);
        QVERIFY2(!out.error, qPrintable(out.message));
        QCOMPARE(out.records.size(), rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i)
            QCOMPARE(out.records[i].fields, rows[i]);
    }

    void randomRoundTrip()
    {
        // Fields built from the characters that matter, written then read back; line numbers
        // are checked against an independent count of line ends.
        QRandomGenerator random(20240601);
        const QStringList pieces{"a",    "Z", " ", ",", "\"", "\"\"", "\r", "\n",
                                 "\r\n", "é", "€", "𝄞", "",   "\t",   "0",  "x y"};
        QList<QStringList> rows;
        QList<qint64> lines;
        QByteArray file;
        for (int i = 0; i < 3000; ++i) {
            QStringList row;
            const int fields = 1 + random.bounded(6);
            for (int f = 0; f < fields; ++f) {
                QString value;
                const int parts = random.bounded(5);
                for (int p = 0; p < parts; ++p)
                    value += pieces[random.bounded(int(pieces.size()))];
                row.append(value);
            }
            lines.append(1 + countLineEnds(file));
            rows.append(row);
            file += formatRecord(row);
        }
        for (const bool trickle : {false, true}) {
            TrickleDevice device(file);
            const Outcome out = trickle ? readAll(&device) : readBytes(file);
            QVERIFY2(!out.error, qPrintable(out.message));
            QCOMPARE(out.records.size(), rows.size());
            for (qsizetype i = 0; i < rows.size(); ++i) {
                QCOMPARE(out.records[i].fields, rows[i]);
                QCOMPARE(out.records[i].line, lines[i]);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
