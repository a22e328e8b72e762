#include "mockvoipservice.h"

#include "core/logging.h"
#include "domain/call.h"
#include "echopeer.h"
#include "echopeerpool.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {


void dropTimer(QPointer<QTimer> &timer)
{
    if (!timer)
        return;
    timer->stop(); // deleteLater alone would let a timeout already due still fire
    timer->deleteLater();
    timer.clear();
}

} // namespace

MockVoipService::MockVoipService(MockSettings settings, QObject *parent) : VoipService(parent), m_settings(settings)
{
    if (m_settings.media)
        m_pool = new EchoPeerPool(m_settings.poolSize, this);
}

MockVoipService::~MockVoipService()
{
    for (const QString &sessionId : m_sessions.keys())
        release(sessionId);
}

QString MockVoipService::name() const
{
    return u"mock"_s;
}

void MockVoipService::later(int delayMs, std::function<void()> work)
{
    QTimer::singleShot(delayMs, Qt::PreciseTimer, this, std::move(work));
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
    later(m_settings.latencyMs, [this, scenario, done = std::move(done)]() mutable {
        if (scenario.kind == MockScenario::Kind::Unavailable)
            return done(Error{ErrorCode::CallInitiationFailed, u"mock provider unavailable (test number)"_s});
        // Without a cap, anyone who can place calls could grow the pool of media peers until the
        // descriptors or the memory run out.
        if (m_sessions.size() >= m_settings.maxCalls) {
            return done(Error{ErrorCode::CallInitiationFailed,
                              u"the mock provider has no free line (%1 calls live)"_s.arg(m_settings.maxCalls)});
        }
        const QString sessionId = u"mock-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (!m_pool) {
            startSession(sessionId, scenario, nullptr);
            return done(ProviderSession{sessionId, syntheticOffer(sessionId)});
        }
        m_pool->take([this, sessionId, scenario, done = std::move(done)](Result<EchoPeer *> peer) {
            if (!peer)
                return done(peer.error());
            startSession(sessionId, scenario, peer.value());
            done(ProviderSession{sessionId, peer.value()->offer()});
        });
    });
}

void MockVoipService::startSession(const QString &sessionId, const MockScenario &scenario, EchoPeer *peer)
{
    Session &session = m_sessions[sessionId];
    session.scenario = scenario;
    session.peer = peer;
    if (peer) {
        peer->setParent(this);
        connect(peer, &EchoPeer::connected, this, [this, sessionId]() { onMediaConnected(sessionId); });
        connect(peer, &EchoPeer::failed, this, [this, sessionId](const QString &reason) {
            qCWarning(lcVoip).noquote() << "mock session" << sessionId << "media failed:" << reason;
            end(sessionId, SessionStatus::Failed, FailureReason::MediaFailed.toString());
        });
        connect(peer, &EchoPeer::qualitySampled, this,
                [this, sessionId](const CallQuality &quality) { onQualitySampled(sessionId, quality); });
    }
    if (scenario.kind == MockScenario::Kind::NoAnswer) {
        schedule(sessionId, m_settings.ringTimeoutSeconds * 1000,
                 [this, sessionId]() { end(sessionId, SessionStatus::Failed, FailureReason::NoAnswer.toString()); });
    } else {
        // Without an answer the far end plays its part as a real one would. A client with media
        // posts its answer within a moment of initiate (the softphone: ~0.1 s); the far end waits
        // at least MockSettings::answerWindowMs, so such a client answers first and hears the ringback.
        const int delayMs = scenario.kind == MockScenario::Kind::MediaFailure
            ? m_settings.mediaTimeoutSeconds * 1000
            : qMax(m_settings.ringbackMs, m_settings.answerWindowMs);
        schedule(sessionId, delayMs, [this, sessionId]() { playOut(sessionId); });
    }
    qCDebug(lcVoip) << "mock session" << sessionId << "created";
}

