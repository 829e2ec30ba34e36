// SPDX-License-Identifier: GPL-3.0-or-later
// What the command line prints: stdout, one-line failures on stderr, and user and peer text made
// harmless for a terminal.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QTextStream>

namespace cartulary::app {

/** Standard output, UTF-8. */
QTextStream &out();

/** Prints "cartulary: MESSAGE" (made printable, so one line) on stderr; returns code. */
int fail(const QString &message, int code = 1);

/**
 * Text from users and peers (titles, notes, names, references, licence terms, labels) as it may be
 * printed: C0 controls (tab and newline too, so a field stays one field on one line), DEL and C1
 * controls become \xHH, and the bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) become \uHHHH, so a title can neither drive the terminal nor reorder what is
 * shown. Backslashes are left alone: the text is for reading; the JSON outputs are the exact form.
 */
QString printable(const QString &text);

/** Every string in a JSON object (keys and values, nested) made printable(), for text reports. */
QJsonObject printableStrings(const QJsonObject &object);

/**
 * JSON text as it may be printed: Qt's writer escapes C0 controls but writes DEL, C1 controls and
 * the bidirectional controls raw; this escapes them as \uHHHH, which JSON reads back as the same
 * string.
 */
QByteArray printableJson(const QByteArray &json);

} // namespace cartulary::app
