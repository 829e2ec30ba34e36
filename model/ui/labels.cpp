// SPDX-License-Identifier: GPL-3.0-or-later
// The state titles, translatable, in one place.
#include "model/ui/labels.h"

#include <QCoreApplication>
#include <QVariantMap>

namespace cartulary::model {

QString subPhaseStateTitle(SubPhaseState state)
{
    switch (state) {
    case SubPhaseState::NotStarted:
        return QCoreApplication::translate("labels", "Not started");
    case SubPhaseState::InProgress:
        return QCoreApplication::translate("labels", "In progress");
    case SubPhaseState::Done:
        return QCoreApplication::translate("labels", "Done");
    case SubPhaseState::NotApplicable:
        return QCoreApplication::translate("labels", "Not applicable");
    }
    return {};
}

QVariantList subPhaseStateOptions()
{
    QVariantList out;
    for (SubPhaseState s : {SubPhaseState::NotStarted, SubPhaseState::InProgress,
                            SubPhaseState::Done, SubPhaseState::NotApplicable})
        out.append(QVariantMap{{"id", subPhaseStateId(s)}, {"title", subPhaseStateTitle(s)}});
    return out;
}

std::optional<SubPhaseState> advancedState(SubPhaseState state)
{
    if (state == SubPhaseState::NotStarted)
        return SubPhaseState::InProgress;
    if (state == SubPhaseState::InProgress)
        return SubPhaseState::Done;
    return std::nullopt;
}

QString deadlineStateTitle(DeadlineState state)
{
    switch (state) {
    case DeadlineState::Upcoming:
        return QCoreApplication::translate("labels", "upcoming");
    case DeadlineState::Due:
        return QCoreApplication::translate("labels", "due");
    case DeadlineState::InGrace:
        return QCoreApplication::translate("labels", "in grace");
    case DeadlineState::Overdue:
        return QCoreApplication::translate("labels", "overdue");
    case DeadlineState::Lost:
        return QCoreApplication::translate("labels", "rights lost");
    case DeadlineState::Blocked:
        return QCoreApplication::translate("labels", "blocked");
    case DeadlineState::Done:
        return QCoreApplication::translate("labels", "done");
    case DeadlineState::Lapsed:
        return QCoreApplication::translate("labels", "lapsed");
    }
    return {};
}

} // namespace cartulary::model
