// SPDX-License-Identifier: GPL-3.0-or-later
// Wiring of the controllers: every connection between areas is made here.
#include "model/ui/controllers.h"

namespace cartulary::model {

Controllers::Controllers(const QString &dataDir)
    : session(dataDir)
    , ledger(&session)
    , portfolio(&session)
    , lineage(&session)
{
    Session::setInstance(&session);
    LedgerController::setInstance(&ledger);
    PortfolioController::setInstance(&portfolio);
    LineageController::setInstance(&lineage);
    // Portfolio writes are ledger entries: the Ledger view, the header and the graph follow.
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &ledger,
                     &LedgerController::refreshStats);
    QObject::connect(&portfolio, &PortfolioController::portfolioChanged, &lineage,
                     &LineageController::refresh);
    QObject::connect(&ledger, &LedgerController::documentsRecorded, &portfolio,
                     &PortfolioController::refreshAsset);
}

Controllers::~Controllers()
{
    Session::setInstance(nullptr);
    LedgerController::setInstance(nullptr);
    PortfolioController::setInstance(nullptr);
    LineageController::setInstance(nullptr);
}

} // namespace cartulary::model
