// SPDX-License-Identifier: GPL-3.0-or-later
// Files the command line writes (--out, --ics): whole or not at all, and never over the data
// directory's own files.
#pragma once

#include "ledger/result.h"

#include <QFile>
#include <QSaveFile>

#include <memory>

namespace cartulary::app {

/**
 * Where a command writes a file: standard output for "" or "-"; otherwise a QSaveFile, so the file
 * appears only complete and an existing one stays as it was when the command fails. A path that
 * resolves (symbolic links followed, "..", dangling links too) into the data directory is refused
 * before anything is opened: the ledger, its -wal and -shm, the identity and every file kept there.
 */
class OutputFile
{
public:
    /** The refusal for a path inside dataDir (code "data-dir"), or ok; opens nothing. */
    static Status check(const QString &path, const QString &dataDir);

    /** Checks the path (see check()), then opens it for writing. */
    Status open(const QString &path, const QString &dataDir);
    /** The device to write to once open() succeeded. */
    QIODevice &device();
    /** Makes the file appear (renames the complete file into place) or flushes stdout. */
    Status commit();

private:
    QString m_path;
    QFile m_stdout;
    std::unique_ptr<QSaveFile> m_file;
};

/** Writes bytes to path (see OutputFile) and returns the exit code; failures are printed. */
int writeOutput(const QString &path, const QString &dataDir, const QByteArray &bytes);

} // namespace cartulary::app
