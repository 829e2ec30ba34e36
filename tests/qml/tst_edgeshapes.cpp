// SPDX-License-Identifier: GPL-3.0-or-later
// EdgeShapes without a window: Bézier flattening against the curve's formula, arrow heads where
// Graphviz puts them, dashes of the right lengths, hit tests inside and outside the tolerance, and
// degenerate input.
#include "qml/items/edgeshapes.h"

#include <QLineF>
#include <QTest>

#include <cmath>

using namespace cartulary;
using namespace cartulary::ui;
using model::EdgeGeometry;

namespace {

QPointF bezier(const QPointF &p0, const QPointF &c1, const QPointF &c2, const QPointF &p1, qreal t)
{
    const qreal u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * p1;
}

qreal distance(const QPointF &a, const QPointF &b)
{
    return QLineF(a, b).length();
}

qreal polylineLength(const QList<QPointF> &points)
{
    qreal l = 0;
    for (qsizetype i = 1; i < points.size(); ++i)
        l += distance(points[i - 1], points[i]);
    return l;
}

/** The distance from p to a polyline. */
qreal toPolyline(const QPointF &p, const QList<QPointF> &points)
{
    qreal best = std::numeric_limits<qreal>::max();
    for (qsizetype i = 0; i + 1 < points.size(); ++i)
        best = std::min(best, EdgeShapes::segmentDistance(p, points[i], points[i + 1]));
    return best;
}

/** A quarter circle of radius 100 around (0, 0) as one cubic, from (100, 0) to (0, 100). */
QList<QPointF> quarterCircle()
{
    constexpr qreal k = 0.5522847498 * 100; // the usual control-point distance
    return {{100, 0}, {100, k}, {k, 100}, {0, 100}};
}

/** A straight vertical edge from (50, 0) down to (50, 90), its arrow ending at (50, 100). */
EdgeGeometry straightDown(qreal x = 50)
{
    EdgeGeometry g;
    g.spline = {{x, 0}, {x, 30}, {x, 60}, {x, 90}};
    g.hasArrow = true;
    g.arrowTip = {x, 100};
    return g;
}

bool finite(const QPointF &p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

} // namespace

class TestEdgeShapes : public QObject
{
    Q_OBJECT

private slots:
    void flattensAStraightSegment()
    {
        // Control polygon 90 points long: 30 steps of FlattenStep, all on the line, evenly in t.
        const QList<QPointF> points = EdgeShapes::flatten(straightDown().spline);
        QCOMPARE(points.size(), 31);
        QCOMPARE(points.first(), QPointF(50, 0));
        QCOMPARE(points.last(), QPointF(50, 90));
        for (qsizetype i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i].x(), 50.0);
            QVERIFY(std::abs(points[i].y() - 3.0 * qreal(i)) < 1e-9);
        }
    }

    void flattensACurveOnTheCurve()
    {
        const QList<QPointF> s = quarterCircle();
        const QList<QPointF> points = EdgeShapes::flatten(s);
        // Polygon ≈ 55 + 63 + 55 = 173 points: 58 steps, capped at MaxSteps.
        QCOMPARE(points.size(), EdgeShapes::MaxSteps + 1);
        for (qsizetype k = 0; k < points.size(); ++k) {
            const QPointF expected =
                bezier(s[0], s[1], s[2], s[3], qreal(k) / EdgeShapes::MaxSteps);
            QVERIFY2(distance(points[k], expected) < 1e-9, qPrintable(QString::number(k)));
            // And on the circle the cubic approximates (within its known 0.03 % error).
            QVERIFY(std::abs(distance(points[k], QPointF(0, 0)) - 100) < 0.03);
        }
        // The chords stay close to the curve: nowhere more than a tenth of a point off it.
        for (int i = 0; i <= 1000; ++i) {
            const QPointF on = bezier(s[0], s[1], s[2], s[3], i / 1000.0);
            QVERIFY2(toPolyline(on, points) < 0.1, qPrintable(QString::number(i)));
        }
        QVERIFY(std::abs(polylineLength(points) - M_PI * 50) < 0.1);
    }

    void flattensEverySegmentOfASpline()
    {
        // Two cubics: a short one (4 points of polygon: MinSteps) then the straight line down.
        QList<QPointF> s{{50, -4}, {50, -3}, {50, -1}};
        s += straightDown().spline;
        const QList<QPointF> points = EdgeShapes::flatten(s);
        QCOMPARE(points.size(), 1 + EdgeShapes::MinSteps + 30);
        QCOMPARE(points[EdgeShapes::MinSteps], QPointF(50, 0)); // the joint, exactly
        QCOMPARE(points.last(), QPointF(50, 90));
        // Points after the last whole cubic are not drawn.
        QList<QPointF> ragged = straightDown().spline;
        ragged += {{500, 500}, {600, 600}};
        QCOMPARE(EdgeShapes::flatten(ragged), EdgeShapes::flatten(straightDown().spline));
    }

    void arrowHeadEndsAtTheTip()
    {
        const EdgeShape shape = EdgeShapes::shape(straightDown(), false);
        QVERIFY(shape.hasArrow);
        QCOMPARE(shape.arrowBase, QPointF(50, 90));
        QCOMPARE(shape.arrowTip, QPointF(50, 100));
        // Graphviz's arrow: the tip, and the two back corners 0.35 of its length to each side.
        const auto head = EdgeShapes::arrowHead(shape.arrowBase, shape.arrowTip, 0);
        QCOMPARE(head[0], QPointF(50, 100));
        QCOMPARE(head[1], QPointF(53.5, 90));
        QCOMPARE(head[2], QPointF(46.5, 90));
        // Zoomed far out, a head is kept at a minimum length, still ending at the tip.
        const auto longer = EdgeShapes::arrowHead(shape.arrowBase, shape.arrowTip, 30);
        QCOMPARE(longer[0], QPointF(50, 100));
        QCOMPARE(longer[1], QPointF(60.5, 70));
        QCOMPARE(longer[2], QPointF(39.5, 70));
        // A head pointing right, along a diagonal: symmetric about its axis, tip first.
        const auto diagonal = EdgeShapes::arrowHead(QPointF(0, 0), QPointF(6, 8), 0);
        QCOMPARE(diagonal[0], QPointF(6, 8));
        QVERIFY(std::abs(distance(diagonal[1], diagonal[0]) - distance(diagonal[2], diagonal[0])) <
                1e-9);
        QVERIFY(distance((diagonal[1] + diagonal[2]) / 2, QPointF(0, 0)) < 1e-9);
    }

    void reversedEdgeCarriesItsArrowAtTheStart()
    {
        // dot reverses an edge in a cycle: the spline runs from the child, the arrow at its start.
        EdgeGeometry g = straightDown();
        std::reverse(g.spline.begin(), g.spline.end());
        g.arrowTip = QPointF(50, 100);
        const EdgeShape shape = EdgeShapes::shape(g, false);
        QCOMPARE(shape.arrowBase, QPointF(50, 90)); // the curve's first point, nearer the tip
        g.arrowTip = QPointF(50, -10);
        QCOMPARE(EdgeShapes::shape(g, false).arrowBase, QPointF(50, 0));
        QVERIFY(EdgeShapes::shape(g, false).bounds.contains(QPointF(50, -9.99)));
    }

    void dashes()
    {
        // 90 points straight: dashes of 6 with gaps of 4, nine of them, every one 6 long.
        const QList<QPointF> line = EdgeShapes::flatten(straightDown().spline);
        const QList<QList<QPointF>> dashes = EdgeShapes::dashes(line, 6, 4);
        QCOMPARE(dashes.size(), 9);
        for (qsizetype i = 0; i < dashes.size(); ++i) {
            const QList<QPointF> &d = dashes[i];
            QVERIFY(d.size() >= 2);
            QVERIFY2(std::abs(d.first().y() - 10.0 * qreal(i)) < 1e-9,
                     qPrintable(QString::number(i)));
            QVERIFY2(std::abs(polylineLength(d) - 6) < 1e-9, qPrintable(QString::number(i)));
            for (const QPointF &p : d)
                QCOMPARE(p.x(), 50.0);
        }
        // A dash that would run past the line's end stops there: 7 on, 4 off gives 0–7, 11–18,
        // … 77–84, then 88–90.
        const QList<QList<QPointF>> cut = EdgeShapes::dashes(line, 7, 4);
        QCOMPARE(cut.size(), 9);
        QVERIFY(std::abs(cut.last().first().y() - 88) < 1e-9);
        QCOMPARE(cut.last().last(), QPointF(50, 90));
        QVERIFY(std::abs(polylineLength(cut.last()) - 2) < 1e-9);
        // Around a bend: lengths are measured along the curve, not straight across.
        const QList<QPointF> arc = EdgeShapes::flatten(quarterCircle());
        const QList<QList<QPointF>> arcDashes = EdgeShapes::dashes(arc, 6, 4);
        qreal inked = 0;
        for (const QList<QPointF> &d : arcDashes) {
            inked += polylineLength(d);
            for (const QPointF &p : d)
                QVERIFY(std::abs(distance(p, QPointF(0, 0)) - 100) < 0.06);
        }
        const qreal total = polylineLength(arc);
        QVERIFY2(std::abs(inked - total * 0.6) < 6, qPrintable(QString::number(inked)));
        QCOMPARE(arcDashes.size(), int(std::ceil(total / 10)));
    }

    void hitTests()
    {
        const EdgeShapes shapes({straightDown(50), straightDown(80)}, {false, true});
        QCOMPARE(shapes.size(), 2);
        QVERIFY(!shapes.at(0).dashed);
        QVERIFY(shapes.at(1).dashed);
        // On the line, within the tolerance (inclusive), beyond it.
        QCOMPARE(shapes.edgeAt(QPointF(50, 45), 6), 0);
        QCOMPARE(shapes.edgeAt(QPointF(56, 45), 6), 0);
        QCOMPARE(shapes.edgeAt(QPointF(44, 45), 6), 0);
        QCOMPARE(shapes.edgeAt(QPointF(56.01, 45), 6), -1);
        QCOMPARE(shapes.edgeAt(QPointF(43.9, 45), 6), -1);
        // The nearer of two edges wins; a dashed edge is hit in its gaps too.
        QCOMPARE(shapes.edgeAt(QPointF(64, 45), 20), 0);
        QCOMPARE(shapes.edgeAt(QPointF(66, 45), 20), 1);
        QCOMPARE(shapes.edgeAt(QPointF(80, 8), 1), 1); // 6–10 is a gap when drawn
        // The arrow head belongs to its edge; past its tip and past the curve's start it ends.
        QCOMPARE(shapes.edgeAt(QPointF(50, 97), 1), 0);
        QCOMPARE(shapes.edgeAt(QPointF(50, 106), 6), 0);
        QCOMPARE(shapes.edgeAt(QPointF(50, 106.5), 6), -1);
        QCOMPARE(shapes.edgeAt(QPointF(50, -6.5), 6), -1);
        // Along a curve: a point of the Bézier itself, and one 5 points outside it.
        const QList<QPointF> s = quarterCircle();
        EdgeGeometry arc;
        arc.spline = s;
        const EdgeShapes curved({arc}, {});
        const QPointF mid = bezier(s[0], s[1], s[2], s[3], 0.5);
        QCOMPARE(curved.edgeAt(mid, 0.1), 0);
        QCOMPARE(curved.edgeAt(mid * 1.05, 6), 0);
        QCOMPARE(curved.edgeAt(mid * 1.05, 4), -1);
        QCOMPARE(curved.edgeAt(QPointF(0, 0), 60), -1); // the centre is 100 away
    }

    void degenerateInput()
    {
        QVERIFY(EdgeShapes::flatten({}).isEmpty());
        QCOMPARE(EdgeShapes::flatten({{3, 4}}), QList<QPointF>{QPointF(3, 4)});
        QCOMPARE(EdgeShapes::flatten({{3, 4}, {5, 6}, {7, 8}}), QList<QPointF>{QPointF(3, 4)});
        // All control points on one spot: MinSteps points there, no NaN.
        const QList<QPointF> dot = EdgeShapes::flatten({{1, 1}, {1, 1}, {1, 1}, {1, 1}});
        QCOMPARE(dot.size(), EdgeShapes::MinSteps + 1);
        for (const QPointF &p : dot)
            QCOMPARE(p, QPointF(1, 1));

        // An edge without a curve has no arrow and cannot be hit; nor can an empty set.
        EdgeGeometry none;
        none.hasArrow = true;
        none.arrowTip = QPointF(10, 10);
        const EdgeShape empty = EdgeShapes::shape(none, true);
        QVERIFY(empty.points.isEmpty());
        QVERIFY(!empty.hasArrow);
        QVERIFY(empty.bounds.isNull());
        QCOMPARE(EdgeShapes({none}, {true}).edgeAt(QPointF(10, 10), 50), -1);
        QCOMPARE(EdgeShapes().edgeAt(QPointF(0, 0), 1000), -1);
        QCOMPARE(EdgeShapes({straightDown()}, {}).edgeAt(QPointF(50, 45), -1), -1);

        // A head whose base is its tip: collapses to the tip, or grows to the minimum length
        // without a direction to grow in — never NaN.
        for (const qreal min : {0.0, 6.0})
            for (const QPointF &p : EdgeShapes::arrowHead(QPointF(5, 5), QPointF(5, 5), min))
                QVERIFY(finite(p) && p == QPointF(5, 5));

        // Dashes of nothing, of a point, of zero-length segments, or with no gaps.
        QVERIFY(EdgeShapes::dashes({}, 6, 4).isEmpty());
        QVERIFY(EdgeShapes::dashes({{1, 1}}, 6, 4).isEmpty());
        const QList<QPointF> still{{1, 1}, {1, 1}, {1, 1}};
        for (const QList<QPointF> &d : EdgeShapes::dashes(still, 6, 4))
            for (const QPointF &p : d)
                QCOMPARE(p, QPointF(1, 1));
        const QList<QPointF> line = EdgeShapes::flatten(straightDown().spline);
        QCOMPARE(EdgeShapes::dashes(line, 0, 4), QList<QList<QPointF>>{line});
        QCOMPARE(EdgeShapes::dashes(line, 6, 0), QList<QList<QPointF>>{line});
        QCOMPARE(EdgeShapes::dashes(line, std::nan(""), 4), QList<QList<QPointF>>{line});
        // A dash longer than the line: the line.
        const QList<QList<QPointF>> one = EdgeShapes::dashes(line, 1000, 4);
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.first(), line);
    }
};

QTEST_GUILESS_MAIN(TestEdgeShapes)
#include "tst_edgeshapes.moc"
