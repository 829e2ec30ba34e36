// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioController: every write is a command compiled and appended on the session's writer.
#include "model/ui/portfoliocontroller.h"

#include "model/io/demo.h"
#include "model/io/importer.h"
#include "model/portfolio/portfolio.h"
#include "model/ui/deadlineview.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace cartulary::model {

namespace {
PortfolioController *s_instance = nullptr;

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString stateTitle(SubPhaseState s)
{
    switch (s) {
    case SubPhaseState::NotStarted:
        return QObject::tr("Not started");
    case SubPhaseState::InProgress:
        return QObject::tr("In progress");
    case SubPhaseState::Done:
        return QObject::tr("Done");
    case SubPhaseState::NotApplicable:
        return QObject::tr("Not applicable");
    }
    return {};
}

/** The state an advance leads to, or none. */
std::optional<SubPhaseState> advanced(SubPhaseState s)
{
    if (s == SubPhaseState::NotStarted)
        return SubPhaseState::InProgress;
    if (s == SubPhaseState::InProgress)
        return SubPhaseState::Done;
    return std::nullopt;
}

QString iso(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}
} // namespace

PortfolioController::PortfolioController(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &PortfolioController::open);
}

PortfolioController::~PortfolioController()
{
    if (m_cancel)
        m_cancel->store(true);
    if (s_instance == this)
        s_instance = nullptr;
}

