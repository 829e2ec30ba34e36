// SPDX-License-Identifier: GPL-3.0-or-later
// Peer sync wired to one unlocked workspace: what `serve`, `sync` and a Peers view need.
#pragma once

#include "ledger/sync/session.h"
#include "model/workspace/workspace.h"

#include <memory>

namespace cartulary::model {

/**
 * The TLS identity and its binding entry, the peer tables, and the projection as the domain's
 * check on every received entry, for a workspace whose identity is unlocked. Hand context() to a
 * ledger::sync::SyncServer or SyncClient; use on the workspace's thread.
 */
class PeerSync
{
public:
    /** Makes the TLS identity and signs its binding on first use; refuses a read-only ledger. */
    static Result<std::unique_ptr<PeerSync>> open(Workspace &ws,
                                                  const ledger::sync::SyncLimits &limits = {});

    ledger::sync::SyncContext &context() { return m_context; }
    ledger::sync::PeerStore &peers() { return *m_peers; }

private:
    PeerSync() = default;
    std::unique_ptr<ledger::sync::PeerStore> m_peers;
    ledger::sync::SyncContext m_context;
};

} // namespace cartulary::model
