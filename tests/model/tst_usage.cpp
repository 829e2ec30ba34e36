// SPDX-License-Identifier: GPL-3.0-or-later
// Usage reports in: the public DDEX DSR samples and our own (UGC and Basic Audio), the usage CSV,
// every refusal naming its line, cancelling, and random mutations that must never crash.
#include "model/io/usage.h"
#include "tests/model/devices.h"

#include <QBuffer>
#include <QFile>
#include <QtTest>

#include <random>

using namespace cartulary;
using namespace cartulary::model::usage;
using cartulary::model::periodRange;

Q_DECLARE_METATYPE(cartulary::model::usage::Options)

namespace {

QString dsrPath(const QString &name)
{
    return QStringLiteral(CARTULARY_TEST_DATA "/dsr/") + name;
}

const QString Test =
    QStringLiteral("DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv");
const QString Test2 =
    QStringLiteral("DSR_TEST2_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv");

QByteArray fileBytes(const QString &name)
{
    QFile f(dsrPath(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(f.fileName()));
    return f.readAll();
}

struct Outcome
{
    Result<Summary> result = Error{};
    QList<Record> records;
};

Outcome readBytes(const QByteArray &bytes, const Options &options = {}, bool sequential = false)
{
    // A pipe with "nothing yet" between chunks of five bytes: lines and the BOM arrive in pieces.
    std::unique_ptr<QIODevice> device;
    if (sequential) {
        device = std::make_unique<StutterDevice>(bytes);
    } else {
        auto buffer = std::make_unique<QBuffer>();
        buffer->setData(bytes);
        buffer->open(QIODevice::ReadOnly);
        device = std::move(buffer);
    }
    Outcome out;
    out.result = read(*device, options, [&](const Record &r) {
        out.records.append(r);
        return true;
    });
    return out;
}

Outcome readFile(const QString &name, const Options &options = {})
{
    return readBytes(fileBytes(name), options);
}

/** The decimal AllocatedAmount text ("125.23") in micro-units, computed here independently. */
qint64 microOf(const QString &text)
{
    const QStringList parts = text.split(u'.');
    const QString decimals = parts.value(1).leftJustified(6, u'0');
    return parts[0].toLongLong() * 1'000'000 + decimals.toLongLong();
}

/** The sample's LI01 lines, summed by hand: the last field of each, for the given controllers. */
qint64 li01Total(const QString &name, const QStringList &controllers)
{
    qint64 total = 0;
    for (const QByteArray &line : fileBytes(name).split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f[0].startsWith("LI01") && controllers.contains(QString::fromUtf8(f[3])))
            total += microOf(QString::fromUtf8(f.last()));
    }
    return total;
}

qint64 sumOf(const QList<Record> &records)
{
    qint64 s = 0;
    for (const Record &r : records)
        s += r.amountMicro;
    return s;
}

/** The bytes with line n (1-based) replaced, or removed when replacement is null. */
QByteArray withLine(QByteArray bytes, int n, const QByteArray &replacement)
{
    QList<QByteArray> lines = bytes.split('\n');
    if (replacement.isNull())
        lines.removeAt(n - 1);
    else
        lines[n - 1] = replacement;
    return lines.join('\n');
}

const QByteArray Csv = "period,licensee,territory,work,title,creator,units,amount,currency\n"
                       "2026-Q3,Radio One,DE,ISWC:T-034.524.680-1,Analytical Engine,\"Lovelace, "
                       "Ada\",120,12.50,EUR\n";

} // namespace

