// The event stream (GET /api/events, Server-Sent Events) over real HTTP on SQLite or PostgreSQL:
// every change of a call in commit order with increasing ids, resumed with Last-Event-ID, an
// operator's own calls only and an admin's everyone's, the events:read scope, a comment every
// 15 s, a client that stops reading cut off, and streams ended when the server stops.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;
using namespace Switchboard;

namespace {

struct StreamEvent
{
    QByteArray id;
    QByteArray type;
    QJsonObject data;
};

/// Reads a stream the way a browser's EventSource does (the HTML standard's parsing rules):
/// lines end with LF, CRLF or CR; "field: value"; a blank line dispatches; ":" starts a comment.
class StreamReader
{
public:
    StreamReader(const QUrl &base, const QString &token, const QByteArray &lastEventId = {},
                 const QString &query = {})
    {
        QUrl url = base.resolved(QUrl(u"/api/events"_s + query));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        request.setRawHeader("Accept", "text/event-stream");
        if (!lastEventId.isEmpty())
            request.setRawHeader("Last-Event-ID", lastEventId);
        m_reply = m_network.get(request);
        QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply, [this] { read(); });
        QObject::connect(m_reply, &QNetworkReply::finished, m_reply, [this] { m_finished = true; });
    }

    QNetworkReply &reply() { return *m_reply; }
    const QList<StreamEvent> &events() const { return m_events; }
    const QList<QByteArray> &comments() const { return m_comments; }
    QByteArray retry() const { return m_retry; }
    bool finished() const { return m_finished; }

    /// The statuses the stream reported for `callId`, in order.
    QStringList statusesOf(const QString &callId) const
    {
        QStringList statuses;
        for (const StreamEvent &event : m_events) {
            if (event.data.value(u"call_id"_s).toString() == callId)
                statuses.append(event.data.value(u"status"_s).toString());
        }
        return statuses;
    }

private:
    void read()
    {
        m_buffer += m_reply->readAll();
        qsizetype end = 0;
        while ((end = m_buffer.indexOf('\n')) >= 0) {
            QByteArray line = m_buffer.left(end);
            m_buffer.remove(0, end + 1);
            if (line.endsWith('\r'))
                line.chop(1);
            take(line);
        }
    }

    void take(const QByteArray &line)
    {
        if (line.isEmpty()) {
            if (!m_data.isEmpty() || !m_type.isEmpty())
                m_events.append({m_id, m_type.isEmpty() ? "message" : m_type, QJsonDocument::fromJson(m_data).object()});
            m_data.clear();
            m_type.clear();
            return;
        }
        if (line.startsWith(':'))
            return m_comments.append(line.mid(1).trimmed());
        const qsizetype colon = line.indexOf(':');
        const QByteArray field = colon < 0 ? line : line.left(colon);
        QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        if (field == "id")
            m_id = value;
        else if (field == "event")
            m_type = value;
        else if (field == "data")
            m_data += (m_data.isEmpty() ? "" : "\n") + value;
        else if (field == "retry")
            m_retry = value;
    }

    QNetworkAccessManager m_network;
    QNetworkReply *m_reply = nullptr;
    QByteArray m_buffer;
    QByteArray m_id;
    QByteArray m_type;
    QByteArray m_data;
    QByteArray m_retry;
    QList<StreamEvent> m_events;
    QList<QByteArray> m_comments;
    bool m_finished = false;
};

bool idsIncrease(const QList<StreamEvent> &events)
{
    qint64 last = -1;
    for (const StreamEvent &event : events) {
        bool ok = false;
        const qint64 id = event.id.toLongLong(&ok);
        if (!ok || id <= last)
            return false;
        last = id;
    }
    return true;
}

/// The kernel's view of a connection: a reset one is closed even while its bytes wait unread.
bool isReset(const QTcpSocket &socket)
{
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(int(socket.socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return true;
    return info.tcpi_state != TCP_ESTABLISHED;
}

} // namespace

class tst_Events : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void stream_sendsEveryChangeInOrder();
    void stream_resumesAfterLastEventId();
    void stream_showsOperatorsTheirOwnCallsAndAdminsAll();
    void stream_needsTheEventsScope();
    void stream_refusesABadLastEventId_data();
    void stream_refusesABadLastEventId();
    void stream_sendsAKeepAliveComment();
    void stream_cutsOffAClientThatStopsReading();
    void stream_endsWhenTheServerStops();

private:
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_admin; ///< the first account: the team's admin
};

void tst_Events::initTestCase()
{
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{{u"VOIP_MOCK_RINGBACK_MS"_s, u"300"_s}});
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_admin = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_admin->registerUser(u"admin"_s);
}

