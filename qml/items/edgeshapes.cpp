// SPDX-License-Identifier: GPL-3.0-or-later
// EdgeShapes: cubic Béziers flattened by the length of their control polygon, Graphviz-shaped
// arrow heads, dashes measured along the curve, and nearest-edge hit tests.
#include "qml/items/edgeshapes.h"

#include <algorithm>
#include <cmath>

namespace cartulary::ui {

namespace {

qreal length(const QPointF &v)
{
    return std::hypot(v.x(), v.y());
}

QPointF normalised(const QPointF &v)
{
    const qreal l = length(v);
    return l > 0 ? v / l : QPointF();
}

/** Grows r to hold p (a point has no area, so QRectF::united would drop it). */
void include(QRectF &r, const QPointF &p)
{
    if (r.isNull()) {
        r = QRectF(p, QSizeF(0.001, 0.001));
        return;
    }
    r.setLeft(std::min(r.left(), p.x()));
    r.setTop(std::min(r.top(), p.y()));
    r.setRight(std::max(r.right(), p.x()));
    r.setBottom(std::max(r.bottom(), p.y()));
}

} // namespace

QList<QPointF> EdgeShapes::flatten(const QList<QPointF> &spline)
{
    QList<QPointF> points;
    if (spline.isEmpty())
        return points;
    points.append(spline.first());
    for (qsizetype s = 0; s + 3 < spline.size(); s += 3) {
        const QPointF p0 = spline[s], c1 = spline[s + 1], c2 = spline[s + 2], p1 = spline[s + 3];
        const qreal polygon = length(c1 - p0) + length(c2 - c1) + length(p1 - c2);
        const int steps = std::clamp(int(std::ceil(polygon / FlattenStep)), MinSteps, MaxSteps);
        for (int k = 1; k < steps; ++k) {
            const qreal t = qreal(k) / steps, u = 1 - t;
            points.append(u * u * u * p0 + 3 * u * u * t * c1 + 3 * u * t * t * c2 +
                          t * t * t * p1);
        }
        points.append(p1); // exactly: the next segment starts here
    }
    return points;
}

EdgeShape EdgeShapes::shape(const model::EdgeGeometry &geometry, bool dashed)
{
    EdgeShape c;
    c.dashed = dashed;
    c.points = flatten(geometry.spline);
    c.hasArrow = geometry.hasArrow && !c.points.isEmpty();
    if (c.hasArrow) {
        c.arrowTip = geometry.arrowTip;
        // The arrow starts where the curve ends, unless the curve was drawn from the child's side
        // (an edge dot reversed): then it starts at the curve's start.
        const bool atEnd = length(c.points.last() - geometry.arrowTip) <=
                           length(c.points.first() - geometry.arrowTip);
        c.arrowBase = atEnd ? c.points.last() : c.points.first();
    }
    for (const QPointF &p : std::as_const(c.points))
        include(c.bounds, p);
    if (c.hasArrow)
        include(c.bounds, c.arrowTip);
    return c;
}

std::array<QPointF, 3> EdgeShapes::arrowHead(const QPointF &base, const QPointF &tip,
                                             qreal minLength)
{
    QPointF back = base - tip;
    back = normalised(back) * std::max(length(back), minLength);
    const QPointF side = QPointF(-back.y(), back.x()) * ArrowWidth;
    return {tip, tip + back + side, tip + back - side};
}

QList<QList<QPointF>> EdgeShapes::dashes(const QList<QPointF> &points, qreal on, qreal off)
{
    QList<QList<QPointF>> out;
    if (points.size() < 2)
        return out;
    if (!(on > 0) || !(off > 0)) {
        out.append(points);
        return out;
    }
    QList<QPointF> dash{points.first()};
    bool drawing = true;
    qreal left = on; // of the current dash or gap
    for (qsizetype i = 1; i < points.size(); ++i) {
        QPointF from = points[i - 1];
        const QPointF to = points[i];
        qreal segment = length(to - from);
        while (segment > left) {
            const QPointF at = from + (to - from) * (left / segment);
            dash.append(at);
            if (drawing) {
                out.append(dash);
                dash.clear();
            }
            segment -= left;
            from = at;
            drawing = !drawing;
            left = drawing ? on : off;
        }
        left -= segment;
        if (drawing)
            dash.append(to);
    }
    if (drawing && dash.size() >= 2)
        out.append(dash);
    return out;
}

qreal EdgeShapes::segmentDistance(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const qreal l2 = QPointF::dotProduct(ab, ab);
    const qreal t = l2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / l2, 0.0, 1.0) : 0.0;
    return length(p - (a + t * ab));
}

EdgeShapes::EdgeShapes(const QList<model::EdgeGeometry> &edges, const QList<bool> &dashed)
{
    m_edges.reserve(edges.size());
    for (qsizetype i = 0; i < edges.size(); ++i)
        m_edges.append(shape(edges[i], i < dashed.size() && dashed[i]));
}

int EdgeShapes::edgeAt(const QPointF &point, qreal reach) const
{
    int best = -1;
    qreal bestDistance = reach;
    for (int e = 0; e < m_edges.size(); ++e) {
        const EdgeShape &c = m_edges[e];
        if (c.bounds.isNull() || !c.bounds.adjusted(-reach, -reach, reach, reach).contains(point))
            continue;
        for (qsizetype i = 0; i + 1 < c.points.size(); ++i) {
            const qreal d = segmentDistance(point, c.points[i], c.points[i + 1]);
            if (d <= bestDistance) {
                bestDistance = d;
                best = e;
            }
        }
        if (c.hasArrow) {
            const qreal d = segmentDistance(point, c.arrowBase, c.arrowTip);
            if (d <= bestDistance) {
                bestDistance = d;
                best = e;
            }
        }
    }
    return best;
}

} // namespace cartulary::ui
