#pragma once

#include "callstatus.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Switchboard {

/// Why a call failed, as stored in `failure_reason` and returned to clients (which translate it).
namespace FailureReason {
inline constexpr QStringView ProviderUnavailable = u"provider_unavailable";
inline constexpr QStringView ProviderError = u"provider_error";
inline constexpr QStringView MediaFailed = u"media_failed";
inline constexpr QStringView Busy = u"busy";
inline constexpr QStringView NoAnswer = u"no_answer";
inline constexpr QStringView SetupTimeout = u"setup_timeout";
inline constexpr QStringView Interrupted = u"interrupted"; ///< the instance holding it stopped
inline constexpr QStringView OperatorUnreachable = u"operator_unreachable"; ///< the far end answered, the operator's softphone did not
} // namespace FailureReason

/// How the call's media fared, sampled by the provider (webrtcbin statistics for the mock).
struct CallQuality
{
    double rttMs = 0;
    double jitterMs = 0;
    double packetLossPercent = 0;
    double mos = 0; ///< estimated mean opinion score, 1 (bad) to 4.5 (best)
    qint64 packetsReceived = 0;
};

/// One call placed by an operator, as stored.
struct Call
{
    QString id;
    QString userId;
    QString phoneNumber; ///< E.164
    QDateTime startTime; ///< UTC, when the operator initiated it
    int durationSeconds = 0; ///< counted from answeredAt
    CallStatus status = CallStatus::Initiated;
    QString sessionId;
    QString sdpOffer;
    QString sdpAnswer;
    QString provider;
    QString instanceId; ///< the Switchboard instance that holds the live session
    std::optional<QDateTime> answeredAt;
    std::optional<QDateTime> endedAt;
    std::optional<QDateTime> lastAliveAt;
    QString failureReason; ///< one of FailureReason, empty unless failed
    bool onHold = false; ///< the operator has put the far end on hold
    QString transferredTo; ///< E.164: the call was handed over to this number
    std::optional<CallQuality> quality; ///< live while the call runs, stored when it ends
    QString notes; ///< the operator's, at most 4,000 characters; the lifecycle never writes it
    QString outcome; ///< one of callOutcomes(), or empty; the operator's like `notes`
    QString contactName; ///< read only: the owner's contact with this number, when there is one
};

} // namespace Switchboard
