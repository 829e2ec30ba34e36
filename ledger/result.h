// SPDX-License-Identifier: GPL-3.0-or-later
// Result type for the trust core: a value or an error carrying a code and a message, no exceptions.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace cartulary {

/** What went wrong, in a form a user can act on: a stable code and a sentence saying what and
 * where. */
struct Error
{
    QString code;    ///< stable, machine-readable ("wrong-passphrase", "bad-signature", ...)
    QString message; ///< one line for a person: what, where, what to do
};

/** Either a value of type T or an Error; check ok() before value(). */
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    {}
    Result(Error error)
        : m_data(std::move(error))
    {}

    static Result failure(QString code, QString message)
    {
        return Result(Error{std::move(code), std::move(message)});
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_data); }
    const T &value() const & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    T *operator->() { return &std::get<T>(m_data); }
    const T *operator->() const { return &std::get<T>(m_data); }

    const Error &error() const { return std::get<Error>(m_data); }
    QString errorString() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_data;
};

/** Result of an operation that yields nothing but success or an Error. */
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error))
    {}

    static Status failure(QString code, QString message)
    {
        return Status(Error{std::move(code), std::move(message)});
    }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString errorString() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};

} // namespace cartulary
