// SPDX-License-Identifier: GPL-3.0-or-later
// The two ends of sync: a server that accepts paired peers over mutual TLS 1.3, and a client that
// runs one session with one paired peer. Both check the peer's certificate against the paired peer
// IDs during the handshake and close before any application data when it is not one of them.
#pragma once

#include "ledger/sync/session.h"

#include <QSslServer>

#include <optional>

namespace cartulary::ledger::sync {

/** The errors pinning replaces: a self-signed certificate is expected, names are not checked. */
bool onlyPinningErrors(const QList<QSslError> &errors);
/** The peer ID of the certificate a socket's peer presented, if it presented one. */
std::optional<PeerId> presentedPeerId(const QSslSocket &socket);

/** Accepts paired peers and runs a session with each; one log line per session. */
class SyncServer : public QObject
{
    Q_OBJECT
public:
    explicit SyncServer(SyncContext &context, QObject *parent = nullptr);
    ~SyncServer() override;

    Status listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_server.serverPort(); }
    /** Stops listening and ends the open sessions. */
    void close();

signals:
    /** One line per session (or refused connection), with its outcome. */
    void sessionLine(const QString &line);
    void sessionFinished(const SessionReport &report);

private:
    void onPending();
    void refuse(QSslSocket *socket, const QString &why);
    QString label(const QSslSocket *socket) const;

    SyncContext &m_ctx;
    QSslServer m_server;
    QList<SyncSession *> m_sessions;
};

/** Runs one session with one peer and reports how it went. */
class SyncClient : public QObject
{
    Q_OBJECT
public:
    SyncClient(SyncContext &context, const Peer &peer, QObject *parent = nullptr);
    ~SyncClient() override;

    /** Connects to the peer's address; finished() follows in every case. */
    void start();
    const SessionReport &report() const { return m_report; }

signals:
    void finished();

private:
    void end(bool ok, CloseCode code, const QString &outcome);

    SyncContext &m_ctx;
    Peer m_peer;
    QSslSocket *m_socket = nullptr;
    SyncSession *m_session = nullptr;
    SessionReport m_report;
    QTimer m_handshake;
    bool m_ended = false;
};

/** "[host]:port" → host and port; false when malformed. */
bool splitHostPort(const QString &address, QString &host, quint16 &port);

} // namespace cartulary::ledger::sync
