// SPDX-License-Identifier: GPL-3.0-or-later
// Wiring of the controllers: every connection between areas is made here.
#include "model/ui/controllers.h"

#include "model/ui/qmlsingletons.h"

namespace cartulary::model {

namespace {

/** Sets (or, with null, clears) the instance every QML singleton hands out. */
void registerSingletons(Controllers *c)
{
    SessionSingleton::instance = c ? &c->session : nullptr;
    LedgerControllerSingleton::instance = c ? &c->ledger : nullptr;
    PortfolioControllerSingleton::instance = c ? &c->portfolio : nullptr;
    AssetControllerSingleton::instance = c ? &c->asset : nullptr;
    DeadlinesControllerSingleton::instance = c ? &c->deadlines : nullptr;
    LineageControllerSingleton::instance = c ? &c->lineage : nullptr;
    RoyaltiesControllerSingleton::instance = c ? &c->royalties : nullptr;
}

} // namespace

Controllers::Controllers(const QString &dataDir)
    : session(dataDir)
    , ledger(&session)
    , portfolio(&session)
    , asset(&session)
    , deadlines(&session)
    , lineage(&session)
    , royalties(&session)
{
    registerSingletons(this);
    // Every write is a ledger entry: the Ledger view, the header, the graph and the deadlines
    // follow whichever area signed it.
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &ledger,
                     &LedgerController::refreshStats);
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &lineage,
                     &LineageController::refresh);
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &deadlines,
                     &DeadlinesController::refresh);
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &asset,
                     &AssetController::refresh);
    QObject::connect(&asset, &AssetController::assetWritten, &ledger,
                     &LedgerController::refreshStats);
    QObject::connect(&asset, &AssetController::assetWritten, &lineage, &LineageController::refresh);
    QObject::connect(&asset, &AssetController::assetWritten, &deadlines,
                     &DeadlinesController::refresh);
    // The table follows an asset's page; one registered there is inserted in its place.
    QObject::connect(&asset, &AssetController::assetWritten, &portfolio,
                     [this](const QString &id, bool registered) {
                         portfolio.refresh(registered ? id : QString());
                     });
    QObject::connect(&ledger, &LedgerController::documentsRecorded, &asset,
                     &AssetController::refresh);
    // Royalties sign usage imports, hand matches, approvals and, from CWR, works: the ledger and
    // the portfolio's views follow. Assets registered or changed elsewhere can match usage.
    QObject::connect(&royalties, &RoyaltiesController::entriesSigned, &ledger,
                     &LedgerController::refreshStats);
    QObject::connect(&royalties, &RoyaltiesController::worksRegistered, &portfolio,
                     [this] { portfolio.refresh(); });
    QObject::connect(&royalties, &RoyaltiesController::worksRegistered, &lineage,
                     &LineageController::refresh);
    QObject::connect(&royalties, &RoyaltiesController::worksRegistered, &deadlines,
                     &DeadlinesController::refresh);
    QObject::connect(&royalties, &RoyaltiesController::worksRegistered, &asset,
                     &AssetController::refresh);
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &royalties,
                     &RoyaltiesController::refresh);
    QObject::connect(&asset, &AssetController::assetWritten, &royalties,
                     &RoyaltiesController::refresh);
}

Controllers::~Controllers()
{
    registerSingletons(nullptr);
}

} // namespace cartulary::model
