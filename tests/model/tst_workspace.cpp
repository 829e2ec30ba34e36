// SPDX-License-Identifier: GPL-3.0-or-later
// Workspace, document recording and the projection: atomic commands, refusals,
// rebuild-equals-original.
#include "ledger/verifier.h"
#include "model/portfolio/documents.h"
#include "model/workspace/projection.h"
#include "model/workspace/workspace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
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
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
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
        FileDigest d{"a.pdf", 12, ledger::sha256("x")};
        const ledger::Draft draft = documentDraft(d, "note");
        QCOMPARE(draft.kind, QByteArray("document.recorded"));
        QCOMPARE(draft.body, QByteArray("{\"name\":\"a.pdf\",\"note\":\"note\",\"sha256\":\"") +
                                 ledger::toBytes(d.sha256).toHex() + "\",\"size\":12}");
        QCOMPARE(documentDraft(d, "note").body, draft.body);
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
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
