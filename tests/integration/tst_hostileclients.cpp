// Hostile clients (issue 15's defects 1–4 and 8): request framing that QHttpServer reads more
// leniently than the guard, pipelining without reading, connections without end, registration
// floods and password-hashing floods. Each case failed on the server before its fix.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include "auth/passwordhasher.h"
#include "http/apiserver.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

/// A request head with the given header lines (CRLF-joined) and `body` after it.
QByteArray framedRequest(const QByteArray &headerLines, const QByteArray &body)
{
    return "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headerLines
        + "\r\n\r\n" + body;
}

/// What a bare QHttpServer 6.4 (no guard) reads as the body of `request`: its length, or -1 when
/// it answered nothing within a second (it waits for more).
qint64 bareServerBodyLength(quint16 port, const QByteArray &request)
{
    RawConnection connection;
    if (!connection.connectTo(port))
        return -2;
    connection.send(request);
    if (!connection.waitForResponses(1, 1000))
        return -1;
    return connection.responses().first().body.toLongLong();
}

} // namespace

class tst_HostileClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void framing_data();
    void framing();
    void framing_acceptedAsQHttpServerReadsIt_data();
    void framing_acceptedAsQHttpServerReadsIt();

    void pipelining_withoutReading_isHeldBackThenCut();
    void pipelining_largeAnswers_everyOneInOrder();
    void pipelining_longPolls_atMost16InFlight();
    void longPolls_perOperator_areBounded();

    void connections_perClientCap_answers503AndRecovers();
    void connections_totalCap_answers503AndRecovers();

    void register_isRateLimitedPerAddress();
    void mockFarEnds_areCapped();
    void passwordHashing_floodIsAnswered503();

private:
    quint16 port() const { return quint16(m_backend->baseUrl().port()); }

    std::unique_ptr<TestBackend> m_backend;
    QHttpServer m_bare; ///< QHttpServer without the guard: how Qt itself reads a request
    quint16 m_barePort = 0;
};

void tst_HostileClients::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));

    m_bare.route(u"/api/auth/login"_s, [](const QHttpServerRequest &request) {
        return QString::number(request.body().size());
    });
    m_barePort = m_bare.listen(QHostAddress::LocalHost);
    QVERIFY(m_barePort != 0);
}

void tst_HostileClients::cleanupTestCase()
{
    m_backend.reset();
}

// ---------------------------------------------------------------------------------------------
// Framing (defect 3): refused from the head alone, before a byte of the body is read

void tst_HostileClients::framing_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");

    QTest::addRow("plus sign") << QByteArray("Content-Length: +4000000") << 400;
    QTest::addRow("minus sign") << QByteArray("Content-Length: -5") << 400;
    QTest::addRow("hexadecimal") << QByteArray("Content-Length: 0x10") << 400;
    QTest::addRow("exponent") << QByteArray("Content-Length: 1e3") << 400;
    QTest::addRow("two numbers") << QByteArray("Content-Length: 5 5") << 400;
    QTest::addRow("a list of equal lengths") << QByteArray("Content-Length: 5, 5") << 400;
    QTest::addRow("sent twice, equal") << QByteArray("Content-Length: 5\r\nContent-Length: 5") << 400;
    QTest::addRow("sent twice, conflicting") << QByteArray("Content-Length: 5\r\nContent-Length: 4000000") << 400;
    QTest::addRow("empty") << QByteArray("Content-Length: ") << 400;
    QTest::addRow("beside chunked") << QByteArray("Content-Length: 5\r\nTransfer-Encoding: chunked") << 400;
    QTest::addRow("gzip, chunked") << QByteArray("Transfer-Encoding: gzip, chunked") << 400;
    QTest::addRow("chunked twice") << QByteArray("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked") << 400;
    QTest::addRow("space before the colon") << QByteArray("Content-Length : 5") << 400;
    QTest::addRow("folded line") << QByteArray("X-Note: a\r\n b") << 400;
    QTest::addRow("line without a name") << QByteArray(": 5") << 400;
    QTest::addRow("vertical tab before the name") << QByteArray("\vContent-Length: 5") << 400;
    QTest::addRow("bare CR between headers") << QByteArray("X-Note: a\rContent-Length: 5") << 400;
    QTest::addRow("NUL in a value") << QByteArray("X-Note: a\0b", 11) << 400;
    QTest::addRow("20 digits") << QByteArray("Content-Length: 99999999999999999999") << 413;
    QTest::addRow("over the limit") << QByteArray("Content-Length: 65537") << 413;
}

