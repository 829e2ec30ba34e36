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
        auto it = m_pages.find(page);
        if (it == m_pages.end()) {
            if (m_pages.size() >= m_maxPages)
                m_pages.remove(m_order.takeFirst());
            it = m_pages.insert(page, std::make_shared<QList<Row>>(load(page)));
            m_order.append(page);
        } else if (m_order.last() != page) {
            m_order.removeOne(page);
            m_order.append(page);
        }
        return offset >= 0 && offset < it.value()->size() ? &it.value()->at(offset) : nullptr;
    }

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
    int m_maxPages;
    QHash<qint64, std::shared_ptr<QList<Row>>> m_pages;
    QList<qint64> m_order; ///< least recently used first
};

} // namespace cartulary::model
