#pragma once

#include "http/requestguard.h"
#include "http/routes.h"
#include "listeningsocket.h"
#include "partsthread.h"

#include <QSet>
#include <QSslConfiguration>

#include <memory>
#include <optional>

namespace Switchboard {

class ApiServer;
class HttpMetrics;

/// How each serving thread serves: the same for all of them.
struct ServingSettings
{
    ConnectionTimeouts timeouts;
    std::optional<QSslConfiguration> tls;
    QSet<QByteArray> allowedOrigins;
    ConnectionBacklog backlog;
    std::shared_ptr<ConnectionLimits> limits; ///< shared by every serving thread
    QSet<QString> allowedHosts; ///< the Host names requests may use; empty: any
};

/// One serving thread: its own ApiServer on its own listening sockets of the shared port. It
/// parses, authenticates, routes and reads (on its own database connection) for the connections
/// the kernel hands to its socket; what changes state goes to the use cases' thread.
class HttpThread final : public PartsThread
{
public:
    /// Serves `sockets`: one per address SERVER_HOST names, all on the shared port.
    HttpThread(int index, ApiServices services, HttpMetrics &metrics, ServingSettings settings,
               QList<ListeningSocket> sockets);
    ~HttpThread() override;

    /// Stops accepting connections and blocks until every answer of this thread is written, or
    /// `graceMs` has passed; the thread keeps running until stop().
    void drain(int graceMs);

protected:
    void build(Completion<Done> ready) override;
    void teardown() override;

private:
    ApiServices m_services;
    HttpMetrics &m_metrics;
    ServingSettings m_settings;
    QList<ListeningSocket> m_sockets;
    std::unique_ptr<ApiServer> m_server;
};

} // namespace Switchboard