void tst_HostileClients::framing()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);

    // The body the head announces (4 MB for "+4000000") is never sent: the answer comes from the
    // head alone, and the connection is closed rather than read on.
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send(framedRequest(headers, "{}"));
    QVERIFY2(connection.waitForResponses(1, 5000), connection.unparsed().constData());
    const RawResponse response = connection.responses().first();
    QCOMPARE(response.status, status);
    QVERIFY2(response.isErrorFormat(), response.body.constData());
    QVERIFY(connection.waitForClose(5000));

    HttpClient client(m_backend->baseUrl());
    QCOMPARE(client.get(u"/system/health"_s).status, 200);
}

void tst_HostileClients::framing_acceptedAsQHttpServerReadsIt_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("length");

    QTest::addRow("plain") << QByteArray("Content-Length: 17") << QByteArray(R"({"email":"a@b.c"})") << qint64(17);
    QTest::addRow("leading zeros") << QByteArray("Content-Length: 0017") << QByteArray(R"({"email":"a@b.c"})") << qint64(17);
    QTest::addRow("spaces around") << QByteArray("Content-Length:   17  ") << QByteArray(R"({"email":"a@b.c"})") << qint64(17);
    QTest::addRow("name in odd case") << QByteArray("cOnTeNt-LeNgTh: 2") << QByteArray("{}") << qint64(2);
    QTest::addRow("zero") << QByteArray("Content-Length: 0") << QByteArray() << qint64(0);
    QTest::addRow("no length") << QByteArray("X-Note: none") << QByteArray() << qint64(0);
    QTest::addRow("chunked") << QByteArray("Transfer-Encoding: chunked") << QByteArray("2\r\n{}\r\n0\r\n\r\n") << qint64(2);
    QTest::addRow("chunked, odd case") << QByteArray("Transfer-Encoding: Chunked") << QByteArray("2\r\n{}\r\n0\r\n\r\n") << qint64(2);
}

void tst_HostileClients::framing_acceptedAsQHttpServerReadsIt()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(qint64, length);

    // What the guard lets through, QHttpServer must frame the same way: the body it hands on is
    // the one the guard measured, and the request after it starts where the guard thinks.
    const QByteArray request = framedRequest(headers, body);
    QCOMPARE(bareServerBodyLength(m_barePort, request), length);

    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    connection.send(request + rawRequest("GET", "/system/health"));
    QVERIFY2(connection.waitForResponses(2, 5000), connection.unparsed().constData());
    const int status = connection.responses().at(0).status;
    QVERIFY2(status == 400 || status == 401, QByteArray::number(status).constData()); // judged by the route
    QCOMPARE(connection.responses().at(1).status, 200);
}

// ---------------------------------------------------------------------------------------------
// Pipelining (defect 2)

void tst_HostileClients::pipelining_withoutReading_isHeldBackThenCut()
{
    TestBackend backend({{u"SERVER_REQUEST_TIMEOUT"_s, u"2"_s}});
    REQUIRE_TEST_DATABASE(backend.database());
    QVERIFY2(backend.start(), qPrintable(backend.error()));

    // 20,000 requests for the 39 KB OpenAPI document, padded to 4 KB each (80 MB), and not one
    // byte of the 780 MB of answers read. Before the fix the server read them all and queued
    // every answer in memory. Now it stops reading once a megabyte of answers waits, TCP pushes
    // back, most of what the client wrote stays with the client, and the connection is cut.
    QTcpSocket client;
    client.setReadBufferSize(4096);
    client.connectToHost(QHostAddress::LocalHost, quint16(backend.baseUrl().port()));
    QVERIFY(client.waitForConnected(5000));
    const QByteArray one = rawRequest("GET", "/api/openapi.json", {}, {{"X-Pad", QByteArray(4000, 'p')}});
    constexpr int kRequests = 20000;
    QByteArray flood;
    flood.reserve(one.size() * kRequests);
    for (int i = 0; i < kRequests; ++i)
        flood += one;
    client.write(flood);

    // What the client could not hand over, sampled while connected (Qt drops it at the close).
    qint64 leftWithClient = 0;
    QTimer sample;
    connect(&sample, &QTimer::timeout, &client, [&client, &leftWithClient]() {
        if (client.state() == QAbstractSocket::ConnectedState)
            leftWithClient = client.bytesToWrite();
    });
    sample.start(50);
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == QAbstractSocket::UnconnectedState, 15000);
    QVERIFY2(leftWithClient > flood.size() / 2,
             qPrintable(u"the server took %1 of %2 bytes"_s.arg(flood.size() - leftWithClient).arg(flood.size())));
    QVERIFY(elapsed.elapsed() >= 1500);

    HttpClient other(backend.baseUrl());
    QCOMPARE(other.get(u"/system/health"_s).status, 200);
}

