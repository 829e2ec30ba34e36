// SPDX-License-Identifier: GPL-3.0-or-later
// CWR 2.1/2.2 reading: the public sample and our own 2.2 file field by field, share totals, every
// refusal with its line, cancel, streaming, and random mutations that must never crash.
#include "model/io/cwr.h"

#include <QBuffer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model::cwr;

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(CARTULARY_TEST_DATA "/cwr/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(name));
    return file.readAll();
}

/** django-music-publisher's CWR 2.1 registration file (tests/data/cwr/README.md). */
QByteArray sample21()
{
    return readData(QStringLiteral("CW220001DMP_000.V21"));
}

/** Our CWR 2.2 file: two groups, every 2.2-only record type, a UTF-8 NWN and NAT. */
QByteArray sample22()
{
    return readData(QStringLiteral("CW260001CAR_000.V22"));
}

/** Everything one read produced. */
struct Outcome
{
    bool ok = false;
    Header header;
    QString code;
    QString message;
    QList<Work> works;
};

Outcome readDevice(QIODevice &device, const Options &options = {},
                   const std::function<bool(const Work &)> &stop = {})
{
    Outcome out;
    const Result<Header> result = read(device, options, [&](const Work &work) {
        out.works.append(work);
        return stop ? stop(work) : true;
    });
    out.ok = result.ok();
    if (result.ok()) {
        out.header = result.value();
    } else {
        out.code = result.error().code;
        out.message = result.error().message;
    }
    return out;
}

Outcome readBytes(const QByteArray &bytes, const Options &options = {},
                  const std::function<bool(const Work &)> &stop = {})
{
    QBuffer buffer;
    buffer.setData(bytes);
    if (!buffer.open(QIODevice::ReadOnly))
        qFatal("cannot open a QBuffer");
    return readDevice(buffer, options, stop);
}

QList<QByteArray> splitLines(const QByteArray &bytes)
{
    QList<QByteArray> lines = bytes.split('\n');
    for (QByteArray &line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QByteArray joinLines(const QList<QByteArray> &lines)
{
    return lines.join("\r\n") + "\r\n";
}

/** Writes value over the line from 1-based column start on. */
void put(QByteArray &line, int start, const QByteArray &value)
{
    line.replace(start - 1, value.size(), value);
}

QByteArray digits(qint64 value, int width)
{
    return QByteArray::number(value).rightJustified(width, '0');
}

/**
 * Rewrites the sequence numbers and the GRT and TRL counts so that a mutated file breaks one rule
 * only: the one its test is about.
 */
QByteArray renumber(QList<QByteArray> lines)
{
    static const QList<QByteArray> headers = {"NWR", "REV", "ISW", "EXC", "AGR"};
    qint64 transaction = -1, record = 0, groupRecords = 0, groupTransactions = 0;
    qint64 groups = 0, transactions = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray &line = lines[i];
        const QByteArray type = line.left(3);
        if (type.size() < 3)
            continue;
        if (type == "GRH") {
            ++groups;
            transaction = -1;
            groupRecords = 1;
            groupTransactions = 0;
        } else if (type == "GRT") {
            ++groupRecords;
            put(line, 4, digits(groups, 5));
            put(line, 9, digits(groupTransactions, 8));
            put(line, 17, digits(groupRecords, 8));
        } else if (type == "TRL") {
            put(line, 4, digits(groups, 5));
            put(line, 9, digits(transactions, 8));
            put(line, 17, digits(i + 1, 8));
        } else if (headers.contains(type)) {
            ++transaction;
            ++transactions;
            ++groupTransactions;
            ++groupRecords;
            record = 0;
            put(line, 4, digits(transaction, 8));
            put(line, 12, digits(0, 8));
        } else if (type != "HDR") {
            ++groupRecords;
            put(line, 4, digits(transaction, 8));
            put(line, 12, digits(++record, 8));
        }
    }
    return joinLines(lines);
}

/** A copy of the 2.1 sample with line `number` (1-based) changed by `change`, renumbered. */
QByteArray mutated21(int number, const std::function<void(QByteArray &)> &change)
{
    QList<QByteArray> lines = splitLines(sample21());
    change(lines[number - 1]);
    return renumber(lines);
}

/** A 2.1 file of `count` copies of the sample's work, for streaming and progress. */
QByteArray manyWorks(int count)
{
    const QList<QByteArray> lines = splitLines(sample21());
    QList<QByteArray> out = lines.mid(0, 2);         // HDR, GRH
    const QList<QByteArray> work = lines.mid(2, 18); // NWR … ORN
    for (int i = 0; i < count; ++i)
        out += work;
    out += lines.mid(20); // GRT, TRL
    return renumber(out);
}

/** A file that stops reading part way, like one on a disk that went away. */
class FailingBuffer : public QBuffer
{
public:
    FailingBuffer(const QByteArray &data, qint64 failAt)
        : m_failAt(failAt)
    {
        setData(data);
        open(ReadOnly);
    }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        if (pos() >= m_failAt) {
            setErrorString(QStringLiteral("input/output error"));
            return -1;
        }
        return QBuffer::readData(data, qMin(max, m_failAt - pos()));
    }

private:
    qint64 m_failAt;
};

} // namespace

