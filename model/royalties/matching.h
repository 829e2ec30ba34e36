// SPDX-License-Identifier: GPL-3.0-or-later
// Which work a usage line is about: identifiers normalised and looked up first, then title and
// creator, with the matches a user made by hand taking precedence where they apply.
#pragma once

#include "ledger/sqlite.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace cartulary::model {

/** Normalised forms used to compare identifiers and names across reports and the register. */
namespace normalise {
/** "T-034.524.680-1" and "t0345246801" → "T0345246801": letters and digits only, upper case. */
QString iswc(const QString &text);
/** "US-SM1-98-03037" → "USSM19803037". */
QString isrc(const QString &text);
/** "https://doi.org/10.1000/XYZ", "doi:10.1000/xyz" → "10.1000/xyz" (DOIs are case-insensitive). */
QString doi(const QString &text);
/** Case, accents and punctuation removed, blanks collapsed: "L'Été, (Live)" → "l ete live". */
QString title(const QString &text);
/**
 * One creator: its words normalised as title() and sorted, so that "Gaye, Marvin", "MARVIN GAYE"
 * and "Marvin  Gayé" are equal.
 */
QString person(const QString &text);
/** Several creators separated by ';' or '|', as written (empty parts left out). */
QStringList splitCreators(const QString &text);
/** Several creators separated by ';' or '|': each person(), distinct, sorted, joined by ';'. */
QString creators(const QString &text);
} // namespace normalise

/** What a usage line identifies its work by, as written in the report. */
struct Identification
{
    QString workRef, isrc, iswc, doi, title, creator;
    /** The normalised fields joined: lines with equal keys are the same identification. */
    QString key() const;
    /** title() and creators() normalised, joined: the scope of a match by title and creator. */
    QString titleCreatorKey() const;
    static QString titleCreatorKey(const QString &title, const QString &creator);
    /** key() and titleCreatorKey() at once, each field normalised once. */
    void keys(QString &key, QString &titleCreator) const;
};

/** How a line was matched to a work, or why it was not. */
struct WorkMatch
{
    QString assetId; ///< empty when unmatched
    QString how;     ///< "manual", "reference", "id", "iswc", "isrc", "doi", "manual-title",
                     ///< "title-creator"; or for an unmatched line "", "ambiguous"
    QString note;    ///< for an ambiguous line: the candidates
};

/**
 * The register as matching sees it, read once: asset references, ids, identifiers, titles
 * (alternative titles of registered works too) and creators, and the matches made by hand.
 * Precedence: a hand match of the same identification; the work reference or id; ISWC; ISRC;
 * DOI; a hand match of the same title and creator; then title and creator (the normalised title
 * equal and at least one creator in common) when exactly one work fits.
 */
class Matcher
{
public:
    explicit Matcher(sql::Database &db);
    WorkMatch match(const Identification &id) const;
    /** The same, with id.key() and id.titleCreatorKey() computed already. */
    WorkMatch match(const Identification &id, const QString &key,
                    const QString &titleCreatorKey) const;
    /** The asset registered with this ISWC (any notation), or empty. */
    QString byIswc(const QString &iswc) const { return m_byIswc.value(normalise::iswc(iswc)); }

private:
    struct Titled
    {
        QString assetId;
        QSet<QString> creators; ///< person() of each
    };
    QHash<QString, QString> m_byReference, m_byIswc, m_byIsrc, m_byDoi;
    QSet<QString> m_ids;
    QHash<QString, QList<Titled>> m_byTitle;
    QHash<QString, QString> m_manual, m_manualTitle; ///< key → asset id (latest entry wins)
};

} // namespace cartulary::model
