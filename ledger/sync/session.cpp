// SPDX-License-Identifier: GPL-3.0-or-later
// The session state machine. Every received entry is checked in a staging step (bytes, signature,
// chain continuity against the heads) before the batch goes to LogStore::accept in one transaction;
// the ACK is sent only after that COMMIT.
#include "ledger/sync/session.h"

#include "ledger/merkle.h"
#include "ledger/proofs.h"
#include "ledger/sync/cosignature.h"

#include <QDateTime>
#include <QtEndian>

#include <algorithm>
#include <thread>
#include <vector>

namespace cartulary::ledger::sync {

namespace {

/** Each entry's signature, checked on every core; 1 where it verifies. */
std::vector<char> verifyAll(const std::vector<SignedEntry> &entries)
{
    std::vector<char> valid(entries.size(), 0);
    const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    auto work = [&](std::size_t from, std::size_t step) {
        for (std::size_t i = from; i < entries.size(); i += step)
            valid[i] = verifyEntrySignature(entries[i]) ? 1 : 0;
    };
    if (entries.size() < 64 || workers == 1) {
        work(0, 1);
        return valid;
    }
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w)
        threads.emplace_back(work, w, workers);
    work(0, workers);
    for (std::thread &t : threads)
        t.join();
    return valid;
}

QString who(const PublicKey &author, quint64 seq)
{
    return QStringLiteral("author %1 seq %2").arg(fingerprint(author)).arg(seq);
}

} // namespace

SyncSession::SyncSession(QSslSocket *socket, Role role, SyncContext &context, const Peer &peer,
                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_role(role)
    , m_ctx(context)
    , m_peer(peer)
{
    m_report.peer = peer.id;
    m_report.peerName = peer.name;
    m_report.address =
        socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
    m_idle.setSingleShot(true);
    m_deadline.setSingleShot(true);
    m_handshake.setSingleShot(true);
}

SyncSession::~SyncSession() = default;

void SyncSession::start()
{
    // Memory stays bounded: Qt buffers at most this much decrypted data; TCP flow control does the
    // rest. Two frames fit, so a whole frame can always be read.
    m_socket->setReadBufferSize(qint64(MaxFrame) * 2 + 16);
    connect(m_socket, &QSslSocket::readyRead, this, &SyncSession::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &SyncSession::onDisconnected);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        const bool midFrame = m_socket && m_socket->bytesAvailable() > 0;
        fail(CloseCode::Timeout,
             QStringLiteral("timed out: nothing received for %1 ms%2")
                 .arg(m_ctx.limits.idleMs)
                 .arg(midFrame ? QStringLiteral(" in the middle of a frame") : QString()));
    });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        fail(CloseCode::Timeout, QStringLiteral("timed out: the session took longer than %1 ms")
                                     .arg(m_ctx.limits.sessionMs));
    });
    connect(&m_handshake, &QTimer::timeout, this, [this] {
        fail(CloseCode::Timeout,
             QStringLiteral("timed out: no hello within %1 ms").arg(m_ctx.limits.handshakeMs));
    });
    m_idle.start(m_ctx.limits.idleMs);
    m_deadline.start(m_ctx.limits.sessionMs);
    m_handshake.start(m_ctx.limits.handshakeMs);
    if (m_role == Role::Client)
        sendHello();
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void SyncSession::log(const QString &line)
{
    if (m_ctx.log)
        m_ctx.log(line);
}

void SyncSession::send(MessageType type, const QByteArray &payload)
{
    if (qEnvironmentVariableIsSet("CARTULARY_SYNC_TRACE"))
        qDebug("%s sends type %d, %lld bytes", m_role == Role::Client ? "client" : "server",
               int(type), qlonglong(payload.size()));
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(frame(type, payload));
}

void SyncSession::fail(CloseCode code, const QString &reason)
{
    if (m_finished)
        return;
    // Before the peer's hello nothing is said: an unproven peer gets no application data.
    if (m_helloReceived)
        send(MessageType::Close, encodeClose({code, reason}));
    finish(false, code, reason);
}

