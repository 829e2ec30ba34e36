// SPDX-License-Identifier: GPL-3.0-or-later
// Command compiler: command names, field names and messages follow model/COMMANDS.md.
#include "model/workspace/commands.h"
#include "model/core/jsonfields.h"
#include "model/core/money.h"

#include "model/portfolio/deadlines.h"
#include "model/workspace/areas.h"
#include "model/workspace/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cartulary::model {

namespace {

Error fieldError(const QString &field, const QString &why)
{
    return Error{"invalid-field", QStringLiteral("%1: %2").arg(field, why)};
}

ledger::Draft draft(const char *kind, const QJsonObject &body)
{
    return ledger::Draft{kind, Portfolio::body(body), 0};
}

/** Accepts a JSON list of {name, basis_points} or the CSV text form "Name:bp;Name:bp". */
Result<QList<Owner>> ownersFrom(const QJsonValue &v)
{
    if (v.isString())
        return parseOwners(v.toString());
    QJsonObject holder{{"id", "x"}, {"owners", v}};
    auto a = Asset::fromJson(holder);
    if (!a)
        return a.error();
    return a->owners;
}

} // namespace

CommandCompiler::CommandCompiler(sql::Database &db, QString organisation)
    : m_db(db)
    , m_organisation(std::move(organisation))
{}

std::optional<Asset> CommandCompiler::find(const QString &idOrReference) const
{
    if (auto it = m_pending.find(idOrReference); it != m_pending.end())
        return *it;
    if (auto it = m_pendingRef.find(idOrReference); it != m_pendingRef.end())
        return m_pending.value(*it);
    if (m_absent.contains(idOrReference))
        return std::nullopt;
    auto a = Portfolio::asset(m_db, idOrReference);
    if (!a) {
        // The portfolio does not change while a batch compiles: a key it lacks now, it lacks for
        // the rest of the batch (an import asks twice per new row: the row's and the register's).
        m_absent.insert(idOrReference);
        return std::nullopt;
    }
    // An asset renamed earlier in this batch is only found under its new reference.
    if (m_pending.contains(a->id) && m_pending.value(a->id).reference != idOrReference &&
        a->id != idOrReference)
        return std::nullopt;
    return a;
}

void CommandCompiler::lookUpAssets(const QStringList &keys)
{
    // The keys go in as one JSON array (QJsonArray costs more than the query); each is looked up
    // in the id and the reference index. A key that is not valid UTF-16 would not read back as
    // itself: find() asks for those one by one.
    QStringList asked;
    for (const QString &key : keys)
        if (key.isValidUtf16())
            asked.append(key);
    QByteArray list;
    appendJsonStrings(list, asked);
    auto st = m_db.prepare("SELECT id, reference FROM assets WHERE id IN (SELECT value FROM "
                           "json_each(?1)) UNION SELECT id, reference FROM assets WHERE "
                           "reference IN (SELECT value FROM json_each(?1))");
    st.bindText(1, list);
    QSet<QString> held;
    while (st.next()) {
        held.insert(st.text(0));
        held.insert(st.text(1));
    }
    if (st.failed())
        return; // find() asks the portfolio itself, key by key
    for (const QString &key : std::as_const(asked))
        if (!held.contains(key))
            m_absent.insert(key);
}

