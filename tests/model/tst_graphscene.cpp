// SPDX-License-Identifier: GPL-3.0-or-later
// GraphScene: the node and edge models' contract, their roles after a layout, highlight sets with
// precise dataChanged, and stale or cancelled layouts that never reach the models.
#include "graphtestutil.h"
#include "model/ui/graphscene.h"
#include "modeltestutil.h"

#include <QAbstractItemModelTester>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

#include <set>

using namespace cartulary;
using namespace cartulary::model;
using namespace cartulary::model::test;

namespace {

/** Keeps the Graphviz thread busy until released, so layouts queue up behind it. */
struct GraphvizBlocker : testutil::PoolBlocker
{
    GraphvizBlocker()
        : PoolBlocker(graphvizPool())
    {}
};

std::set<int> rowsWhere(const QAbstractItemModel &model, int role)
{
    std::set<int> rows;
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.data(model.index(row, 0), role).toBool())
            rows.insert(row);
    return rows;
}

/** The rows a dataChanged spy saw, each range checked to carry exactly the highlight roles. */
std::set<int> changedRows(const QSignalSpy &spy, const QList<int> &roles)
{
    std::set<int> rows;
    for (const QList<QVariant> &args : spy) {
        const auto first = args[0].value<QModelIndex>(), last = args[1].value<QModelIndex>();
        if (args[2].value<QList<int>>() != roles)
            return {-1};
        for (int row = first.row(); row <= last.row(); ++row)
            rows.insert(row);
    }
    return rows;
}

} // namespace

