// SPDX-License-Identifier: GPL-3.0-or-later
// The edges of a GraphScene as scene-graph geometry: antialiased curves and arrow heads in a few
// nodes, one per state, and the edge under the pointer for tooltips.
#pragma once

#include "model/ui/graphscene.h"
#include "qml/items/edgeshapes.h"

#include <QColor>
#include <QPointer>
#include <QQuickItem>
#include <QRectF>

namespace cartulary::ui {

/**
 * Draws every edge of a GraphScene (in layout points: put it in the item that is scaled by the
 * zoom, sized to the scene) and reports the edge under the pointer.
 */
class EdgeLayer : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cartulary::model::GraphScene *scene READ scene WRITE setScene NOTIFY sceneChanged)
    /** Screen pixels per layout point (the zoom of the item this layer is in). */
    Q_PROPERTY(qreal zoom READ zoom WRITE setZoom NOTIFY zoomChanged)
    /** Line width in screen pixels, whatever the zoom; highlighted lines are drawn wider. */
    Q_PROPERTY(qreal lineWidth READ lineWidth WRITE setLineWidth NOTIFY appearanceChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY appearanceChanged)
    Q_PROPERTY(
        QColor highlightColor READ highlightColor WRITE setHighlightColor NOTIFY appearanceChanged)
    Q_PROPERTY(QColor dimmedColor READ dimmedColor WRITE setDimmedColor NOTIFY appearanceChanged)
    /** Revoked licences: this colour and dashed (shape and colour, never colour alone). */
    Q_PROPERTY(QColor revokedColor READ revokedColor WRITE setRevokedColor NOTIFY appearanceChanged)
    /** How close, in screen pixels, the pointer must be to an edge to hover it. */
    Q_PROPERTY(
        qreal hoverDistance READ hoverDistance WRITE setHoverDistance NOTIFY appearanceChanged)
    /** Row in scene.edges of the edge nearest the pointer within hoverDistance, or -1. */
    Q_PROPERTY(int hoveredEdge READ hoveredEdge NOTIFY hoveredEdgeChanged)

public:
    explicit EdgeLayer(QQuickItem *parent = nullptr);
    ~EdgeLayer() override;

    model::GraphScene *scene() const { return m_scene; }
    void setScene(model::GraphScene *scene);
    qreal zoom() const { return m_zoom; }
    void setZoom(qreal zoom);
    qreal lineWidth() const { return m_lineWidth; }
    void setLineWidth(qreal width);
    QColor color() const { return m_colors[Normal]; }
    void setColor(const QColor &color) { setGroupColor(Normal, color); }
    QColor highlightColor() const { return m_colors[Highlighted]; }
    void setHighlightColor(const QColor &color) { setGroupColor(Highlighted, color); }
    QColor dimmedColor() const { return m_colors[Dimmed]; }
    void setDimmedColor(const QColor &color) { setGroupColor(Dimmed, color); }
    QColor revokedColor() const { return m_colors[Revoked]; }
    void setRevokedColor(const QColor &color) { setGroupColor(Revoked, color); }
    qreal hoverDistance() const { return m_hoverDistance; }
    void setHoverDistance(qreal distance);
    int hoveredEdge() const { return m_hovered; }

    /** The edge nearest a point (item coordinates) within hoverDistance, or -1. */
    Q_INVOKABLE int edgeAt(const QPointF &point) const;

signals:
    void sceneChanged();
    void zoomChanged();
    void appearanceChanged();
    void hoveredEdgeChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *old, UpdatePaintNodeData *) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;

private:
    /** One scene-graph node each; Hovered holds the edge under the pointer, drawn on top. */
    enum Group { Normal, Highlighted, Dimmed, Revoked, Hovered, GroupCount };

    /** Bottom to top: dimmed lines below, the hovered one above everything. */
    static constexpr Group DrawingOrder[GroupCount] = {Dimmed, Normal, Revoked, Highlighted,
                                                       Hovered};
    static qreal widthFactor(Group group);
    /** Calls f for each drawable curve in a group. */
    template<typename F>
    void forEachEdge(Group group, F f) const;
    QSGNode *updateGeometry(QSGNode *old);
    QSGNode *updatePainted(QSGNode *old);
    void rebuildCurves();
    void statesChanged();
    void setHovered(int edge);
    void setGroupColor(Group group, const QColor &color);
    Group groupOf(int edge) const;
    void markAllDirty();

    QPointer<model::GraphScene> m_scene;
    EdgeShapes m_shapes; ///< flattened once per layout
    qreal m_zoom = 1;
    qreal m_lineWidth = 1.4;
    qreal m_hoverDistance = 6;
    QColor m_colors[GroupCount];
    bool m_dirty[GroupCount] = {};
    int m_hovered = -1;
};

} // namespace cartulary::ui
