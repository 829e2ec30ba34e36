// SPDX-License-Identifier: GPL-3.0-or-later
// Money and shares, exactly: ISO 4217 minor digits, decimal amounts read and written without
// floating point, percentages as parts per million, and the largest-remainder split every payout
// uses.
#pragma once

#include "ledger/result.h"

#include <QByteArrayView>
#include <QList>
#include <QLocale>
#include <QString>

#include <functional>

namespace cartulary::model {

/** Minor digits of an ISO 4217 currency as its list gives them (JPY 0, EUR 2, BHD 3, CLF 4); 2 for
 * a code the list does not have. */
int currencyDigits(const QString &currency);
/** True for three upper-case ASCII letters (the shape of an ISO 4217 code). */
bool isCurrencyCode(const QString &currency);
/**
 * True for an active ISO 4217 currency with a minor unit, as the list stands after its 2024 and
 * 2025 amendments (ZWG, XCG added; HRK, SLL, ZWL gone; ANG kept until its withdrawal): "EUR",
 * "JPY", "BHD". False for "EUX", "eur", withdrawn codes (DEM, HRK) and the codes that name no money
 * a licensee pays in (metals XAU/XAG/XPT/XPD, XDR, XSU, XUA, the test code XTS and XXX).
 */
bool isKnownCurrency(const QString &currency);

/** The amount alone, exact: "1250.00" (grouped: "1,250.00", whatever the locale). */
QString decimalAmount(qint64 minor, const QString &currency, bool grouped);
/** "1,250.00 EUR" for 125000 minor units in EUR (two minor digits; JPY and others as ISO 4217). */
QString formatMoney(qint64 minor, const QString &currency);

/**
 * Reads a decimal amount in major units as files and commands write it ("1250", "1250.5",
 * "-0.125"): '.' as the decimal point, no grouping, at most the currency's minor digits. Exact;
 * refuses anything else naming field and the text.
 */
Result<qint64> parseAmount(const QString &text, const QString &currency, const QString &field);
/**
 * parseAmount for readers of millions of lines: the same rules and messages, on UTF-8 text, with
 * the currency's minor digits given (currencyDigits) and the field named only when the text is
 * refused (field() is called then).
 */
Result<qint64> parseAmount(QByteArrayView utf8, const QString &currency, int digits,
                           const std::function<QString()> &field);

/** Millionths of a major unit as "1250.500000" (always six decimals): usage totals, exact. */
QString microAmount(qint64 micro);
/**
 * Millionths of a major unit for people, exact and grouped like formatMoney: "1,250.00 EUR" when
 * the amount has no more decimals than the currency, else every decimal it has ("33.333333 EUR").
 */
QString formatMicro(qint64 micro, const QString &currency);

/**
 * Reads an exact decimal in major units into millionths of the unit (micro-units), as usage
 * reports state amounts with more decimals than the currency has ("0.0123456" is 12,345.6 micro:
 * refused). Accepted: an optional '+' or '-', digits, and at most one '.' followed by digits;
 * zeros past the sixth decimal are accepted (nothing is lost), any other digit there is refused
 * rather than rounded. At most 9,223,372,036,854 in magnitude (the micro-units fit in 64 bits).
 * Refused text names field ("line 12, field AllocatedAmount: ...").
 */
Result<qint64> parseMicro(const QString &text, const QString &field);

/**
 * Reads an amount as a person types it in their locale: "50.000,00" in German and "50,000.00" in
 * English are both fifty thousand. Group separators must sit between groups of three digits; at
 * most the currency's minor digits after the decimal point; a leading '-' only when allowNegative.
 * Text the locale would not write this way ("50.000,00" in English, "1,5" in English) is refused as
 * ambiguous, saying how the locale writes amounts, rather than guessed.
 */
Result<qint64> parseLocaleAmount(const QString &text, const QString &currency,
                                 const QLocale &locale, const QString &field,
                                 bool allowNegative = false);
/** The amount as the locale writes it, exact and grouped: "50.000,00" (de), "50,000.00" (en). */
QString localeAmount(qint64 minor, const QString &currency, const QLocale &locale);

/** "5.25 %" for 52,500 ppm; always two decimals, exact (no floating point). */
QString formatPpm(qint64 ppm);
/** Parses "5.25%", "5.25 %" or "5.25" as percent into ppm exactly; up to four decimals. */
Result<qint64> parsePercent(const QString &text, const QString &field);
/**
 * A percentage as a person types it in their locale ("12,5 %" in German, "12.5%" in English) into
 * ppm exactly; the other decimal mark is refused rather than guessed, naming field.
 */
Result<qint64> parseLocalePercent(const QString &text, const QLocale &locale, const QString &field);

/**
 * Splits total into parts proportional to weights, exactly: each part is floor(total × w / Σw),
 * and the units left over go one each to the parts with the largest remainders, ties to the lower
 * index (largest remainder, Hamilton's method). The parts always sum to total; a negative total
 * is split as its absolute value and negated. Refused: a negative weight, or weights that sum to 0
 * while total is not 0 (there would be nowhere to put the money).
 */
Result<QList<qint64>> largestRemainderSplit(qint64 total, const QList<qint64> &weights);

} // namespace cartulary::model
