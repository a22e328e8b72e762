// The administrator's commands of the real executable: user, backup, restore, migrate,
// check-config, beside a running server or not; a database from a newer program refused at
// start; LOG_FORMAT=json.

#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

struct Ran
{
    int exitCode = -1;
    QString output;
};

/// One run of `switchboard ARGUMENTS` on DATA_DIR `dataDir`, `input` on its standard input.
Ran run(const QString &dataDir, const QStringList &arguments, const QByteArray &input = {},
        const QHash<QString, QString> &environment = {})
{
    ServerProcess process(dataDir, environment, arguments);
    process.process().write(input);
    process.process().closeWriteChannel();
    if (!process.waitForExit(60000) || !process.sanitizerReport().isEmpty())
        return {-1, process.output()};
    return {process.process().exitCode(), process.output()};
}

#define VERIFY_RAN(ran, expected)                                                                                      \
    QVERIFY2((ran).exitCode == (expected),                                                                             \
             qPrintable(u"exit %1, expected %2: %3"_s.arg((ran).exitCode).arg(expected).arg((ran).output)))

int countRows(const QString &databaseFile, const QString &table)
{
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"count"_s);
        db.setDatabaseName(databaseFile);
        QSqlQuery query(db);
        if (db.open() && query.exec(u"SELECT COUNT(*) FROM "_s + table) && query.next())
            count = query.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(u"count"_s);
    return count;
}

int loginStatus(const QUrl &baseUrl, const QString &email, const QString &password)
{
    return HttpClient(baseUrl).post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, password}}).status;
}

} // namespace

class tst_Admin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void usersAreAddedListedAndGivenPasswords();
    void backupIsConsistentWhileServing();
    void restoreIsRefusedWhileServingAndKeepsTheReplacedFile();
    void migrateShowsAndMovesForwardOnly();
    void checkConfigReportsEveryProblem();
    void databaseOfANewerProgramIsRefusedAtStart();
    void jsonLogsAreOneObjectPerLine();
    void postgresBackupPointsToPgDump();

private:
    QString databaseFile() const { return m_dir->filePath(u"switchboard.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Admin::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Admin::usersAreAddedListedAndGivenPasswords()
{
    const QString dir = m_dir->path();
    // The first account, before any server ever ran: the database is created and migrated.
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"Admin@Example.com"_s, u"--password-stdin"_s}, "first password\n"), 0);
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"admin@example.com"_s, u"--password-stdin"_s}, "first password\n"), 1);
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"op@example.com"_s, u"--password-stdin"_s}, "short\n"), 1);
    // No terminal to ask on and no --password-stdin: refused, not read from a pipe silently.
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"op@example.com"_s}, "password typed\n"), 1);
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s}), 2);

    const Ran listed = run(dir, {u"user"_s, u"list"_s});
    VERIFY_RAN(listed, 0);
    QVERIFY2(listed.output.contains(u"admin@example.com"_s), qPrintable(listed.output));
    QVERIFY(!listed.output.contains(u"op@example.com"_s));

    auto server = ServerProcess::serve(dir, databaseFile());
    VERIFY_RUNNING_HEALTHY(*server);
    QCOMPARE(loginStatus(server->baseUrl(), u"admin@example.com"_s, u"first password"_s), 200);
    // Beside the running server: an ordinary write transaction.
    VERIFY_RAN(run(dir, {u"user"_s, u"set-password"_s, u"admin@example.com"_s, u"--password-stdin"_s},
                   "second password\n"),
               0);
    QCOMPARE(loginStatus(server->baseUrl(), u"admin@example.com"_s, u"first password"_s), 401);
    QCOMPARE(loginStatus(server->baseUrl(), u"admin@example.com"_s, u"second password"_s), 200);
    VERIFY_RAN(run(dir, {u"user"_s, u"set-password"_s, u"nobody@example.com"_s, u"--password-stdin"_s}, "x\n"), 1);
    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
}

