// Webhooks over real HTTP on SQLite or PostgreSQL, delivered to a receiver in this test that
// checks every signature with a Standard Webhooks verifier written here from the specification
// (https://www.standardwebhooks.com): the management API (secret once, validation, another's
// webhook not found, the webhooks:manage scope), signed deliveries of the subscribed events only,
// a receiver that fails three times and then takes the same message, and a server killed (-9)
// while a delivery was in flight that delivers it after its restart, and two instances on one
// PostgreSQL database that deliver each event once.

#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"
#include "testbackend.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;
using namespace Switchboard;

namespace {

struct Received
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; ///< names in lower case
    QByteArray body;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// A webhook receiver: records each request and answers with the next scripted status (200 once
/// the script is used up), or holds the connection without an answer while `hang` is set.
class Receiver : public QObject
{
public:
    Receiver()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

    QString url(const QString &path = u"/hooks"_s) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path);
    }
    QList<Received> received;
    QList<int> script;
    bool hang = false;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        Received request;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.mid(headEnd + 4, length);
        m_buffers.remove(socket);
        received.append(request);
        if (hang)
            return;
        const int status = script.isEmpty() ? 200 : script.takeFirst();
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// Standard Webhooks' verification, from the specification: the signed content is
/// "<webhook-id>.<webhook-timestamp>.<body>", the key the base64 after "whsec_", the signature
/// header a space-separated list of "v1,<base64 HMAC-SHA256>", and a timestamp more than five
/// minutes away is refused. Empty when the request verifies, else why not.
QString verify(const Received &request, const QString &secret)
{
    const QByteArray id = request.headers.value("webhook-id");
    const QByteArray timestamp = request.headers.value("webhook-timestamp");
    const QByteArray signatures = request.headers.value("webhook-signature");
    if (id.isEmpty() || timestamp.isEmpty() || signatures.isEmpty())
        return u"a webhook header is missing"_s;
    bool ok = false;
    const qint64 seconds = timestamp.toLongLong(&ok);
    if (!ok || qAbs(QDateTime::currentSecsSinceEpoch() - seconds) > 300)
        return u"timestamp out of tolerance: "_s + QString::fromLatin1(timestamp);
    if (!secret.startsWith(u"whsec_"_s))
        return u"the secret has no whsec_ prefix"_s;
    const QByteArray key = QByteArray::fromBase64(secret.mid(6).toLatin1());
    const QByteArray expected =
        QMessageAuthenticationCode::hash(id + '.' + timestamp + '.' + request.body, key, QCryptographicHash::Sha256).toBase64();
    for (const QByteArray &signature : signatures.split(' ')) {
        if (signature == "v1," + expected)
            return {};
    }
    return u"no signature matches"_s;
}

QStringList typesOf(const QList<Received> &received)
{
    QStringList types;
    for (const Received &request : received)
        types.append(request.json().value(u"type"_s).toString());
    return types;
}

} // namespace

class tst_Webhooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void create_showsSecretOnceAndListsWithout();
    void create_refusesBadRequests_data();
    void create_refusesBadRequests();
    void webhook_ofAnotherOperatorIsNotFound();
    void webhook_needsTheManageScope();
    void delivery_isSignedAndCarriesTheCall();
    void delivery_isRetriedUntilTheReceiverTakesIt();
    void delivery_inFlightWhenKilledIsDeliveredAfterRestart();
    void delivery_happensOnceAcrossInstances();

private:
    /// POST /api/webhooks for the receiver; the answer's JSON.
    QJsonObject subscribe(HttpClient &owner, const QStringList &events);

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<Receiver> m_receiver;
};

void tst_Webhooks::initTestCase()
{
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{
        {u"VOIP_MOCK_RINGBACK_MS"_s, u"300"_s},
        {u"WEBHOOK_ALLOW_PRIVATE"_s, u"1"_s}, // the receiver is on loopback
        {u"WEBHOOK_RETRY_SCHEDULE"_s, u"0.2,0.2,0.2,0.2"_s},
    });
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    HttpClient(m_backend->baseUrl()).registerUser(u"admin"_s); // the first account; the others are operators
}

void tst_Webhooks::cleanupTestCase()
{
    m_backend.reset();
}

void tst_Webhooks::init()
{
    m_receiver = std::make_unique<Receiver>();
}

QJsonObject tst_Webhooks::subscribe(HttpClient &owner, const QStringList &events)
{
    const HttpResult created =
        owner.post(u"/api/webhooks"_s, {{u"url"_s, m_receiver->url()}, {u"events"_s, QJsonArray::fromStringList(events)}});
    if (created.status != 201)
        qWarning("subscribe: %d %s", created.status, created.body.constData());
    return created.json;
}

