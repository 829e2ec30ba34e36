// SPDX-License-Identifier: GPL-3.0-or-later
// AssetController: the open asset is read on the thread pool; every action is checked field by
// field here, then compiled and signed on the session's writer as a command of `apply`.
#include "model/ui/assetcontroller.h"

#include "model/core/money.h"
#include "model/lineage/licence.h"
#include "model/lineage/lineage.h"
#include "model/portfolio/portfolio.h"
#include "model/ui/deadlineview.h"
#include "model/ui/labels.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

/** What one read of the open asset found, on the worker. */
struct AssetController::Read
{
    QString id;
    QString error;
    QVariantMap asset;
    QVariantList phases, documents, deadlines, licences;
};

namespace {

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString iso(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

/** "what — signed as entry 1,234.": every notice of a write says which entry holds it. */
QString signedAs(const QString &what, quint64 entry)
{
    return AssetController::tr("%1 — signed as entry %2.").arg(what, number(qint64(entry)));
}

/** The message of an error without its leading "field: ", for a message shown beside the field. */
QString withoutField(const QString &message)
{
    const qsizetype at = message.indexOf(QLatin1String(": "));
    return at > 0 && !message.left(at).contains(u' ') ? message.mid(at + 2) : message;
}

/** A date as typed: YYYY-MM-DD; empty is refused when required. Adds the field's error. */
QDate dateField(QVariantMap &errors, const QString &field, const QString &text, bool required)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        if (required)
            errors.insert(field, AssetController::tr("is required (YYYY-MM-DD)"));
        return {};
    }
    const QDate d = QDate::fromString(t, Qt::ISODate);
    if (!d.isValid())
        errors.insert(field,
                      AssetController::tr("'%1' is not a date in the form YYYY-MM-DD").arg(text));
    return d;
}

void requiredField(QVariantMap &errors, const QString &field, const QString &text)
{
    if (text.trimmed().isEmpty())
        errors.insert(field, AssetController::tr("is required"));
}

QVariantMap assetMap(sql::Database &db, const Asset &a)
{
    const auto type = assetType(a.type);
    QVariantList owners;
    for (const Owner &o : a.owners)
        owners.append(QVariantMap{{"name", o.name},
                                  {"basisPoints", o.basisPoints},
                                  {"percent", formatPpm(qint64(o.basisPoints) * 100)}});
    QVariantList identifiers;
    for (const Identifier &i : a.identifiers)
        identifiers.append(QVariantMap{{"scheme", i.scheme}, {"value", i.value}});
    const auto controller = Portfolio::controller(db, a.id);
    return QVariantMap{{"id", a.id},
                       {"reference", a.reference},
                       {"title", a.title},
                       {"type", a.type},
                       {"typeTitle", type ? type->title : a.type},
                       {"typeWhy", type ? type->why : QString()},
                       {"status", a.status},
                       {"jurisdictions", a.jurisdictions.join(u';')},
                       {"filingDate", iso(a.filing)},
                       {"priorityDate", iso(a.priority)},
                       {"grantDate", iso(a.grant)},
                       {"registrationDate", iso(a.registration)},
                       {"expiryDate", iso(a.expiry)},
                       {"family", a.family},
                       {"owners", owners},
                       {"ownersText", formatOwners(a.owners)},
                       {"identifiers", identifiers},
                       {"identifiersText", formatIdentifiers(a.identifiers)},
                       {"creators", a.creators.join(QStringLiteral("; "))},
                       {"tags", a.tags.join(QStringLiteral("; "))},
                       {"notes", a.notes},
                       {"controller", controller ? ledger::fingerprint(*controller) : QString()},
                       {"currentPhase", phaseId(Portfolio::currentPhase(db, a))}};
}

