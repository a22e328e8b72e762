#pragma once

#include "apiresponse.h"

#include <QTcpServer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace Switchboard {

/// How long a connection may take over a request, and stay open without one.
struct ConnectionTimeouts
{
    int requestMs = 10 * 1000; ///< from a request's first byte to its last
    int idleMs = 60 * 1000; ///< with every answer written and no request begun
};

/// Watches one connection from before QHttpServer reads it.
///
/// QHttpServer 6.4 buffers a request of any size before the server sees it, and closes nothing
/// by itself: a client that announces a gigabyte is waited for and stored, one that sends a few
/// bytes and stops, or garbage, holds its connection for ever. The guard reads each request's
/// head first and refuses one whose request line is not HTTP (400), whose head is too large (431),
/// whose Content-Length is over the body limit or whose chunked body grows past it (413), and one
/// that is not complete within ConnectionTimeouts::requestMs (408); it closes a connection idle
/// for ConnectionTimeouts::idleMs. While answers are pending (a long poll) no clock runs.
class RequestGuard : public QObject
{
    Q_OBJECT
public:
    using Refuse = std::function<void(QTcpSocket *, const QByteArray &method, const ApiResponse &)>;

    RequestGuard(QTcpSocket *socket, ConnectionTimeouts timeouts, Refuse refuse);

    /// The guard of `socket`, if it has one.
    static RequestGuard *of(QTcpSocket *socket);

    /// QHttpServer has read a whole request: its answer is pending.
    void requestReceived();
    /// Every answer on the connection is written.
    void answersWritten();

private:
    enum class Phase { Idle, Receiving, Answering };

    void inspect();
    void enter(Phase phase);
    void onTimeout();
    void refuse(const ApiResponse &response);

    QTcpSocket *m_socket;
    ConnectionTimeouts m_timeouts;
    Refuse m_refuse;
    QTimer m_clock;
    Phase m_phase = Phase::Idle;
    QByteArray m_head;
    QByteArray m_method;
    bool m_headChecked = false;
    bool m_refused = false;
    qint64 m_chunkedBytes = -1; ///< bytes of a chunked body so far; -1 when not chunked
    qint64 m_bodyLimit = 0; ///< for the request whose head was read (ApiServer::maxBodyBytes)
    qint64 m_drained = 0;
};

/// A server that puts a RequestGuard on each connection before QHttpServer takes it: a
/// QTcpServer for HTTP, a QSslServer for HTTPS (whose connections reach it after the handshake,
/// so the guard reads decrypted bytes).
template<typename Server>
class GuardedServer : public Server
{
public:
    GuardedServer(ConnectionTimeouts timeouts, RequestGuard::Refuse refuse, QObject *parent)
        : Server(parent), m_timeouts(timeouts), m_refuse(std::move(refuse))
    {
    }

    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = Server::nextPendingConnection();
        if (socket)
            new RequestGuard(socket, m_timeouts, m_refuse);
        return socket;
    }

private:
    ConnectionTimeouts m_timeouts;
    RequestGuard::Refuse m_refuse;
};

} // namespace Switchboard
