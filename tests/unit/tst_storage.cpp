#include "core/timeformat.h"
#include "printers.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sqlcallrepository.h"
#include "storage/sqlrevokedtokenrepository.h"
#include "storage/sqluserrepository.h"
#include "testdatabase.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 1, 15), QTime(10, 0), Qt::UTC);

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString connectionName()
{
    return u"tst_storage-"_s + QUuid::createUuid().toString(QUuid::Id128);
}

Call makeCall(const QString &userId, CallStatus status, const QDateTime &start,
              const QString &number = u"+4915123456789"_s)
{
    Call call;
    call.id = newId();
    call.userId = userId;
    call.phoneNumber = number;
    call.startTime = start;
    call.status = status;
    call.provider = u"mock"_s;
    call.instanceId = u"instance-a"_s;
    call.lastAliveAt = start;
    return call;
}

QStringList ids(const QList<Call> &calls)
{
    QStringList result;
    for (const Call &call : calls)
        result.append(call.id);
    return result;
}

QStringList sortedIds(const QList<Call> &calls)
{
    QStringList result = ids(calls);
    result.sort();
    return result;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QString describe(const Error &error)
{
    return u"%1 (code %2)"_s.arg(error.message).arg(int(error.code));
}

} // namespace

class tst_Storage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // migrations
    void availableMigrationsAreNumberedAndOrdered();
    void sqliteFilesArePrivate();
    void migrationsApplyOnce();
    void specifiedIndexesExist();
    void statements_data();
    void statements();
    void brokenMigrationRollsBackAndStops();
    void openFailureIsStorageUnavailable();

    // users
    void userCreateAndFind();
    void duplicateEmailIsUserAlreadyExists();

    // calls
    void callRoundTripsEveryField();
    void callWithoutOptionalFields();
    void timesAreStoredAsUtcTextWithMilliseconds();
    void updateChecksTheExpectedStatus();
    void oneLiveCallPerUser();
    void callForUnknownUserIsNotAConflict();
    void historyFiltersPagesAndOrders();
    void historyTimeBoundsAreInclusiveToTheMillisecond();
    void orphansAndHeartbeat();
    void statisticsOfAnEmptyDatabase();
    void statistics();
    void countsByHour_keptAsCallsChange();

    // tokens and rate limits
    void revokedTokens();
    void rateLimitCountsPerBucketAndWindow();
    void rateLimitPurge();

private:
    QString addUser(const QString &email = {});
    std::optional<Call> stored(const QString &callId);

    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SqlUserRepository> m_users;
    std::unique_ptr<SqlCallRepository> m_calls;
    std::unique_ptr<SqlRevokedTokenRepository> m_revoked;
    std::unique_ptr<SqlRateLimitRepository> m_rateLimits;
};

void tst_Storage::initTestCase()
{
    QLoggingCategory::setFilterRules(u"switchboard.*.info=false"_s);
}

void tst_Storage::init()
{
    // A fresh database for every test function, so that counts and orphans see only its rows.
    m_testDatabase = std::make_unique<TestDatabase>();
    REQUIRE_TEST_DATABASE(*m_testDatabase);
    Result<std::unique_ptr<Database>> opened = Database::open(*m_testDatabase->url(), connectionName());
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    m_database = std::move(opened).value();
    const Status migrated = Migrator(*m_database).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.ok() ? QString() : migrated.error().message));
    m_users = std::make_unique<SqlUserRepository>(*m_database);
    m_calls = std::make_unique<SqlCallRepository>(*m_database);
    m_revoked = std::make_unique<SqlRevokedTokenRepository>(*m_database);
    m_rateLimits = std::make_unique<SqlRateLimitRepository>(*m_database);
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_Storage::cleanup()
{
    m_rateLimits.reset();
    m_revoked.reset();
    m_calls.reset();
    m_users.reset();
    m_database.reset();
    m_testDatabase.reset();
}

QString tst_Storage::addUser(const QString &email)
{
    const QString id = newId();
    const User user{id, email.isEmpty() ? id + u"@example.com"_s : email, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"_ba,
                    kT0};
    const Status created = m_users->create(user);
    if (!created)
        qWarning("cannot add a user: %s", qPrintable(created.error().message));
    return id;
}

std::optional<Call> tst_Storage::stored(const QString &callId)
{
    Result<std::optional<Call>> found = m_calls->findById(callId);
    if (!found) {
        qWarning("cannot read call %s: %s", qPrintable(callId), qPrintable(found.error().message));
        return std::nullopt;
    }
    return found.value();
}

// --- migrations -----------------------------------------------------------------------------

void tst_Storage::availableMigrationsAreNumberedAndOrdered()
{
    const QStringList available = Migrator::available();
    QVERIFY(available.size() >= 3);
    QCOMPARE(available.at(0), u"001_create_users_table.sql"_s);
    QCOMPARE(available.at(1), u"002_create_calls_table.sql"_s);
    QCOMPARE(available.at(2), u"003_add_webrtc_fields_to_calls.sql"_s);
    static const QRegularExpression numbered(u"^\\d{3}_[a-z0-9_]+\\.sql$"_s);
    for (qsizetype i = 0; i < available.size(); ++i) {
        QVERIFY2(numbered.match(available.at(i)).hasMatch(), qPrintable(available.at(i)));
        if (i > 0)
            QVERIFY2(available.at(i - 1).left(3) < available.at(i).left(3), "one file per number, in order");
    }
}

