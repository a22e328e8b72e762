// The database fails under the running `switchboard --headless`: PostgreSQL stops and starts
// again (a server of the test's own), SQLite's disk fills up. Requests get 503 in the error
// format while it lasts, nothing half-written remains, and the server recovers by itself.

#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

const QString kPassword = u"correct horse battery"_s;

/// A PostgreSQL server that only this test uses (tests/support/throwaway-postgres.sh).
class ThrowawayPostgres
{
public:
    explicit ThrowawayPostgres(const QString &dir) : m_dir(dir) {}
    ~ThrowawayPostgres()
    {
        if (m_running)
            stop();
    }

    /// The URL, or empty when the server could not be made.
    QString init()
    {
        QProcess script;
        script.start(QStringLiteral(THROWAWAY_POSTGRES),
                     {u"init"_s, m_dir, QString::number(freePort())});
        script.waitForFinished(60000);
        m_running = script.exitCode() == 0;
        if (!m_running)
            qWarning().noquote() << script.readAllStandardError();
        return m_running ? QString::fromUtf8(script.readAllStandardOutput()).trimmed() : QString();
    }
    bool stop() { return run(u"stop"_s, false); }
    bool start() { return run(u"start"_s, true); }

private:
    bool run(const QString &command, bool runningAfter)
    {
        QProcess script;
        script.start(QStringLiteral(THROWAWAY_POSTGRES), {command, m_dir});
        const bool done = script.waitForFinished(60000) && script.exitCode() == 0;
        if (!done)
            qWarning().noquote() << script.readAllStandardError();
        m_running = done ? runningAfter : m_running;
        return done;
    }

    QString m_dir;
    bool m_running = false;
};

/// The answer to `method path` is a 503 `service_unavailable`, in the error format, in good time.
void verifyUnavailable(HttpClient &client, const QByteArray &method, const QString &path, const QJsonObject &body = {})
{
    QElapsedTimer elapsed;
    elapsed.start();
    const HttpResult result = method == "GET" ? client.get(path) : client.post(path, body);
    QVERIFY2(result.status == 503, qPrintable(u"%1 %2: %3 %4"_s.arg(QString::fromLatin1(method), path)
                                                  .arg(result.status)
                                                  .arg(QString::fromUtf8(result.body))));
    QCOMPARE(result.json.value(u"error"_s).toString(), u"service_unavailable"_s);
    QVERIFY(!result.json.value(u"message"_s).toString().isEmpty());
    QVERIFY2(elapsed.elapsed() < 5000, qPrintable(u"%1 took %2 ms"_s.arg(path).arg(elapsed.elapsed())));
}

} // namespace

class tst_DatabaseFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postgresStopsAndStarts();
    void sqliteDiskFull();
};

void tst_DatabaseFaults::postgresStopsAndStarts()
{
    QTemporaryDir dir;
    ThrowawayPostgres postgres(dir.filePath(u"postgres"_s));
    const QString url = postgres.init();
    QVERIFY2(!url.isEmpty(), "could not start a PostgreSQL server of the test's own");

    auto server = ServerProcess::serve(dir.filePath(u"data"_s), url, {{u"LOGIN_RATE_LIMIT"_s, u"100000"_s}});
    VERIFY_RUNNING_HEALTHY(*server);
    HttpClient operatorClient(server->baseUrl());
    const QString email = HttpClient::uniqueEmail(u"faults"_s);
    QCOMPARE(operatorClient.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 201);
    operatorClient.setToken(operatorClient.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}})
                                .json.value(u"token"_s)
                                .toString());
    const QString before = initiateCall(operatorClient, u"+12025550199"_s);
    QVERIFY(!before.isEmpty());
    QCOMPARE(operatorClient.post(u"/api/calls/terminate"_s, {{u"call_id"_s, before}}).status, 200);

    QVERIFY(postgres.stop());
    HttpClient anyone(server->baseUrl());
    verifyUnavailable(anyone, "GET", u"/system/health"_s);
    verifyUnavailable(anyone, "POST", u"/api/auth/register"_s,
                      {{u"email"_s, HttpClient::uniqueEmail(u"lost"_s)}, {u"password"_s, kPassword}});
    verifyUnavailable(anyone, "POST", u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
    verifyUnavailable(operatorClient, "GET", u"/api/calls/history"_s);
    verifyUnavailable(operatorClient, "POST", u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}});
    verifyUnavailable(operatorClient, "GET", u"/api/calls/"_s + before);
    QCOMPARE(server->process().state(), QProcess::Running);

    // Back without restarting Switchboard.
    QVERIFY(postgres.start());
    QTRY_COMPARE_WITH_TIMEOUT(anyone.get(u"/system/health"_s).status, 200, 15000);
    QCOMPARE(operatorClient.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 200);
    const HttpResult history = operatorClient.get(u"/api/calls/history"_s);
    QCOMPARE(history.status, 200);
    QCOMPARE(history.json.value(u"total"_s).toInt(), 1);
    QCOMPARE(fetchCall(operatorClient, before).value(u"status"_s).toString(), u"canceled"_s);
    const QString after = initiateCall(operatorClient, u"+12025550199"_s);
    QVERIFY(!after.isEmpty());
    QCOMPARE(operatorClient.post(u"/api/calls/terminate"_s, {{u"call_id"_s, after}}).status, 200);

    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
}

