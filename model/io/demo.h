// SPDX-License-Identifier: GPL-3.0-or-later
// A realistic demo portfolio, as commands: the same path a user's data takes.
#pragma once

#include <QByteArray>
#include <QDate>
#include <QString>

namespace cartulary::model {

/** The demo organisation's name. */
QString demoOrganisation();

/**
 * JSON-lines commands (model/COMMANDS.md) registering a few hundred assets of every type with
 * owners, families, identifiers and value-chain events, dated around today so that deadlines fall
 * due soon and some are overdue. Deterministic for a given today.
 */
QByteArray demoCommands(const QDate &today);

} // namespace cartulary::model
