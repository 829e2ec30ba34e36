// SPDX-License-Identifier: GPL-3.0-or-later
// The portfolio's entry kinds, their bodies, their rules and their projection into read tables.
#pragma once

#include "ledger/logstore.h"
#include "model/core/entrykind.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/deadlines.h"
#include "model/portfolio/valuechain.h"

#include <QJsonObject>

#include <optional>
#include <span>

namespace cartulary::model {

namespace kinds {
inline constexpr char AssetRegistered[] = "asset.registered";
inline constexpr char AssetUpdated[] = "asset.updated";
inline constexpr char OwnersSet[] = "asset.owners-set";
inline constexpr char PhaseEventAdded[] = "phase.event";
inline constexpr char PhaseStateSet[] = "phase.state";
inline constexpr char DeadlineRuleAdded[] = "deadline.rule-added";
inline constexpr char AssetAssigned[] = "asset.assigned";
} // namespace kinds

/** A dated event in an asset's value chain, and who did it. */
struct PhaseEvent
{
    QString assetId;
    QString subPhase; ///< a SubPhase id that applies to the asset's type
    QString event;    ///< an EventKind id
    QDate date;
    QString actorKind; ///< an ActorKind id, or empty
    QString actorName;
    QString note;
    QString deadlineKey; ///< the deadline this event settles (a renewal paid), or empty

    QJsonObject toJson() const;
    static Result<PhaseEvent> fromJson(const QJsonObject &object);
};

/** An explicit state for one sub-phase of an asset. */
struct PhaseStateChange
{
    QString assetId;
    QString subPhase;
    SubPhaseState state = SubPhaseState::NotStarted;
    QString note;

    QJsonObject toJson() const;
    static Result<PhaseStateChange> fromJson(const QJsonObject &object);
};

/** An ownership transfer, signed by the current owner's key. */
struct Assignment
{
    QString assetId;
    QList<Owner> owners; ///< the assignees and their shares
    QString key;         ///< the assignee's key (64 hex digits): it controls the asset from now on;
                         ///< empty: the signing key keeps recording for the new owners
    QDate date;
    QString note;

    QJsonObject toJson() const;
    static Result<Assignment> fromJson(const QJsonObject &object);
};

/** A deadline of the portfolio with whether it was settled (a renewal recorded against it). */
struct PortfolioDeadline
{
    Deadline deadline;
    bool done = false;
    DeadlineState state = DeadlineState::Upcoming;
};

/** The portfolio's read side: tables, appliers and lookups over one connection. */
class Portfolio
{
public:
    /** Creates the portfolio tables (called by Projection). */
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
    /**
     * The portfolio's entry kinds and their appliers: each checks the entry against the rules
     * (authority, existence, validity) in the state the tables are in, then applies it. A refusal
     * names the rule and the asset; nothing is written then.
     */
    static std::span<const EntryKind> entryKinds();

    /** The asset with this id or reference, as projected. */
    static std::optional<Asset> asset(sql::Database &db, const QString &idOrReference);
    /** The key allowed to change an asset (the registering author, until an assignment). */
    static std::optional<ledger::PublicKey> controller(sql::Database &db, const QString &assetId);
    /** Effective state of every sub-phase of an asset, in subPhases() order. */
    static QList<std::pair<QString, SubPhaseState>> phaseStates(sql::Database &db,
                                                                const Asset &asset);
    /** The furthest phase with a sub-phase in progress or done (Generation when none). */
    static Phase currentPhase(sql::Database &db, const Asset &asset);
    /** The shipped deadline rules plus the ones added by signed entries. */
    static DeadlineRules deadlineRules(sql::Database &db);
    /** Every deadline of every asset within [from, to] (see DeadlineRules::compute), by due date.
     */
    static QList<PortfolioDeadline> deadlines(sql::Database &db, const QDate &from, const QDate &to,
                                              const QDate &today);
    /** The body of an asset entry: canonical JSON bytes. */
    static QByteArray body(const QJsonObject &object);
    /** How many assets the portfolio holds. */
    static qint64 assetCount(sql::Database &db);
};

} // namespace cartulary::model
