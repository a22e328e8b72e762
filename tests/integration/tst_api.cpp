// The REST API over real HTTP: every route of the spec's table with each success and error
// status, against the real backend on SQLite or PostgreSQL.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

namespace {

const QString kPassword = u"correct horse battery"_s;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList callIds(const HttpResult &history)
{
    QStringList ids;
    for (const QJsonValue &call : history.json.value(u"calls"_s).toArray())
        ids.append(call.toObject().value(u"call_id"_s).toString());
    return ids;
}

bool isUuid(const QString &text)
{
    return !QUuid::fromString(text).isNull();
}

QString percent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

/// Pins a warning (or critical) the backend must log for what the test is about to do.
void expectRejectedToken(const QString &route)
{
    expectLog(QtWarningMsg, u"^(rejected token on %1 from 127\\.0\\.0\\.1 : .+|unauthenticated request to \"%1\" from \"127\\.0\\.0\\.1\")$"_s
                                .arg(QRegularExpression::escape(route)));
}

void expectFailedLogin()
{
    expectLog(QtWarningMsg, u"^failed login from 127\\.0\\.0\\.1 for (user [0-9a-f-]{36}|an unknown email)$"_s);
}

void expectForeignCall()
{
    expectLog(QtWarningMsg, u"^user \"[0-9a-f-]{36}\" tried to reach call \".*\" of another user$"_s);
}

void expectProviderFailure()
{
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: "_s);
}

} // namespace

class tst_Api : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void register_created_data();
    void register_created();
    void register_invalid_data();
    void register_invalid();
    void register_duplicate_data();
    void register_duplicate();

    void login_succeeds();
    void login_invalidCredentials();
    void login_invalidBody_data();
    void login_invalidBody();
    void login_rateLimited();

    void logout_revokesToken();
    void protectedRoutes_requireToken_data();
    void protectedRoutes_requireToken();

    void initiate_returnsConnectingCall();
    void initiate_normalisesNumber_data();
    void initiate_normalisesNumber();
    void initiate_rejectsBadNumber_data();
    void initiate_rejectsBadNumber();
    void initiate_conflictsWithLiveCall();
    void initiate_providerUnavailable();

    void holdAndTransfer_overHttp();
    void holdAndTransfer_refused_data();
    void holdAndTransfer_refused();
    void answer_makesCallActive();
    void answer_rejectsBadBody_data();
    void answer_rejectsBadBody();
    void answer_otherUsersCall();
    void answer_unknownCall_data();
    void answer_unknownCall();
    void answer_notConnecting_data();
    void answer_notConnecting();

    void farEnd_outcomes_data();
    void farEnd_outcomes();
    void farEnd_hangsUpAfterSeconds();
    void farEnd_noAnswer();

    void terminate_completesActiveCall();
    void terminate_cancelsUnansweredCall();
    void terminate_isIdempotent_data();
    void terminate_isIdempotent();
    void terminate_otherUsersCall();
    void terminate_unknownCall_data();
    void terminate_unknownCall();
    void terminate_rejectsBadBody_data();
    void terminate_rejectsBadBody();

    void history_newestFirst();
    void history_paging_data();
    void history_paging();
    void history_cursor_data();
    void history_cursor();
    void history_filters_data();
    void history_filters();
    void history_rejectsBadParameters_data();
    void history_rejectsBadParameters();
    void history_isPrivate();

    void getCall_returnsCall();
    void getCall_otherUsersCall();
    void getCall_unknown_data();
    void getCall_unknown();
    void getCall_longPollWakesOnChange();
    void getCall_longPollTimesOutUnchanged();
    void getCall_longPollAnswersAtOnceWhenStatusDiffers();
    void getCall_longPollRejectsBadWait_data();
    void getCall_longPollRejectsBadWait();

    void webrtcConfig();
    void health();
    void mockTestNumbers();
    void metrics_reflectCalls();

    void forgedToken_isAccepted();
    void tokenAttacks_data();
    void tokenAttacks();

    void log_neverContainsSecrets();

private:
    QUrl url() const { return m_backend->baseUrl(); }
    /// A client logged in as a new operator.
    std::unique_ptr<HttpClient> newOperator(const QString &prefix = u"operator"_s, QString *userId = nullptr);
    HttpResult login(HttpClient &client, const QString &email, const QString &password);
    /// Initiates and answers; returns the call id once the call is active.
    QString activeCall(HttpClient &client, const QString &number = u"+12025550177"_s);
    QJsonObject validClaims() const;

    std::unique_ptr<LogCapture> m_log; ///< from the start: the whole run's log is checked for secrets
    std::unique_ptr<TestBackend> m_backend;

    // History fixture: three calls of one operator, oldest first, and a call of someone else.
    std::unique_ptr<HttpClient> m_historyOwner;
    QStringList m_historyCalls; // canceled, failed (busy), completed
    QList<QJsonObject> m_historyObjects;
    std::unique_ptr<HttpClient> m_stranger;
    QString m_strangerCall;

    // Token attack fixture.
    QString m_victimId;
    QString m_victimEmail;
    QString m_victimToken;
    QString m_otherUserId;
    QString m_revokedToken;

    std::unique_ptr<HttpClient> m_answerFixture;
    QString m_answerFixtureCall;
};

std::unique_ptr<HttpClient> tst_Api::newOperator(const QString &prefix, QString *userId)
{
    auto client = std::make_unique<HttpClient>(url());
    const QString id = client->registerUser(prefix);
    if (userId)
        *userId = id;
    return client;
}

HttpResult tst_Api::login(HttpClient &client, const QString &email, const QString &password)
{
    return client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, password}});
}

QString tst_Api::activeCall(HttpClient &client, const QString &number)
{
    const QString id = initiateCall(client, number);
    if (id.isEmpty())
        return {};
    const HttpResult answered = client.post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}});
    if (answered.status != 200) {
        qWarning("answer failed: %d %s", answered.status, answered.body.constData());
        return {};
    }
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        if (callStatus(client, id) == u"active"_s)
            return id;
        QTest::qWait(20);
    }
    qWarning("call %s never became active", qPrintable(id));
    return {};
}

void tst_Api::initTestCase()
{
    m_log = std::make_unique<LogCapture>();
    m_backend = std::make_unique<TestBackend>();
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));

    // History: canceled, then failed as busy, then completed — in that order of start time.
    m_historyOwner = newOperator(u"history"_s);
    const QString canceled = initiateCall(*m_historyOwner, u"+12025550150"_s);
    QVERIFY(!canceled.isEmpty());
    QCOMPARE(m_historyOwner->post(u"/api/calls/terminate"_s, {{u"call_id"_s, canceled}}).status, 200);

    const QString busy = initiateCall(*m_historyOwner, u"+12025550101"_s);
    QVERIFY(!busy.isEmpty());
    QCOMPARE(m_historyOwner->post(u"/api/calls/answer"_s, {{u"call_id"_s, busy}, {u"sdp_answer"_s, sdpAnswer()}}).status,
             200);
    QTRY_COMPARE(callStatus(*m_historyOwner, busy), u"failed"_s);

    const QString completed = activeCall(*m_historyOwner, u"+12025550160"_s);
    QVERIFY(!completed.isEmpty());
    QCOMPARE(m_historyOwner->post(u"/api/calls/terminate"_s, {{u"call_id"_s, completed}}).status, 200);
    m_historyCalls = {canceled, busy, completed};
    for (const QString &id : std::as_const(m_historyCalls))
        m_historyObjects.append(fetchCall(*m_historyOwner, id));

    m_stranger = newOperator(u"stranger"_s);
    m_strangerCall = initiateCall(*m_stranger, u"+12025550150"_s);
    QVERIFY(!m_strangerCall.isEmpty());

    // Tokens: a victim whose claims are forged, another user, and a token that was logged out.
    HttpClient victim(url());
    m_victimId = victim.registerUser(u"victim"_s);
    m_victimToken = victim.token();
    m_victimEmail = jwtPart(m_victimToken, 1).value(u"email"_s).toString();
    QVERIFY(!m_victimEmail.isEmpty());
    HttpClient other(url());
    m_otherUserId = other.registerUser(u"other"_s);
    QVERIFY(!m_otherUserId.isEmpty());
    HttpClient leaving(url());
    leaving.registerUser(u"leaving"_s);
    m_revokedToken = leaving.token();
    QCOMPARE(leaving.post(u"/api/auth/logout"_s, {}).status, 204);
}

void tst_Api::cleanupTestCase()
{
    m_historyOwner.reset();
    m_stranger.reset();
    m_answerFixture.reset();
    if (m_backend)
        m_backend->stop();
}

// ---------------------------------------------------------------------------------------------
// Register

void tst_Api::register_created_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expectedEmail");

    const QString plain = HttpClient::uniqueEmail();
    QTest::addRow("plain") << plain << kPassword << plain;
    const QString upper = HttpClient::uniqueEmail(u"MiXeD"_s);
    QTest::addRow("mixed case and spaces are normalised") << u"  "_s + upper.toUpper() + u" "_s << kPassword
                                                           << upper.toLower();
    const QString shortest = HttpClient::uniqueEmail();
    QTest::addRow("8-character password") << shortest << u"12345678"_s << shortest;
    const QString longest = HttpClient::uniqueEmail();
    QTest::addRow("128-character password") << longest << QString(128, u'p') << longest;
    const QString astral = HttpClient::uniqueEmail();
    QString emoji;
    for (int i = 0; i < 128; ++i)
        emoji += QString::fromUcs4(U"\U0001F4DE");
    QTest::addRow("128 code points outside the BMP") << astral << emoji << astral;
}

void tst_Api::register_created()
{
    QFETCH(QString, email);
    QFETCH(QString, password);
    QFETCH(QString, expectedEmail);

    HttpClient client(url());
    const HttpResult result = client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, password}});
    QCOMPARE(result.status, 201);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    const QString token = result.json.value(u"token"_s).toString();
    const QJsonObject user = result.json.value(u"user"_s).toObject();
    QCOMPARE(token.count(u'.'), 2);
    QVERIFY2(isUuid(user.value(u"id"_s).toString()), result.body.constData());
    QCOMPARE(user.value(u"email"_s).toString(), expectedEmail);
    QVERIFY(!user.contains(u"password"_s) && !user.contains(u"password_hash"_s));
    QCOMPARE(jwtPart(token, 1).value(u"sub"_s).toString(), user.value(u"id"_s).toString());

    // The token is a working session, and the password logs in again.
    client.setToken(token);
    QCOMPARE(client.get(u"/api/webrtc/config"_s).status, 200);
    const HttpResult again = login(client, expectedEmail, password);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"user"_s).toObject().value(u"id"_s), user.value(u"id"_s));
}

