// SPDX-License-Identifier: GPL-3.0-or-later
// The royalties area: usage imports, the matches made by hand, the ownership shares of registered
// works per right type and the disputes between claimants, approved distribution runs; their
// entries, rules and read tables.
#pragma once

#include "model/core/entrykind.h"

#include <QDate>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QStringList>

#include <span>

namespace cartulary::model {

class Matcher;

namespace kinds {
inline constexpr char UsageImported[] = "usage.imported";
inline constexpr char UsageMatched[] = "usage.matched";
inline constexpr char WorkShares[] = "work.shares";
inline constexpr char RoyaltyApproved[] = "royalty.approved";
inline constexpr char WorkSettled[] = "work.settled";
} // namespace kinds

/** Right types a work's ownership is split by (CWR: PR, MR, SR). */
namespace rights {
inline constexpr char Performing[] = "performing";
inline constexpr char Mechanical[] = "mechanical";
inline constexpr char Sync[] = "sync";
bool isRight(const QString &right);
} // namespace rights

/** Tolerance the CWR rules allow on a right's ownership total: 100 % ± 0.06 %. */
inline constexpr int ShareToleranceBp = 6;

/** One holder's ownership share of a work for one right type. */
struct WorkShare
{
    QString right; ///< rights::
    QString party; ///< the holder's name as paid and stated
    QString ipi;   ///< IPI name number, when known
    QString role;  ///< "publisher" or "writer"
    int basisPoints = 0;
    bool operator==(const WorkShare &) const = default;
};

/** A usage import as its entry records it (the lines stay in the file, kept by its hash). */
struct UsageImport
{
    QString sha256; ///< hex; also the import's id
    QString fileName;
    QString format; ///< "csv", "dsr"
    QString period; ///< the report's period (the first one when lines name several)
    QStringList periods;
    qint64 lines = 0, records = 0, unallocated = 0;
    QMap<QString, qint64> totalsMicro; ///< currency → amount, millionths of the major unit
    QString sender;
    QStringList rightsControllers;
    QString right; ///< the right of lines that name none
    quint64 entryIndex = 0;
    bool loaded = false; ///< its lines are in the read tables

    QJsonObject toJson() const;
    static Result<UsageImport> fromJson(const QJsonObject &body);
};

/** A dispute over a work: its amounts are held, not paid, until it is settled. */
struct Dispute
{
    qint64 id = 0;
    QString assetId;
    QString kind; ///< "claimant" (two parties claim the work) or "over-100" (shares past 100 %)
    QString right;
    QString message;
    quint64 entryIndex = 0;
};

/** A source of a work's shares (a CWR sender, or a user) and what it registered, per right. */
struct WorkSource
{
    QString source;
    QList<WorkShare> shares;   ///< every right's, in the order registered
    QMap<QString, int> totals; ///< right → the basis points of its shares
    quint64 entryIndex = 0;    ///< the work.shares entry that registered them
};

/** A settled dispute: the sources whose shares of a work stand, the others' withdrawn. */
struct Settlement
{
    QString assetId;
    QStringList kept;    ///< the sources whose shares stand
    QStringList dropped; ///< the sources whose shares the settlement withdrew
    QString reason;
    QStringList disputes; ///< the messages of the disputes it closed
    quint64 entryIndex = 0;
};

/** One group of usage lines with the same identification in one import, with its match. */
struct UsageKey
{
    qint64 id = 0;
    QString importSha256;
    QString workRef, isrc, iswc, doi, title, creator;
    qint64 firstLine = 0, lines = 0;
    QString matchAsset, matchHow, matchNote;
    /** "work REF", "ISWC …", "ISRC …", "DOI …": the identifiers the lines name, for people. */
    QStringList identifiers() const;
};

/** A group of unmatched lines in a period: one identification in one import, per currency. */
struct UnmatchedUsage
{
    UsageKey key;
    QString currency;
    qint64 amountMicro = 0, units = 0, lines = 0;
};

/** Usage revenue of a period in one territory or one month, per currency: what the charts show. */
struct RevenueBucket
{
    QString key; ///< a territory ("PT", "WW") or the period the lines name ("2026-07", "2026-Q3")
    QString currency;
    qint64 amountMicro = 0;    ///< every line's amount, matched or not
    qint64 unmatchedMicro = 0; ///< the part no work was matched to
    qint64 lines = 0;
};

/** The royalties area's tables, entries and reads. */
class Royalties
{
public:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
    /**
     * usage.imported (a file's hash, format, period, counts and totals — refused when that file
     * was imported before); usage.matched (a hand match of an identification, or of a title and
     * creator, to a work that exists); work.shares (a work's ownership shares per right from one
     * source: the asset's controller signs; another source's claim on the same work, or shares
     * past 100 % across sources, opens a dispute rather than overwriting); royalty.approved (an
     * approved run; immutable: a later approval for the same period and right must name the
     * approval it corrects).
     */
    static std::span<const EntryKind> entryKinds();

