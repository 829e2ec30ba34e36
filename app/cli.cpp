// SPDX-License-Identifier: GPL-3.0-or-later
// Command-line commands. Output goes to stdout; every failure is one line on stderr and a non-zero
// exit.
#include "app/cli.h"

#include "ledger/checkpoint.h"
#include "ledger/proofs.h"
#include "ledger/verifier.h"
#include "model/core/money.h"
#include "model/io/demo.h"
#include "model/io/importer.h"
#include "model/io/lineageexport.h"
#include "model/portfolio/documents.h"
#include "model/portfolio/portfolio.h"
#include "model/workspace/commands.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QtConcurrent>
#include <QTextStream>

#include <cstdio>
#include <optional>
#include <termios.h>
#include <unistd.h>

namespace cartulary::app {

using namespace cartulary::ledger;
using model::Workspace;

namespace {

constexpr int ExitOk = 0;
constexpr int ExitFailed = 1;
constexpr int ExitUsage = 2;

const char *Usage = R"(usage: cartulary [--data-dir DIR] [--passphrase-file FILE] COMMAND [ARGS]

Without a command, starts the desktop application.

commands:
  init --name NAME                 create the identity (Ed25519 key) and an empty ledger
  record FILE... [--note TEXT] [--asset REF]
                                   record proof of existence of files (SHA-256; files are not
                                   copied), optionally as documents of an asset
  ledger log [--json]              list the entries (--json: one JSON object per line)
  ledger verify [--incremental]    verify signatures, chains, Merkle roots and checkpoints
  ledger checkpoint                print the latest signed checkpoint (C2SP tlog-checkpoint)
  ledger prove --index N [--size M]
                                   inclusion proof (c2sp.org/tlog-proof@v1) of entry N in the
                                   checkpoint signed at size M (default: the latest)
  ledger prove --from OLD --to NEW consistency proof between two signed checkpoint sizes
  apply FILE.jsonl                 apply commands (model/COMMANDS.md), all or nothing
  import assets FILE.csv           import a docketing export (CSV), all or nothing
  export assets --format csv|json [--out FILE]
                                   export the portfolio (CSV in the import format)
  export prov --asset REF [--depth N] [--out FILE]
                                   the asset's lineage as W3C PROV-JSON
  export odrl --licence REF [--out FILE]
                                   a licence as an ODRL 2.2 policy (JSON-LD)
  graph --asset REF [--depth N] [--max-nodes N] --format dot|svg|pdf|png [--out FILE]
                                   draw the asset's lineage with Graphviz (default depth 3,
                                   at most 500 assets, nearest first)
  lineage --asset REF [--depth N] [--json]
                                   ancestors and descendants, the licence on each edge, the
                                   royalty stack and the legal-status flags
  licences [--asset REF] [--json]  the licences granted (on one asset)
  deadlines [--within DAYS] [--ics FILE]
                                   overdue deadlines and those due within DAYS (default 90)
  rebuild                          drop and rebuild the read tables from the ledger
  demo                             load the demo portfolio into an empty portfolio

The passphrase is read from CARTULARY_PASSPHRASE, from --passphrase-file, or from the terminal.
)";

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

int fail(const QString &message, int code = ExitFailed)
{
    out().flush();
    std::fprintf(stderr, "cartulary: %s\n", qPrintable(message));
    return code;
}

/** Parsed arguments: global options, the command words and per-command options. */
struct Args
{
    QString dataDir;
    QString passphraseFile;
    QStringList words;                 ///< command words and positional arguments
    QMultiHash<QString, QString> opts; ///< --name value pairs
    QSet<QString> flags;               ///< --json, --incremental
    QString error;
};

