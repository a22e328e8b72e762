#include "runtime/config.h"
#include "printers.h"

#include <QRegularExpression>
#include <QSysInfo>
#include <QTest>

#include <limits>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

QProcessEnvironment environment(const QList<std::pair<QString, QString>> &variables)
{
    QProcessEnvironment env; // empty: nothing leaks in from the environment the test runs in
    for (const auto &[name, value] : variables)
        env.insert(name, value);
    return env;
}

Config parsed(const QList<std::pair<QString, QString>> &variables)
{
    Result<Config> config = Config::fromEnvironment(environment(variables));
    if (!config)
        qWarning("unexpected configuration error: %s", qPrintable(config.error().message));
    return config ? config.value() : Config{};
}

} // namespace

class tst_Config : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaults();
    void serverOverrides();
    void databaseUrlOverride();
    void dataDirMovesTheDefaultDatabase();
    void jwtSecret();
    void jwtTtl_data();
    void jwtTtl();
    void voipSettings();
    void twilioErrorsNameTheVariable_data();
    void twilioErrorsNameTheVariable();
    void twilioCallbacksNeedTheAuthToken();
    void corsOrigins();
    void instanceId();
    void integerSettings();
    void lifecycleDurations();
    void invalidValuesAreErrors_data();
    void invalidValuesAreErrors();
    void parseDurationSeconds_data();
    void parseDurationSeconds();
};

