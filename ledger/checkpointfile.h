// SPDX-License-Identifier: GPL-3.0-or-later
// The node's latest signed checkpoint kept outside the database, so that a database replaced by an
// older copy of itself, or cut back, is caught (FORMAT.md §4.1).
#pragma once

#include "ledger/checkpoint.h"
#include "ledger/result.h"

#include <QString>

#include <optional>

namespace cartulary::ledger {

/** A checkpoint read from the outside file: what it says and the note exactly as stored. */
struct OutsideCheckpoint
{
    Checkpoint checkpoint;
    QByteArray note;
};

/**
 * A small text file holding one C2SP signed note, the latest checkpoint the node signed. It only
 * moves forward: it is replaced (atomically, under a lock file) only by a larger checkpoint.
 */
class CheckpointFile
{
public:
    /** Reads the file and checks its signature by key; nullopt when there is no file. */
    static Result<std::optional<OutsideCheckpoint>> read(const QString &path, const PublicKey &key);
    /**
     * Replaces the file with note (a checkpoint signed by key) unless it already holds one at least
     * as large; the file is never seen half-written and never goes back to a smaller size.
     */
    static Status advance(const QString &path, const QByteArray &note, const PublicKey &key);
};

} // namespace cartulary::ledger
