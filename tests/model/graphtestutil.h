// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic derivation graphs for the graph tests and the lineage benchmark: a small
// three-generation family with shared parents, and realistic neighbourhoods of any size.
#pragma once

#include "model/graph/graphlayout.h"

#include <QRandomGenerator>

#include <algorithm>
#include <array>

namespace cartulary::model::test {

/** A node with the fields the views use; the id is a fixed fake UUID made from the index. */
inline GraphNode graphNode(int index, const QString &reference, const QString &title,
                           const QString &type, const QString &phase, int depth,
                           QStringList flags = {})
{
    GraphNode n;
    n.id = QStringLiteral("00000000-0000-4000-8000-%1").arg(index, 12, 10, QChar(u'0'));
    n.reference = reference;
    n.title = title;
    n.type = type;
    n.phase = phase;
    n.status = QStringLiteral("granted");
    n.depth = depth;
    n.flags = std::move(flags);
    return n;
}

inline GraphEdge graphEdge(int parent, int child, const QString &kind, const QString &licence = {},
                           qint64 ppm = 0, const QString &policy = {}, bool revoked = false)
{
    GraphEdge e;
    e.parent = parent;
    e.child = child;
    e.kind = kind;
    if (!licence.isEmpty()) {
        e.licenceId = QStringLiteral("lic-") + licence;
        e.licenceReference = licence;
        e.licenceTitle = QStringLiteral("%1 licence for %2").arg(licence, kind);
        e.royaltyPpm = ppm;
        e.policy = policy;
        e.tooltip = QStringLiteral("%1: %2 licence\nRoyalty %3 of the child's revenue\nTerritory: "
                                   "worldwide")
                        .arg(licence, kind, royaltyRateText(e));
    } else {
        e.tooltip = QStringLiteral("Derived (%1) without a licence").arg(kind);
    }
    e.revoked = revoked;
    return e;
}

/**
 * Three generations around a model: two datasets and a patent above it (one dataset shared with a
 * sibling model), the focus in the middle, three products below (one with both models as
 * parents, one with two edges from the same parent), one revoked licence and one flagged node.
 */
inline GraphSpec threeGenerationSpec()
{
    GraphSpec s;
    s.name = QStringLiteral("lineage of MBG-M0007");
    s.nodes = {
        graphNode(0, "MBG-D0012", "Clinical imaging corpus 2019–2023", "dataset", "management", -1),
        graphNode(1, "MBG-D0031", "Annotated histology slides (Heidelberg cohort)", "dataset",
                  "protection", -1),
        graphNode(2, "EP3512448", "Method for staining-invariant tissue segmentation", "patent",
                  "commercialization", -1),
        graphNode(3, "MBG-M0007", "Tissue segmentation model v2", "model", "generation", 0),
        graphNode(4, "MBG-M0009", "Tumour grading model", "model", "protection", 0,
                  {"Licence LIC-0031 revoked"}),
        graphNode(5, "MBG-S0102", "PathoScan viewer plug-in", "software", "commercialization", 1),
        graphNode(6, "MBG-S0140", "Grading report generator", "software", "management", 1,
                  {"Ancestor MBG-M0009: licence revoked", "Ancestor EP3512448 expires 2027"}),
        graphNode(7, "MBG-C0020", "Segmentation atlas (print edition)", "copyright", "generation",
                  1),
    };
    s.focus = 3;
    s.edges = {
        graphEdge(0, 3, "training", "LIC-0007", 50000, "absolute"),
        graphEdge(1, 3, "training", "LIC-0012", 25000, "relative"),
        graphEdge(2, 3, "implementation", "LIC-0019", 12500, "absolute"),
        graphEdge(1, 4, "training", "LIC-0031", 30000, "absolute", true),
        graphEdge(3, 5, "integration"),
        graphEdge(3, 6, "integration", "LIC-0040", 10000, "relative"),
        graphEdge(4, 6, "integration", "LIC-0041", 20000, "absolute"),
        graphEdge(3, 7, "illustration", "LIC-0052", 5000, "absolute"),
        graphEdge(3, 7, "translation"),
    };
    return s;
}

/**
 * A realistic neighbourhood of about n assets around a focus: three generations of ancestors and
 * four of descendants, widening away from the focus; a third of the assets have two or three
 * parents, some links skip a generation, most carry a licence and a rate, a few are revoked.
 */
inline GraphSpec lineageSpec(int n, quint32 seed = 42)
{
    QRandomGenerator rng(seed);
    GraphSpec s;
    s.name = QStringLiteral("lineage of MBG-D0001");
    // Share of the assets per generation, from -3 (oldest ancestors) to +4.
    static constexpr std::array<double, 8> shares{0.04, 0.08, 0.12, 0.0, 0.20, 0.25, 0.20, 0.11};
    struct Kind
    {
        const char *type, *prefix, *title, *phase;
    };
    static constexpr std::array<Kind, 8> kinds{{
        {"dataset", "D", "Clinical imaging corpus", "management"},
        {"patent", "P", "Method for tissue segmentation", "protection"},
        {"model", "M", "Segmentation model", "generation"},
        {"software", "S", "Pathology viewer module", "commercialization"},
        {"copyright", "C", "Recording of Helix Dreams", "commercialization"},
        {"trademark", "T", "PATHOSCAN word mark", "protection"},
        {"design", "G", "Scanner housing design", "management"},
        {"trade-secret", "K", "Staining protocol know-how", "generation"},
    }};
    static constexpr std::array<const char *, 7> derivations{
        "training", "fine-tuning", "integration", "remix", "sampling", "translation", "composite"};
    QList<QList<int>> generations(shares.size());
    auto add = [&](int depth) {
        const int i = int(s.nodes.size());
        const Kind &k = kinds[rng.bounded(int(kinds.size()))];
        QStringList flags;
        if (rng.bounded(100) < 8)
            flags.append(QStringLiteral("Ancestor MBG-P%1 lapsed").arg(rng.bounded(900) + 100));
        if (rng.bounded(100) < 3)
            flags.append(QStringLiteral("Licence LIC-%1 revoked").arg(rng.bounded(900) + 100));
        s.nodes.append(graphNode(
            i,
            QStringLiteral("MBG-%1%2").arg(QLatin1String(k.prefix)).arg(i + 1, 4, 10, QChar(u'0')),
            QStringLiteral("%1 %2 (%3)")
                .arg(QLatin1String(k.title))
                .arg(rng.bounded(9) + 1)
                .arg(2015 + rng.bounded(11)),
            QLatin1String(k.type), QLatin1String(k.phase), depth, flags));
        generations[depth + 3].append(i);
        return i;
    };
    auto link = [&](int parent, int child) {
        const int lic = rng.bounded(100);
        const QString kind = QLatin1String(derivations[rng.bounded(int(derivations.size()))]);
        if (lic < 15) {
            s.edges.append(graphEdge(parent, child, kind));
        } else {
            s.edges.append(
                graphEdge(parent, child, kind,
                          QStringLiteral("LIC-%1").arg(s.edges.size() + 1, 4, 10, QChar(u'0')),
                          qint64(rng.bounded(1, 240)) * 500,
                          rng.bounded(2) ? QStringLiteral("absolute") : QStringLiteral("relative"),
                          lic > 95));
        }
    };
    s.focus = add(0);
    for (int g = 0; g < int(shares.size()); ++g)
        if (g != 3)
            for (int k = 0, count = std::max(1, int(shares[g] * (n - 1))); k < count; ++k)
                add(g - 3);
    // Families stay together, as in a real portfolio: an asset's main parent is the one at the
    // same relative place in the previous generation (give or take a few), and its other parents
    // are near that one; some links skip a generation. Ancestors feed the next generation the
    // same way (the nearest ones feed the focus).
    auto near = [&](const QList<int> &generation, double place, int spread) {
        const int size = int(generation.size());
        const int centre = std::clamp(int(place * size), 0, size - 1);
        return generation[std::clamp(centre + int(rng.bounded(2 * spread + 1)) - spread, 0,
                                     size - 1)];
    };
    for (int g = 2; g >= 0; --g)
        for (qsizetype k = 0; k < generations[g].size(); ++k) {
            const double place = double(k) / double(generations[g].size());
            const int first = near(generations[g + 1], place, 1);
            link(generations[g][k], first);
            const int second = near(generations[g + 1], place, 3);
            if (second != first && rng.bounded(100) < 30)
                link(generations[g][k], second);
        }
    for (int g = 4; g < int(shares.size()); ++g)
        for (qsizetype k = 0; k < generations[g].size(); ++k) {
            const double place = double(k) / double(generations[g].size());
            QList<int> parents{near(generations[g - 1], place, 2)};
            const int extra = rng.bounded(100) < 33 ? 1 + rng.bounded(2) : 0;
            for (int e = 0; e < extra; ++e) {
                const int p =
                    near((g > 4 && rng.bounded(100) < 25) ? generations[g - 2] : generations[g - 1],
                         place, 4);
                if (!parents.contains(p))
                    parents.append(p);
            }
            for (int p : parents)
                link(p, generations[g][k]);
        }
    return s;
}

} // namespace cartulary::model::test
