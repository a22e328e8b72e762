#pragma once

#include "domain/result.h"
#include "httpmetrics.h"
#include "requestguard.h"
#include "router.h"

#include <QAbstractHttpServer>
#include <QSslConfiguration>
#include <QSet>

#include <optional>

namespace Switchboard {

class AuthService;

/// The REST API's HTTP server: the only class that touches QHttpServer.
///
/// It routes every request itself (so a wrong method is a 405 and an unknown path a 404, both
/// in the JSON error format), applies the body limit, CORS and the bearer-token guard, and
/// answers through per-connection ResponseQueues so that a handler may answer later — when a
/// provider or the password hasher is done — without blocking other clients.
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024;
    /// Long polls (`GET /api/calls/{id}?wait=`) one operator may have waiting at once, over every
    /// connection and serving thread; beyond it a poll is answered at once, as a plain read.
    static constexpr int kMaxWaitingPollsPerUser = 8;
    /// An address book of tens of thousands of contacts, in one import.
    static constexpr qsizetype kMaxImportBytes = 4 * 1024 * 1024;
    /// The largest body a request for `target` (a path, with or without its query) may carry.
    static qsizetype maxBodyBytes(QByteArrayView method, QStringView target);
    /// The answer to a body over `limit`, whether the guard or the router notices it.
    static ApiResponse payloadTooLarge(qsizetype limit = kMaxBodyBytes);

    /// `allowedOrigins` are the exact origins (scheme://host:port) whose browsers may call the
    /// API across origins; `metrics` is shared by every serving thread.
    ApiServer(AuthService &auth, HttpMetrics &metrics, QSet<QByteArray> allowedOrigins, QObject *parent = nullptr);

    /// The host names (without port) that requests may name in their Host header; empty: any.
    /// A server on loopback answers only to loopback names, so that a page whose name was
    /// rebound to 127.0.0.1 (DNS rebinding) cannot reach the API from the operator's browser.
    void setAllowedHosts(QSet<QString> hosts) { m_allowedHosts = std::move(hosts); }

    Router &router() { return m_router; }
    const HttpMetrics &metrics() const { return m_metrics; }

    /// Serves the connections of `listeningSocket`, a listening socket descriptor (several
    /// serving threads may each have one on the same port); speaks HTTPS when given a TLS
    /// configuration. Takes ownership of the descriptor, also on failure.
    Status start(qintptr listeningSocket, ConnectionTimeouts timeouts, ConnectionBacklog backlog,
                 std::shared_ptr<ConnectionLimits> limits, const std::optional<QSslConfiguration> &tls = std::nullopt);
    /// Stops accepting connections; requests already received are still answered.
    void stopListening();
    /// Answers not yet written, over all connections.
    int pendingResponses() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ResponseQueue *queueFor(QTcpSocket *socket);
    /// Answers a request that the request guard refused from its head, and ends the connection.
    void refuse(QTcpSocket *socket, const QByteArray &method, const ApiResponse &response);
    void dispatch(ApiRequest request, const Reply &reply);
    bool applyCors(const ApiRequest &request, const Reply &reply, QList<std::pair<QByteArray, QByteArray>> *headers);
    bool hostAllowed(const ApiRequest &request) const;
    void onWritten(const Exchange &exchange, int status);

    AuthService &m_auth;
    Router m_router;
    HttpMetrics &m_metrics;
    QSet<QByteArray> m_allowedOrigins;
    QSet<QString> m_allowedHosts;
    bool m_tls = false;
    QSet<ResponseQueue *> m_queues;
};

} // namespace Switchboard
