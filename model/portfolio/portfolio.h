// SPDX-License-Identifier: GPL-3.0-or-later
// The portfolio's entry kinds, their bodies, their rules and their projection into read tables.
#pragma once

#include "ledger/logstore.h"
#include "model/core/entrykind.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/deadlines.h"
#include "model/portfolio/valuechain.h"

#include <QJsonObject>

#include <memory>
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

/** A deadline of the portfolio, what was recorded against it, and where it stands. */
struct PortfolioDeadline
{
    Deadline deadline;
    /// Settled: a phase event names it — a fee paid (also late, with surcharge), a national phase
    /// entered, a remedy filed, or the lapse accepted.
    bool done = false;
    DeadlineState state = DeadlineState::Upcoming;
    QString settledBy;  ///< the latest settling event's kind ("renewed", "lapsed", …), or empty
    QDate settledOn;    ///< its date
    int dependents = 0; ///< for a lost right: the later deadlines of its jurisdiction it blocks
};

/** What a deadline view asks for: the whole portfolio or one asset, so many days ahead. */
struct DeadlineQuery
{
    QDate today;
    QString assetId;          ///< one asset (its id), or empty for every asset
    int daysAhead = 90;       ///< deadlines not due yet are listed up to today + daysAhead
    int settledDaysBack = -1; ///< settled ones whose grace ended at most this long ago; -1: none
};

/** One month of the deadlines chart: the listed unsettled deadlines due in it. */
struct DeadlineMonth
{
    QString month;   ///< yyyy-MM
    int count = 0;   ///< deadlines due in the month
    int overdue = 0; ///< of which overdue (isOverdue)
};

/** The one answer every deadline view shows — the asset page, the Deadlines page, its chart and
 * the sidebar badge — so that they cannot disagree. */
struct DeadlineOverview
{
    QList<PortfolioDeadline> items; ///< by due date, reference, key
    int overdue = 0;                ///< isOverdue(): in grace, overdue or rights lost — the badge
    int lost = 0;                   ///< of those, rights lost
    int upcoming = 0;               ///< due or upcoming
    int blocked = 0;                ///< waiting on a lost deadline
    QList<DeadlineMonth> months;    ///< every unsettled item by the month it is due, oldest first
};

/** The portfolio's read side: tables, appliers and lookups over one connection. */
class Portfolio
{
public:
    /** Creates the portfolio tables (called by Projection). */
    static Status createTables(sql::Database &db);

    /**
     * Applying many asset entries (registered, updated) in one transaction, as a large import
     * does: apply() then writes the asset rows alone, and finish() writes the owners,
     * jurisdictions and search text of every asset written since begin() once, in key order —
     * the same rows as row-by-row application. When the load at least doubles the table, begin()
     * also drops the indexes only reads use and finish() builds each once (building reads the
     * whole table, so into a large portfolio they are kept and updated row by row). The asset
     * entries' rules read none of the deferred tables; other kinds (lineage) may, so only asset
     * entries may be applied in between. Call all three in the same transaction and on one
     * thread; if it rolls back, the indexes come back with it (DDL is transactional in SQLite, and
     * other connections never see the uncommitted schema).
     */
    class BulkLoad
    {
    public:
        /** For a load of `entries` asset entries, applied on `db`. */
        BulkLoad(sql::Database &db, qsizetype entries);
        ~BulkLoad();
        BulkLoad(const BulkLoad &) = delete;
        BulkLoad &operator=(const BulkLoad &) = delete;
        Status begin();
        /**
         * Applies an asset entry (registered or updated) whose body the caller wrote in this
         * process as asset.canonicalJson(): the same rules and rows as its kind's applier, without
         * parsing the body again. The body is compared with the signed entry's first; any other
         * kind is refused.
         */
        Status apply(const ledger::StoredEntry &entry, const Asset &asset, const QByteArray &body);
        Status finish();

        struct Rows;

    private:
        sql::Database &m_db;
        qsizetype m_entries;
        std::unique_ptr<Rows> m_rows;
    };
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
    /**
     * Every deadline of every asset within [from, to] (see DeadlineRules::compute) and, whatever
     * its dates, every one due by `to` that is not settled: a lost right stays listed until an
     * event records what happened. States as of `today`, with Lost and Blocked worked out per
     * asset and jurisdiction, and the iCalendar revisions from the asset's history. By due date,
     * reference, key.
     */
    static QList<PortfolioDeadline> deadlines(sql::Database &db, const QDate &from, const QDate &to,
                                              const QDate &today);
    /** The deadlines a view lists, with the counts its badge and chart show (see DeadlineQuery).
     * Unsettled deadlines are listed the same way for one asset as for the portfolio. */
    static DeadlineOverview deadlineOverview(sql::Database &db, const DeadlineQuery &query);
    /** The facts deadlines derive from. */
    static DeadlineAsset deadlineAsset(const Asset &asset);
    /** The body of an asset entry: canonical JSON bytes. */
    static QByteArray body(const QJsonObject &object);
    /** How many assets the portfolio holds. */
    static qint64 assetCount(sql::Database &db);
};

} // namespace cartulary::model
