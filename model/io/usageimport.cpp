// SPDX-License-Identifier: GPL-3.0-or-later
// Usage imports: copy and hash, read and aggregate, then one signed entry with its lines.
#include "model/io/usageimport.h"

#include "ledger/crypto.h"
#include "model/core/period.h"
#include "model/royalties/matching.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

namespace cartulary::model {

namespace {

constexpr qint64 Block = 1 << 20;

/**
 * Byte strings → values, numbered 0, 1, 2, … in the order first seen: open addressing over slots
 * that hold a hash tag and where the entry lives; each entry — hash, size, value, then the bytes —
 * in chunks that never move. Finding a line's cell and adding to its sums touches a slot and one
 * entry, not a node, a heap string and their pointers: ten million lookups a report.
 */
template<typename V>
class ByteTable
{
public:
    ByteTable() { m_slots.assign(1024, Empty); }

    /** The value of bytes: a new (value-initialised) one when first seen, which added tells. */
    V &find(QByteArrayView bytes, bool &added)
    {
        const size_t hash = qHashBits(bytes.data(), size_t(bytes.size()), 0x5eed);
        const size_t mask = m_slots.size() - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            const quint64 slot = m_slots[i];
            if (slot == Empty)
                break;
            if (slot >> LocatorBits != hash >> LocatorBits)
                continue;
            Entry &e = entry(slot & LocatorMask);
            if (e.size == bytes.size() && std::memcmp(&e + 1, bytes.data(), size_t(e.size)) == 0) {
                added = false;
                return e.value;
            }
        }
        added = true;
        const quint64 locator = allocate(bytes.size());
        Entry *e = new (&entry(locator)) Entry{hash, bytes.size(), V{}};
        if (!bytes.isEmpty())
            std::memcpy(e + 1, bytes.data(), size_t(bytes.size()));
        m_order.push_back(locator);
        if (m_order.size() * 2 > m_slots.size()) {
            m_slots.assign(m_slots.size() * 2, Empty);
            for (const quint64 l : m_order)
                place(entry(l).hash, l);
        } else {
            place(hash, locator);
        }
        return e->value;
    }

    qsizetype size() const { return qsizetype(m_order.size()); }
    QByteArrayView bytes(qsizetype number) const
    {
        const Entry &e = entry(m_order[size_t(number)]);
        return QByteArrayView(reinterpret_cast<const char *>(&e + 1), e.size);
    }
    const V &value(qsizetype number) const { return entry(m_order[size_t(number)]).value; }
    V &value(qsizetype number) { return entry(m_order[size_t(number)]).value; }

private:
    struct Entry
    {
        size_t hash;
        qsizetype size;
        V value;
    };
    static_assert(alignof(Entry) <= 8 && sizeof(Entry) % 8 == 0);
    // A locator is a chunk's number and an offset in eight-byte units; a slot also holds the top
    // bits of the hash, so most mismatches are seen without touching the entry.
    static constexpr int OffsetBits = 21; ///< chunks of at most 16 MiB hold several entries
    static constexpr int LocatorBits = 37;
    static constexpr quint64 LocatorMask = (quint64(1) << LocatorBits) - 1;
    static constexpr qsizetype MaxChunk = qsizetype(8) << OffsetBits;
    static constexpr quint64 Empty = ~quint64(0);

    Entry &entry(quint64 locator) const
    {
        char *chunk = m_chunks[size_t(locator >> OffsetBits)].get();
        return *reinterpret_cast<Entry *>(chunk + ((locator & ((1 << OffsetBits) - 1)) << 3));
    }
    quint64 allocate(qsizetype size)
    {
        const qsizetype total = (qsizetype(sizeof(Entry)) + size + 7) & ~qsizetype(7);
        if (m_chunks.empty() || m_used + total > m_chunkSize) {
            // Chunks double up to 16 MiB; an entry larger than that (a record of megabytes) gets
            // a chunk of its own, at offset 0.
            m_chunkSize = std::max(std::min(m_chunkSize * 2, MaxChunk), total);
            m_chunks.emplace_back(new char[size_t(m_chunkSize)]);
            m_used = 0;
        }
        const quint64 locator = quint64(m_chunks.size() - 1) << OffsetBits | quint64(m_used >> 3);
        m_used += total;
        return locator;
    }
    void place(size_t hash, quint64 locator)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = hash & mask;
        while (m_slots[i] != Empty)
            i = (i + 1) & mask;
        m_slots[i] = (quint64(hash) >> LocatorBits) << LocatorBits | locator;
    }

    std::vector<quint64> m_slots; ///< hash >> LocatorBits << LocatorBits | locator, or Empty
    std::vector<quint64> m_order; ///< locators by number
    std::vector<std::unique_ptr<char[]>> m_chunks;
    qsizetype m_chunkSize = 32 * 1024, m_used = 0;
};

/** An identification as written, and where its lines are. */
struct KeySum
{
    quint32 number = 0;
    qint64 firstLine = 0, lines = 0;
};

/** The sums of the lines of one identification in one period, territory, licensee, currency and
 * right (a cell). */
struct Cell
{
    quint32 key = 0, dims = 0; ///< numbers in Aggregate::keys and Aggregate::dims
    qint64 units = 0, amount = 0, net = 0, lines = 0, unallocated = 0;
};

/** A report read whole and aggregated: memory for its keys and cells, never for its lines. A key
 * is an identification as written, its fields (workRef, isrc, iswc, doi, title, creator) each
 * ended by a NUL, which no report may hold; a dims entry the period, territory, licensee, currency
 * and right so joined; a cell the two joined. */
struct Aggregate
{
    usage::Summary summary;
    ByteTable<KeySum> keys;
    ByteTable<quint32> dims; ///< its own number
    ByteTable<Cell> cells;
};

