// SPDX-License-Identifier: GPL-3.0-or-later
// Workspace, document recording and the projection: atomic commands, refusals,
// rebuild-equals-original.
#include "ledger/logstore.h"
#include "ledger/verifier.h"
#include "model/portfolio/documents.h"
#include "model/workspace/areas.h"
#include "model/workspace/commands.h"
#include "model/workspace/documentcommands.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"
#include "tests/testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

namespace {
const QByteArray Passphrase = "workspace passphrase";

/** Every row of the projection's tables, in a stable order, as text. */
QStringList dumpProjection(sql::Database &db)
{
    QStringList rows;
    auto st =
        db.prepare("SELECT hex(entry_hash), entry_index, sha256, name, size, note, recorded_ms, "
                   "hex(author) FROM documents ORDER BY entry_index");
    while (st.next()) {
        QStringList cols;
        for (int c = 0; c < 8; ++c)
            cols.append(st.text(c));
        rows.append(cols.join('|'));
    }
    return rows;
}
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString file(const QString &name, const QByteArray &content)
    {
        return testutil::writeFile(m_dir.path(), name, content);
    }

    std::unique_ptr<Workspace> created()
    {
        auto ws =
            std::make_unique<Workspace>(m_dir.filePath(QStringLiteral("ws%1").arg(++m_counter)));
        const Status s = ws->create("Org", Passphrase, ledger::KdfLimits::interactive());
        if (!s)
            qFatal("%s", qPrintable(s.errorString()));
        return ws;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createOpenUnlock()
    {
        auto ws = created();
        QVERIFY(ws->isUnlocked());
        QCOMPARE(ws->organisationName(), QStringLiteral("Org"));
        QCOMPARE(ws->store().latestCheckpoint()->size, 0u);
        const QString dir = ws->dataDir();
        ws.reset();

        Workspace reader(dir);
        QVERIFY(reader.hasIdentity());
        QVERIFY(reader.open().ok());
        QVERIFY(!reader.isUnlocked());
        auto locked = reader.append({ledger::Draft{"test.entry", "{}", 0}});
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().code, QStringLiteral("locked"));

        Workspace wrong(dir);
        const Status bad = wrong.unlock("not the passphrase");
        QCOMPARE(bad.error().code, QStringLiteral("wrong-passphrase"));
        QVERIFY(!wrong.isUnlocked());

        Workspace right(dir);
        QVERIFY(right.unlock(Passphrase).ok());
        QVERIFY(right.isUnlocked());
    }

    void createRefusesExistingData()
    {
        auto ws = created();
        Workspace again(ws->dataDir());
        const Status s = again.create("Other", Passphrase, ledger::KdfLimits::interactive());
        QCOMPARE(s.error().code, QStringLiteral("identity-exists"));

        // A ledger without its key file is not silently replaced by a new identity.
        const QString orphan = m_dir.filePath("orphan");
        QVERIFY(QDir().mkpath(orphan));
        QVERIFY(QFile::copy(ws->databasePath(), orphan + "/cartulary.db"));
        Workspace o(orphan);
        QCOMPARE(o.create("X", Passphrase, ledger::KdfLimits::interactive()).error().code,
                 QStringLiteral("ledger-exists"));
        QVERIFY(!QFile::exists(orphan + "/identity.key"));
    }

    void openWithoutIdentitySaysWhatToDo()
    {
        Workspace ws(m_dir.filePath("empty"));
        const Status s = ws.open();
        QCOMPARE(s.error().code, QStringLiteral("no-identity"));
        QVERIFY(s.errorString().contains("cartulary init"));
    }

    void hashFileStreamsAndReportsProgress()
    {
        const QByteArray content(3 * 1024 * 1024 + 17, 'z');
        const QString path = file("big.bin", content);
        quint64 last = 0;
        int calls = 0;
        auto d = hashFile(path, [&](quint64 done, quint64 total) {
            QVERIFY(done > last);
            QCOMPARE(total, quint64(content.size()));
            last = done;
            ++calls;
        });
        QVERIFY(d.ok());
        QCOMPARE(d->name, QStringLiteral("big.bin"));
        QCOMPARE(d->size, quint64(content.size()));
        QCOMPARE(ledger::toBytes(d->sha256),
                 QCryptographicHash::hash(content, QCryptographicHash::Sha256));
        QVERIFY(calls >= 4);
        QCOMPARE(last, quint64(content.size()));

        QCOMPARE(hashFile(m_dir.filePath("nope")).error().code, QStringLiteral("no-file"));
        QCOMPARE(hashFile(m_dir.path()).error().code, QStringLiteral("not-a-file"));
        std::atomic_bool cancel{true};
        QCOMPARE(hashFile(path, {}, &cancel).error().code, QStringLiteral("cancelled"));
    }