void tst_Api::register_invalid_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("unusedEmail"); // an email the row carries, which must stay free

    const QByteArray jsonType = "application/json";
    auto row = [&](const char *name, const QJsonObject &body, const QString &part) {
        // Only a row whose email is valid can show that its address stayed free.
        const QString probe = part == u"password"_s ? body.value(u"email"_s).toString() : QString();
        QTest::addRow("%s", name) << json(body) << jsonType << part << probe;
    };
    row("email missing", {{u"password"_s, kPassword}}, u"email"_s);
    row("password missing", {{u"email"_s, HttpClient::uniqueEmail()}}, u"password"_s);
    row("empty object", {}, u"email"_s);
    row("email not an address", {{u"email"_s, u"not-an-email"_s}, {u"password"_s, kPassword}}, u"email"_s);
    row("email without a dotted domain", {{u"email"_s, u"operator@localhost"_s}, {u"password"_s, kPassword}},
        u"email"_s);
    row("email with a space", {{u"email"_s, u"an operator@example.com"_s}, {u"password"_s, kPassword}}, u"email"_s);
    row("email of 255 characters",
        {{u"email"_s, QString(243, u'a') + u"@example.com"_s}, {u"password"_s, kPassword}}, u"email"_s);
    row("email empty", {{u"email"_s, u""_s}, {u"password"_s, kPassword}}, u"email"_s);
    row("password of 7 characters", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, u"1234567"_s}}, u"password"_s);
    row("password of 129 characters", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, QString(129, u'p')}},
        u"password"_s);
    row("password of 300 characters", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, QString(300, u'p')}},
        u"password"_s);
    row("email a number", {{u"email"_s, 42}, {u"password"_s, kPassword}}, u"email"_s);
    row("email null", {{u"email"_s, QJsonValue::Null}, {u"password"_s, kPassword}}, u"email"_s);
    row("password a boolean", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, true}}, u"password"_s);
    row("password an array", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, QJsonArray{kPassword}}}, u"password"_s);
    row("password an object", {{u"email"_s, HttpClient::uniqueEmail()}, {u"password"_s, QJsonObject{{u"a"_s, 1}}}},
        u"password"_s);

    const QString email = HttpClient::uniqueEmail();
    QTest::addRow("malformed JSON") << (R"({"email": ")" + email.toUtf8() + R"(", "password": )") << jsonType
                                    << u"JSON"_s << email;
    QTest::addRow("not JSON at all") << QByteArray("hello") << jsonType << u"JSON"_s << QString();
    QTest::addRow("JSON array") << QByteArray(R"(["a@example.com", "correct horse"])") << jsonType
                                << u"object"_s << QString();
    QTest::addRow("JSON string") << QByteArray("\"a@example.com\"") << jsonType << u"JSON"_s << QString();
    QTest::addRow("JSON number") << QByteArray("42") << jsonType << u"JSON"_s << QString();
    QTest::addRow("JSON null") << QByteArray("null") << jsonType << u"JSON"_s << QString();
    QTest::addRow("empty body") << QByteArray() << QByteArray() << u"object"_s << QString();
    const QString formEmail = HttpClient::uniqueEmail();
    QTest::addRow("form encoded") << ("email=" + QUrl::toPercentEncoding(formEmail) + "&password=correcthorsebattery")
                                  << QByteArray("application/x-www-form-urlencoded") << u"Content-Type"_s
                                  << formEmail;
    const QString textEmail = HttpClient::uniqueEmail();
    QTest::addRow("JSON sent as text/plain")
        << json({{u"email"_s, textEmail}, {u"password"_s, kPassword}}) << QByteArray("text/plain") << u"Content-Type"_s
        << textEmail;
}

void tst_Api::register_invalid()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, messagePart);
    QFETCH(QString, unusedEmail);

    HttpClient client(url());
    Headers headers;
    if (!contentType.isEmpty())
        headers.emplaceBack("Content-Type", contentType);
    const HttpResult result = client.send("POST", u"/api/auth/register"_s, body, headers);
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    const QString message = result.json.value(u"message"_s).toString();
    QVERIFY2(message.contains(messagePart, Qt::CaseInsensitive), qPrintable(message));

    // Nothing was stored: the address is still free.
    if (!unusedEmail.isEmpty()) {
        const HttpResult fresh = client.post(u"/api/auth/register"_s, {{u"email"_s, unusedEmail}, {u"password"_s, kPassword}});
        QCOMPARE(fresh.status, 201);
    }
}

void tst_Api::register_duplicate_data()
{
    QTest::addColumn<QString>("variant"); // how the second registration spells the address

    QTest::addRow("same address") << u"same"_s;
    QTest::addRow("different case") << u"upper"_s;
    QTest::addRow("surrounding spaces") << u"spaces"_s;
}

void tst_Api::register_duplicate()
{
    QFETCH(QString, variant);

    const QString email = HttpClient::uniqueEmail(u"taken"_s);
    HttpClient client(url());
    const HttpResult first = client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(first.status, 201);

    const QString again = variant == u"upper"_s ? email.toUpper()
        : variant == u"spaces"_s               ? u"  "_s + email + u"\t"_s
                                               : email;
    const HttpResult second =
        client.post(u"/api/auth/register"_s, {{u"email"_s, again}, {u"password"_s, u"another password"_s}});
    VERIFY_ERROR(second, 409, u"user_already_exists"_s);

    // The first account is untouched: its password still works, the second one does not.
    QCOMPARE(login(client, email, kPassword).status, 200);
    expectFailedLogin();
    VERIFY_ERROR(login(client, email, u"another password"_s), 401, u"invalid_credentials"_s);
}

// ---------------------------------------------------------------------------------------------
// Login and logout

void tst_Api::login_succeeds()
{
    const QString email = HttpClient::uniqueEmail();
    HttpClient client(url());
    const HttpResult registered = client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(registered.status, 201);
    const QString userId = registered.json.value(u"user"_s).toObject().value(u"id"_s).toString();

    const HttpResult result = login(client, email, kPassword);
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    const QString token = result.json.value(u"token"_s).toString();
    QCOMPARE(token.count(u'.'), 2);
    QVERIFY(token != registered.json.value(u"token"_s).toString());
    QCOMPARE(result.json.value(u"user"_s).toObject().value(u"id"_s).toString(), userId);
    QCOMPARE(result.json.value(u"user"_s).toObject().value(u"email"_s).toString(), email);

    client.setToken(token);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);

    // The address is matched without regard to case.
    const HttpResult upper = login(client, email.toUpper(), kPassword);
    QCOMPARE(upper.status, 200);
    QCOMPARE(upper.json.value(u"user"_s).toObject().value(u"id"_s).toString(), userId);
}

void tst_Api::login_invalidCredentials()
{
    const QString email = HttpClient::uniqueEmail();
    HttpClient client(url());
    QCOMPARE(client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 201);

    for (int i = 0; i < 3; ++i)
        expectFailedLogin();
    const HttpResult wrongPassword = login(client, email, kPassword + u"!"_s);
    VERIFY_ERROR(wrongPassword, 401, u"invalid_credentials"_s);
    const HttpResult unknownEmail = login(client, HttpClient::uniqueEmail(u"nobody"_s), kPassword);
    VERIFY_ERROR(unknownEmail, 401, u"invalid_credentials"_s);
    const HttpResult wrongCase = login(client, email, kPassword.toUpper());
    VERIFY_ERROR(wrongCase, 401, u"invalid_credentials"_s);

    // Nothing tells an attacker whether the address exists.
    QCOMPARE(unknownEmail.json.value(u"message"_s), wrongPassword.json.value(u"message"_s));
    QCOMPARE(unknownEmail.body, wrongPassword.body);
}

void tst_Api::login_invalidBody_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::addRow("malformed JSON") << QByteArray(R"({"email": "a@example.com", )");
    QTest::addRow("JSON array") << QByteArray(R"(["a@example.com", "correct horse"])");
    QTest::addRow("password missing") << json({{u"email"_s, HttpClient::uniqueEmail()}});
    QTest::addRow("email missing") << json({{u"password"_s, kPassword}});
    QTest::addRow("email a number") << json({{u"email"_s, 7}, {u"password"_s, kPassword}});
    QTest::addRow("empty body") << QByteArray();
}

void tst_Api::login_invalidBody()
{
    QFETCH(QByteArray, body);
    HttpClient client(url());
    VERIFY_ERROR(client.send("POST", u"/api/auth/login"_s, body), 400, u"validation_error"_s);
}

void tst_Api::login_rateLimited()
{
    constexpr int kLimit = 3;
    TestBackend limited({{u"LOGIN_RATE_LIMIT"_s, QString::number(kLimit)}});
    REQUIRE_TEST_DATABASE(limited.database());
    QVERIFY2(limited.start(), qPrintable(limited.error()));

    HttpClient client(limited.baseUrl());
    const QString email = HttpClient::uniqueEmail();
    QCOMPARE(client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 201);

    // The limit counts attempts per minute; keep the attempts inside one minute.
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() % 60 < 45, 20000);

    for (int attempt = 1; attempt <= kLimit; ++attempt)
        expectFailedLogin();
    for (int attempt = 1; attempt <= 3; ++attempt)
        expectLog(QtWarningMsg, u"^login rate limit reached for \"(email|address):.+\"$"_s);
    for (int attempt = 1; attempt <= kLimit; ++attempt)
        VERIFY_ERROR(login(client, email, u"wrong password"_s), 401, u"invalid_credentials"_s);

    const HttpResult limitedAttempt = login(client, email, u"wrong password"_s);
    VERIFY_ERROR(limitedAttempt, 429, u"rate_limited"_s);
    bool ok = false;
    const int retryAfter = limitedAttempt.header("Retry-After").toInt(&ok);
    QVERIFY2(ok && retryAfter > 0 && retryAfter <= 60, limitedAttempt.header("Retry-After").constData());

    // Once limited, even the right password waits, and so does any address from that client.
    VERIFY_ERROR(login(client, email, kPassword), 429, u"rate_limited"_s);
    VERIFY_ERROR(login(client, HttpClient::uniqueEmail(u"other"_s), kPassword), 429, u"rate_limited"_s);
}

