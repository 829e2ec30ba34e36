// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLite log store: accepted entries in Merkle order, author chains, forks, rejections,
// checkpoints.
#pragma once

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/keystore.h"
#include "ledger/merkle.h"
#include "ledger/result.h"
#include "ledger/sqlite.h"

#include <QList>

#include <atomic>

#include <functional>
#include <memory>
#include <optional>

namespace cartulary::ledger {

/** An accepted entry as stored: its Merkle index plus the decoded columns kept for queries. */
struct StoredEntry
{
    quint64 index = 0;
    Hash hash{};
    PublicKey author{};
    quint64 seq = 0;
    qint64 timeMs = 0;
    QByteArray kind;
    QByteArray bytes;      ///< the signed entry, exactly what the Merkle leaf hashes
    qint64 receivedMs = 0; ///< when this node logged it (not signed; filled by reads)
};

/** A signed checkpoint as stored. */
struct StoredCheckpoint
{
    quint64 size = 0;
    Hash root{};
    QByteArray note;
    qint64 createdMs = 0;
};

/** Evidence of equivocation: two valid entries by one author with one seq. */
struct Fork
{
    PublicKey author{};
    quint64 seq = 0;
    Hash keptHash{};       ///< the entry already in the log
    QByteArray otherBytes; ///< the conflicting entry, kept as evidence, never applied
    qint64 detectedMs = 0;
};

/** What the store did with one entry offered to accept(). */
enum class AcceptOutcome {
    Accepted,  ///< appended to the log
    Duplicate, ///< already in the log; nothing to do
    Forked,    ///< equivocation: kept as evidence, author frozen
    Rejected,  ///< invalid or not applicable; kept in the rejected table with its reason
};

/** One entry's fate in accept(). */
struct AcceptResult
{
    AcceptOutcome outcome = AcceptOutcome::Rejected;
    Hash hash{};
    quint64 index = 0; ///< Merkle index when Accepted or Duplicate
    QString reason;    ///< why, when Forked or Rejected
};

/** An entry a local command wants written: kind and body; the store fills author, seq, prev, time.
 */
struct Draft
{
    QByteArray kind;
    QByteArray body;
    qint64 timeMs = 0; ///< 0: now
};

/**
 * Called inside the writing transaction for every entry the log accepts, in log order, so that the
 * projection commits (or rolls back) with the entry. Returning an error rolls the batch back.
 */
using Applier = std::function<Status(sql::Database &db, const StoredEntry &entry)>;
/** Called once in the writing transaction after a batch whose entries were applied: for read
 * tables that depend on the whole batch. A failure rolls the batch back. */
using BatchFinish = std::function<Status(sql::Database &db)>;

/** How appendBulk() cuts and reports its work. */
struct BulkOptions
{
    int batchSize = 1000; ///< entries per transaction (and per signed checkpoint)
    Applier applier;
    /** Called after each COMMIT with (entries committed, total). */
    std::function<void(quint64, quint64)> progress;
    const std::atomic_bool *cancel = nullptr; ///< checked between batches
    /** Called every 1,024 entries inserted, with (entries inserted so far, total); cancel is
     * checked there too, rolling back the open batch. */
    std::function<void(quint64, quint64)> inserting;
    /** Receives the position (in drafts) of the draft that was refused, when one is. */
    qsizetype *failedAt = nullptr;
};

/** Where a store keeps what must survive its database being replaced by an older copy. */
struct StoreOptions
{
    /**
     * The latest signed checkpoint, kept outside the database (FORMAT.md §4.1). Empty: none is
     * kept, and a database rolled back to an older copy of itself goes unnoticed (tests, tools).
     */
    QString checkpointFile;
};

/**
 * Owns one connection to the ledger database; use from one thread only.
 *
 * Nothing read back from the database is signed over unchecked: before its first write the store
 * checks the log's head against the latest signed checkpoint (and the outside checkpoint file),
 * and every write re-reads the head under the write lock and checks, from their signed bytes, any
 * entries another process appended meanwhile. A problem makes the store read-only (writeRefusal());
 * reads, verification and proofs keep working.
 */
class LogStore
{
public:
    static constexpr int SchemaVersion = 1;