void tst_Config::init()
{
    // parsed() warns when a configuration it expects to be valid is refused.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_Config::defaults()
{
    const Result<Config> result = Config::fromEnvironment(QProcessEnvironment());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const Config &config = result.value();
    QCOMPARE(config.host, u"127.0.0.1"_s);
    QCOMPARE(config.port, quint16(8080));
    QCOMPARE(config.dataDir, Config::defaultDataDir());
    QVERIFY(!config.dataDir.isEmpty());
    QCOMPARE(config.database.engine, DatabaseUrl::Engine::Sqlite);
    QCOMPARE(config.database.sqlitePath, config.dataDir + u"/switchboard.db"_s);
    QVERIFY2(config.jwtSecret.isEmpty(), "an unset secret is generated later, never invented here");
    QCOMPARE(config.jwtTtlSeconds, 3600); // the idle timeout: clients refresh while their operator works
    QCOMPARE(config.sessionMaxAgeSeconds, 12 * 3600);
    QCOMPARE(config.voipProvider, u"mock"_s);
    QCOMPARE(config.twilio.apiBaseUrl, u"https://api.twilio.com"_s);
    QVERIFY(config.twilio.accountSid.isEmpty());
    QVERIFY(config.twilio.authToken.isEmpty());
    QCOMPARE(config.mock.latencyMs, 0);
    QCOMPARE(config.mock.ringTimeoutSeconds, 30);
    QCOMPARE(config.loginAttemptsPerMinute, 10);
    QCOMPARE(config.sessionSweepIntervalMs, 60 * 1000);
    QCOMPARE(config.callSetupTimeoutSeconds, 60);
    QCOMPARE(config.sessionTtlSeconds, 4 * 3600);
    const QString host = QSysInfo::machineHostName().trimmed().left(64);
    QCOMPARE(config.instanceId, host.isEmpty() ? u"switchboard"_s : host);
}

void tst_Config::serverOverrides()
{
    // A public address needs TLS or an explicit SERVER_INSECURE (see invalidValuesAreErrors).
    const Config config =
        parsed({{u"SERVER_HOST"_s, u" 0.0.0.0 "_s}, {u"SERVER_PORT"_s, u"9090"_s}, {u"SERVER_INSECURE"_s, u"1"_s}});
    QCOMPARE(config.host, u"0.0.0.0"_s);
    QCOMPARE(config.port, quint16(9090));

    QCOMPARE(parsed({{u"SERVER_PORT"_s, u"0"_s}}).port, quint16(0)); // any free port
    QCOMPARE(parsed({{u"SERVER_PORT"_s, u"65535"_s}}).port, quint16(65535));
    QCOMPARE(parsed({{u"SERVER_PORT"_s, u" 8443 "_s}}).port, quint16(8443));
}

void tst_Config::databaseUrlOverride()
{
    const Config postgres = parsed({{u"DATABASE_URL"_s, u"postgres://ops:pw@db.internal:5433/switchboard"_s}});
    QCOMPARE(postgres.database.engine, DatabaseUrl::Engine::Postgres);
    QCOMPARE(postgres.database.host, u"db.internal"_s);
    QCOMPARE(postgres.database.port, 5433);
    QCOMPARE(postgres.database.databaseName, u"switchboard"_s);
    QCOMPARE(postgres.database.user, u"ops"_s);
    QCOMPARE(postgres.database.password, u"pw"_s);

    const Config sqlite = parsed({{u"DATABASE_URL"_s, u"sqlite:///var/lib/switchboard/calls.db"_s}});
    QCOMPARE(sqlite.database.engine, DatabaseUrl::Engine::Sqlite);
    QCOMPARE(sqlite.database.sqlitePath, u"/var/lib/switchboard/calls.db"_s);
}

void tst_Config::dataDirMovesTheDefaultDatabase()
{
    const Config config = parsed({{u"DATA_DIR"_s, u"/tmp/switchboard-data"_s}});
    QCOMPARE(config.dataDir, u"/tmp/switchboard-data"_s);
    QCOMPARE(config.database.sqlitePath, u"/tmp/switchboard-data/switchboard.db"_s);

    // An explicit DATABASE_URL wins over the data folder.
    const Config both = parsed({{u"DATA_DIR"_s, u"/tmp/a"_s}, {u"DATABASE_URL"_s, u"/tmp/b/other.db"_s}});
    QCOMPARE(both.dataDir, u"/tmp/a"_s);
    QCOMPARE(both.database.sqlitePath, u"/tmp/b/other.db"_s);
}

void tst_Config::jwtSecret()
{
    const QString secret32(32, u's');
    QCOMPARE(parsed({{u"JWT_SECRET"_s, secret32}}).jwtSecret, secret32.toUtf8());

    const Result<Config> shortSecret = Config::fromEnvironment(environment({{u"JWT_SECRET"_s, QString(31, u's')}}));
    QVERIFY(!shortSecret.ok());
    QCOMPARE(shortSecret.error().code, ErrorCode::Validation);
    QCOMPARE(shortSecret.error().message, u"JWT_SECRET must be at least 32 characters"_s);
    QVERIFY2(!shortSecret.error().message.contains(QString(31, u's')), "the error never repeats the secret");

    // Set but empty means "not set": generate one.
    const Result<Config> empty = Config::fromEnvironment(environment({{u"JWT_SECRET"_s, QString()}}));
    QVERIFY(empty.ok());
    QVERIFY(empty->jwtSecret.isEmpty());
}

void tst_Config::jwtTtl_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("seconds");

    QTest::addRow("plain seconds") << u"3600"_s << 3600;
    QTest::addRow("seconds suffix") << u"90s"_s << 90;
    QTest::addRow("minutes") << u"30m"_s << 1800;
    QTest::addRow("hours") << u"24h"_s << 86400;
    QTest::addRow("days") << u"7d"_s << 7 * 86400;
    QTest::addRow("whitespace") << u" 15m "_s << 900;
}

void tst_Config::jwtTtl()
{
    QFETCH(QString, value);
    QFETCH(int, seconds);
    const Result<Config> config = Config::fromEnvironment(environment({{u"JWT_TTL"_s, value}}));
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->jwtTtlSeconds, seconds);
}