void tst_Storage::migrationsApplyOnce()
{
    auto applied = [this]() -> QList<std::pair<QString, QString>> {
        QList<std::pair<QString, QString>> rows;
        const Result<QList<QSqlRecord>> records =
            m_database->select(u"SELECT version, applied_at FROM schema_migrations ORDER BY version"_s);
        if (records) {
            for (const QSqlRecord &record : records.value())
                rows.append({record.value(0).toString(), record.value(1).toString()});
        }
        return rows;
    };

    const QList<std::pair<QString, QString>> first = applied();
    QStringList versions;
    for (const auto &[version, appliedAt] : first) {
        versions.append(version);
        QVERIFY2(parseUtc(appliedAt).isValid(), qPrintable(appliedAt));
    }
    QCOMPARE(versions, Migrator::available());

    // A second run (the next start, or another instance) applies nothing and records nothing.
    const Status again = Migrator(*m_database).migrate();
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
    QCOMPARE(applied(), first);

    // And the schema is usable.
    const QString user = addUser();
    QVERIFY(m_calls->create(makeCall(user, CallStatus::Connecting, kT0)).ok());
}

void tst_Storage::specifiedIndexesExist()
{
    // The spec's indexes: every lookup by these columns has an index that leads with the column.
    const bool sqlite = m_database->engine() == DatabaseUrl::Engine::Sqlite;
    const QString sql = sqlite
        ? u"SELECT m.tbl_name || '.' || i.name FROM sqlite_master m, pragma_index_info(m.name) i "
          "WHERE m.type = 'index' AND i.seqno = 0"_s
        : u"SELECT t.relname || '.' || a.attname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
          "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
          "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()"_s;
    const Result<QList<QSqlRecord>> rows = m_database->select(sql);
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    QStringList leading;
    for (const QSqlRecord &row : rows.value())
        leading.append(row.value(0).toString());
    for (const QString &column : {u"users.email"_s, u"calls.user_id"_s, u"calls.start_time"_s, u"calls.session_id"_s})
        QVERIFY2(leading.contains(column), qPrintable(column + u" leads no index: "_s + leading.join(u", "_s)));
}

void tst_Storage::statements_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("two statements") << u"CREATE TABLE a (x INTEGER);\nCREATE INDEX i ON a (x);\n"_s
                                    << QStringList{u"CREATE TABLE a (x INTEGER)"_s, u"CREATE INDEX i ON a (x)"_s};
    QTest::addRow("multi-line statement keeps its lines")
        << u"CREATE TABLE t (\n    a INTEGER,\n    b TEXT\n);\n"_s
        << QStringList{u"CREATE TABLE t (\n    a INTEGER,\n    b TEXT\n)"_s};
    QTest::addRow("comment lines are dropped")
        << u"-- What this migration does.\n-- It has two lines.\nSELECT 1;\n"_s << QStringList{u"SELECT 1"_s};
    QTest::addRow("indented comment") << u"SELECT 1;\n    -- indented\nSELECT 2;"_s
                                      << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
    QTest::addRow("semicolon inside a comment")
        << u"-- first; then second;\nSELECT 1;"_s << QStringList{u"SELECT 1"_s};
    QTest::addRow("comment between the lines of a statement")
        << u"CREATE TABLE t (\n    -- the key\n    id INTEGER\n);"_s
        << QStringList{u"CREATE TABLE t (\n    id INTEGER\n)"_s};
    QTest::addRow("no trailing semicolon") << u"SELECT 1"_s << QStringList{u"SELECT 1"_s};
    QTest::addRow("empty statements are dropped") << u";;\n ;\nSELECT 1;;\n\n"_s << QStringList{u"SELECT 1"_s};
    QTest::addRow("only comments") << u"-- nothing here\n-- at all;\n"_s << QStringList{};
    QTest::addRow("empty") << QString() << QStringList{};
    QTest::addRow("trailing comment after a statement") << u"SELECT 1; -- the first\nSELECT 2;"_s
                                                        << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
    QTest::addRow("semicolon in a trailing comment")
        << u"CREATE TABLE t (\n    id INTEGER -- the key; never empty\n);"_s
        << QStringList{u"CREATE TABLE t (\n    id INTEGER\n)"_s};
    QTest::addRow("dashes inside a string are not a comment")
        << u"INSERT INTO t (a) VALUES ('a--b');"_s << QStringList{u"INSERT INTO t (a) VALUES ('a--b')"_s};
    QTest::addRow("SQLite trigger body is one statement")
        << u"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    UPDATE b SET n = n + 1;\n    SELECT CASE WHEN 1 THEN 2 END;\nEND;\nSELECT 1;"_s
        << QStringList{u"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    UPDATE b SET n = n + 1;\n    SELECT CASE WHEN 1 THEN 2 END;\nEND"_s,
                       u"SELECT 1"_s};
    QTest::addRow("BEGIN outside a trigger splits as usual") << u"BEGIN;\nSELECT 1;"_s
                                                             << QStringList{u"BEGIN"_s, u"SELECT 1"_s};
    QTest::addRow("PostgreSQL dollar-quoted body is one statement")
        << u"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  UPDATE b SET n = 'x;y';\n  RETURN NULL;\nEND $$;\nSELECT 2;"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  UPDATE b SET n = 'x;y';\n  RETURN NULL;\nEND $$"_s,
                       u"SELECT 2"_s};
    QTest::addRow("tagged dollar quote") << u"DO $body$ SELECT ';' $body$; SELECT 3;"_s
                                         << QStringList{u"DO $body$ SELECT ';' $body$"_s, u"SELECT 3"_s};
    QTest::addRow("semicolon inside a string") << u"INSERT INTO t VALUES ('a;b');"_s
                                               << QStringList{u"INSERT INTO t VALUES ('a;b')"_s};
    QTest::addRow("CRLF line endings") << u"-- comment\r\nSELECT 1;\r\nSELECT 2;\r\n"_s
                                       << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
}

