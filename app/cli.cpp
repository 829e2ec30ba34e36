// SPDX-License-Identifier: GPL-3.0-or-later
// The command line's entry: parses against the command table, answers --help and --version, checks
// options and output paths, then runs the command's row. Output goes to stdout; every failure is
// one line on stderr and a non-zero exit.
#include "app/cli.h"

#include "app/commandtable.h"
#include "app/outputfile.h"
#include "app/terminal.h"

#include <QCoreApplication>

namespace cartulary::app {

using model::Workspace;

namespace {

bool wantsHelp(const Args &a)
{
    return a.flags.contains("--help") || a.flags.contains("-h");
}

/** A group's word without a known command after it: its commands, or a usage error. */
int groupWithoutCommand(const CommandTable &table, const QStringList &words, bool help)
{
    const QString group = words.first();
    if (help && words.size() == 1) {
        out() << table.groupText(group);
        return ExitOk;
    }
    QStringList names;
    for (const Command *c : table.group(group))
        names.append(c->name.mid(group.size() + 1));
    if (words.size() == 1)
        return fail(QStringLiteral("'%1' needs a command: %2 (see 'cartulary %1 --help')")
                        .arg(group, names.join(QStringLiteral(", "))),
                    ExitUsage);
    return fail(QStringLiteral("unknown %1 command '%2' (%3)")
                    .arg(group, words.value(1), names.join(QStringLiteral(", "))),
                ExitUsage);
}

} // namespace

bool isCommandLine(const QStringList &args)
{
    const Args a = commandTable().parse(args);
    return !a.error.isEmpty() || !a.words.isEmpty() || wantsHelp(a) ||
           a.flags.contains("--version");
}

bool drawsDocuments(const QStringList &args)
{
    const QStringList words = commandTable().parse(args).words;
    return words.size() >= 2 && words.at(0) == QLatin1String("royalty") &&
           words.at(1) == QLatin1String("statements");
}

int runCommandLine(const QStringList &args)
{
    const CommandTable &table = commandTable();
    const Args a = table.parse(args);
    if (!a.error.isEmpty())
        return fail(a.error + QStringLiteral(" (see 'cartulary --help')"), ExitUsage);
    // `cartulary help COMMAND` is `cartulary COMMAND --help`.
    const bool helpWord = a.words.value(0) == "help";
    const bool help = wantsHelp(a) || helpWord;
    const QStringList words = helpWord ? a.words.mid(1) : a.words;
    if (a.flags.contains("--version") && !help) {
        out() << "cartulary " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    if (words.isEmpty()) {
        out() << table.usageText();
        return ExitOk;
    }
    const Command *command = table.find(words);
    if (!command && !table.group(words.first()).isEmpty())
        return groupWithoutCommand(table, words, help);
    if (!command)
        return fail(QStringLiteral("unknown command '%1' (see 'cartulary --help')").arg(words[0]),
                    ExitUsage);
    if (help) {
        out() << table.helpText(*command);
        return ExitOk;
    }
    if (const QString unexpected = table.unexpectedOption(*command, a); !unexpected.isEmpty())
        return fail(unexpected, ExitUsage);
    const QString dataDir = a.dataDir.isEmpty() ? Workspace::defaultDataDir() : a.dataDir;
    // Before the command opens anything: an output path into the data directory is refused.
    for (const QString &path : table.outputPaths(*command, a))
        if (Status s = OutputFile::check(path, dataDir); !s)
            return fail(s.errorString(), ExitUsage);
    Workspace ws(dataDir);
    return command->run(a, ws);
}

} // namespace cartulary::app
