// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioModel: one COUNT per query change, then pages of rows by LIMIT/OFFSET on indexed order.
#include "model/ui/portfoliomodel.h"

#include "model/portfolio/asset.h"
#include "model/portfolio/valuechain.h"

namespace cartulary::model {

struct PortfolioModel::Row
{
    QString id, reference, title, type, jurisdictions, status, filing, grant, expiry, owners, phase;
};

namespace {

/** Column name in QML → SQL expression; ties are broken by reference so paging is stable. */
QString orderExpression(const QString &column)
{
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
    return map.value(column, QStringLiteral("reference"));
}

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

} // namespace

PortfolioModel::PortfolioModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_pages(std::make_unique<PageCache<Row>>(50))
{}

PortfolioModel::~PortfolioModel() = default;

const QStringList &PortfolioModel::sortableColumns()
{
    static const QStringList columns{"reference", "title",      "type",      "jurisdictions",
                                     "status",    "filingDate", "grantDate", "expiryDate",
                                     "owners",    "phase"};
    return columns;
}

void PortfolioModel::setDatabasePath(const QString &path)
{
    auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
    m_db = db ? std::move(db).value() : nullptr;
    requery();
}

void PortfolioModel::reload()
{
    requery();
}

QString PortfolioModel::whereClause(QList<QString> &binds) const
{
    QStringList conditions;
    if (!m_search.trimmed().isEmpty()) {
        // Every word must occur somewhere (reference, title, owners, identifiers, tags, creators).
        // Words of three characters or more go through the trigram index; shorter ones (which
        // trigrams cannot find) are checked on the rows the index left.
        QStringList phrases;
        for (const QString &word : m_search.toLower().split(u' ', Qt::SkipEmptyParts)) {
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
    if (!m_type.isEmpty()) {
        conditions.append(QStringLiteral("type = ?"));
        binds.append(m_type);
    }
    if (!m_phase.isEmpty()) {
        conditions.append(QStringLiteral("current_phase = ?"));
        binds.append(m_phase);
    }
    if (!m_status.isEmpty()) {
        conditions.append(QStringLiteral("status = ?"));
        binds.append(m_status);
    }
    if (!m_jurisdiction.isEmpty()) {
        conditions.append(QStringLiteral(
            "id IN (SELECT asset_id FROM asset_jurisdictions WHERE jurisdiction = ?)"));
        binds.append(m_jurisdiction);
    }
    if (!m_owner.isEmpty()) {
        conditions.append(
            QStringLiteral("id IN (SELECT asset_id FROM asset_owners WHERE name = ?)"));
        binds.append(m_owner);
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(" AND ");
}

void PortfolioModel::requery()
{
    beginResetModel();
    m_pages->clear();
    m_count = 0;
    m_total = 0;
    if (m_db) {
        auto total = m_db->prepare("SELECT COUNT(*) FROM assets");
        if (total.isValid() && total.next())
            m_total = int(total.int64(0));
        QList<QString> binds;
        const QString where = whereClause(binds);
        if (where.isEmpty()) {
            m_count = m_total;
        } else {
            auto st = m_db->prepare(("SELECT COUNT(*) FROM assets" + where).toUtf8().constData());
            for (int i = 0; i < binds.size(); ++i)
                st.bind(i + 1, binds[i]);
            if (st.isValid() && st.next())
                m_count = int(st.int64(0));
        }
    }
    endResetModel();
    emit countChanged();
}

void PortfolioModel::setSortColumn(const QString &column)
{
    if (column == m_sortColumn || !sortableColumns().contains(column))
        return;
    m_sortColumn = column;
    emit queryChanged();
    requery();
}

void PortfolioModel::setSortAscending(bool ascending)
{
    if (ascending == m_ascending)
        return;
    m_ascending = ascending;
    emit queryChanged();
    requery();
}

void PortfolioModel::sortBy(const QString &column)
{
    if (column == m_sortColumn) {
        setSortAscending(!m_ascending);
    } else {
        m_ascending = true;
        setSortColumn(column);
    }
}

#define CARTULARY_FILTER_SETTER(setter, member)                                                    \
    void PortfolioModel::setter(const QString &value)                                              \
    {                                                                                              \
        if (value == member)                                                                       \
            return;                                                                                \
        member = value;                                                                            \
        emit queryChanged();                                                                       \
        requery();                                                                                 \
    }
CARTULARY_FILTER_SETTER(setSearchText, m_search)
CARTULARY_FILTER_SETTER(setTypeFilter, m_type)
CARTULARY_FILTER_SETTER(setPhaseFilter, m_phase)
CARTULARY_FILTER_SETTER(setStatusFilter, m_status)
CARTULARY_FILTER_SETTER(setJurisdictionFilter, m_jurisdiction)
CARTULARY_FILTER_SETTER(setOwnerFilter, m_owner)
#undef CARTULARY_FILTER_SETTER

void PortfolioModel::clearFilters()
{
    m_search.clear();
    m_type.clear();
    m_phase.clear();
    m_status.clear();
    m_jurisdiction.clear();
    m_owner.clear();
    emit queryChanged();
    requery();
}

QString PortfolioModel::assetIdAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? r->id : QString();
}

int PortfolioModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

const PortfolioModel::Row *PortfolioModel::rowAt(int row) const
{
    if (row < 0 || row >= m_count || !m_db)
        return nullptr;
    const int page = row / PageSize;
    return m_pages->row(page, row - page * PageSize, [this](qint64 page) {
        QList<QString> binds;
        const QString sql =
            QStringLiteral("SELECT id, reference, title, type, jurisdictions, status, filing_date, "
                           "grant_date, expiry_date, owners, current_phase FROM assets") +
            whereClause(binds) +
            QStringLiteral(" ORDER BY %1 %2, reference LIMIT ? OFFSET ?")
                .arg(orderExpression(m_sortColumn),
                     m_ascending ? QStringLiteral("ASC") : QStringLiteral("DESC"));
        auto st = m_db->prepare(sql.toUtf8().constData());
        for (int i = 0; i < binds.size(); ++i)
            st.bind(i + 1, binds[i]);
        // Bound, not spliced: one cached statement serves every page.
        st.bind(int(binds.size()) + 1, qint64(PageSize))
            .bind(int(binds.size()) + 2, page * PageSize);
        QList<Row> rows;
        while (st.next())
            rows.append({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                         st.text(6), st.text(7), st.text(8), st.text(9), st.text(10)});
        return rows;
    });
}

QVariant PortfolioModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row *r = rowAt(index.row());
    if (!r)
        return {};
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
