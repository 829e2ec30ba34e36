// SPDX-License-Identifier: GPL-3.0-or-later
// Royalty import and distribution at scale, as ratios against baselines measured in the same run,
// in interleaved rounds (tests/bench/benchutil.h):
//   our importUsage + runDistribution of a usage CSV of L lines over W copyright works with
//   co-owners and derivation chains (copy and hash, read, aggregate, match by reference, ISRC, ISWC
//   and title + creator, sign, write, then the exact run stored with its flows) vs the sqlite3
//   command-line tool doing `.import` of the same file then `SELECT work, SUM(amount) … GROUP BY
//   work`, and vs DuckDB (`read_csv` + the same GROUP BY, through the npm package
//   @duckdb/node-api that installer/bench installs into the build tree) — each as lines/s.
// Our side runs in a child process on a fresh copy of the workspace each round; its peak memory is
// the child's VmHWM, reset (/proc/self/clear_refs) after the workspace is unlocked and read after
// the run, and the child's whole max RSS (wait4) is printed beside it.
// Usage: bench_royalties [--lines L] [--works W] [--rounds R] [--duckdb NPM-PREFIX]
//        (defaults 10,000,000, 100,000 and 3; without --duckdb, or without node, DuckDB is skipped)
//        bench_royalties --files DIR [--lines L] [--works W] writes the inputs (works.csv,
//        chains.jsonl, usage.csv) for the command line, and measures nothing.
#include "benchutil.h"
#include "ledger/keystore.h"
#include "model/io/csv.h"
#include "model/io/importer.h"
#include "model/io/usageimport.h"
#include "model/royalties/runs.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

using namespace cartulary;
using namespace cartulary::model;

