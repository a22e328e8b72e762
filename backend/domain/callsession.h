#pragma once

#include <QDateTime>
#include <QString>

namespace Switchboard {

enum class SessionStatus { Initialized, Connecting, Active, Completed, Failed };

/// The provider side of a call while it is live, kept by the SessionManager.
struct CallSession
{
    QString sessionId;
    QString callId;
    QString userId;
    SessionStatus status = SessionStatus::Initialized;
    QDateTime createdAt;
    QDateTime answeredAt;
    QDateTime lastSeenAt;
};

} // namespace Switchboard
