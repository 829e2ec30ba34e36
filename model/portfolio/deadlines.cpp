// SPDX-License-Identifier: GPL-3.0-or-later
// Deadline rules: strict JSON parsing and validation, date arithmetic, state, iCalendar export.
#include "model/portfolio/deadlines.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <optional>

namespace cartulary::model {

namespace {

constexpr int MaxYears = 1000;
constexpr int MaxMonths = 12000;
constexpr int MaxDays = 366000;
constexpr int MaxSequence = 100000;
constexpr int MaxSteps = 1000;
constexpr int MaxRepetitions = 10000;
constexpr int HorizonYears = 200;
constexpr int DueSoonDays = 30;
constexpr int AlarmDays = 14;
constexpr int MaxRemedy = 2000;
constexpr double MaxJsonInt = 1e9;
constexpr int FoldOctets = 75;
const char ResourcePath[] = ":/cartulary/deadline-rules.json";

const QStringList &assetTypes()
{
    static const QStringList types{"patent",       "utility-model", "trademark",  "design",
                                   "copyright",    "dataset",       "model",      "software",
                                   "trade-secret", "plant-variety", "domain-name"};
    return types;
}

const QStringList &dateNames()
{
    static const QStringList names{"filing", "priority", "grant", "registration", "expiry"};
    return names;
}

QDate assetDate(const DeadlineAsset &a, const QString &name)
{
    if (name == QLatin1String("filing"))
        return a.filing;
    if (name == QLatin1String("priority"))
        return a.priority;
    if (name == QLatin1String("grant"))
        return a.grant;
    if (name == QLatin1String("registration"))
        return a.registration;
    if (name == QLatin1String("expiry"))
        return a.expiry;
    return {};
}

bool isRuleId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(id).hasMatch();
}

bool isKind(const QString &kind)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9-]{0,63}$"));
    return re.match(kind).hasMatch();
}

bool isJurisdictionCode(const QString &code)
{
    static const QRegularExpression re(QStringLiteral("^[A-Z]{2}$"));
    return re.match(code).hasMatch();
}

/** The first variable in a label that is not {n}, {offset} or {anchor}, if any. */
std::optional<QString> unknownPlaceholder(const QString &label)
{
    static const QRegularExpression re(QStringLiteral("\\{([^{}]*)\\}"));
    for (auto it = re.globalMatch(label); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (name != QLatin1String("n") && name != QLatin1String("offset") &&
            name != QLatin1String("anchor"))
            return QStringLiteral("{%1}").arg(name);
    }
    return std::nullopt;
}

QDate addPeriod(const QDate &d, int months, int days)
{
    return d.addMonths(months).addDays(days);
}

QDate endOfMonth(const QDate &d)
{
    return QDate(d.year(), d.month(), d.daysInMonth());
}

/** "3.5 years", "30 months", "10 years", "1 year 2 months", as the rule wrote it. */
QString describePeriod(const DeadlinePeriod &p)
{
    QStringList parts;
    if (p.years > 0 && p.months == 6) {
        parts << QStringLiteral("%1.5 years").arg(p.years);
    } else {
        if (p.years > 0)
            parts << (p.years == 1 ? QStringLiteral("1 year")
                                   : QStringLiteral("%1 years").arg(p.years));
        if (p.months > 0)
            parts << (p.months == 1 ? QStringLiteral("1 month")
                                    : QStringLiteral("%1 months").arg(p.months));
    }
    if (p.days > 0 || parts.isEmpty())
        parts << (p.days == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(p.days));
    return parts.join(QLatin1Char(' '));
}

bool statusEndsDeadlines(const QString &status)
{
    static const QStringList inactive{"lapsed",    "abandoned", "expired",
                                      "withdrawn", "revoked",   "refused"};
    static const QStringList negations{"not", "partially", "partly", "previously", "formerly"};
    static const QRegularExpression separators(QStringLiteral("[^a-z]+"));
    const QStringList words = status.toLower().split(separators, Qt::SkipEmptyParts);
    if (words.contains(QLatin1String("reinstated")) || words.contains(QLatin1String("restored")))
        return false;
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (inactive.contains(words[i]) && (i == 0 || !negations.contains(words[i - 1])))
            return true;
    }
    return false;
}

// ---- validation and parsing ----------------------------------------------------------------

/** A problem with one field of one rule; the caller adds the source and the rule. */
struct FieldError
{
    QString field;
    QString reason;
};
using Check = std::optional<FieldError>;

Check fail(const QString &field, const QString &reason)
{
    return FieldError{field, reason};
}

Check checkPeriod(const DeadlinePeriod &p, const QString &field)
{
    const struct
    {
        const char *name;
        int value, max;
    } parts[] = {
        {"years", p.years, MaxYears}, {"months", p.months, MaxMonths}, {"days", p.days, MaxDays}};
    for (const auto &part : parts) {
        const QString f = field + QLatin1Char('.') + QLatin1String(part.name);
        if (part.value < 0)
            return fail(f, QStringLiteral("must not be negative (%1)").arg(part.value));
        if (part.value > part.max)
            return fail(f,
                        QStringLiteral("%1 is too long; at most %2").arg(part.value).arg(part.max));
    }
    return std::nullopt;
}

Check checkDateRef(const DeadlineDateRef &ref, const QString &field, bool allowFixedDate)
{
    if (!ref.isSet())
        return std::nullopt;
    if (!ref.anchor.isEmpty() && ref.date.isValid())
        return fail(field, QStringLiteral("give either \"anchor\" or \"date\", not both"));
    if (ref.date.isValid()) {
        if (!allowFixedDate)
            return fail(field + QStringLiteral(".anchor"),
                        QStringLiteral("required: a period beginning on an asset date"));
        if (!ref.offset.isZero())
            return fail(field, QStringLiteral("a fixed \"date\" takes no years, months or days"));
        return std::nullopt;
    }
    if (!dateNames().contains(ref.anchor))
        return fail(field + QStringLiteral(".anchor"),
                    QStringLiteral("unknown date \"%1\"; use %2")
                        .arg(ref.anchor, dateNames().join(QStringLiteral(", "))));
    return checkPeriod(ref.offset, field);
}

Check checkLabel(const QString &label, const QString &field)
{
    if (const auto bad = unknownPlaceholder(label))
        return fail(
            field,
            QStringLiteral("unknown label variable %1; use {n}, {offset} or {anchor}").arg(*bad));
    return std::nullopt;
}