void SyncSession::finish(bool ok, CloseCode code, const QString &outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    m_idle.stop();
    m_deadline.stop();
    m_handshake.stop();
    m_report.ok = ok;
    m_report.code = code;
    m_report.outcome = outcome;
    if (m_ctx.peers) {
        QString state = ok ? QStringLiteral("in-sync") : QStringLiteral("refused");
        if (code == CloseCode::SplitView)
            state = QStringLiteral("split-view");
        else if (m_report.forks > 0)
            state = QStringLiteral("fork");
        else if (code == CloseCode::Timeout || code == CloseCode::Internal)
            state = QStringLiteral("behind");
        (void)m_ctx.peers->recordSession(m_peer.id, state, outcome, m_report.received);
    }
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        if (ok || m_helloReceived) {
            // The CLOSE written just now goes to the kernel before the socket may be deleted.
            m_socket->flush();
            m_socket->disconnectFromHost();
        } else
            m_socket->abort();
    }
    emit finished();
}

void SyncSession::onDisconnected()
{
    if (m_finished)
        return;
    onReadyRead(); // what arrived before the end is read first
    if (!m_finished)
        finish(false, CloseCode::Protocol,
               m_helloReceived ? QStringLiteral("the peer closed the connection mid-session (%1)")
                                     .arg(progressText())
                               : QStringLiteral("the peer closed the connection before its hello "
                                                "(it does not accept this node's peer ID, or "
                                                "its certificate)"));
}

QString SyncSession::progressText() const
{
    QStringList missing;
    if (!m_doneSent || !m_unacked.empty())
        missing << QStringLiteral("%1 of %2 entries acknowledged")
                       .arg(m_report.sent)
                       .arg(m_outgoing.size());
    if (!m_theirDone)
        missing << QStringLiteral("the peer's entries not all received");
    if (!m_checkpointReceived)
        missing << QStringLiteral("no checkpoint received");
    if (!m_cosignatureReceived)
        missing << QStringLiteral("no cosignature received");
    if (missing.isEmpty())
        missing << QStringLiteral("all exchanged, close not confirmed");
    return missing.join(QStringLiteral(", "));
}

void SyncSession::onReadyRead()
{
    if (!m_socket || m_finished)
        return;
    m_idle.start(m_ctx.limits.idleMs);
    while (!m_finished && m_socket->bytesAvailable() >= 5) {
        char header[5];
        if (m_socket->peek(header, 5) != 5)
            return;
        const quint32 length = qFromBigEndian<quint32>(header);
        const quint32 cap = m_helloReceived ? MaxFrame : MaxHelloFrame;
        // The cap is checked on the header, before a byte of the frame is read or allocated.
        if (length == 0 || length > cap) {
            fail(CloseCode::Protocol,
                 QStringLiteral("protocol error: a frame declares %1 bytes; the limit %2 is %3")
                     .arg(length)
                     .arg(m_helloReceived ? QStringLiteral("for a frame")
                                          : QStringLiteral("before the hello"))
                     .arg(cap));
            return;
        }
        if (m_socket->bytesAvailable() < qint64(length) + 4)
            return; // the rest of the frame has not arrived yet
        m_socket->skip(4);
        const QByteArray body = m_socket->read(length);
        handle(MessageType(quint8(body[0])), QByteArrayView(body).sliced(1));
    }
    // The idle limit counts the peer's silence, not this node's own work (a long commit).
    if (!m_finished)
        m_idle.start(m_ctx.limits.idleMs);
}

