// SPDX-License-Identifier: GPL-3.0-or-later
// Royalties from the command line, end to end: works from CWR, usage from CSV and DSR, a run whose
// amounts were computed by hand, an explanation, a hand match, approval, statements checked with
// sha256sum and rendered with pdftoppm, and a rebuild that gives the same run.
#include "tests/app/clirunner.h"
#include "tests/royaltysamples.h"
#include "tests/testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cartulary::testutil::Run;

namespace {

constexpr auto Passphrase = "royalty passphrase of our own";

/** Usage of 2026-Q3: by ISRC (another notation), by reference, by title and creator, one that
 * matches nothing, and yen. */
constexpr auto Usage = "\xEF\xBB\xBFperiod,licensee,territory,work,title,creator,units,amount,"
                       "currency\r\n"
                       "2026-07,StreamCo,PT,ISRC:PT-XYZ-26-00001,Northern Lights,Ana Costa,1000,"
                       "100.00,EUR\r\n"
                       "2026-08,StreamCo,ES,SONG-2,,,500,50.01,EUR\r\n"
                       "2026-09,StreamCo,PT,,NORTHERN LIGHTS (remix),Kai,2000,200.00,EUR\r\n"
                       "2026-09,StreamCo,BR,,Saudade Nova,\"Silva, Maria\",300,30.00,EUR\r\n"
                       "2026-09,RadioJP,JP,SONG-2,,,10,1001,JPY\r\n";

QString amountOf(const QJsonObject &run, const QString &holder, const QString &currency = "EUR")
{
    for (const QJsonValue &v : run.value("holders").toArray())
        if (v["holder"].toString() == holder && v["currency"].toString() == currency)
            return v["amount"].toString();
    return {};
}

} // namespace

class TestRoyaltyCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;

    Run run(const QStringList &args, const QByteArray &passphrase = Passphrase)
    {
        return cartulary::testutil::runCartulary(args, passphrase, m_data, m_dir.filePath("xdg"));
    }
    QJsonObject json(const QStringList &args)
    {
        const Run r = run(args + QStringList{"--json"});
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }
    QString file(const QString &name, const QByteArray &content)
    {
        return cartulary::testutil::writeFile(m_dir.path(), name, content);
    }
    qint64 ledgerSize()
    {
        const Run r = run({"ledger", "log", "--json"}, {});
        return r.out.count('\n');
    }

    static void checkBalanced(const QJsonObject &run)
    {
        const QJsonObject currencies = run.value("currencies").toObject();
        QVERIFY(!currencies.isEmpty());
        for (auto it = currencies.begin(); it != currencies.end(); ++it) {
            const QJsonObject t = it.value().toObject();
            // Compared as integers of minor units: the strings have the currency's digits.
            const auto minor = [](const QString &s) { return QString(s).remove('.').toLongLong(); };
            QCOMPARE(minor(t["collected"].toString()),
                     minor(t["distributed"].toString()) + minor(t["held"].toString()) +
                         minor(t["unmatched"].toString()) + minor(t["fees"].toString()));
            qint64 holders = 0;
            for (const QJsonValue &h : run.value("holders").toArray())
                if (h["currency"].toString() == it.key())
                    holders += minor(h["amount"].toString());
            QCOMPARE(holders, minor(t["distributed"].toString()));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("cmo");
        const Run init = run({"init", "--name", "Sociedade Lusófona de Autores"});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        const Run apply =
            run({"apply", file("register.jsonl", cartulary::testutil::RoyaltyRegister)});
        QVERIFY2(apply.exitCode == 0, apply.err.constData());
    }

    void worksFromCwr()
    {
        const Run r = run(
            {"import", "works", QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("1 registered"), r.out.constData());
        // The same registration again updates; nothing is disputed (same sender).
        const QJsonObject again = json(
            {"import", "works", QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21"});
        QCOMPARE(again["registered"].toInt(), 0);
        QCOMPARE(again["updated"].toInt(), 1);
        QCOMPARE(again["disputed"].toInt(), 0);
        // A file with a bad record is refused whole, naming the line.
        QFile sample(QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21");
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = sample.readAll().split('\n');
        lines[3] = lines[3].left(40) + '\r';
        const qint64 before = ledgerSize();
        const Run bad = run({"import", "works", file("CW220002BAD_000.V21", lines.join('\n'))});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("line 4") && bad.err.contains("nothing was imported"),
                 bad.err.constData());
        QCOMPARE(ledgerSize(), before);
    }

    void badUsageWritesNothing()
    {
        const qint64 before = ledgerSize();
        const Run r = run({"import", "usage",
                           file("bad.csv", "period,licensee,territory,work,units,amount,currency\n"
                                           "2026-07,StreamCo,PT,SONG-2,1,1.00,EUR\n"
                                           "2026-07,StreamCo,PT,SONG-2,1,12.345,EUR\n")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("line 3") && r.err.contains("12.345"), r.err.constData());
        QCOMPARE(ledgerSize(), before);
    }

    void importRunExplainMatchApprove()
    {
        const QString usage = file("usage-2026-Q3.csv", Usage);
        const QJsonObject imported = json({"import", "usage", usage});
        QCOMPARE(imported["import"].toObject()["period"].toString(), QStringLiteral("2026-07"));
        QCOMPARE(imported["import"].toObject()["records"].toInteger(), 5);
        QCOMPARE(imported["import"].toObject()["totals"].toObject()["EUR"].toString(),
                 QStringLiteral("380.010000"));
        QCOMPARE(imported["matched"].toObject()["lines"].toInteger(), 4);
        QCOMPARE(imported["unmatched"].toObject()["lines"].toInteger(), 1);
        QCOMPARE(imported["unmatched"].toObject()["totals"].toObject()["EUR"].toString(),
                 QStringLiteral("30.000000"));
        // The same bytes again are refused.
        const Run twice = run({"import", "usage", usage});
        QCOMPARE(twice.exitCode, 1);
        QVERIFY2(twice.err.contains("imported before"), twice.err.constData());

        // Fee 10 %. EUR: SONG-1 100.00 → 90.00: Lumen 54.00, Ana 36.00. SONG-2 50.01 → 45.009 to
        // Rui. REMIX-1 200.00 → 180.00: 25 % (45.00) up to SONG-1 (Lumen 27.00, Ana 18.00), DJ Kai
        // 135.00. Exact: Ana 54, Kai 135, Lumen 81, Rui 45.009, fees 35.001, unmatched 30: the
        // left-over cent goes to Rui's remainder (.9) before the fees' (.1).
        QJsonObject q3 = json({"royalty", "run", "--period", "2026-Q3", "--fee-percent", "10"});
        checkBalanced(q3);
        QCOMPARE(q3["currencies"].toObject()["EUR"].toObject()["collected"].toString(),
                 QStringLiteral("380.01"));
        QCOMPARE(q3["currencies"].toObject()["EUR"].toObject()["unmatched"].toString(),
                 QStringLiteral("30.00"));
        QCOMPARE(q3["currencies"].toObject()["EUR"].toObject()["fees"].toString(),
                 QStringLiteral("35.00"));
        QCOMPARE(amountOf(q3, "Ana Costa"), QStringLiteral("54.00"));
        QCOMPARE(amountOf(q3, "DJ Kai"), QStringLiteral("135.00"));
        QCOMPARE(amountOf(q3, "Lumen Music"), QStringLiteral("81.00"));
        QCOMPARE(amountOf(q3, "Rui Lopes"), QStringLiteral("45.01"));
        // JPY has no minor unit: 1001 less 10 % is 900.9, paid 901.
        QCOMPARE(amountOf(q3, "Rui Lopes", "JPY"), QStringLiteral("901"));
        QCOMPARE(q3["currencies"].toObject()["JPY"].toObject()["fees"].toString(),
                 QStringLiteral("100"));

        // Lumen's explanation: from SONG-1 directly and through the remix licence.
        const QJsonObject why =
            json({"royalty", "explain", "--period", "2026-Q3", "--holder", "Lumen Music"});
        const QJsonArray lines = why["lines"].toArray();
        QCOMPARE(lines.size(), 2);
        QStringList ways;
        for (const QJsonValue &l : lines)
            ways << l["path"].toVariant().toStringList().join(" | ") + " = " +
                        l["amount"].toString();
        ways.sort();
        QVERIFY2(ways[0].contains("REMIX-1") && ways[0].contains("25.00 %") &&
                     ways[0].contains("LIC-R") && ways[0].contains("60.00 %") &&
                     ways[0].endsWith("27.00"),
                 qPrintable(ways.join("\n")));
        QVERIFY2(ways[1].contains("SONG-1") && ways[1].endsWith("54.00"),
                 qPrintable(ways.join("\n")));
        const Run text =
            run({"royalty", "explain", "--period", "2026-Q3", "--holder", "Lumen Music"});
        QVERIFY2(text.out.contains("→ 25.00 % to SONG-1") && text.out.contains("81.00 EUR"),
                 text.out.constData());
        QCOMPARE(run({"royalty", "explain", "--period", "2026-Q3", "--holder", "Nobody"}).exitCode,
                 1);

        // The unmatched line, matched by hand; the next run uses it.
        const Run unmatched = run({"royalty", "unmatched", "--period", "2026-Q3"});
        QVERIFY2(unmatched.out.contains("line 5") && unmatched.out.contains("Saudade Nova") &&
                     unmatched.out.contains("30.000000 EUR"),
                 unmatched.out.constData());
        const Run match =
            run({"royalty", "match", "--period", "2026-Q3", "--line", "5", "--work", "SONG-2"});
        QVERIFY2(match.exitCode == 0, match.err.constData());
        QVERIFY(run({"royalty", "unmatched", "--period", "2026-Q3"}).out.contains("no unmatched"));
        q3 = json({"royalty", "run", "--period", "2026-Q3", "--fee-percent", "10"});
        checkBalanced(q3);
        QCOMPARE(q3["currencies"].toObject()["EUR"].toObject()["unmatched"].toString(),
                 QStringLiteral("0.00"));
        QCOMPARE(amountOf(q3, "Rui Lopes"), QStringLiteral("72.01"));

        // Approve; the approved run cannot be approved again; statements match it.
        const Run approve = run({"royalty", "approve", "--period", "2026-Q3"});
        QVERIFY2(approve.exitCode == 0, approve.err.constData());
        const QByteArray signedSha = approve.out.split(' ').last().trimmed();
        QCOMPARE(signedSha.size(), 64);
        const Run again = run({"royalty", "approve", "--period", "2026-Q3"});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("approved"), again.err.constData());
        const QString out = m_dir.filePath("statements");
        const Run st = run({"royalty", "statements", "--period", "2026-Q3", "--out", out}, {});
        QVERIFY2(st.exitCode == 0, st.err.constData());
        QFile manifest(out + "/MANIFEST.sha256");
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray m = manifest.readAll();
        QCOMPARE(QCryptographicHash::hash(m, QCryptographicHash::Sha256).toHex(), signedSha);
        QProcess check;
        check.setWorkingDirectory(out);
        check.start("sha256sum", {"-c", "MANIFEST.sha256"});
        QVERIFY(check.waitForFinished());
        QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
        // Rui's EUR statement: lines sum to the run's amount.
        QFile rui(out + "/Rui-Lopes_EUR.csv");
        QVERIFY(rui.open(QIODevice::ReadOnly));
        qint64 cents = 0;
        QByteArray total;
        for (const QByteArray &line : rui.readAll().split('\n').mid(1)) {
            const QList<QByteArray> cols = line.split(',');
            if (cols.size() < 8)
                continue;
            if (cols[4] == "TOTAL")
                total = cols.last();
            else
                cents += QByteArray(cols.last()).replace('.', "").toLongLong();
        }
        QCOMPARE(total, QByteArray("72.01"));
        QCOMPARE(cents, 7201);
        // The PDF renders (poppler's pdftoppm), and its text says the total.
        const QString shots = qEnvironmentVariable("CARTULARY_SCREENSHOTS", m_dir.path());
        QDir().mkpath(shots);
        QProcess render;
        render.start("pdftoppm", {"-png", "-r", "60", "-singlefile", out + "/Rui-Lopes_EUR.pdf",
                                  shots + "/royalty-statement"});
        QVERIFY(render.waitForFinished(60000));
        QVERIFY2(render.exitCode() == 0, render.readAllStandardError().constData());
        QVERIFY(QFile::exists(shots + "/royalty-statement.png"));
        QProcess pdftext;
        pdftext.start("pdftotext", {out + "/Rui-Lopes_EUR.pdf", "-"});
        QVERIFY(pdftext.waitForFinished(60000));
        const QByteArray words = pdftext.readAllStandardOutput();
        QVERIFY2(words.contains("72.01 EUR") && words.contains("Rui Lopes"), words.constData());

        // A rebuild reads the usage again from the kept copy: the same run.
        const Run rebuild = run({"rebuild"});
        QVERIFY2(rebuild.exitCode == 0, rebuild.err.constData());
        const QJsonObject after =
            json({"royalty", "run", "--period", "2026-Q3", "--fee-percent", "10"});
        QCOMPARE(after["currencies"], q3["currencies"]);
        QCOMPARE(after["holders"], q3["holders"]);
        // The approval survives the rebuild: this run would correct it, with no difference.
        QVERIFY(after["corrects"].toInteger() > 0);
        QCOMPARE(after["differences"].toArray().size(), 0);
        // A correction shows what changes: a usage report arrives late for the same quarter.
        const Run late =
            run({"import", "usage",
                 file("late.csv", "period,licensee,territory,work,units,amount,"
                                  "currency\n2026-09,StreamCo,PT,SONG-2,10,10.00,EUR\n")});
        QVERIFY2(late.exitCode == 0, late.err.constData());
        const QJsonObject corrected =
            json({"royalty", "run", "--period", "2026-Q3", "--fee-percent", "10"});
        const QJsonArray differences = corrected["differences"].toArray();
        QCOMPARE(differences.size(), 1);
        QCOMPARE(differences[0].toObject()["holder"].toString(), QStringLiteral("Rui Lopes"));
        QCOMPARE(differences[0].toObject()["approved"].toString(), QStringLiteral("72.01"));
        QCOMPARE(differences[0].toObject()["now"].toString(), QStringLiteral("81.01"));
        const Run correction = run({"royalty", "approve", "--period", "2026-Q3"});
        QVERIFY2(correction.exitCode == 0, correction.err.constData());
    }

    void dsrReport()
    {
        const QString dsr = QStringLiteral(CARTULARY_TEST_DATA) +
                            "/dsr/DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_"
                            "20160121T150926.tsv";
        const QJsonObject imported = json({"import", "usage", dsr});
        QCOMPARE(imported["import"].toObject()["format"].toString(), QStringLiteral("dsr"));
        QCOMPARE(imported["import"].toObject()["period"].toString(), QStringLiteral("2015-Q4"));
        QVERIFY(imported["import"].toObject()["records"].toInteger() > 0);
        const QJsonObject run = json({"royalty", "run", "--period", "2015-Q4"});
        checkBalanced(run);
        // Nothing in it is ours: all of it is unmatched, none distributed.
        QCOMPARE(run["currencies"].toObject()["USD"].toObject()["unmatched"],
                 run["currencies"].toObject()["USD"].toObject()["collected"]);
    }

    void aChangedKeptCopyIsRefused()
    {
        // Someone edits a kept report: after a rebuild its lines are not trusted, and a run over
        // its period says which file and what to do.
        const QDir store(m_data + "/usage");
        const QStringList kept = store.entryList(QDir::Files);
        QVERIFY(!kept.isEmpty());
        QString dsrCopy;
        for (const QString &name : kept) {
            QFile f(store.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            if (f.readAll().startsWith("HEAD"))
                dsrCopy = store.filePath(name);
        }
        QVERIFY(!dsrCopy.isEmpty());
        QFile f(dsrCopy);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        bytes.replace("125.23", "925.23");
        QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        const Run rebuild = run({"rebuild"});
        QCOMPARE(rebuild.exitCode, 1);
        QVERIFY2(rebuild.err.contains("were rebuilt, but") &&
                     rebuild.err.contains("no longer has the SHA-256"),
                 rebuild.err.constData());
        const Run r = run({"royalty", "run", "--period", "2015-Q4"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no longer has the SHA-256") &&
                     r.err.contains(QFileInfo(dsrCopy).fileName().toUtf8()),
                 r.err.constData());
    }

    void rivalClaimIsDisputedThenSettled()
    {
        // Another sender registers the same ISWC: a dispute, not an overwrite.
        QFile sample(QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21");
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QByteArray rival = sample.readAll();
        QVERIFY(rival.contains("TEST PUBLISHER "));
        rival.replace("TEST PUBLISHER ", "RIVAL PUBLISHER"); // same width: the HDR stays valid
        const QJsonObject imported =
            json({"import", "works", file("CW220003RIV_000.V21", rival), "--json"});
        QCOMPARE(imported["disputed"].toInt(), 1);
        const QJsonObject open = json({"royalty", "disputes", "--json"});
        const QJsonArray disputes = open["disputes"].toArray();
        QVERIFY(!disputes.isEmpty());
        QCOMPARE(disputes.at(0)["kind"].toString(), QStringLiteral("claimant"));
        const QString work = disputes.at(0)["work"].toString();

        // Refused, nothing written: a source that registered nothing; no reason.
        const qint64 before = ledgerSize();
        const Run unknown =
            run({"royalty", "settle", "--work", work, "--keep", "NOBODY", "--reason", "agreement"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("NOBODY registered no shares"), unknown.err.constData());
        const Run noReason = run({"royalty", "settle", "--work", work, "--keep", "TEST PUBLISHER"});
        QVERIFY(noReason.exitCode != 0);
        QCOMPARE(ledgerSize(), before);

        // Settled: the first sender's shares stand, the rival's are withdrawn.
        const Run settled = run({"royalty", "settle", "--work", work, "--keep", "TEST PUBLISHER",
                                 "--reason", "registration of 2021-01-22 stands"});
        QVERIFY2(settled.exitCode == 0, settled.err.constData());
        QVERIFY2(settled.out.contains("RIVAL PUBLISHER withdrawn"), settled.out.constData());
        QCOMPARE(ledgerSize(), before + 1);
        const QJsonObject after = json({"royalty", "disputes", "--json"});
        QVERIFY(after["disputes"].toArray().isEmpty());
        const QJsonObject s = after["settled"].toArray().at(0).toObject();
        QCOMPARE(s["work"].toString(), work);
        QCOMPARE(s["withdrawn"].toArray().at(0).toString(), QStringLiteral("RIVAL PUBLISHER"));
        // Settling again: nothing is open.
        const Run again = run(
            {"royalty", "settle", "--work", work, "--keep", "TEST PUBLISHER", "--reason", "again"});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("no open dispute"), again.err.constData());
    }

    void helpNamesEveryRoyaltyCommand()
    {
        const Run r = run({"royalty", "--help"}, {});
        for (const char *c : {"run", "explain", "unmatched", "match", "disputes", "settle",
                              "approve", "statements"})
            QVERIFY2(r.out.contains(c), c);
    }
};

QTEST_GUILESS_MAIN(TestRoyaltyCli)
#include "tst_royaltycli.moc"