void tst_Storage::statements()
{
    QFETCH(QString, script);
    QFETCH(QStringList, expected);
    QCOMPARE(Migrator::statements(script), expected);
}

void tst_Storage::brokenMigrationRollsBackAndStops()
{
    // Migration 003 adds three columns to calls, then creates idx_calls_session_id. A table of
    // that name makes its last statement fail after the first three have run.
    TestDatabase testDatabase;
    REQUIRE_TEST_DATABASE(testDatabase);
    Result<std::unique_ptr<Database>> opened = Database::open(*testDatabase.url(), connectionName());
    QVERIFY(opened.ok());
    Database &database = *opened.value();
    QVERIFY(database.execRaw(u"CREATE TABLE idx_calls_session_id (x INTEGER)"_s).ok());

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"CREATE INDEX.* failed:"_s));
    const Status failed = Migrator(database).migrate();
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, ErrorCode::StorageUnavailable);
    QVERIFY2(failed.error().message.startsWith(u"migration 003_add_webrtc_fields_to_calls.sql failed: "_s),
             qPrintable(failed.error().message));

    auto versions = [&database]() {
        QStringList result;
        const Result<QList<QSqlRecord>> rows =
            database.select(u"SELECT version FROM schema_migrations ORDER BY version"_s);
        if (rows) {
            for (const QSqlRecord &row : rows.value())
                result.append(row.value(0).toString());
        }
        return result;
    };
    QCOMPARE(versions(), (QStringList{u"001_create_users_table.sql"_s, u"002_create_calls_table.sql"_s}));

    // Nothing of 003 stayed behind: once the obstacle is gone, it applies from its first
    // statement (a column left over would fail it as a duplicate), and so do the rest.
    QVERIFY(database.execRaw(u"DROP TABLE idx_calls_session_id"_s).ok());
    const Status retried = Migrator(database).migrate();
    QVERIFY2(retried.ok(), qPrintable(retried.ok() ? QString() : retried.error().message));
    QCOMPARE(versions(), Migrator::available());
}

void tst_Storage::openFailureIsStorageUnavailable()
{
    DatabaseUrl url;
    if (m_database->engine() == DatabaseUrl::Engine::Sqlite) {
        url.engine = DatabaseUrl::Engine::Sqlite;
        url.sqlitePath = u"/proc/switchboard-cannot-be-here/switchboard.db"_s;
    } else {
        url = m_database->url();
        url.port = 1; // nothing listens there
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^cannot open \"?postgres://"_s));
    }
    const Result<std::unique_ptr<Database>> opened = Database::open(url, connectionName());
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::StorageUnavailable);
}

void tst_Storage::sqliteFilesArePrivate()
{
    if (m_database->engine() != DatabaseUrl::Engine::Sqlite)
        QSKIP("SQLite's own files");
    // Issue 15, defect 9: the database and its WAL were 0644 in a 0755 folder.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(u"data"_s);
    DatabaseUrl url;
    url.engine = DatabaseUrl::Engine::Sqlite;
    url.sqlitePath = folder + u"/switchboard.db"_s;
    {
        Result<std::unique_ptr<Database>> opened = Database::open(url, connectionName());
        QVERIFY(opened.ok());
        QVERIFY(Migrator(*opened.value()).migrate().ok());
        const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFileInfo(folder).permissions() & others, QFileDevice::Permissions());
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            const QFileInfo file(url.sqlitePath + suffix);
            QVERIFY2(file.exists(), qPrintable(file.filePath()));
            QCOMPARE(file.permissions() & (others | QFileDevice::ExeOwner), QFileDevice::Permissions());
            QCOMPARE(file.permissions() & ownerOnly, ownerOnly);
        }
    }
    // A file an earlier version left readable to all is tightened at the next start.
    QVERIFY(QFile::setPermissions(url.sqlitePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                                                      | QFileDevice::ReadOther));
    Result<std::unique_ptr<Database>> reopened = Database::open(url, connectionName());
    QVERIFY(reopened.ok());
    QCOMPARE(QFileInfo(url.sqlitePath).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
}

// --- users ----------------------------------------------------------------------------------