Result<Asset> CommandCompiler::assetFromCommand(const QJsonObject &c, const Asset *base) const
{
    // Start from the current state (updates) and overwrite what the command names.
    QJsonObject merged = base ? base->toJson() : QJsonObject{};
    for (auto it = c.begin(); it != c.end(); ++it) {
        const QString key = it.key();
        if (key == "command" || key == "asset")
            continue;
        if (key == "jurisdiction") {
            merged.insert("jurisdictions", QJsonArray::fromStringList(it.value().toString().split(
                                               u';', Qt::SkipEmptyParts)));
        } else if (key == "owners") {
            auto owners = ownersFrom(it.value());
            if (!owners)
                return owners.error();
            QJsonArray list;
            for (const Owner &o : owners.value())
                list.append(QJsonObject{{"name", o.name}, {"basis_points", o.basisPoints}});
            merged.insert("owners", list);
        } else if (key == "identifiers" && it.value().isString()) {
            auto ids = parseIdentifiers(it.value().toString());
            if (!ids)
                return ids.error();
            QJsonArray list;
            for (const Identifier &i : ids.value())
                list.append(QJsonObject{{"scheme", i.scheme}, {"value", i.value}});
            merged.insert("identifiers", list);
        } else if (it.value().isNull()) {
            merged.remove(key); // "field": null clears it
        } else {
            merged.insert(key, it.value());
        }
    }
    if (!base && !merged.contains("owners"))
        merged.insert("owners", QJsonArray{QJsonObject{{"name", m_organisation},
                                                       {"basis_points", WholeShare}}});
    if (!base && !merged.contains("id"))
        merged.insert("id", newAssetId());
    if (base && merged.value("id").toString() != base->id)
        return fieldError("id", "an asset's id never changes");
    QList<FieldProblem> dates;
    auto asset = Asset::fromJson(merged, &dates);
    if (!asset)
        return asset.error();
    asset->status = asset->status.trimmed().toLower();
    // Dates that do not parse are reported with every other invalid field, not alone.
    if (!dates.isEmpty())
        return validateAsset(asset.value(), dates).error();
    return asset;
}

Result<ledger::Draft> CommandCompiler::registerAsset(Asset asset)
{
    if (asset.id.isEmpty())
        asset.id = newAssetId();
    if (Status s = validateAsset(asset); !s)
        return s.error();
    if (auto other = find(asset.reference))
        return Error{"duplicate-reference", QStringLiteral("reference: %1 is already registered "
                                                           "(%2)")
                                                .arg(asset.reference, other->title)};
    m_pending.insert(asset.id, asset);
    m_pendingRef.insert(asset.reference, asset.id);
    return ledger::Draft{kinds::AssetRegistered, asset.canonicalJson(), 0};
}

Result<ledger::Draft> CommandCompiler::updateAsset(const Asset &asset)
{
    const auto before = find(asset.id);
    if (!before)
        return Error{"unknown-asset", QStringLiteral("asset: %1 does not exist").arg(asset.id)};
    if (Status s = validateAsset(asset); !s)
        return s.error();
    if (auto other = find(asset.reference); other && other->id != asset.id)
        return Error{"duplicate-reference", QStringLiteral("reference: %1 is already used by %2")
                                                .arg(asset.reference, other->title)};
    m_pendingRef.remove(before->reference);
    m_pending.insert(asset.id, asset);
    m_pendingRef.insert(asset.reference, asset.id);
    return ledger::Draft{kinds::AssetUpdated, asset.canonicalJson(), 0};
}

Result<ledger::Draft> CommandCompiler::setOwners(const QString &assetRef,
                                                 const QList<Owner> &owners)
{
    auto before = find(assetRef);
    if (!before)
        return Error{"unknown-asset", QStringLiteral("asset: %1 does not exist").arg(assetRef)};
    Asset after = *before;
    after.owners = owners;
    if (Status s = validateAsset(after); !s)
        return s.error();
    m_pending.insert(after.id, after);
    m_pendingRef.insert(after.reference, after.id);
    QJsonArray list;
    for (const Owner &o : owners)
        list.append(QJsonObject{{"name", o.name}, {"basis_points", o.basisPoints}});
    return draft(kinds::OwnersSet, QJsonObject{{"asset", after.id}, {"owners", list}});
}

