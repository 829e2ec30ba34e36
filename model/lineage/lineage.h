// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage: licences and derivations as projected into read tables, walks over the derivation graph,
// and the area's tables and entry kinds (the rules are in lineagerules.cpp).
#pragma once

#include "ledger/logstore.h"
#include "model/core/entrykind.h"
#include "model/lineage/derivation.h"
#include "model/lineage/licence.h"

#include <QHash>

#include <optional>
#include <span>

namespace cartulary::model {

/** A licence as projected: its terms and what happened to it since. */
struct LicenceRecord
{
    Licence licence;
    ledger::PublicKey granter{}; ///< the key that signed the grant: the licensor's (or, for a
                                 ///< sublicence, the head licensee's)
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
    QStringList territory; ///< where the derivation said the child is exploited; empty: not stated
    QString field;         ///< the field of use it stated; empty: not stated
};

/** An asset reached from another, and how many generations away. */
/** An asset with how many derivation links (as parent or child) it has. */
struct LinkedAsset
{
    QString id;
    QString reference;
    QString title;
    qint64 links = 0;
};

struct Reached
{
    QString id;
    int depth = 0;
};

/** The lineage area's read tables and entry kinds, and the read side over one connection. */
class Lineage
{
public:
    static Status createTables(sql::Database &db);
    static Status dropTables(sql::Database &db);
    /**
     * licence.granted, licence.revoked, derivation.recorded and derivation.approved with their
     * appliers: each checks the entry against the lineage rules in the state the tables are in,
     * then applies it (lineagerules.cpp).
     */
    static std::span<const EntryKind> entryKinds();

    /** The licence with this id or reference. */
    static std::optional<LicenceRecord> licence(sql::Database &db, const QString &idOrReference);
    /**
     * The licence and, when it is a sublicence, the head licences above it: nearest first, the
     * licence granted by the owner last. Empty when the licence does not exist.
     */
    static QList<LicenceRecord> chain(sql::Database &db, const QString &idOrReference);
    /** Licences that cover an asset, oldest first. */
    static QList<LicenceRecord> licencesOn(sql::Database &db, const QString &assetId);
    /** Sublicences granted directly under a licence, oldest first. */
    static QList<LicenceRecord> sublicences(sql::Database &db, const QString &licenceId);
    static QList<DerivationLink> parents(sql::Database &db, const QString &child);
    /** parents() of every child at once, by child (a child without parents is absent). */
    static QHash<QString, QList<DerivationLink>> everyParents(sql::Database &db);
    static QList<DerivationLink> children(sql::Database &db, const QString &parent);
    /** Ancestors (or descendants) up to maxDepth generations (-1: all), nearest first. */
    static QList<Reached> ancestors(sql::Database &db, const QString &id, int maxDepth = -1);
    static QList<Reached> descendants(sql::Database &db, const QString &id, int maxDepth = -1);
    /** When an asset's protection ended (lapsed, expired, revoked…); invalid when in force. */
    static std::optional<QDate> lapsedOn(sql::Database &db, const QString &assetId,
                                         const QDate &today);
    /** True when an asset derived under the licence was assigned after the licence's grant. */
    static bool controlChanged(sql::Database &db, const LicenceRecord &licence, const QDate &until);
    /** "REF (title)" of an asset, for messages; its id when it does not exist. */
    static QString name(sql::Database &db, const QString &assetId);
    /** name() of every asset at once, by id. */
    static QHash<QString, QString> everyName(sql::Database &db);
    /** Every licence granted, in the order of its grant (revoked ones too). */
    static QList<LicenceRecord> licences(sql::Database &db);
    /** The assets with the most derivation links, most first (then by reference): where to
     * start exploring a lineage. */
    static QList<LinkedAsset> mostLinked(sql::Database &db, int limit);
};

} // namespace cartulary::model
