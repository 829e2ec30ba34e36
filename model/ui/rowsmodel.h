// SPDX-License-Identifier: GPL-3.0-or-later
// A list model of rows whose values are named roles, set whole by a controller after a worker's
// read: the royalties' tables (holders, works, explanation lines, unmatched usage, disputes,
// imports) without one class each.
#pragma once

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QStringList>

namespace cartulary::model {

/**
 * Rows of values by role, in the order of the role names given (the first role is
 * Qt::UserRole + 1). A key role identifies a row across reads, so that a new read changes rows in
 * place, removes the rows that went and inserts the rows that came where it can, and resets the
 * model only when the order changed otherwise. Sorting by a column reorders the rows (a layout
 * change); a column may sort by another role (an amount's text by its integer).
 */
class RowsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RowsModel is provided by a controller")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortAscending READ sortAscending NOTIFY sortChanged)

public:
    /** One row: its values in the order of the role names. */
    using Row = QVariantList;

    /**
     * roles: the role names, in order; keyRole: the role whose value identifies a row; sortRoles:
     * column → the role it sorts by, for columns that do not sort by their own role.
     */
    RowsModel(const QStringList &roles, const QString &keyRole,
              const QHash<QString, QString> &sortRoles = {}, QObject *parent = nullptr);
    ~RowsModel() override;

    /** Replaces the rows (in the current sort order, or as given when unsorted). */
    void setRows(QList<Row> rows);
    const QList<Row> &rows() const { return m_rows; }
    int count() const { return int(m_rows.size()); }

    QString sortColumn() const { return m_sortColumn; }
    bool sortAscending() const { return m_ascending; }
    /** Sorts by a column (a role name); the same column again reverses the order. */
    Q_INVOKABLE void sortBy(const QString &column);
    /** Every value of a row by role name (for a detail pane); empty out of range. */
    Q_INVOKABLE QVariantMap get(int row) const;
    /** The value of one role in a row, or an invalid value. */
    Q_INVOKABLE QVariant value(int row, const QString &role) const;
    /** The row whose key is key, or -1. */
    Q_INVOKABLE int rowOf(const QVariant &key) const;
    /** The first row whose role holds value, or -1. */
    Q_INVOKABLE int rowWhere(const QString &role, const QVariant &value) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();
    void sortChanged();

private:
    void sortRows(QList<Row> &rows) const;
    /** Removals and insertions that turn the current keys into keys, or false when the relative
     * order of the rows that stay differs (then the model resets). */
    bool applyPrecisely(const QList<Row> &rows);

    QStringList m_roles;
    int m_key = 0;
    QHash<QString, QString> m_sortRoles;
    QList<Row> m_rows;
    QString m_sortColumn;
    bool m_ascending = true;
};

} // namespace cartulary::model
