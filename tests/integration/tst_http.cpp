// HTTP protocol behaviour of the API server: routing errors, body limits, CORS, pipelining,
// slow providers and clients that leave while their answer is pending.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray bearer(const QString &token)
{
    return "Bearer " + token.toLatin1();
}

QByteArray initiateRequest(const QString &token, const QString &number = u"+12025550199"_s)
{
    return rawRequest("POST", "/api/calls/initiate", json({{u"phone_number"_s, number}}),
                      {{"Authorization", bearer(token)}, {"Content-Type", "application/json"}});
}

int historyTotal(HttpClient &client, const QString &query)
{
    return client.get(u"/api/calls/history?"_s + query).json.value(u"total"_s).toInt(-1);
}

} // namespace

class tst_Http : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void unknownRoute_data();
    void unknownRoute();
    void wrongMethod_data();
    void wrongMethod();
    void trailingSlash_data();
    void trailingSlash();
    void headHasNoBody();

    void bodyLimit_data();
    void bodyLimit();
    void bodyLimit_declaredLength_data();
    void bodyLimit_declaredLength();
    void bodyLimit_chunked_data();
    void bodyLimit_chunked();
    void headTooLarge();
    void garbage_isRefusedAndClosed_data();
    void garbage_isRefusedAndClosed();
    void slowClients_timeOutWithoutStallingOthers();
    void slowBody_timesOut();
    void idleConnections_areClosed();
    void longPoll_outlastsTheIdleClock();

    void cors_preflight_data();
    void cors_preflight();
    void cors_simpleRequest_data();
    void cors_simpleRequest();

    void pipelining_answersInOrder();
    void pipelining_refusalWaitsForEarlierAnswers();
    void slowProvider_doesNotDelayOtherClients();
    void disconnect_whileAnswerPending();
    void disconnect_manyTimes();

private:
    QUrl url() const { return m_backend->baseUrl(); }
    quint16 port() const { return quint16(m_backend->baseUrl().port()); }
    QByteArray ownOrigin() const { return "http://127.0.0.1:" + QByteArray::number(port()); }

    std::unique_ptr<TestBackend> m_backend;
};

void tst_Http::initTestCase()
{
    // A web CRM elsewhere, allowed by name.
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{{u"CORS_ORIGINS"_s, u"https://crm.example.com"_s}});
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_Http::cleanupTestCase()
{
    m_backend.reset();
}

// ---------------------------------------------------------------------------------------------
// Routing errors

void tst_Http::unknownRoute_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");

    QTest::addRow("GET /index.html") << QByteArray("GET") << u"/index.html"_s;
    QTest::addRow("GET /nope") << QByteArray("GET") << u"/nope"_s;
    QTest::addRow("GET /api") << QByteArray("GET") << u"/api"_s;
    QTest::addRow("GET /api/calls") << QByteArray("GET") << u"/api/calls"_s;
    QTest::addRow("POST /api/unknown") << QByteArray("POST") << u"/api/unknown"_s;
    QTest::addRow("extra segment") << QByteArray("GET") << u"/api/calls/history/extra"_s;
    QTest::addRow("wrong case") << QByteArray("GET") << u"/API/calls/history"_s;
    QTest::addRow("DELETE under metrics") << QByteArray("DELETE") << u"/metrics/extra"_s;
    QTest::addRow("empty id segment") << QByteArray("GET") << u"/api/calls//"_s;
}

void tst_Http::unknownRoute()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);

    // Without a token: an unknown route is 404 whoever asks, never a 401 or a plain-text page.
    HttpClient client(url());
    const HttpResult result = client.send(method, path);
    QCOMPARE(result.status, 404);
    QVERIFY2(result.isErrorFormat(), result.body.constData());
    QCOMPARE(result.errorType(), u"not_found"_s);
}

