// SPDX-License-Identifier: GPL-3.0-or-later
// toDot, layoutGraph and renderGraph: hostile text survives the real `dot` tool and comes out
// literally, layouts are geometrically sane, renderings have the right format, cancel works.
#include "graphtestutil.h"
#include "model/graph/graphlayout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineF>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QSemaphore>
#include <QtConcurrent/QtConcurrentRun>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QXmlStreamReader>

#include <cmath>

using namespace cartulary;
using namespace cartulary::model;
using namespace cartulary::model::test;

namespace {

/** Jobs that ran somewhere else than on the Graphviz thread (must stay 0). */
std::atomic_int g_offPool{0};

/**
 * Runs f on graphvizPool(), as the app does, and waits for it without QFuture::result() (which
 * may run a job that has not started yet on the waiting thread). A job that does not finish in
 * time fails the test, and comes back as an error with code "timed-out" (which no caller expects).
 */
template<typename F>
auto onGraphviz(F f)
{
    using R = decltype(f());
    auto future = QtConcurrent::run(&graphvizPool(), [f = std::move(f)] {
        if (QThread::currentThread() == QCoreApplication::instance()->thread())
            ++g_offPool;
        return f();
    });
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 300000)) {
        QTest::qFail("The Graphviz job did not finish within 300 s", __FILE__, __LINE__);
        return R(Error{QStringLiteral("timed-out"), QStringLiteral("not finished in 300 s")});
    }
    return future.result();
}

struct Tool
{
    int exitCode = -1;
    QByteArray out, err;
};

Tool run(const QString &program, const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    Tool t;
    if (!p.waitForFinished(60000))
        return t;
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = p.readAllStandardOutput();
    t.err = p.readAllStandardError();
    return t;
}

/** Nodes and edges of a DOT text as Graphviz's `gc` counts them. */
std::pair<int, int> counts(const QByteArray &dot)
{
    const Tool gc = run(QStringLiteral("gc"), {QStringLiteral("-n"), QStringLiteral("-e")}, dot);
    const QStringList fields = QString::fromUtf8(gc.out).split(u' ', Qt::SkipEmptyParts);
    if (gc.exitCode != 0 || fields.size() < 2)
        return {-1, -1};
    return {fields[0].toInt(), fields[1].toInt()};
}

/** A DOT text as Graphviz's own parser read it (`dot -Tjson0`), for comparing with a spec. */
struct ParsedDot
{
    QString name;
    QList<QJsonObject> nodes; ///< in the order cgraph keeps them (first appearance)
    /** Each edge's attributes, plus "tailName" and "headName": its ends' node names. */
    QList<QJsonObject> edges;
    QString error;
};

ParsedDot parseDot(const QByteArray &dot)
{
    ParsedDot parsed;
    const Tool tool = run(QStringLiteral("dot"), {QStringLiteral("-Tjson0")}, dot);
    QJsonParseError jsonError;
    const QJsonDocument json = QJsonDocument::fromJson(tool.out, &jsonError);
    if (tool.exitCode != 0 || !json.isObject()) {
        parsed.error = QString::fromUtf8(tool.err) + jsonError.errorString();
        return parsed;
    }
    const QJsonObject graph = json.object();
    parsed.name = graph.value("name").toString();
    const QJsonArray objects = graph.value("objects").toArray();
    QHash<int, QString> names;
    for (const QJsonValue &v : objects) {
        const QJsonObject o = v.toObject();
        names.insert(o.value("_gvid").toInt(), o.value("name").toString());
        parsed.nodes.append(o);
    }
    for (const QJsonValue &v : graph.value("edges").toArray()) {
        QJsonObject e = v.toObject();
        e.insert("tailName", names.value(e.value("tail").toInt(-1)));
        e.insert("headName", names.value(e.value("head").toInt(-1)));
        parsed.edges.append(e);
    }
    return parsed;
}

/** The texts and the tooltips of an SVG, as a person would see them. */
struct SvgStrings
{
    QStringList texts, tooltips;
};

SvgStrings svgStrings(const QByteArray &svg)
{
    SvgStrings strings;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView tooltip = xml.attributes().value(QStringLiteral("xlink:title"));
        if (!tooltip.isEmpty())
            strings.tooltips.append(tooltip.toString());
        if (xml.name() == u"text")
            strings.texts.append(xml.readElementText());
    }
    return strings;
}