void tst_Api::logout_revokesToken()
{
    const QString email = HttpClient::uniqueEmail();
    HttpClient first(url());
    const HttpResult registered = first.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(registered.status, 201);
    first.setToken(registered.json.value(u"token"_s).toString());
    HttpClient second(url());
    const HttpResult loggedIn = login(second, email, kPassword);
    QCOMPARE(loggedIn.status, 200);
    second.setToken(loggedIn.json.value(u"token"_s).toString());

    const HttpResult out = first.send("POST", u"/api/auth/logout"_s);
    QCOMPARE(out.status, 204);
    QVERIFY(out.body.isEmpty());

    expectRejectedToken(u"/api/webrtc/config"_s);
    expectRejectedToken(u"/api/calls/initiate"_s);
    expectRejectedToken(u"/api/auth/logout"_s);
    expectRejectedToken(u"/api/calls/history"_s);
    VERIFY_ERROR(first.get(u"/api/webrtc/config"_s), 401, u"unauthorized"_s);
    VERIFY_ERROR(first.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}}), 401, u"unauthorized"_s);
    VERIFY_ERROR(first.send("POST", u"/api/auth/logout"_s), 401, u"unauthorized"_s);

    // Only that token was revoked: the operator's other session goes on.
    QCOMPARE(second.get(u"/api/webrtc/config"_s).status, 200);
    QCOMPARE(second.send("POST", u"/api/auth/logout"_s).status, 204);
    VERIFY_ERROR(second.get(u"/api/calls/history"_s), 401, u"unauthorized"_s);
}

void tst_Api::protectedRoutes_requireToken_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization");

    const QByteArray callBody = json({{u"call_id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}});
    const struct
    {
        const char *name;
        QByteArray method;
        QString path;
        QByteArray body;
    } routes[] = {
        {"logout", "POST", u"/api/auth/logout"_s, {}},
        {"initiate", "POST", u"/api/calls/initiate"_s, json({{u"phone_number"_s, u"+12025550199"_s}})},
        {"answer", "POST", u"/api/calls/answer"_s, json({{u"call_id"_s, u"x"_s}, {u"sdp_answer"_s, sdpAnswer()}})},
        {"terminate", "POST", u"/api/calls/terminate"_s, callBody},
        {"history", "GET", u"/api/calls/history"_s, {}},
        {"call", "GET", u"/api/calls/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces), {}},
        {"webrtc config", "GET", u"/api/webrtc/config"_s, {}},
    };
    const struct
    {
        const char *name;
        QByteArray value;
    } authorizations[] = {
        {"no token", {}},
        {"garbled token", "Bearer garbled.token.value"},
        {"empty bearer", "Bearer "},
        {"basic auth", "Basic b3BlcmF0b3I6Y29ycmVjdCBob3JzZQ=="},
    };
    for (const auto &route : routes) {
        for (const auto &authorization : authorizations) {
            QTest::addRow("%s, %s", route.name, authorization.name)
                << route.method << route.path << route.body << authorization.value;
        }
    }
}

void tst_Api::protectedRoutes_requireToken()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);

    HttpClient client(url());
    Headers headers;
    if (!authorization.isEmpty())
        headers.emplaceBack("Authorization", authorization);
    expectRejectedToken(path.startsWith(u"/api/calls/"_s) && method == "GET" && !path.endsWith(u"history"_s)
                            ? u"/api/calls/{id}"_s
                            : path);
    const HttpResult result = client.send(method, path, body, headers);
    VERIFY_ERROR(result, 401, u"unauthorized"_s);
    QVERIFY(result.header("WWW-Authenticate").startsWith("Bearer"));
}

// ---------------------------------------------------------------------------------------------
// Hold and transfer

void tst_Api::holdAndTransfer_overHttp()
{
    auto client = newOperator();
    const QString callId = activeCall(*client, u"+12025550123"_s);
    QVERIFY(!callId.isEmpty());
    const QString path = u"/api/calls/%1/"_s.arg(callId);

    HttpResult held = client->post(path + u"hold"_s, {{u"on"_s, true}});
    QVERIFY2(held.status == 200, held.body.constData());
    QCOMPARE(held.json.value(u"on_hold"_s).toBool(), true);
    QCOMPARE(held.json.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(fetchCall(*client, callId).value(u"on_hold"_s).toBool(), true);
    const HttpResult resumed = client->post(path + u"hold"_s, {{u"on"_s, false}});
    QCOMPARE(resumed.status, 200);
    QCOMPARE(resumed.json.value(u"on_hold"_s).toBool(), false);

    const HttpResult transferred = client->post(path + u"transfer"_s, {{u"phone_number"_s, u"+44 20 7946 0958"_s}});
    QVERIFY2(transferred.status == 200, transferred.body.constData());
    QCOMPARE(transferred.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(transferred.json.value(u"transferred_to"_s).toString(), u"+442079460958"_s);
    QCOMPARE(fetchCall(*client, callId).value(u"transferred_to"_s).toString(), u"+442079460958"_s);
    // The operator's line is free, and the ended call can be neither held nor transferred again.
    VERIFY_ERROR(client->post(path + u"hold"_s, {{u"on"_s, true}}), 409, u"invalid_call_state"_s);
    QVERIFY(!initiateCall(*client, u"+12025550123"_s).isEmpty());
}

void tst_Api::holdAndTransfer_refused_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("whose"); // own | other
    QTest::addColumn<QString>("state"); // active | connecting
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addRow("hold without on") << u"hold"_s << QJsonObject{} << u"own"_s << u"active"_s << 400 << u"validation_error"_s;
    QTest::addRow("hold with on a string") << u"hold"_s << QJsonObject{{u"on"_s, u"yes"_s}} << u"own"_s << u"active"_s << 400
                                           << u"validation_error"_s;
    QTest::addRow("hold a connecting call") << u"hold"_s << QJsonObject{{u"on"_s, true}} << u"own"_s << u"connecting"_s << 409
                                            << u"invalid_call_state"_s;
    QTest::addRow("hold another operator's call") << u"hold"_s << QJsonObject{{u"on"_s, true}} << u"other"_s << u"active"_s
                                                  << 403 << u"unauthorized"_s;
    QTest::addRow("transfer to a bad number") << u"transfer"_s << QJsonObject{{u"phone_number"_s, u"030 1234567"_s}}
                                              << u"own"_s << u"active"_s << 400 << u"validation_error"_s;
    QTest::addRow("transfer without a number") << u"transfer"_s << QJsonObject{} << u"own"_s << u"active"_s << 400
                                               << u"validation_error"_s;
    QTest::addRow("transfer a connecting call") << u"transfer"_s << QJsonObject{{u"phone_number"_s, u"+442079460958"_s}}
                                                << u"own"_s << u"connecting"_s << 409 << u"invalid_call_state"_s;
    QTest::addRow("transfer another operator's call") << u"transfer"_s << QJsonObject{{u"phone_number"_s, u"+442079460958"_s}}
                                                      << u"other"_s << u"active"_s << 403 << u"unauthorized"_s;
}

void tst_Api::holdAndTransfer_refused()
{
    QFETCH(QString, action);
    QFETCH(QJsonObject, body);
    QFETCH(QString, whose);
    QFETCH(QString, state);
    QFETCH(int, status);
    QFETCH(QString, error);
    auto owner = newOperator();
    const QString callId = state == u"active"_s ? activeCall(*owner, u"+12025550124"_s)
                                                : initiateCall(*owner, u"+12025550124"_s);
    QVERIFY(!callId.isEmpty());
    auto other = newOperator(u"mallory"_s);
    if (whose == u"other"_s)
        expectLog(QtWarningMsg, u"tried to reach call .* of another user"_s);
    HttpClient &client = whose == u"own"_s ? *owner : *other;
    VERIFY_ERROR(client.post(u"/api/calls/%1/%2"_s.arg(callId, action), body), status, error);
    const QJsonObject after = fetchCall(*owner, callId);
    QCOMPARE(after.value(u"status"_s).toString(), state);
    QCOMPARE(after.value(u"on_hold"_s).toBool(), false);
}

// ---------------------------------------------------------------------------------------------
// Initiate

void tst_Api::initiate_returnsConnectingCall()
{
    auto client = newOperator();
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const HttpResult result = client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+1 (202) 555-0199"_s}});
    const QDateTime after = QDateTime::currentDateTimeUtc();
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));

    const QString callId = result.json.value(u"call_id"_s).toString();
    QVERIFY2(isUuid(callId), result.body.constData());
    QVERIFY(!result.json.value(u"session_id"_s).toString().isEmpty());
    const QString offer = result.json.value(u"sdp_offer"_s).toString();
    QVERIFY2(offer.startsWith(u"v=0"_s), qPrintable(offer));
    QVERIFY(offer.contains(u"m=audio "_s));
    QCOMPARE(result.json.value(u"status"_s).toString(), u"connecting"_s);
    const QString startText = result.json.value(u"start_time"_s).toString();
    QVERIFY2(isRfc3339Utc(startText), qPrintable(startText));
    const QDateTime start = QDateTime::fromString(startText, Qt::ISODateWithMs);
    QVERIFY2(start >= before.addSecs(-1) && start <= after.addSecs(1), qPrintable(startText));

    const QJsonObject call = fetchCall(*client, callId);
    QCOMPARE(call.value(u"phone_number"_s).toString(), u"+12025550199"_s);
    QCOMPARE(call.value(u"status"_s).toString(), u"connecting"_s);
    QCOMPARE(call.value(u"session_id"_s), result.json.value(u"session_id"_s));
    QCOMPARE(call.value(u"start_time"_s).toString(), startText);
    QCOMPARE(call.value(u"duration"_s).toInt(-1), 0);
    QVERIFY(isUuid(call.value(u"user_id"_s).toString()));
    // Unanswered, the call carries the far end's offer for its owner (a console answers it for a
    // call a CRM placed); history items never carry it, and it goes once the call has ended.
    QCOMPARE(call.value(u"sdp_offer"_s).toString(), offer);
    const QJsonObject item = client->get(u"/api/calls/history?limit=1"_s).json.value(u"calls"_s).toArray().first().toObject();
    QCOMPARE(item.value(u"call_id"_s).toString(), callId);
    QCOMPARE(item.value(u"user_id"_s), call.value(u"user_id"_s));
    QVERIFY(!item.contains(u"sdp_offer"_s));
    QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QVERIFY(fetchCall(*client, callId).value(u"sdp_offer"_s).isNull());
}

void tst_Api::initiate_normalisesNumber_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("e164");

    QTest::addRow("US with punctuation") << u"+1 (202) 555-0188"_s << u"+12025550188"_s;
    QTest::addRow("US with dots") << u"+1.202.555.0188"_s << u"+12025550188"_s;
    QTest::addRow("UK London") << u"+44 20 7946 0958"_s << u"+442079460958"_s;
    QTest::addRow("German mobile") << u"+49 151 23456789"_s << u"+4915123456789"_s;
    QTest::addRow("surrounding spaces") << u"  +12025550188  "_s << u"+12025550188"_s;
}

