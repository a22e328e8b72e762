// The Twilio provider through the REST API, against the fake Twilio: what the operator sees when
// Twilio places, refuses or cannot place a call; signed status callbacks over HTTP; ending calls;
// polling; the softphone's token — on SQLite and PostgreSQL.

#include "faketwilio.h"
#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

using Form = QList<std::pair<QString, QString>>;

namespace {

const QString kPublicUrl = u"https://switchboard.example.com"_s;
const QString kCallbackUrl = u"https://switchboard.example.com/api/voice/status"_s;

void expectRetries(int count)
{
    for (int i = 0; i < count; ++i)
        expectLog(QtWarningMsg, u"^Twilio POST .* failed .*retrying in \\d+ ms$"_s);
}

/// Twilio's signature, written out here rather than taken from the backend: HMAC-SHA1 under the
/// Auth Token of the URL followed by each parameter's name and value, sorted by name.
QByteArray twilioSignature(const QString &url, Form form, const QByteArray &authToken = FakeTwilio::kAuthToken)
{
    std::sort(form.begin(), form.end());
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : form)
        data += name.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, authToken, QCryptographicHash::Sha1).toBase64();
}

QByteArray encode(const Form &form)
{
    QByteArrayList pairs;
    for (const auto &[name, value] : form)
        pairs.append(QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value));
    return pairs.join('&');
}

QJsonObject jwtPayload(const QString &token)
{
    return jwtPart(token, 1);
}

} // namespace

class tst_TwilioApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void initiate_placesTheCallAtTwilio();
    void initiate_refusedNumber_isAValidationError_data();
    void initiate_refusedNumber_isAValidationError();
    void initiate_accountConfiguration_is503AndNamesTheFix_data();
    void initiate_accountConfiguration_is503AndNamesTheFix();
    void initiate_badCredentials_is503AndLogged();
    void initiate_twilioDown_is503_andTheCreateIsNotRepeated();
    void initiate_lostAnswer_placesOneCall();
    void initiate_silentTwilio_doesNotStallTheApi();
    void callbacks_signed_moveTheCall();
    void callbacks_fromTwilio_moveTheCallOverTime();
    void callbacks_operatorUnreachable_failTheCall();
    void callbacks_defaultPortSpelledOut_isAccepted();
    void callbacks_portLeftOutBySigner_isAccepted();
    void callbacks_forgedOrUnsigned_are403_data();
    void callbacks_forgedOrUnsigned_are403();
    void callbacks_outOfOrder_changeNothing();
    void policy_refusesBeforeTwilio_andEndsLongCalls();
    void terminate_ringing_cancelsAtTwilio();
    void terminate_active_completesAtTwilio();
    void terminate_twilioDown_stillEndsTheCall();
    void polling_withoutPublicUrl_followsTheCall();
    void token_forTheOperator();
    void token_andCallbacks_offWithTheMock();
    void softphone_servesTheVoiceSdk();

private:
    QHash<QString, QString> environment(bool publicUrl = true) const;
    HttpResult postCallback(const Form &form, const QByteArray &signature, const QString &query = {});
    HttpResult signedCallback(const QString &sid, const QString &status, const Form &extra = {});
    QString sidOf(const QString &callId);

    std::unique_ptr<LogCapture> m_log;
    std::unique_ptr<FakeTwilio> m_fake;
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_client;
    QString m_userId;
};

void tst_TwilioApi::initTestCase()
{
    m_log = std::make_unique<LogCapture>();
}

QHash<QString, QString> tst_TwilioApi::environment(bool publicUrl) const
{
    QHash<QString, QString> env{
        {u"VOIP_PROVIDER"_s, u"twilio"_s},
        {u"VOIP_ACCOUNT_SID"_s, QString::fromLatin1(FakeTwilio::kAccountSid)},
        {u"VOIP_AUTH_TOKEN"_s, QString::fromLatin1(FakeTwilio::kAuthToken)},
        {u"VOIP_API_KEY"_s, QString::fromLatin1(FakeTwilio::kApiKey)},
        {u"VOIP_API_SECRET"_s, QString::fromLatin1(FakeTwilio::kApiSecret)},
        {u"VOIP_FROM_NUMBER"_s, QString::fromLatin1(FakeTwilio::kFromNumber)},
        {u"VOIP_API_BASE_URL"_s, m_fake->baseUrl().toString()},
    };
    if (publicUrl)
        env.insert(u"VOICE_PUBLIC_BASE_URL"_s, kPublicUrl);
    return env;
}