void tst_Storage::userCreateAndFind()
{
    const User user{newId(), u"alice@example.com"_s, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"_ba,
                    QDateTime(QDate(2026, 1, 15), QTime(12, 30, 45, 678), Qt::OffsetFromUTC, 2 * 3600)};
    QVERIFY(m_users->create(user).ok());

    for (const Result<std::optional<User>> &found : {m_users->findByEmail(user.email), m_users->findById(user.id)}) {
        QVERIFY(found.ok());
        QVERIFY(found->has_value());
        const User &read = **found;
        QCOMPARE(read.id, user.id);
        QCOMPARE(read.email, user.email);
        QCOMPARE(read.passwordHash, user.passwordHash);
        QCOMPARE(read.createdAt, user.createdAt);
        QCOMPARE(read.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(read.createdAt.time().msec(), 678);
    }

    const Result<std::optional<User>> unknown = m_users->findByEmail(u"bob@example.com"_s);
    QVERIFY(unknown.ok());
    QVERIFY(!unknown->has_value());
    QVERIFY(!m_users->findById(newId())->has_value());
}

void tst_Storage::duplicateEmailIsUserAlreadyExists()
{
    addUser(u"alice@example.com"_s);
    const User again{newId(), u"alice@example.com"_s, "hash"_ba, kT0};
    const Status created = m_users->create(again);
    QVERIFY(!created.ok());
    QCOMPARE(created.error().code, ErrorCode::UserAlreadyExists);
    QCOMPARE(created.error().message, u"A user with this email already exists"_s);
    QVERIFY(!m_users->findById(again.id)->has_value());
    QVERIFY(m_users->findByEmail(u"alice@example.com"_s)->has_value());
}

// --- calls ----------------------------------------------------------------------------------

void tst_Storage::callRoundTripsEveryField()
{
    const QString user = addUser();
    Call call = makeCall(user, CallStatus::Completed, QDateTime(QDate(2026, 1, 15), QTime(10, 0, 0, 1), Qt::UTC),
                         u"+442079460958"_s);
    call.durationSeconds = 125;
    call.sessionId = u"mock-session-1"_s;
    call.sdpOffer = u"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n"_s;
    call.sdpAnswer = u"v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n"_s;
    call.provider = u"twilio"_s;
    call.instanceId = u"node-7"_s;
    call.answeredAt = call.startTime.addMSecs(4321);
    call.endedAt = call.answeredAt->addSecs(125);
    call.lastAliveAt = call.endedAt;
    QVERIFY(m_calls->create(call).ok());

    const std::optional<Call> read = stored(call.id);
    QVERIFY(read);
    QCOMPARE(read->id, call.id);
    QCOMPARE(read->userId, call.userId);
    QCOMPARE(read->phoneNumber, call.phoneNumber);
    QCOMPARE(read->startTime, call.startTime);
    QCOMPARE(read->durationSeconds, 125);
    QCOMPARE_STATUS(read->status, CallStatus::Completed);
    QCOMPARE(read->sessionId, call.sessionId);
    QCOMPARE(read->sdpOffer, call.sdpOffer);
    QCOMPARE(read->sdpAnswer, call.sdpAnswer);
    QCOMPARE(read->provider, u"twilio"_s);
    QCOMPARE(read->instanceId, u"node-7"_s);
    QCOMPARE(read->answeredAt, call.answeredAt);
    QCOMPARE(read->endedAt, call.endedAt);
    QCOMPARE(read->lastAliveAt, call.lastAliveAt);
    QVERIFY(read->failureReason.isEmpty());

    const Result<std::optional<Call>> bySession = m_calls->findBySessionId(u"mock-session-1"_s);
    QVERIFY(bySession.ok() && bySession->has_value());
    QCOMPARE((*bySession)->id, call.id);
    QVERIFY(!m_calls->findBySessionId(u"other-session"_s)->has_value());
    QVERIFY(!m_calls->findById(newId())->has_value());
}

void tst_Storage::callWithoutOptionalFields()
{
    const QString user = addUser();
    Call call = makeCall(user, CallStatus::Initiated, kT0);
    call.lastAliveAt.reset();
    QVERIFY(m_calls->create(call).ok());

    const std::optional<Call> read = stored(call.id);
    QVERIFY(read);
    QCOMPARE_STATUS(read->status, CallStatus::Initiated);
    QVERIFY(read->sessionId.isEmpty());
    QVERIFY(read->sdpOffer.isEmpty());
    QVERIFY(read->sdpAnswer.isEmpty());
    QVERIFY(!read->answeredAt);
    QVERIFY(!read->endedAt);
    QVERIFY(!read->lastAliveAt);
    QVERIFY(read->failureReason.isEmpty());

    // Absent values are NULL in the table, not empty strings: a session lookup by "" finds nothing.
    const Result<QList<QSqlRecord>> nulls = m_database->select(
        u"SELECT COUNT(*) FROM calls WHERE session_id IS NULL AND answered_at IS NULL AND failure_reason IS NULL"_s);
    QVERIFY(nulls.ok());
    QCOMPARE(nulls->first().value(0).toInt(), 1);
    QVERIFY(!m_calls->findBySessionId(QString())->has_value());
}

void tst_Storage::timesAreStoredAsUtcTextWithMilliseconds()
{
    const QString user = addUser();
    // 23:30:15.042 at UTC+03:00 is 20:30:15.042Z.
    const QDateTime local(QDate(2026, 3, 1), QTime(23, 30, 15, 42), Qt::OffsetFromUTC, 3 * 3600);
    Call call = makeCall(user, CallStatus::Active, local);
    call.answeredAt = local.addMSecs(999);
    QVERIFY(m_calls->create(call).ok());

    const Result<QList<QSqlRecord>> rows =
        m_database->select(u"SELECT start_time, answered_at FROM calls WHERE id = ?"_s, {call.id});
    QVERIFY(rows.ok());
    QCOMPARE(rows->first().value(0).toString(), u"2026-03-01T20:30:15.042Z"_s);
    QCOMPARE(rows->first().value(1).toString(), u"2026-03-01T20:30:16.041Z"_s);

    const std::optional<Call> read = stored(call.id);
    QCOMPARE(read->startTime, local);
    QCOMPARE(read->startTime.timeSpec(), Qt::UTC);
    QCOMPARE(read->startTime.toString(Qt::ISODateWithMs), u"2026-03-01T20:30:15.042Z"_s);
    QCOMPARE(read->answeredAt->toMSecsSinceEpoch(), local.toMSecsSinceEpoch() + 999);
}

void tst_Storage::updateChecksTheExpectedStatus()
{
    const QString user = addUser();
    const Call placing = makeCall(user, CallStatus::Initiated, kT0);
    QVERIFY(m_calls->create(placing).ok());

    Call connecting = placing;
    connecting.status = CallStatus::Connecting;
    connecting.sessionId = u"s-1"_s;
    connecting.sdpOffer = u"v=0 offer"_s;
    connecting.lastAliveAt = kT0.addSecs(1);
    const Result<bool> first = m_calls->update(connecting, CallStatus::Initiated);
    QVERIFY(first.ok());
    QVERIFY2(first.value(), "the stored status was the expected one");
    QCOMPARE_STATUS(stored(placing.id)->status, CallStatus::Connecting);
    QCOMPARE(stored(placing.id)->sessionId, u"s-1"_s);

    // A writer that still believes the call is `initiated` loses, and changes nothing.
    Call stale = placing;
    stale.status = CallStatus::Failed;
    stale.failureReason = u"provider_unavailable"_s;
    const Result<bool> second = m_calls->update(stale, CallStatus::Initiated);
    QVERIFY(second.ok());
    QVERIFY(!second.value());
    const std::optional<Call> after = stored(placing.id);
    QCOMPARE_STATUS(after->status, CallStatus::Connecting);
    QCOMPARE(after->sessionId, u"s-1"_s);
    QCOMPARE(after->sdpOffer, u"v=0 offer"_s);
    QVERIFY(after->failureReason.isEmpty());
    QCOMPARE(after->lastAliveAt, kT0.addSecs(1));

    Call unknown = makeCall(user, CallStatus::Completed, kT0);
    const Result<bool> missing = m_calls->update(unknown, CallStatus::Connecting);
    QVERIFY(missing.ok());
    QVERIFY(!missing.value());
    QVERIFY(!stored(unknown.id));
}

void tst_Storage::oneLiveCallPerUser()
{
    const QString alice = addUser();
    const QString bob = addUser();
    Call first = makeCall(alice, CallStatus::Initiated, kT0);
    QVERIFY(m_calls->create(first).ok());

    for (CallStatus live : {CallStatus::Initiated, CallStatus::Connecting, CallStatus::Active}) {
        const Status second = m_calls->create(makeCall(alice, live, kT0.addSecs(1)));
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, ErrorCode::CallAlreadyActive);
        QCOMPARE(second.error().message, u"You already have a call in progress"_s);
    }
    QVERIFY2(m_calls->create(makeCall(bob, CallStatus::Connecting, kT0)).ok(), "another user is not affected");
    QVERIFY2(m_calls->create(makeCall(alice, CallStatus::Completed, kT0.addSecs(2))).ok(),
             "ended calls do not hold the line");

    // Active holds the line as well; ending it frees it.
    Call active = first;
    active.status = CallStatus::Active;
    QVERIFY(m_calls->update(active, CallStatus::Initiated).value());
    QCOMPARE(m_calls->create(makeCall(alice, CallStatus::Initiated, kT0.addSecs(3))).error().code,
             ErrorCode::CallAlreadyActive);
    Call ended = active;
    ended.status = CallStatus::Completed;
    QVERIFY(m_calls->update(ended, CallStatus::Active).value());
    QVERIFY(m_calls->create(makeCall(alice, CallStatus::Initiated, kT0.addSecs(4))).ok());

    const Result<HistoryPage> page = m_calls->history({alice, 1, 100, {}, {}, {}, {}});
    QVERIFY(page.ok());
    QCOMPARE(page->total, 3);
}

