// SPDX-License-Identifier: GPL-3.0-or-later
// The distribution run: matched usage amounts sent up the derivation chains by the licence terms,
// split among each asset's owners, an administration fee deducted, disputes held — exactly, with
// every holder's total rounded once per currency by largest remainder, and every amount's path.
#pragma once

#include "ledger/sqlite.h"

#include <QDate>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

#include <atomic>
#include <functional>

namespace cartulary::model {

/**
 * Exact amounts inside a run: 10^-18 of the currency's major unit in 128 bits, so that a chain of
 * splits by parts per million and basis points loses less than 10^-18 per split and a holder's
 * total is rounded once, at the end.
 */
using Fine = __int128;
inline constexpr qint64 FinePerMicro = 1000000000000; ///< 10^12: usage amounts are in millionths

/** "12.345678901234567890" for a Fine amount: exact, all eighteen decimals trimmed of zeros. */
QString fineText(Fine amount);
/** The reverse of fineText, and of the decimal integers the flow table stores. */
std::optional<Fine> parseFine(const QString &text, bool scaled);

/** A licence's share out of an asset's revenue, as a run applies it. */
struct RunShare
{
    qint64 ppm = 0;
    QString licence;     ///< its reference
    QString parentAsset; ///< the share goes to this asset (split among its owners, and further up)
    QString party;       ///< or, for a sublicence, to its licensor directly (parentAsset empty)
    QString policy;      ///< "absolute", "relative"
    bool active = true;
    QString inactiveWhy; ///< why it is left out (revoked, expired, parent lapsed)
};

/** One holder's share of an asset's retained revenue for the run's right. */
struct RunOwner
{
    QString party;
    int basisPoints = 0;
};

/** What the run needs to know of the register; DbRunSource reads it, tests fake it. */
class RunSource
{
public:
    virtual ~RunSource() = default;
    /** The shares paid out of the revenue that asset receives: at the origin (the work whose usage
     * it is) every absolute share of the licences above it and the relative shares of its own
     * links; above it, only the relative shares of its own links (the absolute ones were paid at
     * the origin). */
    virtual QList<RunShare> shares(const QString &asset, bool origin) = 0;
    /** The owners for the right: registered work shares when there are, else the asset's owners. */
    virtual QList<RunOwner> owners(const QString &asset) = 0;
    /** A dispute that holds the asset's amounts, or empty. */
    virtual QString dispute(const QString &asset) = 0;
    /** "REF (title)" for statements and explanations. */
    virtual QString name(const QString &asset) = 0;
};

/** The run's input: matched amounts per work and currency, and what stayed unmatched. */
struct RunInput
{
    QString period;
    QString right;
    qint64 feePpm = 0; ///< the administration fee, parts per million of the collected amount
    struct Usage
    {
        QString asset;
        QString currency;
        qint64 amountMicro = 0;
        qint64 units = 0;
        qint64 lines = 0;
    };
    QList<Usage> matched;
    QMap<QString, qint64> unmatchedMicro; ///< currency → amount
    QMap<QString, qint64> unmatchedLines; ///< currency → lines
};

/** One step of an amount's way from the usage to a holder. */
struct FlowStep
{
    QString text; ///< "5.00 % to MBG-DS003 under LIC-2023-014 (absolute)", "owner share 40.00 %"
};

/** An amount that reached a holder (or was held), with its way. */
struct Flow
{
    QString holder; ///< a party, or "" for held
    QString currency;
    QString work; ///< the asset whose usage it comes from
    QStringList path;
    Fine amount = 0;
};

/** A metered licence's fee as the usage implies it, shown against the reported amount. */
struct MeteredFee
{
    QString licence, asset, currency;
    qint64 units = 0, perUseMinor = 0, ceilingMinor = 0;
    qint64 expectedMinor = 0; ///< units × per-use fee, capped by the ceiling
    qint64 reportedMicro = 0; ///< what the usage reported for the asset
};

/** Totals of one currency: collected = distributed + held + unmatched + fees, in minor units. */
struct CurrencyTotals
{
    qint64 collected = 0, distributed = 0, held = 0, unmatched = 0, fees = 0;
    Fine collectedExact = 0, heldExact = 0, unmatchedExact = 0, feesExact = 0;
};

/** One holder's total in one currency: exact and as paid. */
struct HolderTotal
{
    QString holder;
    QString currency;
    Fine exact = 0;
    qint64 minor = 0;
};

/** A work whose amounts are held, and why. */
struct HeldAmount
{
    QString asset, currency, why;
    Fine amount = 0;
};

/** A computed run. */
struct RunResult
{
    QString period, right;
    qint64 feePpm = 0;
    QMap<QString, CurrencyTotals> currencies;
    QList<HolderTotal> holders; ///< by currency, then holder name
    QList<Flow> flows;          ///< by holder, currency, work (id) and path
    QList<HeldAmount> held;
    QList<MeteredFee> metered;

    /** The JSON of `royalty run --json` (ROYALTIES.md): decimal strings in minor digits. */
    QJsonObject toJson() const;
};

/**
 * Computes a run: for each matched work, the fee is taken, then what remains goes up the chain
 * (each share split off by largest remainder in Fine units) and what an asset keeps is split among
 * its owners; a disputed work, a stack over 100 %, an asset without owners and an unclaimed part of
 * the ownership are held. Each currency's collected total (rounded half up to minor units) is
 * split over holders (in name order), held, unmatched and fees by largest remainder of their exact
 * amounts, ties to the earlier in that order: the parts sum to the collected total and each is
 * within one minor unit of its exact amount.
 */
RunResult computeRun(const RunInput &input, RunSource &source,
                     const std::atomic_bool *cancel = nullptr);

/** Reads the run's input (period and right) and register from the read tables. */
class DbRunSource : public RunSource
{
public:
    DbRunSource(sql::Database &db, const QString &right, const QDate &periodStart,
                const QDate &periodEnd);
    ~DbRunSource() override;
    QList<RunShare> shares(const QString &asset, bool origin) override;
    QList<RunOwner> owners(const QString &asset) override;
    QString dispute(const QString &asset) override;
    QString name(const QString &asset) override;
    /** Metered licences on the links directly above each matched asset. */
    QList<MeteredFee> metered(const RunInput &input);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

/** Every usage amount of the period (a quarter includes its months) for the right, matched or
 * not, as the run's input. */
Result<RunInput> runInput(sql::Database &db, const QString &period, const QString &right,
                          qint64 feePpm);

/** Fine per minor unit of the currency (10^(18 − minor digits)). */
Fine finePerMinor(const QString &currency);
/**
 * Rounds exact parts of an amount whose rounded total is totalMinor: each part's floor, then the
 * units left over one each to the largest remainders, ties to the earlier part. Each part is within
 * one minor unit of its exact amount as long as totalMinor is the rounded sum of the parts.
 */
QList<qint64> roundParts(qint64 totalMinor, const QList<Fine> &exact, Fine unit);

/** Largest remainder over Fine amounts: parts of total proportional to weights, summing to it. */
QList<Fine> splitFine(Fine total, const QList<Fine> &weights);

} // namespace cartulary::model
