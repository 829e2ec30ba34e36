// SPDX-License-Identifier: GPL-3.0-or-later
// recordDocuments: every file is hashed before anything is signed, so a bad file records nothing.
#include "model/workspace/documentcommands.h"

#include "model/portfolio/portfolio.h"

#include <QFileInfo>

namespace cartulary::model {

Result<QList<RecordedDocument>> recordDocuments(Workspace &workspace, const QStringList &files,
                                                const QString &note, const ByteProgress &progress,
                                                const std::atomic_bool *cancel,
                                                const QString &asset)
{
    using R = Result<QList<RecordedDocument>>;
    if (files.isEmpty())
        return R::failure("no-files", QStringLiteral("no file to record"));
    QString assetId;
    if (!asset.isEmpty()) {
        if (!workspace.isOpen())
            return R::failure("locked", QStringLiteral("the ledger is not open"));
        const auto found = Portfolio::asset(workspace.store().database(), asset);
        if (!found)
            return R::failure("unknown-asset",
                              QStringLiteral("asset: %1 does not exist").arg(asset));
        assetId = found->id;
    }
    if (note.size() > MaxDocumentNoteLength)
        return R::failure("note-too-long", QStringLiteral("the note has %1 characters; the limit "
                                                          "is %2")
                                               .arg(note.size())
                                               .arg(MaxDocumentNoteLength));
    quint64 total = 0;
    for (const QString &f : files)
        total += quint64(QFileInfo(f).size());

    QList<FileDigest> digests;
    QList<ledger::Draft> drafts;
    quint64 before = 0;
    for (const QString &f : files) {
        auto digest = hashFile(
            f,
            [&](quint64 done, quint64) {
                if (progress)
                    progress(before + done, total);
            },
            cancel);
        if (!digest)
            return digest.error();
        before += digest->size;
        drafts.append(documentDraft(digest.value(), note, assetId));
        digests.append(std::move(digest).value());
    }
    if (cancel && cancel->load())
        return R::failure("cancelled", QStringLiteral("cancelled; nothing was recorded"));
    auto written = workspace.append(drafts);
    if (!written)
        return written.error();
    QList<RecordedDocument> out;
    for (qsizetype i = 0; i < digests.size(); ++i)
        out.append({digests[i], written.value()[i]});
    return out;
}

} // namespace cartulary::model
