// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point: the one place that constructs and wires objects, then runs the CLI or hands them to
// QML.
#include "app/cli.h"
#include "model/io/demo.h"
#include "model/ui/controllers.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"

#include <QApplication>
#include <QDate>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(Cartulary_ModelPlugin)
Q_IMPORT_QML_PLUGIN(CartularyPlugin)

namespace {

/** GUI-only options, taken out of the argument list before the CLI sees it. */
struct GuiOptions
{
    QString dataDir;
    QString screenshot; ///< save a picture of the window once it has settled, then quit
    bool demo = false;  ///< open (creating on first use) the demo portfolio's own data directory
};

constexpr auto DemoPassphrase = "demo-passphrase";

/** Creates the demo identity and portfolio in dataDir unless it exists; returns an error or "". */
QString prepareDemo(const QString &dataDir)
{
    using namespace cartulary;
    model::Workspace ws(dataDir);
    if (ws.hasIdentity())
        return {};
    std::fputs("cartulary: creating the demo portfolio…\n", stderr);
    if (Status s = ws.create(model::demoOrganisation(), DemoPassphrase); !s)
        return s.errorString();
    auto written =
        model::applyJsonLines(ws, model::demoCommands(QDate::currentDate(), ws.organisationName()));
    return written ? QString() : written.errorString();
}

GuiOptions takeGuiOptions(QStringList &args)
{
    GuiOptions o;
    const qsizetype at = args.indexOf(QStringLiteral("--screenshot"));
    if (at >= 0 && at + 1 < args.size()) {
        o.screenshot = args[at + 1];
        args.remove(at, 2);
    }
    if (const qsizetype demo = args.indexOf(QStringLiteral("--demo")); demo >= 0) {
        o.demo = true;
        args.remove(demo);
    }
    const qsizetype dir = args.indexOf(QStringLiteral("--data-dir"));
    if (dir >= 0 && dir + 1 < args.size())
        o.dataDir = args[dir + 1];
    return o;
}

bool haveDisplay()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (!platform.isEmpty() && !platform.startsWith("xcb") && !platform.startsWith("wayland"))
        return true; // offscreen, vnc, eglfs…: Qt needs no X or Wayland server
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("cartulary"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CARTULARY_VERSION));
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    const GuiOptions options = takeGuiOptions(args);
    if (cartulary::app::isCommandLine(args)) {
        if (cartulary::app::drawsDocuments(args)) {
            // Statements are laid out with fonts: a GUI application, without a window.
            qputenv("QT_QPA_PLATFORM", "offscreen");
            QGuiApplication app(argc, argv);
            return cartulary::app::runCommandLine(args);
        }
        QCoreApplication app(argc, argv);
        return cartulary::app::runCommandLine(args);
    }

    if (!haveDisplay()) {
        std::fputs("cartulary: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "To run the desktop application without a screen, use a virtual one:\n"
                   "  xvfb-run -a -s \"-screen 0 1280x800x24\" cartulary\n"
                   "The command-line interface needs no display: cartulary --help\n",
                   stderr);
        return 2;
    }

    QApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    using namespace cartulary::model;
    QString dataDir = options.dataDir.isEmpty() ? Workspace::defaultDataDir()
                                                : QDir(options.dataDir).absolutePath();
    if (options.demo && options.dataDir.isEmpty())
        dataDir = QDir(dataDir).filePath(QStringLiteral("demo"));
    if (options.demo) {
        if (const QString error = prepareDemo(dataDir); !error.isEmpty()) {
            std::fprintf(stderr, "cartulary: cannot create the demo portfolio: %s\n",
                         qPrintable(error));
            return 1;
        }
    }
    Controllers controllers(dataDir);
    if (options.demo)
        controllers.session.setDemoPassphrase(QString::fromLatin1(DemoPassphrase));

    QQmlApplicationEngine engine;
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Cartulary/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    if (!options.screenshot.isEmpty()) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        QTimer::singleShot(2500, &app, [window, path = options.screenshot] {
            const bool saved = window && window->grabWindow().save(path);
            if (!saved)
                std::fprintf(stderr, "cartulary: could not save the screenshot to %s\n",
                             qPrintable(path));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
