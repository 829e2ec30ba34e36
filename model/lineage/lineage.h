// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage: licences, derivations and their rules, projected into read tables; ancestors,
// descendants, royalty stacks and the legal-status flags that reach descendants.
#pragma once

#include "ledger/logstore.h"
#include "model/lineage/licence.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace cartulary::model {

namespace kinds {
inline constexpr char LicenceGranted[] = "licence.granted";
inline constexpr char LicenceRevoked[] = "licence.revoked";
inline constexpr char DerivationRecorded[] = "derivation.recorded";
inline constexpr char DerivationApproved[] = "derivation.approved";
} // namespace kinds

/** The derivation kinds. */
const QStringList &derivationKinds();

/** One parent of a derivation and the licence its link uses (empty: none needed). */
struct ParentLink
{
    QString asset;
    QString licence;
};

/** A derivation: the child was made from its parents on a date. */
struct Derivation
{
    QString child;
    QList<ParentLink> parents;
    QString kind; ///< one of derivationKinds()
    QDate date;
    QString note;

    QJsonObject toJson() const;
    static Result<Derivation> fromJson(const QJsonObject &object);
};

/** The licensor ends a licence for one of its revocation conditions. */
struct Revocation
{
    QString licence;
    QDate date;
    QString reason; ///< revocation::Breach or revocation::ChangeOfControl
    QString note;

    QJsonObject toJson() const;
    static Result<Revocation> fromJson(const QJsonObject &object);
};

/** The licensor approves one derivative under a licence whose derivatives need approval. */
struct Approval
{
    QString licence;
    QString child;
    QDate date;
    QString note;

    QJsonObject toJson() const;
    static Result<Approval> fromJson(const QJsonObject &object);
};

/** A licence as projected: its terms and what happened to it since. */
struct LicenceRecord
{
    Licence licence;
    ledger::PublicKey granter{}; ///< the key that signed the grant: the licensor's
    quint64 entryIndex = 0;
    QDate revoked; ///< invalid: not revoked
    QString revokedReason;

    /** In force on date: in its term and not revoked on or before it. */
    bool validOn(const QDate &date) const;
};

/** A parent → child link of a derivation. */
struct DerivationLink
{
    QString parent;
    QString child;
    QString licenceId; ///< empty when parent and child have the same owners
    QString kind;
    QDate date;
    QString note;
    quint64 entryIndex = 0;
};

/** An asset reached from another, and how many generations away. */
struct Reached
{
    QString id;
    int depth = 0;
};

/** One licence's share in an asset's royalty stack. */
struct StackShare
{
    DerivationLink link;
    QString licenceReference;
    QString licensor; ///< who receives the share
    qint64 ppm = 0;
    RoyaltyPolicy policy = RoyaltyPolicy::Absolute;
    bool active = true;  ///< false when the licence was revoked or the parent lapsed
    QString inactiveWhy; ///< why it no longer counts
};

/** What share of an asset's revenue goes up its chain. */
struct RoyaltyStack
{
    qint64 totalPpm = 0;  ///< every share the licences set (the rule caps this at 100 %)
    qint64 activePpm = 0; ///< without revoked licences and lapsed parents, as of today
    QList<StackShare> shares;
};

/** A legal-status problem of an ancestor (or of a licence) that reaches a descendant. */
struct LineageFlag
{
    QString kind;   ///< "lapsed", "licence-revoked", "licence-expired"
    QString source; ///< the asset whose status or licence is the cause
    QString via;    ///< the child on the link it reaches through (the flagged asset or an ancestor)
    QString licenceId;
    QDate since;     ///< when it took effect; invalid when not recorded
    QString message; ///< what happened, naming the assets
    QString effect;  ///< what it means for royalties
};

/**
 * Reads memoised for one question over a projection that does not change meanwhile (one entry's
 * rules, one neighbourhood): a deep graph asks for the same parents, licences and statuses many
 * times.
 */
class LineageMemo
{
public:
    LineageMemo(sql::Database &db, const QDate &today);
    sql::Database &db() { return m_db; }
    const QDate &today() const { return m_today; }
    const QList<DerivationLink> &parents(const QString &child);
    const std::optional<LicenceRecord> &licence(const QString &id);
    /** See Lineage::lapsedOn. */
    const std::optional<QDate> &lapsedOn(const QString &assetId);
    /** The asset and every ancestor, each once, nearest first. */
    const QList<QString> &closure(const QString &assetId);
    /** Every derivation link whose child is the asset or one of its ancestors. */
    const QList<DerivationLink> &linksAbove(const QString &assetId);
    /** "REF (title)" of an asset, or its id when unknown. */
    const QString &name(const QString &assetId);

private:
    sql::Database &m_db;
    QDate m_today;
    QHash<QString, QList<DerivationLink>> m_parents;
    QHash<QString, std::optional<LicenceRecord>> m_licences;
    QHash<QString, std::optional<QDate>> m_lapsed;
    QHash<QString, QList<QString>> m_closures;
    QHash<QString, QList<DerivationLink>> m_linksAbove;
    QHash<QString, QString> m_names;
};

/** The lineage rules and read side over one connection. */
class Lineage
{
public:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
    static bool handles(const QByteArray &kind);
    /**
     * Checks the entry against the lineage rules in the state the tables are in, then applies it.
     * Runs inside the entry's transaction (or savepoint): a refusal leaves nothing written.
     */
    static Status apply(sql::Database &db, const ledger::StoredEntry &entry,
                        const QJsonObject &body);

    /** The licence with this id or reference. */
    static std::optional<LicenceRecord> licence(sql::Database &db, const QString &idOrReference);
    /** Licences that cover an asset, oldest first. */
    static QList<LicenceRecord> licencesOn(sql::Database &db, const QString &assetId);
    static QList<DerivationLink> parents(sql::Database &db, const QString &child);
    static QList<DerivationLink> children(sql::Database &db, const QString &parent);
    /** Ancestors (or descendants) up to maxDepth generations (-1: all), nearest first. */
    static QList<Reached> ancestors(sql::Database &db, const QString &id, int maxDepth = -1);
    static QList<Reached> descendants(sql::Database &db, const QString &id, int maxDepth = -1);
    /** The asset's royalty stack (absolute shares of every ancestor + relative shares of parents).
     */
    static RoyaltyStack royaltyStack(sql::Database &db, const QString &assetId, const QDate &today);
    static RoyaltyStack royaltyStack(LineageMemo &memo, const QString &assetId);
    /** Lapsed ancestors, revoked and expired licences on the links above the asset. */
    static QList<LineageFlag> flags(sql::Database &db, const QString &assetId, const QDate &today);
    static QList<LineageFlag> flags(LineageMemo &memo, const QString &assetId);
    /** When an asset's protection ended (lapsed, expired, revoked…); invalid when in force. */
    static std::optional<QDate> lapsedOn(sql::Database &db, const QString &assetId,
                                         const QDate &today);
    /** True when an asset derived under the licence was assigned after the licence's grant. */
    static bool controlChanged(sql::Database &db, const LicenceRecord &licence, const QDate &until);
    /** Every licence granted, in the order of its grant (revoked ones too). */
    static QList<LicenceRecord> licences(sql::Database &db);
};

} // namespace cartulary::model
