// The Twilio provider against an in-process fake of Twilio's Calls API (tests/support/faketwilio):
// the exact requests it sends, how Twilio's errors reach the operator, retries and their bound,
// creates whose answer was lost (never sent twice: the call is found, or ended when it turns up
// late), Twilio's queue, how a call is ended (also one placed by another instance), polling,
// status callbacks that arrive out of order or for calls placed elsewhere, the operator's leg,
// hold and transfer.

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
    void create_queuedCalls_ringShorter();
    void create_twilioErrors_data();
    void create_twilioErrors();
    void create_refusedAsTwilioRefuses_data();
    void create_refusedAsTwilioRefuses();
    void create_throttled_isRetried_data();
    void create_throttled_isRetried();
    void create_throttledThroughout_givesUpWithinTheBudget();
    void create_unansweredAndNotPlaced_isNeverSentAgain_data();
    void create_unansweredAndNotPlaced_isNeverSentAgain();
    void create_placedButUnanswered_isTaken_data();
    void create_placedButUnanswered_isTaken();
    void create_placedButUnanswered_otherCallsAreNotTaken();
    void create_placedAfterGivingUp_isEnded();
    void backoff_growsWithJitter();

    void terminate_cancelsAnUnansweredCall();
    void terminate_completesAnAnsweredCall();
    void terminate_answeredMeanwhile_hangsUp();
    void terminate_providerError_isReported();
    void terminate_placedElsewhere_endsItAtTwilio_data();
    void terminate_placedElsewhere_endsItAtTwilio();
    void terminate_endedOrUnknownAtTwilio_succeeds();
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
    void callbacks_otherAccountOrStatus_areIgnored();
    void callbacks_placedElsewhere_areApplied();

    void operatorLeg_missed_failsTheCall_data();
    void operatorLeg_missed_failsTheCall();
    void operatorLeg_endedByUs_changesNothing();
    void operatorLeg_polled_data();
    void operatorLeg_polled();
    void farEnd_movesTheCallOverTime();

    void hold_playsMusic_thenRingsTheOperatorAgain();
    void hold_notAnswered_isRefused();
    void hold_endedAtTwilio_isInvalidState();
    void transfer_dialsTheNumber_andLetsTheCallGo();

private:
    TwilioOptions options(const QString &publicUrl = {}) const;
    std::unique_ptr<TwilioVoipService> makeService(const TwilioOptions &options);
    /// Places a call; the session id, or empty when it failed.
    QString place(TwilioVoipService &twilio, const QString &callId = QStringLiteral("call-1"));
    QList<FakeTwilio::Request> requestsTo(const QString &path, const QByteArray &method = {}) const;
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
    options.setupTimeoutSeconds = 53;
    options.retry.attemptTimeoutMs = 300;
    options.findCreatedPausesMs = {50, 50, 50};
    options.findOrphanPausesMs = {300};
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

QString tst_TwilioProvider::place(TwilioVoipService &twilio, const QString &callId)
{
    PendingResult<ProviderSession> placed;
    twilio.initiate({callId, kUserId, kDialled}, placed.callback());
    if (!QTest::qWaitFor([&]() { return placed.done(); }, 10000) || !placed.ok()) {
        qWarning("initiate failed: %s", qPrintable(placed.errorMessage()));
        return {};
    }
    return placed.value().sessionId;
}

