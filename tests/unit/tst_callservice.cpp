#include "calls/callservice.h"
#include "fakes.h"
#include "pendingresult.h"
#include "printers.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QString kUser = u"user-alice"_s;
const QString kOtherUser = u"user-bob"_s;
const QString kNumber = u"+49 151 23456789"_s;
const QString kE164 = u"+4915123456789"_s;
const QString kInstance = u"instance-a"_s;
const QString kSdpAnswer = u"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                           "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n"_s;
constexpr int kSetupTimeout = 60;
constexpr int kSessionTtl = 3600;
constexpr int kSweepIntervalMs = 60 * 1000;
constexpr int kWaitMs = 5000;

CallSettings defaultSettings()
{
    CallSettings settings;
    settings.instanceId = kInstance;
    settings.setupTimeoutSeconds = kSetupTimeout;
    settings.sessionTtlSeconds = kSessionTtl;
    settings.sweepIntervalMs = kSweepIntervalMs;
    settings.providerTimeoutMs = 10 * 1000;
    return settings;
}

/// The use case over in-memory fakes. Members are built in order, so the service is built last
/// and destroyed first.
struct Harness
{
    explicit Harness(const CallSettings &settings) : service(calls, writes, provider, clock, settings) {}

    Fakes::CallRepository calls;
    Fakes::WriteQueue writes;
    Fakes::VoipService provider;
    Fakes::Clock clock;
    CallService service;
};

template<typename T>
bool waitFor(const PendingResult<T> &pending)
{
    return QTest::qWaitFor([&pending]() { return pending.done(); }, kWaitMs);
}

QString describe(const Result<Call> &result)
{
    return result.ok() ? u"ok: "_s + toString(result->status) : u"error: "_s + result.error().message;
}

/// A call row as an earlier run (or another instance) left it.
Call storedCall(const QString &userId, CallStatus status, const QString &instanceId, const QDateTime &start)
{
    Call call;
    call.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    call.userId = userId;
    call.phoneNumber = kE164;
    call.startTime = start;
    call.status = status;
    call.sessionId = u"old-session-"_s + call.id;
    call.sdpOffer = u"v=0"_s;
    call.provider = u"fake"_s;
    call.instanceId = instanceId;
    call.lastAliveAt = start;
    return call;
}

const QRegularExpression kInitiateFailedLog(u"^initiate of call [0-9a-f-]{36} failed: "_s);

} // namespace

class tst_CallService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // initiate
    void initiateConnectsTheCall();
    void initiateRejectsInvalidNumbers_data();
    void initiateRejectsInvalidNumbers();
    void initiateProviderErrorFailsTheCall();
    void initiateProviderTimeout_data();
    void initiateProviderTimeout();
    void initiateTimeoutDoesNotFireAfterSuccess();
    void initiateStorageError();
    void initiateWhileLiveIsRefused();
    void initiateUpdateFailureEndsTheProviderSession();
    void terminateWhilePlacingCancelsAndEndsTheLateSession_data();
    void terminateWhilePlacingCancelsAndEndsTheLateSession();

    // answer
    void answerHandsTheSdpToTheProvider();
    void answerRejectsBadSdp_data();
    void answerRejectsBadSdp();
    void answerOtherUsersCallIsForbidden();
    void answerUnknownCall_data();
    void answerUnknownCall();
    void answerAfterPickUpThenRefusedOnceEnded();
    void answerTwiceIsRefused();
    void answerRejectedByProvider();
    void answerProviderNeverReplies();

    // far end
    void farEndAnswerMakesTheCallActive();
    void farEndHangupCompletesWithDurationFromAnswer();
    void farEndFailure_data();
    void farEndFailure();
    void eventsAfterTheEndChangeNothing();
    void eventForUnknownSessionIsLogged();

    // terminate
    void terminateActiveCallCompletes();
    void terminateConnectingCallCancels();
    void terminateProviderErrorIsLoggedAndTheCallStillEnds();
    void terminateTwiceIsIdempotent();
    void terminateWithStorageDownStillEndsTheProviderSession();
    void terminateOtherUsersCallIsForbidden();
    void terminateUnknownCall();

    // hold and transfer
    void holdAndResumeAnActiveCall();
    void holdRequiresAnActiveCall();
    void holdRefusedByTheProviderChangesNothing();
    void transferEndsTheOperatorsLegCompleted();
    void transferRejectsABadNumber();
    void transferOfAnotherUsersCallIsForbidden();

    // history
    void historyValidation_data();
    void historyValidation();
    void historyDefaults();
    void historyQueryPassedToRepository();
    void historyPlainDateToCoversTheWholeDay();
    void historyStorageError();
    void getOwnAndOthersCall();
    void annotateWritesNotesAndOutcome();
    void annotateRefuses();

    // lifecycle
    void setupTimeoutFiresWithoutASweep();
    void maximumDurationFiresWithoutASweep();
    void sweepExpiresUnansweredCall();
    void sweepExpiresActiveCallPastTtl();
    void sweepRecordsLiveCallsAsAlive();
    void sweepReconcilesCallsOfAQuietInstance();
    void sweepEndsTheSessionOfACallEndedElsewhere();
    void startReconcilesOrphans();
    void startStorageError();
    void sweepWithStorageDownWarns();

private:
    void recreate(const CallSettings &settings);
    std::optional<Call> placeCall(const QString &userId = kUser);
    std::optional<Call> activeCall();
    Result<Call> terminate(const QString &userId, const QString &callId);
    std::optional<Call> row(const QString &callId) const;

    std::unique_ptr<Harness> h;
};

void tst_CallService::initTestCase()
{
    // Every call logs its lifecycle at INFO; the tests read the rows instead.
    QLoggingCategory::setFilterRules(u"switchboard.*.info=false"_s);
}

