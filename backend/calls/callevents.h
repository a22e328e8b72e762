#pragma once

#include "domain/repositories.h"

namespace Switchboard {

struct Principal;

/// The event stream's use case: the changes of the calls a caller may follow, in commit order
/// and resumable by id. An operator follows its own calls, an admin everyone's. Events are kept
/// kRetentionHours (then purged), so a client may resume after any gap shorter than that.
///
/// Threads: any; it reads on the caller's own database connection.
class CallEventFeed
{
public:
    static constexpr int kBatch = 100;
    static constexpr int kRetentionHours = 24;

    explicit CallEventFeed(EventRepository &events);

    /// Up to kBatch events after `afterId`, oldest first.
    Result<QList<CallEvent>> after(const Principal &caller, qint64 afterId) const;
    /// Where a stream that asks for no past events starts.
    Result<qint64> latestId() const;

private:
    EventRepository &m_events;
};

} // namespace Switchboard
