// The console's event stream client: the SSE parser on chunks cut at every byte (CRLF, CR and
// LF line ends, comments, multi-line data, ids carried over and counted only once their event is
// complete), and EventStream against a scripted server over real TCP: a stream cut mid-event is
// opened again with the last complete id in Last-Event-ID and the cut event arrives whole; errors
// back off 1 s, 2 s…; a 401 ends the session and the stream; logging out closes it.

#include "apiclient.h"
#include "eventstream.h"
#include "sseparser.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::EventStream;
using Switchboard::Gui::ServerSentEvent;
using Switchboard::Gui::SseParser;

namespace {

// Every line end the standard allows, comments, an event without a type, data over two lines, a
// field without a colon, an id without an event, and an event left unfinished.
const QByteArray kStream = "\xEF\xBB\xBF: keep-alive\r\n"
                           "id: 1\r\nevent: call.updated\r\ndata: {\"a\":1}\r\n\r\n"
                           "data: first\ndata:  second\n\n"
                           "id: 7\revent: call.updated\rdata:no-space\r\r"
                           ": comment\n"
                           "data\n\n"
                           "id: 9\n\n"
                           "data: unfinished\n";

QString describe(const QList<ServerSentEvent> &events)
{
    QStringList lines;
    for (const ServerSentEvent &event : events)
        lines.append(u"%1|%2|%3"_s.arg(event.id, event.type, event.data));
    return lines.join(u" / "_s);
}

const QString kExpected = u"1|call.updated|{\"a\":1} / 1|message|first\n second / 7|call.updated|no-space / 7|message|"_s;

/// Ends an answer that leaves its connection open.
const QByteArray kKeepOpen = "<keep open>";

/// An HTTP server that answers each connection with the next of its scripted answers, then
/// closes it (unless the answer ends with kKeepOpen). It keeps each request's head.
class ScriptedServer : public QObject
{
    Q_OBJECT
public:
    QList<QByteArray> answers;
    QList<QByteArray> requests;
    QList<QPointer<QTcpSocket>> sockets;

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    ScriptedServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            sockets.append(socket);
            const int index = int(sockets.size()) - 1;
            requests.append(QByteArray());
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, index] {
                requests[index] += socket->readAll();
                if (!requests[index].contains("\r\n\r\n") || index >= answers.size())
                    return;
                const bool keepOpen = answers[index].endsWith(kKeepOpen);
                socket->write(keepOpen ? answers[index].chopped(kKeepOpen.size()) : answers[index]);
                if (!keepOpen)
                    socket->disconnectFromHost();
            });
        });
    }

private:
    QTcpServer m_server;
};

QByteArray streamHead()
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
}

QByteArray callEvent(int id, const QString &callId)
{
    return u"id: %1\nevent: call.updated\ndata: {\"call_id\":\"%2\",\ndata: \"status\":\"connecting\"}\n\n"_s.arg(id).arg(callId).toUtf8();
}

QByteArray error(int status, const QByteArray &reason)
{
    return "HTTP/1.1 " + QByteArray::number(status) + " " + reason
           + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
}

} // namespace

class tst_EventStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parser_readsChunksCutAtEveryByte();
    void parser_readsOneByteAtATime();
    void parser_restartDropsTheCutEvent();
    void stream_resumesAfterTheLastCompleteEvent();
    void stream_backsOffThenStopsOnUnauthorized();
    void stream_closesOnLogout();
};

void tst_EventStream::parser_readsChunksCutAtEveryByte()
{
    for (qsizetype cut = 0; cut <= kStream.size(); ++cut) {
        SseParser parser;
        QList<ServerSentEvent> events = parser.feed(QByteArrayView(kStream).first(cut));
        events += parser.feed(QByteArrayView(kStream).sliced(cut));
        QVERIFY2(describe(events) == kExpected, qPrintable(u"cut at %1: %2"_s.arg(cut).arg(describe(events))));
        QCOMPARE(parser.lastEventId(), u"9"_s);
    }
}

void tst_EventStream::parser_readsOneByteAtATime()
{
    SseParser parser;
    QList<ServerSentEvent> events;
    for (const char byte : kStream)
        events += parser.feed(QByteArrayView(&byte, 1));
    QCOMPARE(describe(events), kExpected);
    QCOMPARE(parser.lastEventId(), u"9"_s);
}