/** Distance from a point to a rectangle's border (0 on it). */
double distanceToBorder(const QRectF &r, const QPointF &p)
{
    const double dx = std::max({r.left() - p.x(), 0.0, p.x() - r.right()});
    const double dy = std::max({r.top() - p.y(), 0.0, p.y() - r.bottom()});
    if (dx > 0 || dy > 0)
        return std::hypot(dx, dy);
    return std::min({p.x() - r.left(), r.right() - p.x(), p.y() - r.top(), r.bottom() - p.y()});
}

/** Titles, references, licences and tooltips that try to break out of DOT's quoted strings. */
const QStringList &hostileStrings()
{
    static const QStringList strings{
        QStringLiteral("Say \"hello\" to \\\"escapes\\\""),
        QStringLiteral("C:\\data\\new\\table"),
        QStringLiteral("node \\N graph \\G"),
        QStringLiteral("edge \\E tail \\T head \\H"),
        QStringLiteral("obj \\L left\\l right\\r"),
        QStringLiteral("ends with a backslash \\"),
        QStringLiteral("two lines\nsecond line"),
        QStringLiteral("braces { digraph x { a -> b } }"),
        QStringLiteral("<b>bold</b> & <i>it</i> R&amp;D"),
        QStringLiteral("close ]; n2 [label=\"pwned\"]; //"),
        QStringLiteral("Ünïcödé 数据集 😀 “quotes” — dash"),
        QStringLiteral("control\x01\x02\x1f chars\ttab\r\nCRLF"),
        QString(2000, u'W') + QStringLiteral(" very long"),
    };
    return strings;
}

GraphSpec hostileSpec()
{
    GraphSpec s;
    s.name = QStringLiteral("lineage \"of\" \\ everything\n{ } ];");
    const QStringList &h = hostileStrings();
    for (int i = 0; i < h.size(); ++i) {
        GraphNode n = graphNode(i, h[(i + 3) % h.size()], h[i], QStringLiteral("dataset"),
                                QStringLiteral("generation"), i / 4, {h[(i + 1) % h.size()]});
        s.nodes.append(n);
    }
    // Names that are themselves hostile (asset ids are UUIDs, but the DOT must not care).
    s.nodes[1].id = QStringLiteral("id with \"quote\" and \\ backslash\\");
    s.nodes[2].id = QStringLiteral("id ]; -> { }");
    s.focus = 5;
    for (int i = 1; i < h.size(); ++i) {
        GraphEdge e = graphEdge(i / 2, i, h[i], h[(i + 5) % h.size()], 12345 * i,
                                QStringLiteral("absolute"), i % 3 == 0);
        e.tooltip = h[(i + 7) % h.size()];
        s.edges.append(e);
    }
    s.edges.append(graphEdge(0, 1, h[4])); // a second edge between the same pair
    return s;
}

} // namespace

class TestGraphLayout : public QObject
{
    Q_OBJECT