void tst_Api::initiate_normalisesNumber()
{
    QFETCH(QString, input);
    QFETCH(QString, e164);

    auto client = newOperator();
    const HttpResult result = client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, input}});
    QCOMPARE(result.status, 200);
    QCOMPARE(fetchCall(*client, result.json.value(u"call_id"_s).toString()).value(u"phone_number"_s).toString(), e164);
}

void tst_Api::initiate_rejectsBadNumber_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("messagePart");

    auto number = [](const QJsonValue &value) { return json({{u"phone_number"_s, value}}); };
    QTest::addRow("missing") << json({}) << u"phone_number is required"_s;
    QTest::addRow("empty") << number(u""_s) << u"phone_number is required"_s;
    QTest::addRow("blank") << number(u"   "_s) << u"phone_number is required"_s;
    QTest::addRow("null") << number(QJsonValue::Null) << u"phone_number is required"_s;
    QTest::addRow("a JSON number") << number(12025550199.0) << u"phone_number must be a string"_s;
    QTest::addRow("no plus") << number(u"12025550199"_s) << u"international format"_s;
    QTest::addRow("national format") << number(u"(202) 555-0199"_s) << u"international format"_s;
    QTest::addRow("letters") << number(u"+1202abc0199"_s) << u"only digits"_s;
    QTest::addRow("unknown country code") << number(u"+999 1234567"_s) << u"unknown country code"_s;
    QTest::addRow("too short") << number(u"+1 202"_s) << u"too short"_s;
    QTest::addRow("too long") << number(u"+1 202 555 0199 1234 5678"_s) << u"too long"_s;
    QTest::addRow("not a valid US number") << number(u"+1 555 555 5555"_s) << u"not a valid number"_s;
    QTest::addRow("only a plus") << number(u"+"_s) << u"not a phone number"_s;
    QTest::addRow("33 characters") << number(u"+1 202 555 0199 0000 0000 0000 00"_s) << u"at most 32 characters"_s;
    QTest::addRow("malformed JSON") << QByteArray(R"({"phone_number": "+12025550199")") << u"JSON"_s;
    QTest::addRow("JSON array") << QByteArray(R"(["+12025550199"])") << u"object"_s;
}

void tst_Api::initiate_rejectsBadNumber()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messagePart);

    auto client = newOperator();
    const HttpResult result = client->send("POST", u"/api/calls/initiate"_s, body);
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    const QString message = result.json.value(u"message"_s).toString();
    QVERIFY2(message.contains(messagePart), qPrintable(message));

    // Nothing was placed.
    QCOMPARE(client->get(u"/api/calls/history"_s).json.value(u"total"_s).toInt(-1), 0);
}

void tst_Api::initiate_conflictsWithLiveCall()
{
    auto client = newOperator();
    const QString first = initiateCall(*client, u"+12025550170"_s);
    QVERIFY(!first.isEmpty());

    // While the first call is connecting …
    VERIFY_ERROR(client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550171"_s}}), 409,
                 u"call_already_active"_s);

    // … and while it is active.
    QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, first}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    QTRY_COMPARE(callStatus(*client, first), u"active"_s);
    VERIFY_ERROR(client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550171"_s}}), 409,
                 u"call_already_active"_s);

    const HttpResult history = client->get(u"/api/calls/history"_s);
    QCOMPARE(history.json.value(u"total"_s).toInt(), 1);
    QCOMPARE(callIds(history), QStringList{first});

    // Once it has ended, the operator may dial again.
    QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, first}}).status, 200);
    QVERIFY(!initiateCall(*client, u"+12025550171"_s).isEmpty());
}

void tst_Api::initiate_providerUnavailable()
{
    auto client = newOperator();
    expectProviderFailure();
    const HttpResult result = client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550103"_s}});
    VERIFY_ERROR(result, 503, u"call_initiation_failed"_s);

    // The attempt is recorded as failed; nothing is left connecting or initiated.
    const HttpResult history = client->get(u"/api/calls/history"_s);
    QCOMPARE(history.status, 200);
    QCOMPARE(history.json.value(u"total"_s).toInt(), 1);
    const QJsonObject failed = history.json.value(u"calls"_s).toArray().first().toObject();
    QCOMPARE(failed.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(failed.value(u"failure_reason"_s).toString(), u"provider_unavailable"_s);
    QCOMPARE(failed.value(u"phone_number"_s).toString(), u"+12025550103"_s);
    QCOMPARE(failed.value(u"duration"_s).toInt(-1), 0);
    QVERIFY(isRfc3339Utc(failed.value(u"end_time"_s).toString()));
    for (const QString &live : {u"initiated"_s, u"connecting"_s, u"active"_s}) {
        const HttpResult stuck = client->get(u"/api/calls/history?status="_s + live);
        QCOMPARE(stuck.status, 200);
        QCOMPARE(stuck.json.value(u"total"_s).toInt(-1), 0);
    }

    const HttpResult next = client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}});
    QCOMPARE(next.status, 200);
    QCOMPARE(next.json.value(u"status"_s).toString(), u"connecting"_s);
}

// ---------------------------------------------------------------------------------------------
// Answer and the far end

void tst_Api::answer_makesCallActive()
{
    auto client = newOperator();
    const QString id = initiateCall(*client, u"+12025550199"_s);
    QVERIFY(!id.isEmpty());

    const HttpResult result = client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"call_id"_s).toString(), id);
    const QString status = result.json.value(u"status"_s).toString();
    QVERIFY2(status == u"connecting"_s || status == u"active"_s, qPrintable(status));

    QTRY_COMPARE(callStatus(*client, id), u"active"_s);
    const QJsonObject call = fetchCall(*client, id);
    QVERIFY(isRfc3339Utc(call.value(u"answered_at"_s).toString()));
    QVERIFY(call.value(u"end_time"_s).isNull());
    QVERIFY(call.value(u"failure_reason"_s).isNull());
    QVERIFY(call.contains(u"sdp_offer"_s));
    QVERIFY(call.value(u"sdp_offer"_s).isNull()); // answered: nothing left to answer
}

void tst_Api::answer_rejectsBadBody_data()
{
    QTest::addColumn<QByteArray>("body"); // CALL stands for the id of a connecting call
    QTest::addColumn<QString>("messagePart");

    const QString call = u"CALL"_s;
    QTest::addRow("sdp_answer missing") << json({{u"call_id"_s, call}}) << u"sdp_answer"_s;
    QTest::addRow("sdp_answer empty") << json({{u"call_id"_s, call}, {u"sdp_answer"_s, u""_s}}) << u"sdp_answer"_s;
    QTest::addRow("sdp_answer not SDP") << json({{u"call_id"_s, call}, {u"sdp_answer"_s, u"hello"_s}})
                                        << u"sdp_answer"_s;
    QTest::addRow("sdp_answer without audio")
        << json({{u"call_id"_s, call}, {u"sdp_answer"_s, u"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"_s}})
        << u"sdp_answer"_s;
    QTest::addRow("sdp_answer a number") << json({{u"call_id"_s, call}, {u"sdp_answer"_s, 0}}) << u"sdp_answer"_s;
    QTest::addRow("call_id missing") << json({{u"sdp_answer"_s, sdpAnswer()}}) << u"call_id"_s;
    QTest::addRow("call_id a number") << json({{u"call_id"_s, 5}, {u"sdp_answer"_s, sdpAnswer()}}) << u"call_id"_s;
    QTest::addRow("malformed JSON") << QByteArray(R"({"call_id": "CALL", "sdp_answer": )") << u"JSON"_s;
}

void tst_Api::answer_rejectsBadBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messagePart);

    if (!m_answerFixture) {
        m_answerFixture = newOperator(u"answer"_s);
        m_answerFixtureCall = initiateCall(*m_answerFixture, u"+12025550199"_s);
    }
    QVERIFY(!m_answerFixtureCall.isEmpty());
    body.replace("CALL", m_answerFixtureCall.toUtf8());

    const HttpResult result = m_answerFixture->send("POST", u"/api/calls/answer"_s, body);
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    const QString message = result.json.value(u"message"_s).toString();
    QVERIFY2(message.contains(messagePart), qPrintable(message));

    // The call is still waiting for a real answer.
    const QJsonObject call = fetchCall(*m_answerFixture, m_answerFixtureCall);
    QCOMPARE(call.value(u"status"_s).toString(), u"connecting"_s);
    QVERIFY(call.value(u"answered_at"_s).isNull());
}

void tst_Api::answer_otherUsersCall()
{
    auto alice = newOperator(u"alice"_s);
    auto mallory = newOperator(u"mallory"_s);
    const QString id = initiateCall(*alice, u"+12025550199"_s);
    QVERIFY(!id.isEmpty());

    expectForeignCall();
    const HttpResult result = mallory->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}});
    VERIFY_ERROR(result, 403, u"unauthorized"_s);
    QCOMPARE(result.json.value(u"message"_s).toString(), u"No access to this call"_s);

    // Alice's call was not touched and she can still answer it.
    QCOMPARE(callStatus(*alice, id), u"connecting"_s);
    QCOMPARE(alice->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    QTRY_COMPARE(callStatus(*alice, id), u"active"_s);
}

void tst_Api::answer_unknownCall_data()
{
    QTest::addColumn<QString>("callId");
    QTest::addRow("unknown id") << QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::addRow("not an id") << u"not-a-call"_s;
    QTest::addRow("SQL") << u"' OR '1'='1"_s;
}

void tst_Api::answer_unknownCall()
{
    QFETCH(QString, callId);
    auto client = newOperator();
    const HttpResult result = client->post(u"/api/calls/answer"_s, {{u"call_id"_s, callId}, {u"sdp_answer"_s, sdpAnswer()}});
    VERIFY_ERROR(result, 404, u"call_not_found"_s);
}

void tst_Api::answer_notConnecting_data()
{
    QTest::addColumn<QString>("state");
    QTest::addRow("canceled") << u"canceled"_s;
    QTest::addRow("already answered") << u"answered"_s;
    QTest::addRow("active") << u"active"_s;
    QTest::addRow("failed") << u"failed"_s;
}

void tst_Api::answer_notConnecting()
{
    QFETCH(QString, state);

    auto client = newOperator();
    QString id;
    if (state == u"canceled"_s) {
        id = initiateCall(*client, u"+12025550199"_s);
        QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}}).status, 200);
    } else if (state == u"answered"_s) {
        // A number that rings without answering keeps the call connecting after the first answer.
        id = initiateCall(*client, u"+12025550102"_s);
        QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
        QCOMPARE(callStatus(*client, id), u"connecting"_s);
    } else if (state == u"active"_s) {
        id = activeCall(*client);
    } else {
        id = initiateCall(*client, u"+12025550101"_s);
        QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
        QTRY_COMPARE(callStatus(*client, id), u"failed"_s);
    }
    QVERIFY(!id.isEmpty());
    const QJsonObject before = fetchCall(*client, id);

    const HttpResult result = client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}});
    VERIFY_ERROR(result, 409, u"invalid_call_state"_s);
    QCOMPARE(fetchCall(*client, id), before);

    // End what is still live, so that no far-end timer fires during later tests.
    QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}}).status, 200);
}

