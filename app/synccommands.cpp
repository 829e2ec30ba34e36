// SPDX-License-Identifier: GPL-3.0-or-later
// Peer sync's commands: peer id, add, list, remove (pairing by exchanging IDs out of band).
#include "app/commandtable.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "ledger/sync/node.h"
#include "ledger/sync/peerstore.h"
#include "ledger/sync/tlsidentity.h"
#include "model/workspace/peersync.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace cartulary::app {

using namespace cartulary::ledger;
using namespace cartulary::ledger::sync;
using model::Workspace;

namespace {

/** Opens the ledger and the sync tables (no passphrase). */
Status openPeers(Workspace &ws)
{
    if (Status s = ws.openLedger(); !s)
        return s;
    return PeerStore(ws.store().database()).createTables();
}

int cmdPeerId(const Args &a, Workspace &ws)
{
    if (QFileInfo::exists(ws.tlsIdentityPath())) {
        auto tls = TlsIdentity::readPublic(ws.tlsIdentityPath());
        if (!tls)
            return fail(tls.errorString());
        out() << formatPeerId(tls->peerId()) << '\n';
        return ExitOk;
    }
    // A data directory from before peer sync: the certificate is made now, sealed by the identity.
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    auto tls = ws.tlsIdentity();
    if (!tls)
        return fail(tls.errorString());
    out() << formatPeerId(tls->peerId()) << '\n';
    return ExitOk;
}

int cmdPeerAdd(const Args &a, Workspace &ws)
{
    if (a.words.size() != 3)
        return fail(QStringLiteral("peer add needs exactly one peer ID (see 'cartulary peer add "
                                   "--help')"),
                    ExitUsage);
    auto id = parsePeerId(a.words[2]);
    if (!id)
        return fail(id.errorString(), ExitUsage);
    const QString address = a.opts.value("--address");
    QString host;
    quint16 port = 0;
    if (!splitHostPort(address, host, port) || port == 0)
        return fail(QStringLiteral("peer add needs --address HOST:PORT (where the peer runs "
                                   "'cartulary serve')"),
                    ExitUsage);
    if (Status s = openPeers(ws); !s)
        return fail(s.errorString());
    if (QFileInfo::exists(ws.tlsIdentityPath())) {
        auto own = TlsIdentity::readPublic(ws.tlsIdentityPath());
        if (own && own->peerId() == id.value())
            return fail(QStringLiteral("%1 is this node's own peer ID").arg(a.words[2]));
    }
    Peer peer;
    peer.id = id.value();
    peer.name = a.opts.value("--name").trimmed();
    peer.address = address;
    peer.addedMs = nowMs();
    if (Status s = PeerStore(ws.store().database()).add(peer); !s)
        return fail(s.errorString());
    out() << "paired " << formatPeerId(peer.id)
          << (peer.name.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(printable(peer.name)))
          << " at " << printable(address) << '\n';
    return ExitOk;
}

QString isoTime(qint64 ms)
{
    return ms == 0 ? QString()
                   : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

int cmdPeerList(const Args &a, Workspace &ws)
{
    if (Status s = openPeers(ws); !s)
        return fail(s.errorString());
    const PeerStore store(ws.store().database());
    const QList<Peer> peers = store.list();
    if (a.flags.contains("--json")) {
        QMap<PeerId, int> evidence;
        for (const Evidence &e : store.evidence())
            ++evidence[e.peer];
        QJsonArray array;
        for (const Peer &p : peers)
            array.append(QJsonObject{
                {"id", formatPeerId(p.id)},
                {"name", p.name},
                {"address", p.address},
                {"ledger_key",
                 p.nodeKey ? QString::fromLatin1(toBytes(*p.nodeKey).toBase64()) : QString()},
                {"last_sync", isoTime(p.lastSyncMs)},
                {"state", p.state},
                {"last_outcome", p.lastOutcome},
                {"entries_received", double(p.entriesReceived)},
                {"evidence", evidence.value(p.id)}});
        out() << printableJson(QJsonDocument(array).toJson(QJsonDocument::Compact)) << '\n';
        return ExitOk;
    }
    if (peers.isEmpty()) {
        out() << "no paired peers; add one with 'cartulary peer add ID --address HOST:PORT'\n";
        return ExitOk;
    }
    for (const Peer &p : peers)
        out() << formatPeerId(p.id) << '\t' << printable(p.name) << '\t' << printable(p.address)
              << '\t' << p.state << '\t'
              << (p.lastSyncMs ? isoTime(p.lastSyncMs) : QStringLiteral("never")) << '\t'
              << p.entriesReceived << '\n';
    return ExitOk;
}

int cmdPeerRemove(const Args &a, Workspace &ws)
{
    if (a.words.size() != 3)
        return fail(QStringLiteral("peer remove needs exactly one peer ID or name"), ExitUsage);
    if (Status s = openPeers(ws); !s)
        return fail(s.errorString());
    PeerStore peers(ws.store().database());
    auto peer = peers.lookup(a.words[2]);
    if (!peer)
        return fail(peer.errorString());
    if (Status s = peers.remove(peer->id); !s)
        return fail(s.errorString());
    out() << "removed " << formatPeerId(peer->id) << '\n';
    return ExitOk;
}

/** A time limit option in seconds (decimals allowed), into milliseconds. */
bool readLimit(const Args &a, const char *name, int &ms, QString &error)
{
    if (!a.opts.contains(name))
        return true;
    bool ok = false;
    const double seconds = a.opts.value(name).toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 86400) {
        error = QStringLiteral("%1 must be a number of seconds between 0 and 86400")
                    .arg(QLatin1String(name));
        return false;
    }
    ms = std::max(1, int(seconds * 1000));
    return true;
}

/** Unlocks the workspace and wires peer sync, with the limits given as options. */
Result<std::unique_ptr<model::PeerSync>> prepareSync(const Args &a, Workspace &ws)
{
    using R = Result<std::unique_ptr<model::PeerSync>>;
    SyncLimits limits;
    QString error;
    if (!readLimit(a, "--handshake-timeout", limits.handshakeMs, error) ||
        !readLimit(a, "--idle-timeout", limits.idleMs, error) ||
        !readLimit(a, "--session-timeout", limits.sessionMs, error))
        return R::failure("usage", error);
    // Entries per batch: small batches make many commits (tests interrupt a transfer midway).
    if (const int batch = qEnvironmentVariableIntValue("CARTULARY_SYNC_BATCH"); batch > 0)
        limits.batchEntries = std::min(batch, 10000);
    if (Status s = unlockWorkspace(a, ws); !s)
        return s.error();
    return model::PeerSync::open(ws, limits);
}

/** The exit code for a failed prepareSync. */
int prepareFailed(const Error &error)
{
    return fail(error.message, error.code == QLatin1String("usage") ? ExitUsage : ExitFailed);
}

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

void logLine(const QString &line)
{
    out() << nowText() << ' ' << printable(line) << '\n';
    out().flush();
}

/** SIGTERM and SIGINT end serve cleanly: the handler only writes to a pipe the loop watches. */
int g_signalPipe[2] = {-1, -1};

void onStopSignal(int)
{
    const char c = 1;
    (void)!write(g_signalPipe[1], &c, 1);
}

int cmdServe(const Args &a, Workspace &ws)
{
    QString host;
    quint16 port = 0;
    if (!splitHostPort(a.opts.value("--listen"), host, port))
        return fail(QStringLiteral("serve needs --listen HOST:PORT (port 0: any free port)"),
                    ExitUsage);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                  : host);
    if (address.isNull())
        return fail(QStringLiteral("--listen needs an IP address, not '%1'").arg(host), ExitUsage);
    auto sync = prepareSync(a, ws);
    if (!sync)
        return prepareFailed(sync.error());
    SyncContext &context = sync.value()->context();
    context.log = [](const QString &line) { logLine(QStringLiteral("warning: ") + line); };
    SyncServer server(context);
    if (Status s = server.listen(address, port); !s)
        return fail(s.errorString());
    QObject::connect(&server, &SyncServer::sessionLine, &logLine);
    if (pipe(g_signalPipe) != 0)
        return fail(QStringLiteral("cannot create the signal pipe"));
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [] { QCoreApplication::quit(); });
    struct sigaction stop = {};
    stop.sa_handler = onStopSignal;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, nullptr);
    sigaction(SIGINT, &stop, nullptr);
    logLine(QStringLiteral("listening on %1:%2 as peer %3")
                .arg(address.toString())
                .arg(server.port())
                .arg(formatPeerId(context.tls.peerId())));
    QCoreApplication::exec();
    server.close();
    logLine(QStringLiteral("stopped"));
    return ExitOk;
}