Check checkJurisdictions(const QStringList &codes, const QString &field)
{
    for (const QString &code : codes) {
        if (!isJurisdictionCode(code))
            return fail(field,
                        QStringLiteral("\"%1\" is not a jurisdiction code; use two upper-case "
                                       "letters (DE, US, EP, WO, EM)")
                            .arg(code));
    }
    return std::nullopt;
}

const QStringList &lossValues()
{
    static const QStringList values{"right", "act", "none"};
    return values;
}

Check checkCondition(const DeadlineCondition &c, const QString &field)
{
    if (!c.isSet()) {
        if (c.before.isValid() || c.onOrAfter.isValid())
            return fail(field + QStringLiteral(".date"), QStringLiteral("required: the asset date "
                                                                        "to compare"));
        return std::nullopt;
    }
    if (!dateNames().contains(c.date))
        return fail(field + QStringLiteral(".date"),
                    QStringLiteral("unknown date \"%1\"; use %2")
                        .arg(c.date, dateNames().join(QStringLiteral(", "))));
    if (c.before.isValid() == c.onOrAfter.isValid())
        return fail(field, QStringLiteral("give either \"before\" or \"onOrAfter\" (a date "
                                          "YYYY-MM-DD)"));
    return std::nullopt;
}

/** Every semantic check on a rule, whether it came from JSON or from C++. */
Check checkRule(const DeadlineRule &r)
{
    if (r.id.isEmpty())
        return fail(QStringLiteral("id"), QStringLiteral("required"));
    if (!isRuleId(r.id))
        return fail(QStringLiteral("id"),
                    QStringLiteral("\"%1\": use letters, digits, '.', '_' or '-' (at most 64, no "
                                   "'/')")
                        .arg(r.id));
    if (r.label.trimmed().isEmpty())
        return fail(QStringLiteral("label"), QStringLiteral("required"));
    if (auto c = checkLabel(r.label, QStringLiteral("label")))
        return c;
    if (r.kind.isEmpty())
        return fail(QStringLiteral("kind"), QStringLiteral("required (renewal, annuity, …)"));
    if (!isKind(r.kind))
        return fail(QStringLiteral("kind"),
                    QStringLiteral("\"%1\": use lower-case letters, digits and '-'").arg(r.kind));
    if (r.types.isEmpty())
        return fail(QStringLiteral("types"), QStringLiteral("required: at least one asset type"));
    for (const QString &t : r.types) {
        if (!assetTypes().contains(t))
            return fail(QStringLiteral("types"),
                        QStringLiteral("unknown asset type \"%1\"; use %2")
                            .arg(t, assetTypes().join(QStringLiteral(", "))));
    }
    if (auto c = checkJurisdictions(r.jurisdictions, QStringLiteral("jurisdictions")))
        return c;
    if (auto c = checkJurisdictions(r.exceptJurisdictions, QStringLiteral("exceptJurisdictions")))
        return c;
    if (r.anchors.isEmpty())
        return fail(QStringLiteral("anchor"), QStringLiteral("required: the asset date to count "
                                                             "from"));
    for (const QString &a : r.anchors) {
        if (!dateNames().contains(a))
            return fail(QStringLiteral("anchor"),
                        QStringLiteral("unknown date \"%1\"; use %2")
                            .arg(a, dateNames().join(QStringLiteral(", "))));
    }
    for (const QString &a : r.requiredDates) {
        if (!dateNames().contains(a))
            return fail(QStringLiteral("requires"),
                        QStringLiteral("unknown date \"%1\"; use %2")
                            .arg(a, dateNames().join(QStringLiteral(", "))));
    }
    if (!r.at.isEmpty() && !(r.every.isZero() && r.first.isZero()))
        return fail(QStringLiteral("at"), QStringLiteral("give either \"at\" or \"every\", not "
                                                         "both"));
    if (r.at.isEmpty() && r.every.isZero())
        return fail(QStringLiteral("every"),
                    QStringLiteral("required: \"at\" (a list of offsets) or \"every\" (an interval "
                                   "longer than zero)"));
    if (r.at.size() > MaxSteps)
        return fail(QStringLiteral("at"), QStringLiteral("at most %1 offsets").arg(MaxSteps));
    for (qsizetype i = 0; i < r.at.size(); ++i) {
        const QString f = QStringLiteral("at[%1]").arg(i);
        if (auto c = checkPeriod(r.at[i].offset, f))
            return c;
        if (auto c = checkLabel(r.at[i].label, f + QStringLiteral(".label")))
            return c;
    }
    if (auto c = checkPeriod(r.every, QStringLiteral("every")))
        return c;
    if (auto c = checkPeriod(r.first, QStringLiteral("first")))
        return c;
    if (r.firstSequence < 1 || r.firstSequence > MaxSequence)
        return fail(QStringLiteral("firstSequence"),
                    QStringLiteral("must be between 1 and %1 (is %2)")
                        .arg(MaxSequence)
                        .arg(r.firstSequence));
    if (r.lastSequence < 0)
        return fail(QStringLiteral("lastSequence"),
                    QStringLiteral("must not be negative (%1)").arg(r.lastSequence));
    if (r.lastSequence != 0 && r.lastSequence < r.firstSequence)
        return fail(QStringLiteral("lastSequence"), QStringLiteral("%1 is below firstSequence (%2)")
                                                        .arg(r.lastSequence)
                                                        .arg(r.firstSequence));
    if (auto c = checkPeriod(r.grace, QStringLiteral("grace")))
        return c;
    if (r.graceEndOfMonth && r.grace.isZero())
        return fail(QStringLiteral("graceEndOfMonth"), QStringLiteral("needs a \"grace\" period"));
    if (auto c = checkPeriod(r.window, QStringLiteral("window")))
        return c;
    if (r.windowWholeMonths && (r.window.totalMonths() == 0 || r.window.days != 0))
        return fail(QStringLiteral("windowWholeMonths"),
                    QStringLiteral("needs a \"window\" of whole months (no days)"));
    if (auto c = checkDateRef(r.from, QStringLiteral("from"), true))
        return c;
    if (auto c = checkDateRef(r.until, QStringLiteral("until"), true))
        return c;
    if (auto c = checkDateRef(r.defer, QStringLiteral("defer"), false))
        return c;
    for (const QString &s : r.supersedes) {
        if (!isRuleId(s))
            return fail(QStringLiteral("supersedes"),
                        QStringLiteral("\"%1\" is not a rule id").arg(s));
        if (s == r.id)
            return fail(QStringLiteral("supersedes"),
                        QStringLiteral("a rule cannot supersede itself"));
    }
    if (r.graceFromDue && r.grace.isZero())
        return fail(QStringLiteral("graceFromDue"), QStringLiteral("needs a \"grace\" period"));
    if (auto c = checkCondition(r.when, QStringLiteral("when")))
        return c;
    if (r.sequenceYear && (r.firstSequence != 1 || r.lastSequence != 0))
        return fail(QStringLiteral("sequenceYear"),
                    QStringLiteral("the year numbers the deadlines: leave out firstSequence and "
                                   "lastSequence"));
    if (!r.loss.isEmpty() && !lossValues().contains(r.loss))
        return fail(QStringLiteral("loss"),
                    QStringLiteral("\"%1\": use right, act or none").arg(r.loss));
    if (r.remedy.size() > MaxRemedy)
        return fail(QStringLiteral("remedy.label"),
                    QStringLiteral("at most %1 characters").arg(MaxRemedy));
    if (r.remedy.trimmed().isEmpty() && (!r.remedy.isEmpty() || !r.remedyWithin.isZero()))
        return fail(QStringLiteral("remedy.label"),
                    QStringLiteral("required: what can be done once the deadline is missed"));
    if (auto c = checkPeriod(r.remedyWithin, QStringLiteral("remedy.within")))
        return c;
    if (r.effectiveLoss() == QLatin1String("none") && !r.remedy.isEmpty())
        return fail(QStringLiteral("remedy"),
                    QStringLiteral("a deadline that loses nothing (loss \"none\") has no remedy"));
    return std::nullopt;
}

