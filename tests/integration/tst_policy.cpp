// The calling policy (issue 15): allowed countries, calls per operator per day, calls at once
// and the maximum duration, set by an admin over HTTP and obeyed by every initiate on the mock
// provider (tst_twilioapi checks the same on Twilio); policy changes and calls in the audit trail.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

const QString kGermany = u"+49 151 23456789"_s;
const QString kBritain = u"+44 20 7946 0958"_s;
const QString kCanada = u"+1 416 555 0123"_s;

QJsonObject policy(const QStringList &countries, int perDay, int maxDuration, int concurrent)
{
    return {{u"allowed_countries"_s, QJsonArray::fromStringList(countries)},
            {u"calls_per_operator_per_day"_s, perDay},
            {u"max_call_duration_seconds"_s, maxDuration},
            {u"max_concurrent_calls"_s, concurrent}};
}

HttpResult put(HttpClient &client, const QJsonObject &body)
{
    return client.send("PUT", u"/api/policy"_s, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResult initiate(HttpClient &client, const QString &number)
{
    return client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, number}});
}

QString errorType(const HttpResult &result)
{
    return result.json.value(u"error"_s).toString();
}

int terminate(HttpClient &client, const QString &callId)
{
    return client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status;
}

} // namespace

class tst_Policy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void defaults_allowEverything();
    void replace_validatesEveryField_data();
    void replace_validatesEveryField();
    void onlyAdmins_readOrChangeIt();
    void countries_notAllowed_are403();
    void callsPerDay_limitTheOperator();
    void concurrentCalls_limitTheTeam();
    void maxDuration_endsTheAnsweredCall();
    void auditTrail_recordsPolicyAndCalls();

private:
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_admin;
    std::unique_ptr<HttpClient> m_operator;
    std::unique_ptr<HttpClient> m_other;
    QString m_adminEmail;
};

void tst_Policy::initTestCase()
{
    // The far end picks up at once when no softphone answers: the duration test needs a live call fast.
    m_backend = std::make_unique<TestBackend>(
        QHash<QString, QString>{{u"VOIP_MOCK_ANSWER_WINDOW_MS"_s, u"0"_s}, {u"VOIP_MOCK_RINGBACK_MS"_s, u"0"_s}});
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_admin = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_operator = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_other = std::make_unique<HttpClient>(m_backend->baseUrl());
    QVERIFY(!m_admin->registerUser(u"admin"_s).isEmpty());
    QVERIFY(!m_operator->registerUser(u"operator"_s).isEmpty());
    QVERIFY(!m_other->registerUser(u"other"_s).isEmpty());
    m_adminEmail = m_admin->get(u"/api/users"_s).json.value(u"users"_s).toArray().first().toObject().value(u"email"_s).toString();
    QVERIFY(m_adminEmail.startsWith(u"admin"_s));
}

void tst_Policy::init()
{
    QCOMPARE(put(*m_admin, policy({}, 0, 0, 0)).status, 200);
}

void tst_Policy::cleanupTestCase()
{
    m_backend.reset();
}

void tst_Policy::defaults_allowEverything()
{
    const HttpResult read = m_admin->get(u"/api/policy"_s);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json.value(u"allowed_countries"_s).toArray(), QJsonArray());
    QCOMPARE(read.json.value(u"calls_per_operator_per_day"_s).toInt(-1), 0);
    QCOMPARE(read.json.value(u"max_call_duration_seconds"_s).toInt(-1), 0);
    QCOMPARE(read.json.value(u"max_concurrent_calls"_s).toInt(-1), 0);
    QVERIFY(isRfc3339Utc(read.json.value(u"updated_at"_s).toString()));
    QCOMPARE(read.json.value(u"updated_by"_s).toString(), m_adminEmail);
}

void tst_Policy::replace_validatesEveryField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("unknown country") << QByteArray(R"({"allowed_countries":["XX"],"calls_per_operator_per_day":0,"max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("country not a string") << QByteArray(R"({"allowed_countries":[49],"calls_per_operator_per_day":0,"max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("countries missing") << QByteArray(R"({"calls_per_operator_per_day":0,"max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("negative limit") << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":-1,"max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("fractional limit") << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":1.5,"max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("limit as text") << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":"5","max_call_duration_seconds":0,"max_concurrent_calls":0})");
    QTest::addRow("limit missing") << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":0,"max_call_duration_seconds":0})");
    QTest::addRow("duration over a day") << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":0,"max_call_duration_seconds":86401,"max_concurrent_calls":0})");
    QTest::addRow("not an object") << QByteArray(R"([])");
}

