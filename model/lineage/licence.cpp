// SPDX-License-Identifier: GPL-3.0-or-later
// Licence terms: parsing with field-level errors, exact percent and money formatting, SPDX syntax,
// and the ODRL 2.2 mapping.
#include "model/lineage/licence.h"

#include "model/core/jsonfields.h"
#include "model/core/money.h"
#include "model/portfolio/asset.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace cartulary::model {

namespace {

using LicenceResult = Result<Licence>;

LicenceResult fieldError(const char *field, const QString &why)
{
    return LicenceResult::failure("invalid-field",
                                  QStringLiteral("%1: %2").arg(QLatin1String(field), why));
}

/** A list given as a JSON array of strings or as "a;b;c" text. */
std::optional<QStringList> stringList(const QJsonValue &v)
{
    QStringList out;
    if (v.isUndefined() || v.isNull())
        return out;
    if (v.isString()) {
        for (const QString &part : v.toString().split(u';', Qt::SkipEmptyParts))
            if (!part.trimmed().isEmpty())
                out.append(part.trimmed());
        return out;
    }
    if (!v.isArray())
        return std::nullopt;
    for (const QJsonValue &x : v.toArray()) {
        if (!x.isString() || x.toString().trimmed().isEmpty())
            return std::nullopt;
        out.append(x.toString().trimmed());
    }
    return out;
}

/** A non-negative integer amount; accepts JSON numbers that are whole. */
std::optional<qint64> amount(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return 0;
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    // JSON numbers are doubles: only whole values up to 2^53 are exact.
    if (d < 0 || d > 9007199254740992.0 || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

std::optional<bool> flag(const QJsonValue &v, bool fallback)
{
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool())
        return std::nullopt;
    return v.toBool();
}

const QStringList &knownKeys()
{
    static const QStringList keys{"id",          "reference",     "title",
                                  "licensor",    "licensee",      "licensee_key",
                                  "assets",      "granted",       "expires",
                                  "territory",   "field",         "exclusive",
                                  "commercial",  "derivatives",   "share_alike",
                                  "attribution", "sublicensing",  "under",
                                  "spdx",        "currency",      "upfront_minor",
                                  "royalty_ppm", "per_use_minor", "revenue_ceiling_minor",
                                  "policy",      "revocable_on",  "notes"};
    return keys;
}

} // namespace

bool Licence::inTerm(const QDate &date) const
{
    return date.isValid() && granted.isValid() && date >= granted &&
           (!expires.isValid() || date <= expires);
}

Result<QStringList> territoryFromJson(const QJsonValue &v, const QString &field)
{
    using R = Result<QStringList>;
    if (v.isString() && v.toString().trimmed().compare(u"worldwide", Qt::CaseInsensitive) == 0)
        return QStringList{};
    const auto codes = stringList(v);
    if (!codes)
        return R::failure("invalid-field",
                          QStringLiteral("%1: must be a list of jurisdiction codes or "
                                         "\"worldwide\"")
                              .arg(field));
    QStringList out;
    for (const QString &code : *codes) {
        if (!isJurisdiction(code.toUpper()))
            return R::failure(
                "invalid-field",
                QStringLiteral("%1: '%2' is not an ISO 3166 alpha-2 code or EP, WO, EM")
                    .arg(field, code));
        out.append(code.toUpper());
    }
    return out;
}

namespace {

/** The member states a regional code stands for; empty for a country. */
const QStringList &members(const QString &code)
{
    static const QHash<QString, QStringList> regions{
        // European Patent Convention contracting states (2024).
        {"EP", {"AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
                "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "ME",
                "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "TR"}},
        // European Union (EU trade marks and designs).
        {"EM", {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}},
        // Benelux Office for IP.
        {"BX", {"BE", "NL", "LU"}},
    };
    static const QStringList none;
    const auto it = regions.find(code);
    return it == regions.end() ? none : *it;
}

/**
 * The places a territory code stands for: a regional right covers its member states, so an
 * exclusive licence for EP overlaps one for DE. WO (a PCT filing) is treated as worldwide.
 */
QSet<QString> countries(const QStringList &territory, bool &worldwide)
{
    QSet<QString> out;
    worldwide = territory.isEmpty();
    for (const QString &code : territory) {
        if (code == u"WO")
            worldwide = true;
        out.insert(code);
        for (const QString &member : members(code))
            out.insert(member);
    }
    return out;
}

} // namespace

bool territoryWithin(const QStringList &inner, const QStringList &outer)
{
    bool outerWorldwide = false, innerWorldwide = false;
    const QSet<QString> outerPlaces = countries(outer, outerWorldwide);
    (void)countries(inner, innerWorldwide);
    if (outerWorldwide)
        return true;
    if (innerWorldwide)
        return false;
    for (const QString &code : inner) {
        if (outerPlaces.contains(code))
            continue;
        // A region lies in outer when outer names every one of its member states.
        const QStringList &states = members(code);
        if (states.isEmpty() || !std::all_of(states.begin(), states.end(), [&](const QString &s) {
                return outerPlaces.contains(s);
            }))
            return false;
    }
    return true;
}

bool territoriesOverlap(const QStringList &a, const QStringList &b)
{
    bool aWorldwide = false, bWorldwide = false;
    const QSet<QString> aCountries = countries(a, aWorldwide);
    const QSet<QString> bCountries = countries(b, bWorldwide);
    return aWorldwide || bWorldwide || aCountries.intersects(bCountries);
}

bool fieldWithin(const QString &inner, const QString &outer)
{
    if (outer.trimmed().isEmpty())
        return true;
    return inner.trimmed().compare(outer.trimmed(), Qt::CaseInsensitive) == 0;
}

int derivativesRank(Derivatives d)
{
    switch (d) {
    case Derivatives::Prohibited:
        return 0;
    case Derivatives::WithApproval:
        return 1;
    case Derivatives::Allowed:
        return 2;
    }
    return 0;
}

QString derivativesId(Derivatives d)
{
    switch (d) {
    case Derivatives::Prohibited:
        return QStringLiteral("prohibited");
    case Derivatives::Allowed:
        return QStringLiteral("allowed");
    case Derivatives::WithApproval:
        return QStringLiteral("with-approval");
    }
    return {};
}

std::optional<Derivatives> derivativesFromId(const QString &id)
{
    for (Derivatives d : {Derivatives::Prohibited, Derivatives::Allowed, Derivatives::WithApproval})
        if (derivativesId(d) == id)
            return d;
    return std::nullopt;
}

QString policyId(RoyaltyPolicy p)
{
    return p == RoyaltyPolicy::Absolute ? QStringLiteral("absolute") : QStringLiteral("relative");
}

std::optional<RoyaltyPolicy> policyFromId(const QString &id)
{
    if (id == u"absolute")
        return RoyaltyPolicy::Absolute;
    if (id == u"relative")
        return RoyaltyPolicy::Relative;
    return std::nullopt;
}

Status checkSpdxExpression(const QString &expression)
{
    // Tokenise: parentheses, and words separated by blanks.
    QStringList tokens;
    QString word;
    auto flush = [&] {
        if (!word.isEmpty())
            tokens.append(word);
        word.clear();
    };
    for (QChar c : expression) {
        if (c == u'(' || c == u')') {
            flush();
            tokens.append(QString(c));
        } else if (c.isSpace()) {
            flush();
        } else {
            word.append(c);
        }
    }
    flush();
    if (tokens.isEmpty())
        return {};
    static const QRegularExpression id(QStringLiteral(
        R"(^(?:(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+|[A-Za-z0-9][A-Za-z0-9.\-]*\+?)$)"));
    static const QRegularExpression exceptionId(QStringLiteral(R"(^[A-Za-z0-9][A-Za-z0-9.\-]*$)"));
    auto fail = [&](const QString &why) {
        return Status::failure("invalid-field",
                               QStringLiteral("spdx: '%1' is not an SPDX licence expression: %2")
                                   .arg(expression, why));
    };
    // Recursive descent: expr := term (("AND"|"OR") term)*; term := "(" expr ")" | id ["WITH" id]
    qsizetype pos = 0;
    std::function<std::optional<QString>()> parseExpr;
    auto isOperator = [](const QString &t) {
        return t.compare(u"AND", Qt::CaseInsensitive) == 0 ||
               t.compare(u"OR", Qt::CaseInsensitive) == 0 ||
               t.compare(u"WITH", Qt::CaseInsensitive) == 0;
    };
    auto parseTerm = [&]() -> std::optional<QString> {
        if (pos >= tokens.size())
            return QStringLiteral("it ends where a licence id was expected");
        const QString t = tokens.at(pos);
        if (t == u"(") {
            ++pos;
            if (auto e = parseExpr())
                return e;
            if (pos >= tokens.size() || tokens.at(pos) != u")")
                return QStringLiteral("a '(' is not closed");
            ++pos;
            return std::nullopt;
        }
        if (t == u")" || isOperator(t) || !id.match(t).hasMatch())
            return QStringLiteral("'%1' is not a licence id").arg(t);
        ++pos;
        if (pos < tokens.size() && tokens.at(pos).compare(u"WITH", Qt::CaseInsensitive) == 0) {
            ++pos;
            if (pos >= tokens.size() || !exceptionId.match(tokens.at(pos)).hasMatch() ||
                isOperator(tokens.at(pos)))
                return QStringLiteral("WITH must be followed by an exception id");
            ++pos;
        }
        return std::nullopt;
    };
    parseExpr = [&]() -> std::optional<QString> {
        if (auto e = parseTerm())
            return e;
        while (pos < tokens.size() && (tokens.at(pos).compare(u"AND", Qt::CaseInsensitive) == 0 ||
                                       tokens.at(pos).compare(u"OR", Qt::CaseInsensitive) == 0)) {
            ++pos;
            if (auto e = parseTerm())
                return e;
        }
        return std::nullopt;
    };
    if (auto e = parseExpr())
        return fail(*e);
    if (pos != tokens.size())
        return fail(QStringLiteral("unexpected '%1'").arg(tokens.at(pos)));
    return {};
}

QJsonObject Licence::toJson() const
{
    QJsonObject o{{"id", id},
                  {"reference", reference},
                  {"title", title},
                  {"licensor", licensor},
                  {"licensee", licensee},
                  {"assets", QJsonArray::fromStringList(assets)},
                  {"granted", isoDate(granted)},
                  {"territory", QJsonArray::fromStringList(territory)},
                  {"exclusive", exclusive},
                  {"commercial", commercial},
                  {"derivatives", derivativesId(derivatives)},
                  {"share_alike", shareAlike},
                  {"attribution", attribution},
                  {"sublicensing", sublicensing},
                  {"currency", payment.currency},
                  {"upfront_minor", payment.upfrontMinor},
                  {"royalty_ppm", payment.royaltyPpm},
                  {"per_use_minor", payment.perUseMinor},
                  {"revenue_ceiling_minor", payment.revenueCeilingMinor},
                  {"policy", policyId(payment.policy)},
                  {"revocable_on", QJsonArray::fromStringList(revocableOn)}};
    if (!licenseeKey.isEmpty())
        o.insert("licensee_key", licenseeKey);
    if (expires.isValid())
        o.insert("expires", isoDate(expires));
    if (!field.isEmpty())
        o.insert("field", field);
    if (!under.isEmpty())
        o.insert("under", under);
    if (!spdx.isEmpty())
        o.insert("spdx", spdx);
    if (!notes.isEmpty())
        o.insert("notes", notes);
    return o;
}

Result<Licence> Licence::fromJson(const QJsonObject &o)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!knownKeys().contains(it.key()))
            return LicenceResult::failure("invalid-field",
                                          QStringLiteral("%1: unknown field").arg(it.key()));
    Licence l;
    auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString().trimmed(); };
    for (const char *key : {"id", "reference", "title", "licensor", "licensee"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString() || v.toString().trimmed().isEmpty())
            return fieldError(key, QStringLiteral("is required"));
    }
    l.id = text("id");
    l.reference = text("reference");
    l.title = text("title");
    l.licensor = text("licensor");
    l.licensee = text("licensee");
    if (l.licensor == l.licensee)
        return fieldError("licensee", QStringLiteral("is the licensor (%1): a party cannot license "
                                                     "to itself")
                                          .arg(l.licensor));
    l.licenseeKey = text("licensee_key").toLower();
    static const QRegularExpression hexKey(QStringLiteral("^[0-9a-f]{64}$"));
    if (!l.licenseeKey.isEmpty() && !hexKey.match(l.licenseeKey).hasMatch())
        return fieldError("licensee_key",
                          QStringLiteral("must be the licensee's Ed25519 public key "
                                         "as 64 hex digits"));
    const auto assetList = stringList(o.value("assets"));
    if (!assetList || assetList->isEmpty())
        return fieldError("assets", QStringLiteral("name at least one licensed asset"));
    l.assets = *assetList;
    if (QSet<QString>(l.assets.begin(), l.assets.end()).size() != l.assets.size())
        return fieldError("assets", QStringLiteral("an asset is named twice"));
    auto granted = parseDate(text("granted"), QStringLiteral("granted"));
    if (!granted)
        return granted.error();
    if (!granted->isValid())
        return fieldError("granted", QStringLiteral("is required (YYYY-MM-DD)"));
    l.granted = granted.value();
    auto expires = parseDate(text("expires"), QStringLiteral("expires"));
    if (!expires)
        return expires.error();
    l.expires = expires.value();
    if (l.expires.isValid() && l.expires < l.granted)
        return fieldError("expires", QStringLiteral("%1 is before the grant date %2")
                                         .arg(isoDate(l.expires), isoDate(l.granted)));
    auto territory = territoryFromJson(o.value("territory"), QStringLiteral("territory"));
    if (!territory)
        return territory.error();
    l.territory = territory.value();
    l.field = text("field");
    struct Flag
    {
        const char *key;
        bool *target;
        bool fallback;
    };
    for (const Flag &f :
         {Flag{"exclusive", &l.exclusive, false}, Flag{"commercial", &l.commercial, true},
          Flag{"share_alike", &l.shareAlike, false}, Flag{"attribution", &l.attribution, false},
          Flag{"sublicensing", &l.sublicensing, false}}) {
        const auto v = flag(o.value(QLatin1String(f.key)), f.fallback);
        if (!v)
            return fieldError(f.key, QStringLiteral("must be true or false"));
        *f.target = *v;
    }
    const QString derivatives = text("derivatives");
    if (!derivatives.isEmpty()) {
        const auto d = derivativesFromId(derivatives);
        if (!d)
            return fieldError(
                "derivatives",
                QStringLiteral("'%1' is not one of prohibited, allowed, with-approval")
                    .arg(derivatives));
        l.derivatives = *d;
    }
    if (l.shareAlike && l.derivatives == Derivatives::Prohibited)
        return fieldError("share_alike", QStringLiteral("a reciprocal (share-alike) licence must "
                                                        "allow derivatives"));
    l.under = text("under");
    if (!l.under.isEmpty() && l.under == l.id)
        return fieldError("under", QStringLiteral("a licence cannot be granted under itself"));
    l.spdx = text("spdx");
    if (Status s = checkSpdxExpression(l.spdx); !s)
        return s.error();
    const QString currency = text("currency");
    static const QRegularExpression iso4217(QStringLiteral("^[A-Z]{3}$"));
    if (!currency.isEmpty()) {
        if (!iso4217.match(currency).hasMatch())
            return fieldError(
                "currency", QStringLiteral("'%1' is not an ISO 4217 code like EUR").arg(currency));
        l.payment.currency = currency;
    }
    struct Amount
    {
        const char *key;
        qint64 *target;
    };
    for (const Amount &a : {Amount{"upfront_minor", &l.payment.upfrontMinor},
                            Amount{"royalty_ppm", &l.payment.royaltyPpm},
                            Amount{"per_use_minor", &l.payment.perUseMinor},
                            Amount{"revenue_ceiling_minor", &l.payment.revenueCeilingMinor}}) {
        const auto v = amount(o.value(QLatin1String(a.key)));
        if (!v)
            return fieldError(a.key, QStringLiteral("must be a whole number ≥ 0 (minor units or "
                                                    "parts per million)"));
        *a.target = *v;
    }
    if (l.payment.royaltyPpm > 1000000)
        return fieldError("royalty_ppm",
                          QStringLiteral("%1 ppm is more than 100 %").arg(l.payment.royaltyPpm));
    const QString policy = text("policy");
    if (!policy.isEmpty()) {
        const auto p = policyFromId(policy);
        if (!p)
            return fieldError("policy",
                              QStringLiteral("'%1' is not absolute or relative").arg(policy));
        l.payment.policy = *p;
    }
    if (l.payment.royaltyPpm > 0 && !l.allowsDerivatives())
        return fieldError("royalty_ppm", QStringLiteral("a royalty on derivatives needs a licence "
                                                        "that allows derivatives"));
    const auto revocable = stringList(o.value("revocable_on"));
    if (!revocable)
        return fieldError("revocable_on", QStringLiteral("must be a list"));
    for (const QString &r : *revocable) {
        if (r != QLatin1String(revocation::Breach) &&
            r != QLatin1String(revocation::ChangeOfControl))
            return fieldError("revocable_on",
                              QStringLiteral("'%1' is not breach or change-of-control").arg(r));
        if (!l.revocableOn.contains(r))
            l.revocableOn.append(r);
    }
    l.notes = o.value("notes").toString();
    return l;
}

