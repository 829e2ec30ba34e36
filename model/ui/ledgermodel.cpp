// SPDX-License-Identifier: GPL-3.0-or-later
// LedgerModel: pages are keyed by Merkle index, so appending never invalidates cached pages.
#include "model/ui/ledgermodel.h"

#include "ledger/crypto.h"
#include "ledger/entry.h"
#include "ledger/logstore.h"
#include "model/portfolio/documents.h"
#include "model/workspace/projection.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace cartulary::model {

struct LedgerModel::Row
{
    qint64 index = 0;
    QString time;
    QString author;
    qint64 seq = 0;
    QString kind;
    QString hash;
    QString summary;
};

namespace {

QString summarise(const QByteArray &kind, const QByteArray &bytes)
{
    auto decoded = ledger::decodeEntry(bytes);
    if (!decoded)
        return QObject::tr("(undecodable entry)");
    const QJsonObject body = QJsonDocument::fromJson(decoded->entry.body).object();
    if (kind == kinds::DocumentRecorded)
        return QObject::tr("%1 (%2 bytes) sha256 %3")
            .arg(body.value("name").toString())
            .arg(qint64(body.value("size").toDouble()))
            .arg(body.value("sha256").toString().left(16));
    return QString::fromUtf8(decoded->entry.body.left(120));
}

} // namespace

LedgerModel::LedgerModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_pages(std::make_unique<PageCache<Row>>(MaxPages))
{}

LedgerModel::~LedgerModel() = default;

void LedgerModel::setDatabasePath(const QString &path)
{
    beginResetModel();
    m_pages->clear();
    m_size = 0;
    auto store = ledger::LogStore::openReadOnly(path);
    m_store = store ? std::move(store).value() : nullptr;
    if (m_store)
        m_size = qint64(m_store->size());
    endResetModel();
    emit countChanged();
}

void LedgerModel::refresh()
{
    if (!m_store)
        return;
    const qint64 size = qint64(m_store->size());
    if (size == m_size)
        return;
    if (size < m_size) {
        beginResetModel();
        m_pages->clear();
        m_size = size;
        endResetModel();
    } else {
        // Newest first: the new entries appear at the top. Drop the last, partial page.
        m_pages->remove(m_size / PageSize);
        beginInsertRows({}, 0, int(size - m_size - 1));
        m_size = size;
        endInsertRows();
    }
    emit countChanged();
}

int LedgerModel::rowForIndex(int index) const
{
    return index >= 0 && index < m_size ? int(m_size - 1 - index) : -1;
}

int LedgerModel::indexForRow(int row) const
{
    return row >= 0 && row < m_size ? int(m_size - 1 - row) : -1;
}

int LedgerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_size);
}

const LedgerModel::Row *LedgerModel::rowAt(int row) const
{
    const qint64 index = indexForRow(row);
    if (index < 0 || !m_store)
        return nullptr;
    const qint64 page = index / PageSize;
    return m_pages->row(page, index - page * PageSize, [this](qint64 page) {
        QList<Row> rows;
        for (const ledger::StoredEntry &e : m_store->entries(quint64(page * PageSize), PageSize)) {
            Row r;
            r.index = qint64(e.index);
            r.time = QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            r.author = ledger::fingerprint(e.author);
            r.seq = qint64(e.seq);
            r.kind = QString::fromLatin1(e.kind);
            r.hash = ledger::toHex(e.hash);
            r.summary = summarise(e.kind, e.bytes);
            rows.append(std::move(r));
        }
        return rows;
    });
}

QVariant LedgerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row *r = rowAt(index.row());
    if (!r)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole:
        return r->summary;
    case IndexRole:
        return r->index;
    case TimeRole:
        return r->time;
    case AuthorRole:
        return r->author;
    case SeqRole:
        return r->seq;
    case KindRole:
        return r->kind;
    case HashRole:
        return r->hash;
    case ShortHashRole:
        return r->hash.left(16);
    }
    return {};
}

QHash<int, QByteArray> LedgerModel::roleNames() const
{
    return {{IndexRole, "entryIndex"},    {TimeRole, "time"},
            {AuthorRole, "author"},       {SeqRole, "seq"},
            {KindRole, "kind"},           {HashRole, "hash"},
            {ShortHashRole, "shortHash"}, {SummaryRole, "summary"}};
}

} // namespace cartulary::model