void SyncSession::handle(MessageType type, QByteArrayView payload)
{
    if (qEnvironmentVariableIsSet("CARTULARY_SYNC_TRACE"))
        qDebug("%s received type %d, %lld bytes", m_role == Role::Client ? "client" : "server",
               int(type), qlonglong(payload.size()));
    if (!m_helloReceived && type != MessageType::Hello) {
        fail(CloseCode::Protocol,
             QStringLiteral("protocol error: the first message is of type %1, not a hello")
                 .arg(quint8(type)));
        return;
    }
    switch (type) {
    case MessageType::Hello:
        return handleHello(payload);
    case MessageType::Wants:
        return handleWants(payload);
    case MessageType::Entries:
        return handleEntries(payload);
    case MessageType::Ack:
        return handleAck(payload);
    case MessageType::Done:
        if (m_theirDone || payload.size() != 8)
            return fail(CloseCode::Protocol, QStringLiteral("protocol error: unexpected done"));
        m_theirDone = true;
        sendCheckpointIfReady();
        return checkComplete();
    case MessageType::Checkpoint:
        return handleCheckpoint(payload);
    case MessageType::Cosignature:
        return handleCosignature(payload);
    case MessageType::Evidence:
        return handleEvidence(payload);
    case MessageType::Close:
        return handleClose(payload);
    }
    fail(CloseCode::Protocol,
         QStringLiteral("protocol error: unknown message type %1").arg(quint8(type)));
}

void SyncSession::sendHello()
{
    Hello h;
    h.nodeKey = m_ctx.identity->keys.publicKey;
    h.binding = m_ctx.binding;
    if (auto cp = m_ctx.store->latestCheckpoint())
        h.checkpoint = cp->note;
    if (auto seen = m_ctx.peers->lastCheckpoint(m_peer.id))
        h.seenSize = seen->size;
    send(MessageType::Hello, encodeHello(h));
    m_helloSent = true;
}

void SyncSession::handleHello(QByteArrayView payload)
{
    if (m_helloReceived)
        return fail(CloseCode::Protocol, QStringLiteral("protocol error: a second hello"));
    auto hello = decodeHello(payload);
    if (!hello) {
        const bool version = hello.error().code == QLatin1String("version");
        return fail(version ? CloseCode::Version : CloseCode::Protocol, hello.errorString());
    }
    // The peer's ledger key is the author of an entry binding the certificate it presented.
    auto binding = decodeEntry(hello->binding);
    if (!binding || !verifyEntrySignature(binding.value()) ||
        binding->entry.author != hello->nodeKey)
        return fail(CloseCode::Refused,
                    QStringLiteral("refused: the hello's binding entry is not signed by the "
                                   "ledger key it names"));
    auto bound = parseBinding(binding.value());
    if (!bound || bound.value() != m_peer.id)
        return fail(CloseCode::Refused,
                    QStringLiteral("refused: the hello's binding entry does not bind the "
                                   "certificate this peer presented"));
    if (m_peer.nodeKey && *m_peer.nodeKey != hello->nodeKey)
        return fail(CloseCode::Refused,
                    QStringLiteral("refused: peer %1 presented ledger key %2, but earlier %3")
                        .arg(formatPeerId(m_peer.id), fingerprint(hello->nodeKey),
                             fingerprint(*m_peer.nodeKey)));
    auto cp = openCheckpoint(hello->checkpoint, hello->nodeKey);
    if (!cp)
        return fail(
            CloseCode::Misbehaviour,
            QStringLiteral("the hello's checkpoint does not verify: %1").arg(cp.errorString()));
    m_peerKey = hello->nodeKey;
    m_theirSeen = hello->seenSize;
    m_helloReceived = true;
    m_handshake.stop();
    if (!m_peer.nodeKey) {
        (void)m_ctx.peers->setNodeKey(m_peer.id, m_peerKey);
        m_peer.nodeKey = m_peerKey;
    }
    // A checkpoint smaller than, or differing at the size of, the last one seen: caught at once.
    if (Status s = checkSeen(cp.value(), hello->checkpoint, nullptr); !s)
        return fail(CloseCode::SplitView, s.errorString());
    if (m_role == Role::Server)
        sendHello();
    sendWants();
}

void SyncSession::sendWants()
{
    // Every author this node holds, with its head; frozen ones are asked for nothing more.
    QList<Want> wants;
    std::map<PublicKey, Want> heads;
    (void)m_ctx.store->forEach([&](const StoredEntry &e) {
        Want &w = heads[e.author];
        w.author = e.author;
        if (e.seq > w.seq) {
            w.seq = e.seq;
            w.head = e.hash;
        }
        return true;
    });
    for (auto &[author, w] : heads) {
        w.frozen = m_ctx.store->isFrozen(author);
        wants.append(w);
    }
    m_wantsSent = std::move(heads);
    send(MessageType::Wants, encodeWants(wants));
}

