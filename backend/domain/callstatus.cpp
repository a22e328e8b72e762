#include "callstatus.h"

#include <array>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr std::array<std::pair<CallStatus, QStringView>, 6> kNames{{
    {CallStatus::Initiated, u"initiated"},
    {CallStatus::Connecting, u"connecting"},
    {CallStatus::Active, u"active"},
    {CallStatus::Completed, u"completed"},
    {CallStatus::Failed, u"failed"},
    {CallStatus::Canceled, u"canceled"},
}};
} // namespace

QString toString(CallStatus status)
{
    for (const auto &[value, name] : kNames) {
        if (value == status)
            return name.toString();
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<CallStatus> callStatusFromString(const QString &text)
{
    for (const auto &[value, name] : kNames) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

bool isLive(CallStatus status)
{
    return status == CallStatus::Initiated || status == CallStatus::Connecting
        || status == CallStatus::Active;
}

} // namespace Switchboard