void tst_Policy::replace_validatesEveryField()
{
    QFETCH(QByteArray, body);
    const HttpResult refused = m_admin->send("PUT", u"/api/policy"_s, body);
    QCOMPARE(refused.status, 400);
    QCOMPARE(errorType(refused), u"validation_error"_s);
    // Nothing of it was stored.
    QCOMPARE(m_admin->get(u"/api/policy"_s).json.value(u"allowed_countries"_s).toArray(), QJsonArray());

    // Codes are taken in any case, once each, sorted.
    const HttpResult stored = put(*m_admin, policy({u"gb"_s, u"DE"_s, u"de"_s}, 0, 0, 0));
    QCOMPARE(stored.status, 200);
    QCOMPARE(stored.json.value(u"allowed_countries"_s).toArray(), (QJsonArray{u"DE"_s, u"GB"_s}));
}

void tst_Policy::onlyAdmins_readOrChangeIt()
{
    QCOMPARE(m_operator->get(u"/api/policy"_s).status, 403);
    QCOMPARE(put(*m_operator, policy({u"DE"_s}, 0, 0, 0)).status, 403);
    HttpClient anonymous(m_backend->baseUrl());
    QCOMPARE(anonymous.get(u"/api/policy"_s).status, 401);
    QCOMPARE(m_admin->get(u"/api/policy"_s).json.value(u"allowed_countries"_s).toArray(), QJsonArray());
}

void tst_Policy::countries_notAllowed_are403()
{
    QCOMPARE(put(*m_admin, policy({u"GB"_s, u"US"_s}, 0, 0, 0)).status, 200);
    const HttpResult germany = initiate(*m_operator, kGermany);
    QCOMPARE(germany.status, 403);
    QCOMPARE(errorType(germany), u"destination_not_allowed"_s);
    QVERIFY(germany.json.value(u"message"_s).toString().contains(u"DE"_s));
    // +1 is shared: Canada is not the United States.
    QCOMPARE(errorType(initiate(*m_operator, kCanada)), u"destination_not_allowed"_s);
    // Nothing was placed: the history is empty.
    QCOMPARE(m_operator->get(u"/api/calls/history"_s).json.value(u"total"_s).toInt(-1), 0);

    const HttpResult britain = initiate(*m_operator, kBritain);
    QCOMPARE(britain.status, 200);
    QCOMPARE(terminate(*m_operator, britain.json.value(u"call_id"_s).toString()), 200);
}

void tst_Policy::callsPerDay_limitTheOperator()
{
    const int before = m_operator->get(u"/api/calls/history"_s).json.value(u"total"_s).toInt();
    QCOMPARE(put(*m_admin, policy({}, before + 2, 0, 0)).status, 200);
    for (int i = 0; i < 2; ++i) {
        const HttpResult placed = initiate(*m_operator, kGermany);
        QCOMPARE(placed.status, 200);
        QCOMPARE(terminate(*m_operator, placed.json.value(u"call_id"_s).toString()), 200);
    }
    const HttpResult over = initiate(*m_operator, kGermany);
    QCOMPARE(over.status, 429);
    QCOMPARE(errorType(over), u"call_limit_reached"_s);
    QCOMPARE(m_admin->get(u"/api/audit?action=call_refused&limit=1"_s).json.value(u"events"_s).toArray().first()
                 .toObject().value(u"detail"_s).toString(),
             u"reason=call_limit_reached, calls_per_operator_per_day=%1"_s.arg(before + 2));
    QCOMPARE(m_operator->get(u"/api/calls/history"_s).json.value(u"total"_s).toInt(), before + 2);
    // The limit is the operator's own: a colleague still calls.
    const HttpResult colleague = initiate(*m_other, kGermany);
    QCOMPARE(colleague.status, 200);
    QCOMPARE(terminate(*m_other, colleague.json.value(u"call_id"_s).toString()), 200);
    // Raised again, the operator calls again.
    QCOMPARE(put(*m_admin, policy({}, before + 3, 0, 0)).status, 200);
    const HttpResult again = initiate(*m_operator, kGermany);
    QCOMPARE(again.status, 200);
    QCOMPARE(terminate(*m_operator, again.json.value(u"call_id"_s).toString()), 200);
}

void tst_Policy::concurrentCalls_limitTheTeam()
{
    QCOMPARE(put(*m_admin, policy({}, 0, 0, 1)).status, 200);
    const HttpResult first = initiate(*m_operator, kGermany);
    QCOMPARE(first.status, 200);
    const HttpResult second = initiate(*m_other, kBritain);
    QCOMPARE(second.status, 429);
    QCOMPARE(errorType(second), u"call_limit_reached"_s);
    QCOMPARE(terminate(*m_operator, first.json.value(u"call_id"_s).toString()), 200);
    const HttpResult afterwards = initiate(*m_other, kBritain);
    QCOMPARE(afterwards.status, 200);
    QCOMPARE(terminate(*m_other, afterwards.json.value(u"call_id"_s).toString()), 200);
}

