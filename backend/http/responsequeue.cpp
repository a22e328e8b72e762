#include "responsequeue.h"

#include "core/logging.h"

#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Reply::Reply(std::shared_ptr<ReplyTarget> target, quint64 slot) : m_target(std::move(target)), m_slot(slot) {}

ResponseQueue *Reply::localQueue() const
{
    if (!m_target)
        return nullptr;
    QMutexLocker lock(&m_target->mutex);
    ResponseQueue *queue = m_target->queue;
    // Once the lock is released only this thread could destroy a queue of its own.
    return queue && queue->thread() == QThread::currentThread() ? queue : nullptr;
}

void Reply::send(ApiResponse response) const
{
    if (!m_target)
        return;
    QMutexLocker lock(&m_target->mutex);
    ResponseQueue *queue = m_target->queue;
    if (!queue)
        return; // the client went away
    if (queue->thread() == QThread::currentThread()) {
        // Not under the lock: writing may close the socket, and the queue's destructor takes it.
        lock.unlock();
        return queue->fulfil(m_slot, std::move(response));
    }
    // From another thread (a use case's): posted to the queue's thread while the lock keeps the
    // queue from going in between; if it goes before the post is delivered, Qt drops the post.
    QMetaObject::invokeMethod(
        queue, [queue, slot = m_slot, response = std::move(response)]() mutable { queue->fulfil(slot, std::move(response)); },
        Qt::QueuedConnection);
}

void Reply::setRoute(const QString &route) const
{
    if (ResponseQueue *queue = localQueue())
        queue->setRoute(m_slot, route);
}

void Reply::addHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers) const
{
    if (ResponseQueue *queue = localQueue(); queue && !headers.isEmpty())
        queue->addHeaders(m_slot, headers);
}

bool Reply::writePiece(const QByteArray &piece) const
{
    ResponseQueue *queue = localQueue();
    return queue && queue->appendPiece(m_slot, piece);
}

void Reply::endStream() const
{
    if (ResponseQueue *queue = localQueue())
        queue->end(m_slot);
}

bool Reply::isOpen() const
{
    ResponseQueue *queue = localQueue();
    return queue && queue->find(m_slot) && queue->m_socket->state() == QAbstractSocket::ConnectedState;
}

ResponseQueue::ResponseQueue(QTcpSocket *socket, Written onWritten)
    : QObject(socket), m_socket(socket), m_onWritten(std::move(onWritten)), m_target(std::make_shared<ReplyTarget>())
{
    m_target->queue = this;
}

ResponseQueue::~ResponseQueue()
{
    QMutexLocker lock(&m_target->mutex);
    m_target->queue = nullptr;
}

ResponseQueue *ResponseQueue::of(QTcpSocket *socket, const Written &onWritten)
{
    if (auto *queue = socket->findChild<ResponseQueue *>(QString(), Qt::FindDirectChildrenOnly))
        return queue;
    return new ResponseQueue(socket, onWritten);
}

int ResponseQueue::pending() const
{
    const bool unsent = m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesToWrite() > 0;
    return int(m_entries.size()) + (unsent ? 1 : 0);
}

Reply ResponseQueue::enqueue(QHttpServerResponder &&responder, Exchange exchange)
{
    const quint64 slot = m_nextSlot++;
    m_entries.push_back(Entry{slot, std::move(responder), std::move(exchange), {}, std::nullopt});
    return Reply(m_target, slot);
}

ResponseQueue::Entry *ResponseQueue::find(quint64 slot)
{
    for (Entry &entry : m_entries) {
        if (entry.slot == slot)
            return &entry;
    }
    return nullptr;
}

void ResponseQueue::setRoute(quint64 slot, const QString &route)
{
    if (Entry *entry = find(slot))
        entry->exchange.route = route;
}

void ResponseQueue::addHeaders(quint64 slot, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    if (Entry *entry = find(slot))
        entry->extraHeaders += headers;
}

void ResponseQueue::fulfil(quint64 slot, ApiResponse response)
{
    Entry *entry = find(slot);
    if (!entry || entry->response)
        return;
    entry->response = std::move(response);
    flush();
}

void ResponseQueue::closeWith(ApiResponse response, Exchange exchange)
{
    if (m_final)
        return;
    m_final.emplace(std::move(response), std::move(exchange));
    flush();
}