void tst_Api::farEnd_outcomes_data()
{
    QTest::addColumn<QString>("number");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("failureReason");

    QTest::addRow("answers") << u"+12025550199"_s << u"active"_s << QString();
    QTest::addRow("busy") << u"+12025550101"_s << u"failed"_s << u"busy"_s;
    QTest::addRow("media failure") << u"+12025550106"_s << u"failed"_s << u"media_failed"_s;
}

void tst_Api::farEnd_outcomes()
{
    QFETCH(QString, number);
    QFETCH(QString, status);
    QFETCH(QString, failureReason);

    auto client = newOperator();
    const QString id = initiateCall(*client, number);
    QVERIFY(!id.isEmpty());
    QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    QTRY_COMPARE(callStatus(*client, id), status);

    const QJsonObject call = fetchCall(*client, id);
    if (failureReason.isEmpty()) {
        QVERIFY(call.value(u"failure_reason"_s).isNull());
        return;
    }
    QCOMPARE(call.value(u"failure_reason"_s).toString(), failureReason);
    QCOMPARE(call.value(u"duration"_s).toInt(-1), 0);
    QVERIFY(call.value(u"answered_at"_s).isNull());
    QVERIFY(isRfc3339Utc(call.value(u"end_time"_s).toString()));
    // A failed call is over: the operator may dial again.
    QVERIFY(!initiateCall(*client, u"+12025550199"_s).isEmpty());
}

void tst_Api::farEnd_hangsUpAfterSeconds()
{
    auto client = newOperator();
    const QString id = initiateCall(*client, u"+12025550201"_s);
    QVERIFY(!id.isEmpty());
    QElapsedTimer sinceAnswer;
    sinceAnswer.start();
    QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    QTRY_COMPARE(callStatus(*client, id), u"active"_s);
    QTRY_COMPARE_WITH_TIMEOUT(callStatus(*client, id), u"completed"_s, 5000);
    QVERIFY2(sinceAnswer.elapsed() >= 900, qPrintable(QString::number(sinceAnswer.elapsed())));

    // The far end hangs up a whole second after it answered, and the duration says so.
    const QJsonObject call = fetchCall(*client, id);
    const QDateTime answered = QDateTime::fromString(call.value(u"answered_at"_s).toString(), Qt::ISODateWithMs);
    const QDateTime ended = QDateTime::fromString(call.value(u"end_time"_s).toString(), Qt::ISODateWithMs);
    QVERIFY2(answered.msecsTo(ended) >= 1000,
             qPrintable(u"answered %1, ended %2"_s.arg(call.value(u"answered_at"_s).toString(),
                                                      call.value(u"end_time"_s).toString())));
    QCOMPARE(call.value(u"duration"_s).toInt(-1), 1);
    QVERIFY(call.value(u"failure_reason"_s).isNull());
}

void tst_Api::farEnd_noAnswer()
{
    TestBackend ringing({{u"VOIP_MOCK_RING_TIMEOUT"_s, u"1"_s}});
    REQUIRE_TEST_DATABASE(ringing.database());
    QVERIFY2(ringing.start(), qPrintable(ringing.error()));

    HttpClient client(ringing.baseUrl());
    client.registerUser();
    const QString id = initiateCall(client, u"+12025550102"_s);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(callStatus(client, id), u"failed"_s, 5000);
    const QJsonObject call = fetchCall(client, id);
    QCOMPARE(call.value(u"failure_reason"_s).toString(), u"no_answer"_s);
    QCOMPARE(call.value(u"duration"_s).toInt(-1), 0);
}

// ---------------------------------------------------------------------------------------------
// Terminate

void tst_Api::terminate_completesActiveCall()
{
    auto client = newOperator();
    QElapsedTimer sinceAnswer;
    sinceAnswer.start();
    const QString id = activeCall(*client);
    QVERIFY(!id.isEmpty());
    QElapsedTimer activeFor;
    activeFor.start();
    // The call has to be active for a while: that time is what the duration must show.
    QTest::qWait(1500);
    const qint64 lowerBound = activeFor.elapsed() / 1000;

    const HttpResult result = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    const qint64 upperBound = sinceAnswer.elapsed() / 1000 + 1;
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"call_id"_s).toString(), id);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(result.json.value(u"duration"_s).isDouble());
    const int duration = result.json.value(u"duration"_s).toInt();
    QVERIFY2(duration >= lowerBound && duration <= upperBound,
             qPrintable(u"duration %1 not in [%2, %3]"_s.arg(duration).arg(lowerBound).arg(upperBound)));

    const QJsonObject call = fetchCall(*client, id);
    QCOMPARE(call.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(call.value(u"duration"_s).toInt(), duration);
    QVERIFY(isRfc3339Utc(call.value(u"end_time"_s).toString()));
    QVERIFY(call.value(u"failure_reason"_s).isNull());
}

void tst_Api::terminate_cancelsUnansweredCall()
{
    auto client = newOperator();
    const QString id = initiateCall(*client, u"+12025550199"_s);
    QVERIFY(!id.isEmpty());

    const HttpResult result = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"status"_s).toString(), u"canceled"_s);
    QCOMPARE(result.json.value(u"duration"_s).toInt(-1), 0);
    QCOMPARE(result.json.value(u"call_id"_s).toString(), id);

    const QJsonObject call = fetchCall(*client, id);
    QCOMPARE(call.value(u"status"_s).toString(), u"canceled"_s);
    QCOMPARE(call.value(u"duration"_s).toInt(-1), 0);
    QVERIFY(call.value(u"answered_at"_s).isNull());
    QVERIFY(isRfc3339Utc(call.value(u"end_time"_s).toString()));
}

void tst_Api::terminate_isIdempotent_data()
{
    QTest::addColumn<QString>("ending");
    QTest::addColumn<QString>("status");

    QTest::addRow("canceled by the operator") << u"cancel"_s << u"canceled"_s;
    QTest::addRow("completed by the operator") << u"complete"_s << u"completed"_s;
    QTest::addRow("completed by the far end") << u"far end"_s << u"completed"_s;
    QTest::addRow("failed as busy") << u"busy"_s << u"failed"_s;
}

void tst_Api::terminate_isIdempotent()
{
    QFETCH(QString, ending);
    QFETCH(QString, status);

    auto client = newOperator();
    QString id;
    HttpResult first;
    if (ending == u"cancel"_s || ending == u"complete"_s) {
        id = ending == u"cancel"_s ? initiateCall(*client, u"+12025550199"_s) : activeCall(*client);
        first = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    } else {
        id = initiateCall(*client, ending == u"busy"_s ? u"+12025550101"_s : u"+12025550201"_s);
        QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(callStatus(*client, id), status, 5000);
        first = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    }
    QVERIFY(!id.isEmpty());
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json.value(u"status"_s).toString(), status);
    const QJsonObject recorded = fetchCall(*client, id);
    QCOMPARE(first.json.value(u"duration"_s), recorded.value(u"duration"_s));

    const HttpResult second = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json, first.json);
    QCOMPARE(fetchCall(*client, id), recorded);
}

void tst_Api::terminate_otherUsersCall()
{
    auto alice = newOperator(u"alice"_s);
    auto mallory = newOperator(u"mallory"_s);
    const QString live = initiateCall(*alice, u"+12025550199"_s);
    QVERIFY(!live.isEmpty());
    const QJsonObject before = fetchCall(*alice, live);

    expectForeignCall();
    const HttpResult result = mallory->post(u"/api/calls/terminate"_s, {{u"call_id"_s, live}});
    VERIFY_ERROR(result, 403, u"unauthorized"_s);
    QCOMPARE(result.json.value(u"message"_s).toString(), u"No access to this call"_s);
    QCOMPARE(fetchCall(*alice, live), before);

    // An ended call is no more reachable than a live one.
    QCOMPARE(alice->post(u"/api/calls/terminate"_s, {{u"call_id"_s, live}}).status, 200);
    expectForeignCall();
    const HttpResult ended = mallory->post(u"/api/calls/terminate"_s, {{u"call_id"_s, live}});
    VERIFY_ERROR(ended, 403, u"unauthorized"_s);
    QCOMPARE(ended.json.value(u"message"_s).toString(), u"No access to this call"_s);
}

void tst_Api::terminate_unknownCall_data()
{
    QTest::addColumn<QString>("callId");
    QTest::addRow("unknown id") << QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::addRow("not an id") << u"garbage"_s;
    QTest::addRow("braced id") << QUuid::createUuid().toString();
}

void tst_Api::terminate_unknownCall()
{
    QFETCH(QString, callId);
    auto client = newOperator();
    VERIFY_ERROR(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}), 404, u"call_not_found"_s);
}

void tst_Api::terminate_rejectsBadBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("call_id missing") << json({}) << u"call_id"_s;
    QTest::addRow("call_id empty") << json({{u"call_id"_s, u""_s}}) << u"call_id"_s;
    QTest::addRow("call_id a number") << json({{u"call_id"_s, 12}}) << u"call_id"_s;
    QTest::addRow("call_id of 65 characters") << json({{u"call_id"_s, QString(65, u'a')}}) << u"call_id"_s;
    QTest::addRow("malformed JSON") << QByteArray(R"({"call_id": )") << u"JSON"_s;
    QTest::addRow("JSON array") << QByteArray(R"(["call"])") << u"object"_s;
    QTest::addRow("empty body") << QByteArray() << u"object"_s;
}

void tst_Api::terminate_rejectsBadBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messagePart);
    auto client = newOperator();
    const HttpResult result = client->send("POST", u"/api/calls/terminate"_s, body);
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    QVERIFY2(result.json.value(u"message"_s).toString().contains(messagePart), result.body.constData());
}

// ---------------------------------------------------------------------------------------------
// History

