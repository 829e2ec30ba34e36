// SPDX-License-Identifier: GPL-3.0-or-later
// The QML singletons, registered in one place: each is an object the application builds and owns
// (model::Controllers), handed to every QML engine with C++ ownership.
#pragma once

#include "model/ui/assetcontroller.h"
#include "model/ui/deadlinescontroller.h"
#include "model/ui/ledgercontroller.h"
#include "model/ui/lineagecontroller.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/royaltiescontroller.h"
#include "model/ui/session.h"

#include <QQmlEngine>

namespace cartulary::model {

/**
 * The instance QML gets for T: set by Controllers before an engine loads, cleared when they go.
 * QML never creates or deletes it.
 */
template<typename T>
struct SingletonInstance
{
    inline static T *instance = nullptr;

    static T *create(QQmlEngine *, QJSEngine *engine)
    {
        Q_ASSERT_X(instance, "SingletonInstance::create", "build model::Controllers first");
        engine->setObjectOwnership(instance, QJSEngine::CppOwnership);
        return instance;
    }
};

// One foreign registration per singleton, named as QML knows it: the controller classes stay free
// of QML registration, and moc expands the macro (its Q_GADGET also tells automoc to run).
#define CARTULARY_QML_SINGLETON(Class)                                                             \
    struct Class##Singleton : SingletonInstance<Class>                                             \
    {                                                                                              \
        Q_GADGET                                                                                   \
        QML_FOREIGN(cartulary::model::Class)                                                       \
        QML_NAMED_ELEMENT(Class)                                                                   \
        QML_SINGLETON                                                                              \
    };

CARTULARY_QML_SINGLETON(Session)
CARTULARY_QML_SINGLETON(LedgerController)
CARTULARY_QML_SINGLETON(PortfolioController)
CARTULARY_QML_SINGLETON(AssetController)
CARTULARY_QML_SINGLETON(DeadlinesController)
CARTULARY_QML_SINGLETON(LineageController)
CARTULARY_QML_SINGLETON(RoyaltiesController)

#undef CARTULARY_QML_SINGLETON

} // namespace cartulary::model
