// SPDX-License-Identifier: GPL-3.0-or-later
// The command table: parsing against the rows' options, lookup by command words, and help text.
#include "app/commandtable.h"

#include <algorithm>
#include <optional>

namespace cartulary::app {

namespace {

/** Options every command takes, read before the command runs. */
const QHash<QString, Option::Kind> &globalOptions()
{
    static const QHash<QString, Option::Kind> global{{"--data-dir", Option::Kind::Value},
                                                     {"--passphrase-file", Option::Kind::Value},
                                                     {"--help", Option::Kind::Flag},
                                                     {"-h", Option::Kind::Flag},
                                                     {"--version", Option::Kind::Flag}};
    return global;
}

constexpr qsizetype HelpWidth = 100;
constexpr qsizetype UsageColumn = 33; ///< summaries start 2 + 33 columns in, in `--help`

/** Text wrapped at HelpWidth on spaces; its own line breaks are kept. */
QString wrapped(const QString &text)
{
    QStringList lines;
    for (const QString &paragraph : text.split(u'\n')) {
        QString line;
        for (const QString &word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > HelpWidth) {
                lines.append(line);
                line.clear();
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        }
        lines.append(line);
    }
    return lines.join(u'\n');
}

} // namespace

void CommandTable::addArea(const QString &title, QList<Command> commands)
{
    for (const Command &c : commands) {
        Q_ASSERT_X(!m_names.contains(c.name), "CommandTable", "a command is added twice");
        m_names.insert(c.name);
        for (const Option &o : c.options) {
            Q_ASSERT_X(!globalOptions().contains(o.name), "CommandTable", "a global option");
            Q_ASSERT_X(!m_options.contains(o.name) || m_options.value(o.name) == o.kind,
                       "CommandTable", "an option with two kinds");
            m_options.insert(o.name, o.kind);
        }
    }
    m_areas.append({title, std::move(commands)});
}

const Command *CommandTable::find(const QStringList &words) const
{
    const Command *best = nullptr;
    qsizetype bestLength = 0;
    for (const Area &area : m_areas)
        for (const Command &c : area.commands) {
            const QStringList name = c.name.split(u' ');
            if (name.size() > bestLength && words.mid(0, name.size()) == name) {
                best = &c;
                bestLength = name.size();
            }
        }
    return best;
}

QList<const Command *> CommandTable::group(const QString &group) const
{
    QList<const Command *> out;
    for (const Area &area : m_areas)
        for (const Command &c : area.commands)
            if (c.name.startsWith(group + u' '))
                out.append(&c);
    return out;
}

Args CommandTable::parse(const QStringList &args) const
{
    Args a;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString arg = args[i];
        QString value;
        bool hasInline = false;
        if (arg.startsWith("--") && arg.contains('=')) {
            value = arg.section('=', 1);
            arg = arg.section('=', 0, 0);
            hasInline = true;
        }
        const auto kind = globalOptions().contains(arg) ? std::optional(globalOptions().value(arg))
                          : m_options.contains(arg)     ? std::optional(m_options.value(arg))
                                                        : std::nullopt;
        if (kind && *kind != Option::Kind::Flag) {
            if (!hasInline) {
                if (i + 1 >= args.size()) {
                    a.error = QStringLiteral("%1 needs a value").arg(arg);
                    return a;
                }
                value = args[++i];
            }
            if (arg == "--data-dir")
                a.dataDir = value;
            else if (arg == "--passphrase-file")
                a.passphraseFile = value;
            else
                a.opts.insert(arg, value);
        } else if (kind) {
            a.flags.insert(arg);
        } else if (arg.startsWith("--") && arg != "--") {
            a.error = QStringLiteral("unknown option %1").arg(arg);
            return a;
        } else {
            a.words.append(arg);
        }
    }
    return a;
}

