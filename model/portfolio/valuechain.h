// SPDX-License-Identifier: GPL-3.0-or-later
// The WIPO IP value chain: phases, sub-phases, which apply to which asset type, events and actors.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cartulary::model {

/** The four phases of the WIPO IP value chain, in order. */
enum class Phase { Generation, Protection, Management, Commercialization };

QString phaseId(Phase phase);    ///< "generation", "protection", ...
QString phaseTitle(Phase phase); ///< "Generation", ...
std::optional<Phase> phaseFromId(const QString &id);
QList<Phase> phases();

/** One sub-phase of a phase (e.g. prosecution in Protection). */
struct SubPhase
{
    QString id; ///< stable, e.g. "prosecution"
    Phase phase;
    QString title;
    QString description;
};

/** Every sub-phase, phase by phase, in the paper's order. */
const QList<SubPhase> &subPhases();
std::optional<SubPhase> subPhase(const QString &id);

/** Where an asset stands in one sub-phase. */
enum class SubPhaseState { NotStarted, InProgress, Done, NotApplicable };
QString
subPhaseStateId(SubPhaseState state); ///< "not-started", "in-progress", "done", "not-applicable"
std::optional<SubPhaseState> subPhaseStateFromId(const QString &id);

/** An asset type and the sub-phases that do not apply to it. */
struct AssetType
{
    QString id;               ///< as in CSV: patent, utility-model, trademark, ...
    QString title;            ///< "Patent", "Utility model", ...
    QStringList inapplicable; ///< sub-phase ids that never apply (copyright has no prosecution)
    QString why;              ///< one sentence explaining the inapplicable sub-phases
};

const QList<AssetType> &assetTypes();
std::optional<AssetType> assetType(const QString &id);
/** True when the sub-phase applies to assets of this type. */
bool subPhaseApplies(const QString &typeId, const QString &subPhaseId);

/** A kind of dated event in the value chain, with the sub-phase it usually belongs to. */
struct EventKind
{
    QString id; ///< "filed", "granted", "renewed", ...
    QString title;
    QString defaultSubPhase;
    bool completes = false; ///< the event ends its sub-phase (granted ends prosecution)
};

const QList<EventKind> &eventKinds();
std::optional<EventKind> eventKind(const QString &id);

/** An actor kind from the WIPO paper's appendix. */
struct ActorKind
{
    QString id; ///< "ip-office", "cmo", ...
    QString title;
};

const QList<ActorKind> &actorKinds();
std::optional<ActorKind> actorKind(const QString &id);

} // namespace cartulary::model
