// SPDX-License-Identifier: GPL-3.0-or-later
// Output helpers of the command line: stdout, failures, and escaping of untrusted text.
#include "app/terminal.h"

#include <QJsonArray>

#include <algorithm>
#include <cstdio>

namespace cartulary::app {

namespace {

/** A character that moves the cursor, changes the terminal's state or reorders shown text. */
bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

QJsonValue printableValue(const QJsonValue &v)
{
    if (v.isString())
        return printable(v.toString());
    if (v.isObject())
        return printableStrings(v.toObject());
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(printableValue(item));
        return out;
    }
    return v;
}

} // namespace

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

int fail(const QString &message, int code)
{
    out().flush();
    std::fprintf(stderr, "cartulary: %s\n", printable(message).toUtf8().constData());
    return code;
}

QString printable(const QString &text)
{
    if (std::none_of(text.cbegin(), text.cend(), [](QChar c) { return isControl(c.unicode()); }))
        return text;
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!isControl(u))
            out += c;
        else if (u <= 0xff)
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
    }
    return out;
}

QJsonObject printableStrings(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(printable(it.key()), printableValue(it.value()));
    return out;
}

QByteArray printableJson(const QByteArray &json)
{
    // Only bytes >= 0x7f can start what the writer left raw; C0 in JSON text is escaped or layout.
    if (std::none_of(json.cbegin(), json.cend(), [](char b) { return uchar(b) >= 0x7f; }))
        return json;
    const QString text = QString::fromUtf8(json);
    QString out;
    out.reserve(text.size() + 16);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x7f && isControl(u))
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out.toUtf8();
}

} // namespace cartulary::app