void tst_Config::voipSettings()
{
    const Config config = parsed({
        {u"VOIP_PROVIDER"_s, u" Twilio "_s},
        {u"VOIP_ACCOUNT_SID"_s, u"AC0123456789abcdef0123456789abcdef"_s},
        {u"VOIP_AUTH_TOKEN"_s, u"0123456789abcdef0123456789abcdef"_s},
        {u"VOIP_API_KEY"_s, u"SK0123456789abcdef0123456789abcdef"_s},
        {u"VOIP_API_SECRET"_s, u"s3cretS3cretS3cretS3cretS3cret00"_s},
        {u"VOIP_FROM_NUMBER"_s, u"+15005550006"_s},
        {u"VOIP_API_BASE_URL"_s, u"http://127.0.0.1:9999"_s},
        {u"VOICE_PUBLIC_BASE_URL"_s, u"https://switchboard.example.com"_s},
        {u"VOIP_TWIML_APP_SID"_s, u"AP0123456789abcdef0123456789abcdef"_s},
    });
    QCOMPARE(config.voipProvider, u"twilio"_s);
    QCOMPARE(config.twilio.accountSid, u"AC0123456789abcdef0123456789abcdef"_s);
    QCOMPARE(config.twilio.authToken, u"0123456789abcdef0123456789abcdef"_s);
    QCOMPARE(config.twilio.apiKey, u"SK0123456789abcdef0123456789abcdef"_s);
    QCOMPARE(config.twilio.apiSecret, u"s3cretS3cretS3cretS3cretS3cret00"_s);
    QCOMPARE(config.twilio.fromNumber, u"+15005550006"_s);
    QCOMPARE(config.twilio.apiBaseUrl, u"http://127.0.0.1:9999"_s);
    QCOMPARE(config.twilio.publicBaseUrl, u"https://switchboard.example.com"_s);
    QCOMPARE(config.twilio.twimlAppSid, u"AP0123456789abcdef0123456789abcdef"_s);

    // Either credential works alone.
    QVERIFY(Config::fromEnvironment(environment({{u"VOIP_PROVIDER"_s, u"twilio"_s},
                                                 {u"VOIP_ACCOUNT_SID"_s, u"AC0123456789abcdef0123456789abcdef"_s},
                                                 {u"VOIP_AUTH_TOKEN"_s, u"0123456789abcdef0123456789abcdef"_s},
                                                 {u"VOIP_FROM_NUMBER"_s, u"+15005550006"_s}}))
                .ok());
    QVERIFY(Config::fromEnvironment(environment({{u"VOIP_PROVIDER"_s, u"twilio"_s},
                                                 {u"VOIP_ACCOUNT_SID"_s, u"AC0123456789abcdef0123456789abcdef"_s},
                                                 {u"VOIP_API_KEY"_s, u"SK0123456789abcdef0123456789abcdef"_s},
                                                 {u"VOIP_API_SECRET"_s, u"s3cretS3cretS3cretS3cretS3cret00"_s},
                                                 {u"VOIP_FROM_NUMBER"_s, u"+15005550006"_s}}))
                .ok());
}