void tst_CallService::init()
{
    h = std::make_unique<Harness>(defaultSettings());
    // A warning nobody expected is a failure; the expected ones are pinned with ignoreMessage.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_CallService::cleanup()
{
    h.reset();
}

void tst_CallService::recreate(const CallSettings &settings)
{
    h.reset();
    h = std::make_unique<Harness>(settings);
}

std::optional<Call> tst_CallService::placeCall(const QString &userId)
{
    PendingResult<Call> pending;
    h->service.initiate(userId, kNumber, pending.callback());
    if (!waitFor(pending) || !pending.ok()) {
        qWarning("placing a call failed: %s", pending.done() ? qPrintable(pending.errorMessage()) : "no answer");
        return std::nullopt;
    }
    return pending.value();
}

std::optional<Call> tst_CallService::activeCall()
{
    std::optional<Call> call = placeCall();
    if (!call)
        return std::nullopt;
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    return row(call->id);
}

Result<Call> tst_CallService::terminate(const QString &userId, const QString &callId)
{
    PendingResult<Call> pending;
    h->service.terminate(userId, callId, pending.callback());
    if (!waitFor(pending))
        return Error{ErrorCode::Internal, u"terminate never completed"_s};
    return pending.result();
}

std::optional<Call> tst_CallService::row(const QString &callId) const
{
    for (const Call &call : h->calls.calls) {
        if (call.id == callId)
            return call;
    }
    return std::nullopt;
}

// --- initiate -------------------------------------------------------------------------------

void tst_CallService::initiateConnectsTheCall()
{
    const QDateTime start = h->clock.now();
    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());

    // The row exists, as `initiated`, before the provider has answered.
    QVERIFY2(!pending.done(), "the provider answers from the event loop, not during initiate()");
    QCOMPARE(h->calls.calls.size(), 1);
    const Call placing = h->calls.calls.first();
    QCOMPARE_STATUS(placing.status, CallStatus::Initiated);
    QVERIFY2(h->provider.initiated.isEmpty(), "the provider is asked once the row is committed, not before");
    QTRY_COMPARE_WITH_TIMEOUT(h->provider.initiated.size(), 1, kWaitMs);
    QCOMPARE(placing.phoneNumber, kE164);
    QCOMPARE(placing.userId, kUser);
    QCOMPARE(placing.startTime, start);
    QCOMPARE(placing.instanceId, kInstance);
    QCOMPARE(placing.provider, u"fake"_s);
    QVERIFY(!QUuid::fromString(placing.id).isNull());
    QCOMPARE(h->provider.initiated.first().callId, placing.id);
    QCOMPARE(h->provider.initiated.first().userId, kUser);
    QCOMPARE(h->provider.initiated.first().phoneNumber, kE164);

    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QVERIFY2(pending.ok(), qPrintable(describe(pending.result())));
    QCOMPARE(pending.calls(), 1);
    const Call &call = pending.value();
    QCOMPARE(call.id, placing.id);
    QCOMPARE_STATUS(call.status, CallStatus::Connecting);
    QCOMPARE(call.sessionId, u"fake-session-"_s + call.id);
    QVERIFY(call.sdpOffer.startsWith(u"v=0"_s));
    QCOMPARE(call.phoneNumber, kE164);
    QCOMPARE(call.durationSeconds, 0);

    const std::optional<Call> stored = row(call.id);
    QVERIFY(stored);
    QCOMPARE_STATUS(stored->status, CallStatus::Connecting);
    QCOMPARE(stored->sessionId, call.sessionId);
    QCOMPARE(stored->sdpOffer, call.sdpOffer);
    QVERIFY(!stored->answeredAt);
    QVERIFY(!stored->endedAt);

    QCOMPARE(h->service.sessions().count(), 1);
    const std::optional<CallSession> session = h->service.sessions().find(call.sessionId);
    QVERIFY(session);
    QCOMPARE(session->callId, call.id);
    QCOMPARE(session->userId, kUser);
    QCOMPARE(session->status, SessionStatus::Connecting);
}

void tst_CallService::initiateRejectsInvalidNumbers_data()
{
    QTest::addColumn<QString>("number");
    QTest::addColumn<QString>("message");
    QTest::addRow("empty") << QString() << u"phone_number is required"_s;
    QTest::addRow("no country code") << u"030 1234567"_s << u"international format"_s;
    QTest::addRow("letters") << u"+49 CALL ME"_s << u"may contain only digits"_s;
    QTest::addRow("unknown country code") << u"+999 12345678"_s << u"unknown country code"_s;
    QTest::addRow("too long") << QString(40, u'1').prepend(u'+') << u"at most 32 characters"_s;
}

void tst_CallService::initiateRejectsInvalidNumbers()
{
    QFETCH(QString, number);
    QFETCH(QString, message);
    PendingResult<Call> pending;
    h->service.initiate(kUser, number, pending.callback());
    QVERIFY2(pending.done(), "validation answers at once");
    QCOMPARE(pending.errorCode(), ErrorCode::Validation);
    QVERIFY2(pending.errorMessage().contains(message), qPrintable(pending.errorMessage()));
    QVERIFY2(h->calls.calls.isEmpty(), "nothing is written for an invalid number");
    QVERIFY2(h->provider.initiated.isEmpty(), "the provider is not asked");
}

void tst_CallService::initiateProviderErrorFailsTheCall()
{
    h->provider.initiateError = Error{ErrorCode::CallInitiationFailed, u"provider down"_s};
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(kInitiateFailedLog.pattern() + u"provider down$"_s));

    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::CallInitiationFailed);
    QVERIFY2(pending.errorMessage().contains(u"provider down"_s), qPrintable(pending.errorMessage()));
    QCOMPARE(pending.calls(), 1);

    QCOMPARE(h->calls.calls.size(), 1);
    const Call failed = h->calls.calls.first();
    QCOMPARE_STATUS(failed.status, CallStatus::Failed);
    QCOMPARE(failed.failureReason, u"provider_unavailable"_s);
    QCOMPARE(failed.durationSeconds, 0);
    QCOMPARE(failed.endedAt, h->clock.now());
    QVERIFY(failed.sessionId.isEmpty());
    QCOMPARE(h->service.sessions().count(), 0);

    // The operator's line is free again.
    h->provider.initiateError.reset();
    const std::optional<Call> next = placeCall();
    QVERIFY(next);
    QCOMPARE_STATUS(next->status, CallStatus::Connecting);
}

void tst_CallService::initiateProviderTimeout_data()
{
    QTest::addColumn<int>("providerDelayMs"); // -1: never answers
    QTest::addRow("provider never answers") << -1;
    QTest::addRow("provider answers after the timeout") << 300;
}

void tst_CallService::initiateProviderTimeout()
{
    QFETCH(int, providerDelayMs);
    CallSettings settings = defaultSettings();
    settings.providerTimeoutMs = 50;
    recreate(settings);
    h->provider.neverAnswerInitiate = providerDelayMs < 0;
    h->provider.initiateDelayMs = qMax(0, providerDelayMs);
    QTest::ignoreMessage(QtCriticalMsg,
                         QRegularExpression(kInitiateFailedLog.pattern() + u"the provider did not answer in time$"_s));

    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::CallInitiationFailed);
    QVERIFY2(pending.errorMessage().contains(u"did not answer in time"_s), qPrintable(pending.errorMessage()));

    const QString callId = h->calls.calls.first().id;
    QCOMPARE_STATUS(row(callId)->status, CallStatus::Failed);
    QCOMPARE(row(callId)->failureReason, u"provider_unavailable"_s);

    if (providerDelayMs >= 0) {
        // The session the provider made too late is ended, not kept, and changes nothing.
        const QString lateSession = u"fake-session-"_s + callId;
        QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(lateSession), kWaitMs);
        QCOMPARE(h->provider.terminated.size(), 1);
        QCOMPARE_STATUS(row(callId)->status, CallStatus::Failed);
        QVERIFY(row(callId)->sessionId.isEmpty());
    }
    QCOMPARE(pending.calls(), 1);
    QCOMPARE(h->service.sessions().count(), 0);
}

