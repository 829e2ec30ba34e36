// SPDX-License-Identifier: GPL-3.0-or-later
// Portfolio speed, as ratios against baselines measured in the same process:
//   CSV import of N assets (parse, check, sign, write, project) vs the ledger's own bulk append of
//   N entries of the same size (the import's entries/s as a fraction of the ledger's);
//   opening the Portfolio model on N assets (count + first screen of rows, read on the model's
//   reader thread until they are shown) and filter latency (search, type, owner) vs a plain
//   SELECT COUNT(*) over the same table.
// Usage: bench_portfolio [--assets N]   (default 100,000)
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

QByteArray csvFor(int n)
{
    static const char *types[] = {"patent", "trademark", "design", "copyright", "software"};
    static const char *jur[] = {"EP", "US", "DE", "JP", "CN", "GB", "FR", "EM"};
    QByteArray csv = "reference,title,type,jurisdiction,application_number,filing_date,status,"
                     "owners,creators\n";
    for (int i = 0; i < n; ++i) {
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

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int n = 100000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--assets")
            n = args[i + 1].toInt();
    if (n <= 0)
        return 2;
    QTemporaryDir dir;
    const QByteArray csv = csvFor(n);

    // Baseline: the ledger's bulk append of n entries of about the same size, one transaction.
    double baselineRate = 0;
    {
        Workspace ws(dir.filePath("baseline"));
        if (!ws.create("Bench", "bench passphrase", ledger::KdfLimits::interactive()))
            return 1;
        QList<ledger::Draft> drafts;
        for (int i = 0; i < n; ++i)
            drafts.append({"bench.entry", QByteArray(420, 'x'), 0});
        ledger::BulkOptions bulk;
        bulk.batchSize = n;
        QElapsedTimer t;
        t.start();
        if (!ws.store().appendBulk(ws.identity(), drafts, bulk))
            return 1;
        baselineRate = n / seconds(t);
    }

    Workspace ws(dir.filePath("portfolio"));
    if (!ws.create("Meridian Biotech GmbH", "bench passphrase", ledger::KdfLimits::interactive()))
        return 1;
    QBuffer buffer;
    buffer.setData(csv);
    buffer.open(QIODevice::ReadOnly);
    QElapsedTimer t;
    t.start();
    auto report = importAssetsCsv(ws, buffer);
    const double importSeconds = seconds(t);
    if (!report || report->registered != n) {
        std::fprintf(stderr, "import failed: %s\n", qPrintable(report.errorString()));
        return 1;
    }
    const double importRate = n / importSeconds;

    // Baseline for reads: a plain COUNT(*) on the assets table.
    auto db = sql::Database::open(ws.databasePath(), sql::Database::Mode::ReadOnly);
    t.restart();
    auto count = db.value()->prepare("SELECT COUNT(*) FROM assets");
    if (!count.next() || count.int64(0) != n)
        return 1;
    const double countSeconds = std::max(seconds(t), 1e-6);

    PortfolioModel model;
    // The model reads on its own thread: a screen is shown when its count and rows have arrived.
    const auto screenShown = [&model] {
        while (model.loading())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        for (int row = 0; row < 40 && row < model.rowCount(); ++row) {
            (void)model.data(model.index(row, 0), PortfolioModel::TitleRole);
            while (!model.isRowLoaded(row))
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
    };
    t.restart();
    model.setDatabasePath(ws.databasePath());
    screenShown();
    for (int row = 0; row < 40; ++row) // one screen of rows, every column
        for (int role = PortfolioModel::AssetIdRole; role <= PortfolioModel::PhaseTitleRole; ++role)
            (void)model.data(model.index(row, 0), role);
    const double openSeconds = seconds(t);

    auto filter = [&](auto apply) {
        QElapsedTimer f;
        f.start();
        apply();
        screenShown();
        return seconds(f);
    };
    const double searchSeconds = filter([&] { model.setSearchText("no. 4711"); });
    const double typeSeconds = filter([&] {
        model.setSearchText({});
        model.setTypeFilter("trademark");
    });
    const double ownerSeconds = filter([&] {
        model.setTypeFilter({});
        model.setOwnerFilter("Partner 7");
    });
    const double sortSeconds = filter([&] {
        model.setOwnerFilter({});
        model.sortBy("title");
    });

    std::printf("assets %d\n", n);
    std::printf("CSV import        %8.2f s  %9.0f entries/s  ratio to ledger bulk append %.2f\n",
                importSeconds, importRate, importRate / baselineRate);
    std::printf("ledger append     %20.0f entries/s (baseline, same process)\n", baselineRate);
    std::printf("open Portfolio    %8.1f ms  ratio to SELECT COUNT(*) %.1f\n", openSeconds * 1e3,
                openSeconds / countSeconds);
    std::printf("filter: search    %8.1f ms  ratio %.1f\n", searchSeconds * 1e3,
                searchSeconds / countSeconds);
    std::printf("filter: type      %8.1f ms  ratio %.1f\n", typeSeconds * 1e3,
                typeSeconds / countSeconds);
    std::printf("filter: owner     %8.1f ms  ratio %.1f\n", ownerSeconds * 1e3,
                ownerSeconds / countSeconds);
    std::printf("sort by title     %8.1f ms  ratio %.1f\n", sortSeconds * 1e3,
                sortSeconds / countSeconds);
    return 0;
}
