// SPDX-License-Identifier: GPL-3.0-or-later
// Derivation graphs through Graphviz: DOT text with hostile-proof escaping, the `dot` layout read
// back from cgraph, and rendering to SVG, PDF and PNG.
#include "model/graph/graphlayout.h"

#include <QHash>
#include <QMutex>
#include <QThreadPool>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace cartulary::model {

namespace {

/** Shown in full on the node: longer titles are cut (the tooltip has the whole title). */
constexpr qsizetype TitleChars = 32;
constexpr double PointsPerInch = 72.0;
/** Above this many nodes, dot's x positioning is capped (see toDot). */
constexpr qsizetype LargeGraph = 600;

/** qml/Theme.qml's light palette: the phase colour and its tint, so exports match the app. */
struct PhaseColours
{
    const char *colour;
    const char *tint;
};

PhaseColours phaseColours(const QString &phase)
{
    if (phase == u"generation")
        return {"#6a45b0", "#f0eaf9"};
    if (phase == u"protection")
        return {"#1f5fbf", "#e6eefa"};
    if (phase == u"management")
        return {"#b35c00", "#fcefdf"};
    if (phase == u"commercialization")
        return {"#1b7a43", "#e3f3e9"};
    return {"#5c6470", "#f3f5f8"}; // Theme.mutedText / Theme.alternateBase
}

constexpr const char *TextColour = "#1d2127";    // Theme.text
constexpr const char *EdgeColour = "#5c6470";    // Theme.mutedText
constexpr const char *RevokedColour = "#b42318"; // Theme.danger

/**
 * Text as it may reach Graphviz: CR LF and the Unicode line separators become '\n' (kept only when
 * newlines are wanted, else a space), tabs become spaces, other control characters are dropped.
 */
QString printable(const QString &text, bool keepNewlines)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
            continue;
        if (c == u'\n' || c == u'\r' || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator) {
            out.append(keepNewlines ? u'\n' : u' ');
        } else if (c == u'\t') {
            out.append(u' ');
        } else if (c.category() != QChar::Other_Control) {
            out.append(c);
        }
    }
    return out;
}

/** Where a string goes decides how Graphviz reads it, hence how it must be escaped. */
enum class DotString {
    /**
     * A name (graph, node): the parser only knows \" (and backslash-newline), so a backslash is
     * doubled to keep it from eating the closing quote; names are not otherwise interpreted.
     */
    Name,
    /**
     * A label: Graphviz substitutes \N \G \E \T \H \L, then decodes HTML entities, then turns
     * \n \l \r into line breaks and \\ into \. Doubling each backslash makes every user
     * backslash literal; '&' becomes &amp; so "R&amp;D" is not shown as "R&D".
     */
    Label,
    /**
     * A tooltip: entities are decoded, then \n \l \r become newlines and \x becomes x, then
     * \N … are substituted and \\ becomes \. A literal backslash therefore needs four.
     */
    Tooltip,
};

/** text as the inside of a DOT quoted string, escaped for where it goes (see DotString). */
void appendEscaped(QByteArray &out, const QString &text, DotString kind)
{
    const QByteArray utf8 = printable(text, kind != DotString::Name).toUtf8();
    const char *backslash = kind == DotString::Name    ? "\\\\"
                            : kind == DotString::Label ? "\\\\"
                                                       : "\\\\\\\\";
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            out.append(backslash);
            break;
        case '"':
            out.append("\\\"");
            break;
        case '&':
            out.append(kind == DotString::Name ? "&" : "&amp;");
            break;
        case '\n':
            out.append("\\n"); // our own escape: a (centred) line break, or a tooltip newline
            break;
        default:
            out.append(c);
        }
    }
}

void appendQuoted(QByteArray &out, const QString &text, DotString kind)
{
    out.append('"');
    appendEscaped(out, text, kind);
    out.append('"');
}

/** The title on one line, cut to about TitleChars characters with an ellipsis. */
QString shortTitle(const QString &title)
{
    QString t = printable(title, false).simplified();
    if (t.size() <= TitleChars)
        return t;
    qsizetype cut = TitleChars - 1;
    if (t[cut - 1].isHighSurrogate()) // never split a character outside the BMP
        --cut;
    t.truncate(cut);
    return t.trimmed() + QChar(0x2026);
}