Check readInt(const QJsonValue &v, const QString &field, int *out)
{
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
        return fail(field, QStringLiteral("must be a whole number"));
    if (std::abs(v.toDouble()) > MaxJsonInt)
        return fail(field, QStringLiteral("is out of range"));
    *out = int(v.toDouble());
    return std::nullopt;
}

Check readBool(const QJsonValue &v, const QString &field, bool *out)
{
    if (!v.isBool())
        return fail(field, QStringLiteral("must be true or false"));
    *out = v.toBool();
    return std::nullopt;
}

Check readString(const QJsonValue &v, const QString &field, QString *out)
{
    if (!v.isString())
        return fail(field, QStringLiteral("must be a string"));
    *out = v.toString();
    return std::nullopt;
}

Check readStringList(const QJsonValue &v, const QString &field, QStringList *out)
{
    if (!v.isArray())
        return fail(field, QStringLiteral("must be a list of strings, e.g. [\"patent\"]"));
    out->clear();
    const QJsonArray items = v.toArray();
    for (const auto &item : items) {
        if (!item.isString())
            return fail(field, QStringLiteral("must be a list of strings, e.g. [\"patent\"]"));
        out->append(item.toString());
    }
    return std::nullopt;
}

/** Reads years/months/days from `o`; `extra` names the other keys the object may have. */
Check readPeriodKeys(const QJsonObject &o, const QString &field, DeadlinePeriod *p,
                     const QStringList &extra)
{
    bool any = false;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QString f = field + QLatin1Char('.') + key;
        Check c;
        if (key == QLatin1String("years"))
            c = readInt(it.value(), f, &p->years);
        else if (key == QLatin1String("months"))
            c = readInt(it.value(), f, &p->months);
        else if (key == QLatin1String("days"))
            c = readInt(it.value(), f, &p->days);
        else if (!extra.contains(key))
            return fail(f, QStringLiteral("unknown field; a period has years, months and days"));
        else
            continue;
        if (c)
            return c;
        any = true;
    }
    if (!any)
        return fail(field, QStringLiteral("needs years, months or days, e.g. {\"years\": 1}"));
    return std::nullopt;
}

Check readPeriod(const QJsonValue &v, const QString &field, DeadlinePeriod *p)
{
    if (!v.isObject())
        return fail(field, QStringLiteral("must be a period, e.g. {\"months\": 6}"));
    return readPeriodKeys(v.toObject(), field, p, {});
}

Check readDate(const QJsonValue &v, const QString &field, QDate *out)
{
    QString text;
    if (auto c = readString(v, field, &text))
        return c;
    static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    *out = iso.match(text).hasMatch() ? QDate::fromString(text, Qt::ISODate) : QDate();
    if (!out->isValid())
        return fail(field, QStringLiteral("\"%1\" is not a date; use YYYY-MM-DD").arg(text));
    return std::nullopt;
}

Check readDateRef(const QJsonValue &v, const QString &field, DeadlineDateRef *ref)
{
    if (!v.isObject())
        return fail(field, QStringLiteral("must be {\"anchor\": \"grant\", …} or {\"date\": "
                                          "\"YYYY-MM-DD\"}"));
    const QJsonObject o = v.toObject();
    if (!o.contains(QLatin1String("anchor")) && !o.contains(QLatin1String("date")))
        return fail(field, QStringLiteral("needs \"anchor\" or \"date\""));
    if (o.contains(QLatin1String("anchor"))) {
        if (auto c = readString(o.value(QLatin1String("anchor")), field + QStringLiteral(".anchor"),
                                &ref->anchor))
            return c;
        if (ref->anchor.isEmpty())
            return fail(field + QStringLiteral(".anchor"), QStringLiteral("must not be empty"));
    }
    if (o.contains(QLatin1String("date"))) {
        if (auto c = readDate(o.value(QLatin1String("date")), field + QStringLiteral(".date"),
                              &ref->date))
            return c;
    }
    bool hasOffset = false;
    for (const char *k : {"years", "months", "days"})
        hasOffset = hasOffset || o.contains(QLatin1String(k));
    if (hasOffset)
        return readPeriodKeys(o, field, &ref->offset, {"anchor", "date"});
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != QLatin1String("anchor") && it.key() != QLatin1String("date"))
            return fail(field + QLatin1Char('.') + it.key(), QStringLiteral("unknown field"));
    }
    return std::nullopt;
}

const QStringList &ruleFields()
{
    static const QStringList fields{"id",
                                    "label",
                                    "kind",
                                    "note",
                                    "types",
                                    "jurisdictions",
                                    "exceptJurisdictions",
                                    "anchor",
                                    "requires",
                                    "at",
                                    "first",
                                    "every",
                                    "firstSequence",
                                    "lastSequence",
                                    "endOfMonth",
                                    "grace",
                                    "graceEndOfMonth",
                                    "window",
                                    "windowWholeMonths",
                                    "from",
                                    "until",
                                    "defer",
                                    "supersedes",
                                    "graceFromDue",
                                    "when",
                                    "sequenceYear",
                                    "loss",
                                    "remedy"};
    return fields;
}

