// SPDX-License-Identifier: GPL-3.0-or-later
// Peer sync end to end: real `cartulary serve` and `cartulary sync` processes on 127.0.0.1 with
// their own data directories, and a hostile peer written here with the library's own frame writer.
#include "ledger/checkpoint.h"
#include "ledger/logstore.h"
#include "ledger/sync/peerid.h"
#include "ledger/sync/tlsidentity.h"
#include "ledger/sync/wire.h"
#include "tests/app/clirunner.h"
#include "tests/testutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtEndian>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace cartulary;
using namespace cartulary::ledger;
using namespace cartulary::ledger::sync;
using cartulary::testutil::Run;

namespace {

const QByteArray Passphrase = "consortium-passphrase";
/** Short limits so that the timeout tests stay fast (only where a timeout is tested: a loaded
 * machine may stall an honest commit longer). */
const QStringList FastLimits{"--idle-timeout", "2", "--handshake-timeout", "3"};

struct Node
{
    QString name;
    QString dir;
    QString peerId;
    QByteArray authorKey; ///< base64, as `ledger log --json` writes it
};

/** A running `cartulary serve`: its port and everything it printed so far. */
struct Server
{
    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    QByteArray log;

    /** Waits until the log holds needle; false after timeoutMs. */
    bool waitFor(const QByteArray &needle, int timeoutMs = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (!log.contains(needle) && t.elapsed() < timeoutMs) {
            process->waitForReadyRead(200);
            log += process->readAllStandardOutput();
        }
        return log.contains(needle);
    }
};

/** A peer that speaks the protocol by hand: what an attacker can send, written with the library's
 * own encoders. */
class Hostile
{
public:
    KeyPair keys = KeyPair::generate();
    TlsIdentity tls = TlsIdentity::generate(QStringLiteral("mallory")).value();
    SignedEntry binding;
    QSslSocket socket;
    QByteArray buffer;

    Hostile() { binding = entry(1, Hash{}, QByteArray(BindingKind), bindingDraft(tls).body); }

    SignedEntry entry(quint64 seq, const Hash &prev, const QByteArray &kind,
                      const QByteArray &body) const
    {
        Entry e{keys.publicKey, seq, prev, nowMs(), kind, body};
        return signEntry(e, keys.secretKey);
    }

    QByteArray checkpoint(quint64 size, const Hash &root) const
    {
        return signCheckpoint({logOrigin(keys.publicKey), size, root}, keys);
    }

