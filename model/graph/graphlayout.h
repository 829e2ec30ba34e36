// SPDX-License-Identifier: GPL-3.0-or-later
// Derivation graphs as Graphviz sees them: a plain description, its DOT text, its `dot` layout and
// its rendering to SVG, PDF and PNG. Graphviz is not thread-safe: every call goes through
// graphvizPool(), one thread.
#pragma once

#include "ledger/result.h"

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

class QThreadPool;

namespace cartulary::model {

/** An asset in a derivation graph. */
struct GraphNode
{
    QString id;        ///< the asset's id (a UUID); the DOT node name
    QString reference; ///< docket number, shown under the title
    QString title;
    QString type;   ///< an asset type id ("dataset", "model", …)
    QString phase;  ///< the asset's current value-chain phase id ("generation", …)
    QString status; ///< the asset's legal status ("granted", "lapsed", …)
    int depth = 0;  ///< generations from the focus: < 0 ancestors, 0 the focus, > 0 descendants
    /** Legal-status warnings that reach this asset (a lapsed ancestor, a revoked licence). */
    QStringList flags;
};

/** A derivation link: the child was derived from the parent under a licence. */
struct GraphEdge
{
    int parent = -1; ///< index into GraphSpec::nodes
    int child = -1;  ///< index into GraphSpec::nodes
    QString kind;    ///< derivation kind ("training", "remix", …)
    QString licenceId;
    QString licenceReference; ///< short name shown on the edge; empty when no licence was needed
    QString licenceTitle;
    QString headReference; ///< a sublicence's head licence, shown with it; empty: not a sublicence
    qint64 royaltyPpm = 0; ///< royalty rate on the child's revenue, parts per million
    QString policy;        ///< "absolute" or "relative"; empty when no royalty
    bool revoked = false;  ///< the licence was revoked
    QString tooltip;       ///< the licence's terms, several lines, for hover and SVG tooltips
};

/** A graph to lay out: nodes and parent → child edges. Ancestors are drawn above descendants. */
struct GraphSpec
{
    QString name = QStringLiteral("lineage"); ///< the DOT graph name
    int focus = -1;                           ///< index of the selected asset, or -1
    QList<GraphNode> nodes;
    QList<GraphEdge> edges;
    /** Assets left out because the neighbourhood was capped (they exist but are not drawn). */
    int omitted = 0;
};

/** Where Graphviz put an edge: a cubic B-spline and its arrow head, in layout coordinates. */
struct EdgeGeometry
{
    /** Control points: p0, then three points per cubic segment (p0 c1 c2 p1 c1 c2 p2 …). */
    QList<QPointF> spline;
    bool hasArrow = false;
    QPointF arrowTip; ///< the arrow head ends here (on the child's border)
    QPointF labelPos; ///< centre of the edge's label; (0,0) when it has none
};

/**
 * A `dot` layout: points (1/72 inch), origin at the top-left of the bounding box, y growing
 * downwards (Qt's orientation, Graphviz's flipped).
 */
struct GraphLayout
{
    QSizeF size;               ///< bounding box
    QList<QRectF> nodes;       ///< one per GraphSpec::nodes, same order
    QList<EdgeGeometry> edges; ///< one per GraphSpec::edges, same order
};

/** The edge's royalty for people: "5.00 % absolute", "0.25 %"; empty when it has none. */
QString royaltyRateText(const GraphEdge &edge);

enum class GraphFormat { Dot, Svg, Pdf, Png };

/** "dot", "svg", "pdf", "png" → format; nullopt otherwise. */
std::optional<GraphFormat> graphFormatFromName(const QString &name);

/**
 * The graph as DOT text, accepted by Graphviz's `dot` tool: every string is quoted and escaped, so
 * titles with quotes, backslashes, braces or newlines cannot break out. Nodes show the title
 * (shortened) and reference, filled with their phase colour; edges show the licence and rate.
 */
QByteArray toDot(const GraphSpec &spec);

/** The steps of layoutGraph, in order. */
enum class LayoutStep {
    Parsing,   ///< the DOT text is read into a cgraph graph
    LayingOut, ///< `dot` places nodes and routes edges: the long step, which cannot be interrupted
    Reading,   ///< node boxes and edge curves are read back
};

/**
 * Lays the graph out with cgraph and gvc's `dot` engine (rank direction top to bottom). Call only
 * on graphvizPool(). cancel, when set, is polled before and after each step and while reading
 * back; a cancelled layout fails with code "cancelled" and leaves nothing behind (the graph and its
 * layout are freed, Graphviz is free for the next call). Graphviz's own `dot` step cannot be
 * interrupted: a cancel during it takes effect when it returns. step, when set, is told as each
 * step starts, on the calling thread.
 */
Result<GraphLayout> layoutGraph(const GraphSpec &spec, const std::atomic_bool *cancel = nullptr,
                                const std::function<void(LayoutStep)> &step = {});

/** Renders the graph with Graphviz (DOT text for GraphFormat::Dot). Call only on graphvizPool(). */
Result<QByteArray> renderGraph(const GraphSpec &spec, GraphFormat format);

/** The one thread that calls Graphviz (a pool of one). */
QThreadPool &graphvizPool();

} // namespace cartulary::model