void tst_Config::twilioErrorsNameTheVariable_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value"); // empty: the variable is removed
    QTest::addColumn<QString>("message");

    QTest::addRow("no account") << u"VOIP_ACCOUNT_SID"_s << QString() << u"VOIP_PROVIDER=twilio needs VOIP_ACCOUNT_SID"_s;
    QTest::addRow("account without AC") << u"VOIP_ACCOUNT_SID"_s << u"0123456789abcdef0123456789abcdef"_s
                                        << u"VOIP_ACCOUNT_SID must be AC followed by 32 hexadecimal digits"_s;
    QTest::addRow("account too short") << u"VOIP_ACCOUNT_SID"_s << u"AC123"_s
                                       << u"VOIP_ACCOUNT_SID must be AC followed by 32 hexadecimal digits"_s;
    QTest::addRow("no caller ID") << u"VOIP_FROM_NUMBER"_s << QString() << u"VOIP_PROVIDER=twilio needs VOIP_FROM_NUMBER"_s;
    QTest::addRow("caller ID not E.164") << u"VOIP_FROM_NUMBER"_s << u"0301234567"_s
                                         << u"VOIP_FROM_NUMBER must be an E.164 number such as +14155550100"_s;
    QTest::addRow("no credential") << u"VOIP_AUTH_TOKEN"_s << QString()
                                   << u"VOIP_PROVIDER=twilio needs VOIP_AUTH_TOKEN, or VOIP_API_KEY and VOIP_API_SECRET"_s;
    QTest::addRow("auth token malformed") << u"VOIP_AUTH_TOKEN"_s << u"not-a-token"_s
                                          << u"VOIP_AUTH_TOKEN must be 32 hexadecimal digits"_s;
    QTest::addRow("key without secret") << u"VOIP_API_KEY"_s << u"SK0123456789abcdef0123456789abcdef"_s
                                        << u"VOIP_API_KEY is set but VOIP_API_SECRET is missing"_s;
    QTest::addRow("secret without key") << u"VOIP_API_SECRET"_s << u"s3cretS3cretS3cretS3cretS3cret00"_s
                                        << u"VOIP_API_SECRET is set but VOIP_API_KEY is missing"_s;
    QTest::addRow("base URL not http") << u"VOIP_API_BASE_URL"_s << u"ftp://api.twilio.com"_s
                                       << u"VOIP_API_BASE_URL must be an http(s) URL without query or credentials"_s;
    QTest::addRow("base URL with credentials") << u"VOIP_API_BASE_URL"_s << u"https://u:p@api.twilio.com"_s
                                               << u"VOIP_API_BASE_URL must be an http(s) URL without query or credentials"_s;
    QTest::addRow("public URL relative") << u"VOICE_PUBLIC_BASE_URL"_s << u"/switchboard"_s
                                         << u"VOICE_PUBLIC_BASE_URL must be an http(s) URL without query or credentials"_s;
    QTest::addRow("app SID malformed") << u"VOIP_TWIML_APP_SID"_s << u"AP1"_s
                                       << u"VOIP_TWIML_APP_SID must be AP followed by 32 hexadecimal digits"_s;
}

void tst_Config::twilioErrorsNameTheVariable()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, message);
    QProcessEnvironment env = environment({{u"VOIP_PROVIDER"_s, u"twilio"_s},
                                           {u"VOIP_ACCOUNT_SID"_s, u"AC0123456789abcdef0123456789abcdef"_s},
                                           {u"VOIP_AUTH_TOKEN"_s, u"0123456789abcdef0123456789abcdef"_s},
                                           {u"VOIP_FROM_NUMBER"_s, u"+15005550006"_s}});
    if (value.isEmpty())
        env.remove(name);
    else
        env.insert(name, value);
    const Result<Config> config = Config::fromEnvironment(env);
    QVERIFY2(!config.ok(), "the settings were accepted");
    QCOMPARE(config.error().code, ErrorCode::Validation);
    QCOMPARE(config.error().message, message);
    // The message names the variable and never repeats a value (a secret in the wrong place).
    QVERIFY(config.error().message.contains(name));
    if (!value.isEmpty())
        QVERIFY(!config.error().message.contains(value));
}

void tst_Config::twilioCallbacksNeedTheAuthToken()
{
    // Twilio signs callbacks with the Auth Token; with an API key alone none could be verified.
    const Result<Config> config = Config::fromEnvironment(environment({
        {u"VOIP_PROVIDER"_s, u"twilio"_s},
        {u"VOIP_ACCOUNT_SID"_s, u"AC0123456789abcdef0123456789abcdef"_s},
        {u"VOIP_API_KEY"_s, u"SK0123456789abcdef0123456789abcdef"_s},
        {u"VOIP_API_SECRET"_s, u"s3cretS3cretS3cretS3cretS3cret00"_s},
        {u"VOIP_FROM_NUMBER"_s, u"+15005550006"_s},
        {u"VOICE_PUBLIC_BASE_URL"_s, u"https://switchboard.example.com"_s},
    }));
    QVERIFY(!config.ok());
    QVERIFY2(config.error().message.startsWith(u"VOICE_PUBLIC_BASE_URL needs VOIP_AUTH_TOKEN"_s),
             qPrintable(config.error().message));
}

