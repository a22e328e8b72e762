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
        QPointer<QTimer> farEndTimer;
        QPointer<QTimer> qualityTimer;
        std::optional<CallQuality> quality;
        qint64 packetsReceived = 0; ///< from the softphone, as of the last sample
        QElapsedTimer sinceLastPacket; ///< started when media connects: the softphone's audio must keep coming
    };

    void later(int delayMs, std::function<void()> work);
    void startSession(const QString &sessionId, const MockScenario &scenario, EchoPeer *peer);
    /// Runs `action` after `delayMs` unless the session ends first; replaces any earlier plan.
    void schedule(const QString &sessionId, int delayMs, std::function<void()> action);
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
