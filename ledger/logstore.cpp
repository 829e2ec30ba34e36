// SPDX-License-Identifier: GPL-3.0-or-later
// Log store: schema, migrations, local appends and acceptance of foreign entries, each batch one
// transaction.
#include "ledger/logstore.h"

#include <QDateTime>

#include <atomic>
#include <thread>

namespace cartulary::ledger {

namespace {

constexpr const char *MigrationV1 = R"sql(
CREATE TABLE entries(
    idx         INTEGER PRIMARY KEY,       -- Merkle leaf index, from 0, contiguous
    hash        BLOB NOT NULL,             -- leaf hash of bytes (unique: implied by author, seq)
    author      BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,          -- claimed by the author
    kind        TEXT NOT NULL,
    bytes       BLOB NOT NULL,             -- the signed entry
    received_ms INTEGER NOT NULL,
    UNIQUE(author, seq)
);
CREATE TABLE authors(
    author      BLOB PRIMARY KEY,
    head_seq    INTEGER NOT NULL,
    head_hash   BLOB NOT NULL,
    frozen      INTEGER NOT NULL DEFAULT 0 -- 1 once a fork is proven
);
CREATE TABLE forks(
    id          INTEGER PRIMARY KEY,
    author      BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    kept_hash   BLOB NOT NULL,
    other_hash  BLOB NOT NULL UNIQUE,
    other_bytes BLOB NOT NULL,
    detected_ms INTEGER NOT NULL
);
CREATE TABLE rejected(
    id          INTEGER PRIMARY KEY,
    hash        BLOB,
    bytes       BLOB NOT NULL,
    code        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    in_log      INTEGER NOT NULL,          -- 1: logged (validly signed) but not applied
    received_ms INTEGER NOT NULL
);
CREATE TABLE checkpoints(
    size        INTEGER PRIMARY KEY,
    root        BLOB NOT NULL,
    note        BLOB NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE TABLE ledger_meta(
    key         TEXT PRIMARY KEY,
    value       BLOB NOT NULL
);
)sql";

StoredEntry fromSigned(const SignedEntry &s, quint64 index)
{
    return StoredEntry{index,          s.hash,       s.entry.author, s.entry.seq,
                       s.entry.timeMs, s.entry.kind, s.bytes};
}

StoredEntry readEntry(const sql::Statement &st)
{
    StoredEntry e;
    e.index = quint64(st.int64(0));
    (void)fromBytes(st.blob(1), e.hash);
    (void)fromBytes(st.blob(2), e.author);
    e.seq = quint64(st.int64(3));
    e.timeMs = st.int64(4);
    e.kind = st.text(5).toUtf8();
    e.bytes = st.blob(6);
    return e;
}

constexpr const char *SelectColumns =
    "SELECT idx, hash, author, seq, time_ms, kind, bytes FROM entries ";

QString shortKey(const PublicKey &key)
{
    return fingerprint(key);
}

} // namespace

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

LogStore::LogStore(std::shared_ptr<sql::Database> db)
    : m_db(std::move(db))
{}

Result<std::unique_ptr<LogStore>> LogStore::open(const QString &path)
{
    initCrypto();
    auto db = sql::Database::open(path);
    if (!db)
        return db.error();
    std::unique_ptr<LogStore> store(new LogStore(std::move(db).value()));
    if (Status s = store->migrate(); !s)
        return s.error();
    if (Status s = store->loadFrontier(); !s)
        return s.error();
    return store;
}

Status LogStore::migrate()
{
    const int version = m_db->userVersion();
    if (version > SchemaVersion)
        return Status::failure(
            "schema-too-new",
            QStringLiteral("database %1 has ledger schema %2; this build understands up to %3. "
                           "Use a newer Cartulary.")
                .arg(m_db->path())
                .arg(version)
                .arg(SchemaVersion));
    // One function per step, each in its own transaction, so an upgrade never half-applies.
    const std::array<const char *, SchemaVersion> steps{MigrationV1};
    for (int v = version; v < SchemaVersion; ++v) {
        sql::Transaction tx(*m_db);
        if (!tx.begun())
            return tx.begun();
        if (Status s = m_db->exec(steps[std::size_t(v)]); !s)
            return Status::failure(
                "migration-failed",
                QStringLiteral("ledger schema step %1: %2").arg(v + 1).arg(s.errorString()));
        if (Status s = m_db->setUserVersion(v + 1); !s)
            return s;
        if (Status s = tx.commit(); !s)
            return s;
    }
    return {};
}

Status LogStore::loadFrontier()
{
    auto st = m_db->prepare("SELECT value FROM ledger_meta WHERE key='frontier'");
    if (st.next()) {
        auto range = merkle::CompactRange::deserialize(st.blob(0));
        if (!range)
            return Status::failure("corrupt-ledger",
                                   QStringLiteral("the stored Merkle frontier is damaged; run "
                                                  "'cartulary ledger verify'"));
        m_frontier = *range;
    } else {
        m_frontier = merkle::CompactRange();
    }
    if (m_frontier.size() != size())
        return Status::failure(
            "corrupt-ledger",
            QStringLiteral("the ledger holds %1 entries but its Merkle frontier covers %2; run "
                           "'cartulary ledger verify'")
                .arg(size())
                .arg(m_frontier.size()));
    return {};
}

Status LogStore::bindNodeKey(const PublicKey &key)
{
    if (auto existing = nodeKey()) {
        if (*existing != key)
            return Status::failure("wrong-identity",
                                   QStringLiteral("this ledger belongs to %1, not to %2")
                                       .arg(shortKey(*existing), shortKey(key)));
        return {};
    }
    auto st = m_db->prepare("INSERT INTO ledger_meta(key, value) VALUES('node_key', ?)");
    st.bind(1, toView(key));
    return st.exec();
}

std::optional<PublicKey> LogStore::nodeKey() const
{
    auto st = m_db->prepare("SELECT value FROM ledger_meta WHERE key='node_key'");
    PublicKey key{};
    if (st.next() && fromBytes(st.blob(0), key))
        return key;
    return std::nullopt;
}

std::pair<quint64, Hash> LogStore::head(const PublicKey &author) const
{
    auto st = m_db->prepare("SELECT head_seq, head_hash FROM authors WHERE author=?");
    st.bind(1, toView(author));
    Hash h{};
    if (st.next() && fromBytes(st.blob(1), h))
        return {quint64(st.int64(0)), h};
    return {0, Hash{}};
}

bool LogStore::isFrozen(const PublicKey &author) const
{
    auto st = m_db->prepare("SELECT frozen FROM authors WHERE author=?");
    st.bind(1, toView(author));
    return st.next() && st.int64(0) != 0;
}

Status LogStore::insert(const StoredEntry &e, qint64 receivedMs)
{
    auto st = m_db->prepare("INSERT INTO entries(idx, hash, author, seq, time_ms, kind, bytes, "
                            "received_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, qint64(e.index))
        .bind(2, toView(e.hash))
        .bind(3, toView(e.author))
        .bind(4, qint64(e.seq))
        .bind(5, e.timeMs)
        .bindText(6, e.kind)
        .bind(7, e.bytes)
        .bind(8, receivedMs);
    return st.exec();
}

Status LogStore::setHead(const PublicKey &author, quint64 seq, const Hash &hash)
{
    auto st = m_db->prepare("INSERT INTO authors(author, head_seq, head_hash) VALUES(?1, ?2, ?3) "
                            "ON CONFLICT(author) DO UPDATE SET head_seq=?2, head_hash=?3");
    st.bind(1, toView(author)).bind(2, qint64(seq)).bind(3, toView(hash));
    return st.exec();
}

Status LogStore::storeCheckpoint(const KeyPair &nodeKeys, const merkle::CompactRange &frontier)
{
    const Checkpoint cp{logOrigin(nodeKeys.publicKey), frontier.size(), frontier.root()};
    const QByteArray note = signCheckpoint(cp, nodeKeys);
    auto st = m_db->prepare(
        "INSERT OR REPLACE INTO checkpoints(size, root, note, created_ms) VALUES(?, ?, ?, ?)");
    st.bind(1, qint64(cp.size)).bind(2, toView(cp.root)).bind(3, note).bind(4, nowMs());
    if (Status s = st.exec(); !s)
        return s;
    auto meta =
        m_db->prepare("INSERT OR REPLACE INTO ledger_meta(key, value) VALUES('frontier', ?)");
    meta.bind(1, frontier.serialize());
    return meta.exec();
}

Result<QList<StoredEntry>> LogStore::appendLocal(const Identity &identity,
                                                 const QList<Draft> &drafts, const Applier &applier,
                                                 qsizetype *failedAt)
{
    QList<StoredEntry> written;
    written.reserve(drafts.size());
    BulkOptions options;
    options.batchSize = int(std::max<qsizetype>(1, drafts.size()));
    options.applier = applier;
    options.failedAt = failedAt;
    auto r = appendBulk(identity, drafts, options, &written);
    if (!r)
        return r.error();
    return written;
}

Result<quint64> LogStore::appendBulk(const Identity &identity, const QList<Draft> &drafts,
                                     const BulkOptions &options, QList<StoredEntry> *written)
{
    using R = Result<quint64>;
    const PublicKey &author = identity.keys.publicKey;
    if (auto key = nodeKey(); !key || *key != author)
        return R::failure(
            "wrong-identity",
            QStringLiteral("this ledger is not bound to identity %1").arg(shortKey(author)));
    if (drafts.isEmpty())
        return quint64(0);
    if (isFrozen(author))
        return R::failure("author-frozen",
                          QStringLiteral("the chain of %1 is frozen after a proven fork; no entry "
                                         "can be added")
                              .arg(shortKey(author)));
    auto [seq, prev] = head(author);
    const qint64 now = nowMs();

    // Validate everything before signing anything.
    std::vector<Entry> entries;
    entries.reserve(std::size_t(drafts.size()));
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        const Draft &d = drafts[i];
        Entry e{author, seq + 1 + quint64(i), {}, d.timeMs ? d.timeMs : now, d.kind, d.body};
        if (i == 0)
            e.prev = prev; // later links are only known once their predecessor is signed
        else
            e.prev[0] =
                1; // stand-in until signing: non-zero, as validateEntry requires for seq > 1
        if (Status valid = validateEntry(e); !valid) {
            if (options.failedAt)
                *options.failedAt = i;
            return R::failure(valid.error().code, QStringLiteral("entry %1 of %2: %3")
                                                      .arg(i + 1)
                                                      .arg(drafts.size())
                                                      .arg(valid.errorString()));
        }
        entries.push_back(std::move(e));
    }

    // Signing is sequential (each entry links to the previous hash) but needs no database, so for
    // bulk appends one thread signs ahead, across batch boundaries, while this one inserts and
    // commits: throughput is the slower of the two instead of their sum. Entries signed ahead of
    // a failed batch are dropped unseen.
    std::vector<SignedEntry> signedEntries(entries.size());
    std::atomic<std::size_t> signedCount{0};
    auto signAll = [&](std::stop_token stop) {
        Hash link = prev;
        for (std::size_t i = 0; i < entries.size() && !stop.stop_requested(); ++i) {
            entries[i].prev = link;
            signedEntries[i] = signEntry(std::move(entries[i]), identity.keys.secretKey);
            link = signedEntries[i].hash;
            signedCount.store(i + 1, std::memory_order_release);
            // Wake the inserter in steps, not per entry: a futex round trip costs as much as
            // an insert.
            if ((i + 1) % 32 == 0 || i + 1 == entries.size())
                signedCount.notify_one();
        }
    };
    constexpr std::size_t PipelineThreshold = 64;
    std::jthread signer;
    if (entries.size() >= PipelineThreshold)
        signer = std::jthread(signAll);
    else
        signAll({});

    const std::size_t batchSize = std::size_t(std::max(1, options.batchSize));
    quint64 committed = 0;
    for (std::size_t begin = 0; begin < signedEntries.size(); begin += batchSize) {
        if (options.cancel && options.cancel->load())
            return R::failure("cancelled", QStringLiteral("cancelled after %1 of %2 entries; the "
                                                          "first %1 are committed")
                                               .arg(committed)
                                               .arg(signedEntries.size()));
        const std::size_t end = std::min(signedEntries.size(), begin + batchSize);
        sql::Transaction tx(*m_db);
        if (!tx.begun())
            return tx.begun().error();
        merkle::CompactRange frontier = m_frontier;
        const qsizetype writtenBefore = written ? written->size() : 0;
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t ready = signedCount.load(std::memory_order_acquire); ready <= i;
                 ready = signedCount.load(std::memory_order_acquire))
                signedCount.wait(ready, std::memory_order_acquire);
            StoredEntry stored = fromSigned(signedEntries[i], frontier.size());
            if (Status st = insert(stored, now); !st)
                return st.error();
            if (options.applier) {
                if (Status st = options.applier(*m_db, stored); !st) {
                    if (options.failedAt)
                        *options.failedAt = qsizetype(i);
                    return st.error();
                }
            }
            frontier.append(stored.hash);
            seq = stored.seq;
            prev = stored.hash;
            if (written)
                written->append(std::move(stored));
            if ((i + 1) % 1024 == 0) {
                if (options.cancel && options.cancel->load()) {
                    if (written)
                        written->resize(writtenBefore);
                    return R::failure("cancelled",
                                      QStringLiteral("cancelled after %1 of %2 entries; the first "
                                                     "%1 are committed")
                                          .arg(committed)
                                          .arg(signedEntries.size()));
                }
                if (options.inserting)
                    options.inserting(i + 1, signedEntries.size());
            }
        }
        if (Status s = setHead(author, seq, prev); !s)
            return s.error();
        if (Status s = storeCheckpoint(identity.keys, frontier); !s)
            return s.error();
        if (Status s = tx.commit(); !s) {
            if (written)
                written->resize(writtenBefore);
            return s.error();
        }
        m_frontier = frontier;
        committed = end;
        // The signed bytes are in the database now; keep memory flat on million-entry imports.
        for (std::size_t i = begin; i < end; ++i)
            signedEntries[i] = SignedEntry();
        if (options.progress)
            options.progress(committed, signedEntries.size());
    }
    return committed;
}

