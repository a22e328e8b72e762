#include "requestguard.h"

#include "apiserver.h"
#include "requesthead.h"

#include "core/logging.h"

#include <QTcpSocket>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kMaxDrainBytes = 16 * 1024 * 1024;
// What Qt may read ahead from the kernel for one connection: the largest request the guard lets
// through (a head and a chunked contacts import), which QHttpServer keeps buffered whole until it
// is complete. Unlimited, a client that pipelines faster than it reads would have its bytes
// buffered here, not left in TCP's windows.
constexpr qint64 kReadAheadBytes = kMaxHeadBytes + 2 * ApiServer::kMaxImportBytes + 64 * 1024;

} // namespace

// It peeks only. While QHttpServer is inside a request it holds a read transaction, so peeking
// shows just the bytes it has not consumed; between requests (no transaction) the buffered bytes
// start the next request, pipelined or new. Connected to the socket before QHttpServer's reader,
// it sees every byte first.
RequestGuard::RequestGuard(QTcpSocket *socket, ConnectionTimeouts timeouts, ConnectionBacklog backlog, Refuse refuse)
    : QObject(socket), m_socket(socket), m_timeouts(timeouts), m_backlog(backlog), m_refuse(std::move(refuse))
{
    m_clock.setSingleShot(true);
    connect(&m_clock, &QTimer::timeout, this, &RequestGuard::onTimeout);
    m_writeClock.setSingleShot(true);
    connect(&m_writeClock, &QTimer::timeout, socket, &QAbstractSocket::abort);
    socket->setReadBufferSize(kReadAheadBytes);
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::inspect);
    connect(socket, &QTcpSocket::bytesWritten, this, &RequestGuard::onBytesWritten);
    enter(Phase::Idle);
}

RequestGuard *RequestGuard::of(QTcpSocket *socket)
{
    return socket->findChild<RequestGuard *>(QString(), Qt::FindDirectChildrenOnly);
}

void RequestGuard::enter(Phase phase)
{
    m_phase = phase;
    switch (phase) {
    case Phase::Idle:
        m_clock.start(m_timeouts.idleMs);
        break;
    case Phase::Receiving:
        // Started once per request, not per byte: a client trickling its head gains nothing.
        m_clock.start(m_timeouts.requestMs);
        break;
    case Phase::Answering:
        m_clock.stop();
        break;
    }
}

void RequestGuard::requestReceived()
{
    ++m_inFlight;
    if (!m_refused)
        enter(Phase::Answering);
    pauseOrResume();
}

void RequestGuard::answerWritten()
{
    m_inFlight = qMax(0, m_inFlight - 1);
    if (m_socket->bytesToWrite() > 0 && !m_writeClock.isActive())
        m_writeClock.start(m_timeouts.requestMs);
    pauseOrResume();
}

void RequestGuard::onBytesWritten()
{
    // Progress: the client is reading. Its clock starts again from here.
    if (m_socket->bytesToWrite() > 0)
        m_writeClock.start(m_timeouts.requestMs);
    else
        m_writeClock.stop();
    pauseOrResume();
}