class TestCwr : public QObject
{
    Q_OBJECT

private slots:
    void readsTheDmpSample();
    void readsOurCwr22File();
    void sharesWithinTheTolerance_data();
    void sharesWithinTheTolerance();
    void lineEndsAndTrailingBlanks();
    void readsFromASlowPipe();
    void refusesAnAcknowledgementFile();
    void refuses_data();
    void refuses();
    void refusesARecordShorterIn22();
    void refusesAnUnreadableDevice();
    void sinkCancels();
    void cancelFlag();
    void streamsOneWorkAtATime();
    void randomMutationsNeverCrash();
};

void TestCwr::readsTheDmpSample()
{
    const Outcome out = readBytes(sample21());
    QVERIFY2(out.ok, qPrintable(out.message));

    // HDR (line 1): sender type "09" (columns 4-5) is the 2-digit prefix of an 11-digit IPI name
    // number whose other 9 digits stand in Sender ID (6-14); Sender Name 15-59; creation date
    // 65-72 = 20210122. GRH (line 2) columns 12-16 = "02.10": CWR 2.1.
    QCOMPARE(out.header.version, QStringLiteral("2.1"));
    QCOMPARE(out.header.senderType, QStringLiteral("09"));
    QCOMPARE(out.header.senderId, QStringLiteral("09000000020"));
    QCOMPARE(out.header.senderName, QStringLiteral("TEST PUBLISHER"));
    QCOMPARE(out.header.created, QDate(2021, 1, 22));
    // TRL (line 22): 00001 group, 00000001 transaction, 00000022 records.
    QCOMPARE(out.header.lines, 22);
    QCOMPARE(out.header.groups, 1);
    QCOMPARE(out.header.transactions, 1);
    QCOMPARE(out.header.works, 1);

    QCOMPARE(out.works.size(), 1);
    const Work &w = out.works.first();
    // NWR (line 3): title 20-79, language 80-81 (blank), submitter work # 82-95, ISWC 96-106,
    // version type 143-145.
    QCOMPARE(w.transaction, QStringLiteral("NWR"));
    QCOMPARE(w.line, 3);
    QCOMPARE(w.title, QStringLiteral("MUSIC PUB CARTOONS"));
    QCOMPARE(w.language, QString());
    QCOMPARE(w.submitterWorkNumber, QStringLiteral("DMP000001"));
    QCOMPARE(w.iswc, QStringLiteral("T1234567894"));
    QCOMPARE(w.versionType, QStringLiteral("MOD"));
    // ALT (lines 14-18): alternate title 20-79.
    QCOMPARE(
        w.alternativeTitles,
        QStringList({QStringLiteral("MPC ACADEMY"), QStringLiteral("MUSIC PUB CARTOONS SUFFIX"),
                     QStringLiteral("MUSIC PUB CARTOONS SUFFIX CO-SUFFIX"),
                     QStringLiteral("WORK RECORDING"),
                     QStringLiteral("WORK RECORDING FEAT. TESTING")}));
    // VER (line 19): original title 20-79, its ISWC 80-90 blank.
    QCOMPARE(w.originalTitle, QStringLiteral("MUSIC PUB CARTOONS"));
    QCOMPARE(w.originalIswc, QString());
    QVERIFY(w.isrcs.isEmpty());
    QVERIFY(w.shareProblems.isEmpty());

    QCOMPARE(w.parties.size(), 5);
    // SPU (line 4): publisher sequence # 20-21 = 01, IP # 22-30, name 31-75, type 77-78 = E,
    // IPI name # 88-98 = 09000000020; PR 116-120 = 03750, MR 124-128 = 07500, SR 132-136 = 07500.
    const Party &spu = w.parties[0];
    QCOMPARE(spu.role, Party::Role::Publisher);
    QVERIFY(spu.controlled);
    QCOMPARE(spu.chain, 1);
    QCOMPARE(spu.number, QStringLiteral("P000001"));
    QCOMPARE(spu.name, QStringLiteral("TEST PUBLISHER"));
    QCOMPARE(spu.designation, QStringLiteral("E"));
    QCOMPARE(spu.ipiNameNumber, QStringLiteral("09000000020"));
    QCOMPARE(spu.performingBp, 3750);
    QCOMPARE(spu.mechanicalBp, 7500);
    QCOMPARE(spu.syncBp, 7500);
    QCOMPARE(spu.line, 4);
    // SPT (line 5): PR 35-39 = 03750, MR 40-44 = 07500, SR 45-49 = 07500, I (50), TIS 51-54 = 2136.
    QCOMPARE(spu.collection.size(), 1);
    QCOMPARE(spu.collection[0].tis, QStringLiteral("2136"));
    QVERIFY(spu.collection[0].included);
    QCOMPARE(spu.collection[0].performingBp, 3750);
    QCOMPARE(spu.collection[0].mechanicalBp, 7500);
    QCOMPARE(spu.collection[0].syncBp, 7500);
    QCOMPARE(spu.collection[0].line, 5);
    // OPU (line 6): sequence 02, no IP # and no name (unknown indicator Y at 76), type E, IPI
    // 00000000000 (none); PR 01250, MR 02500, SR 02500.
    const Party &opu = w.parties[1];
    QCOMPARE(opu.role, Party::Role::Publisher);
    QVERIFY(!opu.controlled);
    QCOMPARE(opu.chain, 2);
    QCOMPARE(opu.number, QString());
    QCOMPARE(opu.name, QString());
    QCOMPARE(opu.ipiNameNumber, QString());
    QCOMPARE(opu.performingBp, 1250);
    QCOMPARE(opu.mechanicalBp, 2500);
    QCOMPARE(opu.syncBp, 2500);
    // SWR (line 7): IP # 20-28, last name 29-73, first name 74-103, designation 105-106 = AR,
    // IPI name # 116-126 = 00000000199; PR 130-134 = 02500, MR 138-142 and SR 146-150 = 00000.
    const Party &kolaric = w.parties[2];
    QCOMPARE(kolaric.role, Party::Role::Writer);
    QVERIFY(kolaric.controlled);
    QCOMPARE(kolaric.number, QStringLiteral("W000001"));
    QCOMPARE(kolaric.name, QStringLiteral("KOLARIC, MATIJA"));
    QCOMPARE(kolaric.designation, QStringLiteral("AR"));
    QCOMPARE(kolaric.ipiNameNumber, QStringLiteral("00000000199"));
    QCOMPARE(kolaric.performingBp, 2500);
    QCOMPARE(kolaric.mechanicalBp, 0);
    QCOMPARE(kolaric.syncBp, 0);
    // SWT (line 8): PR 29-33 = 02500, I (44), 2136 (45-48); PWR (line 9): publisher IP # 20-28.
    QCOMPARE(kolaric.collection.size(), 1);
    QCOMPARE(kolaric.collection[0].performingBp, 2500);
    QCOMPARE(kolaric.publishers, QStringList{QStringLiteral("P000001")});
    // SWR (line 10) and its PWR (line 12).
    const Party &other = w.parties[3];
    QCOMPARE(other.name, QStringLiteral("OTHER, ANN"));
    QCOMPARE(other.designation, QStringLiteral("AD"));
    QCOMPARE(other.ipiNameNumber, QStringLiteral("00000000297"));
    QCOMPARE(other.performingBp, 2500);
    QCOMPARE(other.publishers, QStringList{QStringLiteral("P000001")});
    QCOMPARE(other.line, 10);
    // OWR (line 13): unknown writer (Y at 104), designation CA, every share 00000.
    const Party &unknown = w.parties[4];
    QCOMPARE(unknown.role, Party::Role::Writer);
    QVERIFY(!unknown.controlled);
    QCOMPARE(unknown.name, QString());
    QCOMPARE(unknown.designation, QStringLiteral("CA"));
    QCOMPARE(unknown.performingBp, 0);
    // PR 3750 + 1250 + 2500 + 2500 + 0, MR 7500 + 2500, SR 7500 + 2500: 100 % each, no problem.
}

