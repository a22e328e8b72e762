#pragma once

#include "domain/voipservice.h"
#include "mockscenarios.h"

#include <QHash>
#include <QPointer>
#include <QTimer>

namespace Switchboard {

struct MockSettings
{
    int latencyMs = 0; ///< how long initiate takes, to exercise a slow provider
    int ringTimeoutSeconds = 30; ///< when an unanswered call gives up
};

/// The mock provider without media: a synthetic but well-formed SDP offer, and the scenario
/// numbers' outcomes driven by timers. A call goes active once the softphone answers.
class MockVoipService final : public VoipService
{
    Q_OBJECT
public:
    explicit MockVoipService(MockSettings settings, QObject *parent = nullptr);

    QString name() const override;
    void initiate(const OutboundCall &call, Completion<ProviderSession> done) override;
    void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) override;
    void terminate(const QString &sessionId, Completion<Done> done) override;
    WebRTCConfig webrtcConfig() const override;

    /// The offer this mock makes: valid SDP with one Opus audio section.
    static QString syntheticOffer(const QString &sessionId);

private:
    struct Session
    {
        MockScenario scenario;
        QPointer<QTimer> farEndTimer;
    };

    void later(int delayMs, std::function<void()> work);
    void farEnd(const QString &sessionId, int delayMs, SessionStatus status, const QString &reason = {});

    MockSettings m_settings;
    QHash<QString, Session> m_sessions;
};

} // namespace Switchboard