Result<ledger::Draft> CommandCompiler::addPhaseEvent(PhaseEvent event)
{
    const auto asset = find(event.assetId);
    if (!asset)
        return Error{"unknown-asset",
                     QStringLiteral("asset: %1 does not exist").arg(event.assetId)};
    event.assetId = asset->id;
    // Round trip through JSON: the same checks the projection applies.
    auto checked = PhaseEvent::fromJson(event.toJson());
    if (!checked)
        return checked.error();
    if (!subPhaseApplies(asset->type, checked->subPhase))
        return Error{"inapplicable-sub-phase",
                     QStringLiteral("subphase: %1 does not apply to %2 (%3): %4")
                         .arg(checked->subPhase, asset->reference, asset->type,
                              assetType(asset->type)->why)};
    return draft(kinds::PhaseEventAdded, checked->toJson());
}

Result<ledger::Draft> CommandCompiler::setPhaseState(PhaseStateChange change)
{
    const auto asset = find(change.assetId);
    if (!asset)
        return Error{"unknown-asset",
                     QStringLiteral("asset: %1 does not exist").arg(change.assetId)};
    change.assetId = asset->id;
    if (!subPhase(change.subPhase))
        return fieldError("subphase",
                          QStringLiteral("unknown sub-phase '%1'").arg(change.subPhase));
    if (!subPhaseApplies(asset->type, change.subPhase) &&
        change.state != SubPhaseState::NotApplicable)
        return Error{
            "inapplicable-sub-phase",
            QStringLiteral("subphase: %1 does not apply to %2 (%3): %4")
                .arg(change.subPhase, asset->reference, asset->type, assetType(asset->type)->why)};
    return draft(kinds::PhaseStateSet, change.toJson());
}

Result<ledger::Draft> CommandCompiler::addDeadlineRule(const QJsonObject &rule)
{
    auto parsed = DeadlineRules::ruleFromJson(rule);
    if (!parsed)
        return parsed.error();
    return draft(kinds::DeadlineRuleAdded,
                 QJsonObject{{"rule", DeadlineRules::ruleToJson(parsed.value())}});
}

std::optional<QString> CommandCompiler::findLicence(const QString &idOrReference) const
{
    if (auto it = m_pendingLicences.find(idOrReference); it != m_pendingLicences.end())
        return *it;
    if (auto rec = Lineage::licence(m_db, idOrReference))
        return rec->licence.id;
    return std::nullopt;
}

std::optional<Licence> CommandCompiler::findLicenceTerms(const QString &idOrReference) const
{
    if (auto it = m_pendingLicences.find(idOrReference); it != m_pendingLicences.end())
        return m_pendingLicenceTerms.value(*it);
    if (auto rec = Lineage::licence(m_db, idOrReference))
        return rec->licence;
    return std::nullopt;
}

Result<ledger::Draft> CommandCompiler::grantLicence(Licence licence)
{
    if (licence.id.isEmpty())
        licence.id = newAssetId();
    for (QString &ref : licence.assets) {
        const auto a = find(ref);
        if (!a)
            return Error{"unknown-asset", QStringLiteral("assets: %1 does not exist").arg(ref)};
        ref = a->id;
    }
    if (!licence.under.isEmpty()) {
        const auto head = findLicence(licence.under);
        if (!head)
            return Error{"unknown-licence",
                         QStringLiteral("under: licence %1 does not exist").arg(licence.under)};
        licence.under = *head;
    }
    if (findLicence(licence.reference) || findLicence(licence.id))
        return Error{
            "duplicate-reference",
            QStringLiteral("reference: a licence %1 already exists").arg(licence.reference)};
    // The terms pass the same parser the projection uses.
    auto checked = Licence::fromJson(licence.toJson());
    if (!checked)
        return checked.error();
    m_pendingLicences.insert(licence.id, licence.id);
    m_pendingLicences.insert(licence.reference, licence.id);
    m_pendingLicenceTerms.insert(licence.id, checked.value());
    return draft(kinds::LicenceGranted, checked->toJson());
}

