#include "requestguard.h"

#include "apiserver.h"

#include <QTcpSocket>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
// Chunked bodies are counted with their framing, which a sane client keeps well under the body.
constexpr qint64 kMaxChunkedBytes = 2 * ApiServer::kMaxBodyBytes;

/// Reads each request's head before QHttpServer does anything with the body.
///
/// QHttpServer 6.4 buffers a request of any size before handleRequest() sees it: a client that
/// announces a gigabyte is waited for and stored. This guard is connected to the socket before
/// QHttpServer's reader, so it sees every byte first, and refuses a request whose head is too
/// large, whose Content-Length is over the body limit, or whose chunked body grows past it.
///
/// It peeks only. While QHttpServer is inside a request it holds a read transaction, so peeking
/// shows just the bytes it has not consumed; between requests (no transaction) the buffered bytes
/// start the next request, pipelined or new.
class RequestGuard : public QObject
{
public:
    using Refuse = GuardedTcpServer::Refuse;

    RequestGuard(QTcpSocket *socket, Refuse refuse) : QObject(socket), m_socket(socket), m_refuse(std::move(refuse))
    {
        connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::inspect);
    }

private:
    void inspect()
    {
        if (!m_socket->isTransactionStarted()) {
            m_head.clear();
            m_headChecked = false;
            m_chunkedBytes = -1;
        }
        const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
        if (m_headChecked) {
            if (m_chunkedBytes >= 0 && (m_chunkedBytes += fresh.size()) > kMaxChunkedBytes)
                refuseBody();
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
        m_method = lines.first().trimmed().split(' ').first();
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
        if ((digits && (!ok || declared > ApiServer::kMaxBodyBytes)) || m_chunkedBytes > kMaxChunkedBytes)
            refuseBody();
    }

    void refuseBody()
    {
        refuse(ApiResponse::error(413, u"payload_too_large"_s,
                                  u"The request body exceeds %1 bytes"_s.arg(ApiServer::kMaxBodyBytes)));
    }

    void refuseHead()
    {
        refuse(ApiResponse::error(431, u"headers_too_large"_s,
                                  u"The request line and headers exceed %1 bytes"_s.arg(kMaxHeadBytes)));
    }

    void refuse(const ApiResponse &response)
    {
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

    static constexpr qint64 kMaxDrainBytes = 16 * 1024 * 1024;

    QTcpSocket *m_socket;
    Refuse m_refuse;
    QByteArray m_head;
    QByteArray m_method;
    bool m_headChecked = false;
    qint64 m_chunkedBytes = -1; ///< bytes of a chunked body so far; -1 when not chunked
    qint64 m_drained = 0;
};

} // namespace

GuardedTcpServer::GuardedTcpServer(Refuse refuse, QObject *parent) : QTcpServer(parent), m_refuse(std::move(refuse)) {}

QTcpSocket *GuardedTcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (socket)
        new RequestGuard(socket, m_refuse);
    return socket;
}

} // namespace Switchboard
