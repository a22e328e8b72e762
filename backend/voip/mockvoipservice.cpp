#include "mockvoipservice.h"

#include "core/logging.h"
#include "domain/call.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

MockVoipService::MockVoipService(MockSettings settings, QObject *parent)
    : VoipService(parent), m_settings(settings)
{
}

QString MockVoipService::name() const
{
    return u"mock"_s;
}

void MockVoipService::later(int delayMs, std::function<void()> work)
{
    QTimer::singleShot(delayMs, this, std::move(work));
}

QString MockVoipService::syntheticOffer(const QString &sessionId)
{
    const QString fingerprint = QUuid::createUuidV5(QUuid(), sessionId).toRfc4122().toHex(':').toUpper()
        + u":"_s + QUuid::createUuidV5(QUuid(), sessionId + u"2"_s).toRfc4122().toHex(':').toUpper();
    return u"v=0\r\n"
           "o=- %1 2 IN IP4 127.0.0.1\r\n"
           "s=-\r\n"
           "t=0 0\r\n"
           "a=group:BUNDLE audio0\r\n"
           "a=msid-semantic: WMS\r\n"
           "m=audio 9 UDP/TLS/RTP/SAVPF 96\r\n"
           "c=IN IP4 127.0.0.1\r\n"
           "a=rtcp-mux\r\n"
           "a=mid:audio0\r\n"
           "a=sendrecv\r\n"
           "a=rtpmap:96 OPUS/48000/2\r\n"
           "a=ice-ufrag:%2\r\n"
           "a=ice-pwd:%3\r\n"
           "a=fingerprint:sha-256 %4\r\n"
           "a=setup:actpass\r\n"
           "a=candidate:1 1 UDP 2015363327 127.0.0.1 9 typ host\r\n"
           "a=end-of-candidates\r\n"_s.arg(QString::number(qHash(sessionId)), sessionId.left(8),
                                           sessionId.right(24), fingerprint);
}

void MockVoipService::initiate(const OutboundCall &call, Completion<ProviderSession> done)
{
    const MockScenario scenario = MockScenario::forNumber(call.phoneNumber);
    later(m_settings.latencyMs, [this, scenario, done = std::move(done)]() {
        if (scenario.kind == MockScenario::Kind::Unavailable)
            return done(Error{ErrorCode::CallInitiationFailed, u"mock provider unavailable (test number)"_s});
        const QString sessionId = u"mock-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_sessions.insert(sessionId, {scenario, {}});
        if (scenario.kind == MockScenario::Kind::NoAnswer)
            farEnd(sessionId, m_settings.ringTimeoutSeconds * 1000, SessionStatus::Failed,
                   FailureReason::NoAnswer.toString());
        qCDebug(lcVoip) << "mock session" << sessionId << "created";
        done(ProviderSession{sessionId, syntheticOffer(sessionId)});
    });
}

void MockVoipService::farEnd(const QString &sessionId, int delayMs, SessionStatus status, const QString &reason)
{
    auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    if (it->farEndTimer)
        it->farEndTimer->deleteLater();
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    // A coarse timer may fire up to 5% early: "hangs up after 1 s" would end a call at 0.95 s.
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [this, timer, sessionId, status, reason]() {
        timer->deleteLater();
        if (!m_sessions.contains(sessionId))
            return;
        if (status != SessionStatus::Active)
            m_sessions.remove(sessionId);
        Q_EMIT sessionStatusChanged(sessionId, status, reason);
    });
    it->farEndTimer = timer;
    timer->start(delayMs);
}

void MockVoipService::answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done)
{
    Q_UNUSED(sdpAnswer)
    later(0, [this, sessionId, done = std::move(done)]() {
        const auto it = m_sessions.constFind(sessionId);
        if (it == m_sessions.cend())
            return done(Error{ErrorCode::InvalidCallState, u"The provider no longer has this session"_s});
        const MockScenario scenario = it->scenario;
        done(Done{});
        switch (scenario.kind) {
        case MockScenario::Kind::Answer:
            Q_EMIT sessionStatusChanged(sessionId, SessionStatus::Active, {});
            break;
        case MockScenario::Kind::HangUp:
            Q_EMIT sessionStatusChanged(sessionId, SessionStatus::Active, {});
            farEnd(sessionId, scenario.hangUpAfterSeconds * 1000, SessionStatus::Completed);
            break;
        case MockScenario::Kind::Busy:
            farEnd(sessionId, 0, SessionStatus::Failed, FailureReason::Busy.toString());
            break;
        case MockScenario::Kind::MediaFailure:
            farEnd(sessionId, 0, SessionStatus::Failed, FailureReason::MediaFailed.toString());
            break;
        case MockScenario::Kind::NoAnswer:
        case MockScenario::Kind::Unavailable:
            break;
        }
    });
}

void MockVoipService::terminate(const QString &sessionId, Completion<Done> done)
{
    later(0, [this, sessionId, done = std::move(done)]() {
        if (auto it = m_sessions.find(sessionId); it != m_sessions.end()) {
            if (it->farEndTimer)
                it->farEndTimer->deleteLater();
            m_sessions.erase(it);
            qCDebug(lcVoip) << "mock session" << sessionId << "ended";
        }
        done(Done{});
    });
}

WebRTCConfig MockVoipService::webrtcConfig() const
{
    // The mock far end runs on this machine: host candidates are all a client needs.
    return {};
}

} // namespace Switchboard