void tst_Storage::callForUnknownUserIsNotAConflict()
{
    // calls.user_id references users: a row for a user that does not exist is refused, and it
    // is a storage failure, not the "one live call" rule.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^\"statement\" failed:"_s));
    const Status created = m_calls->create(makeCall(newId(), CallStatus::Connecting, kT0));
    QVERIFY(!created.ok());
    QVERIFY2(created.error().code != ErrorCode::CallAlreadyActive, qPrintable(describe(created.error())));
    QCOMPARE(created.error().code, ErrorCode::StorageUnavailable);
}

void tst_Storage::historyFiltersPagesAndOrders()
{
    const QString alice = addUser();
    const QString bob = addUser();
    const QList<Call> calls{
        makeCall(alice, CallStatus::Completed, kT0.addSecs(0), u"+4915123456789"_s),
        makeCall(alice, CallStatus::Failed, kT0.addSecs(60), u"+442079460958"_s),
        makeCall(alice, CallStatus::Completed, kT0.addSecs(120), u"+4930123456"_s),
        makeCall(alice, CallStatus::Canceled, kT0.addSecs(180), u"+16502530000"_s),
        makeCall(alice, CallStatus::Connecting, kT0.addSecs(240), u"+4915123456789"_s),
    };
    for (const Call &call : calls)
        QVERIFY(m_calls->create(call).ok());
    QVERIFY(m_calls->create(makeCall(bob, CallStatus::Completed, kT0.addSecs(30))).ok());

    auto query = [&alice](int page, int limit) { return HistoryQuery{alice, page, limit, {}, {}, {}, {}}; };

    const Result<HistoryPage> all = m_calls->history(query(1, 20));
    QVERIFY(all.ok());
    QCOMPARE(all->total, 5);
    QCOMPARE(all->page, 1);
    QCOMPARE(all->limit, 20);
    QCOMPARE(ids(all->calls), (QStringList{calls[4].id, calls[3].id, calls[2].id, calls[1].id, calls[0].id}));

    const Result<HistoryPage> second = m_calls->history(query(2, 2));
    QCOMPARE(second->total, 5);
    QCOMPARE(second->page, 2);
    QCOMPARE(second->limit, 2);
    QCOMPARE(ids(second->calls), (QStringList{calls[2].id, calls[1].id}));
    QCOMPARE(ids(m_calls->history(query(3, 2))->calls), QStringList{calls[0].id});
    const Result<HistoryPage> beyond = m_calls->history(query(4, 2));
    QVERIFY(beyond->calls.isEmpty());
    QCOMPARE(beyond->total, 5);

    HistoryQuery completed = query(1, 20);
    completed.status = CallStatus::Completed;
    const Result<HistoryPage> byStatus = m_calls->history(completed);
    QCOMPARE(byStatus->total, 2);
    QCOMPARE(ids(byStatus->calls), (QStringList{calls[2].id, calls[0].id}));

    HistoryQuery german = query(1, 20);
    german.numberContains = u"49151"_s;
    QCOMPARE(ids(m_calls->history(german)->calls), (QStringList{calls[4].id, calls[0].id}));
    german.numberContains = u"4930"_s;
    QCOMPARE(ids(m_calls->history(german)->calls), QStringList{calls[2].id});
    german.numberContains = u"000000"_s;
    QCOMPARE(m_calls->history(german)->total, 0);
    // Five digits or more: the index is asked for the last four ("3456" is in both numbers
    // below), the whole of them must match.
    german.numberContains = u"0123456"_s;
    QCOMPARE(ids(m_calls->history(german)->calls), QStringList{calls[2].id});
    QCOMPARE(m_calls->history(german)->total, 1);

    HistoryQuery window = query(1, 20);
    window.from = kT0.addSecs(60);
    window.to = kT0.addSecs(180);
    const Result<HistoryPage> between = m_calls->history(window);
    QCOMPARE(between->total, 3);
    QCOMPARE(ids(between->calls), (QStringList{calls[3].id, calls[2].id, calls[1].id}));

    HistoryQuery combined = window;
    combined.status = CallStatus::Completed;
    combined.numberContains = u"4930"_s;
    QCOMPARE(ids(m_calls->history(combined)->calls), QStringList{calls[2].id});

    // Bob sees only his own.
    const Result<HistoryPage> bobs = m_calls->history({bob, 1, 20, {}, {}, {}, {}});
    QCOMPARE(bobs->total, 1);
    QCOMPARE(bobs->calls.first().userId, bob);
}