QVariantList phaseList(sql::Database &db, const Asset &a, const QString &current)
{
    // Events by sub-phase, oldest first.
    QHash<QString, QVariantList> events;
    auto ev = db.prepare("SELECT subphase, event, date, actor_kind, actor_name, note, entry_index "
                         "FROM phase_events WHERE asset_id=? ORDER BY date, entry_index");
    ev.bind(1, a.id);
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
    const auto states = Portfolio::phaseStates(db, a);
    QVariantList out;
    for (Phase p : model::phases()) {
        QVariantList subs;
        for (const auto &[id, state] : states) {
            const auto sp = subPhase(id);
            if (sp->phase != p)
                continue;
            const auto next = advancedState(state);
            subs.append(QVariantMap{{"id", id},
                                    {"next", next ? subPhaseStateId(*next) : QString()},
                                    {"nextTitle", next ? subPhaseStateTitle(*next) : QString()},
                                    {"title", sp->title},
                                    {"description", sp->description},
                                    {"state", subPhaseStateId(state)},
                                    {"stateTitle", subPhaseStateTitle(state)},
                                    {"applicable", subPhaseApplies(a.type, id)},
                                    {"events", events.value(id)}});
        }
        out.append(QVariantMap{{"id", phaseId(p)},
                               {"title", phaseTitle(p)},
                               {"current", phaseId(p) == current},
                               {"subPhases", subs}});
    }
    return out;
}

/** The open asset and all it shows, read on a worker with its own connection. */
AssetController::Read readAsset(const QString &path, const QString &idOrReference,
                                const QDate &today)
{
    AssetController::Read r;
    auto opened = sql::Database::open(path, sql::Database::Mode::ReadOnly);
    if (!opened) {
        r.error = opened.errorString();
        return r;
    }
    sql::Database &db = *opened.value();
    const auto a = Portfolio::asset(db, idOrReference);
    if (!a) {
        r.error = AssetController::tr("No asset %1.").arg(idOrReference);
        return r;
    }
    r.id = a->id;
    r.asset = assetMap(db, *a);
    r.phases = phaseList(db, *a, r.asset.value("currentPhase").toString());
    auto docs = db.prepare("SELECT name, sha256, entry_index, recorded_ms, note FROM documents "
                           "WHERE asset_id=? ORDER BY entry_index");
    docs.bind(1, a->id);
    while (docs.next())
        r.documents.append(
            QVariantMap{{"name", docs.text(0)},
                        {"sha256", docs.text(1)},
                        {"entryIndex", docs.int64(2)},
                        {"recorded", QDateTime::fromMSecsSinceEpoch(docs.int64(3), Qt::UTC)
                                         .toString(QStringLiteral("yyyy-MM-dd HH:mm"))},
                        {"note", docs.text(4)}});
    // Deadlines: the same query, states and rows as the Deadlines page (DeadlineView).
    r.deadlines = DeadlineView::items(
        Portfolio::deadlineOverview(db, DeadlineView::assetQuery(today, a->id)));
    for (const LicenceRecord &rec : Lineage::licencesOn(db, a->id))
        r.licences.append(QVariantMap{
            {"reference", rec.licence.reference},
            {"title", rec.licence.title},
            {"licensee", rec.licence.licensee},
            {"derivatives", derivativesId(rec.licence.derivatives)},
            {"revoked", rec.revoked.isValid() ? rec.revoked.toString(Qt::ISODate) : QString()}});
    return r;
}

} // namespace

AssetController::AssetController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &AssetController::open);
}

AssetController::~AssetController() = default;

void AssetController::open()
{
    auto db = sql::Database::open(m_session->databasePath(), sql::Database::Mode::ReadOnly);
    if (!db) {
        setAssetError(db.errorString());
        return;
    }
    m_db = std::move(db).value();
}

QVariantList AssetController::eventOptions() const
{
    QVariantList out;
    for (const EventKind &e : eventKinds())
        out.append(QVariantMap{{"id", e.id}, {"title", e.title}, {"subPhase", e.defaultSubPhase}});
    return out;
}

QVariantList AssetController::actorOptions() const
{
    QVariantList out;
    for (const ActorKind &a : actorKinds())
        out.append(QVariantMap{{"id", a.id}, {"title", a.title}});
    return out;
}