class TestUsage : public QObject
{
    Q_OBJECT

private slots:
    void ugcSampleReadsWithItsLi01Totals()
    {
        const Outcome out = readFile(Test);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        const Summary &s = out.result.value();
        QCOMPARE(s.format, Format::Dsr);
        QCOMPARE(s.period, QStringLiteral("2015-Q4"));
        QCOMPARE(s.periods, QStringList{QStringLiteral("2015-Q4")});
        QCOMPARE(s.lines, 35);
        QCOMPARE(s.sender, QStringLiteral("YouTube"));
        QCOMPARE(s.rightsControllers,
                 QStringList({"PUB_3", "PUB_2", "PUB_1", "SOC_1", "Residual"}));
        // Six SU03 usages, each with one LI01 of a represented controller.
        QCOMPARE(s.records, 6);
        QCOMPARE(out.records.size(), 6);
        QCOMPARE(s.unallocatedRecords, 0);
        // By hand: 125.23 + 0.0 + 30.32 + 20.98 + 10.86 + 11.49 USD.
        const qint64 expected = li01Total(Test, s.rightsControllers);
        QCOMPARE(expected, 198'880'000);
        QCOMPARE(s.totalsMicro, (QMap<QString, qint64>{{"USD", expected}}));
        QCOMPARE(sumOf(out.records), expected);

        const Record &first = out.records[0];
        QCOMPARE(first.line, 17);
        QCOMPARE(first.period, QStringLiteral("2015-Q4"));
        QCOMPARE(first.licensee, QStringLiteral("YouTube"));
        QCOMPARE(first.territory, QStringLiteral("IS"));
        QCOMPARE(first.currency, QStringLiteral("USD"));
        QCOMPARE(first.right, QStringLiteral("performing"));
        QCOMPARE(first.isrc, QStringLiteral("USSM19803037"));
        QVERIFY(first.iswc.isEmpty());
        QCOMPARE(first.title, QStringLiteral("SEXUAL HEALING"));
        QCOMPARE(first.creator,
                 QStringLiteral("DAVID RITZ; M. GAYE; MARVIN GAYE; ODELL BROWN ODELL BROWN"));
        QCOMPARE(first.units, 7810);
        QCOMPARE(first.amountMicro, 125'230'000);
        QCOMPARE(first.netRevenueMicro, 2'000'000);
        QVERIFY(first.allocated);
        // Block 2: an allocation of 0.0 to a represented controller is still an allocation.
        QCOMPARE(out.records[1].line, 22);
        QCOMPARE(out.records[1].iswc, QStringLiteral("T9109247316"));
        QCOMPARE(out.records[1].amountMicro, 0);
        QVERIFY(out.records[1].allocated);
        // Block 3: four usages, each with the LI01 that follows it.
        QCOMPARE(out.records[2].line, 27);
        QCOMPARE(out.records[5].line, 33);
        QCOMPARE(out.records[5].units, 75);
        QCOMPARE(out.records[5].amountMicro, 11'490'000);
        QCOMPARE(out.records[3].title, QStringLiteral("This Bitter Earth"));
        QCOMPARE(out.records[3].creator, QStringLiteral("CLYDE OTIS"));
        QCOMPARE(out.records[3].iswc, QStringLiteral("T0702472794"));
    }

    void rightsControllerSelectionChangesTheTotals()
    {
        Options pub3;
        pub3.rightsControllers = {QStringLiteral("PUB_3")};
        const Outcome a = readFile(Test, pub3);
        QVERIFY2(a.result.ok(), qPrintable(a.result.errorString()));
        QCOMPARE(a.result->totalsMicro.value("USD"), li01Total(Test, {"PUB_3"}));
        QCOMPARE(a.result->totalsMicro.value("USD"), 41'810'000);
        QCOMPARE(a.result->rightsControllers, QStringList{"PUB_3"});
        QCOMPARE(a.result->records, 6);
        QCOMPARE(a.result->unallocatedRecords, 4);
        QCOMPARE(a.records[0].amountMicro, 0);
        QVERIFY(!a.records[0].allocated);
        QCOMPARE(a.records[0].netRevenueMicro, 2'000'000);

        Options soc1; // compared without regard to case, as a person types it
        soc1.rightsControllers = {QStringLiteral("soc_1")};
        const Outcome b = readFile(Test, soc1);
        QVERIFY(b.result.ok());
        QCOMPARE(b.result->totalsMicro.value("USD"), li01Total(Test, {"SOC_1"}));
        QCOMPARE(b.result->totalsMicro.value("USD"), 31'840'000);

        Options nobody;
        nobody.rightsControllers = {QStringLiteral("Someone Else")};
        const Outcome c = readFile(Test, nobody);
        QVERIFY(c.result.ok());
        QCOMPARE(c.result->totalsMicro.value("USD"), 0);
        QCOMPARE(c.result->unallocatedRecords, 6);
    }

