#include "serverruntime.h"

#include "auth/authservice.h"
#include "auth/jwtcodec.h"
#include "auth/jwtsecret.h"
#include "calls/callservice.h"
#include "core/logging.h"
#include "http/apiserver.h"
#include "http/routes.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sqlcallrepository.h"
#include "storage/sqlrevokedtokenrepository.h"
#include "storage/sqluserrepository.h"
#include "voip/voipproviderfactory.h"

#include <QElapsedTimer>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr int kPurgeIntervalMs = 10 * 60 * 1000;
constexpr int kDrainPollMs = 20;
} // namespace

ServerRuntime::ServerRuntime(Config config) : m_config(std::move(config)) {}

ServerRuntime::~ServerRuntime() = default;

Result<quint16> ServerRuntime::start()
{
    QByteArray secret = m_config.jwtSecret;
    if (secret.isEmpty()) {
        Result<QByteArray> stored = loadOrCreateJwtSecret(m_config.dataDir);
        if (!stored)
            return stored.error();
        secret = stored.value();
    }

    const QString connectionName = u"switchboard-%1"_s.arg(quintptr(QThread::currentThreadId()));
    Result<std::unique_ptr<Database>> database = Database::open(m_config.database, connectionName);
    if (!database)
        return database.error();
    m_database = std::move(database).value();
    if (Status migrated = Migrator(*m_database).migrate(); !migrated)
        return migrated.error();

    m_users = std::make_unique<SqlUserRepository>(*m_database);
    m_calls = std::make_unique<SqlCallRepository>(*m_database);
    m_revokedTokens = std::make_unique<SqlRevokedTokenRepository>(*m_database);
    m_rateLimits = std::make_unique<SqlRateLimitRepository>(*m_database);
    m_codec = std::make_unique<JwtCodec>(secret, m_config.jwtTtlSeconds);
    m_auth = std::make_unique<AuthService>(*m_users, *m_revokedTokens, *m_rateLimits, *m_codec, m_clock,
                                           m_config.loginAttemptsPerMinute);

    Result<std::unique_ptr<VoipService>> provider = createVoipService(m_config);
    if (!provider)
        return provider.error();
    m_provider = std::move(provider).value();

    CallSettings settings;
    settings.instanceId = m_config.instanceId;
    settings.setupTimeoutSeconds = m_config.callSetupTimeoutSeconds;
    settings.sessionTtlSeconds = m_config.sessionTtlSeconds;
    settings.sweepIntervalMs = m_config.sessionSweepIntervalMs;
    m_callService = std::make_unique<CallService>(*m_calls, *m_provider, m_clock, settings);
    if (Status started = m_callService->start(); !started)
        return started.error();

    m_server = std::make_unique<ApiServer>(*m_auth);
    addRoutes(*m_server, *m_auth, *m_callService, *m_database);
    Result<quint16> port = m_server->start(QHostAddress(m_config.host), m_config.port,
                                              {m_config.requestTimeoutSeconds * 1000, m_config.idleTimeoutSeconds * 1000});
    if (!port)
        return port.error();

    m_purgeTimer.setInterval(kPurgeIntervalMs);
    connect(&m_purgeTimer, &QTimer::timeout, m_auth.get(), &AuthService::purgeExpired);
    m_purgeTimer.start();

    qCInfo(lcApp).noquote() << "listening on" << u"http://%1:%2"_s.arg(m_config.host).arg(port.value())
                            << "database" << m_config.database.redacted() << "provider" << m_provider->name();
    return port;
}

void ServerRuntime::drain(int graceMs, std::function<void()> done)
{
    if (!m_server)
        return done();
    m_server->stopListening();
    auto deadline = std::make_shared<QElapsedTimer>();
    deadline->start();
    auto poll = std::make_shared<QTimer>();
    poll->setInterval(kDrainPollMs);
    connect(poll.get(), &QTimer::timeout, this, [this, poll, deadline, graceMs, done]() {
        const int pending = m_server->pendingResponses();
        if (pending > 0 && deadline->elapsed() < graceMs)
            return;
        if (pending > 0)
            qCWarning(lcApp) << "stopping with" << pending << "answers unwritten";
        poll->stop();
        done();
    });
    poll->start();
}

} // namespace Switchboard