void tst_EventStream::parser_restartDropsTheCutEvent()
{
    SseParser parser;
    QCOMPARE(parser.feed("id: 3\ndata: a\n\nid: 4\ndata: b\n").size(), 1);
    QCOMPARE(parser.lastEventId(), u"3"_s); // 4 never completed
    parser.restart();
    QCOMPARE(describe(parser.feed("\ndata: c\r\n\r\n")), u"3|message|c"_s); // neither 4's id nor its data
    // A CR that ended the last line of a connection does not swallow the next connection's LF.
    QCOMPARE(parser.feed("data: d\r").size(), 0);
    parser.restart();
    QCOMPARE(describe(parser.feed("\ndata: e\n\n")), u"3|message|e"_s);
}

void tst_EventStream::stream_resumesAfterTheLastCompleteEvent()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    // The first connection sends a keep-alive and event 5, then closes in the middle of event 6.
    server.answers = {streamHead() + ": keep-alive\n\n" + callEvent(5, u"a"_s) + "id: 6\nevent: call.updated\ndata: {\"call_id\":",
                      streamHead() + callEvent(6, u"b"_s) + kKeepOpen};
    ApiClient api;
    api.setBaseUrl(server.url());
    api.setToken(u"token-1"_s);
    EventStream stream;
    QSignalSpy calls(&stream, &EventStream::callUpdated);
    QSignalSpy connected(&stream, &EventStream::connectedChanged);
    stream.setClient(&api);
    stream.setActive(true);

    QTRY_COMPARE(calls.size(), 1);
    QCOMPARE(calls.at(0).at(0).toJsonObject().value(u"call_id"_s).toString(), u"a"_s);
    QCOMPARE(calls.at(0).at(0).toJsonObject().value(u"status"_s).toString(), u"connecting"_s); // two data lines, one JSON
    QTRY_VERIFY(!stream.connected()); // the server closed it
    QCOMPARE(stream.lastEventId(), u"5"_s);
    QCOMPARE(stream.retryDelayMs(), 2 * EventStream::kFirstRetryMs); // the first retry waits 1 s, a second would wait 2 s

    QTRY_COMPARE_WITH_TIMEOUT(calls.size(), 2, 5000);
    QCOMPARE(calls.at(1).at(0).toJsonObject().value(u"call_id"_s).toString(), u"b"_s);
    QVERIFY(stream.connected());
    QCOMPARE(stream.lastEventId(), u"6"_s);
    QCOMPARE(stream.retryDelayMs(), EventStream::kFirstRetryMs); // a stream that opened starts the backoff again
    QCOMPARE(server.requests.size(), 2);
    QVERIFY(server.requests[0].startsWith("GET /api/events HTTP/1.1\r\n"));
    QVERIFY(server.requests[0].contains("Authorization: Bearer token-1\r\n"));
    QVERIFY(!server.requests[0].contains("Last-Event-ID"));
    QVERIFY2(server.requests[1].contains("Last-Event-ID: 5\r\n"), server.requests[1].constData());
    QCOMPARE(connected.size(), 3); // opened, cut, opened again
}

void tst_EventStream::stream_backsOffThenStopsOnUnauthorized()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.answers = {error(503, "Service Unavailable"), error(401, "Unauthorized"), streamHead() + kKeepOpen};
    ApiClient api;
    api.setBaseUrl(server.url());
    api.setToken(u"token-1"_s);
    EventStream stream;
    QSignalSpy unauthorized(&api, &ApiClient::unauthorized);
    stream.setClient(&api);
    stream.setActive(true);

    QTRY_COMPARE(server.requests.size(), 1);
    QTRY_COMPARE(stream.retryDelayMs(), 2000); // 1 s now, 2 s the next time
    QVERIFY(!stream.connected());
    QTRY_COMPARE_WITH_TIMEOUT(unauthorized.size(), 1, 5000);
    QCOMPARE(server.requests.size(), 2);
    QTest::qWait(2 * 2000 + 500); // past the next retry's time: there is none
    QCOMPARE(server.requests.size(), 2);
    QVERIFY(!stream.connected());
}

void tst_EventStream::stream_closesOnLogout()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.answers = {streamHead() + callEvent(1, u"a"_s) + kKeepOpen};
    ApiClient api;
    api.setBaseUrl(server.url());
    api.setToken(u"token-1"_s);
    EventStream stream;
    stream.setClient(&api);
    stream.setActive(true);
    QTRY_VERIFY(stream.connected());
    QTRY_COMPARE(stream.lastEventId(), u"1"_s);

    api.setToken({});
    QVERIFY(!stream.connected());
    QCOMPARE(stream.lastEventId(), QString()); // the next session starts afresh
    QTRY_VERIFY(server.sockets[0].isNull() || server.sockets[0]->state() != QAbstractSocket::ConnectedState);
    QTest::qWait(1500);
    QCOMPARE(server.requests.size(), 1);
}

QTEST_GUILESS_MAIN(tst_EventStream)
#include "tst_eventstream.moc"