PortfolioController *PortfolioController::create(QQmlEngine *, QJSEngine *engine)
{
    Q_ASSERT(s_instance);
    engine->setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void PortfolioController::setInstance(PortfolioController *controller)
{
    s_instance = controller;
}

QVariantList PortfolioController::typeOptions() const
{
    QVariantList out;
    for (const AssetType &t : assetTypes())
        out.append(QVariantMap{{"id", t.id}, {"title", t.title}});
    return out;
}

QVariantList PortfolioController::phaseOptions() const
{
    QVariantList out;
    for (Phase p : model::phases())
        out.append(QVariantMap{{"id", phaseId(p)}, {"title", phaseTitle(p)}});
    return out;
}

QStringList PortfolioController::statusOptions() const
{
    return statuses();
}

QVariantList PortfolioController::eventOptions() const
{
    QVariantList out;
    for (const EventKind &e : eventKinds())
        out.append(QVariantMap{{"id", e.id}, {"title", e.title}, {"subPhase", e.defaultSubPhase}});
    return out;
}

QVariantList PortfolioController::actorOptions() const
{
    QVariantList out;
    for (const ActorKind &a : actorKinds())
        out.append(QVariantMap{{"id", a.id}, {"title", a.title}});
    return out;
}

void PortfolioController::open()
{
    auto db = sql::Database::open(m_session->databasePath(), sql::Database::Mode::ReadOnly);
    if (!db) {
        setNotice(db.errorString(), true);
        return;
    }
    m_db = std::move(db).value();
    m_model.setDatabasePath(m_session->databasePath());
    reloadOptions();
    refreshDeadlines();
}

void PortfolioController::reloadOptions()
{
    m_jurisdictions.clear();
    m_owners.clear();
    if (m_db) {
        auto j = m_db->prepare("SELECT DISTINCT jurisdiction FROM asset_jurisdictions ORDER BY 1");
        while (j.next())
            m_jurisdictions.append(j.text(0));
        auto o =
            m_db->prepare("SELECT name FROM asset_owners GROUP BY name ORDER BY COUNT(*) DESC, "
                          "name LIMIT 200");
        while (o.next())
            m_owners.append(o.text(0));
    }
    emit optionsChanged();
}

void PortfolioController::reloadAll()
{
    m_model.reload();
    reloadOptions();
    reloadAsset();
    refreshDeadlines();
    emit portfolioChanged();
}

void PortfolioController::startWork(const QString &text)
{
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_busy = true;
    m_progress = 0;
    m_progressText = text;
    emit progressChanged();
}

void PortfolioController::finishWork()
{
    m_busy = false;
    m_progress = 0;
    m_progressText.clear();
    emit progressChanged();
}

void PortfolioController::setProgress(double progress, const QString &text)
{
    if (!m_busy)
        return;
    m_progress = progress;
    m_progressText = text;
    emit progressChanged();
}

void PortfolioController::setNotice(const QString &text, bool error)
{
    m_notice = text;
    m_noticeIsError = error;
    emit noticeChanged();
}

void PortfolioController::clearNotice()
{
    setNotice({}, false);
}

void PortfolioController::setAssetError(const QString &text)
{
    m_assetError = text;
    emit assetErrorChanged();
}

void PortfolioController::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void PortfolioController::importCsv(const QUrl &url)
{
    if (m_busy || m_session->state() != Session::Unlocked)
        return;
    const QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
    startWork(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    auto cancel = m_cancel;
    auto result = std::make_shared<Result<ImportReport>>(Error{"not-run", {}});
    m_session->post(
        [this, path, cancel, result](Workspace &ws) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                *result = Error{"io", tr("cannot read %1: %2").arg(path, file.errorString())};
                return;
            }
            ImportOptions options;
            options.cancel = cancel.get();
            QElapsedTimer throttle;
            throttle.start();
            options.progress = [this, &throttle](qint64 done, qint64 total, const QString &what) {
                if (throttle.elapsed() < 50)
                    return;
                throttle.restart();
                QMetaObject::invokeMethod(
                    this,
                    [this, done, total, what] {
                        setProgress(total > 0 ? double(done) / double(total) : 0,
                                    tr("%1: %2 / %3").arg(what, number(done), number(total)));
                    },
                    Qt::QueuedConnection);
            };
            *result = importAssetsCsv(ws, file, options);
        },
        [this, path, result] {
            finishWork();
            const QString name = QFileInfo(path).fileName();
            if (!result->ok()) {
                m_importReport = tr("%1 was not imported; nothing was written.\n%2")
                                     .arg(name, result->errorString());
                emit importReportChanged();
                setNotice(tr("Import of %1 failed: %2").arg(name, result->errorString()), true);
                return;
            }
            const ImportReport &r = result->value();
            QStringList lines{
                tr("%1: %2 rows read.").arg(name, number(r.rows)),
                tr("%1 registered, %2 updated, %3 unchanged.")
                    .arg(number(r.registered), number(r.updated), number(r.unchanged))};
            for (const QString &w : r.warnings)
                lines.append(tr("Warning: %1").arg(w));
            m_importReport = lines.join(u'\n');
            emit importReportChanged();
            setNotice(tr("Imported %1: %2 registered, %3 updated, %4 unchanged.")
                          .arg(name, number(r.registered), number(r.updated), number(r.unchanged)),
                      false);
            reloadAll();
        });
}

void PortfolioController::loadDemo()
{
    write(
        [](CommandCompiler &compiler) -> Result<QList<ledger::Draft>> {
            auto compiled = compileJsonLines(compiler, demoCommands(QDate::currentDate()));
            if (!compiled)
                return compiled.error();
            QList<ledger::Draft> drafts;
            for (const auto &c : compiled.value())
                drafts.append(c.draft);
            return drafts;
        },
        tr("Demo portfolio loaded."));
}

void PortfolioController::exportCsv(const QUrl &url)
{
    if (!m_db)
        return;
    const QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
    QSaveFile file(path);
    Status s = file.open(QIODevice::WriteOnly)
                   ? exportAssetsCsv(*m_db, file)
                   : Status::failure("io", tr("cannot write %1: %2").arg(path, file.errorString()));
    if (s && !file.commit())
        s = Status::failure("io", tr("cannot write %1: %2").arg(path, file.errorString()));
    setNotice(s ? tr("Exported %1 assets to %2.").arg(number(m_model.totalCount()), path)
                : tr("Export failed: %1").arg(s.errorString()),
              !s);
}

