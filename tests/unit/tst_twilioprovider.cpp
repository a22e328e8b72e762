// The Twilio provider against an in-process fake of Twilio's Calls API (tests/support/faketwilio):
// the exact requests it sends, how Twilio's errors reach the operator, retries and their bound,
// timeouts, how a call is ended, polling, and status callbacks that arrive out of order.

#include "domain/call.h"
#include "faketwilio.h"
#include "pendingresult.h"
#include "printers.h"
#include "voip/twilio/twiliovoipservice.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QString kAccountSid = QString::fromLatin1(FakeTwilio::kAccountSid);
const QString kCallsPath = u"/2010-04-01/Accounts/%1/Calls.json"_s.arg(kAccountSid);
const QString kPublicUrl = u"https://switchboard.example.com"_s;
const QString kUserId = u"6f1c2b7e-0a4d-4c1e-9a53-2f0e8d6b1c42"_s;
const QString kDialled = u"+4915123456789"_s;

QString callPath(const QString &sid)
{
    return u"/2010-04-01/Accounts/%1/Calls/%2.json"_s.arg(kAccountSid, sid);
}

QByteArray basicAuth(const char *user, const char *password)
{
    return "Basic " + (QByteArray(user) + ':' + password).toBase64();
}

struct Event
{
    QString sid;
    SessionStatus status;
    QString reason;
    std::optional<int> duration; ///< what the provider reported at that moment
};

} // namespace

class tst_TwilioProvider : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void create_sendsTheDocumentedRequest();
    void create_withPublicUrl_asksForSignedCallbacks();
    void create_withApiKey_authenticatesWithTheKey();
    void create_twilioErrors_data();
    void create_twilioErrors();
    void create_transientErrors_areRetried_data();
    void create_transientErrors_areRetried();
    void create_givesUpWithinTheBudget_data();
    void create_givesUpWithinTheBudget();
    void create_timeouts_areRetriedWithinTheBudget();
    void create_timeoutOnce_thenSucceeds();
    void create_droppedConnection_isRetried();
    void backoff_growsWithJitter();

    void terminate_cancelsAnUnansweredCall();
    void terminate_completesAnAnsweredCall();
    void terminate_answeredMeanwhile_hangsUp();
    void terminate_providerError_isReported();
    void terminate_unknownSession_needsNoRequest();
    void answer_isRefused();

    void polling_followsTheCall();
    void polling_missedAnswer_stillCountsTheCall();
    void polling_endings_data();
    void polling_endings();

    void callbacks_mapStatuses_data();
    void callbacks_mapStatuses();
    void callbacks_outOfOrderBySequence_areIgnored();
    void callbacks_outOfOrderByTimestamp_areIgnored();
    void callbacks_earlierStage_isIgnored();
    void callbacks_unknownCallOrAccount_areIgnored();

private:
    TwilioOptions options(const QString &publicUrl = {}) const;
    std::unique_ptr<TwilioVoipService> makeService(const TwilioOptions &options);
    /// Places a call; the session id, or empty when it failed.
    QString place(TwilioVoipService &twilio);
    void callback(TwilioVoipService &twilio, const QString &sid, const QString &status,
                  const TwilioSignature::Parameters &extra = {});

    std::unique_ptr<FakeTwilio> m_fake;
    QList<Event> m_events;
};

void tst_TwilioProvider::init()
{
    m_fake = std::make_unique<FakeTwilio>();
    QVERIFY(m_fake->listen());
    m_events.clear();
}

void tst_TwilioProvider::cleanup()
{
    m_fake.reset();
}

TwilioOptions tst_TwilioProvider::options(const QString &publicUrl) const
{
    TwilioOptions options;
    options.account = {kAccountSid,
                       QString::fromLatin1(FakeTwilio::kAuthToken),
                       {},
                       {},
                       QString::fromLatin1(FakeTwilio::kFromNumber),
                       m_fake->baseUrl().toString(),
                       publicUrl,
                       {}};
    options.pollIntervalMs = 50;
    options.ringTimeoutSeconds = 45;
    return options;
}