namespace {

constexpr char Passphrase[] = "bench passphrase";
constexpr char Period[] = "2026-Q3";
constexpr qint64 FeePpm = 100000; // 10 %

/** splitmix64: a fast, seedable generator, so every run writes the same files. */
struct Random
{
    quint64 state;
    quint64 next()
    {
        quint64 z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double unit() { return double(next() >> 11) / double(1ULL << 53); }
};

const char *const FirstNames[] = {"Ana", "João",  "Marie", "Émile", "Kai",   "Yuki",  "Lars",
                                  "Rui", "Sofia", "Mateo", "Chloé", "Omar",  "Lena",  "Ravi",
                                  "Zoë", "Tomás", "Aiko",  "Nils",  "Priya", "Ingrid"};
const char *const Syllables[] = {"ka", "lo",  "mer", "sa",  "vi", "den",
                                 "ro", "tal", "bu",  "nes", "ga", "li"};
const char *const TitleWords[] = {"Northern", "Canção",  "Silent", "Golden", "Été",   "Broken",
                                  "Midnight", "Saudade", "River",  "Paper",  "Neon",  "Winter",
                                  "Lights",   "do Mar",  "Road",   "Hearts", "Dream", "Fado"};
constexpr int TitleWordCount = int(std::size(TitleWords));

/** The writer of work i: "First Last" (the register writes "Last, First"). */
struct Person
{
    QString first, last;
    QString natural() const { return first + u' ' + last; }
    QString inverted() const { return last + QStringLiteral(", ") + first; }
};

Person writer(int i)
{
    const int c = int((qint64(i) * 7919) % 30000);
    QString last;
    for (int k = 0, v = c / 20; k < 3; ++k, v /= 12)
        last += QLatin1String(Syllables[v % 12]);
    last[0] = last[0].toUpper();
    return {QString::fromUtf8(FirstNames[c % 20]), last};
}

QString title(int i)
{
    return QStringLiteral("%1 %2 no. %3")
        .arg(QString::fromUtf8(TitleWords[i % TitleWordCount]),
             QString::fromUtf8(TitleWords[(i / TitleWordCount) % TitleWordCount]))
        .arg(i / (TitleWordCount * TitleWordCount) + 1);
}

QString reference(int i)
{
    return QStringLiteral("WRK-%1").arg(i, 6, 10, QChar(u'0'));
}
QString iswc(int i) // as the register writes it
{
    return QStringLiteral("T-%1.%2.%3-%4")
        .arg(i / 1000000 + 100, 3, 10, QChar(u'0'))
        .arg(i / 1000 % 1000, 3, 10, QChar(u'0'))
        .arg(i % 1000, 3, 10, QChar(u'0'))
        .arg(i % 10);
}
QString isrc(int i) // as the register writes it
{
    return QStringLiteral("QZ-K%1-26-%2")
        .arg(i / 100000, 2, 10, QChar(u'0'))
        .arg(i % 100000, 5, 10, QChar(u'0'));
}
QString publisher(int i)
{
    return QStringLiteral("Editions %1").arg(i % 300);
}

/** The works: 100 % copyright, with co-owners (a publisher and the writer; every seventh a
 * 40/40/20 consortium), writers as creators, an ISWC and an ISRC each. */
QByteArray worksCsv(int works)
{
    QByteArray csv = "reference,title,type,status,owners,creators,identifiers\n";
    for (int i = 0; i < works; ++i) {
        const QString owners =
            i % 7 == 0 ? QStringLiteral("%1:4000;%2:4000;%3:2000")
                             .arg(publisher(i), writer(i).natural(), publisher(i + 1))
                       : QStringLiteral("%1:6000;%2:4000").arg(publisher(i), writer(i).natural());
        csv += csv::formatRecord({reference(i), title(i), "copyright", "registered", owners,
                                  writer(i).inverted(),
                                  QStringLiteral("ISWC:%1;ISRC:%2").arg(iswc(i), isrc(i))});
    }
    return csv;
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

/**
 * Derivation chains, one per 20 works from b = 20 k: b+1 is derived from b under an absolute 5 %
 * licence; b+2 from b+1 under a relative 10 % licence and from b under a relative 2 % one — three
 * generations, two parents, both policies.
 */
QByteArray chains(int works, int &links)
{
    QByteArray out;
    auto licence = [&](const QString &ref, int parent, int child, const char *royalty,
                       const char *policy) {
        out += line({{"command", "grant-licence"},
                     {"reference", ref},
                     {"title", "Derivative licence"},
                     {"asset", reference(parent)},
                     {"licensor", publisher(parent)},
                     {"licensee", writer(child).natural()},
                     {"granted", "2026-01-01"},
                     {"royalty", royalty},
                     {"policy", policy}});
    };
    for (int b = 0; b + 2 < works; b += 20) {
        licence(QStringLiteral("LIC-A-%1").arg(b), b, b + 1, "5%", "absolute");
        licence(QStringLiteral("LIC-R-%1").arg(b + 1), b + 1, b + 2, "10%", "relative");
        licence(QStringLiteral("LIC-B-%1").arg(b), b, b + 2, "2%", "relative");
        out += line(
            {{"command", "record-derivation"},
             {"child", reference(b + 1)},
             {"parents", QJsonArray{QJsonObject{{"asset", reference(b)},
                                                {"licence", QStringLiteral("LIC-A-%1").arg(b)}}}},
             {"kind", "remix"},
             {"date", "2026-02-01"}});
        out += line(
            {{"command", "record-derivation"},
             {"child", reference(b + 2)},
             {"parents", QJsonArray{QJsonObject{{"asset", reference(b + 1)},
                                                {"licence", QStringLiteral("LIC-R-%1").arg(b + 1)}},
                                    QJsonObject{{"asset", reference(b)},
                                                {"licence", QStringLiteral("LIC-B-%1").arg(b)}}}},
             {"kind", "remix"},
             {"date", "2026-02-01"}});
        links += 3;
    }
    return out;
}

/** Who reports, where, in which currency, and how it names the works it reports. */
struct Channel
{
    const char *licensee, *territory, *currency;
    enum Style { Isrc, Iswc, Reference, TitleCreator } style;
};
const Channel Channels[] = {
    {"StreamCo", "DE", "EUR", Channel::Isrc},  {"StreamCo", "FR", "EUR", Channel::Isrc},
    {"StreamCo", "US", "USD", Channel::Isrc},  {"Radio Nippon", "JP", "JPY", Channel::TitleCreator},
    {"BBC Radio", "GB", "GBP", Channel::Iswc}, {"VideoHub", "WW", "USD", Channel::Reference},
};
constexpr int ChannelCount = int(std::size(Channels));

/** What the generator wrote: totals per currency in minor units, and the unmatched lines. */
struct UsageFile
{
    QString path;
    qint64 lines = 0, unknownLines = 0, bytes = 0;
    QMap<QString, qint64> totalsMinor;
};

int minorDigits(const char *currency)
{
    return std::strcmp(currency, "JPY") == 0 ? 0 : 2;
}

/**
 * The usage CSV: each line's work drawn with a Zipf-like law (popular works get most lines), its
 * channel and month uniformly, 3 % about works the register does not have. ISRCs and ISWCs are
 * written in another notation than the register's ("QZK012600001", "T0001234560"), and title +
 * creator lines name the writer "First Last" where the register has "Last, First".
 */
UsageFile usageCsv(const QString &path, qint64 lines, int works)
{
    UsageFile f;
    f.path = path;
    f.lines = lines;
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        std::exit(1);
    }
    // Each work's fields, encoded once.
    struct Names
    {
        QByteArray ref, isrc, iswc, title, creator;
    };
    auto alnum = [](const QString &s) {
        QByteArray b;
        for (const QChar c : s)
            if (c.isLetterOrNumber())
                b += char(c.unicode());
        return b;
    };
    auto quoted = [](const QString &s) {
        return s.contains(u',') ? ('"' + s.toUtf8() + '"') : s.toUtf8();
    };
    std::vector<Names> names{size_t(works)};
    for (int i = 0; i < works; ++i)
        names[size_t(i)] = {reference(i).toUtf8(), "ISRC:" + alnum(isrc(i)),
                            "ISWC:" + alnum(iswc(i)), quoted(title(i)),
                            quoted(writer(i).natural())};
    constexpr int Unknown = 5000;
    std::vector<Names> unknown(Unknown);
    for (int i = 0; i < Unknown; ++i)
        unknown[size_t(i)] = {
            QStringLiteral("WRK-9%1").arg(i, 5, 10, QChar(u'0')).toUtf8(),
            QStringLiteral("ISRC:ZZX992600%1").arg(i, 3, 10, QChar(u'0')).toUtf8(),
            QStringLiteral("ISWC:T99900%1").arg(i, 5, 10, QChar(u'0')).toUtf8(),
            QStringLiteral("Unknown track %1").arg(i).toUtf8(), writer(i + 77).natural().toUtf8()};
    const char *const months[] = {"2026-07", "2026-08", "2026-09"};
    Random random{20260930};
    const double logWorks = std::log(double(works));
    QByteArray buffer = "period,licensee,territory,work,title,creator,units,amount,currency\n";
    buffer.reserve(1 << 22);
    for (qint64 n = 0; n < lines; ++n) {
        const Channel &ch = Channels[random.next() % ChannelCount];
        const bool known = random.next() % 100 >= 3;
        const int popular = std::min(works - 1, int(std::exp(random.unit() * logWorks)) - 1);
        const Names &w = known ? names[size_t((qint64(popular) * 48271) % works)]
                               : unknown[size_t(random.next() % Unknown)];
        if (!known)
            ++f.unknownLines;
        const qint64 units = 1 + qint64(random.next() % 500);
        const qint64 minor = units * qint64(1 + random.next() % 7);
        buffer += months[random.next() % 3];
        buffer += ',';
        buffer += ch.licensee;
        buffer += ',';
        buffer += ch.territory;
        buffer += ',';
        switch (ch.style) {
        case Channel::Isrc:
            buffer += w.isrc + ',' + w.title + ',';
            break;
        case Channel::Iswc:
            buffer += w.iswc + ",,";
            break;
        case Channel::Reference:
            buffer += w.ref + ",,";
            break;
        case Channel::TitleCreator:
            buffer += ',' + w.title + ',' + w.creator;
            break;
        }
        buffer += ',';
        buffer += QByteArray::number(units);
        buffer += ',';
        const int digits = minorDigits(ch.currency);
        if (digits == 0) {
            buffer += QByteArray::number(minor);
        } else {
            buffer += QByteArray::number(minor / 100);
            buffer += '.';
            buffer += char('0' + minor / 10 % 10);
            buffer += char('0' + minor % 10);
        }
        buffer += ',';
        buffer += ch.currency;
        buffer += '\n';
        f.totalsMinor[QLatin1String(ch.currency)] += minor;
        if (buffer.size() > (1 << 22) - 512) {
            out.write(buffer);
            buffer.resize(0);
        }
    }
    out.write(buffer);
    f.bytes = out.size();
    return f;
}

/** Copies the files of a (closed) workspace's data directory. */
void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &fi : QDir(from).entryInfoList(QDir::Files | QDir::Hidden))
        if (!QFile::copy(fi.filePath(), QDir(to).filePath(fi.fileName()))) {
            std::fprintf(stderr, "cannot copy %s\n", qPrintable(fi.filePath()));
            std::exit(1);
        }
}