void tst_Config::corsOrigins()
{
    QCOMPARE(parsed({}).corsOrigins, QStringList());
    QCOMPARE(parsed({{u"CORS_ORIGINS"_s, u" https://crm.example.com, http://localhost:3000 http://[::1]:8081 "_s}}).corsOrigins,
             (QStringList{u"https://crm.example.com"_s, u"http://localhost:3000"_s, u"http://[::1]:8081"_s}));
}

void tst_Config::instanceId()
{
    QCOMPARE(parsed({{u"INSTANCE_ID"_s, u" node-a "_s}}).instanceId, u"node-a"_s);
    QCOMPARE(parsed({{u"INSTANCE_ID"_s, QString(100, u'x')}}).instanceId, QString(64, u'x')); // fits instance_id
    QCOMPARE(parsed({{u"INSTANCE_ID"_s, u"   "_s}}).instanceId, u"switchboard"_s);
}

void tst_Config::integerSettings()
{
    const Config config = parsed({
        {u"VOIP_MOCK_LATENCY_MS"_s, u"250"_s},
        {u"VOIP_MOCK_RING_TIMEOUT"_s, u"5"_s},
        {u"LOGIN_RATE_LIMIT"_s, u"3"_s},
        {u"SESSION_SWEEP_INTERVAL_MS"_s, u"500"_s},
    });
    QCOMPARE(config.mock.latencyMs, 250);
    QCOMPARE(config.mock.ringTimeoutSeconds, 5);
    QCOMPARE(config.loginAttemptsPerMinute, 3);
    QCOMPARE(config.sessionSweepIntervalMs, 500);
}

void tst_Config::lifecycleDurations()
{
    const Config config = parsed({{u"CALL_SETUP_TIMEOUT"_s, u"2m"_s}, {u"SESSION_TTL"_s, u"1d"_s},
                                  {u"SERVER_REQUEST_TIMEOUT"_s, u"5s"_s}, {u"SERVER_IDLE_TIMEOUT"_s, u"2m"_s}});
    QCOMPARE(config.callSetupTimeoutSeconds, 120);
    QCOMPARE(config.sessionTtlSeconds, 86400);
    QCOMPARE(config.requestTimeoutSeconds, 5);
    QCOMPARE(config.idleTimeoutSeconds, 120);
    const Config insecure = parsed({{u"SERVER_HOST"_s, u"0.0.0.0"_s}, {u"SERVER_INSECURE"_s, u"1"_s}});
    QVERIFY(insecure.allowInsecure);
    QVERIFY(!insecure.usesTls());
    const Config tls = parsed({{u"SERVER_HOST"_s, u"0.0.0.0"_s}, {u"TLS_CERT"_s, u"c.pem"_s}, {u"TLS_KEY"_s, u"k.pem"_s}});
    QVERIFY(tls.usesTls());
    QCOMPARE(tls.tlsKeyPath, u"k.pem"_s);
    const Config defaults = parsed({});
    QCOMPARE(defaults.requestTimeoutSeconds, 10);
    QCOMPARE(defaults.idleTimeoutSeconds, 60);
}