    static QList<UsageImport> imports(sql::Database &db);
    static std::optional<UsageImport> import(sql::Database &db, const QString &sha256);
    /** The work's shares for a right, as registered (every source), or empty when none. */
    static QList<WorkShare> workShares(sql::Database &db, const QString &assetId,
                                       const QString &right);
    static QList<Dispute> disputes(sql::Database &db);
    /**
     * The sources whose shares of a work stand, by name (the names settleDraft keeps and its
     * refusals list); empty for a work without shares.
     */
    static QList<WorkSource> sources(sql::Database &db, const QString &assetId);
    /** Settled disputes, oldest first. */
    static QList<Settlement> settlements(sql::Database &db);
    /**
     * The work.settled draft that settles the open disputes of a work: the shares of the sources
     * in keep stand, every other source's are withdrawn (the ledger keeps them). Refused unless
     * the work has an open dispute, author controls it, each kept source registered shares of it,
     * and the kept shares total at most 100 % (± ShareToleranceBp) per right.
     */
    static Result<ledger::Draft> settleDraft(sql::Database &db, const QString &assetId,
                                             const QStringList &keep, const QString &reason,
                                             const ledger::PublicKey &author);
    /** Recomputes the match of every usage key (a pure function of the register, the keys and the
     * hand matches, so a rebuild comes out identical). */
    static Status rematch(sql::Database &db);
    /** After a batch of entries: matches usage again when the batch registered or changed works
     * (assets, their identifiers and titles, CWR shares and alternative titles). */
    static Status afterBatch(sql::Database &db, const QSet<QByteArray> &kinds);
    /** The same with a matcher read already, leaving the keys of one import (matched with it). */
    static Status rematch(sql::Database &db, const Matcher &matcher, const QString &exceptImport);
    /** Unmatched usage of the period (a quarter includes its months), largest amount first; at
     * most limit groups when limit is not negative. */
    static QList<UnmatchedUsage> unmatched(sql::Database &db, const QString &period,
                                           qint64 limit = -1);
    /** How many groups unmatched() lists for the period without a limit. */
    static qint64 unmatchedGroups(sql::Database &db, const QString &period);
    /** The period's usage for a right by territory, largest amount first within each currency. */
    static QList<RevenueBucket> revenueByTerritory(sql::Database &db, const QString &period,
                                                   const QString &right);
    /** The period's usage for a right by the period its lines name (a quarter's months, and the
     * quarter itself for lines reported for all of it), in order within each currency. */
    static QList<RevenueBucket> revenueByMonth(sql::Database &db, const QString &period,
                                               const QString &right);
    /** Usage keys of the period's imports whose first line is line. */
    static QList<UsageKey> keysAtLine(sql::Database &db, const QString &period, qint64 line);
    /** The usage.matched draft of a hand match of one identification to a work. */
    static ledger::Draft matchDraft(const UsageKey &key, const QString &assetId,
                                    const QString &period);
    /** The usage.matched draft of a hand match of every line with this title and creator. */
    static ledger::Draft titleMatchDraft(const QString &title, const QString &creator,
                                         const QString &assetId, const QString &period);
};

} // namespace cartulary::model
