// SPDX-License-Identifier: GPL-3.0-or-later
// SQLite C API wrapper: errors become Status values carrying SQLite's own message.
#include "ledger/sqlite.h"

#include <sqlite3.h>

namespace cartulary::sql {

Statement::Statement(sqlite3 *db, const char *sql)
    : m_db(db)
{
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        m_stmt = nullptr;
        m_failed = true;
    }
}

Statement::Statement(sqlite3 *db, std::shared_ptr<Cached> cached)
    : m_db(db)
    , m_stmt(cached->stmt)
    , m_cached(std::move(cached))
{
    m_cached->inUse = true;
}

void Statement::release()
{
    if (m_cached && !m_cached->orphaned) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        m_cached->inUse = false;
    } else {
        sqlite3_finalize(m_stmt); // our own, or orphaned by a closed connection
    }
    m_stmt = nullptr;
    m_cached.reset();
}

Statement::~Statement()
{
    release();
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
    , m_cached(std::move(other.m_cached))
    , m_failed(other.m_failed)
    , m_done(other.m_done)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        m_cached = std::move(other.m_cached);
        m_failed = other.m_failed;
        m_done = other.m_done;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement &Statement::bind(int index, QByteArrayView blob)
{
    // SQLITE_TRANSIENT: the caller's buffer may not outlive the step.
    if (sqlite3_bind_blob64(m_stmt, index, blob.isNull() ? "" : blob.data(),
                            sqlite3_uint64(blob.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement &Statement::bind(int index, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (sqlite3_bind_text64(m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()),
                            SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement &Statement::bindText(int index, QByteArrayView utf8)
{
    if (sqlite3_bind_text64(m_stmt, index, utf8.isNull() ? "" : utf8.data(),
                            sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement &Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        m_failed = true;
    return *this;
}

bool Statement::next()
{
    if (!m_stmt || m_failed || m_done)
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        m_done = true;
    else
        m_failed = true;
    return false;
}

Status Statement::exec()
{
    if (!m_stmt)
        return Status::failure("sqlite", QStringLiteral("statement failed to prepare: %1")
                                             .arg(QString::fromUtf8(sqlite3_errmsg(m_db))));
    if (m_failed) {
        const QString message = errorMessage();
        reset();
        return Status::failure("sqlite", message);
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
        reset();
        return Status::failure(rc == SQLITE_CONSTRAINT ? "constraint" : "sqlite", message);
    }
    reset();
    return {};
}

void Statement::reset()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    m_failed = false;
    m_done = false;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QByteArray Statement::blob(int column) const
{
    const void *data = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return QByteArray(static_cast<const char *>(data), size);
}

QString Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return QString::fromUtf8(data, size);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QString Statement::errorMessage() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

namespace {
/** Finalizes the cached statements nobody borrows; a borrower finalizes its own later (close_v2
 *  keeps the connection until then). */
void dropCache(std::unordered_map<std::string, std::shared_ptr<Statement::Cached>> &cache)
{
    for (auto &[sql, cached] : cache) {
        if (cached->inUse)
            cached->orphaned = true;
        else
            sqlite3_finalize(cached->stmt);
    }
    cache.clear();
}
} // namespace

Database::~Database()
{
    dropCache(m_cache);
    sqlite3_close_v2(m_db);
}

Database::Database(Database &&other) noexcept
    : m_db(other.m_db)
    , m_path(std::move(other.m_path))
    , m_cache(std::move(other.m_cache))
{
    other.m_db = nullptr;
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        dropCache(m_cache);
        sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_cache = std::move(other.m_cache);
        other.m_db = nullptr;
    }
    return *this;
}

Result<std::shared_ptr<Database>> Database::open(const QString &path, Mode mode)
{
    static const bool configured = [] {
        // No global memory statistics: they take a process-wide mutex on every allocation.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return sqlite3_initialize() == SQLITE_OK;
    }();
    if (!configured)
        return Result<std::shared_ptr<Database>>::failure("open-failed",
                                                          QStringLiteral("SQLite failed to start"));
    auto db = std::make_shared<Database>();
    db->m_path = path;
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    const QByteArray file = path.toUtf8();
    if (sqlite3_open_v2(file.constData(), &db->m_db, flags, nullptr) != SQLITE_OK) {
        const QString why = db->m_db ? QString::fromUtf8(sqlite3_errmsg(db->m_db))
                                     : QStringLiteral("out of memory");
        return Result<std::shared_ptr<Database>>::failure(
            "open-failed", QStringLiteral("cannot open database %1: %2").arg(path, why));
    }
    sqlite3_busy_timeout(db->m_db, 10000);
    sqlite3_extended_result_codes(db->m_db, 1);
    Status s = db->exec("PRAGMA foreign_keys=ON");
    if (s && mode == Mode::ReadWrite)
        s = db->exec("PRAGMA journal_mode=WAL");
    if (s)
        s = db->exec("PRAGMA synchronous=FULL");
    if (s) // 64 MiB page cache: the hash index takes random inserts
        s = db->exec("PRAGMA cache_size=-65536");
    if (!s)
        return Result<std::shared_ptr<Database>>::failure(
            "open-failed",
            QStringLiteral("cannot open database %1: %2").arg(path, s.errorString()));
    return db;
}

Status Database::exec(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString message = QString::fromUtf8(err ? err : sqlite3_errmsg(m_db));
        sqlite3_free(err);
        return Status::failure("sqlite", message);
    }
    return {};
}

Statement Database::prepare(const char *sql) const
{
    // Parsing costs more than running most of our statements: keep each one, lend it out, and
    // prepare a private copy only when the cached one is already lent (nested use).
    constexpr std::size_t MaxCached = 256; // generated SQL must not grow the cache without bound
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        if (m_cache.size() >= MaxCached)
            return Statement(m_db, sql);
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
            SQLITE_OK)
            return Statement(m_db, sql); // reports the error the same way
        it = m_cache.emplace(sql, std::make_shared<Statement::Cached>(Statement::Cached{stmt}))
                 .first;
    }
    if (it->second->inUse)
        return Statement(m_db, sql);
    return Statement(m_db, it->second);
}

QString Database::errorMessage() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

int Database::userVersion()
{
    Statement st = prepare("PRAGMA user_version");
    return st.next() ? int(st.int64(0)) : -1;
}

Status Database::setUserVersion(int version)
{
    return exec(QByteArray("PRAGMA user_version=" + QByteArray::number(version)).constData());
}

Transaction::Transaction(Database &db)
    : m_db(db)
{
    m_begun = m_db.exec("BEGIN IMMEDIATE");
    m_open = m_begun.ok();
}

Transaction::~Transaction()
{
    if (m_open)
        (void)m_db.exec("ROLLBACK");
}

Status Transaction::commit()
{
    if (!m_open)
        return m_begun.ok() ? Status::failure("sqlite", QStringLiteral("transaction already ended"))
                            : m_begun;
    Status s = m_db.exec("COMMIT");
    if (s)
        m_open = false;
    return s;
}

} // namespace cartulary::sql
