// Two `switchboard --headless` processes on one PostgreSQL database, as users who outgrow one
// machine run them: a call placed on one is ended through the other, both tell the same history
// and metrics, and login limits and revoked tokens hold across both. The mock provider's far end
// lives in the process that placed the call: the other refuses to answer it (409) and the holder
// ends the far end at its next sweep after a hang-up made elsewhere. With Twilio (a fake one in
// this process) either instance acts on any call: Twilio's signed callbacks reach whichever the
// load balancer picks, and a hang-up on either ends the call at Twilio.

#include "faketwilio.h"
#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;
using Switchboard::DatabaseUrl;

namespace {

const QString kPassword = u"correct horse battery"_s;
constexpr int kLoginLimit = 4;

/// Login limits count per minute of the clock (AuthService's windows): attempts that must add up
/// have to fall into one, so they start early enough in it.
void waitForAMinuteWithRoom(int neededSeconds)
{
    const int second = int(QDateTime::currentSecsSinceEpoch() % 60);
    if (second > 60 - neededSeconds)
        QTest::qWait((60 - second) * 1000 + 100);
}

double initiatedTotal(HttpClient &client)
{
    return metricValue(parseMetrics(client.get(u"/metrics"_s).body), u"switchboard_calls_initiated_total"_s);
}

} // namespace

class tst_MultiInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoInstancesShareOneDatabase();
    void twoInstancesShareTeamPolicyAndSessions();
    void twilioCallsAcrossInstances();
};

void tst_MultiInstance::twoInstancesShareOneDatabase()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    if (database.url()->engine != DatabaseUrl::Engine::Postgres)
        QSKIP("several instances share a PostgreSQL database; SQLite is one machine's");
    const QString url = databaseArgument(*database.url());
    QTemporaryDir dir;
    // One JWT secret for both, as a deployment of several instances configures it.
    const QString secret = u"multi-instance-secret-"_s + QUuid::createUuid().toString(QUuid::Id128);
    const auto environmentOf = [&](const QString &instance) {
        return QHash<QString, QString>{{u"INSTANCE_ID"_s, instance},
                                       {u"JWT_SECRET"_s, secret},
                                       {u"LOGIN_RATE_LIMIT"_s, QString::number(kLoginLimit)},
                                       {u"SESSION_SWEEP_INTERVAL_MS"_s, u"200"_s}};
    };
    auto first = ServerProcess::serve(dir.filePath(u"a"_s), url, environmentOf(u"instance-a"_s));
    VERIFY_RUNNING_HEALTHY(*first);
    auto second = ServerProcess::serve(dir.filePath(u"b"_s), url, environmentOf(u"instance-b"_s));
    VERIFY_RUNNING_HEALTHY(*second);

    // Registered on one, logged in on the other; either's token works on both.
    const QString email = HttpClient::uniqueEmail(u"multi"_s);
    HttpClient onA(first->baseUrl());
    const HttpResult registered = onA.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(registered.status, 201);
    onA.setToken(registered.json.value(u"token"_s).toString());
    HttpClient onB(second->baseUrl());
    waitForAMinuteWithRoom(30); // this login and the wrong passwords below are counted together
    const HttpResult loggedIn = onB.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(loggedIn.status, 200);
    onB.setToken(onA.token());

    // Placed on A, refused an answer on B (the far end lives in A), ended through B.
    const QString callId = initiateCall(onA, u"+12025550199"_s);
    QVERIFY(!callId.isEmpty());
    const HttpResult answeredOnB = onB.post(u"/api/calls/answer"_s, {{u"call_id"_s, callId}, {u"sdp_answer"_s, sdpAnswer()}});
    QCOMPARE(answeredOnB.status, 409);
    QCOMPARE(answeredOnB.json.value(u"error"_s).toString(), u"invalid_call_state"_s);
    QVERIFY2(answeredOnB.json.value(u"message"_s).toString().contains(u"another Switchboard instance"_s),
             answeredOnB.body.constData());
    QCOMPARE(onA.post(u"/api/calls/answer"_s, {{u"call_id"_s, callId}, {u"sdp_answer"_s, sdpAnswer()}}).status, 200);
    QTRY_COMPARE(callStatus(onA, callId), u"active"_s);
    const HttpResult ended = onB.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(callStatus(onA, callId), u"completed"_s);
    // A, which holds the far end, lets it go at its next sweep.
    QTRY_VERIFY2_WITH_TIMEOUT(first->output().contains(u"ended through another instance"_s), qPrintable(first->output()),
                              5000);

    // The same history and metrics from both.
    const QString placedOnB = initiateCall(onB, u"+12025550199"_s);
    QVERIFY(!placedOnB.isEmpty());
    QCOMPARE(onA.post(u"/api/calls/terminate"_s, {{u"call_id"_s, placedOnB}}).status, 200);
    const HttpResult historyA = onA.get(u"/api/calls/history"_s);
    const HttpResult historyB = onB.get(u"/api/calls/history"_s);
    QCOMPARE(historyA.status, 200);
    QCOMPARE(historyA.json.value(u"total"_s).toInt(), 2);
    QCOMPARE(historyA.json.value(u"calls"_s).toArray(), historyB.json.value(u"calls"_s).toArray());
    QCOMPARE(initiatedTotal(onA), initiatedTotal(onB));
    QVERIFY(initiatedTotal(onA) >= 2);

    // Wrong passwords, alternately on each: the limit counts every attempt on both together, the
    // successful login on B above being the first.
    HttpClient guesser(first->baseUrl());
    HttpClient otherGuesser(second->baseUrl());
    for (int i = 1; i < kLoginLimit; ++i) {
        HttpClient &client = i % 2 ? otherGuesser : guesser;
        QCOMPARE(client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, u"wrong password"_s}}).status, 401);
    }
    for (HttpClient *client : {&guesser, &otherGuesser}) {
        const HttpResult limited = client->post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
        QCOMPARE(limited.status, 429);
    }

    // Logged out on B: the token is dead on A as well.
    QCOMPARE(onB.post(u"/api/auth/logout"_s, QJsonObject{}).status, 204);
    QCOMPARE(onA.get(u"/api/calls/history"_s).status, 401);

    for (ServerProcess *server : {first.get(), second.get()}) {
        server->process().terminate();
        VERIFY_CLEAN_EXIT(*server);
    }
}

