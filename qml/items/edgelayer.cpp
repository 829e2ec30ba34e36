// SPDX-License-Identifier: GPL-3.0-or-later
// EdgeLayer: Graphviz's cubic B-splines flattened once per layout, then triangulated with a one-
// pixel alpha fringe (antialiasing without multisampling) into one geometry node per state; the
// software scene graph, which draws no custom geometry, gets them painted by QPainter instead.
#include "qml/items/edgelayer.h"

#include <QPainter>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGRendererInterface>
#include <QSGRenderNode>
#include <QSGVertexColorMaterial>

#include <algorithm>
#include <array>
#include <cmath>

namespace cartulary::ui {

using model::GraphScene;

namespace {

using Vertex = QSGGeometry::ColoredPoint2D;

/** Dashes of revoked licences, in screen pixels. */
constexpr qreal DashOn = 6.0, DashOff = 4.0;
/** An arrow head stays at least this long on screen, however far out the view is zoomed. */
constexpr qreal MinArrowPixels = 6.0;

QPointF normalised(const QPointF &v)
{
    const qreal l = std::hypot(v.x(), v.y());
    return l > 0 ? v / l : QPointF();
}

/** Edges of one state, for QPainter: the software scene graph draws no custom geometry. */
struct PaintedGroup
{
    QColor color;
    qreal width = 1; ///< layout points
    QList<QPolygonF> lines, dashedLines, arrows;
};

/** The edges painted by QPainter, for the software scene graph (no GPU). */
class PaintedEdges : public QSGRenderNode
{
public:
    explicit PaintedEdges(QQuickWindow *window)
        : m_window(window)
    {}

    void render(const RenderState *state) override
    {
        auto *painter = static_cast<QPainter *>(m_window->rendererInterface()->getResource(
            m_window, QSGRendererInterface::PainterResource));
        if (!painter)
            return;
        if (const QRegion *clip = state->clipRegion(); clip && !clip->isEmpty())
            painter->setClipRegion(*clip, Qt::ReplaceClip); // before the transform: device pixels
        painter->setTransform(matrix()->toTransform());
        painter->setOpacity(inheritedOpacity());
        painter->setRenderHint(QPainter::Antialiasing);
        for (const PaintedGroup &g : std::as_const(groups)) {
            QPen pen(g.color, g.width, Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(pen);
            for (const QPolygonF &line : g.lines)
                painter->drawPolyline(line);
            pen.setDashPattern({dash[0] / g.width, dash[1] / g.width}); // in pen widths
            painter->setPen(pen);
            for (const QPolygonF &line : g.dashedLines)
                painter->drawPolyline(line);
            painter->setPen(Qt::NoPen);
            painter->setBrush(g.color);
            for (const QPolygonF &arrow : g.arrows)
                painter->drawPolygon(arrow);
        }
    }
    StateFlags changedStates() const override { return {}; }
    RenderingFlags flags() const override { return BoundedRectRendering; }
    QRectF rect() const override { return bounds; }

    QList<PaintedGroup> groups;
    QRectF bounds;
    qreal dash[2] = {DashOn, DashOff}; ///< layout points

private:
    QQuickWindow *m_window;
};

/** Triangles of one colour with an alpha fringe, collected for one geometry node. */
class Mesh
{
public:
    Mesh(const QColor &color, qreal feather)
        : m_feather(feather)
    {
        // QSGVertexColorMaterial takes premultiplied colours.
        const qreal a = color.alphaF();
        m_solid = {uchar(std::lround(color.redF() * a * 255)),
                   uchar(std::lround(color.greenF() * a * 255)),
                   uchar(std::lround(color.blueF() * a * 255)), uchar(std::lround(a * 255))};
    }