qint64 statusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &l : status.readAll().split('\n'))
        if (l.startsWith(field))
            return l.mid(qsizetype(std::strlen(field))).trimmed().split(' ').first().toLongLong();
    return -1;
}

/** The child: our import and run on one workspace copy; writes what it measured to `out`. */
int child(const QString &dataDir, const QString &csv, const QString &out)
{
    Workspace ws(dataDir);
    if (Status s = ws.unlock(Passphrase); !s) {
        std::fprintf(stderr, "unlock: %s\n", qPrintable(s.errorString()));
        return 1;
    }
    // The peak from here on is our part's: reset VmHWM to the current RSS (Linux clear_refs 5).
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    const bool reset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
    clear.close();
    const qint64 rssBefore = statusKb("VmRSS:");
    QElapsedTimer timer;
    timer.start();
    auto report = importUsage(ws, csv, usage::Options{});
    const double importSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (!report) {
        std::fprintf(stderr, "import: %s\n", qPrintable(report.errorString()));
        return 1;
    }
    auto run =
        runDistribution(ws.store().database(), Period, "performing", FeePpm, ws.store().size());
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!run) {
        std::fprintf(stderr, "run: %s\n", qPrintable(run.errorString()));
        return 1;
    }
    QJsonObject totals;
    for (auto it = report->import.totalsMicro.cbegin(); it != report->import.totalsMicro.cend();
         ++it)
        totals.insert(it.key(), it.value());
    qint64 flows = 0;
    {
        auto st = ws.store().database().prepare("SELECT COUNT(*) FROM royalty_flows WHERE "
                                                "run_id=?");
        st.bind(1, run->id);
        if (st.next())
            flows = st.int64(0);
    }
    const QJsonObject result{{"seconds", seconds},
                             {"importSeconds", importSeconds},
                             {"hwmKb", reset ? statusKb("VmHWM:") : -1},
                             {"rssBeforeKb", rssBefore},
                             {"keys", report->keys},
                             {"matchedKeys", report->matchedKeys},
                             {"matchedLines", report->matchedLines},
                             {"unmatchedLines", report->unmatchedLines},
                             {"totalsMicro", totals},
                             {"holders", run->holders.size()},
                             {"flows", flows},
                             {"currencies", run->result.value("currencies")}};
    QFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(QJsonDocument(result).toJson(QJsonDocument::Compact));
    return 0;
}

