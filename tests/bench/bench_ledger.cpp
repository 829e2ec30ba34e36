// SPDX-License-Identifier: GPL-3.0-or-later
// Ledger throughput against raw libsodium on the same machine, in the same process:
//   bulk append (one transaction per batch, durable on COMMIT) / raw Ed25519 sign   (target >=
//   0.70) full verification on every core / raw single-core Ed25519 verify             (target
//   >= 1.6)
// Usage: bench_ledger [--entries N] [--batch B] [--dir DIR] [--keep]   (defaults: 1,000,000, 1,000)
// --keep leaves a data directory the app can open (passphrase "bench passphrase").
#include "ledger/keystore.h"
#include "ledger/logstore.h"
#include "ledger/verifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>

#include <sodium.h>

#include <cstdio>
#include <ctime>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {

/** A body of the size a typical model entry has (~200 bytes of JSON). */
QByteArray body(int i)
{
    return QByteArray("{\"name\":\"lab-notebook-page-") + QByteArray::number(i) +
           ".pdf\",\"note\":\"priority evidence for the family EP-2026-0042\",\"sha256\":\"" +
           QByteArray(64, 'a') + "\",\"size\":183422}";
}

double perSecond(quint64 n, qint64 ns)
{
    return ns > 0 ? double(n) * 1e9 / double(ns) : 0;
}

/** CPU seconds used by every thread of this process: steadier than wall time on a shared machine.
 */
double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    initCrypto();
    quint64 entries = 1000000;
    int batch = 1000;
    QString dirArg;
    const QStringList args = app.arguments();
    const bool keep = args.contains("--keep");
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--entries")
            entries = args[i + 1].toULongLong();
        else if (args[i] == "--batch")
            batch = args[i + 1].toInt();
        else if (args[i] == "--dir")
            dirArg = args[i + 1];
    }
    if (entries == 0 || batch <= 0) {
        std::fprintf(stderr, "usage: bench_ledger [--entries N] [--batch B] [--dir DIR]\n");
        return 2;
    }
    QTemporaryDir tmp(dirArg.isEmpty() ? QDir::tempPath() + "/bench-XXXXXX"
                                       : dirArg + "/bench-XXXXXX");
    tmp.setAutoRemove(!keep);
    const QString path = tmp.filePath("cartulary.db");
    auto identity = std::make_shared<Identity>();
    identity->name = "Bench";
    identity->keys = KeyPair::generate();

    // Baseline 1: raw Ed25519 signing of entry-sized messages, one core.
    const quint64 rawN = std::min<quint64>(entries, 100000);
    QList<QByteArray> messages;
    for (quint64 i = 0; i < rawN; ++i)
        messages.append(QByteArray(16, 'p') + body(int(i)));
    std::vector<Signature> sigs(rawN);
    QElapsedTimer t;
    t.start();
    for (quint64 i = 0; i < rawN; ++i)
        crypto_sign_detached(
            sigs[i].data(), nullptr,
            reinterpret_cast<const unsigned char *>(messages[qsizetype(i)].constData()),
            std::size_t(messages[qsizetype(i)].size()), identity->keys.secretKey.data());
    const double rawSign = perSecond(rawN, t.nsecsElapsed());

    // Baseline 2: raw Ed25519 verification, one core.
    t.restart();
    quint64 good = 0;
    for (quint64 i = 0; i < rawN; ++i)
        good +=
            crypto_sign_verify_detached(
                sigs[i].data(),
                reinterpret_cast<const unsigned char *>(messages[qsizetype(i)].constData()),
                std::size_t(messages[qsizetype(i)].size()), identity->keys.publicKey.data()) == 0;
    const double rawVerify = perSecond(rawN, t.nsecsElapsed());
    if (good != rawN)
        return 1;
    messages.clear();

    // Bulk append: batches of `batch` drafts, each batch one durable transaction with a checkpoint.
    // As the app does: the latest checkpoint also goes to a file outside the database.
    auto store = LogStore::open(path, {tmp.filePath("checkpoint.txt")});
    if (!store || !store.value()->bindNodeKey(identity->keys.publicKey)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    QList<Draft> drafts;
    drafts.reserve(qsizetype(entries));
    for (quint64 i = 0; i < entries; ++i)
        drafts.append(Draft{"document.recorded", body(int(i)), 1767225600000});
    BulkOptions bulk;
    bulk.batchSize = batch;
    t.restart();
    double cpu = cpuSeconds();
    auto appended = store.value()->appendBulk(*identity, drafts, bulk);
    if (!appended || appended.value() != entries) {
        std::fprintf(stderr, "append failed: %s\n", qPrintable(appended.errorString()));
        return 1;
    }
    const double append = perSecond(entries, t.nsecsElapsed());
    store.value().reset();
    const double appendCpu = cpuSeconds() - cpu;

    // Full verification (every signature) on every core.
    VerifyOptions options;
    t.restart();
    cpu = cpuSeconds();
    const VerifyReport report = Verifier::run(path, identity->keys.publicKey, options);
    const double verifyAll = perSecond(entries, t.nsecsElapsed());
    const double verifyCpu = cpuSeconds() - cpu;
    if (!report.ok) {
        std::fprintf(stderr, "verification failed: %s\n", qPrintable(report.summary()));
        return 1;
    }

    if (keep) {
        auto written = KeyStore::createWithKeys(
            tmp.filePath("identity.key"), "Bench",
            KeyPair::fromSeed(QByteArrayView(
                reinterpret_cast<const char *>(identity->keys.secretKey.data()), 32)),
            "bench passphrase", KdfLimits::interactive());
        if (!written)
            return 1;
        std::printf("kept %s (passphrase \"bench passphrase\")\n", qPrintable(tmp.path()));
    }
    std::printf("entries %llu, batch %d, cores %d\n", (unsigned long long)entries, batch,
                QThread::idealThreadCount());
    std::printf("raw Ed25519 sign, 1 core     %10.0f /s\n", rawSign);
    std::printf("raw Ed25519 verify, 1 core   %10.0f /s\n", rawVerify);
    std::printf(
        "bulk append                  %10.0f /s   ratio to raw sign   %.2f  (target >= 0.70)\n",
        append, append / rawSign);
    std::printf(
        "full verify, all cores       %10.0f /s   ratio to raw verify %.2f  (target >= 1.60)\n",
        verifyAll, verifyAll / rawVerify);
    std::printf("cpu time: bulk append %.2f s, full verify %.2f s (all threads)\n", appendCpu,
                verifyCpu);
    return 0;
}