QList<FakeTwilio::Request> tst_TwilioProvider::requestsTo(const QString &path, const QByteArray &method) const
{
    QList<FakeTwilio::Request> matching;
    for (const FakeTwilio::Request &request : m_fake->requests()) {
        if (request.path == path && (method.isEmpty() || request.method == method))
            matching.append(request);
    }
    return matching;
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
    // CALL_SETUP_TIMEOUT (53 s here) less Twilio's 5 s of slack and 3 s for its report to arrive.
    QCOMPARE(create.formValue(u"Timeout"_s), u"45"_s);
    // Without callbacks the operator's leg is polled; a missed one leaves the party a message.
    QCOMPARE(create.formValue(u"Twiml"_s),
             u"<Response><Dial timeout=\"15\"><Client><Identity>operator_6f1c2b7e_0a4d_4c1e_9a53_2f0e8d6b1c42</Identity>"
             "<Parameter name=\"switchboard_call_id\" value=\"call-1\"/></Client></Dial>"
             "<Say>We are sorry, the person who called you cannot be connected right now. Goodbye.</Say></Response>"_s);
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
    // The operator's leg reports its end to the same URL.
    QVERIFY2(create.formValue(u"Twiml"_s).contains(
                 u"<Client statusCallback=\"https://switchboard.example.com/api/voice/status\" "
                 "statusCallbackMethod=\"POST\" statusCallbackEvent=\"completed\">"_s),
             qPrintable(create.formValue(u"Twiml"_s)));
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

void tst_TwilioProvider::create_queuedCalls_ringShorter()
{
    // Twilio places one call a second (the default CPS) and queues the rest: the wait comes out
    // of each call's ring time, and Twilio's own queue_time raises the estimate.
    auto twilio = makeService(options());
    QList<PendingResult<ProviderSession>> placed(3);
    for (int i = 0; i < 3; ++i)
        twilio->initiate({u"call-%1"_s.arg(i), kUserId, kDialled}, placed[i].callback());
    QTRY_VERIFY(placed[0].ok() && placed[1].ok() && placed[2].ok());
    QStringList timeouts;
    for (const FakeTwilio::Request &create : m_fake->requests("POST"))
        timeouts.append(create.formValue(u"Timeout"_s));
    QCOMPARE(timeouts, (QStringList{u"45"_s, u"44"_s, u"43"_s}));
    QCOMPARE(m_fake->call(placed[2].value().sessionId)->queueTimeMs > 1000, true);
    // The next call waits behind Twilio's queue too.
    PendingResult<ProviderSession> fourth;
    twilio->initiate({u"call-4"_s, kUserId, kDialled}, fourth.callback());
    QTRY_VERIFY(fourth.ok());
    QVERIFY(m_fake->requests("POST").last().formValue(u"Timeout"_s).toInt() <= 42);
}

void tst_TwilioProvider::create_twilioErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addColumn<ErrorCode>("expected");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("log"); // the log line that must appear, as a pattern

    // The dialled number: the operator's to correct (400 validation_error), a warning.
    QTest::addRow("21211 invalid To") << 400 << 21211 << ErrorCode::Validation
                                      << u"+4915123456789 is not a number Twilio can call"_s
                                      << u"^Twilio refused call call-1 : HTTP 400, code 21211"_s;
    QTest::addRow("21217 not valid") << 400 << 21217 << ErrorCode::Validation
                                     << u"+4915123456789 is not a number Twilio can call"_s
                                     << u"^Twilio refused call call-1 : HTTP 400, code 21217"_s;
    QTest::addRow("21214 unreachable") << 400 << 21214 << ErrorCode::Validation
                                       << u"Twilio cannot reach +4915123456789"_s
                                       << u"^Twilio refused call call-1 : HTTP 400, code 21214"_s;
    QTest::addRow("21215 geo permissions") << 400 << 21215 << ErrorCode::Validation
                                           << u"Calls to +4915123456789 are not enabled in the Twilio account's geographic permissions"_s
                                           << u"^Twilio refused call call-1 : HTTP 400, code 21215"_s;
    QTest::addRow("21216 blocked") << 400 << 21216 << ErrorCode::Validation
                                   << u"Twilio does not allow calls to +4915123456789 from this account"_s
                                   << u"^Twilio refused call call-1 : HTTP 400, code 21216"_s;
    QTest::addRow("13224 Dial: invalid number") << 400 << 13224 << ErrorCode::Validation
                                                << u"Twilio refused the call to +4915123456789: HTTP 400, code 13224: refused"_s
                                                << u"^Twilio refused call call-1 : HTTP 400, code 13224"_s;
    // The account or the settings: 503, and an error log that names what to fix.
    QTest::addRow("21210 caller ID not verified")
        << 400 << 21210 << ErrorCode::CallInitiationFailed
        << u"the provider refused Switchboard's configuration (HTTP 400, code 21210: refused)"_s
        << u"^Twilio refused call call-1 for the account's configuration \\(HTTP 400, code 21210: refused\\): "
           "VOIP_FROM_NUMBER must be a voice-capable number of this Twilio account or one of its verified caller IDs"_s;
    QTest::addRow("21219 trial account") << 400 << 21219 << ErrorCode::CallInitiationFailed
                                         << u"the provider refused Switchboard's configuration (HTTP 400, code 21219: refused)"_s
                                         << u"for the account's configuration .*: this is a trial account, which may only "
                                            "call verified numbers"_s;
    QTest::addRow("21609 StatusCallback") << 400 << 21609 << ErrorCode::CallInitiationFailed
                                          << u"the provider refused Switchboard's configuration (HTTP 400, code 21609: refused)"_s
                                          << u"for the account's configuration .*: Twilio refused the StatusCallback URL: "
                                             "VOICE_PUBLIC_BASE_URL must be"_s;
    QTest::addRow("21626 StatusCallbackEvent") << 400 << 21626 << ErrorCode::CallInitiationFailed
                                               << u"the provider refused Switchboard's configuration (HTTP 400, code 21626: refused)"_s
                                               << u"for the account's configuration .*: Twilio refused the status callback events"_s;
    QTest::addRow("32018 TwiML too long") << 400 << 32018 << ErrorCode::CallInitiationFailed
                                          << u"the provider refused Switchboard's configuration (HTTP 400, code 32018: refused)"_s
                                          << u"for the account's configuration .*: shorten VOICE_PUBLIC_BASE_URL$"_s;
    QTest::addRow("20404 unknown account") << 404 << 20404 << ErrorCode::CallInitiationFailed
                                           << u"the provider refused Switchboard's configuration (HTTP 404, code 20404: refused)"_s
                                           << u"for the account's configuration .*: VOIP_ACCOUNT_SID names no account"_s;
    QTest::addRow("20003 credentials") << 401 << 20003 << ErrorCode::CallInitiationFailed
                                       << u"the provider refused Switchboard's credentials"_s
                                       << u"^Twilio refused Switchboard's credentials \\(HTTP 401, code 20003: refused\\): "
                                          "check VOIP_ACCOUNT_SID and VOIP_AUTH_TOKEN$"_s;
    // Anything else is not blamed on the number either.
    QTest::addRow("unknown 4xx") << 400 << 21999 << ErrorCode::CallInitiationFailed
                                 << u"Twilio refused the request (HTTP 400, code 21999: refused)"_s
                                 << u"^Twilio could not place call call-1 after 1 attempts: HTTP 400, code 21999"_s;
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
    QCOMPARE(m_fake->requests().size(), 1); // a refusal is final: never retried, never looked for
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::create_refusedAsTwilioRefuses_data()
{
    // The fake's own rules, as Twilio's: what the account and the settings get refused for.
    QTest::addColumn<QString>("setting");
    QTest::addColumn<int>("code");
    QTest::addColumn<ErrorCode>("expected");
    QTest::addRow("a caller ID that is not the account's") << u"from"_s << 21210 << ErrorCode::CallInitiationFailed;
    QTest::addRow("a trial account") << u"trial"_s << 21219 << ErrorCode::CallInitiationFailed;
    QTest::addRow("a country outside the geo permissions") << u"geo"_s << 21215 << ErrorCode::Validation;
    QTest::addRow("a public URL Twilio will not call") << u"underscore"_s << 21609 << ErrorCode::CallInitiationFailed;
    QTest::addRow("a public URL that makes the TwiML too long") << u"long"_s << 32018 << ErrorCode::CallInitiationFailed;
}

void tst_TwilioProvider::create_refusedAsTwilioRefuses()
{
    QFETCH(QString, setting);
    QFETCH(int, code);
    QFETCH(ErrorCode, expected);
    TwilioOptions configured = options();
    if (setting == u"from"_s)
        configured.account.fromNumber = u"+14155550111"_s;
    else if (setting == u"trial"_s)
        m_fake->setTrialAccount({u"+4930123456"_s});
    else if (setting == u"geo"_s)
        m_fake->setBlockedPrefixes({u"+49"_s});
    else if (setting == u"underscore"_s)
        configured.account.publicBaseUrl = u"https://switch_board.example.com"_s;
    else
        configured.account.publicBaseUrl = u"https://switchboard.example.com/"_s + QString(3800, u'x');
    auto twilio = makeService(configured);
    QTest::ignoreMessage(expected == ErrorCode::Validation ? QtWarningMsg : QtCriticalMsg,
                         QRegularExpression(u"^Twilio refused call call-1 .*code %1"_s.arg(code)));
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY(placed.done());
    QCOMPARE(placed.errorCode(), expected);
    QVERIFY(m_fake->callSids().isEmpty());
}

void tst_TwilioProvider::create_throttled_isRetried_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("failures");
    QTest::addRow("429 once") << 429 << 20429 << 1;
    QTest::addRow("429 three times") << 429 << 20429 << 3;
    QTest::addRow("20429 in a 400") << 400 << 20429 << 2;
}