QString edgeLabel(const GraphEdge &edge)
{
    if (edge.licenceReference.isEmpty())
        return edge.kind;
    const QString rate = royaltyRateText(edge);
    const QString licence =
        edge.headReference.isEmpty()
            ? edge.licenceReference
            : QStringLiteral("%1 under %2").arg(edge.licenceReference, edge.headReference);
    return rate.isEmpty() ? licence : licence + u'\n' + rate;
}

/** The spec can be drawn: edges name existing nodes and node names are unique and not empty. */
Status checkSpec(const GraphSpec &spec)
{
    QHash<QString, qsizetype> seen;
    seen.reserve(spec.nodes.size());
    for (qsizetype i = 0; i < spec.nodes.size(); ++i) {
        const QString name = printable(spec.nodes[i].id, false);
        if (name.isEmpty())
            return Status::failure(QStringLiteral("invalid-graph"),
                                   QStringLiteral("Graph node %1 (%2) has no asset id.")
                                       .arg(i)
                                       .arg(spec.nodes[i].reference));
        const qsizetype first = seen.value(name, -1);
        if (first >= 0)
            return Status::failure(
                QStringLiteral("invalid-graph"),
                QStringLiteral("Graph nodes %1 and %2 have the same asset id %3: each asset may "
                               "appear once.")
                    .arg(first)
                    .arg(i)
                    .arg(name));
        seen.insert(name, i);
    }
    for (qsizetype i = 0; i < spec.edges.size(); ++i) {
        const GraphEdge &e = spec.edges[i];
        if (e.parent < 0 || e.parent >= spec.nodes.size() || e.child < 0 ||
            e.child >= spec.nodes.size())
            return Status::failure(
                QStringLiteral("invalid-graph"),
                QStringLiteral(
                    "Graph edge %1 links node %2 to node %3, but the graph has %4 nodes.")
                    .arg(i)
                    .arg(e.parent)
                    .arg(e.child)
                    .arg(spec.nodes.size()));
    }
    return {};
}

/** Graphviz reports errors through a callback; they are collected per call for the message. */
thread_local QByteArray t_graphvizErrors;

int collectGraphvizError(char *message)
{
    t_graphvizErrors.append(message);
    return 0;
}

/**
 * One use of Graphviz: the lock, error capture and a graph, freed afterwards.
 *
 * Graphviz keeps global state, so calls are serialised by a lock as well as by graphvizPool():
 * QFuture::result() and waitForFinished() may run a queued job on the waiting thread instead of
 * the pool's. The context (gvc) lives as long as the process: its font table must outlive every
 * layout, because Graphviz 2.43's pango plugin keeps a pointer to the last font name it measured
 * and compares it on the next call (freeing the context leaves that pointer dangling).
 */
class Graphviz
{
public:
    Graphviz()
        : m_lock(&mutex())
    {
        static GVC_t *const context = gvContext();
        m_gvc = context;
        t_graphvizErrors.clear();
        agseterr(AGWARN);
        agseterrf(collectGraphvizError);
    }
    ~Graphviz()
    {
        if (m_graph) {
            if (m_laidOut)
                gvFreeLayout(m_gvc, m_graph);
            agclose(m_graph);
        }
    }
    Graphviz(const Graphviz &) = delete;
    Graphviz &operator=(const Graphviz &) = delete;

    Status read(const QByteArray &dot)
    {
        if (!m_gvc)
            return failure("graphviz-failed", QStringLiteral("Graphviz could not start"));
        m_graph = agmemread(dot.constData());
        if (!m_graph)
            return failure("graphviz-failed", QStringLiteral("Graphviz rejected the graph"));
        return {};
    }
    Status layout()
    {
        m_laidOut = true; // a failed layout may have left some of its data: free it all the same
        if (gvLayout(m_gvc, m_graph, "dot") != 0)
            return failure("layout-failed", QStringLiteral("Graphviz could not lay the graph out"));
        return {};
    }
    Result<QByteArray> render(const char *format)
    {
        char *data = nullptr;
        unsigned int length = 0;
        if (gvRenderData(m_gvc, m_graph, format, &data, &length) != 0 || !data) {
            if (data)
                gvFreeRenderData(data);
            const bool cairo = QByteArray(format).endsWith(":cairo");
            return Result<QByteArray>(
                failure("render-failed",
                        QStringLiteral("Graphviz could not render %1%2")
                            .arg(QLatin1String(format),
                                 cairo ? QStringLiteral(" (is its cairo/pango plugin, "
                                                        "libgvplugin_pango, installed?)")
                                       : QString()))
                    .error());
        }
        QByteArray out(data, qsizetype(length));
        gvFreeRenderData(data);
        return out;
    }
    Agraph_t *graph() const { return m_graph; }

private:
    static Status failure(const char *code, const QString &what)
    {
        const QString detail = QString::fromUtf8(t_graphvizErrors).simplified();
        return Status::failure(QLatin1String(code), detail.isEmpty()
                                                        ? what + u'.'
                                                        : what + QStringLiteral(": ") + detail);
    }