void tst_TwilioApi::init()
{
    m_fake = std::make_unique<FakeTwilio>();
    QVERIFY(m_fake->listen());
    const bool polling = QByteArray(QTest::currentTestFunction()).startsWith("polling_");
    m_backend = std::make_unique<TestBackend>(environment(!polling));
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_client = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_userId = m_client->registerUser(u"twilio"_s);
    QVERIFY(!m_userId.isEmpty());
}

void tst_TwilioApi::cleanup()
{
    m_client.reset();
    m_backend.reset();
    m_fake.reset();
    // Whatever the test did, no credential reached the log.
    const QString leak = m_log->firstContaining(
        {QString::fromLatin1(FakeTwilio::kAuthToken), QString::fromLatin1(FakeTwilio::kApiSecret), u"Basic "_s});
    m_log->clear();
    QVERIFY2(leak.isEmpty(), qPrintable(u"logged a secret: "_s + leak));
}

void tst_TwilioApi::cleanupTestCase()
{
    m_log.reset();
}

HttpResult tst_TwilioApi::postCallback(const Form &form, const QByteArray &signature, const QString &query)
{
    QList<std::pair<QByteArray, QByteArray>> headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!signature.isEmpty())
        headers.append({"X-Twilio-Signature", signature});
    HttpClient anonymous(m_backend->baseUrl());
    return anonymous.send("POST", u"/api/voice/status"_s + query, encode(form), headers);
}

HttpResult tst_TwilioApi::signedCallback(const QString &sid, const QString &status, const Form &extra)
{
    Form form{{u"AccountSid"_s, QString::fromLatin1(FakeTwilio::kAccountSid)},
              {u"CallSid"_s, sid},
              {u"CallStatus"_s, status},
              {u"From"_s, QString::fromLatin1(FakeTwilio::kFromNumber)},
              {u"To"_s, u"+4915123456789"_s},
              {u"ApiVersion"_s, u"2010-04-01"_s}};
    form.append(extra);
    return postCallback(form, twilioSignature(kCallbackUrl, form));
}

QString tst_TwilioApi::sidOf(const QString &callId)
{
    return fetchCall(*m_client, callId).value(u"session_id"_s).toString();
}

void tst_TwilioApi::initiate_placesTheCallAtTwilio()
{
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+49 151 23456789"_s}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"connecting"_s);
    const QString sid = result.json.value(u"session_id"_s).toString();
    QCOMPARE(m_fake->callSids(), QStringList{sid});
    QCOMPARE(result.json.value(u"sdp_offer"_s).toString(), QString()); // the Voice SDK carries the audio
    QCOMPARE(m_fake->call(sid)->to, u"+4915123456789"_s);
    QCOMPARE(m_fake->call(sid)->from, QString::fromLatin1(FakeTwilio::kFromNumber));

    const FakeTwilio::Request create = m_fake->requests().first();
    QCOMPARE(create.path, u"/2010-04-01/Accounts/%1/Calls.json"_s.arg(QLatin1StringView(FakeTwilio::kAccountSid)));
    // The API key authenticates when there is one.
    QCOMPARE(create.header("Authorization"),
             "Basic " + (QByteArray(FakeTwilio::kApiKey) + ':' + FakeTwilio::kApiSecret).toBase64());
    QCOMPARE(create.formValue(u"StatusCallback"_s), kCallbackUrl);
    // CALL_SETUP_TIMEOUT (60 s) less Twilio's 5 s of slack and 3 s for its report to reach us.
    QCOMPARE(create.formValue(u"Timeout"_s), u"52"_s);
    QVERIFY(create.formValue(u"Twiml"_s).contains(u"<Identity>operator_%1</Identity>"_s.arg(QString(m_userId).replace(u'-', u'_'))));
    QVERIFY(create.formValue(u"Twiml"_s).contains(result.json.value(u"call_id"_s).toString()));

    const QJsonObject call = fetchCall(*m_client, result.json.value(u"call_id"_s).toString());
    QCOMPARE(call.value(u"provider"_s).toString(), u"twilio"_s);
    QCOMPARE(call.value(u"session_id"_s).toString(), sid);
}

