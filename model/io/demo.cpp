// SPDX-License-Identifier: GPL-3.0-or-later
// Demo data: biotech patent families with PCT national phases, trademarks, designs, works,
// datasets, models, software, secrets, plant varieties and domain names of one organisation, under
// whatever name the organisation's identity has.
#include "model/io/demo.h"

#include "model/portfolio/deadlines.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>

namespace cartulary::model {

namespace {

constexpr auto DemoOrg = "Meridian Biotech GmbH";

/** Deterministic randomness: the same demo for the same day. */
class Dice
{
public:
    explicit Dice(quint32 seed)
        : m_gen(seed)
    {}
    int upTo(int n) { return int(m_gen.bounded(quint32(n))); }
    template<typename T>
    const T &pick(const QList<T> &list)
    {
        return list[upTo(int(list.size()))];
    }
    bool chance(int percent) { return upTo(100) < percent; }

private:
    QRandomGenerator m_gen;
};

/** Stable ids, so that the demo can name its own deadlines (their keys start with the id). */
QString demoId(const QString &reference)
{
    static const QUuid space =
        QUuid::fromString(QStringLiteral("6f0c5a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"));
    return QUuid::createUuidV5(space, reference).toString(QUuid::WithoutBraces);
}

struct Writer
{
    QString org; ///< the organisation whose portfolio this is: the owner of its own assets
    QByteArray out;
    QList<DeadlineAsset> registered;

    /** A third party keeps its name, unless the organisation has it: then it is told apart. */
    QString party(const QString &name) const
    {
        return name == org ? QStringLiteral("%1 (partner)").arg(name) : name;
    }
    /** The organisation with its share and a third party with the rest; or the party alone. */
    QJsonArray owners(const QString &other, int otherShare) const
    {
        QJsonArray list;
        if (otherShare < 10000)
            list.append(QJsonObject{{"name", org}, {"basis_points", 10000 - otherShare}});
        list.append(QJsonObject{{"name", party(other)}, {"basis_points", otherShare}});
        return list;
    }

