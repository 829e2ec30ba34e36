// SPDX-License-Identifier: GPL-3.0-or-later
// A small least-recently-used cache of pages of rows, for item models that read lazily.
#pragma once

#include <QHash>
#include <QList>

#include <functional>
#include <memory>

namespace cartulary::model {

/** Pages of rows by page number; the least recently used page goes when the cache is full. */
template<typename Row>
class PageCache
{
public:
    explicit PageCache(int maxPages)
        : m_maxPages(maxPages)
    {}

    /** The row at offset in page, loading the page with load() when it is not cached. */
    const Row *row(qint64 page, qint64 offset, const std::function<QList<Row>(qint64)> &load)
    {
        const QList<Row> *rows = find(page);
        if (!rows) {
            insert(page, load(page));
            rows = m_pages.value(page).get();
        }
        return offset >= 0 && offset < rows->size() ? &rows->at(offset) : nullptr;
    }

    /** The cached page, or null; a hit makes it the most recently used. */
    const QList<Row> *find(qint64 page)
    {
        auto it = m_pages.find(page);
        if (it == m_pages.end())
            return nullptr;
        touch(page);
        return it.value().get();
    }

    /** Caches rows as page (replacing it), evicting the least recently used page when full. */
    void insert(qint64 page, QList<Row> rows)
    {
        if (!m_pages.contains(page) && m_pages.size() >= m_maxPages)
            m_pages.remove(m_order.takeFirst());
        m_pages.insert(page, std::make_shared<QList<Row>>(std::move(rows)));
        touch(page);
    }

    /** The pages cached, in no particular order. */
    QList<qint64> pages() const { return m_pages.keys(); }

    void remove(qint64 page)
    {
        m_pages.remove(page);
        m_order.removeAll(page);
    }

    void clear()
    {
        m_pages.clear();
        m_order.clear();
    }

private:
    void touch(qint64 page)
    {
        if (!m_order.isEmpty() && m_order.last() == page)
            return;
        m_order.removeOne(page);
        m_order.append(page);
    }

    int m_maxPages;
    QHash<qint64, std::shared_ptr<QList<Row>>> m_pages;
    QList<qint64> m_order; ///< least recently used first
};

} // namespace cartulary::model