void tst_MultiInstance::twoInstancesShareTeamPolicyAndSessions()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    if (database.url()->engine != DatabaseUrl::Engine::Postgres)
        QSKIP("several instances share a PostgreSQL database; SQLite is one machine's");
    const QString url = databaseArgument(*database.url());
    QTemporaryDir dir;
    const QString secret = u"multi-instance-secret-"_s + QUuid::createUuid().toString(QUuid::Id128);
    const auto environmentOf = [&](const QString &instance) {
        return QHash<QString, QString>{{u"INSTANCE_ID"_s, instance}, {u"JWT_SECRET"_s, secret}, {u"VOIP_MOCK_MEDIA"_s, u"off"_s}};
    };
    auto first = ServerProcess::serve(dir.filePath(u"a"_s), url, environmentOf(u"instance-a"_s));
    VERIFY_RUNNING_HEALTHY(*first);
    auto second = ServerProcess::serve(dir.filePath(u"b"_s), url, environmentOf(u"instance-b"_s));
    VERIFY_RUNNING_HEALTHY(*second);

    // The admin works on A, the operators on B.
    HttpClient admin(first->baseUrl());
    QVERIFY(!admin.registerUser(u"admin"_s).isEmpty());
    HttpClient operatorOnB(second->baseUrl());
    const QString operatorId = operatorOnB.registerUser(u"operator"_s);
    QVERIFY(!operatorId.isEmpty());
    HttpClient colleagueOnB(second->baseUrl());
    const QString colleagueId = colleagueOnB.registerUser(u"colleague"_s);
    QVERIFY(!colleagueId.isEmpty());

    // A policy set on A holds on B: the country, and the team's calls at once across both.
    const QByteArray policy =
        R"({"allowed_countries":["US"],"calls_per_operator_per_day":0,"max_call_duration_seconds":0,"max_concurrent_calls":1})";
    QCOMPARE(admin.send("PUT", u"/api/policy"_s, policy).status, 200);
    const HttpResult germany = operatorOnB.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+49 151 23456789"_s}});
    QCOMPARE(germany.status, 403);
    QCOMPARE(germany.json.value(u"error"_s).toString(), u"destination_not_allowed"_s);
    const QString onA = initiateCall(admin, u"+12025550199"_s);
    QVERIFY(!onA.isEmpty());
    const HttpResult overTheLimit = operatorOnB.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}});
    QCOMPARE(overTheLimit.status, 429);
    QCOMPARE(admin.post(u"/api/calls/terminate"_s, {{u"call_id"_s, onA}}).status, 200);

    // A role given on A is the role on B: the tokens from before the change are refused there at
    // once, and the next login on B is an admin's. A user disabled on A is refused on B at once.
    QCOMPARE(operatorOnB.get(u"/api/users"_s).status, 403);
    const QString operatorEmail = jwtPart(operatorOnB.token(), 1).value(u"email"_s).toString();
    QCOMPARE(admin.send("PATCH", u"/api/users/"_s + operatorId, R"({"role":"admin"})").status, 200);
    QCOMPARE(operatorOnB.get(u"/api/users"_s).status, 401);
    QTest::qWait(1100); // token times are whole seconds: a login after the change is the next one
    const HttpResult again = operatorOnB.post(u"/api/auth/login"_s, {{u"email"_s, operatorEmail}, {u"password"_s, kPassword}});
    QCOMPARE(again.status, 200);
    operatorOnB.setToken(again.json.value(u"token"_s).toString());
    QCOMPARE(operatorOnB.get(u"/api/users"_s).status, 200);
    QCOMPARE(admin.send("PATCH", u"/api/users/"_s + colleagueId, R"({"disabled":true})").status, 200);
    QCOMPARE(colleagueOnB.get(u"/api/calls/history"_s).status, 401);

    // A token refreshed on B, the login ended on A: every token of that login is dead on both.
    const HttpResult refreshed = operatorOnB.post(u"/api/auth/refresh"_s, QJsonObject{});
    QCOMPARE(refreshed.status, 200);
    HttpClient operatorOnA(first->baseUrl());
    operatorOnA.setToken(refreshed.json.value(u"token"_s).toString());
    QCOMPARE(operatorOnA.post(u"/api/auth/logout"_s, QJsonObject{}).status, 204);
    QCOMPARE(operatorOnB.get(u"/api/calls/history"_s).status, 401);
    operatorOnB.setToken(refreshed.json.value(u"token"_s).toString());
    QCOMPARE(operatorOnB.get(u"/api/calls/history"_s).status, 401);

    for (ServerProcess *server : {first.get(), second.get()}) {
        server->process().terminate();
        VERIFY_CLEAN_EXIT(*server);
    }
}

