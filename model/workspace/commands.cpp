// SPDX-License-Identifier: GPL-3.0-or-later
// Command compiler: command names, field names and messages follow model/COMMANDS.md.
#include "model/workspace/commands.h"

#include "model/portfolio/deadlines.h"
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
    auto a = Portfolio::asset(m_db, idOrReference);
    // An asset renamed earlier in this batch is only found under its new reference.
    if (a && m_pending.contains(a->id) && m_pending.value(a->id).reference != idOrReference &&
        a->id != idOrReference)
        return std::nullopt;
    return a;
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
    return draft(kinds::AssetRegistered, asset.toJson());
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
    return draft(kinds::AssetUpdated, asset.toJson());
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
    const QString ref = c.value("asset").toString();
    auto needAsset = [&]() -> Result<Asset> {
        if (ref.isEmpty())
            return fieldError("asset", "is required (the asset's reference or id)");
        auto a = find(ref);
        if (!a)
            return Error{"unknown-asset", QStringLiteral("asset: %1 does not exist").arg(ref)};
        return *a;
    };
    if (name == "register-asset") {
        auto a = assetFromCommand(c, nullptr);
        if (!a)
            return a.error();
        return registerAsset(a.value());
    }
    if (name == "update-asset") {
        auto before = needAsset();
        if (!before)
            return before.error();
        auto a = assetFromCommand(c, &before.value());
        if (!a)
            return a.error();
        return updateAsset(a.value());
    }
    if (name == "set-owners") {
        auto before = needAsset();
        if (!before)
            return before.error();
        if (!c.contains("owners"))
            return fieldError("owners", "is required");
        auto owners = ownersFrom(c.value("owners"));
        if (!owners)
            return owners.error();
        return setOwners(before->id, owners.value());
    }
    // Both value-chain commands carry the body of their entry, with the asset resolved to its id.
    auto valueChain = [&](auto parse, auto make) -> Result<ledger::Draft> {
        auto before = needAsset();
        if (!before)
            return before.error();
        QJsonObject o = c;
        o.remove("command");
        o.insert("asset", before->id);
        auto parsed = parse(o);
        if (!parsed)
            return parsed.error();
        return make(parsed.value());
    };
    if (name == "add-phase-event")
        return valueChain(&PhaseEvent::fromJson,
                          [this](const PhaseEvent &e) { return addPhaseEvent(e); });
    if (name == "set-phase-state")
        return valueChain(&PhaseStateChange::fromJson,
                          [this](const PhaseStateChange &ch) { return setPhaseState(ch); });
    if (name == "add-deadline-rule") {
        if (!c.value("rule").isObject())
            return fieldError("rule", "is required (a rule object, see model/DEADLINES.md)");
        return addDeadlineRule(c.value("rule").toObject());
    }
    QJsonObject body = c;
    body.remove("command");
    if (name == "grant-licence") {
        auto l = licenceFromCommand(c, *this);
        if (!l)
            return l.error();
        return grantLicence(l.value());
    }
    if (name == "revoke-licence") {
        auto r = Revocation::fromJson(body);
        if (!r)
            return r.error();
        return revokeLicence(r.value());
    }
    if (name == "record-derivation") {
        // One parent may be given as "parent" (and "licence") instead of a "parents" list.
        if (body.contains("parent")) {
            if (body.contains("parents"))
                return fieldError("parent", "give parent or parents, not both");
            QJsonObject link{{"asset", body.take("parent")}};
            if (body.contains("licence"))
                link.insert("licence", body.take("licence"));
            body.insert("parents", QJsonArray{link});
        }
        auto d = Derivation::fromJson(body);
        if (!d)
            return d.error();
        return recordDerivation(d.value());
    }
    if (name == "approve-derivation") {
        auto a = Approval::fromJson(body);
        if (!a)
            return a.error();
        return approveDerivation(a.value());
    }
    if (name == "assign") {
        auto a = Assignment::fromJson(body);
        if (!a)
            return a.error();
        return assign(a.value());
    }
    return fieldError("command", name.isEmpty()
                                     ? QStringLiteral("is required")
                                     : QStringLiteral("unknown command '%1'; use register-asset, "
                                                      "update-asset, set-owners, add-phase-event, "
                                                      "set-phase-state, add-deadline-rule, "
                                                      "grant-licence, revoke-licence, "
                                                      "record-derivation, approve-derivation or "
                                                      "assign")
                                           .arg(name));
}

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