void tst_Config::invalidValuesAreErrors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    const QString portMessage = u"SERVER_PORT must be a whole number from 0 to 65535"_s;
    QTest::addRow("port: letters") << u"SERVER_PORT"_s << u"http"_s << portMessage;
    QTest::addRow("port: empty") << u"SERVER_PORT"_s << QString() << portMessage;
    QTest::addRow("port: negative") << u"SERVER_PORT"_s << u"-1"_s << portMessage;
    QTest::addRow("port: too big") << u"SERVER_PORT"_s << u"65536"_s << portMessage;
    QTest::addRow("port: trailing letters") << u"SERVER_PORT"_s << u"8080x"_s << portMessage;
    QTest::addRow("port: fraction") << u"SERVER_PORT"_s << u"80.5"_s << portMessage;
    QTest::addRow("port: overflows int") << u"SERVER_PORT"_s << u"99999999999999999999"_s << portMessage;
    QTest::addRow("host: blank") << u"SERVER_HOST"_s << u"  "_s << u"SERVER_HOST is empty"_s;
    const QString corsMessage = u"CORS_ORIGINS must list exact origins such as https://crm.example.com (lower-case "
                                "scheme, host and optional port; no path or wildcard): "_s;
    for (const QString &origin : {u"*"_s, u"https://crm.example.com/"_s, u"https://crm.example.com/app"_s,
                                  u"ftp://crm.example.com"_s, u"crm.example.com"_s, u"https://*.example.com"_s,
                                  u"HTTPS://CRM.example.com"_s, u"https://user@crm.example.com"_s, u"null"_s}) {
        QTest::addRow("cors: %s", qPrintable(origin)) << u"CORS_ORIGINS"_s << u"http://ok.example, "_s + origin
                                                      << corsMessage + origin;
    }
    QTest::addRow("database: unknown scheme")
        << u"DATABASE_URL"_s << u"mysql://u:p@h/db"_s
        << u"DATABASE_URL scheme is not supported: use a file path, sqlite:// or postgres://"_s;
    QTest::addRow("database: blank") << u"DATABASE_URL"_s << u" "_s << u"DATABASE_URL is empty"_s;

    const QString ttlMessage = u"JWT_TTL must be a positive duration such as 3600, 90s, 30m or 24h"_s;
    QTest::addRow("ttl: zero") << u"JWT_TTL"_s << u"0"_s << ttlMessage;
    QTest::addRow("ttl: zero minutes") << u"JWT_TTL"_s << u"0m"_s << ttlMessage;
    QTest::addRow("ttl: negative") << u"JWT_TTL"_s << u"-60"_s << ttlMessage;
    QTest::addRow("ttl: weeks") << u"JWT_TTL"_s << u"2w"_s << ttlMessage;
    QTest::addRow("session max age: over 12 hours")
        << u"SESSION_MAX_AGE"_s << u"13h"_s
        << u"SESSION_MAX_AGE must be at most 12h: a stolen token must not outlive a working day"_s;
    QTest::addRow("session max age: zero") << u"SESSION_MAX_AGE"_s << u"0"_s
                                           << u"SESSION_MAX_AGE must be a positive duration such as 3600, 90s, 30m or 24h"_s;
    QTest::addRow("ttl: words") << u"JWT_TTL"_s << u"one hour"_s << ttlMessage;
    QTest::addRow("ttl: fraction") << u"JWT_TTL"_s << u"1.5h"_s << ttlMessage;
    QTest::addRow("ttl: empty") << u"JWT_TTL"_s << QString() << ttlMessage;
    QTest::addRow("ttl: unit only") << u"JWT_TTL"_s << u"h"_s << ttlMessage;
    QTest::addRow("ttl: overflows int") << u"JWT_TTL"_s << u"30000d"_s << ttlMessage;
    QTest::addRow("setup timeout: zero") << u"CALL_SETUP_TIMEOUT"_s << u"0"_s
                                         << u"CALL_SETUP_TIMEOUT must be a positive duration such as 3600, 90s, 30m or 24h"_s;
    QTest::addRow("host: public without TLS") << u"SERVER_HOST"_s << u"192.0.2.10"_s
        << u"SERVER_HOST 192.0.2.10 is not a loopback address: set TLS_CERT and TLS_KEY for HTTPS, or pass --insecure "
           "(SERVER_INSECURE=1) to serve plain HTTP on it"_s;
    QTest::addRow("tls: certificate without key") << u"TLS_CERT"_s << u"/etc/ssl/cert.pem"_s
                                                  << u"TLS_CERT is set but TLS_KEY is not"_s;
    QTest::addRow("request timeout: zero") << u"SERVER_REQUEST_TIMEOUT"_s << u"0"_s
                                           << u"SERVER_REQUEST_TIMEOUT must be a positive duration such as 3600, 90s, 30m or 24h"_s;
    QTest::addRow("idle timeout: over a day") << u"SERVER_IDLE_TIMEOUT"_s << u"25h"_s
                                              << u"SERVER_IDLE_TIMEOUT must be at most a day"_s;
    QTest::addRow("session ttl: garbage") << u"SESSION_TTL"_s << u"forever"_s
                                          << u"SESSION_TTL must be a positive duration such as 3600, 90s, 30m or 24h"_s;
    QTest::addRow("rate limit: zero") << u"LOGIN_RATE_LIMIT"_s << u"0"_s
                                      << u"LOGIN_RATE_LIMIT must be a whole number from 1 to 1000000"_s;
    QTest::addRow("sweep interval: too small") << u"SESSION_SWEEP_INTERVAL_MS"_s << u"5"_s
                                               << u"SESSION_SWEEP_INTERVAL_MS must be a whole number from 10 to 3600000"_s;
    QTest::addRow("mock latency: too big") << u"VOIP_MOCK_LATENCY_MS"_s << u"60001"_s
                                           << u"VOIP_MOCK_LATENCY_MS must be a whole number from 0 to 60000"_s;
    QTest::addRow("ring timeout: zero") << u"VOIP_MOCK_RING_TIMEOUT"_s << u"0"_s
                                        << u"VOIP_MOCK_RING_TIMEOUT must be a whole number from 1 to 600"_s;
}

