// SPDX-License-Identifier: GPL-3.0-or-later
// What a node keeps about its peers, in its ledger database: paired peer IDs and addresses, the
// last checkpoint seen from each, cosignatures received for its own checkpoints, and evidence.
#pragma once

#include "ledger/logstore.h"
#include "ledger/sync/peerid.h"

#include <optional>

namespace cartulary::ledger::sync {

/** A paired peer and how its last session went. */
struct Peer
{
    PeerId id{};
    QString name;
    QString address; ///< HOST:PORT
    qint64 addedMs = 0;
    std::optional<PublicKey> nodeKey; ///< its ledger key, once a session proved the binding
    qint64 lastSyncMs = 0;            ///< 0: never
    QString state;                    ///< "new", "in-sync", "refused", "fork", "split-view", …
    QString lastOutcome;              ///< one line
    quint64 entriesReceived = 0;      ///< over all sessions
};

/** The latest checkpoint a peer showed this node, as signed by the peer. */
struct SeenCheckpoint
{
    quint64 size = 0;
    Hash root{};
    QByteArray note;
};

/** A cosignature line another node made over one of this node's checkpoints. */
struct Cosignature
{
    quint64 size = 0;
    Hash root{};
    QString cosigner; ///< the cosigner's name (its origin)
    QByteArray line;  ///< "— <name> <base64>" without the newline
    qint64 receivedMs = 0;
};

/** Evidence against a peer or an author: two signed things that cannot both be honest. */
struct Evidence
{
    PeerId peer{};
    QString kind; ///< "split-view", "cut-back", "fork"
    QByteArray first;
    QByteArray second;
    QString reason;
    qint64 detectedMs = 0;
};

/** The sync tables of one ledger database; use on the store's thread. */
class PeerStore
{
public:
    explicit PeerStore(sql::Database &db);
    /** Creates the tables when missing. */
    Status createTables();

    Status add(const Peer &peer);
    Status remove(const PeerId &id);
    QList<Peer> list() const;
    std::optional<Peer> find(const PeerId &id) const;
    /** A peer by its ID as written, or by name. */
    Result<Peer> lookup(const QString &idOrName) const;

    Status setNodeKey(const PeerId &id, const PublicKey &key);
    Status recordSession(const PeerId &id, const QString &state, const QString &outcome,
                         quint64 received);

    std::optional<SeenCheckpoint> lastCheckpoint(const PeerId &id) const;
    Status setLastCheckpoint(const PeerId &id, const SeenCheckpoint &cp);

    Status addCosignature(const Cosignature &c);
    QList<Cosignature> cosignatures(quint64 size) const;

    Status addEvidence(const Evidence &e);
    QList<Evidence> evidence() const;

private:
    sql::Database &m_db;
};

} // namespace cartulary::ledger::sync
