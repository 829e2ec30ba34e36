// SPDX-License-Identifier: GPL-3.0-or-later
// Exact money: minor digits, decimal text in and out (plain and as a locale writes it), percent as
// ppm, and the largest-remainder split.
#include "model/core/money.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
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
                       const QString &currency, const QString &field, const QString &text,
                       int digits)
{
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

int currencyDigits(const QString &currency)
{
    static const QSet<QString> zero{"JPY", "KRW", "ISK", "CLP", "VND", "XOF", "XAF", "UGX", "PYG"};
    static const QSet<QString> three{"BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"};
    if (zero.contains(currency))
        return 0;
    if (three.contains(currency))
        return 3;
    return 2;
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
    return toMinor(m.captured(2), m.captured(3), !m.captured(1).isEmpty(), currency, field, trimmed,
                   currencyDigits(currency));
}

QString microAmount(qint64 micro)
{
    const quint64 magnitude = micro < 0 ? quint64(-(micro + 1)) + 1 : quint64(micro);
    return QStringLiteral("%1%2.%3")
        .arg(micro < 0 ? QStringLiteral("-") : QString())
        .arg(magnitude / 1000000)
        .arg(magnitude % 1000000, 6, 10, QChar(u'0'));
}

Result<qint64> parseMicroAmount(const QString &text, const QString &field)
{
    static const QRegularExpression re(QStringLiteral(R"(^(-)?(\d+)(?:\.(\d+))?$)"));
    const QString trimmed = text.trimmed();
    const auto m = re.match(trimmed);
    if (!m.hasMatch())
        return amountError(field,
                           QStringLiteral("'%1' is not a decimal amount like 12.345678").arg(text));
    return toMinor(m.captured(2), m.captured(3), !m.captured(1).isEmpty(),
                   QStringLiteral("millionths"), field, trimmed, 6);
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
    return toMinor(groups.join(QString()), fraction, negative, currency, field, text.trimmed(),
                   currencyDigits(currency));
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
