#pragma once

#include "domain/voipservice.h"
#include "twilioaccesstoken.h"
#include "twiliocallstatus.h"
#include "twilioretrypolicy.h"
#include "twiliosettings.h"
#include "twiliosignature.h"

#include <QHash>
#include <QPointer>
#include <QTimer>

namespace Switchboard {

class TwilioClient;

struct TwilioOptions
{
    TwilioSettings account;
    TwilioRetryPolicy retry;
    int pollIntervalMs = 2000; ///< how often a live call's status is fetched when there are no webhooks
    int ringTimeoutSeconds = 60; ///< Twilio's `Timeout`: how long the dialled party may ring
};

/// The Twilio provider: real calls through Twilio's Calls REST API.
///
/// Initiate creates a call to the dialled number whose inline TwiML, once the party answers,
/// dials the operator's softphone (`<Dial><Client>`): the softphone registers with Twilio's
/// Voice SDK under the operator's identity (accessToken()) and takes that leg. The Call SID is
/// the session id; there is no SDP to answer. Twilio reports progress through signed status
/// callbacks when VOICE_PUBLIC_BASE_URL is set, and is polled otherwise.
class TwilioVoipService final : public VoipService
{
    Q_OBJECT
public:
    explicit TwilioVoipService(TwilioOptions options, QObject *parent = nullptr);

    QString name() const override;
    void initiate(const OutboundCall &call, Completion<ProviderSession> done) override;
    void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) override;
    void terminate(const QString &sessionId, Completion<Done> done) override;
    std::optional<int> durationSeconds(const QString &sessionId) const override;
    WebRTCConfig webrtcConfig() const override;

    /// Where Twilio posts status callbacks; empty when status is polled instead.
    QString statusCallbackUrl() const;
    /// True when `signature` is Twilio's for a callback to `url` with these parameters.
    bool isSignedByTwilio(const QString &url, const TwilioSignature::Parameters &parameters,
                          const QByteArray &signature) const;
    /// Applies a verified status callback (CallSid, CallStatus, CallDuration, SequenceNumber,
    /// Timestamp); callbacks that arrive out of order are ignored. May be called from any thread:
    /// it runs on the provider's.
    void applyStatusCallback(const TwilioSignature::Parameters &parameters);

    /// True when an API key is configured: Access Tokens can only be signed with one.
    bool issuesAccessTokens() const;
    TwilioAccessToken accessToken(const QString &userId, const QDateTime &now) const;
    /// The Voice SDK identity of an operator, as the TwiML dials it.
    static QString identityFor(const QString &userId);

    int sessionCount() const { return int(m_sessions.size()); }

private:
    struct Session
    {
        TwilioCallStatus::Stage stage = TwilioCallStatus::Stage::Placing;
        int lastSequence = -1;
        QDateTime lastTimestamp;
        std::optional<int> durationSeconds;
        QPointer<QTimer> poll;
        bool fetching = false;
    };

    QString twiml(const OutboundCall &call) const;
    void later(std::function<void()> work);
    void startPolling(const QString &sid);
    void poll(const QString &sid);
    /// Moves the session to `status` if that is news, and tells CallService.
    void apply(const QString &sid, const QString &status, std::optional<int> durationSeconds,
               std::optional<int> sequence, const QDateTime &timestamp);
    void end(const QString &sid, const QString &status, Completion<Done> done);

    TwilioOptions m_options;
    TwilioClient *m_client;
    QHash<QString, Session> m_sessions;
};

} // namespace Switchboard