void tst_TwilioApi::initiate_refusedNumber_isAValidationError_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("21211") << 21211 << u"+4915123456789 is not a number Twilio can call"_s;
    QTest::addRow("21215, Germany outside the geographic permissions")
        << 21215 << u"Calls to +4915123456789 are not enabled in the Twilio account's geographic permissions"_s;
    QTest::addRow("21217") << 21217 << u"+4915123456789 is not a number Twilio can call"_s;
}

void tst_TwilioApi::initiate_refusedNumber_isAValidationError()
{
    QFETCH(int, code);
    QFETCH(QString, message);
    if (code == 21215)
        m_fake->setBlockedPrefixes({u"+49"_s}); // refused the way Twilio refuses it
    else
        m_fake->failNext(400, code, u"refused"_s);
    expectLog(QtWarningMsg, u"^Twilio refused call [0-9a-f-]{36} : HTTP 400, code %1"_s.arg(code));
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    QCOMPARE(result.json.value(u"message"_s).toString(), message);

    // The call is on record as failed, nothing is left live, and the operator can dial again.
    const HttpResult history = m_client->get(u"/api/calls/history"_s);
    QCOMPARE(history.json.value(u"total"_s).toInt(), 1);
    const QJsonObject failed = history.json.value(u"calls"_s).toArray().first().toObject();
    QCOMPARE(failed.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(failed.value(u"failure_reason"_s).toString(), u"provider_error"_s);
    m_fake->setBlockedPrefixes({});
    QVERIFY(!initiateCall(*m_client, u"+4915123456789"_s).isEmpty());
}

void tst_TwilioApi::initiate_accountConfiguration_is503AndNamesTheFix_data()
{
    QTest::addColumn<QString>("refusal");
    QTest::addColumn<QString>("log");
    QTest::addRow("21219 trial account") << u"trial"_s
                                         << u"HTTP 400, code 21219: The number \\+4915123456789 is unverified.*\\): this is a "
                                            "trial account, which may only call verified numbers"_s;
    QTest::addRow("21210 caller ID") << u"21210"_s
                                     << u"HTTP 400, code 21210: .*\\): VOIP_FROM_NUMBER must be a voice-capable number"_s;
}

void tst_TwilioApi::initiate_accountConfiguration_is503AndNamesTheFix()
{
    // Not the number's fault: no number would do. The operator sees the provider fail; the log
    // tells the administrator what to change.
    QFETCH(QString, refusal);
    QFETCH(QString, log);
    if (refusal == u"trial"_s)
        m_fake->setTrialAccount({u"+4930123456"_s});
    else
        m_fake->failNext(400, 21210, u"The source phone number provided is not yet verified for your account."_s);
    expectLog(QtCriticalMsg, u"^Twilio refused call [0-9a-f-]{36} for the account's configuration \\("_s + log);
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: the provider refused Switchboard's configuration"_s);
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    VERIFY_ERROR(result, 503, u"call_initiation_failed"_s);
    QCOMPARE(m_fake->requests().size(), 1);
    const QJsonObject failed = m_client->get(u"/api/calls/history"_s).json.value(u"calls"_s).toArray().first().toObject();
    QCOMPARE(failed.value(u"failure_reason"_s).toString(), u"provider_unavailable"_s);
}

void tst_TwilioApi::initiate_badCredentials_is503AndLogged()
{
    m_fake->failNext(401, 20003, u"Authenticate"_s);
    expectLog(QtCriticalMsg, u"^Twilio refused Switchboard's credentials \\(HTTP 401, code 20003: Authenticate\\): "
                             "check VOIP_ACCOUNT_SID, VOIP_API_KEY and VOIP_API_SECRET$"_s);
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: "_s);
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    VERIFY_ERROR(result, 503, u"call_initiation_failed"_s);
    QCOMPARE(m_fake->requests().size(), 1);
    QCOMPARE(m_client->get(u"/api/calls/history?status=connecting"_s).json.value(u"total"_s).toInt(-1), 0);
    QCOMPARE(m_client->get(u"/api/calls/history?status=failed"_s).json.value(u"total"_s).toInt(-1), 1);
}

void tst_TwilioApi::initiate_twilioDown_is503_andTheCreateIsNotRepeated()
{
    // A 5xx may come after Twilio placed the call: the create is not sent again, Twilio's list
    // is asked instead (unavailable too, here), and the operator gets a 503 in time.
    m_fake->failNext(503, 20503, u"Service Unavailable"_s, 100);
    expectLog(QtWarningMsg, u"^Twilio did not answer the create of call [0-9a-f-]{36} \\(HTTP 503"_s);
    for (int i = 0; i < 3; ++i)
        expectLog(QtWarningMsg, u"^cannot list Twilio's calls: HTTP 503"_s);
    expectLog(QtCriticalMsg, u"^Twilio could not place call [0-9a-f-]{36} : HTTP 503.* and no call it placed turned up$"_s);
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: Twilio is unavailable"_s);
    QElapsedTimer clock;
    clock.start();
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    VERIFY_ERROR(result, 503, u"call_initiation_failed"_s);
    QVERIFY2(clock.elapsed() < 5500, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(m_fake->requests("POST").size(), 1);
    QCOMPARE(m_fake->requests("GET").size(), 3);
    const HttpResult history = m_client->get(u"/api/calls/history"_s);
    const QJsonObject failed = history.json.value(u"calls"_s).toArray().first().toObject();
    QCOMPARE(failed.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(failed.value(u"failure_reason"_s).toString(), u"provider_unavailable"_s);
}

void tst_TwilioApi::initiate_lostAnswer_placesOneCall()
{
    // Twilio placed the call and its answer was lost: the call is found in Twilio's list and
    // taken, so exactly one phone rings and the call names it.
    m_fake->failAfterCreate(502, 20502, u"Bad Gateway"_s);
    expectLog(QtWarningMsg, u"^Twilio did not answer the create of call [0-9a-f-]{36} \\(HTTP 502"_s);
    const HttpResult result = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    QCOMPARE(result.status, 200);
    QCOMPARE(m_fake->requests("POST").size(), 1);
    QCOMPARE(m_fake->callSids(), QStringList{result.json.value(u"session_id"_s).toString()});
    QCOMPARE(result.json.value(u"status"_s).toString(), u"connecting"_s);
}

void tst_TwilioApi::initiate_silentTwilio_doesNotStallTheApi()
{
    // Twilio is asked on the server's own thread, without blocking it: while an initiate waits
    // for an answer that never comes, other requests are served at once.
    m_fake->hangNext(100);
    expectLog(QtWarningMsg, u"^Twilio did not answer the create of call [0-9a-f-]{36} \\(HTTP 0: no answer within 2500 ms\\)"_s);
    // A list request gets what is left of the budget when that is less than an attempt's 2500 ms.
    for (int i = 0; i < 3; ++i)
        expectLog(QtWarningMsg, u"^cannot list Twilio's calls: HTTP 0: no answer within [0-9]+ ms$"_s);
    expectLog(QtCriticalMsg, u"^Twilio could not place call [0-9a-f-]{36} : HTTP 0: no answer"_s);
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: Twilio is unavailable"_s);
    QNetworkReply *initiate = m_client->start("POST", u"/api/calls/initiate"_s, R"({"phone_number":"+4915123456789"})",
                                              {{"Content-Type", "application/json"}});
    QTRY_COMPARE(m_fake->requests().size(), 1);
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(m_client->get(u"/system/health"_s).status, 200);
        QCOMPARE(m_client->get(u"/api/calls/history"_s).status, 200);
        QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
    }
    QVERIFY(!initiate->isFinished());
    VERIFY_ERROR(HttpClient::finish(initiate), 503, u"call_initiation_failed"_s);
    QCOMPARE(m_client->get(u"/api/calls/history?status=connecting"_s).json.value(u"total"_s).toInt(-1), 0);
    QCOMPARE(m_fake->requests("POST").size(), 1);
}

void tst_TwilioApi::callbacks_signed_moveTheCall()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    QCOMPARE(signedCallback(sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}}).status, 204);
    QCOMPARE(callStatus(*m_client, callId), u"connecting"_s);
    QCOMPARE(signedCallback(sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}}).status, 204);
    QCOMPARE(callStatus(*m_client, callId), u"active"_s);
    QCOMPARE(signedCallback(sid, u"completed"_s, {{u"SequenceNumber"_s, u"3"_s}, {u"CallDuration"_s, u"42"_s}}).status,
             204);
    const QJsonObject call = fetchCall(*m_client, callId);
    QCOMPARE(call.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(call.value(u"duration"_s).toInt(), 42); // Twilio's CallDuration
    // Twilio ended it: nothing is sent back to end it again.
    QCOMPARE(m_fake->requests().size(), 1);
}

