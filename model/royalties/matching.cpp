// SPDX-License-Identifier: GPL-3.0-or-later
// Matching usage to works: normalisers and the register read once into hash tables.
#include "model/royalties/matching.h"

#include "model/portfolio/asset.h"

#include <algorithm>

namespace cartulary::model {

namespace normalise {

namespace {

QString alnumUpper(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text)
        if (c.isLetterOrNumber() && c.unicode() < 128)
            out.append(c.toUpper());
    return out;
}

/** Words of text without accents, case or punctuation. */
QStringList words(const QString &text)
{
    // ASCII is its own NFKD: most titles and names need no decomposition.
    const bool ascii =
        std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
    const QString decomposed = ascii ? text : text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        out.append(c.isLetterOrNumber() ? c.toCaseFolded() : QChar(u' '));
    }
    return out.split(u' ', Qt::SkipEmptyParts);
}

} // namespace

QStringList splitCreators(const QString &text)
{
    // A regular expression here cost more than the rest of matching: it runs once per key.
    QStringList out;
    qsizetype from = 0;
    for (qsizetype i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == u';' || text[i] == u'|') {
            if (i > from)
                out.append(text.sliced(from, i - from));
            from = i + 1;
        }
    return out;
}

QString iswc(const QString &text)
{
    return alnumUpper(text);
}

QString isrc(const QString &text)
{
    return alnumUpper(text);
}

QString doi(const QString &text)
{
    QString t = text.trimmed().toLower();
    for (const char *prefix : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                               "http://dx.doi.org/", "doi:"})
        if (t.startsWith(QLatin1String(prefix))) {
            t = t.mid(int(qstrlen(prefix))).trimmed();
            break;
        }
    return t;
}

QString title(const QString &text)
{
    return words(text).join(u' ');
}

QString person(const QString &text)
{
    QStringList w = words(text);
    std::sort(w.begin(), w.end());
    return w.join(u' ');
}

QString creators(const QString &text)
{
    QStringList out;
    for (const QString &one : splitCreators(text)) {
        const QString p = person(one);
        if (!p.isEmpty() && !out.contains(p))
            out.append(p);
    }
    std::sort(out.begin(), out.end());
    return out.join(u';');
}

} // namespace normalise

QString Identification::key() const
{
    QString k, unused;
    keys(k, unused);
    return k;
}

void Identification::keys(QString &key, QString &titleCreator) const
{
    const QString t = normalise::title(title);
    const QString c = normalise::creators(creator);
    key = QStringList{workRef.trimmed(),
                      normalise::isrc(isrc),
                      normalise::iswc(iswc),
                      normalise::doi(doi),
                      t,
                      c}
              .join(QChar(0x1f));
    titleCreator = t + QChar(0x1f) + c;
}

QString Identification::titleCreatorKey(const QString &title, const QString &creator)
{
    return normalise::title(title) + QChar(0x1f) + normalise::creators(creator);
}

QString Identification::titleCreatorKey() const
{
    return titleCreatorKey(title, creator);
}

Matcher::Matcher(sql::Database &db)
{
    sql::Statement st =
        db.prepare("SELECT id, reference, title, creators, identifiers FROM assets");
    while (st.next()) {
        const QString id = st.text(0);
        m_ids.insert(id);
        m_byReference.insert(st.text(1), id);
        QSet<QString> people;
        for (const QString &c : st.text(3).split(u';', Qt::SkipEmptyParts))
            people.insert(normalise::person(c));
        m_byTitle[normalise::title(st.text(2))].append({id, people});
        const auto ids = parseIdentifiers(st.text(4));
        if (!ids)
            continue;
        for (const Identifier &i : ids.value()) {
            const QString scheme = i.scheme.toUpper();
            if (scheme == QLatin1String("ISWC"))
                m_byIswc.insert(normalise::iswc(i.value), id);
            else if (scheme == QLatin1String("ISRC"))
                m_byIsrc.insert(normalise::isrc(i.value), id);
            else if (scheme == QLatin1String("DOI"))
                m_byDoi.insert(normalise::doi(i.value), id);
        }
    }
    // Alternative titles of registered works match as their titles do.
    sql::Statement alt = db.prepare("SELECT w.asset_id, w.title, a.creators FROM work_titles w "
                                    "JOIN assets a ON a.id = w.asset_id");
    while (alt.next()) {
        QSet<QString> people;
        for (const QString &c : alt.text(2).split(u';', Qt::SkipEmptyParts))
            people.insert(normalise::person(c));
        m_byTitle[normalise::title(alt.text(1))].append({alt.text(0), people});
    }
    sql::Statement manual =
        db.prepare("SELECT scope, key, asset_id FROM usage_rules ORDER BY entry_index");
    while (manual.next())
        (manual.text(0) == QLatin1String("title-creator") ? m_manualTitle : m_manual)
            .insert(manual.text(1), manual.text(2));
}

WorkMatch Matcher::match(const Identification &id) const
{
    return match(id, id.key(), id.titleCreatorKey());
}

WorkMatch Matcher::match(const Identification &id, const QString &key,
                         const QString &titleCreatorKey) const
{
    if (const auto it = m_manual.constFind(key); it != m_manual.cend())
        return {*it, QStringLiteral("manual"), {}};
    if (const QString ref = id.workRef.trimmed(); !ref.isEmpty()) {
        if (const auto it = m_byReference.constFind(ref); it != m_byReference.cend())
            return {*it, QStringLiteral("reference"), {}};
        if (m_ids.contains(ref))
            return {ref, QStringLiteral("id"), {}};
    }
    if (!id.iswc.isEmpty())
        if (const auto it = m_byIswc.constFind(normalise::iswc(id.iswc)); it != m_byIswc.cend())
            return {*it, QStringLiteral("iswc"), {}};
    if (!id.isrc.isEmpty())
        if (const auto it = m_byIsrc.constFind(normalise::isrc(id.isrc)); it != m_byIsrc.cend())
            return {*it, QStringLiteral("isrc"), {}};
    if (!id.doi.isEmpty())
        if (const auto it = m_byDoi.constFind(normalise::doi(id.doi)); it != m_byDoi.cend())
            return {*it, QStringLiteral("doi"), {}};
    if (const auto it = m_manualTitle.constFind(titleCreatorKey); it != m_manualTitle.cend())
        return {*it, QStringLiteral("manual-title"), {}};
    const auto titled = m_byTitle.constFind(normalise::title(id.title));
    if (titled == m_byTitle.cend() || id.title.trimmed().isEmpty())
        return {};
    QSet<QString> people;
    for (const QString &c : normalise::splitCreators(id.creator))
        people.insert(normalise::person(c));
    QStringList candidates;
    for (const Titled &t : *titled)
        if (t.creators.intersects(people) && !candidates.contains(t.assetId))
            candidates.append(t.assetId);
    if (candidates.size() == 1)
        return {candidates.first(), QStringLiteral("title-creator"), {}};
    if (candidates.size() > 1)
        return {{},
                QStringLiteral("ambiguous"),
                QStringLiteral("%1 works have this title and creator").arg(candidates.size())};
    return {};
}

} // namespace cartulary::model