Args parse(const QStringList &args)
{
    static const QSet<QString> withValue{
        "--data-dir", "--passphrase-file", "--name", "--note",   "--index", "--size",  "--from",
        "--to",       "--format",          "--out",  "--within", "--ics",   "--asset", "--depth",
        "--licence",  "--max-nodes"};
    static const QSet<QString> flags{"--json", "--incremental", "--help", "-h", "--version"};
    Args a;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString arg = args[i];
        QString value;
        bool hasInline = false;
        if (arg.startsWith("--") && arg.contains('=')) {
            value = arg.section('=', 1);
            arg = arg.section('=', 0, 0);
            hasInline = true;
        }
        if (withValue.contains(arg)) {
            if (!hasInline) {
                if (i + 1 >= args.size()) {
                    a.error = QStringLiteral("%1 needs a value").arg(arg);
                    return a;
                }
                value = args[++i];
            }
            if (arg == "--data-dir")
                a.dataDir = value;
            else if (arg == "--passphrase-file")
                a.passphraseFile = value;
            else
                a.opts.insert(arg, value);
        } else if (flags.contains(arg)) {
            a.flags.insert(arg);
        } else if (arg.startsWith("--") && arg != "--") {
            a.error = QStringLiteral("unknown option %1").arg(arg);
            return a;
        } else {
            a.words.append(arg);
        }
    }
    return a;
}

QByteArray promptHidden(const char *prompt)
{
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QByteArray line;
    int c;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.append(char(c));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fputs("\n", stderr);
    }
    return line;
}

/** The passphrase from the environment, a file, or the terminal; nullopt with error set otherwise.
 */