void tst_Api::history_newestFirst()
{
    const HttpResult result = m_historyOwner->get(u"/api/calls/history"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"total"_s).toInt(), 3);
    QCOMPARE(result.json.value(u"page"_s).toInt(), 1);
    QCOMPARE(result.json.value(u"limit"_s).toInt(), 20);
    QCOMPARE(callIds(result), (QStringList{m_historyCalls[2], m_historyCalls[1], m_historyCalls[0]}));

    QString previous;
    for (const QJsonValue &value : result.json.value(u"calls"_s).toArray()) {
        const QJsonObject call = value.toObject();
        for (const QString &field : {u"call_id"_s, u"phone_number"_s, u"start_time"_s, u"status"_s})
            QVERIFY2(call.value(field).isString(), qPrintable(field));
        QVERIFY(call.value(u"duration"_s).isDouble());
        const QString start = call.value(u"start_time"_s).toString();
        QVERIFY(isRfc3339Utc(start));
        if (!previous.isEmpty())
            QVERIFY2(QDateTime::fromString(start, Qt::ISODateWithMs) < QDateTime::fromString(previous, Qt::ISODateWithMs),
                     qPrintable(start + u" after "_s + previous));
        previous = start;
        // History items are the call objects GET /api/calls/{id} returns, without the offer.
        QJsonObject read = m_historyObjects.at(m_historyCalls.indexOf(call.value(u"call_id"_s).toString()));
        QVERIFY(read.take(u"sdp_offer"_s).isNull()); // an ended call has none to answer
        QCOMPARE(call, read);
    }
}

void tst_Api::history_paging_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("page");
    QTest::addColumn<QList<int>>("expected"); // indexes into m_historyCalls

    QTest::addRow("first of two") << 2 << 1 << QList<int>{2, 1};
    QTest::addRow("second of two") << 2 << 2 << QList<int>{0};
    QTest::addRow("past the end") << 2 << 3 << QList<int>{};
    QTest::addRow("one per page, third") << 1 << 3 << QList<int>{0};
    QTest::addRow("one per page, first") << 1 << 1 << QList<int>{2};
    QTest::addRow("largest limit") << 100 << 1 << QList<int>{2, 1, 0};
}

void tst_Api::history_paging()
{
    QFETCH(int, limit);
    QFETCH(int, page);
    QFETCH(QList<int>, expected);

    const HttpResult result = m_historyOwner->get(u"/api/calls/history?limit=%1&page=%2"_s.arg(limit).arg(page));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"total"_s).toInt(), 3);
    QCOMPARE(result.json.value(u"limit"_s).toInt(), limit);
    QCOMPARE(result.json.value(u"page"_s).toInt(), page);
    QStringList ids;
    for (int index : expected)
        ids.append(m_historyCalls.at(index));
    QCOMPARE(callIds(result), ids);
}

void tst_Api::history_cursor_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<int>>("expected"); // indexes into m_historyCalls, newest first

    QTest::addRow("one per page") << QString() << 1 << QList<int>{2, 1, 0};
    QTest::addRow("two per page") << QString() << 2 << QList<int>{2, 1, 0};
    QTest::addRow("all on the first page") << QString() << 20 << QList<int>{2, 1, 0};
    QTest::addRow("with a search") << u"q=202555"_s << 1 << QList<int>{2, 1, 0};
    QTest::addRow("with a status") << u"status=failed"_s << 1 << QList<int>{1};
}

void tst_Api::history_cursor()
{
    // next_cursor continues where the page ended, with the page number and total of a page read
    // by number; the last page has none.
    QFETCH(QString, filter);
    QFETCH(int, limit);
    QFETCH(QList<int>, expected);
    QStringList ids;
    QString cursor;
    for (int page = 1;; ++page) {
        QString query = u"/api/calls/history?limit=%1"_s.arg(limit);
        if (!filter.isEmpty())
            query += u'&' + filter;
        if (!cursor.isEmpty())
            query += u"&cursor="_s + cursor;
        const HttpResult result = m_historyOwner->get(query);
        QVERIFY2(result.status == 200, result.body.constData());
        QCOMPARE(result.json.value(u"page"_s).toInt(), page);
        QCOMPARE(result.json.value(u"total"_s).toInt(), int(expected.size()));
        QCOMPARE(callIds(result), callIds(m_historyOwner->get(query.section(u"&cursor="_s, 0, 0)
                                                              + u"&page=%1"_s.arg(page))));
        ids += callIds(result);
        QVERIFY(result.json.contains(u"next_cursor"_s));
        if (result.json.value(u"next_cursor"_s).isNull())
            break;
        cursor = result.json.value(u"next_cursor"_s).toString();
        QVERIFY2(page < 10, "the cursor goes on for ever");
    }
    QStringList wanted;
    for (int index : expected)
        wanted.append(m_historyCalls.at(index));
    QCOMPARE(ids, wanted);
}

void tst_Api::history_filters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QList<int>>("expected");

    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QString middleStart = m_historyObjects.value(1).value(u"start_time"_s).toString();
    QVERIFY(!middleStart.isEmpty());

    QTest::addRow("no filter") << QString() << QList<int>{2, 1, 0};
    QTest::addRow("status canceled") << u"status=canceled"_s << QList<int>{0};
    QTest::addRow("status failed") << u"status=failed"_s << QList<int>{1};
    QTest::addRow("status completed") << u"status=completed"_s << QList<int>{2};
    QTest::addRow("status active") << u"status=active"_s << QList<int>{};
    QTest::addRow("q digits") << u"q=0150"_s << QList<int>{0};
    QTest::addRow("q common prefix") << u"q=202555"_s << QList<int>{2, 1, 0};
    QTest::addRow("q with punctuation") << u"q="_s + percent(u"+1 (202) 555-0160"_s) << QList<int>{2};
    QTest::addRow("q matching nothing") << u"q=999"_s << QList<int>{};
    QTest::addRow("q and status") << u"q=0101&status=failed"_s << QList<int>{1};
    QTest::addRow("q and other status") << u"q=0101&status=completed"_s << QList<int>{};
    QTest::addRow("date_from today") << u"date_from="_s + today.toString(Qt::ISODate) << QList<int>{2, 1, 0};
    QTest::addRow("date_from tomorrow") << u"date_from="_s + today.addDays(1).toString(Qt::ISODate) << QList<int>{};
    QTest::addRow("date_to today, the whole day") << u"date_to="_s + today.toString(Qt::ISODate) << QList<int>{2, 1, 0};
    QTest::addRow("date_to yesterday") << u"date_to="_s + today.addDays(-1).toString(Qt::ISODate) << QList<int>{};
    QTest::addRow("date_from a call's start") << u"date_from="_s + percent(middleStart) << QList<int>{2, 1};
    QTest::addRow("date_to a call's start") << u"date_to="_s + percent(middleStart) << QList<int>{1, 0};
    QTest::addRow("exactly one call's start")
        << u"date_from=%1&date_to=%1"_s.arg(percent(middleStart)) << QList<int>{1};
    QTest::addRow("date range and status")
        << u"date_from=%1&date_to=%2&status=completed"_s.arg(today.addDays(-1).toString(Qt::ISODate),
                                                              today.toString(Qt::ISODate))
        << QList<int>{2};
    QTest::addRow("date_from with offset")
        << u"date_from="_s + percent(QDateTime::fromString(middleStart, Qt::ISODateWithMs).toOffsetFromUtc(3600).toString(Qt::ISODateWithMs))
        << QList<int>{2, 1};
}

void tst_Api::history_filters()
{
    QFETCH(QString, query);
    QFETCH(QList<int>, expected);

    const HttpResult result = m_historyOwner->get(u"/api/calls/history?"_s + query);
    QVERIFY2(result.status == 200, result.body.constData());
    QStringList ids;
    for (int index : expected)
        ids.append(m_historyCalls.at(index));
    QCOMPARE(callIds(result), ids);
    QCOMPARE(result.json.value(u"total"_s).toInt(), int(expected.size()));
}

void tst_Api::history_rejectsBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("limit 0") << u"limit=0"_s << u"limit"_s;
    QTest::addRow("limit 101") << u"limit=101"_s << u"limit"_s;
    QTest::addRow("limit negative") << u"limit=-5"_s << u"limit"_s;
    QTest::addRow("limit not a number") << u"limit=ten"_s << u"limit"_s;
    QTest::addRow("limit fractional") << u"limit=1.5"_s << u"limit"_s;
    QTest::addRow("page 0") << u"page=0"_s << u"page"_s;
    QTest::addRow("page not a number") << u"page=first"_s << u"page"_s;
    QTest::addRow("date_from month 13") << u"date_from=2024-13-01"_s << u"date_from"_s;
    QTest::addRow("date_from February 30") << u"date_from=2024-02-30"_s << u"date_from"_s;
    QTest::addRow("date_from a word") << u"date_from=yesterday"_s << u"date_from"_s;
    QTest::addRow("date_from hour 25") << u"date_from=2024-01-01T25:00:00Z"_s << u"date_from"_s;
    QTest::addRow("date_to without a zone") << u"date_to=2024-01-01T10:00:00"_s << u"date_to"_s;
    QTest::addRow("date_to day first") << u"date_to=01-02-2024"_s << u"date_to"_s;
    QTest::addRow("date_from after date_to") << u"date_from=2024-02-02&date_to=2024-02-01"_s << u"date_from"_s;
    QTest::addRow("status unknown") << u"status=ringing"_s << u"status"_s;
    QTest::addRow("q with letters") << u"q=abc"_s << u"q"_s;
    QTest::addRow("q with a wildcard") << u"q=%25"_s << u"q"_s;
    QTest::addRow("q of 33 digits") << u"q="_s + QString(33, u'1') << u"q"_s;
    QTest::addRow("cursor not one of ours") << u"cursor=bm90LWEtY3Vyc29y"_s << u"cursor"_s;
    QTest::addRow("cursor not base64") << u"cursor=%25%25%25"_s << u"cursor"_s;
    QTest::addRow("cursor for page 1") << u"cursor="_s + QString::fromLatin1(QByteArray("1|2026-01-01T00:00:00.000Z|"
        "6b0e8d2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
        << u"cursor"_s;
}

void tst_Api::history_rejectsBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, messagePart);

    const HttpResult result = m_historyOwner->get(u"/api/calls/history?"_s + query);
    VERIFY_ERROR(result, 400, u"validation_error"_s);
    QVERIFY2(result.json.value(u"message"_s).toString().startsWith(messagePart), result.body.constData());
}

void tst_Api::history_isPrivate()
{
    const HttpResult own = m_stranger->get(u"/api/calls/history?limit=100"_s);
    QCOMPARE(own.status, 200);
    QCOMPARE(callIds(own), QStringList{m_strangerCall});
    QCOMPARE(own.json.value(u"total"_s).toInt(), 1);

    // The stranger dialled the same number as the owner's first call; a search finds only their own.
    QCOMPARE(callIds(m_stranger->get(u"/api/calls/history?q=0150"_s)), QStringList{m_strangerCall});
    QCOMPARE(callIds(m_historyOwner->get(u"/api/calls/history?q=0150"_s)), QStringList{m_historyCalls[0]});

    // A newcomer sees nothing at all.
    auto newcomer = newOperator();
    const HttpResult empty = newcomer->get(u"/api/calls/history"_s);
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.json.value(u"total"_s).toInt(-1), 0);
    QVERIFY(empty.json.value(u"calls"_s).isArray());
    QVERIFY(empty.json.value(u"calls"_s).toArray().isEmpty());
}

