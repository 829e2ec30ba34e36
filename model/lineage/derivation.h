// SPDX-License-Identifier: GPL-3.0-or-later
// The bodies of lineage entries (a derivation, a revocation, an approval) and their JSON codecs;
// the licence's own body is in licence.h.
#pragma once

#include "ledger/result.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>

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
    /** Where the child is exploited (jurisdiction codes; WO: worldwide); empty: not stated. When
     * stated, it must lie within the territory of every licence the links use. */
    QStringList territory;
    /** The field of use the child serves; empty: not stated. When stated, it must lie within the
     * field of every licence the links use. */
    QString field;

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

} // namespace cartulary::model
