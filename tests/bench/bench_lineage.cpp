// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage graph speed on realistic neighbourhoods, as ratios against baselines in the same run,
// measured in interleaved rounds (tests/bench/benchutil.h):
//   our layoutGraph (DOT text, cgraph, dot engine, read-back) vs the `dot -Txdot` tool on the same
//   DOT text (the ratio shows what our path adds or saves over Graphviz itself);
//   GraphScene fill (layout on the Graphviz thread to models filled) and the first rendered frame
//   of a window with GraphView on it (QQuickWindow::grabWindow()), each vs layoutGraph.
// Usage: bench_lineage [--nodes 500,2000] [--rounds 10] [--write-dot DIR]
#include "../model/graphtestutil.h"
#include "benchutil.h"
#include "model/graph/graphlayout.h"
#include "model/ui/graphscene.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

Q_IMPORT_QML_PLUGIN(Cartulary_ModelPlugin)
Q_IMPORT_QML_PLUGIN(CartularyPlugin)

using namespace cartulary;
using namespace cartulary::model;

namespace {

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

/** Each slice's values in milliseconds, round by round. */
struct Numbers
{
    int nodes = 0, edges = 0;
    QList<double> ours, dotCli, fill, frame;
    QSizeF size;
};

Numbers measure(int n, int rounds, const QString &dotDir)
{
    Numbers r;
    const GraphSpec spec = test::lineageSpec(n);
    r.nodes = int(spec.nodes.size());
    r.edges = int(spec.edges.size());
    const QByteArray dot = toDot(spec);
    if (!dotDir.isEmpty()) {
        QFile f(QDir(dotDir).filePath(QStringLiteral("lineage-%1.dot").arg(n)));
        if (f.open(QIODevice::WriteOnly))
            f.write(dot);
    }

    const auto ours = [&] {
        QElapsedTimer t;
        t.start();
        auto layout =
            QtConcurrent::run(&graphvizPool(), [&] { return layoutGraph(spec); }).result();
        const double elapsed = ms(t);
        if (!layout) {
            std::fprintf(stderr, "layout failed: %s\n", qPrintable(layout.errorString()));
            std::exit(1);
        }
        r.size = layout->size;
        return elapsed;
    };

    const auto dotCli = [&] {
        QProcess dotTool;
        QElapsedTimer t;
        t.start();
        dotTool.start(QStringLiteral("dot"), {QStringLiteral("-Txdot")});
        dotTool.write(dot);
        dotTool.closeWriteChannel();
        if (!dotTool.waitForFinished(600000) || dotTool.exitCode() != 0) {
            std::fprintf(stderr, "dot failed: %s\n", dotTool.readAllStandardError().constData());
            std::exit(1);
        }
        (void)dotTool.readAllStandardOutput();
        return ms(t);
    };

    const auto fill = [&] {
        GraphScene scene;
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        QElapsedTimer t;
        t.start();
        scene.setSpec(spec);
        if (!laidOut.wait(600000) || scene.nodeCount() != r.nodes) {
            std::fprintf(stderr, "scene failed: %s\n", qPrintable(scene.errorString()));
            std::exit(1);
        }
        return ms(t);
    };

    // First frame: a laid-out scene, then the view created and shown until a frame is grabbed.
    const auto frame = [&] {
        GraphScene scene;
        QSignalSpy laidOut(&scene, &GraphScene::laidOut);
        scene.setSpec(spec);
        if (!laidOut.wait(600000))
            std::exit(1);
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml")); // Qt 6.4 does not by itself
        QQmlComponent component(&engine,
                                QUrl(QStringLiteral("qrc:/qt/qml/Cartulary/GraphView.qml")));
        QQuickWindow window;
        window.resize(1280, 800);
        QElapsedTimer t;
        t.start();
        std::unique_ptr<QObject> object(
            component.createWithInitialProperties({{"scene", QVariant::fromValue(&scene)}}));
        auto *view = qobject_cast<QQuickItem *>(object.get());
        if (!view) {
            std::fprintf(stderr, "GraphView: %s\n", qPrintable(component.errorString()));
            std::exit(1);
        }
        view->setParentItem(window.contentItem());
        view->setSize(window.size());
        window.show();
        const QImage frame = window.grabWindow();
        const double elapsed = ms(t);
        if (frame.isNull())
            std::exit(1);
        return elapsed;
    };
    const auto values = bench::interleave(rounds, {dotCli, ours, fill, frame});
    r.dotCli = values[0];
    r.ours = values[1];
    r.fill = values[2];
    r.frame = values[3];
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    const QStringList args = app.arguments();
    QList<int> sizes;
    for (const QString &s : bench::option(args, "--nodes", "500,2000").split(u','))
        sizes.append(s.toInt());
    const int rounds = bench::roundsOption(args, 10);
    const QString dotDir = bench::option(args, "--write-dot");
    // Graphviz loads its plugins and font tables on first use: not part of any one layout.
    const GraphSpec warmUp = test::threeGenerationSpec();
    (void)QtConcurrent::run(&graphvizPool(), [&] { return layoutGraph(warmUp); }).result();
    for (int n : sizes) {
        if (n < 10)
            return 2;
        const Numbers r = measure(n, rounds, dotDir);
        std::printf("bench_lineage: %d nodes, %d edges (layout %.0f x %.0f pt), %d interleaved "
                    "rounds\n",
                    r.nodes, r.edges, r.size.width(), r.size.height(), rounds);
        bench::printRatio("layoutGraph / dot -Txdot (time)", r.ours, r.dotCli);
        bench::printRatio("GraphScene fill / layoutGraph (time)", r.fill, r.ours);
        bench::printRatio("first frame / layoutGraph (time)", r.frame, r.ours);
        bench::printValue("layoutGraph", r.ours, "ms", 1, 1);
        bench::printValue("dot -Txdot (baseline: the Graphviz tool)", r.dotCli, "ms", 1, 1);
        bench::printValue("GraphScene fill", r.fill, "ms", 1, 1);
        bench::printValue("first frame", r.frame, "ms", 1, 1);
    }
    return 0;
}