void SyncSession::handleWants(QByteArrayView payload)
{
    auto wants = decodeWants(payload);
    if (!wants)
        return fail(CloseCode::Protocol, wants.errorString());
    std::map<PublicKey, Want> theirs;
    for (const Want &w : wants.value())
        theirs[w.author] = w;
    // In log order, which is every author's chain order: what the peer lacks. Where its head
    // differs from our entry at that seq, that entry goes alone (it proves the fork) and nothing
    // after it, since the rest would not continue the peer's chain.
    QSet<QByteArray> diverged;
    (void)m_ctx.store->forEach([&](const StoredEntry &e) {
        const auto it = theirs.find(e.author);
        if (it == theirs.end()) {
            m_outgoing.append(e.index);
            return true;
        }
        const Want &w = it->second;
        if (w.frozen || diverged.contains(toBytes(e.author)))
            return true;
        if (e.seq == w.seq && e.hash != w.head) {
            m_outgoing.append(e.index);
            diverged.insert(toBytes(e.author));
        } else if (e.seq > w.seq) {
            m_outgoing.append(e.index);
        }
        return true;
    });
    pump();
}

void SyncSession::pump()
{
    while (!m_finished && int(m_unacked.size()) < m_ctx.limits.window &&
           m_next < m_outgoing.size()) {
        EntriesBatch batch;
        batch.batch = ++m_batch;
        qsizetype bytes = 64;
        // A run of consecutive log indices (a new peer wants them all) is read in one query.
        const qsizetype want =
            std::min<qsizetype>(m_ctx.limits.batchEntries, m_outgoing.size() - m_next);
        const bool contiguous =
            m_outgoing[m_next + want - 1] - m_outgoing[m_next] == quint64(want - 1);
        const QList<StoredEntry> run = contiguous
                                           ? m_ctx.store->entries(m_outgoing[m_next], quint64(want))
                                           : QList<StoredEntry>();
        for (qsizetype k = 0; m_next < m_outgoing.size() && k < want; ++k) {
            auto e = contiguous && k < run.size() ? std::optional(run[k])
                                                  : m_ctx.store->entryAt(m_outgoing[m_next]);
            if (!e)
                return fail(CloseCode::Internal,
                            QStringLiteral("entry %1 could not be read from this node's log")
                                .arg(m_outgoing[m_next]));
            if (!batch.entries.isEmpty() && bytes + e->bytes.size() + 4 > qsizetype(MaxFrame))
                break;
            bytes += e->bytes.size() + 4;
            batch.entries.append(e->bytes);
            ++m_next;
        }
        m_unacked[batch.batch] = quint32(batch.entries.size());
        send(MessageType::Entries, encodeEntries(batch));
    }
    if (!m_finished && m_next == m_outgoing.size() && !m_doneSent) {
        Writer w;
        w.u64(quint64(m_outgoing.size()));
        send(MessageType::Done, w.bytes());
        m_doneSent = true;
    }
    checkComplete();
}

