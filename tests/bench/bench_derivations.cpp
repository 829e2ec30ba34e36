// SPDX-License-Identifier: GPL-3.0-or-later
// Derivation graphs at scale, as ratios against baselines measured in the same process:
//   recording N derivations (each checked for cycles, licences, compatibility and the royalty
//   stack of the child and its descendants) vs registering N assets;
//   reading the neighbourhood of an asset in the middle of an N-node graph (nodes, edges, licences
//   and flags, capped at 500 nodes) vs reading the same number of asset rows by id.
// Usage: bench_derivations [--assets N]   (default 10,000)
#include "ledger/keystore.h"
#include "model/io/lineageexport.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace cartulary;
using namespace cartulary::model;

namespace {

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

Result<quint64> apply(Workspace &ws, const QByteArray &jsonl)
{
    auto written = applyJsonLines(ws, jsonl);
    if (!written)
        return written.error();
    return quint64(written->size());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int n = 10000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--assets")
            n = args[i + 1].toInt();
    if (n < 20)
        return 2;
    QTemporaryDir dir;
    Workspace ws(dir.filePath("graph"));
    if (!ws.create("Meridian Biotech GmbH", "bench passphrase", ledger::KdfLimits::interactive()))
        return 1;

    // Baseline: registering the n assets (every tenth owned by a third party that licenses it).
    QByteArray assets;
    for (int i = 0; i < n; ++i) {
        QJsonObject c{{"command", "register-asset"},
                      {"reference", QStringLiteral("DS-%1").arg(i)},
                      {"title", QStringLiteral("Derived dataset no. %1").arg(i)},
                      {"type", i % 3 == 0 ? "model" : "dataset"},
                      {"jurisdiction", "DE"},
                      {"status", "active"}};
        if (i % 10 == 0)
            c.insert("owners", QStringLiteral("Source %1:10000").arg(i));
        assets += line(c);
    }
    QElapsedTimer t;
    t.start();
    if (auto r = apply(ws, assets); !r) {
        std::fprintf(stderr, "register: %s\n", qPrintable(r.errorString()));
        return 1;
    }
    const double registerSeconds = seconds(t);

    // Licences for the third-party assets.
    QByteArray licences;
    for (int i = 0; i < n; i += 10)
        licences += line({{"command", "grant-licence"},
                          {"reference", QStringLiteral("LIC-%1").arg(i)},
                          {"title", "Data licence"},
                          {"asset", QStringLiteral("DS-%1").arg(i)},
                          {"licensee", "Meridian Biotech GmbH"},
                          {"granted", "2020-01-01"},
                          {"royalty_ppm", 1000}});
    if (auto r = apply(ws, licences); !r) {
        std::fprintf(stderr, "licences: %s\n", qPrintable(r.errorString()));
        return 1;
    }
    // Ten generations: each asset derived from 1–3 assets of the generation before it, a third
    // party's through its licence (0.1 % absolute each).
    QByteArray derivations;
    int links = 0;
    const int width = n / 10;
    for (int i = width; i < n; ++i) {
        if (i % 10 == 0)
            continue; // third-party assets are originals
        const int generationStart = (i / width - 1) * width;
        QJsonArray parents;
        for (int k = 0; k < 1 + (i % 3); ++k) {
            const int p = generationStart + (i * 7 + k * 131) % width;
            bool taken = false;
            for (const QJsonValue &v : parents)
                taken = taken ||
                        v.toObject().value("asset").toString() == QStringLiteral("DS-%1").arg(p);
            if (taken)
                continue;
            QJsonObject link{{"asset", QStringLiteral("DS-%1").arg(p)}};
            if (p % 10 == 0)
                link.insert("licence", QStringLiteral("LIC-%1").arg(p));
            parents.append(link);
            ++links;
        }
        derivations += line({{"command", "record-derivation"},
                             {"child", QStringLiteral("DS-%1").arg(i)},
                             {"parents", parents},
                             {"kind", "training"},
                             {"date", "2024-01-01"}});
    }
    t.restart();
    auto recorded = apply(ws, derivations);
    if (!recorded) {
        std::fprintf(stderr, "derivations: %s\n", qPrintable(recorded.errorString()));
        return 1;
    }
    const double deriveSeconds = seconds(t);
    std::printf("register %d assets: %.2f s (%.0f/s)\n", n, registerSeconds, n / registerSeconds);
    std::printf("record %llu derivations (%d links): %.2f s (%.0f/s); ratio to registration: "
                "%.2f\n",
                static_cast<unsigned long long>(recorded.value()), links, deriveSeconds,
                double(recorded.value()) / deriveSeconds,
                (double(recorded.value()) / deriveSeconds) / (n / registerSeconds));

    // The neighbourhood of an asset in the middle, capped at 500, vs reading as many rows by id.
    sql::Database &db = ws.store().database();
    const QString middle = QStringLiteral("DS-%1").arg(n / 2 + 3);
    t.restart();
    auto spec = lineageGraph(db, middle, {6, 500}, QDate(2025, 1, 1));
    const double graphSeconds = seconds(t);
    if (!spec) {
        std::fprintf(stderr, "graph: %s\n", qPrintable(spec.errorString()));
        return 1;
    }
    t.restart();
    qint64 bytes = 0;
    for (const GraphNode &node : spec->nodes) {
        auto st = db.prepare("SELECT body FROM assets WHERE id=?");
        st.bind(1, node.id);
        if (st.next())
            bytes += st.text(0).size();
    }
    const double rowsSeconds = std::max(seconds(t), 1e-6);
    std::printf("neighbourhood of %s: %lld nodes, %lld edges, %d omitted: %.3f s; ratio to "
                "reading %lld asset rows: %.1f\n",
                qPrintable(middle), static_cast<long long>(spec->nodes.size()),
                static_cast<long long>(spec->edges.size()), spec->omitted, graphSeconds,
                static_cast<long long>(spec->nodes.size()), graphSeconds / rowsSeconds);
    return bytes > 0 ? 0 : 1;
}
