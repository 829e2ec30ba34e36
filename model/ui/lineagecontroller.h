// SPDX-License-Identifier: GPL-3.0-or-later
// What the Lineage view can do: show the neighbourhood of an asset as a graph, explain a node (its
// licences, royalty stack and flags), change depth, and export the graph.
#pragma once

#include "model/graph/graphlayout.h"
#include "model/ui/graphscene.h"
#include "model/ui/session.h"
#include "model/ui/workstate.h"

#include <QObject>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

#include <memory>

namespace cartulary::model {

/**
 * The Lineage area's controller. The neighbourhood and the focus's report are read from the
 * projection on a worker thread (its own read-only connection), then laid out by the GraphScene on
 * the Graphviz thread; a selected asset's report is read on a worker too. The GUI thread only
 * receives results. A newer request supersedes an older one.
 */
class LineageController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(cartulary::model::GraphScene *scene READ scene CONSTANT)
    Q_PROPERTY(QString assetId READ assetId NOTIFY focusChanged)
    Q_PROPERTY(QVariantMap focus READ focus NOTIFY focusChanged)
    Q_PROPERTY(int depth READ depth WRITE setDepth NOTIFY depthChanged)
    Q_PROPERTY(int maxNodes READ maxNodes CONSTANT)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(QVariantList suggestions READ suggestions NOTIFY suggestionsChanged)
    Q_PROPERTY(QString selectedId READ selectedId NOTIFY selectionChanged)
    Q_PROPERTY(QVariantMap selection READ selection NOTIFY selectionChanged)
    Q_PROPERTY(bool selectionLoading READ selectionLoading NOTIFY selectionLoadingChanged)

public:
    explicit LineageController(Session *session, QObject *parent = nullptr);
    ~LineageController() override;

    GraphScene *scene() { return &m_scene; }
    QString assetId() const { return m_assetId; }
    /** The shown asset's report: reference, title, stack, activeStack, shares, flags, counts. */
    QVariantMap focus() const { return m_focus; }
    int depth() const { return m_depth; }
    void setDepth(int depth);
    int maxNodes() const { return m_maxNodes; }
    bool loading() const { return m_loading; }
    QString errorString() const { return m_errorString; }
    /** The assets with the most derivation links (id, reference, title, links): where to start. */
    QVariantList suggestions() const { return m_suggestions; }
    /** The asset select() last asked for ("" for the focus). */
    QString selectedId() const { return m_selectedId; }
    /**
     * The selected asset's lineage in brief, for the detail pane: reference, title, type, status,
     * owners, parents and children (each with its licence, rate, policy, revoked), licences
     * granted on it, stack, activeStack, shares and flags (message, effect). The focus's report
     * until another asset is selected; the previous selection's while that one is read.
     */
    QVariantMap selection() const { return m_selection; }
    /** An asset select() asked for is being read. */
    bool selectionLoading() const { return m_selectionLoading; }

    /** Shows the neighbourhood of an asset (id or reference). */
    Q_INVOKABLE void show(const QString &idOrReference);
    /** Reads the graph again (after the ledger changed). */
    Q_INVOKABLE void refresh();
    /**
     * Shows an asset (id or reference) in selection: the focus at once (it was read with the
     * graph), any other asset read on a worker (selectionLoading meanwhile). "" selects the focus.
     * A newer select(), or a new focus, supersedes a read still running. A new focus (show(),
     * refresh()) selects the focus again.
     */
    Q_INVOKABLE void select(const QString &idOrReference);
    /**
     * A licence's terms for a dialog, by id or reference: reference, title, licensor, licensee,
     * territory (jurisdiction codes; empty: worldwide), field (empty: any), granted, expires,
     * sublicensing, under (the head licence of a sublicence, by reference), revoked. A derivation's
     * stated territory and field, and a sublicence's terms, must lie within these
     * (model/COMMANDS.md). Empty when the licence does not exist.
     */
    Q_INVOKABLE QVariantMap licenceTerms(const QString &idOrReference) const;
    /** Writes the shown graph as "dot", "svg", "pdf" or "png" to file, off the GUI thread. */
    Q_INVOKABLE void exportGraph(const QString &format, const QUrl &file);

signals:
    void focusChanged();
    void depthChanged();
    void loadingChanged();
    void errorStringChanged();
    void suggestionsChanged();
    void selectionChanged();
    void selectionLoadingChanged();
    /** An export finished (ok) or failed; the path written. */
    void exported(const QString &path, bool ok);

private:
    void open();
    /** Reads the graph of idOrReference (empty: the shown asset) on a worker. */
    void load(const QString &idOrReference = {});
    void reloadSuggestions();
    void setLoading(bool loading);
    void setSelection(const QString &id, const QVariantMap &selection);
    void setSelectionLoading(bool loading);
    bool isFocus(const QString &idOrReference) const;

    Session *m_session;
    GraphScene m_scene;
    std::shared_ptr<sql::Database> m_db; ///< read-only, GUI thread: one licence's terms (dialogs)
    QString m_assetId;
    QVariantMap m_focus;
    QVariantList m_suggestions;
    QString m_selectedId;
    QVariantMap m_selection;
    bool m_selectionLoading = false;
    quint64 m_selectionGeneration = 0; ///< the latest select(); older reads are dropped
    GraphSpec m_spec;                  ///< what the scene shows (for export)
    int m_depth = 3;
    int m_maxNodes = 500;
    bool m_loading = false;
    QString m_errorString;
    quint64 m_generation = 0;           ///< the latest request; older results are dropped
    quint64 m_suggestionGeneration = 0; ///< the latest suggestions read
};

} // namespace cartulary::model