// ---------------------------------------------------------------------------------------------
// GET /api/calls/{id}

void tst_Api::getCall_returnsCall()
{
    const HttpResult completed = m_historyOwner->get(u"/api/calls/"_s + m_historyCalls[2]);
    QCOMPARE(completed.status, 200);
    const QJsonObject call = completed.json;
    QCOMPARE(call.value(u"call_id"_s).toString(), m_historyCalls[2]);
    QCOMPARE(call.value(u"phone_number"_s).toString(), u"+12025550160"_s);
    QCOMPARE(call.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(call.value(u"duration"_s).isDouble());
    QVERIFY(isRfc3339Utc(call.value(u"start_time"_s).toString()));
    QVERIFY(isRfc3339Utc(call.value(u"answered_at"_s).toString()));
    QVERIFY(isRfc3339Utc(call.value(u"end_time"_s).toString()));
    QVERIFY(call.value(u"failure_reason"_s).isNull());
    QVERIFY(isUuid(call.value(u"user_id"_s).toString())); // whose call it is, for an admin's event stream

    const QJsonObject busy = m_historyOwner->get(u"/api/calls/"_s + m_historyCalls[1]).json;
    QCOMPARE(busy.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(busy.value(u"failure_reason"_s).toString(), u"busy"_s);
    QCOMPARE(busy.value(u"phone_number"_s).toString(), u"+12025550101"_s);

    const QJsonObject canceled = m_historyOwner->get(u"/api/calls/"_s + m_historyCalls[0]).json;
    QCOMPARE(canceled.value(u"status"_s).toString(), u"canceled"_s);
    QCOMPARE(canceled.value(u"duration"_s).toInt(-1), 0);
}

void tst_Api::getCall_longPollWakesOnChange()
{
    auto client = newOperator(u"longpoll"_s);
    const QString id = initiateCall(*client, u"+12025550178"_s);
    QVERIFY(!id.isEmpty());

    QElapsedTimer waited;
    waited.start();
    QNetworkReply *poll = client->start("GET", u"/api/calls/%1?wait=20&status=connecting"_s.arg(id));
    QSignalSpy finished(poll, &QNetworkReply::finished);
    QVERIFY2(!finished.wait(300), "the long poll answered while the call was still connecting");

    QCOMPARE(client->post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    const HttpResult woken = HttpClient::finish(poll, 5000);
    QCOMPARE(woken.status, 200);
    QCOMPARE(woken.json.value(u"status"_s).toString(), u"active"_s);
    QVERIFY2(waited.elapsed() < 5000, "the long poll was not woken by the change");
    QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}}).status, 200);
}

void tst_Api::getCall_longPollTimesOutUnchanged()
{
    auto client = newOperator(u"longpoll"_s);
    const QString id = initiateCall(*client, u"+12025550179"_s);
    QVERIFY(!id.isEmpty());

    QElapsedTimer waited;
    waited.start();
    const HttpResult unchanged = client->get(u"/api/calls/%1?wait=1&status=connecting"_s.arg(id));
    QCOMPARE(unchanged.status, 200);
    QCOMPARE(unchanged.json.value(u"status"_s).toString(), u"connecting"_s);
    QVERIFY2(waited.elapsed() >= 900, qPrintable(u"answered after %1 ms, before the wait ran out"_s.arg(waited.elapsed())));
    QCOMPARE(client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}}).status, 200);
}

void tst_Api::getCall_longPollAnswersAtOnceWhenStatusDiffers()
{
    QElapsedTimer waited;
    waited.start();
    const HttpResult completed = m_historyOwner->get(u"/api/calls/%1?wait=30&status=connecting"_s.arg(m_historyCalls[2]));
    QCOMPARE(completed.status, 200);
    QCOMPARE(completed.json.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY2(waited.elapsed() < 2000, "a call already past the known status must be answered at once");
}

void tst_Api::getCall_longPollRejectsBadWait_data()
{
    QTest::addColumn<QString>("wait");
    QTest::addRow("not a number") << u"soon"_s;
    QTest::addRow("negative") << u"-1"_s;
    QTest::addRow("over a minute") << u"61"_s;
}

void tst_Api::getCall_longPollRejectsBadWait()
{
    QFETCH(QString, wait);
    const HttpResult result = m_historyOwner->get(u"/api/calls/%1?wait=%2&status=connecting"_s.arg(m_historyCalls[2], wait));
    QCOMPARE(result.status, 400);
    QVERIFY(result.isErrorFormat());
    QCOMPARE(result.errorType(), u"validation_error"_s);
    QVERIFY(result.json.value(u"message"_s).toString().contains(u"wait"_s));
}

void tst_Api::getCall_otherUsersCall()
{
    expectForeignCall();
    const HttpResult result = m_stranger->get(u"/api/calls/"_s + m_historyCalls[2]);
    VERIFY_ERROR(result, 403, u"unauthorized"_s);
    QCOMPARE(result.json.value(u"message"_s).toString(), u"No access to this call"_s);
    QVERIFY(!result.body.contains(m_historyCalls[2].toUtf8()));
    QVERIFY(!result.body.contains("+12025550160"));
}

void tst_Api::getCall_unknown_data()
{
    QTest::addColumn<QString>("path");
    QTest::addRow("unknown id") << u"/api/calls/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::addRow("nil id") << u"/api/calls/00000000-0000-0000-0000-000000000000"_s;
    QTest::addRow("garbage") << u"/api/calls/garbage"_s;
    QTest::addRow("digits") << u"/api/calls/12345"_s;
    QTest::addRow("SQL") << u"/api/calls/"_s + percent(u"1' OR '1'='1"_s);
    QTest::addRow("very long") << u"/api/calls/"_s + QString(500, u'f');
}

void tst_Api::getCall_unknown()
{
    QFETCH(QString, path);
    VERIFY_ERROR(m_historyOwner->get(path), 404, u"call_not_found"_s);
}

// ---------------------------------------------------------------------------------------------
// WebRTC config, health, metrics

void tst_Api::webrtcConfig()
{
    const HttpResult result = m_historyOwner->get(u"/api/webrtc/config"_s);
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    QVERIFY(result.json.value(u"iceServers"_s).isArray());
    for (const QJsonValue &server : result.json.value(u"iceServers"_s).toArray())
        QVERIFY(server.toObject().value(u"urls"_s).isArray());
}

void tst_Api::health()
{
    HttpClient anonymous(url());
    const HttpResult result = anonymous.get(u"/system/health"_s);
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    QCOMPARE(result.json.value(u"status"_s).toString(), u"ok"_s);
}

void tst_Api::mockTestNumbers()
{
    HttpClient anonymous(url());
    const HttpResult result = anonymous.get(u"/api/mock/test-numbers"_s);
    QCOMPARE(result.status, 200);
    QSet<QString> outcomes;
    QHash<QString, QString> numberOf;
    for (const QJsonValue &value : result.json.value(u"numbers"_s).toArray()) {
        const QJsonObject entry = value.toObject();
        outcomes.insert(entry.value(u"outcome"_s).toString());
        numberOf.insert(entry.value(u"outcome"_s).toString(), entry.value(u"number"_s).toString());
    }
    QCOMPARE(outcomes, (QSet<QString>{u"answer"_s, u"busy"_s, u"no_answer"_s, u"unavailable"_s, u"hang_up"_s,
                                      u"media_failure"_s}));
    // They do what they say: the unavailable one is refused by the provider, the others are placed.
    HttpClient tester(url());
    tester.registerUser(u"tester"_s);
    QCOMPARE(tester.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, numberOf.value(u"unavailable"_s)}}).status, 503);
    const QString answered = initiateCall(tester, numberOf.value(u"answer"_s));
    QVERIFY(!answered.isEmpty());
    QCOMPARE(tester.post(u"/api/calls/terminate"_s, {{u"call_id"_s, answered}}).status, 200);
}

