// SPDX-License-Identifier: GPL-3.0-or-later
// Renewal, annuity and maintenance-fee deadlines derived from an asset's dates by data-driven
// rules.
#pragma once

#include "ledger/result.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace cartulary::model {

/** The facts about an asset that deadlines derive from. Dates may be null (unknown). */
struct DeadlineAsset
{
    QString id, reference, title;
    /// patent, utility-model, trademark, design, copyright, dataset, model, software,
    /// trade-secret, plant-variety, domain-name
    QString type;
    QString jurisdiction; ///< ISO 3166 alpha-2 (US, DE, GB, FR, JP, CN, …) or EP, WO, EM
    /// Free text from docketing systems. The words "lapsed", "abandoned", "expired", "withdrawn",
    /// "revoked", "refused" (any case, anywhere, not after "not", "partially", "partly",
    /// "previously", "formerly"; never when "reinstated" or "restored" also appears) mean: no
    /// future deadlines.
    QString status;
    QDate filing, priority, grant, registration, expiry;
};

/** A length of time as a rule writes it: whole years, months and days, never negative. */
struct DeadlinePeriod
{
    int years = 0, months = 0, days = 0;

    bool isZero() const { return years == 0 && months == 0 && days == 0; }
    int totalMonths() const { return years * 12 + months; }
    bool operator==(const DeadlinePeriod &) const = default;
};

/** A date a rule refers to: an asset date plus a period, or a fixed calendar date; unset when
 * both the anchor and the date are empty. */
struct DeadlineDateRef
{
    QString anchor; ///< filing, priority, grant, registration or expiry; empty with `date`
    DeadlinePeriod offset;
    QDate date; ///< a fixed date (when a law changed on a given day); null with `anchor`

    bool isSet() const { return !anchor.isEmpty() || date.isValid(); }
    bool operator==(const DeadlineDateRef &) const = default;
};

/** One explicit occurrence of a rule: its offset from the anchor and, optionally, its own label. */
struct DeadlineStep
{
    DeadlinePeriod offset;
    QString label; ///< replaces the rule's label for this occurrence when not empty

    bool operator==(const DeadlineStep &) const = default;
};

/**
 * One rule: which assets it applies to, from which date, how often, with what grace.
 * The JSON form (one object per rule, documented in model/DEADLINES.md) uses the same names;
 * ruleFromJson() and ruleToJson() round-trip it exactly.
 */
struct DeadlineRule
{
    QString id;    ///< unique in a rule set; part of every deadline key, so never '/'
    QString label; ///< for people; {n} = sequence, {offset} = offset as written, {anchor}
    QString kind;  ///< renewal, annuity, maintenance-fee, national-phase, declaration-of-use, …
    QString note;  ///< where the rule comes from and what it does not cover
    QStringList types;               ///< asset types it applies to (at least one)
    QStringList jurisdictions;       ///< empty: any jurisdiction (also an empty one)
    QStringList exceptJurisdictions; ///< never applies to these
    QStringList anchors;             ///< asset dates to count from; the first one known is used
    QStringList requiredDates;       ///< JSON "requires": asset dates that must be known
    QList<DeadlineStep> at;         ///< explicit occurrences, or (when empty) a repeating schedule:
    DeadlinePeriod first;           ///< offset of the first repetition (JSON default: `every`)
    DeadlinePeriod every;           ///< interval between repetitions
    int firstSequence = 1;          ///< sequence number of the first occurrence
    int lastSequence = 0;           ///< last sequence number produced; 0: no limit
    bool endOfMonth = false;        ///< the due date moves to the last day of its month
    DeadlinePeriod grace;           ///< late payment (with surcharge) allowed for this long
    bool graceEndOfMonth = false;   ///< the grace period ends on the last day of its month
    DeadlinePeriod window;          ///< payment accepted at most this long before the due date
    bool windowWholeMonths = false; ///< the window is whole months ending with the due month
    DeadlineDateRef from;           ///< occurrences whose anniversary is earlier are skipped
    DeadlineDateRef until;          ///< occurrences whose anniversary is later are skipped
    DeadlineDateRef defer;  ///< due dates before the end of this period move to its last day
    QStringList supersedes; ///< ids of rules that do not apply where this rule applies

    bool operator==(const DeadlineRule &) const = default;
};

/** A concrete deadline for one asset. */
struct Deadline
{
    QString key; ///< stable across runs: "<assetId>/<ruleId>/<n>" — iCalendar UID, marks it paid
    QString assetId, reference, title, ruleId;
    QString kind;  ///< renewal, annuity, maintenance-fee, national-phase, declaration-of-use, …
    QString label; ///< "EP renewal fee, year 5", "US maintenance fee (7.5 years)", …
    int sequence = 0;  ///< year number or ordinal
    QDate due;         ///< the date the fee/act is due
    QDate graceEnd;    ///< last day with surcharge (== due when there is no grace)
    QDate windowOpens; ///< earliest day it can be paid (null if not restricted)

    bool operator==(const Deadline &) const = default;
};

enum class DeadlineState { Upcoming, Due /*within 30 days*/, InGrace, Overdue, Done };

/** Due: today is at most 30 days before the due date (or on it); InGrace: after the due date up to
 * and including the grace end; Overdue: after the grace end; Done wins over everything. */
DeadlineState deadlineState(const Deadline &d, const QDate &today, bool done);
QString deadlineStateName(DeadlineState s); // "upcoming", "due", "in grace", "overdue", "done"

/** A validated rule set: the shipped rules plus the user's. */
class DeadlineRules
{
public:
    /** The shipped rules from ":/cartulary/deadline-rules.json"; aborts (packaging error) when the
     * resource is missing or invalid — the tests check it. */
    static DeadlineRules builtIn();
    /** A file {"version": 1, "rules": [...]}; errors name the source, the rule index/id and the
     * field. Refuses duplicate ids within the file. */
    static Result<DeadlineRules> fromJson(const QByteArray &json, const QString &source);
    /** One rule (used by the "add deadline rule" command); unknown fields are refused. */
    static Result<DeadlineRule> ruleFromJson(const QJsonObject &o);
    static QJsonObject ruleToJson(const DeadlineRule &r);
    /** Validates the rule and appends it; refuses a duplicate id. */
    Status add(const DeadlineRule &rule);
    const QList<DeadlineRule> &rules() const;
    /**
     * All deadlines of an asset, from its dates, within [from, to]; none for inactive statuses and
     * none after expiry. A deadline is within the range when it is due on or before `to` and its
     * grace ends on or after `from` (a fee still payable with surcharge is listed). A null bound
     * is open; repeating rules then stop 200 years after their anchor. Sorted by due date, key.
     */
    QList<Deadline> compute(const DeadlineAsset &asset, const QDate &from, const QDate &to) const;

private:
    QList<DeadlineRule> m_rules;
};

/** RFC 5545 calendar: one all-day VEVENT per deadline (UID = key@cartulary, DTSTAMP, SUMMARY with
 * reference and label, DESCRIPTION with title, due and grace end, a VALARM 14 days before), CRLF
 * line endings, lines folded at 75 octets, text escaped. */
QByteArray toICalendar(const QList<Deadline> &deadlines, const QDateTime &stamp);

} // namespace cartulary::model
