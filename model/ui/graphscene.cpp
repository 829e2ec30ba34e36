// SPDX-License-Identifier: GPL-3.0-or-later
// GraphScene: layouts on the Graphviz thread behind a generation counter; highlights by graph
// traversal with dataChanged for exactly the rows whose state changed.
#include "model/ui/graphscene.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

GraphNodeModel::GraphNodeModel(GraphScene *scene)
    : QAbstractListModel(scene)
    , m_scene(scene)
{}

int GraphNodeModel::count() const
{
    return m_scene->nodeCount();
}

int GraphNodeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_scene->nodeCount();
}

QVariant GraphNodeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const GraphNode &n = m_scene->m_spec.nodes[row];
    const QRectF &r = m_scene->m_layout.nodes[row];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return n.title;
    case AssetIdRole:
        return n.id;
    case ReferenceRole:
        return n.reference;
    case TypeRole:
        return n.type;
    case PhaseRole:
        return n.phase;
    case StatusRole:
        return n.status;
    case DepthRole:
        return n.depth;
    case FlagsRole:
        return n.flags;
    case XRole:
        return r.x();
    case YRole:
        return r.y();
    case WidthRole:
        return r.width();
    case HeightRole:
        return r.height();
    case FocusRole:
        return row == m_scene->m_spec.focus;
    case HighlightedRole:
        return m_scene->m_nodeStates[row] == GraphScene::State::Highlighted;
    case DimmedRole:
        return m_scene->m_nodeStates[row] == GraphScene::State::Dimmed;
    }
    return {};
}

QHash<int, QByteArray> GraphNodeModel::roleNames() const
{
    return {{AssetIdRole, "assetId"},
            {ReferenceRole, "reference"},
            {TitleRole, "title"},
            {TypeRole, "type"},
            {PhaseRole, "phase"},
            {StatusRole, "status"},
            {DepthRole, "depth"},
            {FlagsRole, "flags"},
            {XRole, "x"},
            {YRole, "y"},
            {WidthRole, "width"},
            {HeightRole, "height"},
            {FocusRole, "focus"},
            {HighlightedRole, "highlighted"},
            {DimmedRole, "dimmed"}};
}

GraphEdgeModel::GraphEdgeModel(GraphScene *scene)
    : QAbstractListModel(scene)
    , m_scene(scene)
{}

int GraphEdgeModel::count() const
{
    return m_scene->edgeCount();
}

int GraphEdgeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_scene->edgeCount();
}

QVariant GraphEdgeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const GraphEdge &e = m_scene->m_spec.edges[row];
    switch (role) {
    case Qt::DisplayRole:
        return e.licenceReference.isEmpty() ? e.kind : e.licenceReference;
    case KindRole:
        return e.kind;
    case LicenceReferenceRole:
        return e.licenceReference;
    case LicenceTitleRole:
        return e.licenceTitle;
    case RoyaltyPpmRole:
        return e.royaltyPpm;
    case RateTextRole:
        return royaltyRateText(e);
    case PolicyRole:
        return e.policy;
    case RevokedRole:
        return e.revoked;
    case TooltipRole:
        return e.tooltip;
    case LabelXRole:
        return m_scene->m_layout.edges[row].labelPos.x();
    case LabelYRole:
        return m_scene->m_layout.edges[row].labelPos.y();
    case HighlightedRole:
        return m_scene->m_edgeStates[row] == GraphScene::State::Highlighted;
    case DimmedRole:
        return m_scene->m_edgeStates[row] == GraphScene::State::Dimmed;
    case ParentRowRole:
        return e.parent;
    case ChildRowRole:
        return e.child;
    }
    return {};
}