void SyncSession::handleEntries(QByteArrayView payload)
{
    if (m_theirDone)
        return fail(CloseCode::Protocol, QStringLiteral("protocol error: entries after done"));
    auto batch = decodeEntries(payload);
    if (!batch)
        return fail(CloseCode::Protocol, batch.errorString());
    // Staging: nothing of a batch is written unless every entry in it checks. Signatures are
    // verified on every core first (the store is told so and does not verify them again).
    std::vector<SignedEntry> staged;
    staged.reserve(std::size_t(batch->entries.size()));
    for (qsizetype i = 0; i < batch->entries.size(); ++i) {
        auto decoded = decodeEntry(batch->entries[i]);
        if (!decoded)
            return fail(CloseCode::Misbehaviour,
                        QStringLiteral("misbehaving peer: batch %1, entry %2 is malformed: %3")
                            .arg(batch->batch)
                            .arg(i + 1)
                            .arg(decoded.errorString()));
        staged.push_back(std::move(decoded).value());
    }
    const std::vector<char> valid = verifyAll(staged);
    std::map<PublicKey, std::pair<quint64, Hash>> heads;
    for (qsizetype i = 0; i < batch->entries.size(); ++i) {
        const QString where = QStringLiteral("batch %1, entry %2").arg(batch->batch).arg(i + 1);
        const SignedEntry *decoded = &staged[std::size_t(i)];
        const Entry &e = decoded->entry;
        if (!valid[std::size_t(i)])
            return fail(CloseCode::Misbehaviour,
                        QStringLiteral("misbehaving peer: %1 (%2) has a bad signature; nothing of "
                                       "the batch was written")
                            .arg(where, who(e.author, e.seq)));
        auto it = heads.find(e.author);
        if (it == heads.end())
            it = heads.emplace(e.author, m_ctx.store->head(e.author)).first;
        auto &[headSeq, headHash] = it->second;
        const auto frozenWant = m_wantsSent.find(e.author);
        if (frozenWant != m_wantsSent.end() && frozenWant->second.frozen)
            return fail(CloseCode::Misbehaviour,
                        QStringLiteral("misbehaving peer: %1 (%2) continues a chain this node "
                                       "froze after a fork, which it said")
                            .arg(where, who(e.author, e.seq)));
        if (e.seq <= headSeq)
            continue; // already held, or a second entry for a taken seq: accept() decides
        if (e.seq != headSeq + 1)
            return fail(CloseCode::Misbehaviour,
                        QStringLiteral("misbehaving peer: %1 (%2) skips: this node holds the "
                                       "author up to seq %3; nothing of the batch was written")
                            .arg(where, who(e.author, e.seq))
                            .arg(headSeq));
        if (e.prev != headHash)
            return fail(CloseCode::Misbehaviour,
                        QStringLiteral("misbehaving peer: %1 (%2) breaks the author's chain: its "
                                       "previous hash is not the entry at seq %3; nothing of the "
                                       "batch was written")
                            .arg(where, who(e.author, e.seq))
                            .arg(headSeq));
        headSeq = e.seq;
        headHash = decoded->hash;
    }
    auto results = m_ctx.store->accept(batch->entries, m_ctx.identity->keys, m_ctx.applier, true,
                                       m_ctx.finish);
    if (!results)
        return fail(CloseCode::Internal, QStringLiteral("this node could not store batch %1: %2")
                                             .arg(batch->batch)
                                             .arg(results.errorString()));
    // COMMIT is done: now, and only now, the batch is acknowledged.
    Ack ack;
    ack.batch = batch->batch;
    for (qsizetype i = 0; i < results->size(); ++i) {
        const AcceptResult &r = results->at(i);
        switch (r.outcome) {
        case AcceptOutcome::Accepted:
            ++ack.accepted;
            ++m_report.received;
            if (!r.reason.isEmpty()) {
                ++m_report.rejected;
                log(QStringLiteral("rejected entry from peer %1: %2 (kept in the log and the "
                                   "rejected table, never applied)")
                        .arg(m_peer.name.isEmpty() ? formatPeerId(m_peer.id) : m_peer.name,
                             r.reason));
            }
            break;
        case AcceptOutcome::Duplicate:
            ++ack.duplicates;
            ++m_report.duplicates;
            break;
        case AcceptOutcome::Forked: {
            ++m_report.forks;
            log(QStringLiteral("FORK: %1; both entries are kept as evidence").arg(r.reason));
            // The peer learns it too: both signed entries go back to it.
            auto other = decodeEntry(batch->entries[i]);
            if (!other)
                break;
            for (const Fork &f : m_ctx.store->forks())
                if (f.author == other->entry.author && f.seq == other->entry.seq) {
                    if (auto kept = m_ctx.store->entryByHash(f.keptHash))
                        send(MessageType::Evidence,
                             encodeEvidence({1, kept->bytes, batch->entries[i]}));
                    break;
                }
            break;
        }
        case AcceptOutcome::Rejected:
            ++m_report.rejected;
            log(QStringLiteral("rejected entry from peer %1: %2")
                    .arg(m_peer.name.isEmpty() ? formatPeerId(m_peer.id) : m_peer.name, r.reason));
            break;
        }
    }
    send(MessageType::Ack, encodeAck(ack));
}

