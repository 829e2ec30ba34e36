// SPDX-License-Identifier: GPL-3.0-or-later
// List model over the ledger's entries, newest first, read lazily in pages for a million rows.
#pragma once

#include "model/ui/pagecache.h"

#include <QAbstractListModel>
#include <QQmlEngine>

#include <memory>

namespace cartulary::ledger {
class LogStore;
}

namespace cartulary::model {

/** Entries of the ledger, newest first; reads pages of rows on demand through a read-only store. */
class LedgerModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("LedgerModel is provided by LedgerController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        IndexRole = Qt::UserRole + 1, ///< Merkle leaf index (int, as a number)
        TimeRole,                     ///< claimed time, "YYYY-MM-DD HH:MM:SS" UTC
        AuthorRole,                   ///< author key fingerprint
        SeqRole,                      ///< seq in the author's chain
        KindRole,                     ///< entry kind, e.g. "document.recorded"
        HashRole,                     ///< entry hash, hex
        ShortHashRole,                ///< first 16 hex digits of the hash
        SummaryRole,                  ///< one line describing the body for people
    };
    Q_ENUM(Roles)

    explicit LedgerModel(QObject *parent = nullptr);
    ~LedgerModel() override;

    /** Opens a read connection to the database; reloads. */
    void setDatabasePath(const QString &path);
    /** Picks up rows appended since the last call (inserted at the top). */
    void refresh();
    int count() const { return rowCount(); }
    /** Row for a Merkle index, or -1. */
    Q_INVOKABLE int rowForIndex(int index) const;
    Q_INVOKABLE int indexForRow(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    struct Row;
    const Row *rowAt(int row) const;

    std::unique_ptr<ledger::LogStore> m_store; ///< read-only: its own connection
    qint64 m_size = 0;
    static constexpr int PageSize = 256;
    static constexpr int MaxPages = 64;
    mutable std::unique_ptr<PageCache<Row>> m_pages; ///< pages by Merkle index: appends keep them
};

} // namespace cartulary::model