void tst_TwilioApi::callbacks_fromTwilio_moveTheCallOverTime()
{
    // The fake posts what Twilio posts: every event, signed, with Twilio's whole parameter set and
    // one parameter it may add one day. The party answers, the softphone takes its leg, the
    // party hangs up a moment later.
    m_fake->deliverCallbacksTo(m_backend->baseUrl());
    m_fake->setFarEnd(u"+4915123456789"_s, {u"in-progress"_s, 100, 1200});
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    const HttpResult active = m_client->get(u"/api/calls/%1?wait=10&status=connecting"_s.arg(callId));
    QCOMPARE(active.json.value(u"status"_s).toString(), u"active"_s);
    const HttpResult ended = m_client->get(u"/api/calls/%1?wait=10&status=active"_s.arg(callId));
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(ended.json.value(u"duration"_s).toInt(), m_fake->call(sid)->durationSeconds.value_or(-1));
    const auto answered = [&]() {
        const QList<FakeTwilioCallbacks::Delivery> deliveries = m_fake->callbacks().deliveriesFor(sid);
        return std::all_of(deliveries.cbegin(), deliveries.cend(), [](const auto &delivery) { return delivery.status != 0; });
    };
    QTRY_VERIFY(answered());
    QStringList statuses;
    for (const FakeTwilioCallbacks::Delivery &delivery : m_fake->callbacks().deliveriesFor(sid)) {
        QCOMPARE(delivery.url, kCallbackUrl);
        QCOMPARE(delivery.status, 204); // signed as Twilio signs, unknown parameter and all
        for (const auto &[name, value] : delivery.parameters) {
            if (name == u"CallStatus"_s)
                statuses.append(value);
        }
    }
    QCOMPARE(statuses, (QStringList{u"initiated"_s, u"ringing"_s, u"in-progress"_s, u"completed"_s}));
    // The operator's leg reported its end too, to the same URL.
    QTRY_COMPARE(m_fake->callbacks().deliveriesFor(m_fake->legsOf(sid).first()).size(), 1);
    QCOMPARE(m_fake->requests("POST").size(), 1); // Twilio ended it: nothing to end here
}

