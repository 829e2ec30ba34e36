// SPDX-License-Identifier: GPL-3.0-or-later
// Workspace: opening order is identity first (public half), then database, then projection.
#include "model/workspace/workspace.h"

#include "model/workspace/projection.h"

#include <QDir>
#include <QStandardPaths>

namespace cartulary::model {

Workspace::Workspace(QString dataDir)
    : m_dataDir(std::move(dataDir))
{}

Workspace::~Workspace() = default;

QString Workspace::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Workspace::databasePath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("cartulary.db"));
}

QString Workspace::identityPath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("identity.key"));
}

QString Workspace::checkpointPath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("checkpoint.txt"));
}

QString Workspace::tlsIdentityPath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("tls-identity.json"));
}

bool Workspace::hasIdentity() const
{
    return QFileInfo::exists(identityPath());
}

ledger::PublicKey Workspace::nodeKey() const
{
    return m_public.publicKey;
}

QString Workspace::organisationName() const
{
    return m_public.name;
}

Status Workspace::openLedger()
{
    if (m_store)
        return {};
    auto pub = ledger::KeyStore::readPublic(identityPath());
    if (!pub)
        return pub.error();
    auto store = ledger::LogStore::open(databasePath(), {checkpointPath()});
    if (!store)
        return store.error();
    // The key from the identity file, not the one in the database, checks the ledger.
    if (Status s = store.value()->bindNodeKey(pub->publicKey); !s)
        return s;
    m_public = pub.value();
    m_store = std::move(store).value();
    return {};
}

Status Workspace::open()
{
    if (Status s = openLedger(); !s)
        return s;
    if (m_projectionReady)
        return {};
    if (Status s =
            Projection::prepare(*m_store, m_public.publicKey, {m_rebuildProgress, m_rebuildCancel});
        !s)
        return s;
    m_projectionReady = true;
    return {};
}

Status Workspace::create(const QString &name, const QByteArray &passphrase,
                         ledger::KdfLimits limits)
{
    if (hasIdentity())
        return Status::failure("identity-exists",
                               QStringLiteral("%1 already holds an identity; use it, or choose "
                                              "another --data-dir")
                                   .arg(m_dataDir));
    if (QFileInfo::exists(databasePath()))
        return Status::failure("ledger-exists",
                               QStringLiteral("%1 already holds a ledger without an identity file; "
                                              "refusing to start a new identity over it")
                                   .arg(databasePath()));
    if (QFileInfo::exists(checkpointPath()))
        return Status::failure("ledger-exists",
                               QStringLiteral("%1 holds the checkpoint of an earlier ledger; "
                                              "refusing to start a new identity over it (remove "
                                              "it if that ledger is gone for good)")
                                   .arg(checkpointPath()));
    if (!QDir().mkpath(m_dataDir))
        return Status::failure(
            "io", QStringLiteral("cannot create the data directory %1").arg(m_dataDir));
    auto identity = ledger::KeyStore::create(identityPath(), name, passphrase, limits);
    if (!identity)
        return identity.error();
    m_identity = std::move(identity).value();
    m_public = {m_identity->name, m_identity->keys.publicKey};
    if (Status s = open(); !s)
        return s;
    // A signed checkpoint of the empty log, so that even a new ledger has a verifiable head.
    auto empty = m_store->signHead(m_identity->keys);
    if (!empty)
        return empty.error();
    // The TLS certificate is made with the identity; its binding entry is signed when the node
    // first syncs, so that a new ledger stays empty until the organisation writes to it.
    auto tls = ledger::sync::TlsIdentity::generate(name);
    if (!tls)
        return tls.error();
    return tls->write(tlsIdentityPath(), *m_identity);
}

Status Workspace::unlock(const QByteArray &passphrase)
{
    auto identity = ledger::KeyStore::unlock(identityPath(), passphrase);
    if (!identity)
        return identity.error();
    if (Status s = open(); !s)
        return s;
    m_identity = std::move(identity).value();
    // Before the first write, not at it: a refusal (store().writeRefusal()) is known from the
    // start. A storage error here is not a verdict; the next write checks again.
    (void)m_store->checkHead();
    return {};
}

Result<QList<ledger::StoredEntry>> Workspace::append(const QList<ledger::Draft> &drafts,
                                                     qsizetype *failedAt)
{
    if (!m_identity || !m_store)
        return Result<QList<ledger::StoredEntry>>::failure(
            "locked", QStringLiteral("the identity is locked; unlock it to sign entries"));
    return m_store->appendLocal(*m_identity, drafts, Projection::batchApplier(drafts.size()),
                                failedAt);
}

Result<QList<ledger::StoredEntry>> Workspace::append(const QList<ledger::Draft> &drafts,
                                                     const ledger::Applier &after,
                                                     qsizetype *failedAt)
{
    if (!m_identity || !m_store)
        return Result<QList<ledger::StoredEntry>>::failure(
            "locked", QStringLiteral("the identity is locked; unlock it to sign entries"));
    const ledger::Applier project = Projection::applier();
    return m_store->appendLocal(
        *m_identity, drafts,
        Projection::batchApplier(drafts.size(),
                                 [&](sql::Database &db, const ledger::StoredEntry &entry) {
                                     if (Status s = project(db, entry); !s)
                                         return s;
                                     return after(db, entry);
                                 }),
        failedAt);
}

Status Workspace::rebuildProjection()
{
    if (Status s = openLedger(); !s)
        return s;
    if (Status s =
            Projection::rebuild(*m_store, m_public.publicKey, {m_rebuildProgress, m_rebuildCancel});
        !s)
        return s;
    m_projectionReady = true;
    return {};
}

Status Workspace::recordVerified(quint64 size, const ledger::Hash &root)
{
    if (!m_identity || !m_store)
        return Status::failure("locked", QStringLiteral("the identity is locked; unlock it to "
                                                        "sign a verification mark"));
    return m_store->storeVerifiedMark(size, root, m_identity->keys);
}

Result<ledger::sync::TlsIdentity> Workspace::tlsIdentity()
{
    using R = Result<ledger::sync::TlsIdentity>;
    if (!m_identity || !m_store)
        return R::failure("locked",
                          QStringLiteral("the identity is locked; unlock it to use peer sync"));
    auto tls = ledger::sync::TlsIdentity::ensure(tlsIdentityPath(), *m_identity);
    if (!tls)
        return tls;
    if (!ledger::sync::findBinding(*m_store, m_identity->keys.publicKey, tls->peerId())) {
        auto written = append({ledger::sync::bindingDraft(tls.value())});
        if (!written)
            return written.error();
    }
    return tls;
}

} // namespace cartulary::model