QHash<int, QByteArray> GraphEdgeModel::roleNames() const
{
    return {{KindRole, "kind"},
            {LicenceReferenceRole, "licenceReference"},
            {LicenceTitleRole, "licenceTitle"},
            {RoyaltyPpmRole, "royaltyPpm"},
            {RateTextRole, "rateText"},
            {PolicyRole, "policy"},
            {RevokedRole, "revoked"},
            {TooltipRole, "tooltip"},
            {LabelXRole, "labelX"},
            {LabelYRole, "labelY"},
            {HighlightedRole, "highlighted"},
            {DimmedRole, "dimmed"},
            {ParentRowRole, "parentRow"},
            {ChildRowRole, "childRow"}};
}

GraphScene::GraphScene(QObject *parent)
    : WorkState(parent)
    , m_nodeModel(this)
    , m_edgeModel(this)
{}

// A layout still running finishes on the Graphviz thread; it holds its own copy of the spec and
// nothing of this object, so it only has to stop early (WorkState raises its flag).
GraphScene::~GraphScene() = default;

void GraphScene::setSpec(const GraphSpec &spec)
{
    const quint64 generation = ++m_generation;
    // A layout still running is superseded: its flag is raised, so it stops between stages.
    auto cancel = startWork(tr("Laying out %n assets…", nullptr, int(spec.nodes.size())));
    using LayoutResult = Result<GraphLayout>;
    auto *watcher = new QFutureWatcher<LayoutResult>(this);
    connect(watcher, &QFutureWatcher<LayoutResult>::finished, this,
            [this, watcher, generation, spec] {
                watcher->deleteLater();
                if (generation != m_generation)
                    return; // a newer spec, cancel() or clear() came since
                LayoutResult result = watcher->result();
                if (result) {
                    setError({});
                    show(spec, std::move(result).value());
                } else {
                    show({}, {});
                    setError(result.errorString());
                }
                finishWork();
                if (result)
                    emit laidOut();
            });
    watcher->setFuture(QtConcurrent::run(
        &graphvizPool(), [spec, cancel] { return layoutGraph(spec, cancel.get()); }));
}

void GraphScene::cancel()
{
    if (!busy())
        return;
    ++m_generation;
    WorkState::cancel();
    finishWork();
}

void GraphScene::clear()
{
    cancel();
    setError({});
    show({}, {});
}

void GraphScene::show(const GraphSpec &spec, GraphLayout layout)
{
    const bool nodeCountChanged = spec.nodes.size() != m_spec.nodes.size();
    const bool edgeCountChanged = spec.edges.size() != m_spec.edges.size();
    // A new graph is a bulk reload: the delegates are all recreated anyway.
    m_nodeModel.beginResetModel();
    m_edgeModel.beginResetModel();
    m_spec = spec;
    m_layout = std::move(layout);
    const qsizetype nodes = m_spec.nodes.size(), edges = m_spec.edges.size();
    if (!m_layout.size.isValid()) // cleared: an empty spec with an empty layout
        m_layout.size = QSizeF(0, 0);
    Q_ASSERT(m_layout.nodes.size() == nodes && m_layout.edges.size() == edges);
    m_nodeStates.fill(State::Normal, nodes);
    m_edgeStates.fill(State::Normal, edges);
    m_edgesIn.clear();
    m_edgesOut.clear();
    m_edgesIn.resize(nodes);
    m_edgesOut.resize(nodes);
    for (qsizetype i = 0; i < edges; ++i) {
        const GraphEdge &e = m_spec.edges[i];
        m_edgesIn[e.child].append(int(i));
        m_edgesOut[e.parent].append(int(i));
    }
    m_rowById.clear();
    m_rowById.reserve(nodes);
    for (qsizetype i = 0; i < nodes; ++i)
        m_rowById.insert(m_spec.nodes[i].id, int(i));
    m_highlightRow = -1;
    m_highlightMode = QStringLiteral("none");
    m_edgeModel.endResetModel();
    m_nodeModel.endResetModel();
    if (nodeCountChanged)
        emit m_nodeModel.countChanged();
    if (edgeCountChanged)
        emit m_edgeModel.countChanged();
    emit graphChanged();
    emit highlightChanged();
}

void GraphScene::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorStringChanged();
}