void tst_HostileClients::pipelining_largeAnswers_everyOneInOrder()
{
    // 200 pipelined requests and 4 MB of answers, more than may wait unsent: a client that reads
    // gets every answer, in order. Holding its requests back loses none of them.
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    QByteArray requests;
    constexpr int kRequests = 200;
    for (int i = 0; i < kRequests; ++i)
        requests += rawRequest("GET", i % 2 ? "/api/openapi.json" : "/nope");
    connection.send(requests);
    QVERIFY2(connection.waitForResponses(kRequests, 30000),
             qPrintable(u"%1 answers"_s.arg(connection.responses().size())));
    for (int i = 0; i < kRequests; ++i)
        QCOMPARE(connection.responses().at(i).status, i % 2 ? 200 : 404);
}

void tst_HostileClients::pipelining_longPolls_atMost16InFlight()
{
    // 40 long polls of one second each, pipelined on one connection. At most 16 are in flight at
    // once, so they take at least three rounds; every one is answered, in order.
    HttpClient client(m_backend->baseUrl());
    client.registerUser(u"poller"_s);
    // The no-answer number rings (connecting) for VOIP_MOCK_RING_TIMEOUT: every poll waits its second.
    QString noAnswer;
    for (const QJsonValue &number : client.get(u"/api/mock/test-numbers"_s).json.value(u"numbers"_s).toArray()) {
        if (number[u"outcome"_s].toString() == u"no_answer"_s)
            noAnswer = number[u"number"_s].toString();
    }
    QVERIFY(!noAnswer.isEmpty());
    const QString callId = initiateCall(client, noAnswer);
    QVERIFY(!callId.isEmpty());
    RawConnection connection;
    QVERIFY(connection.connectTo(port()));
    QByteArray polls;
    constexpr int kPolls = 40;
    const QByteArray target = u"/api/calls/%1?wait=1&status=connecting"_s.arg(callId).toLatin1();
    for (int i = 0; i < kPolls; ++i)
        polls += rawRequest("GET", target, {}, {{"Authorization", "Bearer " + client.token().toLatin1()}});
    QElapsedTimer elapsed;
    elapsed.start();
    connection.send(polls);
    QVERIFY2(connection.waitForResponses(kPolls, 20000), qPrintable(u"%1 answers"_s.arg(connection.responses().size())));
    QVERIFY2(elapsed.elapsed() >= 2500, qPrintable(u"%1 ms"_s.arg(elapsed.elapsed())));
    for (const RawResponse &response : connection.responses())
        QCOMPARE(response.json().value(u"call_id"_s).toString(), callId);
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
}

// ---------------------------------------------------------------------------------------------
// Connections (defect 4)

namespace {

/// Opens `count` connections that stay open and idle.
std::vector<std::unique_ptr<RawConnection>> holdConnections(quint16 port, int count)
{
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < count; ++i) {
        held.push_back(std::make_unique<RawConnection>());
        if (!held.back()->connectTo(port))
            qWarning("connection %d did not connect", i);
    }
    return held;
}

/// A new connection's answer to GET /system/health: 200, or the 503 of a turned-away connection.
int healthOnNewConnection(quint16 port);

/// Asks on new connections until one is served (a closed connection is counted out when the
/// server has seen it close); the last answer. Not QTRY_: each try opens a connection.
int healthOnceServed(quint16 port, int timeoutMs = 10000)
{
    QElapsedTimer elapsed;
    elapsed.start();
    int status = healthOnNewConnection(port);
    while (status != 200 && elapsed.elapsed() < timeoutMs) {
        QTest::qWait(50);
        status = healthOnNewConnection(port);
    }
    return status;
}

