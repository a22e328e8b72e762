#pragma once

#include <QString>

#include <optional>

namespace Switchboard {

/// Lifecycle of a call row. `initiated` only exists while the provider is being asked for a session.
enum class CallStatus { Initiated, Connecting, Active, Completed, Failed, Canceled };

QString toString(CallStatus status);
std::optional<CallStatus> callStatusFromString(const QString &text);

/// A live call holds the operator's line: a second initiate is refused while one exists.
bool isLive(CallStatus status);

} // namespace Switchboard