std::optional<QByteArray> passphrase(const Args &a, bool confirm, QString &error)
{
    if (!a.passphraseFile.isEmpty()) {
        QFile f(a.passphraseFile);
        if (!f.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read passphrase file %1: %2")
                        .arg(a.passphraseFile, f.errorString());
            return std::nullopt;
        }
        QByteArray p = f.readLine(4096);
        while (p.endsWith('\n') || p.endsWith('\r'))
            p.chop(1);
        return p;
    }
    if (qEnvironmentVariableIsSet("CARTULARY_PASSPHRASE"))
        return qgetenv("CARTULARY_PASSPHRASE");
    if (!isatty(STDIN_FILENO)) {
        error = QStringLiteral("no passphrase: set CARTULARY_PASSPHRASE or use --passphrase-file");
        return std::nullopt;
    }
    QByteArray p = promptHidden("Passphrase: ");
    if (confirm && promptHidden("Repeat passphrase: ") != p) {
        error = QStringLiteral("the two passphrases differ; nothing was created");
        return std::nullopt;
    }
    return p;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool parseCount(const QString &text, quint64 &value)
{
    bool ok = false;
    value = text.toULongLong(&ok);
    return ok && !text.startsWith('+') && !text.startsWith('-');
}

int cmdInit(const Args &a, Workspace &ws)
{
    const QString name = a.opts.value("--name");
    if (name.trimmed().isEmpty())
        return fail(QStringLiteral("init needs --name NAME (the organisation's name)"), ExitUsage);
    if (ws.hasIdentity())
        return fail(
            QStringLiteral("%1 already holds an identity; nothing was changed").arg(ws.dataDir()));
    QString error;
    const auto pass = passphrase(a, true, error);
    if (!pass)
        return fail(error);
    if (Status s = ws.create(name, *pass); !s)
        return fail(s.errorString());
    const PublicKey &pk = ws.identity().keys.publicKey;
    out() << "identity: " << ws.organisationName() << '\n'
          << "author key: " << toBytes(pk).toBase64() << '\n'
          << "fingerprint: " << fingerprint(pk) << '\n'
          << "verifier key: " << verifierKey(logOrigin(pk), pk) << '\n'
          << "data: " << ws.dataDir() << '\n';
    return ExitOk;
}

Status unlockWorkspace(const Args &a, Workspace &ws)
{
    if (!ws.hasIdentity())
        return Status::failure("no-identity",
                               QStringLiteral("no identity in %1; run 'cartulary init --name NAME' "
                                              "first")
                                   .arg(ws.dataDir()));
    QString error;
    const auto pass = passphrase(a, false, error);
    if (!pass)
        return Status::failure("no-passphrase", error);
    if (Status s = ws.unlock(*pass); !s)
        return s;
    // What the ledger's head check did by itself (it wrote a missing checkpoint.txt), on stderr;
    // a refusal is the command's error when it writes.
    if (const QString notice = ws.store().headNotice(); !notice.isEmpty())
        std::fprintf(stderr, "cartulary: note: %s\n", qPrintable(notice));
    return {};
}

int cmdRecord(const Args &a, Workspace &ws)
{
    const QStringList files = a.words.mid(1);
    if (files.isEmpty())
        return fail(QStringLiteral("record needs at least one FILE"), ExitUsage);
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    auto recorded = model::recordDocuments(ws, files, a.opts.value("--note"), {}, nullptr,
                                           a.opts.value("--asset"));
    if (!recorded)
        return fail(recorded.errorString() + QStringLiteral("; nothing was recorded"));
    for (const auto &r : recorded.value())
        out() << "recorded " << r.digest.name << " sha256 " << toHex(r.digest.sha256)
              << " as entry " << r.entry.index << " hash " << toHex(r.entry.hash) << '\n';
    return ExitOk;
}

int cmdLog(const Args &a, Workspace &ws)
{
    if (Status s = ws.openLedger(); !s)
        return fail(s.errorString());
    const bool json = a.flags.contains("--json");
    const Status s = ws.store().forEach([&](const StoredEntry &e) {
        if (json) {
            const QJsonObject obj{{"index", double(e.index)},
                                  {"author", QString::fromLatin1(toBytes(e.author).toBase64())},
                                  {"seq", double(e.seq)},
                                  {"kind", QString::fromLatin1(e.kind)},
                                  {"time", isoTime(e.timeMs)},
                                  {"hash", toHex(e.hash)},
                                  {"bytes", QString::fromLatin1(e.bytes.toBase64())}};
            out() << QJsonDocument(obj).toJson(QJsonDocument::Compact) << '\n';
        } else {
            out() << e.index << '\t' << isoTime(e.timeMs) << '\t' << fingerprint(e.author) << '\t'
                  << e.seq << '\t' << e.kind << '\t' << toHex(e.hash) << '\n';
        }
        return true;
    });
    if (!s)
        return fail(s.errorString());
    return ExitOk;
}

int cmdVerify(const Args &a, Workspace &ws)
{
    if (Status s = ws.openLedger(); !s)
        return fail(s.errorString());
    VerifyOptions options;
    options.incremental = a.flags.contains("--incremental");
    options.checkpointFile = ws.checkpointPath();
    const bool tty = isatty(STDERR_FILENO);
    if (tty)
        options.progress = [](quint64 done, quint64 total) {
            std::fprintf(stderr, "\rVerifying %llu / %llu entries", (unsigned long long)done,
                         (unsigned long long)total);
        };
    const VerifyReport report = Verifier::run(ws.databasePath(), ws.nodeKey(), options);
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!report.ok)
        return fail(QStringLiteral("verification failed: ") + report.summary());
    out() << report.summary() << '\n';
    for (const QString &note : report.notes)
        out() << "warning: " << note << '\n';
    // A proven fork does not make the log invalid, but a user must know whose chain is frozen.
    for (const Fork &f : ws.store().forks())
        out() << "warning: author " << fingerprint(f.author) << " signed two different entries "
              << "with seq " << f.seq << " (logged " << toHex(f.keptHash) << ", other "
              << toHex(leafHash(f.otherBytes)) << "); their chain is frozen\n";
    return ExitOk;
}

int cmdCheckpoint(Workspace &ws)
{
    if (Status s = ws.openLedger(); !s)
        return fail(s.errorString());
    const auto cp = ws.store().latestCheckpoint();
    if (!cp)
        return fail(QStringLiteral("the ledger has no signed checkpoint"));
    out() << cp->note;
    return ExitOk;
}

/** Proofs come from the ledger's proof builder, at sizes a checkpoint was signed at; this command
 * never signs anything, so it needs no passphrase. */