    /** Opens or creates the database at path and brings its schema up to date. */
    static Result<std::unique_ptr<LogStore>> open(const QString &path,
                                                  const StoreOptions &options = {});
    /** Opens an existing ledger for reading only (views, proofs): no migration, every write
     * refused. */
    static Result<std::unique_ptr<LogStore>> openReadOnly(const QString &path);

    /** Binds a new ledger to its node key, or checks that an existing one belongs to that key. The
     * key given here (from the identity file), not the one stored in the database, checks
     * signatures. */
    Status bindNodeKey(const PublicKey &key);
    /** The node key recorded in the database (not trusted for checking). */
    std::optional<PublicKey> nodeKey() const;

    sql::Database &database() { return *m_db; }

    /**
     * Checks the log's head (FORMAT.md §10): the latest checkpoint's signature, the Merkle frontier
     * against that checkpoint's signed root, the outside checkpoint file, and every entry after the
     * checkpoint from its signed bytes. Runs by itself before the first write; call it early to
     * learn whether writes will be refused. A problem found here makes the store read-only.
     */
    [[nodiscard]] Status checkHead();
    /** Why writes are refused (which entry or checkpoint, and what is wrong), if they are. */
    std::optional<Error> writeRefusal() const { return m_refusal; }
    /** What the head check did that a person should know (it wrote a missing checkpoint file). */
    QString headNotice() const { return m_notice; }

    /**
     * Signs drafts as consecutive entries of identity's chain, appends them and signs a checkpoint,
     * all in one transaction; nothing is visible or acknowledged before COMMIT (synchronous=FULL).
     */
    Result<QList<StoredEntry>> appendLocal(const Identity &identity, const QList<Draft> &drafts,
                                           const Applier &applier = {},
                                           qsizetype *failedAt = nullptr);

    /**
     * Appends many drafts as consecutive batches, each one durable transaction with its own signed
     * checkpoint; a second core signs ahead while batches are inserted and committed. Each batch
     * re-reads the head under the write lock: entries another process appended are checked and
     * the rest of the drafts re-signed after them. Stops at the first failure or cancel: the
     * batches committed so far stay (their count is in the error message), nothing of the failed
     * batch does. Returns the number of entries appended; written, if given, receives them.
     */
    Result<quint64> appendBulk(const Identity &identity, const QList<Draft> &drafts,
                               const BulkOptions &options, QList<StoredEntry> *written = nullptr);

    /**
     * Offers signed entries from elsewhere (a peer, an import). Valid next entries of their
     * author's chain are appended; duplicates are skipped; a second entry for a taken (author, seq)
     * is kept as fork evidence and freezes that author; anything else is kept in the rejected table
     * with its reason. One transaction; a checkpoint is signed with nodeKeys when the log grew.
     * signaturesChecked: the caller verified every entry's signature in this process (sync's
     * staging step does, on every core), so they are not verified a second time.
     */
    Result<QList<AcceptResult>> accept(const QList<QByteArray> &entries, const KeyPair &nodeKeys,
                                       const Applier &applier = {}, bool signaturesChecked = false,
                                       const BatchFinish &finish = {});

    quint64 size() const;
    std::optional<StoredEntry> entryAt(quint64 index) const;
    /** Looks an entry up by hash. Scans the log: the hash column is not indexed, because random
     *  32-byte keys would halve bulk-append speed at a million entries; use index or (author, seq).
     */
    std::optional<StoredEntry> entryByHash(const Hash &hash) const;
    /** Entries [from, from + count) in log order (for paging views). */
    QList<StoredEntry> entries(quint64 from, quint64 count) const;
    /** Calls visit for every entry in order; stops early when it returns false. */
    Status forEach(const std::function<bool(const StoredEntry &)> &visit, quint64 from = 0) const;