    /** A polyline halfWidth thick, its joins mitred (the curves turn gently). */
    void line(const QPointF *points, qsizetype count, qreal halfWidth)
    {
        if (count < 2)
            return;
        const quint32 first = quint32(m_vertices.size());
        QPointF previousNormal;
        for (qsizetype i = 0; i < count; ++i) {
            const QPointF in = i > 0 ? normalised(points[i] - points[i - 1]) : QPointF();
            const QPointF out = i + 1 < count ? normalised(points[i + 1] - points[i]) : in;
            const QPointF direction = i > 0 ? normalised(in + out) : out;
            QPointF normal(-direction.y(), direction.x());
            if (normal.isNull())
                normal = previousNormal;
            // Mitre: widen the join so the segments keep their width (capped for sharp turns).
            const QPointF segmentNormal(-out.y(), out.x());
            const qreal cosine = QPointF::dotProduct(normal, segmentNormal);
            const qreal mitre = 1.0 / std::max(cosine, 0.5);
            previousNormal = normal;
            const QPointF p = points[i];
            const QPointF inner = normal * halfWidth * mitre;
            const QPointF outer = normal * (halfWidth + m_feather) * mitre;
            vertex(p - outer, false);
            vertex(p - inner, true);
            vertex(p + inner, true);
            vertex(p + outer, false);
        }
        for (qsizetype i = 0; i + 1 < count; ++i)
            for (quint32 k = 0; k < 3; ++k) {
                const quint32 a = first + quint32(i) * 4 + k, b = a + 4;
                quad(a, a + 1, b, b + 1);
            }
    }

    /** The same, in dashes of on/off layout points. */
    void dashedLine(const QList<QPointF> &points, qreal halfWidth, qreal on, qreal off)
    {
        for (const QList<QPointF> &dash : EdgeShapes::dashes(points, on, off))
            line(dash.constData(), dash.size(), halfWidth);
    }

    /** A filled triangle (an arrow head). */
    void triangle(const QPointF &a, const QPointF &b, const QPointF &c)
    {
        const quint32 first = quint32(m_vertices.size());
        const QPointF centre = (a + b + c) / 3;
        for (const QPointF &p : {a, b, c})
            vertex(p, true);
        // The fringe: each corner pushed outwards (two feathers covers the sharp tip's mitre).
        for (const QPointF &p : {a, b, c})
            vertex(p + normalised(p - centre) * m_feather * 2, false);
        m_indices.append({first, first + 1, first + 2});
        for (quint32 k = 0; k < 3; ++k) {
            const quint32 next = (k + 1) % 3;
            quad(first + k, first + next, first + 3 + k, first + 3 + next);
        }
    }

    void fill(QSGGeometry *geometry) const
    {
        geometry->allocate(int(m_vertices.size()), int(m_indices.size()));
        if (!m_vertices.isEmpty()) {
            std::copy(m_vertices.cbegin(), m_vertices.cend(),
                      geometry->vertexDataAsColoredPoint2D());
            std::copy(m_indices.cbegin(), m_indices.cend(), geometry->indexDataAsUInt());
        }
    }

private:
    void vertex(const QPointF &p, bool solid)
    {
        Vertex v;
        if (solid)
            v.set(float(p.x()), float(p.y()), m_solid[0], m_solid[1], m_solid[2], m_solid[3]);
        else
            v.set(float(p.x()), float(p.y()), 0, 0, 0, 0);
        m_vertices.append(v);
    }
    void quad(quint32 a, quint32 b, quint32 c, quint32 d) { m_indices.append({a, b, c, b, d, c}); }

