// SPDX-License-Identifier: GPL-3.0-or-later
// A data directory: the identity file, the ledger database and its projection; shared by CLI and
// GUI.
#pragma once

#include "ledger/keystore.h"
#include "ledger/logstore.h"
#include "ledger/sync/tlsidentity.h"

#include <atomic>
#include <functional>
#include <memory>

namespace cartulary::model {

/**
 * Everything one organisation keeps on disk. Use from one thread only: it owns a read-write
 * database connection. Commands write through append(), which keeps entry and projection in one
 * transaction.
 */
class Workspace
{
public:
    explicit Workspace(QString dataDir);
    ~Workspace();

    /** $XDG_DATA_HOME/cartulary (QStandardPaths::AppDataLocation). */
    static QString defaultDataDir();

    const QString &dataDir() const { return m_dataDir; }
    QString databasePath() const;
    QString identityPath() const;
    /** The latest signed checkpoint, kept outside the database (FORMAT.md §4.1). */
    QString checkpointPath() const;
    bool hasIdentity() const;
    /** The TLS certificate and its sealed key for peer sync (ledger/SYNC.md §2). */
    QString tlsIdentityPath() const;

    /** Creates the identity and an empty ledger bound to it. */
    Status create(const QString &name, const QByteArray &passphrase,
                  ledger::KdfLimits limits = ledger::KdfLimits::moderate());
    /** Unlocks the identity and opens the ledger for writing; then checks the ledger's head, so
     * that a ledger refusing writes says why from the start (store().writeRefusal()). */
    Status unlock(const QByteArray &passphrase);
    /** Opens the ledger and its read tables without unlocking (reading, verifying, proving). */
    Status open();
    /** Opens the ledger only, leaving the read tables as they are (ledger commands: they must
     * work even when the read tables cannot be rebuilt). */
    Status openLedger();

    bool isOpen() const { return m_store != nullptr; }
    bool isUnlocked() const { return m_identity != nullptr; }
    ledger::LogStore &store() { return *m_store; }
    const ledger::Identity &identity() const { return *m_identity; }
    ledger::PublicKey nodeKey() const;
    QString organisationName() const;

    /**
     * Signs drafts as the unlocked identity and applies them to the projection, atomically. When
     * the projection refuses one, nothing is written and failedAt receives its position.
     */
    Result<QList<ledger::StoredEntry>> append(const QList<ledger::Draft> &drafts,
                                              qsizetype *failedAt = nullptr);
    /**
     * The same, and after the projection has applied each entry, also calls after in the same
     * transaction: read tables that come with an entry but not from its body (the lines of a usage
     * report, kept in the file the entry names by hash) are written with it or not at all.
     */
    Result<QList<ledger::StoredEntry>> append(const QList<ledger::Draft> &drafts,
                                              const ledger::Applier &after,
                                              qsizetype *failedAt = nullptr);
    Status rebuildProjection();
    /** Told how far a projection rebuild has come (on open after an upgrade, or on request). */
    void setRebuildProgress(std::function<void(quint64, quint64)> progress)
    {
        m_rebuildProgress = std::move(progress);
    }
    /** A flag that cancels a projection rebuild (rolled back; opening then fails "cancelled"). */
    void setRebuildCancel(const std::atomic_bool *cancel) { m_rebuildCancel = cancel; }
    /** Stores a verification mark signed with the unlocked identity: the first size entries, with
     * that root, were fully verified in this process. */
    Status recordVerified(quint64 size, const ledger::Hash &root);

    /**
     * The node's TLS identity for peer sync, unlocked: made on first use (an existing data
     * directory), and its binding entry signed into the ledger when the ledger has none yet.
     * Needs the identity unlocked.
     */
    Result<ledger::sync::TlsIdentity> tlsIdentity();

private:
    QString m_dataDir;
    std::unique_ptr<ledger::LogStore> m_store;
    std::shared_ptr<ledger::Identity> m_identity;
    ledger::PublicIdentity m_public;
    std::function<void(quint64, quint64)> m_rebuildProgress;
    const std::atomic_bool *m_rebuildCancel = nullptr;
    bool m_projectionReady = false;
};

} // namespace cartulary::model