    std::optional<StoredCheckpoint> latestCheckpoint() const;
    std::optional<StoredCheckpoint> checkpointAt(quint64 size) const;
    QList<quint64> checkpointSizes() const;
    /** The smallest signed size whose tree includes entry index, if any. */
    std::optional<quint64> coveringCheckpointSize(quint64 index) const;
    /** The signed sizes nearest to size: the largest below it and the smallest above it. */
    std::pair<std::optional<quint64>, std::optional<quint64>>
    nearestCheckpointSizes(quint64 size) const;
    /**
     * Signs a checkpoint of the current, checked head unless one exists at its size (a new
     * ledger's empty log). Never signs a past size: proofs use checkpoints signed when the log had
     * that size.
     */
    Result<StoredCheckpoint> signHead(const KeyPair &nodeKeys);
    /** Stores a verification mark signed by the node key (FORMAT.md §9): the first size entries,
     * whose root is the one signed at that size, were fully verified in this process. */
    Status storeVerifiedMark(quint64 size, const Hash &root, const KeyPair &nodeKeys);

    /** Loads the leaf hashes [0, upTo) into a Merkle tree for proofs (the stored hash column:
     * check the result against a signed root). */
    Result<merkle::Tree> loadTree(quint64 upTo) const;
    /** The root of the frontier this store holds (checked once checkHead() or a write ran). */
    Hash root() const { return m_frontier.root(); }

    QList<Fork> forks() const;
    bool isFrozen(const PublicKey &author) const;
    /** Number of entries kept as evidence of rejection. */
    quint64 rejectedCount() const;
    /** Head of an author's chain as the authors table has it: (seq, hash); seq 0 when none. */
    std::pair<quint64, Hash> head(const PublicKey &author) const;

private:
    explicit LogStore(std::shared_ptr<sql::Database> db);
    Status migrate();
    Status loadFrontier();
    Status insert(const StoredEntry &entry, qint64 receivedMs);
    Result<StoredCheckpoint> storeCheckpoint(const KeyPair &nodeKeys,
                                             const merkle::CompactRange &frontier);
    Status setHead(const PublicKey &author, quint64 seq, const Hash &hash);

    /** Binds to keys' public key when nothing was bound yet; fails for any other key. */
    Status requireNodeKeys(const PublicKey &key);
    /** Why this store may not be written now (read-only, refused by its head check, or no node
     * key bound), or ok. */
    Status writeGuard() const;
    /** Inside a write transaction: checks the head once, then what other processes appended. */
    Status syncHead();
    /** Inside a transaction: the head check of checkHead(). */
    Status establishHead();
    /** Inside a transaction: checks entries [m_frontier.size(), size()) and their checkpoints. */
    Status checkNewEntries();
    /** The last entry of author's chain, its hash recomputed from its bytes and, with
     * checkSignature, its signature checked; must agree with the authors table. */
    Result<std::pair<quint64, Hash>> checkedHead(const PublicKey &author, bool checkSignature);
    /** Records a problem that makes the store read-only and returns it as the error. */
    Error refuse(const QString &what);
    /** After a COMMIT: moves the outside checkpoint file forward to the latest signed checkpoint.
     */
    void publishCheckpoint();

    std::shared_ptr<sql::Database> m_db;
    merkle::CompactRange m_frontier;
    bool m_readOnly = false;
    bool m_checked = false;         ///< m_frontier is checked against a signed root in this process
    std::optional<PublicKey> m_key; ///< bound by the caller (identity file), never read from the db
    std::optional<Error> m_refusal;
    QString m_notice;
    QString m_checkpointFile;
    StoredCheckpoint m_latest;     ///< the latest checkpoint checked or signed here
    quint64 m_published = 0;       ///< the size the outside file is known to hold
    bool m_publishedKnown = false; ///< false: the file may be missing or older
};

/** Current time in milliseconds since the Unix epoch, UTC. */
qint64 nowMs();

} // namespace cartulary::ledger
