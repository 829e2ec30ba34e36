// SPDX-License-Identifier: GPL-3.0-or-later
// Exact money: minor digits, decimal text in and out (plain and as a locale writes it), percent as
// ppm, and the largest-remainder split.
#include "model/core/money.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <numeric>

namespace cartulary::model {

namespace {

constexpr qint64 MaxMinor = 999'999'999'999'999'999LL; // 18 digits: room for sums without overflow

qint64 scaleOf(int digits)
{
    qint64 scale = 1;
    for (int i = 0; i < digits; ++i)
        scale *= 10;
    return scale;
}

Result<qint64> amountError(const QString &field, const QString &why)
{
    return Result<qint64>::failure("invalid-amount", QStringLiteral("%1: %2").arg(field, why));
}

/** Whole and fraction digit strings → minor units, checking digits and size. */
Result<qint64> toMinor(const QString &whole, const QString &fraction, bool negative,
                       const QString &currency, const QString &field, const QString &text)
{
    const int digits = currencyDigits(currency);
    if (fraction.size() > digits)
        return amountError(
            field,
            digits == 0
                ? QStringLiteral("%1 has no minor unit: '%2' must be whole").arg(currency, text)
                : QStringLiteral("'%1' has more than %2 decimals (%3)")
                      .arg(text)
                      .arg(digits)
                      .arg(currency));
    const QString all = whole + fraction.leftJustified(digits, u'0');
    QString significant = all;
    while (significant.size() > 1 && significant.front() == u'0')
        significant.remove(0, 1);
    if (significant.size() > 18)
        return amountError(field, QStringLiteral("'%1' is too large").arg(text));
    const qint64 minor = significant.toLongLong();
    if (minor > MaxMinor)
        return amountError(field, QStringLiteral("'%1' is too large").arg(text));
    return negative ? -minor : minor;
}

bool allDigits(QStringView s)
{
    return !s.isEmpty() &&
           std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

/** Space-like group separators (fr, sv, ru use U+202F or U+00A0): a typed space counts too. */
bool isSpaceLike(QChar c)
{
    return c == u' ' || c == QChar(0x00A0) || c == QChar(0x202F) || c == QChar(0x2009);
}

} // namespace

namespace {

/**
 * The active ISO 4217 codes with a minor unit and their minor digits (ISO 4217 list one, as amended
 * to 2025). Codes with no minor unit ("N.A." in the list: metals, XDR, XSU, XUA, XTS, XXX) are left
 * out on purpose: nobody is paid royalties in them.
 */
const QHash<QString, int> &isoCurrencies()
{
    static const QHash<QString, int> table = [] {
        static const char zero[] = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF "
                                   "XOF XPF";
        static const char three[] = "BHD IQD JOD KWD LYD OMR TND";
        static const char four[] = "CLF UYW";
        static const char two[] =
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
            "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN "
            "ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES "
            "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
            "MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR "
            "SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD "
            "TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";
        QHash<QString, int> t;
        const auto add = [&t](const char *codes, int digits) {
            for (const QString &code : QString::fromLatin1(codes).split(u' ', Qt::SkipEmptyParts))
                t.insert(code, digits);
        };
        add(zero, 0);
        add(two, 2);
        add(three, 3);
        add(four, 4);
        return t;
    }();
    return table;
}

} // namespace

int currencyDigits(const QString &currency)
{
    return isoCurrencies().value(currency, 2);
}

bool isKnownCurrency(const QString &currency)
{
    return isoCurrencies().contains(currency);
}

bool isCurrencyCode(const QString &currency)
{
    return currency.size() == 3 && std::all_of(currency.begin(), currency.end(),
                                               [](QChar c) { return c >= u'A' && c <= u'Z'; });
}

QString decimalAmount(qint64 minor, const QString &currency, bool grouped)
{
    const int digits = currencyDigits(currency);
    const qint64 scale = scaleOf(digits);
    const quint64 magnitude = minor < 0 ? quint64(0) - quint64(minor) : quint64(minor);
    const quint64 whole = magnitude / quint64(scale);
    const quint64 part = magnitude % quint64(scale);
    QString text = QString::number(whole);
    // Thousands grouped with ',' whatever the locale: statements must read the same everywhere.
    if (grouped)
        for (qsizetype i = text.size() - 3; i > 0; i -= 3)
            text.insert(i, u',');
    if (digits > 0)
        text += u'.' + QStringLiteral("%1").arg(part, digits, 10, QLatin1Char('0'));
    return minor < 0 ? u'-' + text : text;
}

QString formatMoney(qint64 minor, const QString &currency)
{
    return QStringLiteral("%1 %2").arg(decimalAmount(minor, currency, true), currency);
}

Result<qint64> parseAmount(const QString &text, const QString &currency, const QString &field)
{
    static const QRegularExpression re(QStringLiteral(R"(^(-)?(\d+)(?:\.(\d+))?$)"));
    const QString trimmed = text.trimmed();
    const auto m = re.match(trimmed);
    if (!m.hasMatch())
        return amountError(field, QStringLiteral("'%1' is not an amount like 1250.00 (digits, '.' "
                                                 "before the decimals, no grouping)")
                                      .arg(text));
    return toMinor(m.captured(2), m.captured(3), !m.captured(1).isEmpty(), currency, field,
                   trimmed);
}

Result<qint64> parseAmount(QByteArrayView utf8, const QString &currency, int digits,
                           const std::function<QString()> &field)
{
    // What the regular expression accepts with at most `digits` decimals and 18 digits in all
    // (toMinor's limits) is read here; anything else — spaces to trim, a refusal, leading zeros
    // past 18 digits — goes to the QString version, which decides and names the field.
    qsizetype i = 0;
    const qsizetype n = utf8.size();
    const bool negative = n > 0 && utf8[0] == '-';
    if (negative)
        ++i;
    qint64 value = 0;
    qsizetype whole = 0, fraction = 0;
    for (; i < n && utf8[i] >= '0' && utf8[i] <= '9'; ++i, ++whole)
        value = whole < 18 ? value * 10 + (utf8[i] - '0') : value;
    bool simple = whole > 0 && whole + digits <= 18;
    if (simple && i < n && utf8[i] == '.') {
        for (++i; i < n && utf8[i] >= '0' && utf8[i] <= '9'; ++i, ++fraction)
            value = fraction < digits ? value * 10 + (utf8[i] - '0') : value;
        simple = fraction > 0 && fraction <= digits;
    }
    if (!simple || i != n)
        return parseAmount(QString::fromUtf8(utf8), currency, field());
    for (qsizetype d = fraction; d < digits; ++d)
        value *= 10;
    if (value > MaxMinor)
        return parseAmount(QString::fromUtf8(utf8), currency, field());
    return negative ? -value : value;
}

QString microAmount(qint64 micro)
{
    const quint64 magnitude = micro < 0 ? quint64(-(micro + 1)) + 1 : quint64(micro);
    return QStringLiteral("%1%2.%3")
        .arg(micro < 0 ? QStringLiteral("-") : QString())
        .arg(magnitude / 1000000)
        .arg(magnitude % 1000000, 6, 10, QChar(u'0'));
}

QString formatMicro(qint64 micro, const QString &currency)
{
    const qint64 scale = scaleOf(6 - std::min(currencyDigits(currency), 6));
    if (micro % scale == 0)
        return formatMoney(micro / scale, currency);
    QString text = microAmount(micro);
    while (text.endsWith(u'0'))
        text.chop(1);
    const qsizetype first = text.startsWith(u'-') ? 1 : 0;
    for (qsizetype i = text.indexOf(u'.') - 3; i > first; i -= 3)
        text.insert(i, u',');
    return QStringLiteral("%1 %2").arg(text, currency);
}

Result<qint64> parseMicro(const QString &text, const QString &field)
{
    // Hand-written rather than a regular expression: DSR files hold millions of amounts.
    const QString t = text.trimmed();
    qsizetype i = 0;
    bool negative = false;
    if (i < t.size() && (t[i] == u'+' || t[i] == u'-')) {
        negative = t[i] == u'-';
        ++i;
    }
    quint64 whole = 0;
    qsizetype wholeDigits = 0;
    for (; i < t.size() && t[i] >= u'0' && t[i] <= u'9'; ++i, ++wholeDigits) {
        if (whole > 9'223'372'036'854ULL)
            return amountError(field, QStringLiteral("'%1' is too large").arg(text));
        whole = whole * 10 + quint64(t[i].unicode() - u'0');
    }
    quint64 fraction = 0;
    qsizetype fractionDigits = 0;
    if (i < t.size() && t[i] == u'.') {
        for (++i; i < t.size() && t[i] >= u'0' && t[i] <= u'9'; ++i, ++fractionDigits) {
            if (fractionDigits >= 6) {
                if (t[i] != u'0')
                    return amountError(
                        field, QStringLiteral("'%1' has more than 6 decimals; amounts are kept "
                                              "to the millionth and never rounded")
                                   .arg(text));
                continue;
            }
            fraction = fraction * 10 + quint64(t[i].unicode() - u'0');
        }
        if (fractionDigits == 0)
            wholeDigits = 0; // "12." is not a decimal
    }
    if (i != t.size() || wholeDigits == 0)
        return amountError(field, QStringLiteral("'%1' is not a decimal amount like 1250.50 "
                                                 "(digits, '.' before the decimals)")
                                      .arg(text));
    for (qsizetype d = std::min<qsizetype>(fractionDigits, 6); d < 6; ++d)
        fraction *= 10;
    const quint64 micro = whole * 1'000'000ULL + fraction;
    if (whole > 9'223'372'036'854ULL || micro > quint64(std::numeric_limits<qint64>::max()))
        return amountError(field, QStringLiteral("'%1' is too large").arg(text));
    return negative ? -qint64(micro) : qint64(micro);
}

Result<qint64> parseLocaleAmount(const QString &text, const QString &currency,
                                 const QLocale &locale, const QString &field, bool allowNegative)
{
    QString s = text.trimmed();
    if (s.endsWith(currency))
        s = s.chopped(currency.size()).trimmed();
    else if (s.startsWith(currency))
        s = s.mid(currency.size()).trimmed();
    const QString decimal = locale.decimalPoint();
    const QString group = locale.groupSeparator();
    const QString example = localeAmount(5000000, QStringLiteral("EUR"), locale);
    const auto notAsWritten = [&] {
        return amountError(
            field, QStringLiteral("'%1' is not an amount as %2 writes it (for example "
                                  "%3); type digits, '%4' before the decimals and, if you "
                                  "like, '%5' between thousands")
                       .arg(text, QLocale::languageToString(locale.language()), example, decimal,
                            isSpaceLike(group.front()) ? QStringLiteral(" ") : group));
    };
    if (s.isEmpty())
        return amountError(field,
                           QStringLiteral("is empty: type an amount, for example %1").arg(example));
    bool negative = false;
    if (s.startsWith(u'-') || s.startsWith(locale.negativeSign())) {
        if (!allowNegative)
            return amountError(field, QStringLiteral("'%1' is negative").arg(text));
        negative = true;
        s = s.mid(1).trimmed();
    }
    // Split off the decimals at the locale's decimal point (at most one).
    QString whole = s;
    QString fraction;
    if (const qsizetype at = s.indexOf(decimal); at >= 0) {
        whole = s.left(at);
        fraction = s.mid(at + decimal.size());
        if (!allDigits(fraction) || whole.isEmpty())
            return notAsWritten();
    }
    // The whole part: plain digits, or groups of three after a first group of one to three.
    QStringList groups;
    if (isSpaceLike(group.front())) {
        QString normal = whole;
        for (QChar &c : normal)
            if (isSpaceLike(c))
                c = u' ';
        groups = normal.split(u' ');
    } else {
        groups = whole.split(group);
    }
    if (groups.size() > 1) {
        if (groups.front().size() > 3 || !allDigits(groups.front()))
            return notAsWritten();
        for (qsizetype i = 1; i < groups.size(); ++i)
            if (groups.at(i).size() != 3 || !allDigits(groups.at(i)))
                return notAsWritten();
    } else if (!allDigits(whole)) {
        return notAsWritten();
    }
    return toMinor(groups.join(QString()), fraction, negative, currency, field, text.trimmed());
}

QString localeAmount(qint64 minor, const QString &currency, const QLocale &locale)
{
    const QString plain = decimalAmount(minor, currency, true);
    // decimalAmount writes ',' between thousands and '.' before decimals: map both at once.
    QString out;
    out.reserve(plain.size());
    for (QChar c : plain) {
        if (c == u',')
            out += locale.groupSeparator();
        else if (c == u'.')
            out += locale.decimalPoint();
        else if (c == u'-')
            out += locale.negativeSign();
        else
            out += c;
    }
    return out;
}

QString formatPpm(qint64 ppm)
{
    // 1 % = 10,000 ppm; two decimals are hundredths of a percent = 100 ppm, rounded half up.
    const bool negative = ppm < 0;
    const qint64 hundredths = (std::abs(ppm) + 50) / 100;
    return QStringLiteral("%1%2.%3 %")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(hundredths / 100)
        .arg(hundredths % 100, 2, 10, QLatin1Char('0'));
}

Result<qint64> parsePercent(const QString &text, const QString &field)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d{1,3})(?:\.(\d{1,4}))?\s*%?\s*$)"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return Result<qint64>::failure(
            "invalid-field",
            QStringLiteral("%1: '%2' is not a percentage like 5 or 5.25%").arg(field, text));
    QString decimals = m.captured(2);
    decimals = decimals.leftJustified(4, u'0');
    const qint64 ppm = m.captured(1).toLongLong() * 10000 + decimals.toLongLong();
    if (ppm > 1000000)
        return Result<qint64>::failure(
            "invalid-field",
            QStringLiteral("%1: %2 is more than 100 %").arg(field, text.trimmed()));
    return ppm;
}