void MockVoipService::schedule(const QString &sessionId, int delayMs, std::function<void()> action)
{
    auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    dropTimer(it->farEndTimer);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    // A coarse timer may fire up to 5% early: "hangs up after 1 s" would end a call at 0.95 s.
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [this, timer, sessionId, action = std::move(action)]() {
        timer->deleteLater();
        if (m_sessions.contains(sessionId))
            action();
    });
    it->farEndTimer = timer;
    timer->start(delayMs);
}

void MockVoipService::answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done)
{
    later(0, [this, sessionId, sdpAnswer, done = std::move(done)]() mutable {
        const auto it = m_sessions.find(sessionId);
        if (it == m_sessions.end())
            return done(Error{ErrorCode::InvalidCallState, u"The provider no longer has this session"_s});
        EchoPeer *peer = it->peer;
        const MockScenario::Kind kind = it->scenario.kind;
        // Before the pick-up, the plan waits for the media: the ringback is heard from when it
        // connects. The no-answer number's ring timer keeps running and decides.
        if (!it->pickedUp && kind != MockScenario::Kind::NoAnswer)
            dropTimer(it->farEndTimer);

        if (!peer) {
            done(Done{});
            if (kind == MockScenario::Kind::MediaFailure)
                return end(sessionId, SessionStatus::Failed, FailureReason::MediaFailed.toString());
            return later(0, [this, sessionId]() { onMediaConnected(sessionId); });
        }
        if (kind == MockScenario::Kind::MediaFailure) {
            // The answer is accepted but never applied: ICE and DTLS cannot connect.
            done(Done{});
            return armMediaTimeout(sessionId);
        }
        peer->setAnswer(sdpAnswer, [this, sessionId, done = std::move(done)](Status applied) {
            if (applied)
                armMediaTimeout(sessionId);
            done(applied);
        });
    });
}

void MockVoipService::armMediaTimeout(const QString &sessionId)
{
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end() || (it->scenario.kind == MockScenario::Kind::NoAnswer && !it->pickedUp))
        return; // still ringing: its ring timer decides
    dropTimer(it->mediaTimer);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [this, timer, sessionId]() {
        timer->deleteLater();
        end(sessionId, SessionStatus::Failed, FailureReason::MediaFailed.toString());
    });
    it->mediaTimer = timer;
    timer->start(m_settings.mediaTimeoutSeconds * 1000);
}

void MockVoipService::onMediaConnected(const QString &sessionId)
{
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    qCDebug(lcVoip) << "mock session" << sessionId << "media connected";
    dropTimer(it->mediaTimer);
    if (it->peer) {
        auto *sampler = new QTimer(this);
        sampler->setInterval(m_settings.qualityIntervalMs);
        connect(sampler, &QTimer::timeout, it->peer, &EchoPeer::sampleQuality);
        sampler->start();
        it->qualityTimer = sampler;
        it->sinceLastPacket.start();
    }
    if (it->pickedUp) { // answered after the pick-up: the far end talks at once
        if (it->peer)
            it->peer->pickUp();
        return;
    }
    switch (it->scenario.kind) {
    case MockScenario::Kind::Answer:
    case MockScenario::Kind::HangUp:
    case MockScenario::Kind::Busy:
        schedule(sessionId, it->peer ? m_settings.ringbackMs : 0, [this, sessionId]() { playOut(sessionId); });
        break;
    case MockScenario::Kind::NoAnswer: // keeps ringing until its ring timer ends it
    case MockScenario::Kind::MediaFailure:
    case MockScenario::Kind::Unavailable:
        break;
    }
}

