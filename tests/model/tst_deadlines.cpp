// SPDX-License-Identifier: GPL-3.0-or-later
// Deadline rules: hand-computed answers for every shipped rule, validation, states and iCalendar.
#include "model/portfolio/deadlines.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

namespace {

const QDate Open;                    // an unbounded side of [from, to]
const QDate Far = QDate(2100, 1, 1); // far enough for every shipped rule

QDate d(int y, int m, int day)
{
    return QDate(y, m, day);
}

DeadlineAsset asset(const QString &type, const QString &jurisdiction)
{
    DeadlineAsset a;
    a.id = QStringLiteral("a1");
    a.reference = QStringLiteral("P-1");
    a.title = QStringLiteral("Widget");
    a.type = type;
    if (!jurisdiction.isEmpty())
        a.jurisdictions = {jurisdiction};
    a.status = QStringLiteral("pending");
    return a;
}

const DeadlineRules &shipped()
{
    static const DeadlineRules rules = DeadlineRules::builtIn();
    return rules;
}

/** One deadline as "key | label | due | grace end | window opens" for readable comparisons. */
QString row(const Deadline &x)
{
    return QStringLiteral("%1 | %2 | %3 | %4 | %5")
        .arg(x.key, x.label, x.due.toString(Qt::ISODate), x.graceEnd.toString(Qt::ISODate),
             x.windowOpens.isValid() ? x.windowOpens.toString(Qt::ISODate) : QStringLiteral("-"));
}

QStringList rows(const QList<Deadline> &list)
{
    QStringList out;
    for (const Deadline &x : list)
        out << row(x);
    return out;
}

QList<Deadline> ofRule(const QList<Deadline> &list, const QString &ruleId)
{
    QList<Deadline> out;
    for (const Deadline &x : list) {
        if (x.ruleId == ruleId)
            out << x;
    }
    return out;
}

QSet<QString> ruleIds(const QList<Deadline> &list)
{
    QSet<QString> ids;
    for (const Deadline &x : list)
        ids.insert(x.ruleId);
    return ids;
}

QJsonObject object(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        qFatal("test JSON is not an object: %s", json.constData());
    return doc.object();
}

/** A valid user rule; tests break one field at a time. */
QJsonObject reviewRule()
{
    return object(R"json({"id": "review", "label": "Internal review ({offset} after {anchor})",
                          "kind": "review", "types": ["patent"], "anchor": "grant",
                          "every": {"years": 2}, "lastSequence": 3})json");
}

Deadline sampleDeadline()
{
    Deadline x;
    x.key = QStringLiteral("a1/EP/ep-renewal-3/3");
    x.due = d(2023, 3, 31);
    x.graceEnd = d(2023, 9, 30);
    return x;
}

} // namespace

class TestDeadlines : public QObject
{
    Q_OBJECT

private slots:
    void shippedRulesLoadAndRoundTrip()
    {
        const QList<DeadlineRule> &rules = shipped().rules();
        QStringList ids;
        for (const DeadlineRule &r : rules) {
            ids << r.id;
            QVERIFY2(!r.note.isEmpty(), qPrintable(r.id));
            const auto back = DeadlineRules::ruleFromJson(DeadlineRules::ruleToJson(r));
            QVERIFY2(back.ok(), qPrintable(back.errorString()));
            QVERIFY2(back.value() == r, qPrintable(r.id));
        }
        for (const char *id : {"ep-renewal-3",      "ep-renewal",
                               "us-maintenance",    "de-annual",
                               "gb-renewal",        "fr-annual",
                               "jp-annual",         "cn-annual",
                               "wo-national-phase", "wo-ep-regional-phase",
                               "tm-renewal",        "em-tm-renewal",
                               "tm-renewal-filing", "us-tm-declaration",
                               "us-tm-renewal",     "em-design-renewal-eom",
                               "em-design-renewal", "de-design-renewal",
                               "design-renewal",    "de-utility-model",
                               "domain-renewal"})
            QVERIFY2(ids.contains(QLatin1String(id)), id);
    }

    void epRenewals()
    {
        DeadlineAsset a = asset("patent", "EP");
        a.filing = d(2021, 3, 15);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 18); // years 3..20 while no grant is known
        QCOMPARE(row(all[0]), QStringLiteral("a1/EP/ep-renewal-3/3 | EP renewal fee, year 3 | "
                                             "2023-03-31 | 2023-09-30 | 2022-09-30"));
        QCOMPARE(row(all[1]), QStringLiteral("a1/EP/ep-renewal/4 | EP renewal fee, year 4 | "
                                             "2024-03-31 | 2024-09-30 | 2023-12-31"));
        QCOMPARE(row(all.last()), QStringLiteral("a1/EP/ep-renewal/20 | EP renewal fee, year 20 | "
                                                 "2040-03-31 | 2040-09-30 | 2039-12-31"));
        QCOMPARE(all[0].kind, QStringLiteral("renewal"));
        QCOMPARE(all[0].sequence, 3);
        QCOMPARE(all[0].reference, QStringLiteral("P-1"));
        QCOMPARE(all[0].title, QStringLiteral("Widget"));

        // Grant mentioned on 2025-03-20: year 5 began on 2025-03-15, so its fee (due 2025-03-31,
        // after grant) is still the EPO's; year 6 is national.
        a.grant = d(2025, 3, 20);
        const QList<Deadline> granted = shipped().compute(a, Open, Far);
        QCOMPARE(granted.size(), 3);
        QCOMPARE(granted.last().key, QStringLiteral("a1/EP/ep-renewal/5"));
        QCOMPARE(granted.last().due, d(2025, 3, 31));