void tst_TwilioApi::callbacks_operatorUnreachable_failTheCall()
{
    // The party answers; the operator's softphone never takes its leg (not registered). The
    // call fails as operator_unreachable, and Twilio tells the party before hanging up.
    m_fake->deliverCallbacksTo(m_backend->baseUrl());
    m_fake->setFarEnd(u"+4915123456789"_s, {});
    m_fake->setOperatorLeg(u"no-answer"_s);
    expectLog(QtWarningMsg, u"^the operator's softphone did not take Twilio call CA[0-9a-f]{32} \\(no-answer\\)$"_s);
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    QTRY_COMPARE(callStatus(*m_client, callId), u"failed"_s);
    const QJsonObject call = fetchCall(*m_client, callId);
    QCOMPARE(call.value(u"failure_reason"_s).toString(), u"operator_unreachable"_s);
    QCOMPARE(call.value(u"duration"_s).toInt(), 0);
    // The message was not cut short: Twilio hung up by itself, nobody asked it to.
    QTRY_COMPARE(m_fake->call(sid)->status, u"completed"_s);
    QCOMPARE(m_fake->requests("POST").size(), 1);
    QVERIFY(m_fake->call(sid)->twiml.contains(u"<Say>"_s));
}

void tst_TwilioApi::callbacks_defaultPortSpelledOut_isAccepted()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const Form form{{u"CallSid"_s, sidOf(callId)}, {u"CallStatus"_s, u"in-progress"_s}};
    QCOMPARE(postCallback(form, twilioSignature(u"https://switchboard.example.com:443/api/voice/status"_s, form)).status,
             204);
    QCOMPARE(callStatus(*m_client, callId), u"active"_s);
}

