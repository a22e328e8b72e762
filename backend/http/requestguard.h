#pragma once

#include "apiresponse.h"

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QTcpServer>
#include <QTimer>

#include <functional>
#include <memory>
#include <type_traits>

class QTcpSocket;

namespace Switchboard {

/// How long a connection may take over a request, and stay open without one.
struct ConnectionTimeouts
{
    int requestMs = 10 * 1000; ///< from a request's first byte to its last; also the longest the
                               ///< client may leave answers unread before it is cut off
    int idleMs = 60 * 1000; ///< with every answer written and no request begun
};

/// What one connection may have waiting on the server before it stops reading that client.
struct ConnectionBacklog
{
    int requestsInFlight = 16; ///< requests read and not yet answered (pipelined, long polls)
    qint64 unsentBytes = 1024 * 1024; ///< answers written but not yet taken by the kernel
};

/// How many connections the server holds, per client address and in all, over every serving
/// thread: a client that opens connections until the descriptors run out would otherwise leave
/// none for anybody else (or for the database).
class ConnectionLimits
{
public:
    ConnectionLimits(int perClient, int total) : m_perClient(perClient), m_total(total) {}

    /// Counts a connection from `peer` if both limits allow it.
    bool admit(const QHostAddress &peer);
    void release(const QHostAddress &peer);
    int total() const;

    static QHostAddress peerOf(qintptr descriptor);
    /// Answers 503 (plain HTTP only: a TLS client gets just the close) and closes the descriptor.
    static void turnAway(qintptr descriptor, bool plainHttp);
    /// The socket the server just made for `descriptor`.
    static QTcpSocket *socketFor(QObject *server, qintptr descriptor);

private:
    const int m_perClient;
    const int m_total;
    mutable QMutex m_mutex;
    QHash<QHostAddress, int> m_open; ///< guarded by m_mutex
    int m_openTotal = 0; ///< guarded by m_mutex
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
///
/// It also keeps a client from making the server buffer without bound: with ConnectionBacklog's
/// requests in flight or bytes unsent, the connection's pipelined bytes are held back from
/// QHttpServer (read inside a socket transaction that is rolled back later) and the socket's
/// read buffer is capped, so TCP pushes back on the client; a client that takes no byte of its
/// answers for ConnectionTimeouts::requestMs is cut off.
class RequestGuard : public QObject
{
    Q_OBJECT
public:
    using Refuse = std::function<void(QTcpSocket *, const QByteArray &method, const ApiResponse &)>;

    RequestGuard(QTcpSocket *socket, ConnectionTimeouts timeouts, ConnectionBacklog backlog, Refuse refuse);

    /// The guard of `socket`, if it has one.
    static RequestGuard *of(QTcpSocket *socket);

    /// QHttpServer has read a whole request: its answer is pending.
    void requestReceived();
    /// One answer is written to the socket.
    void answerWritten();
    /// Every answer on the connection is written.
    void answersWritten();

private:
    enum class Phase { Idle, Receiving, Answering };

    void inspect();
    void inspectHead(const QByteArray &fresh);
    /// Holds the client's further requests back while its backlog is full, lets them through after.
    void pauseOrResume();
    void onBytesWritten();
    void enter(Phase phase);
    void onTimeout();
    void refuse(const ApiResponse &response);

    QTcpSocket *m_socket;
    ConnectionTimeouts m_timeouts;
    ConnectionBacklog m_backlog;
    Refuse m_refuse;
    QTimer m_clock;
    QTimer m_writeClock; ///< runs while answers wait for the client to read them
    int m_inFlight = 0;
    bool m_holding = false; ///< the client's bytes are held back inside a socket transaction
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
    GuardedServer(ConnectionTimeouts timeouts, ConnectionBacklog backlog, std::shared_ptr<ConnectionLimits> limits,
                  RequestGuard::Refuse refuse, QObject *parent)
        : Server(parent), m_timeouts(timeouts), m_backlog(backlog), m_limits(std::move(limits)), m_refuse(std::move(refuse))
    {
    }

    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = Server::nextPendingConnection();
        if (socket)
            new RequestGuard(socket, m_timeouts, m_backlog, m_refuse);
        return socket;
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        // Counted from accept() to the socket's end, before any Qt object is made for it: an
        // excess connection costs a 503 written straight to the descriptor and nothing else.
        const QHostAddress peer = ConnectionLimits::peerOf(descriptor);
        if (!m_limits->admit(peer))
            return ConnectionLimits::turnAway(descriptor, std::is_same_v<Server, QTcpServer>);
        Server::incomingConnection(descriptor);
        QTcpSocket *socket = ConnectionLimits::socketFor(this, descriptor);
        if (!socket) {
            m_limits->release(peer);
            return;
        }
        QObject::connect(socket, &QObject::destroyed, [limits = m_limits, peer]() { limits->release(peer); });
    }

private:
    ConnectionTimeouts m_timeouts;
    ConnectionBacklog m_backlog;
    std::shared_ptr<ConnectionLimits> m_limits;
    RequestGuard::Refuse m_refuse;
};

} // namespace Switchboard