    void command(QJsonObject o)
    {
        if (o.value("command").toString() == "register-asset") {
            const QString ref = o.value("reference").toString();
            o.insert("id", demoId(ref));
            auto date = [&o](const char *k) {
                return QDate::fromString(o.value(QLatin1String(k)).toString(), Qt::ISODate);
            };
            registered.append(
                {demoId(ref), ref, o.value("title").toString(), o.value("type").toString(),
                 o.value("jurisdiction").toString().split(u';', Qt::SkipEmptyParts),
                 o.value("status").toString(), date("filing_date"), date("priority_date"),
                 date("grant_date"), date("registration_date"), date("expiry_date")});
        }
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    void comment(const QString &text) { out += "# " + text.toUtf8() + '\n'; }
};

QString iso(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

QString digits(Dice &dice, int n)
{
    QString s;
    for (int i = 0; i < n; ++i)
        s += QChar(u'0' + dice.upTo(10));
    return s;
}

/** An application number in the style of each office. */
QString applicationNumber(Dice &dice, const QString &jurisdiction, const QDate &filed)
{
    const QString yy = QString::number(filed.year() % 100).rightJustified(2, u'0');
    const QString yyyy = QString::number(filed.year());
    if (jurisdiction == "EP")
        return QStringLiteral("EP%1%2.%3").arg(yy, digits(dice, 6), digits(dice, 1));
    if (jurisdiction == "US")
        return QStringLiteral("US %1/%2,%3")
            .arg(17 + (filed.year() - 2020))
            .arg(digits(dice, 3), digits(dice, 3));
    if (jurisdiction == "DE")
        return QStringLiteral("DE 10 %1 %2 %3.%4")
            .arg(yyyy, digits(dice, 3), digits(dice, 3), digits(dice, 1));
    if (jurisdiction == "WO")
        return QStringLiteral("PCT/EP%1/%2").arg(yyyy, digits(dice, 6));
    if (jurisdiction == "JP")
        return QStringLiteral("JP%1-%2").arg(yyyy, digits(dice, 6));
    if (jurisdiction == "CN")
        return QStringLiteral("CN%1%2.%3").arg(yyyy, digits(dice, 8), digits(dice, 1));
    if (jurisdiction == "GB")
        return QStringLiteral("GB%1%2.%3").arg(yy, digits(dice, 5), digits(dice, 1));
    if (jurisdiction == "FR")
        return QStringLiteral("FR%1%2").arg(yy, digits(dice, 5));
    if (jurisdiction == "EM")
        return digits(dice, 9);
    return QStringLiteral("%1%2").arg(jurisdiction, digits(dice, 8));
}

QJsonObject event(const QString &ref, const QString &kind, const QDate &date,
                  const QString &actorKind = {}, const QString &actorName = {},
                  const QString &note = {})
{
    QJsonObject o{
        {"command", "add-phase-event"}, {"asset", ref}, {"event", kind}, {"date", iso(date)}};
    if (!actorKind.isEmpty())
        o.insert("actor", QJsonObject{{"kind", actorKind}, {"name", actorName}});
    if (!note.isEmpty())
        o.insert("note", note);
    return o;
}

QString officeName(const QString &j)
{
    static const QHash<QString, QString> names{{"EP", "European Patent Office"},
                                               {"US", "USPTO"},
                                               {"DE", "DPMA"},
                                               {"WO", "WIPO (PCT)"},
                                               {"JP", "JPO"},
                                               {"CN", "CNIPA"},
                                               {"GB", "UK IPO"},
                                               {"FR", "INPI"},
                                               {"EM", "EUIPO"}};
    return names.value(j, QStringLiteral("IP office"));
}

void patentFamilies(Writer &w, Dice &dice, const QDate &today)
{
    const QList<QStringList> families{
        {"Lipid nanoparticle formulation for stabilised mRNA delivery",
         "Dr. Lena Hofmann;Dr. Arjun Mehta"},
        {"CRISPR-Cas12 guide RNA with reduced off-target activity",
         "Dr. Sofia Marquez;Jonas Weber"},
        {"Thermostable DNA polymerase variant for isothermal amplification", "Dr. Kenji Sato"},
        {"Graph-based alignment for genomic variant calling", "Dr. Priya Raman;Tobias Klein"},
        {"Continuous perfusion control for mammalian bioreactors", "Dr. Marta Nowak"},
        {"Antibody-drug conjugate with cleavable peptide linker",
         "Dr. Hannah Schulz;Dr. Ibrahim Okafor"},
        {"Microfluidic single-cell sequencing cartridge", "Dr. Elena Rossi"},
        {"Method for predicting protein stability from sequence",
         "Dr. Arjun Mehta;Dr. Lena Hofmann"},
        {"Cryopreservation medium free of dimethyl sulfoxide", "Dr. Clara Becker"},
        {"Bispecific T-cell engager targeting CLDN18.2", "Dr. Ibrahim Okafor"},
        {"Viral vector purification by multimodal chromatography", "Dr. Marta Nowak;Felix Braun"},
        {"Enzymatic synthesis of long oligonucleotides", "Dr. Kenji Sato;Dr. Sofia Marquez"},
        {"Biomarker panel for early sepsis detection", "Dr. Hannah Schulz"},
        {"Self-amplifying RNA replicon with reduced immunogenicity", "Dr. Lena Hofmann"},
        {"Automated colony picking with machine vision", "Tobias Klein;Jonas Weber"},
        {"Stabilised prefusion RSV F protein antigen", "Dr. Priya Raman"},
        {"Cell-free protein expression system for membrane proteins",
         "Dr. Elena Rossi;Felix Braun"},
        {"Nanopore sequencing adapter with improved ligation", "Dr. Arjun Mehta"},
        {"Gene therapy vector with liver-specific promoter", "Dr. Clara Becker;Dr. Ibrahim Okafor"},
        {"Closed-loop glucose control in perfusion culture", "Dr. Marta Nowak"},
        {"Peptide inhibitor of the IL-23 receptor", "Dr. Sofia Marquez"},
        {"Method for detecting contamination in cell banks", "Jonas Weber"},
        {"Lyophilised mRNA vaccine stable at room temperature", "Dr. Lena Hofmann;Felix Braun"},
        {"Base editor with narrowed editing window", "Dr. Sofia Marquez"},
        {"Affinity tag for one-step purification of membrane proteins", "Dr. Elena Rossi"},
        {"Machine-learning triage of variants of uncertain significance",
         "Dr. Priya Raman;Tobias Klein"},
        {"Perfusion bioreactor with acoustic cell retention", "Dr. Marta Nowak;Felix Braun"},
        {"Oral peptide formulation with permeation enhancer", "Dr. Hannah Schulz"},
        {"Cas9 ribonucleoprotein delivery by electroporation", "Dr. Sofia Marquez;Jonas Weber"},
        {"Digital PCR assay for residual host-cell DNA", "Dr. Kenji Sato"},
        {"Allogeneic CAR-T cells with HLA knockout", "Dr. Ibrahim Okafor;Dr. Clara Becker"},
        {"Spatial transcriptomics slide with barcoded capture probes",
         "Dr. Elena Rossi;Dr. Arjun Mehta"},
        {"Continuous downstream processing with periodic counter-current chromatography",
         "Dr. Marta Nowak"},
        {"Synthetic promoter library for CHO cell expression", "Dr. Kenji Sato;Felix Braun"},
        {"Exosome loading with siRNA by sonication", "Dr. Lena Hofmann"},
        {"Antibody humanisation guided by structure prediction",
         "Dr. Arjun Mehta;Dr. Ibrahim Okafor"},
    };
    const QStringList coOwners{"Universität Heidelberg", "Fraunhofer IZI", "Karolinska Institutet",
                               "Helix Therapeutics Inc."};
    int n = 0;
    for (const QStringList &f : families) {
        ++n;
        const QString base = QStringLiteral("MBG-P%1").arg(n, 3, 10, QChar(u'0'));
        // Priority filings spread over the last eight years; some families young enough that the
        // PCT national phase is due around now.
        const int ageMonths = 6 + dice.upTo(96);
        QDate priority = today.addMonths(-ageMonths).addDays(-dice.upTo(28));
        if (n % 5 == 0) // national phase entry (30 months) falls within the next weeks
            priority = today.addMonths(-30).addDays(10 + dice.upTo(40));
        if (n % 7 == 0) // EP renewal fell due last month: overdue, in grace
            priority = today.addMonths(-12 * (3 + dice.upTo(3)) - 1);
        const QString firstJ = dice.chance(60) ? "DE" : "EP";
        const bool shared = dice.chance(30);
        const QJsonArray owners = shared ? w.owners(dice.pick(coOwners), 4000) : QJsonArray();
        auto reg = [&](const QString &ref, const QString &j, const QDate &filed,
                       const QString &status, const QDate &grant, const QString &family) {
            QJsonObject c{{"command", "register-asset"},
                          {"reference", ref},
                          {"title", f[0]},
                          {"type", "patent"},
                          {"jurisdiction", j},
                          {"filing_date", iso(filed)},
                          {"priority_date", iso(priority)},
                          {"status", status},
                          {"creators", QJsonArray::fromStringList(f[1].split(u';'))},
                          {"identifiers",
                           QJsonArray{QJsonObject{{"scheme", "application"},
                                                  {"value", applicationNumber(dice, j, filed)}}}},
                          {"tags", QJsonArray{n % 3 == 0 ? "platform" : "pipeline", "biotech"}}};
            if (!family.isEmpty())
                c.insert("family", family);
            if (grant.isValid())
                c.insert("grant_date", iso(grant));
            if (j != "WO")
                c.insert("expiry_date", iso(filed.addYears(20)));
            if (!owners.isEmpty())
                c.insert("owners", owners);
            w.command(c);
        };
        w.comment(QStringLiteral("Patent family %1: %2").arg(base, f[0]));
        const QString first = base + u'-' + firstJ;
        const QDate disclosed = priority.addDays(-40 - dice.upTo(60));
        const bool firstGranted = ageMonths > 40;
        reg(first, firstJ, priority, firstGranted ? "granted" : "pending",
            firstGranted ? priority.addMonths(34 + dice.upTo(10)) : QDate(), {});
        w.command(event(first, "disclosed", disclosed, "ip-generator", f[1].split(u';').first(),
                        "Invention disclosure form submitted"));
        w.command(event(first, "strategy-decided", disclosed.addDays(20), "legal-representative",
                        "Dr. Weiss & Partner",
                        "File first in " + firstJ + ", PCT within the year"));
        w.command(event(first, "filed", priority, "ip-office", officeName(firstJ)));
        if (n % 4 == 1)
            w.command(event(first, "portfolio-reviewed", today.addMonths(-2), "auditor",
                            "IP committee", "Annual portfolio review: keep"));
        if (priority.addMonths(18) < today)
            w.command(
                event(first, "published", priority.addMonths(18), "ip-office", officeName(firstJ)));
        if (firstGranted)
            w.command(
                event(first, "granted", priority.addMonths(34), "ip-office", officeName(firstJ)));
        // PCT at 12 months, national phases at 30/31 months.
        const QDate pctDate = priority.addMonths(12).addDays(-dice.upTo(10));
        if (pctDate > today)
            continue;
        const QString pct = base + "-WO";
        reg(pct, "WO", pctDate, priority.addMonths(30) < today ? "published" : "pending", {},
            first);
        w.command(event(pct, "filed", pctDate, "ip-office", officeName("WO")));
        if (priority.addMonths(30) > today)
            continue;
        for (const QString j : {"EP", "US", "JP", "CN"}) {
            if (j == firstJ || (j == "CN" && !dice.chance(60)) || (j == "JP" && !dice.chance(70)))
                continue;
            const QDate entry = priority.addMonths(j == "EP" ? 31 : 30).addDays(-dice.upTo(20));
            const bool granted = entry.addMonths(24) < today && dice.chance(70);
            const QString ref = base + u'-' + j;
            reg(ref, j, pctDate, granted ? "granted" : "pending",
                granted ? entry.addMonths(20 + dice.upTo(14)) : QDate(), first);
            w.command(
                event(ref, "filed", entry, "ip-office", officeName(j), "National phase entry"));
            if (entry.addMonths(8) < today)
                w.command(event(ref, "examined", entry.addMonths(8), "ip-office", officeName(j),
                                "First office action"));
            if (granted) {
                w.command(event(ref, "granted", entry.addMonths(20), "ip-office", officeName(j)));
                if (dice.chance(40))
                    w.command(event(ref, "licensed", entry.addMonths(24), "licensee",
                                    "Helix Therapeutics Inc.", "Non-exclusive field licence"));
                if (dice.chance(30))
                    w.command(event(ref, "valued", today.addMonths(-dice.upTo(10)), "financier",
                                    "Ernst & Young", "Relief-from-royalty valuation"));
            }
        }
    }
}

void trademarks(Writer &w, Dice &dice, const QDate &today)
{
    const QStringList marks{"MERIDIAN",  "NANOVAX",  "GENEFLOW",
                            "CELLSPARK", "HELIXA",   "VARIOSEQ",
                            "PURIFAB",   "CRYOSAFE", "MERIDIAN BIOTECH (figurative)"};
    const QStringList jurisdictions{"EM", "US", "GB", "CN", "JP", "CH", "KR", "AU", "BR", "IN"};
    int n = 0;
    for (const QString &mark : marks) {
        for (const QString &j : jurisdictions) {
            if ((n % 3 == 2 && j == "JP") || (j == "BR" && n % 2 == 0) || (j == "IN" && n % 3 == 0))
                continue;
            ++n;
            const QString ref = QStringLiteral("MBG-TM%1-%2").arg(n, 3, 10, QChar(u'0')).arg(j);
            // Registered 2 to 19 years ago; some renewals come due within months.
            QDate filed = today.addMonths(-(24 + dice.upTo(200)));
            if (n % 6 == 0)
                filed = today.addYears(-10).addMonths(1 + dice.upTo(3));
            if (n % 11 == 0)
                filed = today.addYears(-10).addMonths(-2); // renewal overdue, within grace
            const QDate registered = filed.addMonths(5 + dice.upTo(8));
            QJsonObject c{{"command", "register-asset"},
                          {"reference", ref},
                          {"title", mark},
                          {"type", "trademark"},
                          {"jurisdiction", j},
                          {"filing_date", iso(filed)},
                          {"registration_date", iso(registered)},
                          {"status", "registered"},
                          {"identifiers",
                           QJsonArray{QJsonObject{{"scheme", "application"},
                                                  {"value", applicationNumber(dice, j, filed)}}}},
                          {"tags", QJsonArray{"brand", "classes 1, 5, 42"}}};
            w.command(c);
            w.command(event(ref, "filed", filed, "legal-representative", "Dr. Weiss & Partner"));
            w.command(event(ref, "registered", registered, "ip-office", officeName(j)));
            if (registered.addYears(10) < today)
                w.command(
                    event(ref, "renewed", registered.addYears(10), "ip-office", officeName(j)));
            if (dice.chance(20))
                w.command(event(ref, "infringement-reported", today.addDays(-dice.upTo(300)),
                                "right-holder", w.org, "Look-alike mark on an online marketplace"));
        }
    }
}

void otherAssets(Writer &w, Dice &dice, const QDate &today)
{
    struct Item
    {
        QString ref, title, type, jurisdiction;
        int ageMonths;
        QJsonArray identifiers;
        QString creators;
        QString coOwner; ///< "Name:basis points" of a third party; the organisation holds the rest
    };
    const QList<Item> items{
        {"MBG-D001",
         "Bioreactor housing with viewing window",
         "design",
         "EM",
         50,
         {},
         "Lisa Brandt",
         {}},
        {"MBG-D002", "Pipette tip rack", "design", "EM", 58, {}, "Lisa Brandt", {}},
        {"MBG-D003", "Sample transport box", "design", "US", 30, {}, "Lisa Brandt", {}},
        {"MBG-U001",
         "Pipette tip rack with snap lid",
         "utility-model",
         "DE",
         34,
         {},
         "Felix Braun",
         {}},
        {"MBG-U002",
         "Clamp for single-use bioreactor bags",
         "utility-model",
         "DE",
         71,
         {},
         "Felix Braun",
         {}},
        {"MBG-C001",
         "Meridian laboratory protocol handbook, 4th edition",
         "copyright",
         "DE",
         20,
         QJsonArray{QJsonObject{{"scheme", "ISBN"}, {"value", "978-3-16-148410-0"}}},
         "Dr. Clara Becker;Dr. Elena Rossi",
         {}},
        {"MBG-C002", "Song: \"Helix Dreams\"", "copyright", "DE", 40,
         QJsonArray{QJsonObject{{"scheme", "ISWC"}, {"value", "T-034.524.680-1"}}},
         "Mara Lind;Jonas Weber", "Lind Music Publishing:5000"},
        {"MBG-C003",
         "Recording: \"Helix Dreams\" (studio version)",
         "copyright",
         "DE",
         36,
         QJsonArray{QJsonObject{{"scheme", "ISRC"}, {"value", "DE-A12-23-00001"}}},
         "Mara Lind",
         {}},
        {"MBG-C004", "Recording: \"Helix Dreams\" (Night Shift remix)", "copyright", "DE", 12,
         QJsonArray{QJsonObject{{"scheme", "ISRC"}, {"value", "DE-A12-24-00017"}}},
         "DJ Night Shift", "Night Shift Records:3000"},
        {"MBG-C005",
         "Corporate image film \"Inside the Lab\"",
         "copyright",
         "DE",
         26,
         QJsonArray{
             QJsonObject{{"scheme", "ISAN"}, {"value", "0000-0002-3A8E-0000-2-0000-0000-N"}}},
         "Studio Kranich",
         {}},
        {"MBG-DS001", "Genomic cohort dataset GC-3 (12,400 exomes)", "dataset", "DE", 30,
         QJsonArray{
             QJsonObject{{"scheme", "DOI"}, {"value", "10.5281/zenodo.7712345"}},
             QJsonObject{
                 {"scheme", "SHA-256"},
                 {"value", "9f2c4e1ab7d3c0e5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"}}},
         "Dr. Priya Raman", "Universität Heidelberg:3000"},
        {"MBG-DS002",
         "Curated protein stability measurements PSM-1",
         "dataset",
         "DE",
         18,
         QJsonArray{QJsonObject{{"scheme", "DOI"}, {"value", "10.5281/zenodo.8123456"}}},
         "Dr. Arjun Mehta",
         {}},
        {"MBG-DS003",
         "Cleaned subset of GC-3 for variant effect training",
         "dataset",
         "DE",
         14,
         QJsonArray{QJsonObject{
             {"scheme", "SHA-256"},
             {"value", "1c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f"}}},
         "Dr. Priya Raman",
         {}},
        {"MBG-M001",
         "Variant effect predictor VEP-2 (trained model)",
         "model",
         "DE",
         10,
         QJsonArray{QJsonObject{
             {"scheme", "SHA-256"},
             {"value", "a3f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff"}}},
         "Dr. Priya Raman;Tobias Klein",
         {}},
        {"MBG-M002",
         "Protein stability regressor PSR-1 (trained model)",
         "model",
         "DE",
         8,
         {},
         "Dr. Arjun Mehta",
         {}},
        {"MBG-M003",
         "Composite genomic risk index GRI-1",
         "model",
         "DE",
         4,
         {},
         "Dr. Priya Raman;Dr. Arjun Mehta",
         {}},
        {"MBG-S001",
         "Pipeline orchestrator (software)",
         "software",
         "DE",
         44,
         QJsonArray{QJsonObject{{"scheme", "SPDX"}, {"value", "Apache-2.0"}}},
         "Tobias Klein;Jonas Weber",
         {}},
        {"MBG-S002",
         "Colony picker vision firmware",
         "software",
         "DE",
         22,
         QJsonArray{QJsonObject{{"scheme", "SPDX"}, {"value", "LicenseRef-Proprietary"}}},
         "Jonas Weber",
         {}},
        {"MBG-TS001",
         "Fermentation media recipe FM-7",
         "trade-secret",
         "DE",
         80,
         {},
         "Dr. Marta Nowak",
         {}},
        {"MBG-TS002",
         "Chromatography resin regeneration protocol",
         "trade-secret",
         "DE",
         30,
         {},
         "Felix Braun",
         {}},
        {"MBG-PV001",
         "Tomato variety 'Meridian Red'",
         "plant-variety",
         "EM",
         60,
         QJsonArray{QJsonObject{{"scheme", "application"}, {"value", "2019/2345"}}},
         "Dr. Hannah Schulz",
         {}},
        {"MBG-DN001", "meridian-biotech.de", "domain-name", "DE", 130, {}, {}, {}},
        {"MBG-DN002", "meridian-biotech.com", "domain-name", "US", 128, {}, {}, {}},
        {"MBG-DN003", "nanovax.eu", "domain-name", "EM", 47, {}, {}, {}},
    };
    for (const Item &it : items) {
        const QDate created = today.addMonths(-it.ageMonths).addDays(-dice.upTo(25));
        QJsonObject c{{"command", "register-asset"},
                      {"reference", it.ref},
                      {"title", it.title},
                      {"type", it.type},
                      {"jurisdiction", it.jurisdiction},
                      {"filing_date", iso(created)},
                      {"status", it.type == "trade-secret" || it.type == "copyright" ||
                                         it.type == "dataset" || it.type == "model" ||
                                         it.type == "software"
                                     ? "active"
                                     : "registered"}};
        if (!it.identifiers.isEmpty())
            c.insert("identifiers", it.identifiers);
        if (!it.creators.isEmpty())
            c.insert("creators", QJsonArray::fromStringList(it.creators.split(u';')));
        if (!it.coOwner.isEmpty())
            c.insert("owners",
                     w.owners(it.coOwner.section(u':', 0, 0), it.coOwner.section(u':', 1).toInt()));
        if (it.type == "design" || it.type == "plant-variety" || it.type == "domain-name" ||
            it.type == "utility-model")
            c.insert("registration_date", iso(created.addMonths(it.type == "design" ? 1 : 3)));
        if (it.type == "design")
            c.insert("expiry_date", iso(created.addYears(25)));
        if (it.type == "utility-model")
            c.insert("expiry_date", iso(created.addYears(10)));
        w.command(c);
        if (it.type == "copyright" || it.type == "dataset" || it.type == "model" ||
            it.type == "software") {
            w.command(
                event(it.ref, "created", created, "ip-generator", it.creators.split(u';').first()));
            w.command(event(it.ref, "released", created.addDays(30), "right-holder", w.org));
            if (it.type == "copyright" && it.ref >= "MBG-C002")
                w.command(event(it.ref, "distributed", created.addMonths(2), "cmo", "GEMA",
                                "Registered with the collecting society"));
            if (it.type == "dataset")
                w.command(event(it.ref, "licensed", created.addMonths(4), "licensee",
                                "Helix Therapeutics Inc.", "Research licence, non-commercial"));
        } else if (it.type == "trade-secret") {
            w.command(event(it.ref, "created", created, "ip-generator", it.creators));
            w.command(event(it.ref, "strategy-decided", created.addDays(14), "right-holder", w.org,
                            "Keep as trade secret: not reverse-engineerable"));
            w.command(event(it.ref, "audited", today.addMonths(-dice.upTo(12)), "auditor", "KPMG",
                            "Access controls and NDAs reviewed"));
        } else {
            w.command(event(it.ref, "registered", created.addMonths(it.type == "design" ? 1 : 3),
                            "ip-office", officeName(it.jurisdiction)));
        }
    }
}

/**
 * Licences and derivations: the genomic chain (dataset → cleaned subset → model → composite index →
 * clinical software) and the music chain (song → recording → remix with a sample), with third-party
 * assets licensed in, a lapsed patent, a revoked licence, an approval, and a sublicence to a
 * partner whose model was trained under it.
 */
void lineage(Writer &w, const QDate &today)
{
    w.comment(QStringLiteral("Licensed-in assets of other rights holders, recorded for lineage"));
    auto external = [&w](const char *ref, const char *title, const char *type, const char *owner,
                         const QDate &filed, QJsonObject extra = {}) {
        QJsonObject c{{"command", "register-asset"},
                      {"reference", ref},
                      {"title", title},
                      {"type", type},
                      {"jurisdiction", extra.take("jurisdiction").toString("DE")},
                      {"filing_date", iso(filed)},
                      {"status", "active"},
                      {"owners", w.owners(QString::fromUtf8(owner), 10000)},
                      {"tags", QJsonArray{"licensed-in"}}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            c.insert(it.key(), it.value());
        w.command(c);
    };
    external("NBC-DS010", "Nordic Biobank exome release NBX-5", "dataset",
             "Nordic Biobank Consortium", today.addMonths(-40),
             {{"jurisdiction", "SE"},
              {"identifiers",
               QJsonArray{QJsonObject{{"scheme", "DOI"}, {"value", "10.17044/nbc.nbx5"}}}}});
    external("GNX-P001-US", "Error-correcting alignment of short sequencing reads", "patent",
             "Genexa Corp.", today.addYears(-9).addMonths(-2),
             {{"jurisdiction", "US"},
              {"status", "lapsed"},
              {"grant_date", iso(today.addYears(-6).addMonths(-4))},
              {"identifiers", QJsonArray{QJsonObject{{"scheme", "registration"},
                                                     {"value", "US 10,412,377 B2"}}}}});
    w.command(event("GNX-P001-US", "lapsed", today.addMonths(-5), "ip-office", "USPTO",
                    "7.5-year maintenance fee not paid; not reinstated"));
    external("HLX-M007", "Polygenic cardiac risk score PGS-7", "model", "Helix Therapeutics Inc.",
             today.addMonths(-20), {{"jurisdiction", "US"}});
    external("PTC-DS020", "ProTherm stability measurements, open extract 2024", "dataset",
             "ProTherm Consortium", today.addMonths(-30), {{"jurisdiction", "GB"}});
    external("PLS-C010", "Recording: \"Neon Tides\" (sample stem)", "copyright", "Pulse Audio Ltd",
             today.addMonths(-28), {{"jurisdiction", "GB"}});
    w.command(QJsonObject{{"command", "register-asset"},
                          {"reference", "MBG-S003"},
                          {"title", "GRI-1 clinical decision support module"},
                          {"type", "software"},
                          {"jurisdiction", "DE"},
                          {"filing_date", iso(today.addMonths(-2))},
                          {"status", "active"},
                          {"owners", w.owners("CardioSoft AG", 4000)},
                          {"creators", QJsonArray{"Tobias Klein", "CardioSoft engineering"}}});

    w.comment(QStringLiteral("Licences"));
    auto licence = [&w](QJsonObject c) {
        c.insert("command", "grant-licence");
        w.command(c);
    };
    licence({{"reference", "LIC-2023-014"},
             {"title", "GC-3 co-owner licence for derivative datasets"},
             {"asset", "MBG-DS001"},
             {"licensor", w.party("Universität Heidelberg")},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-18))},
             {"expires", iso(today.addYears(5))},
             {"field", "genomic research and diagnostics"},
             {"royalty", "1.5%"},
             {"policy", "absolute"},
             {"attribution", true},
             {"revocable_on", QJsonArray{"breach"}}});
    licence({{"reference", "LIC-2023-021"},
             {"title", "Genexa read-correction patent licence"},
             {"asset", "GNX-P001-US"},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-17))},
             {"territory", "US;EP;DE"},
             {"upfront_minor", 2500000},
             {"currency", "USD"},
             {"royalty", "2%"},
             {"policy", "absolute"}});
    licence({{"reference", "LIC-2024-003"},
             {"title", "NBX-5 commercial research licence"},
             {"asset", "NBC-DS010"},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-13))},
             {"expires", iso(today.addYears(3))},
             {"royalty", "4%"},
             {"policy", "absolute"},
             {"per_use_minor", 5},
             {"revenue_ceiling_minor", 500000000},
             {"attribution", true},
             {"sublicensing", true},
             {"revocable_on", QJsonArray{"breach", "change-of-control"}}});
    licence({{"reference", "LIC-2024-011"},
             {"title", "PGS-7 integration licence"},
             {"asset", "HLX-M007"},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-6))},
             {"royalty", "5%"},
             {"policy", "relative"},
             {"revocable_on", QJsonArray{"breach"}}});
    licence({{"reference", "LIC-2024-016"},
             {"title", "ProTherm open data licence"},
             {"asset", "PTC-DS020"},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-24))},
             {"spdx", "CC-BY-SA-4.0"},
             {"share_alike", true},
             {"attribution", true}});
    licence({{"reference", "LIC-2025-009"},
             {"title", "GRI-1 joint-venture software licence"},
             {"asset", "MBG-M003"},
             {"licensee", w.party("CardioSoft AG")},
             {"granted", iso(today.addMonths(-3))},
             {"expires", iso(today.addYears(7))},
             {"exclusive", true},
             {"field", "clinical decision support"},
             {"royalty", "8%"},
             {"policy", "relative"},
             {"revocable_on", QJsonArray{"breach", "change-of-control"}}});
    licence({{"reference", "LIC-2023-030"},
             {"title", "Mechanical licence \"Helix Dreams\""},
             {"asset", "MBG-C002"},
             {"licensor", w.party("Lind Music Publishing")},
             {"licensee", w.org},
             {"granted", iso(today.addMonths(-38))},
             {"royalty", "9.1%"},
             {"policy", "relative"}});
    licence({{"reference", "LIC-2024-022"},
             {"title", "Remix licence \"Helix Dreams\" (Night Shift)"},
             {"asset", "MBG-C003"},
             {"licensee", w.party("Night Shift Records")},
             {"granted", iso(today.addMonths(-14))},
             {"derivatives", "with-approval"},
             {"royalty", "15%"},
             {"policy", "relative"},
             {"attribution", true}});
    licence({{"reference", "LIC-2024-023"},
             {"title", "Sample clearance \"Neon Tides\""},
             {"asset", "PLS-C010"},
             {"licensee", w.party("Night Shift Records")},
             {"granted", iso(today.addMonths(-14))},
             {"upfront_minor", 150000},
             {"currency", "GBP"},
             {"royalty", "10%"},
             {"policy", "absolute"}});

    w.comment(
        QStringLiteral("A sublicence: the NBX-5 licence allows sublicensing, within its terms"));
    licence({{"reference", "LIC-2025-014"},
             {"title", "NBX-5 research sublicence for variant interpretation"},
             {"under", "LIC-2024-003"},
             {"licensee", w.party("Helix Therapeutics Inc.")},
             {"granted", iso(today.addMonths(-7))},
             {"expires", iso(today.addYears(3))},
             {"territory", "US;DE"},
             {"field", "variant interpretation"},
             {"royalty", "2%"},
             {"policy", "relative"},
             {"attribution", true},
             {"revocable_on", QJsonArray{"breach"}}});
    w.command(QJsonObject{{"command", "register-asset"},
                          {"reference", "HLX-M012"},
                          {"title", "Variant pathogenicity classifier VPC-3"},
                          {"type", "model"},
                          {"jurisdiction", "US"},
                          {"filing_date", iso(today.addMonths(-5))},
                          {"status", "active"},
                          {"owners", w.owners("Helix Therapeutics Inc.", 10000)},
                          {"tags", QJsonArray{"sublicensed-out"}}});

    w.comment(QStringLiteral("Derivations"));
    auto derive = [&w](const char *child, const char *kind, const QDate &date,
                       const QList<std::pair<const char *, const char *>> &parents,
                       const QJsonObject &scope = {}) {
        QJsonArray list;
        for (const auto &[asset, licence] : parents) {
            QJsonObject p{{"asset", asset}};
            if (licence)
                p.insert("licence", licence);
            list.append(p);
        }
        QJsonObject c{{"command", "record-derivation"},
                      {"child", child},
                      {"kind", kind},
                      {"date", iso(date)},
                      {"parents", list}};
        for (auto it = scope.begin(); it != scope.end(); ++it)
            c.insert(it.key(), it.value());
        w.command(c);
    };
    derive("MBG-DS003", "cleaning", today.addMonths(-14),
           {{"MBG-DS001", "LIC-2023-014"}, {"GNX-P001-US", "LIC-2023-021"}});
    derive("MBG-M001", "training", today.addMonths(-10),
           {{"MBG-DS003", nullptr}, {"NBC-DS010", "LIC-2024-003"}});
    derive("MBG-DS002", "subset", today.addMonths(-18), {{"PTC-DS020", "LIC-2024-016"}});
    derive("MBG-M002", "training", today.addMonths(-8), {{"MBG-DS002", nullptr}});
    derive("MBG-M003", "composite", today.addMonths(-4),
           {{"MBG-M001", nullptr}, {"HLX-M007", "LIC-2024-011"}});
    derive("MBG-S003", "improvement", today.addMonths(-2), {{"MBG-M003", "LIC-2025-009"}});
    derive("MBG-C003", "recording", today.addMonths(-36), {{"MBG-C002", "LIC-2023-030"}});
    w.command(QJsonObject{{"command", "approve-derivation"},
                          {"licence", "LIC-2024-022"},
                          {"child", "MBG-C004"},
                          {"date", iso(today.addMonths(-13))},
                          {"note", "Approved after listening session"}});
    derive("MBG-C004", "remix", today.addMonths(-12),
           {{"MBG-C003", "LIC-2024-022"}, {"PLS-C010", "LIC-2024-023"}});
    // Made under the sublicence, where and for what it allows: the head's share is owed too.
    derive("HLX-M012", "training", today.addMonths(-5), {{"NBC-DS010", "LIC-2025-014"}},
           {{"territory", "US"}, {"field", "variant interpretation"}});
    w.command(QJsonObject{{"command", "revoke-licence"},
                          {"licence", "LIC-2024-011"},
                          {"date", iso(today.addMonths(-1))},
                          {"reason", "breach"},
                          {"note", "Royalty reports for two quarters not delivered"}});
}