void tst_Http::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("allow");

    const QString callPath = u"/api/calls/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::addRow("GET login") << QByteArray("GET") << u"/api/auth/login"_s << QByteArray("POST");
    QTest::addRow("PUT register") << QByteArray("PUT") << u"/api/auth/register"_s << QByteArray("POST");
    QTest::addRow("GET logout") << QByteArray("GET") << u"/api/auth/logout"_s << QByteArray("POST");
    QTest::addRow("DELETE history") << QByteArray("DELETE") << u"/api/calls/history"_s << QByteArray("GET");
    QTest::addRow("POST health") << QByteArray("POST") << u"/system/health"_s << QByteArray("GET");
    QTest::addRow("PATCH metrics") << QByteArray("PATCH") << u"/metrics"_s << QByteArray("GET");
    QTest::addRow("POST a call") << QByteArray("POST") << callPath << QByteArray("GET, PATCH");
    QTest::addRow("DELETE a call") << QByteArray("DELETE") << callPath << QByteArray("GET, PATCH");
    // Fixed paths beside `{id}` routes are theirs alone.
    QTest::addRow("GET contacts import") << QByteArray("GET") << u"/api/contacts/import"_s << QByteArray("POST");
    QTest::addRow("DELETE contacts export") << QByteArray("DELETE") << u"/api/contacts/export"_s << QByteArray("GET");
    QTest::addRow("PUT a contact") << QByteArray("PUT") << u"/api/contacts/%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces))
                                   << QByteArray("GET, PATCH, DELETE");
    QTest::addRow("PUT webrtc config") << QByteArray("PUT") << u"/api/webrtc/config"_s << QByteArray("GET");
}

void tst_Http::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, allow);

    HttpClient client(url());
    const HttpResult result = client.send(method, path, method == "GET" ? QByteArray() : QByteArray("{}"));
    QCOMPARE(result.status, 405);
    QVERIFY2(result.isErrorFormat(), result.body.constData());
    QCOMPARE(result.errorType(), u"method_not_allowed"_s);
    QCOMPARE(result.header("Allow"), allow);
}

void tst_Http::trailingSlash_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");

    QTest::addRow("health") << QByteArray("GET") << u"/system/health/"_s;
    QTest::addRow("metrics") << QByteArray("GET") << u"/metrics/"_s;
    QTest::addRow("login") << QByteArray("POST") << u"/api/auth/login/"_s;
    QTest::addRow("history") << QByteArray("GET") << u"/api/calls/history/"_s;
    QTest::addRow("a call") << QByteArray("GET") << u"/api/calls/%1/"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
}

void tst_Http::trailingSlash()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);

    HttpClient client(url());
    const HttpResult result = client.send(method, path, method == "POST" ? QByteArray("{}") : QByteArray());
    QCOMPARE(result.status, 404);
    QVERIFY2(result.isErrorFormat(), result.body.constData());
    QCOMPARE(result.errorType(), u"not_found"_s);
}

void tst_Http::headHasNoBody()
{
    // A HEAD answer carries no body (RFC 9110 9.3.2): a body would be read as the next answer.
    // Raw bytes here, since a parser would take a HEAD answer's body at its Content-Length.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawRequest("HEAD", "/system/health") + rawRequest("GET", "/system/health"));
    QByteArray raw;
    QTRY_VERIFY_WITH_TIMEOUT((raw += socket.readAll(), raw.count("HTTP/1.1 ") >= 2 && raw.endsWith("}")), 5000);
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    QVERIFY2(raw.startsWith("HTTP/1.1 405 ") || raw.startsWith("HTTP/1.1 200 "), raw.constData());
    QVERIFY2(raw.mid(headEnd + 4).startsWith("HTTP/1.1 200"), raw.constData());
}

// ---------------------------------------------------------------------------------------------
// Body limit

void tst_Http::bodyLimit_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");

    QTest::addRow("register, 64 KiB") << u"/api/auth/register"_s << 64 * 1024 << 201;
    QTest::addRow("register, 64 KiB + 1") << u"/api/auth/register"_s << 64 * 1024 + 1 << 413;
    QTest::addRow("register, 1 MiB") << u"/api/auth/register"_s << 1024 * 1024 << 413;
    QTest::addRow("login, 64 KiB + 1") << u"/api/auth/login"_s << 64 * 1024 + 1 << 413;
    QTest::addRow("unknown route, 64 KiB + 1") << u"/api/nothing"_s << 64 * 1024 + 1 << 413;
}