int cmdProve(const Args &a, Workspace &ws)
{
    if (Status s = ws.openLedger(); !s)
        return fail(s.errorString());
    const bool inclusion = a.opts.contains("--index");
    const bool consistency = a.opts.contains("--from") || a.opts.contains("--to");
    if (inclusion == consistency)
        return fail(
            QStringLiteral("prove needs either --index N [--size M] or --from OLD --to NEW"),
            ExitUsage);
    if (inclusion) {
        quint64 index = 0;
        if (!parseCount(a.opts.value("--index"), index))
            return fail(QStringLiteral("--index must be a whole number"), ExitUsage);
        std::optional<quint64> size;
        if (a.opts.contains("--size")) {
            size = 0;
            if (!parseCount(a.opts.value("--size"), *size))
                return fail(QStringLiteral("--size must be a whole number"), ExitUsage);
        }
        auto proof = buildInclusionProof(ws.store(), ws.nodeKey(), index, size);
        if (!proof)
            return fail(proof.errorString());
        out() << proof->text;
        return ExitOk;
    }
    quint64 from = 0;
    quint64 to = 0;
    if (!parseCount(a.opts.value("--from"), from) || !parseCount(a.opts.value("--to"), to))
        return fail(QStringLiteral("--from and --to must both be whole numbers"), ExitUsage);
    auto proof = buildConsistencyProof(ws.store(), ws.nodeKey(), from, to);
    if (!proof)
        return fail(proof.errorString());
    out() << proof->text;
    return ExitOk;
}

/** Opens FILE for writing, or stdout for "-" or an empty path. */
struct Output
{
    QFile file;
    bool open(const QString &path, QString &error)
    {
        const bool ok =
            path.isEmpty() || path == "-"
                ? file.open(stdout, QIODevice::WriteOnly)
                : (file.setFileName(path), file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        if (!ok)
            error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return ok;
    }
};

int cmdApply(const Args &a, Workspace &ws)
{
    const QString path = a.words.value(1);
    if (path.isEmpty() || a.words.size() > 2)
        return fail(QStringLiteral("apply needs exactly one FILE.jsonl"), ExitUsage);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > (qint64(256) << 20))
        return fail(QStringLiteral("%1 is larger than 256 MiB; split it").arg(path));
    const QByteArray data = file.readAll();
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    auto written = model::applyJsonLines(ws, data);
    if (!written)
        return fail(QStringLiteral("%1: %2; nothing was written").arg(path, written.errorString()));
    out() << "applied " << written->size() << " commands as entries " << written->first().index
          << "-" << written->last().index << '\n';
    return ExitOk;
}

int cmdImport(const Args &a, Workspace &ws)
{
    if (a.words.value(1) != "assets" || a.words.size() != 3)
        return fail(QStringLiteral("usage: import assets FILE.csv"), ExitUsage);
    const QString path = a.words.value(2);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    model::ImportOptions options;
    const bool tty = isatty(STDERR_FILENO);
    if (tty)
        options.progress = [](qint64 done, qint64 total, const QString &what) {
            std::fprintf(stderr, "\r%s: %lld / %lld\033[K", qPrintable(what), (long long)done,
                         (long long)total);
        };
    auto report = model::importAssetsCsv(ws, file, options);
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!report)
        return fail(QStringLiteral("%1: %2").arg(path, report.errorString()));
    for (const QString &w : report->warnings)
        std::fprintf(stderr, "cartulary: warning: %s: %s\n", qPrintable(path), qPrintable(w));
    out() << "imported " << report->rows << " rows: " << report->registered << " registered, "
          << report->updated << " updated, " << report->unchanged << " unchanged";
    if (report->firstEntry >= 0)
        out() << " (entries " << report->firstEntry << "-" << report->lastEntry << ")";
    out() << '\n';
    return ExitOk;
}

