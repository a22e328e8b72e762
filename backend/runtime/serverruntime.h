#pragma once

#include "config.h"
#include "core/clock.h"
#include "domain/result.h"
#include "http/httpmetrics.h"

#include <QSslConfiguration>

#include <memory>
#include <vector>

namespace Switchboard {

class ConnectionLimits;
class CoreThread;
class Database;
class GroupCommitter;
class HttpThread;
class JwtCodec;
class SqlApiKeyRepository;
class SqlAuditRepository;
class SqlPolicyRepository;
class SqlCallRepository;
class SqlEventRepository;
class SqlIdempotencyRepository;
class SqlContactRepository;
class SqlRateLimitRepository;
class SqlRevokedTokenRepository;
class SqlUserRepository;

/// Everything the backend is made of, and its threads (docs/ARCHITECTURE.md, "Execution model"):
/// SERVER_THREADS serving threads, each with its own listening socket on the shared port and its
/// own database connection; one thread for the use cases, their provider and their timers; and
/// one writer that commits every write in groups.
class ServerRuntime
{
public:
    explicit ServerRuntime(Config config);
    ~ServerRuntime();
    ServerRuntime(const ServerRuntime &) = delete;
    ServerRuntime &operator=(const ServerRuntime &) = delete;

    /// Opens and migrates the database, starts the threads and listens; returns the port.
    Result<quint16> start();

    /// Stops accepting, lets answers in flight finish (up to `graceMs`), then stops the writer
    /// (which finishes what it was given), the serving threads and the use cases' thread.
    void stop(int graceMs);

private:
    Status startServing(const std::optional<QSslConfiguration> &tls, quint16 *port);

    Config m_config;
    Clock m_clock;
    HttpMetrics m_httpMetrics;
    std::shared_ptr<ConnectionLimits> m_connectionLimits;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SqlUserRepository> m_users;
    std::unique_ptr<SqlCallRepository> m_calls;
    std::unique_ptr<SqlContactRepository> m_contacts;
    std::unique_ptr<SqlRevokedTokenRepository> m_revokedTokens;
    std::unique_ptr<SqlRateLimitRepository> m_rateLimits;
    std::unique_ptr<SqlAuditRepository> m_audit;
    std::unique_ptr<SqlPolicyRepository> m_policy;
    std::unique_ptr<SqlApiKeyRepository> m_apiKeys;
    std::unique_ptr<SqlIdempotencyRepository> m_idempotency;
    std::unique_ptr<SqlEventRepository> m_events;
    std::unique_ptr<JwtCodec> m_codec;
    std::unique_ptr<GroupCommitter> m_writer;
    std::unique_ptr<CoreThread> m_core;
    std::vector<std::unique_ptr<HttpThread>> m_serving;
};

} // namespace Switchboard