int healthOnNewConnection(quint16 port)
{
    RawConnection connection;
    if (!connection.connectTo(port))
        return -1;
    connection.send(rawRequest("GET", "/system/health"));
    if (!connection.waitForResponses(1, 5000))
        return connection.closedByServer() ? -2 : -3;
    const RawResponse response = connection.responses().first();
    if (response.status == 503 && response.json().value(u"error"_s).toString() != u"too_many_connections"_s)
        return -4;
    return response.status;
}

} // namespace

void tst_HostileClients::connections_perClientCap_answers503AndRecovers()
{
    TestBackend backend({{u"MAX_CONNECTIONS_PER_CLIENT"_s, u"8"_s}});
    REQUIRE_TEST_DATABASE(backend.database());
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    const auto port = quint16(backend.baseUrl().port());

    auto held = holdConnections(port, 8);
    QTest::qWait(200); // every one accepted
    QCOMPARE(healthOnNewConnection(port), 503);

    held.pop_back();
    QCOMPARE(healthOnceServed(port), 200);
    // Every held connection still works.
    for (const auto &connection : held) {
        connection->send(rawRequest("GET", "/system/health"));
        QVERIFY(connection->waitForResponses(1, 5000));
        QCOMPARE(connection->responses().first().status, 200);
    }
}

void tst_HostileClients::connections_totalCap_answers503AndRecovers()
{
    TestBackend backend({{u"MAX_CONNECTIONS"_s, u"12"_s}, {u"SERVER_THREADS"_s, u"2"_s}});
    REQUIRE_TEST_DATABASE(backend.database());
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    const auto port = quint16(backend.baseUrl().port());

    // Counted over both serving threads: the kernel spreads the connections between them.
    auto held = holdConnections(port, 12);
    QTest::qWait(200);
    QCOMPARE(healthOnNewConnection(port), 503);
    held.clear();
    QCOMPARE(healthOnceServed(port), 200);
}

// ---------------------------------------------------------------------------------------------
// Registration flood (defect 1) and password-hashing flood (defect 8)

void tst_HostileClients::longPolls_perOperator_areBounded()
{
    // One operator's long polls over many connections: those beyond the bound are answered at once
    // with the call as it is, the others wait for its change.
    HttpClient client(m_backend->baseUrl());
    client.registerUser(u"manypolls"_s);
    QString noAnswer;
    for (const QJsonValue &number : client.get(u"/api/mock/test-numbers"_s).json.value(u"numbers"_s).toArray()) {
        if (number[u"outcome"_s].toString() == u"no_answer"_s)
            noAnswer = number[u"number"_s].toString();
    }
    const QString callId = initiateCall(client, noAnswer);
    QVERIFY(!callId.isEmpty());
    const QByteArray poll = rawRequest("GET", u"/api/calls/%1?wait=30&status=connecting"_s.arg(callId).toLatin1(), {},
                                       {{"Authorization", "Bearer " + client.token().toLatin1()}});
    constexpr int kOver = 3;
    std::vector<std::unique_ptr<RawConnection>> polls = holdConnections(port(), Switchboard::ApiServer::kMaxWaitingPollsPerUser + kOver);
    for (const auto &connection : polls)
        connection->send(poll);
    const auto answered = [&polls] {
        return std::count_if(polls.cbegin(), polls.cend(), [](const auto &c) { return !c->responses().isEmpty(); });
    };
    QTRY_COMPARE(answered(), qsizetype(kOver));
    QTest::qWait(500); // and no more
    QCOMPARE(answered(), qsizetype(kOver));
    for (const auto &connection : polls) {
        if (!connection->responses().isEmpty())
            QCOMPARE(connection->responses().first().json().value(u"status"_s).toString(), u"connecting"_s);
    }
    // The call ends: every waiting poll is answered, and the operator may wait again.
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_COMPARE(answered(), qsizetype(polls.size()));
}