void tst_TwilioProvider::create_throttled_isRetried()
{
    // Twilio documents 429 as not processed: the one failure a create may be repeated after.
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

void tst_TwilioProvider::create_throttledThroughout_givesUpWithinTheBudget()
{
    auto twilio = makeService(options());
    const TwilioRetryPolicy policy;
    m_fake->failNext(429, 20429, u"Too Many Requests"_s, 100);
    for (int i = 0; i < 3; ++i)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s));
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"^Twilio could not place call call-1 after 4 attempts: HTTP 429"_s));

    QElapsedTimer clock;
    clock.start();
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY_WITH_TIMEOUT(placed.done(), 10000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(placed.errorCode(), ErrorCode::CallInitiationFailed);
    QVERIFY2(placed.errorMessage().startsWith(u"Twilio is unavailable (HTTP 429, code 20429"_s),
             qPrintable(placed.errorMessage()));
    QCOMPARE(m_fake->requests().size(), policy.maxAttempts);
    QVERIFY2(elapsed < 5000, qPrintable(u"gave up after %1 ms"_s.arg(elapsed)));
    // The pauses were taken: at least half of each exponential step.
    QVERIFY2(elapsed >= (250 + 500 + 1000) / 2, qPrintable(u"gave up after %1 ms"_s.arg(elapsed)));
}