Check readCondition(const QJsonValue &v, const QString &field, DeadlineCondition *c)
{
    if (!v.isObject())
        return fail(field, QStringLiteral("must be {\"date\": \"registration\", \"before\": "
                                          "\"YYYY-MM-DD\"}"));
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString f = field + QLatin1Char('.') + it.key();
        Check problem;
        if (it.key() == QLatin1String("date"))
            problem = readString(it.value(), f, &c->date);
        else if (it.key() == QLatin1String("before"))
            problem = readDate(it.value(), f, &c->before);
        else if (it.key() == QLatin1String("onOrAfter"))
            problem = readDate(it.value(), f, &c->onOrAfter);
        else
            problem = fail(f, QStringLiteral("unknown field; a condition has date and before or "
                                             "onOrAfter"));
        if (problem)
            return problem;
    }
    if (c->date.isEmpty())
        return fail(field + QStringLiteral(".date"), QStringLiteral("required: the asset date to "
                                                                    "compare"));
    return std::nullopt;
}

Check readRemedy(const QJsonValue &v, const QString &field, DeadlineRule *r)
{
    if (!v.isObject())
        return fail(field, QStringLiteral("must be {\"label\": \"…\", \"within\": {\"years\": "
                                          "1}}"));
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString f = field + QLatin1Char('.') + it.key();
        Check problem;
        if (it.key() == QLatin1String("label"))
            problem = readString(it.value(), f, &r->remedy);
        else if (it.key() == QLatin1String("within"))
            problem = readPeriod(it.value(), f, &r->remedyWithin);
        else
            problem = fail(f, QStringLiteral("unknown field; a remedy has label and within"));
        if (problem)
            return problem;
    }
    if (r->remedy.trimmed().isEmpty())
        return fail(field + QStringLiteral(".label"),
                    QStringLiteral("required: what can be done once the deadline is missed"));
    return std::nullopt;
}

/** Parses and checks one rule object. */
Check parseRule(const QJsonObject &o, DeadlineRule *r)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!ruleFields().contains(it.key()))
            return fail(it.key(), QStringLiteral("unknown field; see model/DEADLINES.md for the "
                                                 "rule format"));
    }
    const auto has = [&](const char *k) { return o.contains(QLatin1String(k)); };
    const auto val = [&](const char *k) { return o.value(QLatin1String(k)); };
    const auto f = [](const char *k) { return QString::fromLatin1(k); };

    for (const auto &[key, out] : {std::pair{"id", &r->id}, std::pair{"label", &r->label},
                                   std::pair{"kind", &r->kind}, std::pair{"note", &r->note}}) {
        if (has(key)) {
            if (auto c = readString(val(key), f(key), out))
                return c;
        }
    }
    for (const auto &[key, out] :
         {std::pair{"types", &r->types}, std::pair{"jurisdictions", &r->jurisdictions},
          std::pair{"exceptJurisdictions", &r->exceptJurisdictions},
          std::pair{"requires", &r->requiredDates}, std::pair{"supersedes", &r->supersedes}}) {
        if (has(key)) {
            if (auto c = readStringList(val(key), f(key), out))
                return c;
        }
    }
    if (has("anchor")) {
        const QJsonValue a = val("anchor");
        if (a.isString()) {
            r->anchors = {a.toString()};
        } else if (auto c = readStringList(a, f("anchor"), &r->anchors)) {
            return fail(f("anchor"), QStringLiteral("must be a date name or a list of them, e.g. "
                                                    "[\"registration\", \"filing\"]"));
        }
    }
    if (has("at")) {
        if (!val("at").isArray() || val("at").toArray().isEmpty())
            return fail(f("at"), QStringLiteral("must be a non-empty list of periods, e.g. "
                                                "[{\"months\": 30}]"));
        const QJsonArray steps = val("at").toArray();
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const QString field = QStringLiteral("at[%1]").arg(i);
            if (!steps[i].isObject())
                return fail(field, QStringLiteral("must be a period, e.g. {\"years\": 3}"));
            const QJsonObject step = steps[i].toObject();
            DeadlineStep s;
            if (auto c = readPeriodKeys(step, field, &s.offset, {"label"}))
                return c;
            if (step.contains(QLatin1String("label"))) {
                if (auto c = readString(step.value(QLatin1String("label")),
                                        field + QStringLiteral(".label"), &s.label))
                    return c;
            }
            r->at.append(s);
        }
    }
    if (has("first") && !has("every"))
        return fail(f("first"), QStringLiteral("only with \"every\""));
    if (has("every")) {
        if (auto c = readPeriod(val("every"), f("every"), &r->every))
            return c;
        r->first = r->every;
        if (has("first")) {
            if (auto c = readPeriod(val("first"), f("first"), &r->first))
                return c;
        }
    }
    for (const auto &[key, out] : {std::pair{"firstSequence", &r->firstSequence},
                                   std::pair{"lastSequence", &r->lastSequence}}) {
        if (has(key)) {
            if (auto c = readInt(val(key), f(key), out))
                return c;
        }
    }
    for (const auto &[key, out] : {std::pair{"endOfMonth", &r->endOfMonth},
                                   std::pair{"graceEndOfMonth", &r->graceEndOfMonth},
                                   std::pair{"windowWholeMonths", &r->windowWholeMonths},
                                   std::pair{"graceFromDue", &r->graceFromDue},
                                   std::pair{"sequenceYear", &r->sequenceYear}}) {
        if (has(key)) {
            if (auto c = readBool(val(key), f(key), out))
                return c;
        }
    }
    for (const auto &[key, out] :
         {std::pair{"grace", &r->grace}, std::pair{"window", &r->window}}) {
        if (has(key)) {
            if (auto c = readPeriod(val(key), f(key), out))
                return c;
        }
    }
    for (const auto &[key, out] : {std::pair{"from", &r->from}, std::pair{"until", &r->until},
                                   std::pair{"defer", &r->defer}}) {
        if (has(key)) {
            if (auto c = readDateRef(val(key), f(key), out))
                return c;
        }
    }
    if (has("when")) {
        if (auto c = readCondition(val("when"), f("when"), &r->when))
            return c;
    }
    if (has("loss")) {
        if (auto c = readString(val("loss"), f("loss"), &r->loss))
            return c;
    }
    if (has("remedy")) {
        if (auto c = readRemedy(val("remedy"), f("remedy"), r))
            return c;
    }
    return checkRule(*r);
}

QString describeRule(const QString &id)
{
    return id.isEmpty() ? QStringLiteral("rule without an id")
                        : QStringLiteral("rule \"%1\"").arg(id);
}

QJsonObject periodToJson(const DeadlinePeriod &p)
{
    QJsonObject o;
    if (p.years)
        o.insert(QLatin1String("years"), p.years);
    if (p.months)
        o.insert(QLatin1String("months"), p.months);
    if (p.days || o.isEmpty())
        o.insert(QLatin1String("days"), p.days);
    return o;
}