    bool connect(quint16 port, bool withCertificate = true)
    {
        QSslConfiguration c =
            withCertificate ? tls.configuration(false) : QSslConfiguration::defaultConfiguration();
        if (!withCertificate) {
            c.setProtocol(QSsl::TlsV1_3OrLater);
            c.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
        socket.setSslConfiguration(c);
        QObject::connect(&socket, &QSslSocket::sslErrors, &socket,
                         [this](const QList<QSslError> &) { socket.ignoreSslErrors(); });
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return socket.waitForEncrypted(10000);
    }

    void send(MessageType type, const QByteArray &payload)
    {
        socket.write(frame(type, payload));
        socket.flush();
    }

    void raw(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }

    void hello(const QByteArray &checkpointNote)
    {
        Hello h;
        h.nodeKey = keys.publicKey;
        h.binding = binding.bytes;
        h.checkpoint = checkpointNote;
        send(MessageType::Hello, encodeHello(h));
    }

    /** The next frame, or nullopt when none came within timeoutMs or the connection ended. */
    std::optional<std::pair<MessageType, QByteArray>> read(int timeoutMs = 15000)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            if (buffer.size() >= 5) {
                const quint32 length = qFromBigEndian<quint32>(buffer.constData());
                if (buffer.size() >= qsizetype(length) + 4) {
                    const auto type = MessageType(quint8(buffer[4]));
                    const QByteArray payload = buffer.mid(5, length - 1);
                    buffer.remove(0, length + 4);
                    return std::pair{type, payload};
                }
            }
            if (t.elapsed() > timeoutMs)
                return std::nullopt;
            if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(200) &&
                socket.state() != QAbstractSocket::ConnectedState)
                return std::nullopt;
            buffer += socket.readAll();
        }
    }

    /** Reads until a frame of type comes (returned) or the connection ends (nullopt). */
    std::optional<QByteArray> readUntil(MessageType type, int timeoutMs = 15000)
    {
        while (auto f = read(timeoutMs)) {
            if (f->first == type)
                return f->second;
            if (f->first == MessageType::Entries) { // acknowledge, accept nothing
                auto batch = decodeEntries(f->second);
                if (batch)
                    send(MessageType::Ack, encodeAck({batch->batch, 0, 0}));
            }
            if (f->first == MessageType::Close && type != MessageType::Close)
                return std::nullopt;
        }
        return std::nullopt;
    }

    /** Hello, the server's hello and wants, and our (empty) wants. */
    bool open(quint16 port, const QByteArray &checkpointNote)
    {
        if (!connect(port))
            return false;
        hello(checkpointNote);
        if (!readUntil(MessageType::Hello) || !readUntil(MessageType::Wants))
            return false;
        send(MessageType::Wants, encodeWants({}));
        return true;
    }

    void sendBatch(quint64 batch, const QList<QByteArray> &entries)
    {
        send(MessageType::Entries, encodeEntries({batch, entries}));
    }

    /** One batch, true once the node acknowledged it (after its COMMIT). */
    bool sendAcknowledged(quint64 batch, const QList<QByteArray> &entries)
    {
        sendBatch(batch, entries);
        return readUntil(MessageType::Ack).has_value();
    }

    /** Drops the connection at once, ready to connect again. */
    void drop()
    {
        socket.abort();
        socket.close();
        buffer.clear();
    }

    /** True when the server ended the connection within timeoutMs. */
    bool waitClosed(int timeoutMs = 15000)
    {
        QElapsedTimer t;
        t.start();
        while (socket.state() == QAbstractSocket::ConnectedState && t.elapsed() < timeoutMs) {
            socket.waitForReadyRead(100);
            buffer += socket.readAll();
        }
        return socket.state() != QAbstractSocket::ConnectedState;
    }
};

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Run cli(const Node &node, const QStringList &args)
    {
        return testutil::runCartulary(args, Passphrase, node.dir, m_dir.filePath("xdg"));
    }

    Node makeNode(const QString &name)
    {
        Node n;
        n.name = name;
        n.dir = m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces));
        const Run init = cli(n, {"init", "--name", name});
        if (init.exitCode != 0)
            qFatal("init failed: %s", init.err.constData());
        for (const QByteArray &line : init.out.split('\n'))
            if (line.startsWith("author key: "))
                n.authorKey = line.mid(12);
        const Run id = cli(n, {"peer", "id"});
        if (id.exitCode != 0)
            qFatal("peer id failed: %s", id.err.constData());
        n.peerId = QString::fromLatin1(id.out.trimmed());
        return n;
    }

    std::unique_ptr<Server> serve(const Node &node, const QStringList &limits = {})
    {
        auto s = std::make_unique<Server>();
        s->process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(Passphrase));
        env.insert("XDG_DATA_HOME", m_dir.filePath("xdg"));
        s->process->setProcessEnvironment(env);
        s->process->setProcessChannelMode(QProcess::MergedChannels);
        s->process->start(CARTULARY_BINARY,
                          QStringList{"--data-dir", node.dir, "serve", "--listen", "127.0.0.1:0"} +
                              limits);
        if (!s->waitFor("listening on 127.0.0.1:"))
            qFatal("serve did not start: %s", s->log.constData());
        const qsizetype at = s->log.indexOf("127.0.0.1:") + 10;
        s->port = quint16(s->log.mid(at, s->log.indexOf(' ', at) - at).toUInt());
        return s;
    }

    /** Stops a server with SIGTERM; it must exit 0 after "stopped". */
    void stop(Server &s)
    {
        s.process->terminate();
        QVERIFY(s.process->waitForFinished(30000));
        s.log += s.process->readAllStandardOutput();
        QCOMPARE(s.process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(s.process->exitCode(), 0);
        QVERIFY2(s.log.contains(" stopped\n"), s.log.constData());
    }

    /** The client knows the server's address; the server knows the client's ID. */
    void pair(const Node &client, const Node &server, quint16 port)
    {
        Run r = cli(server, {"peer", "add", client.peerId, "--address", "127.0.0.1:1", "--name",
                             client.name});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli(client, {"peer", "add", server.peerId, "--address",
                         QStringLiteral("127.0.0.1:%1").arg(port), "--name", server.name});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    /** `ledger log --json`: one object per entry. */
    QList<QJsonObject> log(const Node &n)
    {
        const Run r = cli(n, {"ledger", "log", "--json"});
        if (r.exitCode != 0)
            qFatal("log failed: %s", r.err.constData());
        QList<QJsonObject> entries;
        const QList<QByteArray> lines = r.out.split('\n');
        std::transform(lines.begin(), lines.end() - (lines.endsWith(QByteArray()) ? 1 : 0),
                       std::back_inserter(entries), [](const QByteArray &line) {
                           return QJsonDocument::fromJson(line).object();
                       });
        return entries;
    }

    /** Entry hashes, and each author's highest seq. */
    static std::pair<QSet<QString>, QMap<QString, int>> contents(const QList<QJsonObject> &log)
    {
        QSet<QString> hashes;
        QMap<QString, int> heads;
        for (const QJsonObject &e : log) {
            hashes.insert(e.value("hash").toString());
            const QString author = e.value("author").toString();
            heads[author] = std::max(heads.value(author), e.value("seq").toInt());
        }
        return {hashes, heads};
    }

    void apply(const Node &n, const QByteArray &jsonl)
    {
        const QString path = testutil::writeFile(m_dir.path(), n.name + "-cmds.jsonl", jsonl);
        const Run r = cli(n, {"apply", path});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    QJsonArray syncJson(const Node &n, const QStringList &peer = {}, int expectExit = 0)
    {
        const Run r = cli(n, QStringList{"sync", "--json"} + peer);
        if (r.exitCode != expectExit)
            qWarning("sync exit %d: %s / %s", r.exitCode, r.out.constData(), r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }

    quint64 storedEntries(const Node &n)
    {
        auto store = LogStore::openReadOnly(QDir(n.dir).filePath("cartulary.db"));
        return store ? store.value()->size() : 0;
    }

    quint64 rejectedEntries(const Node &n)
    {
        auto store = LogStore::openReadOnly(QDir(n.dir).filePath("cartulary.db"));
        return store ? store.value()->rejectedCount() : 0;
    }

    /** A hostile peer paired with node (which serves on port), with its binding logged there. */
    std::unique_ptr<Hostile> pairedHostile(const Node &node)
    {
        auto h = std::make_unique<Hostile>();
        const Run r = cli(node, {"peer", "add", formatPeerId(h->tls.peerId()), "--address",
                                 "127.0.0.1:1", "--name", "mallory"});
        if (r.exitCode != 0)
            qFatal("peer add failed: %s", r.err.constData());
        return h;
    }

    /** A serving node and a hostile peer paired with it, holding its honest first checkpoint. */
    struct Target
    {
        Node node;
        std::unique_ptr<Server> server;
        std::unique_ptr<Hostile> h;
        QByteArray checkpoint; ///< the hostile log's: its binding alone
    };

    Target target(const QString &name, const QStringList &limits = {})
    {
        Target t;
        t.node = makeNode(name);
        t.server = serve(t.node, limits);
        t.h = pairedHostile(t.node);
        t.checkpoint = t.h->checkpoint(1, leafHash(t.h->binding.bytes));
        return t;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        initCrypto();
    }

    void peerIdRefusesTypos()
    {
        const Node n = makeNode("Typo Labs");
        QCOMPARE(n.peerId.size(), 63);
        QVERIFY(parsePeerId(n.peerId));
        // One character changed in group 3: the check character of groups 3-4 catches it.
        QString typo = n.peerId;
        typo[16] = typo[16] == u'A' ? u'B' : u'A';
        const Run r = cli(n, {"peer", "add", typo, "--address", "127.0.0.1:7420"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("groups 3-4"), r.err.constData());
        QVERIFY(cli(n, {"peer", "list", "--json"}).out.startsWith("[]"));
    }

    void twoNodesConverge()
    {
        Node a = makeNode("Hospital");
        Node b = makeNode("University");
        apply(
            a,
            R"({"command":"register-asset","reference":"H-001","title":"Cohort A","type":"dataset"}
{"command":"register-asset","reference":"H-002","title":"Cohort B","type":"dataset"}
)");
        apply(b,
              R"({"command":"register-asset","reference":"U-001","title":"Method","type":"software"}
)");
        auto server = serve(a);
        pair(b, a, server->port);
        const QJsonArray report = syncJson(b);
        QCOMPARE(report.size(), 1);
        const QJsonObject r = report[0].toObject();
        QVERIFY2(r.value("ok").toBool(), qPrintable(r.value("outcome").toString()));
        QCOMPARE(r.value("entries_received").toInt(), 3); // two assets and the binding
        QCOMPARE(r.value("entries_sent").toInt(), 2);     // one asset and the binding
        QCOMPARE(r.value("cosignatures_received").toInt(), 1);
        QVERIFY(server->waitFor("peer University: ok"));
        const auto [hashesA, headsA] = contents(log(a));
        const auto [hashesB, headsB] = contents(log(b));
        QCOMPARE(hashesA.size(), 5);
        QCOMPARE(hashesA, hashesB);
        QCOMPARE(headsA, headsB);
        // Each node's latest checkpoint carries the other's cosignature.
        const Run cpA = cli(a, {"ledger", "checkpoint"});
        const Run cpB = cli(b, {"ledger", "checkpoint"});
        QCOMPARE(cpA.out.count("\xe2\x80\x94 cartulary/"), 2);
        QCOMPARE(cpB.out.count("\xe2\x80\x94 cartulary/"), 2);
        QVERIFY(cli(a, {"ledger", "verify"}).exitCode == 0);
        QVERIFY(cli(b, {"ledger", "verify"}).exitCode == 0);
        // A second round finds nothing to move and writes nothing.
        const QJsonObject again = syncJson(b)[0].toObject();
        QVERIFY(again.value("ok").toBool());
        QCOMPARE(again.value("entries_received").toInt(), 0);
        QCOMPARE(again.value("entries_sent").toInt(), 0);
        QCOMPARE(contents(log(b)).first, hashesA);
        const QJsonArray peers =
            QJsonDocument::fromJson(cli(b, {"peer", "list", "--json"}).out).array();
        QCOMPARE(peers[0].toObject().value("state").toString(), QStringLiteral("in-sync"));
        QCOMPARE(peers[0].toObject().value("ledger_key").toString(),
                 QString::fromLatin1(a.authorKey));
        stop(*server);
    }

    void threeNodesConverge()
    {
        Node a = makeNode("Alpha");
        Node b = makeNode("Beta");
        Node c = makeNode("Gamma");
        apply(a, R"({"command":"register-asset","reference":"A-1","title":"A one","type":"dataset"}
)");
        apply(b, R"({"command":"register-asset","reference":"B-1","title":"B one","type":"dataset"}
)");
        apply(c, R"({"command":"register-asset","reference":"C-1","title":"C one","type":"dataset"}
)");
        auto sa = serve(a);
        auto sb = serve(b);
        pair(c, a, sa->port);
        pair(c, b, sb->port);
        // Round 1: C meets A then B (B learns A's entries through C); round 2 brings B's to A.
        for (int round = 0; round < 2; ++round) {
            const QJsonArray report = syncJson(c);
            QCOMPARE(report.size(), 2);
            for (const QJsonValue &v : report)
                QVERIFY2(v.toObject().value("ok").toBool(),
                         qPrintable(v.toObject().value("outcome").toString()));
        }
        const auto ca = contents(log(a));
        QCOMPARE(ca.first.size(), 6); // three assets, three bindings
        QCOMPARE(contents(log(b)), ca);
        QCOMPARE(contents(log(c)), ca);
        // Its own signature and both peers' cosignatures; A and B each carry C's.
        QCOMPARE(cli(c, {"ledger", "checkpoint"}).out.count("\xe2\x80\x94 cartulary/"), 3);
        QCOMPARE(cli(a, {"ledger", "checkpoint"}).out.count("\xe2\x80\x94 cartulary/"), 2);
        QCOMPARE(cli(b, {"ledger", "checkpoint"}).out.count("\xe2\x80\x94 cartulary/"), 2);
        stop(*sa);
        stop(*sb);
    }

    void killedSyncResumes()
    {
        Node a = makeNode("Receiver");
        Node b = makeNode("Sender");
        QCOMPARE(cli(b, {"demo"}).exitCode, 0);
        const quint64 total = storedEntries(b) + 1; // and B's binding, written at its first sync
        auto server = serve(a);
        pair(b, a, server->port);
        QProcess sync;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(Passphrase));
        env.insert("XDG_DATA_HOME", m_dir.filePath("xdg"));
        env.insert("CARTULARY_SYNC_BATCH", "5"); // many small commits: a kill lands mid-transfer
        sync.setProcessEnvironment(env);
        sync.start(CARTULARY_BINARY, {"--data-dir", b.dir, "sync"});
        QElapsedTimer t;
        t.start();
        while (storedEntries(a) < 50 && t.elapsed() < 120000)
            QTest::qWait(20);
        sync.kill();
        sync.waitForFinished();
        const quint64 partial = storedEntries(a);
        QVERIFY2(partial >= 50 && partial < total + 1,
                 qPrintable(QStringLiteral("%1 of %2").arg(partial).arg(total)));
        QVERIFY(server->waitFor("closed the connection mid-session"));
        // The next round continues where the commits stopped: nothing lost, nothing twice.
        const QJsonObject r = syncJson(b)[0].toObject();
        QVERIFY2(r.value("ok").toBool(), qPrintable(r.value("outcome").toString()));
        const QList<QJsonObject> logA = log(a);
        const auto [hashesA, headsA] = contents(logA);
        QCOMPARE(quint64(logA.size()), quint64(hashesA.size())); // no duplicates
        QCOMPARE(contents(log(b)), contents(logA));
        QCOMPARE(cli(a, {"ledger", "verify"}).exitCode, 0);
        stop(*server);
    }

    void consortium()
    {
        Node hospital = makeNode("St. Mary Hospital");
        Node firm = makeNode("Analytics Firm");
        Node uni = makeNode("University");
        Node cmo = makeNode("Collecting Society");
        apply(
            hospital,
            R"({"command":"register-asset","reference":"SMH-DS-001","title":"ICU vitals 2020-2024","type":"dataset"}
{"command":"grant-licence","reference":"SMH-LIC-001","title":"ICU vitals training licence","asset":"SMH-DS-001","licensee":"Analytics Firm","granted":"2026-01-10","royalty":"5%","policy":"absolute"}
)");
        auto sh = serve(hospital);
        pair(firm, hospital, sh->port);
        QVERIFY(syncJson(firm)[0].toObject().value("ok").toBool());
        apply(
            firm,
            R"({"command":"register-asset","reference":"AF-M-001","title":"Sepsis early warning model","type":"model"}
{"command":"record-derivation","child":"AF-M-001","kind":"training","date":"2026-02-01","parent":"SMH-DS-001","licence":"SMH-LIC-001"}
)");
        auto sf = serve(firm);
        pair(uni, firm, sf->port);
        pair(cmo, firm, sf->port);
        QVERIFY(syncJson(uni)[0].toObject().value("ok").toBool());
        QVERIFY(syncJson(cmo)[0].toObject().value("ok").toBool());
        for (const Node *n : {&uni, &cmo}) {
            const Run r = cli(*n, {"lineage", "--asset", "AF-M-001", "--json"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonObject lineage = QJsonDocument::fromJson(r.out).object();
            const QJsonArray edges = lineage.value("edges").toArray();
            QCOMPARE(edges.size(), 1);
            const QJsonObject licence = edges[0].toObject().value("licence").toObject();
            QCOMPARE(licence.value("reference").toString(), QStringLiteral("SMH-LIC-001"));
            QCOMPARE(licence.value("licensee").toString(), QStringLiteral("Analytics Firm"));
            QCOMPARE(lineage.value("royalty_stack").toObject().value("total_ppm").toInt(), 50000);
            // Signed by the right authors: the licence by the hospital, the model by the firm.
            for (const QJsonObject &e : log(*n)) {
                const QString kind = e.value("kind").toString();
                if (kind == QLatin1String("licence.granted"))
                    QCOMPARE(e.value("author").toString().toLatin1(), hospital.authorKey);
                if (kind == QLatin1String("derivation.recorded"))
                    QCOMPARE(e.value("author").toString().toLatin1(), firm.authorKey);
            }
        }
        stop(*sh);
        stop(*sf);
    }

    void worksFromAPeerMatchStoredUsage()
    {
        // The CMO holds usage reported for a work it does not know yet; the publisher registers
        // the work (with its ISWC); once synced, the CMO's usage is matched to it.
        Node cmo = makeNode("Collecting Society");
        Node publisher = makeNode("Fado Publishing");
        const QString usage = testutil::writeFile(
            m_dir.path(), "usage-2026-q3.csv",
            "period,licensee,territory,work,title,creator,units,amount,currency\n"
            "2026-07,StreamCo,PT,ISWC:T-034.524.680-1,,,10,100.00,EUR\n");
        const Run imported = cli(cmo, {"import", "usage", usage});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const auto unmatched = [&] {
            const Run r = cli(cmo, {"royalty", "unmatched", "--period", "2026-Q3", "--json"});
            return QJsonDocument::fromJson(r.out).object().value("unmatched").toArray().size();
        };
        QCOMPARE(unmatched(), 1);
        apply(
            publisher,
            R"({"command":"register-asset","reference":"FADO-1","title":"Fado of the River","type":"copyright","owners":"Fado Publishing:10000","identifiers":[{"scheme":"ISWC","value":"T0345246801"}]}
)");
        auto server = serve(publisher);
        pair(cmo, publisher, server->port);
        const QJsonArray report = syncJson(cmo);
        QCOMPARE(report.size(), 1);
        QVERIFY2(report[0].toObject().value("ok").toBool(),
                 qPrintable(report[0].toObject().value("outcome").toString()));
        QCOMPARE(unmatched(), 0);
        stop(*server);
    }

    void refusesUnpairedAndCertificateless()
    {
        Node a = makeNode("Guarded");
        auto server = serve(a);
        const quint64 before = storedEntries(a);
        {
            Hostile stranger; // not paired
            stranger.connect(server->port);
            stranger.hello(stranger.checkpoint(1, leafHash(stranger.binding.bytes)));
            QVERIFY(stranger.waitClosed());
            QVERIFY(!stranger.read(500)); // not one byte of application data
            QVERIFY2(server->waitFor("is not paired"), server->log.constData());
        }
        {
            Hostile anonymous;
            anonymous.connect(server->port, false);
            anonymous.hello({});
            QVERIFY(anonymous.waitClosed());
            QVERIFY2(server->waitFor("presented no certificate"), server->log.constData());
        }
        // A real node the server does not know: its sync is refused, and it says why.
        Node stranger = makeNode("Stranger");
        QCOMPARE(cli(stranger, {"peer", "add", a.peerId, "--address",
                                QStringLiteral("127.0.0.1:%1").arg(server->port)})
                     .exitCode,
                 0);
        const Run refused = cli(stranger, {"sync"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("before its hello"), refused.err.constData());
        // A TLS 1.2-only client never gets a session.
        QProcess openssl;
        openssl.start("openssl", {"s_client", "-tls1_2", "-connect",
                                  QStringLiteral("127.0.0.1:%1").arg(server->port)});
        openssl.closeWriteChannel();
        QVERIFY(openssl.waitForFinished(30000));
        QVERIFY(openssl.exitCode() != 0);
        QVERIFY2(server->waitFor("TLS handshake failed"), server->log.constData());
        QCOMPARE(storedEntries(a), before);
        stop(*server);
    }

    void refusesMisbehaviour_data()
    {
        QTest::addColumn<QString>("attack");
        QTest::addColumn<QString>("logged");
        QTest::newRow("forged signature") << "forged"
                                          << "has a bad signature";
        QTest::newRow("broken chain") << "broken"
                                      << "breaks the author's chain";
        QTest::newRow("gap") << "gap"
                             << "skips";
        QTest::newRow("4 GiB frame") << "huge"
                                     << "declares 4294967295 bytes";
        QTest::newRow("garbage before hello") << "garbage"
                                              << "protocol error";
        QTest::newRow("stalls mid-frame") << "stall"
                                          << "in the middle of a frame";
    }

    void refusesMisbehaviour()
    {
        QFETCH(QString, attack);
        QFETCH(QString, logged);
        auto [a, server, h, cp] = target("Target", attack == "stall" ? FastLimits : QStringList{});
        const quint64 before = storedEntries(a);
        const quint64 rejectedBefore = rejectedEntries(a);
        if (attack == "garbage") {
            QVERIFY(h->connect(server->port));
            h->raw("GET / HTTP/1.1\r\nHost: cartulary\r\n\r\n");
        } else {
            QVERIFY(h->open(server->port, cp));
            if (attack == "forged") {
                SignedEntry second = h->entry(2, h->binding.hash, "note.x", "{}");
                second.bytes[second.bytes.size() - 1] = char(second.bytes.back() ^ 1);
                h->sendBatch(1, {h->binding.bytes, second.bytes});
            } else if (attack == "broken") {
                const SignedEntry second = h->entry(2, sha256("not the binding"), "note.x", "{}");
                h->sendBatch(1, {h->binding.bytes, second.bytes});
            } else if (attack == "gap") {
                const SignedEntry third = h->entry(3, h->binding.hash, "note.x", "{}");
                h->sendBatch(1, {h->binding.bytes, third.bytes});
            } else if (attack == "huge") {
                h->raw(QByteArray::fromHex("ffffffff03"));
            } else if (attack == "stall") {
                h->raw(QByteArray::fromHex("000001"));
            }
        }
        QVERIFY(h->waitClosed(20000));
        QVERIFY2(server->waitFor(logged.toUtf8()), server->log.constData());
        // Nothing the peer sent is in the tables.
        QCOMPARE(storedEntries(a), before);
        QCOMPARE(rejectedEntries(a), rejectedBefore);
        QCOMPARE(cli(a, {"ledger", "verify"}).exitCode, 0);
        stop(*server);
    }

    void domainRuleViolationIsLoggedNotApplied()
    {
        Node a = makeNode("Owner Org");
        apply(
            a,
            R"({"command":"register-asset","reference":"OWN-1","title":"Owned dataset","type":"dataset"}
{"command":"grant-licence","reference":"OWN-LIC-1","title":"Real licence","asset":"OWN-1","licensee":"Someone","granted":"2026-01-10"}
)");
        QJsonObject body;
        for (const QJsonObject &e : log(a))
            if (e.value("kind").toString() == QLatin1String("licence.granted")) {
                auto decoded =
                    decodeEntry(QByteArray::fromBase64(e.value("bytes").toString().toLatin1()));
                QVERIFY(decoded);
                body = QJsonDocument::fromJson(decoded->entry.body).object();
            }
        QVERIFY(!body.isEmpty());
        // Mallory licenses an asset it does not own.
        body.insert("id", QUuid::createUuid().toString(QUuid::WithoutBraces));
        body.insert("reference", "MAL-LIC-1");
        body.insert("licensee", "Mallory Ltd");
        auto server = serve(a);
        auto h = pairedHostile(a);
        QVERIFY(h->open(server->port, h->checkpoint(1, leafHash(h->binding.bytes))));
        const SignedEntry licence = h->entry(2, h->binding.hash, "licence.granted",
                                             QJsonDocument(body).toJson(QJsonDocument::Compact));
        h->sendBatch(1, {h->binding.bytes, licence.bytes});
        const auto ack = h->readUntil(MessageType::Ack);
        QVERIFY(ack); // committed: validly signed entries continue the log, refused or not
        QVERIFY2(server->waitFor("rejected entry from peer mallory"), server->log.constData());
        const Run licences = cli(a, {"licences", "--json"});
        QVERIFY(licences.out.contains("OWN-LIC-1"));
        QVERIFY(!licences.out.contains("MAL-LIC-1")); // never applied
        QCOMPARE(rejectedEntries(a), quint64(1));
        stop(*server);
    }

    void equivocationIsKeptAsEvidence()
    {
        auto [a, server, h, cp] = target("Witness Org");
        const SignedEntry first = h->entry(2, h->binding.hash, "note.x", R"({"n":1})");
        QVERIFY(h->open(server->port, cp));
        QVERIFY(h->sendAcknowledged(1, {h->binding.bytes, first.bytes}));
        h->drop();
        QVERIFY(server->waitFor("closed the connection mid-session"));
        // The same author signs another seq 2; the node sends both signed entries back.
        const SignedEntry other = h->entry(2, h->binding.hash, "note.x", R"({"n":2})");
        QVERIFY(h->open(server->port, cp));
        h->sendBatch(1, {other.bytes});
        QVERIFY(h->readUntil(MessageType::Evidence));
        QVERIFY2(server->waitFor("FORK"), server->log.constData());
        h->drop();
        const Run verify = cli(a, {"ledger", "verify"});
        QCOMPARE(verify.exitCode, 0);
        QVERIFY2(verify.out.contains("signed two different entries with seq 2"),
                 verify.out.constData());
        stop(*server);
    }

    void splitViewIsFlagged()
    {
        auto [a, server, h, honest] = target("Auditor Org");
        QVERIFY(h->open(server->port, honest));
        QVERIFY(h->sendAcknowledged(1, {h->binding.bytes}));
        h->send(MessageType::Done, QByteArray(8, '\0'));
        h->send(MessageType::Checkpoint, encodeCheckpoint({honest, 0, {}}));
        QVERIFY(h->readUntil(MessageType::Cosignature)); // witnessed once
        h->drop();
        QVERIFY(server->waitFor("mid-session"));
        // Another root for the same size: a split view, caught at the hello.
        const QByteArray forked = h->checkpoint(1, sha256("another log"));
        QVERIFY(h->connect(server->port));
        h->hello(forked);
        QVERIFY(h->waitClosed());
        QVERIFY2(server->waitFor("split view: the peer signed two different roots for size 1"),
                 server->log.constData());
        const QJsonArray peers =
            QJsonDocument::fromJson(cli(a, {"peer", "list", "--json"}).out).array();
        QCOMPARE(peers[0].toObject().value("state").toString(), QStringLiteral("split-view"));
        // A log cut back behind the checkpoint the node witnessed is caught from outside too.
        h->drop();
        QVERIFY(h->connect(server->port));
        h->hello(h->checkpoint(0, sha256({})));
        QVERIFY(h->waitClosed());
        QVERIFY2(
            server->waitFor("the peer's log was cut back: it signed size 1 before, now size 0"),
            server->log.constData());
        // Both signed checkpoints of each are kept as evidence.
        const QJsonArray after =
            QJsonDocument::fromJson(cli(a, {"peer", "list", "--json"}).out).array();
        QCOMPARE(after[0].toObject().value("evidence").toInt(), 2);
        stop(*server);
    }
};

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