void tst_CallService::initiateTimeoutDoesNotFireAfterSuccess()
{
    CallSettings settings = defaultSettings();
    settings.providerTimeoutMs = 50;
    recreate(settings);

    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QVERIFY(pending.ok());

    // Let the provider timeout come and go: it must not touch the call that connected.
    bool timeoutPassed = false;
    QTimer::singleShot(4 * settings.providerTimeoutMs, &h->service, [&timeoutPassed]() { timeoutPassed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(timeoutPassed, kWaitMs);
    QCOMPARE(pending.calls(), 1);
    QCOMPARE_STATUS(row(pending.value().id)->status, CallStatus::Connecting);
    QCOMPARE(h->service.sessions().count(), 1);
    QVERIFY(h->provider.terminated.isEmpty());
}

void tst_CallService::initiateStorageError()
{
    h->calls.failWith = Error::storage(u"database is down"_s);
    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::StorageUnavailable);
    QVERIFY2(h->provider.initiated.isEmpty(), "no provider session without a row to track it");
}

void tst_CallService::initiateWhileLiveIsRefused()
{
    const std::optional<Call> first = placeCall();
    QVERIFY(first);

    PendingResult<Call> whileConnecting;
    h->service.initiate(kUser, u"+44 20 7946 0958"_s, whileConnecting.callback());
    QTRY_VERIFY_WITH_TIMEOUT(whileConnecting.done(), kWaitMs);
    QCOMPARE(whileConnecting.errorCode(), ErrorCode::CallAlreadyActive);

    h->provider.emitStatus(first->sessionId, SessionStatus::Active);
    QCOMPARE_STATUS(row(first->id)->status, CallStatus::Active);
    PendingResult<Call> whileActive;
    h->service.initiate(kUser, kNumber, whileActive.callback());
    QTRY_VERIFY_WITH_TIMEOUT(whileActive.done(), kWaitMs);
    QCOMPARE(whileActive.errorCode(), ErrorCode::CallAlreadyActive);

    QCOMPARE(h->provider.initiated.size(), 1);
    QCOMPARE(h->calls.calls.size(), 1);
    QCOMPARE_STATUS(row(first->id)->status, CallStatus::Active);

    // Another operator is not held up.
    QVERIFY(placeCall(kOtherUser));
}

void tst_CallService::initiateUpdateFailureEndsTheProviderSession()
{
    h->calls.failUpdatesWith = Error::storage(u"database went away"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^call [0-9a-f-]{36} could not be recorded \\(database went away\\)"_s));
    PendingResult<Call> pending;
    h->service.initiate(kUser, kNumber, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::StorageUnavailable);

    const QString callId = h->calls.calls.first().id;
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(u"fake-session-"_s + callId), kWaitMs);
    QCOMPARE(h->service.sessions().count(), 0);

    // When the database is back, the next sweep ends the row nobody holds.
    h->calls.failUpdatesWith.reset();
    h->service.sweep();
    QCOMPARE_STATUS(row(callId)->status, CallStatus::Failed);
    QCOMPARE(row(callId)->failureReason, u"interrupted"_s);
}

void tst_CallService::terminateWhilePlacingCancelsAndEndsTheLateSession_data()
{
    QTest::addColumn<bool>("providerAsked");
    QTest::addRow("while the row is being written: the provider is never asked") << false;
    QTest::addRow("while the provider places it: its late session is ended") << true;
}

void tst_CallService::terminateWhilePlacingCancelsAndEndsTheLateSession()
{
    QFETCH(bool, providerAsked);
    h->provider.initiateDelayMs = 200;
    PendingResult<Call> initiate;
    h->service.initiate(kUser, kNumber, initiate.callback());
    const QString callId = h->calls.calls.first().id;
    QCOMPARE_STATUS(row(callId)->status, CallStatus::Initiated);
    if (providerAsked)
        QTRY_COMPARE_WITH_TIMEOUT(h->provider.initiated.size(), 1, kWaitMs);

    const Result<Call> terminated = terminate(kUser, callId);
    QVERIFY2(terminated.ok(), qPrintable(describe(terminated)));
    QCOMPARE_STATUS(terminated->status, CallStatus::Canceled);
    QCOMPARE(terminated->durationSeconds, 0);

    QTRY_VERIFY_WITH_TIMEOUT(initiate.done(), kWaitMs);
    QCOMPARE(initiate.errorCode(), ErrorCode::InvalidCallState);
    if (providerAsked)
        QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(u"fake-session-"_s + callId), kWaitMs);
    else
        QVERIFY(h->provider.initiated.isEmpty());
    QCOMPARE_STATUS(row(callId)->status, CallStatus::Canceled);
    QCOMPARE(h->service.sessions().count(), 0);
}

// --- answer ---------------------------------------------------------------------------------

void tst_CallService::answerHandsTheSdpToTheProvider()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    PendingResult<Call> pending;
    h->service.answer(kUser, call->id, kSdpAnswer, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QVERIFY2(pending.ok(), qPrintable(describe(pending.result())));
    QCOMPARE_STATUS(pending.value().status, CallStatus::Connecting);
    QCOMPARE(pending.value().sdpAnswer, kSdpAnswer);

    QCOMPARE(h->provider.answers.size(), 1);
    QCOMPARE(h->provider.answers.first().first, call->sessionId);
    QCOMPARE(h->provider.answers.first().second, kSdpAnswer);
    QCOMPARE(row(call->id)->sdpAnswer, kSdpAnswer);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);
}

void tst_CallService::answerRejectsBadSdp_data()
{
    QTest::addColumn<QString>("sdp");
    QTest::addColumn<QString>("message");
    QTest::addRow("empty") << QString() << u"sdp_answer is required"_s;
    QTest::addRow("blank") << u" \r\n "_s << u"sdp_answer is required"_s;
    QTest::addRow("not SDP") << u"hello"_s << u"not an SDP description"_s;
    QTest::addRow("JSON") << u"{\"type\":\"answer\"}"_s << u"not an SDP description"_s;
    QTest::addRow("no audio section") << u"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"_s
                                      << u"not an SDP description"_s;
    QTest::addRow("video only") << u"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"_s
                                << u"not an SDP description"_s;
    QTest::addRow("no origin") << u"v=0\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"_s << u"not an SDP description"_s;
    QTest::addRow("does not start with v=0") << u"o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\nm=audio 9 RTP/AVP 0\r\n"_s
                                             << u"not an SDP description"_s;
}

void tst_CallService::answerRejectsBadSdp()
{
    QFETCH(QString, sdp);
    QFETCH(QString, message);
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    PendingResult<Call> pending;
    h->service.answer(kUser, call->id, sdp, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::Validation);
    QVERIFY2(pending.errorMessage().contains(message), qPrintable(pending.errorMessage()));
    QVERIFY(h->provider.answers.isEmpty());
    QVERIFY(row(call->id)->sdpAnswer.isEmpty());
}

void tst_CallService::answerOtherUsersCallIsForbidden()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried to reach call .*%1.* of another user"_s.arg(call->id)));
    PendingResult<Call> pending;
    h->service.answer(kOtherUser, call->id, kSdpAnswer, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::Forbidden);
    QCOMPARE(pending.errorMessage(), u"No access to this call"_s);
    QVERIFY(h->provider.answers.isEmpty());
    QVERIFY(row(call->id)->sdpAnswer.isEmpty());
}

void tst_CallService::answerUnknownCall_data()
{
    QTest::addColumn<QString>("callId");
    QTest::addColumn<ErrorCode>("code");
    QTest::addRow("unknown UUID") << QUuid::createUuid().toString(QUuid::WithoutBraces) << ErrorCode::CallNotFound;
    QTest::addRow("not a UUID") << u"not-a-uuid"_s << ErrorCode::CallNotFound;
    QTest::addRow("SQL") << u"' OR '1'='1"_s << ErrorCode::CallNotFound;
    QTest::addRow("empty") << QString() << ErrorCode::Validation;
    QTest::addRow("blank") << u"   "_s << ErrorCode::Validation;
}

void tst_CallService::answerUnknownCall()
{
    QFETCH(QString, callId);
    QFETCH(ErrorCode, code);
    QVERIFY(placeCall());
    PendingResult<Call> pending;
    h->service.answer(kUser, callId, kSdpAnswer, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), code);
    QVERIFY(h->provider.answers.isEmpty());
}

void tst_CallService::answerAfterPickUpThenRefusedOnceEnded()
{
    // A signalling-only client's call became active without an answer: one posted now still
    // brings the operator's audio in, and the call stays active.
    const std::optional<Call> active = activeCall();
    QVERIFY(active);
    QCOMPARE_STATUS(active->status, CallStatus::Active);
    PendingResult<Call> onActive;
    h->service.answer(kUser, active->id, kSdpAnswer, onActive.callback());
    QTRY_VERIFY_WITH_TIMEOUT(onActive.done(), kWaitMs);
    QVERIFY2(onActive.ok(), qPrintable(onActive.errorMessage()));
    QCOMPARE_STATUS(row(active->id)->status, CallStatus::Active);
    QCOMPARE(row(active->id)->sdpAnswer, kSdpAnswer);
    QCOMPARE(h->provider.answers.size(), 1);

    QVERIFY(terminate(kUser, active->id).ok());
    PendingResult<Call> onEnded;
    h->service.answer(kUser, active->id, kSdpAnswer, onEnded.callback());
    QTRY_VERIFY_WITH_TIMEOUT(onEnded.done(), kWaitMs);
    QCOMPARE(onEnded.errorCode(), ErrorCode::InvalidCallState);
    QVERIFY2(onEnded.errorMessage().contains(u"completed"_s), qPrintable(onEnded.errorMessage()));
    QCOMPARE(h->provider.answers.size(), 1);
}

