// The real `switchboard --headless` executable as a process: start-up, the generated secret,
// shutdown on SIGTERM, restarts on the same database, and refusing bad configuration.

#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

const QString kPassword = u"correct horse battery"_s;

/// Registers an operator; returns its token.
QString registerOperator(const QUrl &baseUrl, const QString &email)
{
    HttpClient client(baseUrl);
    const HttpResult result = client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    if (result.status != 201)
        qWarning("register failed: %d %s", result.status, result.body.constData());
    return result.json.value(u"token"_s).toString();
}

int fileMode(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

} // namespace

class tst_Headless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void serves_andCreatesPrivateSecret();
    void defaults_liveInTheUsersDataFolder();
    void sigterm_answersRequestInFlight();
    void restart_keepsTokensAndRevocations();
    void restart_reconcilesInterruptedCalls();
    void badConfiguration_data();
    void badConfiguration();
    void https_data();
    void https();
    void insecureFlag_allowsPlainHttpOnAPublicAddress();
    void unusableDatabase_data();
    void unusableDatabase();
};

void tst_Headless::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), qPrintable(ServerProcess::binary()));
}

void tst_Headless::serves_andCreatesPrivateSecret()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString dataDir = dir.filePath(u"data"_s);
    const QString database = dir.filePath(u"switchboard.db"_s);
    auto instance = ServerProcess::serve(dataDir, database, {{u"JWT_SECRET"_s, QString()}});
    VERIFY_RUNNING_HEALTHY(*instance);

    HttpClient client(instance->baseUrl());
    const HttpResult health = client.get(u"/system/health"_s);
    QCOMPARE(health.json.value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(health.json.value(u"provider"_s).toString(), u"mock"_s);
    QVERIFY(QFile::exists(database));

    // JWT_SECRET was unset: a secret was generated, readable by the owner alone.
    const QString secretPath = QDir(dataDir).filePath(u"jwt_secret"_s);
    QVERIFY2(QFile::exists(secretPath), qPrintable(instance->output()));
    QCOMPARE(fileMode(secretPath), 0600);
    QFile secret(secretPath);
    QVERIFY(secret.open(QIODevice::ReadOnly));
    QVERIFY(secret.readAll().trimmed().size() >= 32);

    // Tokens it issues are signed with that secret and work.
    client.setToken(registerOperator(instance->baseUrl(), HttpClient::uniqueEmail(u"headless"_s)));
    QCOMPARE(client.get(u"/api/webrtc/config"_s).status, 200);

    instance->process().terminate();
    VERIFY_CLEAN_EXIT(*instance);
    QVERIFY2(instance->output().contains(u"listening on"_s), qPrintable(instance->output()));
}

void tst_Headless::defaults_liveInTheUsersDataFolder()
{
    // No DATA_DIR, no DATABASE_URL: the embedded defaults, under $HOME/.local/share/switchboard.
    QTemporaryDir home;
    const quint16 port = freePort();
    ServerProcess server(QString(), {{u"DATA_DIR"_s, QString()}, {u"HOME"_s, home.path()}, {u"XDG_DATA_HOME"_s, QString()}},
                         {u"--headless"_s, u"--port"_s, QString::number(port)});
    HttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(client.get(u"/system/health"_s).status, 200, 30000);
    const QString folder = home.filePath(u".local/share/switchboard"_s);
    QVERIFY2(QFile::exists(folder + u"/switchboard.db"_s), qPrintable(server.output()));
    // The log is read as it arrives: under load it may come after the first health answer.
    QTRY_VERIFY2_WITH_TIMEOUT(server.output().contains(folder + u"/switchboard.db"_s), qPrintable(server.output()), 10000);
    server.process().terminate();
    VERIFY_CLEAN_EXIT(server);
}

