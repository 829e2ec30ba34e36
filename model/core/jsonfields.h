// SPDX-License-Identifier: GPL-3.0-or-later
// The fields of entry bodies and commands: dates as text, required and unknown fields, with one
// wording for every error ("date: is required (YYYY-MM-DD)").
#pragma once

#include "ledger/result.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>

namespace cartulary::model {

/** Parses YYYY-MM-DD strictly; empty gives a null date. Errors name field. */
Result<QDate> parseDate(const QString &text, const QString &field);
/** YYYY-MM-DD, or empty for a null date. */
QString isoDate(const QDate &date);
/** Refuses the first key that is not in known ("colour: unknown field"). */
Status checkKeys(const QJsonObject &object, const QStringList &known);
/** A non-empty string field; trimmed: surrounding blanks are dropped and blanks alone refused. */
Result<QString> requiredText(const QJsonObject &object, const char *key, bool trimmed = false);
/** A required YYYY-MM-DD field. */
Result<QDate> requiredDate(const QJsonObject &object, const char *key);
/** Appends s as a JSON string as QJsonDocument writes it (qjsonwriter.cpp): '"' and '\\' escaped,
 * control characters as \b \f \n \r \t or \u00xx, everything else as UTF-8, a lone surrogate as
 * \uxxxx. */
void appendJsonString(QByteArray &out, const QString &s);
/** Appends the list as a JSON array of strings, written as appendJsonString does. */
void appendJsonStrings(QByteArray &out, const QStringList &list);

} // namespace cartulary::model
