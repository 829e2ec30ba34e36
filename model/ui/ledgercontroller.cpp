// SPDX-License-Identifier: GPL-3.0-or-later
// LedgerController: verification and proofs on the thread pool, recording on the session's writer.
#include "model/ui/ledgercontroller.h"

#include "ledger/entry.h"
#include "ledger/logstore.h"
#include "ledger/proofs.h"
#include "ledger/verifier.h"
#include "model/workspace/documentcommands.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

namespace {

QString formatTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
           QStringLiteral(" UTC");
}

QString number(quint64 n)
{
    return QLocale(QLocale::English).toString(n);
}
} // namespace

LedgerController::LedgerController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &LedgerController::open);
}

LedgerController::~LedgerController() = default;

void LedgerController::open()
{
    auto reader = ledger::LogStore::openReadOnly(m_session->databasePath());
    if (!reader) {
        logError(reader.errorString());
        return;
    }
    m_reader = std::move(reader).value();
    m_model.setDatabasePath(m_session->databasePath());
    refreshStats();
    // A ledger that refuses writes says why from the start, not only at the first write.
    for (const QString &note : m_session->ledgerNotes())
        logError(note);
    // Honest about state from the first second: check what is on disk without re-verifying every
    // signature (hashes, chains and roots are still all recomputed).
    verify(true);
}

void LedgerController::refreshStats()
{
    if (!m_reader)
        return;
    m_model.refresh();
    m_entryCount = m_model.count();
    if (const auto cp = m_reader->latestCheckpoint()) {
        m_checkpointSize = qint64(cp->size);
        m_checkpointTime = formatTime(cp->createdMs);
    }
    m_forkWarnings.clear();
    for (const ledger::Fork &fork : m_reader->forks())
        m_forkWarnings.append(tr("Author %1 signed two different entries with seq %2 (found %3): "
                                 "their chain is frozen and both entries are kept as evidence.")
                                  .arg(ledger::fingerprint(fork.author))
                                  .arg(fork.seq)
                                  .arg(formatTime(fork.detectedMs)));
    emit statsChanged();
}

void LedgerController::logError(const QString &error)
{
    m_errorLog.prepend(QStringLiteral("%1  %2").arg(
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), error));
    emit errorLogChanged();
    setNotice(error, true);
}

void LedgerController::setVerifyState(VerifyState state, const QString &message)
{
    m_verifyState = state;
    m_verifyMessage = message;
    emit verifyStateChanged();
}

void LedgerController::verify(bool incremental)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    auto cancel = startWork(tr("Verifying the ledger…"));
    auto report = progressReporter();
    setVerifyState(Verifying, {});
    const QString path = m_session->databasePath();
    const QString checkpointFile = m_session->checkpointPath();
    const ledger::PublicKey key = m_session->nodeKey();
    auto future = QtConcurrent::run([report, cancel, path, checkpointFile, key, incremental] {
        ledger::VerifyOptions options;
        options.incremental = incremental;
        options.checkpointFile = checkpointFile;
        options.cancel = cancel.get();
        options.progress = [report](quint64 done, quint64 total) {
            report(done, total, tr("Verifying %1 / %2 entries").arg(number(done), number(total)));
        };
        return ledger::Verifier::run(path, key, options);
    });
    auto *watcher = new QFutureWatcher<ledger::VerifyReport>(this);
    connect(watcher, &QFutureWatcher<ledger::VerifyReport>::finished, this, [this, watcher] {
        const ledger::VerifyReport report = watcher->result();
        watcher->deleteLater();
        finishWork();
        if (report.cancelled) {
            setVerifyState(Cancelled, tr("Verification cancelled."));
            setNotice(tr("Verification cancelled; the ledger was not fully checked."), false);
        } else if (report.ok) {
            // What was checked here lets the next incremental run skip these signatures: the mark
            // is signed with the identity, on the writer thread that holds it.
            const quint64 size = report.total;
            const ledger::Hash root = report.root;
            m_session->post([size, root](Workspace &ws) { (void)ws.recordVerified(size, root); });
            for (const QString &note : report.notes)
                logError(tr("Ledger verification: %1").arg(note));
            setVerifyState(Verified,
                           tr("%1 entries verified (%2 signatures checked, %3 "
                              "checkpoints).")
                               .arg(number(report.total), number(report.signaturesChecked),
                                    number(report.checkpointsChecked)));
            setNotice(
                tr("Ledger verified: %1 entries, no problem found.").arg(number(report.total)),
                false);
        } else {
            setVerifyState(Failed, report.summary());
            logError(tr("Ledger verification failed: %1").arg(report.summary()));
        }
    });
    watcher->setFuture(future);
}