void TestCwr::readsOurCwr22File()
{
    const Outcome out = readBytes(sample22());
    QVERIFY2(out.ok, qPrintable(out.message));
    // HDR: PB (4-5), 000000123 (6-14), created 20260115 (65-72), character set UTF-8 (87-101),
    // version 2.2 (102-104); 167 characters.
    QCOMPARE(out.header.version, QStringLiteral("2.2"));
    QCOMPARE(out.header.senderType, QStringLiteral("PB"));
    QCOMPARE(out.header.senderId, QStringLiteral("000000123"));
    QCOMPARE(out.header.senderName, QStringLiteral("CARTULARY TEST PUBLISHING"));
    QCOMPARE(out.header.created, QDate(2026, 1, 15));
    QCOMPARE(out.header.lines, 33);
    QCOMPARE(out.header.groups, 2);
    QCOMPARE(out.header.transactions, 2);
    QCOMPARE(out.header.works, 2);
    QCOMPARE(out.works.size(), 2);

    const Work &keeper = out.works[0];
    QCOMPARE(keeper.transaction, QStringLiteral("NWR"));
    QCOMPARE(keeper.line, 3);
    QCOMPARE(keeper.title, QStringLiteral("LIGHTHOUSE KEEPER"));
    QCOMPARE(keeper.language, QStringLiteral("EN"));
    QCOMPARE(keeper.submitterWorkNumber, QStringLiteral("CAR0001"));
    QCOMPARE(keeper.iswc, QStringLiteral("T0345246801"));
    QCOMPARE(keeper.versionType, QStringLiteral("ORI"));
    // Two ALT records; the NAT (line 17, a non-Roman title) is not an ALT.
    QCOMPARE(keeper.alternativeTitles, QStringList({QStringLiteral("THE LIGHTHOUSE KEEPER"),
                                                    QStringLiteral("EL GUARDIAN DEL FARO")}));
    // REC (line 19, 540 characters in 2.2): ISRC 250-261.
    QCOMPARE(keeper.isrcs, QStringList{QStringLiteral("SEXYZ2500001")});
    QVERIFY(keeper.shareProblems.isEmpty());
    QCOMPARE(keeper.parties.size(), 4);
    // SPU (line 4) PR 3000 MR 6000 SR 6000; OPU (line 6) PR 2000 MR 2000 SR 4000 with an OPT (line
    // 7, 2.2 only); SWR (line 8) PR 2500 MR 1000, whose NWN (line 9) holds Japanese names in
    // 160-character fields counted in characters, not bytes; OWR (line 12) with an OWT (13) and,
    // as 2.2 allows, a PWR (14) of 112 characters.
    const Party &spu = keeper.parties[0];
    QCOMPARE(spu.ipiNameNumber, QStringLiteral("00000000123"));
    QCOMPARE(spu.performingBp, 3000);
    QCOMPARE(spu.mechanicalBp, 6000);
    QCOMPARE(spu.syncBp, 6000);
    const Party &opu = keeper.parties[1];
    QVERIFY(!opu.controlled);
    QCOMPARE(opu.name, QStringLiteral("OTHER MUSIC"));
    QCOMPARE(opu.chain, 2);
    QCOMPARE(opu.collection.size(), 1);
    QCOMPARE(opu.collection[0].syncBp, 4000);
    QCOMPARE(opu.collection[0].line, 7);
    const Party &holm = keeper.parties[2];
    QCOMPARE(holm.name, QStringLiteral("HOLM, ASTRID MARIA"));
    QCOMPARE(holm.designation, QStringLiteral("CA"));
    QCOMPARE(holm.ipiNameNumber, QStringLiteral("00000000789"));
    QCOMPARE(holm.performingBp, 2500);
    QCOMPARE(holm.mechanicalBp, 1000);
    QCOMPARE(holm.collection.size(), 1);
    QCOMPARE(holm.publishers, QStringList{QStringLiteral("CAR001")});
    const Party &varga = keeper.parties[3];
    QVERIFY(!varga.controlled);
    QCOMPARE(varga.name, QStringLiteral("VARGA"));
    QCOMPARE(varga.designation, QStringLiteral("C"));
    QCOMPARE(varga.ipiNameNumber, QString());
    QCOMPARE(varga.collection.size(), 1);
    QCOMPARE(varga.publishers, QStringList{QStringLiteral("OTH001")});

    // The REV group (lines 23-32): a version (MOD) of the first work, named by its VER (line 31).
    const Work &remix = out.works[1];
    QCOMPARE(remix.transaction, QStringLiteral("REV"));
    QCOMPARE(remix.line, 24);
    QCOMPARE(remix.iswc, QString());
    QCOMPARE(remix.versionType, QStringLiteral("MOD"));
    QCOMPARE(remix.originalTitle, QStringLiteral("LIGHTHOUSE KEEPER"));
    QCOMPARE(remix.originalIswc, QStringLiteral("T0345246801"));
    // PR: SPU 03300 + SWR 03300 + OWR 03300 = 99.00 %, outside the tolerance. MR: 00000 on every
    // record: 0 %, which CWR allows for a right the work is not registered for. SR: SPU 10000.
    QCOMPARE(remix.shareProblems.size(), 1);
    QCOMPARE(remix.shareProblems[0].right, QStringLiteral("performing"));
    QCOMPARE(remix.shareProblems[0].totalBp, 9900);
    QCOMPARE(remix.shareProblems[0].message,
             QStringLiteral("line 24: performing ownership shares total 99.00 %, not 100 % "
                            "(±0.06 %)"));
}

