#pragma once

#include "domain/voipservice.h"
#include "twilioaccesstoken.h"
#include "twiliocallstatus.h"
#include "twilioclient.h"
#include "twilioretrypolicy.h"
#include "twiliosettings.h"
#include "twiliosignature.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace Switchboard {

struct TwilioOptions
{
    TwilioSettings account;
    TwilioRetryPolicy retry;
    int pollIntervalMs = 2000; ///< how often a live call's status is fetched when there are no webhooks
    /// CALL_SETUP_TIMEOUT: Twilio's own outcome (no-answer, busy) must arrive before it, so the
    /// ring timeout sent to Twilio leaves room for Twilio's queue and its 5 s of slack.
    int setupTimeoutSeconds = 60;
    int callsPerSecond = 1; ///< the account's CPS: Twilio queues calls created faster than this
    int operatorRingSeconds = 15; ///< how long the operator's softphone may ring once the party answered
    /// After a create that got no answer, the pauses before each look for a call Twilio placed
    /// all the same (to take it as this one); within CallService's guard on initiate.
    QList<int> findCreatedPausesMs = {500, 1000, 2000};
    /// After giving up on such a create, the pauses before each look for a call Twilio placed
    /// late (to end it).
    QList<int> findOrphanPausesMs = {15000, 45000};
    /// Twilio's own hold music, as its TwiML examples use it.
    QString holdMusicUrl = QStringLiteral("http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3");
    /// Said to the dialled party when the operator's softphone could not be reached.
    QString unreachableMessage = QStringLiteral(
        "We are sorry, the person who called you cannot be connected right now. Goodbye.");
};

/// The Twilio provider: real calls through Twilio's Calls REST API.
///
/// Initiate creates a call to the dialled number whose inline TwiML, once the party answers,
/// dials the operator's softphone (`<Dial><Client>`): the softphone registers with Twilio's
/// Voice SDK under the operator's identity (accessToken()) and takes that leg. The Call SID is
/// the session id; there is no SDP to answer. Twilio reports progress through signed status
/// callbacks when VOICE_PUBLIC_BASE_URL is set, and is polled otherwise.
///
/// Several instances may share one database: a status callback for a call another instance
/// placed is applied all the same (CallService finds the call by its SID), and terminate ends
/// any SID at Twilio, held here or not.
class TwilioVoipService final : public VoipService
{
    Q_OBJECT
public:
    explicit TwilioVoipService(TwilioOptions options, QObject *parent = nullptr);

    QString name() const override;
    /// Creates the call at Twilio. A create that got no answer (a timeout, a dropped connection,
    /// a 5xx) is never sent again — Twilio may have placed it: the provider looks for the call in
    /// Twilio's Calls list and takes it, or fails and ends it if it turns up later.
    void initiate(const OutboundCall &call, Completion<ProviderSession> done) override;
    void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) override;
    /// Ends the call at Twilio, whether this instance placed it or not.
    void terminate(const QString &sessionId, Completion<Done> done) override;
    /// Redirects the call to hold music (the operator's leg ends), or back to ringing the
    /// operator's softphone, which takes the leg again for the same call id. Only for an
    /// answered call placed by this instance; fails with InvalidCallState otherwise.
    void hold(const QString &sessionId, bool on, Completion<Done> done) override;
    /// Redirects the call to dial `phoneNumber` (E.164) and lets it go: from then on the call
    /// belongs to the transfer target, so CallService must not terminate the session after a
    /// successful transfer (that would hang up the party it was handed to).
    void transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done) override;
    std::optional<int> durationSeconds(const QString &sessionId) const override;
    WebRTCConfig webrtcConfig() const override;

    /// Where Twilio posts status callbacks; empty when status is polled instead.
    QString statusCallbackUrl() const;
    /// The status callback URL under VOICE_PUBLIC_BASE_URL; empty without one.
    static QString statusCallbackUrlFor(const QString &publicBaseUrl);
    /// True when `signature` is Twilio's for a callback to `url` with these parameters.
    bool isSignedByTwilio(const QString &url, const TwilioSignature::Parameters &parameters,
                          const QByteArray &signature) const;
    /// Applies a verified status callback (CallSid, CallStatus, CallDuration, SequenceNumber,
    /// Timestamp; ParentCallSid on the operator's leg), for a call placed here or elsewhere;
    /// callbacks that arrive out of order are ignored. May be called from any thread: it runs on
    /// the provider's.
    void applyStatusCallback(const TwilioSignature::Parameters &parameters);

    /// True when an API key is configured: Access Tokens can only be signed with one.
    bool issuesAccessTokens() const;
    TwilioAccessToken accessToken(const QString &userId, const QDateTime &now) const;
    /// The Voice SDK identity of an operator, as the TwiML dials it.
    static QString identityFor(const QString &userId);

    /// Calls placed by this instance and still live here.
    int sessionCount() const { return int(m_sessions.size()); }

private:
    struct Session
    {
        OutboundCall call; ///< whom the operator's leg rings, again after a hold
        TwilioCallStatus::Stage stage = TwilioCallStatus::Stage::Placing;
        bool onHold = false;
        bool operatorReached = false; ///< the operator's leg was answered: polling stops looking at legs
        int lastSequence = -1;
        QDateTime lastTimestamp;
        std::optional<int> durationSeconds;
        QPointer<QTimer> poll;
        bool refreshing = false;
    };
    struct Search;

    QString operatorTwiml(const OutboundCall &call) const;
    TwilioClient::Form createForm(const OutboundCall &call);
    int ringSeconds();
    void noteQueueTime(int queueTimeMs);
    void failInitiate(const OutboundCall &call, const TwilioError &error, int attempts, Completion<ProviderSession> done);
    void adopt(const OutboundCall &call, const TwilioCallResource &created, Completion<ProviderSession> done);
    void lookForCreated(const std::shared_ptr<Search> &search);
    void onLookedUp(const std::shared_ptr<Search> &search, const TwilioOutcome &outcome);
    std::optional<TwilioCallResource> placedFor(const Search &search, const TwilioOutcome &outcome) const;
    void later(std::function<void()> work);
    void startPolling(const QString &sid);
    /// Fetches the call (and, while the operator's leg rings, its legs) and applies what changed.
    void refresh(const QString &sid);
    /// Reads the legs of an answered call whose operator has not taken one yet; a missed leg fails
    /// the call (operator_unreachable). `otherwise` runs when no leg says the operator was missed.
    void checkOperatorLeg(const QString &sid, const std::function<void()> &otherwise = {});
    /// Moves the session to `status` if that is news, and tells CallService.
    void apply(const QString &sid, const QString &status, std::optional<int> durationSeconds,
               std::optional<int> sequence, const QDateTime &timestamp);
    void applyOperatorLeg(const QString &parentSid, const QString &status);
    void forget(const QString &sid);
    void hangUp(const QString &sid, const QString &status, Completion<Done> done);
    void redirect(const QString &sid, const QString &twiml, std::function<void()> then, Completion<Done> done);

    TwilioOptions m_options;
    TwilioClient *m_client;
    QHash<QString, Session> m_sessions;
    QElapsedTimer m_clock;
    qint64 m_queueFreeAtMs = 0; ///< when Twilio's outbound queue for this account should be empty, on m_clock
};

} // namespace Switchboard
