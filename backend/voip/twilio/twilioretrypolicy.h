#pragma once

#include <QRandomGenerator>

namespace Switchboard {

/// How long Twilio requests may take, and how often a failed one is tried again.
///
/// Throttling (429) and server errors (5xx) are transient at Twilio: an attempt that meets one,
/// or no answer at all, is repeated after an exponentially growing pause with jitter (so that
/// many operators retrying together do not hit Twilio in step), while the whole operation stays
/// within `budgetMs` — an operator waits for initiate, and the backend's own guard is longer.
struct TwilioRetryPolicy
{
    int maxAttempts = 4;
    int initialBackoffMs = 250;
    int maxBackoffMs = 2000;
    int attemptTimeoutMs = 2500; ///< one request, connection to last byte
    int budgetMs = 4500; ///< every attempt and pause together

    /// The pause before attempt `attempt` (2, 3, …): half the exponential step plus a random
    /// share of the other half.
    int backoffMs(int attempt) const
    {
        const int step = qMin(maxBackoffMs, initialBackoffMs << qMin(attempt - 2, 16));
        return step / 2 + int(QRandomGenerator::global()->bounded(step / 2 + 1));
    }

    /// A policy that tries once: for polls, which the next poll repeats anyway.
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