std::unique_ptr<TwilioVoipService> tst_TwilioProvider::makeService(const TwilioOptions &options)
{
    auto twilio = std::make_unique<TwilioVoipService>(options);
    TwilioVoipService *raw = twilio.get();
    connect(raw, &VoipService::sessionStatusChanged, this,
            [this, raw](const QString &sid, SessionStatus status, const QString &reason) {
        m_events.append({sid, status, reason, raw->durationSeconds(sid)});
    });
    return twilio;
}

QString tst_TwilioProvider::place(TwilioVoipService &twilio)
{
    PendingResult<ProviderSession> placed;
    twilio.initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    if (!QTest::qWaitFor([&]() { return placed.done(); }, 10000) || !placed.ok()) {
        qWarning("initiate failed: %s", qPrintable(placed.errorMessage()));
        return {};
    }
    return placed.value().sessionId;
}

void tst_TwilioProvider::callback(TwilioVoipService &twilio, const QString &sid, const QString &status,
                                  const TwilioSignature::Parameters &extra)
{
    TwilioSignature::Parameters parameters{{u"AccountSid"_s, kAccountSid}, {u"CallSid"_s, sid}, {u"CallStatus"_s, status}};
    parameters.append(extra);
    twilio.applyStatusCallback(parameters);
}

void tst_TwilioProvider::create_sendsTheDocumentedRequest()
{
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    QVERIFY(sid.startsWith(u"CA"_s));
    QCOMPARE(m_fake->callSids(), QStringList{sid});

    const FakeTwilio::Request create = m_fake->requests().first();
    QCOMPARE(create.method, QByteArray("POST"));
    QCOMPARE(create.path, kCallsPath);
    QCOMPARE(create.header("Authorization"), basicAuth(FakeTwilio::kAccountSid, FakeTwilio::kAuthToken));
    QVERIFY(create.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    QCOMPARE(create.formNames(), (QStringList{u"To"_s, u"From"_s, u"Twiml"_s, u"Timeout"_s}));
    // The + of an E.164 number survives form encoding (a bare + would be a space).
    QCOMPARE(create.formValue(u"To"_s), kDialled);
    QVERIFY(create.body.contains("To=%2B4915123456789"));
    QCOMPARE(create.formValue(u"From"_s), QString::fromLatin1(FakeTwilio::kFromNumber));
    QCOMPARE(create.formValue(u"Timeout"_s), u"45"_s);
    QCOMPARE(create.formValue(u"Twiml"_s),
             u"<Response><Dial><Client><Identity>operator_6f1c2b7e_0a4d_4c1e_9a53_2f0e8d6b1c42</Identity>"
             "<Parameter name=\"switchboard_call_id\" value=\"call-1\"/></Client></Dial></Response>"_s);
    QCOMPARE(m_fake->call(sid)->to, kDialled);
    QCOMPARE(twilio->sessionCount(), 1);
}

void tst_TwilioProvider::create_withPublicUrl_asksForSignedCallbacks()
{
    auto twilio = makeService(options(kPublicUrl + u"/"_s));
    QCOMPARE(twilio->statusCallbackUrl(), u"https://switchboard.example.com/api/voice/status"_s);
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());
    const FakeTwilio::Request create = m_fake->requests().first();
    QCOMPARE(create.formValue(u"StatusCallback"_s), u"https://switchboard.example.com/api/voice/status"_s);
    QCOMPARE(create.formValue(u"StatusCallbackMethod"_s), u"POST"_s);
    QCOMPARE(create.formValues(u"StatusCallbackEvent"_s),
             (QStringList{u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s}));
    // Twilio reports progress itself: nothing is polled.
    QTest::qWait(200);
    QCOMPARE(m_fake->requests().size(), 1);
}

