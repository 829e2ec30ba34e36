// SPDX-License-Identifier: GPL-3.0-or-later
// Outside checkpoint file: QSaveFile for atomic replacement, QLockFile so that two processes never
// move it backwards.
#include "ledger/checkpointfile.h"

#include <QFile>
#include <QLockFile>
#include <QSaveFile>

namespace cartulary::ledger {

namespace {
constexpr qint64 MaxFileSize = 64 * 1024; // a note is a few hundred bytes
}

Result<std::optional<OutsideCheckpoint>> CheckpointFile::read(const QString &path,
                                                              const PublicKey &key)
{
    using R = Result<std::optional<OutsideCheckpoint>>;
    QFile file(path);
    if (!file.exists())
        return std::optional<OutsideCheckpoint>();
    if (!file.open(QIODevice::ReadOnly))
        return R::failure("io", QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > MaxFileSize)
        return R::failure("bad-checkpoint",
                          QStringLiteral("%1 is larger than a checkpoint can be").arg(path));
    const QByteArray note = file.readAll();
    auto opened = openCheckpoint(note, key);
    if (!opened)
        return R::failure(opened.error().code,
                          QStringLiteral("%1: %2").arg(path, opened.errorString()));
    return std::optional<OutsideCheckpoint>(OutsideCheckpoint{opened.value(), note});
}

Status CheckpointFile::advance(const QString &path, const QByteArray &note, const PublicKey &key)
{
    auto mine = openCheckpoint(note, key);
    if (!mine)
        return mine.error();
    // Read, compare and replace under one lock: another process may be advancing it too.
    QLockFile lock(path + QStringLiteral(".lock"));
    if (!lock.tryLock(10000))
        return Status::failure(
            "io", QStringLiteral("cannot lock %1 (another Cartulary holds it)").arg(path));
    auto current = read(path, key);
    if (current && current.value() && current.value()->checkpoint.size >= mine->size)
        return {};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(note) != note.size() || !file.commit())
        return Status::failure("io",
                               QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace cartulary::ledger
