// Idempotency-Key on POST /api/calls/initiate over real HTTP on SQLite or PostgreSQL: a retry —
// sequential or racing the first request — gets the first answer and places no second call.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

QByteArray initiateBody(const QString &number)
{
    return QJsonDocument(QJsonObject{{u"phone_number"_s, number}}).toJson(QJsonDocument::Compact);
}

HttpResult initiateWithKey(HttpClient &client, const QString &number, const QByteArray &key)
{
    return client.send("POST", u"/api/calls/initiate"_s, initiateBody(number),
                       {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
}

QByteArray newKey()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

int callsInHistory(HttpClient &client)
{
    return client.get(u"/api/calls/history"_s).json.value(u"total"_s).toInt(-1);
}

} // namespace

class tst_ApiIdempotency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void retry_returnsFirstAnswer();
    void concurrentRetries_placeOneCall();
    void otherKeyOrOperator_isAnotherRequest();
    void sameKeyOtherNumber_isRefused();
    void providerFailure_isReplayed();
    void nothingPlaced_keyIsNotKept();
    void badKey_isRefused_data();
    void badKey_isRefused();

private:
    std::unique_ptr<TestBackend> m_backend;
};

void tst_ApiIdempotency::initTestCase()
{
    // The far end answers late, so that racing retries arrive while the first is being placed.
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{{u"VOIP_MOCK_LATENCY_MS"_s, u"300"_s}});
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_ApiIdempotency::cleanupTestCase()
{
    m_backend.reset();
}

void tst_ApiIdempotency::retry_returnsFirstAnswer()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QByteArray key = newKey();
    const HttpResult first = initiateWithKey(client, u"+4915123456789"_s, key);
    QCOMPARE(first.status, 200);
    const HttpResult again = initiateWithKey(client, u"+49 151 23456789"_s, key); // the same number, written otherwise
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json, first.json);

    // Still the first answer after the call has ended, and still one call.
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, first.json.value(u"call_id"_s)}}).status, 200);
    const HttpResult later = initiateWithKey(client, u"+4915123456789"_s, key);
    QCOMPARE(later.status, 200);
    QCOMPARE(later.json, first.json);
    QCOMPARE(later.json.value(u"status"_s).toString(), u"connecting"_s);
    QCOMPARE(callsInHistory(client), 1);
}

void tst_ApiIdempotency::concurrentRetries_placeOneCall()
{
    constexpr int kRetries = 12;
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QByteArray key = newKey();
    // One client per request: every retry on its own connection, all in flight at once.
    std::vector<std::unique_ptr<HttpClient>> clients;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < kRetries; ++i) {
        clients.push_back(std::make_unique<HttpClient>(m_backend->baseUrl()));
        clients.back()->setToken(owner.token());
        replies.append(clients.back()->start("POST", u"/api/calls/initiate"_s, initiateBody(u"+4915123456789"_s),
                                             {{"Content-Type", "application/json"}, {"Idempotency-Key", key}}));
    }
    QSet<QString> callIds;
    for (QNetworkReply *reply : std::as_const(replies)) {
        const HttpResult result = HttpClient::finish(reply);
        QVERIFY2(result.status == 200, result.body.constData());
        callIds.insert(result.json.value(u"call_id"_s).toString());
    }
    QCOMPARE(callIds.size(), 1);
    QCOMPARE(callsInHistory(owner), 1);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, *callIds.cbegin()}}).status, 200);
}

void tst_ApiIdempotency::otherKeyOrOperator_isAnotherRequest()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QByteArray key = newKey();
    const HttpResult first = initiateWithKey(client, u"+4915123456789"_s, key);
    QCOMPARE(first.status, 200);
    // Another key is another call: refused here only because the first is still live.
    VERIFY_ERROR(initiateWithKey(client, u"+4915123456789"_s, newKey()), 409, u"call_already_active"_s);
    VERIFY_ERROR(client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}}), 409,
                 u"call_already_active"_s);

    // Another operator's key of the same text is theirs alone.
    HttpClient other(m_backend->baseUrl());
    other.registerUser();
    const HttpResult theirs = initiateWithKey(other, u"+4915123456789"_s, key);
    QCOMPARE(theirs.status, 200);
    QVERIFY(theirs.json.value(u"call_id"_s) != first.json.value(u"call_id"_s));
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, first.json.value(u"call_id"_s)}}).status, 200);
    QCOMPARE(other.post(u"/api/calls/terminate"_s, {{u"call_id"_s, theirs.json.value(u"call_id"_s)}}).status, 200);
}

void tst_ApiIdempotency::sameKeyOtherNumber_isRefused()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QByteArray key = newKey();
    const HttpResult first = initiateWithKey(client, u"+4915123456789"_s, key);
    QCOMPARE(first.status, 200);
    VERIFY_ERROR(initiateWithKey(client, u"+442079460958"_s, key), 400, u"validation_error"_s);
    QCOMPARE(callsInHistory(client), 1);
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, first.json.value(u"call_id"_s)}}).status, 200);
}

void tst_ApiIdempotency::providerFailure_isReplayed()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QByteArray key = newKey();
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: "_s);
    const HttpResult first = initiateWithKey(client, u"+12025550103"_s, key);
    VERIFY_ERROR(first, 503, u"call_initiation_failed"_s);
    const HttpResult again = initiateWithKey(client, u"+12025550103"_s, key);
    VERIFY_ERROR(again, 503, u"call_initiation_failed"_s);
    QCOMPARE(again.json, first.json);
    QCOMPARE(callsInHistory(client), 1); // no second attempt was made
}

void tst_ApiIdempotency::nothingPlaced_keyIsNotKept()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QString live = initiateCall(client, u"+4915123456789"_s);
    const QByteArray key = newKey();
    // Refused while another call is live: nothing was placed, so the retry runs again.
    VERIFY_ERROR(initiateWithKey(client, u"+442079460958"_s, key), 409, u"call_already_active"_s);
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, live}}).status, 200);
    const HttpResult retried = initiateWithKey(client, u"+442079460958"_s, key);
    QCOMPARE(retried.status, 200);
    QCOMPARE(callsInHistory(client), 2);
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, retried.json.value(u"call_id"_s)}}).status, 200);
}

void tst_ApiIdempotency::badKey_isRefused_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addRow("too long") << QByteArray(256, 'k');
    QTest::addRow("space") << QByteArray("a key");
    QTest::addRow("non-ASCII") << QByteArray("cl\xc3\xa9");
}

void tst_ApiIdempotency::badKey_isRefused()
{
    QFETCH(QByteArray, key);
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    VERIFY_ERROR(initiateWithKey(client, u"+4915123456789"_s, key), 400, u"validation_error"_s);
    QCOMPARE(callsInHistory(client), 0);
}

QTEST_GUILESS_MAIN(tst_ApiIdempotency)
#include "tst_apiidempotency.moc"