QJsonObject dateRefToJson(const DeadlineDateRef &ref)
{
    if (ref.date.isValid())
        return {{QLatin1String("date"), ref.date.toString(Qt::ISODate)}};
    QJsonObject o;
    o.insert(QLatin1String("anchor"), ref.anchor);
    if (ref.offset.years)
        o.insert(QLatin1String("years"), ref.offset.years);
    if (ref.offset.months)
        o.insert(QLatin1String("months"), ref.offset.months);
    if (ref.offset.days)
        o.insert(QLatin1String("days"), ref.offset.days);
    return o;
}

QDate resolve(const DeadlineDateRef &ref, const DeadlineAsset &asset)
{
    if (ref.date.isValid())
        return ref.date;
    const QDate base = assetDate(asset, ref.anchor);
    if (!base.isValid())
        return {};
    return addPeriod(base, ref.offset.totalMonths(), ref.offset.days);
}

QString fillLabel(QString label, int sequence, const DeadlinePeriod &offset, const QString &anchor)
{
    label.replace(QLatin1String("{n}"), QString::number(sequence));
    label.replace(QLatin1String("{offset}"), describePeriod(offset));
    label.replace(QLatin1String("{anchor}"), anchor);
    return label;
}

/** True when the asset meets the rule's `when` condition (or the rule has none). */
bool meetsCondition(const DeadlineCondition &c, const DeadlineAsset &asset)
{
    if (!c.isSet())
        return true;
    const QDate date = assetDate(asset, c.date);
    if (!date.isValid())
        return false;
    return c.before.isValid() ? date < c.before : date >= c.onOrAfter;
}

/** True when the rule applies to the asset in this jurisdiction: type, jurisdiction, `when` and
 * `requires` — what `supersedes` acts on. */
bool matches(const DeadlineRule &r, const DeadlineAsset &asset, const QString &type,
             const QString &jurisdiction)
{
    if (!r.types.contains(type))
        return false;
    if (!r.jurisdictions.isEmpty() && !r.jurisdictions.contains(jurisdiction))
        return false;
    if (r.exceptJurisdictions.contains(jurisdiction))
        return false;
    if (!meetsCondition(r.when, asset))
        return false;
    for (const QString &d : r.requiredDates) {
        if (!assetDate(asset, d).isValid())
            return false;
    }
    return true;
}

QString deadlineKey(const QString &assetId, const QString &jurisdiction, const QString &ruleId,
                    int sequence)
{
    return jurisdiction.isEmpty()
               ? QStringLiteral("%1/%2/%3").arg(assetId, ruleId).arg(sequence)
               : QStringLiteral("%1/%2/%3/%4").arg(assetId, jurisdiction, ruleId).arg(sequence);
}

/** Appends the deadlines one rule yields for one asset in one jurisdiction within [lo, hi]. */
void expand(const DeadlineRule &rule, const DeadlineAsset &asset, const QString &jurisdiction,
            const QDate &lo, const QDate &hi, QList<Deadline> &out)
{
    QString anchorName;
    QDate anchor;
    for (const QString &a : rule.anchors) {
        anchor = assetDate(asset, a);
        if (anchor.isValid()) {
            anchorName = a;
            break;
        }
    }
    if (!anchor.isValid())
        return;
    // A start that has not happened yet means nothing is due; an end not yet known means no end.
    QDate from;
    if (rule.from.isSet()) {
        from = resolve(rule.from, asset);
        if (!from.isValid())
            return;
    }
    const QDate until = rule.until.isSet() ? resolve(rule.until, asset) : QDate();
    QDate deferTo;
    if (rule.defer.isSet()) {
        deferTo = resolve(rule.defer, asset);
        if (deferTo.isValid() && !rule.defer.offset.isZero())
            deferTo = deferTo.addDays(-1); // the last day of the period beginning on the anchor
    }
    const QDate horizon = anchor.addYears(HorizonYears);
    const bool repeating = rule.at.isEmpty();
    const int count = repeating ? MaxRepetitions : int(rule.at.size());
    const QString loss = rule.effectiveLoss();

    for (int k = 0; k < count; ++k) {
        int sequence = rule.firstSequence + k;
        if (rule.lastSequence != 0 && sequence > rule.lastSequence)
            break;
        // Every occurrence is counted from the anchor, never from the previous one, so month-end
        // clamping (31 Jan + 1 month = 28 Feb) never accumulates.
        DeadlinePeriod offset;
        QString labelTemplate = rule.label;
        if (repeating) {
            offset = {rule.first.years + k * rule.every.years,
                      rule.first.months + k * rule.every.months,
                      rule.first.days + k * rule.every.days};
        } else {
            offset = rule.at[k].offset;
            if (!rule.at[k].label.isEmpty())
                labelTemplate = rule.at[k].label;
        }
        const QDate raw = addPeriod(anchor, offset.totalMonths(), offset.days);
        if (!raw.isValid() || (repeating && raw > horizon))
            break;
        if (until.isValid() && raw > until) {
            if (repeating)
                break;
            continue;
        }
        if (from.isValid() && raw < from)
            continue;
        QDate due = rule.endOfMonth ? endOfMonth(raw) : raw;
        bool deferred = false;
        if (deferTo.isValid() && due < deferTo) {
            due = rule.endOfMonth ? endOfMonth(deferTo) : deferTo;
            deferred = true;
        }
        if ((asset.expiry.isValid() && due > asset.expiry) || (hi.isValid() && due > hi)) {
            if (repeating)
                break;
            continue;
        }
        // Grace and window count from the due date. Where the due date is the anniversary itself
        // they are added to the anchor in one step, so a US grace period ends exactly on the
        // fourth anniversary of grant even when 3.5 years landed on 28 February — unless the law
        // counts the grace from the due date itself (graceFromDue: "six months after expiry",
        // so a mark filed on 29 February has its grace end on 28 August, not 29 August).
        const bool fromDue = rule.endOfMonth || deferred;
        QDate graceEnd = due;
        if (!rule.grace.isZero()) {
            graceEnd = fromDue || rule.graceFromDue
                           ? addPeriod(due, rule.grace.totalMonths(), rule.grace.days)
                           : addPeriod(anchor, offset.totalMonths() + rule.grace.totalMonths(),
                                       offset.days + rule.grace.days);
            if (rule.graceEndOfMonth)
                graceEnd = endOfMonth(graceEnd);
        }
        if (lo.isValid() && graceEnd < lo)
            continue;
        QDate opens;
        if (!rule.window.isZero()) {
            if (rule.windowWholeMonths) {
                const QDate m = due.addMonths(-(rule.window.totalMonths() - 1));
                opens = QDate(m.year(), m.month(), 1);
            } else if (fromDue) {
                opens = addPeriod(due, -rule.window.totalMonths(), -rule.window.days);
            } else {
                opens = addPeriod(anchor, offset.totalMonths() - rule.window.totalMonths(),
                                  offset.days - rule.window.days);
            }
        }
        if (rule.sequenceYear)
            sequence = due.year();
        Deadline d;
        d.key = deadlineKey(asset.id, jurisdiction, rule.id, sequence);
        d.assetId = asset.id;
        d.reference = asset.reference;
        d.title = asset.title;
        d.ruleId = rule.id;
        d.jurisdiction = jurisdiction;
        d.kind = rule.kind;
        d.label = fillLabel(labelTemplate, sequence, offset, anchorName);
        d.sequence = sequence;
        d.due = due;
        d.graceEnd = graceEnd;
        d.windowOpens = opens;
        d.loss = loss;
        d.remedy = rule.remedy;
        if (!rule.remedyWithin.isZero())
            d.remedyEnds =
                addPeriod(graceEnd, rule.remedyWithin.totalMonths(), rule.remedyWithin.days);
        out.append(std::move(d));
    }
}