void tst_TwilioProvider::create_withApiKey_authenticatesWithTheKey()
{
    TwilioOptions withKey = options();
    withKey.account.authToken.clear();
    withKey.account.apiKey = QString::fromLatin1(FakeTwilio::kApiKey);
    withKey.account.apiSecret = QString::fromLatin1(FakeTwilio::kApiSecret);
    auto twilio = makeService(withKey);
    QVERIFY(!place(*twilio).isEmpty());
    QCOMPARE(m_fake->requests().first().header("Authorization"), basicAuth(FakeTwilio::kApiKey, FakeTwilio::kApiSecret));
    QCOMPARE(m_fake->requests().first().path, kCallsPath); // the account's path, whoever authenticates
}

void tst_TwilioProvider::create_twilioErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addColumn<ErrorCode>("expected");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("log"); // the log line that must appear, as a pattern

    QTest::addRow("21211 invalid To") << 400 << 21211 << ErrorCode::Validation
                                      << u"+4915123456789 is not a number Twilio can call"_s
                                      << u"^Twilio refused call call-1 : HTTP 400, code 21211"_s;
    QTest::addRow("21215 geo permissions") << 400 << 21215 << ErrorCode::Validation
                                           << u"Calls to +4915123456789 are not enabled in the Twilio account's geographic permissions"_s
                                           << u"^Twilio refused call call-1 : HTTP 400, code 21215"_s;
    QTest::addRow("21210 caller ID") << 400 << 21210 << ErrorCode::Validation
                                     << u"Twilio does not accept the caller ID (VOIP_FROM_NUMBER) for this call"_s
                                     << u"^Twilio refused call call-1 : HTTP 400, code 21210"_s;
    QTest::addRow("other 4xx on the number") << 400 << 13224 << ErrorCode::Validation
                                             << u"Twilio refused the call to +4915123456789: HTTP 400, code 13224: refused"_s
                                             << u"^Twilio refused call call-1 : HTTP 400, code 13224"_s;
    QTest::addRow("20003 credentials") << 401 << 20003 << ErrorCode::CallInitiationFailed
                                       << u"the provider refused Switchboard's credentials"_s
                                       << u"^Twilio refused Switchboard's credentials \\(HTTP 401, code 20003: refused\\): "
                                          "check VOIP_ACCOUNT_SID and VOIP_AUTH_TOKEN$"_s;
    QTest::addRow("20404 unknown account") << 404 << 20404 << ErrorCode::CallInitiationFailed
                                           << u"Twilio refused the request (HTTP 404, code 20404: refused)"_s
                                           << u"^Twilio could not place call call-1 after 1 attempts: HTTP 404"_s;
}

void tst_TwilioProvider::create_twilioErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(int, code);
    QFETCH(ErrorCode, expected);
    QFETCH(QString, message);
    QFETCH(QString, log);

    auto twilio = makeService(options());
    m_fake->failNext(httpStatus, code, u"refused"_s);
    QTest::ignoreMessage(expected == ErrorCode::Validation ? QtWarningMsg : QtCriticalMsg, QRegularExpression(log));
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY(placed.done());
    QCOMPARE(placed.errorCode(), expected);
    QCOMPARE(placed.errorMessage(), message);
    QCOMPARE(m_fake->requests().size(), 1); // a refusal is final: never retried
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::create_transientErrors_areRetried_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("failures");
    QTest::addRow("429 once") << 429 << 20429 << 1;
    QTest::addRow("500 twice") << 500 << 20500 << 2;
    QTest::addRow("503 three times") << 503 << 20503 << 3;
}

void tst_TwilioProvider::create_transientErrors_areRetried()
{
    QFETCH(int, httpStatus);
    QFETCH(int, code);
    QFETCH(int, failures);
    auto twilio = makeService(options());
    m_fake->failNext(httpStatus, code, u"try later"_s, failures);
    for (int i = 1; i <= failures; ++i) {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^Twilio POST .*/Calls.json attempt %1 failed \\(HTTP %2"_s.arg(i).arg(httpStatus)));
    }
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());
    QCOMPARE(m_fake->requests().size(), failures + 1);
    // Every attempt is the same request.
    for (const FakeTwilio::Request &request : m_fake->requests())
        QCOMPARE(request.body, m_fake->requests().first().body);
    QCOMPARE(m_fake->callSids(), QStringList{sid});
}

