// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage graph speed on realistic neighbourhoods, as ratios against baselines in the same run:
//   our layoutGraph (DOT text, cgraph, dot engine, read-back) vs the `dot -Txdot` tool on the same
//   DOT text (the ratio shows what our path adds or saves over Graphviz itself);
//   GraphScene fill (layout on the Graphviz thread to models filled) and the first rendered frame
//   of a window with GraphView on it (QQuickWindow::grabWindow()).
// Usage: bench_lineage [--nodes 500,2000] [--runs 3] [--write-dot DIR]
#include "../model/graphtestutil.h"
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

/** The best of runs: the machine's other work only ever makes a run slower. */
template<typename F>
double best(int runs, F f)
{
    double b = 1e300;
    for (int r = 0; r < runs; ++r)
        b = std::min(b, f());
    return b;
}

struct Numbers
{
    int nodes = 0, edges = 0;
    double ours = 0, dotCli = 0, fill = 0, frame = 0;
    QSizeF size;
};

Numbers measure(int n, int runs, const QString &dotDir)
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

    r.ours = best(runs, [&] {
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
    });

    r.dotCli = best(runs, [&] {
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
    });

    r.fill = best(runs, [&] {
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
    });

    // First frame: a laid-out scene, then the view created and shown until a frame is grabbed.
    r.frame = best(runs, [&] {
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
    });
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    QList<int> sizes{500, 2000};
    int runs = 3;
    QString dotDir;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--nodes") {
            sizes.clear();
            for (const QString &s : args[i + 1].split(u','))
                sizes.append(s.toInt());
        } else if (args[i] == "--runs") {
            runs = std::max(1, args[i + 1].toInt());
        } else if (args[i] == "--write-dot") {
            dotDir = args[i + 1];
        }
    }
    // Graphviz loads its plugins and font tables on first use: not part of any one layout.
    const GraphSpec warmUp = test::threeGenerationSpec();
    (void)QtConcurrent::run(&graphvizPool(), [&] { return layoutGraph(warmUp); }).result();
    for (int n : sizes) {
        if (n < 10)
            return 2;
        const Numbers r = measure(n, runs, dotDir);
        std::printf("lineage %d nodes, %d edges (layout %.0f x %.0f pt), best of %d\n", r.nodes,
                    r.edges, r.size.width(), r.size.height(), runs);
        std::printf("  layoutGraph      %8.1f ms  ratio to dot -Txdot %.2f\n", r.ours,
                    r.ours / r.dotCli);
        std::printf("  dot -Txdot       %8.1f ms  (baseline: the Graphviz tool, same DOT)\n",
                    r.dotCli);
        std::printf("  GraphScene fill  %8.1f ms  ratio to layoutGraph %.2f\n", r.fill,
                    r.fill / r.ours);
        std::printf("  first frame      %8.1f ms  ratio to layoutGraph %.2f\n", r.frame,
                    r.frame / r.ours);
    }
    return 0;
}
