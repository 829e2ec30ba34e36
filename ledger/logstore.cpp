// SPDX-License-Identifier: GPL-3.0-or-later
// Log store: schema, migrations, the head check, local appends and acceptance of foreign entries,
// each batch one transaction under the write lock.
#include "ledger/logstore.h"

#include "ledger/checkpointfile.h"

#include <QDateTime>
#include <QFileInfo>
#include <QScopeGuard>

#include <atomic>
#include <map>
#include <thread>
#include <tuple>

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
    StoredEntry e;
    e.index = index;
    e.hash = s.hash;
    e.author = s.entry.author;
    e.seq = s.entry.seq;
    e.timeMs = s.entry.timeMs;
    e.kind = s.entry.kind;
    e.bytes = s.bytes;
    return e;
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
    e.receivedMs = st.int64(7);
    return e;
}

constexpr const char *SelectColumns =
    "SELECT idx, hash, author, seq, time_ms, kind, bytes, received_ms FROM entries ";

QString shortKey(const PublicKey &key)
{
    return fingerprint(key);
}

QString entryLabel(quint64 index, const PublicKey &author, quint64 seq)
{
    return QStringLiteral("entry %1 (author %2, seq %3)").arg(index).arg(shortKey(author)).arg(seq);
}

QString truncatedMessage(quint64 signedSize, quint64 present)
{
    return QStringLiteral("log truncated: checkpoint %1 signed, %2 entries present")
        .arg(signedSize)
        .arg(present);
}

constexpr std::size_t PipelineThreshold = 64;

} // namespace

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

LogStore::LogStore(std::shared_ptr<sql::Database> db)
    : m_db(std::move(db))
{}

Result<std::unique_ptr<LogStore>> LogStore::open(const QString &path, const StoreOptions &options)
{
    initCrypto();
    auto db = sql::Database::open(path);
    if (!db)
        return db.error();
    std::unique_ptr<LogStore> store(new LogStore(std::move(db).value()));
    store->m_checkpointFile = options.checkpointFile;
    if (Status s = store->migrate(); !s)
        return s.error();
    if (Status s = store->loadFrontier(); !s)
        return s.error();
    return store;
}

Result<std::unique_ptr<LogStore>> LogStore::openReadOnly(const QString &path)
{
    using R = Result<std::unique_ptr<LogStore>>;
    initCrypto();
    if (!QFileInfo::exists(path))
        return R::failure("open-failed", QStringLiteral("no ledger database at %1").arg(path));
    auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    std::unique_ptr<LogStore> store(new LogStore(std::move(db).value()));
    store->m_readOnly = true;
    const int version = store->m_db->userVersion();
    if (version != SchemaVersion)
        return R::failure("schema-mismatch",
                          QStringLiteral("database %1 has ledger schema %2, not %3; open it with "
                                         "this version of Cartulary for writing first")
                              .arg(path)
                              .arg(version)
                              .arg(SchemaVersion));
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
    // A cache: the head check trusts it only when it gives the signed root, and recomputes it
    // otherwise, so a damaged one must not keep the ledger from being read or verified.
    auto st = m_db->prepare("SELECT value FROM ledger_meta WHERE key='frontier'");
    if (st.next()) {
        if (auto range = merkle::CompactRange::deserialize(st.blob(0)))
            m_frontier = *range;
    }
    return {};
}

Status LogStore::bindNodeKey(const PublicKey &key)
{
    if (auto existing = nodeKey()) {
        if (*existing != key)
            return Status::failure("wrong-identity",
                                   QStringLiteral("this ledger belongs to %1, not to %2")
                                       .arg(shortKey(*existing), shortKey(key)));
        if (m_key && *m_key != key)
            return Status::failure("wrong-identity",
                                   QStringLiteral("this store is bound to %1, not to %2")
                                       .arg(shortKey(*m_key), shortKey(key)));
        m_key = key;
        return {};
    }
    if (m_readOnly)
        return Status::failure("read-only", QStringLiteral("the ledger has no node key yet"));
    auto st = m_db->prepare("INSERT INTO ledger_meta(key, value) VALUES('node_key', ?)");
    st.bind(1, toView(key));
    if (Status s = st.exec(); !s)
        return s;
    m_key = key;
    return {};
}