/** Writes all or nothing: a file appears only complete (QSaveFile); "-" or empty is stdout. */
int writeOutput(const QString &path, const QByteArray &bytes)
{
    if (path.isEmpty() || path == "-") {
        out().flush();
        QFile f;
        if (!f.open(stdout, QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return fail(QStringLiteral("cannot write to standard output"));
        return ExitOk;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return ExitOk;
}

/** --depth N: generations up and down (default 3; "all" or -1 for every one). */
std::optional<int> depthOption(const Args &a, int fallback)
{
    const QString text = a.opts.value("--depth");
    if (text.isEmpty())
        return fallback;
    if (text == "all")
        return -1;
    bool ok = false;
    const int depth = text.toInt(&ok);
    if (!ok || depth < -1 || depth > 1000)
        return std::nullopt;
    return depth;
}

int cmdLineage(const Args &a, Workspace &ws)
{
    const QString asset = a.opts.value("--asset");
    const auto depth = depthOption(a, -1);
    if (asset.isEmpty() || a.words.size() != 1)
        return fail(QStringLiteral("usage: lineage --asset REF [--depth N] [--json]"), ExitUsage);
    if (!depth)
        return fail(QStringLiteral("--depth must be a whole number of generations or 'all'"),
                    ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    auto report = model::lineageReport(ws.store().database(), asset, *depth, QDate::currentDate());
    if (!report)
        return fail(report.errorString());
    if (a.flags.contains("--json"))
        out() << QJsonDocument(report.value()).toJson(QJsonDocument::Indented);
    else
        out() << model::lineageText(report.value());
    return ExitOk;
}

int cmdGraph(const Args &a, Workspace &ws)
{
    const QString usage = QStringLiteral("usage: graph --asset REF [--depth N] [--max-nodes N] "
                                         "--format dot|svg|pdf|png [--out FILE]");
    const auto depth = depthOption(a, 3);
    const auto format = model::graphFormatFromName(a.opts.value("--format"));
    bool ok = true;
    const int maxNodes = a.opts.value("--max-nodes", "500").toInt(&ok);
    if (!a.opts.contains("--asset") || a.words.size() != 1)
        return fail(usage, ExitUsage);
    if (!format)
        return fail(QStringLiteral("--format must be dot, svg, pdf or png"), ExitUsage);
    if (!depth)
        return fail(QStringLiteral("--depth must be a whole number of generations or 'all'"),
                    ExitUsage);
    if (!ok || maxNodes < 1 || maxNodes > 10000)
        return fail(QStringLiteral("--max-nodes must be between 1 and 10000"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    auto spec = model::lineageGraph(ws.store().database(), a.opts.value("--asset"),
                                    {*depth, maxNodes}, QDate::currentDate());
    if (!spec)
        return fail(spec.errorString());
    // Graphviz runs on its own thread, here as in the app.
    auto bytes = QtConcurrent::run(&model::graphvizPool(), [&spec, format] {
                     return model::renderGraph(spec.value(), *format);
                 }).result();
    if (!bytes)
        return fail(bytes.errorString());
    if (spec->omitted > 0)
        std::fprintf(stderr,
                     "cartulary: note: %d more assets of the lineage are not drawn (the nearest %d "
                     "are); raise --max-nodes or lower --depth\n",
                     spec->omitted, maxNodes);
    return writeOutput(a.opts.value("--out"), bytes.value());
}

int cmdLicences(const Args &a, Workspace &ws)
{
    if (a.words.size() != 1)
        return fail(QStringLiteral("usage: licences [--asset REF] [--json]"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    QList<model::LicenceRecord> list;
    if (a.opts.contains("--asset")) {
        const auto asset = model::Portfolio::asset(db, a.opts.value("--asset"));
        if (!asset)
            return fail(QStringLiteral("asset: %1 does not exist").arg(a.opts.value("--asset")));
        list = model::Lineage::licencesOn(db, asset->id);
    } else {
        auto st = db.prepare("SELECT id FROM licences ORDER BY entry_index");
        while (st.next())
            if (auto rec = model::Lineage::licence(db, st.text(0)))
                list.append(*rec);
    }
    for (const model::LicenceRecord &rec : list) {
        if (a.flags.contains("--json")) {
            QJsonObject o = rec.licence.toJson();
            o.insert("revoked",
                     rec.revoked.isValid() ? rec.revoked.toString(Qt::ISODate) : QString());
            o.insert("revoked_reason", rec.revokedReason);
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        } else {
            out() << rec.licence.reference << '\t' << rec.licence.title << '\t'
                  << rec.licence.licensor << " -> " << rec.licence.licensee << '\t'
                  << model::formatPpm(rec.licence.payment.royaltyPpm) << '\t'
                  << (rec.revoked.isValid()
                          ? QStringLiteral("revoked %1").arg(rec.revoked.toString(Qt::ISODate))
                          : QStringLiteral("granted %1")
                                .arg(rec.licence.granted.toString(Qt::ISODate)))
                  << '\n';
        }
    }
    return ExitOk;
}

int cmdExportLineage(const Args &a, Workspace &ws)
{
    const QString what = a.words.value(1);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    sql::Database &db = ws.store().database();
    if (what == "prov") {
        const auto depth = depthOption(a, -1);
        if (!a.opts.contains("--asset") || !depth)
            return fail(QStringLiteral("usage: export prov --asset REF [--depth N] [--out FILE]"),
                        ExitUsage);
        auto doc = model::lineageProv(db, a.opts.value("--asset"), *depth);
        if (!doc)
            return fail(doc.errorString());
        return writeOutput(a.opts.value("--out"),
                           QJsonDocument(doc.value()).toJson(QJsonDocument::Indented));
    }
    if (!a.opts.contains("--licence"))
        return fail(QStringLiteral("usage: export odrl --licence REF [--out FILE]"), ExitUsage);
    const auto rec = model::Lineage::licence(db, a.opts.value("--licence"));
    if (!rec)
        return fail(QStringLiteral("licence: %1 does not exist").arg(a.opts.value("--licence")));
    return writeOutput(
        a.opts.value("--out"),
        QJsonDocument(model::licenceToOdrl(rec->licence)).toJson(QJsonDocument::Indented));
}

int cmdExport(const Args &a, Workspace &ws)
{
    if (a.words.value(1) == "prov" || a.words.value(1) == "odrl")
        return cmdExportLineage(a, ws);
    if (a.words.value(1) != "assets" || a.words.size() != 2)
        return fail(QStringLiteral("usage: export assets --format csv|json [--out FILE]"),
                    ExitUsage);
    const QString format = a.opts.value("--format", "csv");
    if (format != "csv" && format != "json")
        return fail(QStringLiteral("--format must be csv or json"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    Output o;
    QString error;
    if (!o.open(a.opts.value("--out"), error))
        return fail(error);
    out().flush();
    const Status s = format == "csv" ? model::exportAssetsCsv(ws.store().database(), o.file)
                                     : model::exportAssetsJson(ws.store().database(), o.file);
    if (!s)
        return fail(s.errorString());
    return ExitOk;
}

int cmdDeadlines(const Args &a, Workspace &ws)
{
    bool ok = true;
    const int within = a.opts.value("--within", "90").toInt(&ok);
    if (!ok || within < 0 || within > 36500)
        return fail(QStringLiteral("--within must be a number of days (0 to 36500)"), ExitUsage);
    if (Status s = ws.open(); !s)
        return fail(s.errorString());
    const QDate today = QDate::currentDate();
    // From a year back: fees still payable in grace, and overdue ones, are listed too.
    const auto all = model::Portfolio::deadlines(ws.store().database(), today.addYears(-1),
                                                 today.addDays(within), today);
    QList<model::Deadline> listed;
    for (const auto &d : all) {
        if (d.done)
            continue;
        listed.append(d.deadline);
        out() << d.deadline.due.toString(Qt::ISODate) << '\t' << model::deadlineStateName(d.state)
              << '\t' << d.deadline.reference << '\t' << d.deadline.label << '\t'
              << (d.deadline.graceEnd != d.deadline.due
                      ? QStringLiteral("grace to ") + d.deadline.graceEnd.toString(Qt::ISODate)
                      : QString())
              << '\n';
    }
    if (a.opts.contains("--ics")) {
        QSaveFile ics(a.opts.value("--ics"));
        if (!ics.open(QIODevice::WriteOnly))
            return fail(
                QStringLiteral("cannot write %1: %2").arg(ics.fileName(), ics.errorString()));
        ics.write(model::toICalendar(listed, QDateTime::currentDateTimeUtc()));
        if (!ics.commit())
            return fail(
                QStringLiteral("cannot write %1: %2").arg(ics.fileName(), ics.errorString()));
    }
    return ExitOk;
}

int cmdRebuild(Workspace &ws)
{
    if (Status s = ws.rebuildProjection(); !s)
        return fail(s.errorString());
    out() << "rebuilt the read tables from " << ws.store().size() << " entries\n";
    return ExitOk;
}

int cmdDemo(const Args &a, Workspace &ws)
{
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    auto count = ws.store().database().prepare("SELECT COUNT(*) FROM assets");
    if (count.next() && count.int64(0) > 0)
        return fail(QStringLiteral("the portfolio already holds %1 assets; the demo loads only "
                                   "into an empty one (use another --data-dir)")
                        .arg(count.int64(0)));
    auto written =
        model::applyJsonLines(ws, model::demoCommands(QDate::currentDate(), ws.organisationName()));
    if (!written)
        return fail(QStringLiteral("demo: %1").arg(written.errorString()));
    auto assets = ws.store().database().prepare("SELECT COUNT(*) FROM assets");
    out() << "loaded the demo portfolio: " << (assets.next() ? assets.int64(0) : 0) << " assets in "
          << written->size() << " entries\n";
    return ExitOk;
}

} // namespace

bool isCommandLine(const QStringList &args)
{
    const Args a = parse(args);
    return !a.error.isEmpty() || !a.words.isEmpty() || a.flags.contains("--help") ||
           a.flags.contains("-h") || a.flags.contains("--version");
}

int runCommandLine(const QStringList &args)
{
    const Args a = parse(args);
    if (!a.error.isEmpty())
        return fail(a.error + QStringLiteral(" (see 'cartulary --help')"), ExitUsage);
    if (a.flags.contains("--help") || a.flags.contains("-h")) {
        out() << Usage;
        return ExitOk;
    }
    if (a.flags.contains("--version")) {
        out() << "cartulary " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    Workspace ws(a.dataDir.isEmpty() ? Workspace::defaultDataDir() : a.dataDir);
    const QString cmd = a.words.value(0);
    const QString sub = a.words.value(1);
    if (cmd == "init")
        return cmdInit(a, ws);
    if (cmd == "record")
        return cmdRecord(a, ws);
    if (cmd == "ledger") {
        if (sub == "log")
            return cmdLog(a, ws);
        if (sub == "verify")
            return cmdVerify(a, ws);
        if (sub == "checkpoint")
            return cmdCheckpoint(ws);
        if (sub == "prove")
            return cmdProve(a, ws);
        return fail(
            QStringLiteral("unknown ledger command '%1' (log, verify, checkpoint, prove)").arg(sub),
            ExitUsage);
    }
    if (cmd == "apply")
        return cmdApply(a, ws);
    if (cmd == "import")
        return cmdImport(a, ws);
    if (cmd == "export")
        return cmdExport(a, ws);
    if (cmd == "deadlines")
        return cmdDeadlines(a, ws);
    if (cmd == "lineage")
        return cmdLineage(a, ws);
    if (cmd == "graph")
        return cmdGraph(a, ws);
    if (cmd == "licences")
        return cmdLicences(a, ws);
    if (cmd == "rebuild")
        return cmdRebuild(ws);
    if (cmd == "demo")
        return cmdDemo(a, ws);
    return fail(QStringLiteral("unknown command '%1' (see 'cartulary --help')").arg(cmd),
                ExitUsage);
}

} // namespace cartulary::app