int cmdSync(const Args &a, Workspace &ws)
{
    if (a.words.size() > 2)
        return fail(QStringLiteral("sync takes at most one peer (ID or name)"), ExitUsage);
    auto sync = prepareSync(a, ws);
    if (!sync)
        return prepareFailed(sync.error());
    SyncContext &context = sync.value()->context();
    QList<Peer> peers;
    if (a.words.size() == 2) {
        auto peer = sync.value()->peers().lookup(a.words[1]);
        if (!peer)
            return fail(peer.errorString());
        peers.append(peer.value());
    } else {
        peers = sync.value()->peers().list();
        if (peers.isEmpty())
            return fail(QStringLiteral("no paired peers; add one with 'cartulary peer add ID "
                                       "--address HOST:PORT'"));
    }
    const bool json = a.flags.contains("--json");
    QStringList warnings;
    context.log = [&warnings](const QString &line) { warnings.append(line); };
    QJsonArray array;
    QString firstFailure;
    for (const Peer &peer : std::as_const(peers)) {
        SyncClient client(context, peer);
        QEventLoop loop;
        QObject::connect(&client, &SyncClient::finished, &loop, &QEventLoop::quit,
                         Qt::QueuedConnection);
        client.start();
        loop.exec();
        const SessionReport &r = client.report();
        const QString who = peer.name.isEmpty() ? formatPeerId(peer.id) : peer.name;
        if (json) {
            array.append(QJsonObject{{"peer", formatPeerId(peer.id)},
                                     {"name", peer.name},
                                     {"ok", r.ok},
                                     {"outcome", r.outcome},
                                     {"entries_sent", double(r.sent)},
                                     {"entries_received", double(r.received)},
                                     {"duplicates", double(r.duplicates)},
                                     {"rejected", double(r.rejected)},
                                     {"forks", double(r.forks)},
                                     {"cosignatures_received", double(r.cosignaturesReceived)},
                                     {"cosignatures_made", double(r.cosignaturesMade)}});
        } else {
            out() << printable(who) << ": " << (r.ok ? QStringLiteral("ok") : printable(r.outcome))
                  << "; sent " << r.sent << ", received " << r.received << ", rejected "
                  << r.rejected << ", forks " << r.forks << ", cosignatures received "
                  << r.cosignaturesReceived << '\n';
        }
        if (!r.ok && firstFailure.isEmpty())
            firstFailure = QStringLiteral("sync with %1 failed: %2").arg(who, r.outcome);
    }
    if (json)
        out() << printableJson(QJsonDocument(array).toJson(QJsonDocument::Compact)) << '\n';
    out().flush();
    for (const QString &w : std::as_const(warnings))
        std::fprintf(stderr, "cartulary: warning: %s\n", qPrintable(printable(w)));
    if (!firstFailure.isEmpty())
        return fail(firstFailure);
    return ExitOk;
}

} // namespace