void tst_CallService::answerTwiceIsRefused()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    PendingResult<Call> first;
    h->service.answer(kUser, call->id, kSdpAnswer, first.callback());
    QTRY_VERIFY_WITH_TIMEOUT(first.done(), kWaitMs);
    QVERIFY(first.ok());

    PendingResult<Call> second;
    h->service.answer(kUser, call->id, kSdpAnswer, second.callback());
    QTRY_VERIFY_WITH_TIMEOUT(second.done(), kWaitMs);
    QCOMPARE(second.errorCode(), ErrorCode::InvalidCallState);
    QCOMPARE(h->provider.answers.size(), 1);
}

void tst_CallService::answerRejectedByProvider()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->provider.answerError = Error::validation(u"the SDP answer has no usable codec"_s);
    PendingResult<Call> pending;
    h->service.answer(kUser, call->id, kSdpAnswer, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::Validation);
    QCOMPARE(pending.errorMessage(), u"the SDP answer has no usable codec"_s);
    QCOMPARE(h->provider.answers.size(), 1);
    QVERIFY2(row(call->id)->sdpAnswer.isEmpty(), "a rejected answer is not stored");
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);

    // The softphone may try again with a better answer.
    h->provider.answerError.reset();
    PendingResult<Call> retry;
    h->service.answer(kUser, call->id, kSdpAnswer, retry.callback());
    QTRY_VERIFY_WITH_TIMEOUT(retry.done(), kWaitMs);
    QVERIFY(retry.ok());
}

void tst_CallService::answerProviderNeverReplies()
{
    // Issue 15, defect 6: the far end closed before webrtcbin replied, and the answer would wait
    // for ever. The provider's deadline answers it instead, once.
    CallSettings settings = defaultSettings();
    settings.providerTimeoutMs = 50;
    recreate(settings);
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->provider.neverApplyAnswer = true;
    QTest::ignoreMessage(QtWarningMsg, "the provider did not apply an answer in time");
    PendingResult<Call> pending;
    h->service.answer(kUser, call->id, kSdpAnswer, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::CallInitiationFailed);
    QVERIFY2(pending.errorMessage().contains(u"in time"_s), qPrintable(pending.errorMessage()));
    QTest::qWait(4 * settings.providerTimeoutMs);
    QCOMPARE(pending.calls(), 1);
    QVERIFY2(row(call->id)->sdpAnswer.isEmpty(), "an answer the provider never applied is not stored");
}

// --- far end --------------------------------------------------------------------------------

void tst_CallService::farEndAnswerMakesTheCallActive()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(7);
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);

    const std::optional<Call> active = row(call->id);
    QCOMPARE_STATUS(active->status, CallStatus::Active);
    QCOMPARE(active->answeredAt, h->clock.now());
    QCOMPARE(active->lastAliveAt, h->clock.now());
    QCOMPARE(active->durationSeconds, 0);
    QCOMPARE(h->service.sessions().find(call->sessionId)->status, SessionStatus::Active);

    // A repeated report does not move the moment of the answer.
    h->clock.advance(3);
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    QCOMPARE(row(call->id)->answeredAt, h->clock.now().addSecs(-3));
}

void tst_CallService::farEndHangupCompletesWithDurationFromAnswer()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(5); // ringing does not count
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    h->clock.advance(42);
    h->provider.emitStatus(call->sessionId, SessionStatus::Completed);

    const std::optional<Call> ended = row(call->id);
    QCOMPARE_STATUS(ended->status, CallStatus::Completed);
    QCOMPARE(ended->durationSeconds, 42);
    QCOMPARE(ended->endedAt, h->clock.now());
    QVERIFY(ended->failureReason.isEmpty());
    QCOMPARE(h->service.sessions().count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);

    // The operator's terminate afterwards reports what happened.
    const Result<Call> terminated = terminate(kUser, call->id);
    QVERIFY(terminated.ok());
    QCOMPARE_STATUS(terminated->status, CallStatus::Completed);
    QCOMPARE(terminated->durationSeconds, 42);
}

void tst_CallService::farEndFailure_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("answeredFirst");
    QTest::addRow("busy") << u"busy"_s << false;
    QTest::addRow("no answer") << u"no_answer"_s << false;
    QTest::addRow("media failed while connecting") << u"media_failed"_s << false;
    QTest::addRow("media failed during the call") << u"media_failed"_s << true;
}

void tst_CallService::farEndFailure()
{
    QFETCH(QString, reason);
    QFETCH(bool, answeredFirst);
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    if (answeredFirst)
        h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    h->clock.advance(12);
    h->provider.emitStatus(call->sessionId, SessionStatus::Failed, reason);

    const std::optional<Call> failed = row(call->id);
    QCOMPARE_STATUS(failed->status, CallStatus::Failed);
    QCOMPARE(failed->failureReason, reason);
    QCOMPARE(failed->durationSeconds, answeredFirst ? 12 : 0);
    QCOMPARE(failed->endedAt, h->clock.now());
    QCOMPARE(h->service.sessions().count(), 0);

    // The line is free for the next call.
    QVERIFY(placeCall());
}

void tst_CallService::eventsAfterTheEndChangeNothing()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    const Result<Call> canceled = terminate(kUser, call->id);
    QVERIFY(canceled.ok());
    const Call before = *row(call->id);

    h->clock.advance(10);
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    h->provider.emitStatus(call->sessionId, SessionStatus::Failed, u"busy"_s);
    h->provider.emitStatus(call->sessionId, SessionStatus::Completed);

    const Call after = *row(call->id);
    QCOMPARE_STATUS(after.status, CallStatus::Canceled);
    QCOMPARE(after.endedAt, before.endedAt);
    QVERIFY(!after.answeredAt);
    QVERIFY(after.failureReason.isEmpty());
}

void tst_CallService::eventForUnknownSessionIsLogged()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"provider reported on unknown session .*no-such-session"_s));
    h->provider.emitStatus(u"no-such-session"_s, SessionStatus::Completed);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);
    QCOMPARE(h->service.sessions().count(), 1);
}

// --- terminate ------------------------------------------------------------------------------

void tst_CallService::terminateActiveCallCompletes()
{
    const QDateTime start = h->clock.now();
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(5);
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);
    h->clock.advance(30);

    const Result<Call> terminated = terminate(kUser, call->id);
    QVERIFY2(terminated.ok(), qPrintable(describe(terminated)));
    QCOMPARE_STATUS(terminated->status, CallStatus::Completed);
    QCOMPARE(terminated->durationSeconds, 30); // from the answer, not from initiate
    QCOMPARE(terminated->endedAt, start.addSecs(35));

    const std::optional<Call> stored = row(call->id);
    QCOMPARE_STATUS(stored->status, CallStatus::Completed);
    QCOMPARE(stored->durationSeconds, 30);
    QCOMPARE(stored->endedAt, start.addSecs(35));
    QVERIFY(stored->failureReason.isEmpty());
    QCOMPARE(h->provider.terminated, QStringList{call->sessionId});
    QCOMPARE(h->service.sessions().count(), 0);
}

