// SPDX-License-Identifier: GPL-3.0-or-later
// Licences as machine-readable terms: what the licensee may do with the licensed assets, what they
// owe, and when the licensor may revoke; with their ODRL 2.2 form.
#pragma once

#include "ledger/result.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace cartulary::model {

/** What a licence allows the licensee to derive from the licensed assets. */
enum class Derivatives {
    Prohibited,   ///< no derivative works
    Allowed,      ///< derivatives allowed without asking
    WithApproval, ///< each derivative needs the licensor's signed approval
};

/**
 * How a derivative's royalties reach the chain above it.
 * Absolute: every ancestor licensed this way receives its rate of the revenue of every descendant
 * (Story Protocol's LAP). Relative: only the direct child pays the rate; the parent then pays its
 * own ancestors out of what it receives (LRP).
 */
enum class RoyaltyPolicy { Absolute, Relative };

/** Money owed under a licence. Amounts in minor units of currency; rates in parts per million. */
struct PaymentTerms
{
    QString currency = QStringLiteral("EUR"); ///< ISO 4217
    qint64 upfrontMinor = 0;                  ///< one-off fee at grant
    qint64 royaltyPpm = 0;          ///< share of each derivative's revenue, parts per million
    qint64 perUseMinor = 0;         ///< metered fee per use (a query, a stream, an inference)
    qint64 revenueCeilingMinor = 0; ///< royalties stop once this much revenue was shared; 0: none
    RoyaltyPolicy policy = RoyaltyPolicy::Absolute;

    bool operator==(const PaymentTerms &) const = default;
};

/** Conditions on which the licensor may revoke. */
namespace revocation {
inline constexpr char Breach[] = "breach";
inline constexpr char ChangeOfControl[] = "change-of-control";
} // namespace revocation

/** A licence granted by the owner of one or more assets. */
struct Licence
{
    QString id;        ///< UUID, assigned at grant
    QString reference; ///< the contract number, unique ("LIC-2024-007")
    QString title;
    QString licensor;    ///< an owner of every licensed asset
    QString licensee;    ///< the party that may use it (an owner of the derivatives made under it)
    QString licenseeKey; ///< the licensee's ledger key (64 hex digits), when it has one; or empty
    QStringList assets;  ///< ids of the licensed assets
    QDate granted;
    QDate expires;         ///< end of term; invalid: no end
    QStringList territory; ///< jurisdiction codes; empty: worldwide
    QString field;         ///< field of use; empty: any
    bool exclusive = false;
    bool commercial = true; ///< false: non-commercial use only
    Derivatives derivatives = Derivatives::Allowed;
    bool shareAlike = false; ///< reciprocal: derivatives must be licensed on the same terms
    bool attribution = false;
    bool sublicensing = false; ///< the licensee may grant sublicences within these terms
    QString under; ///< a sublicence: the id of the head licence it is granted under; empty: none
    QString spdx;  ///< an SPDX licence expression, where one applies ("CC-BY-SA-4.0")
    PaymentTerms payment;
    QStringList revocableOn; ///< revocation::Breach, revocation::ChangeOfControl
    QString notes;

    bool operator==(const Licence &) const = default;

    /** True when the licence is in its term on date (revocation is tracked elsewhere). */
    bool inTerm(const QDate &date) const;
    bool allowsDerivatives() const { return derivatives != Derivatives::Prohibited; }

    /** The canonical body of a licence.granted entry. */
    QJsonObject toJson() const;
    /** Parses and validates a body; errors name the field. Asset references are not resolved. */
    static Result<Licence> fromJson(const QJsonObject &object);
};

/**
 * Parses a territory: a JSON list of jurisdiction codes or "DE;AT" text, upper-cased and checked;
 * "worldwide" and an absent value give an empty list. Errors name field.
 */
Result<QStringList> territoryFromJson(const QJsonValue &value, const QString &field);

/**
 * True when every place in inner lies in outer. An empty territory is worldwide, and WO (a PCT
 * filing) counts as worldwide; EP, EM and BX stand for their member states, so DE lies in EP and EP
 * lies in a list of all its member states.
 */
bool territoryWithin(const QStringList &inner, const QStringList &outer);
/** True when two territories share a place (see territoryWithin for the codes). */
bool territoriesOverlap(const QStringList &a, const QStringList &b);
/** True when a field of use lies in another: an empty outer field is any field; otherwise the same
 * field, ignoring case and surrounding blanks. An empty inner field (any) lies only in any. */
bool fieldWithin(const QString &inner, const QString &outer);
/** How far derivatives go: prohibited < with-approval < allowed. */
int derivativesRank(Derivatives d);

QString derivativesId(Derivatives d);
std::optional<Derivatives> derivativesFromId(const QString &id);
QString policyId(RoyaltyPolicy p);
std::optional<RoyaltyPolicy> policyFromId(const QString &id);

/**
 * Checks the syntax of an SPDX licence expression (SPDX 2.3 annex D): license ids or
 * LicenseRef-…, optional "+", WITH exceptions, AND / OR, parentheses. Empty is valid (none).
 */
Status checkSpdxExpression(const QString &expression);

/** One line per term, for tooltips and the lineage report. */
QString describeLicence(const Licence &licence);

/**
 * The licence as an ODRL 2.2 Agreement in JSON-LD: permissions (use, derive, commercialize,
 * distribute, grantUse) with their constraints (spatial, dateTime, purpose) and duties (compensate,
 * attribute, nextPolicy, obtainConsent); prohibitions for what is not allowed. Terms ODRL has no
 * word for (royalty rate and policy, exclusivity, revocation conditions) use the cartulary profile.
 * Assets are named by their id as urn:uuid:…; a sublicence names its head licence with inheritFrom.
 */
QJsonObject licenceToOdrl(const Licence &licence);

} // namespace cartulary::model
