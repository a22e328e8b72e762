#pragma once

#include "error.h"

#include <functional>
#include <utility>
#include <variant>

namespace Switchboard {

/// A value or the Error that prevented it; use cases return these instead of throwing.
template<typename T>
class Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T *operator->() const { return &value(); }
    const T &operator*() const { return value(); }

    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

/// Result of an operation that yields nothing but can fail.
struct Done
{
};
using Status = Result<Done>;

/// Continuation of an asynchronous use case; always invoked on the caller's thread.
template<typename T>
using Completion = std::function<void(Result<T>)>;

} // namespace Switchboard
