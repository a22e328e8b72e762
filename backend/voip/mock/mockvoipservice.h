#pragma once

#include "domain/voipservice.h"
#include "mockscenarios.h"
#include "mocksettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace Switchboard {

class EchoPeer;
class EchoPeerPool;

/// The mock provider: a far end on this machine that behaves like a real one.
///
/// With media, each call gets an EchoPeer (GStreamer webrtcbin): ICE and DTLS connect with the
/// softphone, the far end rings, picks up and echoes. Without media (VOIP_MOCK_MEDIA=off) the
/// offer is synthetic and "media" connects the moment the answer arrives — for load tests of
/// the API layer. The dialled number chooses the outcome (MockScenario).
///
/// A client that never posts an answer (signalling only: a CRM, curl, the seed's web client)
/// still gets the far end a real provider gives: it rings from initiate, picks up (or is busy,
/// hangs up, …) and the call goes on without media. A client that answers before the pick-up
/// hears the ringback from when its media connects; one that answers later joins the call.
class MockVoipService final : public VoipService
{
    Q_OBJECT
public:
    explicit MockVoipService(MockSettings settings, QObject *parent = nullptr);
    ~MockVoipService() override;

    QString name() const override;
    void initiate(const OutboundCall &call, Completion<ProviderSession> done) override;
    void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) override;
    void terminate(const QString &sessionId, Completion<Done> done) override;
    void hold(const QString &sessionId, bool on, Completion<Done> done) override;
    void transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done) override;
    std::optional<CallQuality> quality(const QString &sessionId) const override;
    WebRTCConfig webrtcConfig() const override;

    int sessionCount() const { return int(m_sessions.size()); }

    /// The offer the media-less mock makes: valid SDP with one Opus audio section.
    static QString syntheticOffer(const QString &sessionId);

private:
    struct Session
    {
        MockScenario scenario;
        EchoPeer *peer = nullptr; ///< owned; null without media
        QPointer<QTimer> farEndTimer; ///< what the far end does next (the scenario's plan)
        QPointer<QTimer> mediaTimer; ///< how long media may take to connect once an answer came
        QPointer<QTimer> qualityTimer;
        bool pickedUp = false;
        std::optional<CallQuality> quality;
        qint64 packetsReceived = 0; ///< from the softphone, as of the last sample
        QElapsedTimer sinceLastPacket; ///< started when media connects: the softphone's audio must keep coming
    };

    void later(int delayMs, std::function<void()> work);
    void startSession(const QString &sessionId, const MockScenario &scenario, EchoPeer *peer);
    /// Runs `action` after `delayMs` unless the session ends first; replaces any earlier plan.
    void schedule(const QString &sessionId, int delayMs, std::function<void()> action);
    /// The scenario's plan once the far end has rung: pick up, hang up later, be busy, fail.
    void playOut(const QString &sessionId);
    void armMediaTimeout(const QString &sessionId);
    void onMediaConnected(const QString &sessionId);
    void onQualitySampled(const QString &sessionId, const CallQuality &quality);
    void pickUp(const QString &sessionId);
    void end(const QString &sessionId, SessionStatus status, const QString &reason);
    void release(const QString &sessionId);

    MockSettings m_settings;
    EchoPeerPool *m_pool = nullptr;
    QHash<QString, Session> m_sessions;
};

} // namespace Switchboard
