// SPDX-License-Identifier: GPL-3.0-or-later
// The application's controllers, built and wired once: by main() for the app and by the GUI test.
#pragma once

#include "model/ui/ledgercontroller.h"
#include "model/ui/lineagecontroller.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/session.h"

namespace cartulary::model {

/**
 * Owns the session and the controllers QML binds to, registers them as the QML singletons'
 * instances and connects them: portfolio writes refresh the ledger header and the lineage graph,
 * documents recorded refresh the open asset.
 */
struct Controllers
{
    explicit Controllers(const QString &dataDir);
    ~Controllers();
    Controllers(const Controllers &) = delete;
    Controllers &operator=(const Controllers &) = delete;

    Session session;
    LedgerController ledger;
    PortfolioController portfolio;
    LineageController lineage;
};

} // namespace cartulary::model