void tst_TwilioProvider::create_unansweredAndNotPlaced_isNeverSentAgain_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addColumn<QString>("described");
    QTest::addRow("500") << u"500"_s << u"HTTP 500, code 20500: Internal Server Error"_s;
    QTest::addRow("503") << u"503"_s << u"HTTP 503, code 20503: Service Unavailable"_s;
    QTest::addRow("no answer") << u"hang"_s << u"HTTP 0: no answer within 300 ms"_s;
    QTest::addRow("dropped connection") << u"drop"_s << u"HTTP 0: "_s;
}

void tst_TwilioProvider::create_unansweredAndNotPlaced_isNeverSentAgain()
{
    // Twilio may have placed the call: the create is not repeated; Twilio's Calls list says it
    // did not, so initiate fails — and a late look finds nothing to end either.
    QFETCH(QString, failure);
    QFETCH(QString, described);
    auto twilio = makeService(options());
    if (failure == u"hang"_s)
        m_fake->hangNext(1);
    else if (failure == u"drop"_s)
        m_fake->dropNext(1);
    else
        m_fake->failNext(failure.toInt(), 20000 + failure.toInt(), described.section(u": "_s, 1), 1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio did not answer the create of call call-1 \\("_s
                                                          + QRegularExpression::escape(described)));
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"^Twilio could not place call call-1 : "_s
                                                           + QRegularExpression::escape(described)
                                                           + u".* and no call it placed turned up$"_s));
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY(placed.done());
    QCOMPARE(placed.errorCode(), ErrorCode::CallInitiationFailed);
    QCOMPARE(placed.calls(), 1);
    QCOMPARE(m_fake->requests("POST").size(), 1);
    const QList<FakeTwilio::Request> looks = m_fake->requests("GET");
    QCOMPARE(looks.size(), 3);
    for (const FakeTwilio::Request &look : looks) {
        QCOMPARE(look.path, kCallsPath);
        // Filtered by the dialled number and ours; the + survives the query's encoding.
        QCOMPARE(look.query, u"To=%2B4915123456789&From=%2B14155550100&PageSize=20"_s);
    }
    // The look after giving up finds nothing either.
    QTRY_COMPARE(m_fake->requests("GET").size(), 4);
    QTest::qWait(100);
    QVERIFY(m_fake->callSids().isEmpty());
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::create_placedButUnanswered_isTaken_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addRow("500 after creating") << u"500"_s;
    QTest::addRow("no answer after creating") << u"hang"_s;
    QTest::addRow("connection dropped after creating") << u"drop"_s;
}

