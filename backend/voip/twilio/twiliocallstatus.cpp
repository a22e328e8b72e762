#include "twiliocallstatus.h"

#include "domain/call.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

std::optional<TwilioCallStatus> TwilioCallStatus::parse(const QString &status)
{
    using Stage = TwilioCallStatus::Stage;
    if (status == u"queued"_s || status == u"initiated"_s || status == u"ringing"_s)
        return TwilioCallStatus{Stage::Placing, SessionStatus::Connecting, {}};
    if (status == u"in-progress"_s)
        return TwilioCallStatus{Stage::Answered, SessionStatus::Active, {}};
    // The far end hung up (or, before an answer, the call was withdrawn): CallService makes it
    // completed or canceled depending on whether it was ever active.
    if (status == u"completed"_s || status == u"canceled"_s)
        return TwilioCallStatus{Stage::Ended, SessionStatus::Completed, {}};
    if (status == u"busy"_s)
        return TwilioCallStatus{Stage::Ended, SessionStatus::Failed, FailureReason::Busy.toString()};
    if (status == u"no-answer"_s)
        return TwilioCallStatus{Stage::Ended, SessionStatus::Failed, FailureReason::NoAnswer.toString()};
    if (status == u"failed"_s)
        return TwilioCallStatus{Stage::Ended, SessionStatus::Failed, FailureReason::ProviderError.toString()};
    return std::nullopt;
}

} // namespace Switchboard