    static QMutex &mutex()
    {
        static QMutex m;
        return m;
    }

    QMutexLocker<QMutex> m_lock;
    GVC_t *m_gvc = nullptr;
    Agraph_t *m_graph = nullptr;
    bool m_laidOut = false;
};

Error cancelledError()
{
    return {QStringLiteral("cancelled"), QStringLiteral("The graph layout was cancelled.")};
}

bool isCancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

QPointF point(const pointf &p, const boxf &bb)
{
    return {p.x - bb.LL.x, bb.UR.y - p.y};
}

} // namespace

std::optional<GraphFormat> graphFormatFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == u"dot" || n == u"gv")
        return GraphFormat::Dot;
    if (n == u"svg")
        return GraphFormat::Svg;
    if (n == u"pdf")
        return GraphFormat::Pdf;
    if (n == u"png")
        return GraphFormat::Png;
    return std::nullopt;
}

QString royaltyRateText(const GraphEdge &edge)
{
    if (edge.royaltyPpm == 0 && edge.policy.isEmpty())
        return {};
    // Hundredths of a percent, rounded half away from zero, in integers: no binary-float surprises.
    const qint64 magnitude = edge.royaltyPpm < 0 ? -edge.royaltyPpm : edge.royaltyPpm;
    const qint64 hundredths = (magnitude + 50) / 100;
    QString rate = QStringLiteral("%1%2.%3 %")
                       .arg(edge.royaltyPpm < 0 ? QStringLiteral("-") : QString())
                       .arg(hundredths / 100)
                       .arg(hundredths % 100, 2, 10, QChar(u'0'));
    return edge.policy.isEmpty() ? rate : rate + u' ' + edge.policy;
}