void tst_TwilioProvider::create_placedButUnanswered_isTaken()
{
    // Twilio placed the call and the answer was lost: exactly one call, and it is the one the
    // session names. Neither the provider nor Qt's network access sends the create again.
    QFETCH(QString, failure);
    auto twilio = makeService(options());
    if (failure == u"hang"_s)
        m_fake->hangAfterCreate();
    else if (failure == u"drop"_s)
        m_fake->dropAfterCreate();
    else
        m_fake->failAfterCreate(500, 20500, u"Internal Server Error"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio did not answer the create of call call-1"_s));
    const QString sid = place(*twilio);
    QCOMPARE(m_fake->requests("POST").size(), 1);
    QCOMPARE(m_fake->callSids(), QStringList{sid});
    QCOMPARE(twilio->sessionCount(), 1);
    // Where the call got to while unanswered is fetched at once.
    QTRY_COMPARE(requestsTo(callPath(sid)).size(), 1);
    // Nothing is ended: the call is ours.
    QTest::qWait(200);
    QCOMPARE(m_fake->call(sid)->status, u"queued"_s);
}

void tst_TwilioProvider::create_placedButUnanswered_otherCallsAreNotTaken()
{
    // A call to the same number placed shortly before (by another instance) is not ours, even
    // with Twilio's clock 90 s ahead of this machine's: Twilio's Date header sets the scale.
    auto twilio = makeService(options());
    m_fake->setClockOffset(90 * 1000 - 30 * 1000);
    const QString other = m_fake->addCall(kDialled, QString::fromLatin1(FakeTwilio::kFromNumber));
    m_fake->setClockOffset(90 * 1000);
    m_fake->failAfterCreate(503, 20503, u"Service Unavailable"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio did not answer the create of call call-1"_s));
    const QString sid = place(*twilio);
    QVERIFY(!sid.isEmpty());
    QVERIFY(sid != other);
    QCOMPARE(m_fake->callSids(), (QStringList{other, sid}));
}

void tst_TwilioProvider::create_placedAfterGivingUp_isEnded()
{
    // Twilio placed the call after the provider had given up on it: the next look ends it, and
    // leaves the operator's next call to the same number alone.
    auto twilio = makeService(options());
    m_fake->hangNext(1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Twilio did not answer the create of call call-1"_s));
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"^Twilio could not place call call-1 : "_s));
    PendingResult<ProviderSession> placed;
    twilio->initiate({u"call-1"_s, kUserId, kDialled}, placed.callback());
    QTRY_VERIFY(placed.done());
    QCOMPARE(placed.errorCode(), ErrorCode::CallInitiationFailed);
    const QString late = m_fake->addCall(kDialled, QString::fromLatin1(FakeTwilio::kFromNumber));
    const QString redial = place(*twilio, u"call-2"_s);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^Twilio placed call %1 for call call-1 after Switchboard had given up on it"_s.arg(late)));
    QTRY_COMPARE(m_fake->call(late)->status, u"canceled"_s);
    QCOMPARE(requestsTo(callPath(late)).last().form, (QList<std::pair<QString, QString>>{{u"Status"_s, u"completed"_s}}));
    QCOMPARE(m_fake->call(redial)->status, u"queued"_s);
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

void tst_TwilioProvider::terminate_placedElsewhere_endsItAtTwilio_data()
{
    QTest::addColumn<QString>("twilioStatus");
    QTest::addColumn<QString>("ended");
    QTest::addRow("ringing") << u"ringing"_s << u"canceled"_s;
    QTest::addRow("in progress") << u"in-progress"_s << u"completed"_s;
}

void tst_TwilioProvider::terminate_placedElsewhere_endsItAtTwilio()
{
    // Another instance sharing the database placed the call: its SID is all this one needs,
    // whatever the stage (`completed` ends a ringing call as well as an answered one).
    QFETCH(QString, twilioStatus);
    QFETCH(QString, ended);
    auto elsewhere = makeService(options(kPublicUrl));
    const QString sid = place(*elsewhere);
    m_fake->setCallStatus(sid, twilioStatus);
    auto here = makeService(options(kPublicUrl));
    PendingResult<Done> done;
    here->terminate(sid, done.callback());
    QVERIFY(!done.done());
    QTRY_VERIFY(done.done());
    QVERIFY(done.ok());
    QCOMPARE(requestsTo(callPath(sid)).last().form, (QList<std::pair<QString, QString>>{{u"Status"_s, u"completed"_s}}));
    QCOMPARE(m_fake->call(sid)->status, ended);
}

void tst_TwilioProvider::terminate_endedOrUnknownAtTwilio_succeeds()
{
    // A call Twilio has ended, or never had: nothing is left to end, and nothing to report.
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    m_fake->setCallStatus(sid, u"completed"_s, 4);
    auto other = makeService(options(kPublicUrl));
    for (const QString &ended : {sid, u"CA00000000000000000000000000000000"_s}) {
        PendingResult<Done> done;
        other->terminate(ended, done.callback());
        QTRY_VERIFY(done.done());
        QVERIFY2(done.ok(), qPrintable(done.errorMessage()));
    }
    QCOMPARE(m_fake->call(sid)->status, u"completed"_s);
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
    // Once ended the call is no longer held here: a later report is passed on as one about a
    // call placed elsewhere would be, and the call's row, ended already, decides.
    QCOMPARE(twilio->sessionCount(), 0);
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

void tst_TwilioProvider::callbacks_otherAccountOrStatus_areIgnored()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    QTest::ignoreMessage(QtWarningMsg, "ignored a status callback for another Twilio account");
    twilio->applyStatusCallback({{u"AccountSid"_s, u"AC99999999999999999999999999999999"_s},
                                 {u"CallSid"_s, sid},
                                 {u"CallStatus"_s, u"in-progress"_s}});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^ignored unknown Twilio status \"answered-ish\""_s));
    callback(*twilio, sid, u"answered-ish"_s);
    QVERIFY(m_events.isEmpty());
}