    /**
     * The DOT text, read by Graphviz's own parser, holds exactly the spec: each node under its id
     * with its title (shortened), reference and warning count as the label, its phase's colours,
     * the focus drawn bold, an ended asset dashed; each edge between the right nodes, named by
     * its index, with its licence and rate (or its kind) as the label, a revoked one dashed red.
     */
    static void checkDotAgainstSpec(const QByteArray &dot, const GraphSpec &spec)
    {
        const ParsedDot parsed = parseDot(dot);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.name, spec.name);
        QCOMPARE(parsed.nodes.size(), spec.nodes.size());
        QCOMPARE(parsed.edges.size(), spec.edges.size());
        static const QHash<QString, std::pair<QString, QString>> phaseColours{
            {"generation", {"#6a45b0", "#f0eaf9"}},
            {"protection", {"#1f5fbf", "#e6eefa"}},
            {"management", {"#b35c00", "#fcefdf"}},
            {"commercialization", {"#1b7a43", "#e3f3e9"}}};
        for (qsizetype i = 0; i < spec.nodes.size(); ++i) {
            const GraphNode &n = spec.nodes[i];
            const QJsonObject &o = parsed.nodes[i];
            const QString where = QStringLiteral("node %1 (%2)").arg(i).arg(n.reference);
            QVERIFY2(o.value("name").toString() == n.id, qPrintable(where));
            // Graphviz keeps a label's escapes as written: "\n" is its line break.
            QString title = n.title;
            if (title.size() > 32)
                title = title.left(31).trimmed() + QChar(0x2026);
            QString label = title + QStringLiteral("\\n") + n.reference;
            if (!n.flags.isEmpty())
                label += QStringLiteral("  ⚠%1").arg(n.flags.size());
            QVERIFY2(o.value("label").toString() == label,
                     qPrintable(where + ": " + o.value("label").toString() + " != " + label));
            QVERIFY2(o.value("tooltip").toString() ==
                         (n.flags.isEmpty() ? n.title
                                            : n.title + QStringLiteral("\\n") +
                                                  n.flags.join(QStringLiteral("\\n"))),
                     qPrintable(where + ": " + o.value("tooltip").toString()));
            const auto colours = phaseColours.value(n.phase);
            QVERIFY2(o.value("color").toString() == colours.first, qPrintable(where));
            QVERIFY2(o.value("fillcolor").toString() == colours.second, qPrintable(where));
            QVERIFY2((o.value("penwidth").toString() == QStringLiteral("2.5")) == (i == spec.focus),
                     qPrintable(where));
            QVERIFY2(o.value("style").toString().contains(QStringLiteral("dashed")) ==
                         (n.status == QStringLiteral("lapsed")),
                     qPrintable(where));
        }
        for (qsizetype i = 0; i < spec.edges.size(); ++i) {
            const GraphEdge &e = spec.edges[i];
            const QString where = QStringLiteral("edge %1").arg(i);
            // Edges come back grouped by tail: find this one by the id that names it.
            const auto it =
                std::find_if(parsed.edges.begin(), parsed.edges.end(), [i](const auto &o) {
                    return o.value("id").toString() == QStringLiteral("e%1").arg(i);
                });
            QVERIFY2(it != parsed.edges.end(), qPrintable(where));
            const QJsonObject &o = *it;
            QVERIFY2(o.value("tailName").toString() == spec.nodes[e.parent].id, qPrintable(where));
            QVERIFY2(o.value("headName").toString() == spec.nodes[e.child].id, qPrintable(where));
            const QString rate = royaltyRateText(e);
            const QString label = e.licenceReference.isEmpty() ? e.kind
                                  : rate.isEmpty()
                                      ? e.licenceReference
                                      : e.licenceReference + QStringLiteral("\\n") + rate;
            QVERIFY2(o.value("label").toString() == label,
                     qPrintable(where + ": " + o.value("label").toString() + " != " + label));
            QVERIFY2(o.value("tooltip").toString() ==
                         QString(e.tooltip).replace(u'\n', QStringLiteral("\\n")),
                     qPrintable(where));
            QVERIFY2((o.value("style").toString() == QStringLiteral("dashed")) == e.revoked,
                     qPrintable(where));
            QVERIFY2((o.value("color").toString() == QStringLiteral("#b42318")) == e.revoked,
                     qPrintable(where));
        }
    }

