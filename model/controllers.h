// SPDX-License-Identifier: GPL-3.0-or-later
// The application's controllers, built and wired once: by main() for the app and by the GUI test.
#pragma once

#include "model/ledgercontroller.h"
#include "model/lineagecontroller.h"
#include "model/portfoliocontroller.h"
#include "model/session.h"

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