void tst_Webhooks::create_showsSecretOnceAndListsWithout()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject created = subscribe(owner, {u"call.completed"_s, u"call.failed"_s, u"call.completed"_s});
    const QString secret = created.value(u"secret"_s).toString();
    // whsec_ and the base64 of 24 random bytes.
    QVERIFY2(QRegularExpression(u"^whsec_[A-Za-z0-9+/]{32}$"_s).match(secret).hasMatch(), qPrintable(secret));
    QCOMPARE(QByteArray::fromBase64(secret.mid(6).toLatin1()).size(), 24);
    QCOMPARE(created.value(u"url"_s).toString(), m_receiver->url());
    QCOMPARE(created.value(u"events"_s).toArray(), (QJsonArray{u"call.completed"_s, u"call.failed"_s}));
    QVERIFY(isRfc3339Utc(created.value(u"created_at"_s).toString()));
    QCOMPARE(created.value(u"all_operators"_s).toBool(), false);

    const HttpResult listed = owner.get(u"/api/webhooks"_s);
    QCOMPARE(listed.status, 200);
    const QJsonArray webhooks = listed.json.value(u"webhooks"_s).toArray();
    QCOMPARE(webhooks.size(), 1);
    QCOMPARE(webhooks.first().toObject().value(u"webhook_id"_s), created.value(u"webhook_id"_s));
    QVERIFY(!listed.body.contains(secret.mid(6).toLatin1()));

    const QString id = created.value(u"webhook_id"_s).toString();
    QCOMPARE(owner.send("DELETE", u"/api/webhooks/"_s + id).status, 204);
    QCOMPARE(owner.get(u"/api/webhooks"_s).json.value(u"webhooks"_s).toArray().size(), 0);
    QCOMPARE(owner.send("DELETE", u"/api/webhooks/"_s + id).status, 404);
}

void tst_Webhooks::create_refusesBadRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("no url") << QByteArray(R"({"events":["call.completed"]})");
    QTest::addRow("not http") << QByteArray(R"({"url":"ftp://example.com/x","events":["call.completed"]})");
    QTest::addRow("file") << QByteArray(R"({"url":"file:///etc/passwd","events":["call.completed"]})");
    QTest::addRow("relative") << QByteArray(R"({"url":"/hooks","events":["call.completed"]})");
    QTest::addRow("user info") << QByteArray(R"({"url":"http://a:b@example.com/","events":["call.completed"]})");
    QTest::addRow("no events") << QByteArray(R"({"url":"https://example.com/x","events":[]})");
    QTest::addRow("unknown event") << QByteArray(R"({"url":"https://example.com/x","events":["call.exploded"]})");
    QTest::addRow("events not strings") << QByteArray(R"({"url":"https://example.com/x","events":[1]})");
    QTest::addRow("not json") << QByteArray("url=https://example.com");
}

void tst_Webhooks::create_refusesBadRequests()
{
    QFETCH(QByteArray, body);
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const HttpResult refused = owner.send("POST", u"/api/webhooks"_s, body, {{"Content-Type", "application/json"}});
    QCOMPARE(refused.status, 400);
    QVERIFY(refused.isErrorFormat());
    QCOMPARE(owner.get(u"/api/webhooks"_s).json.value(u"webhooks"_s).toArray().size(), 0);
}

void tst_Webhooks::webhook_ofAnotherOperatorIsNotFound()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QString id = subscribe(owner, {u"call.completed"_s}).value(u"webhook_id"_s).toString();
    HttpClient other(m_backend->baseUrl());
    other.registerUser();
    QCOMPARE(other.get(u"/api/webhooks/"_s + id + u"/deliveries"_s).status, 404);
    QCOMPARE(other.send("DELETE", u"/api/webhooks/"_s + id).status, 404);
    QCOMPARE(other.get(u"/api/webhooks"_s).json.value(u"webhooks"_s).toArray().size(), 0);
    QCOMPARE(owner.get(u"/api/webhooks/"_s + id + u"/deliveries"_s).status, 200);
}

void tst_Webhooks::webhook_needsTheManageScope()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    auto keyClient = [&](const QString &scope) {
        auto client = std::make_unique<HttpClient>(m_backend->baseUrl());
        client->setToken(owner.post(u"/api/keys"_s, {{u"name"_s, scope}, {u"scopes"_s, QJsonArray{scope}}})
                             .json.value(u"key"_s).toString());
        return client;
    };
    expectLog(QtWarningMsg, u"^API key of user [0-9a-f-]{36} lacks the scope of /api/webhooks$"_s);
    QCOMPARE(keyClient(u"calls:write"_s)->get(u"/api/webhooks"_s).status, 403);
    QCOMPARE(keyClient(u"webhooks:manage"_s)->get(u"/api/webhooks"_s).status, 200);
}

void tst_Webhooks::delivery_isSignedAndCarriesTheCall()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject webhook = subscribe(owner, {u"call.initiated"_s, u"call.active"_s, u"call.completed"_s});
    const QString callId = placeAndComplete(owner);
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->received.size(), 3, 10000);
    QTest::qWait(1500); // nothing more comes: connecting is not subscribed
    QCOMPARE(typesOf(m_receiver->received), (QStringList{u"call.initiated"_s, u"call.active"_s, u"call.completed"_s}));

    QSet<QByteArray> ids;
    for (const Received &request : std::as_const(m_receiver->received)) {
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QByteArray("/hooks"));
        QVERIFY(request.headers.value("content-type").startsWith("application/json"));
        const QString problem = verify(request, webhook.value(u"secret"_s).toString());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        ids.insert(request.headers.value("webhook-id"));
        const QJsonObject json = request.json();
        QCOMPARE(json.keys(), (QStringList{u"data"_s, u"timestamp"_s, u"type"_s}));
        QVERIFY(isRfc3339Utc(json.value(u"timestamp"_s).toString()));
        QCOMPARE(json.value(u"data"_s).toObject().value(u"call_id"_s).toString(), callId);
    }
    QCOMPARE(ids.size(), 3);
    // A tampered body fails the same check: the verifier can fail.
    Received tampered = m_receiver->received.last();
    tampered.body.replace("completed", "failed");
    QVERIFY(!verify(tampered, webhook.value(u"secret"_s).toString()).isEmpty());
    QCOMPARE(m_receiver->received.last().json().value(u"data"_s).toObject().value(u"status"_s).toString(), u"completed"_s);

    const HttpResult deliveries =
        owner.get(u"/api/webhooks/"_s + webhook.value(u"webhook_id"_s).toString() + u"/deliveries"_s);
    QCOMPARE(deliveries.status, 200);
    const QJsonArray items = deliveries.json.value(u"deliveries"_s).toArray();
    QCOMPARE(items.size(), 3);
    for (const QJsonValue &item : items) {
        QCOMPARE(item[u"status"_s].toString(), u"delivered"_s);
        QCOMPARE(item[u"attempts"_s].toInt(), 1);
        QCOMPARE(item[u"last_status_code"_s].toInt(), 200);
        QVERIFY(isRfc3339Utc(item[u"delivered_at"_s].toString()));
        QCOMPARE(item[u"call_id"_s].toString(), callId);
    }
}

