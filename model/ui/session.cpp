// SPDX-License-Identifier: GPL-3.0-or-later
// Session: identity creation and unlock run on the single writer thread; state changes on the GUI
// thread.
#include "model/ui/session.h"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

Session::Session(const QString &dataDir, QObject *parent)
    : WorkState(parent)
    , m_dataDir(dataDir)
    , m_workspace(std::make_unique<Workspace>(dataDir))
{
    // One thread, never expiring: SQLite connections and the key stay with one thread.
    m_writer.setMaxThreadCount(1);
    m_writer.setExpiryTimeout(-1);
    // Rebuilding the read tables (after an upgrade) can take minutes on a large ledger: say so.
    m_workspace->setRebuildProgress([this](quint64 done, quint64 total) {
        QMetaObject::invokeMethod(
            this,
            [this, done, total] {
                setProgress(total ? double(done) / double(total) : 1.0,
                            tr("Rebuilding the read tables: %1 / %2 entries")
                                .arg(QLocale(QLocale::English).toString(done),
                                     QLocale(QLocale::English).toString(total)));
            },
            Qt::QueuedConnection);
    });
    if (m_workspace->hasIdentity()) {
        m_state = Locked;
        if (auto pub = ledger::KeyStore::readPublic(m_workspace->identityPath())) {
            m_name = pub->name;
            m_fingerprint = ledger::fingerprint(pub->publicKey);
            m_nodeKey = pub->publicKey;
        } else {
            m_errorString = pub.errorString();
        }
    }
}

Session::~Session()
{
    m_writer.waitForDone();
}

QString Session::databasePath() const
{
    return m_workspace->databasePath();
}

QString Session::checkpointPath() const
{
    return m_workspace->checkpointPath();
}

int Session::minPassphraseLength() const
{
    return ledger::MinPassphraseLength;
}

void Session::setError(const QString &error)
{
    if (m_errorString != error) {
        m_errorString = error;
        emit errorStringChanged();
    }
}

void Session::post(std::function<void(Workspace &)> job, std::function<void()> done)
{
    Workspace *ws = m_workspace.get();
    // The destructor waits for the writer, so `this` outlives the job; a queued call to an object
    // deleted in the meantime is dropped by Qt.
    (void)QtConcurrent::run(&m_writer, [this, ws, job = std::move(job), done = std::move(done)] {
        job(*ws);
        if (done)
            QMetaObject::invokeMethod(this, done, Qt::QueuedConnection);
    });
}

void Session::finishOpen(const Status &status, State onSuccess)
{
    finishWork();
    if (!status) {
        setError(status.error().code == QLatin1String("cancelled")
                     ? tr("Unlocking was cancelled while the read tables were being rebuilt; the "
                          "ledger stays locked and unchanged. Unlock again to rebuild them.")
                     : status.errorString());
        return;
    }
    setError({});
    m_state = onSuccess;
    emit stateChanged();
    emit ready();
}

void Session::createIdentity(const QString &name, const QString &passphrase,
                             const QString &confirmation)
{
    if (busy() || m_state != NoIdentity)
        return;
    if (name.trimmed().isEmpty()) {
        setError(tr("Enter the organisation's name."));
        return;
    }
    if (passphrase.size() < ledger::MinPassphraseLength) {
        setError(tr("The passphrase must have at least %1 characters.")
                     .arg(ledger::MinPassphraseLength));
        return;
    }
    if (passphrase != confirmation) {
        setError(tr("The two passphrases differ."));
        return;
    }
    startWork({}); // progress text only while rebuilding (the identity page shows it)
    setError({});
    auto status = std::make_shared<Status>();
    auto info = std::make_shared<std::pair<QString, ledger::PublicKey>>();
    const ledger::KdfLimits kdf = m_kdf;
    post(
        [=](Workspace &ws) {
            *status = ws.create(name, passphrase.toUtf8(), kdf);
            if (*status)
                *info = {ws.organisationName(), ws.nodeKey()};
        },
        [=, this] {
            if (*status) {
                m_name = info->first;
                m_nodeKey = info->second;
                m_fingerprint = ledger::fingerprint(m_nodeKey);
            }
            finishOpen(*status, Unlocked);
        });
}

void Session::unlock(const QString &passphrase)
{
    if (busy() || m_state != Locked)
        return;
    if (passphrase.isEmpty()) {
        setError(tr("Enter the passphrase."));
        return;
    }
    const CancelFlag cancel = startWork({});
    setError({});
    auto status = std::make_shared<Status>();
    auto notes = std::make_shared<QStringList>();
    post(
        [=](Workspace &ws) {
            ws.setRebuildCancel(cancel.get());
            *status = ws.unlock(passphrase.toUtf8());
            ws.setRebuildCancel(nullptr);
            if (*status) {
                if (const auto refusal = ws.store().writeRefusal())
                    notes->append(refusal->message);
                if (const QString notice = ws.store().headNotice(); !notice.isEmpty())
                    notes->append(notice);
            }
        },
        [=, this] {
            m_ledgerNotes = *notes;
            finishOpen(*status, Unlocked);
        });
}

} // namespace cartulary::model