void tst_Http::bodyLimit()
{
    QFETCH(QString, path);
    QFETCH(int, size);
    QFETCH(int, status);

    // A valid registration, padded with JSON whitespace to the size wanted.
    const QString email = u"big-%1@example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
    QByteArray body = json({{u"email"_s, email}, {u"password"_s, u"correct horse battery"_s}});
    body.insert(1, QByteArray(size - body.size(), ' '));
    QCOMPARE(body.size(), size);

    HttpClient client(url());
    const HttpResult result = client.send("POST", path, body);
    QCOMPARE(result.status, status);
    if (status == 413) {
        QVERIFY2(result.isErrorFormat(), result.body.constData());
        QCOMPARE(result.errorType(), u"payload_too_large"_s);
    }
    QCOMPARE(client.get(u"/system/health"_s).status, 200);
}

void tst_Http::bodyLimit_declaredLength_data()
{
    QTest::addColumn<QByteArray>("contentLength");
    QTest::addColumn<int>("bodyBytesSent");

    QTest::addRow("10 MiB declared, nothing sent") << QByteArray("10485760") << 0;
    QTest::addRow("64 KiB + 1 declared, 1000 bytes sent") << QByteArray("65537") << 1000;
    QTest::addRow("1 TiB declared, 10 bytes sent") << QByteArray("1099511627776") << 10;
}

void tst_Http::bodyLimit_declaredLength()
{
    QFETCH(QByteArray, contentLength);
    QFETCH(int, bodyBytesSent);

    // The server answers from the header alone, without waiting for (or buffering) the body.
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send("POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: " + contentLength + "\r\n\r\n" + QByteArray(bodyBytesSent, ' '));
    QElapsedTimer answered;
    answered.start();
    QVERIFY2(connection.waitForResponses(1, 5000), connection.unparsed().constData());
    QVERIFY(answered.elapsed() < 3000);
    const RawResponse response = connection.responses().first();
    QCOMPARE(response.status, 413);
    QVERIFY2(response.isErrorFormat(), response.body.constData());
    QCOMPARE(response.json().value(u"error"_s).toString(), u"payload_too_large"_s);

    // The rest of the announced body is not read as further requests: the server closes.
    QVERIFY(connection.waitForClose(5000));
    HttpClient client(url());
    QCOMPARE(client.get(u"/system/health"_s).status, 200);
}

void tst_Http::bodyLimit_chunked_data()
{
    QTest::addColumn<int>("chunks");
    QTest::addColumn<bool>("terminated");

    QTest::addRow("72 KiB, complete") << 9 << true;
    QTest::addRow("endless") << 1000 << false;
}

void tst_Http::bodyLimit_chunked()
{
    QFETCH(int, chunks);
    QFETCH(bool, terminated);

    // Chunked bodies have no Content-Length to check; they are held to the same limit, also when
    // the client never stops sending.
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send("POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk(8 * 1024, ' ');
    for (int i = 0; i < chunks && connection.responses().isEmpty() && !connection.closedByServer(); ++i) {
        connection.send(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
        QTest::qWait(2);
    }
    if (terminated)
        connection.send("0\r\n\r\n");
    QVERIFY2(connection.waitForResponses(1, 5000), connection.unparsed().constData());
    const RawResponse response = connection.responses().first();
    QCOMPARE(response.status, 413);
    QVERIFY2(response.isErrorFormat(), response.body.constData());
    QCOMPARE(response.json().value(u"error"_s).toString(), u"payload_too_large"_s);

    HttpClient client(url());
    QCOMPARE(client.get(u"/system/health"_s).status, 200);
}

void tst_Http::headTooLarge()
{
    // Headers are bounded too: a client cannot make the server store an endless head.
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send("GET /system/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 100 && connection.responses().isEmpty() && !connection.closedByServer(); ++i) {
        connection.send("X-Filler-" + QByteArray::number(i) + ": " + QByteArray(1000, 'x') + "\r\n");
        QTest::qWait(1);
    }
    QVERIFY2(connection.waitForResponses(1, 5000), connection.unparsed().constData());
    const RawResponse response = connection.responses().first();
    QCOMPARE(response.status, 431);
    QVERIFY2(response.isErrorFormat(), response.body.constData());
    QVERIFY(connection.waitForClose(5000));

    // A large but bounded head is fine.
    RawConnection fine;
    QVERIFY(fine.connectTo(port()));
    fine.send(rawRequest("GET", "/system/health", {}, {{"X-Filler", QByteArray(32 * 1024, 'x')}}));
    QVERIFY(fine.waitForResponses(1));
    QCOMPARE(fine.responses().first().status, 200);
}

// ---------------------------------------------------------------------------------------------
// Garbage, slow and idle clients: QHttpServer 6.4 closes nothing by itself

void tst_Http::garbage_isRefusedAndClosed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15);
    QTest::newRow("words") << QByteArray("HELLO THERE\r\n\r\n");
    QTest::newRow("no version") << QByteArray("GET /system/health\r\n\r\n");
    QTest::newRow("HTTP/2 line") << QByteArray("GET /system/health HTTP/2.0\r\nHost: x\r\n\r\n");
    QTest::newRow("lower-case method") << QByteArray("get /system/health HTTP/1.1\r\nHost: x\r\n\r\n");
}