void TestCwr::sharesWithinTheTolerance_data()
{
    QTest::addColumn<QByteArray>("spuPr");
    QTest::addColumn<QByteArray>("spuMr");
    QTest::addColumn<QByteArray>("opuMr");
    QTest::addColumn<QStringList>("problems");
    // The other parties hold PR 6250 and MR 2500 (OPU) + 0: SPU PR x totals x + 6250.
    QTest::newRow("100.00") << QByteArray("03750") << QByteArray("07500") << QByteArray("02500")
                            << QStringList();
    QTest::newRow("100.06") << QByteArray("03756") << QByteArray("07500") << QByteArray("02500")
                            << QStringList();
    QTest::newRow("99.94") << QByteArray("03744") << QByteArray("07500") << QByteArray("02500")
                           << QStringList();
    QTest::newRow("100.07") << QByteArray("03757") << QByteArray("07500") << QByteArray("02500")
                            << QStringList{QStringLiteral(
                                   "line 3: performing ownership shares total 100.07 %, not 100 % "
                                   "(±0.06 %)")};
    QTest::newRow("99.93") << QByteArray("03743") << QByteArray("07500") << QByteArray("02500")
                           << QStringList{QStringLiteral(
                                  "line 3: performing ownership shares total 99.93 %, not 100 % "
                                  "(±0.06 %)")};
    QTest::newRow("mechanical 0 %")
        << QByteArray("03750") << QByteArray("00000") << QByteArray("00000") << QStringList();
    QTest::newRow("performing 62.50 %, mechanical 25 %")
        << QByteArray("00000") << QByteArray("00000") << QByteArray("02500")
        << QStringList{
               QStringLiteral("line 3: performing ownership shares total 62.50 %, not 100 % "
                              "(±0.06 %)"),
               QStringLiteral("line 3: mechanical ownership shares total 25.00 %, not 100 % "
                              "(±0.06 %)")};
}

void TestCwr::sharesWithinTheTolerance()
{
    QFETCH(QByteArray, spuPr);
    QFETCH(QByteArray, spuMr);
    QFETCH(QByteArray, opuMr);
    QFETCH(QStringList, problems);
    QList<QByteArray> lines = splitLines(sample21());
    put(lines[3], 116, spuPr); // SPU PR ownership share, columns 116-120
    put(lines[3], 124, spuMr); // SPU MR ownership share, 124-128
    put(lines[5], 124, opuMr); // OPU MR ownership share
    const Outcome out = readBytes(joinLines(lines));
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(out.works.size(), 1);
    QStringList messages;
    for (const ShareProblem &p : out.works[0].shareProblems)
        messages.append(p.message);
    QCOMPARE(messages, problems);
}

