// SPDX-License-Identifier: GPL-3.0-or-later
// The portfolio's commands: record, import assets, export assets, deadlines.
#include "app/commandtable.h"
#include "app/outputfile.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "model/io/importer.h"
#include "model/portfolio/portfolio.h"
#include "model/workspace/documentcommands.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace cartulary::app {

using namespace cartulary::ledger;
using model::Workspace;

namespace {

int cmdRecord(const Args &a, Workspace &ws)
{
    const QStringList files = a.words.mid(1);
    if (files.isEmpty())
        return fail(QStringLiteral("record needs at least one FILE"), ExitUsage);
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    auto recorded = model::recordDocuments(ws, files, a.opts.value("--note"), {}, nullptr,
                                           a.opts.value("--asset"));
    if (!recorded)
        return fail(recorded.errorString() + QStringLiteral("; nothing was recorded"));
    for (const auto &r : recorded.value())
        out() << "recorded " << printable(r.digest.name) << " sha256 " << toHex(r.digest.sha256)
              << " as entry " << r.entry.index << " hash " << toHex(r.entry.hash) << '\n';
    return ExitOk;
}

int cmdImport(const Args &a, Workspace &ws)
{
    if (a.words.size() != 3)
        return fail(QStringLiteral("usage: import assets FILE.csv"), ExitUsage);
    const QString path = a.words.value(2);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    model::ImportOptions options;
    const bool tty = isatty(STDERR_FILENO);
    if (tty)
        options.progress = [](qint64 done, qint64 total, const QString &what) {
            std::fprintf(stderr, "\r%s: %lld / %lld\033[K", qPrintable(printable(what)),
                         (long long)done, (long long)total);
        };
    auto report = model::importAssetsCsv(ws, file, options);
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!report)
        return fail(QStringLiteral("%1: %2").arg(path, report.errorString()));
    for (const QString &w : report->warnings)
        std::fprintf(stderr, "cartulary: warning: %s\n",
                     qPrintable(printable(QStringLiteral("%1: %2").arg(path, w))));
    out() << "imported " << report->rows << " rows: " << report->registered << " registered, "
          << report->updated << " updated, " << report->unchanged << " unchanged";
    if (report->firstEntry >= 0)
        out() << " (entries " << report->firstEntry << "-" << report->lastEntry << ")";
    out() << '\n';
    return ExitOk;
}