int GraphScene::nodeRow(const QString &assetId) const
{
    return m_rowById.value(assetId, -1);
}

int GraphScene::nodeAt(qreal x, qreal y) const
{
    for (qsizetype i = 0; i < m_layout.nodes.size(); ++i)
        if (m_layout.nodes[i].contains(x, y))
            return int(i);
    return -1;
}

QRectF GraphScene::nodeRect(int row) const
{
    return row >= 0 && row < m_layout.nodes.size() ? m_layout.nodes[row] : QRectF();
}

QString GraphScene::edgeTooltip(int row) const
{
    return row >= 0 && row < m_spec.edges.size() ? m_spec.edges[row].tooltip : QString();
}

void GraphScene::highlight(int nodeRow, const QString &mode)
{
    const bool up = mode == u"ancestors" || mode == u"lineage";
    const bool down = mode == u"descendants" || mode == u"lineage";
    if (!up && !down && mode != u"none") {
        qWarning("GraphScene::highlight: unknown mode \"%s\" (none, ancestors, descendants, "
                 "lineage)",
                 qPrintable(mode));
        return;
    }
    const qsizetype nodes = m_spec.nodes.size(), edges = m_spec.edges.size();
    const bool on = (up || down) && nodeRow >= 0 && nodeRow < nodes;
    QList<State> nodeStates(nodes, on ? State::Dimmed : State::Normal);
    QList<State> edgeStates(edges, on ? State::Dimmed : State::Normal);
    if (on) {
        // Each direction walks the graph from the node, marking what it reaches; a node reached
        // twice (two paths) is walked once.
        auto walk = [&](const QList<QList<int>> &adjacent, bool towardsParents) {
            QList<bool> seen(nodes, false);
            QList<int> stack{nodeRow};
            seen[nodeRow] = true;
            while (!stack.isEmpty()) {
                const int n = stack.takeLast();
                nodeStates[n] = State::Highlighted;
                for (int e : adjacent[n]) {
                    edgeStates[e] = State::Highlighted;
                    const int next =
                        towardsParents ? m_spec.edges[e].parent : m_spec.edges[e].child;
                    if (!seen[next]) {
                        seen[next] = true;
                        stack.append(next);
                    }
                }
            }
        };
        if (up)
            walk(m_edgesIn, true);
        if (down)
            walk(m_edgesOut, false);
    }
    const int row = on ? nodeRow : -1;
    const QString shownMode = on ? mode : QStringLiteral("none");
    const bool same = row == m_highlightRow && shownMode == m_highlightMode;
    m_highlightRow = row;
    m_highlightMode = shownMode;
    if (applyStates(nodeStates, edgeStates) || !same)
        emit highlightChanged();
}

bool GraphScene::applyStates(const QList<State> &nodes, const QList<State> &edges)
{
    // dataChanged for each run of consecutive rows that changed, and only for the two roles.
    auto update = [](QAbstractListModel &model, QList<State> &current, const QList<State> &next,
                     int highlightedRole, int dimmedRole) {
        const QList<int> roles{highlightedRole, dimmedRole};
        bool changed = false;
        for (qsizetype first = 0; first < next.size();) {
            if (current[first] == next[first]) {
                ++first;
                continue;
            }
            qsizetype last = first;
            while (last + 1 < next.size() && current[last + 1] != next[last + 1])
                ++last;
            for (qsizetype i = first; i <= last; ++i)
                current[i] = next[i];
            emit model.dataChanged(model.index(int(first)), model.index(int(last)), roles);
            changed = true;
            first = last + 1;
        }
        return changed;
    };
    const bool nodesChanged = update(m_nodeModel, m_nodeStates, nodes,
                                     GraphNodeModel::HighlightedRole, GraphNodeModel::DimmedRole);
    const bool edgesChanged = update(m_edgeModel, m_edgeStates, edges,
                                     GraphEdgeModel::HighlightedRole, GraphEdgeModel::DimmedRole);
    return nodesChanged || edgesChanged;
}

} // namespace cartulary::model
