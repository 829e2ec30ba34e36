// SPDX-License-Identifier: GPL-3.0-or-later
// Peer sync's cost: N entries replicated between two real processes over loopback TLS (`cartulary
// serve` and `cartulary sync`), against verifying the same N entries locally (the ledger's
// verifier, every core), in interleaved rounds. The target: sync at most 1.5x verification.
// Usage: bench_sync [--entries N] [--rounds R]
#include "benchutil.h"

#include "ledger/sync/peerid.h"
#include "ledger/verifier.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace cartulary;

namespace {

const QByteArray Passphrase = "bench-sync-passphrase";

/** Runs the cartulary binary to its end; exits the benchmark when it fails. */
QByteArray runCartulary(const QString &dataDir, const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(Passphrase));
    p.setProcessEnvironment(env);
    p.start(CARTULARY_BINARY, QStringList{"--data-dir", dataDir} + args);
    if (!p.waitForFinished(3600000) || p.exitCode() != 0) {
        std::fprintf(stderr, "bench_sync: cartulary %s failed: %s\n", qPrintable(args.join(' ')),
                     p.readAllStandardError().constData());
        std::exit(1);
    }
    return p.readAllStandardOutput();
}

/** A data directory with an identity (fast key derivation) and its peer ID. */
QString makeNode(const QString &dir, const QString &name)
{
    model::Workspace ws(dir);
    if (Status s = ws.create(name, Passphrase, ledger::KdfLimits::interactive()); !s) {
        std::fprintf(stderr, "bench_sync: %s\n", qPrintable(s.errorString()));
        std::exit(1);
    }
    return QString::fromLatin1(runCartulary(dir, {"peer", "id"}).trimmed());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype entries = bench::option(args, "--entries", "100000").toLongLong();
    const int rounds = bench::roundsOption(args, 5);
    QTemporaryDir tmp;
    const QString source = QDir(tmp.path()).filePath("source");
    const QString sourceId = makeNode(source, QStringLiteral("Bench Source"));
    ledger::PublicKey sourceKey{};
    {
        model::Workspace ws(source);
        if (Status s = ws.unlock(Passphrase); !s)
            return std::fprintf(stderr, "bench_sync: %s\n", qPrintable(s.errorString())), 1;
        sourceKey = ws.nodeKey();
        QList<ledger::Draft> drafts;
        drafts.reserve(entries);
        for (qsizetype i = 0; i < entries; ++i)
            drafts.append({"bench.note",
                           QJsonDocument(QJsonObject{{"n", double(i)},
                                                     {"text", QStringLiteral("an entry of about "
                                                                             "the size of a "
                                                                             "phase event")}})
                               .toJson(QJsonDocument::Compact),
                           0});
        ledger::BulkOptions bulk;
        bulk.applier = model::Projection::applier();
        auto written = ws.store().appendBulk(ws.identity(), drafts, bulk);
        if (!written)
            return std::fprintf(stderr, "bench_sync: %s\n", qPrintable(written.errorString())), 1;
    }

    QProcess serve;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(Passphrase));
    serve.setProcessEnvironment(env);
    serve.start(CARTULARY_BINARY, {"--data-dir", source, "serve", "--listen", "127.0.0.1:0"});
    QByteArray serveLog;
    while (!serveLog.contains("listening on 127.0.0.1:") && serve.waitForReadyRead(60000))
        serveLog += serve.readAllStandardOutput();
    const qsizetype at = serveLog.indexOf("127.0.0.1:") + 10;
    const QString port = QString::fromLatin1(serveLog.mid(at, serveLog.indexOf(' ', at) - at));
    if (port.toUInt() == 0)
        return std::fprintf(stderr, "bench_sync: serve did not start: %s\n", serveLog.constData()),
               1;

    std::printf("bench_sync: %lld entries, %d rounds\n", (long long)entries, rounds);
    int round = 0;
    QList<double> syncSeconds;
    QList<double> verifySeconds;
    const auto values = bench::interleave(
        rounds,
        {[&] {
             // A fresh, empty node each round receives the whole log (untimed: making it).
             const QString sink = QDir(tmp.path()).filePath(QStringLiteral("sink%1").arg(++round));
             const QString sinkId = makeNode(sink, QStringLiteral("Bench Sink %1").arg(round));
             runCartulary(source, {"peer", "add", sinkId, "--address", "127.0.0.1:1"});
             runCartulary(sink, {"peer", "add", sourceId, "--address", "127.0.0.1:" + port});
             const double s = bench::timed([&] { runCartulary(sink, {"sync"}); });
             QDir(sink).removeRecursively();
             return s;
         },
         [&] {
             return bench::timed([&] {
                 const auto report =
                     ledger::Verifier::run(QDir(source).filePath("cartulary.db"), sourceKey, {});
                 if (!report.ok)
                     std::exit(1);
             });
         }});
    syncSeconds = values[0];
    verifySeconds = values[1];
    const bench::Spread sync = bench::spread(syncSeconds);
    const bench::Spread verify = bench::spread(verifySeconds);
    std::printf("  sync (2 processes, loopback TLS): %.0f entries/s (median %.2f s)\n",
                double(entries) / sync.median, sync.median);
    std::printf("  local verification:               %.0f entries/s (median %.2f s)\n",
                double(entries) / verify.median, verify.median);
    bench::printRatio("sync time / local verification time", syncSeconds, verifySeconds,
                      "(target: at most 1.5)");
    serve.terminate();
    serve.waitForFinished(30000);
    return 0;
}