Result<QList<AcceptResult>> LogStore::accept(const QList<QByteArray> &entries,
                                             const KeyPair &nodeKeys, const Applier &applier)
{
    using R = Result<QList<AcceptResult>>;
    if (auto key = nodeKey(); !key || *key != nodeKeys.publicKey)
        return R::failure(
            "wrong-identity",
            QStringLiteral("this ledger is not bound to %1").arg(shortKey(nodeKeys.publicKey)));
    sql::Transaction tx(*m_db);
    if (!tx.begun())
        return tx.begun().error();
    merkle::CompactRange frontier = m_frontier;
    const qint64 now = nowMs();
    QList<AcceptResult> results;
    auto reject = [&](const QByteArray &bytes, const Hash *hash, const QString &code,
                      const QString &reason, bool inLog) -> Status {
        auto st = m_db->prepare("INSERT INTO rejected(hash, bytes, code, reason, in_log, "
                                "received_ms) VALUES(?, ?, ?, ?, ?, ?)");
        if (hash)
            st.bind(1, toView(*hash));
        else
            st.bindNull(1);
        st.bind(2, bytes).bind(3, code).bind(4, reason).bind(5, qint64(inLog)).bind(6, now);
        return st.exec();
    };

    for (const QByteArray &bytes : entries) {
        AcceptResult r;
        auto decoded = decodeEntry(bytes);
        if (!decoded) {
            r.reason = decoded.errorString();
            if (Status s = reject(bytes, nullptr, "malformed-entry", r.reason, false); !s)
                return s.error();
            results.append(r);
            continue;
        }
        const SignedEntry &s = decoded.value();
        r.hash = s.hash;
        const QString who =
            QStringLiteral("%1 seq %2").arg(shortKey(s.entry.author)).arg(s.entry.seq);
        if (!verifyEntrySignature(s)) {
            r.reason = QStringLiteral("%1: bad signature").arg(who);
            if (Status st = reject(bytes, &s.hash, "bad-signature", r.reason, false); !st)
                return st.error();
            results.append(r);
            continue;
        }
        // Same (author, seq) already logged: a duplicate, or proof of a fork.
        auto existing = m_db->prepare("SELECT idx, hash FROM entries WHERE author=? AND seq=?");
        existing.bind(1, toView(s.entry.author)).bind(2, qint64(s.entry.seq));
        if (existing.next()) {
            Hash kept{};
            (void)fromBytes(existing.blob(1), kept);
            if (kept == s.hash) {
                r.outcome = AcceptOutcome::Duplicate;
                r.index = quint64(existing.int64(0));
                results.append(r);
                continue;
            }
            r.outcome = AcceptOutcome::Forked;
            r.reason = QStringLiteral("%1: a different entry with this seq is already logged; "
                                      "the author's chain is frozen")
                           .arg(who);
            auto fork = m_db->prepare("INSERT OR IGNORE INTO forks(author, seq, kept_hash, "
                                      "other_hash, other_bytes, detected_ms) VALUES(?,?,?,?,?,?)");
            fork.bind(1, toView(s.entry.author))
                .bind(2, qint64(s.entry.seq))
                .bind(3, toView(kept))
                .bind(4, toView(s.hash))
                .bind(5, bytes)
                .bind(6, now);
            if (Status st = fork.exec(); !st)
                return st.error();
            auto freeze = m_db->prepare("UPDATE authors SET frozen=1 WHERE author=?");
            freeze.bind(1, toView(s.entry.author));
            if (Status st = freeze.exec(); !st)
                return st.error();
            results.append(r);
            continue;
        }
        if (isFrozen(s.entry.author)) {
            r.reason =
                QStringLiteral("%1: the author's chain is frozen after a proven fork").arg(who);
            if (Status st = reject(bytes, &s.hash, "author-frozen", r.reason, false); !st)
                return st.error();
            results.append(r);
            continue;
        }
        const auto [headSeq, headHash] = head(s.entry.author);
        if (s.entry.seq != headSeq + 1 || s.entry.prev != headHash) {
            const bool gap = s.entry.seq != headSeq + 1;
            r.reason =
                gap ? QStringLiteral("%1: missing predecessor (the log has this author up to "
                                     "seq %2)")
                          .arg(who)
                          .arg(headSeq)
                    : QStringLiteral("%1: previous hash does not match the author's entry "
                                     "seq %2")
                          .arg(who)
                          .arg(headSeq);
            if (Status st = reject(bytes, &s.hash, gap ? "missing-predecessor" : "broken-chain",
                                   r.reason, false);
                !st)
                return st.error();
            results.append(r);
            continue;
        }

        StoredEntry stored = fromSigned(s, frontier.size());
        if (Status st = insert(stored, now); !st)
            return st.error();
        if (Status st = setHead(stored.author, stored.seq, stored.hash); !st)
            return st.error();
        if (applier) {
            // The entry is validly signed and extends its chain, so it is logged either way; the
            // projection applies it only if the domain rules allow it.
            if (Status st = m_db->exec("SAVEPOINT apply"); !st)
                return st.error();
            const Status applied = applier(*m_db, stored);
            if (!applied) {
                (void)m_db->exec("ROLLBACK TO apply");
                r.reason = QStringLiteral("%1: %2").arg(who, applied.errorString());
                if (Status st = reject(bytes, &s.hash, applied.error().code, r.reason, true); !st)
                    return st.error();
            }
            if (Status st = m_db->exec("RELEASE apply"); !st)
                return st.error();
        }
        frontier.append(stored.hash);
        r.outcome = AcceptOutcome::Accepted;
        r.index = stored.index;
        results.append(r);
    }
    if (frontier.size() != m_frontier.size()) {
        if (Status s = storeCheckpoint(nodeKeys, frontier); !s)
            return s.error();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    m_frontier = frontier;
    return results;
}

quint64 LogStore::size() const
{
    auto st = m_db->prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries");
    return st.next() ? quint64(st.int64(0)) : 0;
}

std::optional<StoredEntry> LogStore::entryAt(quint64 index) const
{
    auto st = m_db->prepare((QByteArray(SelectColumns) + "WHERE idx=?").constData());
    st.bind(1, qint64(index));
    if (st.next())
        return readEntry(st);
    return std::nullopt;
}

std::optional<StoredEntry> LogStore::entryByHash(const Hash &hash) const
{
    auto st = m_db->prepare((QByteArray(SelectColumns) + "WHERE hash=?").constData());
    st.bind(1, toView(hash));
    if (st.next())
        return readEntry(st);
    return std::nullopt;
}

QList<StoredEntry> LogStore::entries(quint64 from, quint64 count) const
{
    auto st = m_db->prepare(
        (QByteArray(SelectColumns) + "WHERE idx >= ? ORDER BY idx LIMIT ?").constData());
    st.bind(1, qint64(from)).bind(2, qint64(count));
    QList<StoredEntry> out;
    while (st.next())
        out.append(readEntry(st));
    return out;
}

Status LogStore::forEach(const std::function<bool(const StoredEntry &)> &visit, quint64 from) const
{
    auto st =
        m_db->prepare((QByteArray(SelectColumns) + "WHERE idx >= ? ORDER BY idx").constData());
    st.bind(1, qint64(from));
    while (st.next())
        if (!visit(readEntry(st)))
            return {};
    if (st.failed())
        return Status::failure("sqlite", st.errorMessage());
    return {};
}

namespace {
StoredCheckpoint readCheckpoint(const sql::Statement &st)
{
    StoredCheckpoint c;
    c.size = quint64(st.int64(0));
    (void)fromBytes(st.blob(1), c.root);
    c.note = st.blob(2);
    c.createdMs = st.int64(3);
    return c;
}
} // namespace

std::optional<StoredCheckpoint> LogStore::latestCheckpoint() const
{
    auto st = m_db->prepare(
        "SELECT size, root, note, created_ms FROM checkpoints ORDER BY size DESC LIMIT 1");
    if (st.next())
        return readCheckpoint(st);
    return std::nullopt;
}

std::optional<StoredCheckpoint> LogStore::checkpointAt(quint64 size) const
{
    auto st = m_db->prepare("SELECT size, root, note, created_ms FROM checkpoints WHERE size=?");
    st.bind(1, qint64(size));
    if (st.next())
        return readCheckpoint(st);
    return std::nullopt;
}

QList<quint64> LogStore::checkpointSizes() const
{
    auto st = m_db->prepare("SELECT size FROM checkpoints ORDER BY size");
    QList<quint64> out;
    while (st.next())
        out.append(quint64(st.int64(0)));
    return out;
}

Result<StoredCheckpoint> LogStore::signCheckpointAt(quint64 size, const KeyPair &nodeKeys)
{
    using R = Result<StoredCheckpoint>;
    if (auto key = nodeKey(); !key || *key != nodeKeys.publicKey)
        return R::failure(
            "wrong-identity",
            QStringLiteral("this ledger is not bound to %1").arg(shortKey(nodeKeys.publicKey)));
    if (size > this->size())
        return R::failure("bad-size", QStringLiteral("the log has %1 entries; cannot sign a "
                                                     "checkpoint at size %2")
                                          .arg(this->size())
                                          .arg(size));
    if (auto existing = checkpointAt(size))
        return *existing;
    auto tree = loadTree(size);
    if (!tree)
        return tree.error();
    const Checkpoint cp{logOrigin(nodeKeys.publicKey), size, tree->root()};
    StoredCheckpoint stored{size, cp.root, signCheckpoint(cp, nodeKeys), nowMs()};
    auto st =
        m_db->prepare("INSERT INTO checkpoints(size, root, note, created_ms) VALUES(?, ?, ?, ?)");
    st.bind(1, qint64(size))
        .bind(2, toView(stored.root))
        .bind(3, stored.note)
        .bind(4, stored.createdMs);
    if (Status s = st.exec(); !s)
        return s.error();
    return stored;
}

Result<merkle::Tree> LogStore::loadTree(quint64 upTo) const
{
    using R = Result<merkle::Tree>;
    merkle::Tree tree;
    tree.reserve(upTo);
    auto st = m_db->prepare("SELECT idx, hash FROM entries WHERE idx < ? ORDER BY idx");
    st.bind(1, qint64(upTo));
    while (st.next()) {
        Hash h{};
        if (quint64(st.int64(0)) != tree.size() || !fromBytes(st.blob(1), h))
            return R::failure("corrupt-ledger",
                              QStringLiteral("ledger row at index %1 is missing or damaged; run "
                                             "'cartulary ledger verify'")
                                  .arg(tree.size()));
        tree.append(h);
    }
    if (st.failed())
        return R::failure("sqlite", st.errorMessage());
    if (tree.size() != upTo)
        return R::failure(
            "bad-size",
            QStringLiteral("the log has only %1 entries, not %2").arg(tree.size()).arg(upTo));
    return tree;
}

QList<Fork> LogStore::forks() const
{
    auto st = m_db->prepare(
        "SELECT author, seq, kept_hash, other_bytes, detected_ms FROM forks ORDER BY id");
    QList<Fork> out;
    while (st.next()) {
        Fork f;
        (void)fromBytes(st.blob(0), f.author);
        f.seq = quint64(st.int64(1));
        (void)fromBytes(st.blob(2), f.keptHash);
        f.otherBytes = st.blob(3);
        f.detectedMs = st.int64(4);
        out.append(f);
    }
    return out;
}

quint64 LogStore::rejectedCount() const
{
    auto st = m_db->prepare("SELECT COUNT(*) FROM rejected");
    return st.next() ? quint64(st.int64(0)) : 0;
}

} // namespace cartulary::ledger
