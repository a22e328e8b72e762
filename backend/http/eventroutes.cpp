#include "apiserver.h"
#include "auth/authservice.h"
#include "calljson.h"
#include "calls/callevents.h"
#include "calls/callservice.h"
#include "routes.h"

#include <QJsonDocument>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr int kPollMs = 1000;
constexpr int kHeartbeatMs = 15 * 1000;
constexpr int kClientRetryMs = 3000;

QByteArray eventText(const CallEvent &event)
{
    return "id: " + QByteArray::number(event.id) + "\nevent: call.updated\ndata: "
        + QJsonDocument(callJson(event.call)).toJson(QJsonDocument::Compact) + "\n\n";
}

/// One client's event stream, on the serving thread that accepted it. It sends the events after
/// the last one it sent whenever this instance's call service commits a change, and every second
/// for changes that other instances commit; a comment every 15 s shows the client (and any proxy
/// between) that the stream is alive. It ends when the client goes, is cut off for not reading
/// (ResponseQueue::kMaxUnsentStreamBytes), or the server stops.
class EventStream : public QObject
{
public:
    EventStream(QObject *parent, const CallEventFeed &feed, const CallService &calls, Principal caller,
                qint64 lastId, Reply reply)
        : QObject(parent), m_feed(feed), m_caller(std::move(caller)), m_lastId(lastId), m_reply(std::move(reply))
    {
        connect(&calls, &CallService::callChanged, this, &EventStream::readSoon);
        connect(&m_poll, &QTimer::timeout, this, &EventStream::sendNew);
        connect(&m_heartbeat, &QTimer::timeout, this, [this] { write(": keep-alive\n\n"); });
        m_poll.start(kPollMs);
        m_heartbeat.start(kHeartbeatMs);
        sendNew();
    }

private:
    void readSoon()
    {
        if (!m_readScheduled) {
            m_readScheduled = true;
            QTimer::singleShot(0, this, &EventStream::sendNew);
        }
    }

    void sendNew()
    {
        m_readScheduled = false;
        if (!m_reply.isOpen())
            return deleteLater();
        for (;;) {
            Result<QList<CallEvent>> events = m_feed.after(m_caller, m_lastId);
            if (!events || events->isEmpty())
                return; // a failed read is tried again at the next poll
            QByteArray text;
            for (const CallEvent &event : events.value())
                text += eventText(event);
            if (!write(text))
                return;
            m_lastId = events->last().id;
            if (events->size() < CallEventFeed::kBatch)
                return;
        }
    }

    bool write(const QByteArray &text)
    {
        if (m_reply.writePiece(text))
            return true;
        deleteLater();
        return false;
    }

    const CallEventFeed &m_feed;
    const Principal m_caller;
    qint64 m_lastId;
    const Reply m_reply;
    QTimer m_poll;
    QTimer m_heartbeat;
    bool m_readScheduled = false;
};

/// The id after which a stream starts: Last-Event-ID (sent by EventSource when it reconnects) or
/// `last_event_id`; without either, only what happens from now on.
Result<std::optional<qint64>> resumeAfter(const ApiRequest &request)
{
    QString text = QString::fromLatin1(request.header("Last-Event-ID")).trimmed();
    if (text.isEmpty())
        text = request.queryValue(u"last_event_id"_s);
    if (text.isEmpty())
        return std::optional<qint64>();
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id < 0)
        return Error::validation(u"Last-Event-ID must be an event id (a whole number from 0)"_s);
    return std::optional<qint64>(id);
}

void openEventStream(QObject &context, const CallEventFeed &feed, const CallService &calls,
                     const ApiRequest &request, const Reply &reply)
{
    Result<std::optional<qint64>> resume = resumeAfter(request);
    if (!resume)
        return reply.send(ApiResponse::fromError(resume.error()));
    Result<qint64> start = resume->has_value() ? Result<qint64>(**resume) : feed.latestId();
    if (!start)
        return reply.send(ApiResponse::fromError(start.error()));
    ApiResponse head = ApiResponse::stream("text/event-stream; charset=utf-8",
                                           "retry: " + QByteArray::number(kClientRetryMs) + "\n\n");
    // Tells nginx and the like not to buffer the stream.
    head.headers.emplaceBack("X-Accel-Buffering", "no");
    reply.send(head);
    new EventStream(&context, feed, calls, *request.principal, start.value(), reply);
}

} // namespace

void addEventRoutes(ApiServer &server, const CallEventFeed &feed, const CallService &calls)
{
    server.router().add(
        "GET", u"/api/events"_s, Access::Authenticated,
        [&server, &feed, &calls](const ApiRequest &request, const Reply &reply) {
            openEventStream(server, feed, calls, request, reply);
        },
        Scope::EventsRead);
}

} // namespace Switchboard
