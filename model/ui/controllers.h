// SPDX-License-Identifier: GPL-3.0-or-later
// The application's controllers, built and wired once: by main() for the app and by the GUI test.
#pragma once

#include "model/ui/assetcontroller.h"
#include "model/ui/deadlinescontroller.h"
#include "model/ui/ledgercontroller.h"
#include "model/ui/lineagecontroller.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/royaltiescontroller.h"
#include "model/ui/session.h"

namespace cartulary::model {

/**
 * Owns the session and the controllers QML binds to, hands them to the QML singletons
 * (qmlsingletons.h) and connects them: what one area signs, the others show.
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
    AssetController asset;
    DeadlinesController deadlines;
    LineageController lineage;
    RoyaltiesController royalties;
};

} // namespace cartulary::model
