// SPDX-License-Identifier: GPL-3.0-or-later
// Asset validation and JSON: messages name the field, because users fix CSV files by column.
#include "model/portfolio/asset.h"

#include "model/core/jsonfields.h"
#include "model/portfolio/valuechain.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QtEndian>
#include <QUuid>
#include <QVarLengthArray>

#include <algorithm>
#include <atomic>

namespace cartulary::model {

namespace {

constexpr int MaxReference = 64;
constexpr int MaxTitle = 500;
constexpr int MaxText = 10000;

Status fieldError(const QString &field, const QString &why)
{
    return Status::failure("invalid-field", QStringLiteral("%1: %2").arg(field, why));
}

bool hasControl(const QString &s, bool allowNewlines = false)
{
    for (QChar c : s)
        if (c.unicode() < 0x20 && !(allowNewlines && (c == u'\n' || c == u'\t')))
            return true;
    return false;
}

QString number(int n)
{
    return QLocale(QLocale::English).toString(n);
}

const QSet<QString> &isoCountries()
{
    // ISO 3166-1 alpha-2 officially assigned codes.
    static const QSet<QString> set = [] {
        const QString all = QStringLiteral(
            "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
            "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
            "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL "
            "GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM "
            "JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
            "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
            "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD "
            "SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
            "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW");
        const QStringList codes = all.split(u' ');
        return QSet<QString>(codes.begin(), codes.end());
    }();
    return set;
}

/** The values a field listed so far: scanned while they are few (as in almost every asset),
 * hashed beyond that. */
class Seen
{
public:
    /** False when value was inserted before. */
    bool insert(const QString &value)
    {
        if (m_many.isEmpty() && m_few.size() < 16) {
            if (m_few.contains(value))
                return false;
            m_few.append(value);
            return true;
        }
        if (m_many.isEmpty())
            m_many = QSet<QString>(m_few.begin(), m_few.end());
        if (m_many.contains(value))
            return false;
        m_many.insert(value);
        return true;
    }

private:
    QVarLengthArray<QString, 16> m_few;
    QSet<QString> m_many;
};

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace

const QStringList &statuses()
{
    static const QStringList list{"draft",      "filed",    "pending",   "published", "granted",
                                  "registered", "in-force", "opposed",   "active",    "lapsed",
                                  "abandoned",  "expired",  "withdrawn", "refused",   "revoked"};
    return list;
}

bool isInactiveStatus(const QString &status)
{
    static const QStringList inactive{"lapsed",    "abandoned", "expired",
                                      "withdrawn", "refused",   "revoked"};
    return inactive.contains(status);
}

bool isJurisdiction(const QString &code)
{
    static const QSet<QString> regional{"EP", "WO", "EM", "EA", "AP", "OA", "BX", "GC"};
    return regional.contains(code) || isoCountries().contains(code);
}

Result<QList<Owner>> parseOwners(const QString &text)
{
    using R = Result<QList<Owner>>;
    QList<Owner> owners;
    for (const QString &part : text.split(u';', Qt::SkipEmptyParts)) {
        const qsizetype colon = part.lastIndexOf(u':');
        bool ok = false;
        const int bp = colon > 0 ? part.mid(colon + 1).trimmed().toInt(&ok) : 0;
        if (colon <= 0 || !ok)
            return R::failure("invalid-field",
                              QStringLiteral("owners: '%1' is not Name:basis-points (for example "
                                             "'Meridian Biotech GmbH:10000')")
                                  .arg(part.trimmed()));
        owners.append({part.left(colon).trimmed(), bp});
    }
    return owners;
}

QString formatOwners(const QList<Owner> &owners)
{
    QString out;
    for (const Owner &o : owners) {
        if (!out.isEmpty())
            out += u';';
        out += o.name + u':' + QString::number(o.basisPoints);
    }
    return out;
}

Result<QList<Identifier>> parseIdentifiers(const QString &text)
{
    using R = Result<QList<Identifier>>;
    QList<Identifier> ids;
    for (const QString &part : text.split(u';', Qt::SkipEmptyParts)) {
        const qsizetype colon = part.indexOf(u':');
        if (colon <= 0 || part.mid(colon + 1).trimmed().isEmpty())
            return R::failure("invalid-field",
                              QStringLiteral("identifiers: '%1' is not SCHEME:value (for example "
                                             "'DOI:10.1000/182')")
                                  .arg(part.trimmed()));
        ids.append({part.left(colon).trimmed(), part.mid(colon + 1).trimmed()});
    }
    return ids;
}

QString formatIdentifiers(const QList<Identifier> &identifiers)
{
    QStringList parts;
    for (const Identifier &i : identifiers)
        parts.append(i.scheme + u':' + i.value);
    return parts.join(u';');
}

QString newAssetId()
{
    // UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then a 12-bit counter that
    // keeps ids of this process increasing within a millisecond (running ahead of the clock rather
    // than repeating), then 62 random bits. Ids registered later sort later, so the id index and
    // the tables keyed by asset id grow at their end instead of taking writes all over a large
    // portfolio. Nothing reads meaning into an id; the time in it is also in the signed entry.
    static std::atomic<quint64> last{0}; // (milliseconds << 12) | counter of the last id
    const quint64 now = quint64(QDateTime::currentMSecsSinceEpoch()) << 12;
    quint64 before = last.load(std::memory_order_relaxed);
    quint64 stamp = 0;
    do {
        stamp = std::max(now, before + 1);
    } while (!last.compare_exchange_weak(before, stamp, std::memory_order_relaxed));
    const quint64 random = QRandomGenerator::system()->generate64();
    const quint64 high = (stamp >> 12) << 16 | 0x7000 | (stamp & 0xfff);
    const quint64 low = (random & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    uchar bytes[16];
    qToBigEndian(high, bytes);
    qToBigEndian(low, bytes + 8);
    return QUuid::fromRfc4122(QByteArrayView(bytes, 16)).toString(QUuid::WithoutBraces);
}

QString describeProblems(const QList<FieldProblem> &problems)
{
    QStringList parts;
    for (const FieldProblem &p : problems)
        parts.append(QStringLiteral("%1: %2").arg(p.field, p.why));
    return parts.join(QStringLiteral("; "));
}

QList<FieldProblem> assetProblems(const Asset &a)
{
    QList<FieldProblem> out;
    // One message per field: the first thing wrong with it.
    const auto add = [&out](const QString &field, const QString &why) {
        for (const FieldProblem &p : std::as_const(out))
            if (p.field == field)
                return;
        out.append({field, why});
    };
    if (QUuid::fromString(a.id).isNull())
        add("id", QStringLiteral("'%1' is not an asset id (a UUID)").arg(a.id));
    // Views, not trimmed copies: this runs three times for every imported row.
    const QStringView ref = QStringView(a.reference).trimmed();
    if (ref.isEmpty())
        add("reference", "is required (the docket number)");
    else if (ref.size() != a.reference.size() || ref.size() > MaxReference ||
             hasControl(a.reference) || ref.contains(u';'))
        add("reference", QStringLiteral("'%1' must be 1 to %2 characters, without ';', control "
                                        "characters or surrounding spaces")
                             .arg(a.reference)
                             .arg(MaxReference));
    if (QStringView(a.title).trimmed().isEmpty())
        add("title", "is required");
    else if (a.title.size() > MaxTitle || hasControl(a.title))
        add("title", QStringLiteral("must be at most %1 characters on one line").arg(MaxTitle));
    if (!assetType(a.type)) {
        QStringList ids;
        for (const AssetType &t : assetTypes())
            ids.append(t.id);
        add("type", QStringLiteral("unknown type '%1'; use one of: %2")
                        .arg(a.type, ids.join(QStringLiteral(", "))));
    }
    Seen seen;
    for (const QString &j : a.jurisdictions) {
        const bool first = seen.insert(j);
        if (!isJurisdiction(j))
            add("jurisdiction",
                QStringLiteral("'%1' is not an ISO 3166 alpha-2 code or EP, WO, EM").arg(j));
        else if (!first)
            add("jurisdiction", QStringLiteral("'%1' is listed twice").arg(j));
    }
    if (!a.status.isEmpty() && !statuses().contains(a.status))
        add("status", QStringLiteral("unknown status '%1'; use one of: %2")
                          .arg(a.status, statuses().join(QStringLiteral(", "))));
    // Dates in the order the law gives them. The message names the other date in words, so that
    // it reads the same beside a form field as in a CSV report.
    struct Named
    {
        const char *field;
        const char *words;
        QDate date;
    };
    const Named priority{"priority_date", "the priority date", a.priority},
        filing{"filing_date", "the filing date", a.filing},
        grant{"grant_date", "the grant date", a.grant},
        registration{"registration_date", "the registration date", a.registration},
        expiry{"expiry_date", "the expiry date", a.expiry};
    const std::pair<Named, Named> order[]{
        {priority, filing}, {filing, grant},        {filing, registration}, {filing, expiry},
        {grant, expiry},    {registration, expiry}, {priority, expiry}};
    for (const auto &[earlier, later] : order)
        if (earlier.date.isValid() && later.date.isValid() && later.date < earlier.date)
            add(QLatin1String(later.field),
                QStringLiteral("%1 is before %2 (%3)")
                    .arg(isoDate(later.date), QLatin1String(earlier.words), isoDate(earlier.date)));
    if (a.owners.isEmpty())
        add("owners", "at least one owner is required");
    int total = 0;
    Seen names;
    for (const Owner &o : a.owners) {
        const bool first = names.insert(o.name);
        if (QStringView(o.name).trimmed().isEmpty() || hasControl(o.name))
            add("owners", "an owner has no name");
        else if (!first)
            add("owners", QStringLiteral("'%1' is listed twice").arg(o.name));
        if (o.basisPoints <= 0 || o.basisPoints > WholeShare)
            add("owners", QStringLiteral("%1 has %2 basis points; each share must be 1 to 10,000")
                              .arg(o.name)
                              .arg(o.basisPoints));
        total += o.basisPoints;
    }
    if (!a.owners.isEmpty() && total != WholeShare)
        add("owners", QStringLiteral("shares sum to %1 basis points; they must sum to exactly "
                                     "10,000 (100%)")
                          .arg(number(total)));
    for (const QString &c : a.creators)
        if (QStringView(c).trimmed().isEmpty() || hasControl(c))
            add("creators", "a creator has no name");
    for (const Identifier &i : a.identifiers)
        if (i.scheme.isEmpty() || i.value.isEmpty() || hasControl(i.scheme) || hasControl(i.value))
            add("identifiers",
                QStringLiteral("'%1:%2' is not SCHEME:value").arg(i.scheme, i.value));
    if (!a.family.isEmpty() && (a.family.size() > MaxReference || hasControl(a.family)))
        add("family", "must be the reference of the family's first filing");
    for (const QString &t : a.tags)
        if (QStringView(t).trimmed().isEmpty() || hasControl(t) || t.contains(u';'))
            add("tags", QStringLiteral("'%1' is not a tag").arg(t));
    if (a.notes.size() > MaxText || hasControl(a.notes, true))
        add("notes", QStringLiteral("must be at most %1 characters").arg(MaxText));
    return out;
}

Status validateAsset(const Asset &a)
{
    return validateAsset(a, {});
}

QList<FieldProblem> assetProblems(const Asset &a, const QList<FieldProblem> &readProblems)
{
    QList<FieldProblem> all = readProblems;
    for (const FieldProblem &p : assetProblems(a)) {
        const bool known = std::any_of(all.begin(), all.end(),
                                       [&p](const FieldProblem &q) { return q.field == p.field; });
        if (!known)
            all.append(p);
    }
    return all;
}

Status validateAsset(const Asset &a, const QList<FieldProblem> &readProblems)
{
    const QList<FieldProblem> all = assetProblems(a, readProblems);
    if (all.isEmpty())
        return {};
    return Status::failure("invalid-field", describeProblems(all));
}

FieldProblem fieldProblem(const Error &e)
{
    return {e.message.section(QStringLiteral(": "), 0, 0),
            e.message.section(QStringLiteral(": "), 1, -1)};
}

QJsonObject Asset::toJson() const
{
    QJsonObject o{{"id", id}, {"reference", reference}, {"title", title}, {"type", type}};
    auto put = [&o](const char *key, const QJsonValue &v, bool present) {
        if (present)
            o.insert(QLatin1String(key), v);
    };
    put("jurisdictions", toArray(jurisdictions), !jurisdictions.isEmpty());
    put("status", status, !status.isEmpty());
    put("filing_date", isoDate(filing), filing.isValid());
    put("priority_date", isoDate(priority), priority.isValid());
    put("grant_date", isoDate(grant), grant.isValid());
    put("registration_date", isoDate(registration), registration.isValid());
    put("expiry_date", isoDate(expiry), expiry.isValid());
    put("family", family, !family.isEmpty());
    QJsonArray ownerArray;
    for (const Owner &ow : owners)
        ownerArray.append(QJsonObject{{"name", ow.name}, {"basis_points", ow.basisPoints}});
    o.insert("owners", ownerArray);
    put("creators", toArray(creators), !creators.isEmpty());
    QJsonArray idArray;
    for (const Identifier &i : identifiers)
        idArray.append(QJsonObject{{"scheme", i.scheme}, {"value", i.value}});
    put("identifiers", idArray, !identifiers.isEmpty());
    put("tags", toArray(tags), !tags.isEmpty());
    put("notes", notes, !notes.isEmpty());
    return o;
}

QByteArray Asset::canonicalJson() const
{
    // Keys in QJsonObject's order (sorted by UTF-16), present exactly when toJson() has them.
    QByteArray out;
    out.reserve(512 + notes.size() + title.size());
    bool first = true;
    const auto key = [&out, &first](const char *name) {
        out += first ? "{\"" : ",\"";
        out += name;
        out += "\":";
        first = false;
    };
    const auto text = [&](const char *name, const QString &value, bool present) {
        if (present) {
            key(name);
            appendJsonString(out, value);
        }
    };
    if (!creators.isEmpty()) {
        key("creators");
        appendJsonStrings(out, creators);
    }
    text("expiry_date", isoDate(expiry), expiry.isValid());
    text("family", family, !family.isEmpty());
    text("filing_date", isoDate(filing), filing.isValid());
    text("grant_date", isoDate(grant), grant.isValid());
    text("id", id, true);
    if (!identifiers.isEmpty()) {
        key("identifiers");
        out += '[';
        for (qsizetype i = 0; i < identifiers.size(); ++i) {
            out += i > 0 ? ",{\"scheme\":" : "{\"scheme\":";
            appendJsonString(out, identifiers[i].scheme);
            out += ",\"value\":";
            appendJsonString(out, identifiers[i].value);
            out += '}';
        }
        out += ']';
    }
    if (!jurisdictions.isEmpty()) {
        key("jurisdictions");
        appendJsonStrings(out, jurisdictions);
    }
    text("notes", notes, !notes.isEmpty());
    key("owners");
    out += '[';
    for (qsizetype i = 0; i < owners.size(); ++i) {
        out += i > 0 ? ",{\"basis_points\":" : "{\"basis_points\":";
        out += QByteArray::number(owners[i].basisPoints);
        out += ",\"name\":";
        appendJsonString(out, owners[i].name);
        out += '}';
    }
    out += ']';
    text("priority_date", isoDate(priority), priority.isValid());
    text("reference", reference, true);
    text("registration_date", isoDate(registration), registration.isValid());
    text("status", status, !status.isEmpty());
    if (!tags.isEmpty()) {
        key("tags");
        appendJsonStrings(out, tags);
    }
    text("title", title, true);
    text("type", type, true);
    out += '}';
    return out;
}

Result<Asset> Asset::fromJson(const QJsonObject &o)
{
    QList<FieldProblem> dates;
    auto a = fromJson(o, &dates);
    if (a && !dates.isEmpty())
        return Result<Asset>::failure("invalid-field", describeProblems(dates));
    return a;
}

Result<Asset> Asset::fromJson(const QJsonObject &o, QList<FieldProblem> *dateProblems)
{
    using R = Result<Asset>;
    static const QSet<QString> known{
        "id",          "reference",   "title",         "type",       "jurisdictions",
        "status",      "filing_date", "priority_date", "grant_date", "registration_date",
        "expiry_date", "family",      "owners",        "creators",   "identifiers",
        "tags",        "notes"};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return R::failure("invalid-field", QStringLiteral("%1: unknown field").arg(it.key()));
    auto text = [&o](const char *key, QString &out) -> Status {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isString())
            return fieldError(QLatin1String(key), "must be a string");
        out = v.toString();
        return {};
    };
    auto list = [&o](const char *key, QStringList &out) -> Status {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray())
            return fieldError(QLatin1String(key), "must be a list of strings");
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return fieldError(QLatin1String(key), "must be a list of strings");
            out.append(item.toString());
        }
        return {};
    };
    Asset a;
    QString filing, priority, grant, registration, expiry;
    for (const Status &s :
         {text("id", a.id), text("reference", a.reference), text("title", a.title),
          text("type", a.type), text("status", a.status), text("family", a.family),
          text("notes", a.notes), text("filing_date", filing), text("priority_date", priority),
          text("grant_date", grant), text("registration_date", registration),
          text("expiry_date", expiry), list("jurisdictions", a.jurisdictions),
          list("creators", a.creators), list("tags", a.tags)})
        if (!s)
            return s.error();
    for (const auto &[field, textDate, out] :
         {std::tuple{"filing_date", &filing, &a.filing},
          std::tuple{"priority_date", &priority, &a.priority},
          std::tuple{"grant_date", &grant, &a.grant},
          std::tuple{"registration_date", &registration, &a.registration},
          std::tuple{"expiry_date", &expiry, &a.expiry}}) {
        auto d = parseDate(*textDate, QLatin1String(field));
        if (d)
            *out = d.value();
        else
            dateProblems->append(fieldProblem(d.error()));
    }
    const QJsonValue owners = o.value("owners");
    if (!owners.isUndefined()) {
        if (!owners.isArray())
            return R::failure("invalid-field", "owners: must be a list of {name, basis_points}");
        for (const QJsonValue &v : owners.toArray()) {
            const QJsonObject ow = v.toObject();
            const QJsonValue bp = ow.value("basis_points");
            if (!v.isObject() || !ow.value("name").isString() || !bp.isDouble() ||
                bp.toDouble() != double(bp.toInt()) || ow.size() != 2)
                return R::failure("invalid-field",
                                  "owners: each owner must be {\"name\": text, \"basis_points\": "
                                  "whole number}");
            a.owners.append({ow.value("name").toString(), bp.toInt()});
        }
    }
    const QJsonValue ids = o.value("identifiers");
    if (!ids.isUndefined()) {
        if (!ids.isArray())
            return R::failure("invalid-field", "identifiers: must be a list of {scheme, value}");
        for (const QJsonValue &v : ids.toArray()) {
            const QJsonObject io = v.toObject();
            if (!v.isObject() || !io.value("scheme").isString() || !io.value("value").isString() ||
                io.size() != 2)
                return R::failure("invalid-field",
                                  "identifiers: each must be {\"scheme\": text, \"value\": text}");
            a.identifiers.append({io.value("scheme").toString(), io.value("value").toString()});
        }
    }
    return a;
}

} // namespace cartulary::model
