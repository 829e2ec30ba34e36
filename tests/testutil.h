// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers every test folder shares: files written for a test to read.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

namespace cartulary::testutil {

/** Writes content to name in dir; the path. A file that cannot be written ends the test run. */
inline QString writeFile(const QString &dir, const QString &name, const QByteArray &content)
{
    const QString path = QDir(dir).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

} // namespace cartulary::testutil