QVariantList AssetController::stateOptions() const
{
    return subPhaseStateOptions();
}

QStringList AssetController::derivationKinds() const
{
    return model::derivationKinds();
}

QString AssetController::amountExample(const QString &currency) const
{
    const QString code = currency.trimmed().toUpper();
    const int digits = currencyDigits(code);
    qint64 minor = 1250;
    for (int i = 0; i < digits; ++i)
        minor *= 10;
    return localeAmount(minor, code, QLocale());
}

void AssetController::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void AssetController::setAssetError(const QString &text)
{
    if (m_assetError == text)
        return;
    m_assetError = text;
    emit assetErrorChanged();
}

void AssetController::openAsset(const QString &idOrReference)
{
    if (m_session->state() != Session::Unlocked)
        return;
    const bool same = !m_assetId.isEmpty() &&
                      (idOrReference == m_assetId || idOrReference == m_asset.value("reference"));
    m_assetId = idOrReference;
    setAssetError({});
    load(same);
}

void AssetController::refresh()
{
    if (!m_assetId.isEmpty())
        load(true);
}

void AssetController::load(bool keepShown)
{
    const quint64 generation = ++m_generation;
    if (!keepShown && !m_asset.isEmpty()) {
        // Another asset: nothing of the previous one stays on screen while this one is read.
        m_asset.clear();
        m_phases.clear();
        m_documents.clear();
        m_deadlines.clear();
        m_licences.clear();
        emit assetChanged();
    }
    setLoading(true);
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation)
            apply(watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run(readAsset, m_session->databasePath(), m_assetId, QDate::currentDate()));
}

void AssetController::apply(const Read &read)
{
    setLoading(false);
    if (!read.error.isEmpty()) {
        m_assetId.clear();
        m_asset.clear();
        m_phases.clear();
        m_documents.clear();
        m_deadlines.clear();
        m_licences.clear();
        setAssetError(read.error);
    } else {
        m_assetId = read.id;
        m_asset = read.asset;
        m_phases = read.phases;
        m_documents = read.documents;
        m_deadlines = read.deadlines;
        m_licences = read.licences;
    }
    emit assetChanged();
}

QVariantMap AssetController::refusedNow(bool needsAsset) const
{
    if (m_session->state() != Session::Unlocked)
        return {{"form", tr("The ledger is locked: unlock it to sign.")}};
    if (busy())
        return {{"form", tr("Other work is being signed; try again when it has finished.")}};
    if (needsAsset && (m_assetId.isEmpty() || m_asset.isEmpty()))
        return {{"form", tr("No asset is open.")}};
    return {};
}

void AssetController::sign(CompileCommands compile, std::function<QString(quint64)> describe,
                           const QHash<QString, QString> &names, bool fromDialog,
                           const QString &registeredId)
{
    startWork(tr("Signing…"));
    const QString written = registeredId.isEmpty() ? m_assetId : registeredId;
    signCommands(*m_session, std::move(compile),
                 [this, describe = std::move(describe), names, fromDialog, registeredId,
                  written](const SignedEntries &entries) {
                     finishWork();
                     if (!entries) {
                         const QString message = entries.errorString();
                         const QString field = message.section(QStringLiteral(": "), 0, 0);
                         QVariantMap errors;
                         if (names.contains(field))
                             errors.insert(names.value(field), withoutField(message));
                         if (fromDialog)
                             emit commandRefused(message, errors);
                         else
                             setAssetError(message);
                         return;
                     }
                     const QString notice =
                         describe(entries->isEmpty() ? 0 : entries->constLast().index);
                     setAssetError({});
                     setNotice(notice, false);
                     if (!registeredId.isEmpty())
                         m_assetId = registeredId;
                     refresh();
                     emit assetSaved(m_assetId);
                     if (fromDialog)
                         emit commandSigned(notice);
                     emit assetWritten(written, !registeredId.isEmpty());
                 });
}