void tst_TwilioProvider::callbacks_placedElsewhere_areApplied()
{
    // Callbacks reach whichever instance the load balancer picks: one that did not place the
    // call reports them all the same (CallService finds the call by its SID), with Twilio's
    // duration, and keeps nothing of it.
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = u"CA11111111111111111111111111111111"_s;
    callback(*twilio, sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}});
    QVERIFY(m_events.isEmpty());
    callback(*twilio, sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}});
    callback(*twilio, sid, u"completed"_s, {{u"SequenceNumber"_s, u"3"_s}, {u"CallDuration"_s, u"31"_s}});
    // Each report stands alone (nothing earlier is known here): a completed call with a
    // duration was answered, and says so first; the row takes what is news to it.
    QList<SessionStatus> statuses;
    for (const Event &event : std::as_const(m_events)) {
        QCOMPARE(event.sid, sid);
        statuses.append(event.status);
    }
    QCOMPARE(statuses, (QList<SessionStatus>{SessionStatus::Active, SessionStatus::Active, SessionStatus::Completed}));
    QCOMPARE(m_events.last().duration, std::optional<int>(31));
    QCOMPARE(twilio->sessionCount(), 0);
    // CallService ends the session it was told about: no request, since Twilio ended it.
    PendingResult<Done> done;
    connect(twilio.get(), &VoipService::sessionStatusChanged, this,
            [&](const QString &ended, SessionStatus status) {
        if (status != SessionStatus::Active)
            twilio->terminate(ended, done.callback());
    });
    callback(*twilio, u"CA33333333333333333333333333333333"_s, u"busy"_s);
    QTRY_VERIFY(done.done());
    QVERIFY(m_fake->requests("POST").size() == 0);
}

void tst_TwilioProvider::operatorLeg_missed_failsTheCall_data()
{
    QTest::addColumn<QString>("legStatus");
    QTest::addColumn<bool>("placedHere");
    QTest::addRow("no-answer") << u"no-answer"_s << true;
    QTest::addRow("busy") << u"busy"_s << true;
    QTest::addRow("failed") << u"failed"_s << true;
    QTest::addRow("no-answer, placed elsewhere") << u"no-answer"_s << false;
}

