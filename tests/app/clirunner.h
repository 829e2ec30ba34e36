// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real cartulary executable as a script would: its exit code, stdout and stderr.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace cartulary::testutil {

/** What one run of the executable left. */
struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/**
 * Runs CARTULARY_BINARY with --data-dir dataDir and args, no terminal on stdin, the passphrase in
 * CARTULARY_PASSPHRASE (none when null) and XDG_DATA_HOME at xdgHome.
 */
inline Run runCartulary(const QStringList &args, const QByteArray &passphrase,
                        const QString &dataDir, const QString &xdgHome)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("CARTULARY_PASSPHRASE");
    if (!passphrase.isNull())
        env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(passphrase));
    env.insert("XDG_DATA_HOME", xdgHome);
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(CARTULARY_BINARY, QStringList{"--data-dir", dataDir} + args);
    if (!p.waitForFinished(300000))
        qFatal("cartulary did not finish");
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace cartulary::testutil