// ---- iCalendar -----------------------------------------------------------------------------

/** RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped; other controls dropped. */
QString escapeText(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') || c == QLatin1Char(';') || c == QLatin1Char(',')) {
            out += QLatin1Char('\\');
            out += c;
        } else if (c == QLatin1Char('\r')) {
            out += QLatin1String("\\n");
            if (i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('\n')) {
            out += QLatin1String("\\n");
        } else if (c.unicode() < 0x20 && c != QLatin1Char('\t')) {
            out += QLatin1Char(' ');
        } else {
            out += c;
        }
    }
    return out;
}

/** Appends one content line, folded at 75 octets without splitting a UTF-8 sequence. */
void appendLine(QByteArray &out, const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    qsizetype pos = 0;
    qsizetype limit = FoldOctets;
    while (bytes.size() - pos > limit) {
        qsizetype cut = pos + limit;
        while (cut > pos && (uchar(bytes[cut]) & 0xC0) == 0x80)
            --cut;
        out += bytes.mid(pos, cut - pos);
        out += "\r\n ";
        pos = cut;
        limit = FoldOctets - 1; // the leading space counts
    }
    out += bytes.mid(pos);
    out += "\r\n";
}

QString icalDate(const QDate &d)
{
    return d.toString(QStringLiteral("yyyyMMdd"));
}

} // namespace

QString DeadlineRule::effectiveLoss() const
{
    if (!loss.isEmpty())
        return loss;
    static const QStringList rights{"renewal", "annuity", "maintenance-fee", "declaration-of-use"};
    if (rights.contains(kind))
        return QStringLiteral("right");
    if (kind == QLatin1String("national-phase"))
        return QStringLiteral("act");
    return QStringLiteral("none");
}

DeadlineState deadlineState(const Deadline &d, const QDate &today, bool done)
{
    if (done)
        return DeadlineState::Done;
    if (!d.due.isValid() || !today.isValid())
        return DeadlineState::Upcoming;
    const QDate graceEnd = d.graceEnd.isValid() && d.graceEnd > d.due ? d.graceEnd : d.due;
    if (today > graceEnd)
        return d.loss == QLatin1String("right") || d.loss == QLatin1String("act")
                   ? DeadlineState::Lost
                   : DeadlineState::Overdue;
    if (today > d.due)
        return DeadlineState::InGrace;
    if (today.daysTo(d.due) <= DueSoonDays)
        return DeadlineState::Due;
    return DeadlineState::Upcoming;
}

QString deadlineStateName(DeadlineState s)
{
    switch (s) {
    case DeadlineState::Upcoming:
        return QStringLiteral("upcoming");
    case DeadlineState::Due:
        return QStringLiteral("due");
    case DeadlineState::InGrace:
        return QStringLiteral("in grace");
    case DeadlineState::Overdue:
        return QStringLiteral("overdue");
    case DeadlineState::Lost:
        return QStringLiteral("rights lost");
    case DeadlineState::Blocked:
        return QStringLiteral("blocked");
    case DeadlineState::Done:
        return QStringLiteral("done");
    case DeadlineState::Lapsed:
        return QStringLiteral("lapsed");
    }
    return {};
}

bool isOverdue(DeadlineState s)
{
    return s == DeadlineState::InGrace || s == DeadlineState::Overdue || s == DeadlineState::Lost;
}

bool isSettled(DeadlineState s)
{
    return s == DeadlineState::Done || s == DeadlineState::Lapsed;
}

DeadlineRules DeadlineRules::builtIn()
{
    QFile file(QString::fromLatin1(ResourcePath));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("%s: cannot open the shipped deadline rules (%s); the resource is not linked in",
               ResourcePath, qPrintable(file.errorString()));
    auto rules = fromJson(file.readAll(), QString::fromLatin1(ResourcePath));
    if (!rules)
        qFatal("%s", qPrintable(rules.errorString()));
    return std::move(rules).value();
}

Result<DeadlineRules> DeadlineRules::fromJson(const QByteArray &json, const QString &source)
{
    using R = Result<DeadlineRules>;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        const int line = int(json.left(error.offset).count('\n')) + 1;
        return R::failure("bad-json", QStringLiteral("%1: line %2: not valid JSON: %3")
                                          .arg(source)
                                          .arg(line)
                                          .arg(error.errorString()));
    }
    if (!doc.isObject())
        return R::failure("bad-json", QStringLiteral("%1: expected an object {\"version\": 1, "
                                                     "\"rules\": [...]}")
                                          .arg(source));
    const QJsonObject top = doc.object();
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1String("version") && it.key() != QLatin1String("rules") &&
            it.key() != QLatin1String("note"))
            return R::failure("bad-json", QStringLiteral("%1: unknown field \"%2\"; a rules file "
                                                         "has version, rules and note")
                                              .arg(source, it.key()));
    }
    const QJsonValue version = top.value(QLatin1String("version"));
    if (!version.isDouble() || version.toDouble() != 1)
        return R::failure("bad-version",
                          QStringLiteral("%1: field \"version\" must be 1 (this version of "
                                         "Cartulary reads version 1 rule files)")
                              .arg(source));
    if (!top.value(QLatin1String("rules")).isArray())
        return R::failure(
            "bad-json", QStringLiteral("%1: field \"rules\" must be a list of rules").arg(source));
    const QJsonArray list = top.value(QLatin1String("rules")).toArray();
    DeadlineRules rules;
    QHash<QString, int> seen;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const int number = int(i) + 1;
        if (!list[i].isObject())
            return R::failure("bad-rule", QStringLiteral("%1: rule %2: must be an object {\"id\": "
                                                         "…}")
                                              .arg(source)
                                              .arg(number));
        const QJsonObject o = list[i].toObject();
        const QString id = o.value(QLatin1String("id")).toString();
        const QString where =
            id.isEmpty() ? QStringLiteral("%1: rule %2 (no id)").arg(source).arg(number)
                         : QStringLiteral("%1: rule %2 (\"%3\")").arg(source).arg(number).arg(id);
        DeadlineRule rule;
        if (const auto problem = parseRule(o, &rule))
            return R::failure(
                "bad-rule",
                QStringLiteral("%1, field \"%2\": %3").arg(where, problem->field, problem->reason));
        if (seen.contains(rule.id))
            return R::failure("duplicate-rule",
                              QStringLiteral("%1, field \"id\": already used by rule %2")
                                  .arg(where)
                                  .arg(seen.value(rule.id)));
        seen.insert(rule.id, number);
        rules.m_rules.append(std::move(rule));
    }
    return rules;
}