void tst_TwilioProvider::create_givesUpWithinTheBudget_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addRow("429 throttled") << 429 << 20429;
    QTest::addRow("500") << 500 << 20500;
    QTest::addRow("503") << 503 << 20503;
}

void tst_TwilioProvider::create_givesUpWithinTheBudget()
{
    QFETCH(int, httpStatus);
    QFETCH(int, code);
    auto twilio = makeService(options());
    const TwilioRetryPolicy policy;
    m_fake->failNext(httpStatus, code, u"unavailable"_s, 100);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtCriticalMsg,
                         QRegularExpression(u"^Twilio could not place call call-1 after 4 attempts: HTTP %1"_s.arg(httpStatus)));

    QElapsedTimer clock;
    clock.start();
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY_WITH_TIMEOUT(placed.done(), 10000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(placed.errorCode(), ErrorCode::CallInitiationFailed);
    QVERIFY2(placed.errorMessage().startsWith(u"Twilio is unavailable (HTTP %1, code %2"_s.arg(httpStatus).arg(code)),
             qPrintable(placed.errorMessage()));
    QCOMPARE(m_fake->requests().size(), policy.maxAttempts);
    QVERIFY2(elapsed < 5000, qPrintable(u"gave up after %1 ms"_s.arg(elapsed)));
    // The pauses were taken: at least half of each exponential step.
    QVERIFY2(elapsed >= (250 + 500 + 1000) / 2, qPrintable(u"gave up after %1 ms"_s.arg(elapsed)));
}

void tst_TwilioProvider::create_timeouts_areRetriedWithinTheBudget()
{
    auto twilio = makeService(options());
    m_fake->hangNext(100);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^Twilio POST .* attempt 1 failed \\(HTTP 0: no answer within 2500 ms\\)"_s));
    QTest::ignoreMessage(QtCriticalMsg,
                         QRegularExpression(u"^Twilio could not place call call-1 after 2 attempts: HTTP 0: no answer within \\d+ ms$"_s));
    QElapsedTimer clock;
    clock.start();
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY_WITH_TIMEOUT(placed.done(), 10000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(placed.errorCode(), ErrorCode::CallInitiationFailed);
    QCOMPARE(m_fake->requests().size(), 2);
    QVERIFY2(elapsed >= 4000 && elapsed < 5000, qPrintable(u"gave up after %1 ms"_s.arg(elapsed)));
}

void tst_TwilioProvider::create_timeoutOnce_thenSucceeds()
{
    auto twilio = makeService(options());
    m_fake->hangNext(1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* attempt 1 failed \\(HTTP 0: no answer"_s));
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());
    QCOMPARE(m_fake->requests().size(), 2);
}

void tst_TwilioProvider::create_droppedConnection_isRetried()
{
    // Twilio (or a proxy before it) closes connections without answering. Qt's network access
    // re-sends once by itself; past that the client's own retries place the call, once.
    auto twilio = makeService(options());
    m_fake->dropNext(3);
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());
    QCOMPARE(m_fake->requests().size(), 4);
    QCOMPARE(m_fake->callSids(), QStringList{sid});
}

void tst_TwilioProvider::backoff_growsWithJitter()
{
    const TwilioRetryPolicy policy;
    QSet<int> seen;
    for (int i = 0; i < 200; ++i) {
        const int second = policy.backoffMs(2);
        const int third = policy.backoffMs(3);
        const int fourth = policy.backoffMs(4);
        QVERIFY(second >= 125 && second <= 250);
        QVERIFY(third >= 250 && third <= 500);
        QVERIFY(fourth >= 500 && fourth <= 1000);
        seen.insert(second);
    }
    QVERIFY2(seen.size() > 10, "no jitter");
    // Capped, however many attempts.
    const int late = policy.backoffMs(30);
    QVERIFY(late >= policy.maxBackoffMs / 2 && late <= policy.maxBackoffMs);
}

void tst_TwilioProvider::terminate_cancelsAnUnansweredCall()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}});
    m_fake->setCallStatus(sid, u"ringing"_s);
    PendingResult<Done> ended;
    twilio->terminate(sid, ended.callback());
    QVERIFY(!ended.done()); // reported later, never before terminate returns
    QTRY_VERIFY(ended.done());
    QVERIFY(ended.ok());
    const FakeTwilio::Request update = m_fake->requests().last();
    QCOMPARE(update.method, QByteArray("POST"));
    QCOMPARE(update.path, callPath(sid));
    QCOMPARE(update.header("Authorization"), basicAuth(FakeTwilio::kAccountSid, FakeTwilio::kAuthToken));
    QCOMPARE(update.form, (QList<std::pair<QString, QString>>{{u"Status"_s, u"canceled"_s}}));
    QCOMPARE(m_fake->call(sid)->status, u"canceled"_s);
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::terminate_completesAnAnsweredCall()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    m_fake->setCallStatus(sid, u"in-progress"_s);
    callback(*twilio, sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}});
    QCOMPARE(m_events.size(), 1);
    QCOMPARE(m_events.first().status, SessionStatus::Active);
    PendingResult<Done> ended;
    twilio->terminate(sid, ended.callback());
    QTRY_VERIFY(ended.done());
    QVERIFY(ended.ok());
    QCOMPARE(m_fake->requests().size(), 2);
    QCOMPARE(m_fake->requests().last().path, callPath(sid));
    QCOMPARE(m_fake->requests().last().form, (QList<std::pair<QString, QString>>{{u"Status"_s, u"completed"_s}}));
    QCOMPARE(m_fake->call(sid)->status, u"completed"_s);
}