void tst_TwilioApi::callbacks_portLeftOutBySigner_isAccepted()
{
    // VOICE_PUBLIC_BASE_URL names a port, Twilio signed the URL without it: accepted, as
    // twilio-node's validateRequest accepts it.
    QHash<QString, QString> env = environment();
    env.insert(u"VOICE_PUBLIC_BASE_URL"_s, u"https://switchboard.example.com:8443"_s);
    TestBackend backend(env);
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    HttpClient client(backend.baseUrl());
    QVERIFY(!client.registerUser(u"port"_s).isEmpty());
    const QString callId = initiateCall(client, u"+4915123456789"_s);
    QCOMPARE(m_fake->requests().last().formValue(u"StatusCallback"_s),
             u"https://switchboard.example.com:8443/api/voice/status"_s);
    const Form form{{u"CallSid"_s, fetchCall(client, callId).value(u"session_id"_s).toString()},
                    {u"CallStatus"_s, u"in-progress"_s}};
    HttpClient twilio(backend.baseUrl());
    const HttpResult result = twilio.send("POST", u"/api/voice/status"_s, encode(form),
                                          {{"Content-Type", "application/x-www-form-urlencoded"},
                                           {"X-Twilio-Signature", twilioSignature(kCallbackUrl, form)}});
    QCOMPARE(result.status, 204);
    QCOMPARE(callStatus(client, callId), u"active"_s);
}

void tst_TwilioApi::callbacks_forgedOrUnsigned_are403_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addRow("unsigned") << u"unsigned"_s;
    QTest::addRow("signed with another token") << u"other token"_s;
    QTest::addRow("signed for another URL") << u"other url"_s;
    QTest::addRow("parameter changed after signing") << u"changed"_s;
    QTest::addRow("query added after signing") << u"query"_s;
    QTest::addRow("garbage") << u"garbage"_s;
}

void tst_TwilioApi::callbacks_forgedOrUnsigned_are403()
{
    QFETCH(QString, kind);
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const Form form{{u"CallSid"_s, sidOf(callId)}, {u"CallStatus"_s, u"completed"_s}, {u"CallDuration"_s, u"5"_s}};
    QByteArray signature = twilioSignature(kCallbackUrl, form);
    Form sent = form;
    QString query;
    if (kind == u"unsigned"_s)
        signature.clear();
    else if (kind == u"other token"_s)
        signature = twilioSignature(kCallbackUrl, form, "fedcba9876543210fedcba9876543210");
    else if (kind == u"other url"_s)
        signature = twilioSignature(u"https://evil.example.com/api/voice/status"_s, form);
    else if (kind == u"changed"_s)
        sent[2].second = u"5000"_s;
    else if (kind == u"query"_s)
        query = u"?x=1"_s;
    else
        signature = "not a signature";

    expectLog(QtWarningMsg, u"^refused a status callback from 127\\.0\\.0\\.1 with(out)? a (wrong )?signature$"_s);
    VERIFY_ERROR(postCallback(sent, signature, query), 403, u"invalid_signature"_s);
    QCOMPARE(callStatus(*m_client, callId), u"connecting"_s);
}

void tst_TwilioApi::callbacks_outOfOrder_changeNothing()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    QCOMPARE(signedCallback(sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}}).status, 204);
    // A late ringing, and a completed that claims to come before the answer.
    QCOMPARE(signedCallback(sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}}).status, 204);
    QCOMPARE(signedCallback(sid, u"completed"_s, {{u"SequenceNumber"_s, u"0"_s}, {u"CallDuration"_s, u"0"_s}}).status,
             204);
    QCOMPARE(callStatus(*m_client, callId), u"active"_s);
}

