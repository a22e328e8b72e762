#include "printers.h"
#include "storage/databaseurl.h"

#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqlite_data();
    void sqlite();
    void postgres_data();
    void postgres();
    void invalid_data();
    void invalid();
    void redactedNeverShowsThePassword_data();
    void redactedNeverShowsThePassword();
    void errorsNeverShowThePassword();
};

void tst_DatabaseUrl::sqlite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("path");

    QTest::addRow("absolute path") << u"/var/lib/switchboard/switchboard.db"_s << u"/var/lib/switchboard/switchboard.db"_s;
    QTest::addRow("relative path") << u"data/switchboard.db"_s << u"data/switchboard.db"_s;
    QTest::addRow("path with spaces") << u"/home/op/My Data/calls.db"_s << u"/home/op/My Data/calls.db"_s;
    QTest::addRow("surrounding whitespace") << u"  /tmp/x.db \n"_s << u"/tmp/x.db"_s;
    QTest::addRow("sqlite:///absolute") << u"sqlite:///srv/switchboard.db"_s << u"/srv/switchboard.db"_s;
    QTest::addRow("sqlite://relative") << u"sqlite://data/switchboard.db"_s << u"data/switchboard.db"_s;
}

void tst_DatabaseUrl::sqlite()
{
    QFETCH(QString, text);
    QFETCH(QString, path);
    const Result<DatabaseUrl> url = DatabaseUrl::parse(text);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
    QCOMPARE(url->engine, DatabaseUrl::Engine::Sqlite);
    QCOMPARE(url->sqlitePath, path);
    QCOMPARE(url->redacted(), u"sqlite://"_s + path);
}

void tst_DatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");

    QTest::addRow("full") << u"postgres://u:p@h:5433/db"_s << u"h"_s << 5433 << u"db"_s << u"u"_s << u"p"_s;
    QTest::addRow("postgresql scheme, default port")
        << u"postgresql://ops:secret@db.example.com/switchboard"_s << u"db.example.com"_s << 5432
        << u"switchboard"_s << u"ops"_s << u"secret"_s;
    QTest::addRow("IP address") << u"postgres://a:b@127.0.0.1:5432/postgres"_s << u"127.0.0.1"_s << 5432
                                << u"postgres"_s << u"a"_s << u"b"_s;
    QTest::addRow("no credentials") << u"postgres://localhost/calls"_s << u"localhost"_s << 5432 << u"calls"_s
                                    << QString() << QString();
    QTest::addRow("percent-encoded password") << u"postgres://ops:p%40ss%3Aw0rd@h/db"_s << u"h"_s << 5432 << u"db"_s
                                              << u"ops"_s << u"p@ss:w0rd"_s;
}

void tst_DatabaseUrl::postgres()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, database);
    QFETCH(QString, user);
    QFETCH(QString, password);

    const Result<DatabaseUrl> url = DatabaseUrl::parse(text);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
    QCOMPARE(url->engine, DatabaseUrl::Engine::Postgres);
    QCOMPARE(url->host, host);
    QCOMPARE(url->port, port);
    QCOMPARE(url->databaseName, database);
    QCOMPARE(url->user, user);
    QCOMPARE(url->password, password);
    QCOMPARE(url->redacted(), u"postgres://%1@%2:%3/%4"_s.arg(user, host).arg(port).arg(database));
}

void tst_DatabaseUrl::invalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");

    QTest::addRow("empty") << QString() << u"DATABASE_URL is empty"_s;
    QTest::addRow("blank") << u"   "_s << u"DATABASE_URL is empty"_s;
    QTest::addRow("sqlite:// without a path") << u"sqlite://"_s << u"DATABASE_URL names no SQLite file"_s;
    const QString noDatabase = u"DATABASE_URL names no database (postgres://user:pass@host:port/db)"_s;
    QTest::addRow("postgres, no path") << u"postgres://u:p@h:5432"_s << noDatabase;
    QTest::addRow("postgres, empty path") << u"postgres://u:p@h:5432/"_s << noDatabase;
    QTest::addRow("postgres, no host") << u"postgres://"_s << u"DATABASE_URL is not a valid postgres:// URL"_s;
    QTest::addRow("postgres, empty host") << u"postgres://u:p@/db"_s << u"DATABASE_URL is not a valid postgres:// URL"_s;
    QTest::addRow("postgres, port not a number")
        << u"postgres://u:p@h:port/db"_s << u"DATABASE_URL is not a valid postgres:// URL"_s;
    const QString unsupported = u"DATABASE_URL scheme is not supported: use a file path, sqlite:// or postgres://"_s;
    QTest::addRow("mysql") << u"mysql://u:p@h/db"_s << unsupported;
    QTest::addRow("http") << u"http://example.com/db"_s << unsupported;
    QTest::addRow("pg abbreviation") << u"pg://u:p@h/db"_s << unsupported;
}

void tst_DatabaseUrl::invalid()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const Result<DatabaseUrl> url = DatabaseUrl::parse(text);
    QVERIFY2(!url.ok(), "the URL was accepted");
    QCOMPARE(url.error().code, ErrorCode::Validation);
    QCOMPARE(url.error().message, message);
}

void tst_DatabaseUrl::redactedNeverShowsThePassword_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("password");

    QTest::addRow("postgres") << u"postgres://ops:Sup3rS3cret@db:5433/calls"_s << u"Sup3rS3cret"_s;
    QTest::addRow("postgresql") << u"postgresql://ops:Sup3rS3cret@db/calls"_s << u"Sup3rS3cret"_s;
    QTest::addRow("percent-encoded") << u"postgres://ops:S%40cret%21@db/calls"_s << u"S@cret!"_s;
    QTest::addRow("password equal to user") << u"postgres://hunter2:hunter2x@db/calls"_s << u"hunter2x"_s;
}

void tst_DatabaseUrl::redactedNeverShowsThePassword()
{
    QFETCH(QString, text);
    QFETCH(QString, password);
    const Result<DatabaseUrl> url = DatabaseUrl::parse(text);
    QVERIFY(url.ok());
    QCOMPARE(url->password, password);
    const QString redacted = url->redacted();
    QVERIFY2(!redacted.contains(password), qPrintable(redacted));
    QVERIFY2(!redacted.contains(QString::fromLatin1(QUrl::toPercentEncoding(password))), qPrintable(redacted));
    QVERIFY(redacted.contains(url->host));
    QVERIFY(redacted.endsWith(u'/' + url->databaseName));
}

void tst_DatabaseUrl::errorsNeverShowThePassword()
{
    for (const QString &text : {u"postgres://ops:T0pS3cret@/calls"_s, u"postgres://ops:T0pS3cret@db:5432/"_s,
                                u"mysql://ops:T0pS3cret@db/calls"_s}) {
        const Result<DatabaseUrl> url = DatabaseUrl::parse(text);
        QVERIFY(!url.ok());
        QVERIFY2(!url.error().message.contains(u"T0pS3cret"_s), qPrintable(url.error().message));
    }
}

QTEST_GUILESS_MAIN(tst_DatabaseUrl)
#include "tst_databaseurl.moc"
