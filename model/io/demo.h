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
 * due soon and some are overdue, with licences and derivations. The organisation's own assets
 * belong to organisation (the name of the identity that loads them: its CommandCompiler's or
 * Workspace's organisation); third parties keep their names. Deterministic for a given today and
 * organisation.
 */
QByteArray demoCommands(const QDate &today, const QString &organisation = demoOrganisation());

} // namespace cartulary::model
