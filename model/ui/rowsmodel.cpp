// SPDX-License-Identifier: GPL-3.0-or-later
// RowsModel: rows replaced whole by a read, announced to views as precisely as the keys allow.
#include "model/ui/rowsmodel.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <numeric>

namespace cartulary::model {

namespace {

QString keyOf(const RowsModel::Row &row, int key)
{
    return row.value(key).toString();
}

/** Strings as people sort them (case and accents second); numbers and the rest as values. */
bool less(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString)
        return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
    return QVariant::compare(a, b) == QPartialOrdering::Less;
}

} // namespace

RowsModel::RowsModel(const QStringList &roles, const QString &keyRole,
                     const QHash<QString, QString> &sortRoles, QObject *parent)
    : QAbstractListModel(parent)
    , m_roles(roles)
    , m_key(int(std::max<qsizetype>(0, roles.indexOf(keyRole))))
    , m_sortRoles(sortRoles)
{
    Q_ASSERT(roles.contains(keyRole));
}

RowsModel::~RowsModel() = default;

void RowsModel::sortRows(QList<Row> &rows) const
{
    if (m_sortColumn.isEmpty())
        return;
    const int by = int(m_roles.indexOf(m_sortRoles.value(m_sortColumn, m_sortColumn)));
    if (by < 0)
        return;
    std::stable_sort(rows.begin(), rows.end(), [by, this](const Row &a, const Row &b) {
        return m_ascending ? less(a.value(by), b.value(by)) : less(b.value(by), a.value(by));
    });
}

void RowsModel::setRows(QList<Row> rows)
{
    for (Row &r : rows)
        r.resize(m_roles.size());
    sortRows(rows);
    const int before = count();
    if (!applyPrecisely(rows)) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
    if (count() != before)
        emit countChanged();
}

bool RowsModel::applyPrecisely(const QList<Row> &rows)
{
    QHash<QString, qsizetype> newAt;
    for (qsizetype i = 0; i < rows.size(); ++i)
        if (newAt.contains(keyOf(rows.at(i), m_key)))
            return false; // keys must identify rows
        else
            newAt.insert(keyOf(rows.at(i), m_key), i);
    // The rows that stay must keep their order; a bulk reload with nothing in common resets.
    qsizetype last = -1, kept = 0;
    QSet<QString> oldKeys;
    for (const Row &r : std::as_const(m_rows)) {
        const QString key = keyOf(r, m_key);
        oldKeys.insert(key);
        const auto it = newAt.constFind(key);
        if (it == newAt.cend())
            continue;
        if (*it < last)
            return false;
        last = *it;
        ++kept;
    }
    if (oldKeys.size() != m_rows.size())
        return false;
    if (kept == 0 && !m_rows.isEmpty() && !rows.isEmpty())
        return false;
    // Removals, from the end, a block at a time.
    for (qsizetype end = m_rows.size() - 1; end >= 0;) {
        if (newAt.contains(keyOf(m_rows.at(end), m_key))) {
            --end;
            continue;
        }
        qsizetype begin = end;
        while (begin > 0 && !newAt.contains(keyOf(m_rows.at(begin - 1), m_key)))
            --begin;
        beginRemoveRows({}, int(begin), int(end));
        m_rows.remove(begin, end - begin + 1);
        endRemoveRows();
        end = begin - 1;
    }
    // Insertions where the new order puts them, and changes in place.
    for (qsizetype i = 0; i < rows.size();) {
        if (i < m_rows.size() && keyOf(m_rows.at(i), m_key) == keyOf(rows.at(i), m_key)) {
            if (m_rows.at(i) != rows.at(i)) {
                m_rows[i] = rows.at(i);
                emit dataChanged(index(int(i)), index(int(i)));
            }
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end + 1 < rows.size() && !oldKeys.contains(keyOf(rows.at(end + 1), m_key)))
            ++end;
        beginInsertRows({}, int(i), int(end));
        m_rows.insert(i, end - i + 1, Row());
        for (qsizetype k = i; k <= end; ++k)
            m_rows[k] = rows.at(k);
        endInsertRows();
        i = end + 1;
    }
    return true;
}

void RowsModel::sortBy(const QString &column)
{
    if (!m_roles.contains(m_sortRoles.value(column, column)))
        return;
    m_ascending = column == m_sortColumn ? !m_ascending : true;
    m_sortColumn = column;
    emit sortChanged();
    const int by = int(m_roles.indexOf(m_sortRoles.value(column, column)));
    QList<int> order(m_rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const QVariant &x = m_rows.at(a).at(by);
        const QVariant &y = m_rows.at(b).at(by);
        return m_ascending ? less(x, y) : less(y, x);
    });
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QList<int> newRowOf(order.size());
    QList<Row> sorted;
    sorted.reserve(m_rows.size());
    for (int i = 0; i < order.size(); ++i) {
        newRowOf[order.at(i)] = i;
        sorted.append(m_rows.at(order.at(i)));
    }
    m_rows = std::move(sorted);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    for (const QModelIndex &i : from)
        to.append(index(newRowOf.value(i.row())));
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QVariantMap RowsModel::get(int row) const
{
    QVariantMap out;
    if (row < 0 || row >= count())
        return out;
    for (int i = 0; i < m_roles.size(); ++i)
        out.insert(m_roles.at(i), m_rows.at(row).at(i));
    return out;
}

QVariant RowsModel::value(int row, const QString &role) const
{
    const qsizetype at = m_roles.indexOf(role);
    return row < 0 || row >= count() || at < 0 ? QVariant() : m_rows.at(row).at(at);
}

int RowsModel::rowOf(const QVariant &key) const
{
    const QString k = key.toString();
    for (int i = 0; i < count(); ++i)
        if (keyOf(m_rows.at(i), m_key) == k)
            return i;
    return -1;
}

int RowsModel::rowWhere(const QString &role, const QVariant &value) const
{
    const qsizetype at = m_roles.indexOf(role);
    for (int i = 0; at >= 0 && i < count(); ++i)
        if (m_rows.at(i).at(at) == value)
            return i;
    return -1;
}

int RowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant RowsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int at = role == Qt::DisplayRole ? 0 : role - (Qt::UserRole + 1);
    if (at < 0 || at >= m_roles.size())
        return {};
    return m_rows.at(index.row()).at(at);
}

QHash<int, QByteArray> RowsModel::roleNames() const
{
    QHash<int, QByteArray> names;
    for (int i = 0; i < m_roles.size(); ++i)
        names.insert(Qt::UserRole + 1 + i, m_roles.at(i).toUtf8());
    return names;
}

} // namespace cartulary::model
