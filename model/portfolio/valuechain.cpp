// SPDX-License-Identifier: GPL-3.0-or-later
// Value-chain reference data, from the WIPO IP value-chain paper and its appendix of actors.
#include "model/portfolio/valuechain.h"

#include <QCoreApplication>

namespace cartulary::model {

namespace {
template<typename T>
std::optional<T> findById(const QList<T> &list, const QString &id)
{
    for (const T &item : list)
        if (item.id == id)
            return item;
    return std::nullopt;
}
} // namespace

QList<Phase> phases()
{
    return {Phase::Generation, Phase::Protection, Phase::Management, Phase::Commercialization};
}

QString phaseId(Phase phase)
{
    switch (phase) {
    case Phase::Generation:
        return QStringLiteral("generation");
    case Phase::Protection:
        return QStringLiteral("protection");
    case Phase::Management:
        return QStringLiteral("management");
    case Phase::Commercialization:
        return QStringLiteral("commercialization");
    }
    return {};
}

QString phaseTitle(Phase phase)
{
    switch (phase) {
    case Phase::Generation:
        return QCoreApplication::translate("ValueChain", "Generation");
    case Phase::Protection:
        return QCoreApplication::translate("ValueChain", "Protection");
    case Phase::Management:
        return QCoreApplication::translate("ValueChain", "Management");
    case Phase::Commercialization:
        return QCoreApplication::translate("ValueChain", "Commercialization");
    }
    return {};
}

std::optional<Phase> phaseFromId(const QString &id)
{
    for (Phase p : phases())
        if (phaseId(p) == id)
            return p;
    return std::nullopt;
}

const QList<SubPhase> &subPhases()
{
    static const QList<SubPhase> list{
        {"ideation", Phase::Generation, "Ideation",
         "Proof of existence, record keeping, version management, confidentiality"},
        {"exploration", Phase::Generation, "Exploration", "Research and experiments"},
        {"conception", Phase::Generation, "Conception", "The idea takes its final form"},
        {"production", Phase::Generation, "Production", "The intellectual asset is produced"},
        {"protection-strategy", Phase::Generation, "IP protection strategy",
         "Patent, secret, copyright or publish: the decision and its reasons"},
        {"prosecution", Phase::Protection, "Prosecution",
         "Drafting, filing, examination, grant, oppositions"},
        {"ownership-registration", Phase::Protection, "Ownership registration",
         "Registration of the right and of its owners"},
        {"maintenance", Phase::Protection, "Maintenance", "Renewals, changes, fees"},
        {"enforcement", Phase::Protection, "Enforcement",
         "Monitoring, infringement reports, disputes"},
        {"ip-audit", Phase::Management, "IP audit", "Inventory and due diligence"},
        {"portfolio-analysis", Phase::Management, "Portfolio analysis",
         "Value, coverage and cost of the portfolio"},
        {"lifecycle-analysis", Phase::Management, "Lifecycle analysis",
         "Keep, license, sell or abandon"},
        {"competitive-intelligence", Phase::Management, "Competitive technology intelligence",
         "What others protect and publish"},
        {"ip-landscape", Phase::Management, "IP landscape / freedom to operate",
         "Third-party rights that may block use"},
        {"finance", Phase::Commercialization, "Finance", "Valuation, collateral, investment"},
        {"distribution", Phase::Commercialization, "Distribution of creative works",
         "Publishing, releasing and distributing works"},
        {"monetization", Phase::Commercialization, "Monetization",
         "Licensing, franchising, joint venture, spin-off, transfer, assignment, royalties"},
    };
    return list;
}

std::optional<SubPhase> subPhase(const QString &id)
{
    return findById(subPhases(), id);
}

QString subPhaseStateId(SubPhaseState state)
{
    switch (state) {
    case SubPhaseState::NotStarted:
        return QStringLiteral("not-started");
    case SubPhaseState::InProgress:
        return QStringLiteral("in-progress");
    case SubPhaseState::Done:
        return QStringLiteral("done");
    case SubPhaseState::NotApplicable:
        return QStringLiteral("not-applicable");
    }
    return {};
}

std::optional<SubPhaseState> subPhaseStateFromId(const QString &id)
{
    for (SubPhaseState s : {SubPhaseState::NotStarted, SubPhaseState::InProgress,
                            SubPhaseState::Done, SubPhaseState::NotApplicable})
        if (subPhaseStateId(s) == id)
            return s;
    return std::nullopt;
}

const QList<AssetType> &assetTypes()
{
    // Registered rights go through prosecution; rights that arise by creation or by keeping a
    // secret do not. "Distribution of creative works" only concerns works.
    static const QList<AssetType> list{
        {"patent", "Patent", {"distribution"}, "Patents are not creative works to distribute."},
        {"utility-model",
         "Utility model",
         {"distribution"},
         "Utility models are not creative works to distribute."},
        {"trademark", "Trademark", {"distribution"}, "Trademarks are not distributed as works."},
        {"design", "Industrial design", {"distribution"}, "Designs are not distributed as works."},
        {"copyright",
         "Copyright work",
         {"prosecution", "maintenance"},
         "Copyright arises on creation (generation and protection coincide) and needs no "
         "renewals."},
        {"dataset",
         "Dataset",
         {"prosecution", "maintenance"},
         "Database rights arise on creation; there is no application or renewal."},
        {"model",
         "Trained model",
         {"prosecution", "maintenance"},
         "A trained model is protected as a work or a secret, without an application."},
        {"software",
         "Software",
         {"prosecution", "maintenance"},
         "Software is protected by copyright on creation (file inventions as patents)."},
        {"trade-secret",
         "Trade secret / know-how",
         {"prosecution", "ownership-registration", "maintenance", "distribution"},
         "A trade secret is protected by keeping it secret: nothing is filed or registered."},
        {"plant-variety",
         "Plant variety",
         {"distribution"},
         "Plant variety rights are not distributed as works."},
        {"domain-name",
         "Domain name",
         {"prosecution", "distribution"},
         "A domain name is registered, not examined."},
    };
    return list;
}

std::optional<AssetType> assetType(const QString &id)
{
    return findById(assetTypes(), id);
}

bool subPhaseApplies(const QString &typeId, const QString &subPhaseId)
{
    const auto type = assetType(typeId);
    return type && subPhase(subPhaseId) && !type->inapplicable.contains(subPhaseId);
}

const QList<EventKind> &eventKinds()
{
    static const QList<EventKind> list{
        {"disclosed", "Invention disclosed", "ideation"},
        {"recorded", "Recorded (proof of existence)", "ideation"},
        {"researched", "Research done", "exploration"},
        {"conceived", "Conceived", "conception", true},
        {"created", "Created", "production", true},
        {"released", "Released", "production"},
        {"strategy-decided", "Protection strategy decided", "protection-strategy", true},
        {"drafted", "Application drafted", "prosecution"},
        {"filed", "Filed", "prosecution"},
        {"published", "Published", "prosecution"},
        {"examined", "Examined", "prosecution"},
        {"office-action", "Office action", "prosecution"},
        {"granted", "Granted", "prosecution", true},
        {"opposed", "Opposed", "prosecution"},
        {"refused", "Refused", "prosecution", true},
        {"registered", "Registered", "ownership-registration", true},
        {"ownership-recorded", "Change of ownership recorded", "ownership-registration"},
        {"renewed", "Renewed / fee paid", "maintenance"},
        {"lapsed", "Lapsed", "maintenance"},
        {"remedy-filed", "Remedy filed (further processing, re-establishment, revival)",
         "maintenance"},
        {"infringement-reported", "Infringement reported", "enforcement"},
        {"dispute-opened", "Dispute opened", "enforcement"},
        {"dispute-closed", "Dispute closed", "enforcement"},
        {"audited", "Audited", "ip-audit", true},
        {"portfolio-reviewed", "Portfolio reviewed", "portfolio-analysis"},
        {"lifecycle-decided", "Lifecycle decision", "lifecycle-analysis", true},
        {"competitor-watched", "Competitor watch", "competitive-intelligence"},
        {"fto-cleared", "Freedom to operate cleared", "ip-landscape", true},
        {"valued", "Valued", "finance"},
        {"collateralised", "Used as collateral", "finance"},
        {"distributed", "Distributed", "distribution"},
        {"licensed", "Licensed", "monetization"},
        {"assigned", "Assigned", "monetization"},
        {"royalties-collected", "Royalties collected", "monetization"},
    };
    return list;
}

std::optional<EventKind> eventKind(const QString &id)
{
    return findById(eventKinds(), id);
}

const QList<ActorKind> &actorKinds()
{
    static const QList<ActorKind> list{
        {"ip-generator", "IP generator (inventor, author, creator)"},
        {"right-holder", "Right holder"},
        {"ip-office", "IP office"},
        {"cmo", "Collective management organisation"},
        {"licensee", "Licensee / IP utilizer"},
        {"auditor", "Auditor"},
        {"legal-representative", "Legal representative"},
        {"broker", "Broker / intermediary"},
        {"financier", "Investor / financier"},
        {"court", "Court"},
        {"registrar", "Registrar"},
    };
    return list;
}

std::optional<ActorKind> actorKind(const QString &id)
{
    return findById(actorKinds(), id);
}

} // namespace cartulary::model
