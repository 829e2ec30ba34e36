// SPDX-License-Identifier: GPL-3.0-or-later
// The sync tables: created next to the ledger's own, never read by the verifier or the projection.
#include "ledger/sync/peerstore.h"

namespace cartulary::ledger::sync {

namespace {

constexpr const char *Tables = R"sql(
CREATE TABLE IF NOT EXISTS sync_peers(
    peer_id          BLOB PRIMARY KEY,
    name             TEXT NOT NULL,
    address          TEXT NOT NULL,
    added_ms         INTEGER NOT NULL,
    node_key         BLOB,
    last_sync_ms     INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL DEFAULT 'new',
    last_outcome     TEXT NOT NULL DEFAULT '',
    entries_received INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sync_seen_checkpoints(
    peer_id     BLOB PRIMARY KEY,
    size        INTEGER NOT NULL,
    root        BLOB NOT NULL,
    note        BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_cosignatures(
    size        INTEGER NOT NULL,
    root        BLOB NOT NULL,
    cosigner    TEXT NOT NULL,
    line        BLOB NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY(size, cosigner)
);
CREATE TABLE IF NOT EXISTS sync_evidence(
    id          INTEGER PRIMARY KEY,
    peer_id     BLOB NOT NULL,
    kind        TEXT NOT NULL,
    first       BLOB NOT NULL,
    second      BLOB NOT NULL,
    reason      TEXT NOT NULL,
    detected_ms INTEGER NOT NULL
);
)sql";

constexpr const char *PeerColumns = "SELECT peer_id, name, address, added_ms, node_key, "
                                    "last_sync_ms, state, last_outcome, entries_received FROM "
                                    "sync_peers ";

Peer readPeer(const sql::Statement &st)
{
    Peer p;
    (void)fromBytes(st.blob(0), p.id);
    p.name = st.text(1);
    p.address = st.text(2);
    p.addedMs = st.int64(3);
    PublicKey key{};
    if (!st.isNull(4) && fromBytes(st.blob(4), key))
        p.nodeKey = key;
    p.lastSyncMs = st.int64(5);
    p.state = st.text(6);
    p.lastOutcome = st.text(7);
    p.entriesReceived = quint64(st.int64(8));
    return p;
}

} // namespace

PeerStore::PeerStore(sql::Database &db)
    : m_db(db)
{}

Status PeerStore::createTables()
{
    return m_db.exec(Tables);
}

Status PeerStore::add(const Peer &peer)
{
    if (auto existing = find(peer.id))
        return Status::failure("peer-exists",
                               QStringLiteral("peer %1 is already paired (as '%2' at %3); remove "
                                              "it first to change it")
                                   .arg(formatPeerId(peer.id), existing->name, existing->address));
    if (!peer.name.isEmpty()) {
        auto st = m_db.prepare("SELECT 1 FROM sync_peers WHERE name=?");
        st.bind(1, peer.name);
        if (st.next())
            return Status::failure(
                "peer-exists",
                QStringLiteral("another peer is already named '%1'; choose another --name")
                    .arg(peer.name));
    }
    auto st =
        m_db.prepare("INSERT INTO sync_peers(peer_id, name, address, added_ms) VALUES(?, ?, ?, ?)");
    st.bind(1, toView(peer.id)).bind(2, peer.name).bind(3, peer.address).bind(4, peer.addedMs);
    return st.exec();
}

Status PeerStore::remove(const PeerId &id)
{
    if (!find(id))
        return Status::failure("unknown-peer",
                               QStringLiteral("peer %1 is not paired").arg(formatPeerId(id)));
    auto st = m_db.prepare("DELETE FROM sync_peers WHERE peer_id=?");
    st.bind(1, toView(id));
    return st.exec();
}

QList<Peer> PeerStore::list() const
{
    auto st = m_db.prepare((QByteArray(PeerColumns) + "ORDER BY added_ms, name").constData());
    QList<Peer> out;
    while (st.next())
        out.append(readPeer(st));
    return out;
}

std::optional<Peer> PeerStore::find(const PeerId &id) const
{
    auto st = m_db.prepare((QByteArray(PeerColumns) + "WHERE peer_id=?").constData());
    st.bind(1, toView(id));
    if (st.next())
        return readPeer(st);
    return std::nullopt;
}

Result<Peer> PeerStore::lookup(const QString &idOrName) const
{
    for (const Peer &p : list())
        if (!p.name.isEmpty() && p.name == idOrName)
            return p;
    auto id = parsePeerId(idOrName);
    if (!id)
        return Result<Peer>::failure("unknown-peer",
                                     QStringLiteral("no paired peer is named '%1', and it is not "
                                                    "a peer ID: %2")
                                         .arg(idOrName, id.errorString()));
    if (auto p = find(id.value()))
        return *p;
    return Result<Peer>::failure(
        "unknown-peer", QStringLiteral("peer %1 is not paired; add it with 'cartulary peer add'")
                            .arg(formatPeerId(id.value())));
}

Status PeerStore::setNodeKey(const PeerId &id, const PublicKey &key)
{
    auto st = m_db.prepare("UPDATE sync_peers SET node_key=? WHERE peer_id=?");
    st.bind(1, toView(key)).bind(2, toView(id));
    return st.exec();
}

Status PeerStore::recordSession(const PeerId &id, const QString &state, const QString &outcome,
                                quint64 received)
{
    auto st = m_db.prepare("UPDATE sync_peers SET last_sync_ms=?, state=?, last_outcome=?, "
                           "entries_received=entries_received+? WHERE peer_id=?");
    st.bind(1, nowMs())
        .bind(2, state)
        .bind(3, outcome)
        .bind(4, qint64(received))
        .bind(5, toView(id));
    return st.exec();
}

std::optional<SeenCheckpoint> PeerStore::lastCheckpoint(const PeerId &id) const
{
    auto st = m_db.prepare("SELECT size, root, note FROM sync_seen_checkpoints WHERE peer_id=?");
    st.bind(1, toView(id));
    if (!st.next())
        return std::nullopt;
    SeenCheckpoint cp;
    cp.size = quint64(st.int64(0));
    (void)fromBytes(st.blob(1), cp.root);
    cp.note = st.blob(2);
    return cp;
}

Status PeerStore::setLastCheckpoint(const PeerId &id, const SeenCheckpoint &cp)
{
    auto st =
        m_db.prepare("INSERT OR REPLACE INTO sync_seen_checkpoints(peer_id, size, root, note) "
                     "VALUES(?, ?, ?, ?)");
    st.bind(1, toView(id)).bind(2, qint64(cp.size)).bind(3, toView(cp.root)).bind(4, cp.note);
    return st.exec();
}

Status PeerStore::addCosignature(const Cosignature &c)
{
    auto st = m_db.prepare("INSERT OR REPLACE INTO sync_cosignatures(size, root, cosigner, line, "
                           "received_ms) VALUES(?, ?, ?, ?, ?)");
    st.bind(1, qint64(c.size))
        .bind(2, toView(c.root))
        .bind(3, c.cosigner)
        .bind(4, c.line)
        .bind(5, c.receivedMs);
    return st.exec();
}

QList<Cosignature> PeerStore::cosignatures(quint64 size) const
{
    auto st = m_db.prepare("SELECT size, root, cosigner, line, received_ms FROM sync_cosignatures "
                           "WHERE size=? ORDER BY cosigner");
    st.bind(1, qint64(size));
    QList<Cosignature> out;
    while (st.next()) {
        Cosignature c;
        c.size = quint64(st.int64(0));
        (void)fromBytes(st.blob(1), c.root);
        c.cosigner = st.text(2);
        c.line = st.blob(3);
        c.receivedMs = st.int64(4);
        out.append(c);
    }
    return out;
}

Status PeerStore::addEvidence(const Evidence &e)
{
    auto st = m_db.prepare("INSERT INTO sync_evidence(peer_id, kind, first, second, reason, "
                           "detected_ms) VALUES(?, ?, ?, ?, ?, ?)");
    st.bind(1, toView(e.peer))
        .bind(2, e.kind)
        .bind(3, e.first)
        .bind(4, e.second)
        .bind(5, e.reason)
        .bind(6, e.detectedMs);
    return st.exec();
}

QList<Evidence> PeerStore::evidence() const
{
    auto st = m_db.prepare(
        "SELECT peer_id, kind, first, second, reason, detected_ms FROM sync_evidence ORDER BY id");
    QList<Evidence> out;
    while (st.next()) {
        Evidence e;
        (void)fromBytes(st.blob(0), e.peer);
        e.kind = st.text(1);
        e.first = st.blob(2);
        e.second = st.blob(3);
        e.reason = st.text(4);
        e.detectedMs = st.int64(5);
        out.append(e);
    }
    return out;
}

} // namespace cartulary::ledger::sync