void tst_CallService::terminateConnectingCallCancels()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(20);

    const Result<Call> terminated = terminate(kUser, call->id);
    QVERIFY2(terminated.ok(), qPrintable(describe(terminated)));
    QCOMPARE_STATUS(terminated->status, CallStatus::Canceled);
    QCOMPARE(terminated->durationSeconds, 0);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Canceled);
    QCOMPARE(row(call->id)->durationSeconds, 0);
    QCOMPARE(row(call->id)->endedAt, h->clock.now());
    QCOMPARE(h->provider.terminated, QStringList{call->sessionId});
    QCOMPARE(h->service.sessions().count(), 0);
}

void tst_CallService::terminateProviderErrorIsLoggedAndTheCallStillEnds()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(9);
    h->provider.terminateError = Error{ErrorCode::Internal, u"provider exploded"_s};
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"^provider failed to end session %1 : provider exploded$"_s
                                                               .arg(QRegularExpression::escape(call->sessionId))));

    const Result<Call> terminated = terminate(kUser, call->id);
    QVERIFY2(terminated.ok(), qPrintable(describe(terminated)));
    QCOMPARE_STATUS(terminated->status, CallStatus::Completed);
    QCOMPARE(terminated->durationSeconds, 9);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Completed);
    QCOMPARE(h->provider.terminated, QStringList{call->sessionId});
    QCOMPARE(h->service.sessions().count(), 0);
    QVERIFY2(placeCall(), "the line is free although the provider failed");
}

void tst_CallService::terminateTwiceIsIdempotent()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(30);
    const Result<Call> first = terminate(kUser, call->id);
    QVERIFY(first.ok());
    QCOMPARE(first->durationSeconds, 30);
    const Call recorded = *row(call->id);

    h->clock.advance(100);
    const Result<Call> second = terminate(kUser, call->id);
    QVERIFY2(second.ok(), qPrintable(describe(second)));
    QCOMPARE_STATUS(second->status, CallStatus::Completed);
    QCOMPARE(second->durationSeconds, 30);
    QCOMPARE(second->endedAt, recorded.endedAt);

    const Call after = *row(call->id);
    QCOMPARE_STATUS(after.status, recorded.status);
    QCOMPARE(after.durationSeconds, recorded.durationSeconds);
    QCOMPARE(after.endedAt, recorded.endedAt);
    QCOMPARE(after.lastAliveAt, recorded.lastAliveAt);
    QCOMPARE(h->provider.terminated.size(), 1);
}

void tst_CallService::terminateWithStorageDownStillEndsTheProviderSession()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(20);
    h->calls.failUpdatesWith = Error::storage(u"database went away"_s);

    const Result<Call> result = terminate(kUser, call->id);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::StorageUnavailable);
    // The operator hung up: the far end goes, even though the database cannot record it yet.
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);
    QCOMPARE(h->service.sessions().count(), 0);

    // Once the database is back, the sweep ends the row with what is known.
    h->calls.failUpdatesWith.reset();
    h->clock.advance(60);
    h->service.sweep();
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Completed);
    QCOMPARE(row(call->id)->failureReason, QString());
}

void tst_CallService::terminateOtherUsersCallIsForbidden()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried to reach call .* of another user"_s));
    const Result<Call> result = terminate(kOtherUser, call->id);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::Forbidden);
    QCOMPARE(result.error().message, u"No access to this call"_s);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);
    QVERIFY(h->provider.terminated.isEmpty());
    QCOMPARE(h->service.sessions().count(), 1);
}

void tst_CallService::terminateUnknownCall()
{
    QVERIFY(placeCall());
    const Result<Call> unknown = terminate(kUser, QUuid::createUuid().toString(QUuid::WithoutBraces));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, ErrorCode::CallNotFound);
    QCOMPARE(unknown.error().message, u"Call not found"_s);

    const Result<Call> garbage = terminate(kUser, u"12345"_s);
    QVERIFY(!garbage.ok());
    QCOMPARE(garbage.error().code, ErrorCode::CallNotFound);
    QVERIFY(h->provider.terminated.isEmpty());
}

// --- hold and transfer ---------------------------------------------------------------------

void tst_CallService::holdAndResumeAnActiveCall()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    PendingResult<Call> held;
    h->service.hold(kUser, call->id, true, held.callback());
    QTRY_VERIFY_WITH_TIMEOUT(held.done(), kWaitMs);
    QVERIFY2(held.ok(), qPrintable(held.errorMessage()));
    QVERIFY(held.value().onHold);
    QCOMPARE_STATUS(held.value().status, CallStatus::Active);
    QVERIFY(row(call->id)->onHold);
    QCOMPARE(h->provider.holds, (QList<std::pair<QString, bool>>{{call->sessionId, true}}));

    PendingResult<Call> again;
    h->service.hold(kUser, call->id, true, again.callback());
    QTRY_VERIFY_WITH_TIMEOUT(again.done(), kWaitMs);
    QVERIFY(again.ok() && again.value().onHold);
    QCOMPARE(h->provider.holds.size(), 1); // already held: the far end is not asked again

    PendingResult<Call> resumed;
    h->service.hold(kUser, call->id, false, resumed.callback());
    QTRY_VERIFY_WITH_TIMEOUT(resumed.done(), kWaitMs);
    QVERIFY(resumed.ok());
    QVERIFY(!resumed.value().onHold);
    QVERIFY(!row(call->id)->onHold);
    QCOMPARE(h->provider.holds.last(), (std::pair<QString, bool>{call->sessionId, false}));
}

void tst_CallService::holdRequiresAnActiveCall()
{
    const std::optional<Call> connecting = placeCall();
    QVERIFY(connecting);
    PendingResult<Call> early;
    h->service.hold(kUser, connecting->id, true, early.callback());
    QTRY_VERIFY_WITH_TIMEOUT(early.done(), kWaitMs);
    QCOMPARE(early.errorCode(), ErrorCode::InvalidCallState);
    QVERIFY2(early.errorMessage().contains(u"connecting"_s), qPrintable(early.errorMessage()));

    QVERIFY(terminate(kUser, connecting->id).ok());
    PendingResult<Call> late;
    h->service.transfer(kUser, connecting->id, u"+44 20 7946 0958"_s, late.callback());
    QTRY_VERIFY_WITH_TIMEOUT(late.done(), kWaitMs);
    QCOMPARE(late.errorCode(), ErrorCode::InvalidCallState);
    QVERIFY(h->provider.holds.isEmpty() && h->provider.transfers.isEmpty());
}

void tst_CallService::holdRefusedByTheProviderChangesNothing()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->provider.holdError = Error{ErrorCode::InvalidCallState, u"the far end cannot hold"_s};
    PendingResult<Call> held;
    h->service.hold(kUser, call->id, true, held.callback());
    QTRY_VERIFY_WITH_TIMEOUT(held.done(), kWaitMs);
    QCOMPARE(held.errorCode(), ErrorCode::InvalidCallState);
    QVERIFY(!row(call->id)->onHold);
}

void tst_CallService::transferEndsTheOperatorsLegCompleted()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(25);
    PendingResult<Call> transferred;
    h->service.transfer(kUser, call->id, u"+44 20 7946 0958"_s, transferred.callback());
    QTRY_VERIFY_WITH_TIMEOUT(transferred.done(), kWaitMs);
    QVERIFY2(transferred.ok(), qPrintable(transferred.errorMessage()));
    QCOMPARE_STATUS(transferred.value().status, CallStatus::Completed);
    QCOMPARE(transferred.value().transferredTo, u"+442079460958"_s);
    QCOMPARE(transferred.value().durationSeconds, 25);
    QCOMPARE(h->provider.transfers, (QList<std::pair<QString, QString>>{{call->sessionId, u"+442079460958"_s}}));
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Completed);
    QCOMPARE(row(call->id)->transferredTo, u"+442079460958"_s);
    QCOMPARE(h->service.sessions().count(), 0);
    QVERIFY2(placeCall(), "the operator's line is free again");
}

