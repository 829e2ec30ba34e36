// SPDX-License-Identifier: GPL-3.0-or-later
// The one write path of the views: commands compiled and signed on the session's writer thread.
#pragma once

#include "ledger/logstore.h"
#include "model/workspace/commands.h"

#include <QJsonObject>

#include <functional>

namespace cartulary::model {

class Session;

/** Builds the drafts of one write against the portfolio as the writer thread sees it. */
using CompileCommands = std::function<Result<QList<ledger::Draft>>(CommandCompiler &)>;
/** What a write became: the entries signed and stored, or why nothing was. */
using SignedEntries = Result<QList<ledger::StoredEntry>>;

/**
 * Compiles on the session's writer thread and appends the drafts as one transaction, all or
 * nothing; done then runs on the GUI thread with the outcome. The same compiler and rules as
 * `cartulary apply`.
 */
void signCommands(Session &session, CompileCommands compile,
                  std::function<void(const SignedEntries &)> done);

/** One command of the `apply` language (model/COMMANDS.md). */
CompileCommands oneCommand(const QJsonObject &command);

} // namespace cartulary::model