/** Runs ourselves as a child; returns what it wrote, with its whole max RSS (wait4). */
QJsonObject runChild(const QString &dataDir, const QString &csv, const QString &out)
{
    const QByteArray exe = QCoreApplication::applicationFilePath().toLocal8Bit();
    const QByteArray a1 = dataDir.toLocal8Bit(), a2 = csv.toLocal8Bit(), a3 = out.toLocal8Bit();
    char *argv[] = {const_cast<char *>(exe.constData()), const_cast<char *>("--child"),
                    const_cast<char *>(a1.constData()),  const_cast<char *>(a2.constData()),
                    const_cast<char *>(a3.constData()),  nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.constData(), nullptr, nullptr, argv, environ) != 0) {
        std::fprintf(stderr, "cannot start %s\n", exe.constData());
        std::exit(1);
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "our import failed (status %d)\n", status);
        std::exit(1);
    }
    QFile file(out);
    if (!file.open(QIODevice::ReadOnly))
        std::exit(1);
    QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    o.insert("maxRssKb", qint64(usage.ru_maxrss));
    return o;
}

/** Runs a program with stdin from a file (or none); its seconds, its stdout in `output`. */
double runTool(const QString &program, const QStringList &args, const QString &stdinFile,
               QByteArray *output = nullptr)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    if (!stdinFile.isEmpty())
        p.setStandardInputFile(stdinFile);
    QElapsedTimer timer;
    timer.start();
    p.start();
    if (!p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(program),
                     p.readAllStandardError().constData());
        std::exit(1);
    }
    const double s = double(timer.nsecsElapsed()) / 1e9;
    if (output)
        *output = p.readAllStandardOutput();
    return s;
}

