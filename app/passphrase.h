// SPDX-License-Identifier: GPL-3.0-or-later
// The passphrase: from the environment, a file, or a prompt that hides what is typed.
#pragma once

#include "app/commandtable.h"
#include "ledger/result.h"

#include <optional>

namespace cartulary::app {

/**
 * Reads a line from the terminal with echo off. The terminal's settings come back however the
 * prompt ends: a line, end of input, or a signal that ends the process (Ctrl+C, Ctrl+\, SIGTERM,
 * SIGHUP), which is then re-raised so the caller sees how the process died.
 */
QByteArray promptHidden(const char *prompt);

/** The passphrase from the environment, a file, or the terminal; nullopt with error set otherwise.
 */
std::optional<QByteArray> passphrase(const Args &a, bool confirm, QString &error);

/** Unlocks the workspace's identity with the passphrase (see passphrase()). */
Status unlockWorkspace(const Args &a, model::Workspace &ws);

} // namespace cartulary::app