    qreal m_feather;
    std::array<uchar, 4> m_solid;
    QList<Vertex> m_vertices;
    QList<quint32> m_indices;
};

} // namespace

EdgeLayer::EdgeLayer(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents);
    setAcceptHoverEvents(true);
    m_colors[Normal] = QColor(0x5c, 0x64, 0x70);
    m_colors[Highlighted] = QColor(0x1f, 0x5f, 0xbf);
    m_colors[Dimmed] = QColor(0x5c, 0x64, 0x70, 0x40);
    m_colors[Revoked] = QColor(0xb4, 0x23, 0x18);
    m_colors[Hovered] = m_colors[Highlighted];
}

EdgeLayer::~EdgeLayer() = default;

void EdgeLayer::setScene(GraphScene *scene)
{
    if (scene == m_scene)
        return;
    if (m_scene)
        disconnect(m_scene, nullptr, this, nullptr);
    m_scene = scene;
    if (m_scene) {
        connect(m_scene, &GraphScene::graphChanged, this, &EdgeLayer::rebuildCurves);
        connect(m_scene, &GraphScene::highlightChanged, this, &EdgeLayer::statesChanged);
    }
    rebuildCurves();
    emit sceneChanged();
}

void EdgeLayer::setZoom(qreal zoom)
{
    if (zoom <= 0 || qFuzzyCompare(zoom, m_zoom))
        return;
    m_zoom = zoom;
    markAllDirty(); // widths, fringes and dashes are in screen pixels
    emit zoomChanged();
}

void EdgeLayer::setLineWidth(qreal width)
{
    if (width <= 0 || qFuzzyCompare(width, m_lineWidth))
        return;
    m_lineWidth = width;
    markAllDirty();
    emit appearanceChanged();
}

void EdgeLayer::setHoverDistance(qreal distance)
{
    if (qFuzzyCompare(distance, m_hoverDistance))
        return;
    m_hoverDistance = distance;
    emit appearanceChanged();
}

void EdgeLayer::setGroupColor(Group group, const QColor &color)
{
    if (color == m_colors[group])
        return;
    m_colors[group] = color;
    m_dirty[group] = true;
    if (group == Highlighted) {
        m_colors[Hovered] = color;
        m_dirty[Hovered] = true;
    }
    update();
    emit appearanceChanged();
}

void EdgeLayer::markAllDirty()
{
    std::fill(std::begin(m_dirty), std::end(m_dirty), true);
    update();
}

void EdgeLayer::rebuildCurves()
{
    if (m_scene) {
        const model::GraphSpec &spec = m_scene->spec();
        QList<bool> revoked(spec.edges.size());
        for (qsizetype i = 0; i < spec.edges.size(); ++i)
            revoked[i] = spec.edges[i].revoked;
        m_shapes = EdgeShapes(m_scene->layout().edges, revoked);
    } else {
        m_shapes = EdgeShapes();
    }
    setHovered(-1);
    markAllDirty();
}

void EdgeLayer::statesChanged()
{
    markAllDirty();
}

EdgeLayer::Group EdgeLayer::groupOf(int edge) const
{
    switch (m_scene ? m_scene->edgeState(edge) : GraphScene::State::Normal) {
    case GraphScene::State::Dimmed:
        return Dimmed;
    case GraphScene::State::Highlighted:
        return m_shapes.at(edge).dashed ? Revoked : Highlighted;
    case GraphScene::State::Normal:
        break;
    }
    return m_shapes.at(edge).dashed ? Revoked : Normal;
}

QSGNode *EdgeLayer::updatePaintNode(QSGNode *old, UpdatePaintNodeData *)
{
    const bool software =
        window() && window()->rendererInterface()->graphicsApi() == QSGRendererInterface::Software;
    return software ? updatePainted(old) : updateGeometry(old);
}

qreal EdgeLayer::widthFactor(Group group)
{
    return group == Hovered ? 2.2 : group == Highlighted ? 1.8 : 1.0;
}

template<typename F>
void EdgeLayer::forEachEdge(Group group, F f) const
{
    if (group == Hovered) {
        if (m_hovered >= 0 && m_hovered < m_shapes.size() &&
            m_shapes.at(m_hovered).points.size() >= 2)
            f(m_shapes.at(m_hovered));
        return;
    }
    for (int e = 0; e < m_shapes.size(); ++e)
        if (groupOf(e) == group && m_shapes.at(e).points.size() >= 2)
            f(m_shapes.at(e));
}

QSGNode *EdgeLayer::updateGeometry(QSGNode *old)
{
    QSGNode *root = old;
    if (!root) {
        root = new QSGNode;
        for (int i = 0; i < GroupCount; ++i) {
            auto *node = new QSGGeometryNode;
            auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0, 0,
                                             QSGGeometry::UnsignedIntType);
            geometry->setDrawingMode(QSGGeometry::DrawTriangles);
            node->setGeometry(geometry);
            node->setFlag(QSGNode::OwnsGeometry);
            node->setMaterial(new QSGVertexColorMaterial);
            node->setFlag(QSGNode::OwnsMaterial);
            root->appendChildNode(node);
        }
        std::fill(std::begin(m_dirty), std::end(m_dirty), true);
    }
    const qreal feather = 1.0 / m_zoom;
    for (int i = 0; i < GroupCount; ++i) {
        const Group group = DrawingOrder[i];
        if (!m_dirty[group])
            continue;
        m_dirty[group] = false;
        // The fringe adds about a pixel to the width a person sees.
        const qreal halfWidth = std::max(m_lineWidth * widthFactor(group) / 2 - 0.5, 0.25) / m_zoom;
        Mesh mesh(m_colors[group], feather);
        forEachEdge(group, [&](const EdgeShape &c) {
            if (c.dashed)
                mesh.dashedLine(c.points, halfWidth, DashOn / m_zoom, DashOff / m_zoom);
            else
                mesh.line(c.points.constData(), c.points.size(), halfWidth);
            if (c.hasArrow) {
                const auto [tip, left, right] =
                    EdgeShapes::arrowHead(c.arrowBase, c.arrowTip, MinArrowPixels / m_zoom);
                mesh.triangle(tip, left, right);
            }
        });
        auto *node = static_cast<QSGGeometryNode *>(root->childAtIndex(i));
        mesh.fill(node->geometry());
        node->markDirty(QSGNode::DirtyGeometry);
    }
    return root;
}

