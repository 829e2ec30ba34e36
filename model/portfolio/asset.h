// SPDX-License-Identifier: GPL-3.0-or-later
// An intellectual-property asset: its fields, their validation and their canonical JSON form.
#pragma once

#include "ledger/result.h"
#include "model/core/jsonfields.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace cartulary::model {

/** Basis points that the shares of all owners of an asset add up to. */
constexpr int WholeShare = 10000;

/** One owner and its share of the asset. */
struct Owner
{
    QString name;
    int basisPoints = 0;
    bool operator==(const Owner &) const = default;
};

/** An identifier under a scheme: application, publication, registration, ISWC, ISRC, DOI, SPDX, …
 */
struct Identifier
{
    QString scheme;
    QString value;
    bool operator==(const Identifier &) const = default;
};

/** One invalid field and why: `field` is the column (CSV) or key (JSON) name. */
struct FieldProblem
{
    QString field;
    QString why;
    bool operator==(const FieldProblem &) const = default;
};

/** "field: why; field: why", in the given order. */
QString describeProblems(const QList<FieldProblem> &problems);
/** A parser's error ("owners: 'x' is not Name:basis-points …") as the problem of its field. */
FieldProblem fieldProblem(const Error &error);

/** An asset as registered in the ledger: everything but its value-chain history. */
struct Asset
{
    QString id;        ///< stable, assigned at registration (UUID), never changes
    QString reference; ///< the docket number, unique in the portfolio
    QString title;
    QString type;              ///< an AssetType id
    QStringList jurisdictions; ///< ISO 3166 alpha-2, or EP, WO, EM
    QString status;            ///< a known status id, see statuses()
    QDate filing, priority, grant, registration, expiry;
    QString family;       ///< reference of the family's first filing, or empty
    QList<Owner> owners;  ///< basis points summing to WholeShare
    QStringList creators; ///< inventors, authors, creators
    QList<Identifier> identifiers;
    QStringList tags;
    QString notes;

    bool operator==(const Asset &) const = default;

    /** Canonical JSON (sorted keys; empty fields omitted). */
    QJsonObject toJson() const;
    /** The bytes of toJson() as compact JSON — exactly QJsonDocument(toJson()).toJson(Compact),
     * written directly because entry bodies and the projection write it for every asset (an
     * import of 100,000 assets spent more time building the QJsonObject than anything else). */
    QByteArray canonicalJson() const;
    /** Strict: unknown keys and wrongly typed values are errors naming the key; dates that do not
     * parse are all reported together. */
    static Result<Asset> fromJson(const QJsonObject &object);
    /** The same, except that dates that do not parse are left empty and added to dateProblems, so
     * that a caller can report them with the other invalid fields. */
    static Result<Asset> fromJson(const QJsonObject &object, QList<FieldProblem> *dateProblems);
};

/** Known status ids, lower case; the last ones mean no future deadlines. */
const QStringList &statuses();
bool isInactiveStatus(const QString &status);

/** Every invalid field of the asset and every broken relation between fields, in column order
 * (reference, title, type, jurisdiction, status, dates, owners, …); empty when it is valid. */
QList<FieldProblem> assetProblems(const Asset &asset);
/** readProblems (found while reading the fields: dates, owners that did not parse) first, then
 * assetProblems() of the fields not reported there. */
QList<FieldProblem> assetProblems(const Asset &asset, const QList<FieldProblem> &readProblems);
/** Checks every field and their relations. The error lists every problem, each naming its field:
 * "title: is required; owners: shares sum to 9,000 basis points; …" (code invalid-field). */
Status validateAsset(const Asset &asset);
/** As validateAsset, with problems found while reading the fields (dates, owners that did not
 * parse) first; a field already reported there is not reported again. */
Status validateAsset(const Asset &asset, const QList<FieldProblem> &readProblems);
/** Jurisdiction codes accepted: ISO 3166-1 alpha-2, plus EP, WO, EM and other regional offices. */
bool isJurisdiction(const QString &code);

/** Parses "Name:basis-points;Name:basis-points" (the CSV form). */
Result<QList<Owner>> parseOwners(const QString &text);
QString formatOwners(const QList<Owner> &owners);
/** Parses "SCHEME:value;SCHEME:value" (the CSV form); the scheme is kept as written. */
Result<QList<Identifier>> parseIdentifiers(const QString &text);
QString formatIdentifiers(const QList<Identifier> &identifiers);

/** A new asset id: a UUID (version 7) that sorts after every id this process made before. */
QString newAssetId();

} // namespace cartulary::model