void tst_TwilioProvider::operatorLeg_missed_failsTheCall()
{
    // The party answered, the softphone did not take its leg: the call failed
    // (operator_unreachable), and Twilio tells the party and hangs up by itself — ending the
    // session must not cut that message short.
    QFETCH(QString, legStatus);
    QFETCH(bool, placedHere);
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = placedHere ? place(*twilio) : m_fake->addCall(kDialled, QString::fromLatin1(FakeTwilio::kFromNumber));
    m_fake->setCallStatus(sid, u"in-progress"_s);
    callback(*twilio, sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}});
    const qsizetype requests = m_fake->requests().size();
    PendingResult<Done> ended;
    connect(twilio.get(), &VoipService::sessionStatusChanged, this, [&](const QString &session, SessionStatus status) {
        if (status == SessionStatus::Failed)
            twilio->terminate(session, ended.callback());
    });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^the operator's softphone did not take Twilio call %1"_s.arg(sid)));
    callback(*twilio, u"CA44444444444444444444444444444444"_s, legStatus, {{u"ParentCallSid"_s, sid}});
    QCOMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].sid, sid);
    QCOMPARE(m_events[1].status, SessionStatus::Failed);
    QCOMPARE(m_events[1].reason, u"operator_unreachable"_s);
    QTRY_VERIFY(ended.done());
    QCOMPARE(m_fake->requests().size(), requests);
    QCOMPARE(twilio->sessionCount(), 0);
}

void tst_TwilioProvider::operatorLeg_endedByUs_changesNothing()
{
    // The leg ends completed after a hang-up, a hold or a transfer, canceled when the call ended
    // while it rang: none of that is the operator's absence.
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"in-progress"_s);
    for (const QString &status : {u"completed"_s, u"canceled"_s})
        callback(*twilio, u"CA55555555555555555555555555555555"_s, status, {{u"ParentCallSid"_s, sid}});
    QCOMPARE(m_events.size(), 1);
    QCOMPARE(twilio->sessionCount(), 1);
}

void tst_TwilioProvider::operatorLeg_polled_data()
{
    QTest::addColumn<QString>("operatorLeg");
    QTest::addColumn<bool>("reached");
    QTest::addRow("taken") << u"in-progress"_s << true;
    QTest::addRow("not taken") << u"no-answer"_s << false;
}

void tst_TwilioProvider::operatorLeg_polled()
{
    // Without callbacks, the legs of an answered call are read from Twilio's list until the
    // softphone has taken one; a missed leg fails the call as the callback would.
    QFETCH(QString, operatorLeg);
    QFETCH(bool, reached);
    m_fake->setFarEnd(kDialled, {});
    m_fake->setOperatorLeg(operatorLeg);
    auto twilio = makeService(options());
    if (!reached)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^the operator's softphone did not take Twilio call"_s));
    const QString sid = place(*twilio);
    QTRY_VERIFY(!m_events.isEmpty() && m_events.first().status == SessionStatus::Active);
    const auto legLooks = [&]() {
        const QList<FakeTwilio::Request> gets = m_fake->requests("GET");
        return std::count_if(gets.cbegin(), gets.cend(), [&](const FakeTwilio::Request &request) {
            return request.query == u"ParentCallSid="_s + sid;
        });
    };
    QTRY_VERIFY(legLooks() > 0);
    if (reached) {
        QTest::qWait(300);
        QCOMPARE(m_events.size(), 1);
        const auto looked = legLooks();
        QTest::qWait(300);
        QCOMPARE(legLooks(), looked); // taken: no more looks at the legs
        return;
    }
    QTRY_COMPARE(m_events.size(), 2);
    QCOMPARE(m_events[1].reason, u"operator_unreachable"_s);
    // The party heard the message, then Twilio hung up.
    QTRY_COMPARE(m_fake->call(sid)->status, u"completed"_s);
}

void tst_TwilioProvider::farEnd_movesTheCallOverTime()
{
    // A far end that answers after ringing and hangs up later, as Twilio reports it to a poll.
    m_fake->setFarEnd(kDialled, {u"in-progress"_s, 100, 300});
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    QTRY_COMPARE(m_events.size(), 2);
    QCOMPARE(m_events[0].status, SessionStatus::Active);
    QCOMPARE(m_events[1].status, SessionStatus::Completed);
    QCOMPARE(m_fake->legsOf(sid).size(), 1);
    QCOMPARE(m_fake->call(m_fake->legsOf(sid).first())->status, u"completed"_s);
}