void tst_TwilioProvider::terminate_answeredMeanwhile_hangsUp()
{
    // The party answered, but the news has not arrived: canceling leaves the call up at Twilio,
    // which says so, and the provider hangs up instead.
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    m_fake->setCallStatus(sid, u"in-progress"_s);
    PendingResult<Done> ended;
    twilio->terminate(sid, ended.callback());
    QTRY_VERIFY(ended.done());
    QVERIFY(ended.ok());
    const QList<FakeTwilio::Request> updates = m_fake->requests().mid(1);
    QCOMPARE(updates.size(), 2);
    QCOMPARE(updates[0].formValue(u"Status"_s), u"canceled"_s);
    QCOMPARE(updates[1].formValue(u"Status"_s), u"completed"_s);
    QCOMPARE(m_fake->call(sid)->status, u"completed"_s);
}

void tst_TwilioProvider::terminate_providerError_isReported()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    m_fake->failNext(500, 20500, u"down"_s, 100);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    PendingResult<Done> ended;
    twilio->terminate(sid, ended.callback());
    QTRY_VERIFY_WITH_TIMEOUT(ended.done(), 10000);
    QVERIFY(!ended.ok());
    QVERIFY2(ended.errorMessage().contains(u"HTTP 500, code 20500"_s), qPrintable(ended.errorMessage()));
    QCOMPARE(twilio->sessionCount(), 0); // ours is ended all the same
}

void tst_TwilioProvider::terminate_unknownSession_needsNoRequest()
{
    auto twilio = makeService(options(kPublicUrl));
    PendingResult<Done> ended;
    twilio->terminate(u"CA00000000000000000000000000000000"_s, ended.callback());
    QVERIFY(!ended.done());
    QTRY_VERIFY(ended.done());
    QVERIFY(ended.ok());
    QCOMPARE(ended.calls(), 1);
    QVERIFY(m_fake->requests().isEmpty());
}

void tst_TwilioProvider::answer_isRefused()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    PendingResult<Done> answered;
    twilio->answer(sid, u"v=0\r\n"_s, answered.callback());
    QTRY_VERIFY(answered.done());
    QCOMPARE(answered.errorCode(), ErrorCode::InvalidCallState);
}