    void draftBodyIsCanonical()
    {
        // The expected bytes are written out here, not computed by the code under test: keys in
        // sorted order, no blanks, the digest in lower-case hex (SHA-256 of "x", from sha256sum).
        const QByteArray x = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        FileDigest d{"a.pdf", 12, ledger::sha256("x")};
        const ledger::Draft draft = documentDraft(d, "note");
        QCOMPARE(draft.kind, QByteArray("document.recorded"));
        QCOMPARE(draft.body,
                 "{\"name\":\"a.pdf\",\"note\":\"note\",\"sha256\":\"" + x + "\",\"size\":12}");
        // With an asset: "asset" sorts first. Text is UTF-8, quotes are escaped, sizes stay whole.
        FileDigest big{"Bericht \"Ü\".pdf", 4294967297, ledger::sha256("x")};
        QCOMPARE(documentDraft(big, "", "6f1c").body,
                 QByteArray("{\"asset\":\"6f1c\",\"name\":\"Bericht \\\"\xC3\x9C\\\".pdf\","
                            "\"note\":\"\",\"sha256\":\"") +
                     x + "\",\"size\":4294967297}");
    }

    void recordDocumentsIsAllOrNothing()
    {
        auto ws = created();
        const QString a = file("a.txt", "alpha");
        const QString b = file("b.txt", "beta");
        auto r = recordDocuments(*ws, {a, b}, "evidence");
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->size(), 2);
        QCOMPARE(r->at(0).entry.index, 0u);
        QCOMPARE(r->at(1).entry.index, 1u);
        QCOMPARE(dumpProjection(ws->store().database()).size(), 2);