void tst_Headless::sigterm_answersRequestInFlight()
{
    QTemporaryDir dir;
    auto instance = ServerProcess::serve(dir.filePath(u"data"_s), dir.filePath(u"switchboard.db"_s),
                                    {{u"VOIP_MOCK_LATENCY_MS"_s, u"800"_s}});
    VERIFY_RUNNING_HEALTHY(*instance);

    HttpClient client(instance->baseUrl());
    client.setToken(registerOperator(instance->baseUrl(), HttpClient::uniqueEmail(u"headless"_s)));
    QNetworkReply *pending =
        client.start("POST", u"/api/calls/initiate"_s,
                     QJsonDocument(QJsonObject{{u"phone_number"_s, u"+12025550199"_s}}).toJson(QJsonDocument::Compact));
    // Once the call is being placed, the request is in flight on the server.
    HttpClient watcher(instance->baseUrl());
    watcher.setToken(client.token());
    QTRY_COMPARE(watcher.get(u"/api/calls/history?status=initiated"_s).json.value(u"total"_s).toInt(), 1);
    QVERIFY(!pending->isFinished());

    QElapsedTimer sinceSignal;
    sinceSignal.start();
    instance->process().terminate();

    const HttpResult placed = HttpClient::finish(pending, 10000);
    QVERIFY2(placed.status == 200, qPrintable(u"%1 %2\n%3"_s.arg(placed.status).arg(QString::fromUtf8(placed.body), instance->output())));
    QCOMPARE(placed.json.value(u"status"_s).toString(), u"connecting"_s);
    QVERIFY(!placed.json.value(u"call_id"_s).toString().isEmpty());
    VERIFY_CLEAN_EXIT(*instance);
    QVERIFY2(sinceSignal.elapsed() < 5000, qPrintable(QString::number(sinceSignal.elapsed())));
}

void tst_Headless::restart_keepsTokensAndRevocations()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(u"data"_s);
    const QString database = dir.filePath(u"switchboard.db"_s);
    const QString email = HttpClient::uniqueEmail(u"headless"_s);
    QString revoked;
    QString kept;
    QByteArray secret;
    {
        auto first = ServerProcess::serve(dataDir, database);
        VERIFY_RUNNING_HEALTHY(*first);
        revoked = registerOperator(first->baseUrl(), email);
        HttpClient client(first->baseUrl());
        const HttpResult login = client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
        QCOMPARE(login.status, 200);
        kept = login.json.value(u"token"_s).toString();
        client.setToken(revoked);
        QCOMPARE(client.send("POST", u"/api/auth/logout"_s).status, 204);
        QCOMPARE(client.get(u"/api/webrtc/config"_s).status, 401);

        QFile file(QDir(dataDir).filePath(u"jwt_secret"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        secret = file.readAll();
        first->process().terminate();
        VERIFY_CLEAN_EXIT(*first);
    }

    auto second = ServerProcess::serve(dataDir, database);
    VERIFY_RUNNING_HEALTHY(*second);
    QFile file(QDir(dataDir).filePath(u"jwt_secret"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), secret);
    QCOMPARE(fileMode(file.fileName()), 0600);

    HttpClient client(second->baseUrl());
    client.setToken(revoked);
    const HttpResult stillRevoked = client.get(u"/api/webrtc/config"_s);
    QCOMPARE(stillRevoked.status, 401);
    QVERIFY(stillRevoked.isErrorFormat());
    QCOMPARE(stillRevoked.errorType(), u"unauthorized"_s);
    client.setToken(kept);
    QCOMPARE(client.get(u"/api/webrtc/config"_s).status, 200);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);

    // The account itself survived too.
    const HttpResult login = client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    QCOMPARE(login.status, 200);

    second->process().terminate();
    VERIFY_CLEAN_EXIT(*second);
}