void tst_Api::metrics_reflectCalls()
{
    HttpClient anonymous(url());
    auto scrape = [&anonymous]() { return parseMetrics(anonymous.get(u"/metrics"_s).body); };
    const QString initiate200 = u"switchboard_http_requests_total{method=\"POST\",route=\"/api/calls/initiate\",status=\"200\"}"_s;
    const QString initiate503 = u"switchboard_http_requests_total{method=\"POST\",route=\"/api/calls/initiate\",status=\"503\"}"_s;
    const QString initiateCount = u"switchboard_http_request_duration_seconds_count{route=\"/api/calls/initiate\"}"_s;

    const HttpResult exposition = anonymous.get(u"/metrics"_s);
    QCOMPARE(exposition.status, 200);
    QVERIFY2(exposition.header("Content-Type").startsWith("text/plain; version=0.0.4"),
             exposition.header("Content-Type").constData());
    const QByteArray &beforeText = exposition.body;
    const QHash<QString, double> before = parseMetrics(beforeText);
    // Every line is a comment or a sample in the text format: name{labels} value.
    static const QRegularExpression sample(
        u"^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*\\})? [-+]?([0-9.]+([eE][-+]?[0-9]+)?|Inf|NaN)$"_s);
    for (const QByteArray &line : beforeText.split('\n')) {
        if (!line.isEmpty() && !line.startsWith("# HELP ") && !line.startsWith("# TYPE "))
            QVERIFY2(sample.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }
    for (const char *family : {"switchboard_calls_initiated_total", "switchboard_calls_completed_total",
                               "switchboard_call_duration_seconds_average", "switchboard_voip_error_rate",
                               "switchboard_active_sessions"}) {
        QVERIFY2(before.contains(QString::fromLatin1(family)), family);
        QVERIFY2(beforeText.contains(QByteArray("# TYPE ") + family + ' '), family);
    }
    QVERIFY(beforeText.contains("# TYPE switchboard_http_requests_total counter"));
    QVERIFY(beforeText.contains("# TYPE switchboard_http_request_duration_seconds histogram"));
    QVERIFY(before.contains(initiate200)); // earlier tests initiated calls
    QVERIFY(before.contains(u"switchboard_http_request_duration_seconds_bucket{route=\"/api/calls/initiate\",le=\"+Inf\"}"_s));

    // A call that becomes active counts as a live session …
    auto client = newOperator(u"metrics"_s);
    const QString id = activeCall(*client);
    QVERIFY(!id.isEmpty());
    const QHash<QString, double> during = scrape();
    QCOMPARE(during.value(u"switchboard_active_sessions"_s), before.value(u"switchboard_active_sessions"_s) + 1);
    QCOMPARE(during.value(u"switchboard_calls_initiated_total"_s),
             before.value(u"switchboard_calls_initiated_total"_s) + 1);

    // … and once completed, in the completed count and the average duration.
    const HttpResult ended = client->post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    QCOMPARE(ended.status, 200);
    const double duration = ended.json.value(u"duration"_s).toDouble();
    const QHash<QString, double> after = scrape();
    const double completedBefore = before.value(u"switchboard_calls_completed_total"_s);
    QCOMPARE(after.value(u"switchboard_calls_completed_total"_s), completedBefore + 1);
    QCOMPARE(after.value(u"switchboard_active_sessions"_s), before.value(u"switchboard_active_sessions"_s));
    const double expectedAverage =
        (before.value(u"switchboard_call_duration_seconds_average"_s) * completedBefore + duration) / (completedBefore + 1);
    QVERIFY(qAbs(after.value(u"switchboard_call_duration_seconds_average"_s) - expectedAverage) < 1e-6);
    QCOMPARE(after.value(initiate200), before.value(initiate200) + 1);

    // A provider failure moves the error figures.
    expectProviderFailure();
    VERIFY_ERROR(client->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550103"_s}}), 503,
                 u"call_initiation_failed"_s);
    const QHash<QString, double> failed = scrape();
    QCOMPARE(failed.value(initiate503), before.value(initiate503) + 1);
    QCOMPARE(failed.value(u"switchboard_voip_errors_total"_s), before.value(u"switchboard_voip_errors_total"_s) + 1);
    const double initiated = failed.value(u"switchboard_calls_initiated_total"_s);
    QCOMPARE(initiated, before.value(u"switchboard_calls_initiated_total"_s) + 2);
    const double rate = failed.value(u"switchboard_voip_error_rate"_s);
    QVERIFY(rate > 0);
    QVERIFY(qAbs(rate - failed.value(u"switchboard_voip_errors_total"_s) / initiated) < 1e-9);
    QCOMPARE(failed.value(initiateCount), before.value(initiateCount) + 2);

    // The latency histogram is cumulative and its +Inf bucket is the count.
    double previous = 0;
    for (const double bound : {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5}) {
        const QString bucket = u"switchboard_http_request_duration_seconds_bucket{route=\"/api/calls/initiate\",le=\"%1\"}"_s
                                   .arg(QString::number(bound));
        QVERIFY2(failed.contains(bucket), qPrintable(bucket));
        QVERIFY(failed.value(bucket) >= previous);
        previous = failed.value(bucket);
    }
    QCOMPARE(failed.value(u"switchboard_http_request_duration_seconds_bucket{route=\"/api/calls/initiate\",le=\"+Inf\"}"_s),
             failed.value(initiateCount));
    QVERIFY(previous <= failed.value(initiateCount));
}

// ---------------------------------------------------------------------------------------------
// Token attacks

QJsonObject tst_Api::validClaims() const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return {
        {u"sub"_s, m_victimId},
        {u"email"_s, m_victimEmail},
        {u"iat"_s, now - 10},
        {u"nbf"_s, now - 10},
        {u"exp"_s, now + 3600},
        {u"jti"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
    };
}

void tst_Api::forgedToken_isAccepted()
{
    // The attacks below are only meaningful if a token built the same way with the right key works.
    const QByteArray key(TestBackend::kSecret);
    const QString token = signJwt({{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}}, validClaims(), key);
    HttpClient client(url());
    client.setToken(token);
    QCOMPARE(client.get(u"/api/webrtc/config"_s).status, 200);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);
    client.setToken(m_victimToken);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);
}

void tst_Api::tokenAttacks_data()
{
    QTest::addColumn<QByteArray>("authorization");

    const QByteArray key(TestBackend::kSecret);
    const QJsonObject hs256{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
    const QJsonObject claims = validClaims();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto bearer = [](const QString &token) { return "Bearer " + token.toLatin1(); };
    auto with = [&claims](const QString &name, const QJsonValue &value) {
        QJsonObject changed = claims;
        changed.insert(name, value);
        return changed;
    };
    auto without = [&claims](const QString &name) {
        QJsonObject changed = claims;
        changed.remove(name);
        return changed;
    };

    QTest::addRow("alg none, no signature") << bearer(unsignedJwt({{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}}, claims));
    QTest::addRow("alg None, no signature") << bearer(unsignedJwt({{u"alg"_s, u"None"_s}}, claims));
    QTest::addRow("alg none, HS256 signature")
        << bearer(signJwt({{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}}, claims, key));
    QTest::addRow("no alg") << bearer(signJwt({{u"typ"_s, u"JWT"_s}}, claims, key));
    QTest::addRow("HS512 with the right key")
        << bearer(signJwt({{u"alg"_s, u"HS512"_s}, {u"typ"_s, u"JWT"_s}}, claims, key, QCryptographicHash::Sha512));
    QTest::addRow("HS384 with the right key")
        << bearer(signJwt({{u"alg"_s, u"HS384"_s}, {u"typ"_s, u"JWT"_s}}, claims, key, QCryptographicHash::Sha384));
    QTest::addRow("RS256 header, HMAC with the key")
        << bearer(signJwt({{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}}, claims, key));
    QTest::addRow("HS256 header, HS512 signature")
        << bearer(signJwt(hs256, claims, key, QCryptographicHash::Sha512));
    QTest::addRow("wrong key") << bearer(signJwt(hs256, claims, "another-secret-another-secret-another-secret"));
    QTest::addRow("empty key") << bearer(signJwt(hs256, claims, QByteArray()));

    // The victim's own token with a different payload spliced in.
    const QStringList parts = m_victimToken.split(u'.');
    QJsonObject stolen = jwtPart(m_victimToken, 1);
    stolen.insert(u"sub"_s, m_otherUserId);
    const QString spliced = signJwt(hs256, stolen, "x").section(u'.', 1, 1);
    QTest::addRow("tampered payload, original signature")
        << bearer(parts[0] + u'.' + spliced + u'.' + parts[2]);
    QJsonObject extended = jwtPart(m_victimToken, 1);
    extended.insert(u"exp"_s, extended.value(u"exp"_s).toInteger() + 86400 * 365);
    QTest::addRow("extended expiry, original signature")
        << bearer(parts[0] + u'.' + signJwt(hs256, extended, "x").section(u'.', 1, 1) + u'.' + parts[2]);
    QTest::addRow("signature dropped") << bearer(parts[0] + u'.' + parts[1] + u'.');
    QTest::addRow("signature with padding") << bearer(m_victimToken + u"="_s);
    QTest::addRow("signature bit flipped") << bearer(parts[0] + u'.' + parts[1] + u'.' + (parts[2].startsWith(u'A') ? u'B' : u'A') + parts[2].mid(1));

    QJsonObject expired = with(u"exp"_s, now - 3600);
    expired.insert(u"iat"_s, now - 7200);
    expired.insert(u"nbf"_s, now - 7200);
    QTest::addRow("expired an hour ago") << bearer(signJwt(hs256, expired, key));
    QTest::addRow("expired 5 seconds ago") << bearer(signJwt(hs256, with(u"exp"_s, now - 5), key));
    QTest::addRow("not valid for an hour") << bearer(signJwt(hs256, with(u"nbf"_s, now + 3600), key));
    QTest::addRow("issued in an hour") << bearer(signJwt(hs256, with(u"iat"_s, now + 3600), key));
    QTest::addRow("missing exp") << bearer(signJwt(hs256, without(u"exp"_s), key));
    QTest::addRow("exp a string") << bearer(signJwt(hs256, with(u"exp"_s, QString::number(now + 3600)), key));
    QTest::addRow("exp null") << bearer(signJwt(hs256, with(u"exp"_s, QJsonValue::Null), key));
    QTest::addRow("missing sub") << bearer(signJwt(hs256, without(u"sub"_s), key));
    QTest::addRow("missing jti") << bearer(signJwt(hs256, without(u"jti"_s), key));
    QTest::addRow("payload not an object")
        << bearer(QString::fromLatin1(base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.' + base64Url("[1,2]") + '.')
                  + QString::fromLatin1(base64Url(QMessageAuthenticationCode::hash(
                      base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.' + base64Url("[1,2]"), key,
                      QCryptographicHash::Sha256))));

    QTest::addRow("revoked") << bearer(m_revokedToken);
    QTest::addRow("garbled") << QByteArray("Bearer not-a-token");
    QTest::addRow("three dots") << QByteArray("Bearer ...");
    QTest::addRow("two parts") << bearer(parts[0] + u'.' + parts[1]);
    QTest::addRow("four parts") << bearer(m_victimToken + u".AAAA"_s);
    QTest::addRow("token without scheme") << m_victimToken.toLatin1();
    QTest::addRow("bearer twice") << "Bearer Bearer " + m_victimToken.toLatin1();
    QTest::addRow("binary") << QByteArray("Bearer \x01\x02\x03\xff", 11);
}

void tst_Api::tokenAttacks()
{
    QFETCH(QByteArray, authorization);

    HttpClient client(url());
    expectRejectedToken(u"/api/webrtc/config"_s);
    expectRejectedToken(u"/api/calls/history"_s);
    expectRejectedToken(u"/api/calls/initiate"_s);
    for (const QString &path : {u"/api/webrtc/config"_s, u"/api/calls/history"_s}) {
        const HttpResult result = client.send("GET", path, {}, {{"Authorization", authorization}});
        VERIFY_ERROR(result, 401, u"unauthorized"_s);
        QVERIFY(result.header("WWW-Authenticate").startsWith("Bearer"));
    }
    const HttpResult initiate = client.send("POST", u"/api/calls/initiate"_s,
                                            json({{u"phone_number"_s, u"+12025550199"_s}}),
                                            {{"Authorization", authorization}});
    VERIFY_ERROR(initiate, 401, u"unauthorized"_s);
}

void tst_Api::log_neverContainsSecrets()
{
    QVERIFY2(m_log->messages().size() > 50, "the backend logged almost nothing: is the capture working?");
    const QString leak = m_log->firstContaining({kPassword, u"wrong password"_s, u"another password"_s,
                                                  QString(128, u'p'), QString::fromLatin1(TestBackend::kSecret),
                                                  u"eyJ"_s /* the start of every JSON Web Token */});
    QVERIFY2(leak.isEmpty(), qPrintable(u"logged a secret: "_s + leak));
}

QTEST_GUILESS_MAIN(tst_Api)
#include "tst_api.moc"