class TestGraphScene : public QObject
{
    Q_OBJECT

private:
    /** Sets a spec and waits until it is shown. */
    static bool layOut(GraphScene &scene, const GraphSpec &spec)
    {
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        scene.setSpec(spec);
        return laidOut.wait(60000) && !scene.busy();
    }

private slots:
    void fillsModels()
    {
        GraphScene scene;
        QAbstractItemModelTester nodeTester(scene.nodes(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester edgeTester(scene.edges(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy busy(&scene, &GraphScene::busyChanged);
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        const GraphSpec spec = threeGenerationSpec();
        QCOMPARE(scene.nodeCount(), 0);
        scene.setSpec(spec);
        QVERIFY(scene.busy());
        QCOMPARE(scene.nodeCount(), 0); // nothing is shown before the layout is there
        QVERIFY(laidOut.wait(60000));
        QCOMPARE(laidOut.count(), 1);
        QVERIFY(!scene.busy());
        QCOMPARE(busy.count(), 2);
        QVERIFY(scene.errorString().isEmpty());

        QCOMPARE(scene.nodeCount(), 8);
        QCOMPARE(scene.edgeCount(), 9);
        QCOMPARE(scene.nodes()->rowCount(), 8);
        QCOMPARE(scene.edges()->rowCount(), 9);
        QCOMPARE(scene.nodes()->count(), 8);
        QCOMPARE(scene.nodes()->rowCount(scene.nodes()->index(0, 0)), 0);
        QCOMPARE(scene.focusRow(), 3);
        QCOMPARE(scene.omitted(), 0);
        QVERIFY(scene.width() > 200 && scene.height() > 100);

        const QHash<int, QByteArray> nodeRoles = scene.nodes()->roleNames();
        for (const char *name :
             {"assetId", "reference", "title", "type", "phase", "status", "depth", "flags", "x",
              "y", "width", "height", "focus", "highlighted", "dimmed"})
            QVERIFY2(nodeRoles.values().contains(name), name);
        const QHash<int, QByteArray> edgeRoles = scene.edges()->roleNames();
        for (const char *name :
             {"kind", "licenceReference", "licenceTitle", "royaltyPpm", "rateText", "policy",
              "revoked", "tooltip", "labelX", "labelY", "highlighted", "dimmed"})
            QVERIFY2(edgeRoles.values().contains(name), name);

        const QAbstractItemModel &nodes = *scene.nodes();
        for (int row = 0; row < 8; ++row) {
            const QModelIndex i = nodes.index(row, 0);
            const GraphNode &n = spec.nodes[row];
            QCOMPARE(i.data(GraphNodeModel::AssetIdRole).toString(), n.id);
            QCOMPARE(i.data(GraphNodeModel::ReferenceRole).toString(), n.reference);
            QCOMPARE(i.data(GraphNodeModel::TitleRole).toString(), n.title);
            QCOMPARE(i.data(GraphNodeModel::TypeRole).toString(), n.type);
            QCOMPARE(i.data(GraphNodeModel::PhaseRole).toString(), n.phase);
            QCOMPARE(i.data(GraphNodeModel::StatusRole).toString(), n.status);
            QCOMPARE(i.data(GraphNodeModel::DepthRole).toInt(), n.depth);
            QCOMPARE(i.data(GraphNodeModel::FlagsRole).toStringList(), n.flags);
            const QRectF r(i.data(GraphNodeModel::XRole).toReal(),
                           i.data(GraphNodeModel::YRole).toReal(),
                           i.data(GraphNodeModel::WidthRole).toReal(),
                           i.data(GraphNodeModel::HeightRole).toReal());
            QCOMPARE(r, scene.nodeRect(row));
            QCOMPARE(r, scene.layout().nodes[row]);
            QVERIFY(r.width() > 50 && r.height() > 30);
            QCOMPARE(i.data(GraphNodeModel::FocusRole).toBool(), row == 3);
            QCOMPARE(i.data(GraphNodeModel::HighlightedRole).toBool(), false);
            QCOMPARE(i.data(GraphNodeModel::DimmedRole).toBool(), false);
            QCOMPARE(scene.nodeRow(n.id), row);
        }
        QCOMPARE(scene.nodeRow(QStringLiteral("no-such-asset")), -1);
        for (int row = 0; row < 8; ++row)
            QCOMPARE(
                scene.nodeAt(scene.nodeRect(row).center().x(), scene.nodeRect(row).center().y()),
                row);
        QCOMPARE(scene.nodeAt(-5, -5), -1);
        QVERIFY(scene.nodeRect(8).isNull());
        // Ancestors above the focus, descendants below.
        QVERIFY(scene.nodeRect(0).bottom() < scene.nodeRect(3).top());
        QVERIFY(scene.nodeRect(3).bottom() < scene.nodeRect(6).top());

        const QAbstractItemModel &edges = *scene.edges();
        const QModelIndex first = edges.index(0, 0);
        QCOMPARE(first.data(GraphEdgeModel::KindRole).toString(), QStringLiteral("training"));
        QCOMPARE(first.data(GraphEdgeModel::LicenceReferenceRole).toString(),
                 QStringLiteral("LIC-0007"));
        QCOMPARE(first.data(GraphEdgeModel::LicenceTitleRole).toString(),
                 spec.edges[0].licenceTitle);
        QCOMPARE(first.data(GraphEdgeModel::RoyaltyPpmRole).toLongLong(), 50000);
        QCOMPARE(first.data(GraphEdgeModel::RateTextRole).toString(),
                 QStringLiteral("5.00 % absolute"));
        QCOMPARE(first.data(GraphEdgeModel::PolicyRole).toString(), QStringLiteral("absolute"));
        QCOMPARE(first.data(GraphEdgeModel::TooltipRole).toString(), spec.edges[0].tooltip);
        QCOMPARE(scene.edgeTooltip(0), spec.edges[0].tooltip);
        QCOMPARE(scene.edgeTooltip(99), QString());
        QCOMPARE(first.data(GraphEdgeModel::ParentRowRole).toInt(), 0);
        QCOMPARE(first.data(GraphEdgeModel::ChildRowRole).toInt(), 3);
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::RevokedRole), std::set<int>{3});
        const QModelIndex unlicensed = edges.index(4, 0);
        QCOMPARE(unlicensed.data(GraphEdgeModel::LicenceReferenceRole).toString(), QString());
        QCOMPARE(unlicensed.data(GraphEdgeModel::RateTextRole).toString(), QString());
        for (int row = 0; row < 9; ++row) {
            const QPointF label(edges.index(row, 0).data(GraphEdgeModel::LabelXRole).toReal(),
                                edges.index(row, 0).data(GraphEdgeModel::LabelYRole).toReal());
            QCOMPARE(label, scene.edgeGeometry(row).labelPos);
            QVERIFY(!label.isNull());
            QVERIFY(scene.edgeGeometry(row).spline.size() >= 4);
        }
    }

    void highlights()
    {
        GraphScene scene;
        QAbstractItemModelTester nodeTester(scene.nodes(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester edgeTester(scene.edges(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(layOut(scene, threeGenerationSpec()));
        const QAbstractItemModel &nodes = *scene.nodes(), &edges = *scene.edges();
        const QList<int> nodeRoles{GraphNodeModel::HighlightedRole, GraphNodeModel::DimmedRole};
        const QList<int> edgeRoles{GraphEdgeModel::HighlightedRole, GraphEdgeModel::DimmedRole};
        QSignalSpy nodeChanges(scene.nodes(), &QAbstractItemModel::dataChanged);
        QSignalSpy edgeChanges(scene.edges(), &QAbstractItemModel::dataChanged);
        QSignalSpy highlightChanged(&scene, &GraphScene::highlightChanged);

        scene.highlight(3, QStringLiteral("ancestors"));
        QCOMPARE(scene.highlightRow(), 3);
        QCOMPARE(scene.highlightMode(), QStringLiteral("ancestors"));
        QCOMPARE(highlightChanged.count(), 1);
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::HighlightedRole), (std::set<int>{0, 1, 2, 3}));
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::DimmedRole), (std::set<int>{4, 5, 6, 7}));
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::HighlightedRole), (std::set<int>{0, 1, 2}));
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::DimmedRole), (std::set<int>{3, 4, 5, 6, 7, 8}));
        QCOMPARE(scene.nodeState(0), GraphScene::State::Highlighted);
        QCOMPARE(scene.edgeState(3), GraphScene::State::Dimmed);
        QCOMPARE(changedRows(nodeChanges, nodeRoles), (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7}));
        QCOMPARE(nodeChanges.count(), 1); // one range: every row changed

        // Only the rows whose state changes are signalled: 0–2 and 5–7, not 3 and 4.
        nodeChanges.clear();
        edgeChanges.clear();
        scene.highlight(3, QStringLiteral("descendants"));
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::HighlightedRole), (std::set<int>{3, 5, 6, 7}));
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::HighlightedRole), (std::set<int>{4, 5, 7, 8}));
        QCOMPARE(changedRows(nodeChanges, nodeRoles), (std::set<int>{0, 1, 2, 5, 6, 7}));
        QCOMPARE(nodeChanges.count(), 2);
        QCOMPARE(changedRows(edgeChanges, edgeRoles), (std::set<int>{0, 1, 2, 4, 5, 7, 8}));

        scene.highlight(3, QStringLiteral("lineage"));
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::HighlightedRole),
                 (std::set<int>{0, 1, 2, 3, 5, 6, 7}));
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::DimmedRole), std::set<int>{4});
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::DimmedRole), (std::set<int>{3, 6}));

        // A node with one parent and one child: the sibling model's line.
        scene.highlight(4, QStringLiteral("lineage"));
        QCOMPARE(rowsWhere(nodes, GraphNodeModel::HighlightedRole), (std::set<int>{1, 4, 6}));
        QCOMPARE(rowsWhere(edges, GraphEdgeModel::HighlightedRole), (std::set<int>{3, 6}));

        // The same highlight again changes nothing and says nothing.
        nodeChanges.clear();
        highlightChanged.clear();
        scene.highlight(4, QStringLiteral("lineage"));
        QCOMPARE(nodeChanges.count(), 0);
        QCOMPARE(highlightChanged.count(), 0);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("unknown mode \"sideways\""));
        scene.highlight(4, QStringLiteral("sideways"));
        QCOMPARE(scene.highlightMode(), QStringLiteral("lineage"));

        scene.highlight(4, QStringLiteral("none"));
        QCOMPARE(scene.highlightRow(), -1);
        QCOMPARE(scene.highlightMode(), QStringLiteral("none"));
        QVERIFY(rowsWhere(nodes, GraphNodeModel::HighlightedRole).empty());
        QVERIFY(rowsWhere(nodes, GraphNodeModel::DimmedRole).empty());
        QVERIFY(rowsWhere(edges, GraphEdgeModel::DimmedRole).empty());
        scene.highlight(3, QStringLiteral("descendants"));
        scene.highlight(-1, QStringLiteral("descendants")); // no node: everything plain
        QVERIFY(rowsWhere(nodes, GraphNodeModel::DimmedRole).empty());
        scene.highlight(99, QStringLiteral("ancestors"));
        QVERIFY(rowsWhere(nodes, GraphNodeModel::DimmedRole).empty());

        // A new layout starts plain.
        scene.highlight(3, QStringLiteral("ancestors"));
        QVERIFY(layOut(scene, threeGenerationSpec()));
        QCOMPARE(scene.highlightRow(), -1);
        QVERIFY(rowsWhere(nodes, GraphNodeModel::DimmedRole).empty());
    }

    void staleResultsAreDropped()
    {
        GraphScene scene;
        QAbstractItemModelTester nodeTester(scene.nodes(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(layOut(scene, threeGenerationSpec()));
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        QSignalSpy reset(scene.nodes(), &QAbstractItemModel::modelReset);
        {
            GraphvizBlocker blocker; // both layouts wait behind it, in order
            scene.setSpec(lineageSpec(40));
            scene.setSpec(lineageSpec(25, 7));
            QVERIFY(scene.busy());
            QCOMPARE(scene.nodeCount(), 8); // the old graph stays until the new one is laid out
        }
        QVERIFY(laidOut.wait(60000));
        QTest::qWait(200); // room for a stale result to (wrongly) arrive after the newest
        QCOMPARE(laidOut.count(), 1);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(scene.nodeCount(), int(lineageSpec(25, 7).nodes.size()));
        QCOMPARE(scene.nodes()->index(0, 0).data(GraphNodeModel::AssetIdRole).toString(),
                 lineageSpec(25, 7).nodes[0].id);
        QVERIFY(scene.errorString().isEmpty()); // the superseded one's "cancelled" is not shown
        QVERIFY(!scene.busy());

        // A layout that already started when it is superseded is dropped too.
        laidOut.clear();
        scene.setSpec(lineageSpec(300));
        QTest::qWait(5);
        scene.setSpec(threeGenerationSpec());
        QVERIFY(laidOut.wait(60000));
        QTest::qWait(200);
        QCOMPARE(laidOut.count(), 1);
        QCOMPARE(scene.nodeCount(), 8);
    }

    void cancelKeepsTheGraph()
    {
        GraphScene scene;
        QVERIFY(layOut(scene, threeGenerationSpec()));
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        QSignalSpy busy(&scene, &GraphScene::busyChanged);
        {
            GraphvizBlocker blocker;
            scene.setSpec(lineageSpec(40));
            QVERIFY(scene.busy());
            scene.cancel();
            QVERIFY(!scene.busy());
        }
        QTest::qWait(300);
        QCOMPARE(laidOut.count(), 0);
        QCOMPARE(busy.count(), 2);
        QCOMPARE(scene.nodeCount(), 8);
        QVERIFY(scene.errorString().isEmpty());
        scene.cancel(); // nothing running: nothing happens
        QCOMPARE(busy.count(), 2);
    }

    void errorsAndClear()
    {
        GraphScene scene;
        QAbstractItemModelTester nodeTester(scene.nodes(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(layOut(scene, threeGenerationSpec()));
        GraphSpec broken = threeGenerationSpec();
        broken.nodes[5].id = broken.nodes[1].id;
        QSignalSpy error(&scene, &GraphScene::errorStringChanged);
        QSignalSpy graphChanged(&scene, &GraphScene::graphChanged);
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        scene.setSpec(broken);
        QVERIFY(error.wait(60000));
        QVERIFY(scene.errorString().contains(broken.nodes[1].id));
        QCOMPARE(laidOut.count(), 0);
        QCOMPARE(graphChanged.count(), 1);
        QCOMPARE(scene.nodeCount(), 0); // the old graph no longer matches what was asked
        QVERIFY(!scene.busy());

        QVERIFY(layOut(scene, threeGenerationSpec()));
        QVERIFY(scene.errorString().isEmpty());
        GraphSpec capped = threeGenerationSpec();
        capped.omitted = 12;
        QVERIFY(layOut(scene, capped));
        QCOMPARE(scene.omitted(), 12);
        scene.clear();
        QCOMPARE(scene.nodeCount(), 0);
        QCOMPARE(scene.edgeCount(), 0);
        QCOMPARE(scene.omitted(), 0);
        QCOMPARE(scene.width(), 0.0);
        QVERIFY(layOut(scene, GraphSpec{}));
        QCOMPARE(scene.nodeCount(), 0);
    }

    void destroyedWhileLayingOut()
    {
        // The layout outlives its scene on the Graphviz thread: it must stop without laying out,
        // and its result must reach nothing (the watcher that would deliver it dies with the
        // scene). What it held is freed: LeakSanitizer checks this test's process at exit.
        using LayoutResult = Result<GraphLayout>;
        QFuture<LayoutResult> job;
        bool watcherDestroyed = false;
        {
            GraphvizBlocker blocker; // the job waits behind it, so the scene dies first
            auto scene = std::make_unique<GraphScene>();
            scene->setSpec(lineageSpec(60));
            const auto watchers = scene->findChildren<QFutureWatcher<LayoutResult> *>();
            QCOMPARE(watchers.size(), 1);
            job = watchers.first()->future();
            connect(watchers.first(), &QObject::destroyed, this,
                    [&watcherDestroyed] { watcherDestroyed = true; });
            scene.reset();
            QVERIFY(watcherDestroyed);
            QVERIFY(!job.isFinished());
        }
        QVERIFY(graphvizPool().waitForDone(60000));
        QVERIFY(job.isFinished());
        QCoreApplication::processEvents(); // a queued delivery would come now (and crash)
        const LayoutResult result = job.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("cancelled"));
        QCOMPARE(graphvizPool().activeThreadCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGraphScene)
#include "tst_graphscene.moc"
