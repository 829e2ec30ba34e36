// SPDX-License-Identifier: GPL-3.0-or-later
// A thin RAII layer over the SQLite C API: one Database per thread, prepared Statements,
// Transactions.
#pragma once

#include "ledger/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace cartulary::sql {

/**
 * A prepared statement; bind with 1-based indexes, read columns with 0-based ones. Statements from
 * Database::prepare() are borrowed from the connection's cache: parsed once, reset (never
 * finalized) when the Statement goes out of scope, so no read stays open behind the caller's back.
 */
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, const char *sql);
    struct Cached;
    /** Borrows a cached statement; it is lent again once this Statement is gone. */
    Statement(sqlite3 *db, std::shared_ptr<Cached> cached);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }

    Statement &bind(int index, qint64 value);
    Statement &bind(int index, QByteArrayView blob);
    Statement &bind(int index, const QByteArray &blob) { return bind(index, QByteArrayView(blob)); }
    Statement &bind(int index, const QString &text);
    Statement &bind(int index, const char *text) { return bind(index, QString::fromUtf8(text)); }
    /** Binds UTF-8 (or ASCII) bytes as TEXT, without a detour through QString. */
    Statement &bindText(int index, QByteArrayView utf8);
    Statement &bindNull(int index);

    /** Steps once: true while a row is available; false when done or on error (see failed()). */
    bool next();
    /** Runs a statement that returns no rows; resets it for reuse. */
    Status exec();
    void reset();
    bool failed() const { return m_failed; }

    qint64 int64(int column) const;
    QByteArray blob(int column) const;
    QString text(int column) const;
    bool isNull(int column) const;
    int columnCount() const;

    QString errorMessage() const;

private:
    void release();

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::shared_ptr<Cached> m_cached; ///< set when borrowed from the connection's cache
    bool m_failed = false;
    bool m_done = false; ///< stepped to SQLITE_DONE: stepping again would restart the query
};

/** A parsed statement kept for reuse by its connection. */
struct Statement::Cached
{
    sqlite3_stmt *stmt = nullptr;
    bool inUse = false;    ///< a Statement borrows it now
    bool orphaned = false; ///< the connection went first: the borrower finalizes it
};

/** One connection; never shared between threads. */
class Database
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    Database() = default;
    ~Database();
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /** Opens (creating in ReadWrite mode) with WAL, foreign keys on and a busy timeout. */
    static Result<std::shared_ptr<Database>> open(const QString &path, Mode mode = Mode::ReadWrite);

    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }
    Status exec(const char *sql);
    Statement prepare(const char *sql) const;
    QString errorMessage() const;
    int userVersion();
    Status setUserVersion(int version);

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    mutable std::unordered_map<std::string, std::shared_ptr<Statement::Cached>> m_cache;
};

/** BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded. */
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    const Status &begun() const { return m_begun; }
    Status commit();

private:
    Database &m_db;
    Status m_begun;
    bool m_open = false;
};

} // namespace cartulary::sql