void tst_CallService::transferRejectsABadNumber()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    PendingResult<Call> transferred;
    h->service.transfer(kUser, call->id, u"030 1234567"_s, transferred.callback());
    QTRY_VERIFY_WITH_TIMEOUT(transferred.done(), kWaitMs);
    QCOMPARE(transferred.errorCode(), ErrorCode::Validation);
    QVERIFY(h->provider.transfers.isEmpty());
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Active);
}

void tst_CallService::transferOfAnotherUsersCallIsForbidden()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried to reach call .* of another user"_s));
    PendingResult<Call> transferred;
    h->service.transfer(kOtherUser, call->id, u"+44 20 7946 0958"_s, transferred.callback());
    QTRY_VERIFY_WITH_TIMEOUT(transferred.done(), kWaitMs);
    QCOMPARE(transferred.errorCode(), ErrorCode::Forbidden);
    QVERIFY(h->provider.transfers.isEmpty());
}

// --- history --------------------------------------------------------------------------------

void tst_CallService::historyValidation_data()
{
    QTest::addColumn<HistoryRequest>("request");
    QTest::addColumn<QString>("message");

    auto request = [](std::function<void(HistoryRequest &)> change) {
        HistoryRequest r;
        change(r);
        return r;
    };
    const QString page = u"page must be a whole number from 1 to 1000000"_s;
    const QString limit = u"limit must be a whole number from 1 to 100"_s;
    QTest::addRow("page 0") << request([](auto &r) { r.page = u"0"_s; }) << page;
    QTest::addRow("page negative") << request([](auto &r) { r.page = u"-1"_s; }) << page;
    QTest::addRow("page letters") << request([](auto &r) { r.page = u"two"_s; }) << page;
    QTest::addRow("page fraction") << request([](auto &r) { r.page = u"1.5"_s; }) << page;
    QTest::addRow("page too big") << request([](auto &r) { r.page = u"1000001"_s; }) << page;
    QTest::addRow("page overflows int") << request([](auto &r) { r.page = u"99999999999"_s; }) << page;
    QTest::addRow("limit 0") << request([](auto &r) { r.limit = u"0"_s; }) << limit;
    QTest::addRow("limit 101") << request([](auto &r) { r.limit = u"101"_s; }) << limit;
    QTest::addRow("limit letters") << request([](auto &r) { r.limit = u"all"_s; }) << limit;
    QTest::addRow("date_from garbage") << request([](auto &r) { r.dateFrom = u"yesterday"_s; })
                                       << u"date_from must be a date (YYYY-MM-DD) or an RFC 3339 time"_s;
    QTest::addRow("date_from impossible") << request([](auto &r) { r.dateFrom = u"2026-02-30"_s; })
                                          << u"date_from must be a date (YYYY-MM-DD) or an RFC 3339 time"_s;
    QTest::addRow("date_to without offset") << request([](auto &r) { r.dateTo = u"2026-02-01T10:00:00"_s; })
                                            << u"date_to must be a date (YYYY-MM-DD) or an RFC 3339 time"_s;
    QTest::addRow("date_from after date_to") << request([](auto &r) {
        r.dateFrom = u"2026-02-02"_s;
        r.dateTo = u"2026-02-01"_s;
    }) << u"date_from must not be after date_to"_s;
    QTest::addRow("date_from after date_to, times") << request([](auto &r) {
        r.dateFrom = u"2026-02-01T12:00:00Z"_s;
        r.dateTo = u"2026-02-01T13:00:00+02:00"_s; // 11:00Z
    }) << u"date_from must not be after date_to"_s;
    const QString status = u"status must be one of initiated, connecting, active, completed, failed, canceled"_s;
    QTest::addRow("status unknown") << request([](auto &r) { r.status = u"ringing"_s; }) << status;
    QTest::addRow("status upper case") << request([](auto &r) { r.status = u"COMPLETED"_s; }) << status;
    const QString q = u"q may contain only digits and phone number punctuation, at most 32 characters"_s;
    QTest::addRow("outcome unknown") << request([](auto &r) { r.outcome = u"sold"_s; })
                                     << u"outcome must be one of answered, interested, callback, not_interested, "
                                        "wrong_number, voicemail, other"_s;
    QTest::addRow("q letters") << request([](auto &r) { r.query = u"49abc"_s; }) << q;
    QTest::addRow("q SQL wildcard") << request([](auto &r) { r.query = u"49%"_s; }) << q;
    QTest::addRow("q underscore") << request([](auto &r) { r.query = u"4_9"_s; }) << q;
    QTest::addRow("q too long") << request([](auto &r) { r.query = QString(33, u'1'); }) << q;
}

void tst_CallService::historyValidation()
{
    QFETCH(HistoryRequest, request);
    QFETCH(QString, message);
    const Result<HistoryPage> page = h->service.history(kUser, request);
    QVERIFY(!page.ok());
    QCOMPARE(page.error().code, ErrorCode::Validation);
    QCOMPARE(page.error().message, message);
    QVERIFY2(!h->calls.lastHistoryQuery, "the repository is not asked");
}

void tst_CallService::historyDefaults()
{
    const Result<HistoryPage> page = h->service.history(kUser, {});
    QVERIFY(page.ok());
    QVERIFY(h->calls.lastHistoryQuery);
    const HistoryQuery &query = *h->calls.lastHistoryQuery;
    QCOMPARE(query.userId, kUser);
    QCOMPARE(query.page, 1);
    QCOMPARE(query.limit, CallService::kDefaultHistoryLimit);
    QVERIFY(!query.from);
    QVERIFY(!query.to);
    QVERIFY(!query.status);
    QVERIFY(query.numberContains.isEmpty());
}

void tst_CallService::historyQueryPassedToRepository()
{
    // Two calls of this user and one of another: the page holds this user's, newest first.
    const std::optional<Call> older = placeCall();
    QVERIFY(older);
    QVERIFY(terminate(kUser, older->id).ok());
    h->clock.advance(60);
    const std::optional<Call> newer = placeCall();
    QVERIFY(newer);
    QVERIFY(placeCall(kOtherUser));

    HistoryRequest request;
    request.page = u"1"_s;
    request.limit = u"100"_s;
    request.dateFrom = u"2026-01-15T09:00:00+00:00"_s;
    request.dateTo = u"2026-01-15T13:00:00+02:00"_s;
    request.query = u"+49 (151) 234-56"_s;
    const Result<HistoryPage> page = h->service.history(kUser, request);
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));

    const HistoryQuery &query = *h->calls.lastHistoryQuery;
    QCOMPARE(query.userId, kUser);
    QCOMPARE(query.page, 1);
    QCOMPARE(query.limit, 100);
    QCOMPARE(*query.from, QDateTime(QDate(2026, 1, 15), QTime(9, 0), Qt::UTC));
    QCOMPARE(*query.to, QDateTime(QDate(2026, 1, 15), QTime(11, 0), Qt::UTC));
    QVERIFY(!query.status);
    QCOMPARE(query.numberContains, u"4915123456"_s); // digits only: no LIKE wildcard can come through

    QCOMPARE(page->total, 2);
    QCOMPARE(page->calls.size(), 2);
    QCOMPARE(page->calls.at(0).id, newer->id);
    QCOMPARE(page->calls.at(1).id, older->id);

    request.status = u"canceled"_s;
    request.page = u"3"_s;
    request.limit = u"1"_s;
    QVERIFY(h->service.history(kUser, request).ok());
    QVERIFY(h->calls.lastHistoryQuery->status);
    QCOMPARE_STATUS(*h->calls.lastHistoryQuery->status, CallStatus::Canceled);
    QCOMPARE(h->calls.lastHistoryQuery->page, 3);
    QCOMPARE(h->calls.lastHistoryQuery->limit, 1);
}

