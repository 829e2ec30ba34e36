// SPDX-License-Identifier: GPL-3.0-or-later
// The one place an area registers: its tables, its entry kinds and its command names. A new area
// (royalties, peers, evidence…) adds its block here.
#include "model/workspace/areas.h"

#include "model/lineage/lineage.h"
#include "model/portfolio/documents.h"
#include "model/portfolio/portfolio.h"
#include "model/royalties/royalties.h"
#include "model/workspace/commands.h"

#include <QHash>

namespace cartulary::model {

namespace {

// Documents: proof of existence. Recorded by `cartulary record`, not by a command of `apply`.

// Portfolio: assets, owners, the value chain, deadline rules and assignments.
constexpr CommandName PortfolioCommands[] = {
    {"register-asset", &commands::registerAsset},
    {"update-asset", &commands::updateAsset},
    {"set-owners", &commands::setOwners},
    {"add-phase-event", &commands::addPhaseEvent},
    {"set-phase-state", &commands::setPhaseState},
    {"add-deadline-rule", &commands::addDeadlineRule},
    {"assign", &commands::assign},
};

// Lineage: licences (and sublicences), their revocation, derivations and their approval.
constexpr CommandName LineageCommands[] = {
    {"grant-licence", &commands::grantLicence},
    {"revoke-licence", &commands::revokeLicence},
    {"record-derivation", &commands::recordDerivation},
    {"approve-derivation", &commands::approveDerivation},
};

} // namespace

std::span<const Area> areas()
{
    // In a function: built on first use, whatever the order of static initialisation.
    static const Area list[] = {
        {"documents",
         &Documents::createTables,
         &Documents::dropTables,
         Documents::entryKinds(),
         {}},
        {"portfolio", &Portfolio::createTables, &Portfolio::dropTables, Portfolio::entryKinds(),
         PortfolioCommands},
        {"lineage", &Lineage::createTables, &Lineage::dropTables, Lineage::entryKinds(),
         LineageCommands},
        // Royalties: usage imports, hand matches, work shares and approved runs. Written by
        // `cartulary import usage|works` and `royalty match|approve`, not by commands of `apply`.
        {"royalties",
         &Royalties::createTables,
         &Royalties::dropTables,
         Royalties::entryKinds(),
         {},
         &Royalties::afterBatch},
    };
    return list;
}

EntryApplier entryApplier(const QByteArray &kind)
{
    static const QHash<QByteArray, EntryApplier> appliers = [] {
        QHash<QByteArray, EntryApplier> out;
        for (const Area &area : areas())
            for (const EntryKind &k : area.entryKinds) {
                Q_ASSERT_X(!out.contains(k.kind), "entryApplier", "an entry kind registered twice");
                out.insert(QByteArray(k.kind), k.apply);
            }
        return out;
    }();
    return appliers.value(kind, nullptr);
}

CommandCompile commandCompile(const QString &name)
{
    static const QHash<QString, CommandCompile> compilers = [] {
        QHash<QString, CommandCompile> out;
        for (const Area &area : areas())
            for (const CommandName &c : area.commands) {
                Q_ASSERT_X(!out.contains(QLatin1String(c.name)), "commandCompile",
                           "a command name registered twice");
                out.insert(QString::fromLatin1(c.name), c.compile);
            }
        return out;
    }();
    return compilers.value(name, nullptr);
}

QStringList commandNames()
{
    QStringList names;
    for (const Area &area : areas())
        for (const CommandName &c : area.commands)
            names.append(QString::fromLatin1(c.name));
    return names;
}

} // namespace cartulary::model
