// SPDX-License-Identifier: GPL-3.0-or-later
// PeerSync: the sync context of a workspace, with the projection as the domain callback.
#include "model/workspace/peersync.h"

#include "model/workspace/projection.h"

namespace cartulary::model {

using namespace ledger::sync;

Result<std::unique_ptr<PeerSync>> PeerSync::open(Workspace &ws, const SyncLimits &limits)
{
    using R = Result<std::unique_ptr<PeerSync>>;
    if (!ws.isUnlocked())
        return R::failure("locked",
                          QStringLiteral("the identity is locked; unlock it to use peer sync"));
    if (auto refusal = ws.store().writeRefusal())
        return *refusal;
    std::unique_ptr<PeerSync> sync(new PeerSync);
    sync->m_peers = std::make_unique<PeerStore>(ws.store().database());
    if (Status s = sync->m_peers->createTables(); !s)
        return s.error();
    auto tls = ws.tlsIdentity();
    if (!tls)
        return tls.error();
    const auto binding = findBinding(ws.store(), ws.identity().keys.publicKey, tls->peerId());
    if (!binding)
        return R::failure("no-binding", QStringLiteral("the ledger holds no binding entry for "
                                                       "this node's certificate"));
    SyncContext &c = sync->m_context;
    c.store = &ws.store();
    c.identity = &ws.identity();
    c.tls = tls.value();
    c.binding = binding->bytes;
    // Received entries that register works match stored usage again, once per batch.
    Projection::BatchHooks hooks = Projection::batchHooks();
    c.applier = std::move(hooks.applier);
    c.finish = std::move(hooks.finish);
    c.peers = sync->m_peers.get();
    c.limits = limits;
    return sync;
}

} // namespace cartulary::model
