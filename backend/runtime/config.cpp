#include "config.h"

#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSysInfo>
#include <QThread>
#include <QUrl>

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

Result<int> intVariable(const QProcessEnvironment &env, const QString &name, int fallback, int min, int max)
{
    if (!env.contains(name))
        return fallback;
    bool ok = false;
    const int value = env.value(name).trimmed().toInt(&ok);
    if (!ok || value < min || value > max)
        return Error::validation(u"%1 must be a whole number from %2 to %3"_s.arg(name).arg(min).arg(max));
    return value;
}

// Connection clocks are QTimers in milliseconds: a day keeps well inside an int.
constexpr int kMaxConnectionTimeoutSeconds = 24 * 3600;

Result<int> durationVariable(const QProcessEnvironment &env, const QString &name, int fallback)
{
    if (!env.contains(name))
        return fallback;
    const std::optional<int> seconds = parseDurationSeconds(env.value(name));
    if (!seconds || *seconds <= 0)
        return Error::validation(u"%1 must be a positive duration such as 3600, 90s, 30m or 24h"_s.arg(name));
    return *seconds;
}

/// Exact origins (scheme://host[:port]) as browsers send them in `Origin`: no wildcard, no path,
/// so that an allow-list entry can never match more than the one site it names.
Result<QStringList> parseCorsOrigins(const QString &text)
{
    QStringList origins;
    for (const QString &item : text.split(QRegularExpression(u"[,\\s]+"_s), Qt::SkipEmptyParts)) {
        const QUrl url(item, QUrl::StrictMode);
        const bool exact = url.isValid() && (url.scheme() == u"http"_s || url.scheme() == u"https"_s)
            && !url.host().isEmpty() && url.userInfo().isEmpty() && url.path().isEmpty() && !url.hasQuery()
            && !url.hasFragment() && url.toString() == item;
        if (!exact) {
            return Error::validation(
                u"CORS_ORIGINS must list exact origins such as https://crm.example.com (lower-case scheme, host and "
                "optional port; no path or wildcard): %1"_s.arg(item.left(100)));
        }
        origins.append(item);
    }
    return origins;
}

} // namespace

std::optional<int> parseDurationSeconds(const QString &text)
{
    QString digits = text.trimmed();
    int unit = 1;
    if (!digits.isEmpty() && !digits.back().isDigit()) {
        const QChar suffix = digits.back();
        digits.chop(1);
        if (suffix == u's')
            unit = 1;
        else if (suffix == u'm')
            unit = 60;
        else if (suffix == u'h')
            unit = 3600;
        else if (suffix == u'd')
            unit = 86400;
        else
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = digits.toLongLong(&ok);
    // Divide rather than multiply: value * unit can overflow qint64 before the comparison.
    if (!ok || value < 0 || value > std::numeric_limits<int>::max() / unit)
        return std::nullopt;
    return int(value * unit);
}

int Config::defaultServerThreads()
{
    return qBound(1, QThread::idealThreadCount(), 16);
}

QString Config::defaultDataDir()
{
    // Not AppDataLocation: that adds the organisation's name (set for QSettings) as another level.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/switchboard"_s;
}

namespace {

/// WEBHOOK_ALLOW_PRIVATE=1 lets webhooks reach loopback and private addresses;
/// WEBHOOK_RETRY_SCHEDULE ("5,300,1800,…", seconds) replaces the retry schedule.
Result<DeliverySettings> parseWebhookSettings(const QProcessEnvironment &env)
{
    DeliverySettings settings;
    const QString allowPrivate = env.value(u"WEBHOOK_ALLOW_PRIVATE"_s, u"0"_s).trimmed();
    if (allowPrivate != u"0"_s && allowPrivate != u"1"_s)
        return Error::validation(u"WEBHOOK_ALLOW_PRIVATE must be 0 or 1"_s);
    settings.allowPrivate = allowPrivate == u"1"_s;
    const QString schedule = env.value(u"WEBHOOK_RETRY_SCHEDULE"_s).trimmed();
    if (schedule.isEmpty())
        return settings;
    settings.retryDelaysSeconds.clear();
    for (const QString &part : schedule.split(u',')) {
        bool ok = false;
        const double seconds = part.trimmed().toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 7 * 24 * 3600)
            return Error::validation(u"WEBHOOK_RETRY_SCHEDULE must list seconds (0 to a week) between commas"_s);
        settings.retryDelaysSeconds.append(seconds);
    }
    return settings;
}

} // namespace