        // One bad file: nothing at all is written.
        auto bad = recordDocuments(*ws, {a, m_dir.filePath("missing.txt")}, "");
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorString().contains("missing.txt"));
        QCOMPARE(ws->store().size(), 2u);
        QCOMPARE(dumpProjection(ws->store().database()).size(), 2);

        QCOMPARE(recordDocuments(*ws, {}, "").error().code, QStringLiteral("no-files"));
        QCOMPARE(recordDocuments(*ws, {a}, QString(5000, 'n')).error().code,
                 QStringLiteral("note-too-long"));
        QCOMPARE(ws->store().size(), 2u);

        const auto report = ledger::Verifier::run(ws->databasePath(), ws->nodeKey(), {});
        QVERIFY2(report.ok, qPrintable(report.summary()));
    }

    void everyKindAndCommandBelongsToOneArea()
    {
        // The entry kinds and command names written today, each registered by exactly one area.
        const QSet<QByteArray> expectedKinds{
            "document.recorded", "asset.registered", "asset.updated",       "asset.owners-set",
            "phase.event",       "phase.state",      "deadline.rule-added", "asset.assigned",
            "licence.granted",   "licence.revoked",  "derivation.recorded", "derivation.approved",
            "usage.imported",    "usage.matched",    "work.shares",         "royalty.approved",
            "work.settled"};
        const QSet<QString> expectedCommands{"register-asset",
                                             "update-asset",
                                             "set-owners",
                                             "add-phase-event",
                                             "set-phase-state",
                                             "add-deadline-rule",
                                             "assign",
                                             "grant-licence",
                                             "revoke-licence",
                                             "record-derivation",
                                             "approve-derivation"};
        QSet<QByteArray> kinds;
        QSet<QString> commands;
        QStringList areaNames;
        for (const Area &area : areas()) {
            areaNames.append(QString::fromLatin1(area.name));
            QVERIFY(area.createTables && area.dropTables);
            for (const EntryKind &k : area.entryKinds) {
                QVERIFY2(!kinds.contains(k.kind), k.kind);
                kinds.insert(k.kind);
                QVERIFY(k.apply);
                QVERIFY(entryApplier(k.kind) == k.apply);
            }
            for (const CommandName &c : area.commands) {
                QVERIFY2(!commands.contains(QLatin1String(c.name)), c.name);
                commands.insert(QString::fromLatin1(c.name));
                QVERIFY(commandCompile(QString::fromLatin1(c.name)) == c.compile);
            }
        }
        // Royalties has no `apply` commands: its entries are written by imports, matches and
        // approvals.
        QCOMPARE(areaNames, QStringList({"documents", "portfolio", "lineage", "royalties"}));
        QCOMPARE(kinds, expectedKinds);
        QCOMPARE(commands, expectedCommands);
        const QStringList names = commandNames();
        QCOMPARE(names.size(), expectedCommands.size());
        QCOMPARE(QSet<QString>(names.begin(), names.end()), expectedCommands);
        QVERIFY(!entryApplier("royalty.run-approved"));
        QVERIFY(!commandCompile("approve-run"));
    }

    void unknownKindsAreLoggedNotProjectedAndUnknownCommandsRefused()
    {
        auto ws = created();
        const QStringList before = dumpProjection(ws->store().database());
        // An entry a newer version writes: kept in the log and verified, not projected.
        auto written = ws->append({ledger::Draft{"royalty.run-approved", "{\"run\":1}", 0}});
        QVERIFY2(written.ok(), qPrintable(written.errorString()));
        QCOMPARE(ws->store().size(), 1u);
        QCOMPARE(dumpProjection(ws->store().database()), before);
        QVERIFY(ws->rebuildProjection().ok());
        QCOMPARE(dumpProjection(ws->store().database()), before);
        // A known kind with a body that is not JSON is refused: nothing is written.
        auto bad = ws->append({ledger::Draft{"document.recorded", "not json", 0}});
        QCOMPARE(bad.error().code, QStringLiteral("bad-body"));
        QCOMPARE(ws->store().size(), 1u);
        // A command no area compiles: refused, naming every command there is.
        CommandCompiler compiler(ws->store().database(), "Org");
        const auto unknown = compiler.compile(QJsonObject{{"command", "approve-run"}});
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.errorString().startsWith("command: unknown command 'approve-run'; use "),
                 qPrintable(unknown.errorString()));
        for (const QString &name : commandNames())
            QVERIFY2(unknown.errorString().contains(name), qPrintable(name));
        QCOMPARE(compiler.compile(QJsonObject{}).errorString(),
                 QStringLiteral("command: is required"));
    }

    void rebuildEqualsOriginal()
    {
        auto ws = created();
        for (int i = 0; i < 5; ++i)
            QVERIFY(recordDocuments(*ws,
                                    {file(QStringLiteral("f%1.txt").arg(i), QByteArray::number(i))},
                                    QStringLiteral("note %1").arg(i))
                        .ok());
        const QStringList before = dumpProjection(ws->store().database());
        QCOMPARE(before.size(), 5);
        std::pair<quint64, quint64> last{0, 0};
        ws->setRebuildProgress([&](quint64 done, quint64 total) { last = {done, total}; });
        QVERIFY(ws->rebuildProjection().ok());
        QCOMPARE(last, std::make_pair(quint64(5), quint64(5)));
        QCOMPARE(dumpProjection(ws->store().database()), before);

        // A projection of another version is rebuilt when the workspace opens.
        QVERIFY(ws->store()
                    .database()
                    .exec("UPDATE projection_state SET version = 0; "
                          "DELETE FROM documents")
                    .ok());
        const QString dir = ws->dataDir();
        ws.reset();
        Workspace reopened(dir);
        QVERIFY(reopened.open().ok());
        QCOMPARE(dumpProjection(reopened.store().database()), before);
    }

    /** Flips a bit near the end of entry idx's stored bytes (its signature), from outside. */
    static void damageSignature(const QString &databasePath, qint64 idx)
    {
        auto db = sql::Database::open(databasePath);
        QVERIFY(db.ok());
        auto read = db.value()->prepare("SELECT bytes FROM entries WHERE idx=?");
        read.bind(1, idx);
        QVERIFY(read.next());
        QByteArray bytes = read.blob(0);
        read = sql::Statement();
        bytes[bytes.size() - 2] = char(bytes[bytes.size() - 2] ^ 0x01);
        auto write = db.value()->prepare("UPDATE entries SET bytes=?, hash=? WHERE idx=?");
        write.bind(1, bytes).bind(2, ledger::toView(ledger::leafHash(bytes))).bind(3, idx);
        QVERIFY(write.exec().ok());
    }

    void rebuildVerifiesEachEntryAndStopsAtTheFirstBadOne()
    {
        auto ws = created();
        for (int i = 0; i < 3; ++i)
            QVERIFY(recordDocuments(*ws, {file(QStringLiteral("v%1.txt").arg(i), "v")}, "").ok());
        const QStringList before = dumpProjection(ws->store().database());
        damageSignature(ws->databasePath(), 1);
        const Status s = ws->rebuildProjection();
        QVERIFY(!s.ok());
        QVERIFY2(s.errorString().contains("entry 1 ") && s.errorString().contains("bad signature"),
                 qPrintable(s.errorString()));
        // Nothing changed: the read tables are those from before, not a partial rebuild.
        QCOMPARE(dumpProjection(ws->store().database()), before);
    }

    void rebuildCanBeCancelledAndRollsBack()
    {
        auto ws = created();
        QVERIFY(recordDocuments(*ws, {file("keep.txt", "keep")}, "").ok());
        // More than one chunk of the verifier (4096 entries), so that the cancel lands mid-way.
        QList<ledger::Draft> drafts;
        for (int i = 0; i < 5000; ++i)
            drafts.append({"test.entry", "{}", 0});
        ledger::BulkOptions bulk;
        bulk.batchSize = 2500;
        QVERIFY(ws->store().appendBulk(ws->identity(), drafts, bulk).ok());
        const QStringList before = dumpProjection(ws->store().database());
        QCOMPARE(before.size(), 1);

        std::atomic_bool cancel{false};
        QList<quint64> reports;
        ws->setRebuildProgress([&](quint64 done, quint64) {
            reports.append(done);
            cancel = true;
        });
        ws->setRebuildCancel(&cancel);
        const Status s = ws->rebuildProjection();
        QCOMPARE(s.error().code, QStringLiteral("cancelled"));
        QCOMPARE(reports, (QList<quint64>{4096}));
        QCOMPARE(dumpProjection(ws->store().database()), before);
        auto state = ws->store().database().prepare("SELECT version FROM projection_state");
        QVERIFY(state.next());
        QCOMPARE(state.int64(0), qint64(Projection::Version));
        state = sql::Statement();

        ws->setRebuildCancel(nullptr);
        ws->setRebuildProgress({});
        QVERIFY(ws->rebuildProjection().ok());
        QCOMPARE(dumpProjection(ws->store().database()), before);
    }

    void twoWorkspacesOnOneDataDirectory()
    {
        // The app keeps its workspace open while the command line writes to the same directory.
        auto app = created();
        Workspace cli(app->dataDir());
        QVERIFY(cli.unlock(Passphrase).ok());
        QVERIFY(recordDocuments(*app, {file("app1.txt", "1")}, "").ok());
        auto fromCli = recordDocuments(cli, {file("cli1.txt", "2"), file("cli2.txt", "3")}, "");
        QVERIFY2(fromCli.ok(), qPrintable(fromCli.errorString()));
        auto fromApp = recordDocuments(*app, {file("app2.txt", "4")}, "");
        QVERIFY2(fromApp.ok(), qPrintable(fromApp.errorString()));
        QCOMPARE(fromApp->first().entry.index, 3u);
        QCOMPARE(fromApp->first().entry.seq, 4u);
        QCOMPARE(app->store().size(), 4u);
        ledger::VerifyOptions options;
        options.checkpointFile = app->checkpointPath();
        const auto report = ledger::Verifier::run(app->databasePath(), app->nodeKey(), options);
        QVERIFY2(report.ok, qPrintable(report.summary()));
        QVERIFY(report.notes.isEmpty());
    }

    void restoredBackupOpensReadOnlyAndSaysWhy()
    {
        auto ws = created();
        QVERIFY(recordDocuments(*ws, {file("r1.txt", "r1")}, "").ok());
        const QString dir = ws->dataDir();
        const QString db = ws->databasePath();
        ws.reset();
        QVERIFY(QFile::copy(db, db + ".backup"));
        {
            Workspace later(dir);
            QVERIFY(later.unlock(Passphrase).ok());
            QVERIFY(recordDocuments(later, {file("r2.txt", "r2")}, "").ok());
        }
        // The backup comes back: a valid ledger, but older than the checkpoint the node signed.
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        QVERIFY(QFile::copy(db + ".backup", db));

        Workspace restored(dir);
        QVERIFY(restored.unlock(Passphrase).ok()); // reading still works
        QVERIFY(restored.store().writeRefusal().has_value());
        QVERIFY2(restored.store().writeRefusal()->message.contains(
                     "log truncated: checkpoint 2 signed, 1 entries present"),
                 qPrintable(restored.store().writeRefusal()->message));
        QCOMPARE(dumpProjection(restored.store().database()).size(), 1);
        auto refused = recordDocuments(restored, {file("r3.txt", "r3")}, "");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.errorString().contains("read-only") &&
                     refused.errorString().contains("log truncated"),
                 qPrintable(refused.errorString()));
        QCOMPARE(restored.store().size(), 1u);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