void TestCwr::lineEndsAndTrailingBlanks()
{
    const Outcome crlf = readBytes(sample21());
    QVERIFY(crlf.ok);
    // LF alone, as after a trip through Unix tools.
    QByteArray lf = sample21();
    lf.replace("\r\n", "\n");
    const Outcome lfOut = readBytes(lf);
    QVERIFY2(lfOut.ok, qPrintable(lfOut.message));
    QCOMPARE(lfOut.works.size(), 1);
    QCOMPARE(lfOut.works[0].parties.size(), crlf.works[0].parties.size());
    QCOMPARE(lfOut.works[0].title, crlf.works[0].title);
    // A final CRLF and empty lines after the TRL are not data.
    const Outcome trailing = readBytes(sample21() + "\r\n\r\n   \r\n");
    QVERIFY2(trailing.ok, qPrintable(trailing.message));
    QCOMPARE(trailing.header.lines, 22);
    // Blanks padding a record past its length are not data either.
    QList<QByteArray> lines = splitLines(sample21());
    lines[3] += "     ";
    QVERIFY(readBytes(joinLines(lines)).ok);
    // A BOM an editor put in front is skipped.
    QVERIFY(readBytes("\xEF\xBB\xBF" + sample21()).ok);
}

void TestCwr::readsFromASlowPipe()
{
    // A real pipe: sequential, of unknown size, delivering what it has when it has it.
    QProcess cat;
    cat.start(QStringLiteral("cat"),
              {QStringLiteral(CARTULARY_TEST_DATA "/cwr/CW260001CAR_000.V22")},
              QIODevice::ReadOnly);
    QVERIFY(cat.waitForStarted());
    qint64 lastTotal = 0;
    Options options;
    options.progress = [&](qint64, qint64 total) { lastTotal = total; };
    const Outcome out = readDevice(cat, options);
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(out.works.size(), 2);
    QCOMPARE(out.works[0].parties[2].name, QStringLiteral("HOLM, ASTRID MARIA"));
    QCOMPARE(lastTotal, -1); // a pipe has no known size
    cat.waitForFinished();   // false when it has finished already, as reading to its end implies
    QCOMPARE(cat.exitStatus(), QProcess::NormalExit);
}

void TestCwr::refusesAnAcknowledgementFile()
{
    // The society's reply in the same sample set: HDR sender type SO, then GRH ACK.
    const Outcome out = readBytes(readData(QStringLiteral("CW220001000_DMP.V21")));
    QVERIFY(!out.ok);
    QCOMPARE(out.code, QStringLiteral("cwr-ack"));
    QVERIFY2(out.message.startsWith(QLatin1String("line 2: this is an acknowledgement file")),
             qPrintable(out.message));
    QVERIFY(out.works.isEmpty());
}

