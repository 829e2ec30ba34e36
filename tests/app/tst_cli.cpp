// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line contract, checked from outside: outputs are re-verified with independent code
// (QCryptographicHash, libsodium directly, RFC 9162 written here), never with the app's own
// library.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

namespace {

constexpr auto Passphrase = "correct horse battery staple";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray leafHash(const QByteArray &entry)
{
    return sha256(QByteArray(1, '\0') + entry);
}

QByteArray nodeHash(const QByteArray &l, const QByteArray &r)
{
    return sha256(QByteArray(1, '\1') + l + r);
}

/** RFC 9162 section 2.1.3.2, written independently of the app. */
QByteArray rootFromInclusion(quint64 index, quint64 size, QByteArray hash,
                             const QList<QByteArray> &proof)
{
    if (index >= size)
        return {};
    quint64 fn = index;
    quint64 sn = size - 1;
    for (const QByteArray &p : proof) {
        if (p.size() != 32 || sn == 0)
            return {};
        if ((fn & 1) || fn == sn) {
            hash = nodeHash(p, hash);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            hash = nodeHash(hash, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 ? hash : QByteArray();
}

/** RFC 9162 section 2.1.4.2, written independently of the app. */
bool verifyConsistency(quint64 size1, quint64 size2, QList<QByteArray> proof,
                       const QByteArray &root1, const QByteArray &root2)
{
    if (size1 == 0 || size1 > size2)
        return false;
    if (size1 == size2)
        return proof.isEmpty() && root1 == root2;
    if ((size1 & (size1 - 1)) == 0)
        proof.prepend(root1);
    if (proof.isEmpty())
        return false;
    quint64 fn = size1 - 1;
    quint64 sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    QByteArray fr = proof[0];
    QByteArray sr = proof[0];
    for (qsizetype i = 1; i < proof.size(); ++i) {
        const QByteArray &c = proof[i];
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            fr = nodeHash(c, fr);
            sr = nodeHash(c, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            sr = nodeHash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == root1 && sr == root2;
}

/** A parsed, signature-checked checkpoint note (C2SP signed-note, Ed25519). */
struct Checkpoint
{
    QString origin;
    quint64 size = 0;
    QByteArray root;
    bool signatureOk = false;
};

Checkpoint openNote(const QByteArray &note, const QString &vkey)
{
    Checkpoint c;
    // The base64 key may itself contain '+': only the first two separate fields.
    const QStringList parts{vkey.section('+', 0, 0), vkey.section('+', 1, 1), vkey.section('+', 2)};
    const QByteArray keyField = QByteArray::fromBase64(parts.value(2).toLatin1());
    if (parts.size() != 3 || keyField.size() != 33 || keyField[0] != 1)
        return c;
    const QByteArray pk = keyField.mid(1);
    const qsizetype split = note.indexOf("\n\n");
    const QByteArray text = note.left(split + 1);
    const QList<QByteArray> lines = text.split('\n');
    c.origin = QString::fromUtf8(lines.value(0));
    c.size = lines.value(1).toULongLong();
    c.root = QByteArray::fromBase64(lines.value(2));
    const QByteArray sigLine = note.mid(split + 2).split('\n').value(0);
    const QByteArray prefix = QByteArray("\xE2\x80\x94 ") + parts[0].toUtf8() + ' ';
    if (!sigLine.startsWith(prefix))
        return c;
    const QByteArray blob = QByteArray::fromBase64(sigLine.mid(prefix.size()));
    const QByteArray keyId = sha256(parts[0].toUtf8() + '\n' + char(1) + pk).left(4);
    c.signatureOk =
        blob.size() == 68 && blob.left(4) == keyId &&
        crypto_sign_verify_detached(reinterpret_cast<const unsigned char *>(blob.constData() + 4),
                                    reinterpret_cast<const unsigned char *>(text.constData()),
                                    std::size_t(text.size()),
                                    reinterpret_cast<const unsigned char *>(pk.constData())) == 0;
    return c;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_data;
    QString m_vkey;

    Run run(const QStringList &args, const QByteArray &passphrase = Passphrase,
            const QString &dataDir = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("CARTULARY_PASSPHRASE");
        if (!passphrase.isNull())
            env.insert("CARTULARY_PASSPHRASE", QString::fromUtf8(passphrase));
        env.insert("XDG_DATA_HOME", m_dir.filePath("xdg"));
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(CARTULARY_BINARY,
                QStringList{"--data-dir", dataDir.isEmpty() ? m_data : dataDir} + args);
        if (!p.waitForFinished(120000))
            qFatal("cartulary did not finish");
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

    QString file(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
    }

    QList<QJsonObject> log()
    {
        const Run r = run({"ledger", "log", "--json"}, {});
        if (r.exitCode != 0)
            qFatal("log failed: %s", r.err.constData());
        QList<QJsonObject> out;
        for (const QByteArray &line : r.out.split('\n'))
            if (!line.isEmpty())
                out.append(QJsonDocument::fromJson(line).object());
        return out;
    }

    static void expectOneLineError(const Run &r, const char *needle)
    {
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.startsWith("cartulary: "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(needle), r.err.constData());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("org");
    }

    void initCreatesIdentity()
    {
        const Run r = run({"init", "--name", "Meridian Biotech GmbH"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("identity: Meridian Biotech GmbH"));
        const QByteArray keyLine = r.out.split('\n').value(1);
        QVERIFY(keyLine.startsWith("author key: "));
        QCOMPARE(QByteArray::fromBase64(keyLine.mid(12)).size(), 32);
        for (const QByteArray &line : r.out.split('\n'))
            if (line.startsWith("verifier key: "))
                m_vkey = QString::fromUtf8(line.mid(14));
        QVERIFY(!m_vkey.isEmpty());
        QVERIFY(QFile::exists(m_data + "/identity.key"));
        QVERIFY(QFile::exists(m_data + "/cartulary.db"));
        // The key file holds no secret in clear: it is JSON with a sealed seed.
        QFile key(m_data + "/identity.key");
        QVERIFY(key.open(QIODevice::ReadOnly));
        QVERIFY(key.readAll().contains("sealedSeed"));
        QCOMPARE(key.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    void emptyLedgerHasASignedCheckpoint()
    {
        const Run r = run({"ledger", "checkpoint"}, {});
        QCOMPARE(r.exitCode, 0);
        const Checkpoint cp = openNote(r.out, m_vkey);
        QVERIFY(cp.signatureOk);
        QCOMPARE(cp.size, 0u);
        QCOMPARE(cp.root, sha256({}));
    }

    void initTwiceIsRefused()
    {
        const Run r = run({"init", "--name", "Someone Else"});
        expectOneLineError(r, "already holds an identity");
    }

    void recordAppendsProofOfExistence()
    {
        const QString a = file("disclosure.pdf", "invention disclosure 2026-114");
        const QString b = file("notebook.txt", QByteArray(300000, 'x'));
        const Run r = run({"record", a, b, "--note", "lab notebook"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].contains(sha256("invention disclosure 2026-114").toHex()));
        QVERIFY(lines[0].contains("as entry 0"));
        QVERIFY(lines[1].contains("as entry 1"));

        const Run again = run({"record", a});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains("as entry 2"));
    }

    void logJsonBytesAreTheMerkleLeaves()
    {
        const QList<QJsonObject> entries = log();
        QCOMPARE(entries.size(), 3);
        for (int i = 0; i < entries.size(); ++i) {
            const QJsonObject &e = entries[i];
            QCOMPARE(e.value("index").toInt(), i);
            QCOMPARE(e.value("kind").toString(), QStringLiteral("document.recorded"));
            QCOMPARE(e.value("seq").toInt(), i + 1);
            const QByteArray bytes = QByteArray::fromBase64(e.value("bytes").toString().toLatin1());
            QCOMPARE(QString::fromLatin1(leafHash(bytes).toHex()), e.value("hash").toString());
            // The signature is the last 64 bytes and covers everything before it.
            const QByteArray author =
                QByteArray::fromBase64(e.value("author").toString().toLatin1());
            QCOMPARE(
                crypto_sign_verify_detached(
                    reinterpret_cast<const unsigned char *>(bytes.constData() + bytes.size() - 64),
                    reinterpret_cast<const unsigned char *>(bytes.constData()),
                    std::size_t(bytes.size() - 64),
                    reinterpret_cast<const unsigned char *>(author.constData())),
                0);
            QVERIFY(bytes.contains("\"sha256\":\""));
            QVERIFY(!e.value("time").toString().isEmpty());
        }
        const Run plain = run({"ledger", "log"}, {});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(plain.out.count('\n'), 3);
    }

    void checkpointIsSignedOverTheRoot()
    {
        const Run r = run({"ledger", "checkpoint"}, {});
        QCOMPARE(r.exitCode, 0);
        const Checkpoint cp = openNote(r.out, m_vkey);
        QVERIFY(cp.signatureOk);
        QCOMPARE(cp.size, 3u);
        QCOMPARE(cp.origin, m_vkey.section('+', 0, 0));
        const QList<QJsonObject> entries = log();
        QList<QByteArray> leaves;
        for (const auto &e : entries)
            leaves.append(leafHash(QByteArray::fromBase64(e.value("bytes").toString().toLatin1())));
        QCOMPARE(cp.root, nodeHash(nodeHash(leaves[0], leaves[1]), leaves[2]));

        // A modified note no longer verifies.
        QByteArray forged = r.out;
        forged.replace("\n3\n", "\n4\n");
        QVERIFY(!openNote(forged, m_vkey).signatureOk);
    }

    void inclusionProofsVerifyIndependently()
    {
        const QList<QJsonObject> entries = log();
        for (int index = 0; index < entries.size(); ++index) {
            const Run r = run({"ledger", "prove", "--index", QString::number(index)}, {});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(r.out.startsWith("c2sp.org/tlog-proof@v1\nindex " + QByteArray::number(index) +
                                     "\n"));
            const qsizetype blank = r.out.indexOf("\n\n");
            QList<QByteArray> proof;
            for (const QByteArray &line : r.out.left(blank).split('\n').mid(2))
                proof.append(QByteArray::fromBase64(line));
            const Checkpoint cp = openNote(r.out.mid(blank + 2), m_vkey);
            QVERIFY(cp.signatureOk);
            const QByteArray leaf = leafHash(
                QByteArray::fromBase64(entries[index].value("bytes").toString().toLatin1()));
            QCOMPARE(rootFromInclusion(quint64(index), cp.size, leaf, proof), cp.root);
            // A mutated proof fails.
            if (!proof.isEmpty()) {
                proof[0][0] = char(proof[0][0] ^ 1);
                QVERIFY(rootFromInclusion(quint64(index), cp.size, leaf, proof) != cp.root);
            }
        }
        // A proof for a past size, with a checkpoint signed on demand.
        const Run past = run({"ledger", "prove", "--index", "0", "--size", "1"});
        QVERIFY2(past.exitCode == 0, past.err.constData());
        const Checkpoint cp1 = openNote(past.out.mid(past.out.indexOf("\n\n") + 2), m_vkey);
        QVERIFY(cp1.signatureOk);
        QCOMPARE(cp1.size, 1u);
        QCOMPARE(cp1.root,
                 leafHash(QByteArray::fromBase64(entries[0].value("bytes").toString().toLatin1())));
    }

    void consistencyProofsVerifyIndependently()
    {
        for (const auto &[from, to] : QList<std::pair<int, int>>{{1, 3}, {2, 3}, {3, 3}, {1, 2}}) {
            const Run r = run(
                {"ledger", "prove", "--from", QString::number(from), "--to", QString::number(to)});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QList<QByteArray> lines = r.out.trimmed().split('\n');
            QCOMPARE(lines[0], QByteArray("cartulary/consistency-proof@v1"));
            const QList<QByteArray> oldLine = lines[1].split(' ');
            const QList<QByteArray> newLine = lines[2].split(' ');
            QCOMPARE(oldLine[0], QByteArray("old"));
            QCOMPARE(oldLine[1].toInt(), from);
            QCOMPARE(newLine[1].toInt(), to);
            QList<QByteArray> proof;
            for (const QByteArray &l : lines.mid(3))
                proof.append(QByteArray::fromBase64(l));
            const QByteArray root1 = QByteArray::fromBase64(oldLine[2]);
            const QByteArray root2 = QByteArray::fromBase64(newLine[2]);
            QVERIFY(verifyConsistency(quint64(from), quint64(to), proof, root1, root2));
            if (!proof.isEmpty()) {
                proof.last()[5] = char(proof.last()[5] ^ 0x10);
                QVERIFY(!verifyConsistency(quint64(from), quint64(to), proof, root1, root2));
            }
        }
        // The new root is the signed checkpoint's root.
        const Run r = run({"ledger", "prove", "--from", "1", "--to", "3"}, {});
        const Checkpoint cp = openNote(run({"ledger", "checkpoint"}, {}).out, m_vkey);
        QVERIFY(r.out.contains("new 3 " + cp.root.toBase64()));
    }

    void verifyReportsOk()
    {
        const Run r = run({"ledger", "verify"}, {});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith("ok: 3 entries"));
        const Run inc = run({"ledger", "verify", "--incremental"}, {});
        QCOMPARE(inc.exitCode, 0);
        QVERIFY(inc.out.contains("incremental"));
    }

    void wrongPassphraseWritesNothing()
    {
        const QString a = file("late.txt", "late");
        const QByteArray before = run({"ledger", "log", "--json"}, {}).out;
        const Run r = run({"record", a}, "not the passphrase");
        expectOneLineError(r, "wrong passphrase");
        QCOMPARE(run({"ledger", "log", "--json"}, {}).out, before);
    }

    void missingPassphraseIsExplained()
    {
        const Run r = run({"record", file("x.txt", "x")}, QByteArray());
        expectOneLineError(r, "CARTULARY_PASSPHRASE");
    }

    void passphraseFileWorks()
    {
        const QString pass = file("pass.txt", QByteArray(Passphrase) + "\n");
        const Run r = run({"--passphrase-file", pass, "record", file("y.txt", "y")}, QByteArray());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("as entry 3"));
    }

    void recordIsAllOrNothing()
    {
        const QByteArray before = run({"ledger", "log", "--json"}, {}).out;
        const Run r = run({"record", file("ok.txt", "ok"), m_dir.filePath("missing.bin")});
        expectOneLineError(r, "missing.bin");
        QVERIFY(r.err.contains("nothing was recorded"));
        QCOMPARE(run({"ledger", "log", "--json"}, {}).out, before);
    }

    void usageErrors()
    {
        const Run unknown = run({"frobnicate"}, {});
        QCOMPARE(unknown.exitCode, 2);
        expectOneLineError(unknown, "unknown command");
        QCOMPARE(run({"ledger", "prove"}, {}).exitCode, 2);
        QCOMPARE(run({"ledger", "prove", "--index", "abc"}, {}).exitCode, 2);
        QCOMPARE(run({"record"}, {}).exitCode, 2);
        QCOMPARE(run({"init"}, {}).exitCode, 2);
        QCOMPARE(run({"ledger", "log", "--bogus"}, {}).exitCode, 2);
        expectOneLineError(run({"ledger", "prove", "--index", "99"}, {}), "not in a tree");
        expectOneLineError(run({"ledger", "prove", "--from", "3", "--to", "2"}, {}),
                           "0 < OLD <= NEW");
        expectOneLineError(run({"ledger", "log"}, {}, m_dir.filePath("nowhere")), "no identity");
        const Run help = run({"--help"}, {});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("ledger prove"));
    }

    void portfolioCommands()
    {
        const QString dir = m_dir.filePath("portfolio");
        QVERIFY(run({"init", "--name", "Meridian Biotech GmbH"}, Passphrase, dir).exitCode == 0);

        // apply: all or nothing, the error names the line and the field.
        const QString bad =
            file("bad.jsonl", "{\"command\":\"register-asset\",\"reference\":\"P-1\",\"title\":"
                              "\"Polymerase\",\"type\":\"patent\",\"jurisdiction\":\"EP\","
                              "\"filing_date\":\"2021-03-15\"}\n"
                              "{\"command\":\"register-asset\",\"reference\":\"P-2\",\"title\":"
                              "\"Assay\",\"type\":\"patent\",\"owners\":\"A:5000;B:4000\"}\n");
        const Run refused = run({"apply", bad}, Passphrase, dir);
        expectOneLineError(refused, "line 2");
        QVERIFY(refused.err.contains("owners"));
        QVERIFY(refused.err.contains("nothing was written"));
        QCOMPARE(run({"ledger", "log"}, {}, dir).out, QByteArray());

        const QString good =
            file("good.jsonl", "{\"command\":\"register-asset\",\"reference\":\"P-1\",\"title\":"
                               "\"Polymerase\",\"type\":\"patent\",\"jurisdiction\":\"EP\","
                               "\"filing_date\":\"2021-03-15\",\"status\":\"pending\"}\n"
                               "{\"command\":\"add-phase-event\",\"asset\":\"P-1\",\"event\":"
                               "\"filed\",\"date\":\"2021-03-15\"}\n");
        const Run applied = run({"apply", good}, Passphrase, dir);
        QVERIFY2(applied.exitCode == 0, applied.err.constData());
        QVERIFY(applied.out.contains("applied 2 commands"));

        // Documents recorded for an asset; an unknown asset is refused.
        const QString claims = file("claims.txt", "1. A thermostable polymerase ...");
        const Run recorded = run({"record", claims, "--asset", "P-1"}, Passphrase, dir);
        QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
        expectOneLineError(run({"record", claims, "--asset", "P-404"}, Passphrase, dir), "P-404");

        // import: a docketing export, then the same file again changes nothing.
        const QString csv =
            file("assets.csv", "\xEF\xBB\xBFreference,title,type,jurisdiction,filing_date,owners\n"
                               "TM-1,MERIDIAN,trademark,EM,2016-11-30,\n"
                               "C-1,\"Song: \"\"Helix Dreams\"\"\",copyright,DE,2023-07-22,"
                               "Meridian Biotech GmbH:5000;Lind Music:5000\n");
        const Run imported = run({"import", "assets", csv}, Passphrase, dir);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY(imported.out.contains("2 registered"));
        QVERIFY(run({"import", "assets", csv}, Passphrase, dir).out.contains("2 unchanged"));
        const QString broken =
            file("broken.csv", "reference,title,type\nX-1,\"open quote,patent\n");
        expectOneLineError(run({"import", "assets", broken}, Passphrase, dir), "line 2");

        // export: CSV in the import format, and JSON with stable ids.
        const Run exported = run({"export", "assets", "--format", "csv"}, {}, dir);
        QCOMPARE(exported.exitCode, 0);
        QVERIFY(exported.out.startsWith("reference,title,type,jurisdiction,"));
        QCOMPARE(exported.out.count('\n'), 4);
        const QString round = file("round.csv", exported.out);
        QVERIFY(run({"import", "assets", round}, Passphrase, dir).out.contains("3 unchanged"));
        const Run json = run({"export", "assets", "--format", "json"}, {}, dir);
        const QJsonArray list = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(list.size(), 3);
        QVERIFY(!list.first().toObject().value("id").toString().isEmpty());
        QCOMPARE(run({"export", "assets", "--format", "xml"}, {}, dir).exitCode, 2);

        // deadlines: the trademark's 10-year renewal is due on 2026-11-30; iCalendar export.
        const QString ics = m_dir.filePath("deadlines.ics");
        const Run deadlines = run({"deadlines", "--within", "36500", "--ics", ics}, {}, dir);
        QVERIFY2(deadlines.exitCode == 0, deadlines.err.constData());
        QVERIFY(deadlines.out.contains("TM-1"));
        QVERIFY(deadlines.out.contains("P-1"));
        QFile calendar(ics);
        QVERIFY(calendar.open(QIODevice::ReadOnly));
        const QByteArray cal = calendar.readAll();
        QVERIFY(cal.startsWith("BEGIN:VCALENDAR\r\n"));
        QVERIFY(cal.trimmed().endsWith("END:VCALENDAR"));
        QCOMPARE(cal.count("BEGIN:VEVENT"), cal.count("END:VEVENT"));
        QVERIFY(cal.count("BEGIN:VEVENT") >= 2);

        // rebuild: the read tables come out identical.
        const QByteArray before = run({"export", "assets", "--format", "json"}, {}, dir).out;
        const Run rebuilt = run({"rebuild"}, Passphrase, dir);
        QVERIFY2(rebuilt.exitCode == 0, rebuilt.err.constData());
        QCOMPARE(run({"export", "assets", "--format", "json"}, {}, dir).out, before);
        QVERIFY(run({"ledger", "verify"}, {}, dir).out.startsWith("ok: "));

        // demo: only into an empty portfolio.
        expectOneLineError(run({"demo"}, Passphrase, dir), "already holds");
        const QString demoDir = m_dir.filePath("demo");
        QVERIFY(run({"init", "--name", "Meridian Biotech GmbH"}, Passphrase, demoDir).exitCode ==
                0);
        const Run demo = run({"demo"}, Passphrase, demoDir);
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        QVERIFY(demo.out.contains("loaded the demo portfolio"));
    }

    /** The events of an .ics file as python3-icalendar reads them, one JSON object each. */
    QList<QJsonObject> calendarEvents(const QString &ics)
    {
        QProcess check;
        check.start(CARTULARY_PYTHON3, {CARTULARY_CHECK_ICS, ics});
        if (!check.waitForFinished(60000) || check.exitCode() != 0) {
            qWarning("%s", check.readAllStandardError().constData());
            return {};
        }
        QList<QJsonObject> events;
        for (const QByteArray &line : check.readAllStandardOutput().split('\n'))
            if (!line.isEmpty())
                events.append(QJsonDocument::fromJson(line).object());
        return events;
    }

    void deadlinesCalendar()
    {
        const QString dir = m_dir.filePath("calendar");
        QVERIFY(run({"init", "--name", "Meridian Biotech GmbH"}, Passphrase, dir).exitCode == 0);
        // An EP application whose third-year fee was missed long ago (rights lost, later fees
        // blocked) and an EU trade mark renewal, in a calendar a calendar program reads.
        const QString assets = file(
            "calendar.jsonl",
            "{\"command\":\"register-asset\",\"reference\":\"P-1\",\"title\":\"Polymerase\","
            "\"type\":\"patent\",\"jurisdiction\":\"EP\",\"filing_date\":\"2021-03-15\"}\n"
            "{\"command\":\"register-asset\",\"reference\":\"TM-1\",\"title\":\"MERIDIAN\","
            "\"type\":\"trademark\",\"jurisdiction\":\"EM\",\"filing_date\":\"2016-11-30\"}\n");
        QVERIFY(run({"apply", assets}, Passphrase, dir).exitCode == 0);
        const QString ics = m_dir.filePath("calendar.ics");
        const Run listed = run({"deadlines", "--within", "3650", "--ics", ics}, {}, dir);
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        QVERIFY2(listed.out.contains("\trights lost\tP-1\tEP renewal fee, year 3"),
                 listed.out.constData());
        QVERIFY(listed.out.contains("\tblocked\tP-1\tEP renewal fee, year 4"));

        QList<QJsonObject> events = calendarEvents(ics);
        QVERIFY(!events.isEmpty());
        QHash<QString, QJsonObject> byUid;
        for (const QJsonObject &e : events)
            byUid.insert(e.value("uid").toString(), e);
        QString year3;
        for (const QString &uid : byUid.keys())
            if (uid.endsWith("/EP/ep-renewal-3/3@cartulary"))
                year3 = uid;
        QVERIFY2(!year3.isEmpty(), qPrintable(byUid.keys().join(", ")));
        const QString grace = year3.chopped(10) + "/grace-end@cartulary";
        // The due date and the grace end — the real last day — are events of their own.
        QCOMPARE(byUid.value(year3).value("start").toString(), QStringLiteral("2023-03-31"));
        QCOMPARE(byUid.value(grace).value("start").toString(), QStringLiteral("2023-09-30"));
        QCOMPARE(byUid.value(grace).value("alarms").toArray(), (QJsonArray{-14, 0}));
        QCOMPARE(byUid.value(year3).value("alarms").toArray(), QJsonArray{-14});
        // Lapsed items are marked, with their remedy.
        QVERIFY(byUid.value(year3).value("summary").toString().startsWith("RIGHTS LOST"));
        QVERIFY(byUid.value(year3).value("categories").toArray().contains("rights lost"));
        QVERIFY(byUid.value(year3).value("description").toString().contains("Art. 122 EPC"));
        const QString year4 = year3.section(u'/', 0, 0) + "/EP/ep-renewal/4@cartulary";
        QVERIFY2(byUid.value(year4).value("summary").toString().startsWith("Blocked"),
                 qPrintable(year4));
        for (const QJsonObject &e : events)
            QCOMPARE(e.value("sequence").toInt(-1), 0);

        // The filing date corrected: the events whose date moved get SEQUENCE 1, under the same
        // UID; a second export gives the same numbers.
        const QString fix = file("fix.jsonl", "{\"command\":\"update-asset\",\"asset\":\"P-1\","
                                              "\"filing_date\":\"2021-04-15\"}\n");
        QVERIFY(run({"apply", fix}, Passphrase, dir).exitCode == 0);
        for (int pass = 0; pass < 2; ++pass) {
            QVERIFY(run({"deadlines", "--within", "3650", "--ics", ics}, {}, dir).exitCode == 0);
            byUid.clear();
            for (const QJsonObject &e : calendarEvents(ics))
                byUid.insert(e.value("uid").toString(), e);
            QCOMPARE(byUid.value(year3).value("start").toString(), QStringLiteral("2023-04-30"));
            QCOMPARE(byUid.value(year3).value("sequence").toInt(), 1);
            QCOMPARE(byUid.value(grace).value("sequence").toInt(), 1);
            for (const QJsonObject &e : byUid)
                if (e.value("summary").toString().contains("TM-1"))
                    QCOMPARE(e.value("sequence").toInt(), 0);
        }
    }

    void lineageCommands()
    {
        // The demo portfolio loaded by portfolioCommands().
        const QString dir = m_dir.filePath("demo");
        const Run report = run({"lineage", "--asset", "MBG-M003", "--json"}, {}, dir);
        QVERIFY2(report.exitCode == 0, report.err.constData());
        const QJsonObject r = QJsonDocument::fromJson(report.out).object();
        QCOMPARE(r.value("asset").toObject().value("reference").toString(),
                 QStringLiteral("MBG-M003"));
        QCOMPARE(r.value("ancestors").toArray().size(), 6);
        QCOMPARE(r.value("descendants").toArray().size(), 1);
        QCOMPARE(r.value("edges").toArray().size(), 7);
        QCOMPARE(r.value("flags").toArray().size(), 2);
        QCOMPARE(r.value("royalty_stack").toObject().value("total").toString(),
                 QStringLiteral("7.50 %"));
        const Run text = run({"lineage", "--asset", "MBG-S003"}, {}, dir);
        QVERIFY(text.out.contains("Royalty stack: 15.50 %"));
        QVERIFY(text.out.contains("LIC-2024-011"));
        expectOneLineError(run({"lineage", "--asset", "NOPE"}, {}, dir), "NOPE does not exist");
        QCOMPARE(run({"lineage"}, {}, dir).exitCode, 2);
        QCOMPARE(run({"lineage", "--asset", "MBG-M003", "--depth", "x"}, {}, dir).exitCode, 2);

        // PROV-JSON, checked against the W3C schema and for dangling references.
        const QString prov = m_dir.filePath("lineage.prov.json");
        const Run exported = run({"export", "prov", "--asset", "MBG-S003", "--out", prov}, {}, dir);
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QProcess check;
        check.start(CARTULARY_PYTHON3, {CARTULARY_CHECK_PROV,
                                        CARTULARY_TEST_DATA "/prov/prov-json.schema.json", prov});
        QVERIFY(check.waitForFinished(60000));
        QVERIFY2(check.exitCode() == 0, check.readAllStandardOutput().constData());
        QFile provFile(prov);
        QVERIFY(provFile.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(provFile.readAll()).object();
        QCOMPARE(doc.value("entity").toObject().size(), 8); // S003 and its 7 ancestors
        QCOMPARE(doc.value("wasDerivedFrom").toObject().size(), 7);
        QVERIFY(doc.contains("wasAttributedTo") && doc.contains("agent"));

        // The graph: DOT that Graphviz's own dot accepts, and its renderings.
        const QString dotFile = m_dir.filePath("lineage.dot");
        const Run dot =
            run({"graph", "--asset", "MBG-M003", "--format", "dot", "--out", dotFile}, {}, dir);
        QVERIFY2(dot.exitCode == 0, dot.err.constData());
        QProcess canon;
        canon.start("dot", {"-Tcanon", dotFile});
        QVERIFY(canon.waitForFinished(60000));
        QVERIFY2(canon.exitCode() == 0, canon.readAllStandardError().constData());
        const QByteArray canonical = canon.readAllStandardOutput();
        QCOMPARE(canonical.count("->"), 7);
        QVERIFY(canonical.contains("LIC-2024-011"));
        // Legal status reaches the export: warnings marked, the lapsed patent's border dashed.
        QVERIFY(canonical.contains("MBG-M003  ⚠2"));
        QVERIFY(canonical.contains("rounded,filled,dashed"));
        const QList<std::pair<const char *, QByteArray>> magic{
            {"svg", "<?xml"}, {"pdf", "%PDF-"}, {"png", "\x89PNG"}};
        for (const auto &[format, prefix] : magic) {
            const QString out = m_dir.filePath(QStringLiteral("lineage.") + format);
            const Run r = run(
                {"graph", "--asset", "MBG-M003", "--depth", "2", "--format", format, "--out", out},
                {}, dir);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(f.read(5).startsWith(prefix), format);
        }
        const Run capped =
            run({"graph", "--asset", "MBG-M003", "--max-nodes", "3", "--format", "dot"}, {}, dir);
        QVERIFY(capped.err.contains("5 more assets"));
        QCOMPARE(run({"graph", "--asset", "MBG-M003", "--format", "jpg"}, {}, dir).exitCode, 2);
        const QString never = m_dir.filePath("never.svg");
        expectOneLineError(
            run({"graph", "--asset", "NOPE", "--format", "svg", "--out", never}, {}, dir),
            "NOPE does not exist");
        QVERIFY(!QFile::exists(never));

        // ODRL.
        const Run odrl = run({"export", "odrl", "--licence", "LIC-2024-003"}, {}, dir);
        QVERIFY2(odrl.exitCode == 0, odrl.err.constData());
        QCOMPARE(QJsonDocument::fromJson(odrl.out).object().value("@type").toString(),
                 QStringLiteral("Agreement"));
        expectOneLineError(run({"export", "odrl", "--licence", "LIC-0"}, {}, dir),
                           "LIC-0 does not exist");

        // A refused derivation names the rule and the assets, and writes nothing.
        const qsizetype before = run({"ledger", "log", "--json"}, {}, dir).out.count('\n');
        const QString cycle = file(
            "cycle.jsonl",
            R"({"command":"record-derivation","child":"MBG-DS001","parent":"MBG-S003","kind":"improvement","date":"2026-11-01"})"
            "\n");
        const Run refused = run({"apply", cycle}, Passphrase, dir);
        expectOneLineError(refused, "line 1");
        QVERIFY2(refused.err.contains("MBG-S003") && refused.err.contains("MBG-DS001") &&
                     refused.err.contains("cycle"),
                 refused.err.constData());
        QCOMPARE(run({"ledger", "log", "--json"}, {}, dir).out.count('\n'), before);
        const Run licences = run({"licences", "--asset", "MBG-C003"}, {}, dir);
        QVERIFY(licences.out.contains("LIC-2024-022"));
    }

    void guiWithoutDisplayExplainsAndExits()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(var));
        p.setProcessEnvironment(env);
        p.start(CARTULARY_BINARY, {"--data-dir", m_data});
        QVERIFY2(p.waitForFinished(30000), "the GUI hung without a display");
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("no display"), err.constData());
        QVERIFY(err.contains("xvfb-run -a"));
    }

    void tamperingIsReportedByVerify()
    {
        // Copy the data directory and flip one byte of a stored entry's body with sqlite3.
        const QString copy = m_dir.filePath("tampered");
        QVERIFY(QDir().mkpath(copy));
        for (const char *f : {"identity.key", "cartulary.db"})
            QVERIFY(QFile::copy(m_data + "/" + QLatin1String(f), copy + "/" + QLatin1String(f)));
        QProcess sqlite;
        sqlite.start("sqlite3", {copy + "/cartulary.db",
                                 "UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), "
                                 "'lab notebook', 'lab notebooK') AS BLOB) WHERE idx = 1;"});
        QVERIFY(sqlite.waitForFinished());
        QCOMPARE(sqlite.exitCode(), 0);
        const Run r = run({"ledger", "verify"}, {}, copy);
        QCOMPARE(r.exitCode, 1);
        expectOneLineError(r, "entry 1 ");
        QVERIFY(r.err.contains("bad signature"));
        QVERIFY(r.err.contains("seq 2"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