QString describeLicence(const Licence &l)
{
    QStringList lines;
    lines << QStringLiteral("%1 — %2").arg(l.reference, l.title);
    lines << QStringLiteral("%1 → %2").arg(l.licensor, l.licensee);
    lines << QStringLiteral("Term: %1 to %2")
                 .arg(isoDate(l.granted),
                      l.expires.isValid() ? isoDate(l.expires) : QStringLiteral("no end"));
    lines << QStringLiteral("Territory: %1%2")
                 .arg(l.territory.isEmpty() ? QStringLiteral("worldwide")
                                            : l.territory.join(QStringLiteral(", ")),
                      l.field.isEmpty() ? QString() : QStringLiteral("; field: %1").arg(l.field));
    QStringList use;
    use << (l.exclusive ? QStringLiteral("exclusive") : QStringLiteral("non-exclusive"));
    use << (l.commercial ? QStringLiteral("commercial") : QStringLiteral("non-commercial"));
    use << QStringLiteral("derivatives %1").arg(derivativesId(l.derivatives));
    if (l.shareAlike)
        use << QStringLiteral("share-alike");
    if (l.attribution)
        use << QStringLiteral("attribution");
    use << (l.sublicensing ? QStringLiteral("sublicensable") : QStringLiteral("no sublicensing"));
    lines << use.join(QStringLiteral(", "));
    QStringList pay;
    if (l.payment.upfrontMinor)
        pay << QStringLiteral("upfront %1")
                   .arg(formatMoney(l.payment.upfrontMinor, l.payment.currency));
    if (l.payment.royaltyPpm)
        pay << QStringLiteral("royalty %1 (%2)")
                   .arg(formatPpm(l.payment.royaltyPpm), policyId(l.payment.policy));
    if (l.payment.perUseMinor)
        pay << QStringLiteral("%1 per use")
                   .arg(formatMoney(l.payment.perUseMinor, l.payment.currency));
    if (l.payment.revenueCeilingMinor)
        pay << QStringLiteral("until %1 of revenue")
                   .arg(formatMoney(l.payment.revenueCeilingMinor, l.payment.currency));
    lines << (pay.isEmpty() ? QStringLiteral("Royalty-free") : pay.join(QStringLiteral(", ")));
    if (!l.revocableOn.isEmpty())
        lines << QStringLiteral("Revocable on: %1").arg(l.revocableOn.join(QStringLiteral(", ")));
    if (!l.spdx.isEmpty())
        lines << QStringLiteral("SPDX: %1").arg(l.spdx);
    return lines.join(u'\n');
}

