// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers the domain tests share: one command as a JSON line, read tables dumped for comparing a
// projection with its rebuild, a demo portfolio to work on, and files to import.
#pragma once

#include "ledger/sqlite.h"
#include "model/io/demo.h"
#include "model/royalties/royalties.h"
#include "model/workspace/commands.h"
#include "model/workspace/workspace.h"
#include "tests/testutil.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QStringList>
#include <QThreadPool>

#include <initializer_list>

namespace cartulary::testutil {

/** One command of the `apply` language, as a line of a JSON-lines file. */
inline QByteArray line(const QJsonObject &command)
{
    return QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n';
}

/** A grant-licence command dated 2024-01-01; extra adds or replaces fields (royalty, policy…). */
inline QJsonObject licenceCommand(const QString &ref, const QString &asset, const QString &licensor,
                                  const QString &licensee, const QJsonObject &extra = {})
{
    QJsonObject c{{"command", "grant-licence"}, {"reference", ref},
                  {"title", "Licence " + ref},  {"asset", asset},
                  {"licensor", licensor},       {"licensee", licensee},
                  {"granted", "2024-01-01"}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        c.insert(it.key(), it.value());
    return c;
}

/** A record-derivation command: child from each (parent, licence — empty for none). */
inline QJsonObject deriveCommand(const QString &child,
                                 const QList<QPair<QString, QString>> &parents,
                                 const QString &date = "2024-06-01",
                                 const QString &kind = "training")
{
    QJsonArray list;
    for (const auto &[asset, licence] : parents) {
        QJsonObject p{{"asset", asset}};
        if (!licence.isEmpty())
            p.insert("licence", licence);
        list.append(p);
    }
    return {{"command", "record-derivation"},
            {"child", child},
            {"parents", list},
            {"kind", kind},
            {"date", date}};
}

/** Every row of the tables, in a stable order, bytes in hex: equal dumps mean equal tables. */
inline QStringList dumpTables(sql::Database &db, std::initializer_list<const char *> tables)
{
    QStringList rows;
    for (const char *table : tables) {
        auto st = db.prepare(QByteArray("SELECT * FROM ") + table + " ORDER BY 1, 2");
        while (st.next()) {
            QStringList cols{QString::fromLatin1(table)};
            for (int c = 0; c < st.columnCount(); ++c)
                cols.append(QString::fromLatin1(st.blob(c).toHex()));
            rows.append(cols.join(u'|'));
        }
    }
    return rows;
}

/**
 * Keeps every thread of a pool busy until released, so that work sent to it waits in its queue:
 * a test can then look at what a caller does before the work runs, or queue several jobs in order.
 */
class PoolBlocker
{
public:
    explicit PoolBlocker(QThreadPool &pool)
        : m_threads(pool.maxThreadCount())
    {
        for (int i = 0; i < m_threads; ++i)
            pool.start([this] {
                m_started.release();
                m_release.acquire();
            });
        m_started.acquire(m_threads);
    }
    ~PoolBlocker() { release(); }
    PoolBlocker(const PoolBlocker &) = delete;
    PoolBlocker &operator=(const PoolBlocker &) = delete;
    void release()
    {
        if (!m_released)
            m_release.release(m_threads);
        m_released = true;
    }

private:
    int m_threads;
    QSemaphore m_started, m_release;
    bool m_released = false;
};

/**
 * A work.shares draft: source's claim of one publisher share ("SOURCE Music", basisPoints) of a
 * work for the performing right, with alternative titles — what a CWR sender's registration signs.
 */
inline ledger::Draft publisherShares(const QString &assetId, const QString &source, int basisPoints,
                                     const QStringList &titles = {})
{
    const QJsonObject share{{"right", "performing"},
                            {"party", source + " Music"},
                            {"ipi", ""},
                            {"role", "publisher"},
                            {"basisPoints", basisPoints}};
    const QJsonObject body{{"asset", assetId},
                           {"source", source},
                           {"shares", QJsonArray{share}},
                           {"titles", QJsonArray::fromStringList(titles)}};
    return {model::kinds::WorkShares, QJsonDocument(body).toJson(QJsonDocument::Compact), 0};
}

/** The passphrase of the portfolios these helpers create. */
inline constexpr char Passphrase[] = "model passphrase";

/**
 * Creates the demo organisation's identity (cheap key derivation) and its demo portfolio as of
 * today in dataDir; true when every command was signed.
 */
inline bool createDemo(const QString &dataDir, const QDate &today = QDate::currentDate())
{
    model::Workspace ws(dataDir);
    return ws.create(model::demoOrganisation(), Passphrase, ledger::KdfLimits::interactive())
               .ok() &&
           model::applyJsonLines(ws, model::demoCommands(today)).ok();
}

} // namespace cartulary::testutil
