// SPDX-License-Identifier: GPL-3.0-or-later
// The ledger's commands: log, verify, checkpoint, prove.
#include "app/commandtable.h"
#include "app/passphrase.h"
#include "app/terminal.h"

#include "ledger/checkpoint.h"
#include "ledger/proofs.h"
#include "ledger/sync/peerstore.h"
#include "ledger/verifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace cartulary::app {

using namespace cartulary::ledger;
using model::Workspace;

namespace {

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
        out() << "warning: " << printable(note) << '\n';
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
    // Cosignatures peers made over this checkpoint, as further signature lines of the note.
    sync::PeerStore peers(ws.store().database());
    if (Status s = peers.createTables(); !s)
        return fail(s.errorString());
    for (const sync::Cosignature &c : peers.cosignatures(cp->size))
        if (c.root == cp->root)
            out() << c.line << '\n';
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

} // namespace

void addLedgerCommands(CommandTable &table)
{
    table.addArea(
        QStringLiteral("the ledger"),
        {
            {.name = "ledger log",
             .usage = {"[--json]"},
             .summary = "list the entries (--json: one JSON object per line)",
             .help = "Lists every entry of the log in order, tab-separated: index, time (UTC), the "
                     "author's key fingerprint, the author's sequence number, kind and entry hash. "
                     "With --json, one JSON object per line with the author key, the kind, the "
                     "hash and the signed bytes (base64): SHA-256 of 0x00 and those bytes is the "
                     "Merkle leaf (ledger/FORMAT.md), so the log can be checked with your own "
                     "code.",
             .examples = {"cartulary ledger log", "cartulary ledger log --json > entries.jsonl"},
             .options = {flag("--json")},
             .run = cmdLog},
            {.name = "ledger verify",
             .usage = {"[--incremental]"},
             .summary = "verify signatures, chains, Merkle roots and checkpoints",
             .help = "Re-checks the ledger from its signed bytes: every Ed25519 signature, each "
                     "author's hash chain, and the Merkle log's root at every signed checkpoint. "
                     "--incremental checks only what was added since the last full verification "
                     "(the app's verification mark, signed by the node key; a mark that does not "
                     "check means a full verification). The log must not be shorter than, or "
                     "rolled back from, the checkpoint kept in checkpoint.txt (\"log truncated: "
                     "checkpoint N signed, M entries present\"). Prints \"ok: ...\" or fails "
                     "(exit 1) naming the first bad entry. An author who signed two entries with "
                     "the same seq is reported: that chain is frozen. Needs no passphrase.",
             .examples = {"cartulary ledger verify", "cartulary ledger verify --incremental"},
             .options = {flag("--incremental")},
             .run = cmdVerify},
            {.name = "ledger checkpoint",
             .usage = {},
             .summary = "print the latest signed checkpoint (C2SP tlog-checkpoint)",
             .help = "Prints the latest checkpoint this node signed over its Merkle log, as a C2SP "
                     "signed note: origin, tree size, root hash and an Ed25519 signature line, "
                     "followed by the cosignature lines (C2SP tlog-cosignature) that synced peers "
                     "made over it. Check it with the verifier key that 'init' printed.",
             .examples = {"cartulary ledger checkpoint > checkpoint.txt"},
             .options = {},
             .run = [](const Args &, Workspace &ws) { return cmdCheckpoint(ws); }},
            {.name = "ledger prove",
             .usage = {"--index N [--size M]", "--from OLD --to NEW"},
             .summary = "inclusion or consistency proof against a signed checkpoint",
             .help = "--index N: the inclusion proof (c2sp.org/tlog-proof@v1) of entry N in the "
                     "checkpoint signed at size M (default: the latest), followed by that signed "
                     "checkpoint.\n--from OLD --to NEW: the consistency proof (RFC 9162) that the "
                     "tree of size NEW extends the tree of size OLD, both sizes signed.\nProofs "
                     "use only checkpoints signed when the log had that size; a size never "
                     "signed is refused, naming the nearest signed sizes. Nothing is signed, so "
                     "no passphrase is needed.",
             .examples = {"cartulary ledger prove --index 0",
                          "cartulary ledger prove --from 1 --to 3"},
             .options = {value("--index"), value("--size"), value("--from"), value("--to")},
             .run = cmdProve},
        });
}

} // namespace cartulary::app