void PortfolioController::write(
    std::function<Result<QList<ledger::Draft>>(CommandCompiler &)> compile, const QString &success)
{
    if (m_busy || m_session->state() != Session::Unlocked)
        return;
    startWork(tr("Signing…"));
    auto result = std::make_shared<Status>();
    m_session->post(
        [compile, result](Workspace &ws) {
            CommandCompiler compiler(ws.store().database(), ws.organisationName());
            auto drafts = compile(compiler);
            if (!drafts) {
                *result = drafts.error();
                return;
            }
            auto written = ws.append(drafts.value());
            if (!written)
                *result = written.error();
        },
        [this, result, success] {
            finishWork();
            if (!*result) {
                setAssetError(result->errorString());
                setNotice(result->errorString(), true);
                return;
            }
            setAssetError({});
            setNotice(success, false);
            reloadAll();
            emit assetSaved(m_assetId);
        });
}

void PortfolioController::applyCommand(const QVariantMap &command, const QString &success)
{
    const QJsonObject c = QJsonObject::fromVariantMap(command);
    write(
        [c](CommandCompiler &compiler) -> Result<QList<ledger::Draft>> {
            auto d = compiler.compile(c);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        success);
}

void PortfolioController::openAsset(const QString &idOrReference)
{
    if (!m_db)
        return;
    const auto a = Portfolio::asset(*m_db, idOrReference);
    m_assetId = a ? a->id : QString();
    setAssetError(a ? QString() : tr("No asset %1.").arg(idOrReference));
    reloadAsset();
}

void PortfolioController::reloadAsset()
{
    m_asset.clear();
    m_phases.clear();
    m_documents.clear();
    m_assetDeadlines.clear();
    const auto a = m_db && !m_assetId.isEmpty() ? Portfolio::asset(*m_db, m_assetId) : std::nullopt;
    if (a) {
        const auto type = assetType(a->type);
        QVariantList owners;
        for (const Owner &o : a->owners)
            owners.append(
                QVariantMap{{"name", o.name},
                            {"basisPoints", o.basisPoints},
                            {"percent", QLocale().toString(o.basisPoints / 100.0, 'f', 2)}});
        QVariantList identifiers;
        for (const Identifier &i : a->identifiers)
            identifiers.append(QVariantMap{{"scheme", i.scheme}, {"value", i.value}});
        const auto controller = Portfolio::controller(*m_db, a->id);
        m_asset =
            QVariantMap{{"id", a->id},
                        {"reference", a->reference},
                        {"title", a->title},
                        {"type", a->type},
                        {"typeTitle", type ? type->title : a->type},
                        {"typeWhy", type ? type->why : QString()},
                        {"status", a->status},
                        {"jurisdictions", a->jurisdictions.join(u';')},
                        {"filingDate", iso(a->filing)},
                        {"priorityDate", iso(a->priority)},
                        {"grantDate", iso(a->grant)},
                        {"registrationDate", iso(a->registration)},
                        {"expiryDate", iso(a->expiry)},
                        {"family", a->family},
                        {"owners", owners},
                        {"ownersText", formatOwners(a->owners)},
                        {"identifiers", identifiers},
                        {"identifiersText", formatIdentifiers(a->identifiers)},
                        {"creators", a->creators.join(QStringLiteral("; "))},
                        {"tags", a->tags.join(QStringLiteral("; "))},
                        {"notes", a->notes},
                        {"controller", controller ? ledger::fingerprint(*controller) : QString()},
                        {"currentPhase", phaseId(Portfolio::currentPhase(*m_db, *a))}};

        // Events by sub-phase, oldest first.
        QHash<QString, QVariantList> events;
        auto ev = m_db->prepare("SELECT subphase, event, date, actor_kind, actor_name, note, "
                                "entry_index FROM phase_events WHERE asset_id=? ORDER BY date, "
                                "entry_index");
        ev.bind(1, a->id);
        while (ev.next()) {
            const auto kind = eventKind(ev.text(1));
            events[ev.text(0)].append(QVariantMap{{"event", ev.text(1)},
                                                  {"title", kind ? kind->title : ev.text(1)},
                                                  {"date", ev.text(2)},
                                                  {"actorKind", ev.text(3)},
                                                  {"actorName", ev.text(4)},
                                                  {"note", ev.text(5)},
                                                  {"entryIndex", ev.int64(6)}});
        }
        const auto states = Portfolio::phaseStates(*m_db, *a);
        const QString current = m_asset.value("currentPhase").toString();
        for (Phase p : model::phases()) {
            QVariantList subs;
            for (const auto &[id, state] : states) {
                const auto sp = subPhase(id);
                if (sp->phase != p)
                    continue;
                const auto next = advanced(state);
                subs.append(QVariantMap{{"id", id},
                                        {"next", next ? subPhaseStateId(*next) : QString()},
                                        {"nextTitle", next ? stateTitle(*next) : QString()},
                                        {"title", sp->title},
                                        {"description", sp->description},
                                        {"state", subPhaseStateId(state)},
                                        {"stateTitle", stateTitle(state)},
                                        {"applicable", subPhaseApplies(a->type, id)},
                                        {"events", events.value(id)}});
            }
            m_phases.append(QVariantMap{{"id", phaseId(p)},
                                        {"title", phaseTitle(p)},
                                        {"current", phaseId(p) == current},
                                        {"subPhases", subs}});
        }
        auto docs = m_db->prepare("SELECT name, sha256, entry_index, recorded_ms, note FROM "
                                  "documents WHERE asset_id=? ORDER BY entry_index");
        docs.bind(1, a->id);
        while (docs.next())
            m_documents.append(
                QVariantMap{{"name", docs.text(0)},
                            {"sha256", docs.text(1)},
                            {"entryIndex", docs.int64(2)},
                            {"recorded", QDateTime::fromMSecsSinceEpoch(docs.int64(3), Qt::UTC)
                                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"))},
                            {"note", docs.text(4)}});
        // Deadlines: the same query, states and rows as the Deadlines page (DeadlineView).
        m_assetDeadlines = DeadlineView::items(Portfolio::deadlineOverview(
            *m_db, DeadlineView::assetQuery(QDate::currentDate(), a->id)));
    }
    emit assetChanged();
}

void PortfolioController::addEvent(const QString &subPhaseId, const QString &event,
                                   const QString &date, const QString &actorKindId,
                                   const QString &actorName, const QString &note,
                                   const QString &deadlineKey)
{
    PhaseEvent ev;
    ev.assetId = m_assetId;
    ev.subPhase = subPhaseId;
    ev.event = event;
    ev.date = QDate::fromString(date, Qt::ISODate);
    ev.actorKind = actorKindId;
    ev.actorName = actorName;
    ev.note = note;
    ev.deadlineKey = deadlineKey;
    if (!ev.date.isValid()) {
        setAssetError(tr("date: '%1' is not a date in the form YYYY-MM-DD").arg(date));
        return;
    }
    const auto kind = eventKind(event);
    write(
        [ev](CommandCompiler &c) -> Result<QList<ledger::Draft>> {
            auto d = c.addPhaseEvent(ev);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        tr("Recorded “%1” on %2.").arg(kind ? kind->title : event, date));
}

void PortfolioController::advanceSubPhase(const QString &subPhaseId)
{
    const auto a = m_db ? Portfolio::asset(*m_db, m_assetId) : std::nullopt;
    if (!a)
        return;
    for (const auto &[id, state] : Portfolio::phaseStates(*m_db, *a)) {
        if (id != subPhaseId)
            continue;
        if (const auto next = advanced(state))
            setPhaseState(subPhaseId, subPhaseStateId(*next));
        else
            setAssetError(
                tr("%1 cannot be advanced from “%2”.").arg(subPhase(id)->title, stateTitle(state)));
        return;
    }
}

void PortfolioController::markDeadlinePaid(const QString &key, const QString &date)
{
    recordDeadlineOutcome(key, QStringLiteral("paid"), date, {});
}

void PortfolioController::recordDeadlineOutcome(const QString &key, const QString &outcome,
                                                const QString &date, const QString &note)
{
    static const QHash<QString, QString> events{
        {"paid", "renewed"}, {"remedy", "remedy-filed"}, {"lapsed", "lapsed"}};
    if (!events.contains(outcome)) {
        setAssetError(tr("outcome: '%1' is not paid, remedy or lapsed").arg(outcome));
        return;
    }
    for (const QVariant &v : std::as_const(m_assetDeadlines)) {
        const QVariantMap d = v.toMap();
        if (d.value("key").toString() != key)
            continue;
        // A national phase is entered by filing, in prosecution; every other deadline is settled
        // in maintenance: by a payment (also late), a remedy filed, or the lapse accepted.
        const bool phaseEntry = d.value("kind").toString() == QLatin1String("national-phase");
        const QString event = phaseEntry && outcome == QLatin1String("paid")
                                  ? QStringLiteral("filed")
                                  : events.value(outcome);
        const QString label = d.value("label").toString();
        addEvent(phaseEntry ? "prosecution" : "maintenance", event, date, {}, {},
                 note.isEmpty() ? label : label + QStringLiteral(": ") + note, key);
        return;
    }
    setAssetError(tr("No deadline %1 on this asset.").arg(key));
}

void PortfolioController::setPhaseState(const QString &subPhaseId, const QString &state)
{
    const auto s = subPhaseStateFromId(state);
    if (!s) {
        setAssetError(tr("state: '%1' is not a state").arg(state));
        return;
    }
    PhaseStateChange change{m_assetId, subPhaseId, *s, {}};
    const auto sp = subPhase(subPhaseId);
    write(
        [change](CommandCompiler &c) -> Result<QList<ledger::Draft>> {
            auto d = c.setPhaseState(change);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        tr("%1 is now “%2”.").arg(sp ? sp->title : subPhaseId, stateTitle(*s)));
}

Result<Asset> PortfolioController::assetFromFields(const QVariantMap &f, bool asNew,
                                                   QList<FieldProblem> *problems) const
{
    Asset a;
    if (!asNew && m_db && !m_assetId.isEmpty()) {
        const auto current = Portfolio::asset(*m_db, m_assetId);
        if (current)
            a = *current;
    }
    if (asNew)
        a.id = newAssetId();
    // Every field is read and checked, so that the form can mark each one that is wrong.
    QList<FieldProblem> unread;
    const auto failed = [&unread](const Error &e) { unread.append(fieldProblem(e)); };
    a.reference = f.value("reference").toString().trimmed();
    a.title = f.value("title").toString().trimmed();
    a.type = f.value("type").toString();
    a.status = f.value("status").toString().trimmed().toLower();
    a.jurisdictions.clear();
    for (const QString &j : f.value("jurisdictions").toString().split(u';', Qt::SkipEmptyParts))
        a.jurisdictions.append(j.trimmed().toUpper());
    const QList<std::pair<const char *, QDate *>> dates{{"filingDate", &a.filing},
                                                        {"priorityDate", &a.priority},
                                                        {"grantDate", &a.grant},
                                                        {"registrationDate", &a.registration},
                                                        {"expiryDate", &a.expiry}};
    static const QHash<QString, QString> columns{{"filingDate", "filing_date"},
                                                 {"priorityDate", "priority_date"},
                                                 {"grantDate", "grant_date"},
                                                 {"registrationDate", "registration_date"},
                                                 {"expiryDate", "expiry_date"}};
    for (const auto &[key, target] : dates) {
        auto d =
            parseDate(f.value(QLatin1String(key)).toString(), columns.value(QLatin1String(key)));
        *target = d ? d.value() : QDate();
        if (!d)
            failed(d.error());
    }
    a.family = f.value("family").toString().trimmed();
    const QString owners = f.value("owners").toString().trimmed();
    if (owners.isEmpty()) {
        a.owners = {Owner{m_session->organisationName(), WholeShare}};
    } else if (auto parsed = parseOwners(owners)) {
        a.owners = parsed.value();
    } else {
        failed(parsed.error());
    }
    if (auto ids = parseIdentifiers(f.value("identifiers").toString()))
        a.identifiers = ids.value();
    else
        failed(ids.error());
    a.creators.clear();
    for (const QString &c : f.value("creators").toString().split(u';', Qt::SkipEmptyParts))
        if (!c.trimmed().isEmpty())
            a.creators.append(c.trimmed());
    a.tags.clear();
    for (const QString &t : f.value("tags").toString().split(u';', Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            a.tags.append(t.trimmed());
    a.notes = f.value("notes").toString();
    QList<FieldProblem> all = assetProblems(a, unread);
    if (m_db) {
        if (const auto other = Portfolio::asset(*m_db, a.reference);
            other && other->id != a.id && !a.reference.isEmpty())
            all.append({QStringLiteral("reference"),
                        tr("%1 is already used by %2").arg(a.reference, other->title)});
    }
    if (problems)
        *problems = all;
    if (!all.isEmpty())
        return Error{"invalid-field", describeProblems(all)};
    return a;
}

QVariantMap PortfolioController::validateAsset(const QVariantMap &fields) const
{
    QList<FieldProblem> problems;
    (void)assetFromFields(fields, fields.value("new").toBool(), &problems);
    // Every problem beside its field, under the form's field names.
    static const QHash<QString, QString> formNames{
        {"filing_date", "filingDate"}, {"priority_date", "priorityDate"},
        {"grant_date", "grantDate"},   {"registration_date", "registrationDate"},
        {"expiry_date", "expiryDate"}, {"jurisdiction", "jurisdictions"}};
    QVariantMap out;
    for (const FieldProblem &p : problems)
        if (!out.contains(formNames.value(p.field, p.field)))
            out.insert(formNames.value(p.field, p.field), p.why);
    return out;
}

void PortfolioController::saveAsset(const QVariantMap &fields, bool asNew)
{
    auto a = assetFromFields(fields, asNew);
    if (!a) {
        setAssetError(a.errorString());
        return;
    }
    const Asset asset = a.value();
    if (asNew)
        m_assetId = asset.id;
    write(
        [asset, asNew](CommandCompiler &c) -> Result<QList<ledger::Draft>> {
            auto d = asNew ? c.registerAsset(asset) : c.updateAsset(asset);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        asNew ? tr("Registered %1.").arg(asset.reference) : tr("Saved %1.").arg(asset.reference));
}

void PortfolioController::refreshDeadlines()
{
    if (m_deadlinesLoading || m_session->state() != Session::Unlocked)
        return;
    m_deadlinesLoading = true;
    emit deadlinesChanged();
    const QString path = m_session->databasePath();
    struct Dashboard
    {
        QVariantList groups, byMonth;
        int overdue = 0, upcoming = 0;
    };
    // One query for the list, the chart and the badge (DeadlineView), so they cannot disagree.
    auto future = QtConcurrent::run([path]() -> Dashboard {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return {};
        const DeadlineOverview o =
            Portfolio::deadlineOverview(*db.value(), DeadlineView::pageQuery(QDate::currentDate()));
        return {DeadlineView::groups(o), DeadlineView::months(o), o.overdue, o.upcoming};
    });
    auto *watcher = new QFutureWatcher<Dashboard>(this);
    connect(watcher, &QFutureWatcher<Dashboard>::finished, this, [this, watcher] {
        const Dashboard d = watcher->result();
        watcher->deleteLater();
        m_groups = d.groups;
        m_byMonth = d.byMonth;
        m_overdue = d.overdue;
        m_upcoming = d.upcoming;
        m_deadlinesLoading = false;
        emit deadlinesChanged();
    });
    watcher->setFuture(future);
}

} // namespace cartulary::model
