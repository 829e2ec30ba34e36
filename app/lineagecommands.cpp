// SPDX-License-Identifier: GPL-3.0-or-later
// The lineage's commands: lineage, graph, licences, export prov, export odrl.
#include "app/commandtable.h"
#include "app/outputfile.h"
#include "app/terminal.h"

#include "model/core/money.h"
#include "model/io/lineageexport.h"
#include "model/portfolio/portfolio.h"

#include <QDate>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent>

#include <cstdio>
#include <optional>

namespace cartulary::app {

using namespace cartulary::ledger;
using model::Workspace;

namespace {

/** --depth N: generations up and down (default 3; "all" or -1 for every one). */
std::optional<int> depthOption(const Args &a, int fallback)
{
    const QString text = a.opts.value("--depth");
    if (text.isEmpty())
        return fallback;
    if (text == "all")
        return -1;
    bool ok = false;
    const int depth = text.toInt(&ok);
    if (!ok || depth < -1 || depth > 1000)
        return std::nullopt;
    return depth;
}

QByteArray indentedJson(const QJsonObject &object)
{
    return printableJson(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

int cmdLineage(const Args &a, Workspace &ws)
{
    const QString asset = a.opts.value("--asset");
    const auto depth = depthOption(a, -1);
    if (asset.isEmpty() || a.words.size() != 1)
        return fail(QStringLiteral("usage: lineage --asset REF [--depth N] [--json]"), ExitUsage);
    if (!depth)
        return fail(QStringLiteral("--depth must be a whole number of generations or 'all'"),
                    ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    auto report = model::lineageReport(ws.store().database(), asset, *depth, QDate::currentDate());
    if (!report)
        return fail(report.errorString());
    if (a.flags.contains("--json"))
        out() << indentedJson(report.value());
    else
        out() << model::lineageText(printableStrings(report.value()));
    return ExitOk;
}

int cmdGraph(const Args &a, Workspace &ws)
{
    const QString usage = QStringLiteral("usage: graph --asset REF [--depth N] [--max-nodes N] "
                                         "--format dot|svg|pdf|png [--out FILE]");
    const auto depth = depthOption(a, 3);
    const auto format = model::graphFormatFromName(a.opts.value("--format"));
    bool ok = true;
    const int maxNodes = a.opts.value("--max-nodes", "500").toInt(&ok);
    if (!a.opts.contains("--asset") || a.words.size() != 1)
        return fail(usage, ExitUsage);
    if (!format)
        return fail(QStringLiteral("--format must be dot, svg, pdf or png"), ExitUsage);
    if (!depth)
        return fail(QStringLiteral("--depth must be a whole number of generations or 'all'"),
                    ExitUsage);
    if (!ok || maxNodes < 1 || maxNodes > 10000)
        return fail(QStringLiteral("--max-nodes must be between 1 and 10000"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    auto spec = model::lineageGraph(ws.store().database(), a.opts.value("--asset"),
                                    {*depth, maxNodes}, QDate::currentDate());
    if (!spec)
        return fail(spec.errorString());
    // Graphviz runs on its own thread, here as in the app.
    auto bytes = QtConcurrent::run(&model::graphvizPool(), [&spec, format] {
                     return model::renderGraph(spec.value(), *format);
                 }).result();
    if (!bytes)
        return fail(bytes.errorString());
    if (spec->omitted > 0)
        std::fprintf(stderr,
                     "cartulary: note: %d more assets of the lineage are not drawn (the nearest %d "
                     "are); raise --max-nodes or lower --depth\n",
                     spec->omitted, maxNodes);
    return writeOutput(a.opts.value("--out"), ws.dataDir(), bytes.value());
}

int cmdLicences(const Args &a, Workspace &ws)
{
    if (a.words.size() != 1)
        return fail(QStringLiteral("usage: licences [--asset REF] [--json]"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    QList<model::LicenceRecord> list;
    if (a.opts.contains("--asset")) {
        const auto asset = model::Portfolio::asset(db, a.opts.value("--asset"));
        if (!asset)
            return fail(QStringLiteral("asset: %1 does not exist").arg(a.opts.value("--asset")));
        list = model::Lineage::licencesOn(db, asset->id);
    } else {
        list = model::Lineage::licences(db);
    }
    for (const model::LicenceRecord &rec : list) {
        if (a.flags.contains("--json")) {
            QJsonObject o = rec.licence.toJson();
            o.insert("revoked",
                     rec.revoked.isValid() ? rec.revoked.toString(Qt::ISODate) : QString());
            o.insert("revoked_reason", rec.revokedReason);
            out() << printableJson(QJsonDocument(o).toJson(QJsonDocument::Compact)) << '\n';
        } else {
            out() << printable(rec.licence.reference) << '\t' << printable(rec.licence.title)
                  << '\t' << printable(rec.licence.licensor) << " -> "
                  << printable(rec.licence.licensee) << '\t'
                  << model::formatPpm(rec.licence.payment.royaltyPpm) << '\t'
                  << (rec.revoked.isValid()
                          ? QStringLiteral("revoked %1").arg(rec.revoked.toString(Qt::ISODate))
                          : QStringLiteral("granted %1")
                                .arg(rec.licence.granted.toString(Qt::ISODate)))
                  << '\n';
        }
    }
    return ExitOk;
}

int cmdExportProv(const Args &a, Workspace &ws)
{
    const auto depth = depthOption(a, -1);
    if (!a.opts.contains("--asset") || !depth)
        return fail(QStringLiteral("usage: export prov --asset REF [--depth N] [--out FILE]"),
                    ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    auto doc = model::lineageProv(ws.store().database(), a.opts.value("--asset"), *depth);
    if (!doc)
        return fail(doc.errorString());
    return writeOutput(a.opts.value("--out"), ws.dataDir(), indentedJson(doc.value()));
}

int cmdExportOdrl(const Args &a, Workspace &ws)
{
    if (!a.opts.contains("--licence"))
        return fail(QStringLiteral("usage: export odrl --licence REF [--out FILE]"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    const auto rec = model::Lineage::licence(ws.store().database(), a.opts.value("--licence"));
    if (!rec)
        return fail(QStringLiteral("licence: %1 does not exist").arg(a.opts.value("--licence")));
    return writeOutput(a.opts.value("--out"), ws.dataDir(),
                       indentedJson(model::licenceToOdrl(rec->licence)));
}

} // namespace

void addLineageCommands(CommandTable &table)
{
    table.addArea(
        QStringLiteral("lineage and licences"),
        {
            {.name = "lineage",
             .usage = {"--asset REF [--depth N] [--json]"},
             .summary = "ancestors and descendants, licences, royalty stack and flags",
             .help = "Reports an asset's ancestors and descendants (--depth generations each way; "
                     "default all), the licence on each derivation link, its royalty stack under "
                     "the absolute and relative policies, and the legal-status flags that reach it "
                     "(a lapsed ancestor, a revoked or expired licence). --json prints the same "
                     "report as one JSON object (fields in model/COMMANDS.md).",
             .examples = {"cartulary lineage --asset MBG-M003",
                          "cartulary lineage --asset MBG-M003 --depth 2 --json"},
             .options = {value("--asset"), value("--depth"), flag("--json")},
             .run = cmdLineage},
            {.name = "graph",
             .usage = {"--asset REF [--depth N] [--max-nodes N] --format dot|svg|pdf|png "
                       "[--out FILE]"},
             .summary = "draw the lineage with Graphviz (depth 3, nearest 500 assets)",
             .help = "Draws the asset's neighbourhood in the derivation graph, --depth "
                     "generations up and down (default 3, 'all' for every one), at most "
                     "--max-nodes assets (default 500, nearest first; the rest are counted on "
                     "stderr), with the licence and rate on each link and warnings marked. "
                     "Without --out (or with --out -) to standard output.",
             .examples = {"cartulary graph --asset MBG-M003 --format svg --out lineage.svg",
                          "cartulary graph --asset MBG-M003 --format dot | dot -Tpng > g.png"},
             .options = {value("--asset"), value("--depth"), value("--max-nodes"),
                         value("--format"), outputPath("--out")},
             .run = cmdGraph},
            {.name = "licences",
             .usage = {"[--asset REF] [--json]"},
             .summary = "the licences granted (on one asset)",
             .help = "Lists every licence granted, or those on one asset, oldest first, "
                     "tab-separated: reference, title, licensor -> licensee, royalty rate, and "
                     "when it was granted or revoked. --json prints one licence per line with all "
                     "its terms.",
             .examples = {"cartulary licences", "cartulary licences --asset MBG-C003 --json"},
             .options = {value("--asset"), flag("--json")},
             .run = cmdLicences},
            {.name = "export prov",
             .usage = {"--asset REF [--depth N] [--out FILE]"},
             .summary = "the asset's lineage as W3C PROV-JSON",
             .help = "Writes the lineage as a W3C PROV-JSON document: assets are entities, "
                     "derivations activities that used the parents and generated the child, "
                     "owners and licensors agents, each link a wasDerivedFrom. --depth as for "
                     "'lineage' (default all).",
             .examples = {"cartulary export prov --asset MBG-S003 --out lineage.prov.json"},
             .options = {value("--asset"), value("--depth"), outputPath("--out")},
             .run = cmdExportProv},
            {.name = "export odrl",
             .usage = {"--licence REF [--out FILE]"},
             .summary = "a licence as an ODRL 2.2 policy (JSON-LD)",
             .help = "Writes the licence's terms (who grants what to whom, territory, term, "
                     "derivatives, royalty) as an ODRL 2.2 Agreement in JSON-LD.",
             .examples = {"cartulary export odrl --licence LIC-2024-003 --out licence.jsonld"},
             .options = {value("--licence"), outputPath("--out")},
             .run = cmdExportOdrl},
        });
}

} // namespace cartulary::app