void tst_Storage::historyTimeBoundsAreInclusiveToTheMillisecond()
{
    const QString alice = addUser();
    const QDateTime at = QDateTime(QDate(2026, 1, 15), QTime(10, 0, 0, 500), Qt::UTC);
    Call earlier = makeCall(alice, CallStatus::Completed, at);
    Call sameTime = makeCall(alice, CallStatus::Completed, at);
    QVERIFY(m_calls->create(earlier).ok());
    QVERIFY(m_calls->create(sameTime).ok());

    auto between = [&](const QDateTime &from, const QDateTime &to) {
        HistoryQuery query{alice, 1, 20, from, to, {}, {}};
        return sortedIds(m_calls->history(query)->calls);
    };
    const QStringList both = sorted({earlier.id, sameTime.id});
    QCOMPARE(between(at, at), both);
    QCOMPARE(between(at.addMSecs(-1), at.addMSecs(1)), both);
    QVERIFY(between(at.addMSecs(1), at.addSecs(60)).isEmpty());
    QVERIFY(between(at.addSecs(-60), at.addMSecs(-1)).isEmpty());
    // Bounds given in another offset mean the same instant.
    QCOMPARE(between(at.toOffsetFromUtc(-5 * 3600), at.toOffsetFromUtc(9 * 3600)), both);

    // Equal start times are ordered by id, so that paging never repeats or skips a row.
    const QStringList newestFirst = ids(m_calls->history({alice, 1, 20, {}, {}, {}, {}})->calls);
    QStringList byIdDescending = both;
    std::reverse(byIdDescending.begin(), byIdDescending.end());
    QCOMPARE(newestFirst, byIdDescending);
    QCOMPARE(ids(m_calls->history({alice, 1, 1, {}, {}, {}, {}})->calls) +
                 ids(m_calls->history({alice, 2, 1, {}, {}, {}, {}})->calls),
             byIdDescending);
}

