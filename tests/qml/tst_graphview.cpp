// SPDX-License-Identifier: GPL-3.0-or-later
// GraphView in a real window: nodes where the layout put them, fit, click and double-click, the
// edge under the pointer and its tooltip, highlighting, zoom and pan, light and dark, the minimap;
// screenshots go to the build tree.
#include "../model/graphtestutil.h"
#include "model/ui/graphscene.h"
#include "qml/items/edgelayer.h"

#include <QDir>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExpression>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

Q_IMPORT_QML_PLUGIN(Cartulary_ModelPlugin)
Q_IMPORT_QML_PLUGIN(CartularyPlugin)

using namespace cartulary::model;
using namespace cartulary::model::test;
using cartulary::ui::EdgeLayer;

namespace {

QStringList g_qmlWarnings;

void collectWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg &&
        (message.contains(QLatin1String("qrc:/")) || message.contains(QLatin1String(".qml"))))
        g_qmlWarnings.append(message);
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

/** The window the app would give a Lineage page: Theme palette, a GraphView filling it. */
constexpr const char *WindowQml = R"(
import QtQuick
import QtQuick.Controls
import Cartulary
import Cartulary.Model

ApplicationWindow {
    id: window
    required property GraphScene graphScene
    width: 1100
    height: 680
    visible: true
    color: Theme.window
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.base
    palette.text: Theme.text
    palette.button: Theme.base
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.highlightedText
    palette.mid: Theme.border
    palette.toolTipBase: Theme.base
    palette.toolTipText: Theme.text

    GraphView {
        objectName: "graphView"
        anchors.fill: parent
        anchors.margins: 12
        scene: window.graphScene
    }
}
)";

/** Every item below root in the visual tree with this objectName. */
QList<QQuickItem *> items(QQuickItem *root, const QString &name)
{
    QList<QQuickItem *> found;
    for (QQuickItem *child : root->childItems()) {
        if (child->objectName() == name)
            found.append(child);
        found += items(child, name);
    }
    return found;
}

QQuickItem *item(QQuickItem *root, const char *name)
{
    const auto all = items(root, QLatin1String(name));
    return all.isEmpty() ? nullptr : all.constFirst();
}

/** WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white). */
qreal luminance(QRgb rgb)
{
    const auto channel = [](int value) {
        const qreal c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(qRed(rgb)) + 0.7152 * channel(qGreen(rgb)) +
           0.0722 * channel(qBlue(rgb));
}

/** WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white). */
qreal contrast(QRgb a, QRgb b)
{
    const qreal la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

/** A point on a cubic Bézier segment of a spline, t in [0, 1]. */
QPointF onSpline(const QList<QPointF> &s, int segment, qreal t)
{
    const QPointF p0 = s[segment * 3], c1 = s[segment * 3 + 1], c2 = s[segment * 3 + 2],
                  p1 = s[segment * 3 + 3];
    const qreal u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * p1;
}

} // namespace

class TestGraphView : public QObject
{
    Q_OBJECT

private:
    QString m_shots;
    QQmlEngine *m_engine = nullptr;
    GraphScene *m_scene = nullptr;
    QQuickWindow *m_window = nullptr;
    QQuickItem *m_view = nullptr;

    void shoot(const QString &name, bool keepPointer = false)
    {
        // Unless the picture is about the pointer, it rests on the empty part of the toolbar, so
        // no hover tooltip covers the graph.
        if (!keepPointer)
            QTest::mouseMove(m_window, QPoint(m_window->width() / 2, 20));
        QTest::qWait(200); // let the frame and any tooltip settle
        const QImage image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        const QString path = m_shots + "/" + name + ".png";
        QVERIFY2(image.save(path), qPrintable(path));
    }

    QQuickItem *viewport() const { return item(m_view, "graphViewport"); }
    EdgeLayer *edgeLayer() const { return qobject_cast<EdgeLayer *>(item(m_view, "edgeLayer")); }
    qreal zoom() const { return m_view->property("zoom").toReal(); }

    /** The node delegate showing a row of scene.nodes. */
    QQuickItem *nodeItem(int row) const
    {
        for (QQuickItem *node : items(m_view, QStringLiteral("graphNode")))
            if (node->property("index").toInt() == row)
                return node;
        return nullptr;
    }

    /** A layout point in window coordinates, through the view's pan and zoom. */
    QPoint toWindow(const QPointF &layoutPoint) const
    {
        return edgeLayer()->mapToScene(layoutPoint).toPoint();
    }

    void layOut(const GraphSpec &spec)
    {
        QSignalSpy laidOut(m_scene, &GraphScene::laidOut);
        m_scene->setSpec(spec);
        QVERIFY(laidOut.wait(60000));
        QTRY_COMPARE(int(items(m_view, QStringLiteral("graphNode")).size()),
                     int(spec.nodes.size()));
    }

    void setDark(bool dark)
    {
        // Theme is a QML singleton: set it the way a QML file would.
        QQmlExpression set(m_engine->contextForObject(m_window), m_window,
                           QStringLiteral("Theme.dark = %1").arg(dark ? "true" : "false"));
        (void)set.evaluate();
        QVERIFY2(!set.hasError(), qPrintable(set.error().toString()));
    }

private slots:
    void initTestCase()
    {
        m_shots =
            qEnvironmentVariable("CARTULARY_SCREENSHOTS", QDir::currentPath() + "/screenshots");
        QVERIFY(QDir().mkpath(m_shots));
        qInstallMessageHandler(collectWarnings);
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        m_engine = new QQmlEngine(this);
        // Qt 6.4 does not look in qrc:/qt/qml by itself (6.5 does): the Cartulary module is there.
        m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_scene = new GraphScene(this);
        QQmlComponent component(m_engine);
        component.setData(WindowQml, QUrl(QStringLiteral("qrc:/tst_graphview/Window.qml")));
        QVERIFY2(component.isReady(), qPrintable(component.errorString()));
        QObject *object =
            component.createWithInitialProperties({{"graphScene", QVariant::fromValue(m_scene)}});
        QVERIFY2(object, qPrintable(component.errorString()));
        m_window = qobject_cast<QQuickWindow *>(object);
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        m_view = item(m_window->contentItem(), "graphView");
        QVERIFY(m_view);
        QVERIFY(edgeLayer());
    }

    void cleanupTestCase()
    {
        delete m_window;
        m_window = nullptr;
    }

    void cleanup() { QVERIFY2(g_qmlWarnings.isEmpty(), qPrintable(g_qmlWarnings.join('\n'))); }

    void nodesWhereTheLayoutPutThem()
    {
        QVERIFY(item(m_view, "graphBusy") && !item(m_view, "graphBusy")->isVisible());
        layOut(threeGenerationSpec());
        // Fitted on the first layout: the whole graph is in view, centred.
        QCOMPARE(zoom(), m_view->property("fitZoom").toReal());
        QVERIFY(zoom() > 0.5);
        const QRectF view = viewport()->mapRectToScene(viewport()->boundingRect());
        const qreal pan[] = {m_view->property("panX").toReal(), m_view->property("panY").toReal()};
        for (int row = 0; row < m_scene->nodeCount(); ++row) {
            QQuickItem *node = nodeItem(row);
            QVERIFY(node);
            const QRectF layout = m_scene->nodeRect(row);
            // Where the delegate is, in the viewport: the layout box, zoomed and panned.
            const QRectF shown = node->mapRectToItem(viewport(), node->boundingRect());
            QVERIFY2(std::abs(shown.x() - (pan[0] + layout.x() * zoom())) < 1 &&
                         std::abs(shown.y() - (pan[1] + layout.y() * zoom())) < 1 &&
                         std::abs(shown.width() - layout.width() * zoom()) < 1 &&
                         std::abs(shown.height() - layout.height() * zoom()) < 1,
                     qPrintable(QStringLiteral("row %1").arg(row)));
            QVERIFY(view.contains(node->mapRectToScene(node->boundingRect())));
            QCOMPARE(node->property("assetId").toString(), m_scene->spec().nodes[row].id);
        }
        QCOMPARE(int(items(m_view, QStringLiteral("edgeLabel")).size()), m_scene->edgeCount());
        // The edges are drawn: ink where each curve leaves its parent (the licence labels sit
        // further down) and inside each arrow head, just above the child's border.
        QTest::qWait(100);
        const QImage frame = m_window->grabWindow();
        const qreal ratio = frame.devicePixelRatio();
        auto ink = [&](const QPointF &layoutPoint) {
            const QPoint p = (QPointF(toWindow(layoutPoint)) * ratio).toPoint();
            int darkest = 255;
            for (int dx = -1; dx <= 1; ++dx)
                for (int dy = -1; dy <= 1; ++dy)
                    darkest = std::min(darkest, qGray(frame.pixel(p + QPoint(dx, dy))));
            return darkest < 200;
        };
        for (int e = 0; e < m_scene->edgeCount(); ++e) {
            const EdgeGeometry &g = m_scene->edgeGeometry(e);
            const QPointF base = g.spline.last();
            const QPointF inArrow = g.arrowTip + (base - g.arrowTip) * 0.3;
            bool line = false; // a few points apart: revoked licences are dashed
            for (const qreal t : {0.1, 0.14, 0.18, 0.22, 0.26})
                line = line || ink(onSpline(g.spline, 0, t));
            QVERIFY2(line, qPrintable(QStringLiteral("edge %1").arg(e)));
            QVERIFY2(ink(inArrow), qPrintable(QStringLiteral("arrow of edge %1").arg(e)));
        }
        QVERIFY(!item(m_view, "graphMinimap")->isVisible()); // everything is in view
        QVERIFY(item(m_view, "graphLegend")->isVisible());
        QCOMPARE(item(m_view, "graphCounts")->property("text").toString(),
                 QStringLiteral("8 assets · 9 links"));
        shoot(QStringLiteral("graphview"));
    }

    void clickSelectsAndHighlights()
    {
        QSignalSpy clicked(m_view, SIGNAL(nodeClicked(QString)));
        QSignalSpy activated(m_view, SIGNAL(nodeActivated(QString)));
        const QRectF focus = m_scene->nodeRect(3);
        QTest::mouseClick(m_window, Qt::LeftButton, {}, toWindow(focus.center()));
        QTRY_COMPARE(clicked.count(), 1);
        QCOMPARE(clicked[0][0].toString(), m_scene->spec().nodes[3].id);
        QCOMPARE(m_view->property("selectedAssetId").toString(), m_scene->spec().nodes[3].id);
        // Selecting shows the asset's lineage: the sibling model (row 4) is dimmed.
        QCOMPARE(m_scene->highlightRow(), 3);
        QTRY_COMPARE(nodeItem(4)->opacity(), 0.3);
        QCOMPARE(nodeItem(0)->opacity(), 1.0);
        QCOMPARE(nodeItem(6)->opacity(), 1.0);
        QCOMPARE(activated.count(), 0);
        QTest::qWait(400); // not a double click
        shoot(QStringLiteral("graphview-selected"));

        const QRectF product = m_scene->nodeRect(6);
        QTest::mouseDClick(m_window, Qt::LeftButton, {}, toWindow(product.center()));
        QTRY_COMPARE(activated.count(), 1);
        QCOMPARE(activated[0][0].toString(), m_scene->spec().nodes[6].id);

        // Empty space clears the selection and the highlight.
        QTest::qWait(400);
        QTest::mouseClick(m_window, Qt::LeftButton, {},
                          viewport()->mapToScene(QPointF(6, viewport()->height() / 2)).toPoint());
        QTRY_COMPARE(m_view->property("selectedAssetId").toString(), QString());
        QCOMPARE(m_scene->highlightRow(), -1);
        QTRY_COMPARE(nodeItem(4)->opacity(), 1.0);
    }

    void hoverShowsTheEdgeTooltip()
    {
        EdgeLayer *layer = edgeLayer();
        QSignalSpy hovered(layer, &EdgeLayer::hoveredEdgeChanged);
        // Halfway along the first segment of edge 0 (dataset → focus model).
        const EdgeGeometry &g = m_scene->edgeGeometry(0);
        const QPointF middle = onSpline(g.spline, int((g.spline.size() - 1) / 3) / 2, 0.5);
        QTest::mouseMove(m_window, toWindow(middle) + QPoint(0, -40));
        QTest::mouseMove(m_window, toWindow(middle));
        QTRY_COMPARE(layer->hoveredEdge(), 0);
        QVERIFY(hovered.count() >= 1);
        QObject *tip = m_view->findChild<QObject *>(QStringLiteral("edgeToolTip"));
        QVERIFY(tip);
        QTRY_VERIFY(tip->property("visible").toBool());
        QCOMPARE(tip->property("text").toString(), m_scene->spec().edges[0].tooltip);
        shoot(QStringLiteral("graphview-hover"), true);
        // Five pixels off the curve still counts; far off does not.
        QCOMPARE(layer->edgeAt(middle + QPointF(5 / zoom(), 0)), 0);
        QCOMPARE(layer->edgeAt(middle + QPointF(30 / zoom(), 0)), -1);
        QTest::mouseMove(m_window, viewport()->mapToScene(QPointF(6, 60)).toPoint());
        QTRY_COMPARE(layer->hoveredEdge(), -1);
        QTRY_VERIFY(!tip->property("visible").toBool());
    }

    void highlightDimsTheRest()
    {
        m_scene->highlight(6, QStringLiteral("ancestors"));
        // Row 6 (report generator) comes from both models, and through them from every ancestor
        // but nothing else: the other products are dimmed, as are links not on the way.
        for (int row : {5, 7})
            QTRY_COMPARE(nodeItem(row)->opacity(), 0.3);
        for (int row : {0, 1, 2, 3, 4, 6})
            QCOMPARE(nodeItem(row)->opacity(), 1.0);
        int dimmedLabels = 0;
        for (QQuickItem *label : items(m_view, QStringLiteral("edgeLabel")))
            dimmedLabels += label->opacity() < 1 ? 1 : 0;
        QCOMPARE(dimmedLabels, 3); // 3 → 5 and the two 3 → 7
        shoot(QStringLiteral("graphview-highlight"));
        m_scene->highlight(-1, QStringLiteral("none"));
        QTRY_COMPARE(nodeItem(5)->opacity(), 1.0);
    }

    void zoomAndPan()
    {
        m_view->forceActiveFocus();
        QTRY_VERIFY(m_view->hasActiveFocus());
        const qreal fit = zoom();
        QTest::keyClick(m_window, Qt::Key_Plus);
        QCOMPARE(zoom(), std::min(fit * 1.25, 4.0));
        QTest::keyClick(m_window, Qt::Key_Minus);
        QVERIFY(std::abs(zoom() - fit) < 1e-9);
        QTest::keyClick(m_window, Qt::Key_0);
        QCOMPARE(zoom(), 1.0);

        // The wheel zooms around the pointer: the point under it stays put.
        const QPointF at = viewport()->mapToScene(QPointF(300, 200));
        const QPointF before = edgeLayer()->mapFromScene(at);
        QWheelEvent wheel(at, m_window->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QGuiApplication::sendEvent(m_window, &wheel);
        QTRY_VERIFY(zoom() > 1.3);
        const QPointF after = edgeLayer()->mapFromScene(at);
        QVERIFY2(QLineF(before, after).length() < 0.5, qPrintable(QStringLiteral("%1,%2 → %3,%4")
                                                                      .arg(before.x())
                                                                      .arg(before.y())
                                                                      .arg(after.x())
                                                                      .arg(after.y())));

        // Drag to pan, by the distance dragged.
        const qreal panX = m_view->property("panX").toReal();
        const QPoint from =
            viewport()->mapToScene(QPointF(20, viewport()->height() - 120)).toPoint();
        QTest::mousePress(m_window, Qt::LeftButton, {}, from);
        for (int step = 1; step <= 10; ++step)
            QTest::mouseMove(m_window, from + QPoint(step * 10, 0));
        QTest::mouseRelease(m_window, Qt::LeftButton, {}, from + QPoint(100, 0));
        QTRY_VERIFY(std::abs(m_view->property("panX").toReal() - panX - 100) < 12);

        // Zoomed in, the graph no longer fits: the minimap appears; Fit brings everything back.
        QTest::keyClick(m_window, Qt::Key_Plus);
        QTest::keyClick(m_window, Qt::Key_Plus);
        QTRY_VERIFY(item(m_view, "graphMinimap")->isVisible());
        shoot(QStringLiteral("graphview-zoomed"));
        QQuickItem *fitButton = item(m_view, "fitButton");
        QTest::mouseClick(m_window, Qt::LeftButton, {},
                          fitButton->mapToScene(fitButton->boundingRect().center()).toPoint());
        QTRY_COMPARE(zoom(), fit);
        QTRY_VERIFY(!item(m_view, "graphMinimap")->isVisible());
    }

    void darkTheme()
    {
        if (m_scene->nodeCount() == 0) // run alone
            layOut(threeGenerationSpec());
        QVERIFY(m_scene->nodeCount() > 0);
        setDark(true);
        // Plain first: what a dark theme means is read from the picture itself.
        QTest::mouseMove(m_window, QPoint(m_window->width() / 2, 20));
        QTest::qWait(200);
        const QImage frame = m_window->grabWindow();
        const qreal ratio = frame.devicePixelRatio();
        const auto pixel = [&](const QPointF &windowPoint) {
            return frame.pixel((windowPoint * ratio).toPoint());
        };
        // The window and the graph's background are dark (a dark grey, not black).
        const QRectF view = viewport()->mapRectToScene(viewport()->boundingRect());
        const QRgb background = pixel(view.topLeft() + QPointF(6, 6));
        for (const QPointF &p : {view.topLeft() + QPointF(6, 6), view.topRight() + QPointF(-6, 6),
                                 view.center() + QPointF(0, view.height() / 2 - 6)})
            QVERIFY2(luminance(pixel(p)) < 0.05, qPrintable(QColor(pixel(p)).name()));
        QVERIFY(luminance(pixel(QPointF(4, m_window->height() - 4))) < 0.05);
        // Every node: its fill is dark, its title light, at a contrast a person reads (WCAG AA).
        for (int row = 0; row < m_scene->nodeCount(); ++row) {
            const QString where = QStringLiteral("node %1").arg(row);
            // The title's line, inside the box: its text and the fill around it.
            QQuickItem *titleItem = item(nodeItem(row), "graphNodeTitle");
            QVERIFY(titleItem);
            const QRect title =
                QRectF(titleItem->mapRectToScene(titleItem->boundingRect()).topLeft() * ratio,
                       titleItem->mapRectToScene(titleItem->boundingRect()).bottomRight() * ratio)
                    .toAlignedRect()
                    .adjusted(1, 1, -1, -1);
            QHash<QRgb, int> counts;
            for (int y = title.top(); y <= title.bottom(); ++y)
                for (int x = title.left(); x <= title.right(); ++x)
                    ++counts[frame.pixel(x, y)];
            QRgb fill = 0;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                if (it.value() > counts.value(fill))
                    fill = it.key();
            QRgb text = fill;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                if (contrast(it.key(), fill) > contrast(text, fill))
                    text = it.key();
            QVERIFY2(luminance(fill) < 0.1, qPrintable(where + " fill " + QColor(fill).name()));
            QVERIFY2(luminance(text) > luminance(fill), qPrintable(where));
            QVERIFY2(contrast(text, fill) >= 4.5,
                     qPrintable(QStringLiteral("%1: %2 on %3")
                                    .arg(where, QColor(text).name(), QColor(fill).name())));
        }
        // Every edge: lighter than the background where it leaves its parent, and its arrow.
        const auto brightest = [&](const QPointF &layoutPoint) {
            const QPoint p = (QPointF(toWindow(layoutPoint)) * ratio).toPoint();
            qreal best = 0;
            for (int dx = -1; dx <= 1; ++dx)
                for (int dy = -1; dy <= 1; ++dy)
                    best = std::max(best, contrast(frame.pixel(p + QPoint(dx, dy)), background));
            return best;
        };
        for (int e = 0; e < m_scene->edgeCount(); ++e) {
            const EdgeGeometry &g = m_scene->edgeGeometry(e);
            qreal line = 0;
            for (const qreal t : {0.1, 0.14, 0.18, 0.22, 0.26})
                line = std::max(line, brightest(onSpline(g.spline, 0, t)));
            QVERIFY2(line >= 2.5, qPrintable(QStringLiteral("edge %1: %2").arg(e).arg(line)));
            const QPointF inArrow = g.arrowTip + (g.spline.last() - g.arrowTip) * 0.3;
            QVERIFY2(brightest(inArrow) >= 2.5,
                     qPrintable(QStringLiteral("arrow of edge %1").arg(e)));
        }

        m_scene->highlight(3, QStringLiteral("descendants"));
        shoot(QStringLiteral("graphview-dark"));
        m_scene->highlight(-1, QStringLiteral("none"));
        setDark(false);
    }

    void largeNeighbourhood()
    {
        layOut(lineageSpec(120));
        // Still the user's view (not moved since Fit): fitted again; a graph this wide is shown
        // small, so the minimap comes in when zoomed to 100 %.
        QVERIFY(zoom() < 1);
        shoot(QStringLiteral("graphview-large-fit"));
        QQuickItem *actual = item(m_view, "actualSizeButton");
        QTest::mouseClick(m_window, Qt::LeftButton, {},
                          actual->mapToScene(actual->boundingRect().center()).toPoint());
        QTRY_COMPARE(zoom(), 1.0);
        QTRY_VERIFY(item(m_view, "graphMinimap")->isVisible());
        shoot(QStringLiteral("graphview-large"));
    }

    void errorAndBusy()
    {
        GraphSpec broken = threeGenerationSpec();
        broken.nodes[2].id = broken.nodes[0].id;
        QSignalSpy error(m_scene, &GraphScene::errorStringChanged);
        m_scene->setSpec(broken);
        QVERIFY(item(m_view, "graphBusy")->isVisible());
        QVERIFY(error.wait(60000));
        QTRY_VERIFY(item(m_view, "graphError")->isVisible());
        QVERIFY(!item(m_view, "graphBusy")->isVisible());
        shoot(QStringLiteral("graphview-error"));
        layOut(threeGenerationSpec());
        QVERIFY(!item(m_view, "graphError")->isVisible());
    }
};

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    TestGraphView test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_graphview.moc"
