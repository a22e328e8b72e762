#pragma once

#include "domain/callsession.h"

#include <QString>

#include <optional>

namespace Switchboard {

/// A Twilio call's `CallStatus` (queued, initiated, ringing, in-progress, completed, busy,
/// no-answer, failed, canceled) and what it means for our session.
struct TwilioCallStatus
{
    enum class Stage { Placing, Answered, Ended };

    Stage stage = Stage::Placing;
    SessionStatus session = SessionStatus::Connecting; ///< Active once answered; Completed or Failed once ended
    QString failureReason; ///< one of FailureReason when Failed

    /// nullopt for a status Twilio does not document.
    static std::optional<TwilioCallStatus> parse(const QString &status);

    /// Stages only move forward: a status of an earlier stage arrived late and says nothing new.
    bool isAfter(Stage other) const { return int(stage) > int(other); }
};

} // namespace Switchboard