void tst_DatabaseFaults::sqliteDiskFull()
{
    QTemporaryDir dir;
    const QString database = dir.filePath(u"switchboard.db"_s);
    const QString dataDir = dir.filePath(u"data"_s);
    const QHash<QString, QString> environment{{u"LOGIN_RATE_LIMIT"_s, u"100000"_s}};

    // First a normal start, to create the database and migrate it.
    {
        auto first = ServerProcess::serve(dataDir, database, environment);
        VERIFY_RUNNING_HEALTHY(*first);
        first->process().terminate();
        VERIFY_CLEAN_EXIT(*first);
    }

    // Then with every file limited to the database's size plus a little: the disk is full. The
    // WAL grows by at least a page per transaction, so writes fail after a few dozen. SIGXFSZ is
    // ignored, as a full disk sends no signal: the writes just fail (EFBIG → SQLITE_FULL).
    const qint64 limitKiB = (QFileInfo(database).size() + 96 * 1024) / 1024;
    const QStringList launcher{u"/bin/bash"_s, u"-c"_s,
                               u"trap '' XFSZ; ulimit -f %1; exec \"$0\" \"$@\""_s.arg(limitKiB)};
    QStringList registered;
    QStringList refused;
    {
        auto full = ServerProcess::serve(dataDir, database, environment, launcher);
        VERIFY_RUNNING_HEALTHY(*full);
        HttpClient client(full->baseUrl());
        // Logged in while there is room: a login writes too (its rate-limit count), and whether
        // one more small write fits in what the full disk leaves depends on the schema's size.
        HttpClient reader(full->baseUrl());
        const QString readerEmail = HttpClient::uniqueEmail(u"reader"_s);
        const HttpResult readerRegistered =
            reader.post(u"/api/auth/register"_s, {{u"email"_s, readerEmail}, {u"password"_s, kPassword}});
        QCOMPARE(readerRegistered.status, 201);
        reader.setToken(readerRegistered.json.value(u"token"_s).toString());
        registered << readerEmail;
        for (int i = 0; i < 500 && refused.size() < 5; ++i) {
            const QString email = HttpClient::uniqueEmail(u"full"_s);
            const HttpResult result = client.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}});
            if (result.status == 201) {
                registered << email;
                continue;
            }
            QVERIFY2(result.status == 503, qPrintable(u"%1 %2"_s.arg(result.status).arg(QString::fromUtf8(result.body))));
            QCOMPARE(result.json.value(u"error"_s).toString(), u"service_unavailable"_s);
            refused << email;
        }
        QVERIFY2(refused.size() == 5, qPrintable(u"no write failed after %1 registrations"_s.arg(registered.size())));
        QVERIFY(registered.size() > 1);
        // Reading still works, and the server is alive.
        QCOMPARE(reader.get(u"/api/calls/history"_s).status, 200);
        verifyUnavailable(reader, "POST", u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}});
        QCOMPARE(full->process().state(), QProcess::Running);

        full->process().terminate();
        QVERIFY2(full->waitForExit(), qPrintable(full->output()));
        QVERIFY2(full->sanitizerReport().isEmpty(), qPrintable(full->output()));
        QCOMPARE(full->process().exitStatus(), QProcess::NormalExit);
    }

    // With room again: every acknowledged registration is there, no refused one, no call half made.
    auto roomy = ServerProcess::serve(dataDir, database, environment);
    VERIFY_RUNNING_HEALTHY(*roomy);
    HttpClient client(roomy->baseUrl());
    for (const QString &email : std::as_const(registered))
        QCOMPARE(client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 200);
    for (const QString &email : std::as_const(refused))
        QCOMPARE(client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 401);
    const HttpResult login = client.post(u"/api/auth/login"_s, {{u"email"_s, registered.first()}, {u"password"_s, kPassword}});
    client.setToken(login.json.value(u"token"_s).toString());
    QCOMPARE(client.get(u"/api/calls/history"_s).json.value(u"total"_s).toInt(-1), 0);
    roomy->process().terminate();
    VERIFY_CLEAN_EXIT(*roomy);
    qInfo("disk full after %lld registrations (limit %lld KiB): %lld refused with 503, none of them stored",
          qlonglong(registered.size()), limitKiB, qlonglong(refused.size()));
}

QTEST_GUILESS_MAIN(tst_DatabaseFaults)
#include "tst_databasefaults.moc"
