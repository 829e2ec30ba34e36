// SPDX-License-Identifier: GPL-3.0-or-later
// The Portfolio table: every asset, sorted and filtered in SQL, read lazily in pages for 100,000
// rows, on a reader thread of its own.
#pragma once

#include "model/ui/pagecache.h"

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QSet>
#include <QThreadPool>

#include <memory>

namespace cartulary::model {

/**
 * Assets matching the current search and filters, in the current order. Counting and every page
 * of rows are read on the model's reader thread (its own read-only connection); until a page
 * arrives its rows read as empty strings, and dataChanged follows. A new query resets the model
 * when its count arrives; reload() after writes changes rows in place, or inserts the one asset
 * just registered where the order puts it.
 */
class PortfolioModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("PortfolioModel is provided by PortfolioController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString sortColumn READ sortColumn WRITE setSortColumn NOTIFY queryChanged)
    Q_PROPERTY(bool sortAscending READ sortAscending WRITE setSortAscending NOTIFY queryChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY queryChanged)
    Q_PROPERTY(QString typeFilter READ typeFilter WRITE setTypeFilter NOTIFY queryChanged)
    Q_PROPERTY(QString phaseFilter READ phaseFilter WRITE setPhaseFilter NOTIFY queryChanged)
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY queryChanged)
    Q_PROPERTY(QString jurisdictionFilter READ jurisdictionFilter WRITE setJurisdictionFilter NOTIFY
                   queryChanged)
    Q_PROPERTY(QString ownerFilter READ ownerFilter WRITE setOwnerFilter NOTIFY queryChanged)
    Q_PROPERTY(bool filtered READ filtered NOTIFY queryChanged)

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

    /** What one query asks for: order and filters, as a value the reader thread can take. */
    struct Query
    {
        QString sortColumn = QStringLiteral("reference");
        bool ascending = true;
        QString search, type, phase, status, jurisdiction, owner;

        /** " WHERE …" (or empty) with its bound values appended to binds. */
        QString where(QList<QString> &binds) const;
        /** The ORDER BY expression of sortColumn. */
        QString orderExpression() const;
        bool filtered() const;
    };

    explicit PortfolioModel(QObject *parent = nullptr);
    ~PortfolioModel() override;

    /** Reads from this database (read-only, on the reader thread); counts again. */
    void setDatabasePath(const QString &path);
    /**
     * Reads again after writes, keeping order and filters: rows changed in place get dataChanged;
     * when registeredId names the one asset just registered it is inserted at its row; other
     * changes of the count reset the model.
     */
    Q_INVOKABLE void reload(const QString &registeredId = {});

    int count() const { return m_count; }
    int totalCount() const { return m_total; }
    /** A count is being read: count and totalCount are those of the previous query. */
    bool loading() const { return m_loading; }
    QString sortColumn() const { return m_query.sortColumn; }
    void setSortColumn(const QString &column);
    bool sortAscending() const { return m_query.ascending; }
    void setSortAscending(bool ascending);
    /** Sorts by column; the same column again reverses the order. */
    Q_INVOKABLE void sortBy(const QString &column);
    QString searchText() const { return m_query.search; }
    void setSearchText(const QString &text);
    QString typeFilter() const { return m_query.type; }
    void setTypeFilter(const QString &type);
    QString phaseFilter() const { return m_query.phase; }
    void setPhaseFilter(const QString &phase);
    QString statusFilter() const { return m_query.status; }
    void setStatusFilter(const QString &status);
    QString jurisdictionFilter() const { return m_query.jurisdiction; }
    void setJurisdictionFilter(const QString &jurisdiction);
    QString ownerFilter() const { return m_query.owner; }
    void setOwnerFilter(const QString &owner);
    /** A search or a filter narrows the table. */
    bool filtered() const { return m_query.filtered(); }
    Q_INVOKABLE void clearFilters();
    /** The asset id in a row, or "" (also while its page is being read). */
    Q_INVOKABLE QString assetIdAt(int row) const;
    /** The row's page has been read: data() returns the row's values, not the empty ones shown
     * while it loads. */
    bool isRowLoaded(int row) const;

    /** Columns that can be sorted by, as the QML header names them. */
    static const QStringList &sortableColumns();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();
    void loadingChanged();
    void queryChanged();

private:
    struct Row;
    struct Reader;
    struct Counted;
    static constexpr int PageSize = 200;

    /** Counts the query again (on the reader) and re-reads the pages in pages. */
    void count(bool reset, const QString &registeredId);
    void queryEdited();
    void applyCount(const Counted &counted);
    /** Asks the reader for a page unless it is cached, asked for, or a count is pending. */
    void requestPage(qint64 page) const;
    void applyPage(quint64 generation, qint64 page, const QList<Row> &rows);
    void setLoading(bool loading);
    const Row *rowAt(int row) const;

    std::shared_ptr<Reader> m_reader;
    mutable QThreadPool m_pool; ///< one thread: the reader's connection stays on it
    Query m_query;
    quint64 m_generation = 0; ///< bumped by every count; older pages and counts are dropped
    int m_count = 0;
    int m_total = 0;
    bool m_loading = false;
    mutable std::unique_ptr<PageCache<Row>> m_pages;
    mutable QSet<qint64> m_requested; ///< pages asked for in this generation
    mutable QSet<qint64> m_missed;    ///< pages asked for while a count was pending
};

} // namespace cartulary::model