Result<ledger::Draft> CommandCompiler::revokeLicence(Revocation revocation)
{
    const auto id = findLicence(revocation.licence);
    if (!id)
        return Error{"unknown-licence",
                     QStringLiteral("licence: %1 does not exist").arg(revocation.licence)};
    revocation.licence = *id;
    return draft(kinds::LicenceRevoked, revocation.toJson());
}

Result<ledger::Draft> CommandCompiler::recordDerivation(Derivation derivation)
{
    const auto child = find(derivation.child);
    if (!child)
        return Error{"unknown-asset",
                     QStringLiteral("child: %1 does not exist").arg(derivation.child)};
    derivation.child = child->id;
    for (ParentLink &p : derivation.parents) {
        const auto parent = find(p.asset);
        if (!parent)
            return Error{"unknown-asset",
                         QStringLiteral("parents: %1 does not exist").arg(p.asset)};
        p.asset = parent->id;
        if (!p.licence.isEmpty()) {
            const auto id = findLicence(p.licence);
            if (!id)
                return Error{"unknown-licence",
                             QStringLiteral("parents: licence %1 does not exist").arg(p.licence)};
            p.licence = *id;
        }
    }
    auto checked = Derivation::fromJson(derivation.toJson());
    if (!checked)
        return checked.error();
    return draft(kinds::DerivationRecorded, checked->toJson());
}

Result<ledger::Draft> CommandCompiler::approveDerivation(Approval approval)
{
    const auto id = findLicence(approval.licence);
    if (!id)
        return Error{"unknown-licence",
                     QStringLiteral("licence: %1 does not exist").arg(approval.licence)};
    const auto child = find(approval.child);
    if (!child)
        return Error{"unknown-asset",
                     QStringLiteral("child: %1 does not exist").arg(approval.child)};
    approval.licence = *id;
    approval.child = child->id;
    return draft(kinds::DerivationApproved, approval.toJson());
}

Result<ledger::Draft> CommandCompiler::assign(Assignment assignment)
{
    auto before = find(assignment.assetId);
    if (!before)
        return Error{"unknown-asset",
                     QStringLiteral("asset: %1 does not exist").arg(assignment.assetId)};
    assignment.assetId = before->id;
    Asset after = *before;
    after.owners = assignment.owners;
    if (Status s = validateAsset(after); !s)
        return s.error();
    m_pending.insert(after.id, after);
    m_pendingRef.insert(after.reference, after.id);
    return draft(kinds::AssetAssigned, assignment.toJson());
}

namespace {

/** A grant-licence command as a licence body: "asset" or "assets", "royalty" as a percentage. */
Result<Licence> licenceFromCommand(const QJsonObject &c, const CommandCompiler &compiler)
{
    QJsonObject o = c;
    o.remove("command");
    if (o.contains("asset")) {
        if (o.contains("assets"))
            return fieldError("asset", "give asset or assets, not both");
        o.insert("assets", QJsonArray{o.take("asset")});
    }
    if (o.contains("royalty")) {
        if (o.contains("royalty_ppm"))
            return fieldError("royalty", "give royalty or royalty_ppm, not both");
        auto ppm = parsePercent(o.take("royalty").toString(), QStringLiteral("royalty"));
        if (!ppm)
            return ppm.error();
        o.insert("royalty_ppm", ppm.value());
    }
    if (!o.contains("id"))
        o.insert("id", newAssetId());
    // A sublicence: granted by the head's licensee, on the head's assets unless it names fewer.
    if (o.contains("under")) {
        const auto head = compiler.findLicenceTerms(o.value("under").toString().trimmed());
        if (!head)
            return Error{"unknown-licence", QStringLiteral("under: licence %1 does not exist")
                                                .arg(o.value("under").toString())};
        o.insert("under", head->id);
        if (!o.contains("licensor"))
            o.insert("licensor", head->licensee);
        if (!o.contains("assets"))
            o.insert("assets", QJsonArray::fromStringList(head->assets));
    }
    // Without a licensor, the sole owner of the licensed asset grants.
    if (!o.contains("licensor")) {
        const QJsonArray assets = o.value("assets").toArray();
        const auto a = assets.size() == 1 ? compiler.find(assets.first().toString()) : std::nullopt;
        if (!a || a->owners.size() != 1)
            return fieldError("licensor", "is required (the owner who grants the licence)");
        o.insert("licensor", a->owners.first().name);
    }
    return Licence::fromJson(o);
}

} // namespace

