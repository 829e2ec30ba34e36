// SPDX-License-Identifier: GPL-3.0-or-later
// Lineage entry bodies as canonical JSON, parsed with errors that name the field.
#include "model/lineage/derivation.h"

#include "model/core/jsonfields.h"
#include "model/lineage/licence.h"

#include <QJsonArray>
#include <QSet>

namespace cartulary::model {

const QStringList &derivationKinds()
{
    static const QStringList kinds{"remix",     "training",    "subset",
                                   "cleaning",  "translation", "improvement",
                                   "composite", "adaptation",  "recording"};
    return kinds;
}

QJsonObject Derivation::toJson() const
{
    QJsonArray list;
    for (const ParentLink &p : parents) {
        QJsonObject o{{"asset", p.asset}};
        if (!p.licence.isEmpty())
            o.insert("licence", p.licence);
        list.append(o);
    }
    QJsonObject o{{"child", child}, {"parents", list}, {"kind", kind}, {"date", isoDate(date)}};
    if (!note.isEmpty())
        o.insert("note", note);
    // Optional keys only when stated: bodies signed before they existed stay byte-identical.
    if (!territory.isEmpty())
        o.insert("territory", QJsonArray::fromStringList(territory));
    if (!field.isEmpty())
        o.insert("field", field);
    return o;
}

Result<Derivation> Derivation::fromJson(const QJsonObject &o)
{
    using R = Result<Derivation>;
    if (Status s = checkKeys(o, {"child", "parents", "kind", "date", "note", "territory", "field"});
        !s)
        return s.error();
    Derivation d;
    auto child = requiredText(o, "child", true);
    if (!child)
        return child.error();
    d.child = child.value();
    auto kind = requiredText(o, "kind", true);
    if (!kind)
        return kind.error();
    d.kind = kind.value();
    if (!derivationKinds().contains(d.kind))
        return R::failure("invalid-field",
                          QStringLiteral("kind: '%1' is not one of %2")
                              .arg(d.kind, derivationKinds().join(QStringLiteral(", "))));
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    d.date = date.value();
    const QJsonValue parents = o.value("parents");
    if (!parents.isArray() || parents.toArray().isEmpty())
        return R::failure("invalid-field", "parents: name at least one parent");
    QSet<QString> seen;
    for (const QJsonValue &v : parents.toArray()) {
        const QJsonObject p = v.toObject();
        if (Status s = checkKeys(p, {"asset", "licence"}); !s)
            return R::failure("invalid-field", QStringLiteral("parents: %1").arg(s.errorString()));
        ParentLink link{p.value("asset").toString().trimmed(),
                        p.value("licence").toString().trimmed()};
        if (link.asset.isEmpty())
            return R::failure("invalid-field", "parents: each parent needs an asset");
        if (seen.contains(link.asset))
            return R::failure("invalid-field",
                              QStringLiteral("parents: %1 is named twice").arg(link.asset));
        seen.insert(link.asset);
        d.parents.append(link);
    }
    d.note = o.value("note").toString();
    const QJsonValue territory = o.value("territory");
    if (territory.isString() &&
        territory.toString().trimmed().compare(u"worldwide", Qt::CaseInsensitive) == 0) {
        d.territory = {QStringLiteral("WO")}; // stated as worldwide, unlike not stated
    } else {
        auto codes = territoryFromJson(territory, QStringLiteral("territory"));
        if (!codes)
            return codes.error();
        d.territory = codes.value();
    }
    const QJsonValue field = o.value("field");
    if (!field.isUndefined() && !field.isNull() && !field.isString())
        return R::failure("invalid-field", "field: must be text (the field of use)");
    d.field = field.toString().trimmed();
    return d;
}

QJsonObject Revocation::toJson() const
{
    QJsonObject o{{"licence", licence}, {"date", isoDate(date)}, {"reason", reason}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Revocation> Revocation::fromJson(const QJsonObject &o)
{
    using R = Result<Revocation>;
    if (Status s = checkKeys(o, {"licence", "date", "reason", "note"}); !s)
        return s.error();
    Revocation r;
    auto licence = requiredText(o, "licence", true);
    if (!licence)
        return licence.error();
    r.licence = licence.value();
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    r.date = date.value();
    auto reason = requiredText(o, "reason", true);
    if (!reason)
        return reason.error();
    r.reason = reason.value();
    if (r.reason != QLatin1String(revocation::Breach) &&
        r.reason != QLatin1String(revocation::ChangeOfControl))
        return R::failure(
            "invalid-field",
            QStringLiteral("reason: '%1' is not breach or change-of-control").arg(r.reason));
    r.note = o.value("note").toString();
    return r;
}

QJsonObject Approval::toJson() const
{
    QJsonObject o{{"licence", licence}, {"child", child}, {"date", isoDate(date)}};
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

Result<Approval> Approval::fromJson(const QJsonObject &o)
{
    if (Status s = checkKeys(o, {"licence", "child", "date", "note"}); !s)
        return s.error();
    Approval a;
    auto licence = requiredText(o, "licence", true);
    if (!licence)
        return licence.error();
    auto child = requiredText(o, "child", true);
    if (!child)
        return child.error();
    auto date = requiredDate(o, "date");
    if (!date)
        return date.error();
    a.licence = licence.value();
    a.child = child.value();
    a.date = date.value();
    a.note = o.value("note").toString();
    return a;
}

} // namespace cartulary::model