int cmdExportAssets(const Args &a, Workspace &ws)
{
    if (a.words.size() != 2)
        return fail(QStringLiteral("usage: export assets --format csv|json [--out FILE]"),
                    ExitUsage);
    const QString format = a.opts.value("--format", "csv");
    if (format != "csv" && format != "json")
        return fail(QStringLiteral("--format must be csv or json"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    QBuffer buffer; // the JSON export is built in memory anyway; the CSV is a few MB at 100k
    buffer.open(QIODevice::WriteOnly);
    const Status s = format == "csv" ? model::exportAssetsCsv(ws.store().database(), buffer)
                                     : model::exportAssetsJson(ws.store().database(), buffer);
    if (!s)
        return fail(s.errorString());
    return writeOutput(a.opts.value("--out"), ws.dataDir(),
                       format == "json" ? printableJson(buffer.data()) : buffer.data());
}

int cmdDeadlines(const Args &a, Workspace &ws)
{
    bool ok = true;
    const int within = a.opts.value("--within", "90").toInt(&ok);
    if (!ok || within < 0 || within > 36500)
        return fail(QStringLiteral("--within must be a number of days (0 to 36500)"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    const QDate today = QDate::currentDate();
    // From a year back: fees still payable in grace, and overdue ones, are listed too; a lost right
    // stays listed, however old, until what happened is recorded.
    const auto all = model::Portfolio::deadlines(ws.store().database(), today.addYears(-1),
                                                 today.addDays(within), today);
    QList<model::Deadline> listed;
    for (const auto &d : all) {
        if (d.done)
            continue;
        listed.append(d.deadline);
        out() << d.deadline.due.toString(Qt::ISODate) << '\t' << model::deadlineStateName(d.state)
              << '\t' << printable(d.deadline.reference) << '\t' << printable(d.deadline.label)
              << '\t'
              << (d.deadline.graceEnd != d.deadline.due
                      ? QStringLiteral("grace to ") + d.deadline.graceEnd.toString(Qt::ISODate)
                      : QString());
        if (d.state == model::DeadlineState::Lost && !d.deadline.remedy.isEmpty())
            out() << "\tremedy: " << printable(d.deadline.remedy)
                  << (d.deadline.remedyEnds.isValid()
                          ? QStringLiteral(" by ") + d.deadline.remedyEnds.toString(Qt::ISODate)
                          : QString());
        else if (d.state == model::DeadlineState::Blocked)
            out() << "\twaits on " << printable(d.deadline.blockedByLabel);
        out() << '\n';
    }
    if (a.opts.contains("--ics"))
        return writeOutput(a.opts.value("--ics"), ws.dataDir(),
                           model::toICalendar(listed, QDateTime::currentDateTimeUtc()));
    return ExitOk;
}

} // namespace

void addPortfolioCommands(CommandTable &table)
{
    table.addArea(
        QStringLiteral("the portfolio"),
        {
            {.name = "record",
             .usage = {"FILE... [--note TEXT] [--asset REF]"},
             .summary = "proof of existence: sign the files' SHA-256 (not the files)",
             .help = "Signs one entry per file holding its name, size and SHA-256, so the ledger "
                     "proves the file existed then; the files themselves are not copied. With "
                     "--asset, the files are recorded as documents of that asset. All files are "
                     "read first: one unreadable file and nothing is recorded.",
             .examples = {"cartulary record disclosure.pdf notebook.pdf --note \"lab notebook\"",
                          "cartulary record claims.pdf --asset EP-2026-0042"},
             .options = {value("--note"), value("--asset")},
             .run = cmdRecord},
            {.name = "import assets",
             .usage = {"FILE.csv"},
             .summary = "import a docketing export (CSV), all or nothing",
             .help = "Reads an RFC 4180 CSV export (UTF-8, header-driven; the columns are those of "
                     "'export assets'), registers new assets and updates changed ones by "
                     "reference, in one transaction. A bad row is named by line and column, and "
                     "then nothing is written. Importing the same file again changes nothing.",
             .examples = {"cartulary import assets docket.csv"},
             .options = {},
             .run = cmdImport},
            {.name = "export assets",
             .usage = {"--format csv|json [--out FILE]"},
             .summary = "export the portfolio (CSV in the import format)",
             .help = "Writes every asset by reference: CSV in the format 'import assets' reads "
                     "(export then import changes nothing), or a JSON array of the assets with "
                     "their stable ids. Without --out (or with --out -) to standard output. A file "
                     "appears only complete; a path into the data directory is refused.",
             .examples = {"cartulary export assets --format csv --out portfolio.csv",
                          "cartulary export assets --format json | jq length"},
             .options = {value("--format"), outputPath("--out")},
             .run = cmdExportAssets},
            {.name = "deadlines",
             .usage = {"[--within DAYS] [--ics FILE]"},
             .summary = "rights lost, overdue, and deadlines due within DAYS (default 90)",
             .help = "Lists the open deadlines (renewals, annuities, office actions, oppositions) "
                     "from a year back to DAYS ahead, tab-separated: due date, state (upcoming, "
                     "due, in grace, overdue, rights lost, blocked), asset, what is due, the end "
                     "of the grace period if there is one, and for a lost right its remedy (for a "
                     "blocked one, the lost right it waits on). A lost right stays listed until "
                     "what happened is recorded. --ics also writes them as an iCalendar file, with "
                     "the grace end as an event of its own.",
             .examples = {"cartulary deadlines --within 30",
                          "cartulary deadlines --within 365 --ics deadlines.ics"},
             .options = {value("--within"), outputPath("--ics")},
             .run = cmdDeadlines},
        });
}

} // namespace cartulary::app
