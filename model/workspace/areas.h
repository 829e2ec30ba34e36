// SPDX-License-Identifier: GPL-3.0-or-later
// The areas of the domain as the write path sees them: each area's read tables, the entry kinds it
// projects and the commands it compiles, registered in one place (areas.cpp).
#pragma once

#include "model/core/entrykind.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <span>

namespace cartulary::model {

class CommandCompiler;

/** Compiles one command of the apply language (model/COMMANDS.md) into a draft. */
using CommandCompile = Result<ledger::Draft> (*)(CommandCompiler &compiler,
                                                 const QJsonObject &command);

/** One command name an area compiles, and the function that does. */
struct CommandName
{
    const char *name;
    CommandCompile compile;
};

/**
 * An area of the domain (documents, portfolio, lineage…): its read tables, the entry kinds it
 * projects and the command names it compiles. The projection and the command compiler find an
 * entry's applier and a command's compile function through these tables.
 */
struct Area
{
    const char *name;
    Status (*createTables)(sql::Database &db);
    Status (*dropTables)(sql::Database &db);
    std::span<const EntryKind> entryKinds;
    std::span<const CommandName> commands;
    /** Called once after a batch of entries is applied, in its transaction, with the kinds the
     * batch held: for read tables that depend on other areas' (null when there are none). */
    Status (*afterBatch)(sql::Database &db, const QSet<QByteArray> &kinds) = nullptr;
};

/** Every area, in the order their tables are created and their commands are listed. */
std::span<const Area> areas();
/** The applier of an entry kind; null for a kind no area projects (a newer version's). */
EntryApplier entryApplier(const QByteArray &kind);
/** The compile function of a command name; null for a name no area compiles. */
CommandCompile commandCompile(const QString &name);
/** Every command name, in the areas' order. */
QStringList commandNames();

} // namespace cartulary::model