QVariantMap AssetController::signFromDialog(QJsonObject command, const QString &note,
                                            const QString &what,
                                            const QHash<QString, QString> &names)
{
    if (!note.trimmed().isEmpty())
        command.insert("note", note.trimmed());
    sign(
        oneCommand(command), [what](quint64 entry) { return signedAs(what, entry); }, names, true);
    return {};
}

QVariantMap AssetController::addPhaseEvent(const QString &subPhaseId, const QString &event,
                                           const QString &date, const QString &actorKindId,
                                           const QString &actorName, const QString &note)
{
    QVariantMap errors = refusedNow(true);
    if (!errors.isEmpty())
        return errors;
    const auto kind = eventKind(event);
    if (!kind)
        errors.insert("event", tr("choose the kind of event"));
    if (!subPhase(subPhaseId))
        errors.insert("subPhase", tr("'%1' is not a sub-phase").arg(subPhaseId));
    if (!actorKindId.isEmpty() && !actorKind(actorKindId))
        errors.insert("actorKind", tr("'%1' is not a kind of actor").arg(actorKindId));
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    QJsonObject c{{"command", "add-phase-event"},
                  {"asset", m_assetId},
                  {"subphase", subPhaseId},
                  {"event", event},
                  {"date", iso(day)}};
    if (!actorKindId.isEmpty() || !actorName.trimmed().isEmpty())
        c.insert("actor", QJsonObject{{"kind", actorKindId}, {"name", actorName.trimmed()}});
    const QString what = tr("“%1” on %2 recorded for %3")
                             .arg(kind->title, iso(day), m_asset.value("reference").toString());
    return signFromDialog(
        c, note, what,
        {{"subphase", "subPhase"}, {"event", "event"}, {"date", "date"}, {"actor", "actorKind"}});
}

QVariantMap AssetController::markPaid(const QString &key, const QString &date)
{
    return recordOutcome(key, QStringLiteral("paid"), date, {});
}

QVariantMap AssetController::recordOutcome(const QString &key, const QString &outcome,
                                           const QString &date, const QString &note)
{
    QVariantMap errors = refusedNow(true);
    if (!errors.isEmpty())
        return errors;
    static const QHash<QString, QString> events{
        {"paid", "renewed"}, {"remedy", "remedy-filed"}, {"lapsed", "lapsed"}};
    if (!events.contains(outcome))
        return {{"form", tr("outcome: '%1' is not paid, remedy or lapsed").arg(outcome)}};
    QVariantMap deadline;
    for (const QVariant &v : std::as_const(m_deadlines))
        if (v.toMap().value("key").toString() == key)
            deadline = v.toMap();
    if (deadline.isEmpty())
        return {{"form", tr("No deadline %1 on this asset.").arg(key)}};
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    // A national phase is entered by filing, in prosecution; every other deadline is settled in
    // maintenance: by a payment (also late), a remedy filed, or the lapse accepted.
    const bool phaseEntry = deadline.value("kind").toString() == QLatin1String("national-phase");
    const QString event =
        phaseEntry && outcome == QLatin1String("paid") ? QStringLiteral("filed") : events[outcome];
    const QString label = deadline.value("label").toString();
    const QJsonObject c{{"command", "add-phase-event"},
                        {"asset", m_assetId},
                        {"subphase", phaseEntry ? "prosecution" : "maintenance"},
                        {"event", event},
                        {"date", iso(day)},
                        {"note", note.trimmed().isEmpty() ? label : label + ": " + note.trimmed()},
                        {"deadline", key}};
    const QString what =
        tr("%1 of %2 settled on %3").arg(label, m_asset.value("reference").toString(), iso(day));
    return signFromDialog(c, {}, what, {{"date", "date"}});
}