void TestCwr::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message"); // what the message starts with

    const QByteArray sample = sample21();
    const QList<QByteArray> lines = splitLines(sample);

    QTest::newRow("SPU shorter than 2.1's 183")
        << mutated21(4, [](QByteArray &l) { l.truncate(120); }) << QStringLiteral("cwr-length")
        << QStringLiteral("line 4: SPU record is 120 characters; CWR 2.1 requires 183");
    QTest::newRow("SWR shorter than 180")
        << mutated21(7, [](QByteArray &l) { l.truncate(179); }) << QStringLiteral("cwr-length")
        << QStringLiteral("line 7: SWR record is 179 characters; CWR 2.1 requires 180");
    QTest::newRow("HDR shorter than 101")
        << mutated21(1, [](QByteArray &l) { l.truncate(86); }) << QStringLiteral("cwr-length")
        << QStringLiteral("line 1: HDR record is 86 characters; CWR 2.1 requires 101");
    QTest::newRow("data past a record's length")
        << mutated21(4, [](QByteArray &l) { l += "  X"; }) << QStringLiteral("cwr-length")
        << QStringLiteral("line 4: SPU record is 186 characters; CWR 2.1 defines 183, and "
                          "character 186 is not blank");
    QTest::newRow("unknown record type") << mutated21(14, [](QByteArray &l) { put(l, 1, "ALX"); })
                                         << QStringLiteral("cwr-record-type")
                                         << QStringLiteral("line 14: unknown record type 'ALX'");
    QTest::newRow("a 2.2 record in a 2.1 file")
        << mutated21(14, [](QByteArray &l) { l = "XRF0000000000000000ISWT0345246801   WY"; })
        << QStringLiteral("cwr-record-type")
        << QStringLiteral("line 14: XRF records exist only in CWR 2.2, and this file is CWR 2.1");
    QTest::newRow("not a CWR file")
        << QByteArray("reference,title\r\nA-1,x\r\n") << QStringLiteral("cwr-record-type")
        << QStringLiteral("line 1: the file starts with 'ref', not with an HDR record");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("cwr-truncated")
                                << QStringLiteral("the file is empty");

    // Out of place.
    {
        QList<QByteArray> swapped = lines;
        swapped.swapItemsAt(2, 3); // the SPU before the NWR
        QTest::newRow("SPU before any NWR")
            << renumber(swapped) << QStringLiteral("cwr-place")
            << QStringLiteral("line 3: SPU record before any transaction of the group that starts "
                              "on line 2");
    }
    {
        QList<QByteArray> moved = lines;
        moved.insert(7, moved.takeAt(4)); // the SPT after the SWR
        QTest::newRow("SPT after a writer")
            << renumber(moved) << QStringLiteral("cwr-place")
            << QStringLiteral("line 8: SPT record that does not follow an SPU record");
    }
    {
        QList<QByteArray> moved = lines;
        moved.insert(5, lines[8]); // a PWR right after the SPU's SPT
        QTest::newRow("PWR after a publisher")
            << renumber(moved) << QStringLiteral("cwr-place")
            << QStringLiteral("line 6: PWR record that does not follow a writer");
    }
    QTest::newRow("data after the TRL")
        << QByteArray(sample + "\r\n" + lines[13]) << QStringLiteral("cwr-place")
        << QStringLiteral("line 23: data after the TRL record (line 22)");
    QTest::newRow("an empty line")
        << renumber(QList<QByteArray>(lines.mid(0, 5)) << QByteArray() << lines.mid(5))
        << QStringLiteral("cwr-place") << QStringLiteral("line 6: an empty line");
    QTest::newRow("a second HDR") << renumber(QList<QByteArray>(lines.mid(0, 2))
                                              << lines[0] << lines.mid(2))
                                  << QStringLiteral("cwr-place")
                                  << QStringLiteral("line 3: a second HDR record");
    QTest::newRow("TER inside an NWR")
        << renumber(QList<QByteArray>(lines.mid(0, 13))
                    << QByteArray("TER0000000000000000I2136") << lines.mid(13))
        << QStringLiteral("cwr-place")
        << QStringLiteral("line 14: TER record inside the NWR transaction of line 3");

    // Numbers and dates.
    QTest::newRow("non-numeric share")
        << mutated21(4, [](QByteArray &l) { put(l, 116, "03A50"); }) << QStringLiteral("cwr-number")
        << QStringLiteral(
               "line 4: SPU PR ownership share '03A50' (columns 116-120) is not a number");
    QTest::newRow("blank share")
        << mutated21(7, [](QByteArray &l) { put(l, 138, "     "); }) << QStringLiteral("cwr-number")
        << QStringLiteral(
               "line 7: SWR MR ownership share '     ' (columns 138-142) is not a number");
    QTest::newRow("share past 100 %")
        << mutated21(7, [](QByteArray &l) { put(l, 130, "15000"); }) << QStringLiteral("cwr-number")
        << QStringLiteral("line 7: SWR PR ownership share is 150.00 % (columns 130-134), more than "
                          "100 %");
    QTest::newRow("non-numeric collection share")
        << mutated21(5, [](QByteArray &l) { put(l, 40, "7500 "); }) << QStringLiteral("cwr-number")
        << QStringLiteral("line 5: SPT MR collection share '7500 ' (columns 40-44)");
    QTest::newRow("bad HDR creation date")
        << mutated21(1, [](QByteArray &l) { put(l, 65, "20211322"); }) << QStringLiteral("cwr-date")
        << QStringLiteral("line 1: HDR creation date '20211322' (columns 65-72) is not a date");
    QTest::newRow("bad HDR transmission date")
        << mutated21(1, [](QByteArray &l) { put(l, 79, "2021-1-2"); }) << QStringLiteral("cwr-date")
        << QStringLiteral("line 1: HDR transmission date '2021-1-2' (columns 79-86)");
    QTest::newRow("ISWC check digit")
        << mutated21(3, [](QByteArray &l) { put(l, 96, "T1234567890"); })
        << QStringLiteral("cwr-field")
        << QStringLiteral("line 3: NWR ISWC 'T1234567890' (columns 96-106) has a wrong check digit "
                          "(it should be 4)");
    QTest::newRow("not an ISWC")
        << mutated21(3, [](QByteArray &l) { put(l, 96, "T-034.524.6"); })
        << QStringLiteral("cwr-field")
        << QStringLiteral("line 3: NWR ISWC 'T-034.524.6' (columns 96-106) is not an ISWC");
    QTest::newRow("IPI name number with letters")
        << mutated21(7, [](QByteArray &l) { put(l, 116, "I-000000199"); })
        << QStringLiteral("cwr-field")
        << QStringLiteral("line 7: SWR writer IPI name # 'I-000000199' (columns 116-126)");
    QTest::newRow("blank title") << mutated21(
                                        3, [](QByteArray &l) { put(l, 20, QByteArray(60, ' ')); })
                                 << QStringLiteral("cwr-field")
                                 << QStringLiteral("line 3: NWR work title (columns 20-79)");
    QTest::newRow("sender type") << mutated21(1, [](QByteArray &l) { put(l, 4, "XX"); })
                                 << QStringLiteral("cwr-field")
                                 << QStringLiteral("line 1: HDR sender type 'XX' (columns 4-5)");

    // Sequence numbers, counts and versions.
    QList<QByteArray> badSequence = lines;
    put(badSequence[7], 12, "00000009");
    QTest::newRow("record sequence")
        << joinLines(badSequence) << QStringLiteral("cwr-sequence")
        << QStringLiteral("line 8: SWT record sequence # is 00000009 (columns 12-19); it should be "
                          "00000005");
    QList<QByteArray> trlTransactions = lines;
    put(trlTransactions[21], 9, "00000002");
    QTest::newRow("TRL transaction count")
        << joinLines(trlTransactions) << QStringLiteral("cwr-count")
        << QStringLiteral("line 22: TRL says 2 transactions (columns 9-16), but the file holds 1");
    QList<QByteArray> trlRecords = lines;
    put(trlRecords[21], 17, "00000021");
    QTest::newRow("TRL record count")
        << joinLines(trlRecords) << QStringLiteral("cwr-count")
        << QStringLiteral("line 22: TRL says 21 records (columns 17-24), but the file holds 22");
    QList<QByteArray> trlGroups = lines;
    put(trlGroups[21], 4, "00002");
    QTest::newRow("TRL group count")
        << joinLines(trlGroups) << QStringLiteral("cwr-count")
        << QStringLiteral("line 22: TRL says 2 groups (columns 4-8), but the file holds 1");
    QList<QByteArray> grtRecords = lines;
    put(grtRecords[20], 17, "00000019");
    QTest::newRow("GRT record count")
        << joinLines(grtRecords) << QStringLiteral("cwr-count")
        << QStringLiteral(
               "line 21: GRT says 19 records (columns 17-24), but the group (lines 2-21) "
               "holds 20");
    QList<QByteArray> grtTransactions = lines;
    put(grtTransactions[20], 9, "00000000");
    QTest::newRow("GRT transaction count")
        << joinLines(grtTransactions) << QStringLiteral("cwr-count")
        << QStringLiteral("line 21: GRT says 0 transactions");
    QList<QByteArray> trlNumber = lines;
    put(trlNumber[21], 17, "0000002X");
    QTest::newRow("TRL count not a number")
        << joinLines(trlNumber) << QStringLiteral("cwr-number")
        << QStringLiteral("line 22: TRL record count '0000002X' (columns 17-24) is not a number");
    QTest::newRow("CWR 2.0") << mutated21(2, [](QByteArray &l) { put(l, 12, "02.00"); })
                             << QStringLiteral("cwr-version")
                             << QStringLiteral(
                                    "line 2: GRH version '02.00' (columns 12-16) is neither 02.10");
    QTest::newRow("HDR says 2.2, GRH 2.1")
        << mutated21(1, [](QByteArray &l) { l += "2.2"; }) << QStringLiteral("cwr-version")
        << QStringLiteral(
               "line 2: GRH version 02.10 (CWR 2.1) disagrees with the HDR's CWR version "
               "'2.2'");
    QTest::newRow("GRH of another transaction type")
        << mutated21(2, [](QByteArray &l) { put(l, 4, "REV"); }) << QStringLiteral("cwr-place")
        << QStringLiteral("line 3: NWR transaction in the REV group that starts on line 2");

    // Truncated files.
    QTest::newRow("no TRL") << joinLines(lines.mid(0, 21)) << QStringLiteral("cwr-truncated")
                            << QStringLiteral(
                                   "line 21: the file ends after this line without its TRL record");
    QTest::newRow("cut inside the group")
        << QByteArray(sample.left(sample.indexOf("SWT0000"))) << QStringLiteral("cwr-truncated")
        << QStringLiteral("line 7: the file ends after this line, inside the group that starts on "
                          "line 2");
    QTest::newRow("cut inside a record")
        << QByteArray(sample.left(sample.indexOf("SWT0000") + 20)) << QStringLiteral("cwr-length")
        << QStringLiteral("line 8: SWT record is 20 characters; CWR 2.1 requires 52");
    QTest::newRow("TRL right after the transactions")
        << joinLines(QList<QByteArray>(lines.mid(0, 20)) << lines[21])
        << QStringLiteral("cwr-place")
        << QStringLiteral("line 21: TRL before the GRT of the group that starts on line 2");

    // Text.
    QTest::newRow("Latin-1 byte") << mutated21(3, [](QByteArray &l) { l[24] = char(0xE9); })
                                  << QStringLiteral("cwr-encoding")
                                  << QStringLiteral(
                                         "line 3, column 25: byte 0xE9 is not UTF-8 text");
    QTest::newRow("tab") << mutated21(3, [](QByteArray &l) { l[24] = '\t'; })
                         << QStringLiteral("cwr-encoding")
                         << QStringLiteral("line 3, column 25: control character 0x09");
    QTest::newRow("character set")
        << mutated21(1, [](QByteArray &l) { put(l, 87, "BIG5"); }) << QStringLiteral("cwr-encoding")
        << QStringLiteral("line 1: HDR character set 'BIG5' (columns 87-101)");
    QTest::newRow("a line of a megabyte")
        << QByteArray(sample.left(200) + QByteArray(1 << 20, 'A')) << QStringLiteral("cwr-length")
        << QStringLiteral("line 3: the line is longer than 4096 bytes");
}

