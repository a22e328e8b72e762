#include "requestguard.h"

#include "apiserver.h"

#include <QRegularExpression>
#include <QTcpSocket>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kMaxDrainBytes = 16 * 1024 * 1024;

bool isRequestLine(const QByteArray &line)
{
    static const QRegularExpression pattern(u"^[A-Z]+ [^\\s]+ HTTP/1\\.[01]$"_s);
    return pattern.match(QString::fromLatin1(line)).hasMatch();
}

} // namespace

// It peeks only. While QHttpServer is inside a request it holds a read transaction, so peeking
// shows just the bytes it has not consumed; between requests (no transaction) the buffered bytes
// start the next request, pipelined or new. Connected to the socket before QHttpServer's reader,
// it sees every byte first.
RequestGuard::RequestGuard(QTcpSocket *socket, ConnectionTimeouts timeouts, Refuse refuse)
    : QObject(socket), m_socket(socket), m_timeouts(timeouts), m_refuse(std::move(refuse))
{
    m_clock.setSingleShot(true);
    connect(&m_clock, &QTimer::timeout, this, &RequestGuard::onTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::inspect);
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
    if (!m_refused)
        enter(Phase::Answering);
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

    const QList<QByteArray> lines = m_head.left(end).split('\n');
    const QByteArray requestLine = lines.first().trimmed();
    m_method = requestLine.split(' ').first();
    if (!isRequestLine(requestLine)) {
        m_method.clear();
        return refuse(ApiResponse::error(400, u"bad_request"_s, u"The request line is not HTTP/1.1"_s));
    }
    m_bodyLimit = ApiServer::maxBodyBytes(m_method, QString::fromLatin1(requestLine.split(' ').value(1)));
    bool chunked = false;
    QByteArray contentLength;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        if (name == "content-length" && contentLength.isEmpty())
            contentLength = value;
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }
    const bool digits = !contentLength.isEmpty()
        && std::all_of(contentLength.cbegin(), contentLength.cend(), [](char c) { return c >= '0' && c <= '9'; });
    bool ok = false;
    const qint64 declared = contentLength.toLongLong(&ok);
    m_chunkedBytes = chunked ? m_head.size() - bodyStart : -1;
    m_head.clear();
    // Chunked bodies are counted with their framing, which a sane client keeps well under the body.
    if ((digits && (!ok || declared > m_bodyLimit)) || m_chunkedBytes > 2 * m_bodyLimit)
        refuse(ApiServer::payloadTooLarge(m_bodyLimit));
}

void RequestGuard::refuse(const ApiResponse &response)
{
    m_refused = true;
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