Result<ledger::Draft> CommandCompiler::compile(const QJsonObject &c)
{
    const QString name = c.value("command").toString();
    if (const CommandCompile compile = commandCompile(name))
        return compile(*this, c);
    if (name.isEmpty())
        return fieldError("command", QStringLiteral("is required"));
    QStringList names = commandNames();
    const QString last = names.takeLast();
    return fieldError("command", QStringLiteral("unknown command '%1'; use %2 or %3")
                                     .arg(name, names.join(QStringLiteral(", ")), last));
}

namespace commands {

namespace {

/** The asset a command names by "asset": its reference or id, pending in the batch or projected. */
Result<Asset> namedAsset(const CommandCompiler &compiler, const QJsonObject &c)
{
    const QString ref = c.value("asset").toString();
    if (ref.isEmpty())
        return fieldError("asset", "is required (the asset's reference or id)");
    auto a = compiler.find(ref);
    if (!a)
        return Error{"unknown-asset", QStringLiteral("asset: %1 does not exist").arg(ref)};
    return *a;
}

/** The command's fields without its name: the body the entry's parser reads. */
QJsonObject body(const QJsonObject &c)
{
    QJsonObject o = c;
    o.remove("command");
    return o;
}

/** Both value-chain commands carry the body of their entry, with the asset resolved to its id. */
template<typename Parsed, typename Make>
Result<ledger::Draft> valueChain(CommandCompiler &compiler, const QJsonObject &c,
                                 Result<Parsed> (*parse)(const QJsonObject &), Make make)
{
    auto before = namedAsset(compiler, c);
    if (!before)
        return before.error();
    QJsonObject o = body(c);
    o.insert("asset", before->id);
    auto parsed = parse(o);
    if (!parsed)
        return parsed.error();
    return make(parsed.value());
}

} // namespace

Result<ledger::Draft> registerAsset(CommandCompiler &compiler, const QJsonObject &c)
{
    auto a = compiler.assetFromCommand(c, nullptr);
    if (!a)
        return a.error();
    return compiler.registerAsset(a.value());
}

Result<ledger::Draft> updateAsset(CommandCompiler &compiler, const QJsonObject &c)
{
    auto before = namedAsset(compiler, c);
    if (!before)
        return before.error();
    auto a = compiler.assetFromCommand(c, &before.value());
    if (!a)
        return a.error();
    return compiler.updateAsset(a.value());
}

Result<ledger::Draft> setOwners(CommandCompiler &compiler, const QJsonObject &c)
{
    auto before = namedAsset(compiler, c);
    if (!before)
        return before.error();
    if (!c.contains("owners"))
        return fieldError("owners", "is required");
    auto owners = ownersFrom(c.value("owners"));
    if (!owners)
        return owners.error();
    return compiler.setOwners(before->id, owners.value());
}

Result<ledger::Draft> addPhaseEvent(CommandCompiler &compiler, const QJsonObject &c)
{
    return valueChain(compiler, c, &PhaseEvent::fromJson,
                      [&compiler](const PhaseEvent &e) { return compiler.addPhaseEvent(e); });
}

Result<ledger::Draft> setPhaseState(CommandCompiler &compiler, const QJsonObject &c)
{
    return valueChain(
        compiler, c, &PhaseStateChange::fromJson,
        [&compiler](const PhaseStateChange &ch) { return compiler.setPhaseState(ch); });
}

Result<ledger::Draft> addDeadlineRule(CommandCompiler &compiler, const QJsonObject &c)
{
    if (!c.value("rule").isObject())
        return fieldError("rule", "is required (a rule object, see model/DEADLINES.md)");
    return compiler.addDeadlineRule(c.value("rule").toObject());
}

Result<ledger::Draft> assign(CommandCompiler &compiler, const QJsonObject &c)
{
    auto a = Assignment::fromJson(body(c));
    if (!a)
        return a.error();
    return compiler.assign(a.value());
}

Result<ledger::Draft> grantLicence(CommandCompiler &compiler, const QJsonObject &c)
{
    auto l = licenceFromCommand(c, compiler);
    if (!l)
        return l.error();
    return compiler.grantLicence(l.value());
}

Result<ledger::Draft> revokeLicence(CommandCompiler &compiler, const QJsonObject &c)
{
    auto r = Revocation::fromJson(body(c));
    if (!r)
        return r.error();
    return compiler.revokeLicence(r.value());
}

Result<ledger::Draft> recordDerivation(CommandCompiler &compiler, const QJsonObject &c)
{
    QJsonObject o = body(c);
    // One parent may be given as "parent" (and "licence") instead of a "parents" list.
    if (o.contains("parent")) {
        if (o.contains("parents"))
            return fieldError("parent", "give parent or parents, not both");
        QJsonObject link{{"asset", o.take("parent")}};
        if (o.contains("licence"))
            link.insert("licence", o.take("licence"));
        o.insert("parents", QJsonArray{link});
    }
    auto d = Derivation::fromJson(o);
    if (!d)
        return d.error();
    return compiler.recordDerivation(d.value());
}

Result<ledger::Draft> approveDerivation(CommandCompiler &compiler, const QJsonObject &c)
{
    auto a = Approval::fromJson(body(c));
    if (!a)
        return a.error();
    return compiler.approveDerivation(a.value());
}

} // namespace commands