void tst_Policy::maxDuration_endsTheAnsweredCall()
{
    QCOMPARE(put(*m_admin, policy({}, 0, 2, 0)).status, 200);
    const QString callId = initiateCall(*m_operator, kGermany);
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(callStatus(*m_operator, callId), u"active"_s, 10000);
    QElapsedTimer answered;
    answered.start();
    QTRY_COMPARE_WITH_TIMEOUT(callStatus(*m_operator, callId), u"completed"_s, 10000);
    QVERIFY2(answered.elapsed() < 4000, qPrintable(QString::number(answered.elapsed())));
    const QJsonObject call = fetchCall(*m_operator, callId);
    QVERIFY(call.value(u"duration"_s).toInt() >= 1 && call.value(u"duration"_s).toInt() <= 3);
    QVERIFY(call.value(u"failure_reason"_s).isNull());
}

void tst_Policy::auditTrail_recordsPolicyAndCalls()
{
    QCOMPARE(put(*m_admin, policy({u"DE"_s}, 0, 0, 0)).status, 200);
    const HttpResult placed = initiate(*m_operator, kGermany);
    QCOMPARE(placed.status, 200);
    const QString callId = placed.json.value(u"call_id"_s).toString();
    QCOMPARE(terminate(*m_operator, callId), 200);
    QCOMPARE(initiate(*m_operator, kBritain).status, 403);

    const HttpResult changes = m_admin->get(u"/api/audit?action=policy_changed&limit=1"_s);
    QCOMPARE(changes.status, 200);
    const QJsonObject change = changes.json.value(u"events"_s).toArray().first().toObject();
    QCOMPARE(change.value(u"actor_email"_s).toString(), m_adminEmail);
    QCOMPARE(change.value(u"target"_s).toString(), u"calling_policy"_s);
    QCOMPARE(change.value(u"detail"_s).toString(), u"countries=DE, calls_per_operator_per_day=0, "
                                                   "max_call_duration_seconds=0, max_concurrent_calls=0"_s);
    QCOMPARE(change.value(u"client"_s).toString(), u"127.0.0.1"_s);

    // The calls are recorded under the operator's email, though the call service knows only ids.
    const HttpResult placedEvents = m_admin->get(u"/api/audit?action=call_placed&limit=1"_s);
    const QJsonObject placedEvent = placedEvents.json.value(u"events"_s).toArray().first().toObject();
    QCOMPARE(placedEvent.value(u"detail"_s).toString(), u"call="_s + callId);
    QCOMPARE(placedEvent.value(u"target"_s).toString(), u"+4915123456789"_s);
    QCOMPARE(placedEvent.value(u"client"_s).toString(), u"127.0.0.1"_s);
    QVERIFY(placedEvent.value(u"actor_email"_s).toString().startsWith(u"operator"_s));
    // The far end picks up at once here: the call may have been answered before the hang-up.
    const QJsonObject ended = fetchCall(*m_operator, callId);
    const QString endDetail = u"call=%1, status=%2, duration=%3"_s.arg(callId, ended.value(u"status"_s).toString())
                                  .arg(ended.value(u"duration"_s).toInt());
    QCOMPARE(m_admin->get(u"/api/audit?action=call_ended&limit=1"_s).json.value(u"events"_s).toArray().first()
                 .toObject().value(u"detail"_s).toString(),
             endDetail);
    // A refused attempt is a trace of toll fraud: it is recorded with its reason.
    const QJsonObject refused = m_admin->get(u"/api/audit?action=call_refused&limit=1"_s).json.value(u"events"_s).toArray()
                                    .first().toObject();
    QCOMPARE(refused.value(u"target"_s).toString(), u"+442079460958"_s);
    QCOMPARE(refused.value(u"detail"_s).toString(), u"reason=destination_not_allowed, country=GB"_s);
    QCOMPARE(refused.value(u"actor_email"_s).toString(), placedEvent.value(u"actor_email"_s).toString());
    // Filtered by the operator's email, the trail holds their calls.
    const QString email = placedEvent.value(u"actor_email"_s).toString();
    const HttpResult byOperator = m_admin->get(u"/api/audit?actor="_s + QString::fromLatin1(QUrl::toPercentEncoding(email)));
    QVERIFY(byOperator.json.value(u"total"_s).toInt() >= 3);
}

QTEST_GUILESS_MAIN(tst_Policy)
#include "tst_policy.moc"