Result<DeadlineRule> DeadlineRules::ruleFromJson(const QJsonObject &o)
{
    DeadlineRule rule;
    if (const auto problem = parseRule(o, &rule))
        return Result<DeadlineRule>::failure(
            "bad-rule", QStringLiteral("%1, field \"%2\": %3")
                            .arg(describeRule(o.value(QLatin1String("id")).toString()),
                                 problem->field, problem->reason));
    return rule;
}

QJsonObject DeadlineRules::ruleToJson(const DeadlineRule &r)
{
    const auto list = [](const QStringList &l) { return QJsonArray::fromStringList(l); };
    QJsonObject o;
    o.insert(QLatin1String("id"), r.id);
    o.insert(QLatin1String("label"), r.label);
    o.insert(QLatin1String("kind"), r.kind);
    if (!r.note.isEmpty())
        o.insert(QLatin1String("note"), r.note);
    o.insert(QLatin1String("types"), list(r.types));
    if (!r.jurisdictions.isEmpty())
        o.insert(QLatin1String("jurisdictions"), list(r.jurisdictions));
    if (!r.exceptJurisdictions.isEmpty())
        o.insert(QLatin1String("exceptJurisdictions"), list(r.exceptJurisdictions));
    if (r.anchors.size() == 1)
        o.insert(QLatin1String("anchor"), r.anchors.first());
    else
        o.insert(QLatin1String("anchor"), list(r.anchors));
    if (!r.requiredDates.isEmpty())
        o.insert(QLatin1String("requires"), list(r.requiredDates));
    if (!r.at.isEmpty()) {
        QJsonArray steps;
        for (const DeadlineStep &s : r.at) {
            QJsonObject step = periodToJson(s.offset);
            if (!s.label.isEmpty())
                step.insert(QLatin1String("label"), s.label);
            steps.append(step);
        }
        o.insert(QLatin1String("at"), steps);
    }
    if (!r.every.isZero() || !r.first.isZero()) {
        o.insert(QLatin1String("every"), periodToJson(r.every));
        if (r.first != r.every)
            o.insert(QLatin1String("first"), periodToJson(r.first));
    }
    if (r.firstSequence != 1)
        o.insert(QLatin1String("firstSequence"), r.firstSequence);
    if (r.lastSequence != 0)
        o.insert(QLatin1String("lastSequence"), r.lastSequence);
    if (r.endOfMonth)
        o.insert(QLatin1String("endOfMonth"), true);
    if (!r.grace.isZero())
        o.insert(QLatin1String("grace"), periodToJson(r.grace));
    if (r.graceEndOfMonth)
        o.insert(QLatin1String("graceEndOfMonth"), true);
    if (!r.window.isZero())
        o.insert(QLatin1String("window"), periodToJson(r.window));
    if (r.windowWholeMonths)
        o.insert(QLatin1String("windowWholeMonths"), true);
    if (r.from.isSet())
        o.insert(QLatin1String("from"), dateRefToJson(r.from));
    if (r.until.isSet())
        o.insert(QLatin1String("until"), dateRefToJson(r.until));
    if (r.defer.isSet())
        o.insert(QLatin1String("defer"), dateRefToJson(r.defer));
    if (!r.supersedes.isEmpty())
        o.insert(QLatin1String("supersedes"), list(r.supersedes));
    if (r.graceFromDue)
        o.insert(QLatin1String("graceFromDue"), true);
    if (r.when.isSet()) {
        QJsonObject when{{QLatin1String("date"), r.when.date}};
        if (r.when.before.isValid())
            when.insert(QLatin1String("before"), r.when.before.toString(Qt::ISODate));
        if (r.when.onOrAfter.isValid())
            when.insert(QLatin1String("onOrAfter"), r.when.onOrAfter.toString(Qt::ISODate));
        o.insert(QLatin1String("when"), when);
    }
    if (r.sequenceYear)
        o.insert(QLatin1String("sequenceYear"), true);
    if (!r.loss.isEmpty())
        o.insert(QLatin1String("loss"), r.loss);
    if (!r.remedy.isEmpty()) {
        QJsonObject remedy{{QLatin1String("label"), r.remedy}};
        if (!r.remedyWithin.isZero())
            remedy.insert(QLatin1String("within"), periodToJson(r.remedyWithin));
        o.insert(QLatin1String("remedy"), remedy);
    }
    return o;
}

Status DeadlineRules::add(const DeadlineRule &rule)
{
    if (const auto problem = checkRule(rule))
        return Status::failure("bad-rule",
                               QStringLiteral("%1, field \"%2\": %3")
                                   .arg(describeRule(rule.id), problem->field, problem->reason));
    for (const DeadlineRule &r : m_rules) {
        if (r.id == rule.id)
            return Status::failure("duplicate-rule",
                                   QStringLiteral("rule \"%1\", field \"id\": a rule with this id "
                                                  "already exists; choose another id, or list "
                                                  "\"%1\" under \"supersedes\" to replace it")
                                       .arg(rule.id));
    }
    m_rules.append(rule);
    return {};
}

const QList<DeadlineRule> &DeadlineRules::rules() const
{
    return m_rules;
}

