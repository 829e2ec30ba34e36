// SPDX-License-Identifier: GPL-3.0-or-later
// One sync session over an authenticated TLS socket: hello, wants, entries both ways with acks
// after COMMIT, checkpoint with consistency proof, cosignature, close (ledger/SYNC.md §6).
#pragma once

#include "ledger/logstore.h"
#include "ledger/sync/peerstore.h"
#include "ledger/sync/tlsidentity.h"
#include "ledger/sync/wire.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslSocket>
#include <QTimer>

#include <functional>
#include <map>

namespace cartulary::ledger::sync {

/** Time and size limits of a session; all configurable so that tests stay fast. */
struct SyncLimits
{
    int handshakeMs = 15000; ///< TCP + TLS + hello
    int idleMs = 30000;      ///< no byte received while the session waits for one
    int sessionMs = 600000;  ///< a whole session
    int batchEntries = 1000; ///< entries per ENTRIES frame (also bounded by MaxFrame)
    int window = 4;          ///< batches sent and not yet acknowledged
};

/** What a node brings to each of its sessions. */
struct SyncContext
{
    LogStore *store = nullptr;
    const Identity *identity = nullptr; ///< the node key: accepts, checkpoints, cosignatures
    TlsIdentity tls;
    QByteArray binding; ///< this node's binding entry (signed bytes)
    Applier applier;    ///< the domain's rules and projection (app/ passes the model's)
    BatchFinish finish; ///< after a batch's entries are applied (the domain's cross-entry step)
    PeerStore *peers = nullptr;
    SyncLimits limits;
    /** Lines a person should read (rejected entries, forks), besides the session's outcome. */
    std::function<void(const QString &)> log;
};

/** How one session ended. */
struct SessionReport
{
    PeerId peer{};
    QString peerName;
    QString address;
    bool ok = false;
    CloseCode code = CloseCode::Done;
    QString outcome;      ///< "done", or the reason it ended
    quint64 sent = 0;     ///< entries the peer acknowledged as committed
    quint64 received = 0; ///< entries this node appended
    quint64 duplicates = 0;
    quint64 rejected = 0; ///< logged but refused by the domain rules
    quint64 forks = 0;
    quint64 cosignaturesReceived = 0;
    quint64 cosignaturesMade = 0;
};

/** Drives one session; deletes nothing but itself never: the owner deletes it after finished(). */
class SyncSession : public QObject
{
    Q_OBJECT
public:
    enum class Role { Client, Server };

    /** The socket must be encrypted already; its peer certificate was checked as paired. */
    SyncSession(QSslSocket *socket, Role role, SyncContext &context, const Peer &peer,
                QObject *parent = nullptr);
    ~SyncSession() override;

    void start();
    const SessionReport &report() const { return m_report; }

signals:
    void finished();

private:
    void onReadyRead();
    void onDisconnected();
    void send(MessageType type, const QByteArray &payload);
    void fail(CloseCode code, const QString &reason);
    void finish(bool ok, CloseCode code, const QString &outcome);
    void handle(MessageType type, QByteArrayView payload);

    void handleHello(QByteArrayView payload);
    void handleWants(QByteArrayView payload);
    void handleEntries(QByteArrayView payload);
    void handleAck(QByteArrayView payload);
    void handleCheckpoint(QByteArrayView payload);
    void handleCosignature(QByteArrayView payload);
    void handleEvidence(QByteArrayView payload);
    void handleClose(QByteArrayView payload);

    void sendHello();
    void sendWants();
    void pump();
    void sendCheckpointIfReady();
    void checkComplete();
    /** Checks a checkpoint of the peer against the last one seen (split view, cut back); an error
     * names both, which are kept as evidence by the caller. */
    Status checkSeen(const Checkpoint &cp, const QByteArray &note, const CheckpointMessage *proof);
    void log(const QString &line);
    /** What the session still lacked, for a session that ended early. */
    QString progressText() const;

    QPointer<QSslSocket> m_socket;
    Role m_role;
    SyncContext &m_ctx;
    Peer m_peer;
    SessionReport m_report;
    QTimer m_idle;
    QTimer m_deadline;
    QTimer m_handshake;
    bool m_finished = false;

    bool m_helloSent = false;
    bool m_helloReceived = false;
    PublicKey m_peerKey{};
    quint64 m_theirSeen = 0; ///< largest size of our log the peer holds

    std::map<PublicKey, Want> m_wantsSent;
    QList<quint64> m_outgoing; ///< log indices to send
    qsizetype m_next = 0;
    quint64 m_batch = 0;
    std::map<quint64, quint32> m_unacked; ///< batch → entries in it
    bool m_doneSent = false;
    bool m_theirDone = false;
    bool m_checkpointSent = false;
    Checkpoint m_sentCheckpoint;
    bool m_checkpointReceived = false;
    bool m_cosignatureSent = false;
    bool m_cosignatureReceived = false;
    bool m_closeSent = false;
};

} // namespace cartulary::ledger::sync
