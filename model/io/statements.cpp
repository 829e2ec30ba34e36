// SPDX-License-Identifier: GPL-3.0-or-later
// Statements: CSV lines from a holder's explanation, a PDF laid out by QTextDocument.
#include "model/io/statements.h"

#include "model/core/money.h"
#include "model/io/csv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace cartulary::model {

namespace {

/** A file name from a holder's name: letters and digits kept, the rest '-'. */
QString fileStem(const QString &holder, const QString &currency)
{
    QString out;
    for (const QChar c : holder.normalized(QString::NormalizationForm_KD))
        if (c.isLetterOrNumber() && c.unicode() < 128)
            out.append(c);
        else if (!out.endsWith(u'-') && c.category() != QChar::Mark_NonSpacing)
            out.append(u'-');
    while (out.endsWith(u'-'))
        out.chop(1);
    return QStringLiteral("%1_%2").arg(out.isEmpty() ? QStringLiteral("holder") : out, currency);
}

Status save(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return Status::failure("io", QStringLiteral("%1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

Result<QList<Statement>> statements(sql::Database &db, const StoredRun &run)
{
    QList<Statement> out;
    QStringList holders;
    for (const HolderTotal &h : run.holders)
        if (!holders.contains(h.holder))
            holders.append(h.holder);
    for (const QString &holder : holders) {
        auto e = explain(db, run, holder);
        if (!e)
            return e.error();
        for (const HolderTotal &t : e->totals) {
            Statement s;
            s.holder = holder;
            s.currency = t.currency;
            s.fileName = fileStem(holder, t.currency);
            s.explanation = e.value();
            s.csv += csv::formatRecord({QStringLiteral("holder"), QStringLiteral("period"),
                                        QStringLiteral("right"), QStringLiteral("currency"),
                                        QStringLiteral("work"), QStringLiteral("way"),
                                        QStringLiteral("exact"), QStringLiteral("amount")});
            for (const Explanation::Line &l : e->lines)
                if (l.currency == t.currency)
                    s.csv +=
                        csv::formatRecord({holder, run.period, run.right, t.currency, l.work,
                                           l.path.join(QStringLiteral(" → ")), fineText(l.exact),
                                           decimalAmount(l.minor, t.currency, false)});
            s.csv += csv::formatRecord({holder, run.period, run.right, t.currency,
                                        QStringLiteral("TOTAL"), QString(), fineText(t.exact),
                                        decimalAmount(t.minor, t.currency, false)});
            out.append(s);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Statement &a, const Statement &b) { return a.fileName < b.fileName; });
    // Two holders whose names differ only in punctuation get distinct files.
    for (qsizetype i = 1; i < out.size(); ++i)
        if (out.at(i).fileName == out.at(i - 1).fileName)
            out[i].fileName += QStringLiteral("-%1").arg(i);
    return out;
}

QByteArray statementManifest(const QList<Statement> &set)
{
    QByteArray manifest;
    for (const Statement &s : set)
        manifest += QCryptographicHash::hash(s.csv, QCryptographicHash::Sha256).toHex() + "  " +
                    s.fileName.toUtf8() + ".csv\n";
    return manifest;
}

QString statementSetSha256(const QList<Statement> &set)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(statementManifest(set), QCryptographicHash::Sha256).toHex());
}

Status writeStatementPdf(const Statement &s, const StoredRun &run, const QString &path)
{
    const auto esc = [](const QString &t) { return t.toHtmlEscaped(); };
    QString html =
        QStringLiteral("<h2>Royalty statement</h2>"
                       "<p><b>%1</b><br>Period %2, %3 right, %4<br>Run %5%6</p>"
                       "<table border='0' cellspacing='0' cellpadding='4' width='100%'>"
                       "<tr><th align='left'>Work and way</th>"
                       "<th align='right'>Amount</th></tr>")
            .arg(esc(s.holder), esc(run.period), esc(run.right), esc(s.currency), esc(run.id),
                 run.approvedAt
                     ? QStringLiteral(", approved at ledger entry %1").arg(run.approvedAt)
                     : QStringLiteral(", not approved"));
    qint64 total = 0;
    Fine exact = 0;
    for (const Explanation::Line &l : s.explanation.lines) {
        if (l.currency != s.currency)
            continue;
        QStringList steps;
        for (const QString &step : l.path)
            steps.append(esc(step));
        html += QStringLiteral("<tr><td><b>%1</b><br><small>%2</small></td>"
                               "<td align='right' valign='top'>%3</td></tr>")
                    .arg(esc(l.work), steps.join(QStringLiteral(" → ")),
                         esc(formatMoney(l.minor, l.currency)));
        total += l.minor;
        exact += l.exact;
    }
    html += QStringLiteral("<tr><td><b>Total</b> <small>(exact %1, rounded once by largest "
                           "remainder)</small></td><td align='right'><b>%2</b></td></tr></table>")
                .arg(fineText(exact), esc(formatMoney(total, s.currency)));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure("io", QStringLiteral("%1: %2").arg(path, file.errorString()));
    {
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setTitle(QStringLiteral("Royalty statement %1 %2").arg(s.holder, run.period));
        writer.setCreator(QStringLiteral("Cartulary"));
        QTextDocument doc;
        doc.setHtml(html);
        doc.print(&writer);
    }
    if (!file.commit())
        return Status::failure("io", QStringLiteral("%1: %2").arg(path, file.errorString()));
    return {};
}

Status writeStatements(const QList<Statement> &set, const StoredRun &run, const QString &dir,
                       const std::function<void(qint64, qint64)> &progress,
                       const std::atomic_bool *cancel)
{
    if (!QDir().mkpath(dir))
        return Status::failure("io", QStringLiteral("cannot create %1").arg(dir));
    const QDir d(dir);
    qint64 done = 0;
    for (const Statement &s : set) {
        if (cancel && cancel->load())
            return Status::failure(
                "cancelled", QStringLiteral("writing statements was cancelled after %1 of %2; "
                                            "the folder has no MANIFEST.sha256")
                                 .arg(done)
                                 .arg(set.size()));
        if (progress)
            progress(done++, set.size());
        if (Status st = save(d.filePath(s.fileName + QStringLiteral(".csv")), s.csv); !st)
            return st;
        if (Status st = writeStatementPdf(s, run, d.filePath(s.fileName + QStringLiteral(".pdf")));
            !st)
            return st;
    }
    if (progress)
        progress(set.size(), set.size());
    return save(d.filePath(QStringLiteral("MANIFEST.sha256")), statementManifest(set));
}

} // namespace cartulary::model