Result<QList<CompiledLine>> compileJsonLines(CommandCompiler &compiler, const QByteArray &data)
{
    using R = Result<QList<CompiledLine>>;
    QList<CompiledLine> out;
    qsizetype lineNo = 0;
    const QList<QByteArray> lines = data.split('\n');
    for (const QByteArray &raw : lines) {
        ++lineNo;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
        if (err.error != QJsonParseError::NoError)
            return R::failure("invalid-json", QStringLiteral("line %1, column %2: %3")
                                                  .arg(lineNo)
                                                  .arg(err.offset + 1)
                                                  .arg(err.errorString()));
        if (!doc.isObject())
            return R::failure(
                "invalid-json",
                QStringLiteral("line %1: a command must be a JSON object").arg(lineNo));
        auto d = compiler.compile(doc.object());
        if (!d)
            return R::failure(d.error().code,
                              QStringLiteral("line %1: %2").arg(lineNo).arg(d.errorString()));
        out.append({lineNo, d.value()});
    }
    if (out.isEmpty())
        return R::failure("empty", QStringLiteral("the file holds no command"));
    return out;
}

Result<QList<ledger::StoredEntry>> applyJsonLines(Workspace &workspace, const QByteArray &data)
{
    using R = Result<QList<ledger::StoredEntry>>;
    CommandCompiler compiler(workspace.store().database(), workspace.organisationName());
    auto compiled = compileJsonLines(compiler, data);
    if (!compiled)
        return compiled.error();
    QList<ledger::Draft> drafts;
    for (const CompiledLine &c : compiled.value())
        drafts.append(c.draft);
    qsizetype failedAt = -1;
    auto written = workspace.append(drafts, &failedAt);
    if (!written && failedAt >= 0)
        return R::failure(written.error().code, QStringLiteral("line %1: %2")
                                                    .arg(compiled.value()[failedAt].line)
                                                    .arg(written.errorString()));
    return written;
}

} // namespace cartulary::model
