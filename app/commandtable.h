// SPDX-License-Identifier: GPL-3.0-or-later
// The command line as a table: each area's file adds its rows (name, usage, help, example, options,
// handler); parsing, dispatch and every --help are read from the rows.
#pragma once

#include "model/workspace/workspace.h"

#include <QList>
#include <QMultiHash>
#include <QSet>
#include <QStringList>

#include <functional>

namespace cartulary::app {

constexpr int ExitOk = 0;
constexpr int ExitFailed = 1;
constexpr int ExitUsage = 2;

/** Parsed arguments: global options, the command words and per-command options. */
struct Args
{
    QString dataDir;
    QString passphraseFile;
    QStringList words;                 ///< command words and positional arguments
    QMultiHash<QString, QString> opts; ///< --name value pairs
    QSet<QString> flags;               ///< --json, --incremental
    QString error;
};

/** An option a command takes. */
struct Option
{
    enum class Kind {
        Flag,  ///< --json
        Value, ///< --asset REF
        Path,  ///< --out FILE: a file the command writes, never one of the data directory's
    };
    QString name;
    Kind kind = Kind::Flag;
};

inline Option flag(const char *name)
{
    return {QLatin1String(name), Option::Kind::Flag};
}
inline Option value(const char *name)
{
    return {QLatin1String(name), Option::Kind::Value};
}
inline Option outputPath(const char *name)
{
    return {QLatin1String(name), Option::Kind::Path};
}

/** Runs a command; returns the exit code (ExitOk, ExitFailed, ExitUsage). */
using Handler = std::function<int(const Args &, model::Workspace &)>;

/** One row of the command table. */
struct Command
{
    QString name;          ///< the command words: "ledger prove"
    QStringList usage;     ///< one line per form, after the name: "--index N [--size M]"
    QString summary;       ///< one line for `cartulary --help`
    QString help;          ///< what it does, what it prints, what it refuses
    QStringList examples;  ///< whole command lines, starting with "cartulary "
    QList<Option> options; ///< every option it takes besides the global ones
    Handler run;
};

/** The commands of the command line, by area, in the order `cartulary --help` lists them. */
class CommandTable
{
public:
    /** Adds an area's rows; a name or an option taken twice with different kinds is a bug. */
    void addArea(const QString &title, QList<Command> commands);

    /** The row whose name is the longest prefix of words, or nullptr. */
    const Command *find(const QStringList &words) const;
    /** The rows whose name starts with "group " (ledger → log, verify, …). */
    QList<const Command *> group(const QString &group) const;
    /** Parses argv (without argv[0]): options known to any row, global options, words. */
    Args parse(const QStringList &args) const;
    /** Every option the command was given that it does not take, as a usage error, or "". */
    QString unexpectedOption(const Command &command, const Args &args) const;
    /** Values of the command's Path options, as given. */
    QStringList outputPaths(const Command &command, const Args &args) const;

    /** `cartulary --help`: every command by area, one line each. */
    QString usageText() const;
    /** `cartulary NAME --help`: usage, help, options and examples. */
    QString helpText(const Command &command) const;
    /** `cartulary ledger --help`: the group's commands. */
    QString groupText(const QString &group) const;

private:
    struct Area
    {
        QString title;
        QList<Command> commands;
    };
    QList<Area> m_areas;
    QSet<QString> m_names;
    QHash<QString, Option::Kind> m_options; ///< every option of every row, with its kind
};

/** The table of every command, built once from the areas' files. */
const CommandTable &commandTable();

// Each area's file adds its rows (app/<area>commands.cpp).
void addWorkspaceCommands(CommandTable &table);
void addLedgerCommands(CommandTable &table);
void addPortfolioCommands(CommandTable &table);
void addLineageCommands(CommandTable &table);
void addRoyaltyCommands(CommandTable &table);
void addSyncCommands(CommandTable &table);

} // namespace cartulary::app
