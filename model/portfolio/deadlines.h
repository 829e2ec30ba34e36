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
    /// ISO 3166 alpha-2 (US, DE, GB, FR, JP, CN, …) or EP, WO, EM. Each one gets its own deadlines
    /// (a European patent validated in DE and FR: "EP;DE;FR"); empty: only rules for any
    /// jurisdiction apply.
    QStringList jurisdictions;
    /// Free text from docketing systems. The words "lapsed", "abandoned", "expired", "withdrawn",
    /// "revoked", "refused" (any case, anywhere, not after "not", "partially", "partly",
    /// "previously", "formerly"; never when "reinstated" or "restored" also appears) mean: no
    /// future deadlines.
    QString status;
    QDate filing, priority, grant, registration, expiry;

    /** Equal type, jurisdictions, status and dates: the same deadlines (names aside). */
    bool sameFacts(const DeadlineAsset &o) const
    {
        return type == o.type && jurisdictions == o.jurisdictions && status == o.status &&
               filing == o.filing && priority == o.priority && grant == o.grant &&
               registration == o.registration && expiry == o.expiry;
    }
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

/** A rule that applies only when an asset date is before (or on or after) a fixed date; unset when
 * `date` is empty. An asset without that date does not meet the condition. */
struct DeadlineCondition
{
    QString date;    ///< filing, priority, grant, registration or expiry
    QDate before;    ///< the asset date is before this day; or null
    QDate onOrAfter; ///< the asset date is on or after this day; or null

    bool isSet() const { return !date.isEmpty(); }
    bool operator==(const DeadlineCondition &) const = default;
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
    bool graceFromDue = false;      ///< the grace runs from the due date even on an anniversary
    DeadlinePeriod window;          ///< payment accepted at most this long before the due date
    bool windowWholeMonths = false; ///< the window is whole months ending with the due month
    DeadlineDateRef from;           ///< occurrences whose anniversary is earlier are skipped
    DeadlineDateRef until;          ///< occurrences whose anniversary is later are skipped
    DeadlineDateRef defer;     ///< due dates before the end of this period move to its last day
    QStringList supersedes;    ///< ids of rules that do not apply where this rule applies
    DeadlineCondition when;    ///< the rule applies only to assets meeting this condition
    bool sequenceYear = false; ///< {n} and the key's number are the due date's year
    /// What is lost once the grace has ended unpaid: "right" (the right lapses in that
    /// jurisdiction, so its later deadlines depend on this one), "act" (only this act, e.g. one
    /// national phase) or "none" (an internal deadline, merely overdue). Empty: from the kind.
    QString loss;
    QString remedy;              ///< what can still be done once it is lost, and its legal basis
    DeadlinePeriod remedyWithin; ///< the remedy's last day, counted from the grace end; or zero

    /** The effective loss: `loss`, or renewal, annuity, maintenance-fee, declaration-of-use →
     * "right", national-phase → "act", anything else → "none". */
    QString effectiveLoss() const;
    bool operator==(const DeadlineRule &) const = default;
};

/** A concrete deadline for one asset in one of its jurisdictions. */
struct Deadline
{
    /// Stable across runs: "<assetId>/<jurisdiction>/<ruleId>/<n>", or "<assetId>/<ruleId>/<n>"
    /// for an asset without jurisdiction — the iCalendar UID, and what a settling event names.
    QString key;
    QString assetId, reference, title, ruleId;
    QString jurisdiction; ///< the asset's jurisdiction it belongs to, or empty
    QString kind;  ///< renewal, annuity, maintenance-fee, national-phase, declaration-of-use, …
    QString label; ///< "EP renewal fee, year 5", "US maintenance fee (7.5 years)", …
    int sequence = 0;  ///< year number or ordinal
    QDate due;         ///< the date the fee/act is due
    QDate graceEnd;    ///< last day with surcharge (== due when there is no grace)
    QDate windowOpens; ///< earliest day it can be paid (null if not restricted)
    QString loss;      ///< the rule's effective loss: "right", "act" or "none"
    QString remedy;    ///< the rule's remedy once it is lost, or empty
    QDate remedyEnds;  ///< the last day for that remedy when the law fixes one, else null

    // Set by the portfolio's query (Portfolio::deadlines), which knows what was settled and what
    // the ledger changed; the rules leave them empty. The iCalendar export shows them.
    bool rightsLost = false; ///< the grace ended unsettled and the rule loses a right or an act
    QString blockedBy;       ///< key of the earlier lost deadline this one depends on, or empty
    QString blockedByLabel;  ///< that deadline's reference and label, for people
    int revision = 0;        ///< iCalendar SEQUENCE of the due-date event: times the date changed
    int graceRevision = 0;   ///< the same for the grace-end event

    bool operator==(const Deadline &) const = default;
};

/**
 * Where a deadline stands. Upcoming, Due (at most 30 days ahead, or today), InGrace (after the due
 * date, up to and including the grace end) and, once the grace has ended unsettled, Lost (the
 * rule's loss is a right or an act) or Overdue (an internal deadline). Blocked: a later deadline
 * of a jurisdiction whose right was lost earlier and not yet settled. Done: settled; Lapsed:
 * settled by accepting the loss.
 */
enum class DeadlineState { Upcoming, Due, InGrace, Overdue, Lost, Blocked, Done, Lapsed };

/** The state of one deadline on its own (never Blocked or Lapsed: those need the portfolio). */
DeadlineState deadlineState(const Deadline &d, const QDate &today, bool done);
/** "upcoming", "due", "in grace", "overdue", "rights lost", "blocked", "done", "lapsed". */
QString deadlineStateName(DeadlineState s);
/** The one definition of overdue every view uses (lists, chart, badge): the due date has passed
 * and the deadline is neither settled nor waiting on an earlier lost one — InGrace, Overdue, Lost.
 */
bool isOverdue(DeadlineState s);
/** True for Done and Lapsed. */
bool isSettled(DeadlineState s);

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
    /** The rule with this id, or null. */
    const DeadlineRule *rule(const QString &id) const;
    /**
     * All deadlines of an asset, from its dates, in each of its jurisdictions, within [from, to];
     * none for inactive statuses and none after expiry. A deadline is within the range when it is
     * due on or before `to` and its grace ends on or after `from` (a fee still payable with
     * surcharge is listed). A null bound is open; repeating rules then stop 200 years after their
     * anchor. Sorted by due date, key.
     */
    QList<Deadline> compute(const DeadlineAsset &asset, const QDate &from, const QDate &to) const;

private:
    QList<DeadlineRule> m_rules;
};

/**
 * RFC 5545 calendar, CRLF line endings, lines folded at 75 octets, text escaped. Per deadline an
 * all-day VEVENT on the due date (UID key@cartulary, SEQUENCE = revision, a VALARM 14 days before)
 * and, when there is a grace period, one on the grace end — the real last day — (UID
 * key/grace-end@cartulary, SEQUENCE = graceRevision, VALARMs 14 days before and on the day). A
 * deadline whose rights are lost says so first in its SUMMARY and names the remedy; one blocked by
 * a lost deadline names it.
 */
QByteArray toICalendar(const QList<Deadline> &deadlines, const QDateTime &stamp);

} // namespace cartulary::model