void tst_TwilioApi::policy_refusesBeforeTwilio_andEndsLongCalls()
{
    // The first account is the admin: it sets the policy Twilio calls "Geo permissions".
    const QByteArray policy =
        R"({"allowed_countries":["DE"],"calls_per_operator_per_day":2,"max_call_duration_seconds":2,"max_concurrent_calls":0})";
    QCOMPARE(m_client->send("PUT", u"/api/policy"_s, policy).status, 200);
    const HttpResult britain = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+44 20 7946 0958"_s}});
    QCOMPARE(britain.status, 403);
    QCOMPARE(britain.json.value(u"error"_s).toString(), u"destination_not_allowed"_s);
    QVERIFY(m_fake->requests().isEmpty());

    // An answered call is ended at Twilio when it reaches the maximum duration.
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    m_fake->setCallStatus(sid, u"in-progress"_s);
    QCOMPARE(signedCallback(sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}}).status, 204);
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->call(sid)->status, u"completed"_s, 6000);
    QCOMPARE(m_fake->requests().last().form, (Form{{u"Status"_s, u"completed"_s}}));
    QCOMPARE(callStatus(*m_client, callId), u"completed"_s);

    // The second call of the day is the last: the third never reaches Twilio.
    const QString second = initiateCall(*m_client, u"+4915123456789"_s);
    QCOMPARE(m_client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, second}}).status, 200);
    const qsizetype requests = m_fake->requests().size();
    const HttpResult third = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    QCOMPARE(third.status, 429);
    QCOMPARE(third.json.value(u"error"_s).toString(), u"call_limit_reached"_s);
    QCOMPARE(m_fake->requests().size(), requests);
}

void tst_TwilioApi::terminate_ringing_cancelsAtTwilio()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    m_fake->setCallStatus(sid, u"ringing"_s);
    QCOMPARE(signedCallback(sid, u"ringing"_s, {{u"SequenceNumber"_s, u"1"_s}}).status, 204);
    const HttpResult result = m_client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"canceled"_s);
    QTRY_COMPARE(m_fake->call(sid)->status, u"canceled"_s);
    const FakeTwilio::Request update = m_fake->requests().last();
    QCOMPARE(update.path, u"/2010-04-01/Accounts/%1/Calls/%2.json"_s.arg(QLatin1StringView(FakeTwilio::kAccountSid), sid));
    QCOMPARE(update.form, (Form{{u"Status"_s, u"canceled"_s}}));
    // Twilio's own report of the cancel finds the call already ended.
    QCOMPARE(signedCallback(sid, u"canceled"_s, {{u"SequenceNumber"_s, u"2"_s}}).status, 204);
    QCOMPARE(callStatus(*m_client, callId), u"canceled"_s);
}

void tst_TwilioApi::terminate_active_completesAtTwilio()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    m_fake->setCallStatus(sid, u"in-progress"_s);
    QCOMPARE(signedCallback(sid, u"in-progress"_s, {{u"SequenceNumber"_s, u"2"_s}}).status, 204);
    const HttpResult result = m_client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"completed"_s);
    QTRY_COMPARE(m_fake->call(sid)->status, u"completed"_s);
    QCOMPARE(m_fake->requests().last().form, (Form{{u"Status"_s, u"completed"_s}}));
}

void tst_TwilioApi::terminate_twilioDown_stillEndsTheCall()
{
    const QString callId = initiateCall(*m_client, u"+4915123456789"_s);
    const QString sid = sidOf(callId);
    m_fake->failNext(500, 20500, u"Internal Server Error"_s, 100);
    expectRetries(3);
    expectLog(QtCriticalMsg, u"^provider failed to end session %1 : Twilio is unavailable"_s.arg(sid));
    const HttpResult result = m_client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"canceled"_s);
    QCOMPARE(callStatus(*m_client, callId), u"canceled"_s);
    QCOMPARE(m_fake->requests().size(), 1 + 4);
}

void tst_TwilioApi::polling_withoutPublicUrl_followsTheCall()
{
    const HttpResult initiated = m_client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    QCOMPARE(initiated.status, 200);
    const QString callId = initiated.json.value(u"call_id"_s).toString();
    const QString sid = initiated.json.value(u"session_id"_s).toString();
    QVERIFY(m_fake->requests().first().formValue(u"StatusCallback"_s).isEmpty());

    m_fake->setCallStatus(sid, u"in-progress"_s);
    const HttpResult active = m_client->get(u"/api/calls/%1?wait=10&status=connecting"_s.arg(callId));
    QCOMPARE(active.json.value(u"status"_s).toString(), u"active"_s);
    m_fake->setCallStatus(sid, u"completed"_s, 9);
    const HttpResult ended = m_client->get(u"/api/calls/%1?wait=10&status=active"_s.arg(callId));
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(ended.json.value(u"duration"_s).toInt(), 9);
    const FakeTwilio::Request fetch = m_fake->requests("GET").first();
    QCOMPARE(fetch.path, u"/2010-04-01/Accounts/%1/Calls/%2.json"_s.arg(QLatin1StringView(FakeTwilio::kAccountSid), sid));

    // Without a public URL there are no callbacks to take.
    VERIFY_ERROR(postCallback({{u"CallSid"_s, sid}}, "x"), 404, u"not_enabled"_s);
}