void tst_Headless::restart_reconcilesInterruptedCalls()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(u"data"_s);
    const QString database = dir.filePath(u"switchboard.db"_s);
    // Frequent sweeps, so that an active call's "last seen alive" keeps up with it.
    const QHash<QString, QString> environment{{u"SESSION_SWEEP_INTERVAL_MS"_s, u"200"_s}};

    QString talkerToken;
    QString dialerToken;
    QString activeCall;
    QString connectingCall;
    qint64 activeMs = 0;
    {
        auto crashing = ServerProcess::serve(dataDir, database, environment);
        VERIFY_RUNNING_HEALTHY(*crashing);

        HttpClient talker(crashing->baseUrl());
        talkerToken = registerOperator(crashing->baseUrl(), HttpClient::uniqueEmail(u"headless"_s));
        talker.setToken(talkerToken);
        activeCall = initiateCall(talker, u"+12025550199"_s);
        QVERIFY(!activeCall.isEmpty());
        QCOMPARE(talker.post(u"/api/calls/answer"_s, {{u"call_id"_s, activeCall}, {u"sdp_answer"_s, sdpAnswer()}}).status,
                 200);
        QTRY_COMPARE(callStatus(talker, activeCall), u"active"_s);
        QElapsedTimer active;
        active.start();

        HttpClient dialer(crashing->baseUrl());
        dialerToken = registerOperator(crashing->baseUrl(), HttpClient::uniqueEmail(u"headless"_s));
        dialer.setToken(dialerToken);
        connectingCall = initiateCall(dialer, u"+12025550188"_s);
        QVERIFY(!connectingCall.isEmpty());
        QCOMPARE(callStatus(dialer, connectingCall), u"connecting"_s);

        // The call talks for a while before the process dies: that time is what must be kept.
        QTest::qWait(1500);
        activeMs = active.elapsed();
        crashing->process().kill();
        QVERIFY(crashing->waitForExit());
        QCOMPARE(crashing->process().exitStatus(), QProcess::CrashExit);
    }

    auto restarted = ServerProcess::serve(dataDir, database, environment);
    VERIFY_RUNNING_HEALTHY(*restarted);

    HttpClient talker(restarted->baseUrl());
    talker.setToken(talkerToken);
    const QJsonObject completed = fetchCall(talker, activeCall);
    QCOMPARE(completed.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(completed.value(u"failure_reason"_s).isNull());
    QVERIFY(isRfc3339Utc(completed.value(u"end_time"_s).toString()));
    const int duration = completed.value(u"duration"_s).toInt(-1);
    QVERIFY2(duration >= 1 && duration <= activeMs / 1000 + 1,
             qPrintable(u"duration %1 after %2 ms active"_s.arg(duration).arg(activeMs)));

    HttpClient dialer(restarted->baseUrl());
    dialer.setToken(dialerToken);
    const QJsonObject failed = fetchCall(dialer, connectingCall);
    QCOMPARE(failed.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(failed.value(u"failure_reason"_s).toString(), u"interrupted"_s);
    QCOMPARE(failed.value(u"duration"_s).toInt(-1), 0);

    // Nothing is left live: both operators can dial again.
    for (HttpClient *client : {&talker, &dialer}) {
        const HttpResult live = client->get(u"/api/calls/history?status=connecting"_s);
        QCOMPARE(live.json.value(u"total"_s).toInt(-1), 0);
        QVERIFY(!initiateCall(*client, u"+12025550177"_s).isEmpty());
    }

    restarted->process().terminate();
    VERIFY_CLEAN_EXIT(*restarted);
}

void tst_Headless::badConfiguration_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("exitCode");

    QTest::addRow("SERVER_PORT not a number") << u"SERVER_PORT"_s << u"abc"_s << 2;
    QTest::addRow("SERVER_PORT out of range") << u"SERVER_PORT"_s << u"70000"_s << 2;
    QTest::addRow("VOIP_PROVIDER unknown") << u"VOIP_PROVIDER"_s << u"nope"_s << 2;
    QTest::addRow("VOIP_PROVIDER twilio without credentials") << u"VOIP_PROVIDER"_s << u"twilio"_s << 2;
    QTest::addRow("DATABASE_URL with another scheme") << u"DATABASE_URL"_s << u"ftp://x"_s << 2;
    QTest::addRow("DATABASE_URL postgres without a database") << u"DATABASE_URL"_s << u"postgres://u:p@127.0.0.1:5432"_s << 2;
    QTest::addRow("JWT_SECRET too short") << u"JWT_SECRET"_s << u"short"_s << 2;
    QTest::addRow("JWT_TTL not a duration") << u"JWT_TTL"_s << u"forever"_s << 2;
    QTest::addRow("LOGIN_RATE_LIMIT zero") << u"LOGIN_RATE_LIMIT"_s << u"0"_s << 2;
    QTest::addRow("VOIP_MOCK_LATENCY_MS negative") << u"VOIP_MOCK_LATENCY_MS"_s << u"-1"_s << 2;
    QTest::addRow("SERVER_HOST public without TLS or --insecure") << u"SERVER_HOST"_s << u"0.0.0.0"_s << 2;
    QTest::addRow("TLS_CERT without TLS_KEY") << u"TLS_CERT"_s << QStringLiteral(TLS_DATA "/cert.pem") << 2;
    QTest::addRow("TLS_KEY without TLS_CERT") << u"TLS_KEY"_s << QStringLiteral(TLS_DATA "/key.pem") << 2;
}