void TestCwr::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const Outcome out = readBytes(bytes);
    QVERIFY2(!out.ok, "the file was read; it must be refused");
    QVERIFY2(
        out.message.startsWith(message),
        qPrintable(
            QStringLiteral("message: %1\nexpected to start with: %2").arg(out.message, message)));
    QCOMPARE(out.code, code);
}

void TestCwr::refusesARecordShorterIn22()
{
    // A PWR of 110 characters is whole in 2.1 and 2 short in 2.2 (its publisher sequence #).
    QList<QByteArray> lines = splitLines(sample22());
    QCOMPARE(lines[10].left(3), QByteArray("PWR"));
    lines[10].truncate(110);
    const Outcome out = readBytes(joinLines(lines));
    QVERIFY(!out.ok);
    QCOMPARE(out.code, QStringLiteral("cwr-length"));
    QCOMPARE(out.message,
             QStringLiteral("line 11: PWR record is 110 characters; CWR 2.2 requires 112"));
    // The first work had not ended at line 11: nothing reached the sink.
    QVERIFY(out.works.isEmpty());
}

void TestCwr::refusesAnUnreadableDevice()
{
    FailingBuffer device(sample21(), 300); // in line 3
    const Outcome out = readDevice(device);
    QVERIFY(!out.ok);
    QCOMPARE(out.code, QStringLiteral("cwr-read"));
    QCOMPARE(out.message, QStringLiteral("line 3: cannot read the file: input/output error"));
}