QVariantMap AssetController::grantLicence(const QVariantMap &f)
{
    QVariantMap errors = refusedNow(true);
    if (!errors.isEmpty())
        return errors;
    const auto text = [&f](const char *key) { return f.value(QLatin1String(key)).toString(); };
    for (const char *key : {"reference", "title", "licensee"})
        requiredField(errors, QLatin1String(key), text(key));
    const QDate granted = dateField(errors, "granted", text("granted"), true);
    const QDate expires = dateField(errors, "expires", text("expires"), false);
    if (granted.isValid() && expires.isValid() && expires < granted)
        errors.insert("expires", tr("is before the grant (%1)").arg(iso(granted)));
    const QString currency = text("currency").trimmed().toUpper();
    if (!isCurrencyCode(currency))
        errors.insert("currency",
                      tr("'%1' is not an ISO 4217 code (three letters, e.g. EUR)").arg(currency));
    qint64 upfront = 0;
    if (!text("upfront").trimmed().isEmpty() && isCurrencyCode(currency)) {
        // As this user's locale writes amounts; anything else is refused, never guessed.
        auto amount = parseLocaleAmount(text("upfront"), currency, QLocale(), "upfront");
        if (amount)
            upfront = amount.value();
        else
            errors.insert("upfront", withoutField(amount.errorString()));
    }
    qint64 royalty = 0;
    if (!text("royalty").trimmed().isEmpty()) {
        auto ppm = parseLocalePercent(text("royalty"), QLocale(), QStringLiteral("royalty"));
        if (ppm)
            royalty = ppm.value();
        else
            errors.insert("royalty", withoutField(ppm.errorString()));
    }
    if (!derivativesFromId(text("derivatives")))
        errors.insert("derivatives", tr("choose whether derivatives are allowed"));
    if (!policyFromId(text("policy")))
        errors.insert("policy", tr("choose absolute or relative"));
    if (const QString spdx = text("spdx").trimmed(); !spdx.isEmpty())
        if (Status s = checkSpdxExpression(spdx); !s)
            errors.insert("spdx", withoutField(s.errorString()));
    if (!errors.isEmpty())
        return errors;

    QJsonObject c{{"command", "grant-licence"},
                  {"reference", text("reference").trimmed()},
                  {"title", text("title").trimmed()},
                  {"asset", m_assetId},
                  {"licensee", text("licensee").trimmed()},
                  {"granted", iso(granted)},
                  {"exclusive", f.value("exclusive").toBool()},
                  {"commercial", f.value("commercial", true).toBool()},
                  {"derivatives", text("derivatives")},
                  {"share_alike", f.value("shareAlike").toBool()},
                  {"attribution", f.value("attribution").toBool()},
                  {"sublicensing", f.value("sublicensing").toBool()},
                  {"policy", text("policy")},
                  {"currency", currency},
                  {"upfront_minor", upfront},
                  {"royalty_ppm", royalty},
                  {"revocable_on",
                   QJsonArray::fromStringList(
                       f.value("revocableOn").toStringList().filter(QRegularExpression(".")))}};
    if (!text("licensor").trimmed().isEmpty())
        c.insert("licensor", text("licensor").trimmed());
    if (expires.isValid())
        c.insert("expires", iso(expires));
    for (const char *key : {"territory", "field", "spdx"})
        if (!text(key).trimmed().isEmpty())
            c.insert(QLatin1String(key), text(key).trimmed());

    QStringList terms;
    if (upfront)
        terms.append(tr("upfront %1").arg(formatMoney(upfront, currency)));
    if (royalty)
        terms.append(tr("royalty %1").arg(formatPpm(royalty)));
    const QString what =
        tr("Licence %1 on %2 granted to %3%4")
            .arg(c.value("reference").toString(), m_asset.value("reference").toString(),
                 c.value("licensee").toString(),
                 terms.isEmpty() ? QString() : QStringLiteral(", ") + terms.join(u", "));
    return signFromDialog(c, {}, what,
                          {{"reference", "reference"},
                           {"title", "title"},
                           {"licensor", "licensor"},
                           {"licensee", "licensee"},
                           {"granted", "granted"},
                           {"expires", "expires"},
                           {"territory", "territory"},
                           {"field", "field"},
                           {"exclusive", "exclusive"},
                           {"spdx", "spdx"},
                           {"share_alike", "shareAlike"},
                           {"commercial", "commercial"},
                           {"currency", "currency"},
                           {"upfront_minor", "upfront"},
                           {"royalty_ppm", "royalty"},
                           {"revocable_on", "revocableOn"}});
}