bool ResponseQueue::appendPiece(quint64 slot, const QByteArray &piece)
{
    Entry *entry = find(slot);
    if (!entry || !entry->response || !entry->response->streamed || entry->ended
        || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    if (m_socket->bytesToWrite() + entry->pieces.size() + piece.size() > kMaxUnsentStreamBytes) {
        qCWarning(lcHttp).noquote() << "cut off" << m_socket->peerAddress().toString() << "for leaving"
                                    << m_socket->bytesToWrite() << "bytes of a stream unread";
        // Reset, not closed: a close would leave the unsent bytes in the kernel, waiting on a
        // reader that does not read.
        const linger reset{1, 0};
        ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        m_socket->abort();
        return false;
    }
    entry->pieces += piece;
    flush();
    return true;
}

void ResponseQueue::end(quint64 slot)
{
    Entry *entry = find(slot);
    if (!entry || !entry->response || !entry->response->streamed || entry->ended)
        return;
    entry->ended = true;
    flush();
}

void ResponseQueue::endStreams()
{
    for (Entry &entry : m_entries) {
        if (entry.response && entry.response->streamed)
            entry.ended = true;
    }
    flush();
}

void ResponseQueue::flush()
{
    while (!m_entries.empty() && m_entries.front().response) {
        if (m_entries.front().response->streamed) {
            if (!writeStreamed(m_entries.front()))
                return; // still open: the answers after it wait
            m_entries.pop_front();
            continue;
        }
        Entry entry = std::move(m_entries.front());
        m_entries.pop_front();
        write(entry);
        Q_EMIT answerWritten();
    }
    if (!m_entries.empty())
        return;
    if (m_final)
        writeFinal();
    else
        Q_EMIT allWritten();
}

void ResponseQueue::writeHead(Entry &entry, const QByteArray &framing, const QByteArray &framingValue)
{
    const ApiResponse &response = *entry.response;
    QHttpServerResponder &responder = entry.responder;
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    if (!response.contentType.isEmpty())
        responder.writeHeader("Content-Type", response.contentType);
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    for (const auto &[name, value] : entry.extraHeaders)
        responder.writeHeader(name, value);
    responder.writeHeader(framing, framingValue);
}

void ResponseQueue::write(Entry &entry)
{
    const ApiResponse &response = *entry.response;
    // The queue lives as long as the socket object, but the peer may have closed already.
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        writeHead(entry, "Content-Length", QByteArray::number(response.body.size()));
        // The answer to HEAD has the headers of GET's and no body, or the body would be read as
        // the next answer on this connection.
        entry.responder.writeBody(entry.exchange.method == "HEAD" ? QByteArray() : response.body);
    }
    if (m_onWritten)
        m_onWritten(entry.exchange, response.status);
}

// QHttpServerResponder 6.4 writes its body straight to the socket, as often as it is called: a
// head without Content-Length and then chunks (RFC 9112 7.1) make an answer of open length that
// still ends cleanly, so the connection can serve its next request.
bool ResponseQueue::writeStreamed(Entry &entry)
{
    const bool connected = m_socket->state() == QAbstractSocket::ConnectedState;
    if (!entry.headWritten) {
        entry.headWritten = true;
        entry.pieces.prepend(entry.response->body);
        if (connected)
            writeHead(entry, "Transfer-Encoding", "chunked");
        if (m_onWritten)
            m_onWritten(entry.exchange, entry.response->status);
        Q_EMIT answerWritten();
    }
    if (connected && !entry.pieces.isEmpty()) {
        entry.responder.writeBody(QByteArray::number(entry.pieces.size(), 16) + "\r\n" + entry.pieces + "\r\n");
        entry.pieces.clear();
    }
    if (!entry.ended)
        return false;
    if (connected)
        entry.responder.writeBody("0\r\n\r\n");
    return true;
}

void ResponseQueue::writeFinal()
{
    constexpr int kLingerMs = 2000;
    const auto [response, exchange] = std::move(*m_final);
    m_final.reset();
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        // No responder here (QHttpServer never completed the request), so the answer is written as
        // bytes. Only the refusals of the request guard come this way.
        const QByteArray reason = response.status == 408 ? "Request Timeout"
            : response.status == 413                     ? "Payload Too Large"
            : response.status == 431                     ? "Request Header Fields Too Large"
                                                         : "Bad Request";
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason + "\r\n";
        if (!response.contentType.isEmpty())
            out += "Content-Type: " + response.contentType + "\r\n";
        for (const auto &[name, value] : response.headers)
            out += name + ": " + value + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nConnection: close\r\n\r\n";
        m_socket->write(out + response.body);
        // Then close our side only: closing both while the client is still sending the body it
        // announced would reset the connection, and the client could lose this answer. The client
        // closes when it has read it; one that does not is cut off.
        QTcpSocket *socket = m_socket;
        auto halfClose = [socket]() {
            if (socket->bytesToWrite() == 0)
                ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
        };
        connect(socket, &QTcpSocket::bytesWritten, socket, halfClose);
        socket->flush();
        halfClose();
        QTimer::singleShot(kLingerMs, socket, [socket]() { socket->abort(); });
    }
    if (m_onWritten)
        m_onWritten(exchange, response.status);
}

} // namespace Switchboard