/** Fees paid on time, as a well-run department pays them — except a few left for the user. */
void paidFees(Writer &w, Dice &dice, const QDate &today)
{
    w.comment(QStringLiteral("Renewals and annuities paid"));
    const DeadlineRules rules = DeadlineRules::builtIn();
    const QList<DeadlineAsset> assets = w.registered;
    for (const DeadlineAsset &a : assets) {
        for (const Deadline &d : rules.compute(a, QDate(), today.addDays(-1))) {
            // One in twelve recent fees stays unpaid: in grace or overdue on the dashboard.
            if (d.graceEnd >= today.addMonths(-3) && dice.upTo(12) == 0)
                continue;
            QDate paid = d.due.addDays(-5 - dice.upTo(40));
            if (d.windowOpens.isValid() && paid < d.windowOpens)
                paid = d.windowOpens;
            if (paid > today)
                paid = today;
            // A national phase entered settles the PCT application's deadline; the entries
            // themselves are the family's national filings.
            QJsonObject o = event(a.reference, d.kind == "national-phase" ? "filed" : "renewed",
                                  paid, "legal-representative", "Dr. Weiss & Partner", d.label);
            o.insert("deadline", d.key);
            w.command(o);
        }
    }
}

} // namespace

QString demoOrganisation()
{
    return QString::fromLatin1(DemoOrg);
}

QByteArray demoCommands(const QDate &today, const QString &organisation)
{
    Dice dice(quint32(today.toJulianDay()));
    Writer w;
    w.org = organisation;
    w.comment(QStringLiteral("Cartulary demo portfolio of %1, generated for %2")
                  .arg(organisation, iso(today)));
    patentFamilies(w, dice, today);
    trademarks(w, dice, today);
    otherAssets(w, dice, today);
    lineage(w, today);
    paidFees(w, dice, today);
    return w.out;
}

} // namespace cartulary::model