QString sqlLiteral(const QString &path)
{
    return u'\'' + QString(path).replace(u'\'', QStringLiteral("''")) + u'\'';
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.value(1) == QLatin1String("--child"))
        return child(args.value(2), args.value(3), args.value(4));
    const qint64 lines = bench::option(args, "--lines", "10000000").toLongLong();
    const int works = bench::option(args, "--works", "100000").toInt();
    const int rounds = bench::roundsOption(args, 3);
    const QString duckPrefix = bench::option(args, "--duckdb");
    if (works < 20 || lines < 1)
        return 2;
    if (const QString out = bench::option(args, "--files"); !out.isEmpty()) {
        // The inputs alone, for the command line (`import assets`, `apply`, `import usage`).
        int links = 0;
        QDir().mkpath(out);
        QFile worksFile(QDir(out).filePath("works.csv"));
        QFile chained(QDir(out).filePath("chains.jsonl"));
        if (!worksFile.open(QIODevice::WriteOnly) || !chained.open(QIODevice::WriteOnly))
            return 1;
        worksFile.write(worksCsv(works));
        chained.write(chains(works, links));
        usageCsv(QDir(out).filePath("usage.csv"), lines, works);
        return 0;
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    // The register: works through the CSV importer (bulk load), licences and derivations through
    // apply.
    QElapsedTimer setup;
    setup.start();
    const QString base = dir.filePath("base");
    int links = 0;
    {
        Workspace ws(base);
        if (!ws.create("Lumen Rights Society", Passphrase, ledger::KdfLimits::interactive()))
            return 1;
        QBuffer buffer;
        buffer.setData(worksCsv(works));
        buffer.open(QIODevice::ReadOnly);
        auto imported = importAssetsCsv(ws, buffer);
        if (!imported || imported->registered != works) {
            std::fprintf(stderr, "works: %s\n", qPrintable(imported.errorString()));
            return 1;
        }
        auto written = applyJsonLines(ws, chains(works, links));
        if (!written) {
            std::fprintf(stderr, "chains: %s\n", qPrintable(written.errorString()));
            return 1;
        }
    }
    const double registerSeconds = double(setup.nsecsElapsed()) / 1e9;
    const UsageFile usage = usageCsv(dir.filePath("usage.csv"), lines, works);
    std::printf("bench_royalties: %d works (%d derivation links), %lld usage lines (%.0f MB, "
                "%lld about unknown works); register built in %.0f s, usage written in %.0f s\n",
                works, links, static_cast<long long>(lines), double(usage.bytes) / 1e6,
                static_cast<long long>(usage.unknownLines), registerSeconds,
                double(setup.nsecsElapsed()) / 1e9 - registerSeconds);
    std::fflush(stdout);

    // The baselines' scripts.
    const QString sqliteScript = dir.filePath("aggregate.sql");
    {
        QFile f(sqliteScript);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(QStringLiteral(".mode csv\n.import %1 usage\n.mode list\nSELECT work, "
                               "SUM(amount) FROM usage GROUP BY work;\n")
                    .arg(sqlLiteral(usage.path))
                    .toUtf8());
    }
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString duckScript = QStringLiteral(BENCH_ROYALTIES_DUCKDB_JS);
    const bool duck = !duckPrefix.isEmpty() && !node.isEmpty() &&
                      QFileInfo::exists(QDir(duckPrefix).filePath("node_modules/@duckdb/node-api"));
    if (!duck)
        std::printf("  (DuckDB skipped: give --duckdb NPM-PREFIX with @duckdb/node-api installed "
                    "there, and node on PATH)\n");

    QList<QJsonObject> ours;
    qint64 groups = 0;
    int round = 0;
    QList<std::function<double()>> slices{
        [&] {
            const QString data = dir.filePath(QStringLiteral("round-%1").arg(round));
            copyDir(base, data);
            const QJsonObject o =
                runChild(data, usage.path, dir.filePath(QStringLiteral("ours-%1.json").arg(round)));
            QDir(data).removeRecursively();
            ++round;
            ours.append(o);
            return double(lines) / o.value("seconds").toDouble();
        },
        [&] {
            const QString db = dir.filePath("sqlite.db");
            QFile::remove(db);
            QByteArray out;
            const double s = runTool(QStringLiteral("sqlite3"), {db}, sqliteScript, &out);
            QFile::remove(db);
            groups = out.count('\n');
            return double(lines) / s;
        }};
    if (duck)
        slices.append([&] {
            QByteArray out;
            runTool(node, {duckScript, duckPrefix, usage.path}, {}, &out);
            const QList<QByteArray> parts = out.trimmed().split(' ');
            const double s = parts.value(0).toDouble();
            if (s <= 0 || parts.value(1).toLongLong() != groups) {
                std::fprintf(stderr, "duckdb: unexpected output '%s' (sqlite3: %lld groups)\n",
                             out.constData(), static_cast<long long>(groups));
                std::exit(1);
            }
            return double(lines) / s;
        });
    const auto values = bench::interleave(rounds, slices);

    // Our totals must be the file's, to the micro-unit.
    const QJsonObject first = ours.first();
    for (auto it = usage.totalsMinor.cbegin(); it != usage.totalsMinor.cend(); ++it) {
        const qint64 expected = it.value() * (it.key() == u"JPY" ? 1000000 : 10000);
        if (first.value("totalsMicro").toObject().value(it.key()).toInteger() != expected) {
            std::fprintf(stderr, "our %s total differs from the file's\n", qPrintable(it.key()));
            return 1;
        }
    }
    std::printf("  ours: %lld keys (%lld matched), lines matched %lld, unmatched %lld; run: %lld "
                "holders, %lld flows; sqlite3/DuckDB: %lld groups\n",
                static_cast<long long>(first.value("keys").toInteger()),
                static_cast<long long>(first.value("matchedKeys").toInteger()),
                static_cast<long long>(first.value("matchedLines").toInteger()),
                static_cast<long long>(first.value("unmatchedLines").toInteger()),
                static_cast<long long>(first.value("holders").toInteger()),
                static_cast<long long>(first.value("flows").toInteger()),
                static_cast<long long>(groups));
    bench::printRatio("ours / sqlite3 .import + GROUP BY (lines/s)", values[0], values[1],
                      "target > 1");
    if (duck)
        bench::printRatio("ours / DuckDB read_csv + GROUP BY (lines/s)", values[0], values[2],
                          "target >= 0.5");
    bench::printValue("ours: importUsage + runDistribution", values[0], "lines/s");
    bench::printValue("sqlite3 .import + GROUP BY (baseline)", values[1], "lines/s");
    if (duck)
        bench::printValue("DuckDB read_csv + GROUP BY (baseline)", values[2], "lines/s");
    QList<double> importShare, hwm, maxRss;
    for (const QJsonObject &o : ours) {
        importShare.append(o.value("importSeconds").toDouble() / o.value("seconds").toDouble());
        hwm.append(o.value("hwmKb").toDouble());
        maxRss.append(o.value("maxRssKb").toDouble());
    }
    bench::printValue("ours: import's share of the time", importShare, "%", 100);
    bench::printValue("ours: peak memory of import + run (VmHWM)", hwm, "MB", 1.0 / 1024);
    bench::printValue("ours: the child's max RSS (wait4)", maxRss, "MB", 1.0 / 1024);
    return 0;
}