void tst_Admin::backupIsConsistentWhileServing()
{
    const QString dir = m_dir->path();
    auto server = ServerProcess::serve(dir, databaseFile());
    VERIFY_RUNNING_HEALTHY(*server);
    HttpClient client(server->baseUrl());
    for (int i = 0; i < 20; ++i) {
        const HttpResult registered = client.post(u"/api/auth/register"_s, {{u"email"_s, HttpClient::uniqueEmail()},
                                                                             {u"password"_s, u"password 1234"_s}});
        QCOMPARE(registered.status, 201);
    }
    const QString backup = m_dir->filePath(u"backup.db"_s);
    const Ran backedUp = run(dir, {u"backup"_s, backup});
    VERIFY_RAN(backedUp, 0);
    QVERIFY2(backedUp.output.contains(u"20 users"_s), qPrintable(backedUp.output));
    QCOMPARE(countRows(backup, u"users"_s), 20);
    QCOMPARE(QFile::permissions(backup) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    QVERIFY(!QFile::exists(backup + u".partial"_s));
    // Never over an existing file.
    VERIFY_RAN(run(dir, {u"backup"_s, backup}), 1);
    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
}

void tst_Admin::restoreIsRefusedWhileServingAndKeepsTheReplacedFile()
{
    const QString dir = m_dir->path();
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"before@example.com"_s, u"--password-stdin"_s}, "password 1234\n"), 0);
    const QString backup = m_dir->filePath(u"backup.db"_s);
    VERIFY_RAN(run(dir, {u"backup"_s, backup}), 0);
    VERIFY_RAN(run(dir, {u"user"_s, u"add"_s, u"after@example.com"_s, u"--password-stdin"_s}, "password 1234\n"), 0);

    auto server = ServerProcess::serve(dir, databaseFile());
    VERIFY_RUNNING_HEALTHY(*server);
    const Ran refused = run(dir, {u"restore"_s, backup});
    VERIFY_RAN(refused, 1);
    QVERIFY2(refused.output.contains(u"server is running"_s), qPrintable(refused.output));
    QVERIFY(refused.output.contains(QString::number(server->process().processId())));
    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);

    const Ran restored = run(dir, {u"restore"_s, backup});
    VERIFY_RAN(restored, 0);
    QCOMPARE(countRows(databaseFile(), u"users"_s), 1);
    const QStringList kept = QDir(dir).entryList({u"switchboard.db.replaced-*"_s});
    QCOMPARE(kept.size(), 1);
    QCOMPARE(countRows(m_dir->filePath(kept.first()), u"users"_s), 2);
    // A file that is not a Switchboard database is refused and changes nothing.
    QFile junk(m_dir->filePath(u"junk.db"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a database");
    junk.close();
    VERIFY_RAN(run(dir, {u"restore"_s, junk.fileName()}), 1);
    QCOMPARE(countRows(databaseFile(), u"users"_s), 1);
}

void tst_Admin::migrateShowsAndMovesForwardOnly()
{
    const QString dir = m_dir->path();
    VERIFY_RAN(run(dir, {u"migrate"_s, u"--status"_s}), 1); // no database yet
    VERIFY_RAN(run(dir, {u"migrate"_s, u"--to"_s, u"3"_s}), 0);
    const Ran status = run(dir, {u"migrate"_s, u"--status"_s});
    VERIFY_RAN(status, 0);
    QVERIFY2(status.output.contains(u"3 applied"_s), qPrintable(status.output));
    QVERIFY(status.output.contains(u"004_add_call_lifecycle_fields.sql"_s));
    const Ran backwards = run(dir, {u"migrate"_s, u"--to"_s, u"2"_s});
    VERIFY_RAN(backwards, 1);
    QVERIFY2(backwards.output.contains(u"only go forward"_s), qPrintable(backwards.output));

    auto server = ServerProcess::serve(dir, databaseFile());
    VERIFY_RUNNING_HEALTHY(*server);
    VERIFY_RAN(run(dir, {u"migrate"_s}), 0); // nothing left to apply: no need to stop the server
    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
    VERIFY_RAN(run(dir, {u"migrate"_s, u"--to"_s, u"x"_s}), 2);
}

void tst_Admin::checkConfigReportsEveryProblem()
{
    const QString dir = m_dir->path();
    const Ran good = run(dir, {u"check-config"_s});
    VERIFY_RAN(good, 0);
    QVERIFY2(good.output.contains(u"no errors"_s), qPrintable(good.output));

    const Ran badPort = run(dir, {u"check-config"_s}, {}, {{u"SERVER_PORT"_s, u"eighty"_s}, {u"SERVR_HOST"_s, u"x"_s}});
    VERIFY_RAN(badPort, 1);
    QVERIFY2(badPort.output.contains(u"SERVER_PORT must be"_s), qPrintable(badPort.output));
    QVERIFY2(badPort.output.contains(u"SERVR_HOST"_s), qPrintable(badPort.output));

    const Ran badTls = run(dir, {u"check-config"_s}, {},
                           {{u"TLS_CERT"_s, m_dir->filePath(u"missing.pem"_s)}, {u"TLS_KEY"_s, m_dir->filePath(u"key.pem"_s)}});
    VERIFY_RAN(badTls, 1);
    QVERIFY2(badTls.output.contains(u"TLS_CERT"_s), qPrintable(badTls.output));

    const Ran unreachable = run(dir, {u"check-config"_s}, {},
                                {{u"DATABASE_URL"_s, u"postgres://nobody:x@127.0.0.1:1/none"_s}});
    VERIFY_RAN(unreachable, 1);
    QVERIFY2(unreachable.output.contains(u"not reachable"_s), qPrintable(unreachable.output));

    // The settings file the service reads, through --env-file.
    QFile settings(m_dir->filePath(u"switchboard.env"_s));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("# a comment\nVOIP_PROVIDER=twilio\nVOIP_ACCOUNT_SID='not a sid'\n");
    settings.close();
    const Ran twilio = run(dir, {u"--env-file"_s, settings.fileName(), u"check-config"_s});
    VERIFY_RAN(twilio, 1);
    QVERIFY2(twilio.output.contains(u"VOIP_ACCOUNT_SID"_s), qPrintable(twilio.output));
}

void tst_Admin::databaseOfANewerProgramIsRefusedAtStart()
{
    const QString dir = m_dir->path();
    VERIFY_RAN(run(dir, {u"migrate"_s}), 0);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer"_s);
        db.setDatabaseName(databaseFile());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"INSERT INTO schema_migrations (version, applied_at) "
                           "VALUES ('999_from_a_newer_version.sql', '2030-01-01T00:00:00.000Z')"_s));
    }
    QSqlDatabase::removeDatabase(u"newer"_s);

    auto server = ServerProcess::serve(dir, databaseFile());
    QVERIFY2(server->waitForExit(30000), qPrintable(server->output()));
    QCOMPARE(server->process().exitCode(), 1);
    QVERIFY2(server->output().contains(u"newer than this program"_s), qPrintable(server->output()));
    QVERIFY(server->output().contains(u"999_from_a_newer_version.sql"_s));
}

