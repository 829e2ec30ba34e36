// SPDX-License-Identifier: GPL-3.0-or-later
// The royalties' commands: import usage and works; run, explain, unmatched, match, disputes,
// approve and statements.
#include "app/commandtable.h"
#include "app/outputfile.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "model/core/money.h"
#include "model/core/period.h"
#include "model/io/statements.h"
#include "model/io/usageimport.h"
#include "model/io/worksimport.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/runs.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace cartulary::app {

using model::Workspace;

namespace {

int printJson(const QJsonObject &o)
{
    out() << printableJson(QJsonDocument(o).toJson(QJsonDocument::Indented));
    return ExitOk;
}

std::function<void(qint64, qint64, const QString &)> terminalProgress()
{
    if (!isatty(STDERR_FILENO))
        return {};
    return [](qint64 done, qint64 total, const QString &what) {
        if (total > 0)
            std::fprintf(stderr, "\r%s: %lld%%\033[K", qPrintable(printable(what)),
                         (long long)(done * 100 / total));
        else
            std::fprintf(stderr, "\r%s…\033[K", qPrintable(printable(what)));
    };
}

void clearProgress()
{
    if (isatty(STDERR_FILENO))
        std::fputs("\r\033[K", stderr);
}

QJsonObject microTotals(const QMap<QString, qint64> &totals)
{
    QJsonObject o;
    for (auto it = totals.cbegin(); it != totals.cend(); ++it)
        o.insert(it.key(), model::microAmount(it.value()));
    return o;
}

QString totalsText(const QMap<QString, qint64> &totals)
{
    QStringList parts;
    for (auto it = totals.cbegin(); it != totals.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(model::microAmount(it.value()), it.key());
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QStringLiteral(", "));
}

/** The right option: performing unless given; a usage error otherwise. */
std::optional<QString> rightOf(const Args &a)
{
    const QString right = a.opts.value("--right", QString::fromLatin1(model::rights::Performing));
    if (!model::rights::isRight(right))
        return std::nullopt;
    return right;
}

int cmdImportUsage(const Args &a, Workspace &ws)
{
    if (a.words.size() != 3)
        return fail(QStringLiteral("usage: import usage FILE [--period P] [--right R] "
                                   "[--rights-controller NAME]... [--json]"),
                    ExitUsage);
    model::usage::Options options;
    options.period = a.opts.value("--period");
    if (!options.period.isEmpty())
        if (const auto range = model::periodRange(options.period, "--period"); !range)
            return fail(range.errorString(), ExitUsage);
    options.right = a.opts.value("--right");
    if (!options.right.isEmpty() && !model::rights::isRight(options.right))
        return fail(QStringLiteral("--right must be performing, mechanical or sync"), ExitUsage);
    options.rightsControllers = a.opts.values("--rights-controller");
    std::reverse(options.rightsControllers.begin(), options.rightsControllers.end());
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    const QString path = a.words.value(2);
    auto report = model::importUsage(ws, path, options, terminalProgress());
    clearProgress();
    if (!report)
        return fail(QStringLiteral("%1; nothing was imported").arg(report.errorString()));
    for (const QString &w : report->warnings)
        std::fprintf(stderr, "cartulary: warning: %s\n",
                     qPrintable(printable(QStringLiteral("%1: %2").arg(path, w))));
    const model::UsageImport &u = report->import;
    if (a.flags.contains("--json"))
        return printJson(
            {{"import", u.toJson()},
             {"entry", qint64(u.entryIndex)},
             {"reloaded", report->reloaded},
             {"keys", report->keys},
             {"matched", QJsonObject{{"groups", report->matchedKeys},
                                     {"lines", report->matchedLines},
                                     {"totals", microTotals(report->matchedMicro)}}},
             {"unmatched", QJsonObject{{"groups", report->unmatchedKeys},
                                       {"lines", report->unmatchedLines},
                                       {"totals", microTotals(report->unmatchedMicro)}}},
             {"warnings", QJsonArray::fromStringList(report->warnings)}});
    out() << (report->reloaded ? "reloaded " : "imported ") << printable(u.fileName) << " ("
          << u.format << ", " << u.period << ", " << u.records << " usage lines, "
          << totalsText(u.totalsMicro) << ") as entry " << u.entryIndex << '\n'
          << "  matched:   " << report->matchedLines << " lines, "
          << totalsText(report->matchedMicro) << '\n'
          << "  unmatched: " << report->unmatchedLines << " lines, "
          << totalsText(report->unmatchedMicro) << " (see: cartulary royalty unmatched --period "
          << u.period << ")\n";
    if (u.unallocated)
        out() << "  " << u.unallocated
              << " usage lines had no allocation to a represented rights controller\n";
    return ExitOk;
}

int cmdImportWorks(const Args &a, Workspace &ws)
{
    if (a.words.size() != 3)
        return fail(QStringLiteral("usage: import works FILE [--json]"), ExitUsage);
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    const QString path = a.words.value(2);
    auto report = model::importWorks(ws, path, terminalProgress());
    clearProgress();
    if (!report)
        return fail(QStringLiteral("%1; nothing was imported").arg(report.errorString()));
    for (const QString &w : report->warnings)
        std::fprintf(stderr, "cartulary: warning: %s\n",
                     qPrintable(printable(QStringLiteral("%1: %2").arg(path, w))));
    if (a.flags.contains("--json"))
        return printJson({{"version", report->header.version},
                          {"sender", report->header.senderName},
                          {"works", report->header.works},
                          {"registered", report->registered},
                          {"updated", report->updated},
                          {"disputed", report->disputed},
                          {"disputes", QJsonArray::fromStringList(report->disputes)},
                          {"warnings", QJsonArray::fromStringList(report->warnings)}});
    out() << "imported " << report->header.works << " works from "
          << printable(report->header.senderName) << " (CWR " << report->header.version
          << "): " << report->registered << " registered, " << report->updated << " updated, "
          << report->disputed << " disputed\n";
    for (const QString &d : report->disputes)
        out() << "  dispute: " << printable(d) << '\n';
    return ExitOk;
}

/** The period's usage loaded (after a rebuild) before anything reads it. */
Status openForRoyalties(Workspace &ws, bool unlock, const Args &a)
{
    if (Status s = unlock ? unlockWorkspace(a, ws) : ws.open(); !s)
        return s;
    auto missing = model::loadUsageStore(ws);
    if (!missing)
        return missing.error();
    for (const QString &m : missing.value())
        std::fprintf(stderr, "cartulary: warning: %s\n", qPrintable(printable(m)));
    return {};
}

int cmdRun(const Args &a, Workspace &ws)
{
    const QString period = a.opts.value("--period");
    const auto right = rightOf(a);
    if (!right)
        return fail(QStringLiteral("--right must be performing, mechanical or sync"), ExitUsage);
    if (const auto range = model::periodRange(period, "--period"); !range)
        return fail(range.errorString(), ExitUsage);
    qint64 feePpm = 0;
    if (a.opts.contains("--fee-percent")) {
        auto fee = model::parsePercent(a.opts.value("--fee-percent"), "--fee-percent");
        if (!fee || fee.value() < 0 || fee.value() > 1000000)
            return fail(fee ? QStringLiteral("--fee-percent must be between 0 and 100")
                            : fee.errorString(),
                        ExitUsage);
        feePpm = fee.value();
    }
    if (Status s = openForRoyalties(ws, false, a); !s)
        return fail(s.errorString());
    auto run =
        model::runDistribution(ws.store().database(), period, *right, feePpm, ws.store().size());
    if (!run)
        return fail(run.errorString());
    if (a.flags.contains("--json")) {
        QJsonObject o = run->result;
        o.insert("run", run->id);
        if (run->correctsApproval) {
            o.insert("corrects", qint64(run->correctsApproval));
            QJsonArray differences;
            for (const model::HolderChange &c :
                 model::compareWithApproval(ws.store().database(), run.value()))
                differences.append(
                    QJsonObject{{"holder", c.holder},
                                {"currency", c.currency},
                                {"approved", model::decimalAmount(c.before, c.currency, false)},
                                {"now", model::decimalAmount(c.after, c.currency, false)}});
            o.insert("differences", differences);
        }
        return printJson(o);
    }
    out() << "run " << run->id << ": " << *right << " royalties of " << period << " (fee "
          << model::formatPpm(feePpm) << ")\n";
    for (auto it = run->currencies.cbegin(); it != run->currencies.cend(); ++it) {
        const auto &t = it.value();
        const auto money = [&](qint64 m) { return model::formatMoney(m, it.key()); };
        out() << "  " << it.key() << ": collected " << money(t.collected) << " = distributed "
              << money(t.distributed) << " + held " << money(t.held) << " + unmatched "
              << money(t.unmatched) << " + fees " << money(t.fees) << '\n';
    }
    for (const model::HolderTotal &h : run->holders)
        out() << "  " << model::formatMoney(h.minor, h.currency).rightJustified(20) << "  "
              << printable(h.holder) << '\n';
    for (const QJsonValue &v : run->result.value("held").toArray())
        out() << "  held " << v["exact"].toString() << ' ' << v["currency"].toString() << ": "
              << printable(v["why"].toString()) << '\n';
    for (const QJsonValue &v : run->result.value("metered").toArray())
        out() << "  metered " << printable(v["licence"].toString()) << " on "
              << printable(v["asset"].toString()) << ": " << v["units"].toInteger() << " uses × "
              << v["perUse"].toString() << " = " << v["expected"].toString() << ' '
              << v["currency"].toString() << " expected (ceiling " << v["ceiling"].toString()
              << "), " << v["reported"].toString() << " reported\n";
    for (const model::HolderChange &c :
         model::compareWithPrevious(ws.store().database(), run.value(), 200000))
        if (c.flagged)
            out() << "  change since " << model::previousPeriod(period) << ": "
                  << printable(c.holder) << ' ' << model::formatMoney(c.before, c.currency) << " → "
                  << model::formatMoney(c.after, c.currency) << '\n';
    if (run->correctsApproval) {
        const auto differences = model::compareWithApproval(ws.store().database(), run.value());
        out() << "  this run would correct the approval at entry " << run->correctsApproval
              << (differences.isEmpty() ? QStringLiteral(", with no difference")
                                        : QStringLiteral(":"))
              << '\n';
        for (const model::HolderChange &c : differences)
            out() << "    " << printable(c.holder) << ' '
                  << model::formatMoney(c.before, c.currency) << " approved → "
                  << model::formatMoney(c.after, c.currency) << '\n';
    }
    return ExitOk;
}

/** The latest run of the period and right, or a failure saying to run one. */
std::optional<model::StoredRun> latest(const Args &a, Workspace &ws, int &code)
{
    const QString period = a.opts.value("--period");
    const auto right = rightOf(a);
    if (!right || !model::periodRange(period, "--period")) {
        code = fail(QStringLiteral("--period P (2026-Q3 or 2026-09) and --right "
                                   "performing|mechanical|sync are expected"),
                    ExitUsage);
        return std::nullopt;
    }
    auto run = model::latestRun(ws.store().database(), period, *right);
    if (!run)
        code = fail(QStringLiteral("no %1 run of %2 yet: cartulary royalty run --period %2")
                        .arg(*right, period));
    return run;
}

int cmdExplain(const Args &a, Workspace &ws)
{
    if (!a.opts.contains("--holder"))
        return fail(QStringLiteral("--holder NAME is required"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    int code = ExitOk;
    const auto run = latest(a, ws, code);
    if (!run)
        return code;
    auto e = model::explain(ws.store().database(), *run, a.opts.value("--holder"));
    if (!e)
        return fail(e.errorString());
    if (a.flags.contains("--json"))
        return printJson(e->toJson());
    for (const QString &line : e->toText().split(u'\n'))
        out() << printable(line) << '\n';
    return ExitOk;
}

int cmdUnmatched(const Args &a, Workspace &ws)
{
    const QString period = a.opts.value("--period");
    if (const auto range = model::periodRange(period, "--period"); !range)
        return fail(range.errorString(), ExitUsage);
    if (Status s = openForRoyalties(ws, false, a); !s)
        return fail(s.errorString());
    const auto list = model::Royalties::unmatched(ws.store().database(), period);
    if (a.flags.contains("--json")) {
        QJsonArray arr;
        for (const auto &u : list)
            arr.append(QJsonObject{{"import", u.key.importSha256},
                                   {"line", u.key.firstLine},
                                   {"lines", u.lines},
                                   {"work", u.key.workRef},
                                   {"isrc", u.key.isrc},
                                   {"iswc", u.key.iswc},
                                   {"doi", u.key.doi},
                                   {"title", u.key.title},
                                   {"creator", u.key.creator},
                                   {"units", u.units},
                                   {"currency", u.currency},
                                   {"amount", model::microAmount(u.amountMicro)},
                                   {"note", u.key.matchNote}});
        return printJson({{"period", period}, {"unmatched", arr}});
    }
    if (list.isEmpty())
        out() << "no unmatched usage in " << period << '\n';
    for (const auto &u : list) {
        const QStringList ids = u.key.identifiers();
        out() << "line " << u.key.firstLine << " (" << u.lines << " lines, import "
              << u.key.importSha256.left(12) << "): " << model::microAmount(u.amountMicro) << ' '
              << u.currency << ", " << u.units << " units — \"" << printable(u.key.title)
              << "\" by " << printable(u.key.creator.isEmpty() ? "?" : u.key.creator);
        if (!ids.isEmpty())
            out() << " [" << printable(ids.join(QStringLiteral(", "))) << ']';
        if (!u.key.matchNote.isEmpty())
            out() << " — " << printable(u.key.matchNote);
        out() << '\n';
    }
    return ExitOk;
}

/** The work --work names (a reference or an id), or why there is none. */
Result<model::Asset> workOption(sql::Database &db, const Args &a)
{
    if (auto work = model::Portfolio::asset(db, a.opts.value("--work")))
        return *work;
    return Result<model::Asset>::failure(
        "not-found",
        QStringLiteral("--work: %1 is not a registered work").arg(a.opts.value("--work")));
}

int cmdMatch(const Args &a, Workspace &ws)
{
    const QString period = a.opts.value("--period");
    const bool byLine = a.opts.contains("--line");
    const bool byTitle = a.opts.contains("--title");
    if (!model::periodRange(period, "--period") || byLine == byTitle || !a.opts.contains("--work"))
        return fail(QStringLiteral("usage: royalty match --period P (--line N [--import SHA] | "
                                   "--title T --creator C) --work REF"),
                    ExitUsage);
    if (Status s = openForRoyalties(ws, true, a); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    const auto work = workOption(db, a);
    if (!work)
        return fail(work.errorString());
    ledger::Draft draft;
    if (byLine) {
        bool ok = false;
        const qint64 line = a.opts.value("--line").toLongLong(&ok);
        if (!ok || line < 1)
            return fail(QStringLiteral("--line must be a line number"), ExitUsage);
        auto key = model::usageKeyAtLine(ws, period, line, a.opts.value("--import"));
        if (!key)
            return fail(key.errorString());
        draft = model::Royalties::matchDraft(key.value(), work->id, period);
    } else {
        draft = model::Royalties::titleMatchDraft(a.opts.value("--title"),
                                                  a.opts.value("--creator"), work->id, period);
    }
    auto written = ws.append({draft});
    if (!written)
        return fail(written.errorString());
    out() << "matched to " << printable(work->reference) << " (" << printable(work->title)
          << ") as entry " << written->first().index << "; later imports and runs use it\n";
    return ExitOk;
}

int cmdDisputes(const Args &a, Workspace &ws)
{
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    const auto list = model::Royalties::disputes(db);
    QJsonArray arr;
    for (const auto &d : list) {
        const auto asset = model::Portfolio::asset(db, d.assetId);
        const QString ref = asset ? asset->reference : d.assetId;
        arr.append(QJsonObject{{"work", ref},
                               {"kind", d.kind},
                               {"right", d.right},
                               {"message", d.message},
                               {"entry", qint64(d.entryIndex)}});
        if (!a.flags.contains("--json"))
            out() << printable(ref) << '\t' << d.kind << '\t' << printable(d.message) << "\t(entry "
                  << d.entryIndex << ")\n";
    }
    // The amounts each dispute holds in a period's latest run.
    if (a.opts.contains("--period")) {
        int code = ExitOk;
        if (const auto run = latest(a, ws, code)) {
            for (const QJsonValue &v : run->result.value("held").toArray())
                if (v["why"].toString().startsWith(QLatin1String("dispute")) &&
                    !a.flags.contains("--json"))
                    out() << "  held " << v["exact"].toString() << ' ' << v["currency"].toString()
                          << ": " << printable(v["why"].toString()) << '\n';
            if (a.flags.contains("--json"))
                return printJson({{"disputes", arr}, {"held", run->result.value("held")}});
        } else if (code != ExitOk && code != ExitFailed) {
            return code;
        }
    }
    QJsonArray settled;
    for (const auto &s : model::Royalties::settlements(db)) {
        const auto asset = model::Portfolio::asset(db, s.assetId);
        const QString ref = asset ? asset->reference : s.assetId;
        settled.append(QJsonObject{{"work", ref},
                                   {"kept", QJsonArray::fromStringList(s.kept)},
                                   {"withdrawn", QJsonArray::fromStringList(s.dropped)},
                                   {"reason", s.reason},
                                   {"closed", QJsonArray::fromStringList(s.disputes)},
                                   {"entry", qint64(s.entryIndex)}});
        if (!a.flags.contains("--json"))
            out() << printable(ref) << "\tsettled\tkept " << printable(s.kept.join(", "))
                  << (s.dropped.isEmpty()
                          ? QString()
                          : QStringLiteral(", withdrew ") + printable(s.dropped.join(", ")))
                  << ": " << printable(s.reason) << "\t(entry " << s.entryIndex << ")\n";
    }
    if (a.flags.contains("--json"))
        return printJson({{"disputes", arr}, {"settled", settled}});
    if (list.isEmpty())
        out() << "no open disputes\n";
    return ExitOk;
}

int cmdSettle(const Args &a, Workspace &ws)
{
    // QMultiHash gives the latest value first: the sources in the order typed.
    QStringList keep = a.opts.values("--keep");
    std::reverse(keep.begin(), keep.end());
    if (!a.opts.contains("--work") || keep.isEmpty() || !a.opts.contains("--reason"))
        return fail(QStringLiteral("usage: royalty settle --work REF --keep SOURCE... --reason "
                                   "TEXT"),
                    ExitUsage);
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    const auto work = workOption(db, a);
    if (!work)
        return fail(work.errorString());
    auto draft = model::Royalties::settleDraft(db, work->id, keep, a.opts.value("--reason"),
                                               ws.identity().keys.publicKey);
    if (!draft)
        return fail(draft.errorString());
    auto written = ws.append({draft.value()});
    if (!written)
        return fail(written.errorString());
    const model::Settlement s = model::Royalties::settlements(db).constLast();
    out() << "settled " << printable(work->reference) << " as entry " << written->first().index
          << ": the shares of " << printable(s.kept.join(", ")) << " stand"
          << (s.dropped.isEmpty() ? QString()
                                  : QStringLiteral("; ") + printable(s.dropped.join(", ")) +
                                        QStringLiteral(" withdrawn"))
          << "; runs computed before are stale: run again, then approve\n";
    return ExitOk;
}

int cmdApprove(const Args &a, Workspace &ws)
{
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    int code = ExitOk;
    const auto run = latest(a, ws, code);
    if (!run)
        return code;
    sql::Database &db = ws.store().database();
    auto set = model::statements(db, *run);
    if (!set)
        return fail(set.errorString());
    auto draft =
        model::approvalDraft(db, *run, ws.store().size(), model::statementSetSha256(set.value()));
    if (!draft)
        return fail(draft.errorString());
    auto written = ws.append({draft.value()});
    if (!written)
        return fail(written.errorString());
    out() << "approved run " << run->id << " (" << run->right << ", " << run->period
          << ") as entry " << written->first().index << "; statements SHA-256 "
          << model::statementSetSha256(set.value()) << '\n';
    return ExitOk;
}

int cmdStatements(const Args &a, Workspace &ws)
{
    const QString dir = a.opts.value("--out");
    if (dir.isEmpty() || dir == "-")
        return fail(QStringLiteral("--out DIR is required"), ExitUsage);
    if (Status s = OutputFile::check(QDir(dir).filePath("MANIFEST.sha256"), ws.dataDir()); !s)
        return fail(s.errorString());
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    int code = ExitOk;
    const auto run = latest(a, ws, code);
    if (!run)
        return code;
    auto set = model::statements(ws.store().database(), *run);
    if (!set)
        return fail(set.errorString());
    if (Status s = model::writeStatements(set.value(), *run, dir); !s)
        return fail(s.errorString());
    out() << "wrote " << set->size() << " statements (CSV and PDF) and MANIFEST.sha256 to "
          << printable(dir) << "; set SHA-256 " << model::statementSetSha256(set.value())
          << (run->approvedAt ? QStringLiteral(" (approved at entry %1)").arg(run->approvedAt)
                              : QStringLiteral(" (not approved)"))
          << '\n';
    return ExitOk;
}

} // namespace

void addRoyaltyCommands(CommandTable &table)
{
    const QString periodHelp = QStringLiteral(
        " A period is a month (2026-09) or a calendar quarter (2026-Q3); a quarter includes the "
        "usage reported for its months.");
    table.addArea(
        QStringLiteral("royalties"),
        {
            {.name = "import usage",
             .usage = {"FILE [--period P] [--right R] [--rights-controller NAME]... [--json]"},
             .summary = "import a usage report (CSV or DDEX DSR), all or nothing",
             .help = "Reads a usage CSV or a DDEX DSR flat file (detected from its first bytes), "
                     "checks it whole — a bad line is named and nothing is imported — keeps a "
                     "copy in the data directory under its SHA-256, and signs one entry with the "
                     "file's hash, format, period, line count and totals per currency. The lines "
                     "are matched to works (identifiers first, then title and creator); "
                     "unmatched ones are kept apart. --period is the period of CSV lines without "
                     "a period column; a DSR's period comes from its HEAD. --right is the right "
                     "of lines that name none (performing). --rights-controller (repeatable) "
                     "chooses whose DSR LI01 allocations count; by default every controller in "
                     "the HEAD's RepresentedRepertoire. See model/ROYALTIES.md." +
                     periodHelp,
             .examples = {"cartulary import usage streams-2026-Q3.csv --period 2026-Q3",
                          "cartulary import usage DSR_SENDER_Service_2015-Q4_IS_1of1.tsv "
                          "--rights-controller PUB_3"},
             .options = {value("--period"), value("--right"), value("--rights-controller"),
                         flag("--json")},
             .run = cmdImportUsage},
            {.name = "import works",
             .usage = {"FILE [--json]"},
             .summary = "import CISAC CWR 2.1/2.2 work registrations",
             .help = "Registers or updates copyright works from a CWR file: ISWC, titles and "
                     "alternative titles, writers, and ownership shares per right type "
                     "(performing, mechanical, sync) signed with the sender as their source. A "
                     "work found by ISWC that another sender registered becomes a dispute, not "
                     "an overwrite; shares that do not total 100 % (±0.06 %) are reported. A bad "
                     "record is named by line and nothing is imported.",
             .examples = {"cartulary import works CW260001PUB_000.V21"},
             .options = {flag("--json")},
             .run = cmdImportWorks},
            {.name = "royalty run",
             .usage = {"--period P [--right performing|mechanical|sync] [--fee-percent X] "
                       "[--json]"},
             .summary = "compute a distribution for a period, exactly, for review",
             .help = "Sends each matched amount of the period up its derivation chain by the "
                     "licence terms as of the period's last day, splits each asset's part among "
                     "its owners for the right, deducts the administration fee, holds disputed "
                     "works and unclaimed shares, and rounds each holder's total once per "
                     "currency (largest remainder): collected = distributed + held + unmatched + "
                     "fees, exactly. Prints the totals, each holder, what is held and why, "
                     "metered licences' fees against the reported amount, and changes of more "
                     "than 20 % since the previous period. The run is kept for review, "
                     "explanation, statements and approval. The --json form is documented in "
                     "model/ROYALTIES.md." +
                     periodHelp,
             .examples = {"cartulary royalty run --period 2026-Q3 --fee-percent 12.5",
                          "cartulary royalty run --period 2026-09 --right mechanical --json"},
             .options = {value("--period"), value("--right"), value("--fee-percent"),
                         flag("--json")},
             .run = cmdRun},
            {.name = "royalty explain",
             .usage = {"--period P --holder NAME [--right R] [--json]"},
             .summary = "why a holder gets what they get: every amount's way",
             .help = "For the period's latest run: each amount that reached the holder, from "
                     "the usage of a work through the derivation links (licence and rate) and "
                     "the owner share to the holder, exact, and the total rounded once.",
             .examples = {"cartulary royalty explain --period 2026-Q3 --holder \"Meridian "
                          "Biotech GmbH\""},
             .options = {value("--period"), value("--holder"), value("--right"), flag("--json")},
             .run = cmdExplain},
            {.name = "royalty unmatched",
             .usage = {"--period P [--json]"},
             .summary = "usage lines no work was matched to, largest first",
             .help = "Lists the period's unmatched usage, grouped by identification per report: "
                     "the first line of the group, how many lines, amount, units, title, "
                     "creator and identifiers. These amounts are kept apart, never distributed.",
             .examples = {"cartulary royalty unmatched --period 2026-Q3"},
             .options = {value("--period"), flag("--json")},
             .run = cmdUnmatched},
            {.name = "royalty match",
             .usage = {"--period P --line N [--import SHA] --work REF",
                       "--period P --title T --creator C --work REF"},
             .summary = "match unmatched usage to a work by hand (signed)",
             .help = "Signs a hand match: of the lines identified as line N of the period's "
                     "report is (every line with the same identification), or of every line "
                     "with this title and creator (compared without case, accents, punctuation "
                     "or word order). Later imports and runs use it. --import (a prefix of the "
                     "report's SHA-256) chooses among reports that all have a line N.",
             .examples = {"cartulary royalty match --period 2026-Q3 --line 14 --work WRK-0042",
                          "cartulary royalty match --period 2026-Q3 --title \"Sexual Healing\" "
                          "--creator \"Gaye, Marvin\" --work T-070.247.279-4"},
             .options = {value("--period"), value("--line"), value("--import"), value("--title"),
                         value("--creator"), value("--work")},
             .run = cmdMatch},
            {.name = "royalty disputes",
             .usage = {"[--period P [--right R]] [--json]"},
             .summary = "conflicting claims, and what they hold",
             .help = "Lists disputes: a work claimed by two sources, or ownership shares past "
                     "100 %. With --period, also the amounts each holds in the period's latest "
                     "run (held, not paid).",
             .examples = {"cartulary royalty disputes --period 2026-Q3"},
             .options = {value("--period"), value("--right"), flag("--json")},
             .run = cmdDisputes},
            {.name = "royalty settle",
             .usage = {"--work REF --keep SOURCE... --reason TEXT"},
             .summary = "settle a work's disputes: whose shares stand",
             .help = "Signs work.settled: the shares of the sources named by --keep (repeatable; "
                     "the CWR senders `royalty disputes` names) stand, every other source's are "
                     "withdrawn (the ledger keeps them), and the work's open disputes close, so "
                     "that later runs pay its amounts instead of holding them. Only the key that "
                     "controls the work may settle; refused when the kept shares total more than "
                     "100 % for a right (have the source register corrected shares first).",
             .examples = {"cartulary royalty settle --work T-034.524.680-1 --keep \"ALPHA MUSIC\" "
                          "--reason \"agreement of 2026-11-30\""},
             .options = {value("--work"), value("--keep"), value("--reason")},
             .run = cmdSettle},
            {.name = "royalty approve",
             .usage = {"--period P [--right R]"},
             .summary = "approve the period's latest run (signed, immutable)",
             .help = "Signs the latest run of the period: its totals per currency and holder and "
                     "the SHA-256 of its statement set. An approved run cannot change: a later "
                     "run of the same period is a correction that names the approval it "
                     "corrects. Refused when the ledger grew since the run was computed: run it "
                     "again and review.",
             .examples = {"cartulary royalty approve --period 2026-Q3"},
             .options = {value("--period"), value("--right")},
             .run = cmdApprove},
            {.name = "royalty statements",
             .usage = {"--period P [--right R] --out DIR"},
             .summary = "write each holder's statement (CSV and PDF)",
             .help = "Writes one CSV and one PDF per holder and currency for the period's latest "
                     "run, whose lines sum to the holder's total to the minor unit, and "
                     "MANIFEST.sha256 (sha256sum -c checks the CSV files; its own SHA-256 is what "
                     "an approval signs).",
             .examples = {"cartulary royalty statements --period 2026-Q3 --out statements/"},
             .options = {value("--period"), value("--right"), outputPath("--out")},
             .run = cmdStatements},
        });
}

} // namespace cartulary::app