private slots:
    void cleanup() { QCOMPARE(g_offPool.load(), 0); }

    void formats()
    {
        QVERIFY(graphFormatFromName("svg") == GraphFormat::Svg);
        QVERIFY(graphFormatFromName("PDF") == GraphFormat::Pdf);
        QVERIFY(graphFormatFromName("png") == GraphFormat::Png);
        QVERIFY(graphFormatFromName("dot") == GraphFormat::Dot);
        QVERIFY(!graphFormatFromName("jpg"));
        QVERIFY(!graphFormatFromName(""));
        QVERIFY(!graphFormatFromName("svg "));
    }

    void labelsAndColours()
    {
        const GraphSpec s = threeGenerationSpec();
        const QByteArray dot = toDot(s);
        QVERIFY(dot.startsWith("digraph \"lineage of MBG-M0007\" {"));
        QVERIFY(dot.contains("rankdir=TB"));
        QVERIFY(dot.contains("charset=\"UTF-8\""));
        QVERIFY(dot.contains("node [shape=box, style=\"rounded,filled\""));
        QVERIFY(dot.contains("label=\"LIC-0007\\n5.00 % absolute\""));
        QVERIFY(dot.contains("label=\"LIC-0012\\n2.50 % relative\""));
        QVERIFY(dot.contains("label=\"integration\"")); // no licence: the kind alone
        // Phase tint inside, phase colour around (Theme.qml's light palette); the focus is bold.
        QVERIFY(dot.contains("label=\"Tissue segmentation model v2\\nMBG-M0007\", tooltip=\"Tissue "
                             "segmentation model v2\", fillcolor=\"#f0eaf9\", color=\"#6a45b0\", "
                             "penwidth=2.5"));
        QVERIFY(dot.contains("fillcolor=\"#e3f3e9\", color=\"#1b7a43\"];"));
        const qsizetype revoked = dot.indexOf("LIC-0031");
        QVERIFY(revoked > 0);
        QVERIFY(dot.indexOf("style=dashed, color=\"#b42318\"", revoked) > revoked);
        QCOMPARE(dot.count("style=dashed"), 1);
        // Long titles are cut with an ellipsis; the tooltip keeps the whole title.
        QVERIFY(dot.contains("label=\"Annotated histology slides (Hei…\\nMBG-D0031\""));
        QVERIFY(dot.contains("tooltip=\"Annotated histology slides (Heidelberg cohort)\""));
        QVERIFY(!dot.contains("nslimit")); // small graphs get dot's full positioning
        QVERIFY(toDot(lineageSpec(700)).contains("nslimit=0.5"));
    }

    void rates()
    {
        GraphEdge e;
        QCOMPARE(royaltyRateText(e), QString());
        e.royaltyPpm = 50000;
        QCOMPARE(royaltyRateText(e), QStringLiteral("5.00 %"));
        e.policy = QStringLiteral("absolute");
        QCOMPARE(royaltyRateText(e), QStringLiteral("5.00 % absolute"));
        e.royaltyPpm = 12345; // 1.2345 % → 1.23 %
        QCOMPARE(royaltyRateText(e), QStringLiteral("1.23 % absolute"));
        e.royaltyPpm = 12350; // half away from zero
        QCOMPARE(royaltyRateText(e), QStringLiteral("1.24 % absolute"));
        e.royaltyPpm = 1000000;
        e.policy = QStringLiteral("relative");
        QCOMPARE(royaltyRateText(e), QStringLiteral("100.00 % relative"));
        e.royaltyPpm = 0;
        QCOMPARE(royaltyRateText(e), QStringLiteral("0.00 % relative"));
    }

    void hostileTextSurvivesDot()
    {
        const GraphSpec s = hostileSpec();
        const QByteArray dot = toDot(s);
        const Tool canon = run(QStringLiteral("dot"), {QStringLiteral("-Tcanon")}, dot);
        QVERIFY2(canon.exitCode == 0, canon.err.constData());
        QVERIFY2(!canon.err.contains("rror"), canon.err.constData());
        // Nothing broke out of its quotes: no node or edge was added or lost.
        const auto [nodes, edges] = counts(canon.out);
        QCOMPARE(nodes, int(s.nodes.size()));
        QCOMPARE(edges, int(s.edges.size()));
        QCOMPARE(counts(dot), std::make_pair(int(s.nodes.size()), int(s.edges.size())));
        QVERIFY(!dot.contains('\x01') && !dot.contains('\r') && !dot.contains('\t'));
    }

    void hostileTextComesOutLiterally()
    {
        const GraphSpec s = hostileSpec();
        auto svg = onGraphviz([s] { return renderGraph(s, GraphFormat::Svg); });
        QVERIFY2(svg.ok(), qPrintable(svg.errorString()));
        const auto [texts, tooltips] = svgStrings(svg.value());
        // Labels: Graphviz's escapes are shown as typed, never substituted or turned into breaks.
        for (const char *literal :
             {"Say \"hello\" to \\\"escapes\\\"", "C:\\data\\new\\table", "node \\N graph \\G",
              "edge \\E tail \\T head \\H", "obj \\L left\\l right\\r", "ends with a backslash \\",
              "braces { digraph x { a -> b } }", "<b>bold</b> & <i>it</i> R&amp;D",
              "close ]; n2 [label=\"pwned\"]; //", "Ünïcödé 数据集 😀 “quotes” — dash",
              "two lines second line", "control chars tab CRLF"})
            QVERIFY2(texts.contains(QString::fromUtf8(literal)), literal);
        QVERIFY(texts.contains(QString(31, u'W') + QChar(0x2026))); // cut to 32 characters
        // Tooltips (nodes' titles, edges' terms): whole, with their line breaks, escapes as typed.
        for (const QString &h : hostileStrings()) {
            QString expected = h;
            expected.remove(QRegularExpression(QStringLiteral("[\\x01\\x02\\x1f]")));
            expected.replace(u'\t', u' ').replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
            // A node's tooltip is its title, then the legal-status warnings that reach it.
            QVERIFY2(std::any_of(tooltips.begin(), tooltips.end(),
                                 [&expected](const QString &t) {
                                     return t == expected || t.startsWith(expected + u'\n');
                                 }),
                     qPrintable(expected));
        }
        // Edge labels: licence and rate on two lines; a node's name never leaks in for \N.
        QVERIFY(texts.contains(QStringLiteral("1.23 % absolute")));
        const QString all = texts.join(u'|') + tooltips.join(u'|');
        for (const GraphNode &n : s.nodes)
            QVERIFY2(!all.contains(n.id), qPrintable(n.id));
    }

    void layoutIsSane_data()
    {
        QTest::addColumn<GraphSpec>("spec");
        QTest::newRow("three generations") << threeGenerationSpec();
        QTest::newRow("hostile") << hostileSpec();
        QTest::newRow("neighbourhood of 150") << lineageSpec(150);
    }

    void layoutIsSane()
    {
        QFETCH(GraphSpec, spec);
        auto result = onGraphviz([spec] { return layoutGraph(spec); });
        QVERIFY2(result.ok(), qPrintable(result.errorString()));
        const GraphLayout &l = result.value();
        QCOMPARE(l.nodes.size(), spec.nodes.size());
        QCOMPARE(l.edges.size(), spec.edges.size());
        const QRectF box(QPointF(0, 0), l.size);
        QVERIFY(l.size.width() > 0 && l.size.height() > 0);
        constexpr double Slack = 1.0; // Graphviz rounds coordinates to 1/100 point
        const QRectF inside = box.adjusted(-Slack, -Slack, Slack, Slack);
        for (const QRectF &r : l.nodes) {
            QVERIFY2(inside.contains(r), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                        .arg(r.x())
                                                        .arg(r.y())
                                                        .arg(r.width())
                                                        .arg(r.height())));
            QVERIFY(r.width() >= 54 - Slack && r.height() >= 36 - Slack);
        }
        for (qsizetype i = 0; i < spec.edges.size(); ++i) {
            const GraphEdge &e = spec.edges[i];
            const EdgeGeometry &g = l.edges[i];
            const QRectF parent = l.nodes[e.parent], child = l.nodes[e.child];
            const QString where = QStringLiteral("edge %1").arg(i);
            // Ancestors above descendants.
            QVERIFY2(parent.bottom() < child.top(), qPrintable(where));
            QVERIFY2(g.spline.size() >= 4 && (g.spline.size() - 1) % 3 == 0, qPrintable(where));
            // The curve leaves the parent's border and its arrow ends on the child's.
            QVERIFY2(distanceToBorder(parent, g.spline.first()) < 2, qPrintable(where));
            QVERIFY2(g.hasArrow, qPrintable(where));
            QVERIFY2(distanceToBorder(child, g.arrowTip) < 2, qPrintable(where));
            const double arrow = QLineF(g.spline.last(), g.arrowTip).length();
            QVERIFY2(arrow > 3 && arrow < 12, qPrintable(where)); // arrowsize 0.7 × 10 pt
            QVERIFY2(!g.labelPos.isNull() && inside.contains(g.labelPos), qPrintable(where));
            for (const QPointF &p : g.spline)
                QVERIFY2(inside.contains(p), qPrintable(where));
        }
    }

    void twoEdgesBetweenTheSamePair()
    {
        // threeGenerationSpec has two edges 3 → 7 (illustration, translation): each keeps its
        // own curve and label, in spec order.
        const GraphSpec s = threeGenerationSpec();
        QCOMPARE(s.edges[7].parent, s.edges[8].parent);
        QCOMPARE(s.edges[7].child, s.edges[8].child);
        auto result = onGraphviz([s] { return layoutGraph(s); });
        QVERIFY(result.ok());
        const EdgeGeometry &a = result->edges[7], &b = result->edges[8];
        QVERIFY(a.labelPos != b.labelPos);
        QVERIFY(a.spline != b.spline);
        // The labels are where Graphviz put those texts: compare with its own SVG.
        auto svg = onGraphviz([s] { return renderGraph(s, GraphFormat::Svg); });
        QVERIFY(svg.ok());
        const QRegularExpression group(
            QStringLiteral("<g id=\"e(\\d+)\" class=\"edge\">.*?<text[^>]* x=\"([-\\d.]+)\""),
            QRegularExpression::DotMatchesEverythingOption);
        int checked = 0;
        for (auto it = group.globalMatch(QString::fromUtf8(svg.value())); it.hasNext();) {
            const auto m = it.next();
            const int index = m.captured(1).toInt();
            // x is the label's centre, in graph coordinates (the pad is a transform).
            QVERIFY2(std::abs(m.captured(2).toDouble() - result->edges[index].labelPos.x()) < 1.0,
                     qPrintable(m.captured(0)));
            ++checked;
        }
        QCOMPARE(checked, int(s.edges.size()));
    }

    void renders()
    {
        const GraphSpec s = threeGenerationSpec();
        auto dot = onGraphviz([s] { return renderGraph(s, GraphFormat::Dot); });
        QVERIFY(dot.ok());
        checkDotAgainstSpec(dot.value(), s);
        auto svg = onGraphviz([s] { return renderGraph(s, GraphFormat::Svg); });
        QVERIFY2(svg.ok(), qPrintable(svg.errorString()));
        QVERIFY(svg->startsWith("<?xml"));
        QVERIFY(svg->contains("<svg"));
        QVERIFY(svg->contains("LIC&#45;0007") || svg->contains("LIC-0007"));
        auto pdf = onGraphviz([s] { return renderGraph(s, GraphFormat::Pdf); });
        QVERIFY2(pdf.ok(), qPrintable(pdf.errorString()));
        QVERIFY(pdf->startsWith("%PDF-"));
        QVERIFY(pdf->size() > 1000);
        auto png = onGraphviz([s] { return renderGraph(s, GraphFormat::Png); });
        QVERIFY2(png.ok(), qPrintable(png.errorString()));
        QVERIFY(png->startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QVERIFY(png->size() > 1000);
    }

    void emptyGraph()
    {
        const GraphSpec empty;
        auto layout = onGraphviz([empty] { return layoutGraph(empty); });
        QVERIFY(layout.ok());
        QVERIFY(layout->nodes.isEmpty() && layout->edges.isEmpty());
        QCOMPARE(layout->size, QSizeF(0, 0));
        const Tool canon = run(QStringLiteral("dot"), {QStringLiteral("-Tcanon")}, toDot(empty));
        QCOMPARE(canon.exitCode, 0);
        auto svg = onGraphviz([empty] { return renderGraph(empty, GraphFormat::Svg); });
        QVERIFY2(svg.ok(), qPrintable(svg.errorString()));
        QVERIFY(svg->contains("<svg"));
    }

    void refusesBrokenSpecs()
    {
        GraphSpec s = threeGenerationSpec();
        s.nodes[4].id = s.nodes[2].id;
        auto duplicate = onGraphviz([s] { return layoutGraph(s); });
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().code, QStringLiteral("invalid-graph"));
        QVERIFY(duplicate.errorString().contains(s.nodes[2].id));

        s = threeGenerationSpec();
        s.edges[2].child = 99;
        auto dangling = onGraphviz([s] { return layoutGraph(s); });
        QVERIFY(!dangling.ok());
        QCOMPARE(dangling.error().code, QStringLiteral("invalid-graph"));
        QVERIFY(dangling.errorString().contains(QStringLiteral("node 99")));
        auto render = onGraphviz([s] { return renderGraph(s, GraphFormat::Svg); });
        QCOMPARE(render.error().code, QStringLiteral("invalid-graph"));
        // The DOT text leaves the bad edge out but stays valid.
        QCOMPARE(run(QStringLiteral("dot"), {QStringLiteral("-Tcanon")}, toDot(s)).exitCode, 0);
    }

    void dotAsGraphvizReadsIt_data()
    {
        QTest::addColumn<GraphSpec>("spec");
        QTest::newRow("three generations") << threeGenerationSpec();
        QTest::newRow("neighbourhood of 80") << lineageSpec(80);
    }

    void dotAsGraphvizReadsIt()
    {
        QFETCH(GraphSpec, spec);
        checkDotAgainstSpec(toDot(spec), spec);
    }

    void cancelled()
    {
        const GraphSpec s = threeGenerationSpec();
        std::atomic_bool cancel{true};
        auto result = onGraphviz([s, &cancel] { return layoutGraph(s, &cancel); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("cancelled"));
        QVERIFY(!result.errorString().isEmpty());
    }

    void cancelledWhileLayingOut()
    {
        // What a later layout must still produce: nothing of a cancelled one may linger.
        const GraphSpec small = threeGenerationSpec();
        auto reference = onGraphviz([small] { return layoutGraph(small); });
        QVERIFY(reference.ok());

        // A big graph, cancelled from this thread once the Graphviz thread is in dot's step (it
        // waits there until the flag is set, so the cancel always lands during the layout).
        const GraphSpec big = lineageSpec(1500);
        std::atomic_bool cancel{false};
        QSemaphore layingOut, cancelSet;
        QMutex lock;
        QList<LayoutStep> steps;
        auto future = QtConcurrent::run(&graphvizPool(), [&] {
            return layoutGraph(big, &cancel, [&](LayoutStep step) {
                {
                    QMutexLocker locker(&lock);
                    steps.append(step);
                }
                if (step == LayoutStep::LayingOut) {
                    layingOut.release();
                    cancelSet.acquire();
                }
            });
        });
        QVERIFY(layingOut.tryAcquire(1, 120000));
        QVERIFY(!future.isFinished());
        cancel.store(true);
        cancelSet.release();
        QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 300000));
        const Result<GraphLayout> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("cancelled"));
        // Promptly: it stopped as soon as dot returned, reading none of the layout back.
        QCOMPARE(steps, (QList<LayoutStep>{LayoutStep::Parsing, LayoutStep::LayingOut}));

        // Nothing left behind: Graphviz is free (no lock held), its error buffer is clean, and
        // the next layout is the one a fresh Graphviz gives. (Its memory: LeakSanitizer.)
        auto after = onGraphviz([small] { return layoutGraph(small); });
        QVERIFY2(after.ok(), qPrintable(after.errorString()));
        QCOMPARE(after->size, reference->size);
        QCOMPARE(after->nodes, reference->nodes);
        for (qsizetype i = 0; i < small.edges.size(); ++i)
            QCOMPARE(after->edges[i].spline, reference->edges[i].spline);
        GraphSpec broken = small;
        broken.nodes[4].id = broken.nodes[2].id;
        auto refused = onGraphviz([broken] { return layoutGraph(broken); });
        QCOMPARE(refused.error().code, QStringLiteral("invalid-graph"));
        QVERIFY(!refused.errorString().contains(QStringLiteral("cancel")));
    }

    void cancelledWhileReadingBack()
    {
        // A cancel that lands after dot, while the layout is read back, stops the reading.
        const GraphSpec s = lineageSpec(150);
        std::atomic_bool cancel{false};
        auto result = onGraphviz([s, &cancel] {
            return layoutGraph(s, &cancel, [&cancel](LayoutStep step) {
                if (step == LayoutStep::Reading)
                    cancel.store(true);
            });
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("cancelled"));
        // Without a cancel, the same steps run to the end, in order.
        QList<LayoutStep> steps;
        auto whole = onGraphviz([s, &steps] {
            return layoutGraph(s, nullptr, [&steps](LayoutStep step) { steps.append(step); });
        });
        QVERIFY(whole.ok());
        QCOMPARE(steps, (QList<LayoutStep>{LayoutStep::Parsing, LayoutStep::LayingOut,
                                           LayoutStep::Reading}));
    }

    void oneGraphvizThread()
    {
        QCOMPARE(graphvizPool().maxThreadCount(), 1);
        QCOMPARE(&graphvizPool(), &graphvizPool());
        // Many callers at once are served one after the other, with identical results.
        const GraphSpec s = lineageSpec(60);
        QList<QFuture<Result<GraphLayout>>> futures;
        for (int i = 0; i < 4; ++i)
            futures.append(QtConcurrent::run(&graphvizPool(), [s] { return layoutGraph(s); }));
        // result() may take a job that has not started and run it here, beside the pool's
        // thread: layoutGraph serialises Graphviz itself, so this is safe too.
        const Result<GraphLayout> first = futures[0].result();
        QVERIFY(first.ok());
        for (auto &f : futures) {
            const Result<GraphLayout> r = f.result();
            QVERIFY(r.ok());
            QCOMPARE(r->nodes, first->nodes);
            QCOMPARE(r->size, first->size);
        }
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
