// SPDX-License-Identifier: GPL-3.0-or-later
// A derivation graph laid out for the views: GraphSpec in, `dot` layout computed on the Graphviz
// thread, nodes and edges out as item models, with ancestor/descendant highlighting.
#pragma once

#include "model/graph/graphlayout.h"
#include "model/ui/workstate.h"

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QRectF>

#include <atomic>
#include <memory>

namespace cartulary::model {

class GraphScene;

/** The graph's assets, one row per GraphSpec node in its order, placed in layout points. */
class GraphNodeModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("GraphNodeModel is provided by GraphScene")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        AssetIdRole = Qt::UserRole + 1, ///< the asset's id (UUID)
        ReferenceRole,                  ///< docket number
        TitleRole,                      ///< the whole title; delegates elide it
        TypeRole,                       ///< asset type id ("dataset", "patent", …)
        PhaseRole,                      ///< current value-chain phase id: the node's colours
        StatusRole,                     ///< legal status id ("granted", "lapsed", …)
        DepthRole,  ///< generations from the focus: < 0 ancestors, 0 the focus, > 0 descendants
        FlagsRole,  ///< legal-status warnings (string list); a delegate shows ⚠ and their count
        XRole,      ///< left edge of the node's box, layout points
        YRole,      ///< top edge (y grows downwards)
        WidthRole,  ///< box width as `dot` sized it for the label
        HeightRole, ///< box height
        FocusRole,  ///< the asset the neighbourhood was built around
        HighlightedRole, ///< reached by the current highlight()
        DimmedRole,      ///< a highlight is shown and did not reach this node
    };
    Q_ENUM(Roles)

    int count() const;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    friend class GraphScene;
    explicit GraphNodeModel(GraphScene *scene);
    GraphScene *m_scene;
};

/**
 * The graph's derivation links, one row per GraphSpec edge: what edge labels and tooltips show.
 * The curves themselves are drawn from GraphScene::edgeGeometry().
 */
class GraphEdgeModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("GraphEdgeModel is provided by GraphScene")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        KindRole = Qt::UserRole + 1, ///< derivation kind ("training", "remix", …)
        LicenceReferenceRole,        ///< short licence name; "" when no licence was needed
        LicenceTitleRole,
        RoyaltyPpmRole,  ///< royalty rate, parts per million of the child's revenue
        RateTextRole,    ///< the rate for people: "5.00 % absolute"; "" without a royalty
        PolicyRole,      ///< "absolute" or "relative"; "" without a royalty
        RevokedRole,     ///< the licence was revoked: drawn red and dashed
        TooltipRole,     ///< the licence's terms, several lines
        LabelXRole,      ///< centre of the edge's label, layout points
        LabelYRole,      ///< (y grows downwards)
        HighlightedRole, ///< on a path the current highlight() follows
        DimmedRole,      ///< a highlight is shown and this edge is not on it
        ParentRowRole,   ///< row of the parent in GraphScene::nodes
        ChildRowRole,    ///< row of the child
    };
    Q_ENUM(Roles)

    int count() const;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    friend class GraphScene;
    explicit GraphEdgeModel(GraphScene *scene);
    GraphScene *m_scene;
};

/**
 * One derivation graph on screen: setSpec() lays it out on graphvizPool() and, when the newest
 * spec's layout arrives, refills nodes and edges (results of superseded specs are dropped).
 */
class GraphScene : public cartulary::model::WorkState
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cartulary::model::GraphNodeModel *nodes READ nodes CONSTANT)
    Q_PROPERTY(cartulary::model::GraphEdgeModel *edges READ edges CONSTANT)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(qreal width READ width NOTIFY graphChanged)
    Q_PROPERTY(qreal height READ height NOTIFY graphChanged)
    Q_PROPERTY(int nodeCount READ nodeCount NOTIFY graphChanged)
    Q_PROPERTY(int edgeCount READ edgeCount NOTIFY graphChanged)
    Q_PROPERTY(int omitted READ omitted NOTIFY graphChanged)
    Q_PROPERTY(int focusRow READ focusRow NOTIFY graphChanged)
    Q_PROPERTY(int highlightRow READ highlightRow NOTIFY highlightChanged)
    Q_PROPERTY(QString highlightMode READ highlightMode NOTIFY highlightChanged)

