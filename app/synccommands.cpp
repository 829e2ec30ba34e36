// SPDX-License-Identifier: GPL-3.0-or-later
// Peer sync's commands: peer id, add, list, remove (pairing by exchanging IDs out of band).
#include "app/commandtable.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "ledger/sync/peerstore.h"
#include "ledger/sync/tlsidentity.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    return PeerStore(ws.store().database()).prepare();
}

/** Host and port from "HOST:PORT" (IPv6 as "[::1]:PORT"); false when either is missing. */
bool splitAddress(const QString &address, QString &host, quint16 &port)
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
    if (!splitAddress(address, host, port) || port == 0)
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
    const QList<Peer> peers = PeerStore(ws.store().database()).list();
    if (a.flags.contains("--json")) {
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
                {"entries_received", double(p.entriesReceived)}});
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
             .help = "Lists the paired peers, tab-separated: ID, name, address, state (new, "
                     "in-sync, refused, fork, split-view), last sync (UTC) and entries received. "
                     "--json prints one array with the peer's ledger key once a session proved it.",
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
        });
}

} // namespace cartulary::app