void tst_CallService::historyPlainDateToCoversTheWholeDay()
{
    HistoryRequest request;
    request.dateFrom = u"2026-01-31"_s;
    request.dateTo = u"2026-01-31"_s;
    QVERIFY(h->service.history(kUser, request).ok());
    QCOMPARE(*h->calls.lastHistoryQuery->from, QDateTime(QDate(2026, 1, 31), QTime(0, 0), Qt::UTC));
    QCOMPARE(*h->calls.lastHistoryQuery->to, QDateTime(QDate(2026, 1, 31), QTime(23, 59, 59, 999), Qt::UTC));

    request.dateTo = u"2026-01-31T00:00:00Z"_s; // an exact time stays exact
    QVERIFY(h->service.history(kUser, request).ok());
    QCOMPARE(*h->calls.lastHistoryQuery->to, QDateTime(QDate(2026, 1, 31), QTime(0, 0), Qt::UTC));
}

void tst_CallService::historyStorageError()
{
    h->calls.failWith = Error::storage(u"database is down"_s);
    const Result<HistoryPage> page = h->service.history(kUser, {});
    QVERIFY(!page.ok());
    QCOMPARE(page.error().code, ErrorCode::StorageUnavailable);
}

void tst_CallService::getOwnAndOthersCall()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    const Result<Call> own = h->service.get(kUser, call->id);
    QVERIFY(own.ok());
    QCOMPARE(own->id, call->id);
    QCOMPARE_STATUS(own->status, CallStatus::Connecting);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried to reach call .* of another user"_s));
    const Result<Call> others = h->service.get(kOtherUser, call->id);
    QVERIFY(!others.ok());
    QCOMPARE(others.error().code, ErrorCode::Forbidden);

    const Result<Call> missing = h->service.get(kUser, QUuid::createUuid().toString(QUuid::WithoutBraces));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::CallNotFound);
}

// The operator's notes and outcome: written on a live call, kept through the lifecycle's writes.
void tst_CallService::annotateWritesNotesAndOutcome()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    PendingResult<Call> annotated;
    h->service.annotate(kUser, call->id, {u"asked for a quote"_s, u"callback"_s}, annotated.callback());
    QTRY_VERIFY_WITH_TIMEOUT(annotated.done(), kWaitMs);
    QVERIFY2(annotated.ok(), qPrintable(annotated.errorMessage()));
    QCOMPARE(annotated.value().notes, u"asked for a quote"_s);
    QCOMPARE(annotated.value().outcome, u"callback"_s);
    QCOMPARE_STATUS(annotated.value().status, CallStatus::Connecting);

    PendingResult<Call> ended;
    h->service.terminate(kUser, call->id, ended.callback());
    QTRY_VERIFY_WITH_TIMEOUT(ended.done(), kWaitMs);
    QCOMPARE(row(call->id)->notes, u"asked for a quote"_s);

    PendingResult<Call> cleared; // only the outcome: the notes stay
    h->service.annotate(kUser, call->id, {std::nullopt, QString()}, cleared.callback());
    QTRY_VERIFY_WITH_TIMEOUT(cleared.done(), kWaitMs);
    QVERIFY(cleared.ok());
    QCOMPARE(row(call->id)->outcome, QString());
    QCOMPARE(row(call->id)->notes, u"asked for a quote"_s);
}

void tst_CallService::annotateRefuses()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    const auto refused = [&](const QString &userId, const QString &callId, const CallAnnotation &annotation) {
        PendingResult<Call> pending;
        h->service.annotate(userId, callId, annotation, pending.callback());
        if (!QTest::qWaitFor([&] { return pending.done(); }, kWaitMs) || pending.ok())
            return std::optional<ErrorCode>();
        return pending.errorCode();
    };
    QCOMPARE(refused(kUser, call->id, {QString(4001, u'x'), std::nullopt}), ErrorCode::Validation);
    QCOMPARE(refused(kUser, call->id, {std::nullopt, u"sold"_s}), ErrorCode::Validation);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried to reach call .* of another user"_s));
    QCOMPARE(refused(kOtherUser, call->id, {u"mine"_s, std::nullopt}), ErrorCode::Forbidden);
    QCOMPARE(refused(kUser, QUuid::createUuid().toString(QUuid::WithoutBraces), {u"x"_s, std::nullopt}),
             ErrorCode::CallNotFound);
    QCOMPARE(row(call->id)->notes, QString());
}

// --- lifecycle ------------------------------------------------------------------------------

// Each call's own timer ends it when its time is up; the sweep (60 s here, never started) is not
// needed. The fake clock decides whether the time is up when the real timer fires.
void tst_CallService::setupTimeoutFiresWithoutASweep()
{
    CallSettings settings = defaultSettings();
    settings.setupTimeoutSeconds = 1;
    h = std::make_unique<Harness>(settings);
    const std::optional<Call> call = placeCall();
    QVERIFY(call);

    // The timer fires after 1 s, but the clock says the time is not up: it waits for the rest.
    QTest::qWait(1300);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);

    h->clock.advance(1);
    QTRY_VERIFY_WITH_TIMEOUT(row(call->id)->status == CallStatus::Failed, 1500);
    QCOMPARE(row(call->id)->failureReason, u"setup_timeout"_s);
    QCOMPARE(h->service.sessions().count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);
}

void tst_CallService::maximumDurationFiresWithoutASweep()
{
    CallSettings settings = defaultSettings();
    settings.sessionTtlSeconds = 1;
    h = std::make_unique<Harness>(settings);
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(1);
    QTRY_VERIFY_WITH_TIMEOUT(row(call->id)->status == CallStatus::Completed, 2000);
    QCOMPARE(row(call->id)->durationSeconds, 1);
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);
}

void tst_CallService::sweepExpiresUnansweredCall()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(kSetupTimeout - 1);
    h->service.sweep();
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);
    QCOMPARE(h->service.sessions().count(), 1);

    h->clock.advance(1);
    h->service.sweep();
    const std::optional<Call> expired = row(call->id);
    QCOMPARE_STATUS(expired->status, CallStatus::Failed);
    QCOMPARE(expired->failureReason, u"setup_timeout"_s);
    QCOMPARE(expired->durationSeconds, 0);
    QCOMPARE(expired->endedAt, h->clock.now());
    QCOMPARE(h->service.sessions().count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);
}

void tst_CallService::sweepExpiresActiveCallPastTtl()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->clock.advance(10);
    h->provider.emitStatus(call->sessionId, SessionStatus::Active);

    // Past the setup timeout but within the TTL: an answered call is left alone.
    h->clock.advance(kSessionTtl - 1);
    h->service.sweep();
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Active);

    h->clock.advance(1);
    h->service.sweep();
    const std::optional<Call> expired = row(call->id);
    QCOMPARE_STATUS(expired->status, CallStatus::Completed);
    QCOMPARE(expired->durationSeconds, kSessionTtl);
    QVERIFY(expired->failureReason.isEmpty());
    QCOMPARE(h->service.sessions().count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(h->provider.terminated.contains(call->sessionId), kWaitMs);
}