void tst_TwilioProvider::polling_followsTheCall()
{
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());

    QTRY_VERIFY(m_fake->requests("GET").size() >= 2);
    const FakeTwilio::Request fetch = m_fake->requests("GET").first();
    QCOMPARE(fetch.path, callPath(sid));
    QCOMPARE(fetch.header("Authorization"), basicAuth(FakeTwilio::kAccountSid, FakeTwilio::kAuthToken));
    QVERIFY(fetch.body.isEmpty());

    m_fake->setCallStatus(sid, u"ringing"_s);
    const qsizetype fetched = m_fake->requests("GET").size();
    QTRY_VERIFY(m_fake->requests("GET").size() >= fetched + 2);
    QVERIFY(m_events.isEmpty()); // still placing: nothing to report

    m_fake->setCallStatus(sid, u"in-progress"_s);
    QTRY_COMPARE(m_events.size(), 1);
    QCOMPARE(m_events[0].sid, sid);
    QCOMPARE(m_events[0].status, SessionStatus::Active);

    m_fake->setCallStatus(sid, u"completed"_s, 7);
    QTRY_COMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].status, SessionStatus::Completed);
    QCOMPARE(m_events[1].duration, std::optional<int>(7));

    // An ended call is no longer fetched.
    const qsizetype last = m_fake->requests("GET").size();
    QTest::qWait(300);
    QCOMPARE(m_fake->requests("GET").size(), last);
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::polling_missedAnswer_stillCountsTheCall()
{
    // A short call answered and ended between two fetches: Twilio's duration says it was answered.
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    m_fake->setCallStatus(sid, u"completed"_s, 3);
    QTRY_COMPARE(m_events.size(), 2);
    QCOMPARE(m_events[0].status, SessionStatus::Active);
    QCOMPARE(m_events[1].status, SessionStatus::Completed);
    QCOMPARE(m_events[1].duration, std::optional<int>(3));
}

void tst_TwilioProvider::polling_endings_data()
{
    QTest::addColumn<QString>("twilioStatus");
    QTest::addColumn<SessionStatus>("status");
    QTest::addColumn<QString>("reason");
    QTest::addRow("busy") << u"busy"_s << SessionStatus::Failed << u"busy"_s;
    QTest::addRow("no-answer") << u"no-answer"_s << SessionStatus::Failed << u"no_answer"_s;
    QTest::addRow("failed") << u"failed"_s << SessionStatus::Failed << u"provider_error"_s;
    QTest::addRow("canceled") << u"canceled"_s << SessionStatus::Completed << QString();
}

void tst_TwilioProvider::polling_endings()
{
    QFETCH(QString, twilioStatus);
    QFETCH(SessionStatus, status);
    QFETCH(QString, reason);
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    m_fake->setCallStatus(sid, twilioStatus, 0);
    QTRY_COMPARE(m_events.size(), 1);
    QCOMPARE(m_events[0].status, status);
    QCOMPARE(m_events[0].reason, reason);
}

void tst_TwilioProvider::callbacks_mapStatuses_data()
{
    QTest::addColumn<QStringList>("sequence");
    QTest::addColumn<QList<SessionStatus>>("expected");
    QTest::addColumn<QString>("reason"); // of the last event

    using S = SessionStatus;
    QTest::addRow("queued, initiated, ringing") << QStringList{u"queued"_s, u"initiated"_s, u"ringing"_s}
                                                << QList<S>{} << QString();
    QTest::addRow("answered, hung up") << QStringList{u"initiated"_s, u"ringing"_s, u"in-progress"_s, u"completed"_s}
                                       << QList<S>{S::Active, S::Completed} << QString();
    QTest::addRow("busy") << QStringList{u"ringing"_s, u"busy"_s} << QList<S>{S::Failed} << u"busy"_s;
    QTest::addRow("no-answer") << QStringList{u"ringing"_s, u"no-answer"_s} << QList<S>{S::Failed} << u"no_answer"_s;
    QTest::addRow("failed") << QStringList{u"failed"_s} << QList<S>{S::Failed} << u"provider_error"_s;
    QTest::addRow("canceled") << QStringList{u"ringing"_s, u"canceled"_s} << QList<S>{S::Completed} << QString();
}