std::optional<PublicKey> LogStore::nodeKey() const
{
    auto st = m_db->prepare("SELECT value FROM ledger_meta WHERE key='node_key'");
    PublicKey key{};
    if (st.next() && fromBytes(st.blob(0), key))
        return key;
    return std::nullopt;
}

Status LogStore::requireNodeKeys(const PublicKey &key)
{
    if (m_key) {
        if (*m_key != key)
            return Status::failure(
                "wrong-identity",
                QStringLiteral("this ledger is not bound to identity %1").arg(shortKey(key)));
        return {};
    }
    // A caller holding the secret key of the node key recorded in the database is the node.
    if (auto stored = nodeKey(); !stored || *stored != key)
        return Status::failure(
            "wrong-identity",
            QStringLiteral("this ledger is not bound to identity %1").arg(shortKey(key)));
    m_key = key;
    return {};
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

Result<StoredCheckpoint> LogStore::storeCheckpoint(const KeyPair &nodeKeys,
                                                   const merkle::CompactRange &frontier)
{
    const Checkpoint cp{logOrigin(nodeKeys.publicKey), frontier.size(), frontier.root()};
    StoredCheckpoint stored{cp.size, cp.root, signCheckpoint(cp, nodeKeys), nowMs()};
    auto st = m_db->prepare(
        "INSERT OR REPLACE INTO checkpoints(size, root, note, created_ms) VALUES(?, ?, ?, ?)");
    st.bind(1, qint64(cp.size))
        .bind(2, toView(cp.root))
        .bind(3, stored.note)
        .bind(4, stored.createdMs);
    if (Status s = st.exec(); !s)
        return s.error();
    auto meta =
        m_db->prepare("INSERT OR REPLACE INTO ledger_meta(key, value) VALUES('frontier', ?)");
    meta.bind(1, frontier.serialize());
    if (Status s = meta.exec(); !s)
        return s.error();
    return stored;
}

Error LogStore::refuse(const QString &what)
{
    m_refusal = Error{"read-only",
                      QStringLiteral("the ledger is read-only: %1. Nothing was written; reading, "
                                     "verifying and proving still work (run 'cartulary ledger "
                                     "verify')")
                          .arg(what)};
    return *m_refusal;
}

Status LogStore::writeGuard() const
{
    if (m_readOnly)
        return Status::failure("read-only", QStringLiteral("this store was opened for reading"));
    if (m_refusal)
        return *m_refusal;
    if (!m_key)
        return Status::failure("wrong-identity",
                               QStringLiteral("no node key is bound to this store"));
    return {};
}

Status LogStore::checkHead()
{
    // Refused before a transaction is begun: nothing to check on a store that cannot be written.
    if (Status s = writeGuard(); !s)
        return s;
    {
        sql::Transaction tx(*m_db);
        if (!tx.begun())
            return tx.begun();
        if (Status s = syncHead(); !s)
            return s;
        if (Status s = tx.commit(); !s)
            return s;
    }
    publishCheckpoint();
    return {};
}

Status LogStore::syncHead()
{
    if (Status s = writeGuard(); !s)
        return s;
    return m_checked ? checkNewEntries() : establishHead();
}

Status LogStore::establishHead()
{
    const PublicKey key = *m_key;
    const quint64 present = size();

    std::optional<OutsideCheckpoint> outside;
    if (!m_checkpointFile.isEmpty()) {
        auto read = CheckpointFile::read(m_checkpointFile, key);
        if (!read) {
            if (read.error().code == QLatin1String("io"))
                return read.error(); // unreadable now, perhaps not later: no verdict
            return refuse(read.errorString());
        }
        outside = std::move(read).value();
    }

    const auto latest = latestCheckpoint();
    if (!latest) {
        if (outside) {
            const quint64 outSize = outside->checkpoint.size;
            return refuse(present < outSize
                              ? truncatedMessage(outSize, present)
                              : QStringLiteral("the database holds no signed checkpoint, but %1 "
                                               "holds one at size %2: the database was replaced")
                                    .arg(m_checkpointFile)
                                    .arg(outSize));
        }
        if (present > 0)
            return refuse(QStringLiteral("entries 0 to %1 are not covered by any signed checkpoint "
                                         "(they were not written by Cartulary)")
                              .arg(present - 1));
        m_frontier = merkle::CompactRange();
        m_checked = true;
        return {};
    }
    auto cp = openCheckpoint(latest->note, key);
    if (!cp)
        return refuse(
            QStringLiteral("checkpoint at size %1: %2").arg(latest->size).arg(cp.errorString()));
    if (cp->size != latest->size || cp->root != latest->root)
        return refuse(QStringLiteral("the checkpoint row at size %1 disagrees with its signed note "
                                     "(size %2)")
                          .arg(latest->size)
                          .arg(cp->size));
    const quint64 signedSize = cp->size;
    if (present < signedSize)
        return refuse(truncatedMessage(signedSize, present));
    if (outside) {
        const Checkpoint &out = outside->checkpoint;
        if (out.size > signedSize)
            return refuse(present < out.size
                              ? truncatedMessage(out.size, present)
                              : QStringLiteral("the database's latest checkpoint (size %1) is "
                                               "older than the one kept in %2 (size %3): the "
                                               "database was rolled back")
                                    .arg(signedSize)
                                    .arg(m_checkpointFile)
                                    .arg(out.size));
        if (out.size == signedSize && out.root != cp->root)
            return refuse(
                QStringLiteral("the database's checkpoint at size %1 differs from the one "
                               "kept in %2: the database holds another log")
                    .arg(signedSize)
                    .arg(m_checkpointFile));
    }

    // The Merkle frontier: the cached one is used only if it gives the signed root.
    std::optional<merkle::CompactRange> frontier;
    {
        auto st = m_db->prepare("SELECT value FROM ledger_meta WHERE key='frontier'");
        if (st.next()) {
            auto cached = merkle::CompactRange::deserialize(st.blob(0));
            if (cached && cached->size() == signedSize && cached->root() == cp->root)
                frontier = *cached;
        }
    }
    const bool outsideOlder = outside && outside->checkpoint.size < signedSize;
    if (!frontier || outsideOlder) {
        // One pass over the stored leaf hashes. They are not trusted: only their fold to the
        // signed root counts, and, when the outside checkpoint is older, the fold of their prefix
        // to its root proves that the database's log extends it.
        merkle::CompactRange range;
        Hash atOutside = merkle::emptyRoot();
        auto st = m_db->prepare("SELECT idx, hash FROM entries WHERE idx < ? ORDER BY idx");
        st.bind(1, qint64(signedSize));
        while (st.next()) {
            Hash h{};
            if (quint64(st.int64(0)) != range.size())
                return refuse(QStringLiteral("missing row — no row at index %1 (the next row has "
                                             "index %2)")
                                  .arg(range.size())
                                  .arg(st.int64(0)));
            if (!fromBytes(st.blob(1), h))
                return refuse(QStringLiteral("entry %1: modified row — the stored hash is not 32 "
                                             "bytes")
                                  .arg(range.size()));
            range.append(h);
            if (outsideOlder && range.size() == outside->checkpoint.size)
                atOutside = range.root();
        }
        if (st.failed())
            return Status::failure("sqlite", st.errorMessage());
        if (range.size() != signedSize)
            return refuse(QStringLiteral("missing row — no row at index %1").arg(range.size()));
        if (range.root() != cp->root)
            return refuse(
                QStringLiteral("the stored hashes of entries 0 to %1 do not give the root "
                               "signed at size %2 (run 'cartulary ledger verify' to find "
                               "the entry)")
                    .arg(signedSize - 1)
                    .arg(signedSize));
        if (outsideOlder && atOutside != outside->checkpoint.root)
            return refuse(
                QStringLiteral("the database's log does not extend the checkpoint kept in "
                               "%1 (size %2): the database was rolled back and rewritten")
                    .arg(m_checkpointFile)
                    .arg(outside->checkpoint.size));
        frontier = range;
    }

    m_frontier = *frontier;
    m_latest = *latest;
    m_publishedKnown = outside.has_value();
    m_published = outside ? outside->checkpoint.size : 0;
    if (!outside && !m_checkpointFile.isEmpty())
        m_notice =
            QStringLiteral("%1 was missing; it now holds the checked checkpoint at size %2. "
                           "If it was deleted rather than never written (first run after an "
                           "upgrade), a rollback before now cannot be detected without peers")
                .arg(m_checkpointFile)
                .arg(signedSize);
    m_checked = true;
    // Entries after the checkpoint: another process may have appended (with its own checkpoint),
    // or someone wrote rows behind Cartulary's back.
    if (Status s = checkNewEntries(); !s) {
        m_checked = m_refusal.has_value(); // a storage error: check again next time
        return s;
    }
    return {};
}

Status LogStore::checkNewEntries()
{
    const PublicKey key = *m_key;
    const quint64 from = m_frontier.size();
    const quint64 to = size();

    // Checkpoints over what this process has not checked yet, each signed by the node key.
    std::map<quint64, Hash> roots;
    {
        auto st =
            m_db->prepare("SELECT size, root, note FROM checkpoints WHERE size > ? ORDER BY size");
        st.bind(1, qint64(from));
        while (st.next()) {
            const quint64 cpSize = quint64(st.int64(0));
            auto cp = openCheckpoint(st.blob(2), key);
            if (!cp)
                return refuse(
                    QStringLiteral("checkpoint at size %1: %2").arg(cpSize).arg(cp.errorString()));
            if (cp->size != cpSize || toBytes(cp->root) != st.blob(1))
                return refuse(QStringLiteral("the checkpoint row at size %1 disagrees with its "
                                             "signed note (size %2)")
                                  .arg(cpSize)
                                  .arg(cp->size));
            roots[cpSize] = cp->root;
        }
        if (st.failed())
            return Status::failure("sqlite", st.errorMessage());
    }
    const quint64 signedTo = roots.empty() ? from : roots.rbegin()->first;
    if (to < signedTo)
        return refuse(truncatedMessage(signedTo, to));
    if (to == from)
        return {};

    merkle::CompactRange frontier = m_frontier;
    std::map<PublicKey, std::pair<quint64, Hash>> chains; // last entry checked here, per author
    auto st = m_db->prepare(
        (QByteArray(SelectColumns) + "WHERE idx >= ? AND idx < ? ORDER BY idx").constData());
    st.bind(1, qint64(from)).bind(2, qint64(to));
    while (st.next()) {
        const StoredEntry row = readEntry(st);
        if (row.index != frontier.size())
            return refuse(QStringLiteral("missing row — no row at index %1 (the next row has "
                                         "index %2)")
                              .arg(frontier.size())
                              .arg(row.index));
        auto decoded = decodeEntry(row.bytes);
        if (!decoded)
            return refuse(
                QStringLiteral("%1: modified row — the stored bytes do not decode: %2")
                    .arg(entryLabel(row.index, row.author, row.seq), decoded.errorString()));
        const Entry &e = decoded->entry;
        const QString who = entryLabel(row.index, e.author, e.seq);
        if (row.hash != decoded->hash || row.author != e.author || row.seq != e.seq ||
            row.timeMs != e.timeMs || row.kind != e.kind)
            return refuse(QStringLiteral("%1: modified row — stored columns disagree with the "
                                         "signed bytes")
                              .arg(who));
        if (!verifyEntrySignature(decoded.value()))
            return refuse(
                QStringLiteral("%1: bad signature — the Ed25519 signature does not verify")
                    .arg(who));
        quint64 prevSeq = 0;
        Hash prevHash{};
        if (auto it = chains.find(e.author); it != chains.end()) {
            std::tie(prevSeq, prevHash) = it->second;
        } else if (e.seq > 1) {
            // The predecessor is older than this pass: its hash, recomputed from its bytes.
            auto pred = m_db->prepare("SELECT idx, bytes FROM entries WHERE author=? AND seq=?");
            pred.bind(1, toView(e.author)).bind(2, qint64(e.seq - 1));
            if (!pred.next() || quint64(pred.int64(0)) >= from)
                return refuse(QStringLiteral("%1: missing row — the author's entry seq %2 is not "
                                             "in the log before it")
                                  .arg(who)
                                  .arg(e.seq - 1));
            prevSeq = e.seq - 1;
            prevHash = leafHash(pred.blob(1));
        }
        if (e.seq != prevSeq + 1)
            return refuse(QStringLiteral("%1: broken chain — seq %2 does not follow seq %3 of the "
                                         "same author")
                              .arg(who)
                              .arg(e.seq)
                              .arg(prevSeq));
        if (e.prev != prevHash)
            return refuse(QStringLiteral("%1: broken chain — its previous-entry hash is not the "
                                         "hash of the author's entry seq %2")
                              .arg(who)
                              .arg(prevSeq));
        chains[e.author] = {e.seq, decoded->hash};
        frontier.append(decoded->hash);
        if (auto r = roots.find(frontier.size()); r != roots.end() && r->second != frontier.root())
            return refuse(QStringLiteral("%1: bad Merkle root — the root over the first %2 entries "
                                         "differs from the checkpoint signed at that size")
                              .arg(who)
                              .arg(frontier.size()));
    }
    if (st.failed())
        return Status::failure("sqlite", st.errorMessage());
    if (frontier.size() != to)
        return refuse(QStringLiteral("missing row — no row at index %1").arg(frontier.size()));
    if (signedTo != to)
        return refuse(QStringLiteral("entries %1 to %2 are not covered by a signed checkpoint "
                                     "(they were not written by Cartulary)")
                          .arg(signedTo)
                          .arg(to - 1));
    auto latest = checkpointAt(to);
    if (!latest)
        return Status::failure("sqlite",
                               QStringLiteral("the checkpoint at size %1 vanished").arg(to));
    m_latest = *latest;
    m_frontier = frontier;
    return {};
}

Result<std::pair<quint64, Hash>> LogStore::checkedHead(const PublicKey &author, bool checkSignature)
{
    const auto [tableSeq, tableHash] = head(author);
    quint64 seq = 0;
    Hash hash{};
    auto st =
        m_db->prepare("SELECT idx, bytes FROM entries WHERE author=? ORDER BY seq DESC LIMIT 1");
    st.bind(1, toView(author));
    if (st.next()) {
        const quint64 index = quint64(st.int64(0));
        auto decoded = decodeEntry(st.blob(1));
        if (!decoded || decoded->entry.author != author)
            return refuse(QStringLiteral("entry %1 (author %2): modified row — the stored bytes "
                                         "do not decode to an entry by that author")
                              .arg(index)
                              .arg(shortKey(author)));
        if (checkSignature && !verifyEntrySignature(decoded.value()))
            return refuse(
                QStringLiteral("%1: bad signature — the Ed25519 signature does not verify")
                    .arg(entryLabel(index, author, decoded->entry.seq)));
        seq = decoded->entry.seq;
        hash = decoded->hash;
    } else if (st.failed()) {
        return Error{"sqlite", st.errorMessage()};
    }
    if (seq != tableSeq || hash != tableHash)
        return refuse(QStringLiteral("the authors table says the chain of %1 ends at seq %2, but "
                                     "its last logged entry is seq %3 with another hash")
                          .arg(shortKey(author))
                          .arg(tableSeq)
                          .arg(seq));
    return std::make_pair(seq, hash);
}

void LogStore::publishCheckpoint()
{
    if (m_checkpointFile.isEmpty() || !m_key || m_latest.note.isEmpty())
        return;
    if (m_publishedKnown && m_published >= m_latest.size)
        return;
    if (Status s = CheckpointFile::advance(m_checkpointFile, m_latest.note, *m_key); !s) {
        m_notice = QStringLiteral("the latest checkpoint could not be kept outside the database: "
                                  "%1")
                       .arg(s.errorString());
        qWarning("cartulary: %s", qPrintable(m_notice));
        return;
    }
    m_published = m_latest.size;
    m_publishedKnown = true;
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
    if (Status s = requireNodeKeys(author); !s)
        return s.error();
    if (m_readOnly)
        return R::failure("read-only", QStringLiteral("this store was opened for reading"));
    if (drafts.isEmpty())
        return quint64(0);
    const qint64 now = nowMs();

    // Validate everything before signing anything. Seq and prev are placeholders here: the real
    // ones are known only under the write lock, where the head is re-read.
    std::vector<Entry> entries;
    entries.reserve(std::size_t(drafts.size()));
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        const Draft &d = drafts[i];
        Entry e{author, quint64(i) + 1, {}, d.timeMs ? d.timeMs : now, d.kind, d.body};
        if (i > 0)
            e.prev[0] = 1; // non-zero, as validateEntry requires for seq > 1
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
    // commits: throughput is the slower of the two instead of their sum. When another process
    // extended this chain between two batches, signing restarts after the new head; entries
    // signed ahead are dropped unseen.
    std::vector<SignedEntry> signedEntries(entries.size());
    std::atomic<std::size_t> signedCount{0};
    std::jthread signer; // after what it writes to: stopped and joined first
    auto startSigning = [&](std::size_t from, quint64 headSeq, Hash link) {
        signer = std::jthread(); // stops and joins a signer started for an older head
        signedCount.store(from, std::memory_order_release);
        auto signRange = [&entries, &signedEntries, &signedCount, &identity, from, headSeq,
                          link](std::stop_token stop) mutable {
            for (std::size_t i = from; i < entries.size() && !stop.stop_requested(); ++i) {
                Entry e = entries[i];
                e.seq = headSeq + 1 + quint64(i - from);
                e.prev = link;
                signedEntries[i] = signEntry(std::move(e), identity.keys.secretKey);
                link = signedEntries[i].hash;
                signedCount.store(i + 1, std::memory_order_release);
                // Wake the inserter in steps, not per entry: a futex round trip costs as much as
                // an insert.
                if ((i + 1) % 32 == 0 || i + 1 == entries.size())
                    signedCount.notify_one();
            }
        };
        if (entries.size() - from >= PipelineThreshold)
            signer = std::jthread(signRange);
        else
            signRange({});
    };

    const std::size_t batchSize = std::size_t(std::max(1, options.batchSize));
    quint64 committed = 0;
    bool signing = false;
    quint64 seq = 0; // head of the chain as this call left it
    Hash prev{};
    // Whatever happens after a COMMIT, the checkpoint it signed goes outside the database too.
    auto publish = qScopeGuard([this] { publishCheckpoint(); });
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
        // Under the write lock: what other processes appended is checked before anything is
        // signed over it, and this chain continues from its head as it is now.
        if (Status s = syncHead(); !s)
            return s.error();
        if (isFrozen(author))
            return R::failure("author-frozen",
                              QStringLiteral("the chain of %1 is frozen after a proven fork; no "
                                             "entry can be added")
                                  .arg(shortKey(author)));
        auto current = checkedHead(author, true);
        if (!current)
            return current.error();
        if (!signing || current->first != seq || current->second != prev) {
            startSigning(begin, current->first, current->second);
            signing = true;
        }
        merkle::CompactRange frontier = m_frontier;
        const qsizetype writtenBefore = written ? written->size() : 0;
        quint64 batchSeq = current->first;
        Hash batchPrev = current->second;
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t ready = signedCount.load(std::memory_order_acquire); ready <= i;
                 ready = signedCount.load(std::memory_order_acquire))
                signedCount.wait(ready, std::memory_order_acquire);
            StoredEntry stored = fromSigned(signedEntries[i], frontier.size());
            stored.receivedMs = now;
            if (Status st = insert(stored, now); !st) {
                if (written)
                    written->resize(writtenBefore);
                return st.error();
            }
            if (options.applier) {
                if (Status st = options.applier(*m_db, stored); !st) {
                    if (options.failedAt)
                        *options.failedAt = qsizetype(i);
                    if (written)
                        written->resize(writtenBefore);
                    return st.error();
                }
            }
            frontier.append(stored.hash);
            batchSeq = stored.seq;
            batchPrev = stored.hash;
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
        if (Status s = setHead(author, batchSeq, batchPrev); !s)
            return s.error();
        auto cp = storeCheckpoint(identity.keys, frontier);
        if (!cp)
            return cp.error();
        if (Status s = tx.commit(); !s) {
            if (written)
                written->resize(writtenBefore);
            return s.error();
        }
        m_frontier = frontier;
        m_latest = cp.value();
        seq = batchSeq;
        prev = batchPrev;
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
                                             const KeyPair &nodeKeys, const Applier &applier,
                                             bool signaturesChecked, const BatchFinish &finish)
{
    if (Status s = requireNodeKeys(nodeKeys.publicKey); !s)
        return s.error();
    sql::Transaction tx(*m_db);
    if (!tx.begun())
        return tx.begun().error();
    if (Status s = syncHead(); !s)
        return s.error();
    merkle::CompactRange frontier = m_frontier;
    const qint64 now = nowMs();
    QList<AcceptResult> results;
    // Chain heads as checked from the entries' bytes, then as this batch extends them.
    std::map<PublicKey, std::pair<quint64, Hash>> heads;
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
        if (!signaturesChecked && !verifyEntrySignature(s)) {
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
        auto headIt = heads.find(s.entry.author);
        if (headIt == heads.end()) {
            auto checked = checkedHead(s.entry.author, false);
            if (!checked)
                return checked.error();
            headIt = heads.emplace(s.entry.author, checked.value()).first;
        }
        const auto [headSeq, headHash] = headIt->second;
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
        stored.receivedMs = now;
        if (Status st = insert(stored, now); !st)
            return st.error();
        if (Status st = setHead(stored.author, stored.seq, stored.hash); !st)
            return st.error();
        headIt->second = {stored.seq, stored.hash};
        if (applier) {
            // The entry is validly signed and extends its chain, so it is logged either way; the
            // projection applies it only if the domain rules allow it.
            if (Status st = m_db->prepare("SAVEPOINT apply").exec(); !st)
                return st.error();
            const Status applied = applier(*m_db, stored);
            if (!applied) {
                (void)m_db->prepare("ROLLBACK TO apply").exec();
                r.reason = QStringLiteral("%1: %2").arg(who, applied.errorString());
                if (Status st = reject(bytes, &s.hash, applied.error().code, r.reason, true); !st)
                    return st.error();
            }
            if (Status st = m_db->prepare("RELEASE apply").exec(); !st)
                return st.error();
        }
        frontier.append(stored.hash);
        r.outcome = AcceptOutcome::Accepted;
        r.index = stored.index;
        results.append(r);
    }
    std::optional<StoredCheckpoint> signedHead;
    if (frontier.size() != m_frontier.size()) {
        if (finish && applier)
            if (Status st = finish(*m_db); !st)
                return st.error();
        auto cp = storeCheckpoint(nodeKeys, frontier);
        if (!cp)
            return cp.error();
        signedHead = cp.value();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    m_frontier = frontier;
    if (signedHead)
        m_latest = *signedHead;
    publishCheckpoint();
    return results;
}

Result<StoredCheckpoint> LogStore::signHead(const KeyPair &nodeKeys)
{
    if (Status s = requireNodeKeys(nodeKeys.publicKey); !s)
        return s.error();
    sql::Transaction tx(*m_db);
    if (!tx.begun())
        return tx.begun().error();
    if (Status s = syncHead(); !s)
        return s.error();
    if (auto existing = checkpointAt(m_frontier.size())) {
        if (Status s = tx.commit(); !s)
            return s.error();
        publishCheckpoint();
        return *existing;
    }
    auto cp = storeCheckpoint(nodeKeys, m_frontier);
    if (!cp)
        return cp.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    m_latest = cp.value();
    publishCheckpoint();
    return cp;
}

Status LogStore::storeVerifiedMark(quint64 size, const Hash &root, const KeyPair &nodeKeys)
{
    if (Status s = requireNodeKeys(nodeKeys.publicKey); !s)
        return s;
    sql::Transaction tx(*m_db);
    if (!tx.begun())
        return tx.begun();
    if (Status s = syncHead(); !s)
        return s;
    // The mark vouches for a root the node signed at that size, nothing else.
    const auto cp = size <= m_frontier.size() ? checkpointAt(size) : std::nullopt;
    const auto opened = cp ? openCheckpoint(cp->note, nodeKeys.publicKey)
                           : Result<Checkpoint>::failure("none", QString());
    if (!opened || opened->size != size || opened->root != root)
        return Status::failure("bad-mark",
                               QStringLiteral("no checkpoint signed at size %1 has the verified "
                                              "root; no verification mark was stored")
                                   .arg(size));
    auto st =
        m_db->prepare("INSERT OR REPLACE INTO ledger_meta(key, value) VALUES('verified_mark', ?)");
    st.bind(1, signVerifiedMark({size, root}, nodeKeys));
    if (Status s = st.exec(); !s)
        return s;
    // The unsigned mark of earlier versions is never read again.
    if (Status s = m_db->exec("DELETE FROM ledger_meta WHERE key='verified'"); !s)
        return s;
    return tx.commit();
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

std::optional<quint64> optionalSize(sql::Statement &st)
{
    if (st.next() && !st.isNull(0))
        return quint64(st.int64(0));
    return std::nullopt;
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

std::optional<quint64> LogStore::coveringCheckpointSize(quint64 index) const
{
    auto st = m_db->prepare("SELECT MIN(size) FROM checkpoints WHERE size > ?");
    st.bind(1, qint64(index));
    return optionalSize(st);
}

std::pair<std::optional<quint64>, std::optional<quint64>>
LogStore::nearestCheckpointSizes(quint64 size) const
{
    auto below = m_db->prepare("SELECT MAX(size) FROM checkpoints WHERE size < ?");
    below.bind(1, qint64(size));
    auto above = m_db->prepare("SELECT MIN(size) FROM checkpoints WHERE size > ?");
    above.bind(1, qint64(size));
    return {optionalSize(below), optionalSize(above)};
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
