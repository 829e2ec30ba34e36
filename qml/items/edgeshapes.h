// SPDX-License-Identifier: GPL-3.0-or-later
// The geometry behind EdgeLayer without Qt Quick: Graphviz's splines flattened to polylines, arrow
// heads, dashes, and which edge lies under a point.
#pragma once

#include "model/graph/graphlayout.h"

#include <QList>
#include <QPointF>
#include <QRectF>

#include <array>

namespace cartulary::ui {

/** One edge as drawn: a polyline and an arrow head, in layout points. */
struct EdgeShape
{
    QList<QPointF> points;
    QRectF bounds; ///< of the points and the arrow tip; null for an edge without points
    bool hasArrow = false;
    QPointF arrowBase, arrowTip;
    bool dashed = false; ///< a revoked licence
};

/**
 * Every edge of a layout flattened once, in spec order, for drawing and for hit tests. Plain
 * geometry (Qt Core types only): EdgeLayer turns it into scene-graph nodes or QPainter calls.
 */
class EdgeShapes
{
public:
    /** Flattening: one line segment per this many layout points of control polygon. */
    static constexpr qreal FlattenStep = 3.0;
    /** Segments per cubic: at least this many (a curve stays a curve)… */
    static constexpr int MinSteps = 2;
    /** …and at most this many. */
    static constexpr int MaxSteps = 48;
    /** Arrow head half-width over its length: Graphviz's "normal" arrow. */
    static constexpr qreal ArrowWidth = 0.35;

    /**
     * Graphviz's control points (p0, then c1 c2 p1 per cubic Bézier segment) as a polyline that
     * starts at p0 and passes through each segment's end point. Points after the last whole
     * segment are ignored; fewer than four points give p0 alone (or nothing).
     */
    static QList<QPointF> flatten(const QList<QPointF> &spline);
    /** An edge as drawn: its flattened curve and its arrow head (see EdgeShape). */
    static EdgeShape shape(const model::EdgeGeometry &geometry, bool dashed);
    /**
     * An arrow head's corners, tip first: from the curve's end (base) to tip, at least minLength
     * long (a short head is lengthened backwards from the tip), ArrowWidth as wide on each side.
     * A head with base on tip and no minimum length collapses to the tip.
     */
    static std::array<QPointF, 3> arrowHead(const QPointF &base, const QPointF &tip,
                                            qreal minLength);
    /**
     * A polyline cut into dashes: on long, then a gap off long, and so on from its start; the
     * last dash may be shorter. on or off not above zero: the whole line, one dash.
     */
    static QList<QList<QPointF>> dashes(const QList<QPointF> &points, qreal on, qreal off);
    /** Distance from p to the segment a–b (to a when a == b). */
    static qreal segmentDistance(const QPointF &p, const QPointF &a, const QPointF &b);

    EdgeShapes() = default;
    /** The shapes of a layout's edges; dashed[i] (when given) dashes edge i. */
    EdgeShapes(const QList<model::EdgeGeometry> &edges, const QList<bool> &dashed);

    const QList<EdgeShape> &edges() const { return m_edges; }
    qsizetype size() const { return m_edges.size(); }
    const EdgeShape &at(qsizetype row) const { return m_edges.at(row); }

    /**
     * The edge nearest a point, if its curve or arrow is within reach (layout points, inclusive);
     * the later edge on a tie (it is drawn on top). -1 when none is.
     */
    int edgeAt(const QPointF &point, qreal reach) const;

private:
    QList<EdgeShape> m_edges;
};

} // namespace cartulary::ui
