// SPDX-License-Identifier: GPL-3.0-or-later
// Field helpers shared by the asset, portfolio, licence and lineage parsers.
#include "model/core/jsonfields.h"

#include <QRegularExpression>

namespace cartulary::model {

Result<QDate> parseDate(const QString &text, const QString &field)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QDate();
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QDate d = QDate::fromString(t, Qt::ISODate);
    if (!shape.match(t).hasMatch() || !d.isValid())
        return Result<QDate>::failure(
            "invalid-field",
            QStringLiteral("%1: '%2' is not a date in the form YYYY-MM-DD").arg(field, t));
    return d;
}

QString isoDate(const QDate &date)
{
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
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

} // namespace cartulary::model
