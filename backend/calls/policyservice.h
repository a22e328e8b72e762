#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"

#include <QObject>

namespace Switchboard {

class Clock;
struct Principal;

/// The team's calling policy as admins read and replace it (`GET/PUT /api/policy`); the call
/// service obeys what is stored. Each change is recorded in the audit trail in the same commit.
///
/// Threads: reads run on the caller's thread; replace() may be called from any thread and
/// completes on the service's thread.
class PolicyService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxCallsPerDay = 100000;
    static constexpr int kMaxCallDurationSeconds = 24 * 3600;
    static constexpr int kMaxConcurrentCalls = 100000;

    PolicyService(PolicyRepository &policy, AuditRepository &audit, WriteQueue &writes, const Clock &clock,
                  QObject *parent = nullptr);

    Result<CallingPolicy> read(const Principal &admin) const;
    /// Stores `requested` (countries are normalised: upper-case, sorted, once each) and completes
    /// with the policy as stored. An unknown country or a limit out of range: ErrorCode::Validation.
    void replace(const Principal &admin, const CallingPolicy &requested, Completion<CallingPolicy> done);

private:
    PolicyRepository &m_policy;
    AuditRepository &m_audit;
    WriteQueue &m_writes;
    const Clock &m_clock;
};

} // namespace Switchboard