QJsonObject licenceToOdrl(const Licence &l)
{
    auto assetIri = [](const QString &id) { return QStringLiteral("urn:uuid:%1").arg(id); };
    auto party = [](const QString &name, const QString &key) {
        QJsonObject p{{"@type", "Party"}, {"vcard:fn", name}};
        p.insert("uid", key.isEmpty() ? QStringLiteral("urn:cartulary:party:%1")
                                            .arg(QString::fromLatin1(QUrl::toPercentEncoding(name)))
                                      : QStringLiteral("urn:cartulary:key:%1").arg(key));
        return p;
    };
    auto dateValue = [](const QDate &d) {
        return QJsonObject{{"@value", isoDate(d)}, {"@type", "xsd:date"}};
    };
    QJsonArray constraints;
    if (!l.territory.isEmpty())
        constraints.append(QJsonObject{{"leftOperand", "spatial"},
                                       {"operator", "isAnyOf"},
                                       {"rightOperand", QJsonArray::fromStringList(l.territory)}});
    constraints.append(QJsonObject{
        {"leftOperand", "dateTime"}, {"operator", "gteq"}, {"rightOperand", dateValue(l.granted)}});
    if (l.expires.isValid())
        constraints.append(QJsonObject{{"leftOperand", "dateTime"},
                                       {"operator", "lteq"},
                                       {"rightOperand", dateValue(l.expires)}});
    if (!l.field.isEmpty())
        constraints.append(
            QJsonObject{{"leftOperand", "purpose"}, {"operator", "eq"}, {"rightOperand", l.field}});

    auto money = [&l](qint64 minor) {
        return QJsonObject{{"@value", decimalAmount(minor, l.payment.currency, false)},
                           {"@type", "xsd:decimal"}};
    };
    const QString currencyIri =
        QStringLiteral("https://www.iso.org/iso-4217-currency-codes.html#%1")
            .arg(l.payment.currency);
    QJsonArray duties;
    if (l.payment.upfrontMinor)
        duties.append(QJsonObject{
            {"action", "compensate"},
            {"cartulary:when", "grant"},
            {"constraint", QJsonArray{QJsonObject{{"leftOperand", "payAmount"},
                                                  {"operator", "eq"},
                                                  {"rightOperand", money(l.payment.upfrontMinor)},
                                                  {"unit", currencyIri}}}}});
    if (l.payment.perUseMinor)
        duties.append(QJsonObject{
            {"action", "compensate"},
            {"cartulary:when", "per-use"},
            {"constraint",
             QJsonArray{
                 QJsonObject{{"leftOperand", "payAmount"},
                             {"operator", "eq"},
                             {"rightOperand", money(l.payment.perUseMinor)},
                             {"unit", currencyIri}},
                 QJsonObject{{"leftOperand", "count"}, {"operator", "eq"}, {"rightOperand", 1}}}}});
    if (l.attribution)
        duties.append(QJsonObject{{"action", "attribute"}});

    QJsonArray permissions;
    auto targetValue = [&]() -> QJsonValue {
        if (l.assets.size() == 1)
            return assetIri(l.assets.first());
        QJsonArray list;
        for (const QString &a : l.assets)
            list.append(assetIri(a));
        return QJsonObject{{"@type", "AssetCollection"}, {"source", list}};
    };
    QJsonObject use{{"target", targetValue()}, {"action", "use"}, {"constraint", constraints}};
    if (!duties.isEmpty())
        use.insert("duty", duties);
    permissions.append(use);
    QJsonArray prohibitions;
    if (l.allowsDerivatives()) {
        QJsonArray deriveDuties;
        if (l.payment.royaltyPpm)
            deriveDuties.append(QJsonObject{
                {"action", "compensate"},
                {"cartulary:royaltyRatePpm", l.payment.royaltyPpm},
                {"cartulary:royaltyPolicy", policyId(l.payment.policy)},
                {"constraint", l.payment.revenueCeilingMinor
                                   ? QJsonArray{QJsonObject{
                                         {"leftOperand", "cartulary:revenueShared"},
                                         {"operator", "lteq"},
                                         {"rightOperand", money(l.payment.revenueCeilingMinor)},
                                         {"unit", currencyIri}}}
                                   : QJsonArray{}}});
        if (l.shareAlike)
            deriveDuties.append(QJsonObject{{"action", "nextPolicy"},
                                            {"target", QStringLiteral("urn:uuid:%1").arg(l.id)}});
        if (l.derivatives == Derivatives::WithApproval)
            deriveDuties.append(QJsonObject{{"action", "obtainConsent"},
                                            {"consentingParty", party(l.licensor, QString())}});
        if (l.attribution)
            deriveDuties.append(QJsonObject{{"action", "attribute"}});
        QJsonObject derive{
            {"target", targetValue()}, {"action", "derive"}, {"constraint", constraints}};
        if (!deriveDuties.isEmpty())
            derive.insert("duty", deriveDuties);
        permissions.append(derive);
    } else {
        prohibitions.append(QJsonObject{{"target", targetValue()}, {"action", "derive"}});
    }
    if (l.commercial)
        permissions.append(QJsonObject{
            {"target", targetValue()}, {"action", "commercialize"}, {"constraint", constraints}});
    else
        prohibitions.append(QJsonObject{{"target", targetValue()}, {"action", "commercialize"}});
    if (l.sublicensing)
        permissions.append(QJsonObject{
            {"target", targetValue()}, {"action", "grantUse"}, {"constraint", constraints}});
    else
        prohibitions.append(QJsonObject{{"target", targetValue()}, {"action", "grantUse"}});

    QJsonObject policy{
        {"@context", QJsonArray{QStringLiteral("http://www.w3.org/ns/odrl.jsonld"),
                                QJsonObject{{"vcard", "http://www.w3.org/2006/vcard/ns#"},
                                            {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                                            {"dct", "http://purl.org/dc/terms/"},
                                            {"cartulary", "https://cartulary.invalid/odrl/1#"}}}},
        {"@type", "Agreement"},
        {"uid", QStringLiteral("urn:uuid:%1").arg(l.id)},
        {"profile", "https://cartulary.invalid/odrl/1"},
        {"dct:identifier", l.reference},
        {"dct:title", l.title},
        {"assigner", party(l.licensor, QString())},
        {"assignee", party(l.licensee, l.licenseeKey)},
        {"cartulary:exclusive", l.exclusive},
        {"cartulary:revocableOn", QJsonArray::fromStringList(l.revocableOn)},
        {"permission", permissions}};
    if (!prohibitions.isEmpty())
        policy.insert("prohibition", prohibitions);
    if (!l.spdx.isEmpty())
        policy.insert("cartulary:spdxLicenseExpression", l.spdx);
    // A sublicence is a child policy of its head licence: it holds within the head's rules.
    if (!l.under.isEmpty())
        policy.insert("inheritFrom", QStringLiteral("urn:uuid:%1").arg(l.under));
    return policy;
}

} // namespace cartulary::model
