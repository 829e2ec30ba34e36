// SPDX-License-Identifier: GPL-3.0-or-later
// Usage imports: copy and hash, read and aggregate, then one signed entry with its lines.
#include "model/io/usageimport.h"

#include "model/core/period.h"
#include "model/royalties/matching.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <unordered_map>
#include <vector>

namespace cartulary::model {

namespace {

constexpr qint64 Block = 1 << 20;

/** The sums of the lines of one identification in one period, territory, licensee, currency and
 * right. */
struct AmountSum
{
    QString period, territory, licensee, currency, right;
    qint64 units = 0, amount = 0, net = 0, lines = 0, unallocated = 0;
};

/** The lines of one identification as written. */
struct KeySum
{
    Identification id;
    qint64 firstLine = 0, lines = 0;
    QHash<QString, qsizetype> amountIndex;
    QList<AmountSum> amounts;
};

/** A report read whole and aggregated. */
struct Aggregate
{
    usage::Summary summary;
    QHash<QString, qsizetype> keyIndex; ///< the identification as written → keys
    std::vector<KeySum> keys;
};

Result<Aggregate> aggregate(const QString &path, const usage::Options &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Aggregate>::failure("unreadable",
                                          QStringLiteral("%1: %2").arg(path, file.errorString()));
    Aggregate a;
    const QChar sep(0x1f);
    const QString defaultRight =
        options.right.isEmpty() ? QString::fromLatin1(rights::Performing) : options.right;
    auto summary = usage::read(file, options, [&](const usage::Record &r) {
        // Lines written the same way share a key without normalising each line; normalising
        // happens once per key, when it is matched.
        const QString raw =
            r.workRef + sep + r.isrc + sep + r.iswc + sep + r.doi + sep + r.title + sep + r.creator;
        auto it = a.keyIndex.constFind(raw);
        if (it == a.keyIndex.cend()) {
            it = a.keyIndex.insert(raw, qsizetype(a.keys.size()));
            a.keys.push_back(
                {{r.workRef, r.isrc, r.iswc, r.doi, r.title, r.creator}, r.line, 0, {}, {}});
        }
        KeySum &k = a.keys[size_t(*it)];
        ++k.lines;
        const QString &right = r.right.isEmpty() ? defaultRight : r.right;
        const QString amountKey =
            r.period + sep + r.territory + sep + r.licensee + sep + r.currency + sep + right;
        auto at = k.amountIndex.constFind(amountKey);
        if (at == k.amountIndex.cend()) {
            at = k.amountIndex.insert(amountKey, k.amounts.size());
            k.amounts.append({r.period, r.territory, r.licensee, r.currency, right});
        }
        AmountSum &s = k.amounts[*at];
        s.units += r.units;
        s.amount += r.amountMicro;
        s.net += r.netRevenueMicro;
        ++s.lines;
        if (!r.allocated)
            ++s.unallocated;
        return true;
    });
    if (!summary)
        return summary.error();
    a.summary = std::move(summary).value();
    return a;
}

/** Writes the aggregated lines of an import and marks it loaded; then matches every key. */
Status writeLines(sql::Database &db, const QString &sha256, const Aggregate &a)
{
    auto key = db.prepare("INSERT INTO usage_keys(import_sha256, ident, title_creator, work_ref, "
                          "isrc, iswc, doi, title, creator, first_line, lines, match_asset, "
                          "match_how, match_note) VALUES(?,?,?,?,?,?,?,?,?,?,?,'','','')");
    auto amount = db.prepare("INSERT INTO usage_amounts(key_id, period, territory, licensee, "
                             "currency, right_type, units, amount_micro, net_micro, lines, "
                             "unallocated) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    for (const KeySum &k : a.keys) {
        if (Status s = key.bind(1, sha256)
                           .bind(2, k.id.key())
                           .bind(3, k.id.titleCreatorKey())
                           .bind(4, k.id.workRef)
                           .bind(5, k.id.isrc)
                           .bind(6, k.id.iswc)
                           .bind(7, k.id.doi)
                           .bind(8, k.id.title)
                           .bind(9, k.id.creator)
                           .bind(10, k.firstLine)
                           .bind(11, k.lines)
                           .exec();
            !s)
            return s;
        auto last = db.prepare("SELECT last_insert_rowid()");
        if (!last.next())
            return Status::failure("storage", last.errorMessage());
        const qint64 keyId = last.int64(0);
        for (const AmountSum &s : k.amounts)
            if (Status st = amount.bind(1, keyId)
                                .bind(2, s.period)
                                .bind(3, s.territory)
                                .bind(4, s.licensee)
                                .bind(5, s.currency)
                                .bind(6, s.right)
                                .bind(7, s.units)
                                .bind(8, s.amount)
                                .bind(9, s.net)
                                .bind(10, s.lines)
                                .bind(11, s.unallocated)
                                .exec();
                !st)
                return st;
    }
    auto loaded = db.prepare("UPDATE usage_imports SET loaded=1 WHERE sha256=?");
    if (Status s = loaded.bind(1, sha256).exec(); !s)
        return s;
    return Royalties::rematch(db);
}

/** Copies path into the store while hashing it; returns the hash (hex). */
Result<QString> storeCopy(const Workspace &workspace, const QString &path,
                          const std::function<void(qint64, qint64, const QString &)> &progress,
                          const std::atomic_bool *cancel)
{
    using R = Result<QString>;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return R::failure("unreadable", QStringLiteral("%1: %2").arg(path, in.errorString()));
    const QString dir = QDir(workspace.dataDir()).filePath(QStringLiteral("usage"));
    if (!QDir().mkpath(dir))
        return R::failure("unwritable", QStringLiteral("cannot create %1").arg(dir));
    QFile out(QDir(dir).filePath(
        QStringLiteral("incoming-%1.part").arg(QCoreApplication::applicationPid())));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return R::failure("unwritable",
                          QStringLiteral("%1: %2").arg(out.fileName(), out.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(Block, Qt::Uninitialized);
    const qint64 total = in.size();
    qint64 done = 0;
    for (;;) {
        if (cancel && cancel->load()) {
            out.remove();
            return R::failure("cancelled", QStringLiteral("the import was cancelled"));
        }
        const qint64 n = in.read(buffer.data(), Block);
        if (n < 0 || (n > 0 && out.write(buffer.constData(), n) != n)) {
            out.remove();
            return R::failure("io", QStringLiteral("copying %1 failed").arg(path));
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        done += n;
        if (progress)
            progress(done, total, QStringLiteral("Copying and hashing"));
    }
    if (!out.flush()) {
        out.remove();
        return R::failure("io", QStringLiteral("writing %1 failed").arg(out.fileName()));
    }
    out.close();
    const QString sha = QString::fromLatin1(hash.result().toHex());
    const QString final = usageStorePath(workspace, sha);
    if (QFileInfo::exists(final))
        out.remove(); // the same bytes are kept already
    else if (!out.rename(final))
        return R::failure("io", QStringLiteral("cannot keep %1 in %2").arg(path, dir));
    return sha;
}

Result<QString> hashOf(const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return Result<QString>::failure("unreadable",
                                        QStringLiteral("%1: %2").arg(path, in.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&in))
        return Result<QString>::failure("io", QStringLiteral("reading %1 failed").arg(path));
    return QString::fromLatin1(hash.result().toHex());
}

usage::Options optionsOf(const UsageImport &u)
{
    usage::Options o;
    o.period = u.period;
    o.right = u.right;
    o.rightsControllers = u.rightsControllers;
    return o;
}

void fillReport(sql::Database &db, UsageImportReport &report)
{
    auto st = db.prepare("SELECT k.match_asset <> '', COUNT(DISTINCT k.id), SUM(a.lines), "
                         "a.currency, SUM(a.amount_micro) FROM usage_keys k JOIN usage_amounts a "
                         "ON a.key_id = k.id WHERE k.import_sha256=? GROUP BY 1, a.currency");
    st.bind(1, report.import.sha256);
    while (st.next()) {
        const bool matched = st.int64(0) != 0;
        (matched ? report.matchedLines : report.unmatchedLines) += st.int64(2);
        (matched ? report.matchedMicro : report.unmatchedMicro)[st.text(3)] += st.int64(4);
    }
    auto keys = db.prepare("SELECT match_asset <> '', COUNT(*) FROM usage_keys WHERE "
                           "import_sha256=? GROUP BY 1");
    keys.bind(1, report.import.sha256);
    while (keys.next()) {
        (keys.int64(0) ? report.matchedKeys : report.unmatchedKeys) = keys.int64(1);
        report.keys += keys.int64(1);
    }
}

} // namespace

QString usageStorePath(const Workspace &workspace, const QString &sha256)
{
    return QDir(workspace.dataDir()).filePath(QStringLiteral("usage/%1").arg(sha256));
}

Result<UsageImportReport>
importUsage(Workspace &workspace, const QString &path, const usage::Options &options,
            const std::function<void(qint64, qint64, const QString &)> &progress,
            const std::atomic_bool *cancel)
{
    using R = Result<UsageImportReport>;
    if (!workspace.isUnlocked())
        return R::failure("locked", QStringLiteral("the identity is locked; unlock it to import"));
    auto sha = storeCopy(workspace, path, progress, cancel);
    if (!sha)
        return sha.error();
    sql::Database &db = workspace.store().database();
    const QString stored = usageStorePath(workspace, sha.value());
    UsageImportReport report;
    if (const auto known = Royalties::import(db, sha.value())) {
        if (known->loaded)
            return R::failure("duplicate-import",
                              QStringLiteral("%1 (SHA-256 %2) was imported before, at entry %3")
                                  .arg(QFileInfo(path).fileName(), sha.value())
                                  .arg(known->entryIndex));
        auto a = aggregate(stored, optionsOf(*known));
        if (!a)
            return a.error();
        sql::Transaction tx(db);
        if (!tx.begun())
            return tx.begun().error();
        if (Status s = writeLines(db, sha.value(), a.value()); !s)
            return s.error();
        if (Status s = tx.commit(); !s)
            return s.error();
        report.import = *known;
        report.reloaded = true;
        fillReport(db, report);
        return report;
    }
    usage::Options readOptions = options;
    readOptions.progress = [&](qint64 done, qint64 total) {
        if (progress)
            progress(done, total, QStringLiteral("Reading usage lines"));
    };
    readOptions.cancel = cancel;
    auto a = aggregate(stored, readOptions);
    if (!a) {
        // Keep nothing of a refused file: it was never imported.
        QFile::remove(stored);
        return a.error();
    }
    const usage::Summary &sum = a->summary;
    UsageImport &u = report.import;
    u.sha256 = sha.value();
    u.fileName = QFileInfo(path).fileName();
    u.format = usage::formatName(sum.format);
    u.period = sum.period;
    u.periods = sum.periods;
    u.lines = sum.lines;
    u.records = sum.records;
    u.unallocated = sum.unallocatedRecords;
    u.totalsMicro = sum.totalsMicro;
    u.sender = sum.sender;
    u.rightsControllers = sum.rightsControllers;
    u.right = options.right.isEmpty() ? QString::fromLatin1(rights::Performing) : options.right;
    report.warnings = sum.warnings;
    if (progress)
        progress(0, 0, QStringLiteral("Signing and writing"));
    const ledger::Draft draft{kinds::UsageImported,
                              QJsonDocument(u.toJson()).toJson(QJsonDocument::Compact), 0};
    auto written = workspace.append({draft}, [&](sql::Database &db, const ledger::StoredEntry &) {
        return writeLines(db, u.sha256, a.value());
    });
    if (!written)
        return written.error();
    u.entryIndex = written->first().index;
    u.loaded = true;
    fillReport(db, report);
    return report;
}

Result<QStringList> loadUsageStore(Workspace &workspace, const std::atomic_bool *cancel)
{
    sql::Database &db = workspace.store().database();
    QStringList missing;
    for (const UsageImport &u : Royalties::imports(db)) {
        if (u.loaded)
            continue;
        if (cancel && cancel->load())
            return Result<QStringList>::failure("cancelled",
                                                QStringLiteral("loading usage was cancelled"));
        const QString stored = usageStorePath(workspace, u.sha256);
        if (!QFileInfo::exists(stored)) {
            missing.append(QStringLiteral("%1 (SHA-256 %2): its copy is missing from %3")
                               .arg(u.fileName, u.sha256, stored));
            continue;
        }
        auto sha = hashOf(stored);
        if (!sha)
            return sha.error();
        if (sha.value() != u.sha256)
            return Result<QStringList>::failure(
                "usage-store-changed",
                QStringLiteral("the kept copy of %1 (%2) no longer has the SHA-256 its import "
                               "entry %3 signed; import the original file again")
                    .arg(u.fileName, stored)
                    .arg(u.entryIndex));
        auto a = aggregate(stored, optionsOf(u));
        if (!a)
            return a.error();
        sql::Transaction tx(db);
        if (!tx.begun())
            return tx.begun().error();
        if (Status s = writeLines(db, u.sha256, a.value()); !s)
            return s.error();
        if (Status s = tx.commit(); !s)
            return s.error();
    }
    return missing;
}

Result<UsageKey> usageKeyAtLine(Workspace &workspace, const QString &period, qint64 line,
                                const QString &importPrefix)
{
    using R = Result<UsageKey>;
    sql::Database &db = workspace.store().database();
    const auto range = periodRange(period, QStringLiteral("period"));
    if (!range)
        return range.error();
    QList<UsageKey> found;
    for (const UsageKey &k : Royalties::keysAtLine(db, period, line))
        if (k.importSha256.startsWith(importPrefix))
            found.append(k);
    if (found.isEmpty()) {
        // Not the first line of a group: read the kept files of the period's imports.
        const QStringList periods = periodsWithin(period);
        for (const UsageImport &u : Royalties::imports(db)) {
            if (!u.sha256.startsWith(importPrefix) || line > u.lines ||
                std::none_of(u.periods.begin(), u.periods.end(),
                             [&](const QString &p) { return periods.contains(p); }))
                continue;
            QFile file(usageStorePath(workspace, u.sha256));
            if (!file.open(QIODevice::ReadOnly))
                continue;
            std::optional<usage::Record> hit;
            (void)usage::read(file, optionsOf(u), [&](const usage::Record &r) {
                if (r.line == line)
                    hit = r;
                return r.line < line;
            });
            if (!hit)
                continue;
            const Identification id{hit->workRef, hit->isrc,  hit->iswc,
                                    hit->doi,     hit->title, hit->creator};
            auto key = db.prepare("SELECT first_line FROM usage_keys WHERE import_sha256=? AND "
                                  "work_ref=? AND isrc=? AND iswc=? AND doi=? AND title=? AND "
                                  "creator=?");
            key.bind(1, u.sha256)
                .bind(2, id.workRef)
                .bind(3, id.isrc)
                .bind(4, id.iswc)
                .bind(5, id.doi)
                .bind(6, id.title)
                .bind(7, id.creator);
            if (key.next())
                for (const UsageKey &k : Royalties::keysAtLine(db, period, key.int64(0)))
                    if (k.importSha256 == u.sha256)
                        found.append(k);
        }
    }
    if (found.isEmpty())
        return R::failure("no-line",
                          QStringLiteral("no usage report of %1 has a line %2%3")
                              .arg(period)
                              .arg(line)
                              .arg(importPrefix.isEmpty()
                                       ? QString()
                                       : QStringLiteral(" (import %1…)").arg(importPrefix)));
    if (found.size() > 1) {
        QStringList names;
        for (const UsageKey &k : found)
            names.append(k.importSha256.left(12));
        return R::failure("ambiguous-line",
                          QStringLiteral("line %1 is in %2 reports of %3 (%4): choose one with "
                                         "--import")
                              .arg(line)
                              .arg(found.size())
                              .arg(period, names.join(QStringLiteral(", "))));
    }
    return found.first();
}

} // namespace cartulary::model