void MockVoipService::playOut(const QString &sessionId)
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend())
        return;
    const MockScenario scenario = it->scenario;
    switch (scenario.kind) {
    case MockScenario::Kind::Answer:
        pickUp(sessionId);
        break;
    case MockScenario::Kind::HangUp:
        pickUp(sessionId);
        schedule(sessionId, scenario.hangUpAfterSeconds * 1000,
                 [this, sessionId]() { end(sessionId, SessionStatus::Completed, {}); });
        break;
    case MockScenario::Kind::Busy:
        end(sessionId, SessionStatus::Failed, FailureReason::Busy.toString());
        break;
    case MockScenario::Kind::MediaFailure:
        end(sessionId, SessionStatus::Failed, FailureReason::MediaFailed.toString());
        break;
    case MockScenario::Kind::NoAnswer:
    case MockScenario::Kind::Unavailable:
        break;
    }
}

// The media can fail after it connected: the softphone's browser closed, its network went. UDP
// says nothing and libnice keeps no consent check, so the far end watches what it receives.
void MockVoipService::onQualitySampled(const QString &sessionId, const CallQuality &quality)
{
    auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    it->quality = quality;
    Q_EMIT qualitySampled(sessionId, quality);
    if (quality.packetsReceived > it->packetsReceived) {
        it->packetsReceived = quality.packetsReceived;
        it->sinceLastPacket.restart();
        return;
    }
    if (it->sinceLastPacket.isValid() && it->sinceLastPacket.elapsed() > m_settings.mediaTimeoutSeconds * 1000LL) {
        qCWarning(lcVoip).noquote() << "mock session" << sessionId << "received no audio for"
                                    << m_settings.mediaTimeoutSeconds << "s";
        end(sessionId, SessionStatus::Failed, FailureReason::MediaFailed.toString());
    }
}

void MockVoipService::pickUp(const QString &sessionId)
{
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    it->pickedUp = true;
    if (it->peer) // without connected media this waits for it (onMediaConnected)
        it->peer->pickUp();
    Q_EMIT sessionStatusChanged(sessionId, SessionStatus::Active, {});
}

void MockVoipService::end(const QString &sessionId, SessionStatus status, const QString &reason)
{
    if (!m_sessions.contains(sessionId))
        return;
    // Reported before the session goes, so that whoever records the end can still read its quality.
    Q_EMIT sessionStatusChanged(sessionId, status, reason);
    release(sessionId);
}

void MockVoipService::release(const QString &sessionId)
{
    auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return;
    dropTimer(it->farEndTimer);
    dropTimer(it->mediaTimer);
    dropTimer(it->qualityTimer);
    if (it->peer) {
        it->peer->close();
        it->peer->deleteLater();
    }
    m_sessions.erase(it);
    qCDebug(lcVoip) << "mock session" << sessionId << "released";
}

void MockVoipService::terminate(const QString &sessionId, Completion<Done> done)
{
    later(0, [this, sessionId, done = std::move(done)]() {
        release(sessionId);
        done(Done{});
    });
}

void MockVoipService::hold(const QString &sessionId, bool on, Completion<Done> done)
{
    later(0, [this, sessionId, on, done = std::move(done)]() {
        const auto it = m_sessions.constFind(sessionId);
        if (it == m_sessions.cend())
            return done(Error{ErrorCode::InvalidCallState, u"The provider no longer has this session"_s});
        if (it->peer)
            it->peer->setHeld(on);
        done(Done{});
    });
}

void MockVoipService::transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done)
{
    later(0, [this, sessionId, phoneNumber, done = std::move(done)]() {
        if (!m_sessions.contains(sessionId))
            return done(Error{ErrorCode::InvalidCallState, u"The provider no longer has this session"_s});
        // The far end is handed over and leaves this machine's media: its peer goes.
        qCDebug(lcVoip).noquote() << "mock session" << sessionId << "handed over to" << phoneNumber;
        release(sessionId);
        done(Done{});
    });
}

std::optional<CallQuality> MockVoipService::quality(const QString &sessionId) const
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend())
        return std::nullopt;
    return it->quality;
}

WebRTCConfig MockVoipService::webrtcConfig() const
{
    // The mock far end runs on this machine: host candidates are all a client needs.
    return {};
}

} // namespace Switchboard