void tst_Storage::orphansAndHeartbeat()
{
    const QDateTime now = kT0.addSecs(3600);
    const QDateTime staleBefore = now.addSecs(-180);
    QList<Call> calls;
    auto add = [&](CallStatus status, const QString &instance, std::optional<QDateTime> lastAlive) {
        Call call = makeCall(addUser(), status, kT0);
        call.instanceId = instance;
        call.lastAliveAt = lastAlive;
        calls.append(call);
        return m_calls->create(call).ok();
    };
    QVERIFY(add(CallStatus::Connecting, u"instance-a"_s, now.addSecs(-10)));   // 0: mine, fresh
    QVERIFY(add(CallStatus::Active, u"instance-a"_s, now.addSecs(-10)));       // 1: mine, fresh
    QVERIFY(add(CallStatus::Initiated, u"instance-a"_s, std::nullopt));        // 2: mine, never seen
    QVERIFY(add(CallStatus::Completed, u"instance-a"_s, now.addSecs(-900)));   // 3: mine, ended
    QVERIFY(add(CallStatus::Active, u"instance-b"_s, now.addSecs(-10)));       // 4: theirs, fresh
    QVERIFY(add(CallStatus::Active, u"instance-b"_s, now.addSecs(-600)));      // 5: theirs, quiet
    QVERIFY(add(CallStatus::Connecting, u"instance-b"_s, std::nullopt));       // 6: theirs, never seen
    QVERIFY(add(CallStatus::Failed, u"instance-b"_s, now.addSecs(-600)));      // 7: theirs, ended
    QVERIFY(add(CallStatus::Active, u"instance-b"_s, staleBefore));            // 8: theirs, exactly at the bound

    const Result<QList<Call>> orphans = m_calls->orphans(u"instance-a"_s, staleBefore);
    QVERIFY2(orphans.ok(), qPrintable(orphans.ok() ? QString() : orphans.error().message));
    QCOMPARE(sortedIds(orphans.value()),
             sorted({calls[0].id, calls[1].id, calls[2].id, calls[5].id, calls[6].id}));

    const QDateTime beat = now.addMSecs(250);
    QVERIFY(m_calls->heartbeat(u"instance-a"_s, beat).ok());
    for (int i : {0, 1, 2})
        QCOMPARE(stored(calls[i].id)->lastAliveAt, beat);
    QCOMPARE(stored(calls[3].id)->lastAliveAt, calls[3].lastAliveAt); // ended: left as it was
    for (int i : {4, 5, 6, 7, 8})
        QCOMPARE(stored(calls[i].id)->lastAliveAt, calls[i].lastAliveAt); // another instance's
}

void tst_Storage::statisticsOfAnEmptyDatabase()
{
    const Result<CallStatistics> stats = m_calls->statistics();
    QVERIFY2(stats.ok(), qPrintable(stats.ok() ? QString() : stats.error().message));
    QCOMPARE(stats->initiated, 0);
    QCOMPARE(stats->completed, 0);
    QCOMPARE(stats->providerFailures, 0);
    QCOMPARE(stats->live, 0);
    QCOMPARE(stats->averageDurationSeconds, 0.0);
}

void tst_Storage::statistics()
{
    auto add = [this](CallStatus status, int duration, const QString &reason = {}) {
        Call call = makeCall(addUser(), status, kT0);
        call.durationSeconds = duration;
        call.failureReason = reason;
        return m_calls->create(call).ok();
    };
    QVERIFY(add(CallStatus::Completed, 30));
    QVERIFY(add(CallStatus::Completed, 90));
    QVERIFY(add(CallStatus::Completed, 61));
    QVERIFY(add(CallStatus::Canceled, 0));
    QVERIFY(add(CallStatus::Failed, 0, u"provider_unavailable"_s));
    QVERIFY(add(CallStatus::Failed, 0, u"provider_error"_s));
    QVERIFY(add(CallStatus::Failed, 5, u"media_failed"_s));
    QVERIFY(add(CallStatus::Failed, 0, u"busy"_s)); // the far end's choice, not a provider failure
    QVERIFY(add(CallStatus::Failed, 0, u"setup_timeout"_s));
    QVERIFY(add(CallStatus::Connecting, 0));
    QVERIFY(add(CallStatus::Active, 0));
    QVERIFY(add(CallStatus::Initiated, 0));

    const Result<CallStatistics> stats = m_calls->statistics();
    QVERIFY(stats.ok());
    QCOMPARE(stats->initiated, 12);
    QCOMPARE(stats->completed, 3);
    QCOMPARE(stats->providerFailures, 3);
    QCOMPARE(stats->live, 3);
    QCOMPARE(stats->averageDurationSeconds, 181.0 / 3.0);
}