QVariantMap AssetController::revokeLicence(const QString &licence, const QString &reason,
                                           const QString &date, const QString &note)
{
    QVariantMap errors = refusedNow(false);
    if (!errors.isEmpty())
        return errors;
    requiredField(errors, "licence", licence);
    if (reason != QLatin1String(revocation::Breach) &&
        reason != QLatin1String(revocation::ChangeOfControl))
        errors.insert("reason", tr("choose breach or change of control"));
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    QJsonObject c{{"command", "revoke-licence"},
                  {"licence", licence.trimmed()},
                  {"reason", reason},
                  {"date", iso(day)}};
    const QString what = tr("Licence %1 revoked for %2 from %3").arg(licence, reason, iso(day));
    return signFromDialog(c, note, what,
                          {{"licence", "licence"}, {"reason", "reason"}, {"date", "date"}});
}

QVariantMap AssetController::recordDerivation(const QString &parent, const QString &licence,
                                              const QString &kind, const QString &date,
                                              const QString &note, const QString &territory,
                                              const QString &field)
{
    QVariantMap errors = refusedNow(true);
    if (!errors.isEmpty())
        return errors;
    requiredField(errors, "parent", parent);
    if (!model::derivationKinds().contains(kind))
        errors.insert("kind", tr("choose the kind of derivation"));
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    QJsonObject c{{"command", "record-derivation"},
                  {"child", m_assetId},
                  {"parent", parent.trimmed()},
                  {"kind", kind},
                  {"date", iso(day)}};
    if (!licence.trimmed().isEmpty())
        c.insert("licence", licence.trimmed());
    // Where and for what the derivative is used: checked against the licence's terms.
    if (!territory.trimmed().isEmpty())
        c.insert("territory", territory.trimmed());
    if (!field.trimmed().isEmpty())
        c.insert("field", field.trimmed());
    const QString what =
        tr("%1 recorded as derived from %2%3")
            .arg(m_asset.value("reference").toString(), parent.trimmed(),
                 licence.trimmed().isEmpty() ? QString() : tr(" under %1").arg(licence.trimmed()));
    return signFromDialog(c, note, what,
                          {{"parent", "parent"},
                           {"parents", "parent"},
                           {"licence", "licence"},
                           {"kind", "kind"},
                           {"date", "date"},
                           {"territory", "territory"},
                           {"field", "field"}});
}

QVariantMap AssetController::approveDerivation(const QString &licence, const QString &child,
                                               const QString &date, const QString &note)
{
    QVariantMap errors = refusedNow(false);
    if (!errors.isEmpty())
        return errors;
    requiredField(errors, "licence", licence);
    requiredField(errors, "child", child);
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    QJsonObject c{{"command", "approve-derivation"},
                  {"licence", licence.trimmed()},
                  {"child", child.trimmed()},
                  {"date", iso(day)}};
    const QString what =
        tr("Derivative %1 approved under licence %2").arg(child.trimmed(), licence.trimmed());
    return signFromDialog(c, note, what,
                          {{"licence", "licence"}, {"child", "child"}, {"date", "date"}});
}

