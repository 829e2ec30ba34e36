// SPDX-License-Identifier: GPL-3.0-or-later
// Ledger throughput against raw libsodium on the same machine, in the same process, measured in
// interleaved slices (tests/bench/benchutil.h):
//   bulk append into a log that grows to N entries (one transaction and one signed checkpoint per
//   batch, durable on COMMIT) / raw Ed25519 signing of as many entry-sized messages, one core
//   (target >= 0.70);
//   full verification (every signature, chain, leaf, root and checkpoint) on every core of a log of
//   N / rounds entries / raw Ed25519 verification of as many signatures, one core (target >= 1.6).
// Usage: bench_ledger [--entries N] [--rounds R] [--batch B] [--dir DIR] [--keep]
//        (defaults: 1,000,000 entries, 15 rounds, batches of 1,000)
// --keep leaves the N-entry data directory the app can open (passphrase "bench passphrase").
#include "benchutil.h"
#include "ledger/keystore.h"
#include "ledger/logstore.h"
#include "ledger/verifier.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QThread>

#include <sodium.h>

#include <cstdio>

using namespace cartulary;
using namespace cartulary::ledger;

namespace {

/** A body of the size a typical model entry has (~200 bytes of JSON). */
QByteArray body(quint64 i)
{
    return QByteArray("{\"name\":\"lab-notebook-page-") + QByteArray::number(i) +
           ".pdf\",\"note\":\"priority evidence for the family EP-2026-0042\",\"sha256\":\"" +
           QByteArray(64, 'a') + "\",\"size\":183422}";
}

QList<Draft> drafts(quint64 from, quint64 to)
{
    QList<Draft> out;
    out.reserve(qsizetype(to - from));
    for (quint64 i = from; i < to; ++i)
        out.append(Draft{"document.recorded", body(i), 1767225600000});
    return out;
}

const unsigned char *bytes(const QByteArray &b)
{
    return reinterpret_cast<const unsigned char *>(b.constData());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    initCrypto();
    const QStringList args = app.arguments();
    const quint64 entries = bench::option(args, "--entries", "1000000").toULongLong();
    const int batch = bench::option(args, "--batch", "1000").toInt();
    const int rounds = bench::roundsOption(args, 15);
    const QString dirArg = bench::option(args, "--dir");
    const bool keep = args.contains("--keep");
    if (entries < quint64(rounds) || batch <= 0) {
        std::fprintf(stderr, "usage: bench_ledger [--entries N >= rounds] [--rounds R] [--batch B] "
                             "[--dir DIR] [--keep]\n");
        return 2;
    }
    QTemporaryDir tmp(dirArg.isEmpty() ? QDir::tempPath() + "/bench-XXXXXX"
                                       : dirArg + "/bench-XXXXXX");
    tmp.setAutoRemove(!keep);
    auto identity = std::make_shared<Identity>();
    identity->name = "Bench";
    identity->keys = KeyPair::generate();
    const quint64 slice = entries / quint64(rounds);

    // The baselines' messages: as many as a slice appends, signed and verified again each round.
    QList<QByteArray> messages;
    for (quint64 i = 0; i < slice; ++i)
        messages.append(QByteArray(16, 'p') + body(i));
    std::vector<Signature> sigs(slice);

    // Round r appends entries [r * N / R, (r + 1) * N / R) to one log that grows to N.
    const QString path = tmp.filePath("cartulary.db");
    // As the app does: the latest checkpoint also goes to a file outside the database.
    auto store = LogStore::open(path, {tmp.filePath("checkpoint.txt")});
    if (!store || !store.value()->bindNodeKey(identity->keys.publicKey)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    BulkOptions bulk;
    bulk.batchSize = batch;
    int appendRound = 0;
    const auto appendValues = bench::interleave(
        rounds, {[&] {
                     return double(slice) / bench::timed([&] {
                                for (quint64 i = 0; i < slice; ++i)
                                    crypto_sign_detached(sigs[i].data(), nullptr,
                                                         bytes(messages[qsizetype(i)]),
                                                         std::size_t(messages[qsizetype(i)].size()),
                                                         identity->keys.secretKey.data());
                            });
                 },
                 [&] {
                     const quint64 from = entries * quint64(appendRound) / quint64(rounds);
                     const quint64 to = entries * quint64(appendRound + 1) / quint64(rounds);
                     ++appendRound;
                     const QList<Draft> round = drafts(from, to);
                     Result<quint64> appended = quint64(0);
                     const double s = bench::timed(
                         [&] { appended = store.value()->appendBulk(*identity, round, bulk); });
                     if (!appended || appended.value() != to - from) {
                         std::fprintf(stderr, "append failed: %s\n",
                                      qPrintable(appended.errorString()));
                         std::exit(1);
                     }
                     return double(to - from) / s;
                 }});
    store.value().reset();

    // Verification reads a whole log: the subject verifies a log of one slice's size each round.
    const QString slicePath = tmp.filePath("slice.db");
    {
        auto sliceStore = LogStore::open(slicePath, {tmp.filePath("slice-checkpoint.txt")});
        if (!sliceStore || !sliceStore.value()->bindNodeKey(identity->keys.publicKey) ||
            !sliceStore.value()->appendBulk(*identity, drafts(0, slice), bulk))
            return 1;
    }
    const auto verifyValues = bench::interleave(
        rounds,
        {[&] {
             quint64 good = 0;
             const double s = bench::timed([&] {
                 for (quint64 i = 0; i < slice; ++i)
                     good +=
                         crypto_sign_verify_detached(sigs[i].data(), bytes(messages[qsizetype(i)]),
                                                     std::size_t(messages[qsizetype(i)].size()),
                                                     identity->keys.publicKey.data()) == 0;
             });
             if (good != slice)
                 std::exit(1);
             return double(slice) / s;
         },
         [&] {
             VerifyReport report;
             const double s = bench::timed(
                 [&] { report = Verifier::run(slicePath, identity->keys.publicKey, {}); });
             if (!report.ok) {
                 std::fprintf(stderr, "verification failed: %s\n", qPrintable(report.summary()));
                 std::exit(1);
             }
             return double(slice) / s;
         }});
    QFile::remove(slicePath);

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
    std::printf("bench_ledger: %llu entries appended in %d interleaved rounds of %llu, batch %d, "
                "%d cores\n",
                (unsigned long long)entries, rounds, (unsigned long long)slice, batch,
                QThread::idealThreadCount());
    bench::printRatio("bulk append / raw Ed25519 sign (1 core)", appendValues[1], appendValues[0],
                      "target >= 0.70");
    bench::printRatio("full verify (all cores) / raw verify (1 core)", verifyValues[1],
                      verifyValues[0], "target >= 1.60");
    bench::printValue("bulk append", appendValues[1], "entries/s");
    bench::printValue("raw Ed25519 sign, 1 core", appendValues[0], "/s");
    bench::printValue(
        qPrintable(QStringLiteral("full verify of a %1-entry log, all cores").arg(slice)),
        verifyValues[1], "entries/s");
    bench::printValue("raw Ed25519 verify, 1 core", verifyValues[0], "/s");
    return 0;
}
