#include "apiserver.h"

#include "auth/authservice.h"
#include "core/logging.h"
#include "requestguard.h"
#include "requesthead.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    return QByteArray(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method))).toUpper();
}

} // namespace

ApiServer::ApiServer(AuthService &auth, HttpMetrics &metrics, QSet<QByteArray> allowedOrigins, QObject *parent)
    : QAbstractHttpServer(parent), m_auth(auth), m_metrics(metrics), m_allowedOrigins(std::move(allowedOrigins))
{
}

Status ApiServer::start(qintptr listeningSocket, ConnectionTimeouts timeouts, ConnectionBacklog backlog,
                        std::shared_ptr<ConnectionLimits> limits, const std::optional<QSslConfiguration> &tls)
{
    const auto refuse = [this](QTcpSocket *socket, const QByteArray &method, const ApiResponse &response) {
        this->refuse(socket, method, response);
    };
    QTcpServer *tcp = nullptr;
    if (tls) {
        auto *ssl = new GuardedServer<QSslServer>(timeouts, backlog, limits, refuse, this);
        ssl->setSslConfiguration(*tls);
        // The guard sees a connection only after its handshake: the same clock bounds that.
        ssl->setHandshakeTimeout(timeouts.requestMs);
        tcp = ssl;
        m_tls = true;
    } else {
        tcp = new GuardedServer<QTcpServer>(timeouts, backlog, limits, refuse, this);
    }
    if (!tcp->setSocketDescriptor(listeningSocket)) {
        const QString reason = tcp->errorString();
        delete tcp;
        ::close(int(listeningSocket));
        return Error{ErrorCode::Internal, u"cannot serve the listening socket: %1"_s.arg(reason)};
    }
    bind(tcp);
    return Done{};
}

ApiResponse ApiServer::payloadTooLarge(qsizetype limit)
{
    return Switchboard::payloadTooLarge(limit);
}

qsizetype ApiServer::maxBodyBytes(QByteArrayView method, QStringView target)
{
    const QStringView path = target.first(target.indexOf(u'?') < 0 ? target.size() : target.indexOf(u'?'));
    return method == "POST" && path == u"/api/contacts/import" ? kMaxImportBytes : kMaxBodyBytes;
}

void ApiServer::stopListening()
{
    for (QTcpServer *server : servers())
        server->close();
    // A stream never ends by itself: ended here, it lets the drain finish (the client resumes
    // from its last event id on another instance or after the restart).
    for (ResponseQueue *queue : std::as_const(m_queues))
        queue->endStreams();
}

int ApiServer::pendingResponses() const
{
    int pending = 0;
    for (const ResponseQueue *queue : m_queues)
        pending += queue->pending();
    return pending;
}

void ApiServer::onWritten(const Exchange &exchange, int status)
{
    m_metrics.record(exchange.method, exchange.route, status, double(exchange.received.nsecsElapsed()) / 1e9);
}

ResponseQueue *ApiServer::queueFor(QTcpSocket *socket)
{
    ResponseQueue *queue = ResponseQueue::of(socket, [this](const Exchange &exchange, int status) {
        onWritten(exchange, status);
    });
    if (!m_queues.contains(queue)) {
        m_queues.insert(queue);
        connect(queue, &QObject::destroyed, this, [this, queue]() { m_queues.remove(queue); });
        if (RequestGuard *guard = RequestGuard::of(socket)) {
            connect(queue, &ResponseQueue::answerWritten, guard, &RequestGuard::answerWritten);
            connect(queue, &ResponseQueue::allWritten, guard, &RequestGuard::answersWritten);
        }
    }
    return queue;
}

void ApiServer::refuse(QTcpSocket *socket, const QByteArray &method, const ApiResponse &response)
{
    qCInfo(lcHttp).noquote() << "refused a request from" << socket->peerAddress().toString() << "with"
                                << response.status << "before reading its body";
    Exchange exchange{method, u"unmatched"_s, {}};
    exchange.received.start();
    queueFor(socket)->closeWith(response, std::move(exchange));
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ResponseQueue *queue = queueFor(socket);
    if (RequestGuard *guard = RequestGuard::of(socket))
        guard->requestReceived();

    ApiRequest copy{methodName(request.method()),
                    request.url().path(),
                    request.query(),
                    request.headers(),
                    request.body(),
                    request.remoteAddress(),
                    {},
                    std::nullopt};
    Exchange exchange{copy.method, u"unmatched"_s, {}};
    exchange.received.start();
    const Reply reply = queue->enqueue(makeResponder(request, socket), std::move(exchange));
    dispatch(std::move(copy), reply);
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Unreachable while handleRequest answers everything; kept correct all the same.
    Q_UNUSED(request)
    Q_UNUSED(socket)
}