        // J 4/91: last day of a month to last day of a month — 30 April gives 31 October.
        DeadlineAsset april = asset("patent", "EP");
        april.filing = d(2021, 4, 15);
        const QList<Deadline> a3 = shipped().compute(april, Open, d(2023, 12, 31));
        QCOMPARE(rows(a3),
                 QStringList{"a1/EP/ep-renewal-3/3 | EP renewal fee, year 3 | 2023-04-30 | "
                             "2023-10-31 | 2022-10-30"});
    }

    void usMaintenanceFees()
    {
        DeadlineAsset a = asset("patent", "US");
        a.filing = d(2018, 5, 2);
        a.grant = d(2020, 1, 14);
        QCOMPARE(
            rows(shipped().compute(a, Open, Far)),
            (QStringList{"a1/US/us-maintenance/1 | US maintenance fee (3.5 years) | 2023-07-14 | "
                         "2024-01-14 | 2023-01-14",
                         "a1/US/us-maintenance/2 | US maintenance fee (7.5 years) | 2027-07-14 | "
                         "2028-01-14 | 2027-01-14",
                         "a1/US/us-maintenance/3 | US maintenance fee (11.5 years) | 2031-07-14 | "
                         "2032-01-14 | 2031-01-14"}));

        // Granted on 31 August: 3.5 years lands on 28 February, but the grace period still ends
        // on the fourth anniversary of grant, 31 August.
        a.grant = d(2021, 8, 31);
        const QList<Deadline> end = shipped().compute(a, Open, Far);
        QCOMPARE(row(end[0]),
                 QStringLiteral("a1/US/us-maintenance/1 | US maintenance fee (3.5 years) | "
                                "2025-02-28 | 2025-08-31 | 2024-08-31"));
        QCOMPARE(end[0].kind, QStringLiteral("maintenance-fee"));

        a.grant = QDate(); // not granted: nothing yet
        QVERIFY(shipped().compute(a, Open, Far).isEmpty());
    }

    void deAnnualFees()
    {
        DeadlineAsset a = asset("patent", "DE");
        a.filing = d(2020, 4, 15);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 18);
        // Surcharge period ends at the end of the sixth month after the due date.
        QCOMPARE(row(all[0]),
                 QStringLiteral("a1/DE/de-annual/3 | DE annual fee, year 3 | 2022-04-30 | "
                                "2022-10-31 | 2021-04-30"));
        QCOMPARE(row(all.last()), QStringLiteral("a1/DE/de-annual/20 | DE annual fee, year 20 | "
                                                 "2039-04-30 | 2039-10-31 | 2038-04-30"));
    }

    void gbRenewals()
    {
        DeadlineAsset a = asset("patent", "GB");
        a.filing = d(2018, 6, 10);
        QVERIFY(shipped().compute(a, Open, Far).isEmpty()); // only once granted

        a.grant = d(2021, 1, 5);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 16); // years 5..20
        QCOMPARE(row(all[0]),
                 QStringLiteral("a1/GB/gb-renewal/5 | GB renewal fee, year 5 | 2022-06-30 "
                                "| 2022-12-31 | 2022-04-01"));
        QCOMPARE(all.last().due, d(2037, 6, 30));

        // Granted after the 4th anniversary: the year-5 fee moves to the end of the month holding
        // the last day of the three months beginning with grant (2023-04-30).
        a.grant = d(2023, 2, 1);
        const QList<Deadline> late = shipped().compute(a, Open, d(2023, 12, 31));
        QCOMPARE(rows(late),
                 (QStringList{"a1/GB/gb-renewal/5 | GB renewal fee, year 5 | 2023-04-30 | "
                              "2023-10-31 | 2023-02-01",
                              "a1/GB/gb-renewal/6 | GB renewal fee, year 6 | 2023-06-30 | "
                              "2023-12-31 | 2023-04-01"}));
    }

    void frAnnualFees()
    {
        DeadlineAsset a = asset("patent", "FR");
        a.filing = d(2019, 7, 15);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 19); // years 2..20
        QCOMPARE(row(all[0]),
                 QStringLiteral("a1/FR/fr-annual/2 | FR annual fee, year 2 | 2020-07-31 | "
                                "2021-01-31 | 2019-07-31"));
        a.filing = d(2019, 4, 10); // grace starts 1 May, six months end on 31 October
        QCOMPARE(shipped().compute(a, Open, Far).first().graceEnd, d(2020, 10, 31));
    }

    void jpAnnualFees()
    {
        DeadlineAsset a = asset("patent", "JP");
        a.filing = d(2015, 5, 20);
        QVERIFY(shipped().compute(a, Open, Far).isEmpty());
        a.grant = d(2019, 11, 12);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 13); // years 4..16 from registration, within 20 years of filing
        QCOMPARE(row(all[0]),
                 QStringLiteral("a1/JP/jp-annual/4 | JP annual fee, year 4 | 2022-11-12 | "
                                "2023-05-12 | -"));
        QCOMPARE(row(all.last()), QStringLiteral("a1/JP/jp-annual/16 | JP annual fee, year 16 | "
                                                 "2034-11-12 | 2035-05-12 | -"));
    }

    void cnAnnualFees()
    {
        DeadlineAsset a = asset("patent", "CN");
        a.filing = d(2018, 6, 10);
        QVERIFY(shipped().compute(a, Open, Far).isEmpty()); // none while pending
        a.grant = d(2021, 9, 1);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 16); // year 4 (grant year) is paid at registration; 5..20 listed
        QCOMPARE(row(all[0]),
                 QStringLiteral("a1/CN/cn-annual/5 | CN annual fee, year 5 | 2022-06-10 | "
                                "2022-12-10 | -"));
        QCOMPARE(all.last().due, d(2037, 6, 10));
    }

    void pctNationalPhase()
    {
        DeadlineAsset a = asset("patent", "WO");
        a.priority = d(2022, 1, 31);
        a.filing = d(2023, 1, 20);
        QCOMPARE(
            rows(shipped().compute(a, Open, Far)),
            (QStringList{"a1/WO/wo-national-phase/1 | PCT national phase entry (30 months) | "
                         "2024-07-31 | 2024-07-31 | -",
                         "a1/WO/wo-ep-regional-phase/1 | EP regional phase entry (31 months) | "
                         "2024-08-31 | 2024-08-31 | -"}));
        const Deadline first = shipped().compute(a, Open, Far).first();
        QCOMPARE(first.kind, QStringLiteral("national-phase"));

        a.priority = QDate(); // no priority: from the international filing date
        const QList<Deadline> noPriority = shipped().compute(a, Open, Far);
        QCOMPARE(noPriority[0].due, d(2025, 7, 20));
        QCOMPARE(noPriority[1].due, d(2025, 8, 20));
    }

    void trademarks()
    {
        // Generic rule (JP): from registration, every 10 years, open-ended.
        DeadlineAsset jp = asset("trademark", "JP");
        jp.filing = d(2014, 6, 1);
        jp.registration = d(2015, 3, 10);
        QCOMPARE(
            rows(shipped().compute(jp, Open, d(2040, 12, 31))),
            (QStringList{"a1/JP/tm-renewal/1 | Trademark renewal (10 years from registration) | "
                         "2025-03-10 | 2025-09-10 | -",
                         "a1/JP/tm-renewal/2 | Trademark renewal (20 years from registration) | "
                         "2035-03-10 | 2035-09-10 | -"}));
        // Not registered yet: counted from filing.
        jp.registration = QDate();
        QCOMPARE(shipped().compute(jp, Open, d(2024, 12, 31)).first().label,
                 QStringLiteral("Trademark renewal (10 years from filing)"));

        // EU: exactly the 10th anniversary of filing (end-of-month rule ended in 2016).
        DeadlineAsset em = asset("trademark", "EM");
        em.filing = d(2016, 7, 14);
        em.registration = d(2016, 11, 2);
        QCOMPARE(
            rows(shipped().compute(em, Open, d(2030, 1, 1))),
            QStringList{"a1/EM/em-tm-renewal/1 | EU trade mark renewal (10 years) | 2026-07-14 | "
                        "2027-01-14 | 2026-01-14"});

        // DE, FR, GB: from filing even when a registration date is known; generic rule replaced.
        // (German marks registered before 14 January 2019 keep the end of the month: see
        // germanMarksBefore2019.)
        for (const char *j : {"DE", "FR", "GB"}) {
            DeadlineAsset n = asset("trademark", j);
            n.filing = d(2018, 5, 5);
            n.registration = d(2019, 9, 1);
            QCOMPARE(rows(shipped().compute(n, Open, d(2030, 1, 1))),
                     QStringList{QStringLiteral("a1/%1/tm-renewal-filing/1 | Trademark renewal (10 "
                                                "years from filing) | 2028-05-05 | 2028-11-05 | -")
                                     .arg(QLatin1String(j))});
        }

        // US: declaration of use between years 5 and 6, then combined renewal every 10 years.
        DeadlineAsset us = asset("trademark", "US");
        us.filing = d(2016, 1, 4);
        us.registration = d(2018, 4, 17);
        const QList<Deadline> usAll = shipped().compute(us, Open, d(2039, 1, 1));
        QCOMPARE(rows(usAll),
                 (QStringList{"a1/US/us-tm-declaration/1 | US trademark declaration of use (§ 8, "
                              "between years 5 and 6) | 2024-04-17 | 2024-10-17 | 2023-04-17",
                              "a1/US/us-tm-renewal/1 | US trademark renewal and declaration of use "
                              "(§§ 8 and 9, 10 years) | 2028-04-17 | 2028-10-17 | 2027-04-17",
                              "a1/US/us-tm-renewal/2 | US trademark renewal and declaration of use "
                              "(§§ 8 and 9, 20 years) | 2038-04-17 | 2038-10-17 | 2037-04-17"}));
        QCOMPARE(usAll[0].kind, QStringLiteral("declaration-of-use"));
        us.registration = QDate(); // US terms count from registration only
        QVERIFY(shipped().compute(us, Open, Far).isEmpty());
    }

    void designs()
    {
        // EU: the first renewal (due before 1 October 2025) keeps the end-of-month rule; later
        // ones fall on the anniversary. Sequence numbers continue across the two rules.
        DeadlineAsset em = asset("design", "EM");
        em.filing = d(2020, 1, 15);
        QCOMPARE(
            rows(shipped().compute(em, Open, Far)),
            (QStringList{"a1/EM/em-design-renewal-eom/1 | EU design renewal (5 years) | "
                         "2025-01-31 | 2025-07-31 | 2024-08-01",
                         "a1/EM/em-design-renewal/2 | EU design renewal (10 years) | 2030-01-15 | "
                         "2030-07-15 | 2029-07-15",
                         "a1/EM/em-design-renewal/3 | EU design renewal (15 years) | 2035-01-15 | "
                         "2035-07-15 | 2034-07-15",
                         "a1/EM/em-design-renewal/4 | EU design renewal (20 years) | 2040-01-15 | "
                         "2040-07-15 | 2039-07-15"}));
        em.filing = d(2020, 9, 20);
        QCOMPARE(shipped().compute(em, Open, Far).first().due, d(2025, 9, 30));
        em.filing = d(2020, 10, 1);
        QCOMPARE(shipped().compute(em, Open, Far).first().key,
                 QStringLiteral("a1/EM/em-design-renewal/1"));
        QCOMPARE(shipped().compute(em, Open, Far).first().due, d(2025, 10, 1));

        DeadlineAsset de = asset("design", "DE");
        de.filing = d(2019, 2, 28); // five years later February has 29 days
        QCOMPARE(row(shipped().compute(de, Open, Far).first()),
                 QStringLiteral("a1/DE/de-design-renewal/1 | DE design maintenance fee (5 years) | "
                                "2024-02-29 | 2024-08-31 | -"));

        DeadlineAsset gb = asset("design", "GB");
        gb.filing = d(2021, 3, 31);
        const QList<Deadline> generic = shipped().compute(gb, Open, Far);
        QCOMPARE(generic.size(), 4); // 5, 10, 15, 20 years: 25 at most
        QCOMPARE(row(generic[0]),
                 QStringLiteral("a1/GB/design-renewal/1 | Design renewal (5 years from "
                                "filing) | 2026-03-31 | 2026-09-30 | -"));
        QCOMPARE(generic.last().due, d(2041, 3, 31));

        DeadlineAsset us = asset("design", "US");
        us.filing = d(2021, 3, 31);
        us.grant = d(2022, 6, 7);
        QVERIFY(shipped().compute(us, Open, Far).isEmpty()); // no maintenance fees
    }

    void deUtilityModel()
    {
        DeadlineAsset a = asset("utility-model", "DE");
        a.filing = d(2020, 2, 29);
        QCOMPARE(
            rows(shipped().compute(a, Open, Far)),
            (QStringList{"a1/DE/de-utility-model/1 | DE utility model maintenance fee (years 4 to "
                         "6) | 2023-02-28 | 2023-08-31 | -",
                         "a1/DE/de-utility-model/2 | DE utility model maintenance fee (years 7 "
                         "and 8) | 2026-02-28 | 2026-08-31 | -",
                         "a1/DE/de-utility-model/3 | DE utility model maintenance fee (years 9 "
                         "and 10) | 2028-02-29 | 2028-08-31 | -"}));
    }

    void domainNames()
    {
        DeadlineAsset a = asset("domain-name", QString()); // no jurisdiction: generic rules apply
        a.registration = d(2020, 2, 29);
        QCOMPARE(
            rows(shipped().compute(a, d(2021, 1, 1), d(2024, 12, 31))),
            (QStringList{"a1/domain-renewal/1 | Domain name renewal (1 year after registration) "
                         "| 2021-02-28 | 2021-02-28 | -",
                         "a1/domain-renewal/2 | Domain name renewal (2 years after "
                         "registration) | 2022-02-28 | 2022-02-28 | -",
                         "a1/domain-renewal/3 | Domain name renewal (3 years after "
                         "registration) | 2023-02-28 | 2023-02-28 | -",
                         "a1/domain-renewal/4 | Domain name renewal (4 years after "
                         "registration) | 2024-02-29 | 2024-02-29 | -"}));
    }

    void domainNameRenewedAtItsExpiry()
    {
        // Registered for several years: the renewal is due when the registration expires, not on
        // every anniversary before it (those years are paid).
        DeadlineAsset a = asset("domain-name", QString());
        a.registration = d(2015, 5, 1);
        a.expiry = d(2027, 5, 1);
        QCOMPARE(rows(shipped().compute(a, Open, Far)),
                 QStringList{"a1/domain-renewal-expiry/2027 | Domain name renewal (registration "
                             "expires) | 2027-05-01 | 2027-05-01 | -"});
        // Renewed: the new expiry is a new deadline (its year numbers it), so the old one's
        // settlement does not settle it.
        a.expiry = d(2029, 5, 1);
        QCOMPARE(shipped().compute(a, Open, Far).first().key,
                 QStringLiteral("a1/domain-renewal-expiry/2029"));
        QCOMPARE(shipped().compute(a, Open, Far).size(), 1);
    }

    void graceCountedFromTheDueDate()
    {
        // "Six months after expiry": a mark filed on 29 February expires on 28 February and its
        // grace ends on 28 August, not on 29 August (six months after the anchor).
        DeadlineAsset em = asset("trademark", "EM");
        em.filing = d(2020, 2, 29);
        QCOMPARE(row(shipped().compute(em, Open, d(2031, 1, 1)).first()),
                 QStringLiteral("a1/EM/em-tm-renewal/1 | EU trade mark renewal (10 years) | "
                                "2030-02-28 | 2030-08-28 | 2029-08-29"));

        DeadlineAsset de = asset("trademark", "DE");
        de.filing = d(2020, 2, 29);
        de.registration = d(2020, 7, 1);
        QCOMPARE(row(shipped().compute(de, Open, d(2031, 1, 1)).first()),
                 QStringLiteral("a1/DE/tm-renewal-filing/1 | Trademark renewal (10 years from "
                                "filing) | 2030-02-28 | 2030-08-28 | -"));

        // CN: the fee is due on the filing anniversary; the late period runs from that day.
        DeadlineAsset cn = asset("patent", "CN");
        cn.filing = d(2020, 2, 29);
        cn.grant = d(2020, 6, 1);
        QCOMPARE(row(shipped().compute(cn, Open, d(2021, 12, 31)).first()),
                 QStringLiteral("a1/CN/cn-annual/2 | CN annual fee, year 2 | 2021-02-28 | "
                                "2021-08-28 | -"));

        // The US grace period still ends on the anniversary of grant (the law names it).
        DeadlineAsset us = asset("patent", "US");
        us.grant = d(2020, 2, 29);
        QCOMPARE(shipped().compute(us, Open, Far).first().graceEnd, d(2024, 2, 29));
    }

    void germanMarksBefore2019()
    {
        // Registered before 14 January 2019: the term ends at the end of the month (sec. 159
        // MarkenG with the old sec. 47(1)), the surcharge period at the end of the sixth month.
        DeadlineAsset old = asset("trademark", "DE");
        old.filing = d(2010, 3, 10);
        old.registration = d(2010, 7, 1);
        QCOMPARE(rows(shipped().compute(old, Open, d(2031, 1, 1))),
                 (QStringList{"a1/DE/de-tm-renewal-eom/1 | Trademark renewal (10 years from "
                              "filing) | 2020-03-31 | 2020-09-30 | -",
                              "a1/DE/de-tm-renewal-eom/2 | Trademark renewal (20 years from "
                              "filing) | 2030-03-31 | 2030-09-30 | -"}));
        // Registered on or after that day, or not known to be registered: the anniversary.
        for (const QDate &registered : {d(2019, 1, 14), QDate()}) {
            DeadlineAsset later = old;
            later.registration = registered;
            QCOMPARE(ruleIds(shipped().compute(later, Open, d(2031, 1, 1))),
                     QSet<QString>{"tm-renewal-filing"});
            QCOMPARE(shipped().compute(later, Open, d(2031, 1, 1)).first().due, d(2020, 3, 10));
        }
        // Only German marks.
        DeadlineAsset fr = old;
        fr.jurisdictions = {QStringLiteral("FR")};
        QCOMPARE(ruleIds(shipped().compute(fr, Open, d(2031, 1, 1))),
                 QSet<QString>{"tm-renewal-filing"});
    }

    void everyJurisdictionGetsItsDeadlines()
    {
        DeadlineAsset a = asset("patent", "DE");
        a.jurisdictions = {QStringLiteral("DE"), QStringLiteral("FR")};
        a.filing = d(2020, 4, 15);
        const QList<Deadline> all = shipped().compute(a, Open, d(2023, 12, 31));
        QCOMPARE(ruleIds(all), (QSet<QString>{"de-annual", "fr-annual"}));
        QCOMPARE(ofRule(all, "de-annual").first().key, QStringLiteral("a1/DE/de-annual/3"));
        QCOMPARE(ofRule(all, "de-annual").first().jurisdiction, QStringLiteral("DE"));
        QCOMPARE(ofRule(all, "fr-annual").first().key, QStringLiteral("a1/FR/fr-annual/2"));
        QCOMPARE(ofRule(all, "fr-annual").first().jurisdiction, QStringLiteral("FR"));

        // A European application and a German one: each office's fees.
        a.jurisdictions = {QStringLiteral("EP"), QStringLiteral("de"), QStringLiteral("DE")};
        QCOMPARE(ruleIds(shipped().compute(a, Open, d(2023, 12, 31))),
                 (QSet<QString>{"ep-renewal-3", "ep-renewal", "de-annual"}));
        QSet<QString> keys;
        for (const Deadline &x : shipped().compute(a, Open, Far))
            keys.insert(x.key);
        QVERIFY(keys.contains("a1/EP/ep-renewal-3/3"));
        QVERIFY(keys.contains("a1/DE/de-annual/3")); // listed once, though written twice
    }

    void lossAndRemedyComeFromTheRules()
    {
        DeadlineAsset ep = asset("patent", "EP");
        ep.filing = d(2021, 3, 15);
        const Deadline year3 = shipped().compute(ep, Open, d(2023, 12, 31)).first();
        QCOMPARE(year3.loss, QStringLiteral("right"));
        QVERIFY2(year3.remedy.contains("Art. 122 EPC"), qPrintable(year3.remedy));
        QCOMPARE(year3.remedyEnds, d(2024, 9, 30)); // one year after the additional period
        // Past the grace end, unsettled: the right is lost, which is not the same as overdue.
        QCOMPARE(deadlineStateName(deadlineState(year3, d(2023, 10, 1), false)),
                 QStringLiteral("rights lost"));
        QVERIFY(isOverdue(deadlineState(year3, d(2023, 10, 1), false)));

        DeadlineAsset wo = asset("patent", "WO");
        wo.priority = d(2022, 1, 31);
        const QList<Deadline> pct = shipped().compute(wo, Open, Far);
        QCOMPARE(pct[1].loss, QStringLiteral("act")); // one office's phase, not the application
        QVERIFY2(pct[1].remedy.contains("Further processing (Art. 121 EPC"),
                 qPrintable(pct[1].remedy));
        QCOMPARE(pct[0].remedyEnds, pct[0].due.addMonths(12)); // PCT Rule 49.6

        DeadlineAsset us = asset("patent", "US");
        us.grant = d(2020, 1, 14);
        QVERIFY(shipped().compute(us, Open, Far).first().remedy.contains("unintentional"));

        // An internal deadline loses nothing: past its day it is overdue, no more.
        DeadlineRules rules = shipped();
        QVERIFY(rules.add(DeadlineRules::ruleFromJson(reviewRule()).value()).ok());
        us.grant = d(2020, 1, 14);
        const QList<Deadline> review = ofRule(rules.compute(us, Open, Far), "review");
        QCOMPARE(review.first().loss, QStringLiteral("none"));
        QVERIFY(review.first().remedy.isEmpty());
        QCOMPARE(deadlineState(review.first(), d(2023, 1, 1), false), DeadlineState::Overdue);

        QCOMPARE(deadlineStateName(DeadlineState::Blocked), QStringLiteral("blocked"));
        QCOMPARE(deadlineStateName(DeadlineState::Lapsed), QStringLiteral("lapsed"));
        QVERIFY(!isOverdue(DeadlineState::Blocked));
        QVERIFY(!isOverdue(DeadlineState::Due));
        QVERIFY(isSettled(DeadlineState::Lapsed));
    }

    void leapDayAnchors()
    {
        // Months are added to the anchor in one step, QDate::addMonths style (29 Feb -> 28 Feb).
        DeadlineAsset us = asset("patent", "US");
        us.grant = d(2020, 2, 29);
        QCOMPARE(
            row(shipped().compute(us, Open, Far).first()),
            QStringLiteral("a1/US/us-maintenance/1 | US maintenance fee (3.5 years) | 2023-08-29 | "
                           "2024-02-29 | 2023-02-28"));

        DeadlineAsset tm = asset("trademark", "JP");
        tm.filing = d(2020, 2, 29);
        QCOMPARE(row(shipped().compute(tm, Open, d(2031, 1, 1)).first()),
                 QStringLiteral("a1/JP/tm-renewal/1 | Trademark renewal (10 years from filing) | "
                                "2030-02-28 | 2030-08-29 | -"));

        DeadlineAsset wo = asset("patent", "WO");
        wo.priority = d(2021, 8, 31);
        const QList<Deadline> pct = shipped().compute(wo, Open, Far);
        QCOMPARE(pct[0].due, d(2024, 2, 29));
        QCOMPARE(pct[1].due, d(2024, 3, 31));

        DeadlineAsset ep = asset("patent", "EP");
        ep.filing = d(2020, 2, 29);
        const QList<Deadline> epAll = shipped().compute(ep, Open, d(2024, 12, 31));
        QCOMPARE(epAll[0].due, d(2022, 2, 28));
        QCOMPARE(epAll[0].graceEnd, d(2022, 8, 31));
        QCOMPARE(epAll[2].due, d(2024, 2, 29));
    }

    void inactiveStatusesProduceNothing_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("active");
        for (const char *s :
             {"lapsed", "ABANDONED", "Expired", "withdrawn", "Revoked", "refused",
              "Lapsed (non-payment of fees)", "Application withdrawn", "dead - abandoned"})
            QTest::newRow(s) << QString::fromLatin1(s) << false;
        for (const char *s : {"", "pending", "Granted", "in force", "not abandoned",
                              "partially refused", "lapsed, reinstated", "expiring soon"})
            QTest::newRow(s[0] ? s : "empty") << QString::fromLatin1(s) << true;
    }

    void inactiveStatusesProduceNothing()
    {
        QFETCH(QString, status);
        QFETCH(bool, active);
        DeadlineAsset a = asset("patent", "DE");
        a.filing = d(2020, 4, 15);
        a.status = status;
        QCOMPARE(!shipped().compute(a, Open, Far).isEmpty(), active);
    }

    void nothingAfterExpiry()
    {
        DeadlineAsset a = asset("patent", "DE");
        a.filing = d(2020, 4, 15);
        a.expiry = d(2025, 4, 15);
        const QList<Deadline> all = shipped().compute(a, Open, Far);
        QCOMPARE(all.size(), 3); // years 3, 4, 5; year 6 is due 2025-04-30, after expiry
        QCOMPARE(all.last().due, d(2024, 4, 30));

        // A renewal due on the expiry date itself is what keeps the right alive: listed.
        DeadlineAsset tm = asset("trademark", "JP");
        tm.registration = d(2015, 3, 10);
        tm.expiry = d(2025, 3, 10);
        QCOMPARE(
            rows(shipped().compute(tm, Open, Far)),
            QStringList{"a1/JP/tm-renewal/1 | Trademark renewal (10 years from registration) | "
                        "2025-03-10 | 2025-09-10 | -"});
    }

    void windowing()
    {
        DeadlineAsset a = asset("patent", "EP");
        a.filing = d(2021, 3, 15);
        // Year 3 was due 2023-03-31 but can still be paid with surcharge until 2023-09-30.
        const auto keys = [&](const QDate &from, const QDate &to) {
            QStringList k;
            for (const Deadline &x : shipped().compute(a, from, to))
                k << x.key;
            return k;
        };
        QCOMPARE(keys(d(2023, 4, 1), d(2024, 3, 30)), QStringList{"a1/EP/ep-renewal-3/3"});
        QCOMPARE(keys(d(2023, 9, 30), d(2024, 3, 31)),
                 (QStringList{"a1/EP/ep-renewal-3/3", "a1/EP/ep-renewal/4"}));
        QCOMPARE(keys(d(2023, 10, 1), d(2024, 3, 31)), QStringList{"a1/EP/ep-renewal/4"});
        QCOMPARE(keys(d(2023, 10, 1), d(2024, 3, 30)), QStringList{});
        QCOMPARE(keys(Open, d(2023, 3, 31)), QStringList{"a1/EP/ep-renewal-3/3"});
        QCOMPARE(keys(d(2040, 3, 31), Open), QStringList{"a1/EP/ep-renewal/20"});

        // An open-ended rule with no upper bound stops at the 200-year horizon.
        DeadlineAsset tm = asset("trademark", "JP");
        tm.registration = d(2015, 3, 10);
        QCOMPARE(shipped().compute(tm, Open, Open).size(), 20);
    }

    void sortedAndStableKeys()
    {
        DeadlineAsset a = asset("patent", "WO");
        a.id = QStringLiteral("3f2a-uuid");
        a.priority = d(2022, 1, 31);
        const QList<Deadline> first = shipped().compute(a, Open, Far);
        const QList<Deadline> again = shipped().compute(a, Open, Far);
        QCOMPARE(first, again);
        QCOMPARE(first[0].key, QStringLiteral("3f2a-uuid/WO/wo-national-phase/1"));
        QCOMPARE(first[0].assetId, QStringLiteral("3f2a-uuid"));

        DeadlineAsset ep = asset("patent", "EP");
        ep.filing = d(2021, 3, 15);
        const QList<Deadline> all = shipped().compute(ep, Open, Far);
        QSet<QString> keys;
        for (qsizetype i = 0; i < all.size(); ++i) {
            keys.insert(all[i].key);
            if (i > 0)
                QVERIFY(all[i - 1].due <= all[i].due);
        }
        QCOMPARE(keys.size(), all.size());
        // A narrower window yields the same key for the same deadline.
        QCOMPARE(shipped().compute(ep, d(2030, 1, 1), d(2030, 12, 31)).first().key,
                 QStringLiteral("a1/EP/ep-renewal/10"));
    }

    void jurisdictionAndTypeMatching()
    {
        DeadlineAsset a = asset(" Patent ", "de"); // docketing systems are not always tidy
        a.filing = d(2020, 4, 15);
        QCOMPARE(ruleIds(shipped().compute(a, Open, Far)), QSet<QString>{"de-annual"});
        a.type = QStringLiteral("copyright");
        QVERIFY(shipped().compute(a, Open, Far).isEmpty());
        a.type = QStringLiteral("patent");
        a.jurisdictions = {QStringLiteral("BR")}; // no rule shipped
        QVERIFY(shipped().compute(a, Open, Far).isEmpty());
    }

    void deadlineStates()
    {
        const Deadline x = sampleDeadline(); // due 2023-03-31, grace to 2023-09-30
        QCOMPARE(deadlineState(x, d(2023, 2, 28), false), DeadlineState::Upcoming); // 31 days
        QCOMPARE(deadlineState(x, d(2023, 3, 1), false), DeadlineState::Due);       // 30 days
        QCOMPARE(deadlineState(x, d(2023, 3, 31), false), DeadlineState::Due);
        QCOMPARE(deadlineState(x, d(2023, 4, 1), false), DeadlineState::InGrace);
        QCOMPARE(deadlineState(x, d(2023, 9, 30), false), DeadlineState::InGrace);
        QCOMPARE(deadlineState(x, d(2023, 10, 1), false), DeadlineState::Overdue);
        QCOMPARE(deadlineState(x, d(2023, 10, 1), true), DeadlineState::Done);
        QCOMPARE(deadlineState(x, d(2022, 1, 1), true), DeadlineState::Done);

        Deadline noGrace = x;
        noGrace.graceEnd = noGrace.due;
        QCOMPARE(deadlineState(noGrace, d(2023, 3, 31), false), DeadlineState::Due);
        QCOMPARE(deadlineState(noGrace, d(2023, 4, 1), false), DeadlineState::Overdue);

        QCOMPARE(deadlineStateName(DeadlineState::Upcoming), QStringLiteral("upcoming"));
        QCOMPARE(deadlineStateName(DeadlineState::Due), QStringLiteral("due"));
        QCOMPARE(deadlineStateName(DeadlineState::InGrace), QStringLiteral("in grace"));
        QCOMPARE(deadlineStateName(DeadlineState::Overdue), QStringLiteral("overdue"));
        QCOMPARE(deadlineStateName(DeadlineState::Done), QStringLiteral("done"));
    }

    void userRules()
    {
        const QByteArray file = R"json({"version": 1, "rules": [
            {"id": "review", "label": "Internal review ({offset} after {anchor})",
             "kind": "review", "types": ["patent"], "anchor": "grant",
             "every": {"years": 2}, "lastSequence": 3},
            {"id": "watch", "label": "Competitor watch, report {n}", "kind": "watch",
             "types": ["patent", "trademark"], "jurisdictions": ["US", "DE"],
             "anchor": ["priority", "filing"], "requires": ["filing"],
             "at": [{"months": 6}, {"months": 18, "label": "Competitor watch, final report"}],
             "firstSequence": 1, "window": {"days": 10}}
        ]})json";
        const auto user = DeadlineRules::fromJson(file, "user-rules.json");
        QVERIFY2(user.ok(), qPrintable(user.errorString()));
        QCOMPARE(user->rules().size(), 2);

        DeadlineRules rules = shipped();
        for (const DeadlineRule &r : user->rules())
            QVERIFY(rules.add(r).ok());

        DeadlineAsset a = asset("patent", "US");
        a.filing = d(2018, 5, 2);
        a.grant = d(2020, 1, 14);
        const QList<Deadline> all = rules.compute(a, Open, Far);
        QCOMPARE(
            rows(ofRule(all, "review")),
            (QStringList{"a1/US/review/1 | Internal review (2 years after grant) | 2022-01-14 | "
                         "2022-01-14 | -",
                         "a1/US/review/2 | Internal review (4 years after grant) | 2024-01-14 | "
                         "2024-01-14 | -",
                         "a1/US/review/3 | Internal review (6 years after grant) | 2026-01-14 | "
                         "2026-01-14 | -"}));
        QCOMPARE(
            rows(ofRule(all, "watch")),
            (QStringList{"a1/US/watch/1 | Competitor watch, report 1 | 2018-11-02 | 2018-11-02 | "
                         "2018-10-23",
                         "a1/US/watch/2 | Competitor watch, final report | 2019-11-02 | "
                         "2019-11-02 | 2019-10-23"}));
        QCOMPARE(ofRule(all, "us-maintenance").size(), 3); // the shipped rules still apply

        // A user rule replaces a shipped one with "supersedes".
        QJsonObject own = reviewRule();
        own.insert("id", "my-us-maintenance");
        own.insert("supersedes", QJsonArray{"us-maintenance"});
        const auto replacing = DeadlineRules::ruleFromJson(own);
        QVERIFY2(replacing.ok(), qPrintable(replacing.errorString()));
        QVERIFY(rules.add(replacing.value()).ok());
        const QSet<QString> ids = ruleIds(rules.compute(a, Open, Far));
        QVERIFY(!ids.contains("us-maintenance"));
        QVERIFY(ids.contains("my-us-maintenance"));
    }

    void ruleJsonRoundTrip()
    {
        const QJsonObject full = object(R"({
            "id": "everything", "label": "All fields, {n}, {offset}, {anchor}", "kind": "test",
            "note": "n", "types": ["design", "trademark"], "jurisdictions": ["DE"],
            "exceptJurisdictions": ["FR"], "anchor": ["registration", "filing"],
            "requires": ["grant"], "first": {"years": 1, "months": 2, "days": 3},
            "every": {"years": 2}, "firstSequence": 5, "lastSequence": 9, "endOfMonth": true,
            "grace": {"months": 6}, "graceEndOfMonth": true, "window": {"months": 3},
            "windowWholeMonths": true, "from": {"anchor": "grant", "days": 1},
            "until": {"date": "2040-01-01"}, "defer": {"anchor": "grant", "months": 3},
            "supersedes": ["design-renewal"], "graceFromDue": true,
            "when": {"date": "registration", "before": "2019-01-14"}, "loss": "right",
            "remedy": {"label": "Re-establishment", "within": {"years": 1}}})");
        const auto rule = DeadlineRules::ruleFromJson(full);
        QVERIFY2(rule.ok(), qPrintable(rule.errorString()));
        QCOMPARE(DeadlineRules::ruleToJson(rule.value()), full);
        QCOMPARE(rule->anchors, (QStringList{"registration", "filing"}));
        QCOMPARE(rule->requiredDates, QStringList{"grant"});
        QCOMPARE(rule->first, (DeadlinePeriod{1, 2, 3}));
        QCOMPARE(rule->until.date, d(2040, 1, 1));
        QCOMPARE(rule->defer.offset.months, 3);
        QCOMPARE(rule->when.before, d(2019, 1, 14));
        QCOMPARE(rule->remedyWithin, (DeadlinePeriod{1, 0, 0}));
        QVERIFY(rule->graceFromDue);

        // "first" defaults to "every"; a single anchor is written as a string.
        const auto simple = DeadlineRules::ruleFromJson(reviewRule());
        QVERIFY(simple.ok());
        QCOMPARE(simple->first, simple->every);
        QCOMPARE(DeadlineRules::ruleToJson(simple.value()), reviewRule());
    }

    void invalidRules_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value"); // JSON, or empty to remove the field
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("dropEvery"); // for rows testing "at"

        QTest::newRow("missing id") << "id"
                                    << ""
                                    << R"(rule without an id, field "id": required)" << false;
        QTest::newRow("slash in id") << "id"
                                     << R"("a/b")"
                                     << R"(field "id")" << false;
        QTest::newRow("missing label") << "label"
                                       << ""
                                       << R"(rule "review", field "label": required)" << false;
        QTest::newRow("unknown label variable")
            << "label"
            << R"("Review {year}")"
            << R"(field "label": unknown label variable {year})" << false;
        QTest::newRow("missing kind") << "kind"
                                      << ""
                                      << R"(field "kind": required)" << false;
        QTest::newRow("bad kind") << "kind"
                                  << R"("Big Review")"
                                  << R"(field "kind")" << false;
        QTest::newRow("unknown type")
            << "types"
            << R"(["invention"])"
            << R"(field "types": unknown asset type "invention")" << false;
        QTest::newRow("no types") << "types"
                                  << "[]"
                                  << R"(field "types": required)" << false;
        QTest::newRow("types not a list") << "types"
                                          << R"("patent")"
                                          << R"(field "types")" << false;
        QTest::newRow("lower-case jurisdiction")
            << "jurisdictions"
            << R"(["de"])"
            << R"(field "jurisdictions": "de" is not a jurisdiction code)" << false;
        QTest::newRow("three-letter jurisdiction") << "jurisdictions"
                                                   << R"(["DEU"])"
                                                   << R"(field "jurisdictions": "DEU")" << false;
        QTest::newRow("bad except") << "exceptJurisdictions"
                                    << R"(["*"])"
                                    << R"(field "exceptJurisdictions")" << false;
        QTest::newRow("unknown anchor") << "anchor"
                                        << R"("publication")"
                                        << R"(field "anchor": unknown date "publication")" << false;
        QTest::newRow("unknown anchor in list")
            << "anchor"
            << R"(["grant", "allowance"])"
            << R"(field "anchor": unknown date "allowance")" << false;
        QTest::newRow("missing anchor") << "anchor"
                                        << ""
                                        << R"(field "anchor": required)" << false;
        QTest::newRow("unknown required date") << "requires"
                                               << R"(["issue"])"
                                               << R"(field "requires")" << false;
        QTest::newRow("negative every") << "every"
                                        << R"({"years": -2})"
                                        << R"(field "every.years": must not be negative)" << false;
        QTest::newRow("negative grace") << "grace"
                                        << R"({"months": -6})"
                                        << R"(field "grace.months": must not be negative)" << false;
        QTest::newRow("negative window") << "window"
                                         << R"({"days": -1})"
                                         << R"(field "window.days": must not be negative)" << false;
        QTest::newRow("fractional months")
            << "grace"
            << R"({"months": 1.5})"
            << R"(field "grace.months": must be a whole number)" << false;
        QTest::newRow("empty period") << "grace"
                                      << "{}"
                                      << R"(field "grace": needs years)" << false;
        QTest::newRow("unknown period field") << "grace"
                                              << R"({"weeks": 2})"
                                              << R"(field "grace.weeks": unknown field)" << false;
        QTest::newRow("zero every") << "every"
                                    << R"({"years": 0})"
                                    << R"(field "every": required)" << false;
        QTest::newRow("no schedule") << "every"
                                     << ""
                                     << R"(field "every": required)" << false;
        QTest::newRow("at and every") << "at"
                                      << R"([{"years": 1}])"
                                      << R"(field "at": give either "at" or "every")" << false;
        QTest::newRow("negative at") << "at"
                                     << R"([{"years": 1}, {"months": -3}])"
                                     << R"(field "at[1].months": must not be negative)" << true;
        QTest::newRow("empty at") << "at"
                                  << "[]"
                                  << R"(field "at": must be a non-empty list)" << true;
        QTest::newRow("bad at label")
            << "at"
            << R"([{"years": 1, "label": "{x}"}])"
            << R"(field "at[0].label": unknown label variable {x})" << true;
        QTest::newRow("bad first sequence") << "firstSequence"
                                            << "0"
                                            << R"(field "firstSequence")" << false;
        QTest::newRow("fractional sequence")
            << "lastSequence"
            << "0.5"
            << R"(field "lastSequence": must be a whole number)" << false;
        QTest::newRow("last below first")
            << "firstSequence"
            << "5"
            << R"(field "lastSequence": 3 is below firstSequence (5))" << false;
        QTest::newRow("negative last") << "lastSequence"
                                       << "-1"
                                       << R"(field "lastSequence": must not be negative)" << false;
        QTest::newRow("bool as string") << "endOfMonth"
                                        << R"("yes")"
                                        << R"(field "endOfMonth": must be true or false)" << false;
        QTest::newRow("grace end without grace") << "graceEndOfMonth"
                                                 << "true"
                                                 << R"(field "graceEndOfMonth")" << false;
        QTest::newRow("whole months without window") << "windowWholeMonths"
                                                     << "true"
                                                     << R"(field "windowWholeMonths")" << false;
        QTest::newRow("bad fixed date")
            << "from"
            << R"({"date": "2025-13-01"})"
            << R"(field "from.date": "2025-13-01" is not a date)" << false;
        QTest::newRow("unknown from anchor") << "until"
                                             << R"({"anchor": "publication"})"
                                             << R"(field "until.anchor": unknown date)" << false;
        QTest::newRow("anchor and date")
            << "from"
            << R"({"anchor": "grant", "date": "2025-01-01"})"
            << R"(field "from": give either "anchor" or "date")" << false;
        QTest::newRow("negative until") << "until"
                                        << R"({"anchor": "filing", "years": -1})"
                                        << R"(field "until.years": must not be negative)" << false;
        QTest::newRow("defer by date") << "defer"
                                       << R"({"date": "2025-01-01"})"
                                       << R"(field "defer.anchor": required)" << false;
        QTest::newRow("supersedes itself")
            << "supersedes"
            << R"(["review"])"
            << R"(field "supersedes": a rule cannot supersede itself)" << false;
        QTest::newRow("grace from due without grace")
            << "graceFromDue"
            << "true"
            << R"(field "graceFromDue": needs a "grace" period)" << false;
        QTest::newRow("condition on an unknown date")
            << "when"
            << R"({"date": "birthday", "before": "2019-01-14"})"
            << R"(field "when.date": unknown date "birthday")" << false;
        QTest::newRow("condition without a bound")
            << "when"
            << R"({"date": "registration"})"
            << R"(field "when": give either "before" or "onOrAfter")" << false;
        QTest::newRow("condition with a bad date")
            << "when"
            << R"({"date": "registration", "before": "14.01.2019"})"
            << R"(field "when.before": "14.01.2019" is not a date)" << false;
        QTest::newRow("condition with an unknown field")
            << "when"
            << R"({"date": "registration", "after": "2019-01-14"})"
            << R"(field "when.after": unknown field)" << false;
        QTest::newRow("year numbers with a first sequence")
            << "sequenceYear"
            << "true"
            << R"(field "sequenceYear": the year numbers the deadlines)" << false;
        QTest::newRow("unknown loss")
            << "loss"
            << R"("everything")"
            << R"(field "loss": "everything": use right, act or none)" << false;
        QTest::newRow("remedy without a label") << "remedy"
                                                << R"({"within": {"years": 1}})"
                                                << R"(field "remedy.label": required)" << false;
        QTest::newRow("remedy with an unknown field")
            << "remedy"
            << R"({"label": "x", "until": {"years": 1}})"
            << R"(field "remedy.until": unknown field)" << false;
        QTest::newRow("remedy with a negative period")
            << "remedy"
            << R"({"label": "x", "within": {"months": -2}})"
            << R"(field "remedy.within.months": must not be negative)" << false;
        QTest::newRow("remedy for a deadline that loses nothing")
            << "remedy"
            << R"({"label": "Ask again"})"
            << R"(field "remedy": a deadline that loses nothing)" << false;
        QTest::newRow("unknown field")
            << "endOfMonht"
            << "true"
            << R"(rule "review", field "endOfMonht": unknown field)" << false;
    }

    void invalidRules()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QFETCH(bool, dropEvery);
        QJsonObject o = reviewRule();
        if (dropEvery)
            o.remove("every");
        if (value.isEmpty()) {
            o.remove(field);
        } else {
            const QJsonDocument v = QJsonDocument::fromJson(("[" + value + "]").toUtf8());
            QVERIFY(v.isArray());
            o.insert(field, v.array().first());
        }
        const auto rule = DeadlineRules::ruleFromJson(o);
        QVERIFY(!rule.ok());
        QCOMPARE(rule.error().code, QStringLiteral("bad-rule"));
        QVERIFY2(rule.errorString().contains(expected), qPrintable(rule.errorString()));

        // In a file the message also names the source and the rule's position.
        const QJsonObject file{{"version", 1}, {"rules", QJsonArray{o}}};
        const auto rules = DeadlineRules::fromJson(QJsonDocument(file).toJson(), "user-rules.json");
        QVERIFY(!rules.ok());
        const QString name = expected.section(QStringLiteral("field \""), 1).section('"', 0, 0);
        QVERIFY2(rules.errorString().startsWith("user-rules.json: rule 1 ("),
                 qPrintable(rules.errorString()));
        QVERIFY2(rules.errorString().contains(QStringLiteral("field \"%1\"").arg(name)),
                 qPrintable(rules.errorString()));
    }

    void invalidFiles()
    {
        const auto check = [](const QByteArray &json, const QString &code, const QString &part) {
            const auto r = DeadlineRules::fromJson(json, "mine.json");
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, code);
            QVERIFY2(r.errorString().startsWith("mine.json: "), qPrintable(r.errorString()));
            QVERIFY2(r.errorString().contains(part), qPrintable(r.errorString()));
        };
        check("{\"version\": 1,\n \"rules\": [,]}", "bad-json", "line 2");
        check("[]", "bad-json", "expected an object");
        check(R"({"version": 2, "rules": []})", "bad-version", R"(field "version")");
        check(R"({"rules": []})", "bad-version", R"(field "version")");
        check(R"({"version": 1, "rules": {}})", "bad-json", R"(field "rules")");
        check(R"({"version": 1, "rules": [], "extra": 1})", "bad-json", R"(unknown field "extra")");
        check(R"({"version": 1, "rules": [3]})", "bad-rule", "rule 1: must be an object");

        QJsonObject second = reviewRule();
        second.insert("label", "Again");
        const QJsonObject dup{{"version", 1}, {"rules", QJsonArray{reviewRule(), second}}};
        check(QJsonDocument(dup).toJson(), "duplicate-rule",
              R"(rule 2 ("review"), field "id": already used by rule 1)");

        QJsonObject bad = reviewRule();
        bad.insert("grace", QJsonObject{{"months", -6}});
        QJsonObject okRule = reviewRule();
        okRule.insert("id", "first-one");
        const QJsonObject withIndex{{"version", 1}, {"rules", QJsonArray{okRule, bad}}};
        check(QJsonDocument(withIndex).toJson(), "bad-rule",
              R"(mine.json: rule 2 ("review"), field "grace.months": must not be negative)");

        const auto empty = DeadlineRules::fromJson(R"({"version": 1, "rules": []})", "empty.json");
        QVERIFY(empty.ok());
        QVERIFY(empty->rules().isEmpty());
    }

    void duplicateIdsRefused()
    {
        DeadlineRules rules = shipped();
        const qsizetype before = rules.rules().size();
        DeadlineRule copy = rules.rules().first();
        const Status s = rules.add(copy);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("duplicate-rule"));
        QVERIFY2(s.errorString().contains(QStringLiteral("rule \"%1\", field \"id\"").arg(copy.id)),
                 qPrintable(s.errorString()));
        QCOMPARE(rules.rules().size(), before);

        copy.id = QStringLiteral("fresh");
        QVERIFY(rules.add(copy).ok());
        QCOMPARE(rules.rules().size(), before + 1);
    }

    void addValidatesRulesBuiltInCpp()
    {
        DeadlineRules rules;
        DeadlineRule r;
        r.id = QStringLiteral("x");
        r.label = QStringLiteral("X");
        r.kind = QStringLiteral("renewal");
        r.types = {QStringLiteral("patent")};
        r.anchors = {QStringLiteral("filing")};
        r.every = {0, 0, 0};
        Status s = rules.add(r);
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains(R"(rule "x", field "every")"),
                 qPrintable(s.errorString()));
        r.every = {1, 0, 0};
        r.grace = {0, -1, 0};
        s = rules.add(r);
        QVERIFY2(s.errorString().contains(R"(field "grace.months": must not be negative)"),
                 qPrintable(s.errorString()));
        r.grace = {};
        r.jurisdictions = {QStringLiteral("Germany")};
        QVERIFY(!rules.add(r).ok());
        r.jurisdictions = {QStringLiteral("DE")};
        QVERIFY(rules.add(r).ok());
        QCOMPARE(rules.rules().size(), 1);
    }

    void iCalendar()
    {
        DeadlineAsset a = asset("patent", "EP");
        a.reference = QStringLiteral("P-1,2;3");
        a.title = QStringLiteral("Überwachungsgerät für Flüssigkeiten; Verfahren, System\nund "
                                 "Verwendung — ein sehr langer Titel mit Umlauten äöü");
        a.filing = d(2021, 3, 15);
        const QList<Deadline> list = shipped().compute(a, Open, d(2025, 12, 31));
        QCOMPARE(list.size(), 3);
        const QDateTime stamp(d(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
        const QByteArray ics = toICalendar(list, stamp);

        // CRLF everywhere, no bare CR or LF, every physical line at most 75 octets and valid UTF-8.
        QVERIFY(ics.endsWith("END:VCALENDAR\r\n"));
        QVERIFY(ics.startsWith("BEGIN:VCALENDAR\r\n"));
        QList<QByteArray> physical = ics.split('\n');
        QVERIFY(physical.takeLast().isEmpty());
        bool folded = false;
        for (const QByteArray &line : physical) {
            QVERIFY2(line.endsWith('\r'), line.constData());
            const QByteArray content = line.chopped(1);
            QVERIFY(!content.contains('\r'));
            QVERIFY2(content.size() <= 75, content.constData());
            QCOMPARE(QString::fromUtf8(content).toUtf8(), content);
            folded = folded || content.startsWith(' ');
        }
        QVERIFY(folded);

        // Unfolded logical lines: balanced BEGIN/END, one VEVENT and one VALARM per deadline.
        QByteArray unfolded = ics;
        unfolded.replace("\r\n ", "");
        QList<QByteArray> lines = unfolded.split('\n');
        QVERIFY(lines.takeLast().isEmpty());
        QStringList stack;
        int events = 0, alarms = 0;
        QStringList logical;
        for (QByteArray line : lines) {
            line.chop(1);
            const QString text = QString::fromUtf8(line);
            logical << text;
            if (text.startsWith("BEGIN:")) {
                stack.push_back(text.mid(6));
                events += text == "BEGIN:VEVENT";
                alarms += text == "BEGIN:VALARM";
            } else if (text.startsWith("END:")) {
                QVERIFY(!stack.isEmpty());
                QCOMPARE(stack.takeLast(), text.mid(4));
            } else {
                QVERIFY2(text.contains(':'), qPrintable(text));
            }
        }
        QVERIFY(stack.isEmpty());
        QCOMPARE(events, 6); // the due date and the grace end of each
        QCOMPARE(alarms, 9); // 14 days before each, and on the last day

        QVERIFY(logical.contains("VERSION:2.0"));
        QVERIFY(logical.contains("UID:a1/EP/ep-renewal-3/3@cartulary"));
        QVERIFY(logical.contains("DTSTAMP:20240102T030405Z"));
        QVERIFY(logical.contains("DTSTART;VALUE=DATE:20230331"));
        QVERIFY(logical.contains("DTEND;VALUE=DATE:20230401"));
        QVERIFY(logical.contains(R"(SUMMARY:P-1\,2\;3: EP renewal fee\, year 3)"));
        QVERIFY(logical.contains("TRIGGER:-P14D"));
        const QString description = logical.filter("DESCRIPTION:Überwachungsgerät").first();
        QCOMPARE(description,
                 QStringLiteral(R"(DESCRIPTION:Überwachungsgerät für Flüssigkeiten\; Verfahren\, )"
                                R"(System\nund Verwendung — ein sehr langer Titel mit Umlauten )"
                                R"(äöü\nJurisdiction: EP\nDue: 2023-03-31\nGrace period (with )"
                                R"(surcharge) ends: 2023-09-30\nPayable from: 2022-09-30)"));
        QCOMPARE(logical.filter("DTSTAMP:").size(), 6);
        QCOMPARE(logical.filter("SEQUENCE:0").size(), 6);
        // The grace end is the real last day: an event of its own, with an alarm on the day.
        QVERIFY(logical.contains("UID:a1/EP/ep-renewal-3/3/grace-end@cartulary"));
        QVERIFY(logical.contains("DTSTART;VALUE=DATE:20230930"));
        QVERIFY(logical.contains(
            R"(SUMMARY:Grace ends (last day): P-1\,2\;3: EP renewal fee\, year 3)"));
        QVERIFY(logical.contains("TRIGGER:PT0S"));

        const QByteArray empty = toICalendar({}, stamp);
        QCOMPARE(empty, QByteArray("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cartulary//"
                                   "Deadlines//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
                                   "END:VCALENDAR\r\n"));
    }

    void iCalendarMarksLostRightsAndRevisions()
    {
        Deadline lost = sampleDeadline();
        lost.reference = QStringLiteral("P-1");
        lost.label = QStringLiteral("EP renewal fee, year 3");
        lost.rightsLost = true;
        lost.remedy = QStringLiteral("Re-establishment of rights (Art. 122 EPC)");
        lost.remedyEnds = d(2024, 9, 30);
        lost.revision = 2;
        lost.graceRevision = 1;
        Deadline blocked = sampleDeadline();
        blocked.key = QStringLiteral("a1/EP/ep-renewal/4");
        blocked.label = QStringLiteral("EP renewal fee, year 4");
        blocked.due = d(2024, 3, 31);
        blocked.graceEnd = blocked.due;
        blocked.blockedBy = lost.key;
        blocked.blockedByLabel = QStringLiteral("P-1: EP renewal fee, year 3");
        QByteArray ics =
            toICalendar({lost, blocked}, QDateTime(d(2024, 1, 2), QTime(0, 0), Qt::UTC));
        ics.replace("\r\n ", "");
        const QStringList logical = QString::fromUtf8(ics).split(QStringLiteral("\r\n"));
        QVERIFY(logical.contains("SUMMARY:RIGHTS LOST – P-1: EP renewal fee\\, year 3"));
        QVERIFY(logical.contains(
            "SUMMARY:RIGHTS LOST – Grace ends (last day): P-1: EP renewal fee\\, year 3"));
        QVERIFY(logical.contains("CATEGORIES:rights lost"));
        QVERIFY(logical.contains("SUMMARY:Blocked – EP renewal fee\\, year 4"));
        QVERIFY(!logical.filter("Remedy: Re-establishment of rights (Art. 122 EPC)").isEmpty());
        QVERIFY(!logical.filter("Remedy at the latest by: 2024-09-30").isEmpty());
        QVERIFY(!logical.filter("Depends on P-1: EP renewal fee\\, year 3").isEmpty());
        // SEQUENCE per event: the due date moved twice, the grace end once.
        const qsizetype due = logical.indexOf("UID:" + lost.key + "@cartulary");
        const qsizetype grace = logical.indexOf("UID:" + lost.key + "/grace-end@cartulary");
        QVERIFY(due >= 0 && grace >= 0);
        QCOMPARE(logical[due + 1], QStringLiteral("SEQUENCE:2"));
        QCOMPARE(logical[grace + 1], QStringLiteral("SEQUENCE:1"));
    }

    void iCalendarEscapesBackslashAndLineBreaks()
    {
        Deadline x = sampleDeadline();
        x.reference = QStringLiteral("A\\B");
        x.label = QStringLiteral("one\r\ntwo\rthree");
        QByteArray ics = toICalendar({x}, QDateTime(d(2024, 1, 2), QTime(0, 0), Qt::UTC));
        ics.replace("\r\n ", "");
        QVERIFY2(ics.contains("SUMMARY:A\\\\B: one\\ntwo\\nthree\r\n"), ics.constData());
    }
};

QTEST_GUILESS_MAIN(TestDeadlines)
#include "tst_deadlines.moc"