QByteArray toDot(const GraphSpec &spec)
{
    QByteArray out;
    out.reserve(256 + spec.nodes.size() * 220 + spec.edges.size() * 200);
    out.append("digraph ");
    appendQuoted(out, spec.name, DotString::Name);
    // The fonts are those of the app; sizes in points. Nodes are at least 1.6 × 0.55 inch: the
    // app's node delegates put a type badge, the reference and a warning count on the second
    // line, which a short title alone would not make room for.
    //
    // Measured on the 2-core VM (tests/bench/bench_lineage's neighbourhoods; best of 2 to 5 runs,
    // in process, Graphviz 2.43), 494 nodes / 651 edges and 1,994 nodes / 2,589 edges:
    //   edge label, defaults                        126 ms   2,530 ms
    //   edge label, nslimit=0.5                      86 ms     953 ms
    //   edge xlabel + forcelabels, defaults          68 ms     976 ms
    //   edge xlabel + forcelabels, nslimit=0.5       65 ms     805 ms
    //   mclimit=0.5, searchsize=10, remincross=false: within noise (±10 %) on both
    // Almost all of the time is dot's own ranking, crossing minimisation and (above all) x
    // positioning, a network simplex on an auxiliary graph of ~2.5× the nodes; parsing is 2–4 %.
    // Edge labels stay labels: dot reserves room for them beside their link, so licences do not
    // cover nodes or each other (xlabels are placed afterwards and do overlap in dense graphs), at
    // less than twice the cost. Above LargeGraph nodes the x positioning is capped (nslimit):
    // uncapped, it spends seconds nudging nodes by a few points in a picture that is only ever
    // seen zoomed out; capped, 2,000 nodes take about one second instead of 2.5.
    out.append(" {\n"
               "graph [rankdir=TB, charset=\"UTF-8\", fontname=\"DejaVu Sans\", nodesep=0.3, "
               "ranksep=0.4, pad=0.2, outputorder=edgesfirst");
    if (spec.nodes.size() > LargeGraph)
        out.append(", nslimit=0.5");
    out.append("];\n"
               "node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", "
               "fontsize=10, margin=\"0.16,0.06\", width=1.6, height=0.55, penwidth=1, "
               "fontcolor=\"");
    out.append(TextColour);
    out.append("\"];\nedge [fontname=\"DejaVu Sans\", fontsize=8, arrowsize=0.7, color=\"");
    out.append(EdgeColour);
    out.append("\", fontcolor=\"");
    out.append(TextColour);
    out.append("\"];\n");

    for (qsizetype i = 0; i < spec.nodes.size(); ++i) {
        const GraphNode &n = spec.nodes[i];
        const PhaseColours colours = phaseColours(n.phase);
        appendQuoted(out, n.id, DotString::Name);
        out.append(" [label=\"");
        appendEscaped(out, shortTitle(n.title), DotString::Label);
        if (!n.reference.isEmpty()) {
            out.append("\\n");
            appendEscaped(out, printable(n.reference, false), DotString::Label);
        }
        // Exports carry the legal-status warnings too: a mark on the label, the text in the
        // tooltip (SVG), and a dashed border for an asset whose protection ended.
        if (!n.flags.isEmpty())
            appendEscaped(out, QStringLiteral("  ⚠%1").arg(n.flags.size()), DotString::Label);
        out.append("\", tooltip=");
        appendQuoted(out, n.flags.isEmpty() ? n.title : n.title + u'\n' + n.flags.join(u'\n'),
                     DotString::Tooltip);
        static const QStringList ended{"lapsed", "expired", "revoked", "abandoned", "withdrawn"};
        if (ended.contains(n.status))
            out.append(", style=\"rounded,filled,dashed\"");
        out.append(", fillcolor=\"");
        out.append(colours.tint);
        out.append("\", color=\"");
        out.append(colours.colour);
        out.append('"');
        if (i == spec.focus)
            out.append(", penwidth=2.5");
        out.append("];\n");
    }
    for (qsizetype i = 0; i < spec.edges.size(); ++i) {
        const GraphEdge &e = spec.edges[i];
        if (e.parent < 0 || e.parent >= spec.nodes.size() || e.child < 0 ||
            e.child >= spec.nodes.size())
            continue; // layoutGraph refuses such a spec; the text stays valid DOT
        appendQuoted(out, spec.nodes[e.parent].id, DotString::Name);
        out.append(" -> ");
        appendQuoted(out, spec.nodes[e.child].id, DotString::Name);
        // The id names the edge in SVG and maps it back to the spec (two edges may link the
        // same pair of assets).
        out.append(" [id=\"e");
        out.append(QByteArray::number(i));
        out.append("\", label=");
        appendQuoted(out, edgeLabel(e), DotString::Label);
        if (!e.tooltip.isEmpty()) {
            out.append(", tooltip=");
            appendQuoted(out, e.tooltip, DotString::Tooltip);
        }
        if (e.revoked) {
            out.append(", style=dashed, color=\"");
            out.append(RevokedColour);
            out.append("\", fontcolor=\"");
            out.append(RevokedColour);
            out.append('"');
        }
        out.append("];\n");
    }
    out.append("}\n");
    return out;
}