void tst_TwilioProvider::hold_playsMusic_thenRingsTheOperatorAgain()
{
    m_fake->setFarEnd(kDialled, {});
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    QTRY_COMPARE(m_fake->legsOf(sid).size(), 1); // answered, and the operator's leg taken
    callback(*twilio, sid, u"in-progress"_s);
    const QString firstLeg = m_fake->legsOf(sid).first();

    PendingResult<Done> held;
    twilio->hold(sid, true, held.callback());
    QTRY_VERIFY(held.done());
    QVERIFY2(held.ok(), qPrintable(held.errorMessage()));
    const FakeTwilio::Request update = requestsTo(callPath(sid)).last();
    QCOMPARE(update.formNames(), QStringList{u"Twiml"_s});
    QCOMPARE(update.formValue(u"Twiml"_s),
             u"<Response><Play loop=\"0\">http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3"
             "</Play></Response>"_s);
    QCOMPARE(m_fake->call(firstLeg)->status, u"completed"_s); // the operator's leg ended
    QCOMPARE(m_fake->call(sid)->status, u"in-progress"_s); // the party is still there
    // Holding what is held asks nothing of Twilio.
    const qsizetype updates = requestsTo(callPath(sid)).size();
    PendingResult<Done> again;
    twilio->hold(sid, true, again.callback());
    QTRY_VERIFY(again.ok());
    QCOMPARE(requestsTo(callPath(sid)).size(), updates);

    PendingResult<Done> resumed;
    twilio->hold(sid, false, resumed.callback());
    QTRY_VERIFY(resumed.done());
    QVERIFY(resumed.ok());
    QVERIFY(requestsTo(callPath(sid)).last().formValue(u"Twiml"_s).contains(
        u"<Parameter name=\"switchboard_call_id\" value=\"call-1\"/>"_s));
    QTRY_COMPARE(m_fake->legsOf(sid).size(), 2);
    QTRY_COMPARE(m_fake->call(m_fake->legsOf(sid).last())->status, u"in-progress"_s);
    QCOMPARE(m_events.size(), 1); // neither hold nor resume is an end
}

void tst_TwilioProvider::hold_notAnswered_isRefused()
{
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    for (const QString &session : {sid, u"CA66666666666666666666666666666666"_s}) {
        PendingResult<Done> held;
        twilio->hold(session, true, held.callback());
        QVERIFY(!held.done());
        QTRY_VERIFY(held.done());
        QCOMPARE(held.errorCode(), ErrorCode::InvalidCallState);
    }
    QCOMPARE(m_fake->requests().size(), 1);
}

void tst_TwilioProvider::hold_endedAtTwilio_isInvalidState()
{
    // Twilio refuses to redirect a call that is no longer in progress (21220).
    auto twilio = makeService(options(kPublicUrl));
    const QString sid = place(*twilio);
    callback(*twilio, sid, u"in-progress"_s);
    m_fake->setCallStatus(sid, u"completed"_s, 3);
    PendingResult<Done> held;
    twilio->hold(sid, true, held.callback());
    QTRY_VERIFY(held.done());
    QCOMPARE(held.errorCode(), ErrorCode::InvalidCallState);
}

void tst_TwilioProvider::transfer_dialsTheNumber_andLetsTheCallGo()
{
    m_fake->setFarEnd(kDialled, {});
    auto twilio = makeService(options());
    const QString sid = place(*twilio);
    QTRY_VERIFY(!m_events.isEmpty()); // answered, seen by a poll
    PendingResult<Done> transferred;
    twilio->transfer(sid, u"+442079460958"_s, transferred.callback());
    QTRY_VERIFY(transferred.done());
    QVERIFY2(transferred.ok(), qPrintable(transferred.errorMessage()));
    QCOMPARE(requestsTo(callPath(sid), "POST").last().formValue(u"Twiml"_s),
             u"<Response><Dial callerId=\"+14155550100\"><Number>+442079460958</Number></Dial></Response>"_s);
    QCOMPARE(twilio->sessionCount(), 0);
    QTRY_COMPARE(m_fake->legsOf(sid).size(), 2);
    QCOMPARE(m_fake->call(m_fake->legsOf(sid).last())->to, u"+442079460958"_s);
    // No longer ours: not polled, not ended.
    const qsizetype requests = m_fake->requests().size();
    QTest::qWait(300);
    QCOMPARE(m_fake->requests().size(), requests);
    QCOMPARE(m_fake->call(sid)->status, u"in-progress"_s);
}

QTEST_GUILESS_MAIN(tst_TwilioProvider)
#include "tst_twilioprovider.moc"
