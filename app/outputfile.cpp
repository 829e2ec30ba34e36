// SPDX-License-Identifier: GPL-3.0-or-later
// Output files: the data directory check and atomic writing.
#include "app/outputfile.h"

#include "app/commandtable.h"
#include "app/terminal.h"

#include <QDir>
#include <QFileInfo>

namespace cartulary::app {

namespace {

bool isStdout(const QString &path)
{
    return path.isEmpty() || path == "-";
}

/**
 * The path the kernel would write through: every symbolic link followed (a dangling one too, as
 * QSaveFile follows it and creates its target), ".." taken after the links it follows, and the
 * part that does not exist yet appended to the real path of the part that does.
 */
QString resolvedPath(const QString &path)
{
    QString current = QDir::current().absoluteFilePath(path);
    for (int hops = 0; hops < 40; ++hops) {
        const QFileInfo link(current);
        if (!link.isSymLink())
            break;
        current = link.symLinkTarget(); // absolute, relative to the link's folder
    }
    if (const QString real = QFileInfo(current).canonicalFilePath(); !real.isEmpty())
        return real;
    // Not there yet: the real path of the longest existing ancestor, then the rest, cleaned.
    QStringList rest;
    QString ancestor = current;
    while (true) {
        const qsizetype slash = ancestor.lastIndexOf(u'/');
        if (slash <= 0)
            return QDir::cleanPath(current);
        rest.prepend(ancestor.mid(slash + 1));
        ancestor.truncate(slash);
        if (const QString real = QFileInfo(ancestor).canonicalFilePath(); !real.isEmpty())
            return QDir::cleanPath(real + u'/' + rest.join(u'/'));
    }
}

} // namespace

Status OutputFile::check(const QString &path, const QString &dataDir)
{
    if (isStdout(path))
        return {};
    const QString target = resolvedPath(path);
    const QString dir = resolvedPath(dataDir);
    if (target != dir && !target.startsWith(dir + u'/'))
        return {};
    return Status::failure(
        "data-dir",
        QStringLiteral("refusing to write %1: it is %2, in the data directory %3 (the ledger, its "
                       "identity and the files kept with them); write it outside that directory")
            .arg(path, target, dir));
}

Status OutputFile::open(const QString &path, const QString &dataDir)
{
    if (Status s = check(path, dataDir); !s)
        return s;
    m_path = path;
    if (isStdout(path)) {
        out().flush();
        if (!m_stdout.open(stdout, QIODevice::WriteOnly))
            return Status::failure("io", QStringLiteral("cannot write to standard output"));
        return {};
    }
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly))
        return Status::failure(
            "io", QStringLiteral("cannot write %1: %2").arg(path, m_file->errorString()));
    return {};
}

QIODevice &OutputFile::device()
{
    if (m_file)
        return *m_file;
    return m_stdout;
}

Status OutputFile::commit()
{
    if (!m_file) {
        if (!m_stdout.flush())
            return Status::failure("io", QStringLiteral("cannot write to standard output"));
        return {};
    }
    if (!m_file->commit())
        return Status::failure(
            "io", QStringLiteral("cannot write %1: %2").arg(m_path, m_file->errorString()));
    return {};
}

int writeOutput(const QString &path, const QString &dataDir, const QByteArray &bytes)
{
    OutputFile file;
    if (Status s = file.open(path, dataDir); !s)
        return fail(s.errorString(), s.error().code == "data-dir" ? ExitUsage : ExitFailed);
    if (file.device().write(bytes) != bytes.size())
        return fail(QStringLiteral("cannot write %1: %2")
                        .arg(isStdout(path) ? QStringLiteral("to standard output") : path,
                             file.device().errorString()));
    if (Status s = file.commit(); !s)
        return fail(s.errorString());
    return ExitOk;
}

} // namespace cartulary::app