void tst_Headless::badConfiguration()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(int, exitCode);

    QTemporaryDir dir;
    QHash<QString, QString> environment{{u"SERVER_PORT"_s, QString::number(freePort())},
                                        {u"DATABASE_URL"_s, dir.filePath(u"switchboard.db"_s)}};
    environment.insert(variable, value);
    ServerProcess instance(dir.filePath(u"data"_s), environment, {u"--headless"_s});
    QVERIFY2(instance.waitForExit(), qPrintable(instance.output()));
    QVERIFY2(instance.sanitizerReport().isEmpty(), qPrintable(instance.output()));
    QCOMPARE(instance.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(instance.process().exitCode() == exitCode,
             qPrintable(u"exit code %1: %2"_s.arg(instance.process().exitCode()).arg(instance.output())));
    QVERIFY2(instance.output().contains(variable), qPrintable(instance.output()));
    // It stopped before touching anything.
    QVERIFY(!QFile::exists(dir.filePath(u"switchboard.db"_s)));
}

void tst_Headless::https_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addRow("RSA") << QStringLiteral(TLS_DATA "/cert.pem") << QStringLiteral(TLS_DATA "/key.pem");
    QTest::addRow("EC") << QStringLiteral(TLS_DATA "/ec-cert.pem") << QStringLiteral(TLS_DATA "/ec-key.pem");
}

void tst_Headless::https()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QTemporaryDir dir;
    auto server = ServerProcess::serve(dir.filePath(u"data"_s), dir.filePath(u"switchboard.db"_s),
                                       {{u"TLS_CERT"_s, certificate}, {u"TLS_KEY"_s, key},
                                        {u"SERVER_REQUEST_TIMEOUT"_s, u"1"_s}});
    QUrl url = server->baseUrl();
    url.setScheme(u"https"_s);

    // A client that trusts exactly this self-signed certificate, and checks it.
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.setCaCertificates(QSslCertificate::fromPath(certificate));
    trusting.setPeerVerifyMode(QSslSocket::VerifyPeer);
    // A manager per request: one would reuse the connection whatever the request's TLS settings.
    const auto get = [](const QUrl &target, const QSslConfiguration &ssl) {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request(target);
        request.setSslConfiguration(ssl);
        QNetworkReply *reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(5000);
        const std::pair result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->error()};
        delete reply;
        return result;
    };
    const QUrl health = url.resolved(QUrl(u"/system/health"_s));
    QTRY_COMPARE_WITH_TIMEOUT(get(health, trusting).first, 200, 30000);
    QVERIFY2(server->output().contains(u"listening on https://"_s), qPrintable(server->output()));

    // A client that does not trust it is refused by its own checks: the certificate is what is served.
    const auto [untrustedStatus, untrustedError] = get(health, QSslConfiguration::defaultConfiguration());
    QCOMPARE(untrustedStatus, 0);
    QCOMPARE(untrustedError, QNetworkReply::SslHandshakeFailedError);
    // Plain HTTP on the same port gets no answer.
    QCOMPARE(get(server->baseUrl().resolved(QUrl(u"/system/health"_s)), trusting).first, 0);

    // A client that never starts its handshake is let go after SERVER_REQUEST_TIMEOUT.
    RawConnection silent;
    QVERIFY(silent.connectTo(quint16(url.port())));
    QElapsedTimer sinceConnect;
    sinceConnect.start();
    QVERIFY(silent.waitForClose(3000)); // Qt's own handshake timeout would be 5 s
    QVERIFY2(sinceConnect.elapsed() >= 800, qPrintable(QString::number(sinceConnect.elapsed())));

    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
}

