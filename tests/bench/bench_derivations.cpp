// SPDX-License-Identifier: GPL-3.0-or-later
// Derivation graphs at scale, as ratios against baselines measured in the same process, in
// interleaved rounds (tests/bench/benchutil.h):
//   recording derivations (each checked for cycles, licences, compatibility and the royalty stack
//   of the child and its descendants) vs registering assets, while the graph grows to N assets:
//   round r registers one slice of assets and records the derivations of the slice before it;
//   reading the neighbourhood of an asset in the middle of the N-node graph (nodes, edges, licences
//   and flags, capped at 500 nodes) vs reading the same number of asset rows by id.
// Usage: bench_derivations [--assets N] [--rounds R]   (defaults 10,000 and 15)
#include "benchutil.h"
#include "ledger/keystore.h"
#include "model/io/lineageexport.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace cartulary;
using namespace cartulary::model;

namespace {

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

/** Applies the lines (all or nothing) and returns how many were applied; exits on a refusal. */
qsizetype apply(Workspace &ws, const QByteArray &jsonl, const char *what)
{
    if (jsonl.isEmpty())
        return 0;
    auto written = applyJsonLines(ws, jsonl);
    if (!written) {
        std::fprintf(stderr, "%s: %s\n", what, qPrintable(written.errorString()));
        std::exit(1);
    }
    return written->size();
}

/** Asset i (every tenth owned by a third party that licenses it). */
QByteArray asset(int i)
{
    QJsonObject c{{"command", "register-asset"},
                  {"reference", QStringLiteral("DS-%1").arg(i)},
                  {"title", QStringLiteral("Derived dataset no. %1").arg(i)},
                  {"type", i % 3 == 0 ? "model" : "dataset"},
                  {"jurisdiction", "DE"},
                  {"status", "active"}};
    if (i % 10 == 0)
        c.insert("owners", QStringLiteral("Source %1:10000").arg(i));
    return line(c);
}

/** The licence of third-party asset i, empty for our own. */
QByteArray licence(int i)
{
    if (i % 10 != 0)
        return {};
    return line({{"command", "grant-licence"},
                 {"reference", QStringLiteral("LIC-%1").arg(i)},
                 {"title", "Data licence"},
                 {"asset", QStringLiteral("DS-%1").arg(i)},
                 {"licensee", "Meridian Biotech GmbH"},
                 {"granted", "2020-01-01"},
                 {"royalty_ppm", 1000}});
}

/**
 * Ten generations: asset i of generation g >= 1 is derived from 1-3 assets of generation g - 1, a
 * third party's through its licence (0.1 % absolute each); third-party assets are originals.
 */
QByteArray derivation(int i, int width, int &links)
{
    if (i % 10 == 0 || i < width)
        return {};
    const int generationStart = (i / width - 1) * width;
    QJsonArray parents;
    for (int k = 0; k < 1 + (i % 3); ++k) {
        const int p = generationStart + (i * 7 + k * 131) % width;
        bool taken = false;
        for (const QJsonValue &v : parents)
            taken =
                taken || v.toObject().value("asset").toString() == QStringLiteral("DS-%1").arg(p);
        if (taken)
            continue;
        QJsonObject link{{"asset", QStringLiteral("DS-%1").arg(p)}};
        if (p % 10 == 0)
            link.insert("licence", QStringLiteral("LIC-%1").arg(p));
        parents.append(link);
        ++links;
    }
    return line({{"command", "record-derivation"},
                 {"child", QStringLiteral("DS-%1").arg(i)},
                 {"parents", parents},
                 {"kind", "training"},
                 {"date", "2024-01-01"}});
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = bench::option(args, "--assets", "10000").toInt();
    const int rounds = bench::roundsOption(args, 15);
    const int width = n / 10;
    if (n < 20 || n - width < 2 * (rounds + 1))
        return 2;
    QTemporaryDir dir;
    Workspace ws(dir.filePath("graph"));
    if (!ws.create("Meridian Biotech GmbH", "bench passphrase", ledger::KdfLimits::interactive()))
        return 1;

    // The first generation has no parents; the rest is cut into rounds + 1 slices.
    auto slice = [&](int k) {
        return std::pair{width + (n - width) * k / (rounds + 1),
                         width + (n - width) * (k + 1) / (rounds + 1)};
    };
    auto registerAssets = [&](int from, int to) {
        QByteArray assets, licences;
        for (int i = from; i < to; ++i) {
            assets += asset(i);
            licences += licence(i);
        }
        return std::pair{assets, licences};
    };
    int links = 0;
    auto derivations = [&](int from, int to) {
        QByteArray out;
        for (int i = from; i < to; ++i)
            out += derivation(i, width, links);
        return out;
    };
    {
        const auto [assets, licences] = registerAssets(0, slice(0).second);
        apply(ws, assets, "register");
        apply(ws, licences, "licences");
    }
    int registerRound = 0;
    int deriveRound = 0;
    qsizetype derived = 0;
    // Totals over every round, for the ratio of the whole build (see below).
    double registeredTotal = 0, registerSeconds = 0, derivedTotal = 0, deriveSeconds = 0;
    const auto buildValues = bench::interleave(
        rounds,
        {[&] {
             const auto [from, to] = slice(++registerRound);
             const auto [assets, licences] = registerAssets(from, to);
             qsizetype registered = 0;
             const double s = bench::timed([&] { registered = apply(ws, assets, "register"); });
             apply(ws, licences, "licences"); // untimed: the parents' licences
             registeredTotal += double(registered);
             registerSeconds += s;
             return registered / s;
         },
         [&] {
             const auto [from, to] = slice(deriveRound++);
             const QByteArray jsonl = derivations(from, to);
             qsizetype recorded = 0;
             const double s = bench::timed([&] { recorded = apply(ws, jsonl, "derivations"); });
             derived += recorded;
             derivedTotal += double(recorded);
             deriveSeconds += s;
             return recorded / s;
         }});
    derived += apply(ws, derivations(slice(rounds).first, slice(rounds).second), "derivations");

    // The neighbourhood of an asset in the middle, capped at 500, vs reading as many rows by id.
    sql::Database &db = ws.store().database();
    const QString middle = QStringLiteral("DS-%1").arg(n / 2 + 3);
    auto spec = lineageGraph(db, middle, {6, 500}, QDate(2025, 1, 1));
    if (!spec) {
        std::fprintf(stderr, "graph: %s\n", qPrintable(spec.errorString()));
        return 1;
    }
    const auto readValues = bench::interleave(
        rounds, {[&] {
                     // Repeated: one pass takes about a millisecond (see bench::perCall).
                     qint64 bytes = 0;
                     const double s = bench::perCall([&] {
                         for (const GraphNode &node : spec->nodes) {
                             auto st = db.prepare("SELECT body FROM assets WHERE id=?");
                             st.bind(1, node.id);
                             if (st.next())
                                 bytes += st.text(0).size();
                         }
                     });
                     if (bytes == 0)
                         std::exit(1);
                     return s;
                 },
                 [&] {
                     return bench::timed([&] {
                         if (!lineageGraph(db, middle, {6, 500}, QDate(2025, 1, 1)))
                             std::exit(1);
                     });
                 }});

    std::printf("bench_derivations: %d assets, %lld derivations (%d links), built in %d "
                "interleaved rounds\n",
                n, static_cast<long long>(derived), links, rounds);
    bench::printRatio("record derivation / register asset (per s)", buildValues[1], buildValues[0]);
    // Round r records generation-ordered slice r: deeper slices check longer ancestries, so the
    // rounds' ratios fall as the graph grows (CARTULARY_BENCH_EACH shows them); the whole build's
    // ratio is the one to compare between runs.
    std::printf("  %-46s ratio %.2f\n", "the same, all rounds together",
                (derivedTotal / deriveSeconds) / (registeredTotal / registerSeconds));
    bench::printValue("record derivations", buildValues[1], "/s");
    bench::printValue("register assets (baseline)", buildValues[0], "/s");
    bench::printRatio(
        qPrintable(
            QStringLiteral("neighbourhood / read %1 asset rows (time)").arg(spec->nodes.size())),
        readValues[1], readValues[0]);
    bench::printValue(qPrintable(QStringLiteral("neighbourhood of %1: %2 nodes, %3 edges")
                                     .arg(middle)
                                     .arg(spec->nodes.size())
                                     .arg(spec->edges.size())),
                      readValues[1], "ms", 1e3, 1);
    bench::printValue("read as many asset rows (baseline)", readValues[0], "ms", 1e3, 2);
    return 0;
}