void tst_Webhooks::delivery_isRetriedUntilTheReceiverTakesIt()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject webhook = subscribe(owner, {u"call.completed"_s});
    m_receiver->script = {500, 503, 404};
    QVERIFY(!placeAndComplete(owner).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->received.size(), 4, 15000);
    // The same message each time: one id, one body, each attempt signed anew.
    for (const Received &request : std::as_const(m_receiver->received)) {
        QCOMPARE(request.headers.value("webhook-id"), m_receiver->received.first().headers.value("webhook-id"));
        QCOMPARE(request.body, m_receiver->received.first().body);
        QVERIFY(verify(request, webhook.value(u"secret"_s).toString()).isEmpty());
    }
    const QString deliveriesPath = u"/api/webhooks/"_s + webhook.value(u"webhook_id"_s).toString() + u"/deliveries"_s;
    QTRY_COMPARE(owner.get(deliveriesPath).json.value(u"deliveries"_s)[0][u"status"_s].toString(), u"delivered"_s);
    const QJsonObject delivery = owner.get(deliveriesPath).json.value(u"deliveries"_s)[0].toObject();
    QCOMPARE(delivery.value(u"attempts"_s).toInt(), 4);
    QCOMPARE(delivery.value(u"last_status_code"_s).toInt(), 200);

    // A receiver that never takes it: given up after the schedule (four retries), failed.
    m_receiver->script = QList<int>(10, 500);
    m_receiver->received.clear();
    QVERIFY(!placeAndComplete(owner).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(owner.get(deliveriesPath).json.value(u"deliveries"_s)[0][u"status"_s].toString(),
                              u"failed"_s, 15000);
    QCOMPARE(m_receiver->received.size(), 5);
    const QJsonObject failed = owner.get(deliveriesPath).json.value(u"deliveries"_s)[0].toObject();
    QCOMPARE(failed.value(u"last_status_code"_s).toInt(), 500);
    QCOMPARE(failed.value(u"last_error"_s).toString(), u"HTTP 500"_s);
    QVERIFY(failed.value(u"next_attempt_at"_s).isNull());
}