QSGNode *EdgeLayer::updatePainted(QSGNode *old)
{
    auto *node = static_cast<PaintedEdges *>(old);
    if (!node)
        node = new PaintedEdges(window());
    node->groups.clear();
    for (const Group group : DrawingOrder) {
        PaintedGroup painted{
            m_colors[group], m_lineWidth * widthFactor(group) / m_zoom, {}, {}, {}};
        forEachEdge(group, [&](const EdgeShape &c) {
            (c.dashed ? painted.dashedLines : painted.lines).append(QPolygonF(c.points));
            if (c.hasArrow) {
                const auto head =
                    EdgeShapes::arrowHead(c.arrowBase, c.arrowTip, MinArrowPixels / m_zoom);
                painted.arrows.append(QPolygonF({head[0], head[1], head[2]}));
            }
        });
        node->groups.append(painted);
    }
    node->bounds = boundingRect();
    node->dash[0] = DashOn / m_zoom;
    node->dash[1] = DashOff / m_zoom;
    std::fill(std::begin(m_dirty), std::end(m_dirty), false);
    node->markDirty(QSGNode::DirtyMaterial);
    return node;
}

int EdgeLayer::edgeAt(const QPointF &point) const
{
    return m_shapes.edgeAt(point, m_hoverDistance / m_zoom);
}

void EdgeLayer::setHovered(int edge)
{
    if (edge == m_hovered)
        return;
    m_hovered = edge;
    m_dirty[Hovered] = true;
    update();
    emit hoveredEdgeChanged();
}

void EdgeLayer::hoverMoveEvent(QHoverEvent *event)
{
    setHovered(edgeAt(event->position()));
    event->ignore(); // the view under the layer follows the pointer too (tooltip position)
}

void EdgeLayer::hoverLeaveEvent(QHoverEvent *event)
{
    setHovered(-1);
    event->ignore();
}

} // namespace cartulary::ui
