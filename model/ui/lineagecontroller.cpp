// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage controller: neighbourhood reads on a worker, layout on the Graphviz thread, exports there
// too; the GUI thread only swaps in results.
#include "model/ui/lineagecontroller.h"
#include "model/core/money.h"

#include "model/io/lineageexport.h"
#include "model/portfolio/portfolio.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QSaveFile>
#include <QtConcurrent>

namespace cartulary::model {

namespace {

/** What a worker read for one request. */
struct Loaded
{
    QString id; ///< the asset shown, resolved from the id or reference asked for
    GraphSpec spec;
    QVariantMap focus;
    QString error;
};

/** A licence's terms as QML reads them (LineageController::licenceTerms). */
QVariantMap licenceTermsMap(sql::Database &db, const LicenceRecord &rec)
{
    const Licence &l = rec.licence;
    const auto head = l.under.isEmpty() ? std::nullopt : Lineage::licence(db, l.under);
    return {{"reference", l.reference},
            {"title", l.title},
            {"licensor", l.licensor},
            {"licensee", l.licensee},
            {"territory", l.territory},
            {"field", l.field},
            {"granted", l.granted.toString(Qt::ISODate)},
            {"expires", l.expires.toString(Qt::ISODate)},
            {"sublicensing", l.sublicensing},
            {"under", head ? head->licence.reference : QString()},
            {"revoked", rec.revoked.isValid() ? rec.revoked.toString(Qt::ISODate) : QString()}};
}

/**
 * An asset's lineage in brief, the shape QML binds to: the JSON report (one generation each way),
 * short-hands for the header, counts of what the graph draws, and the licences granted on it.
 */
QVariantMap lineageMap(sql::Database &db, const QString &idOrReference, const GraphSpec &spec,
                       const QDate &today)
{
    auto report = lineageReport(db, idOrReference, 1, today);
    if (!report)
        return {{"error", report.errorString()}};
    QVariantMap m = report->toVariantMap();
    const QJsonObject asset = report->value("asset").toObject();
    const QJsonObject stack = report->value("royalty_stack").toObject();
    m.insert("reference", asset.value("reference").toString());
    m.insert("title", asset.value("title").toString());
    m.insert("stack", stack.value("total").toString());
    m.insert("activeStack", stack.value("active").toString());
    int ancestors = 0, descendants = 0;
    for (const GraphNode &n : spec.nodes) {
        if (n.depth < 0)
            ++ancestors;
        else if (n.depth > 0)
            ++descendants;
    }
    m.insert("ancestorCount", ancestors);
    m.insert("descendantCount", descendants);
    m.insert("shown", spec.nodes.size());
    m.insert("omitted", spec.omitted);
    QVariantList licences;
    for (const LicenceRecord &rec : Lineage::licencesOn(db, asset.value("id").toString())) {
        QVariantMap licence = licenceTermsMap(db, rec);
        licence.insert("royalty", formatPpm(rec.licence.payment.royaltyPpm));
        licence.insert("policy", policyId(rec.licence.payment.policy));
        licence.insert("terms", describeLicence(rec.licence));
        licence.insert("revocableOn", rec.licence.revocableOn);
        licences.append(licence);
    }
    m.insert("licences", licences);
    return m;
}

} // namespace

LineageController::LineageController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &LineageController::open);
}

LineageController::~LineageController() = default;

void LineageController::open()
{
    auto db = sql::Database::open(m_session->databasePath(), sql::Database::Mode::ReadOnly);
    if (!db) {
        m_errorString = db.errorString();
        emit errorStringChanged();
        return;
    }
    m_db = std::move(db).value();
    reloadSuggestions();
}

void LineageController::reloadSuggestions()
{
    if (!m_db)
        return;
    // A GROUP BY over every derivation: on a worker, with its own connection.
    const quint64 generation = ++m_suggestionGeneration;
    const QString path = m_session->databasePath();
    auto *watcher = new QFutureWatcher<QVariantList>(this);
    connect(watcher, &QFutureWatcher<QVariantList>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_suggestionGeneration)
            return;
        m_suggestions = watcher->result();
        emit suggestionsChanged();
    });
    watcher->setFuture(QtConcurrent::run([path]() -> QVariantList {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return {};
        QVariantList out;
        for (const LinkedAsset &a : Lineage::mostLinked(*db.value(), 8))
            out.append(QVariantMap{
                {"id", a.id}, {"reference", a.reference}, {"title", a.title}, {"links", a.links}});
        return out;
    }));
}

void LineageController::setDepth(int depth)
{
    depth = std::clamp(depth, 1, 20);
    if (depth == m_depth)
        return;
    m_depth = depth;
    emit depthChanged();
    load();
}

void LineageController::show(const QString &idOrReference)
{
    if (!m_db || idOrReference.trimmed().isEmpty())
        return;
    // The asset is looked up with the graph, on the worker; until then the shown one stays.
    load(idOrReference.trimmed());
}

void LineageController::refresh()
{
    reloadSuggestions();
    load();
}

