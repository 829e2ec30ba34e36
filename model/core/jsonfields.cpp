// SPDX-License-Identifier: GPL-3.0-or-later
// Field helpers shared by the asset, portfolio, licence and lineage parsers.
#include "model/core/jsonfields.h"

namespace cartulary::model {

Result<QDate> parseDate(const QString &text, const QString &field)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QDate();
    // YYYY-MM-DD in ASCII digits, read by hand: this runs for every date of every imported row.
    const auto digits = [&t](qsizetype from, qsizetype count) {
        int n = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t c = t.at(i).unicode();
            if (c < u'0' || c > u'9')
                return -1;
            n = n * 10 + (c - u'0');
        }
        return n;
    };
    const bool shaped = t.size() == 10 && t.at(4) == u'-' && t.at(7) == u'-';
    const int year = shaped ? digits(0, 4) : -1, month = shaped ? digits(5, 2) : -1,
              day = shaped ? digits(8, 2) : -1;
    const QDate d = year < 0 || month < 0 || day < 0 ? QDate() : QDate(year, month, day);
    if (!d.isValid())
        return Result<QDate>::failure(
            "invalid-field",
            QStringLiteral("%1: '%2' is not a date in the form YYYY-MM-DD").arg(field, t));
    return d;
}

QString isoDate(const QDate &date)
{
    if (!date.isValid())
        return QString();
    int year = 0, month = 0, day = 0;
    date.getDate(&year, &month, &day);
    if (year < 1 || year > 9999)
        return date.toString(Qt::ISODate);
    // By hand, as Qt::ISODate writes it: every asset row writes five of these.
    const char16_t text[10] = {char16_t(u'0' + year / 1000),
                               char16_t(u'0' + year / 100 % 10),
                               char16_t(u'0' + year / 10 % 10),
                               char16_t(u'0' + year % 10),
                               u'-',
                               char16_t(u'0' + month / 10),
                               char16_t(u'0' + month % 10),
                               u'-',
                               char16_t(u'0' + day / 10),
                               char16_t(u'0' + day % 10)};
    return QString(reinterpret_cast<const QChar *>(text), 10);
}

Status checkKeys(const QJsonObject &object, const QStringList &known)
{
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            return Status::failure("invalid-field",
                                   QStringLiteral("%1: unknown field").arg(it.key()));
    return {};
}

Result<QString> requiredText(const QJsonObject &object, const char *key, bool trimmed)
{
    const QJsonValue v = object.value(QLatin1String(key));
    const QString text = trimmed ? v.toString().trimmed() : v.toString();
    if (!v.isString() || text.isEmpty())
        return Result<QString>::failure("invalid-field",
                                        QStringLiteral("%1: is required").arg(QLatin1String(key)));
    return text;
}

Result<QDate> requiredDate(const QJsonObject &object, const char *key)
{
    auto d = parseDate(object.value(QLatin1String(key)).toString(), QLatin1String(key));
    if (!d)
        return d.error();
    if (!d->isValid())
        return Result<QDate>::failure(
            "invalid-field",
            QStringLiteral("%1: is required (YYYY-MM-DD)").arg(QLatin1String(key)));
    return d.value();
}

void appendJsonString(QByteArray &out, const QString &s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const char16_t *p = reinterpret_cast<const char16_t *>(s.constData());
    const char16_t *const end = p + s.size();
    while (p != end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            if (u >= 0x20 && u != u'"' && u != u'\\') {
                out += char(u);
                continue;
            }
            out += '\\';
            switch (u) {
            case u'"':
                out += '"';
                break;
            case u'\\':
                out += '\\';
                break;
            case 0x08:
                out += 'b';
                break;
            case 0x0c:
                out += 'f';
                break;
            case 0x0a:
                out += 'n';
                break;
            case 0x0d:
                out += 'r';
                break;
            case 0x09:
                out += 't';
                break;
            default:
                out += "u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            }
        } else if (u < 0x800) {
            out += char(0xc0 | (u >> 6));
            out += char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
            const char32_t c = QChar::surrogateToUcs4(u, *p++);
            out += char(0xf0 | (c >> 18));
            out += char(0x80 | ((c >> 12) & 0x3f));
            out += char(0x80 | ((c >> 6) & 0x3f));
            out += char(0x80 | (c & 0x3f));
        } else if (QChar::isSurrogate(u)) {
            out += "\\u";
            out += hex[(u >> 12) & 0xf];
            out += hex[(u >> 8) & 0xf];
            out += hex[(u >> 4) & 0xf];
            out += hex[u & 0xf];
        } else {
            out += char(0xe0 | (u >> 12));
            out += char(0x80 | ((u >> 6) & 0x3f));
            out += char(0x80 | (u & 0x3f));
        }
    }
    out += '"';
}

void appendJsonStrings(QByteArray &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        appendJsonString(out, list[i]);
    }
    out += ']';
}

} // namespace cartulary::model