void tst_CallService::sweepRecordsLiveCallsAsAlive()
{
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    h->clock.advance(30);
    h->service.sweep();
    QCOMPARE(row(call->id)->lastAliveAt, h->clock.now());
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Active);
}

void tst_CallService::sweepReconcilesCallsOfAQuietInstance()
{
    const QDateTime now = h->clock.now();
    // Another instance stopped ten minutes ago with a call connecting; a third one is alive.
    Call quiet = storedCall(u"user-q"_s, CallStatus::Connecting, u"instance-b"_s, now.addSecs(-900));
    quiet.lastAliveAt = now.addSecs(-600);
    Call alive = storedCall(u"user-r"_s, CallStatus::Active, u"instance-c"_s, now.addSecs(-900));
    alive.answeredAt = now.addSecs(-890);
    alive.lastAliveAt = now.addSecs(-30);
    h->calls.calls << quiet << alive;
    const std::optional<Call> mine = placeCall();
    QVERIFY(mine);

    h->service.sweep();
    QCOMPARE_STATUS(row(quiet.id)->status, CallStatus::Failed);
    QCOMPARE(row(quiet.id)->failureReason, u"interrupted"_s);
    QCOMPARE(row(quiet.id)->endedAt, quiet.lastAliveAt);
    QCOMPARE_STATUS(row(alive.id)->status, CallStatus::Active);
    QCOMPARE(row(alive.id)->lastAliveAt, now.addSecs(-30)); // not ours to heartbeat
    QCOMPARE_STATUS(row(mine->id)->status, CallStatus::Connecting);
}

void tst_CallService::sweepEndsTheSessionOfACallEndedElsewhere()
{
    // Two instances share the database: the operator hangs up through the other one, which ends
    // the row but cannot reach this instance's far end.
    const std::optional<Call> call = activeCall();
    QVERIFY(call);
    const std::optional<Call> other = placeCall(u"user-other"_s);
    QVERIFY(other);
    Call endedElsewhere = *row(call->id);
    endedElsewhere.status = CallStatus::Completed;
    endedElsewhere.endedAt = h->clock.now();
    QVERIFY(h->calls.update(endedElsewhere, CallStatus::Active).value());
    QVERIFY(h->provider.terminated.isEmpty());

    h->service.sweep();
    QTRY_COMPARE_WITH_TIMEOUT(h->provider.terminated, QStringList{call->sessionId}, kWaitMs);
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Completed);
    // The call still live here keeps its session.
    QCOMPARE_STATUS(row(other->id)->status, CallStatus::Connecting);
    h->service.sweep();
    QCOMPARE(h->provider.terminated, QStringList{call->sessionId});
}

void tst_CallService::startReconcilesOrphans()
{
    const QDateTime now = h->clock.now();
    // What an earlier run of this instance left behind.
    Call connecting = storedCall(u"user-1"_s, CallStatus::Connecting, kInstance, now.addSecs(-300));
    connecting.lastAliveAt = now.addSecs(-290);
    Call placing = storedCall(u"user-2"_s, CallStatus::Initiated, kInstance, now.addSecs(-200));
    placing.sessionId.clear();
    placing.lastAliveAt.reset();
    Call active = storedCall(u"user-3"_s, CallStatus::Active, kInstance, now.addSecs(-500));
    active.answeredAt = now.addSecs(-480);
    active.lastAliveAt = now.addSecs(-420); // last seen alive 60 s after the answer
    Call activeNeverSeen = storedCall(u"user-4"_s, CallStatus::Active, kInstance, now.addSecs(-500));
    activeNeverSeen.answeredAt = now.addSecs(-470);
    activeNeverSeen.lastAliveAt.reset();
    Call finished = storedCall(u"user-5"_s, CallStatus::Completed, kInstance, now.addSecs(-900));
    finished.durationSeconds = 77;
    finished.endedAt = now.addSecs(-800);
    // Another instance: one alive (recent heartbeat), one gone quiet.
    Call othersAlive = storedCall(u"user-6"_s, CallStatus::Active, u"instance-b"_s, now.addSecs(-100));
    othersAlive.answeredAt = now.addSecs(-90);
    othersAlive.lastAliveAt = now.addSecs(-20);
    Call othersStale = storedCall(u"user-7"_s, CallStatus::Active, u"instance-b"_s, now.addSecs(-3600));
    othersStale.answeredAt = now.addSecs(-3500);
    othersStale.lastAliveAt = now.addSecs(-3000);
    h->calls.calls << connecting << placing << active << activeNeverSeen << finished << othersAlive << othersStale;

    PendingResult<Done> started;
    h->service.start(started.callback());
    QVERIFY2(!started.done(), "start completes once the reconciliation is committed, not before");
    QTRY_VERIFY_WITH_TIMEOUT(started.done(), kWaitMs);
    QVERIFY2(started.ok(), qPrintable(started.errorMessage()));

    QCOMPARE_STATUS(row(connecting.id)->status, CallStatus::Failed);
    QCOMPARE(row(connecting.id)->failureReason, u"interrupted"_s);
    QCOMPARE(row(connecting.id)->durationSeconds, 0);
    QCOMPARE(row(connecting.id)->endedAt, connecting.lastAliveAt);

    QCOMPARE_STATUS(row(placing.id)->status, CallStatus::Failed);
    QCOMPARE(row(placing.id)->failureReason, u"interrupted"_s);
    QCOMPARE(row(placing.id)->endedAt, placing.startTime);

    QCOMPARE_STATUS(row(active.id)->status, CallStatus::Completed);
    QCOMPARE(row(active.id)->durationSeconds, 60); // answered → last seen alive
    QCOMPARE(row(active.id)->endedAt, active.lastAliveAt);
    QVERIFY(row(active.id)->failureReason.isEmpty());

    QCOMPARE_STATUS(row(activeNeverSeen.id)->status, CallStatus::Completed);
    QCOMPARE(row(activeNeverSeen.id)->durationSeconds, 0); // nothing known after the answer

    QCOMPARE_STATUS(row(finished.id)->status, CallStatus::Completed);
    QCOMPARE(row(finished.id)->durationSeconds, 77);
    QCOMPARE(row(finished.id)->endedAt, finished.endedAt);

    QCOMPARE_STATUS(row(othersAlive.id)->status, CallStatus::Active);
    QCOMPARE_STATUS(row(othersStale.id)->status, CallStatus::Completed);
    QCOMPARE(row(othersStale.id)->durationSeconds, 500);

    QVERIFY2(h->provider.initiated.isEmpty() && h->provider.terminated.isEmpty(),
             "sessions of an earlier run are not this provider's to end");
    // Every operator whose call was reconciled can call again.
    QVERIFY(placeCall(u"user-3"_s));
}

void tst_CallService::sweepWithStorageDownWarns()
{
    const std::optional<Call> call = placeCall();
    QVERIFY(call);
    h->calls.failWith = Error::storage(u"database is down"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^cannot record live calls: database is down$"_s));
    h->service.sweep();
    QCoreApplication::sendPostedEvents(&h->service); // the heartbeat's answer from the writer
    QCOMPARE(h->service.sessions().count(), 1);

    h->calls.failWith.reset();
    QCOMPARE_STATUS(row(call->id)->status, CallStatus::Connecting);
}

void tst_CallService::startStorageError()
{
    h->calls.failWith = Error::storage(u"database is down"_s);
    PendingResult<Done> started;
    h->service.start(started.callback());
    QTRY_VERIFY_WITH_TIMEOUT(started.done(), kWaitMs);
    QCOMPARE(started.errorCode(), ErrorCode::StorageUnavailable);
}

QTEST_GUILESS_MAIN(tst_CallService)
#include "tst_callservice.moc"
