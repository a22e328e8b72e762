#pragma once

#include "call.h"

#include <QDateTime>
#include <QString>

#include <optional>

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
    std::optional<CallQuality> quality; ///< the provider's latest sample, while the call runs
    int maxDurationSeconds = 0; ///< the calling policy's limit when the call was placed (0: none)
};

} // namespace Switchboard
