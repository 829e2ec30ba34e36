// SPDX-License-Identifier: GPL-3.0-or-later
// Verifier: rows are read in chunks; signatures are checked on every core, one chunk ahead of the
// order-dependent checks (columns, chains, roots, the caller's visit) that run in log order.
#include "ledger/verifier.h"

#include "ledger/checkpoint.h"
#include "ledger/checkpointfile.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "ledger/sqlite.h"

#include <QScopeGuard>
#include <QThreadPool>

#include <map>
#include <unordered_map>

namespace cartulary::ledger {

namespace {

constexpr qsizetype ChunkSize = 4096;

/** One row as read, and what the parallel stage learned about it. */
struct Row
{
    quint64 index = 0;
    QByteArray hashColumn;
    QByteArray authorColumn;
    quint64 seqColumn = 0;
    qint64 timeColumn = 0;
    QByteArray kindColumn;
    QByteArray bytes;
    // Filled by the parallel stage:
    bool decoded = false;
    QString decodeError;
    bool signatureOk = false;
    SignedEntry entry;
};

struct KeyHash
{
    std::size_t operator()(const PublicKey &k) const noexcept
    {
        std::size_t h;
        std::memcpy(&h, k.data(), sizeof h);
        return h;
    }
};

struct ChainState
{
    quint64 seq = 0;
    Hash hash{};
};

QList<Row> readChunk(sql::Statement &st, qsizetype max)
{
    QList<Row> rows;
    rows.reserve(max);
    while (rows.size() < max && st.next()) {
        Row r;
        r.index = quint64(st.int64(0));
        r.hashColumn = st.blob(1);
        r.authorColumn = st.blob(2);
        r.seqColumn = quint64(st.int64(3));
        r.timeColumn = st.int64(4);
        r.kindColumn = st.text(5).toUtf8();
        r.bytes = st.blob(6);
        rows.append(std::move(r));
    }
    return rows;
}

} // namespace

QString problemName(Problem p)
{
    switch (p) {
    case Problem::None:
        return QStringLiteral("ok");
    case Problem::BadSignature:
        return QStringLiteral("bad signature");
    case Problem::BrokenChain:
        return QStringLiteral("broken chain");
    case Problem::MissingRow:
        return QStringLiteral("missing row");
    case Problem::ModifiedRow:
        return QStringLiteral("modified row");
    case Problem::BadMerkleRoot:
        return QStringLiteral("bad Merkle root");
    case Problem::BadCheckpoint:
        return QStringLiteral("bad checkpoint");
    case Problem::Uncheckpointed:
        return QStringLiteral("entries without a signed checkpoint");
    case Problem::Truncated:
        return QStringLiteral("log truncated");
    case Problem::RolledBack:
        return QStringLiteral("log rolled back");
    case Problem::StorageError:
        return QStringLiteral("storage error");
    case Problem::VisitFailed:
        return QStringLiteral("stopped");
    }
    return {};
}

QString VerifyReport::summary() const
{
    if (cancelled)
        return QStringLiteral("cancelled after %1 of %2 entries").arg(signaturesChecked).arg(total);
    if (ok)
        return QStringLiteral(
                   "ok: %1 entries, %2 signatures and %3 checkpoints verified%4; root %5")
            .arg(total)
            .arg(signaturesChecked)
            .arg(checkpointsChecked)
            .arg(incremental ? QStringLiteral(" (incremental)") : QString())
            .arg(toBase64(root));
    if (hasEntry)
        return QStringLiteral("entry %1 (author %2, seq %3): %4 — %5")
            .arg(index)
            .arg(fingerprint(author))
            .arg(seq)
            .arg(problemName(problem), reason);
    return QStringLiteral("%1: %2").arg(problemName(problem), reason);
}

VerifyReport Verifier::run(const QString &databasePath, const PublicKey &nodeKey,
                           const VerifyOptions &options)
{
    initCrypto();
    VerifyReport report;
    report.incremental = options.incremental;
    auto fail = [&report](Problem p, const QString &reason) {
        report.ok = false;
        report.problem = p;
        report.reason = reason;
        return report;
    };
    auto failAt = [&report](Problem p, quint64 index, const PublicKey &author, quint64 seq,
                            const QString &reason) {
        report.ok = false;
        report.problem = p;
        report.hasEntry = true;
        report.index = index;
        report.author = author;
        report.seq = seq;
        report.reason = reason;
        return report;
    };
    auto truncated = [&fail](quint64 signedSize, quint64 present) {
        return fail(Problem::Truncated, QStringLiteral("checkpoint %1 signed, %2 entries present")
                                            .arg(signedSize)
                                            .arg(present));
    };

    // The checkpoint kept outside the database: the log must hold it and extend it. Read before
    // the database snapshot starts: it is written only after its COMMIT, so the snapshot then
    // holds at least what it vouches for, even while the app keeps appending.
    std::optional<OutsideCheckpoint> outside;
    if (!options.checkpointFile.isEmpty()) {
        auto read = CheckpointFile::read(options.checkpointFile, nodeKey);
        if (!read)
            return fail(read.error().code == QLatin1String("io") ? Problem::StorageError
                                                                 : Problem::BadCheckpoint,
                        read.errorString());
        outside = std::move(read).value();
        if (!outside)
            report.notes.append(
                QStringLiteral("no checkpoint is kept outside the database yet (%1): "
                               "a database replaced by an older copy cannot be "
                               "detected until the app has written it")
                    .arg(options.checkpointFile));
    }
    auto opened = sql::Database::open(databasePath);
    if (!opened)
        return fail(Problem::StorageError, opened.errorString());
    sql::Database &db = *opened.value();
    // One read transaction: a consistent snapshot even while the app keeps appending.
    if (Status s = db.exec("BEGIN"); !s)
        return fail(Problem::StorageError, s.errorString());

    {
        auto st = db.prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries");
        report.total = st.next() ? quint64(st.int64(0)) : 0;
    }

    // Every stored checkpoint must be signed by the node key and agree with its own columns.
    std::map<quint64, Hash> signedRoots;
    {
        auto st = db.prepare("SELECT size, root, note FROM checkpoints ORDER BY size");
        while (st.next()) {
            const quint64 size = quint64(st.int64(0));
            auto cp = openCheckpoint(st.blob(2), nodeKey);
            if (!cp)
                return fail(
                    Problem::BadCheckpoint,
                    QStringLiteral("checkpoint at size %1: %2").arg(size).arg(cp.errorString()));
            if (cp->size != size || toBytes(cp->root) != st.blob(1))
                return fail(Problem::BadCheckpoint,
                            QStringLiteral("checkpoint row at size %1 disagrees with its signed "
                                           "note (size %2)")
                                .arg(size)
                                .arg(cp->size));
            signedRoots[size] = cp->root;
            ++report.checkpointsChecked;
        }
        if (st.failed())
            return fail(Problem::StorageError, st.errorMessage());
    }

    if (auto it = signedRoots.find(0); it != signedRoots.end() && it->second != merkle::emptyRoot())
        return fail(Problem::BadCheckpoint,
                    QStringLiteral("the checkpoint at size 0 does not carry the empty-tree root"));

    if (outside && outside->checkpoint.size == 0 && outside->checkpoint.root != merkle::emptyRoot())
        return fail(Problem::BadCheckpoint,
                    QStringLiteral("the checkpoint kept outside at size 0 does not carry the "
                                   "empty-tree root"));

    // A mark signed by the node key lets signatures it vouches for go unchecked; any other mark
    // is ignored, and the run checks every signature.
    quint64 trustedPrefix = 0;
    Hash trustedRoot{};
    if (options.incremental) {
        auto st = db.prepare("SELECT value FROM ledger_meta WHERE key='verified_mark'");
        if (st.next()) {
            auto mark = openVerifiedMark(st.blob(0), nodeKey);
            if (mark) {
                trustedPrefix = mark->size;
                trustedRoot = mark->root;
            } else {
                report.notes.append(QStringLiteral("the stored verification mark does not check "
                                                   "(%1): every signature was verified")
                                        .arg(mark.errorString()));
            }
        }
    }

    QThreadPool pool;
    pool.setMaxThreadCount(options.threads > 0 ? options.threads : QThread::idealThreadCount());

    auto st = db.prepare("SELECT idx, hash, author, seq, time_ms, kind, bytes FROM entries "
                         "ORDER BY idx");
    std::unordered_map<PublicKey, ChainState, KeyHash> chains;
    merkle::CompactRange frontier;
    auto checkItem = [trustedPrefix](Row &r) {
        auto decoded = decodeEntry(r.bytes);
        if (!decoded) {
            r.decodeError = decoded.errorString();
            return;
        }
        r.decoded = true;
        r.entry = std::move(decoded).value();
        r.signatureOk = r.index < trustedPrefix || verifyEntrySignature(r.entry);
    };
    // One slice of a chunk per core.
    auto startChecks = [&pool, &checkItem](QList<Row> &rows) {
        const int slices = pool.maxThreadCount();
        const qsizetype per = (rows.size() + slices - 1) / slices;
        Row *data = rows.data(); // detach once here, not concurrently in the workers
        for (qsizetype from = 0; from < rows.size(); from += per) {
            const qsizetype to = std::min(rows.size(), from + per);
            pool.start([data, &checkItem, from, to] {
                for (qsizetype i = from; i < to; ++i)
                    checkItem(data[i]);
            });
        }
    };

    QList<Row> chunk = readChunk(st, ChunkSize);
    QList<Row> next;
    // Workers may still be checking `next` when a check below fails: wait before it goes.
    auto waitForWorkers = qScopeGuard([&pool] { pool.waitForDone(); });
    startChecks(chunk);
    quint64 done = 0;
    while (!chunk.isEmpty()) {
        if (options.cancel && options.cancel->load()) {
            report.cancelled = true;
            return report;
        }
        next = readChunk(st, ChunkSize);
        pool.waitForDone();
        // The next chunk's signatures are checked on every core while this thread runs the
        // order-dependent checks (and the caller's visit) of this one.
        startChecks(next);

        for (const Row &r : std::as_const(chunk)) {
            PublicKey columnAuthor{};
            (void)fromBytes(r.authorColumn, columnAuthor);
            if (r.index != frontier.size())
                return failAt(Problem::MissingRow, frontier.size(), columnAuthor, r.seqColumn,
                              QStringLiteral("no row at index %1 (the next row has index %2)")
                                  .arg(frontier.size())
                                  .arg(r.index));
            if (!r.decoded)
                return failAt(Problem::ModifiedRow, r.index, columnAuthor, r.seqColumn,
                              QStringLiteral("stored bytes do not decode: %1").arg(r.decodeError));
            const Entry &e = r.entry.entry;
            if (!r.signatureOk)
                return failAt(Problem::BadSignature, r.index, e.author, e.seq,
                              QStringLiteral("the Ed25519 signature does not verify"));
            if (r.hashColumn != toBytes(r.entry.hash) || r.authorColumn != toBytes(e.author) ||
                r.seqColumn != e.seq || r.timeColumn != e.timeMs || r.kindColumn != e.kind)
                return failAt(Problem::ModifiedRow, r.index, e.author, e.seq,
                              QStringLiteral("stored columns (hash, author, seq, time or kind) "
                                             "disagree with the signed bytes"));
            ChainState &chain = chains[e.author];
            if (e.seq > chain.seq + 1)
                return failAt(Problem::MissingRow, r.index, e.author, e.seq,
                              QStringLiteral("the author's entries %1 to %2 are missing")
                                  .arg(chain.seq + 1)
                                  .arg(e.seq - 1));
            if (e.seq <= chain.seq)
                return failAt(Problem::BrokenChain, r.index, e.author, e.seq,
                              QStringLiteral("seq %1 comes after seq %2 of the same author (rows "
                                             "reordered or duplicated)")
                                  .arg(e.seq)
                                  .arg(chain.seq));
            if (e.prev != chain.hash)
                return failAt(Problem::BrokenChain, r.index, e.author, e.seq,
                              QStringLiteral("its previous-entry hash is not the hash of the "
                                             "author's entry seq %1")
                                  .arg(chain.seq));
            chain.seq = e.seq;
            chain.hash = r.entry.hash;
            frontier.append(r.entry.hash);
            if (r.index >= trustedPrefix)
                ++report.signaturesChecked;

            const quint64 size = frontier.size();
            if (size == trustedPrefix && frontier.root() != trustedRoot)
                return failAt(Problem::BadMerkleRoot, r.index, e.author, e.seq,
                              QStringLiteral("the first %1 entries no longer hash to the root "
                                             "verified last time")
                                  .arg(size));
            if (auto it = signedRoots.find(size);
                it != signedRoots.end() && it->second != frontier.root())
                return failAt(Problem::BadMerkleRoot, r.index, e.author, e.seq,
                              QStringLiteral("the root over the first %1 entries differs from the "
                                             "signed checkpoint at that size")
                                  .arg(size));
            if (outside && size == outside->checkpoint.size &&
                frontier.root() != outside->checkpoint.root)
                return fail(Problem::RolledBack,
                            QStringLiteral("the root over the first %1 entries differs from the "
                                           "checkpoint kept in %2: the database holds another log "
                                           "(or was rolled back and rewritten)")
                                .arg(size)
                                .arg(options.checkpointFile));
            if (options.visit) {
                StoredEntry visited;
                visited.index = r.index;
                visited.hash = r.entry.hash;
                visited.author = e.author;
                visited.seq = e.seq;
                visited.timeMs = e.timeMs;
                visited.kind = e.kind;
                visited.bytes = r.bytes;
                if (Status s = options.visit(visited); !s)
                    return failAt(Problem::VisitFailed, r.index, e.author, e.seq, s.errorString());
            }
        }
        done += quint64(chunk.size());
        if (options.progress)
            options.progress(done, report.total);
        chunk = std::move(next);
        next = QList<Row>();
    }
    if (st.failed())
        return fail(Problem::StorageError, st.errorMessage());

    const quint64 size = frontier.size();
    const quint64 covered = signedRoots.empty() ? 0 : signedRoots.rbegin()->first;
    if (covered > size)
        return truncated(covered, size);
    if (trustedPrefix > size)
        return truncated(trustedPrefix, size);
    if (outside) {
        const quint64 outSize = outside->checkpoint.size;
        if (outSize > size)
            return truncated(outSize, size);
        if (outSize > covered || (outSize == 0 && signedRoots.empty()))
            return fail(Problem::RolledBack,
                        QStringLiteral("the database's latest checkpoint (size %1) is older than "
                                       "the one kept in %2 (size %3)")
                            .arg(covered)
                            .arg(options.checkpointFile)
                            .arg(outSize));
    }
    if (size > covered)
        return fail(Problem::Uncheckpointed,
                    QStringLiteral("entries %1 to %2 are not covered by any signed checkpoint")
                        .arg(covered)
                        .arg(size - 1));

    (void)db.exec("COMMIT");
    report.ok = true;
    report.root = frontier.root();
    return report;
}

} // namespace cartulary::ledger