QVariantMap AssetController::assign(const QString &owners, const QString &key, const QString &date,
                                    const QString &note)
{
    QVariantMap errors = refusedNow(true);
    if (!errors.isEmpty())
        return errors;
    QList<Owner> assignees;
    if (owners.trimmed().isEmpty()) {
        errors.insert("owners", tr("is required: Name:basis-points;… summing to 10000"));
    } else if (auto parsed = parseOwners(owners.trimmed()); !parsed) {
        errors.insert("owners", withoutField(parsed.errorString()));
    } else {
        assignees = parsed.value();
        // The asset as it stands is valid: what the new owners break is theirs.
        if (auto after = m_db ? Portfolio::asset(*m_db, m_assetId) : std::nullopt) {
            after->owners = assignees;
            if (Status s = model::validateAsset(*after); !s)
                errors.insert("owners", withoutField(s.errorString()));
        }
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (!key.trimmed().isEmpty() && !hex.match(key.trimmed()).hasMatch())
        errors.insert("key", tr("must be the assignee's key: 64 hex digits, or empty"));
    const QDate day = dateField(errors, "date", date, true);
    if (!errors.isEmpty())
        return errors;
    QJsonObject c{{"command", "assign"},
                  {"asset", m_assetId},
                  {"owners", formatOwners(assignees)},
                  {"date", iso(day)}};
    if (!key.trimmed().isEmpty())
        c.insert("key", key.trimmed().toLower());
    QStringList names;
    for (const Owner &o : assignees)
        names.append(o.name);
    const QString what =
        tr("%1 assigned to %2 on %3")
            .arg(m_asset.value("reference").toString(), names.join(QStringLiteral(", ")), iso(day));
    return signFromDialog(c, note, what, {{"owners", "owners"}, {"key", "key"}, {"date", "date"}});
}

void AssetController::advanceSubPhase(const QString &subPhaseId)
{
    for (const QVariant &phase : std::as_const(m_phases))
        for (const QVariant &v : phase.toMap().value("subPhases").toList()) {
            const QVariantMap sub = v.toMap();
            if (sub.value("id").toString() != subPhaseId)
                continue;
            if (sub.value("next").toString().isEmpty())
                setAssetError(
                    tr("%1 cannot be advanced from “%2”.")
                        .arg(sub.value("title").toString(), sub.value("stateTitle").toString()));
            else
                setPhaseState(subPhaseId, sub.value("next").toString());
            return;
        }
}

void AssetController::setPhaseState(const QString &subPhaseId, const QString &state)
{
    if (const QVariantMap refused = refusedNow(true); !refused.isEmpty()) {
        setAssetError(refused.value("form").toString());
        return;
    }
    const auto s = subPhaseStateFromId(state);
    if (!s) {
        setAssetError(tr("state: '%1' is not a state").arg(state));
        return;
    }
    PhaseStateChange change{m_assetId, subPhaseId, *s, {}};
    const auto sp = subPhase(subPhaseId);
    const QString what = tr("%1 of %2 is now “%3”")
                             .arg(sp ? sp->title : subPhaseId,
                                  m_asset.value("reference").toString(), subPhaseStateTitle(*s));
    sign(
        [change](CommandCompiler &c) -> Result<QList<ledger::Draft>> {
            auto d = c.setPhaseState(change);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        [what](quint64 entry) { return signedAs(what, entry); }, {}, false);
}

Result<Asset> AssetController::assetFromFields(const QVariantMap &f, bool asNew,
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

QVariantMap AssetController::validateAsset(const QVariantMap &fields) const
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

void AssetController::saveAsset(const QVariantMap &fields, bool asNew)
{
    if (const QVariantMap refused = refusedNow(!asNew); !refused.isEmpty()) {
        setAssetError(refused.value("form").toString());
        return;
    }
    auto a = assetFromFields(fields, asNew);
    if (!a) {
        setAssetError(a.errorString());
        return;
    }
    const Asset asset = a.value();
    const QString what =
        asNew ? tr("%1 registered").arg(asset.reference) : tr("%1 saved").arg(asset.reference);
    sign(
        [asset, asNew](CommandCompiler &c) -> Result<QList<ledger::Draft>> {
            auto d = asNew ? c.registerAsset(asset) : c.updateAsset(asset);
            if (!d)
                return d.error();
            return QList<ledger::Draft>{d.value()};
        },
        [what](quint64 entry) { return signedAs(what, entry); }, {}, false,
        asNew ? asset.id : QString());
}

} // namespace cartulary::model