void LedgerController::recordDocuments(const QList<QUrl> &files, const QString &note,
                                       const QString &assetId)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    QStringList paths;
    for (const QUrl &url : files)
        paths.append(url.isLocalFile() ? url.toLocalFile() : url.toString());
    if (paths.isEmpty())
        return;
    auto cancel = startWork(tr("Hashing %n file(s)…", nullptr, int(paths.size())));
    auto report = progressReporter();
    auto result = std::make_shared<Result<QList<RecordedDocument>>>(
        Error{"not-run", QStringLiteral("not run")});
    m_session->post(
        [paths, note, cancel, report, result, assetId](Workspace &ws) {
            *result = model::recordDocuments(
                ws, paths, note,
                [report](quint64 done, quint64 total) {
                    report(done, total,
                           tr("Hashing %1 / %2 bytes").arg(number(done), number(total)));
                },
                cancel.get(), assetId);
        },
        [this, result] {
            finishWork();
            if (!result->ok()) {
                logError(tr("Nothing was recorded: %1").arg(result->errorString()));
                return;
            }
            refreshStats();
            emit documentsRecorded();
            const auto &docs = result->value();
            if (docs.size() == 1)
                setNotice(tr("Recorded %1 as entry %2.")
                              .arg(docs.first().digest.name)
                              .arg(docs.first().entry.index),
                          false);
            else
                setNotice(tr("Recorded %1 documents as entries %2–%3.")
                              .arg(docs.size())
                              .arg(docs.first().entry.index)
                              .arg(docs.last().entry.index),
                          false);
            // New entries: the head is no longer what was verified.
            if (m_verifyState == Verified)
                setVerifyState(Unverified, tr("New entries since the last verification."));
        });
}

QVariantMap LedgerController::entryDetails(int index) const
{
    QVariantMap map;
    if (!m_reader || index < 0)
        return map;
    const auto stored = m_reader->entryAt(quint64(index));
    if (!stored)
        return map;
    auto decoded = ledger::decodeEntry(stored->bytes);
    map["index"] = index;
    if (!decoded) {
        map["error"] = decoded.errorString();
        return map;
    }
    const ledger::SignedEntry &e = decoded.value();
    map["hash"] = ledger::toHex(e.hash);
    map["author"] = ledger::fingerprint(e.entry.author);
    map["authorKey"] = QString::fromLatin1(ledger::toBytes(e.entry.author).toBase64());
    map["seq"] = qint64(e.entry.seq);
    map["prev"] = ledger::isZero(e.entry.prev) ? tr("none (first entry of this author)")
                                               : ledger::toHex(e.entry.prev);
    map["kind"] = QString::fromLatin1(e.entry.kind);
    map["time"] = formatTime(e.entry.timeMs);
    map["received"] = formatTime(stored->receivedMs);
    map["size"] = qint64(stored->bytes.size());
    map["signatureValid"] = ledger::verifyEntrySignature(e);
    map["body"] =
        QString::fromUtf8(QJsonDocument::fromJson(e.entry.body).toJson(QJsonDocument::Indented));
    const auto covering = m_reader->coveringCheckpointSize(quint64(index));
    map["checkpointSize"] = covering ? qint64(*covering) : qint64(-1);
    return map;
}

void LedgerController::proveEntry(int index)
{
    const QString path = m_session->databasePath();
    const ledger::PublicKey key = m_session->nodeKey();
    struct Proof
    {
        bool ok = false;
        QString text;
        QString message;
    };
    auto future = QtConcurrent::run([path, key, index]() -> Proof {
        auto store = ledger::LogStore::openReadOnly(path);
        if (!store)
            return {false, {}, store.errorString()};
        // The ledger's one proof builder: the latest signed checkpoint, checked before it is
        // handed out.
        auto proof = ledger::buildInclusionProof(*store.value(), key, quint64(index));
        if (!proof)
            return {false, {}, tr("No proof for entry %1: %2").arg(index).arg(proof.errorString())};
        return {true, QString::fromUtf8(proof->text),
                tr("Entry %1 is included in the signed checkpoint of size %2 (%3 proof hashes).")
                    .arg(index)
                    .arg(proof->checkpoint.size)
                    .arg(proof->path.size())};
    });
    auto *watcher = new QFutureWatcher<Proof>(this);
    connect(watcher, &QFutureWatcher<Proof>::finished, this, [this, watcher, index] {
        const Proof p = watcher->result();
        watcher->deleteLater();
        emit proofReady(index, p.ok, p.text, p.message);
    });
    watcher->setFuture(future);
}

} // namespace cartulary::model