void tst_Headless::insecureFlag_allowsPlainHttpOnAPublicAddress()
{
    QTemporaryDir dir;
    const quint16 port = freePort();
    ServerProcess server(dir.filePath(u"data"_s), {},
                         {u"--headless"_s, u"--insecure"_s, u"--host"_s, u"0.0.0.0"_s, u"--port"_s,
                          QString::number(port), u"--database"_s, dir.filePath(u"switchboard.db"_s)});
    HttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(client.get(u"/system/health"_s).status, 200, 30000);
    QVERIFY2(server.output().contains(u"WARN"_s) && server.output().contains(u"plain HTTP"_s),
             qPrintable(server.output()));
    server.process().terminate();
    VERIFY_CLEAN_EXIT(server);
}

void tst_Headless::unusableDatabase_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("folder is a file") << u"folder is a file"_s << u"cannot create the folder"_s;
    QTest::addRow("not an SQLite file") << u"garbage"_s << u"not a database"_s;
    QTest::addRow("a directory") << u"directory"_s << u"database"_s;
    QTest::addRow("conflicting schema") << u"conflicting schema"_s << u"002_create_calls_table"_s;
    QTest::addRow("PostgreSQL not reachable") << u"postgres down"_s << u"database unavailable"_s;
    QTest::addRow("data folder is a file") << u"data folder is a file"_s << u"cannot create the data folder"_s;
}

void tst_Headless::unusableDatabase()
{
    QFETCH(QString, kind);
    QFETCH(QString, messagePart);

    QTemporaryDir dir;
    QString dataDir = dir.filePath(u"data"_s);
    QString database = dir.filePath(u"switchboard.db"_s);
    QHash<QString, QString> environment{{u"SERVER_PORT"_s, QString::number(freePort())}};

    if (kind == u"folder is a file"_s || kind == u"data folder is a file"_s) {
        QFile blocker(dir.filePath(u"blocker"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.write("a file, not a folder");
        blocker.close();
        if (kind == u"folder is a file"_s)
            database = dir.filePath(u"blocker/switchboard.db"_s);
        else
            dataDir = dir.filePath(u"blocker/data"_s);
    } else if (kind == u"garbage"_s) {
        QFile file(database);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
    } else if (kind == u"directory"_s) {
        QVERIFY(QDir().mkpath(database));
    } else if (kind == u"conflicting schema"_s) {
        // A database something else made: a `calls` table the migrations did not create.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"conflict"_s);
            db.setDatabaseName(database);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE calls (something TEXT)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"conflict"_s);
    } else if (kind == u"postgres down"_s) {
        database = u"postgres://switchboard:switchboard@127.0.0.1:%1/switchboard"_s.arg(freePort());
    }
    environment.insert(u"DATABASE_URL"_s, database);

    ServerProcess instance(dataDir, environment, {u"--headless"_s});
    QVERIFY2(instance.waitForExit(), qPrintable(instance.output()));
    QVERIFY2(instance.sanitizerReport().isEmpty(), qPrintable(instance.output()));
    QCOMPARE(instance.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(instance.process().exitCode() != 0, qPrintable(instance.output()));
    QVERIFY2(instance.output().contains(u"cannot start"_s), qPrintable(instance.output()));
    QVERIFY2(instance.output().contains(messagePart, Qt::CaseInsensitive), qPrintable(instance.output()));
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
