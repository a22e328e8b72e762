#pragma once

#include "domain/result.h"

#include <QString>

#include <memory>
#include <optional>

/// Catches what an asynchronous use case reports, so that a test can QTRY_VERIFY(pending.done())
/// and then look at the result. The state is shared with the callback, so a completion that
/// arrives after the test has moved on writes into memory that is still alive.
template<typename T>
class PendingResult
{
public:
    Switchboard::Completion<T> callback() const
    {
        return [state = m_state](Switchboard::Result<T> result) {
            ++state->calls;
            state->result.emplace(std::move(result));
        };
    }

    bool done() const { return m_state->result.has_value(); }
    /// How many times the completion ran: a use case must report exactly once.
    int calls() const { return m_state->calls; }
    const Switchboard::Result<T> &result() const { return *m_state->result; }
    bool ok() const { return done() && result().ok(); }
    const T &value() const { return result().value(); }
    /// Nothing while pending or on success, so that QCOMPARE against a code fails instead of throwing.
    std::optional<Switchboard::ErrorCode> errorCode() const
    {
        return done() && !result().ok() ? std::optional(result().error().code) : std::nullopt;
    }
    /// Safe to build failure descriptions from whatever the state.
    QString errorMessage() const
    {
        if (!done())
            return QStringLiteral("(no result yet)");
        return result().ok() ? QStringLiteral("(no error)") : result().error().message;
    }

private:
    struct State
    {
        std::optional<Switchboard::Result<T>> result;
        int calls = 0;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};