void tst_Events::cleanupTestCase()
{
    m_admin.reset();
    m_backend.reset();
}

void tst_Events::stream_sendsEveryChangeInOrder()
{
    HttpClient operatorClient(m_backend->baseUrl());
    operatorClient.registerUser();
    StreamReader stream(m_backend->baseUrl(), operatorClient.token());
    QTRY_VERIFY(!stream.retry().isEmpty()); // the head and the first piece are out before any event
    QCOMPARE(stream.reply().attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(stream.reply().rawHeader("Content-Type").startsWith("text/event-stream"));
    QCOMPARE(stream.reply().rawHeader("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(stream.retry(), QByteArray("3000"));

    const QString callId = placeAndComplete(operatorClient);
    QVERIFY(!callId.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(stream.statusesOf(callId).endsWith(u"completed"_s), 10000);
    // Each change once, in the order it was committed: placed, ringing, picked up, hung up.
    QCOMPARE(stream.statusesOf(callId),
             (QStringList{u"initiated"_s, u"connecting"_s, u"active"_s, u"completed"_s}));
    QVERIFY(idsIncrease(stream.events()));
    for (const StreamEvent &event : stream.events())
        QCOMPARE(event.type, QByteArray("call.updated"));
    // The data is the call object, as GET /api/calls/{id} answers it (which adds the far end's
    // offer while the call awaits an answer).
    QJsonObject fetched = fetchCall(operatorClient, callId);
    QVERIFY(fetched.value(u"sdp_offer"_s).isNull());
    fetched.remove(u"sdp_offer"_s);
    QCOMPARE(stream.events().last().data, fetched);
}

void tst_Events::stream_resumesAfterLastEventId()
{
    HttpClient operatorClient(m_backend->baseUrl());
    operatorClient.registerUser();
    StreamReader first(m_backend->baseUrl(), operatorClient.token());
    QTRY_VERIFY(!first.retry().isEmpty());
    const QString callId = placeAndComplete(operatorClient);
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(first.events().size(), 4, 10000);
    first.reply().abort();

    // A client that saw the first event resumes with the three after it, by header or by query.
    QList<QByteArray> expected;
    for (const StreamEvent &event : first.events().mid(1))
        expected.append(event.id);
    StreamReader byHeader(m_backend->baseUrl(), operatorClient.token(), first.events().first().id);
    StreamReader byQuery(m_backend->baseUrl(), operatorClient.token(), {},
                         u"?last_event_id="_s + QString::fromLatin1(first.events().first().id));
    for (StreamReader *resumed : {&byHeader, &byQuery}) {
        QTRY_COMPARE(resumed->events().size(), 3);
        QList<QByteArray> ids;
        for (const StreamEvent &event : resumed->events())
            ids.append(event.id);
        QCOMPARE(ids, expected);
    }
    // Without an id, only what happens from now on.
    StreamReader fresh(m_backend->baseUrl(), operatorClient.token());
    QTRY_VERIFY(!fresh.retry().isEmpty());
    QTest::qWait(1500); // more than the stream's poll of the database
    QVERIFY(fresh.events().isEmpty());
}

void tst_Events::stream_showsOperatorsTheirOwnCallsAndAdminsAll()
{
    HttpClient alice(m_backend->baseUrl());
    alice.registerUser(u"alice"_s);
    HttpClient bob(m_backend->baseUrl());
    bob.registerUser(u"bob"_s);
    StreamReader aliceStream(m_backend->baseUrl(), alice.token());
    StreamReader adminStream(m_backend->baseUrl(), m_admin->token());
    QTRY_VERIFY(!aliceStream.retry().isEmpty() && !adminStream.retry().isEmpty());

    const QString aliceCall = placeAndComplete(alice);
    const QString bobCall = placeAndComplete(bob);
    QVERIFY(!aliceCall.isEmpty() && !bobCall.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(adminStream.statusesOf(bobCall).endsWith(u"completed"_s), 10000);
    QTRY_VERIFY(adminStream.statusesOf(aliceCall).endsWith(u"completed"_s));
    QVERIFY(aliceStream.statusesOf(aliceCall).endsWith(u"completed"_s));
    QTest::qWait(1500);
    QVERIFY(aliceStream.statusesOf(bobCall).isEmpty());
    for (const StreamEvent &event : aliceStream.events())
        QCOMPARE(event.data.value(u"call_id"_s).toString(), aliceCall);
}

void tst_Events::stream_needsTheEventsScope()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    auto keyWith = [&owner](const QString &scope) {
        return owner.post(u"/api/keys"_s, {{u"name"_s, scope}, {u"scopes"_s, QJsonArray{scope}}}).json.value(u"key"_s).toString();
    };
    HttpClient withoutScope(m_backend->baseUrl());
    withoutScope.setToken(keyWith(u"calls:read"_s));
    expectLog(QtWarningMsg, u"^API key of user [0-9a-f-]{36} lacks the scope of /api/events$"_s);
    const HttpResult refused = withoutScope.get(u"/api/events"_s);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorType(), u"insufficient_scope"_s);

    StreamReader withScope(m_backend->baseUrl(), keyWith(u"events:read"_s));
    QTRY_VERIFY(!withScope.retry().isEmpty());
    const QString callId = placeAndComplete(owner);
    QTRY_VERIFY_WITH_TIMEOUT(withScope.statusesOf(callId).endsWith(u"completed"_s), 10000);

    StreamReader anonymous(m_backend->baseUrl(), {});
    QTRY_VERIFY(anonymous.finished());
    QCOMPARE(anonymous.reply().attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
}

void tst_Events::stream_refusesABadLastEventId_data()
{
    QTest::addColumn<QByteArray>("lastEventId");
    QTest::addRow("text") << QByteArray("abc");
    QTest::addRow("negative") << QByteArray("-1");
    QTest::addRow("fraction") << QByteArray("1.5");
    QTest::addRow("too large") << QByteArray("99999999999999999999999");
}

void tst_Events::stream_refusesABadLastEventId()
{
    QFETCH(QByteArray, lastEventId);
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const HttpResult refused = client.send("GET", u"/api/events"_s, {}, {{"Last-Event-ID", lastEventId}});
    QCOMPARE(refused.status, 400);
    QVERIFY(refused.isErrorFormat());
    QCOMPARE(refused.errorType(), u"validation_error"_s);
}

void tst_Events::stream_sendsAKeepAliveComment()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    StreamReader stream(m_backend->baseUrl(), client.token());
    QTRY_VERIFY_WITH_TIMEOUT(stream.comments().contains("keep-alive"), 17000);
    QVERIFY(!stream.finished());
}

void tst_Events::stream_cutsOffAClientThatStopsReading()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QString callId = initiateCall(client, u"+4915123456789"_s);
    QVERIFY(!callId.isEmpty());

    // A client that asks for the stream and never reads: Qt stops taking bytes from the kernel
    // once 4 KiB wait unread, a small receive buffer makes the kernels' share small too, and the
    // rest waits in the server.
    QTcpSocket stalled;
    stalled.setReadBufferSize(4096);
    stalled.connectToHost(QHostAddress::LocalHost, m_backend->baseUrl().port());
    QVERIFY(stalled.waitForConnected(5000));
    const int small = 4096;
    ::setsockopt(int(stalled.socketDescriptor()), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    stalled.write(rawRequest("GET", "/api/events", {}, {{"Authorization", "Bearer " + client.token().toLatin1()}}));
    stalled.flush();
    QTest::qWait(300);

    expectLog(QtWarningMsg, u"^cut off 127\\.0\\.0\\.1 for leaving \\d+ bytes of a stream unread$"_s);
    const QString notes(3000, u'x');
    int changes = 0;
    for (; changes < 3000 && !isReset(stalled); ++changes) {
        const QString text = notes + QString::number(changes);
        QCOMPARE(client.send("PATCH", u"/api/calls/"_s + callId, QJsonDocument(QJsonObject{{u"notes"_s, text}}).toJson()).status, 200);
        QCoreApplication::processEvents();
    }
    QTRY_VERIFY2(isReset(stalled), qPrintable(u"still connected after %1 changes"_s.arg(changes)));
    // Cut off after a bounded amount (the kernels' buffers and the server's 256 KiB), not at once.
    QVERIFY2(changes > 20, qPrintable(QString::number(changes)));
    QCOMPARE(client.get(u"/system/health"_s).status, 200);
}

void tst_Events::stream_endsWhenTheServerStops()
{
    TestBackend backend;
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    HttpClient client(backend.baseUrl());
    client.registerUser();
    StreamReader stream(backend.baseUrl(), client.token());
    QTRY_VERIFY(!stream.retry().isEmpty());
    QElapsedTimer stopping;
    stopping.start();
    backend.stop();
    // Ended at once with the chunked body's last chunk (no wait for the grace period), cleanly.
    QVERIFY2(stopping.elapsed() < 2000, qPrintable(QString::number(stopping.elapsed())));
    QTRY_VERIFY(stream.finished());
    QCOMPARE(stream.reply().error(), QNetworkReply::NoError);
}

QTEST_MAIN(tst_Events)
#include "tst_events.moc"
