// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio speed, as ratios against baselines measured in the same process, in interleaved
// rounds (tests/bench/benchutil.h):
//   CSV import of N assets in R files of N / R (parse, check, sign, write, project) into a
//   portfolio that grows to N vs the ledger's own bulk append of as many entries of the same size
//   into a log that grows alike (the import's entries/s as a fraction of the ledger's); opening the
//   Portfolio model on N assets (count + first screen of rows, read on the model's reader thread
//   until they are shown) and filter latency (search, type,
//   owner, sort) vs a plain SELECT COUNT(*) over the same table.
// Usage: bench_portfolio [--assets N] [--rounds R]   (defaults 100,000 and 15)
#include "benchutil.h"
#include "ledger/keystore.h"
#include "model/io/importer.h"
#include "model/ui/portfoliomodel.h"
#include "model/workspace/workspace.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace cartulary;
using namespace cartulary::model;

namespace {

/** The CSV export of assets [from, to). */
QByteArray csvFor(int from, int to)
{
    static const char *types[] = {"patent", "trademark", "design", "copyright", "software"};
    static const char *jur[] = {"EP", "US", "DE", "JP", "CN", "GB", "FR", "EM"};
    QByteArray csv = "reference,title,type,jurisdiction,application_number,filing_date,status,"
                     "owners,creators\n";
    for (int i = from; i < to; ++i) {
        const char *type = types[i % 5];
        const char *j = std::string_view(type) == "trademark" ? "EM" : jur[i % 8];
        const QDate filed = QDate(2005, 1, 1).addDays(i % 7000);
        csv += QStringLiteral("REF-%1,Method and apparatus for sample handling no. %1,%2,%3,APP%1,"
                              "%4,%5,Meridian Biotech GmbH:%6;Partner %7:%8,Inventor %9\n")
                   .arg(i)
                   .arg(QLatin1String(type), QLatin1String(j), filed.toString(Qt::ISODate),
                        i % 9 == 0 ? QStringLiteral("lapsed") : QStringLiteral("pending"))
                   .arg(i % 3 == 0 ? 10000 : 6000)
                   .arg(i % 50)
                   .arg(i % 3 == 0 ? 0 : 4000)
                   .arg(i % 400)
                   .replace(QStringLiteral(";Partner %1:0").arg(i % 50), QString())
                   .toUtf8();
    }
    return csv;
}

/** Waits until the model's count and first screen of rows have arrived from its reader thread. */
void screenShown(PortfolioModel &model)
{
    while (model.loading())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    for (int row = 0; row < 40 && row < model.rowCount(); ++row) {
        (void)model.data(model.index(row, 0), PortfolioModel::TitleRole);
        while (!model.isRowLoaded(row))
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = bench::option(args, "--assets", "100000").toInt();
    const int rounds = bench::roundsOption(args, 15);
    if (n < rounds)
        return 2;
    QTemporaryDir dir;

    // Round r: the baseline appends as many entries as the subject imports rows, each side into
    // its own data directory, both growing to n.
    Workspace baseline(dir.filePath("baseline"));
    if (!baseline.create("Bench", "bench passphrase", ledger::KdfLimits::interactive()))
        return 1;
    Workspace ws(dir.filePath("portfolio"));
    if (!ws.create("Meridian Biotech GmbH", "bench passphrase", ledger::KdfLimits::interactive()))
        return 1;
    auto rowsOf = [&](int round) {
        return std::pair{int(qint64(n) * round / rounds), int(qint64(n) * (round + 1) / rounds)};
    };
    int appendRound = 0;
    int importRound = 0;
    const auto importValues = bench::interleave(
        rounds, {[&] {
                     const auto [from, to] = rowsOf(appendRound++);
                     QList<ledger::Draft> drafts;
                     for (int i = from; i < to; ++i)
                         drafts.append({"bench.entry", QByteArray(420, 'x'), 0});
                     ledger::BulkOptions bulk;
                     bulk.batchSize = int(drafts.size());
                     bool ok = false;
                     const double s = bench::timed([&] {
                         ok = bool(baseline.store().appendBulk(baseline.identity(), drafts, bulk));
                     });
                     if (!ok)
                         std::exit(1);
                     return (to - from) / s;
                 },
                 [&] {
                     const auto [from, to] = rowsOf(importRound++);
                     QBuffer buffer;
                     buffer.setData(csvFor(from, to));
                     buffer.open(QIODevice::ReadOnly);
                     Result<ImportReport> report = Result<ImportReport>::failure("", "");
                     const double s = bench::timed([&] { report = importAssetsCsv(ws, buffer); });
                     if (!report || report->registered != to - from) {
                         std::fprintf(stderr, "import failed: %s\n",
                                      qPrintable(report.errorString()));
                         std::exit(1);
                     }
                     return (to - from) / s;
                 }});

    // Reads, each round against a plain COUNT(*) on the assets table.
    auto db = sql::Database::open(ws.databasePath(), sql::Database::Mode::ReadOnly);
    // Each slice repeats its read until it has run long enough (bench::perCall): a COUNT(*) takes
    // well under a millisecond.
    const auto count = [&] {
        return bench::perCall([&] {
            auto st = db.value()->prepare("SELECT COUNT(*) FROM assets");
            if (!st.next() || st.int64(0) != n)
                std::exit(1);
        });
    };
    const auto open = [&] {
        return bench::perCall([&] {
            PortfolioModel fresh;
            fresh.setDatabasePath(ws.databasePath());
            screenShown(fresh);
            for (int row = 0; row < 40; ++row) // one screen of rows, every column
                for (int role = PortfolioModel::AssetIdRole; role <= PortfolioModel::PhaseTitleRole;
                     ++role)
                    (void)fresh.data(fresh.index(row, 0), role);
        });
    };
    PortfolioModel model;
    model.setDatabasePath(ws.databasePath());
    screenShown(model);
    // A filter applied and the first screen read, timed; then the model put back, untimed.
    auto filter = [&](auto apply, auto undo) {
        return [&model, apply, undo] {
            return bench::perCall(
                [&] {
                    apply();
                    screenShown(model);
                },
                [&] {
                    undo();
                    screenShown(model);
                });
        };
    };
    const auto reads = bench::interleave(
        rounds,
        {count, open,
         filter([&] { model.setSearchText("no. 4711"); }, [&] { model.setSearchText({}); }),
         filter([&] { model.setTypeFilter("trademark"); }, [&] { model.setTypeFilter({}); }),
         filter([&] { model.setOwnerFilter("Partner 7"); }, [&] { model.setOwnerFilter({}); }),
         filter([&] { model.sortBy("title"); }, [&] { model.setSortColumn("reference"); })});

    std::printf("bench_portfolio: %d assets imported in %d interleaved rounds of %d rows\n", n,
                rounds, n / rounds);
    bench::printRatio("CSV import / ledger bulk append", importValues[1], importValues[0]);
    bench::printValue("CSV import", importValues[1], "entries/s");
    bench::printValue("ledger bulk append (baseline)", importValues[0], "entries/s");
    const char *names[] = {"open Portfolio", "filter: search", "filter: type", "filter: owner",
                           "sort by title"};
    for (int k = 0; k < 5; ++k) {
        bench::printRatio(qPrintable(QStringLiteral("%1 / SELECT COUNT(*)").arg(names[k])),
                          reads[k + 1], reads[0]);
        bench::printValue(names[k], reads[k + 1], "ms", 1e3, 1);
    }
    bench::printValue("SELECT COUNT(*) (baseline)", reads[0], "ms", 1e3, 2);
    return 0;
}
