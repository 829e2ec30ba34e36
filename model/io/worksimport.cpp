// SPDX-License-Identifier: GPL-3.0-or-later
// CWR works import: read whole, then assets and shares compiled and signed in one transaction.
#include "model/io/worksimport.h"

#include "model/core/money.h"
#include "model/royalties/matching.h"
#include "model/royalties/royalties.h"
#include "model/workspace/commands.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <map>

namespace cartulary::model {

namespace {

/** "T0345246801" → "T-034.524.680-1", the way ISWCs are printed. */
QString printedIswc(const QString &iswc)
{
    const QString n = normalise::iswc(iswc);
    if (n.size() != 11)
        return n;
    return QStringLiteral("%1-%2.%3.%4-%5")
        .arg(n.left(1), n.mid(1, 3), n.mid(4, 3), n.mid(7, 3), n.mid(10, 1));
}

/** The parties' shares of one right, merged by name. */
std::map<QString, int> sharesOf(const cwr::Work &w, int cwr::Party::*right)
{
    std::map<QString, int> out;
    for (const cwr::Party &p : w.parties)
        if (p.*right > 0 && !p.name.isEmpty())
            out[p.name] += p.*right;
    return out;
}

/** The asset's owners: the performing shares (else mechanical, else sync) scaled to 100 %. */
Result<QList<Owner>> ownersOf(const cwr::Work &w, const QString &sender)
{
    for (int cwr::Party::*right :
         {&cwr::Party::performingBp, &cwr::Party::mechanicalBp, &cwr::Party::syncBp}) {
        const auto shares = sharesOf(w, right);
        if (shares.empty())
            continue;
        QList<qint64> weights;
        for (const auto &[name, bp] : shares)
            weights.append(bp);
        auto parts = largestRemainderSplit(WholeShare, weights);
        if (!parts)
            return parts.error();
        QList<Owner> owners;
        qsizetype i = 0;
        for (const auto &[name, bp] : shares) {
            if (parts->at(i) > 0)
                owners.append({name, int(parts->at(i))});
            ++i;
        }
        return owners;
    }
    return QList<Owner>{{sender, WholeShare}};
}

QJsonObject sharesBody(const QString &assetId, const QString &source, const cwr::Work &w)
{
    QJsonArray shares;
    const std::pair<const char *, int cwr::Party::*> rightsList[] = {
        {rights::Performing, &cwr::Party::performingBp},
        {rights::Mechanical, &cwr::Party::mechanicalBp},
        {rights::Sync, &cwr::Party::syncBp}};
    for (const auto &[right, member] : rightsList) {
        // Merged by party: a writer listed twice (with two publishers) holds the sum.
        std::map<QString, std::pair<int, const cwr::Party *>> byParty;
        // An unknown party (blank name, CWR's "publisher unknown") claims nothing we can pay: its
        // share stays unclaimed and is held.
        for (const cwr::Party &p : w.parties)
            if (p.*member > 0 && !p.name.isEmpty()) {
                auto &[bp, first] = byParty[p.name];
                bp += p.*member;
                if (!first)
                    first = &p;
            }
        for (const auto &[name, value] : byParty)
            shares.append(QJsonObject{{"right", QString::fromLatin1(right)},
                                      {"party", name},
                                      {"ipi", value.second->ipiNameNumber},
                                      {"role", value.second->role == cwr::Party::Role::Publisher
                                                   ? QStringLiteral("publisher")
                                                   : QStringLiteral("writer")},
                                      {"basisPoints", value.first}});
    }
    return QJsonObject{{"asset", assetId},
                       {"source", source},
                       {"shares", shares},
                       {"titles", QJsonArray::fromStringList(w.alternativeTitles)}};
}

} // namespace

Result<WorksImportReport>
importWorks(Workspace &workspace, const QString &path,
            const std::function<void(qint64, qint64, const QString &)> &progress,
            const std::atomic_bool *cancel)
{
    using R = Result<WorksImportReport>;
    if (!workspace.isUnlocked())
        return R::failure("locked", QStringLiteral("the identity is locked; unlock it to import"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure("unreadable", QStringLiteral("%1: %2").arg(path, file.errorString()));
    QList<cwr::Work> works;
    cwr::Options options;
    options.cancel = cancel;
    options.progress = [&](qint64 done, qint64 total) {
        if (progress)
            progress(done, total, QStringLiteral("Reading registrations"));
    };
    auto header = cwr::read(file, options, [&](const cwr::Work &w) {
        works.append(w);
        return true;
    });
    if (!header)
        return R::failure(header.error().code,
                          QStringLiteral("%1: %2").arg(path, header.errorString()));
    WorksImportReport report;
    report.header = header.value();
    const QString source = report.header.senderName.trimmed().isEmpty()
                               ? report.header.senderId.trimmed()
                               : report.header.senderName.trimmed();
    sql::Database &db = workspace.store().database();
    CommandCompiler compiler(db, workspace.organisationName());
    const Matcher matcher(db);
    QHash<QString, QString> pendingByIswc;
    QList<ledger::Draft> drafts;
    for (const cwr::Work &w : works) {
        for (const cwr::ShareProblem &p : w.shareProblems)
            report.warnings.append(p.message);
        QString assetId = w.iswc.isEmpty() ? QString() : matcher.byIswc(w.iswc);
        if (assetId.isEmpty() && !w.iswc.isEmpty())
            assetId = pendingByIswc.value(normalise::iswc(w.iswc));
        if (assetId.isEmpty()) {
            Asset a;
            a.id = newAssetId();
            a.reference = w.iswc.isEmpty()
                              ? QStringLiteral("%1/%2").arg(report.header.senderId.trimmed(),
                                                            w.submitterWorkNumber.trimmed())
                              : printedIswc(w.iswc);
            a.title = w.title;
            a.type = QStringLiteral("copyright");
            a.status = QStringLiteral("registered");
            for (const cwr::Party &p : w.parties)
                if (p.role == cwr::Party::Role::Writer && !p.name.isEmpty() &&
                    !a.creators.contains(p.name))
                    a.creators.append(p.name);
            if (!w.iswc.isEmpty())
                a.identifiers.append({QStringLiteral("ISWC"), printedIswc(w.iswc)});
            auto owners = ownersOf(w, source);
            if (!owners)
                return R::failure(
                    owners.error().code,
                    QStringLiteral("line %1: %2").arg(w.line).arg(owners.errorString()));
            a.owners = owners.value();
            auto draft = compiler.registerAsset(a);
            if (!draft)
                return R::failure(draft.error().code, QStringLiteral("line %1 (%2): %3")
                                                          .arg(w.line)
                                                          .arg(w.title, draft.errorString()));
            drafts.append(draft.value());
            assetId = a.id;
            if (!w.iswc.isEmpty())
                pendingByIswc.insert(normalise::iswc(w.iswc), a.id);
            ++report.registered;
        } else {
            ++report.updated;
        }
        drafts.append({kinds::WorkShares,
                       QJsonDocument(sharesBody(assetId, source, w)).toJson(QJsonDocument::Compact),
                       0});
    }
    if (drafts.isEmpty())
        return report;
    if (progress)
        progress(0, 0, QStringLiteral("Signing and writing"));
    qsizetype failedAt = -1;
    auto written = workspace.append(drafts, &failedAt);
    if (!written)
        return R::failure(written.error().code, written.errorString());
    // Disputes the entries opened: another source had claimed the work.
    auto st = db.prepare("SELECT message FROM royalty_disputes WHERE entry_index BETWEEN ? AND ? "
                         "ORDER BY id");
    st.bind(1, qint64(written->first().index)).bind(2, qint64(written->last().index));
    QSet<QString> disputedAssets;
    while (st.next())
        report.disputes.append(st.text(0));
    auto assets = db.prepare("SELECT COUNT(DISTINCT asset_id) FROM royalty_disputes WHERE "
                             "entry_index BETWEEN ? AND ? AND kind='claimant'");
    assets.bind(1, qint64(written->first().index)).bind(2, qint64(written->last().index));
    if (assets.next()) {
        report.disputed = int(assets.int64(0));
        report.updated -= report.disputed;
    }
    return report;
}

} // namespace cartulary::model
