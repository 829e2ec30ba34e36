// SPDX-License-Identifier: GPL-3.0-or-later
// The data directory's commands: init, apply, rebuild, demo.
#include "app/commandtable.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "ledger/checkpoint.h"
#include "model/io/demo.h"
#include "model/io/usageimport.h"
#include "model/portfolio/portfolio.h"
#include "model/workspace/commands.h"

#include <QDate>
#include <QFile>

#include <cstdio>

namespace cartulary::app {

using namespace cartulary::ledger;
using model::Workspace;

namespace {

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
    out() << "identity: " << printable(ws.organisationName()) << '\n'
          << "author key: " << toBytes(pk).toBase64() << '\n'
          << "fingerprint: " << fingerprint(pk) << '\n'
          << "verifier key: " << verifierKey(logOrigin(pk), pk) << '\n'
          << "data: " << printable(ws.dataDir()) << '\n';
    return ExitOk;
}

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

int cmdRebuild(Workspace &ws)
{
    if (Status s = ws.rebuildProjection(); !s)
        return fail(s.errorString());
    out() << "rebuilt the read tables from " << ws.store().size() << " entries\n";
    // Usage lines are not in the entries: they are read again from the kept reports.
    auto missing = model::loadUsageStore(ws);
    if (!missing)
        return fail(
            QStringLiteral("the read tables were rebuilt, but %1").arg(missing.errorString()));
    for (const QString &m : missing.value())
        std::fprintf(stderr,
                     "cartulary: warning: usage report %s; runs over its period are "
                     "refused until it is imported again\n",
                     qPrintable(printable(m)));
    return ExitOk;
}

int cmdDemo(const Args &a, Workspace &ws)
{
    if (Status s = unlockWorkspace(a, ws); !s)
        return fail(s.errorString());
    if (const qint64 held = model::Portfolio::assetCount(ws.store().database()); held > 0)
        return fail(QStringLiteral("the portfolio already holds %1 assets; the demo loads only "
                                   "into an empty one (use another --data-dir)")
                        .arg(held));
    auto written =
        model::applyJsonLines(ws, model::demoCommands(QDate::currentDate(), ws.organisationName()));
    if (!written)
        return fail(QStringLiteral("demo: %1").arg(written.errorString()));
    out() << "loaded the demo portfolio: " << model::Portfolio::assetCount(ws.store().database())
          << " assets in " << written->size() << " entries\n";
    return ExitOk;
}

} // namespace

void addWorkspaceCommands(CommandTable &table)
{
    table.addArea(
        QStringLiteral("the data directory"),
        {
            {.name = "init",
             .usage = {"--name NAME"},
             .summary = "create the identity (Ed25519 key) and an empty ledger",
             .help = "Creates the organisation's identity in the data directory: an Ed25519 key "
                     "sealed with the passphrase (Argon2id, XChaCha20-Poly1305) in identity.key, "
                     "and an empty ledger in cartulary.db. The passphrase is asked twice on a "
                     "terminal. Prints the author key, its fingerprint and the verifier key that "
                     "checks this node's checkpoints. A directory that already holds an identity "
                     "is left unchanged.",
             .examples = {"cartulary --data-dir ~/cartulary-trial init --name \"Meridian Biotech "
                          "GmbH\""},
             .options = {value("--name")},
             .run = cmdInit},
            {.name = "apply",
             .usage = {"FILE.jsonl"},
             .summary = "apply commands (model/COMMANDS.md), all or nothing",
             .help = "Reads one command per line (JSON, as documented with an example for each in "
                     "model/COMMANDS.md), checks every rule, and signs and applies them in one "
                     "transaction. The first refused line is named with its field and reason, and "
                     "then nothing is written. At most 256 MiB per file.",
             .examples = {"cartulary apply commands.jsonl"},
             .options = {},
             .run = cmdApply},
            {.name = "rebuild",
             .usage = {},
             .summary = "drop and rebuild the read tables from the ledger",
             .help = "Drops the projection (the tables the application reads) and applies every "
                     "entry of the ledger again. The result is the same tables: the ledger is the "
                     "source of truth.",
             .examples = {"cartulary rebuild"},
             .options = {},
             .run = [](const Args &, Workspace &ws) { return cmdRebuild(ws); }},
            {.name = "demo",
             .usage = {},
             .summary = "load the demo portfolio into an empty portfolio",
             .help = "Signs and applies the demo portfolio (about 250 assets of every type, "
                     "licences, derivations, deadlines due soon and overdue) as the identity of "
                     "the data directory. Refused when the portfolio already holds assets.",
             .examples = {"cartulary --data-dir /tmp/demo init --name \"Meridian Biotech GmbH\"",
                          "cartulary --data-dir /tmp/demo demo"},
             .options = {},
             .run = cmdDemo},
        });
}

} // namespace cartulary::app
