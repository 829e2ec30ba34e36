// SPDX-License-Identifier: GPL-3.0-or-later
// Words the views show for the domain's states, defined once for every controller and view.
#pragma once

#include "model/portfolio/deadlines.h"
#include "model/portfolio/valuechain.h"

#include <QString>
#include <QVariantList>

#include <optional>

namespace cartulary::model {

/** "Not started", "In progress", "Done", "Not applicable". */
QString subPhaseStateTitle(SubPhaseState state);
/** Every sub-phase state as {id, title}, in order: what menus and legends list. */
QVariantList subPhaseStateOptions();
/** The state an advance leads to (not started → in progress → done), or none. */
std::optional<SubPhaseState> advancedState(SubPhaseState state);
/** "upcoming", "due", "in grace", "overdue", "rights lost", "blocked", "done", "lapsed", for
 * people. */
QString deadlineStateTitle(DeadlineState state);

} // namespace cartulary::model
