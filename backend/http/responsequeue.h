#pragma once

#include "apiresponse.h"

#include <QElapsedTimer>
#include <QHttpServerResponder>
#include <QObject>
#include <QMutex>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace Switchboard {

/// What the metrics need to know about an answer once it is written.
struct Exchange
{
    QByteArray method;
    QString route; ///< the route pattern, or "unmatched"
    QElapsedTimer received;
};

class ResponseQueue;

/// How a Reply reaches its queue from any thread: the queue clears it when it goes, under the
/// lock, so that an answer sent from another thread is either posted to a live queue or dropped.
struct ReplyTarget
{
    QMutex mutex;
    ResponseQueue *queue = nullptr; ///< guarded by mutex
};

/// The right to answer one request, now or later, from any thread; copies share that right and
/// only the first send() counts. Sending after the client went away does nothing.
class Reply
{
public:
    Reply() = default;
    void send(ApiResponse response) const;
    /// Names the matched route for the metrics. On the serving thread only.
    void setRoute(const QString &route) const;
    /// Headers every answer on this reply carries (CORS). On the serving thread only.
    void addHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers) const;

    /// A streamed answer (its head sent with ApiResponse::stream) takes its body's pieces here,
    /// in order, and written as soon as the answers before it are. False when the client has gone
    /// or was cut off for not reading (more than kMaxUnsentStreamBytes waiting): the stream is
    /// over. On the serving thread only.
    bool writePiece(const QByteArray &piece) const;
    /// Ends a streamed answer; the connection then serves its next request. On the serving thread only.
    void endStream() const;
    /// The client is still there and the answer (streamed or not) not yet finished.
    bool isOpen() const;

private:
    friend class ResponseQueue;
    Reply(std::shared_ptr<ReplyTarget> target, quint64 slot);
    /// The queue when the caller is on its thread, else null.
    ResponseQueue *localQueue() const;

    std::shared_ptr<ReplyTarget> m_target;
    quint64 m_slot = 0;
};

/// The answers of one connection, written in the order their requests arrived.
///
/// QHttpServer 6.4 reads the next pipelined request as soon as a handler returns, so an answer
/// that comes later could overtake; and its responder keeps a raw socket pointer, so a late
/// write after the client left would touch freed memory. This queue is a child of the socket:
/// it dies with it, and every Reply reaches it through a ReplyTarget that it clears then.
class ResponseQueue : public QObject
{
    Q_OBJECT
public:
    using Written = std::function<void(const Exchange &, int status)>;

    /// The queue of `socket`, made on first use.
    static ResponseQueue *of(QTcpSocket *socket, const Written &onWritten);

    Reply enqueue(QHttpServerResponder &&responder, Exchange exchange);
    /// Answers not yet written, plus one while written bytes still wait in the socket's buffer:
    /// a server that stopped at zero answers would otherwise drop the last one unsent.
    int pending() const;

    /// Ends the connection with `response` once the answers before it are written: for a request
    /// refused from its head alone, whose body is never read.
    void closeWith(ApiResponse response, Exchange exchange);

    /// Ends every streamed answer (the server is stopping).
    void endStreams();

    /// A client that leaves this much of a stream unread is cut off: a stream never ends by
    /// itself, so what a stalled reader leaves would otherwise grow without bound.
    static constexpr qint64 kMaxUnsentStreamBytes = 256 * 1024;

Q_SIGNALS:
    /// One answer is written (handed to the socket).
    void answerWritten();
    /// Every answer enqueued so far is written.
    void allWritten();

private:
    friend class Reply;
    struct Entry
    {
        quint64 slot;
        QHttpServerResponder responder;
        Exchange exchange;
        QList<std::pair<QByteArray, QByteArray>> extraHeaders;
        std::optional<ApiResponse> response;
        bool headWritten = false; ///< a streamed answer's head is out; the entry stays first until it ends
        QByteArray pieces; ///< a streamed answer's pieces not yet written
        bool ended = false; ///< a streamed answer has its last piece
    };

    ResponseQueue(QTcpSocket *socket, Written onWritten);
    ~ResponseQueue() override;
    void fulfil(quint64 slot, ApiResponse response);
    void setRoute(quint64 slot, const QString &route);
    void addHeaders(quint64 slot, const QList<std::pair<QByteArray, QByteArray>> &headers);
    Entry *find(quint64 slot);
    bool appendPiece(quint64 slot, const QByteArray &piece);
    void end(quint64 slot);
    void flush();
    /// Writes what a streamed answer has; true once it ended (its entry may go).
    bool writeStreamed(Entry &entry);
    void write(Entry &entry);
    void writeHead(Entry &entry, const QByteArray &framing, const QByteArray &framingValue);
    void writeFinal();

    QTcpSocket *m_socket;
    Written m_onWritten;
    std::shared_ptr<ReplyTarget> m_target;
    std::deque<Entry> m_entries;
    std::optional<std::pair<ApiResponse, Exchange>> m_final;
    quint64 m_nextSlot = 1;
};

} // namespace Switchboard