/** Appends the fields to out, each followed by a NUL. */
void joinFields(QByteArray &out, std::initializer_list<QByteArrayView> fields)
{
    for (const QByteArrayView f : fields) {
        out.append(f);
        out.append('\0');
    }
}

Result<Aggregate> aggregate(const QString &path, const usage::Options &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Aggregate>::failure("unreadable",
                                          QStringLiteral("%1: %2").arg(path, file.errorString()));
    Aggregate a;
    const QByteArray defaultRight =
        options.right.isEmpty() ? QByteArray(rights::Performing) : options.right.toUtf8();
    QByteArray joined;
    auto summary = usage::readViews(file, options, [&](const usage::RecordView &r) {
        // Lines written the same way share a key without normalising each line; normalising
        // happens once per key, when it is matched.
        joined.resize(0);
        joinFields(joined, {r.workRef, r.isrc, r.iswc, r.doi, r.title, r.creator});
        const qsizetype identSize = joined.size();
        joinFields(joined, {r.period, r.territory, r.licensee, r.currency,
                            r.right.isEmpty() ? QByteArrayView(defaultRight) : r.right});
        bool added = false;
        Cell &s = a.cells.find(joined, added);
        if (added) {
            KeySum &key = a.keys.find(QByteArrayView(joined).first(identSize), added);
            if (added)
                key = {quint32(a.keys.size() - 1), r.line, 0};
            quint32 &dims = a.dims.find(QByteArrayView(joined).sliced(identSize), added);
            if (added)
                dims = quint32(a.dims.size() - 1);
            s.key = key.number;
            s.dims = dims;
        }
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
    for (qsizetype c = 0; c < a.cells.size(); ++c)
        a.keys.value(a.cells.value(c).key).lines += a.cells.value(c).lines;
    return a;
}

/** The fields of joined bytes (joinFields). */
QList<QByteArrayView> split(QByteArrayView joined)
{
    QList<QByteArrayView> out;
    for (qsizetype from = 0, end; (end = joined.indexOf('\0', from)) >= 0; from = end + 1)
        out.append(joined.sliced(from, end - from));
    return out;
}

/** Writes the aggregated lines of an import, each key with its match, and marks it loaded; then
 * matches again the keys of the other imports (Royalties::rematch). */
Status writeLines(sql::Database &db, const QString &sha256, const Aggregate &a)
{
    const Matcher matcher(db);
    auto key =
        db.prepare("INSERT INTO usage_keys(import_sha256, ident, title_creator, work_ref, "
                   "isrc, iswc, doi, title, creator, first_line, lines, match_asset, "
                   "match_how, match_note) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    std::vector<qint64> keyIds;
    keyIds.reserve(a.keys.size());
    for (qsizetype k = 0; k < a.keys.size(); ++k) {
        const QList<QByteArrayView> f = split(a.keys.bytes(k));
        const Identification id{QString::fromUtf8(f[0]), QString::fromUtf8(f[1]),
                                QString::fromUtf8(f[2]), QString::fromUtf8(f[3]),
                                QString::fromUtf8(f[4]), QString::fromUtf8(f[5])};
        QString ident, titleCreator;
        id.keys(ident, titleCreator);
        const WorkMatch m = matcher.match(id, ident, titleCreator);
        key.bind(1, sha256).bind(2, ident).bind(3, titleCreator);
        for (int i = 0; i < 6; ++i)
            key.bindText(4 + i, f[i]);
        key.bind(10, a.keys.value(k).firstLine)
            .bind(11, a.keys.value(k).lines)
            .bind(12, m.assetId)
            .bind(13, m.how)
            .bind(14, m.note);
        if (!key.next())
            return Status::failure("storage", key.errorMessage());
        keyIds.push_back(key.int64(0));
        key.reset();
    }
    // By key, then by period and the rest: the key index grows at its end.
    std::vector<quint32> order(a.cells.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](quint32 x, quint32 y) {
        const Cell &cx = a.cells.value(x), &cy = a.cells.value(y);
        return std::pair(cx.key, cx.dims) < std::pair(cy.key, cy.dims);
    });
    auto amount = db.prepare("INSERT INTO usage_amounts(key_id, period, territory, licensee, "
                             "currency, right_type, units, amount_micro, net_micro, lines, "
                             "unallocated) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    for (const quint32 i : order) {
        const Cell &s = a.cells.value(i);
        const QList<QByteArrayView> d = split(a.dims.bytes(s.dims));
        amount.bind(1, keyIds[s.key]);
        for (int c = 0; c < 5; ++c)
            amount.bindText(2 + c, d[c]);
        if (Status st = amount.bind(7, s.units)
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
    return Royalties::rematch(db, matcher, sha256);
}

QString hexOf(const ledger::Hash &hash)
{
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(hash.data()), qsizetype(hash.size())).toHex());
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
    ledger::Sha256 hash;
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
        hash.add(QByteArrayView(buffer.constData(), n));
        done += n;
        if (progress)
            progress(done, total, QStringLiteral("Copying and hashing"));
    }
    if (!out.flush()) {
        out.remove();
        return R::failure("io", QStringLiteral("writing %1 failed").arg(out.fileName()));
    }
    out.close();
    const QString sha = hexOf(hash.finish());
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
    ledger::Sha256 hash;
    QByteArray buffer(Block, Qt::Uninitialized);
    for (qint64 n; (n = in.read(buffer.data(), Block)) != 0;) {
        if (n < 0)
            return Result<QString>::failure("io", QStringLiteral("reading %1 failed").arg(path));
        hash.add(QByteArrayView(buffer.constData(), n));
    }
    return hexOf(hash.finish());
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