QString CommandTable::unexpectedOption(const Command &command, const Args &args) const
{
    QStringList given = args.opts.uniqueKeys();
    given += QStringList(args.flags.cbegin(), args.flags.cend());
    given.sort();
    for (const QString &name : given) {
        if (globalOptions().contains(name))
            continue;
        const bool taken = std::any_of(command.options.cbegin(), command.options.cend(),
                                       [&name](const Option &o) { return o.name == name; });
        if (!taken)
            return QStringLiteral("'%1' does not take %2 (see 'cartulary %1 --help')")
                .arg(command.name, name);
    }
    return {};
}

QStringList CommandTable::outputPaths(const Command &command, const Args &args) const
{
    QStringList out;
    for (const Option &o : command.options)
        if (o.kind == Option::Kind::Path)
            out += args.opts.values(o.name);
    return out;
}

QString CommandTable::usageText() const
{
    QString text = QStringLiteral(
        "usage: cartulary [--data-dir DIR] [--passphrase-file FILE] COMMAND [ARGS]\n"
        "       cartulary COMMAND --help         a command's options, what it does, an example\n"
        "       cartulary --version\n\n"
        "Without a command, starts the desktop application.\n");
    for (const Area &area : m_areas) {
        text += QStringLiteral("\n%1:\n").arg(area.title);
        for (const Command &c : area.commands) {
            // The summary follows the first form when it fits there, else comes after the forms.
            const QStringList forms = c.usage.isEmpty() ? QStringList{QString()} : c.usage;
            bool pending = true;
            for (qsizetype i = 0; i < forms.size(); ++i) {
                const QString left = QStringLiteral("%1 %2").arg(c.name, forms[i]).trimmed();
                text += QStringLiteral("  ") + left;
                if (i == 0 && left.size() < UsageColumn) {
                    text += QString(UsageColumn - left.size(), u' ') + c.summary;
                    pending = false;
                }
                text += u'\n';
            }
            if (pending)
                text += QString(UsageColumn + 2, u' ') + c.summary + u'\n';
        }
    }
    text += QStringLiteral(
        "\nThe passphrase is read from CARTULARY_PASSPHRASE, from --passphrase-file, or from the "
        "terminal.\nExit status: 0 done, 1 failed, 2 usage error; a failure is one line on "
        "stderr.\n");
    return text;
}

QString CommandTable::helpText(const Command &command) const
{
    QString text;
    const QStringList forms = command.usage.isEmpty() ? QStringList{QString()} : command.usage;
    for (qsizetype i = 0; i < forms.size(); ++i)
        text += (i == 0 ? QStringLiteral("usage: ") : QStringLiteral("       ")) +
                QStringLiteral("cartulary %1 %2").arg(command.name, forms[i]).trimmed() + u'\n';
    text += u'\n' + command.summary + u'\n';
    if (!command.help.isEmpty())
        text += u'\n' + wrapped(command.help.trimmed()) + u'\n';
    text += command.examples.size() > 1 ? QStringLiteral("\nexamples:\n")
                                        : QStringLiteral("\nexample:\n");
    for (const QString &e : command.examples)
        text += QStringLiteral("  ") + e + u'\n';
    text += QStringLiteral(
        "\nGlobal options: --data-dir DIR (default: $XDG_DATA_HOME/cartulary), --passphrase-file "
        "FILE.\n");
    return text;
}

QString CommandTable::groupText(const QString &group) const
{
    QString text = QStringLiteral("usage: cartulary %1 COMMAND [ARGS]\n\ncommands:\n").arg(group);
    for (const Command *c : this->group(group)) {
        const QString sub = c->name.mid(group.size() + 1);
        text += QStringLiteral("  %1%2%3\n")
                    .arg(sub, QString(std::max<qsizetype>(1, 14 - sub.size()), u' '), c->summary);
    }
    text += QStringLiteral("\nRun 'cartulary %1 COMMAND --help' for one of them.\n").arg(group);
    return text;
}

const CommandTable &commandTable()
{
    static const CommandTable table = [] {
        CommandTable t;
        addWorkspaceCommands(t);
        addLedgerCommands(t);
        addPortfolioCommands(t);
        addLineageCommands(t);
        addRoyaltyCommands(t);
        addSyncCommands(t);
        return t;
    }();
    return table;
}

} // namespace cartulary::app