void addSyncCommands(CommandTable &table)
{
    table.addArea(
        QStringLiteral("peer sync"),
        {
            {.name = "peer id",
             .usage = {},
             .summary = "print this node's peer ID (give it to the peers you pair with)",
             .help = "Prints this node's peer ID on one line: the SHA-256 of its TLS certificate's "
                     "public key, in eight groups of seven characters with check characters "
                     "(ledger/SYNC.md). Exchange IDs with a peer out of band (read it out, mail "
                     "it), then each adds the other with 'peer add'. A data directory made before "
                     "peer sync gets its certificate now, which needs the passphrase.",
             .examples = {"cartulary peer id"},
             .options = {},
             .run = cmdPeerId},
            {.name = "peer add",
             .usage = {"ID --address HOST:PORT [--name NAME]"},
             .summary = "pair with a peer: only paired IDs may connect or be synced with",
             .help = "Pairs with the peer whose ID is given: 'serve' lets it connect and 'sync' "
                     "connects to it at HOST:PORT. A mistyped ID is refused, naming the groups "
                     "that hold the mistake. There is no discovery and no introducer: every peer "
                     "is added by hand.",
             .examples = {"cartulary peer add MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZLOM-"
                          "RQWEZLF-RNVXG6L-TPFZHQA --address hospital.example:7420 --name "
                          "hospital"},
             .options = {value("--address"), value("--name")},
             .run = cmdPeerAdd},
            {.name = "peer list",
             .usage = {"[--json]"},
             .summary = "list paired peers with their state and last sync",
             .help =
                 "Lists the paired peers, tab-separated: ID, name, address, state (new, "
                 "in-sync, refused, fork, split-view), last sync (UTC) and entries received. "
                 "--json prints one array with the peer's ledger key once a session proved it, and "
                 "the number of pieces of evidence (split views, cut-back logs) held against it.",
             .examples = {"cartulary peer list", "cartulary peer list --json"},
             .options = {flag("--json")},
             .run = cmdPeerList},
            {.name = "peer remove",
             .usage = {"ID|NAME"},
             .summary = "unpair a peer",
             .help = "Removes the peer: it can no longer connect, and 'sync' no longer reaches it. "
                     "What was received from it stays in the ledger.",
             .examples = {"cartulary peer remove hospital"},
             .options = {},
             .run = cmdPeerRemove},
            {.name = "serve",
             .usage = {"--listen HOST:PORT [--idle-timeout S] [--handshake-timeout S] "
                       "[--session-timeout S]"},
             .summary = "accept sync sessions from paired peers (foreground)",
             .help = "Listens for paired peers over mutual TLS 1.3 and runs one sync session with "
                     "each that connects: entries both ways, each checked (signature, chain, "
                     "format, the domain's rules) before its batch commits, then checkpoints "
                     "cosigned both ways (ledger/SYNC.md). Prints one line per session with its "
                     "outcome; refused peers (not paired, no certificate, not TLS 1.3, "
                     "misbehaving) are cut off and named. Port 0 picks a free port, printed in the "
                     "first line. SIGTERM or Ctrl+C stops it cleanly. Needs the passphrase. Time "
                     "limits in seconds (defaults 15, 30, 600).",
             .examples = {"cartulary serve --listen 0.0.0.0:7420"},
             .options = {value("--listen"), value("--idle-timeout"), value("--handshake-timeout"),
                         value("--session-timeout")},
             .run = cmdServe},
            {.name = "sync",
             .usage = {"[PEER] [--json] [--idle-timeout S] [--handshake-timeout S] "
                       "[--session-timeout S]"},
             .summary = "one sync round with one peer (ID or name) or every paired peer",
             .help = "Connects to the peer (or each paired peer in turn) and runs one round: both "
                     "sides send what the other lacks, commit it in checked batches, and cosign "
                     "each other's checkpoint. Prints per peer the entries sent (acknowledged "
                     "after the peer's commit) and received, entries refused by the rules, forks "
                     "and cosignatures; --json prints them as one array. An interrupted round "
                     "loses nothing: the next one continues where the commits stopped. Exits 1 "
                     "naming the first peer that was refused or misbehaved and why.",
             .examples = {"cartulary sync", "cartulary sync hospital --json"},
             .options = {flag("--json"), value("--idle-timeout"), value("--handshake-timeout"),
                         value("--session-timeout")},
             .run = cmdSync},
        });
}

} // namespace cartulary::app