void tst_Config::invalidValuesAreErrors()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, message);
    const Result<Config> config = Config::fromEnvironment(environment({{name, value}}));
    QVERIFY2(!config.ok(), "the value was accepted");
    QCOMPARE(config.error().code, ErrorCode::Validation);
    QCOMPARE(config.error().message, message);
}

void tst_Config::parseDurationSeconds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("seconds"); // -1: not a duration

    QTest::addRow("3600") << u"3600"_s << 3600;
    QTest::addRow("90s") << u"90s"_s << 90;
    QTest::addRow("30m") << u"30m"_s << 1800;
    QTest::addRow("24h") << u"24h"_s << 86400;
    QTest::addRow("7d") << u"7d"_s << 604800;
    QTest::addRow("0") << u"0"_s << 0;
    QTest::addRow("surrounding whitespace") << u"  45s\n"_s << 45;
    QTest::addRow("largest int") << u"2147483647"_s << std::numeric_limits<int>::max();
    QTest::addRow("largest whole days") << u"24855d"_s << 24855 * 86400;

    QTest::addRow("empty") << QString() << -1;
    QTest::addRow("unit only") << u"s"_s << -1;
    QTest::addRow("negative") << u"-5"_s << -1;
    QTest::addRow("negative minutes") << u"-5m"_s << -1;
    QTest::addRow("fraction") << u"1.5h"_s << -1;
    QTest::addRow("weeks") << u"2w"_s << -1;
    QTest::addRow("unit first") << u"h24"_s << -1;
    QTest::addRow("two units") << u"1h30m"_s << -1;
    QTest::addRow("words") << u"ten"_s << -1;
    QTest::addRow("int overflow") << u"2147483648"_s << -1;
    QTest::addRow("int overflow in days") << u"24856d"_s << -1;
    QTest::addRow("64-bit overflow in hours") << u"9223372036854775807h"_s << -1;
    QTest::addRow("64-bit overflow in days") << u"999999999999999999d"_s << -1;
    QTest::addRow("beyond 64 bits") << u"99999999999999999999"_s << -1;
}

void tst_Config::parseDurationSeconds()
{
    QFETCH(QString, text);
    QFETCH(int, seconds);
    const std::optional<int> parsed = Switchboard::parseDurationSeconds(text);
    if (seconds < 0) {
        QVERIFY2(!parsed, qPrintable(u"parsed as %1"_s.arg(parsed.value_or(0))));
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, seconds);
    }
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