void LineageController::load(const QString &idOrReference)
{
    if ((m_assetId.isEmpty() && idOrReference.isEmpty()) || !m_db)
        return;
    const quint64 generation = ++m_generation;
    setLoading(true);
    const QString path = m_session->databasePath();
    const QString wanted = idOrReference.isEmpty() ? m_assetId : idOrReference;
    const Neighbourhood scope{m_depth, m_maxNodes};
    const QDate today = QDate::currentDate();
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // superseded by a newer request
        const Loaded loaded = watcher->result();
        setLoading(false);
        if (m_errorString != loaded.error) {
            m_errorString = loaded.error;
            emit errorStringChanged();
        }
        if (!loaded.error.isEmpty())
            return;
        m_assetId = loaded.id;
        m_spec = loaded.spec;
        m_focus = loaded.focus;
        emit focusChanged();
        // A new focus starts without a selection: pane and graph agree.
        ++m_selectionGeneration;
        setSelectionLoading(false);
        setSelection({}, m_focus);
        m_scene.setSpec(m_spec);
    });
    watcher->setFuture(QtConcurrent::run([path, wanted, scope, today]() -> Loaded {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return {{}, {}, {}, db.errorString()};
        const auto asset = Portfolio::asset(*db.value(), wanted);
        if (!asset)
            return {{}, {}, {}, tr("asset %1 does not exist").arg(wanted)};
        auto spec = lineageGraph(*db.value(), asset->id, scope, today);
        if (!spec)
            return {{}, {}, {}, spec.errorString()};
        QVariantMap focus = lineageMap(*db.value(), asset->id, spec.value(), today);
        if (focus.contains("error"))
            return {{}, {}, {}, focus.value("error").toString()};
        return {asset->id, spec.value(), focus, {}};
    }));
}

bool LineageController::isFocus(const QString &idOrReference) const
{
    const QVariantMap focusAsset = m_focus.value("asset").toMap();
    return idOrReference == focusAsset.value("id").toString() ||
           idOrReference == focusAsset.value("reference").toString();
}

void LineageController::select(const QString &idOrReference)
{
    const quint64 generation = ++m_selectionGeneration;
    // The focus was read with the graph, on the worker: nothing to read again.
    if (idOrReference.isEmpty() || isFocus(idOrReference)) {
        setSelectionLoading(false);
        setSelection({}, m_focus);
        return;
    }
    if (!m_db)
        return; // not open yet: there is nothing to read
    setSelectionLoading(true);
    const QString path = m_session->databasePath();
    const QDate today = QDate::currentDate();
    auto *watcher = new QFutureWatcher<QVariantMap>(this);
    connect(watcher, &QFutureWatcher<QVariantMap>::finished, this,
            [this, watcher, generation, idOrReference] {
                watcher->deleteLater();
                if (generation != m_selectionGeneration)
                    return; // superseded by a newer select() or a new focus
                const QVariantMap read = watcher->result();
                setSelectionLoading(false);
                if (read.contains("error")) {
                    setNotice(
                        tr("Cannot show %1: %2").arg(idOrReference, read.value("error").toString()),
                        true);
                    return; // the pane keeps what it showed
                }
                setSelection(idOrReference, read);
            });
    watcher->setFuture(QtConcurrent::run([path, idOrReference, today]() -> QVariantMap {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return {{"error", db.errorString()}};
        return lineageMap(*db.value(), idOrReference, GraphSpec{}, today);
    }));
}

void LineageController::setSelection(const QString &id, const QVariantMap &selection)
{
    m_selectedId = id;
    m_selection = selection;
    emit selectionChanged();
}

void LineageController::setSelectionLoading(bool loading)
{
    if (m_selectionLoading == loading)
        return;
    m_selectionLoading = loading;
    emit selectionLoadingChanged();
}

QVariantMap LineageController::licenceTerms(const QString &idOrReference) const
{
    if (!m_db || idOrReference.trimmed().isEmpty())
        return {};
    const auto rec = Lineage::licence(*m_db, idOrReference.trimmed());
    return rec ? licenceTermsMap(*m_db, *rec) : QVariantMap{};
}

void LineageController::exportGraph(const QString &format, const QUrl &file)
{
    const auto f = graphFormatFromName(format);
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    if (!f || path.isEmpty()) {
        setNotice(tr("Cannot export as '%1': use dot, svg, pdf or png").arg(format), true);
        return;
    }
    if (m_spec.nodes.isEmpty()) {
        setNotice(tr("Nothing to export: show an asset's lineage first"), true);
        return;
    }
    const GraphSpec spec = m_spec;
    startWork(tr("Exporting the graph to %1…").arg(path));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        finishWork();
        const QString error = watcher->result();
        setNotice(error.isEmpty() ? tr("Exported the graph to %1").arg(path) : error,
                  !error.isEmpty());
        emit exported(path, error.isEmpty());
    });
    watcher->setFuture(QtConcurrent::run(&graphvizPool(), [spec, format = *f, path]() -> QString {
        auto bytes = renderGraph(spec, format);
        if (!bytes)
            return bytes.errorString();
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes.value()) != bytes->size() ||
            !out.commit())
            return QObject::tr("Cannot write %1: %2").arg(path, out.errorString());
        return {};
    }));
}

void LineageController::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace cartulary::model