void tst_Http::garbage_isRefusedAndClosed()
{
    QFETCH(QByteArray, bytes);
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send(bytes);
    QVERIFY2(connection.waitForResponses(1, 5000), connection.unparsed().constData());
    const RawResponse response = connection.responses().first();
    QCOMPARE(response.status, 400);
    QVERIFY2(response.isErrorFormat(), response.body.constData());
    QCOMPARE(QJsonDocument::fromJson(response.body).object().value(u"error"_s).toString(), u"bad_request"_s);
    QVERIFY(connection.waitForClose(5000));

    HttpClient other(url());
    QCOMPARE(other.get(u"/system/health"_s).status, 200);
}

void tst_Http::slowClients_timeOutWithoutStallingOthers()
{
    TestBackend strict({{u"SERVER_REQUEST_TIMEOUT"_s, u"1"_s}});
    REQUIRE_TEST_DATABASE(strict.database());
    QVERIFY2(strict.start(), qPrintable(strict.error()));
    const quint16 serverPort = quint16(strict.baseUrl().port());
    HttpClient other(strict.baseUrl());
    QCOMPARE(other.get(u"/system/health"_s).status, 200);

    // A slowloris crowd: each sends part of a head, then one more header byte now and then.
    constexpr int kSlow = 50;
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kSlow; ++i) {
        slow.push_back(std::make_unique<RawConnection>());
        QVERIFY(slow.back()->connectTo(serverPort));
        slow.back()->send("GET /system/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    QElapsedTimer sinceStart;
    sinceStart.start();
    int healthChecks = 0;
    while (sinceStart.elapsed() < 2500) {
        for (auto &connection : slow) {
            if (!connection->closedByServer())
                connection->send("x");
        }
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(other.get(u"/system/health"_s).status, 200);
        QVERIFY2(timer.elapsed() < 500, qPrintable(u"health took %1 ms beside slow clients"_s.arg(timer.elapsed())));
        ++healthChecks;
        QTest::qWait(100);
    }
    QVERIFY(healthChecks >= 10);

    // Trickling did not extend the clock: each got 408 about a second after its first byte.
    for (auto &connection : slow) {
        QVERIFY2(connection->waitForResponses(1, 3000), connection->unparsed().constData());
        QCOMPARE(connection->responses().first().status, 408);
        QVERIFY(connection->responses().first().isErrorFormat());
        QVERIFY(connection->waitForClose(3000));
    }
}

void tst_Http::slowBody_timesOut()
{
    TestBackend strict({{u"SERVER_REQUEST_TIMEOUT"_s, u"1"_s}});
    REQUIRE_TEST_DATABASE(strict.database());
    QVERIFY2(strict.start(), qPrintable(strict.error()));

    RawConnection connection;
    QVERIFY(connection.connectTo(quint16(strict.baseUrl().port())));
    QElapsedTimer elapsed;
    elapsed.start();
    connection.send("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n{\"email\":");
    QVERIFY(connection.waitForResponses(1, 5000));
    QCOMPARE(connection.responses().first().status, 408);
    QVERIFY2(elapsed.elapsed() >= 900, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(connection.waitForClose(3000));
}

void tst_Http::idleConnections_areClosed()
{
    TestBackend strict({{u"SERVER_IDLE_TIMEOUT"_s, u"1"_s}});
    REQUIRE_TEST_DATABASE(strict.database());
    QVERIFY2(strict.start(), qPrintable(strict.error()));
    const quint16 serverPort = quint16(strict.baseUrl().port());

    // Connects and never speaks.
    RawConnection silent;
    QVERIFY(silent.connectTo(serverPort));
    // Keeps its connection open after an answer.
    RawConnection keepAlive;
    QVERIFY(keepAlive.connectTo(serverPort));
    keepAlive.send(rawRequest("GET", "/system/health"));
    QVERIFY(keepAlive.waitForResponses(1));
    QCOMPARE(keepAlive.responses().first().status, 200);

    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(silent.waitForClose(4000));
    QVERIFY(keepAlive.waitForClose(4000));
    QVERIFY2(elapsed.elapsed() >= 500, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(silent.responses().size(), 0);
    QCOMPARE(keepAlive.responses().size(), 1);
}

void tst_Http::longPoll_outlastsTheIdleClock()
{
    TestBackend strict({{u"SERVER_IDLE_TIMEOUT"_s, u"1"_s}, {u"SERVER_REQUEST_TIMEOUT"_s, u"1"_s}});
    REQUIRE_TEST_DATABASE(strict.database());
    QVERIFY2(strict.start(), qPrintable(strict.error()));
    HttpClient client(strict.baseUrl());
    client.registerUser();
    const QString callId = initiateCall(client, u"+4915123456789"_s);
    QVERIFY(!callId.isEmpty());

    // Waiting for an answer is neither idle nor a slow request.
    RawConnection poll;
    QVERIFY(poll.connectTo(quint16(strict.baseUrl().port())));
    QElapsedTimer elapsed;
    elapsed.start();
    poll.send(rawRequest("GET", "/api/calls/" + callId.toLatin1() + "?wait=3&status=connecting", {},
                         {{"Authorization", "Bearer " + client.token().toLatin1()}}));
    QVERIFY(poll.waitForResponses(1, 6000));
    QCOMPARE(poll.responses().first().status, 200);
    // The 3 s wait runs on a coarse timer (±5 %); what matters is that it outlived both 1 s clocks.
    QVERIFY2(elapsed.elapsed() >= 2000, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(!poll.closedByServer());
    // Then the idle clock runs.
    QVERIFY(poll.waitForClose(4000));
}

// ---------------------------------------------------------------------------------------------
// CORS

void tst_Http::cors_preflight_data()
{
    QTest::addColumn<QByteArray>("origin"); // PORT stands for the server's port
    QTest::addColumn<bool>("allowed");

    QTest::addRow("own origin") << QByteArray("http://127.0.0.1:PORT") << true;
    QTest::addRow("localhost") << QByteArray("http://localhost:PORT") << true;
    QTest::addRow("another site") << QByteArray("http://evil.example") << false;
    QTest::addRow("another port") << QByteArray("http://127.0.0.1:1") << false;
    QTest::addRow("https") << QByteArray("https://127.0.0.1:PORT") << false;
    QTest::addRow("null origin") << QByteArray("null") << false;
    QTest::addRow("own origin as a prefix") << QByteArray("http://127.0.0.1:PORT.evil.example") << false;
    QTest::addRow("listed in CORS_ORIGINS") << QByteArray("https://crm.example.com") << true;
    QTest::addRow("listed, but another port") << QByteArray("https://crm.example.com:8443") << false;
    QTest::addRow("listed, but plain HTTP") << QByteArray("http://crm.example.com") << false;
    QTest::addRow("a subdomain of the listed") << QByteArray("https://x.crm.example.com") << false;
}

void tst_Http::cors_preflight()
{
    QFETCH(QByteArray, origin);
    QFETCH(bool, allowed);
    origin.replace("PORT", QByteArray::number(port()));

    HttpClient client(url());
    const HttpResult result = client.send("OPTIONS", u"/api/calls/initiate"_s, {},
                                          {{"Origin", origin},
                                           {"Access-Control-Request-Method", "POST"},
                                           {"Access-Control-Request-Headers", "authorization, content-type"}});
    const QByteArray allowOrigin = result.header("Access-Control-Allow-Origin");
    QVERIFY(allowOrigin != "*");
    if (!allowed) {
        QCOMPARE(result.status, 403);
        QVERIFY2(result.isErrorFormat(), result.body.constData());
        QVERIFY(allowOrigin.isEmpty());
        return;
    }
    QCOMPARE(result.status, 204);
    QVERIFY(result.body.isEmpty());
    QCOMPARE(allowOrigin, origin);
    QVERIFY(result.header("Vary").contains("Origin"));
    const QByteArray methods = result.header("Access-Control-Allow-Methods");
    QVERIFY2(methods.contains("POST") && methods.contains("GET"), methods.constData());
    const QByteArray headers = result.header("Access-Control-Allow-Headers").toLower();
    QVERIFY2(headers.contains("authorization") && headers.contains("content-type"), headers.constData());
}

void tst_Http::cors_simpleRequest_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("allowed");

    QTest::addRow("own origin") << QByteArray("http://127.0.0.1:PORT") << true;
    QTest::addRow("another site") << QByteArray("http://evil.example") << false;
    QTest::addRow("listed in CORS_ORIGINS") << QByteArray("https://crm.example.com") << true;
}

void tst_Http::cors_simpleRequest()
{
    QFETCH(QByteArray, origin);
    QFETCH(bool, allowed);
    origin.replace("PORT", QByteArray::number(port()));

    // The request itself is answered either way; only the browser's permission to read it differs.
    HttpClient client(url());
    const HttpResult health = client.send("GET", u"/system/health"_s, {}, {{"Origin", origin}});
    QCOMPARE(health.status, 200);
    QCOMPARE(health.header("Access-Control-Allow-Origin"), allowed ? origin : QByteArray());

    const HttpResult missing = client.send("GET", u"/nope"_s, {}, {{"Origin", origin}});
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.header("Access-Control-Allow-Origin"), allowed ? origin : QByteArray());
}

// ---------------------------------------------------------------------------------------------
// Late answers

void tst_Http::pipelining_answersInOrder()
{
    TestBackend slow({{u"VOIP_MOCK_LATENCY_MS"_s, u"300"_s}});
    REQUIRE_TEST_DATABASE(slow.database());
    QVERIFY2(slow.start(), qPrintable(slow.error()));
    HttpClient client(slow.baseUrl());
    client.registerUser();

    // Four requests in one write; the first one is answered 300 ms later than the others could be.
    RawConnection connection;
    QVERIFY(connection.connectTo(quint16(slow.baseUrl().port())));
    QElapsedTimer elapsed;
    elapsed.start();
    connection.send(initiateRequest(client.token()) + rawRequest("GET", "/system/health")
                    + rawRequest("GET", "/api/webrtc/config", {}, {{"Authorization", bearer(client.token())}})
                    + rawRequest("GET", "/nope"));
    QVERIFY2(connection.waitForResponses(4, 10000),
             qPrintable(u"%1 answers; unparsed: %2"_s.arg(connection.responses().size()).arg(QString::fromUtf8(connection.unparsed()))));
    QVERIFY(elapsed.elapsed() >= 250);

    const QList<RawResponse> &responses = connection.responses();
    QCOMPARE(responses[0].status, 200);
    QCOMPARE(responses[0].json().value(u"status"_s).toString(), u"connecting"_s);
    QVERIFY(!responses[0].json().value(u"call_id"_s).toString().isEmpty());
    QCOMPARE(responses[1].status, 200);
    QCOMPARE(responses[1].json().value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(responses[2].status, 200);
    QVERIFY(responses[2].json().value(u"iceServers"_s).isArray());
    QCOMPARE(responses[3].status, 404);
    QVERIFY(responses[3].isErrorFormat());
    QCOMPARE(responses.size(), 4);

    // The connection is still good for more.
    connection.send(rawRequest("GET", "/system/health"));
    QVERIFY(connection.waitForResponses(5));
    QCOMPARE(connection.responses().last().status, 200);
}

void tst_Http::pipelining_refusalWaitsForEarlierAnswers()
{
    TestBackend slow({{u"VOIP_MOCK_LATENCY_MS"_s, u"300"_s}});
    REQUIRE_TEST_DATABASE(slow.database());
    QVERIFY2(slow.start(), qPrintable(slow.error()));
    HttpClient client(slow.baseUrl());
    client.registerUser();

    // A slow request, then one announcing a body over the limit: the refusal comes second.
    RawConnection connection;
    QVERIFY(connection.connectTo(quint16(slow.baseUrl().port())));
    connection.send(initiateRequest(client.token()) + rawRequest("GET", "/system/health")
                    + "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100000\r\n\r\n{");
    QVERIFY2(connection.waitForResponses(3, 10000), qPrintable(QString::number(connection.responses().size())));
    QCOMPARE(connection.responses()[0].status, 200);
    QCOMPARE(connection.responses()[0].json().value(u"status"_s).toString(), u"connecting"_s);
    QCOMPARE(connection.responses()[1].status, 200);
    QCOMPARE(connection.responses()[2].status, 413);
    QVERIFY(connection.responses()[2].isErrorFormat());
    QVERIFY(connection.waitForClose(5000));
}

void tst_Http::slowProvider_doesNotDelayOtherClients()
{
    TestBackend slow({{u"VOIP_MOCK_LATENCY_MS"_s, u"1500"_s}});
    REQUIRE_TEST_DATABASE(slow.database());
    QVERIFY2(slow.start(), qPrintable(slow.error()));

    HttpClient caller(slow.baseUrl());
    caller.registerUser();
    HttpClient watcher(slow.baseUrl());
    watcher.setToken(caller.token());
    HttpClient other(slow.baseUrl());
    QCOMPARE(other.get(u"/system/health"_s).status, 200); // connected before the clock starts

    QElapsedTimer sinceInitiate;
    sinceInitiate.start();
    QNetworkReply *pending = caller.start("POST", u"/api/calls/initiate"_s, json({{u"phone_number"_s, u"+12025550199"_s}}));
    // The call is recorded before the provider is asked: from then on the provider is busy.
    QTRY_COMPARE(historyTotal(watcher, u"status=initiated"_s), 1);
    QVERIFY(!pending->isFinished());

    for (int i = 0; i < 5; ++i) {
        QElapsedTimer timer;
        timer.start();
        const HttpResult health = other.get(u"/system/health"_s);
        QCOMPARE(health.status, 200);
        QVERIFY2(timer.elapsed() < 300, qPrintable(u"health took %1 ms"_s.arg(timer.elapsed())));
    }
    QVERIFY(!pending->isFinished());

    const HttpResult placed = HttpClient::finish(pending);
    QCOMPARE(placed.status, 200);
    QCOMPARE(placed.json.value(u"status"_s).toString(), u"connecting"_s);
    QVERIFY2(sinceInitiate.elapsed() >= 1400, qPrintable(QString::number(sinceInitiate.elapsed())));
}

void tst_Http::disconnect_whileAnswerPending()
{
    TestBackend slow({{u"VOIP_MOCK_LATENCY_MS"_s, u"400"_s}});
    REQUIRE_TEST_DATABASE(slow.database());
    QVERIFY2(slow.start(), qPrintable(slow.error()));
    HttpClient client(slow.baseUrl());
    client.registerUser();

    {
        RawConnection connection;
        QVERIFY(connection.connectTo(quint16(slow.baseUrl().port())));
        connection.send(initiateRequest(client.token()));
        // Leave once the server is placing the call and the answer is pending.
        QTRY_COMPARE(historyTotal(client, u"status=initiated"_s), 1);
        connection.socket().abort();
    }

    // The provider finishes after the client left: the call is placed, its answer dropped.
    QTRY_COMPARE_WITH_TIMEOUT(historyTotal(client, u"status=connecting"_s), 1, 5000);
    QCOMPARE(historyTotal(client, u"status=initiated"_s), 0);
    QCOMPARE(client.get(u"/system/health"_s).status, 200);

    // The server still handles that call like any other.
    const QString callId = client.get(u"/api/calls/history"_s).json.value(u"calls"_s).toArray().first().toObject()
                               .value(u"call_id"_s).toString();
    const HttpResult ended = client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"canceled"_s);
}

void tst_Http::disconnect_manyTimes()
{
    TestBackend slow({{u"VOIP_MOCK_LATENCY_MS"_s, u"300"_s}});
    REQUIRE_TEST_DATABASE(slow.database());
    QVERIFY2(slow.start(), qPrintable(slow.error()));
    const quint16 serverPort = quint16(slow.baseUrl().port());

    constexpr int kClients = 16;
    std::vector<std::unique_ptr<HttpClient>> operators;
    for (int i = 0; i < kClients; ++i) {
        operators.push_back(std::make_unique<HttpClient>(slow.baseUrl()));
        operators.back()->registerUser(u"leaver"_s);
    }

    // Every way of leaving early, all at once: right after sending, after the server read the
    // request, halfway through it, with answers queued behind a slow one, during a password hash.
    std::vector<std::unique_ptr<RawConnection>> connections;
    for (int i = 0; i < kClients; ++i) {
        auto connection = std::make_unique<RawConnection>();
        QVERIFY(connection->connectTo(serverPort));
        const QByteArray initiate = initiateRequest(operators[i]->token());
        switch (i % 5) {
        case 0:
            connection->send(initiate);
            connection->socket().abort();
            break;
        case 1:
            connection->send(initiate);
            break; // closed below, once the server is placing the call
        case 2:
            connection->send(initiate.left(initiate.size() / 2));
            connection->socket().disconnectFromHost();
            break;
        case 3:
            connection->send(initiate + rawRequest("GET", "/system/health") + rawRequest("GET", "/metrics"));
            break;
        case 4:
            connection->send(rawRequest("POST", "/api/auth/register",
                                        json({{u"email"_s, u"gone-%1@example.com"_s.arg(i)},
                                              {u"password"_s, u"correct horse battery"_s}}),
                                        {{"Content-Type", "application/json"}}));
            connection->socket().disconnectFromHost();
            break;
        }
        connections.push_back(std::move(connection));
    }
    for (int i = 1; i < kClients; i += 5)
        QTRY_COMPARE(historyTotal(*operators[i], QString()), 1); // the server has read the request
    for (int i = 0; i < kClients; ++i) {
        if (i % 5 == 1 || i % 5 == 3)
            connections[i]->socket().abort();
    }
    connections.clear();

    // Every provider answer arrives to a connection that is gone; nothing is left half-placed.
    for (int i = 0; i < kClients; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(historyTotal(*operators[i], u"status=initiated"_s), 0, 5000);
    HttpClient observer(slow.baseUrl());
    QCOMPARE(observer.get(u"/system/health"_s).status, 200);

    for (int i = 0; i < kClients; ++i) {
        const HttpResult history = operators[i]->get(u"/api/calls/history"_s);
        QCOMPARE(history.status, 200);
        const QJsonArray calls = history.json.value(u"calls"_s).toArray();
        if (i % 5 == 1 || i % 5 == 3)
            QCOMPARE(calls.size(), 1); // the server had read these requests
        for (const QJsonValue &call : calls) {
            // Placed and live: the mock's far end picks up a call that posts no answer after its
            // ringback (signalling-only), so by now it may be active.
            const QString status = call.toObject().value(u"status"_s).toString();
            QVERIFY2(status == u"connecting"_s || status == u"active"_s, qPrintable(status));
            const HttpResult ended =
                operators[i]->post(u"/api/calls/terminate"_s, {{u"call_id"_s, call.toObject().value(u"call_id"_s)}});
            QCOMPARE(ended.status, 200);
            const QString final = ended.json.value(u"status"_s).toString();
            QVERIFY2(final == u"canceled"_s || final == u"completed"_s, qPrintable(final));
        }
    }

    // Then one after the other: clients that leave while their password is being hashed.
    for (int i = 0; i < 20; ++i) {
        RawConnection connection;
        QVERIFY(connection.connectTo(serverPort));
        const QString email = u"hasty-%1-%2@example.com"_s.arg(i).arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
        connection.send(rawRequest("POST", "/api/auth/register",
                                   json({{u"email"_s, email}, {u"password"_s, u"correct horse battery"_s}}),
                                   {{"Content-Type", "application/json"}}));
        if (i % 2)
            QTest::qWait(5);
        connection.socket().abort();
    }
    QCOMPARE(observer.get(u"/system/health"_s).status, 200);

    // And a client that stays gets its late answer as usual. The hashes of those that left still
    // run (at most PasswordHasher::kMaxJobs): it waits as Retry-After says while they finish.
    HttpClient stayer(slow.baseUrl());
    const QJsonObject credentials{{u"email"_s, HttpClient::uniqueEmail(u"stayer"_s)}, {u"password"_s, u"correct horse battery"_s}};
    HttpResult registered = stayer.post(u"/api/auth/register"_s, credentials);
    for (int retry = 0; registered.status == 503 && retry < 50; ++retry) {
        QCOMPARE(registered.json.value(u"error"_s).toString(), u"server_busy"_s);
        QTest::qWait(200);
        registered = stayer.post(u"/api/auth/register"_s, credentials);
    }
    QCOMPARE(registered.status, 201);
    stayer.setToken(registered.json.value(u"token"_s).toString());
    QVERIFY(!initiateCall(stayer, u"+12025550199"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_Http)
#include "tst_http.moc"