    void oneUsageWithSeveralRightsBecomesOneRecordPerRight()
    {
        // The first usage gets a mechanical allocation to PUB_2 and a performing one to PUB_3 as
        // well: 125.23 + 7.77 performing, 5.00 mechanical; the FOOT counts the two added lines.
        QByteArray bytes =
            withLine(fileBytes(Test), 18,
                     "LI01.01\t1\t1\tPUB_2\t\t\t1.0000\tPerformingRight\t0.0\t125.23\n"
                     "LI01.01\t1\t1\tPUB_2\t\t\t25\tMechanicalRight\t0.0\t5.00\n"
                     "LI01.01\t1\t1\tPUB_3\t\t\t25\t\t0.0\t7.77");
        bytes = withLine(bytes, 37, "FOOT\t37\t37\t4\t3\t3");
        const Outcome out = readBytes(bytes);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.result->records, 7);
        QCOMPARE(out.records[0].line, 17);
        QCOMPARE(out.records[1].line, 17);
        QCOMPARE(out.records[0].right, QStringLiteral("performing"));
        QCOMPARE(out.records[0].amountMicro, 133'000'000);
        QCOMPARE(out.records[1].right, QStringLiteral("mechanical"));
        QCOMPARE(out.records[1].amountMicro, 5'000'000);
        QCOMPARE(out.records[0].units, 7810); // each right's record carries the usage's uses
        QCOMPARE(out.records[1].units, 7810);
        QCOMPARE(out.result->totalsMicro.value("USD"), 198'880'000 + 12'770'000);
    }

    void withoutRepresentedRepertoireEveryControllerCounts()
    {
        const QByteArray bytes =
            withLine(fileBytes(Test), 1,
                     "HEAD\tdsrf/30\tUGCProfile\t1.0\t1453417766009915\t2016-01-21T15:09:26Z\t1\t1"
                     "\t2015-10-01\t2015-12-31\tPADPIDA2013020802I\tYouTube\tAdSupport-music");
        const Outcome out = readBytes(bytes);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.result->totalsMicro.value("USD"), 198'880'000);
        QCOMPARE(out.result->rightsControllers,
                 QStringList({"PUB_2", "Residual", "PUB_3", "SOC_1"}));
        QCOMPARE(out.result->warnings.size(), 1);
        QVERIFY(out.result->warnings[0].contains("every rights controller"));
    }

    void test2UsageWithoutLi01IsUnallocated()
    {
        // The public TEST2 lost an LI01 line but kept its FOOT: refused, naming the FOOT's line.
        const Outcome published = readFile(Test2);
        QVERIFY(!published.result.ok());
        QCOMPARE(published.result.error().code, QStringLiteral("invalid-usage"));
        QVERIFY2(published.result.errorString().startsWith("line 34, field NumberOfLinesInFile"),
                 qPrintable(published.result.errorString()));

        const Outcome out = readFile(QStringLiteral("TEST2_foot-corrected.tsv"));
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.result->records, 6);
        QCOMPARE(out.result->unallocatedRecords, 1);
        const Record &r = out.records[0];
        QCOMPARE(r.line, 17);
        QVERIFY(!r.allocated);
        QCOMPARE(r.amountMicro, 0);
        QCOMPARE(r.netRevenueMicro, 2'000'000);
        QCOMPARE(r.right, QStringLiteral("performing"));
        QCOMPARE(out.result->totalsMicro.value("USD"), 198'880'000 - 125'230'000);
    }

    void basicAudioSharesWhatTheSummaryOwesByUnits()
    {
        const Outcome out = readFile(QStringLiteral("basicaudio_2026-Q3.tsv"));
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        const Summary &s = out.result.value();
        QCOMPARE(s.period, QStringLiteral("2026-Q3"));
        QCOMPARE(s.sender, QStringLiteral("Example Stream"));
        QCOMPARE(s.lines, 27);
        QCOMPARE(s.records, 6);
        QCOMPARE(s.unallocatedRecords, 1);
        QCOMPARE(out.records.size(), 6);
        // S1 owes 100.00 EUR over 3 streams: 1 and 2 streams, exactly, summing to the whole.
        QCOMPARE(out.records[0].line, 20);
        QCOMPARE(out.records[0].amountMicro, 33'333'333);
        QCOMPARE(out.records[1].amountMicro, 66'666'667);
        QCOMPARE(out.records[0].netRevenueMicro, 50'000); // 50,000.00 EUR × 1 / 1,000,000 uses
        QCOMPARE(out.records[0].right, QStringLiteral("performing"));
        QCOMPARE(out.records[0].territory, QStringLiteral("DE"));
        QCOMPARE(out.records[0].title, QStringLiteral("Analytical Engine"));
        QCOMPARE(out.records[0].creator, QStringLiteral("Lovelace, Ada; Babbage, Charles"));
        QCOMPARE(out.records[0].iswc, QStringLiteral("T0345246801"));
        QCOMPARE(out.records[0].isrc, QStringLiteral("DEA123400001"));
        // ST2 names a one-track RE02: its resource is that track (no MW01: the performer).
        QCOMPARE(out.records[1].isrc, QStringLiteral("DEA123400002"));
        QCOMPARE(out.records[1].title, QStringLiteral("Difference Engine"));
        QCOMPARE(out.records[1].creator, QStringLiteral("Ada Lovelace"));
        // S2: mechanical, AT, all 10.00 EUR to its one usage.
        QCOMPARE(out.records[2].amountMicro, 10'000'000);
        QCOMPARE(out.records[2].right, QStringLiteral("mechanical"));
        QCOMPARE(out.records[2].territory, QStringLiteral("AT"));
        QCOMPARE(out.records[2].units, 4);
        // S3 is an SY01 download summary: no amount owed is stated.
        QVERIFY(!out.records[3].allocated);
        QCOMPARE(out.records[3].amountMicro, 0);
        QCOMPARE(out.records[3].netRevenueMicro, 1'980'000);
        QVERIFY(out.records[3].right.isEmpty());
        // S4: 1,000 JPY over 7 streams, 3 and 4.
        QCOMPARE(out.records[4].currency, QStringLiteral("JPY"));
        QCOMPARE(out.records[4].amountMicro, 428'571'428);
        QCOMPARE(out.records[5].amountMicro, 571'428'572);
        QCOMPARE(s.totalsMicro,
                 (QMap<QString, qint64>{{"EUR", 110'000'000}, {"JPY", 1'000'000'000}}));
    }

    void escapesAndRepeatedValues()
    {
        const Outcome out = readFile(QStringLiteral("basicaudio_2026-Q3.tsv"));
        QVERIFY(out.result.ok());
        const Record &r = out.records[4];
        QCOMPARE(r.line, 25);
        // "Noether's \| Theorem\tLive \\ Encore": a pipe, a tab and a backslash inside one value.
        QCOMPARE(r.title, QStringLiteral("Noether's | Theorem\tLive \\ Encore"));
        // "Noether, Emmy|Hilbert\|David": two writers, the second with an escaped pipe.
        QCOMPARE(r.creator, QStringLiteral("Noether, Emmy; Hilbert|David"));
        QCOMPARE(r.iswc, QStringLiteral("T1234567894"));
    }

    void dsrReadsFromASequentialDeviceWithProgress()
    {
        qint64 lastDone = -1;
        qint64 lastTotal = -1;
        Options options;
        options.progress = [&](qint64 done, qint64 total) {
            lastDone = done;
            lastTotal = total;
        };
        const QByteArray bytes = fileBytes(Test);
        const Outcome out = readBytes(bytes, options, true);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.records.size(), 6);
        QCOMPARE(lastDone, bytes.size());
        QCOMPARE(lastTotal, 0); // a sequential device has no known size

        const Outcome file = readBytes(bytes, options);
        QVERIFY(file.result.ok());
        QCOMPARE(lastTotal, bytes.size());
    }

    void dsrWithCrlfAndBom()
    {
        QByteArray bytes = fileBytes(Test);
        bytes.replace("\n", "\r\n");
        const Outcome out = readBytes("\xEF\xBB\xBF" + bytes);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.result->totalsMicro.value("USD"), 198'880'000);
        QCOMPARE(out.records[0].title, QStringLiteral("SEXUAL HEALING"));
    }

    void dsrMustFail_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Options>("options");
        QTest::addColumn<QString>("expected"); // how the message starts: the line (and field)

        const QByteArray test = fileBytes(Test);
        const QByteArray basic = fileBytes(QStringLiteral("basicaudio_2026-Q3.tsv"));
        const Options none;
        QTest::newRow("FOOT line count disagrees")
            << withLine(test, 35, "FOOT\t36\t36\t4\t3\t3") << none
            << "line 35, field NumberOfLinesInFile (FOOT): the FOOT counts 36 lines but the file "
               "has 35";
        QTest::newRow("FOOT summary count disagrees")
            << withLine(test, 35, "FOOT\t35\t35\t5\t3\t3") << none
            << "line 35, field NumberOfSummaryRecords";
        QTest::newRow("FOOT block count disagrees")
            << withLine(test, 35, "FOOT\t35\t35\t4\t2\t3") << none
            << "line 35, field NumberOfBlocksInFile";
        QTest::newRow("FOOT report count disagrees in a 1-of-1 file")
            << withLine(test, 35, "FOOT\t35\t35\t4\t3\t4") << none
            << "line 35, field NumberOfBlocksInReport";
        QTest::newRow("truncated: no FOOT") << fileBytes(QStringLiteral("edge_truncated.tsv"))
                                            << none << "line 34: the file ends without its FOOT";
        QTest::newRow("usage points at a missing summary record")
            << fileBytes(QStringLiteral("edge_missing-summary.tsv")) << none
            << "line 17, field SummaryRecordId (SU03.01): points at summary record '9'";
        QTest::newRow("LI01 points at a missing summary record")
            << withLine(test, 18, "LI01.01\t1\t7\tPUB_2\t\t\t1.0000\tPerformingRight\t0.0\t125.23")
            << none << "line 18, field SummaryRecordId (LI01.01): points at summary record '7'";
        QTest::newRow("a record before HEAD")
            << "SY02.01\t1\t\t\tAdvertisementSupportedModel\n" + test << none
            << "line 1: a SY02.01 record before the HEAD";
        QTest::newRow("a line after FOOT") << test + "AS01\t4\n"
                                           << none << "line 36 follows the FOOT record (line 35)";
        QTest::newRow("more than six decimals")
            << withLine(test, 18,
                        "LI01.01\t1\t1\tPUB_2\t\t\t1.0000\tPerformingRight\t0.0\t125.2300001")
            << none << "line 18, field AllocatedAmount (LI01.01): '125.2300001' has more than 6";
        QTest::newRow("negative amount owed")
            << withLine(test, 18, "LI01.01\t1\t1\tPUB_2\t\t\t1.0000\tPerformingRight\t0.0\t-1.00")
            << none << "line 18, field AllocatedAmount (LI01.01): '-1.00' is negative";
        QTest::newRow("a right that is not distributed")
            << withLine(test, 18, "LI01.01\t1\t1\tPUB_2\t\t\t1.0000\tPrintRight\t0.0\t1.00") << none
            << "line 18, field RightsType (LI01.01): 'PrintRight'";
        QTest::newRow("unknown currency")
            << withLine(
                   test, 10,
                   "SY02.01\t1\t\t\tAdvertisementSupportedModel\tStream\tIS\tAdSupport-music\t1"
                   "\t\tEUX\t1.00\tPUB_2\t\t1\t0.0\t0.0\tPerformingRight")
            << none << "line 10, field Currency (SY02.01): 'EUX'";
        QTest::newRow("not a territory")
            << withLine(
                   test, 10,
                   "SY02.01\t1\t\t\tAdvertisementSupportedModel\tStream\tEP\tAdSupport-music\t1"
                   "\t\tUSD\t1.00\tPUB_2\t\t1\t0.0\t0.0\tPerformingRight")
            << none << "line 10, field Territory (SY02.01): 'EP'";
        QTest::newRow("LI01 with no usage before it")
            << withLine(withLine(test, 17, "RU01\t1\t1\tx\t1"), 18,
                        "LI01.01\t1\t1\tPUB_2\t\t\t1.0000\tPerformingRight\t0.0\t1.00")
            << none << "line 18: an LI01 allocation that follows no usage record";
        QTest::newRow("a summary record after the first block")
            << withLine(test, 19,
                        "SY02.01\t2\t\t\tAdvertisementSupportedModel\tStream\tIS\tx\t1\t\tUSD\t1.0")
            << none << "line 19: a summary record after the first block (line 14)";
        QTest::newRow("a record the profile does not have")
            << withLine(test, 16, "SU02\t1\t1\tST\t\tR1\ttrue\t1") << none
            << "line 16: 'SU02' is not a record of the UgcProfile";
        QTest::newRow("a backslash escaping nothing")
            << withLine(test, 14, "AS01\t1\tA\tA\tUSSM19803037\tTitle\\") << none
            << "line 14 ends in a backslash that escapes nothing";
        QTest::newRow("not UTF-8") << withLine(test, 14, "AS01\t1\tA\tA\tX\tCaf\xE9") << none
                                   << "line 14 is not UTF-8 text";
        QTest::newRow("an empty line") << withLine(test, 9, "") << none << "line 9 is empty";
        QTest::newRow("period neither month nor quarter")
            << withLine(
                   test, 1,
                   "HEAD\tdsrf/30\tUGCProfile\t1.0\t1\t2016-01-21T15:09:26Z\t1\t1\t2015-10-01\t"
                   "2015-11-15\tPADPIDA2013020802I\tYouTube\tx\tPADPIDA20070627029\tTEST\tPUB_3")
            << none << "line 1, field UsageStartDate/UsageEndDate (HEAD): 2015-10-01 to 2015-11-15";
        Options q3;
        q3.period = QStringLiteral("2015-Q3");
        QTest::newRow("another period than asked")
            << test << q3
            << "line 1, field UsageStartDate/UsageEndDate (HEAD): the report covers "
               "2015-Q4, not 2015-Q3";
        QTest::newRow("unknown profile")
            << withLine(test, 1,
                        "HEAD\tdsrf/30\tRadioProfile\t1.0\t1\tx\t1\t1\t2015-10-01\t"
                        "2015-12-31\tP\tYouTube")
            << none << "line 1, field Profile (HEAD): 'RadioProfile'";
        // Basic Audio: the usages must add up to what each summary record owes.
        QTest::newRow("basic audio: more uses than the summary spreads its amount over")
            << withLine(basic, 21, "SU02\tB1\tS1\tST2\tR3\t\ttrue\t3\t") << none
            << "line 21: the usage records of summary record 'S1' (line 5) count 4 uses";
        QTest::newRow("basic audio: fewer uses than the summary spreads its amount over")
            << withLine(basic, 21, "SU02\tB1\tS1\tST2\tR3\t\ttrue\t1\t") << none
            << "line 5: summary record 'S1' spreads what it owes over 3 uses, but its usage "
               "records count 2";
        QTest::newRow("basic audio: a resource the block does not have")
            << withLine(basic, 20, "SU02\tB1\tS1\tST1\t\tR9\ttrue\t1\t") << none
            << "line 20, field TransactedResource (SU02): 'R9' names no AS resource of block B1";
        QTest::newRow("basic audio: a repeated summary record id")
            << withLine(
                   basic, 6,
                   "SY02.01\tS1\t\t\tSubscriptionModel\tOnDemandStream\tAT\tPremium\t200000\t900\t"
                   "EUR\t9000.00\tC\t\t4\t10.00\t720.00\tMechanicalRight")
            << none << "line 6: summary record 'S1' is already defined at line 5";
    }

    void dsrMustFail()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(Options, options);
        QFETCH(QString, expected);
        const Outcome out = readBytes(bytes, options);
        QVERIFY2(!out.result.ok(), "the report was accepted");
        QCOMPARE(out.result.error().code, QStringLiteral("invalid-usage"));
        QVERIFY2(out.result.errorString().startsWith(expected),
                 qPrintable(out.result.errorString()));
    }

    void sinkAndCancelStopTheReading()
    {
        for (const QByteArray &bytes : {fileBytes(Test), Csv}) {
            QBuffer buffer;
            buffer.setData(bytes);
            buffer.open(QIODevice::ReadOnly);
            int seen = 0;
            const auto result = read(buffer, {}, [&](const Record &) {
                ++seen;
                return false;
            });
            QVERIFY(!result.ok());
            QCOMPARE(result.error().code, QStringLiteral("cancelled"));
            QCOMPARE(seen, 1);
            QVERIFY2(result.errorString().contains(bytes == Csv ? "line 2" : "line 17"),
                     qPrintable(result.errorString()));

            std::atomic_bool cancel{true};
            Options options;
            options.cancel = &cancel;
            const Outcome stopped = readBytes(bytes, options);
            QVERIFY(!stopped.result.ok());
            QCOMPARE(stopped.result.error().code, QStringLiteral("cancelled"));
            QVERIFY(stopped.records.isEmpty());
        }
    }

    void csvWithBomAndCrlf()
    {
        QByteArray bytes = Csv;
        bytes.replace("\n", "\r\n");
        bytes.replace("DE,", "de,"); // territories in any case
        bytes += "2026-Q3,Radio One,WW,,Difference Engine,,5,0.10,EUR\r\n"
                 ",Radio Two,IS,ISRC:DEA123400001,,,1,1000,JPY\r\n"
                 "2026-09,Radio Two,US,DOI:10.1000/182,,,1,1.005,BHD\r\n";
        Options options;
        options.period = QStringLiteral("2026-Q3"); // for the line without one
        const Outcome out = readBytes("\xEF\xBB\xBF" + bytes, options);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        const Summary &s = out.result.value();
        QCOMPARE(s.format, Format::Csv);
        QCOMPARE(s.lines, 5);
        QCOMPARE(s.records, 4);
        QCOMPARE(s.period, QStringLiteral("2026-Q3"));
        QCOMPARE(s.periods, QStringList({"2026-Q3", "2026-09"}));
        QVERIFY(s.warnings.isEmpty());
        QCOMPARE(s.totalsMicro,
                 (QMap<QString, qint64>{
                     {"EUR", 12'600'000}, {"JPY", 1'000'000'000}, {"BHD", 1'005'000}}));
        const Record &r = out.records[0];
        QCOMPARE(r.line, 2);
        QCOMPARE(r.territory, QStringLiteral("DE"));
        QCOMPARE(r.iswc, QStringLiteral("T-034.524.680-1"));
        QVERIFY(r.workRef.isEmpty());
        QCOMPARE(r.creator, QStringLiteral("Lovelace, Ada"));
        QCOMPARE(r.units, 120);
        QCOMPARE(r.amountMicro, 12'500'000);
        QCOMPARE(r.netRevenueMicro, r.amountMicro);
        QCOMPARE(r.right, QStringLiteral("performing"));
        QVERIFY(r.allocated);
        QCOMPARE(out.records[1].territory, QStringLiteral("WW"));
        QCOMPARE(out.records[2].period, QStringLiteral("2026-Q3"));
        QCOMPARE(out.records[2].isrc, QStringLiteral("DEA123400001"));
        QCOMPARE(out.records[3].doi, QStringLiteral("10.1000/182"));
    }

    void csvColumnsInAnyOrderAndUnknownOnesWarned()
    {
        const QByteArray bytes =
            "Currency,AMOUNT,units,Colour,work,territory,licensee,period,Right\n"
            "EUR,3.00,2,blue,GRI-1,FR,Radio One,2026-09,Sync\n";
        const Outcome out = readBytes(bytes);
        QVERIFY2(out.result.ok(), qPrintable(out.result.errorString()));
        QCOMPARE(out.result->warnings,
                 QStringList{"column 'Colour' is not understood and was ignored"});
        QCOMPARE(out.records[0].workRef, QStringLiteral("GRI-1"));
        QCOMPARE(out.records[0].right, QStringLiteral("sync"));
        QCOMPARE(out.records[0].amountMicro, 3'000'000);
    }

    void csvMustFail_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray header =
            "period,licensee,territory,work,title,creator,units,amount,currency\n";
        const QByteArray ok = "2026-Q3,Radio One,DE,GRI-1,,,1,1.00,EUR\n";
        QTest::newRow("bad amount") << header + ok + "2026-Q3,Radio One,DE,GRI-1,,,1,12;50,EUR\n"
                                    << "line 3, column amount: '12;50' is not an amount";
        QTest::newRow("grouped amount")
            << header + "2026-Q3,Radio One,DE,GRI-1,,,1,\"1,250.00\",EUR\n"
            << "line 2, column amount: '1,250.00' is not an amount";
        QTest::newRow("unknown currency") << header + ok + ok + "2026-Q3,R,DE,GRI-1,,,1,1.00,EUX\n"
                                          << "line 4, column currency: 'EUX' is not an active ISO "
                                             "4217 currency";
        QTest::newRow("too many minor digits") << header + "2026-Q3,R,DE,GRI-1,,,1,12.345,EUR\n"
                                               << "line 2, column amount: '12.345' has more than 2 "
                                                  "decimals (EUR)";
        QTest::newRow("decimals in a currency without")
            << header + "2026-Q3,R,DE,G,,,1,1.5,JPY\n"
            << "line 2, column amount: JPY has no minor";
        QTest::newRow("negative units") << header + ok + "2026-Q3,R,DE,GRI-1,,,-3,1.00,EUR\n"
                                        << "line 3, column units: '-3' is negative";
        QTest::newRow("fractional units") << header + "2026-Q3,R,DE,GRI-1,,,1.5,1.00,EUR\n"
                                          << "line 2, column units: '1.5' is not a whole number";
        QTest::newRow("negative amount") << header + "2026-Q3,R,DE,GRI-1,,,1,-1.00,EUR\n"
                                         << "line 2, column amount: '-1.00' is negative";
        QTest::newRow("a required column missing")
            << QByteArray("period,licensee,territory,work,units,amount\n") + "2026-Q3,R,DE,G,1,1\n"
            << "line 1: the header has no currency column";
        QTest::newRow("neither work nor title column")
            << QByteArray("period,licensee,territory,units,amount,currency\n")
            << "line 1: the header has no work or title column";
        QTest::newRow("no period column nor --period")
            << QByteArray("licensee,territory,work,units,amount,currency\n")
            << "line 1: the header has no period column";
        QTest::newRow("a column twice") << QByteArray("amount,licensee,Amount\n")
                                        << "line 1: the column 'amount' appears twice";
        QTest::newRow("required value empty") << header + "2026-Q3,,DE,GRI-1,,,1,1.00,EUR\n"
                                              << "line 2, column licensee: is empty";
        QTest::newRow("neither work nor title") << header + "2026-Q3,R,DE,,,,1,1.00,EUR\n"
                                                << "line 2: neither work nor title";
        QTest::newRow("not a territory") << header + "2026-Q3,R,EP,G,,,1,1.00,EUR\n"
                                         << "line 2, column territory: 'EP' is not an ISO 3166-1";
        QTest::newRow("not a period") << header + "2026-Q5,R,DE,G,,,1,1.00,EUR\n"
                                      << "line 2, column period: '2026-Q5' is not a period";
        QTest::newRow("not a right")
            << QByteArray("period,licensee,territory,work,units,amount,currency,right\n"
                          "2026-Q3,R,DE,G,1,1.00,EUR,print\n")
            << "line 2, column right: 'print' is not a right";
        QTest::newRow("a line with more fields") << header + "2026-Q3,R,DE,G,,,1,1.00,EUR,x\n"
                                                 << "line 2: 10 fields where the header has 9";
        QTest::newRow("broken quoting") << header + "2026-Q3,R,DE,G,\"a\"b,,1,1.00,EUR\n"
                                        << "line 2, column 19: text after a closing quote";
        QTest::newRow("empty file") << QByteArray() << "the file is empty";
    }

    void csvMustFail()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const Outcome out = readBytes(bytes);
        QVERIFY2(!out.result.ok(), "the report was accepted");
        QCOMPARE(out.result.error().code, QStringLiteral("invalid-usage"));
        QVERIFY2(out.result.errorString().startsWith(expected),
                 qPrintable(out.result.errorString()));
    }

    void formatsPeriodsTerritories()
    {
        QCOMPARE(detect("HEAD\tdsrf/30\t"), Format::Dsr);
        QCOMPARE(detect("\xEF\xBB\xBF#HEAD\tMessageVersion"), Format::Dsr);
        QCOMPARE(detect("period,licensee"), Format::Csv);
        QCOMPARE(detect("HEADLINE,x"), Format::Csv);
        QCOMPARE(formatName(Format::Dsr), QStringLiteral("dsr"));
        QCOMPARE(formatName(Format::Csv), QStringLiteral("csv"));

        const auto q3 = periodRange(QStringLiteral("2026-Q3"), QStringLiteral("p"));
        QVERIFY(q3.ok());
        QCOMPARE(q3->first, QDate(2026, 7, 1));
        QCOMPARE(q3->second, QDate(2026, 9, 30));
        const auto feb = periodRange(QStringLiteral("2024-02"), QStringLiteral("p"));
        QCOMPARE(feb->second, QDate(2024, 2, 29));
        for (const char *bad : {"2026-Q0", "2026-13", "2026-9", "26-Q1", "0000-01", "2026-Q3 "}) {
            const auto r = periodRange(QString::fromLatin1(bad), QStringLiteral("period"));
            QVERIFY2(!r.ok(), bad);
            QVERIFY(r.errorString().startsWith("period: '"));
        }

        for (const char *code : {"DE", "IS", "US", "AX", "SS", "WW", "XK"})
            QVERIFY2(isTerritoryCode(QString::fromLatin1(code)), code);
        for (const char *code : {"EP", "WO", "EM", "UK", "EU", "ZZ", "de", "D", "DEU", ""})
            QVERIFY2(!isTerritoryCode(QString::fromLatin1(code)), code);
    }

    void randomMutationsNeverCrash()
    {
        // Runs under ASan/UBSan in the test build: whatever the bytes, a result and no crash.
        std::mt19937 rng(20260916);
        const QList<QByteArray> seeds = {fileBytes(Test),
                                         fileBytes(QStringLiteral("basicaudio_2026-Q3.tsv")), Csv};
        const QByteArray alphabet("\t\n\r|\\#.-0123456789AZaz,\"\xC3\xA9\x00\xFF", 29);
        int accepted = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray bytes = seeds[round % seeds.size()];
            const int edits = 1 + int(rng() % 8);
            for (int e = 0; e < edits && !bytes.isEmpty(); ++e) {
                const qsizetype at = qsizetype(rng() % quint32(bytes.size()));
                switch (rng() % 5) {
                case 0:
                    bytes[at] = alphabet[rng() % alphabet.size()];
                    break;
                case 1:
                    bytes.insert(at, alphabet[rng() % alphabet.size()]);
                    break;
                case 2:
                    bytes.remove(at, 1 + rng() % 16);
                    break;
                case 3:
                    bytes.truncate(at);
                    break;
                default: { // duplicate a line
                    const qsizetype start = bytes.lastIndexOf('\n', at) + 1;
                    const qsizetype end = bytes.indexOf('\n', at);
                    if (end > start)
                        bytes.insert(end + 1, bytes.mid(start, end - start + 1));
                }
                }
            }
            const Outcome out = readBytes(bytes, {}, round % 7 == 0);
            if (out.result.ok()) {
                ++accepted;
                qint64 total = 0;
                for (const qint64 t : out.result->totalsMicro)
                    total += t;
                QCOMPARE(total, sumOf(out.records));
                QCOMPARE(out.result->records, out.records.size());
                for (const Record &r : out.records) {
                    QVERIFY(r.amountMicro >= 0);
                    QVERIFY(r.units >= 0);
                    QVERIFY(r.line >= 1 && r.line <= out.result->lines);
                }
            } else {
                QVERIFY(!out.result.errorString().isEmpty());
            }
        }
        qInfo("%d of 3000 mutated reports were still valid", accepted);
    }
};

QTEST_GUILESS_MAIN(TestUsage)
#include "tst_usage.moc"
