#pragma once

#include "domain/result.h"
#include "storage/databaseurl.h"
#include "voip/mock/mocksettings.h"
#include "voip/twilio/twiliosettings.h"
#include "webhooks/deliverysettings.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchboard {

/// Everything the backend is configured with. Read from the environment; the app's flags
/// override single variables before parsing (`--port` sets SERVER_PORT, and so on).
struct Config
{
    static constexpr int kMaxSessionAgeSeconds = 12 * 3600;

    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    int requestTimeoutSeconds = 10; ///< a request must arrive whole within this (408 otherwise)
    int idleTimeoutSeconds = 60; ///< a connection with nothing to answer and no request is closed after this
    QString tlsCertificatePath; ///< TLS_CERT: PEM certificate (chain); with tlsKeyPath, the API speaks HTTPS
    QString tlsKeyPath; ///< TLS_KEY: its PEM private key
    bool allowInsecure = false; ///< SERVER_INSECURE / --insecure: plain HTTP on a non-loopback address
    QStringList corsOrigins; ///< CORS_ORIGINS: exact origins whose pages may call the API, beside the server's own
    DatabaseUrl database;
    QString dataDir;
    QString instanceId; ///< INSTANCE_ID, or the host name: tells instances sharing one database apart
    QByteArray jwtSecret; ///< empty: generated and kept in dataDir on first start
    /// JWT_TTL: a token's lifetime, and so the idle timeout: clients refresh their token
    /// (POST /api/auth/refresh) while their operator is active.
    int jwtTtlSeconds = 3600;
    /// SESSION_MAX_AGE: no refresh reaches past this after the login.
    int sessionMaxAgeSeconds = kMaxSessionAgeSeconds;
    QString voipProvider = QStringLiteral("mock");
    TwilioSettings twilio;
    MockSettings mock;
    DeliverySettings webhooks; ///< WEBHOOK_ALLOW_PRIVATE, WEBHOOK_RETRY_SCHEDULE
    int serverThreads = defaultServerThreads(); ///< SERVER_THREADS: serving threads sharing the port
    int loginAttemptsPerMinute = 10;
    int registrationsPerHour = 20; ///< REGISTER_RATE_LIMIT per client address; 0 = no limit
    bool registrationOpen = true; ///< REGISTRATION=open|closed
    int maxConnections = 0; ///< MAX_CONNECTIONS in all; 0 = what the descriptor limit leaves room for
    int maxConnectionsPerClient = 256; ///< MAX_CONNECTIONS_PER_CLIENT: from one client address
    QByteArray metricsToken; ///< METRICS_TOKEN: the bearer token a scraper shows for /metrics off loopback
    int sessionSweepIntervalMs = 60 * 1000;
    int callSetupTimeoutSeconds = 60;
    int sessionTtlSeconds = 4 * 3600;

    bool usesTls() const { return !tlsCertificatePath.isEmpty(); }

    static Result<Config> fromEnvironment(const QProcessEnvironment &environment);

    /// One serving thread per core, at least one and at most 16.
    static int defaultServerThreads();

    /// The user's data folder: where the default database and the generated secret live unless DATA_DIR says otherwise.
    static QString defaultDataDir();
};

/// Parses a duration such as `3600`, `90s`, `30m`, `24h` or `7d` into seconds.
std::optional<int> parseDurationSeconds(const QString &text);

} // namespace Switchboard
