// SPDX-License-Identifier: GPL-3.0-or-later
// Royalty statements per holder and currency: CSV whose lines sum to the run's total, a PDF of the
// same, and the manifest whose SHA-256 an approval signs.
#pragma once

#include "model/royalties/runs.h"

#include <atomic>
#include <functional>

namespace cartulary::model {

/** A holder's statement in one currency. */
struct Statement
{
    QString holder, currency, fileName; ///< fileName without extension
    QByteArray csv;
    Explanation explanation;
};

/** Every holder's statements of a run, in file-name order. */
Result<QList<Statement>> statements(sql::Database &db, const StoredRun &run);
/** "sha256  NAME.csv\n" for each statement, in order: sha256sum's format. */
QByteArray statementManifest(const QList<Statement> &set);
/** SHA-256 (hex) of the manifest: what an approval signs. */
QString statementSetSha256(const QList<Statement> &set);
/** The statement as a PDF (A4); needs a QGuiApplication. */
Status writeStatementPdf(const Statement &statement, const StoredRun &run, const QString &path);
/**
 * Writes NAME.csv and NAME.pdf for each statement and MANIFEST.sha256 into dir (created if
 * needed), each file atomically; the manifest last, so a set stopped by cancel (code "cancelled")
 * has none. progress: (statements written, statements).
 */
Status writeStatements(const QList<Statement> &set, const StoredRun &run, const QString &dir,
                       const std::function<void(qint64, qint64)> &progress = {},
                       const std::atomic_bool *cancel = nullptr);

} // namespace cartulary::model