void SyncSession::handleAck(QByteArrayView payload)
{
    auto ack = decodeAck(payload);
    if (!ack)
        return fail(CloseCode::Protocol, ack.errorString());
    const auto it = m_unacked.find(ack->batch);
    if (it == m_unacked.end() || ack->accepted + ack->duplicates > it->second)
        return fail(CloseCode::Protocol,
                    QStringLiteral("protocol error: an ack for batch %1, which is not awaited")
                        .arg(ack->batch));
    m_report.sent += ack->accepted;
    m_unacked.erase(it);
    pump();
}

void SyncSession::sendCheckpointIfReady()
{
    if (m_checkpointSent || !m_theirDone)
        return;
    const auto latest = m_ctx.store->latestCheckpoint();
    if (!latest)
        return fail(CloseCode::Internal, QStringLiteral("this node has no signed checkpoint"));
    CheckpointMessage msg;
    msg.note = latest->note;
    msg.oldSize = m_theirSeen;
    if (m_theirSeen > 0 && m_theirSeen < latest->size) {
        auto proof = buildConsistencyProof(*m_ctx.store, m_ctx.identity->keys.publicKey,
                                           m_theirSeen, latest->size);
        if (proof)
            msg.proof = proof->path;
    }
    m_sentCheckpoint = {logOrigin(m_ctx.identity->keys.publicKey), latest->size, latest->root};
    send(MessageType::Checkpoint, encodeCheckpoint(msg));
    m_checkpointSent = true;
}

Status SyncSession::checkSeen(const Checkpoint &cp, const QByteArray &note,
                              const CheckpointMessage *proof)
{
    const auto last = m_ctx.peers->lastCheckpoint(m_peer.id);
    if (!last || last->size == 0)
        return {};
    QString kind;
    QString reason;
    if (cp.size < last->size) {
        kind = QStringLiteral("cut-back");
        reason = QStringLiteral("the peer's log was cut back: it signed size %1 before, now size "
                                "%2")
                     .arg(last->size)
                     .arg(cp.size);
    } else if (cp.size == last->size && cp.root != last->root) {
        kind = QStringLiteral("split-view");
        reason = QStringLiteral("split view: the peer signed two different roots for size %1")
                     .arg(cp.size);
    } else if (cp.size > last->size && proof) {
        QList<QByteArray> path;
        for (const Hash &h : proof->proof)
            path.append(toBytes(h));
        if (proof->oldSize != last->size ||
            !merkle::verifyConsistency(last->size, cp.size, path, toView(last->root),
                                       toView(cp.root))) {
            kind = QStringLiteral("split-view");
            reason = QStringLiteral("split view: the peer's checkpoint at size %1 is not "
                                    "consistent with the one it signed at size %2")
                         .arg(cp.size)
                         .arg(last->size);
        }
    }
    if (kind.isEmpty())
        return {};
    (void)m_ctx.peers->addEvidence({m_peer.id, kind, last->note, note, reason, nowMs()});
    return Status::failure("split-view",
                           reason + QStringLiteral("; both signed checkpoints are kept as "
                                                   "evidence"));
}

