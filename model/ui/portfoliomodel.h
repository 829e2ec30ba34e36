// SPDX-License-Identifier: GPL-3.0-or-later
// The Portfolio table: every asset, sorted and filtered in SQL, read lazily in pages for 100,000
// rows.
#pragma once

#include "ledger/sqlite.h"
#include "model/ui/pagecache.h"

#include <QAbstractListModel>
#include <QQmlEngine>

#include <memory>

namespace cartulary::model {

/** Assets matching the current search and filters, in the current order; rows fetched on demand. */
class PortfolioModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("PortfolioModel is provided by PortfolioController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged)
    Q_PROPERTY(QString sortColumn READ sortColumn WRITE setSortColumn NOTIFY queryChanged)
    Q_PROPERTY(bool sortAscending READ sortAscending WRITE setSortAscending NOTIFY queryChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY queryChanged)
    Q_PROPERTY(QString typeFilter READ typeFilter WRITE setTypeFilter NOTIFY queryChanged)
    Q_PROPERTY(QString phaseFilter READ phaseFilter WRITE setPhaseFilter NOTIFY queryChanged)
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY queryChanged)
    Q_PROPERTY(QString jurisdictionFilter READ jurisdictionFilter WRITE setJurisdictionFilter NOTIFY
                   queryChanged)
    Q_PROPERTY(QString ownerFilter READ ownerFilter WRITE setOwnerFilter NOTIFY queryChanged)

public:
    enum Roles {
        AssetIdRole = Qt::UserRole + 1, ///< stable id (UUID)
        ReferenceRole,                  ///< docket number
        TitleRole,
        TypeRole,          ///< type id, e.g. "patent"
        TypeTitleRole,     ///< "Patent"
        JurisdictionsRole, ///< "EP" or "US;CA"
        StatusRole,
        FilingDateRole, ///< YYYY-MM-DD or ""
        GrantDateRole,
        ExpiryDateRole,
        OwnersRole,     ///< "Name 60%, Name 40%"
        PhaseRole,      ///< current phase id, e.g. "protection"
        PhaseTitleRole, ///< "Protection"
    };
    Q_ENUM(Roles)

    explicit PortfolioModel(QObject *parent = nullptr);
    ~PortfolioModel() override;

    /** Opens a read connection to the database and loads. */
    void setDatabasePath(const QString &path);
    /** Re-runs the query (after writes), keeping sort and filters. */
    Q_INVOKABLE void reload();

    int count() const { return m_count; }
    int totalCount() const { return m_total; }
    QString sortColumn() const { return m_sortColumn; }
    void setSortColumn(const QString &column);
    bool sortAscending() const { return m_ascending; }
    void setSortAscending(bool ascending);
    /** Sorts by column; the same column again reverses the order. */
    Q_INVOKABLE void sortBy(const QString &column);
    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);
    QString typeFilter() const { return m_type; }
    void setTypeFilter(const QString &type);
    QString phaseFilter() const { return m_phase; }
    void setPhaseFilter(const QString &phase);
    QString statusFilter() const { return m_status; }
    void setStatusFilter(const QString &status);
    QString jurisdictionFilter() const { return m_jurisdiction; }
    void setJurisdictionFilter(const QString &jurisdiction);
    QString ownerFilter() const { return m_owner; }
    void setOwnerFilter(const QString &owner);
    Q_INVOKABLE void clearFilters();
    /** The asset id in a row, or "". */
    Q_INVOKABLE QString assetIdAt(int row) const;

    /** Columns that can be sorted by, as the QML header names them. */
    static const QStringList &sortableColumns();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();
    void queryChanged();

private:
    struct Row;
    QString whereClause(QList<QString> &binds) const;
    void requery();
    const Row *rowAt(int row) const;

    std::shared_ptr<sql::Database> m_db;
    int m_count = 0;
    int m_total = 0;
    QString m_sortColumn = QStringLiteral("reference");
    bool m_ascending = true;
    QString m_search, m_type, m_phase, m_status, m_jurisdiction, m_owner;
    static constexpr int PageSize = 200;
    mutable std::unique_ptr<PageCache<Row>> m_pages;
};

} // namespace cartulary::model
