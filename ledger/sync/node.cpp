// SPDX-License-Identifier: GPL-3.0-or-later
// Server and client: pinning by peer ID during the TLS handshake, then a SyncSession. In TLS 1.3
// the client sees encrypted() before the server has checked its certificate, so a peer counts as
// accepted only once its hello (its first authenticated message) arrived.
#include "ledger/sync/node.h"

#include <QSslCertificate>
#include <QSslKey>

namespace cartulary::ledger::sync {

bool onlyPinningErrors(const QList<QSslError> &errors)
{
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::HostNameMismatch:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
            break;
        default:
            return false;
        }
    }
    return true;
}

std::optional<PeerId> presentedPeerId(const QSslSocket &socket)
{
    const QSslCertificate cert = socket.peerCertificate();
    if (cert.isNull())
        return std::nullopt;
    auto id = peerIdOfCertificate(cert.toDer());
    if (!id)
        return std::nullopt;
    return id.value();
}

bool splitHostPort(const QString &address, QString &host, quint16 &port)
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    host = address.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint p = address.mid(colon + 1).toUInt(&ok);
    port = quint16(p);
    return ok && p <= 65535 && !host.isEmpty();
}

SyncServer::SyncServer(SyncContext &context, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
{
    m_server.setSslConfiguration(m_ctx.tls.configuration(true));
    m_server.setHandshakeTimeout(m_ctx.limits.handshakeMs);
    connect(&m_server, &QSslServer::sslErrors, this,
            [this](QSslSocket *socket, const QList<QSslError> &errors) {
                const auto id = presentedPeerId(*socket);
                if (id && m_ctx.peers->find(*id) && onlyPinningErrors(errors)) {
                    socket->ignoreSslErrors();
                    return;
                }
                // Not ignored: Qt ends the handshake; errorOccurred logs it.
                socket->setProperty(
                    "cartularyRefusal",
                    !id ? QStringLiteral("refused: the client presented no "
                                         "certificate")
                    : !m_ctx.peers->find(*id)
                        ? QStringLiteral("refused: peer %1 is not paired "
                                         "(add it with 'cartulary peer add')")
                              .arg(formatPeerId(*id))
                        : QStringLiteral("refused: %1").arg(errors.value(0).errorString()));
            });
    connect(
        &m_server, &QSslServer::errorOccurred, this,
        [this](QSslSocket *socket, QAbstractSocket::SocketError) {
            if (socket->property("cartularyLogged").toBool())
                return;
            socket->setProperty("cartularyLogged", true);
            const QString why = socket->property("cartularyRefusal").toString();
            emit sessionLine(QStringLiteral("%1: %2").arg(
                label(socket),
                why.isEmpty()
                    ? QStringLiteral("refused: TLS handshake failed: %1").arg(socket->errorString())
                    : why));
        });
    connect(&m_server, &QSslServer::pendingConnectionAvailable, this, &SyncServer::onPending);
}

SyncServer::~SyncServer()
{
    close();
}

QString SyncServer::label(const QSslSocket *socket) const
{
    return QStringLiteral("session %1:%2")
        .arg(socket->peerAddress().toString())
        .arg(socket->peerPort());
}

Status SyncServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port))
        return Status::failure("listen", QStringLiteral("cannot listen on %1:%2: %3")
                                             .arg(address.toString())
                                             .arg(port)
                                             .arg(m_server.errorString()));
    return {};
}

void SyncServer::close()
{
    m_server.close();
    for (SyncSession *s : std::as_const(m_sessions))
        s->deleteLater();
    m_sessions.clear();
}

void SyncServer::refuse(QSslSocket *socket, const QString &why)
{
    emit sessionLine(QStringLiteral("%1: %2").arg(label(socket), why));
    socket->abort();
    socket->deleteLater();
}