// The graph is built by parsing toDot's text (agmemread) rather than with agopen/agnode/agedge:
// parsing costs 5 ms of 126 (494 nodes) and 21 ms of 950 (1,994 nodes), the most the calls could
// save, and one text is then both what is laid out and what is exported.
Result<GraphLayout> layoutGraph(const GraphSpec &spec, const std::atomic_bool *cancel,
                                const std::function<void(LayoutStep)> &step)
{
    const auto starting = [&step](LayoutStep s) {
        if (step)
            step(s);
    };
    if (isCancelled(cancel))
        return cancelledError();
    if (Status valid = checkSpec(spec); !valid)
        return valid.error();
    GraphLayout layout;
    layout.size = QSizeF(0, 0);
    if (spec.nodes.isEmpty())
        return layout;

    starting(LayoutStep::Parsing);
    const QByteArray dot = toDot(spec);
    if (isCancelled(cancel))
        return cancelledError();
    Graphviz gv;
    if (Status read = gv.read(dot); !read)
        return read.error();
    if (isCancelled(cancel))
        return cancelledError();
    starting(LayoutStep::LayingOut);
    if (Status laidOut = gv.layout(); !laidOut)
        return laidOut.error();
    if (isCancelled(cancel))
        return cancelledError();
    starting(LayoutStep::Reading);

    Agraph_t *g = gv.graph();
    const boxf bb = GD_bb(g);
    layout.size = QSizeF(bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    layout.nodes.resize(spec.nodes.size());
    layout.edges.resize(spec.edges.size());
    Agsym_t *edgeId = agattr(g, AGEDGE, const_cast<char *>("id"), nullptr);
    if (!edgeId || agnnodes(g) != spec.nodes.size())
        return Error{QStringLiteral("layout-failed"),
                     QStringLiteral("Graphviz returned a different graph (%1 nodes for %2).")
                         .arg(agnnodes(g))
                         .arg(spec.nodes.size())};
    QList<bool> edgeSeen(spec.edges.size(), false);
    // cgraph keeps nodes in the order they first appear, and toDot declares them in spec order
    // (names are unique, checked above): the i-th node is spec node i. Edges carry their index.
    qsizetype i = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n), ++i) {
        if (isCancelled(cancel))
            return cancelledError();
        const double w = ND_width(n) * PointsPerInch, h = ND_height(n) * PointsPerInch;
        const QPointF c = point(ND_coord(n), bb);
        layout.nodes[i] = QRectF(c.x() - w / 2, c.y() - h / 2, w, h);

        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            const char *id = agxget(e, edgeId);
            bool ok = false;
            const qsizetype index = (id && id[0] == 'e') ? QByteArray(id + 1).toLongLong(&ok) : -1;
            if (!ok || index < 0 || index >= spec.edges.size() || edgeSeen[index])
                return Error{QStringLiteral("layout-failed"),
                             QStringLiteral("Graphviz returned an edge this graph does not have "
                                            "(id \"%1\").")
                                 .arg(QString::fromUtf8(id ? id : ""))};
            edgeSeen[index] = true;
            EdgeGeometry &geometry = layout.edges[index];
            if (const splines *spl = ED_spl(e); spl && spl->size > 0) {
                const bezier &bz = spl->list[0];
                geometry.spline.reserve(bz.size);
                for (int p = 0; p < bz.size; ++p)
                    geometry.spline.append(point(bz.list[p], bb));
                // Arrow heads point at the child; a reversed edge (in a cycle) may carry it at
                // the start of its spline instead.
                if (bz.eflag) {
                    geometry.hasArrow = true;
                    geometry.arrowTip = point(bz.ep, bb);
                } else if (bz.sflag) {
                    geometry.hasArrow = true;
                    geometry.arrowTip = point(bz.sp, bb);
                }
            }
            if (const textlabel_t *label = ED_label(e); label && label->set)
                geometry.labelPos = point(label->pos, bb);
            else if (const textlabel_t *xlabel = ED_xlabel(e); xlabel && xlabel->set)
                geometry.labelPos = point(xlabel->pos, bb);
        }
    }
    for (i = 0; i < spec.edges.size(); ++i)
        if (!edgeSeen[i])
            return Error{QStringLiteral("layout-failed"),
                         QStringLiteral("Graphviz lost edge %1 (%2 → %3).")
                             .arg(i)
                             .arg(spec.nodes[spec.edges[i].parent].reference,
                                  spec.nodes[spec.edges[i].child].reference)};
    return layout;
}

Result<QByteArray> renderGraph(const GraphSpec &spec, GraphFormat format)
{
    if (format == GraphFormat::Dot)
        return toDot(spec);
    if (Status valid = checkSpec(spec); !valid)
        return valid.error();
    Graphviz gv;
    if (Status read = gv.read(toDot(spec)); !read)
        return read.error();
    if (Status laidOut = gv.layout(); !laidOut)
        return laidOut.error();
    // PDF and PNG through cairo (pango text, antialiased); SVG is Graphviz's own writer.
    switch (format) {
    case GraphFormat::Svg:
        return gv.render("svg");
    case GraphFormat::Pdf:
        return gv.render("pdf:cairo");
    case GraphFormat::Png:
        return gv.render("png:cairo");
    case GraphFormat::Dot:
        break;
    }
    return Error{QStringLiteral("render-failed"), QStringLiteral("Unknown graph format.")};
}

QThreadPool &graphvizPool()
{
    /** The Graphviz worker: one thread, so cgraph's and gvc's globals are never shared. */
    struct GraphvizPool : QThreadPool
    {
        GraphvizPool()
        {
            setMaxThreadCount(1);
            setObjectName(QStringLiteral("graphviz"));
        }
    };
    static GraphvizPool pool;
    return pool;
}

} // namespace cartulary::model
