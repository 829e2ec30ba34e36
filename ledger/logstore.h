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
    QByteArray bytes; ///< the signed entry, exactly what the Merkle leaf hashes
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

/** Owns one read-write connection to the ledger database; use from one thread only. */
class LogStore
{
public:
    static constexpr int SchemaVersion = 1;

    /** Opens or creates the database at path and brings its schema up to date. */
    static Result<std::unique_ptr<LogStore>> open(const QString &path);

    /** Binds a new ledger to its node key, or checks that an existing one belongs to that key. */
    Status bindNodeKey(const PublicKey &key);
    std::optional<PublicKey> nodeKey() const;

    sql::Database &database() { return *m_db; }

    /**
     * Signs drafts as consecutive entries of identity's chain, appends them and signs a checkpoint,
     * all in one transaction; nothing is visible or acknowledged before COMMIT (synchronous=FULL).
     */
    Result<QList<StoredEntry>> appendLocal(const Identity &identity, const QList<Draft> &drafts,
                                           const Applier &applier = {},
                                           qsizetype *failedAt = nullptr);

    /**
     * Appends many drafts as consecutive batches, each one durable transaction with its own signed
     * checkpoint; a second core signs ahead while batches are inserted and committed. Stops at the
     * first failure or cancel: the batches committed so far stay (their count is in the error
     * message), nothing of the failed batch does. Returns the number of entries appended; written,
     * if given, receives them.
     */
    Result<quint64> appendBulk(const Identity &identity, const QList<Draft> &drafts,
                               const BulkOptions &options, QList<StoredEntry> *written = nullptr);

    /**
     * Offers signed entries from elsewhere (a peer, an import). Valid next entries of their
     * author's chain are appended; duplicates are skipped; a second entry for a taken (author, seq)
     * is kept as fork evidence and freezes that author; anything else is kept in the rejected table
     * with its reason. One transaction; a checkpoint is signed with nodeKeys when the log grew.
     */
    Result<QList<AcceptResult>> accept(const QList<QByteArray> &entries, const KeyPair &nodeKeys,
                                       const Applier &applier = {});

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
    /** Signs and stores a checkpoint for a size the log has reached (re-signing is idempotent). */
    Result<StoredCheckpoint> signCheckpointAt(quint64 size, const KeyPair &nodeKeys);

    /** Loads the leaf hashes [0, upTo) into a Merkle tree for proofs. */
    Result<merkle::Tree> loadTree(quint64 upTo) const;
    Hash root() const { return m_frontier.root(); }

    QList<Fork> forks() const;
    bool isFrozen(const PublicKey &author) const;
    /** Number of entries kept as evidence of rejection. */
    quint64 rejectedCount() const;
    /** Head of an author's chain: (seq, hash); seq 0 when the author has no entries. */
    std::pair<quint64, Hash> head(const PublicKey &author) const;

private:
    explicit LogStore(std::shared_ptr<sql::Database> db);
    Status migrate();
    Status loadFrontier();
    Status insert(const StoredEntry &entry, qint64 receivedMs);
    Status storeCheckpoint(const KeyPair &nodeKeys, const merkle::CompactRange &frontier);
    Status setHead(const PublicKey &author, quint64 seq, const Hash &hash);

    std::shared_ptr<sql::Database> m_db;
    merkle::CompactRange m_frontier;
};

/** Current time in milliseconds since the Unix epoch, UTC. */
qint64 nowMs();

} // namespace cartulary::ledger