Result<qint64> parseLocalePercent(const QString &text, const QLocale &locale, const QString &field)
{
    QString t = text.trimmed();
    if (t.endsWith(u'%'))
        t.chop(1);
    t = t.trimmed();
    const QString decimal = locale.decimalPoint();
    const QString other = decimal == QLatin1String(".") ? QStringLiteral(",") : QStringLiteral(".");
    if (t.contains(other))
        return Result<qint64>::failure(
            "invalid-field",
            QStringLiteral("%1: '%2' is not a percentage as %3 writes it (for example %4)")
                .arg(field, text, QLocale::languageToString(locale.language()),
                     QStringLiteral("5") + decimal + QStringLiteral("25")));
    return parsePercent(t.replace(decimal, QStringLiteral(".")), field);
}

Result<QList<qint64>> largestRemainderSplit(qint64 total, const QList<qint64> &weights)
{
    using Parts = Result<QList<qint64>>;
    __int128 sum = 0;
    for (qint64 w : weights) {
        if (w < 0)
            return Parts::failure("invalid-split",
                                  QStringLiteral("a share is negative (%1)").arg(w));
        sum += w;
    }
    QList<qint64> parts(weights.size(), 0);
    if (total == 0)
        return parts;
    if (sum == 0)
        return Parts::failure(
            "invalid-split",
            QStringLiteral("%1 cannot be split: no share is above zero").arg(total));
    const bool negative = total < 0;
    const __int128 amount = negative ? -__int128(total) : __int128(total);
    QList<std::pair<__int128, qsizetype>> remainders;
    remainders.reserve(weights.size());
    __int128 given = 0;
    for (qsizetype i = 0; i < weights.size(); ++i) {
        const __int128 product = amount * weights.at(i);
        parts[i] = qint64(product / sum);
        given += parts.at(i);
        remainders.append({product % sum, i});
    }
    // Largest remainder first; equal remainders go to the lower index (a stable, documented order).
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (qsizetype k = 0; given < amount; ++k, ++given)
        ++parts[remainders.at(k).second];
    if (negative)
        for (qint64 &p : parts)
            p = -p;
    return parts;
}

} // namespace cartulary::model
