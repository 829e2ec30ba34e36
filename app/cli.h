// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line interface: `cartulary [--data-dir DIR] COMMAND ...`.
#pragma once

#include <QStringList>

namespace cartulary::app {

/** True when args (without argv[0]) name a command rather than starting the GUI. */
bool isCommandLine(const QStringList &args);

/** True when the command draws (PDF statements): it needs a QGuiApplication, offscreen. */
bool drawsDocuments(const QStringList &args);

/** Runs one command; returns the process exit code (0 ok, 1 failed, 2 usage). */
int runCommandLine(const QStringList &args);

} // namespace cartulary::app