void SyncServer::onPending()
{
    while (m_server.hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection());
        if (!socket)
            continue;
        // Checked again after the handshake: no application data for a peer that is not paired,
        // whatever the verification said.
        const auto id = presentedPeerId(*socket);
        if (!id) {
            refuse(socket, QStringLiteral("refused: the client presented no certificate"));
            continue;
        }
        const auto peer = m_ctx.peers->find(*id);
        if (!peer) {
            refuse(socket, QStringLiteral("refused: peer %1 is not paired (add it with "
                                          "'cartulary peer add')")
                               .arg(formatPeerId(*id)));
            continue;
        }
        if (socket->sessionProtocol() != QSsl::TlsV1_3) {
            refuse(socket, QStringLiteral("refused: not TLS 1.3"));
            continue;
        }
        auto *session = new SyncSession(socket, SyncSession::Role::Server, m_ctx, *peer, this);
        socket->setParent(this);
        m_sessions.append(session);
        connect(session, &SyncSession::finished, this, [this, session, socket] {
            // The socket outlives its session until its last bytes (the CLOSE) are out.
            connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(5000, socket, &QObject::deleteLater);
            const SessionReport &r = session->report();
            const QString who = r.peerName.isEmpty() ? formatPeerId(r.peer) : r.peerName;
            emit sessionLine(
                QStringLiteral("session %1 peer %2: %3; received %4, sent %5, duplicates %6, "
                               "rejected %7, forks %8, cosignatures made %9 received %10")
                    .arg(r.address, who, r.ok ? QStringLiteral("ok") : r.outcome)
                    .arg(r.received)
                    .arg(r.sent)
                    .arg(r.duplicates)
                    .arg(r.rejected)
                    .arg(r.forks)
                    .arg(r.cosignaturesMade)
                    .arg(r.cosignaturesReceived));
            emit sessionFinished(r);
            m_sessions.removeOne(session);
            session->deleteLater();
        });
        session->start();
    }
}

SyncClient::SyncClient(SyncContext &context, const Peer &peer, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_peer(peer)
{
    m_report.peer = peer.id;
    m_report.peerName = peer.name;
    m_report.address = peer.address;
    m_handshake.setSingleShot(true);
}

SyncClient::~SyncClient() = default;

void SyncClient::end(bool ok, CloseCode code, const QString &outcome)
{
    if (m_ended)
        return;
    m_ended = true;
    m_handshake.stop();
    if (!m_session) {
        m_report.ok = ok;
        m_report.code = code;
        m_report.outcome = outcome;
        (void)m_ctx.peers->recordSession(m_peer.id, QStringLiteral("refused"), outcome, 0);
        if (m_socket)
            m_socket->abort();
    }
    emit finished();
}

void SyncClient::start()
{
    QString host;
    quint16 port = 0;
    if (!splitHostPort(m_peer.address, host, port)) {
        m_report.outcome =
            QStringLiteral("the peer's address '%1' is not HOST:PORT").arg(m_peer.address);
        m_ended = true;
        emit finished();
        return;
    }
    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(m_ctx.tls.configuration(false));
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        const auto id = presentedPeerId(*m_socket);
        if (id && *id == m_peer.id && onlyPinningErrors(errors))
            m_socket->ignoreSslErrors();
        else
            m_socket->setProperty(
                "cartularyRefusal",
                id && *id != m_peer.id
                    ? QStringLiteral("refused: the server at %1 presented peer ID %2, not the "
                                     "paired %3")
                          .arg(m_peer.address, formatPeerId(*id), formatPeerId(m_peer.id))
                    : QStringLiteral("refused: %1").arg(errors.value(0).errorString()));
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_session)
            return; // the session reports what happened
        const QString why = m_socket->property("cartularyRefusal").toString();
        end(false, CloseCode::Refused,
            why.isEmpty() ? QStringLiteral("cannot sync with %1: %2")
                                .arg(m_peer.address, m_socket->errorString())
                          : why);
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_handshake.stop();
        const auto id = presentedPeerId(*m_socket);
        if (!id || *id != m_peer.id)
            return end(false, CloseCode::Refused,
                       QStringLiteral("refused: the server at %1 is not the paired peer %2")
                           .arg(m_peer.address, formatPeerId(m_peer.id)));
        m_session = new SyncSession(m_socket, SyncSession::Role::Client, m_ctx, m_peer, this);
        connect(m_session, &SyncSession::finished, this, [this] {
            m_report = m_session->report();
            m_report.address = m_peer.address;
            end(m_report.ok, m_report.code, m_report.outcome);
        });
        m_session->start();
    });
    connect(&m_handshake, &QTimer::timeout, this, [this] {
        end(false, CloseCode::Timeout,
            QStringLiteral("timed out: no TLS session with %1 within %2 ms")
                .arg(m_peer.address)
                .arg(m_ctx.limits.handshakeMs));
    });
    m_handshake.start(m_ctx.limits.handshakeMs);
    m_socket->connectToHostEncrypted(host, port);
}

} // namespace cartulary::ledger::sync
