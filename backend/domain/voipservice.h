#pragma once

#include "call.h"
#include "callsession.h"
#include "result.h"
#include "webrtcconfig.h"

#include <QObject>

namespace Switchboard {

/// What the provider is asked to dial.
struct OutboundCall
{
    QString callId;
    QString userId;
    QString phoneNumber; ///< E.164
};

/// The provider's half of a new call: its session and the SDP offer the softphone answers.
struct ProviderSession
{
    QString sessionId;
    QString sdpOffer;
};

/// A VoIP provider: the mock far end or Twilio.
///
/// Every operation may take time (media negotiation, remote HTTP), so each reports through a
/// Completion that is invoked later from the event loop of the service's thread — never before
/// the call returns, never on another thread. Changes the far end makes on its own (it answered,
/// hung up, failed) arrive through sessionStatusChanged.
class VoipService : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// `mock` or `twilio`.
    virtual QString name() const = 0;

    /// Places the call. Fails with ErrorCode::CallInitiationFailed when the provider cannot.
    virtual void initiate(const OutboundCall &call, Completion<ProviderSession> done) = 0;

    /// Hands the softphone's SDP answer to the session. Fails with ErrorCode::Validation when the
    /// provider rejects the SDP.
    virtual void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) = 0;

    /// Ends the session; ending an unknown or ended session succeeds.
    virtual void terminate(const QString &sessionId, Completion<Done> done) = 0;

    /// Puts the far end on hold (`on`) or takes it off hold: while held it hears hold music or a
    /// tone, and the operator's audio no longer reaches it. A provider that cannot hold fails with
    /// ErrorCode::InvalidCallState.
    virtual void hold(const QString &sessionId, bool on, Completion<Done> done);

    /// Hands the far end over to `phoneNumber` (E.164, a blind transfer); the operator's leg then
    /// ends. A provider that cannot transfer fails with ErrorCode::InvalidCallState.
    virtual void transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done);

    /// The latest quality sample of a live session, when the provider measures one.
    virtual std::optional<CallQuality> quality(const QString &sessionId) const
    {
        Q_UNUSED(sessionId)
        return std::nullopt;
    }

    /// How long the far end says an ended session lasted from its answer, when it says so
    /// (Twilio's CallDuration); otherwise the duration counts from when the call became active.
    virtual std::optional<int> durationSeconds(const QString &sessionId) const
    {
        Q_UNUSED(sessionId)
        return std::nullopt;
    }

    virtual WebRTCConfig webrtcConfig() const = 0;

Q_SIGNALS:
    /// The far end moved the session: Active (answered), Completed (hung up) or Failed.
    /// `reason` is one of FailureReason when Failed.
    void sessionStatusChanged(const QString &sessionId, Switchboard::SessionStatus status, const QString &reason);
    /// A new quality sample of a live session, for providers that measure one.
    void qualitySampled(const QString &sessionId, const Switchboard::CallQuality &quality);
};

} // namespace Switchboard