void tst_Webhooks::delivery_inFlightWhenKilledIsDeliveredAfterRestart()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    const QString databaseArg = databaseArgument(*database.url());
    QTemporaryDir dir;
    const QHash<QString, QString> environment{{u"VOIP_MOCK_RINGBACK_MS"_s, u"300"_s}, {u"WEBHOOK_ALLOW_PRIVATE"_s, u"1"_s}};
    QJsonObject webhook;
    QString callId;
    {
        auto crashing = ServerProcess::serve(dir.path(), databaseArg, environment);
        VERIFY_RUNNING_HEALTHY(*crashing);
        HttpClient owner(crashing->baseUrl());
        owner.registerUser();
        webhook = subscribe(owner, {u"call.completed"_s});
        m_receiver->hang = true; // takes the request, never answers
        callId = placeAndComplete(owner);
        QVERIFY(!callId.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver->received.size(), 1, 10000);
        crashing->process().kill();
        QVERIFY(crashing->waitForExit());
    }
    m_receiver->hang = false;
    auto restarted = ServerProcess::serve(dir.path(), databaseArg, environment);
    VERIFY_RUNNING_HEALTHY(*restarted);
    // Taken again once the dead instance's claim ran out (15 s), and delivered: the same message.
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->received.size(), 2, 30000);
    QCOMPARE(m_receiver->received.at(1).headers.value("webhook-id"), m_receiver->received.at(0).headers.value("webhook-id"));
    QCOMPARE(m_receiver->received.at(1).json().value(u"data"_s)[u"call_id"_s].toString(), callId);
    QVERIFY(verify(m_receiver->received.at(1), webhook.value(u"secret"_s).toString()).isEmpty());
    restarted->process().terminate();
    VERIFY_CLEAN_EXIT(*restarted);
}

void tst_Webhooks::delivery_happensOnceAcrossInstances()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    if (database.url()->engine != DatabaseUrl::Engine::Postgres)
        QSKIP("several instances share a PostgreSQL database; SQLite is one machine's");
    const QString databaseArg = databaseArgument(*database.url());
    QTemporaryDir dir;
    const QString secret = u"webhooks-secret-"_s + QUuid::createUuid().toString(QUuid::Id128);
    const auto environmentOf = [&](const QString &instance) {
        return QHash<QString, QString>{{u"INSTANCE_ID"_s, instance},
                                       {u"JWT_SECRET"_s, secret},
                                       {u"VOIP_MOCK_RINGBACK_MS"_s, u"100"_s},
                                       {u"WEBHOOK_ALLOW_PRIVATE"_s, u"1"_s}};
    };
    auto first = ServerProcess::serve(dir.filePath(u"a"_s), databaseArg, environmentOf(u"instance-a"_s));
    VERIFY_RUNNING_HEALTHY(*first);
    auto second = ServerProcess::serve(dir.filePath(u"b"_s), databaseArg, environmentOf(u"instance-b"_s));
    VERIFY_RUNNING_HEALTHY(*second);

    // The admin's webhook (every operator's calls), made on A; calls placed on both.
    HttpClient admin(first->baseUrl());
    admin.registerUser(u"admin"_s);
    const QJsonObject webhook = subscribe(admin, {u"call.initiated"_s, u"call.completed"_s});
    QVERIFY(webhook.value(u"all_operators"_s).toBool());
    constexpr int kCallsPerInstance = 4;
    QSet<QString> calls;
    for (ServerProcess *server : {first.get(), second.get()}) {
        HttpClient operatorClient(server->baseUrl());
        operatorClient.registerUser();
        for (int i = 0; i < kCallsPerInstance; ++i) {
            const QString callId = placeAndComplete(operatorClient);
            QVERIFY(!callId.isEmpty());
            calls.insert(callId);
        }
    }
    const int expected = 2 * kCallsPerInstance * 2;
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->received.size(), expected, 15000);
    QTest::qWait(2500); // both dispatchers poll again: nothing is sent twice
    QCOMPARE(m_receiver->received.size(), expected);
    QSet<QByteArray> ids;
    QSet<QString> completed;
    for (const Received &request : std::as_const(m_receiver->received)) {
        ids.insert(request.headers.value("webhook-id"));
        QVERIFY(verify(request, webhook.value(u"secret"_s).toString()).isEmpty());
        if (request.json().value(u"type"_s).toString() == u"call.completed"_s)
            completed.insert(request.json().value(u"data"_s)[u"call_id"_s].toString());
    }
    QCOMPARE(ids.size(), expected);
    QCOMPARE(completed, calls);
    for (ServerProcess *server : {first.get(), second.get()}) {
        server->process().terminate();
        VERIFY_CLEAN_EXIT(*server);
    }
}

QTEST_MAIN(tst_Webhooks)
#include "tst_webhooks.moc"