void SyncSession::handleCheckpoint(QByteArrayView payload)
{
    if (m_checkpointReceived || !m_doneSent)
        return fail(CloseCode::Protocol, QStringLiteral("protocol error: unexpected checkpoint"));
    auto msg = decodeCheckpoint(payload);
    if (!msg)
        return fail(CloseCode::Protocol, msg.errorString());
    auto cp = openCheckpoint(msg->note, m_peerKey);
    if (!cp)
        return fail(CloseCode::Misbehaviour, QStringLiteral("the peer's checkpoint does not "
                                                            "verify: %1")
                                                 .arg(cp.errorString()));
    if (Status s = checkSeen(cp.value(), msg->note, &msg.value()); !s)
        return fail(CloseCode::SplitView, s.errorString());
    (void)m_ctx.peers->setLastCheckpoint(m_peer.id, {cp->size, cp->root, msg->note});
    m_checkpointReceived = true;
    // Witnessed: cosigned under this node's origin with its ledger key.
    const QString name = logOrigin(m_ctx.identity->keys.publicKey);
    CosignatureMessage c;
    c.size = cp->size;
    c.root = cp->root;
    c.line =
        cosign(cp.value(), name, m_ctx.identity->keys, quint64(QDateTime::currentSecsSinceEpoch()));
    send(MessageType::Cosignature, encodeCosignature(c));
    m_cosignatureSent = true;
    ++m_report.cosignaturesMade;
    checkComplete();
}

void SyncSession::handleCosignature(QByteArrayView payload)
{
    if (m_cosignatureReceived || !m_checkpointSent)
        return fail(CloseCode::Protocol, QStringLiteral("protocol error: unexpected cosignature"));
    auto msg = decodeCosignature(payload);
    if (!msg)
        return fail(CloseCode::Protocol, msg.errorString());
    const QString name = logOrigin(m_peerKey);
    if (msg->size != m_sentCheckpoint.size || msg->root != m_sentCheckpoint.root)
        return fail(CloseCode::Misbehaviour,
                    QStringLiteral("the peer cosigned another checkpoint than the one sent"));
    auto ts = verifyCosignature(msg->line, m_sentCheckpoint, name, m_peerKey);
    if (!ts)
        return fail(CloseCode::Misbehaviour, ts.errorString());
    (void)m_ctx.peers->addCosignature({msg->size, msg->root, name, msg->line, nowMs()});
    m_cosignatureReceived = true;
    ++m_report.cosignaturesReceived;
    checkComplete();
}

void SyncSession::handleEvidence(QByteArrayView payload)
{
    auto msg = decodeEvidence(payload);
    if (!msg)
        return fail(CloseCode::Protocol, msg.errorString());
    // Two validly signed entries of one author with one seq prove a fork whoever sends them.
    auto a = decodeEntry(msg->first);
    auto b = decodeEntry(msg->second);
    if (!a || !b || !verifyEntrySignature(a.value()) || !verifyEntrySignature(b.value()) ||
        a->entry.author != b->entry.author || a->entry.seq != b->entry.seq || a->hash == b->hash)
        return fail(CloseCode::Misbehaviour,
                    QStringLiteral("misbehaving peer: its fork evidence does not prove a fork"));
    auto results = m_ctx.store->accept({msg->first, msg->second}, m_ctx.identity->keys,
                                       m_ctx.applier, false, m_ctx.finish);
    if (!results)
        return fail(CloseCode::Internal, results.errorString());
    for (const AcceptResult &r : results.value())
        if (r.outcome == AcceptOutcome::Forked) {
            ++m_report.forks;
            log(QStringLiteral("FORK (evidence from peer): %1").arg(r.reason));
        }
}

void SyncSession::handleClose(QByteArrayView payload)
{
    auto msg = decodeClose(payload);
    if (!msg)
        return fail(CloseCode::Protocol, msg.errorString());
    if (msg->code != CloseCode::Done)
        return finish(false, msg->code,
                      QStringLiteral("the peer ended the session: %1").arg(msg->reason));
    if (!m_closeSent)
        return finish(false, CloseCode::Protocol,
                      QStringLiteral("the peer ended the session before this node had all it "
                                     "needed"));
    finish(true, CloseCode::Done, QStringLiteral("done"));
}

void SyncSession::checkComplete()
{
    if (m_finished || m_closeSent)
        return;
    if (m_doneSent && m_unacked.empty() && m_theirDone && m_checkpointSent &&
        m_checkpointReceived && m_cosignatureSent && m_cosignatureReceived) {
        send(MessageType::Close, encodeClose({CloseCode::Done, QStringLiteral("done")}));
        m_closeSent = true;
    }
}

} // namespace cartulary::ledger::sync