void tst_Admin::jsonLogsAreOneObjectPerLine()
{
    auto server = ServerProcess::serve(m_dir->path(), databaseFile(), {{u"LOG_FORMAT"_s, u"json"_s}});
    VERIFY_RUNNING_HEALTHY(*server);
    server->process().terminate();
    VERIFY_CLEAN_EXIT(*server);
    const QStringList lines = server->output().split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 2);
    for (const QString &line : lines) {
        const QJsonObject entry = QJsonDocument::fromJson(line.toUtf8()).object();
        QVERIFY2(!entry.isEmpty(), qPrintable(line));
        QCOMPARE(entry.keys(), (QStringList{u"category"_s, u"level"_s, u"message"_s, u"time"_s}));
        QVERIFY(entry.value(u"category"_s).toString().startsWith(u"switchboard."_s));
    }
    QVERIFY2(server->output().contains(u"\"level\":\"INFO\""_s), qPrintable(server->output()));
    VERIFY_RAN(run(m_dir->path(), {u"--headless"_s}, {}, {{u"LOG_FORMAT"_s, u"xml"_s}}), 2);
}

void tst_Admin::postgresBackupPointsToPgDump()
{
    qputenv("SWITCHBOARD_TEST_DATABASE", "postgres");
    TestDatabase database;
    qunsetenv("SWITCHBOARD_TEST_DATABASE");
    REQUIRE_TEST_DATABASE(database);
    const QString url = u"postgres://%1:%2@%3:%4/%5"_s.arg(database.url()->user, database.url()->password,
                                                            database.url()->host)
                            .arg(database.url()->port)
                            .arg(database.url()->databaseName);
    VERIFY_RAN(run(m_dir->path(), {u"--database"_s, url, u"migrate"_s}), 0);
    const Ran backup = run(m_dir->path(), {u"--database"_s, url, u"backup"_s, m_dir->filePath(u"dump"_s)});
    VERIFY_RAN(backup, 1);
    QVERIFY2(backup.output.contains(u"pg_dump --format=custom"_s), qPrintable(backup.output));
    QVERIFY2(backup.output.contains(u"server:   PostgreSQL 1"_s), qPrintable(backup.output));
    QVERIFY(!backup.output.contains(u":"_s + database.url()->password + u"@"_s));
}

QTEST_GUILESS_MAIN(tst_Admin)
#include "tst_admin.moc"
