// SPDX-License-Identifier: GPL-3.0-or-later
// Commands: a user's intent (a JSON command, a CSV row, a form) turned into ledger drafts.
#pragma once

#include "ledger/logstore.h"
#include "model/lineage/lineage.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/portfolio.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <optional>

namespace cartulary::model {

class Workspace;

/**
 * Compiles commands into drafts. It checks each command's shape and resolves asset references,
 * including assets registered by earlier commands of the same batch; the rules that depend on the
 * portfolio's state are checked again when the drafts are applied (by the entry kind's applier), in
 * the same transaction, so nothing invalid is ever written. The command language is in
 * model/COMMANDS.md; each command name's compile function is found in the areas' tables
 * (model/workspace/areas.cpp).
 */
class CommandCompiler
{
public:
    /** organisation: the default owner (10,000 basis points) of assets registered without owners.
     */
    CommandCompiler(sql::Database &db, QString organisation);

    Result<ledger::Draft> compile(const QJsonObject &command);

    Result<ledger::Draft> registerAsset(Asset asset);
    /** Replaces an asset's state; asset.id must name an existing (or pending) asset. */
    Result<ledger::Draft> updateAsset(const Asset &asset);
    Result<ledger::Draft> setOwners(const QString &assetRef, const QList<Owner> &owners);
    Result<ledger::Draft> addPhaseEvent(PhaseEvent event);
    Result<ledger::Draft> setPhaseState(PhaseStateChange change);
    Result<ledger::Draft> addDeadlineRule(const QJsonObject &rule);
    /**
     * licence.assets and licence.under (the head licence of a sublicence) may name references;
     * they are resolved to ids. A missing id is generated.
     */
    Result<ledger::Draft> grantLicence(Licence licence);
    Result<ledger::Draft> revokeLicence(Revocation revocation);
    Result<ledger::Draft> recordDerivation(Derivation derivation);
    Result<ledger::Draft> approveDerivation(Approval approval);
    Result<ledger::Draft> assign(Assignment assignment);

    /** The asset by id or reference: pending in this batch first, then the portfolio. */
    std::optional<Asset> find(const QString &idOrReference) const;
    /** Asks the portfolio once which of these ids and references it holds, so that find() answers
     * "no such asset" for the others without a query each (an import asks for every row). */
    void lookUpAssets(const QStringList &idsOrReferences);
    /** The licence's id, by id or reference: pending in this batch first, then the portfolio. */
    std::optional<QString> findLicence(const QString &idOrReference) const;
    /** The licence's terms, by id or reference: pending in this batch first, then the portfolio. */
    std::optional<Licence> findLicenceTerms(const QString &idOrReference) const;
    const QString &organisation() const { return m_organisation; }

    /**
     * The asset a register-asset (base null) or update-asset command describes: base with the
     * fields the command names, owners defaulting to the organisation for a new asset.
     */
    Result<Asset> assetFromCommand(const QJsonObject &command, const Asset *base) const;

private:
    sql::Database &m_db;
    QString m_organisation;
    QHash<QString, Asset> m_pending;               ///< id → state after this batch's commands
    QHash<QString, QString> m_pendingRef;          ///< reference → id
    QHash<QString, QString> m_pendingLicences;     ///< licence id and reference → id
    QHash<QString, Licence> m_pendingLicenceTerms; ///< licence id → terms
    mutable QSet<QString> m_absent; ///< ids and references find() did not find in the portfolio
};

/**
 * The compile function of each command name of the apply language: the command's JSON checked and
 * turned into the typed call above. model/workspace/areas.cpp lists them by area.
 */
namespace commands {
Result<ledger::Draft> registerAsset(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> updateAsset(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> setOwners(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> addPhaseEvent(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> setPhaseState(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> addDeadlineRule(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> assign(CommandCompiler &compiler, const QJsonObject &command);
/** A licence, or with "under" a sublicence (licensor and assets default to the head's). */
Result<ledger::Draft> grantLicence(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> revokeLicence(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> recordDerivation(CommandCompiler &compiler, const QJsonObject &command);
Result<ledger::Draft> approveDerivation(CommandCompiler &compiler, const QJsonObject &command);
} // namespace commands

/** One command of a JSON-lines file and where it was. */
struct CompiledLine
{
    qsizetype line = 0;
    ledger::Draft draft;
};

/** Parses and compiles a JSON-lines file; the first error names its line (and field). */
Result<QList<CompiledLine>> compileJsonLines(CommandCompiler &compiler, const QByteArray &data);

/**
 * `cartulary apply`: compiles a JSON-lines file against the workspace's portfolio and appends it as
 * one transaction, all or nothing. An error names the line ("line 7: …"), whether the command was
 * malformed or a rule refused its entry.
 */
Result<QList<ledger::StoredEntry>> applyJsonLines(Workspace &workspace, const QByteArray &data);

} // namespace cartulary::model