void TestCwr::sinkCancels()
{
    // Refusing the first work stops at its line.
    const Outcome first = readBytes(sample22(), {}, [](const Work &) { return false; });
    QVERIFY(!first.ok);
    QCOMPARE(first.code, QStringLiteral("cancelled"));
    QCOMPARE(first.message,
             QStringLiteral("line 3: cancelled at the work that starts on this line"));
    QCOMPARE(first.works.size(), 1);
    // Refusing the second names the second work's line; nothing after it is read.
    const Outcome second = readBytes(
        sample22(), {}, [](const Work &w) { return w.transaction != QLatin1String("REV"); });
    QVERIFY(!second.ok);
    QCOMPARE(second.code, QStringLiteral("cancelled"));
    QVERIFY2(second.message.startsWith(QLatin1String("line 24: ")), qPrintable(second.message));
    QCOMPARE(second.works.size(), 2);
}

void TestCwr::cancelFlag()
{
    std::atomic_bool cancel = false;
    Options options;
    options.cancel = &cancel;
    int seen = 0;
    const Outcome out = readBytes(manyWorks(50), options, [&](const Work &) {
        if (++seen == 3)
            cancel = true;
        return true;
    });
    QVERIFY(!out.ok);
    QCOMPARE(out.code, QStringLiteral("cancelled"));
    QVERIFY2(out.message.startsWith(QLatin1String("line ")), qPrintable(out.message));
    QCOMPARE(out.works.size(), 3);
}

void TestCwr::streamsOneWorkAtATime()
{
    const int count = 3000; // about 4.4 MB
    const QByteArray bytes = manyWorks(count);
    qint64 lastDone = 0, calls = 0, total = 0;
    qint64 doneAtFirstWork = -1;
    Options options;
    options.progress = [&](qint64 done, qint64 all) {
        QVERIFY(done >= lastDone);
        lastDone = done;
        total = all;
        ++calls;
    };
    int works = 0;
    const Outcome out = readBytes(bytes, options, [&](const Work &w) {
        if (works++ == 0)
            doneAtFirstWork = lastDone;
        return w.parties.size() == 5;
    });
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(out.header.works, count);
    QCOMPARE(total, bytes.size());
    QCOMPARE(lastDone, bytes.size());
    QVERIFY(calls > 10);
    // The first work was handed on while most of the file was still unread.
    QVERIFY(doneAtFirstWork < bytes.size() / 10);
}

void TestCwr::randomMutationsNeverCrash()
{
    // Flips, insertions, deletions and cuts of the samples: whatever the reader makes of them, it
    // reads or refuses with a line, and under ASan nothing overruns.
    QRandomGenerator random(20260115);
    const QByteArray originals[] = {sample21(), sample22()};
    int refused = 0, read = 0;
    for (int round = 0; round < 1500; ++round) {
        QByteArray bytes = originals[round % 2];
        const int edits = 1 + int(random.bounded(4));
        for (int e = 0; e < edits && !bytes.isEmpty(); ++e) {
            const qsizetype at = random.bounded(bytes.size());
            switch (random.bounded(6)) {
            case 0: // any byte
                bytes[at] = char(random.bounded(256));
                break;
            case 1: // a digit, where numbers are
                bytes[at] = char('0' + random.bounded(10));
                break;
            case 2:
                bytes.insert(at, char(random.bounded(256)));
                break;
            case 3:
                bytes.remove(at, 1 + random.bounded(8));
                break;
            case 4:
                bytes.truncate(at);
                break;
            case 5: { // a line repeated
                const qsizetype start = bytes.lastIndexOf('\n', at) + 1;
                const qsizetype end = bytes.indexOf('\n', at);
                bytes.insert(start, bytes.mid(start, end < 0 ? -1 : end - start + 1));
                break;
            }
            }
        }
        const Outcome out = readBytes(bytes);
        if (out.ok) {
            ++read;
            continue;
        }
        ++refused;
        QVERIFY2(out.message.startsWith(QLatin1String("line ")) ||
                     out.message.startsWith(QLatin1String("the file is empty")),
                 qPrintable(out.message));
        QVERIFY(!out.code.isEmpty());
    }
    QVERIFY(refused > 1000);
    qInfo("%d mutated files refused, %d read", refused, read);
}

QTEST_GUILESS_MAIN(TestCwr)
#include "tst_cwr.moc"
