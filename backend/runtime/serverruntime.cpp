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
#include "tlsfiles.h"
#include "voip/voipproviderfactory.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSslConfiguration>
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
    // Before anything is created: a bad certificate stops the start with nothing touched.
    std::optional<QSslConfiguration> tls;
    if (m_config.usesTls()) {
        Result<QSslConfiguration> loaded = loadTls(m_config.tlsCertificatePath, m_config.tlsKeyPath);
        if (!loaded)
            return loaded.error();
        tls = loaded.value();
    }
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

    TwilioOptions twilio;
    twilio.account = m_config.twilio;
    // Twilio gives up ringing first, so that a call nobody answers fails as no_answer.
    twilio.ringTimeoutSeconds = qBound(5, m_config.callSetupTimeoutSeconds - 5, 600);
    Result<Provider> provider = createVoipService(m_config.voipProvider, m_config.mock, twilio);
    if (!provider)
        return provider.error();
    m_provider = std::move(provider.value().service);
    m_twilio = provider->twilio;

    CallSettings settings;
    settings.instanceId = m_config.instanceId;
    settings.setupTimeoutSeconds = m_config.callSetupTimeoutSeconds;
    settings.sessionTtlSeconds = m_config.sessionTtlSeconds;
    settings.sweepIntervalMs = m_config.sessionSweepIntervalMs;
    m_callService = std::make_unique<CallService>(*m_calls, *m_provider, m_clock, settings);
    if (Status started = m_callService->start(); !started)
        return started.error();

    m_server = std::make_unique<ApiServer>(*m_auth);
    addRoutes(*m_server, *m_auth, *m_callService, *m_database, m_twilio);
    Result<quint16> port = m_server->start(QHostAddress(m_config.host), m_config.port,
                                              {m_config.requestTimeoutSeconds * 1000, m_config.idleTimeoutSeconds * 1000},
                                              tls);
    if (!port)
        return port.error();
    if (!tls && !QHostAddress(m_config.host).isLoopback() && m_config.host != u"localhost"_s) {
        qCWarning(lcApp).noquote() << "serving plain HTTP on" << m_config.host
                                   << "(--insecure): passwords and tokens cross the network unencrypted";
    }

    m_purgeTimer.setInterval(kPurgeIntervalMs);
    connect(&m_purgeTimer, &QTimer::timeout, m_auth.get(), &AuthService::purgeExpired);
    m_purgeTimer.start();

    qCInfo(lcApp).noquote() << "listening on" << u"%1://%2:%3"_s.arg(tls ? u"https"_s : u"http"_s, m_config.host).arg(port.value())
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
