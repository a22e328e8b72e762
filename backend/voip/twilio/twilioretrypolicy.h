#pragma once

#include <QRandomGenerator>

namespace Switchboard {

/// How long Twilio requests may take, and how often a failed one is tried again.
///
/// A throttled attempt (429) was not processed and is always repeated. Server errors (5xx), no
/// answer and dropped connections leave it open whether Twilio acted: those are repeated only
/// when `retryUnanswered` says the request may safely happen twice (ending a call may; creating
/// or redirecting one may not — that would dial twice). Each pause grows exponentially with
/// jitter (so that many operators retrying together do not hit Twilio in step), and the whole
/// operation stays within `budgetMs` — an operator waits for initiate, and the backend's own
/// guard is longer.
struct TwilioRetryPolicy
{
    int maxAttempts = 4;
    int initialBackoffMs = 250;
    int maxBackoffMs = 2000;
    int attemptTimeoutMs = 2500; ///< one request, connection to last byte
    int budgetMs = 4500; ///< every attempt and pause together
    bool retryUnanswered = true;

    /// The pause before attempt `attempt` (2, 3, …): half the exponential step plus a random
    /// share of the other half.
    int backoffMs(int attempt) const
    {
        const int step = qMin(maxBackoffMs, initialBackoffMs << qMin(attempt - 2, 16));
        return step / 2 + int(QRandomGenerator::global()->bounded(step / 2 + 1));
    }

    /// The same bounds, for a request that must not happen twice: only a throttled attempt,
    /// which Twilio did not process, is repeated.
    TwilioRetryPolicy onlyThrottled() const
    {
        TwilioRetryPolicy policy = *this;
        policy.retryUnanswered = false;
        return policy;
    }

    /// A policy that tries once: for reads, which the caller repeats on its own schedule.
    static TwilioRetryPolicy once(int timeoutMs)
    {
        TwilioRetryPolicy policy;
        policy.maxAttempts = 1;
        policy.attemptTimeoutMs = timeoutMs;
        policy.budgetMs = timeoutMs;
        return policy;
    }
};

} // namespace Switchboard