void tst_Storage::countsByHour_keptAsCallsChange()
{
    const QString user = addUser();
    const QString other = addUser();
    auto add = [this](const QString &userId, CallStatus status, const QDateTime &start, int duration,
                      std::optional<double> mos = {}) {
        Call call = makeCall(userId, status, start);
        call.durationSeconds = duration;
        if (mos)
            call.quality = CallQuality{.mos = *mos};
        return m_calls->create(call).ok() ? call : Call{};
    };
    const QDateTime nine = kT0.addSecs(-3600);
    QVERIFY(!add(user, CallStatus::Completed, nine.addSecs(59 * 60 + 59), 30, 4.4).id.isEmpty()); // 09:59:59 → 09
    QVERIFY(!add(user, CallStatus::Completed, kT0, 90, 4.0).id.isEmpty()); // exactly 10:00 → 10
    QVERIFY(!add(user, CallStatus::Failed, kT0.addSecs(60), 0).id.isEmpty());
    QVERIFY(!add(other, CallStatus::Completed, kT0.addSecs(120), 10, 3.0).id.isEmpty()); // bad: below 3.1
    Call live = add(user, CallStatus::Active, kT0.addSecs(1800), 0);
    QVERIFY(!live.id.isEmpty());
    QVERIFY(!add(user, CallStatus::Completed, kT0.addSecs(2 * 3600), 5, 3.5).id.isEmpty()); // outside [9, 11)

    // The live call ends: its hour moves it from active to completed, with its quality.
    Call ended = live;
    ended.status = CallStatus::Completed;
    ended.durationSeconds = 40;
    ended.quality = CallQuality{.mos = 3.7};
    QCOMPARE(m_calls->update(ended, CallStatus::Active).value(), true);

    auto summary = [](const QList<CallHourCount> &counts) {
        QStringList lines;
        for (const CallHourCount &count : counts)
            lines << u"%1 %2 %3 %4 %5"_s.arg(count.hour.toString(u"HH"_s), toString(count.status), count.quality)
                         .arg(count.calls)
                         .arg(count.durationSeconds);
        lines.sort();
        return lines;
    };
    const Result<QList<CallHourCount>> mine = m_calls->countsByHour({user, nine, kT0.addSecs(3600)});
    QVERIFY(mine.ok());
    QCOMPARE(summary(mine.value()), (QStringList{u"09 completed excellent 1 30"_s, u"10 completed fair 1 40"_s,
                                                 u"10 completed good 1 90"_s, u"10 failed  1 0"_s}));
    const Result<QList<CallHourCount>> team = m_calls->countsByHour({{}, kT0, kT0.addSecs(3600)});
    QVERIFY(team.ok());
    QCOMPARE(summary(team.value()), (QStringList{u"10 completed bad 1 10"_s, u"10 completed fair 1 40"_s,
                                                 u"10 completed good 1 90"_s, u"10 failed  1 0"_s}));

    // Rows written by someone else (a restore, another version) are counted too, and removed again.
    QCOMPARE(m_database->modify(u"DELETE FROM calls WHERE user_id = ?"_s, {other}).value(), 1);
    const Result<QList<CallHourCount>> afterDelete = m_calls->countsByHour({{}, kT0, kT0.addSecs(3600)});
    QCOMPARE(summary(afterDelete.value()), (QStringList{u"10 completed fair 1 40"_s, u"10 completed good 1 90"_s,
                                                        u"10 failed  1 0"_s}));
}

// --- tokens and rate limits -----------------------------------------------------------------

void tst_Storage::revokedTokens()
{
    const QString early = newId();
    const QString late = newId();
    QVERIFY(m_revoked->revoke(early, kT0.addSecs(60)).ok());
    QVERIFY(m_revoked->revoke(late, kT0.addSecs(3600)).ok());
    QVERIFY2(m_revoked->revoke(early, kT0.addSecs(60)).ok(), "revoking twice is not an error");

    QCOMPARE(m_revoked->isRevoked(early).value(), true);
    QCOMPARE(m_revoked->isRevoked(late).value(), true);
    QCOMPARE(m_revoked->isRevoked(newId()).value(), false);

    // At the moment of expiry a revocation still matters; after it, it can go.
    QVERIFY(m_revoked->purgeExpired(kT0.addSecs(60)).ok());
    QCOMPARE(m_revoked->isRevoked(early).value(), true);
    QVERIFY(m_revoked->purgeExpired(kT0.addSecs(61)).ok());
    QCOMPARE(m_revoked->isRevoked(early).value(), false);
    QCOMPARE(m_revoked->isRevoked(late).value(), true);
}

void tst_Storage::rateLimitCountsPerBucketAndWindow()
{
    const QDateTime window = kT0;
    const QDateTime nextWindow = kT0.addSecs(60);
    for (int expected = 1; expected <= 5; ++expected) {
        const Result<int> hits = m_rateLimits->hit(u"email:alice@example.com"_s, window);
        QVERIFY2(hits.ok(), qPrintable(hits.ok() ? QString() : hits.error().message));
        QCOMPARE(hits.value(), expected);
    }
    QCOMPARE(m_rateLimits->hit(u"email:bob@example.com"_s, window).value(), 1);
    QCOMPARE(m_rateLimits->hit(u"address:203.0.113.7"_s, window).value(), 1);
    QCOMPARE(m_rateLimits->hit(u"email:alice@example.com"_s, nextWindow).value(), 1);
    QCOMPARE(m_rateLimits->hit(u"email:alice@example.com"_s, window).value(), 6);

    // A long bucket (an address plus a 254-character email) fits.
    const QString longBucket = u"email:"_s + QString(254, u'x');
    QCOMPARE(m_rateLimits->hit(longBucket, window).value(), 1);
    QCOMPARE(m_rateLimits->hit(longBucket, window).value(), 2);
}

void tst_Storage::rateLimitPurge()
{
    const QDateTime w1 = kT0;
    const QDateTime w2 = kT0.addSecs(60);
    const QDateTime w3 = kT0.addSecs(120);
    QCOMPARE(m_rateLimits->hit(u"b"_s, w1).value(), 1);
    QCOMPARE(m_rateLimits->hit(u"b"_s, w1).value(), 2);
    QCOMPARE(m_rateLimits->hit(u"b"_s, w2).value(), 1);
    QCOMPARE(m_rateLimits->hit(u"b"_s, w3).value(), 1);

    QVERIFY(m_rateLimits->purgeBefore(w2).ok());
    QCOMPARE(m_rateLimits->hit(u"b"_s, w1).value(), 1); // forgotten: counting starts again
    QCOMPARE(m_rateLimits->hit(u"b"_s, w2).value(), 2); // kept
    QCOMPARE(m_rateLimits->hit(u"b"_s, w3).value(), 2); // kept
}

QTEST_GUILESS_MAIN(tst_Storage)
#include "tst_storage.moc"