void tst_HostileClients::register_isRateLimitedPerAddress()
{
    TestBackend backend({{u"REGISTER_RATE_LIMIT"_s, u"3"_s}});
    REQUIRE_TEST_DATABASE(backend.database());
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    HttpClient client(backend.baseUrl());

    for (int i = 0; i < 3; ++i) {
        const HttpResult created = client.post(u"/api/auth/register"_s, {{u"email"_s, HttpClient::uniqueEmail(u"flood"_s)},
                                                                          {u"password"_s, u"correct horse battery"_s}});
        QCOMPARE(created.status, 201);
    }
    const HttpResult refused = client.post(u"/api/auth/register"_s, {{u"email"_s, HttpClient::uniqueEmail(u"flood"_s)},
                                                                      {u"password"_s, u"correct horse battery"_s}});
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.json.value(u"error"_s).toString(), u"rate_limited"_s);
    QVERIFY(refused.json.value(u"message"_s).toString().contains(u"registrations"_s));
    // Logins are limited on their own: the registered operators still log in.
    QCOMPARE(client.post(u"/api/auth/login"_s, {{u"email"_s, u"nobody@example.com"_s}, {u"password"_s, u"x"_s}}).status, 401);
}

void tst_HostileClients::mockFarEnds_areCapped()
{
    // Defect 1's other half: every call takes a far end (a GStreamer pipeline with the real
    // mock); the pool no longer grows for whoever can place calls.
    TestBackend backend({{u"VOIP_MOCK_MAX_CALLS"_s, u"2"_s}});
    REQUIRE_TEST_DATABASE(backend.database());
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    std::vector<std::unique_ptr<HttpClient>> operators;
    QStringList callIds;
    for (int i = 0; i < 3; ++i) {
        operators.push_back(std::make_unique<HttpClient>(backend.baseUrl()));
        operators.back()->registerUser(u"line"_s);
    }
    for (int i = 0; i < 2; ++i) {
        callIds << initiateCall(*operators[i], u"+12025550199"_s);
        QVERIFY(!callIds.last().isEmpty());
    }
    const HttpResult refused = operators[2]->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}});
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.json.value(u"error"_s).toString(), u"call_initiation_failed"_s);
    QVERIFY(refused.json.value(u"message"_s).toString().contains(u"no free line"_s));

    // The line is free once the far end is released (right after the terminate's answer).
    QCOMPARE(operators[0]->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callIds[0]}}).status, 200);
    QElapsedTimer elapsed;
    elapsed.start();
    int status = 0;
    while ((status = operators[2]->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}}).status) == 503
           && elapsed.elapsed() < 5000) {
        QTest::qWait(50);
    }
    QCOMPARE(status, 200);
}

void tst_HostileClients::passwordHashing_floodIsAnswered503()
{
    // Three times as many logins at once as the hasher takes, each on its own connection: the
    // excess is answered 503 at once instead of queueing 64 MiB jobs; every answer is one of two.
    constexpr int kLogins = 3 * Switchboard::PasswordHasher::kMaxJobs;
    std::vector<std::unique_ptr<RawConnection>> connections;
    for (int i = 0; i < kLogins; ++i) {
        connections.push_back(std::make_unique<RawConnection>());
        QVERIFY(connections.back()->connectTo(port()));
    }
    for (int i = 0; i < kLogins; ++i) {
        const QByteArray body = QJsonDocument(QJsonObject{{u"email"_s, u"flood%1@example.com"_s.arg(i)},
                                                          {u"password"_s, u"wrong password"_s}})
                                    .toJson(QJsonDocument::Compact);
        connections[i]->send(rawRequest("POST", "/api/auth/login", body, {{"Content-Type", "application/json"}}));
    }
    int busy = 0;
    int refused = 0;
    for (const auto &connection : connections) {
        QVERIFY(connection->waitForResponses(1, 60000));
        const RawResponse response = connection->responses().first();
        if (response.status == 503) {
            QCOMPARE(response.json().value(u"error"_s).toString(), u"server_busy"_s);
            QCOMPARE(response.header("Retry-After"), QByteArray("1"));
            ++busy;
        } else {
            QCOMPARE(response.status, 401);
            ++refused;
        }
    }
    QVERIFY2(busy > 0, "no login was turned away");
    QVERIFY2(refused >= Switchboard::PasswordHasher::kMaxJobs, qPrintable(QString::number(refused)));
}

QTEST_GUILESS_MAIN(tst_HostileClients)
#include "tst_hostileclients.moc"