void tst_TwilioProvider::callbacks_mapStatuses()
{
    QFETCH(QStringList, sequence);
    QFETCH(QList<SessionStatus>, expected);
    QFETCH(QString, reason);
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    for (qsizetype i = 0; i < sequence.size(); ++i)
        callback(*twilio, sid, sequence[i], {{u"SequenceNumber"_s, QString::number(i)}});
    QList<SessionStatus> statuses;
    for (const Event &event : std::as_const(m_events))
        statuses.append(event.status);
    QCOMPARE(statuses, expected);
    if (!m_events.isEmpty())
        QCOMPARE(m_events.last().reason, reason);
}

void tst_TwilioProvider::callbacks_outOfOrderBySequence_areIgnored()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}});
    QCOMPARE(m_events.size(), 1);
    // The ringing callback overtaken by the answer, and a repeat of the answer: both stale.
    callback(*twilio, sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}});
    callback(*twilio, sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}});
    QCOMPARE(m_events.size(), 1);
    // A completed callback that claims an older place in the sequence is stale too.
    callback(*twilio, sid, u"completed"_s, {{u"SequenceNumber"_s, u"0"_s}, {u"CallDuration"_s, u"99"_s}});
    QCOMPARE(m_events.size(), 1);
    callback(*twilio, sid, u"completed"_s, {{u"SequenceNumber"_s, u"3"_s}, {u"CallDuration"_s, u"12"_s}});
    QCOMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].status, SessionStatus::Completed);
    QCOMPARE(m_events[1].duration, std::optional<int>(12));
    // Once ended, nothing more happens.
    callback(*twilio, sid, u"failed"_s, {{u"SequenceNumber"_s, u"4"_s}});
    QCOMPARE(m_events.size(), 2);
}

void tst_TwilioProvider::callbacks_outOfOrderByTimestamp_areIgnored()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"in-progress"_s, {{u"Timestamp"_s, u"Wed, 25 Nov 2026 03:12:30 +0000"_s}});
    QCOMPARE(m_events.size(), 1);
    callback(*twilio, sid, u"completed"_s,
             {{u"Timestamp"_s, u"Wed, 25 Nov 2026 03:12:29 +0000"_s}, {u"CallDuration"_s, u"40"_s}});
    QCOMPARE(m_events.size(), 1);
    callback(*twilio, sid, u"completed"_s,
             {{u"Timestamp"_s, u"Wed, 25 Nov 2026 03:12:52 +0000"_s}, {u"CallDuration"_s, u"22"_s}});
    QCOMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].duration, std::optional<int>(22));
}

void tst_TwilioProvider::callbacks_earlierStage_isIgnored()
{
    // Without sequence or time (a poll and a callback crossing), a status never goes back.
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"in-progress"_s);
    callback(*twilio, sid, u"ringing"_s);
    callback(*twilio, sid, u"queued"_s);
    QCOMPARE(m_events.size(), 1);
    callback(*twilio, sid, u"completed"_s, {{u"CallDuration"_s, u"5"_s}});
    QCOMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].status, SessionStatus::Completed);
}

void tst_TwilioProvider::callbacks_unknownCallOrAccount_areIgnored()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, u"CA99999999999999999999999999999999"_s, u"in-progress"_s);
    QTest::ignoreMessage(QtWarningMsg, "ignored a status callback for another Twilio account");
    twilio->applyStatusCallback({{u"AccountSid"_s, u"AC99999999999999999999999999999999"_s},
                                 {u"CallSid"_s, sid},
                                 {u"CallStatus"_s, u"in-progress"_s}});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^ignored unknown Twilio status \"answered-ish\""_s));
    callback(*twilio, sid, u"answered-ish"_s);
    QVERIFY(m_events.isEmpty());
}

QTEST_GUILESS_MAIN(tst_TwilioProvider)
#include "tst_twilioprovider.moc"