bool ApiServer::applyCors(const ApiRequest &request, const Reply &reply,
                          QList<std::pair<QByteArray, QByteArray>> *headers)
{
    const QByteArray origin = request.header("Origin");
    const bool allowed = !origin.isEmpty() && m_allowedOrigins.contains(origin);
    if (allowed) {
        headers->emplaceBack("Access-Control-Allow-Origin", origin);
        headers->emplaceBack("Vary", "Origin");
    }
    if (request.method != "OPTIONS")
        return false;
    // A preflight: answered here for every path, allowed only for the server's own origin.
    if (!allowed) {
        reply.send(ApiResponse::error(403, u"origin_not_allowed"_s, u"Cross-origin requests are not allowed from this origin"_s));
        return true;
    }
    ApiResponse response = ApiResponse::noContent();
    response.headers = *headers;
    response.headers.emplaceBack("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
    response.headers.emplaceBack("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
    response.headers.emplaceBack("Access-Control-Max-Age", "600");
    reply.send(response);
    return true;
}

bool ApiServer::hostAllowed(const ApiRequest &request) const
{
    if (m_allowedHosts.isEmpty())
        return true;
    const QByteArray host = request.header("Host");
    if (host.isEmpty())
        return true; // HTTP/1.0 tools; a browser always names the host
    const QUrl authority(u"http://"_s + QString::fromLatin1(host));
    return authority.isValid() && m_allowedHosts.contains(authority.host().toLower());
}

void ApiServer::dispatch(ApiRequest request, const Reply &reply)
{
    // Every answer: nothing of it is cached (tokens, call data) or sniffed as another type.
    QList<std::pair<QByteArray, QByteArray>> headers{{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}};
    if (m_tls)
        headers.emplaceBack("Strict-Transport-Security", "max-age=31536000");
    if (!hostAllowed(request)) {
        reply.addHeaders(headers);
        return reply.send(ApiResponse::error(421, u"unknown_host"_s,
                                             u"This server does not answer to the host %1"_s.arg(QString::fromLatin1(request.header("Host")))));
    }
    if (applyCors(request, reply, &headers))
        return;
    reply.addHeaders(headers);

    bool lengthOk = true;
    const QByteArray contentLength = request.header("Content-Length");
    const qlonglong declared = contentLength.isEmpty() ? 0 : contentLength.toLongLong(&lengthOk);
    if (!lengthOk || declared < 0)
        return reply.send(ApiResponse::error(400, u"validation_error"_s, u"Content-Length is not a number"_s));
    const qsizetype limit = maxBodyBytes(request.method, request.path);
    if (declared > limit || request.body.size() > limit)
        return reply.send(payloadTooLarge(limit));

    const Router::Match match = m_router.match(request.method, request.path);
    if (!match.route) {
        if (match.allowedMethods.isEmpty())
            return reply.send(ApiResponse::error(404, u"not_found"_s, u"No such endpoint: %1"_s.arg(request.path)));
        ApiResponse response = ApiResponse::error(
            405, u"method_not_allowed"_s,
            u"%1 does not accept %2"_s.arg(request.path, QString::fromLatin1(request.method)));
        response.headers.emplaceBack("Allow", match.allowedMethods.join(", "));
        return reply.send(response);
    }
    reply.setRoute(match.route->pattern);
    request.pathParams = match.params;

    if (match.route->access == Access::Authenticated) {
        const QByteArray authorization = request.header("Authorization");
        if (!authorization.startsWith("Bearer ")) {
            qCWarning(lcHttp) << "unauthenticated request to" << match.route->pattern << "from"
                              << request.peer.toString();
            return reply.send(ApiResponse::fromError({ErrorCode::Unauthenticated, u"Authentication required"_s}));
        }
        Result<Principal> principal = m_auth.authenticate(QByteArrayView(authorization).sliced(7).trimmed());
        if (!principal) {
            if (principal.error().code == ErrorCode::Unauthenticated) {
                qCWarning(lcHttp).noquote() << "rejected token on" << match.route->pattern << "from"
                                            << request.peer.toString() << ":" << principal.error().message;
            }
            return reply.send(ApiResponse::fromError(principal.error()));
        }
        if (principal->scopes && !principal->scopes->contains(match.route->scope)) {
            qCWarning(lcHttp).noquote() << "API key of user" << principal->userId << "lacks the scope of"
                                        << match.route->pattern;
            const QString needed = match.route->scope.isEmpty() ? u"a login token (no API key)"_s
                                                                : u"the scope "_s + match.route->scope;
            return reply.send(ApiResponse::fromError({ErrorCode::InsufficientScope, u"This request needs "_s + needed}));
        }
        request.principal = principal.value();
        request.principal->client = request.peer;
    }

    match.route->handler(request, reply);
}

} // namespace Switchboard
