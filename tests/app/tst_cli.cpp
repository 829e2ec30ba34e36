// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line contract, checked from outside: outputs are re-verified with independent code
// (QCryptographicHash, libsodium directly, RFC 9162 written here), never with the app's own
// library.
#include "tests/app/clirunner.h"
#include "tests/testutil.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr auto Passphrase = "correct horse battery staple";

using cartulary::testutil::Run;

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

/**
 * What a terminal would act on, written here independently of the app: C0 controls (tab and
 * newline only where layout allows them), DEL, C1 controls (UTF-8 C2 80..9F) and the bidi
 * overrides and isolates (E2 80 AA..AE, E2 81 A6..A9).
 */
bool hasRawControl(const QByteArray &text, bool layout)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const uchar b = uchar(text[i]);
        const uchar next = i + 1 < text.size() ? uchar(text[i + 1]) : 0;
        const uchar third = i + 2 < text.size() ? uchar(text[i + 2]) : 0;
        if (b < 0x20 && !(layout && (b == '\n' || b == '\t')))
            return true;
        if (b == 0x7f || (b == 0xc2 && next >= 0x80 && next <= 0x9f))
            return true;
        if (b == 0xe2 && next == 0x80 && third >= 0xaa && third <= 0xae)
            return true;
        if (b == 0xe2 && next == 0x81 && third >= 0xa6 && third <= 0xa9)
            return true;
    }
    return false;
}