QList<Deadline> DeadlineRules::compute(const DeadlineAsset &asset, const QDate &from,
                                       const QDate &to) const
{
    QList<Deadline> out;
    if (statusEndsDeadlines(asset.status))
        return out;
    const QString type = asset.type.trimmed().toLower();
    QStringList jurisdictions;
    for (const QString &j : asset.jurisdictions) {
        const QString code = j.trimmed().toUpper();
        if (!jurisdictions.contains(code))
            jurisdictions.append(code);
    }
    if (jurisdictions.isEmpty())
        jurisdictions.append(QString());
    for (const QString &jurisdiction : std::as_const(jurisdictions)) {
        QList<const DeadlineRule *> applicable;
        QSet<QString> superseded;
        for (const DeadlineRule &r : m_rules) {
            if (!matches(r, asset, type, jurisdiction))
                continue;
            applicable.append(&r);
            for (const QString &s : r.supersedes)
                superseded.insert(s);
        }
        for (const DeadlineRule *r : applicable) {
            if (!superseded.contains(r->id))
                expand(*r, asset, jurisdiction, from, to, out);
        }
    }
    std::sort(out.begin(), out.end(), [](const Deadline &a, const Deadline &b) {
        return a.due != b.due ? a.due < b.due : a.key < b.key;
    });
    return out;
}

const DeadlineRule *DeadlineRules::rule(const QString &id) const
{
    for (const DeadlineRule &r : m_rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QByteArray toICalendar(const QList<Deadline> &deadlines, const QDateTime &stamp)
{
    const QDateTime utc = (stamp.isValid() ? stamp : QDateTime::currentDateTimeUtc()).toUTC();
    const QString dtstamp = utc.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QByteArray out;
    appendLine(out, QStringLiteral("BEGIN:VCALENDAR"));
    appendLine(out, QStringLiteral("VERSION:2.0"));
    appendLine(out, QStringLiteral("PRODID:-//Cartulary//Deadlines//EN"));
    appendLine(out, QStringLiteral("CALSCALE:GREGORIAN"));
    appendLine(out, QStringLiteral("METHOD:PUBLISH"));
    const auto alarm = [&out](const QString &summary, int daysBefore) {
        appendLine(out, QStringLiteral("BEGIN:VALARM"));
        appendLine(out, QStringLiteral("ACTION:DISPLAY"));
        appendLine(out, QStringLiteral("DESCRIPTION:") + escapeText(summary));
        appendLine(out, daysBefore > 0 ? QStringLiteral("TRIGGER:-P%1D").arg(daysBefore)
                                       : QStringLiteral("TRIGGER:PT0S"));
        appendLine(out, QStringLiteral("END:VALARM"));
    };
    const auto event = [&](const QString &uid, int sequence, const QDate &day,
                           const QString &summary, const QStringList &description,
                           const QStringList &categories, const QList<int> &alarms) {
        appendLine(out, QStringLiteral("BEGIN:VEVENT"));
        appendLine(out, QStringLiteral("UID:") + escapeText(uid + QStringLiteral("@cartulary")));
        appendLine(out, QStringLiteral("SEQUENCE:%1").arg(sequence));
        appendLine(out, QStringLiteral("DTSTAMP:") + dtstamp);
        appendLine(out, QStringLiteral("DTSTART;VALUE=DATE:") + icalDate(day));
        appendLine(out, QStringLiteral("DTEND;VALUE=DATE:") + icalDate(day.addDays(1)));
        appendLine(out, QStringLiteral("SUMMARY:") + escapeText(summary));
        appendLine(out, QStringLiteral("DESCRIPTION:") +
                            escapeText(description.join(QLatin1Char('\n'))));
        QStringList escaped;
        for (const QString &c : categories)
            escaped << escapeText(c);
        if (!escaped.isEmpty())
            appendLine(out, QStringLiteral("CATEGORIES:") + escaped.join(QLatin1Char(',')));
        appendLine(out, QStringLiteral("TRANSP:TRANSPARENT"));
        for (int days : alarms)
            alarm(summary, days);
        appendLine(out, QStringLiteral("END:VEVENT"));
    };
    for (const Deadline &d : deadlines) {
        const QString what =
            d.reference.isEmpty() ? d.label : QStringLiteral("%1: %2").arg(d.reference, d.label);
        const bool grace = d.graceEnd.isValid() && d.graceEnd > d.due;
        // A lost right says so first: it is the one thing the reader must not miss.
        QString marker;
        if (d.rightsLost)
            marker = QStringLiteral("RIGHTS LOST – ");
        else if (!d.blockedBy.isEmpty())
            marker = QStringLiteral("Blocked – ");
        QStringList description;
        if (!d.title.isEmpty())
            description << d.title;
        if (!d.jurisdiction.isEmpty())
            description << QStringLiteral("Jurisdiction: %1").arg(d.jurisdiction);
        description << QStringLiteral("Due: %1").arg(d.due.toString(Qt::ISODate));
        if (grace)
            description << QStringLiteral("Grace period (with surcharge) ends: %1")
                               .arg(d.graceEnd.toString(Qt::ISODate));
        else
            description << QStringLiteral("No grace period");
        if (d.windowOpens.isValid())
            description
                << QStringLiteral("Payable from: %1").arg(d.windowOpens.toString(Qt::ISODate));
        if (d.rightsLost) {
            description << QStringLiteral("The deadline passed unsettled: the rights are lost "
                                          "unless a remedy succeeds.");
            if (!d.remedy.isEmpty())
                description << QStringLiteral("Remedy: %1").arg(d.remedy);
            if (d.remedyEnds.isValid())
                description << QStringLiteral("Remedy at the latest by: %1")
                                   .arg(d.remedyEnds.toString(Qt::ISODate));
        }
        if (!d.blockedBy.isEmpty())
            description << QStringLiteral("Depends on %1, whose rights are lost (%2)")
                               .arg(d.blockedByLabel, d.blockedBy);
        QStringList categories;
        if (!d.kind.isEmpty())
            categories << d.kind;
        if (d.rightsLost)
            categories << QStringLiteral("rights lost");
        else if (!d.blockedBy.isEmpty())
            categories << QStringLiteral("blocked");
        event(d.key, d.revision, d.due, marker + what, description, categories, {AlarmDays});
        if (grace) {
            QStringList last = description;
            last.prepend(QStringLiteral("Last day: the grace period ends today; after it the "
                                        "deadline can no longer be met."));
            event(d.key + QStringLiteral("/grace-end"), d.graceRevision, d.graceEnd,
                  marker + QStringLiteral("Grace ends (last day): ") + what, last,
                  categories + QStringList{QStringLiteral("grace end")}, {AlarmDays, 0});
        }
    }
    appendLine(out, QStringLiteral("END:VCALENDAR"));
    return out;
}

} // namespace cartulary::model