void tst_TwilioApi::token_forTheOperator()
{
    const HttpResult result = m_client->get(u"/api/voice/token"_s);
    QCOMPARE(result.status, 200);
    const QString identity = u"operator_"_s + QString(m_userId).replace(u'-', u'_');
    QCOMPARE(result.json.value(u"identity"_s).toString(), identity);
    QCOMPARE(result.json.value(u"provider"_s).toString(), u"twilio"_s);
    QVERIFY(isRfc3339Utc(result.json.value(u"expires_at"_s).toString()));
    const QString token = result.json.value(u"token"_s).toString();
    QCOMPARE(jwtPart(token, 0).value(u"cty"_s).toString(), u"twilio-fpa;v=1"_s);
    const QJsonObject payload = jwtPayload(token);
    QCOMPARE(payload.value(u"iss"_s).toString(), QString::fromLatin1(FakeTwilio::kApiKey));
    QCOMPARE(payload.value(u"sub"_s).toString(), QString::fromLatin1(FakeTwilio::kAccountSid));
    QCOMPARE(payload.value(u"grants"_s).toObject().value(u"identity"_s).toString(), identity);
    QVERIFY(payload.value(u"grants"_s).toObject().value(u"voice"_s).toObject().value(u"incoming"_s).toObject()
                .value(u"allow"_s).toBool());
    QCOMPARE(token.section(u'.', 2),
             QString::fromLatin1(base64Url(QMessageAuthenticationCode::hash(token.section(u'.', 0, 1).toLatin1(),
                                                                            FakeTwilio::kApiSecret,
                                                                            QCryptographicHash::Sha256))));

    expectLog(QtWarningMsg, u"^unauthenticated request to \"/api/voice/token\""_s);
    HttpClient anonymous(m_backend->baseUrl());
    VERIFY_ERROR(anonymous.get(u"/api/voice/token"_s), 401, u"unauthorized"_s);
}

void tst_TwilioApi::token_andCallbacks_offWithTheMock()
{
    TestBackend mock;
    QVERIFY2(mock.start(), qPrintable(mock.error()));
    HttpClient client(mock.baseUrl());
    QVERIFY(!client.registerUser().isEmpty());
    VERIFY_ERROR(client.get(u"/api/voice/token"_s), 404, u"not_enabled"_s);
    VERIFY_ERROR(client.send("POST", u"/api/voice/status"_s, "CallSid=CA1",
                             {{"Content-Type", "application/x-www-form-urlencoded"}}),
                 404, u"not_enabled"_s);
}

void tst_TwilioApi::softphone_servesTheVoiceSdk()
{
    // The build bundles Twilio's Voice SDK (from npm, as package-lock.json pins it) beside the
    // softphone's Twilio adapter, and the page's policy lets the SDK reach Twilio.
    HttpClient browser(m_backend->baseUrl());
    const HttpResult sdk = browser.get(u"/softphone/twilio-voice-sdk.min.js"_s);
    QCOMPARE(sdk.status, 200);
    QVERIFY(sdk.header("Content-Type").startsWith("text/javascript"));
    QVERIFY(sdk.body.contains("Twilio.Device=Twilio.Device||Voice.Device"));
    const HttpResult adapter = browser.get(u"/softphone/twilio.js"_s);
    QCOMPARE(adapter.status, 200);
    QVERIFY(adapter.body.contains("export class TwilioSoftphone"));
    const QByteArray policy = adapter.header("Content-Security-Policy");
    QVERIFY2(policy.contains("connect-src 'self' wss://*.twilio.com https://*.twilio.com"), policy.constData());
    QVERIFY2(policy.contains("default-src 'self';"), policy.constData());
}

QTEST_GUILESS_MAIN(tst_TwilioApi)
#include "tst_twilioapi.moc"