/** SHA-256 of every file directly in dir, by name. */
QMap<QString, QByteArray> fileDigests(const QString &dir)
{
    QMap<QString, QByteArray> out;
    for (const QString &name :
         QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        QFile f(QDir(dir).filePath(name));
        if (f.open(QIODevice::ReadOnly))
            out.insert(name, sha256(f.readAll()));
    }
    return out;
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
        return cartulary::testutil::runCartulary(
            args, passphrase, dataDir.isEmpty() ? m_data : dataDir, m_dir.filePath("xdg"));
    }

    QString file(const QString &name, const QByteArray &content)
    {
        return cartulary::testutil::writeFile(m_dir.path(), name, content);
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
        // The latest signed checkpoint is kept outside the database too.
        QFile outside(m_data + "/checkpoint.txt");
        QVERIFY(outside.open(QIODevice::ReadOnly));
        QVERIFY(openNote(outside.readAll(), m_vkey).signatureOk);
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
        // A proof for a past size uses the checkpoint signed when the log had that size.
        const Run past = run({"ledger", "prove", "--index", "0", "--size", "2"}, {});
        QVERIFY2(past.exitCode == 0, past.err.constData());
        const Checkpoint cp2 = openNote(past.out.mid(past.out.indexOf("\n\n") + 2), m_vkey);
        QVERIFY(cp2.signatureOk);
        QCOMPARE(cp2.size, 2u);
        QCOMPARE(
            cp2.root,
            nodeHash(
                leafHash(QByteArray::fromBase64(entries[0].value("bytes").toString().toLatin1())),
                leafHash(QByteArray::fromBase64(entries[1].value("bytes").toString().toLatin1()))));
        // No checkpoint was signed at size 1, and none is signed now, even with the passphrase.
        const Run unsignedSize = run({"ledger", "prove", "--index", "0", "--size", "1"});
        expectOneLineError(unsignedSize, "no checkpoint was signed at size 1");
        QVERIFY2(unsignedSize.err.contains("the nearest signed sizes are 0 and 2"),
                 unsignedSize.err.constData());
        const Run again = run({"ledger", "prove", "--index", "0", "--size", "1"});
        QCOMPARE(again.exitCode, 1);
    }

    void consistencyProofsVerifyIndependently()
    {
        // Between signed sizes only (0, 2 and 3 here).
        for (const auto &[from, to] : QList<std::pair<int, int>>{{2, 3}, {3, 3}, {2, 2}}) {
            const Run r = run(
                {"ledger", "prove", "--from", QString::number(from), "--to", QString::number(to)},
                {});
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
        const Run r = run({"ledger", "prove", "--from", "2", "--to", "3"}, {});
        const Checkpoint cp = openNote(run({"ledger", "checkpoint"}, {}).out, m_vkey);
        QVERIFY(r.out.contains("new 3 " + cp.root.toBase64()));
        const Run unsignedOld = run({"ledger", "prove", "--from", "1", "--to", "3"}, {});
        expectOneLineError(unsignedOld, "no checkpoint was signed at size 1");
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

    void passphrasePromptRestoresTheTerminal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("Ctrl+C") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
    }

    void passphrasePromptRestoresTheTerminal()
    {
        // A real pseudo-terminal: the app prompts with echo off, then is interrupted.
        QFETCH(int, signal);
        const int master = posix_openpt(O_RDWR | O_NOCTTY);
        QVERIFY(master >= 0);
        QVERIFY(grantpt(master) == 0 && unlockpt(master) == 0);
        const QByteArray tty = ptsname(master);
        // Held open here so the terminal, and its settings, outlive the app.
        const int slave = ::open(tty.constData(), O_RDWR | O_NOCTTY);
        QVERIFY(slave >= 0);
        termios modes{};
        QVERIFY(tcgetattr(slave, &modes) == 0);
        QVERIFY(modes.c_lflag & ECHO);

        // Everything the child needs is built before fork(): it only calls async-signal-safe code.
        QList<QByteArray> args{CARTULARY_BINARY, "--data-dir", m_data.toLocal8Bit(), "record",
                               file("pty.txt", "typed at a terminal").toLocal8Bit()};
        QList<QByteArray> env;
        for (const QString &var : QProcess::systemEnvironment())
            if (!var.startsWith("CARTULARY_PASSPHRASE="))
                env.append(var.toLocal8Bit());
        std::vector<char *> argv, envp;
        for (QByteArray &a : args)
            argv.push_back(a.data());
        for (QByteArray &e : env)
            envp.push_back(e.data());
        argv.push_back(nullptr);
        envp.push_back(nullptr);
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            setsid(); // a session of its own, with the pseudo-terminal as controlling terminal
            const int fd = ::open(tty.constData(), O_RDWR);
            ioctl(fd, TIOCSCTTY, 0);
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            execve(argv[0], argv.data(), envp.data());
            _exit(127);
        }

        const QDeadlineTimer deadline(120000);
        QByteArray screen;
        bool hidden = false;
        while (!hidden && !deadline.hasExpired()) {
            pollfd p{master, POLLIN, 0};
            if (poll(&p, 1, 50) > 0) {
                char buf[512];
                const ssize_t n = ::read(master, buf, sizeof buf);
                if (n > 0)
                    screen.append(buf, n);
            }
            hidden = screen.contains("Passphrase: ") && tcgetattr(slave, &modes) == 0 &&
                     !(modes.c_lflag & ECHO);
        }
        QVERIFY2(hidden, screen.constData());

        if (signal == SIGINT)
            QCOMPARE(::write(master, "\x03", 1), ssize_t(1)); // Ctrl+C, through the terminal
        else
            QCOMPARE(kill(pid, signal), 0);
        int status = 0;
        pid_t done = 0;
        while (done == 0 && !deadline.hasExpired()) {
            done = waitpid(pid, &status, WNOHANG);
            if (done == 0)
                usleep(20000);
        }
        if (done == 0)
            kill(pid, SIGKILL);
        QCOMPARE(done, pid);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == signal,
                 qPrintable(QString::number(status)));

        QVERIFY(tcgetattr(slave, &modes) == 0);
        QVERIFY(modes.c_lflag & ECHO);
        QProcess stty;
        stty.start("stty", {"-a", "-F", QString::fromLocal8Bit(tty)});
        QVERIFY(stty.waitForFinished(30000));
        const QString sttyModes = QString::fromLocal8Bit(stty.readAllStandardOutput());
        QVERIFY2(QRegularExpression("(^|\\s)echo(\\s|$)").match(sttyModes).hasMatch(),
                 qPrintable(sttyModes));
        ::close(slave);
        ::close(master);
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

    void everyCommandExplainsItself()
    {
        // Every command, listed here rather than read from the app, so a row lost from the table
        // is noticed.
        const QStringList commands{
            "init",       "apply",         "rebuild",           "demo",
            "ledger log", "ledger verify", "ledger checkpoint", "ledger prove",
            "record",     "import assets", "export assets",     "deadlines",
            "lineage",    "graph",         "licences",          "export prov",
            "export odrl"};
        const Run all = run({"--help"}, {});
        QCOMPARE(all.exitCode, 0);
        for (const QString &name : commands) {
            const QStringList words = name.split(u' ');
            QVERIFY2(all.out.contains("\n  " + name.toUtf8()), qPrintable(name));
            const Run help = run(words + QStringList{"--help"}, {});
            QVERIFY2(help.exitCode == 0, qPrintable(name));
            QVERIFY2(help.out.startsWith("usage: cartulary " + name.toUtf8()),
                     help.out.constData());
            // An example line that runs this very command.
            const qsizetype example = help.out.indexOf("\nexample");
            bool runsIt = false;
            for (const QByteArray &line : help.out.mid(example).split('\n'))
                runsIt = runsIt || (line.startsWith("  cartulary ") &&
                                    (line + ' ').contains(" " + name.toUtf8() + " "));
            QVERIFY2(example > 0 && runsIt, help.out.constData());
        }
        // `cartulary help COMMAND` and -h say the same.
        const QByteArray prove = run({"ledger", "prove", "--help"}, {}).out;
        QCOMPARE(run({"help", "ledger", "prove"}, {}).out, prove);
        QCOMPARE(run({"ledger", "prove", "-h"}, {}).out, prove);
        const Run group = run({"ledger", "--help"}, {});
        QCOMPARE(group.exitCode, 0);
        for (const char *sub : {"log", "verify", "checkpoint", "prove"})
            QVERIFY2(group.out.contains(QByteArray("\n  ") + sub + " "), group.out.constData());
        const Run version = run({"--version"}, {});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(QRegularExpression("^cartulary \\d+\\.\\d+\\.\\d+\n$")
                     .match(QString::fromUtf8(version.out))
                     .hasMatch(),
                 version.out.constData());
    }

    void unknownCommandsAndBadOptionsAreUsageErrors()
    {
        const QList<QStringList> wrong{{"frobnicate"},
                                       {"help", "frobnicate"},
                                       {"ledger"},
                                       {"ledger", "frob"},
                                       {"export", "frob"},
                                       {"import"},
                                       {"ledger", "log", "--bogus"},
                                       // Options of other commands: each command takes its own.
                                       {"ledger", "log", "--asset", "X"},
                                       {"ledger", "verify", "--json"},
                                       {"licences", "--incremental"},
                                       {"export", "assets", "--ics", "x.ics"},
                                       {"deadlines", "--out", "x.csv"},
                                       {"lineage", "--asset", "X", "--format", "svg"}};
        for (const QStringList &args : wrong) {
            const Run r = run(args, {});
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(u' ') + ": " + r.err));
            expectOneLineError(r, "");
        }
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

    void demoUnderAnyName()
    {
        // Its own data directory, an identity whose name is not the demo's (an accent, a space).
        const QString dir = m_dir.filePath("demo-any-name");
        const QString name = QStringLiteral("Équipe Recherche Nord");
        const Run init = run({"init", "--name", name}, Passphrase, dir);
        QVERIFY2(init.exitCode == 0, init.err.constData());
        const Run demo = run({"demo"}, Passphrase, dir);
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        QVERIFY(demo.out.contains("loaded the demo portfolio"));
        const Run verified = run({"ledger", "verify"}, {}, dir);
        QVERIFY2(verified.exitCode == 0 && verified.out.startsWith("ok: "),
                 verified.err.constData());

        // The organisation's assets and licences carry its name; third parties keep theirs.
        const Run report = run({"lineage", "--asset", "MBG-M003", "--json"}, {}, dir);
        QVERIFY2(report.exitCode == 0, report.err.constData());
        const QJsonObject r = QJsonDocument::fromJson(report.out).object();
        const QJsonArray owners = r.value("asset").toObject().value("owners").toArray();
        QCOMPARE(owners.size(), 1);
        QCOMPARE(owners.at(0).toObject().value("name").toString(), name);
        QCOMPARE(r.value("ancestors").toArray().size(), 6);
        QCOMPARE(r.value("edges").toArray().size(), 7);
        QCOMPARE(r.value("flags").toArray().size(), 2);
        QCOMPARE(r.value("royalty_stack").toObject().value("total").toString(),
                 QStringLiteral("7.50 %"));
        bool heidelberg = false;
        for (const QJsonValue &e : r.value("edges").toArray()) {
            const QJsonObject l = e.toObject().value("licence").toObject();
            if (l.value("reference").toString() == "LIC-2023-014") {
                QCOMPARE(l.value("licensee").toString(), name);
                QCOMPARE(l.value("licensor").toString(), QStringLiteral("Universität Heidelberg"));
                heidelberg = true;
            }
        }
        QVERIFY(heidelberg);

        // The demo's sublicence: granted under LIC-2024-003 by the organisation, its derivative
        // owes the head licence's share as well as the sublicence's; its PROV-JSON is valid.
        const Run sub = run({"lineage", "--asset", "HLX-M012", "--json"}, {}, dir);
        QVERIFY2(sub.exitCode == 0, sub.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(sub.out).object();
        const QJsonObject subEdge = s.value("edges").toArray().at(0).toObject();
        QCOMPARE(subEdge.value("licence").toObject().value("reference").toString(),
                 QStringLiteral("LIC-2025-014"));
        QCOMPARE(subEdge.value("licence").toObject().value("licensor").toString(), name);
        QCOMPARE(subEdge.value("licence").toObject().value("under").toString(),
                 QStringLiteral("LIC-2024-003"));
        QCOMPARE(subEdge.value("territory").toArray().at(0).toString(), QStringLiteral("US"));
        QCOMPARE(s.value("royalty_stack").toObject().value("total").toString(),
                 QStringLiteral("6.00 %"));
        const QString prov = m_dir.filePath("sublicence.prov.json");
        QCOMPARE(run({"export", "prov", "--asset", "HLX-M012", "--out", prov}, {}, dir).exitCode,
                 0);
        QProcess check;
        check.start(CARTULARY_PYTHON3, {CARTULARY_CHECK_PROV,
                                        CARTULARY_TEST_DATA "/prov/prov-json.schema.json", prov});
        QVERIFY(check.waitForFinished(60000));
        QVERIFY2(check.exitCode() == 0, check.readAllStandardOutput().constData());

        // A rebuild gives the same exports.
        const QByteArray assets = run({"export", "assets", "--format", "json"}, {}, dir).out;
        const QByteArray licences = run({"licences", "--json"}, {}, dir).out;
        QVERIFY(QJsonDocument::fromJson(assets).array().size() > 150);
        QCOMPARE(licences.count('\n'), 10);
        QVERIFY(licences.contains(name.toUtf8()));
        const Run rebuilt = run({"rebuild"}, Passphrase, dir);
        QVERIFY2(rebuilt.exitCode == 0, rebuilt.err.constData());
        QCOMPARE(run({"export", "assets", "--format", "json"}, {}, dir).out, assets);
        QCOMPARE(run({"licences", "--json"}, {}, dir).out, licences);
        QVERIFY(run({"ledger", "verify"}, {}, dir).out.startsWith("ok: "));
    }

    void outputFilesAreReplacedWhole()
    {
        // A second name for the earlier file: a write in place (truncate, then write) would show
        // through it; a complete new file renamed over the old one does not.
        const QString dir = m_dir.filePath("demo");
        const QString target = file("portfolio.csv", "an earlier export\n");
        const QString earlier = m_dir.filePath("portfolio-earlier.csv");
        QCOMPARE(
            ::link(QFile::encodeName(target).constData(), QFile::encodeName(earlier).constData()),
            0);
        const Run r = run({"export", "assets", "--format", "csv", "--out", target}, {}, dir);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile written(target);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QVERIFY(written.readAll().startsWith("reference,title,type,"));
        QFile kept(earlier);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("an earlier export\n"));
    }

    void outputsNeverOverwriteTheDataDirectory()
    {
        // The demo portfolio loaded by portfolioCommands().
        const QString dir = m_dir.filePath("demo");
        QCOMPARE(run({"ledger", "log"}, {}, dir).exitCode, 0); // the database settled
        const QMap<QString, QByteArray> before = fileDigests(dir);
        QVERIFY(before.contains("cartulary.db") && before.contains("identity.key"));

        // Into the data directory directly, through "..", through symbolic links to a file, to
        // the directory and to a file not there yet, and files it does not hold yet.
        QVERIFY(QFile::link(dir + "/cartulary.db", m_dir.filePath("db-link")));
        QVERIFY(QFile::link(dir + "/not-yet", m_dir.filePath("dangling-link")));
        QVERIFY(QFile::link(dir, m_dir.filePath("dir-link")));
        const QStringList paths{dir + "/cartulary.db",
                                dir + "/cartulary.db-wal",
                                dir + "/cartulary.db-shm",
                                dir + "/identity.key",
                                m_dir.filePath("org/../demo/./cartulary.db"),
                                m_dir.filePath("db-link"),
                                m_dir.filePath("dangling-link"),
                                m_dir.filePath("dir-link/identity.key"),
                                m_dir.filePath("dir-link/checkpoint.txt"),
                                m_dir.filePath("dir-link/nowhere/../checkpoint.txt")};
        for (const QString &path : paths) {
            const Run r = run({"export", "assets", "--format", "csv", "--out", path}, {}, dir);
            QVERIFY2(r.exitCode == 2, qPrintable(path + ": " + r.err));
            expectOneLineError(r, "data directory");
        }
        const QList<QStringList> writers{
            {"export", "assets", "--format", "json", "--out"},
            {"deadlines", "--ics"},
            {"graph", "--asset", "MBG-M003", "--format", "svg", "--out"},
            {"export", "prov", "--asset", "MBG-S003", "--out"},
            {"export", "odrl", "--licence", "LIC-2024-003", "--out"}};
        for (const QStringList &writer : writers)
            for (const QString &path : {dir + "/cartulary.db", m_dir.filePath("db-link")}) {
                const Run r = run(writer + QStringList{path}, {}, dir);
                QVERIFY2(r.exitCode == 2, qPrintable(writer.join(u' ') + ": " + r.err));
                expectOneLineError(r, "data directory");
            }
        const Run inlineValue =
            run({"export", "assets", "--out=" + dir + "/identity.key"}, {}, dir);
        expectOneLineError(inlineValue, "data directory");

        QCOMPARE(fileDigests(dir), before);
        QVERIFY(!QFile::exists(dir + "/not-yet"));
        QVERIFY(run({"ledger", "verify"}, {}, dir).out.startsWith("ok: "));
        // Outside the data directory, the same commands write.
        const QString outside = m_dir.filePath("outside.ics");
        QCOMPARE(run({"deadlines", "--ics", outside}, {}, dir).exitCode, 0);
        QVERIFY(QFile::exists(outside));
    }

    void userTextCannotDriveTheTerminal()
    {
        // Titles, references, names and licence terms with escape sequences, C1 controls, DEL and
        // bidi overrides (what the model accepts: assets refuse C0, licences nothing).
        const QString dir = m_dir.filePath("escapes");
        QVERIFY(run({"init", "--name", "Meridian Biotech GmbH"}, Passphrase, dir).exitCode == 0);
        const QString title =
            QString::fromUtf16(u"Mark \u007f \u202egnp.exe\u202c \u2066x\u2069 \u009b2J");
        const QString reference = QString::fromUtf16(u"TM-\u009b31m\u202e-2");
        const QString licenceTitle = QStringLiteral("Licence \x1b]0;owned\x07 \x1b[2J");
        const QString licensee = QString::fromUtf16(u"Bob \u202eevil\ttab\nline");
        QByteArray jsonl;
        for (const QJsonObject &command : {QJsonObject{{"command", "register-asset"},
                                                       {"reference", "ESC-1"},
                                                       {"title", title},
                                                       {"type", "trademark"},
                                                       {"jurisdiction", "EM"},
                                                       {"filing_date", "2016-11-30"}},
                                           QJsonObject{{"command", "register-asset"},
                                                       {"reference", reference},
                                                       {"title", "Plain"},
                                                       {"type", "trademark"},
                                                       {"jurisdiction", "EM"},
                                                       {"filing_date", "2016-11-30"}},
                                           QJsonObject{{"command", "grant-licence"},
                                                       {"reference", "LIC-\x1b[31mRED"},
                                                       {"title", licenceTitle},
                                                       {"asset", "ESC-1"},
                                                       {"licensee", licensee},
                                                       {"granted", "2024-01-01"}}})
            jsonl += QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n';
        const QString commands = file("escapes.jsonl", jsonl);
        const Run applied = run({"apply", commands}, Passphrase, dir);
        QVERIFY2(applied.exitCode == 0, applied.err.constData());

        const Run licences = run({"licences"}, {}, dir);
        QCOMPARE(licences.exitCode, 0);
        QVERIFY2(!hasRawControl(licences.out, true), licences.out.toHex(' ').constData());
        QVERIFY2(licences.out.contains(R"(Licence \x1b]0;owned\x07 \x1b[2J)"),
                 licences.out.constData());
        QVERIFY2(licences.out.contains(R"(Bob \u202eevil\x09tab\x0aline)"),
                 licences.out.constData());
        QCOMPARE(licences.out.count('\n'), 1); // one licence, one line
        QCOMPARE(licences.out.count('\t'), 4); // five fields

        // JSON stays exact: the escapes read back as the same text.
        for (const QStringList &args : {QStringList{"licences", "--json"},
                                        QStringList{"lineage", "--asset", "ESC-1", "--json"},
                                        QStringList{"export", "assets", "--format", "json"}}) {
            const Run json = run(args, {}, dir);
            QCOMPARE(json.exitCode, 0);
            QVERIFY2(!hasRawControl(json.out, true), qPrintable(args.join(u' ')));
            // licences --json prints one object per line; the others one document.
            const QByteArray document =
                args.first() == "licences" ? json.out.split('\n').first() : json.out;
            QVERIFY2(!QJsonDocument::fromJson(document).isNull(), json.out.constData());
        }
        const QJsonObject licence =
            QJsonDocument::fromJson(run({"licences", "--json"}, {}, dir).out.trimmed()).object();
        QCOMPARE(licence.value("title").toString(), licenceTitle);
        QCOMPARE(licence.value("licensee").toString(), licensee);
        const QJsonObject report =
            QJsonDocument::fromJson(run({"lineage", "--asset", "ESC-1", "--json"}, {}, dir).out)
                .object();
        QCOMPARE(report.value("asset").toObject().value("title").toString(), title);

        const Run lineage = run({"lineage", "--asset", "ESC-1"}, {}, dir);
        QCOMPARE(lineage.exitCode, 0);
        QVERIFY2(!hasRawControl(lineage.out, true), lineage.out.constData());
        QVERIFY2(lineage.out.contains(R"(Mark \x7f \u202egnp.exe\u202c \u2066x\u2069 \x9b2J)"),
                 lineage.out.constData());

        const Run deadlines = run({"deadlines", "--within", "36500"}, {}, dir);
        QCOMPARE(deadlines.exitCode, 0);
        QVERIFY2(!hasRawControl(deadlines.out, true), deadlines.out.constData());
        QVERIFY2(deadlines.out.contains(R"(TM-\x9b31m\u202e-2)"), deadlines.out.constData());

        // What the user typed comes back in errors, on one line and escaped.
        const Run unknown = run({"lineage", "--asset", "NOPE\x1b[2J\nX"}, {}, dir);
        expectOneLineError(unknown, R"(NOPE\x1b[2J\x0aX)");
        QVERIFY(!hasRawControl(unknown.err, true));

        // A file name is user text too.
        const Run recorded = run({"record", file("evil\x1b[2J.txt", "evil")}, Passphrase, dir);
        QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
        QVERIFY2(!hasRawControl(recorded.out, true), recorded.out.constData());
        QVERIFY2(recorded.out.contains(R"(evil\x1b[2J.txt)"), recorded.out.constData());
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
        // Rebuilding the read tables verifies each entry first and stops at the bad one.
        const Run rebuilt = run({"rebuild"}, Passphrase, copy);
        expectOneLineError(rebuilt, "entry 1 ");
        QVERIFY(rebuilt.err.contains("bad signature"));
    }

    void missingCheckpointFileIsWrittenAfterChecking()
    {
        // An existing ledger without checkpoint.txt: the first run after an upgrade (or someone
        // deleted it; the two cannot be told apart without peers).
        const QString dir = m_dir.filePath("upgraded");
        QVERIFY(QDir().mkpath(dir));
        for (const char *f : {"identity.key", "cartulary.db"})
            QVERIFY(QFile::copy(m_data + "/" + QLatin1String(f), dir + "/" + QLatin1String(f)));
        const Run before = run({"ledger", "verify"}, {}, dir);
        QCOMPARE(before.exitCode, 0);
        QVERIFY2(before.out.contains("warning: no checkpoint is kept outside the database yet"),
                 before.out.constData());
        const Run record = run({"record", file("upgraded.txt", "u")}, Passphrase, dir);
        QVERIFY2(record.exitCode == 0, record.err.constData());
        QVERIFY2(record.err.startsWith("cartulary: note: ") && record.err.contains("was missing"),
                 record.err.constData());
        QFile outside(dir + "/checkpoint.txt");
        QVERIFY(outside.open(QIODevice::ReadOnly));
        const Checkpoint cp = openNote(outside.readAll(), m_vkey);
        QVERIFY(cp.signatureOk);
        QCOMPARE(cp.root, openNote(run({"ledger", "checkpoint"}, {}, dir).out, m_vkey).root);
        const Run after = run({"ledger", "verify"}, {}, dir);
        QCOMPARE(after.exitCode, 0);
        QVERIFY(!after.out.contains("warning"));
    }

    void restoredBackupIsCaught()
    {
        // A database replaced by an older copy of itself is a valid ledger on its own; the
        // checkpoint kept outside it says the node signed more.
        const QString dir = m_dir.filePath("rollback");
        const QString db = dir + "/cartulary.db";
        const QString backup = m_dir.filePath("rollback-backup.db");
        QCOMPARE(run({"init", "--name", "Rollback Ltd"}, Passphrase, dir).exitCode, 0);
        QCOMPARE(run({"record", file("rb1.txt", "1")}, Passphrase, dir).exitCode, 0);
        QVERIFY(QFile::copy(db, backup));
        QCOMPARE(run({"record", file("rb2.txt", "2")}, Passphrase, dir).exitCode, 0);
        QCOMPARE(run({"record", file("rb3.txt", "3")}, Passphrase, dir).exitCode, 0);
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        QVERIFY(QFile::copy(backup, db));

        expectOneLineError(run({"ledger", "verify"}, {}, dir),
                           "log truncated: checkpoint 3 signed, 1 entries present");
        expectOneLineError(run({"ledger", "verify", "--incremental"}, {}, dir), "log truncated");
        const Run record = run({"record", file("rb4.txt", "4")}, Passphrase, dir);
        expectOneLineError(record, "log truncated: checkpoint 3 signed, 1 entries present");
        QVERIFY(record.err.contains("read-only"));
        // Reading and proving still work on what is there.
        QCOMPARE(run({"ledger", "log"}, {}, dir).exitCode, 0);
        QCOMPARE(run({"ledger", "prove", "--index", "0"}, {}, dir).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