void tst_MultiInstance::twilioCallsAcrossInstances()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    if (database.url()->engine != DatabaseUrl::Engine::Postgres)
        QSKIP("several instances share a PostgreSQL database; SQLite is one machine's");
    FakeTwilio twilio;
    QVERIFY(twilio.listen());
    const QString url = databaseArgument(*database.url());
    QTemporaryDir dir;
    const QString secret = u"multi-instance-secret-"_s + QUuid::createUuid().toString(QUuid::Id128);
    const QString publicUrl = u"https://switchboard.example.com"_s;
    const auto environmentOf = [&](const QString &instance) {
        return QHash<QString, QString>{{u"INSTANCE_ID"_s, instance},
                                       {u"JWT_SECRET"_s, secret},
                                       {u"VOIP_PROVIDER"_s, u"twilio"_s},
                                       {u"VOIP_ACCOUNT_SID"_s, QString::fromLatin1(FakeTwilio::kAccountSid)},
                                       {u"VOIP_AUTH_TOKEN"_s, QString::fromLatin1(FakeTwilio::kAuthToken)},
                                       {u"VOIP_FROM_NUMBER"_s, QString::fromLatin1(FakeTwilio::kFromNumber)},
                                       {u"VOIP_API_BASE_URL"_s, twilio.baseUrl().toString()},
                                       {u"VOICE_PUBLIC_BASE_URL"_s, publicUrl},
                                       {u"SESSION_SWEEP_INTERVAL_MS"_s, u"200"_s}};
    };
    auto first = ServerProcess::serve(dir.filePath(u"a"_s), url, environmentOf(u"instance-a"_s));
    VERIFY_RUNNING_HEALTHY(*first);
    auto second = ServerProcess::serve(dir.filePath(u"b"_s), url, environmentOf(u"instance-b"_s));
    VERIFY_RUNNING_HEALTHY(*second);
    HttpClient onA(first->baseUrl());
    QVERIFY(!onA.registerUser(u"twilio-multi"_s).isEmpty());
    HttpClient onB(second->baseUrl());
    onB.setToken(onA.token());

    // Placed on A; Twilio reports to B: B applies it, with Twilio's duration.
    const QString answered = initiateCall(onA, u"+4915123456789"_s);
    QVERIFY(!answered.isEmpty());
    const QString answeredSid = fetchCall(onA, answered).value(u"session_id"_s).toString();
    twilio.deliverCallbacksTo(second->baseUrl());
    twilio.setCallStatus(answeredSid, u"in-progress"_s);
    QTRY_COMPARE(callStatus(onA, answered), u"active"_s);
    twilio.setCallStatus(answeredSid, u"completed"_s, 17);
    QTRY_COMPARE(callStatus(onA, answered), u"completed"_s);
    QCOMPARE(fetchCall(onA, answered).value(u"duration"_s).toInt(), 17);
    for (const FakeTwilioCallbacks::Delivery &delivery : twilio.callbacks().deliveriesFor(answeredSid))
        QCOMPARE(delivery.status, 204);

    // Placed on A, hung up on B: B ends it at Twilio although it never held it.
    const QString hungUp = initiateCall(onA, u"+4915123456789"_s);
    const QString hungUpSid = fetchCall(onA, hungUp).value(u"session_id"_s).toString();
    twilio.setCallStatus(hungUpSid, u"ringing"_s);
    const HttpResult ended = onB.post(u"/api/calls/terminate"_s, {{u"call_id"_s, hungUp}});
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"canceled"_s);
    QTRY_COMPARE(twilio.call(hungUpSid)->status, u"canceled"_s);
    QList<FakeTwilio::Request> updates;
    for (const FakeTwilio::Request &request : twilio.requests("POST")) {
        if (request.path.endsWith(hungUpSid + u".json"_s))
            updates.append(request);
    }
    QVERIFY(!updates.isEmpty());
    QCOMPARE(updates.first().formValue(u"Status"_s), u"completed"_s);

    for (ServerProcess *server : {first.get(), second.get()}) {
        server->process().terminate();
        VERIFY_CLEAN_EXIT(*server);
    }
}

QTEST_GUILESS_MAIN(tst_MultiInstance)
#include "tst_multiinstance.moc"
