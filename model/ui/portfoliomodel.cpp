// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioModel: one COUNT per query on the reader thread, then pages of rows by LIMIT/OFFSET on
// indexed order, each page read there too; the GUI thread only swaps results in.
#include "model/ui/portfoliomodel.h"

#include "ledger/sqlite.h"
#include "model/portfolio/asset.h"
#include "model/portfolio/valuechain.h"

namespace cartulary::model {

struct PortfolioModel::Row
{
    QString id, reference, title, type, jurisdictions, status, filing, grant, expiry, owners, phase;
};

/** The reader thread's connection, opened there on first use. */
struct PortfolioModel::Reader
{
    QString path;
    std::shared_ptr<sql::Database> db;

    sql::Database *database()
    {
        if (!db) {
            auto opened = sql::Database::open(path, sql::Database::Mode::ReadOnly);
            if (opened)
                db = std::move(opened).value();
        }
        return db.get();
    }
};

/** A count read for one generation, with the pages read along with it. */
struct PortfolioModel::Counted
{
    quint64 generation = 0;
    bool reset = false;
    int total = 0;
    int count = 0;
    int registeredRow = -1; ///< where the registered asset stands, -1 when it is not listed
    QHash<qint64, QList<Row>> pages;
};

namespace {

QString ownersForPeople(const QString &stored)
{
    auto owners = parseOwners(stored);
    if (!owners)
        return stored;
    QStringList parts;
    for (const Owner &o : owners.value())
        parts.append(owners->size() == 1
                         ? o.name
                         : QStringLiteral("%1 %2%").arg(o.name).arg(double(o.basisPoints) / 100.0));
    return parts.join(QStringLiteral(", "));
}

void bindAll(sql::Statement &st, const QList<QString> &binds)
{
    for (int i = 0; i < binds.size(); ++i)
        st.bind(i + 1, binds[i]);
}

qint64 countOf(sql::Database &db, const QString &sql, const QList<QString> &binds)
{
    auto st = db.prepare(sql.toUtf8().constData());
    bindAll(st, binds);
    return st.isValid() && st.next() ? st.int64(0) : 0;
}

} // namespace

QString PortfolioModel::Query::orderExpression() const
{
    // Column name in QML → SQL expression; ties are broken by reference so paging is stable.
    static const QHash<QString, QString> map{{"reference", "reference"},
                                             {"title", "title COLLATE NOCASE"},
                                             {"type", "type"},
                                             {"jurisdictions", "jurisdictions"},
                                             {"status", "status"},
                                             {"filingDate", "filing_date"},
                                             {"grantDate", "grant_date"},
                                             {"expiryDate", "expiry_date"},
                                             {"owners", "owners COLLATE NOCASE"},
                                             {"phase", "current_phase"}};
    return map.value(sortColumn, QStringLiteral("reference"));
}

bool PortfolioModel::Query::filtered() const
{
    return !search.trimmed().isEmpty() || !type.isEmpty() || !phase.isEmpty() ||
           !status.isEmpty() || !jurisdiction.isEmpty() || !owner.isEmpty();
}

QString PortfolioModel::Query::where(QList<QString> &binds) const
{
    QStringList conditions;
    if (!search.trimmed().isEmpty()) {
        // Every word must occur somewhere (reference, title, owners, identifiers, tags, creators).
        // Words of three characters or more go through the trigram index; shorter ones (which
        // trigrams cannot find) are checked on the rows the index left.
        QStringList phrases;
        for (const QString &word : search.toLower().split(u' ', Qt::SkipEmptyParts)) {
            if (word.size() >= 3) {
                phrases.append(u'"' + QString(word).replace(u'"', QStringLiteral("\"\"")) + u'"');
            } else {
                conditions.append(QStringLiteral("instr(search, ?) > 0"));
                binds.append(word);
            }
        }
        if (!phrases.isEmpty()) {
            conditions.prepend(QStringLiteral(
                "rowid IN (SELECT rowid FROM asset_search WHERE asset_search MATCH ?)"));
            binds.prepend(phrases.join(u' '));
        }
    }
    const QList<std::pair<const QString *, const char *>> equal{
        {&type, "type = ?"},
        {&phase, "current_phase = ?"},
        {&status, "status = ?"},
        {&jurisdiction, "id IN (SELECT asset_id FROM asset_jurisdictions WHERE jurisdiction = ?)"},
        {&owner, "id IN (SELECT asset_id FROM asset_owners WHERE name = ?)"}};
    for (const auto &[value, condition] : equal) {
        if (value->isEmpty())
            continue;
        conditions.append(QLatin1String(condition));
        binds.append(*value);
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(" AND ");
}

namespace {

/** One page of rows of a query, read on the reader thread. */
template<typename Row>
QList<Row> readPage(sql::Database &db, const PortfolioModel::Query &query, qint64 page,
                    int pageSize)
{
    QList<QString> binds;
    const QString sql =
        QStringLiteral("SELECT id, reference, title, type, jurisdictions, status, filing_date, "
                       "grant_date, expiry_date, owners, current_phase FROM assets") +
        query.where(binds) +
        QStringLiteral(" ORDER BY %1 %2, reference LIMIT ? OFFSET ?")
            .arg(query.orderExpression(),
                 query.ascending ? QStringLiteral("ASC") : QStringLiteral("DESC"));
    auto st = db.prepare(sql.toUtf8().constData());
    bindAll(st, binds);
    // Bound, not spliced: one cached statement serves every page.
    st.bind(int(binds.size()) + 1, qint64(pageSize)).bind(int(binds.size()) + 2, page * pageSize);
    QList<Row> rows;
    while (st.next())
        rows.append({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                     st.text(6), st.text(7), st.text(8), st.text(9), st.text(10)});
    return rows;
}

/**
 * The row the asset id stands at in the query's order, or -1 when the query does not list it:
 * the rows before it sort lower, or equal with a lower reference (the tie-break of every page).
 */
int rowOf(sql::Database &db, const PortfolioModel::Query &query, const QString &id)
{
    QList<QString> binds;
    QString where = query.where(binds);
    const QString listed = QStringLiteral("SELECT COUNT(*) FROM assets") + where +
                           (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                           QStringLiteral("id = ?");
    if (countOf(db, listed, QList<QString>(binds) << id) == 0)
        return -1;
    // "title COLLATE NOCASE" compares with its collation; the value it is compared to is the
    // column.
    const QString e = query.orderExpression();
    const QString of = QStringLiteral("(SELECT %1 FROM assets WHERE id = ?)");
    const QString before = QStringLiteral("(%1 %2 %3 OR (%1 = %3 AND reference < %4))")
                               .arg(e, query.ascending ? QStringLiteral("<") : QStringLiteral(">"),
                                    of.arg(e.section(u' ', 0, 0)), of.arg("reference"));
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM assets") + where +
                        (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                        before;
    return int(countOf(db, sql, QList<QString>(binds) << id << id << id));
}

} // namespace

PortfolioModel::PortfolioModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_pages(std::make_unique<PageCache<Row>>(50))
{
    // One thread, never expiring: the reader's SQLite connection stays with it.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

PortfolioModel::~PortfolioModel()
{
    // Jobs post back to this object: none may still be running when it goes.
    m_pool.clear();
    m_pool.waitForDone();
}

const QStringList &PortfolioModel::sortableColumns()
{
    static const QStringList columns{"reference", "title",      "type",      "jurisdictions",
                                     "status",    "filingDate", "grantDate", "expiryDate",
                                     "owners",    "phase"};
    return columns;
}

void PortfolioModel::setDatabasePath(const QString &path)
{
    m_reader = std::make_shared<Reader>();
    m_reader->path = path;
    count(true, {});
}

void PortfolioModel::reload(const QString &registeredId)
{
    count(false, registeredId);
}

void PortfolioModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void PortfolioModel::count(bool reset, const QString &registeredId)
{
    if (!m_reader)
        return;
    const quint64 generation = ++m_generation;
    m_requested.clear();
    setLoading(true);
    // A new query needs its first page; a reload re-reads what the view has seen.
    QList<qint64> pages = reset ? QList<qint64>{0} : m_pages->pages();
    auto reader = m_reader;
    const Query query = m_query;
    m_pool.start([this, reader, query, generation, reset, registeredId, pages] {
        Counted c;
        c.generation = generation;
        c.reset = reset;
        if (sql::Database *db = reader->database()) {
            c.total = int(countOf(*db, QStringLiteral("SELECT COUNT(*) FROM assets"), {}));
            QList<QString> binds;
            const QString where = query.where(binds);
            c.count = where.isEmpty()
                          ? c.total
                          : int(countOf(*db, QStringLiteral("SELECT COUNT(*) FROM assets") + where,
                                        binds));
            if (!registeredId.isEmpty())
                c.registeredRow = rowOf(*db, query, registeredId);
            for (qint64 page : pages)
                if (page * PageSize < c.count)
                    c.pages.insert(page, readPage<Row>(*db, query, page, PageSize));
        }
        QMetaObject::invokeMethod(
            this, [this, c] { applyCount(c); }, Qt::QueuedConnection);
    });
}

void PortfolioModel::applyCount(const Counted &c)
{
    if (c.generation != m_generation)
        return; // a newer query or reload is on its way
    const bool inserted =
        !c.reset && c.registeredRow >= 0 && c.count == m_count + 1 && c.registeredRow <= m_count;
    const bool inPlace = !c.reset && c.count == m_count;
    const auto replacePages = [this, &c] {
        m_pages->clear();
        for (auto it = c.pages.begin(); it != c.pages.end(); ++it)
            m_pages->insert(it.key(), it.value());
    };
    const bool countsChanged = c.count != m_count || c.total != m_total;
    if (inPlace) {
        replacePages();
        m_total = c.total;
        // The rows the view has seen are read again; the others will be read when shown.
        for (auto it = c.pages.begin(); it != c.pages.end(); ++it) {
            const int first = int(it.key() * PageSize);
            const int last = std::min(m_count, first + PageSize) - 1;
            if (last >= first)
                emit dataChanged(index(first), index(last));
        }
    } else if (inserted) {
        beginInsertRows({}, c.registeredRow, c.registeredRow);
        replacePages();
        m_count = c.count;
        m_total = c.total;
        endInsertRows();
    } else {
        beginResetModel();
        replacePages();
        m_count = c.count;
        m_total = c.total;
        endResetModel();
    }
    setLoading(false);
    if (countsChanged)
        emit countChanged();
    // Rows asked for while the count was read.
    const QSet<qint64> missed = std::exchange(m_missed, {});
    for (qint64 page : missed)
        requestPage(page);
}

void PortfolioModel::requestPage(qint64 page) const
{
    if (!m_reader || m_requested.contains(page))
        return;
    if (m_loading) {
        m_missed.insert(page);
        return;
    }
    m_requested.insert(page);
    auto *self = const_cast<PortfolioModel *>(this); // the result is applied to the model
    auto reader = m_reader;
    const Query query = m_query;
    const quint64 generation = m_generation;
    m_pool.start([self, reader, query, generation, page] {
        QList<Row> rows;
        if (sql::Database *db = reader->database())
            rows = readPage<Row>(*db, query, page, PageSize);
        QMetaObject::invokeMethod(
            self, [self, generation, page, rows] { self->applyPage(generation, page, rows); },
            Qt::QueuedConnection);
    });
}

void PortfolioModel::applyPage(quint64 generation, qint64 page, const QList<Row> &rows)
{
    if (generation != m_generation) {
        // Read for an older count: if the view still lacks the page, ask again.
        if (!m_pages->find(page))
            requestPage(page);
        return;
    }
    m_requested.remove(page);
    m_pages->insert(page, rows);
    const int first = int(page * PageSize);
    const int last = std::min(m_count, first + int(rows.size())) - 1;
    if (last >= first)
        emit dataChanged(index(first), index(last));
}

void PortfolioModel::queryEdited()
{
    emit queryChanged();
    count(true, {});
}

void PortfolioModel::setSortColumn(const QString &column)
{
    if (column == m_query.sortColumn || !sortableColumns().contains(column))
        return;
    m_query.sortColumn = column;
    queryEdited();
}

void PortfolioModel::setSortAscending(bool ascending)
{
    if (ascending == m_query.ascending)
        return;
    m_query.ascending = ascending;
    queryEdited();
}

void PortfolioModel::sortBy(const QString &column)
{
    if (column == m_query.sortColumn) {
        setSortAscending(!m_query.ascending);
    } else if (sortableColumns().contains(column)) {
        m_query.ascending = true;
        setSortColumn(column);
    }
}

#define CARTULARY_FILTER_SETTER(setter, member)                                                    \
    void PortfolioModel::setter(const QString &value)                                              \
    {                                                                                              \
        if (value == m_query.member)                                                               \
            return;                                                                                \
        m_query.member = value;                                                                    \
        queryEdited();                                                                             \
    }
CARTULARY_FILTER_SETTER(setSearchText, search)
CARTULARY_FILTER_SETTER(setTypeFilter, type)
CARTULARY_FILTER_SETTER(setPhaseFilter, phase)
CARTULARY_FILTER_SETTER(setStatusFilter, status)
CARTULARY_FILTER_SETTER(setJurisdictionFilter, jurisdiction)
CARTULARY_FILTER_SETTER(setOwnerFilter, owner)
#undef CARTULARY_FILTER_SETTER

void PortfolioModel::clearFilters()
{
    Query cleared;
    cleared.sortColumn = m_query.sortColumn;
    cleared.ascending = m_query.ascending;
    m_query = cleared;
    queryEdited();
}

QString PortfolioModel::assetIdAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? r->id : QString();
}

bool PortfolioModel::isRowLoaded(int row) const
{
    return row >= 0 && row < m_count && m_pages->find(row / PageSize);
}

int PortfolioModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

const PortfolioModel::Row *PortfolioModel::rowAt(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    const qint64 page = row / PageSize;
    const QList<Row> *rows = m_pages->find(page);
    if (!rows) {
        requestPage(page);
        return nullptr;
    }
    const qint64 offset = row - page * PageSize;
    return offset < rows->size() ? &rows->at(offset) : nullptr;
}

QVariant PortfolioModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && (role < AssetIdRole || role > PhaseTitleRole))
        return {};
    const Row *r = rowAt(index.row());
    if (!r)
        return QString(); // being read: every role is text, and views show it blank meanwhile
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return r->title;
    case AssetIdRole:
        return r->id;
    case ReferenceRole:
        return r->reference;
    case TypeRole:
        return r->type;
    case TypeTitleRole: {
        const auto t = assetType(r->type);
        return t ? t->title : r->type;
    }
    case JurisdictionsRole:
        return r->jurisdictions;
    case StatusRole:
        return r->status;
    case FilingDateRole:
        return r->filing;
    case GrantDateRole:
        return r->grant;
    case ExpiryDateRole:
        return r->expiry;
    case OwnersRole:
        return ownersForPeople(r->owners);
    case PhaseRole:
        return r->phase;
    case PhaseTitleRole: {
        const auto p = phaseFromId(r->phase);
        return p ? phaseTitle(*p) : r->phase;
    }
    }
    return {};
}

QHash<int, QByteArray> PortfolioModel::roleNames() const
{
    return {{AssetIdRole, "assetId"},      {ReferenceRole, "reference"},
            {TitleRole, "title"},          {TypeRole, "type"},
            {TypeTitleRole, "typeTitle"},  {JurisdictionsRole, "jurisdictions"},
            {StatusRole, "status"},        {FilingDateRole, "filingDate"},
            {GrantDateRole, "grantDate"},  {ExpiryDateRole, "expiryDate"},
            {OwnersRole, "owners"},        {PhaseRole, "phase"},
            {PhaseTitleRole, "phaseTitle"}};
}

} // namespace cartulary::model