public:
    /** How a highlight shows a node or an edge. */
    enum class State : quint8 { Normal, Highlighted, Dimmed };

    explicit GraphScene(QObject *parent = nullptr);
    ~GraphScene() override;

    /**
     * Lays the spec out in the background (busy until it is shown). The graph on screen stays
     * until the new layout replaces it; a spec set meanwhile supersedes this one.
     */
    void setSpec(const GraphSpec &spec);
    /** Stops the running layout; the graph on screen stays. */
    Q_INVOKABLE void cancel() override;
    /** Removes the graph at once (and drops any layout still running). */
    Q_INVOKABLE void clear();
    /**
     * Highlights what is reachable from a node: mode "ancestors" (parents, their parents, …),
     * "descendants", "lineage" (both) or "none" (or a row of -1) to show everything plainly. The
     * rest is dimmed.
     */
    Q_INVOKABLE void highlight(int nodeRow, const QString &mode);
    /** The row of an asset in nodes, or -1. */
    Q_INVOKABLE int nodeRow(const QString &assetId) const;
    /** The row of the node whose box holds a layout point, or -1. */
    Q_INVOKABLE int nodeAt(qreal x, qreal y) const;
    /** A node's box in layout points (empty for a bad row): views centre on it. */
    Q_INVOKABLE QRectF nodeRect(int row) const;
    /** An edge's tooltip (for the edge under the pointer), or "". */
    Q_INVOKABLE QString edgeTooltip(int row) const;

    GraphNodeModel *nodes() { return &m_nodeModel; }
    GraphEdgeModel *edges() { return &m_edgeModel; }
    QString errorString() const { return m_error; }
    qreal width() const { return m_layout.size.width(); }
    qreal height() const { return m_layout.size.height(); }
    int nodeCount() const { return int(m_spec.nodes.size()); }
    int edgeCount() const { return int(m_spec.edges.size()); }
    int omitted() const { return m_spec.omitted; }
    int focusRow() const { return m_spec.focus; }
    int highlightRow() const { return m_highlightRow; }
    QString highlightMode() const { return m_highlightMode; }

    /** The graph shown (not the one being laid out). */
    const GraphSpec &spec() const { return m_spec; }
    /** Where `dot` put it: one rect per node, one curve per edge, in spec order. */
    const GraphLayout &layout() const { return m_layout; }
    const EdgeGeometry &edgeGeometry(int row) const { return m_layout.edges.at(row); }
    State nodeState(int row) const { return m_nodeStates.at(row); }
    State edgeState(int row) const { return m_edgeStates.at(row); }

signals:
    /** A new layout is shown (nodes and edges were refilled). */
    void laidOut();
    /** The graph shown changed: laid out, cleared, or dropped after an error. */
    void graphChanged();
    void errorStringChanged();
    /** Node and edge states changed (nodeState(), edgeState()). */
    void highlightChanged();

private:
    friend class GraphNodeModel;
    friend class GraphEdgeModel;

    void show(const GraphSpec &spec, GraphLayout layout);
    void setError(const QString &error);
    /** Takes the new states, with dataChanged for the rows that changed; true if any did. */
    bool applyStates(const QList<State> &nodes, const QList<State> &edges);

    GraphNodeModel m_nodeModel;
    GraphEdgeModel m_edgeModel;
    GraphSpec m_spec;
    GraphLayout m_layout;
    QList<State> m_nodeStates, m_edgeStates;
    QList<QList<int>> m_edgesIn,
        m_edgesOut; ///< per node: indexes of edges to its parents, children
    QHash<QString, int> m_rowById;
    int m_highlightRow = -1;
    QString m_highlightMode = QStringLiteral("none");
    QString m_error;
    /** Bumped by every setSpec/cancel/clear: a layout finishing for an older one is dropped. */
    quint64 m_generation = 0;
};

} // namespace cartulary::model