Result<Config> Config::fromEnvironment(const QProcessEnvironment &env)
{
    Config config;
    config.dataDir = env.value(u"DATA_DIR"_s, defaultDataDir());
    config.instanceId = env.value(u"INSTANCE_ID"_s, QSysInfo::machineHostName()).trimmed().left(64);
    if (config.instanceId.isEmpty())
        config.instanceId = u"switchboard"_s;
    config.host = env.value(u"SERVER_HOST"_s, config.host).trimmed();
    if (config.host.isEmpty())
        return Error::validation(u"SERVER_HOST is empty"_s);

    Result<int> port = intVariable(env, u"SERVER_PORT"_s, config.port, 0, 65535);
    if (!port)
        return port.error();
    config.port = quint16(port.value());
    config.tlsCertificatePath = env.value(u"TLS_CERT"_s).trimmed();
    config.tlsKeyPath = env.value(u"TLS_KEY"_s).trimmed();
    if (config.tlsCertificatePath.isEmpty() != config.tlsKeyPath.isEmpty()) {
        return Error::validation(config.tlsKeyPath.isEmpty() ? u"TLS_CERT is set but TLS_KEY is not"_s
                                                             : u"TLS_KEY is set but TLS_CERT is not"_s);
    }
    config.allowInsecure = env.value(u"SERVER_INSECURE"_s) == u"1"_s;
    Result<QStringList> origins = parseCorsOrigins(env.value(u"CORS_ORIGINS"_s));
    if (!origins)
        return origins.error();
    config.corsOrigins = origins.value();
    const QHostAddress hostAddress(config.host);
    const bool loopback = config.host == u"localhost"_s || (!hostAddress.isNull() && hostAddress.isLoopback());
    if (!loopback && !config.usesTls() && !config.allowInsecure) {
        return Error::validation(
            u"SERVER_HOST %1 is not a loopback address: set TLS_CERT and TLS_KEY for HTTPS, or pass --insecure "
            "(SERVER_INSECURE=1) to serve plain HTTP on it"_s.arg(config.host));
    }
    for (auto [name, seconds] : {std::pair{u"SERVER_REQUEST_TIMEOUT"_s, &config.requestTimeoutSeconds},
                                 std::pair{u"SERVER_IDLE_TIMEOUT"_s, &config.idleTimeoutSeconds}}) {
        Result<int> timeout = durationVariable(env, name, *seconds);
        if (!timeout)
            return timeout.error();
        if (timeout.value() > kMaxConnectionTimeoutSeconds)
            return Error::validation(u"%1 must be at most a day"_s.arg(name));
        *seconds = timeout.value();
    }

    const QString databaseText = env.value(u"DATABASE_URL"_s,
                                           QDir(config.dataDir).filePath(u"switchboard.db"_s));
    Result<DatabaseUrl> database = DatabaseUrl::parse(databaseText);
    if (!database)
        return database.error();
    config.database = database.value();

    config.jwtSecret = env.value(u"JWT_SECRET"_s).toUtf8();
    if (!config.jwtSecret.isEmpty() && config.jwtSecret.size() < 32)
        return Error::validation(u"JWT_SECRET must be at least 32 characters"_s);
    Result<int> ttl = durationVariable(env, u"JWT_TTL"_s, config.jwtTtlSeconds);
    if (!ttl)
        return ttl.error();
    config.jwtTtlSeconds = ttl.value();
    Result<int> maxAge = durationVariable(env, u"SESSION_MAX_AGE"_s, config.sessionMaxAgeSeconds);
    if (!maxAge)
        return maxAge.error();
    if (maxAge.value() > kMaxSessionAgeSeconds)
        return Error::validation(u"SESSION_MAX_AGE must be at most 12h: a stolen token must not outlive a working day"_s);
    config.sessionMaxAgeSeconds = maxAge.value();

    const QString registration = env.value(u"REGISTRATION"_s, u"open"_s).trimmed().toLower();
    if (registration != u"open"_s && registration != u"closed"_s)
        return Error::validation(u"REGISTRATION must be open or closed"_s);
    config.registrationOpen = registration == u"open"_s;

    config.metricsToken = env.value(u"METRICS_TOKEN"_s).toUtf8();
    if (!config.metricsToken.isEmpty() && config.metricsToken.size() < 32)
        return Error::validation(u"METRICS_TOKEN must be at least 32 characters"_s);

    config.voipProvider = env.value(u"VOIP_PROVIDER"_s, config.voipProvider).trimmed().toLower();
    // A configuration error like the others: found before the database is opened or migrated.
    if (config.voipProvider != u"mock"_s && config.voipProvider != u"twilio"_s)
        return Error::validation(u"VOIP_PROVIDER must be mock or twilio, not '%1'"_s.arg(config.voipProvider));
    const QString media = env.value(u"VOIP_MOCK_MEDIA"_s, u"on"_s).trimmed().toLower();
    if (media != u"on"_s && media != u"off"_s)
        return Error::validation(u"VOIP_MOCK_MEDIA must be on or off"_s);
    config.mock.media = media == u"on"_s;
    config.twilio = {
        env.value(u"VOIP_ACCOUNT_SID"_s), env.value(u"VOIP_AUTH_TOKEN"_s),
        env.value(u"VOIP_API_KEY"_s),     env.value(u"VOIP_API_SECRET"_s),
        env.value(u"VOIP_FROM_NUMBER"_s), env.value(u"VOIP_API_BASE_URL"_s, u"https://api.twilio.com"_s),
        env.value(u"VOICE_PUBLIC_BASE_URL"_s), env.value(u"VOIP_TWIML_APP_SID"_s),
    };
    if (config.voipProvider == u"twilio"_s) {
        if (Status twilio = config.twilio.validate(); !twilio)
            return twilio.error();
    }

    struct IntSetting
    {
        const char *name;
        int *target;
        int min;
        int max;
    };
    const IntSetting ints[] = {
        {"VOIP_MOCK_LATENCY_MS", &config.mock.latencyMs, 0, 60000},
        {"VOIP_MOCK_RING_TIMEOUT", &config.mock.ringTimeoutSeconds, 1, 600},
        {"VOIP_MOCK_RINGBACK_MS", &config.mock.ringbackMs, 0, 60000},
        {"VOIP_MOCK_MEDIA_TIMEOUT", &config.mock.mediaTimeoutSeconds, 1, 600},
        {"VOIP_MOCK_POOL", &config.mock.poolSize, 0, 64},
        {"VOIP_MOCK_MAX_CALLS", &config.mock.maxCalls, 1, 10000},
        {"VOIP_MOCK_ANSWER_WINDOW_MS", &config.mock.answerWindowMs, 0, 600000},
        {"LOGIN_RATE_LIMIT", &config.loginAttemptsPerMinute, 1, 1000000},
        {"REGISTER_RATE_LIMIT", &config.registrationsPerHour, 0, 1000000},
        {"MAX_CONNECTIONS", &config.maxConnections, 0, 1000000},
        {"MAX_CONNECTIONS_PER_CLIENT", &config.maxConnectionsPerClient, 1, 1000000},
        {"SERVER_THREADS", &config.serverThreads, 1, 64},
        {"SESSION_SWEEP_INTERVAL_MS", &config.sessionSweepIntervalMs, 10, 3600 * 1000},
    };
    for (const IntSetting &setting : ints) {
        Result<int> value = intVariable(env, QString::fromLatin1(setting.name), *setting.target,
                                        setting.min, setting.max);
        if (!value)
            return value.error();
        *setting.target = value.value();
    }

    Result<int> setupTimeout = durationVariable(env, u"CALL_SETUP_TIMEOUT"_s, config.callSetupTimeoutSeconds);
    if (!setupTimeout)
        return setupTimeout.error();
    config.callSetupTimeoutSeconds = setupTimeout.value();
    Result<int> sessionTtl = durationVariable(env, u"SESSION_TTL"_s, config.sessionTtlSeconds);
    if (!sessionTtl)
        return sessionTtl.error();
    config.sessionTtlSeconds = sessionTtl.value();
    Result<DeliverySettings> webhooks = parseWebhookSettings(env);
    if (!webhooks)
        return webhooks.error();
    config.webhooks = webhooks.value();

    return config;
}

} // namespace Switchboard