// Holds back only between requests (no transaction open): then the transaction opened here is
// the only one, and QHttpServer, finding it open, reads nothing until it is rolled back. In the
// middle of a request (QHttpServer's transaction) it waits for the next occasion.
void RequestGuard::pauseOrResume()
{
    if (m_refused)
        return;
    const bool full = m_inFlight >= m_backlog.requestsInFlight || m_socket->bytesToWrite() > m_backlog.unsentBytes;
    if (full && !m_holding && !m_socket->isTransactionStarted()) {
        m_holding = true;
        m_socket->setReadBufferSize(qMax<qint64>(m_socket->bytesAvailable(), kMaxHeadBytes));
        m_socket->startTransaction();
        m_socket->skip(m_socket->bytesAvailable());
    } else if (!full && m_holding) {
        m_holding = false;
        m_socket->rollbackTransaction();
        m_socket->setReadBufferSize(kReadAheadBytes);
        // As QHttpServer does after a request: what is buffered is read on the next turn.
        if (m_socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(m_socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
    }
}

void RequestGuard::answersWritten()
{
    // A pipelined request already buffered is bounded by the idle clock until more of it arrives.
    if (!m_refused && m_phase == Phase::Answering)
        enter(Phase::Idle);
}

void RequestGuard::onTimeout()
{
    if (m_phase == Phase::Receiving) {
        refuse(ApiResponse::error(408, u"request_timeout"_s,
                                  u"The request was not complete within %1 ms"_s.arg(m_timeouts.requestMs)));
        return;
    }
    if (m_phase == Phase::Idle)
        m_socket->disconnectFromHost();
}

void RequestGuard::inspect()
{
    if (m_refused)
        return;
    if (m_holding) {
        // Still held back: what arrives joins the transaction, and QHttpServer sees none of it.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (!m_socket->isTransactionStarted()) {
        m_head.clear();
        m_headChecked = false;
        m_chunkedBytes = -1;
    }
    const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
    if (!fresh.isEmpty() && m_phase == Phase::Idle)
        enter(Phase::Receiving);
    if (m_headChecked) {
        if (m_chunkedBytes >= 0 && (m_chunkedBytes += fresh.size()) > 2 * m_bodyLimit)
            refuse(ApiServer::payloadTooLarge(m_bodyLimit));
        return;
    }

    m_head += fresh;
    qsizetype start = 0;
    while (start < m_head.size() && QByteArrayView(" \t\r\n\v").contains(m_head.at(start)))
        ++start;
    m_head.remove(0, start);
    const qsizetype crlf = m_head.indexOf("\n\r\n");
    const qsizetype lf = m_head.indexOf("\n\n");
    const qsizetype end = crlf < 0 ? lf : lf < 0 ? crlf : qMin(crlf, lf);
    const auto refuseHead = [this]() {
        refuse(ApiResponse::error(431, u"headers_too_large"_s,
                                  u"The request line and headers exceed %1 bytes"_s.arg(kMaxHeadBytes)));
    };
    if (end < 0) {
        if (m_head.size() > kMaxHeadBytes)
            refuseHead();
        return;
    }
    if (end > kMaxHeadBytes)
        return refuseHead();
    m_headChecked = true;
    const qsizetype bodyStart = end + (end == crlf ? 3 : 2);
    // Parsed against the largest body any route takes; then held to this route's own limit.
    const HeadVerdict verdict = readRequestHead(QByteArrayView(m_head).first(end), ApiServer::kMaxImportBytes);
    m_method = verdict.framing.method;
    m_bodyLimit = ApiServer::maxBodyBytes(m_method, QString::fromLatin1(verdict.framing.target));
    m_chunkedBytes = verdict.framing.chunked ? m_head.size() - bodyStart : -1;
    m_head.clear();
    if (verdict.refusal)
        return refuse(verdict.refusal->status == 413 ? ApiServer::payloadTooLarge(m_bodyLimit) : *verdict.refusal);
    // Chunked bodies are counted with their framing, which a sane client keeps well under the body.
    if (verdict.framing.contentLength > m_bodyLimit || m_chunkedBytes > 2 * m_bodyLimit)
        refuse(ApiServer::payloadTooLarge(m_bodyLimit));
}

void RequestGuard::refuse(const ApiResponse &response)
{
    m_refused = true;
    m_holding = false;
    m_clock.stop();
    // Nothing more is read as requests: QHttpServer's reader goes, the rest is drained unread.
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->readAll();
    connect(m_socket, &QTcpSocket::readyRead, this, [this]() {
        m_drained += m_socket->readAll().size();
        if (m_drained > kMaxDrainBytes)
            m_socket->abort();
    });
    m_refuse(m_socket, m_method, response);
}

} // namespace Switchboard

namespace Switchboard {

bool ConnectionLimits::admit(const QHostAddress &peer)
{
    QMutexLocker lock(&m_mutex);
    int &fromPeer = m_open[peer];
    if (fromPeer >= m_perClient || m_openTotal >= m_total) {
        if (fromPeer == 0)
            m_open.remove(peer);
        return false;
    }
    ++fromPeer;
    ++m_openTotal;
    return true;
}

void ConnectionLimits::release(const QHostAddress &peer)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_open.find(peer);
    if (it == m_open.end())
        return;
    if (--it.value() == 0)
        m_open.erase(it);
    --m_openTotal;
}

int ConnectionLimits::total() const
{
    QMutexLocker lock(&m_mutex);
    return m_openTotal;
}

QHostAddress ConnectionLimits::peerOf(qintptr descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

void ConnectionLimits::turnAway(qintptr descriptor, bool plainHttp)
{
    qCWarning(lcHttp).noquote() << "turned a connection away from" << peerOf(descriptor).toString()
                                << ": too many connections";
    if (plainHttp) {
        static const QByteArray body = ApiResponse::error(503, u"too_many_connections"_s,
                                                          u"The server has too many connections from this client or in all; retry later"_s)
                                           .body;
        static const QByteArray answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                                         "Retry-After: 1\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        // A fresh socket's send buffer takes this at once; a client that cannot take it gets less.
        (void)::send(int(descriptor), answer.constData(), size_t(answer.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        ::shutdown(int(descriptor), SHUT_WR);
    }
    // What the client sent already is read first: closing with unread bytes would reset the
    // connection, and the client could lose the answer.
    char sink[4096];
    while (::recv(int(descriptor), sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
    ::close(int(descriptor));
}

QTcpSocket *ConnectionLimits::socketFor(QObject *server, qintptr descriptor)
{
    // The server's newest child is the socket it just made; a search covers any other order.
    const QObjectList &children = server->children();
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        auto *socket = qobject_cast<QTcpSocket *>(*it);
        if (socket && socket->socketDescriptor() == descriptor)
            return socket;
    }
    return nullptr;
}

} // namespace Switchboard
