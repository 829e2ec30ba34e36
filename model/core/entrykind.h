// SPDX-License-Identifier: GPL-3.0-or-later
// The shape of an area's entry table: each entry kind the area projects and the function that
// checks and applies it (model/workspace/areas.cpp gathers the areas).
#pragma once

#include "ledger/logstore.h"

#include <QJsonObject>

namespace cartulary::model {

/**
 * Checks an entry against its area's rules in the state the read tables are in, then applies it.
 * Runs inside the entry's transaction (or savepoint): a refusal leaves nothing written. body is the
 * entry's body, already parsed as a JSON object.
 */
using EntryApplier = Status (*)(sql::Database &db, const ledger::StoredEntry &entry,
                                const QJsonObject &body);

/** One entry kind an area projects, and its applier. */
struct EntryKind
{
    const char *kind;
    EntryApplier apply;
};

} // namespace cartulary::model
