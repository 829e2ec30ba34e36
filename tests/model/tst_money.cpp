// SPDX-License-Identifier: GPL-3.0-or-later
// Money and shares: exact decimal text in and out, as files and as each locale writes it; percent
// as ppm; the largest-remainder split whose parts always sum to the whole.
#include "model/core/money.h"

#include <QtTest>

#include <limits>
#include <random>

using namespace cartulary::model;

class TestMoney : public QObject
{
    Q_OBJECT

private slots:
    void percentAndPpmAreExact()
    {
        QCOMPARE(parsePercent("5.25%", "r").value(), 52500);
        QCOMPARE(parsePercent("0.0001", "r").value(), 1);
        QCOMPARE(parsePercent("100", "r").value(), 1000000);
        QVERIFY(!parsePercent("100.0001", "r").ok());
        QVERIFY(!parsePercent("5,25", "r").ok());
        QVERIFY(!parsePercent("-1", "r").ok());
        QCOMPARE(formatPpm(155000), QStringLiteral("15.50 %"));
        QCOMPARE(formatPpm(1), QStringLiteral("0.00 %"));
        QCOMPARE(formatPpm(50), QStringLiteral("0.01 %"));
    }

    void percentAsTheLocaleWritesIt()
    {
        const QLocale de(QLocale::German, QLocale::Germany), en(QLocale::English);
        QCOMPARE(parseLocalePercent("12,5 %", de, "fee").value(), 125000);
        QCOMPARE(parseLocalePercent("12.5%", en, "fee").value(), 125000);
        QCOMPARE(parseLocalePercent(" 10 ", de, "fee").value(), 100000);
        // The other decimal mark is refused, never guessed: 12.5 in German could be 125.
        const auto refused = parseLocalePercent("12.5", de, "fee");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.errorString().startsWith("fee: '12.5'") &&
                     refused.errorString().contains("5,25"),
                 qPrintable(refused.errorString()));
        QVERIFY(!parseLocalePercent("1,5", en, "fee").ok());
        QVERIFY(!parseLocalePercent("101", en, "fee").ok());
        QVERIFY(!parseLocalePercent("-1", en, "fee").ok());
    }

    void microAmountsForPeople()
    {
        QCOMPARE(formatMicro(30'000'000, "EUR"), QStringLiteral("30.00 EUR"));
        QCOMPARE(formatMicro(1'250'500'000'000, "EUR"), QStringLiteral("1,250,500.00 EUR"));
        QCOMPARE(formatMicro(33'333'333, "EUR"), QStringLiteral("33.333333 EUR"));
        QCOMPARE(formatMicro(1'001'000'000, "JPY"), QStringLiteral("1,001 JPY"));
        QCOMPARE(formatMicro(1'000'500'000, "JPY"), QStringLiteral("1,000.5 JPY"));
        QCOMPARE(formatMicro(12'345'000, "BHD"), QStringLiteral("12.345 BHD"));
        QCOMPARE(formatMicro(-1'234'567'800'000, "EUR"), QStringLiteral("-1,234,567.80 EUR"));
        QCOMPARE(formatMicro(-1'234'567'890'000, "EUR"), QStringLiteral("-1,234,567.89 EUR"));
        QCOMPARE(formatMicro(-123'456'789, "EUR"), QStringLiteral("-123.456789 EUR"));
        QCOMPARE(formatMicro(0, "EUR"), QStringLiteral("0.00 EUR"));
    }

    void isoCurrenciesAndTheirDigits()
    {
        for (const char *code : {"EUR", "USD", "JPY", "BHD", "CLF", "ZWG", "XCG", "XOF", "CHF"})
            QVERIFY2(isKnownCurrency(QString::fromLatin1(code)), code);
        // Not a code, not upper case, withdrawn, or not money anyone is paid royalties in.
        for (const char *code :
             {"EUX", "eur", "EURO", "", "DEM", "HRK", "XAU", "XDR", "XXX", "XTS"})
            QVERIFY2(!isKnownCurrency(QString::fromLatin1(code)), code);
        QCOMPARE(currencyDigits("CLF"), 4);
        QCOMPARE(currencyDigits("BIF"), 0);
        QCOMPARE(currencyDigits("KWD"), 3);
        QCOMPARE(currencyDigits("EUR"), 2);
        QCOMPARE(currencyDigits("QQQ"), 2); // not in the list: as before
    }

    void decimalsAreReadExactlyIntoMicroUnits()
    {
        QCOMPARE(parseMicro("125.23", "f").value(), 125'230'000);
        QCOMPARE(parseMicro("0.000001", "f").value(), 1);
        QCOMPARE(parseMicro("-3", "f").value(), -3'000'000);
        QCOMPARE(parseMicro("+0.5", "f").value(), 500'000);
        QCOMPARE(parseMicro("1.2345670000", "f").value(), 1'234'567); // zeros lose nothing
        QCOMPARE(parseMicro(" 7 ", "f").value(), 7'000'000);
        QCOMPARE(parseMicro("9223372036854.775807", "f").value(),
                 std::numeric_limits<qint64>::max());
        const auto tooFine = parseMicro("0.0000001", "line 9, field AllocatedAmount");
        QVERIFY(!tooFine.ok());
        QCOMPARE(tooFine.errorString(),
                 QStringLiteral("line 9, field AllocatedAmount: '0.0000001' has more than 6 "
                                "decimals; amounts are kept to the millionth and never rounded"));
        for (const char *bad : {"", "1.", ".5", "1,5", "1e3", "--1", "+", "1.2.3", "0x10",
                                "9223372036854.775808", "99999999999999"})
            QVERIFY2(!parseMicro(QString::fromLatin1(bad), "f").ok(), bad);
    }

    void moneyIsFormattedWithItsMinorDigits()
    {
        QCOMPARE(formatMoney(125000, "EUR"), QStringLiteral("1,250.00 EUR"));
        QCOMPARE(formatMoney(1500, "JPY"), QStringLiteral("1,500 JPY"));
        QCOMPARE(formatMoney(-5, "KWD"), QStringLiteral("-0.005 KWD"));
        QCOMPARE(decimalAmount(std::numeric_limits<qint64>::min(), "EUR", false),
                 QStringLiteral("-92233720368547758.08"));
        QCOMPARE(currencyDigits("BHD"), 3);
        QCOMPARE(currencyDigits("JPY"), 0);
        QVERIFY(isCurrencyCode("EUR"));
        QVERIFY(!isCurrencyCode("eur"));
        QVERIFY(!isCurrencyCode("EURO"));
    }

    void plainAmountsAreReadExactly()
    {
        QCOMPARE(parseAmount("1250", "EUR", "f").value(), 125000);
        QCOMPARE(parseAmount("1250.5", "EUR", "f").value(), 125050);
        QCOMPARE(parseAmount(" 0.07 ", "EUR", "f").value(), 7);
        QCOMPARE(parseAmount("-0.125", "BHD", "f").value(), -125);
        QCOMPARE(parseAmount("1250", "JPY", "f").value(), 1250);
        // 0.1 + 0.2 in binary floating point is not 0.3; here it is exact.
        QCOMPARE(parseAmount("0.3", "EUR", "f").value(),
                 parseAmount("0.1", "EUR", "f").value() + parseAmount("0.2", "EUR", "f").value());
        QCOMPARE(parseAmount("9999999999999999.99", "EUR", "f").value(), 999999999999999999LL);
    }

    // Usage reports read amounts from bytes: the same values, and the same refusals word for word.
    void bytesAmountsAreTheTextOnes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("currency");
        const char *texts[] = {"1250",
                               "1250.5",
                               "0.07",
                               " 0.07 ",
                               "-0.125",
                               "-0",
                               "007.50",
                               "1.",
                               ".5",
                               "+5",
                               "1 000",
                               "1,5",
                               "1.234",
                               "1.2.3",
                               "",
                               "-",
                               "１",
                               "1e3",
                               "9999999999999999.99",
                               "99999999999999999.99",
                               "0000000000000000001.05",
                               "999999999999999999",
                               "9999999999999999999",
                               "\u00a012.50"};
        for (const char *t : texts)
            for (const char *c : {"EUR", "JPY", "BHD"})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QString::fromUtf8(t), c)))
                    << QString::fromUtf8(t).replace(QStringLiteral("\\u00a0"), QChar(0xA0))
                    << QString::fromLatin1(c);
    }
    void bytesAmountsAreTheTextOnes()
    {
        QFETCH(QString, text);
        QFETCH(QString, currency);
        const auto fromText = parseAmount(text, currency, "amount");
        const auto fromBytes = parseAmount(text.toUtf8(), currency, currencyDigits(currency),
                                           [] { return QStringLiteral("amount"); });
        QCOMPARE(fromBytes.ok(), fromText.ok());
        if (fromText.ok())
            QCOMPARE(fromBytes.value(), fromText.value());
        else
            QCOMPARE(fromBytes.error().message, fromText.error().message);
    }

    void malformedPlainAmountsAreRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("says");
        QTest::newRow("three decimals in EUR") << "1.005"
                                               << "EUR"
                                               << "more than 2 decimals";
        QTest::newRow("decimals in JPY") << "12.5"
                                         << "JPY"
                                         << "must be whole";
        QTest::newRow("grouping") << "1,250.00"
                                  << "EUR"
                                  << "not an amount";
        QTest::newRow("comma decimal") << "12,50"
                                       << "EUR"
                                       << "not an amount";
        QTest::newRow("exponent") << "1e3"
                                  << "EUR"
                                  << "not an amount";
        QTest::newRow("empty") << ""
                               << "EUR"
                               << "not an amount";
        QTest::newRow("dot only") << "."
                                  << "EUR"
                                  << "not an amount";
        QTest::newRow("too large") << "100000000000000000"
                                   << "EUR"
                                   << "too large";
    }

    void malformedPlainAmountsAreRefused()
    {
        QFETCH(QString, text);
        QFETCH(QString, currency);
        QFETCH(QString, says);
        const auto r = parseAmount(text, currency, "upfront");
        QVERIFY2(!r.ok(), qPrintable(text));
        QVERIFY2(r.error().message.startsWith("upfront: "), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
    }

    void amountsAreReadAsTheLocaleWritesThem_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<qint64>("minor");
        QTest::newRow("de grouped") << "de_DE"
                                    << "50.000,00"
                                    << "EUR" << qint64(5000000);
        QTest::newRow("de plain") << "de_DE"
                                  << "50000,5"
                                  << "EUR" << qint64(5000050);
        QTest::newRow("de thousands") << "de_DE"
                                      << "50.000"
                                      << "EUR" << qint64(5000000);
        QTest::newRow("en grouped") << "en_GB"
                                    << "50,000.00"
                                    << "EUR" << qint64(5000000);
        QTest::newRow("en plain") << "en_US"
                                  << "1250"
                                  << "JPY" << qint64(1250);
        QTest::newRow("en JPY grouped") << "en_US"
                                        << "1,250"
                                        << "JPY" << qint64(1250);
        QTest::newRow("en BHD") << "en_GB"
                                << "12.345"
                                << "BHD" << qint64(12345);
        QTest::newRow("fr typed space") << "fr_FR"
                                        << "1 250,50"
                                        << "EUR" << qint64(125050);
        QTest::newRow("with code") << "en_GB"
                                   << "1,250.00 EUR"
                                   << "EUR" << qint64(125000);
        QTest::newRow("large") << "en_GB"
                               << "21,474,836.48"
                               << "EUR" << qint64(2147483648LL);
    }

    void amountsAreReadAsTheLocaleWritesThem()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(QString, currency);
        QFETCH(qint64, minor);
        const auto r = parseLocaleAmount(text, currency, QLocale(locale), "Upfront fee");
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value(), minor);
        // What the locale writes, it reads back.
        const QString written = localeAmount(minor, currency, QLocale(locale));
        QCOMPARE(parseLocaleAmount(written, currency, QLocale(locale), "f").value(), minor);
    }

    void ambiguousLocaleAmountsAreRefused_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("currency");
        QTest::newRow("German text in English") << "en_GB"
                                                << "50.000,00"
                                                << "EUR";
        QTest::newRow("English text in German") << "de_DE"
                                                << "50,000.00"
                                                << "EUR";
        QTest::newRow("comma decimal in English") << "en_GB"
                                                  << "1,5"
                                                  << "EUR";
        QTest::newRow("bad grouping") << "en_GB"
                                      << "1,25,000"
                                      << "EUR";
        QTest::newRow("three decimals in EUR") << "en_GB"
                                               << "50.000"
                                               << "EUR";
        QTest::newRow("decimals in JPY") << "en_US"
                                         << "1,250.5"
                                         << "JPY";
        QTest::newRow("negative") << "en_GB"
                                  << "-5.00"
                                  << "EUR";
        QTest::newRow("letters") << "en_GB"
                                 << "five"
                                 << "EUR";
        QTest::newRow("empty") << "de_DE"
                               << "  "
                               << "EUR";
    }

    void ambiguousLocaleAmountsAreRefused()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(QString, currency);
        const auto r = parseLocaleAmount(text, currency, QLocale(locale), "Upfront fee");
        QVERIFY2(!r.ok(), qPrintable(text + " read as " + QString::number(r.ok() ? r.value() : 0)));
        QVERIFY2(r.error().message.startsWith("Upfront fee: "), qPrintable(r.error().message));
    }

    void localeAmountsAreWrittenExactly()
    {
        QCOMPARE(localeAmount(5000000, "EUR", QLocale("de_DE")), QStringLiteral("50.000,00"));
        QCOMPARE(localeAmount(5000000, "EUR", QLocale("en_GB")), QStringLiteral("50,000.00"));
        QCOMPARE(localeAmount(1250, "JPY", QLocale("en_US")), QStringLiteral("1,250"));
        QCOMPARE(localeAmount(12345, "BHD", QLocale("de_DE")), QStringLiteral("12,345"));
    }

    void largestRemainderSplitSumsToTheWhole()
    {
        // 100 in three equal shares: 34 + 33 + 33, the extra unit to the first (ties: lower index).
        QCOMPARE(largestRemainderSplit(100, {1, 1, 1}).value(), (QList<qint64>{34, 33, 33}));
        // 60/40 basis points of 0.05: 3 and 2.
        QCOMPARE(largestRemainderSplit(5, {6000, 4000}).value(), (QList<qint64>{3, 2}));
        // The largest remainder wins, not the lowest index: 10 × (1, 2, 4)/7 = 1.43, 2.86, 5.71.
        QCOMPARE(largestRemainderSplit(10, {1, 2, 4}).value(), (QList<qint64>{1, 3, 6}));
        QCOMPARE(largestRemainderSplit(-100, {1, 1, 1}).value(), (QList<qint64>{-34, -33, -33}));
        QCOMPARE(largestRemainderSplit(0, {0, 0}).value(), (QList<qint64>{0, 0}));
        QCOMPARE(largestRemainderSplit(7, {0, 5}).value(), (QList<qint64>{0, 7}));
        // No overflow where total × weight exceeds 64 bits.
        const qint64 big = 900'000'000'000'000'000LL;
        const auto parts = largestRemainderSplit(big, {333333, 333333, 333334}).value();
        QCOMPARE(parts.at(0) + parts.at(1) + parts.at(2), big);

        std::mt19937_64 random(20261202);
        for (int round = 0; round < 2000; ++round) {
            const qint64 total = qint64(random() % 10'000'000'000ULL) - 5'000'000'000LL;
            QList<qint64> weights;
            const int n = 1 + int(random() % 12);
            for (int i = 0; i < n; ++i)
                weights.append(qint64(random() % 1'000'001));
            weights[0] += 1; // a positive sum
            const auto split = largestRemainderSplit(total, weights);
            QVERIFY(split.ok());
            qint64 sum = 0;
            for (qint64 p : split.value())
                sum += p;
            QCOMPARE(sum, total);
        }
    }

    void impossibleSplitsAreRefused()
    {
        QVERIFY(!largestRemainderSplit(100, {0, 0}).ok());
        QVERIFY(!largestRemainderSplit(100, {}).ok());
        QVERIFY(!largestRemainderSplit(100, {5, -1}).ok());
        QVERIFY(largestRemainderSplit(100, {5, -1}).error().message.contains("negative"));
    }
};

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
