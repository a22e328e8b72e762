#pragma once

#include "core/clock.h"
#include "config.h"
#include "domain/result.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Switchboard {

class ApiServer;
class AuthService;
class CallService;
class Database;
class JwtCodec;
class SqlCallRepository;
class SqlRateLimitRepository;
class SqlRevokedTokenRepository;
class SqlUserRepository;
class TwilioVoipService;
class VoipService;

/// Everything the backend is made of, built and destroyed on the server thread.
class ServerRuntime : public QObject
{
    Q_OBJECT
public:
    explicit ServerRuntime(Config config);
    ~ServerRuntime() override;

    /// Builds the parts in dependency order and starts listening; returns the port.
    Result<quint16> start();

    /// Stops listening and calls `done` once no answer is pending or `graceMs` has passed.
    void drain(int graceMs, std::function<void()> done);

private:
    Config m_config;
    Clock m_clock;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SqlUserRepository> m_users;
    std::unique_ptr<SqlCallRepository> m_calls;
    std::unique_ptr<SqlRevokedTokenRepository> m_revokedTokens;
    std::unique_ptr<SqlRateLimitRepository> m_rateLimits;
    std::unique_ptr<JwtCodec> m_codec;
    std::unique_ptr<AuthService> m_auth;
    std::unique_ptr<VoipService> m_provider;
    TwilioVoipService *m_twilio = nullptr; ///< m_provider itself when it is Twilio
    std::unique_ptr<CallService> m_callService;
    std::unique_ptr<ApiServer> m_server;
    QTimer m_purgeTimer;
};

} // namespace Switchboard
