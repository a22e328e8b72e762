#include "callevents.h"

#include "auth/authservice.h"

namespace Switchboard {

CallEventFeed::CallEventFeed(EventRepository &events) : m_events(events) {}

Result<QList<CallEvent>> CallEventFeed::after(const Principal &caller, qint64 afterId) const
{
    return m_events.eventsAfter({caller.isAdmin() ? QString() : caller.userId, afterId, kBatch});
}

Result<qint64> CallEventFeed::latestId() const
{
    return m_events.lastEventId();
}

} // namespace Switchboard
