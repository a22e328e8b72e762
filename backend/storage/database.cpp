#include "database.h"

#include "core/logging.h"
#include "core/privatefiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr int kSqliteBusyTimeoutMs = 5000;
constexpr int kPostgresConnectTimeoutSeconds = 3;

bool isUniqueViolation(const QSqlError &error)
{
    // SQLITE_CONSTRAINT and its extended codes; PostgreSQL's SQLSTATE unique_violation.
    static const QStringList codes{u"19"_s, u"1555"_s, u"2067"_s, u"23505"_s};
    return codes.contains(error.nativeErrorCode());
}
} // namespace

Database::Database(const DatabaseUrl &url, const QString &connectionName)
    : m_url(url), m_connectionName(connectionName)
{
}

Database::~Database()
{
    m_connections.setLocalData(nullptr); // the destroying thread's own connection
}

Database::Connection::~Connection()
{
    prepared.clear();
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseUrl &url, const QString &connectionName)
{
    const QString driver = url.engine == DatabaseUrl::Engine::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
    if (!QSqlDatabase::isDriverAvailable(driver))
        return Error::storage(u"Qt SQL driver %1 is not installed"_s.arg(driver));
    if (url.engine == DatabaseUrl::Engine::Sqlite) {
        if (!makePrivateFolder(QFileInfo(url.sqlitePath).absolutePath()))
            return Error::storage(u"cannot create the folder of %1"_s.arg(url.sqlitePath));
        // The journal files take the database file's mode when SQLite makes them; ones left by
        // an earlier version (0644) are tightened here.
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            const QString path = url.sqlitePath + suffix;
            if ((suffix.isEmpty() || QFileInfo::exists(path)) && !keepPrivate(path))
                return Error::storage(u"cannot make %1 private to its owner"_s.arg(path));
        }
    }

    std::unique_ptr<Database> database(new Database(url, connectionName));
    if (Status opened = database->ensureOpen(); !opened)
        return opened.error();
    return database;
}

Database::Connection &Database::connection()
{
    if (Connection *existing = m_connections.localData())
        return *existing;
    // Unique in the process: several Database objects (tests run two backends) share Qt's
    // registry of connection names.
    static std::atomic<quint64> connections = 0;
    auto *created = new Connection;
    created->name = u"%1-%2"_s.arg(m_connectionName).arg(connections.fetch_add(1));
    // Scoped: removeDatabase() (in ~Connection) warns and misbehaves while a QSqlDatabase handle
    // of the connection is still alive.
    {
        const bool sqlite = m_url.engine == DatabaseUrl::Engine::Sqlite;
        QSqlDatabase db = QSqlDatabase::addDatabase(sqlite ? u"QSQLITE"_s : u"QPSQL"_s, created->name);
        if (sqlite) {
            db.setDatabaseName(m_url.sqlitePath);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kSqliteBusyTimeoutMs));
        } else {
            db.setHostName(m_url.host);
            db.setPort(m_url.port);
            db.setDatabaseName(m_url.databaseName);
            db.setUserName(m_url.user);
            db.setPassword(m_url.password);
            db.setConnectOptions(u"connect_timeout=%1"_s.arg(kPostgresConnectTimeoutSeconds));
        }
    }
    m_connections.setLocalData(created);
    return *created;
}

QSqlDatabase Database::handle()
{
    return QSqlDatabase::database(connection().name, false);
}

Status Database::ensureOpen()
{
    QSqlDatabase db = handle();
    if (db.isOpen())
        return Done{};
    connection().prepared.clear();
    if (!db.open()) {
        const QString text = db.lastError().text();
        qCWarning(lcStorage) << "cannot open" << m_url.redacted() << ":" << text;
        return Error::storage(u"database unavailable: %1"_s.arg(text));
    }
    if (m_url.engine == DatabaseUrl::Engine::Sqlite)
        return configureSqlite();
    return Done{};
}

Status Database::configureSqlite()
{
    for (const QString &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                                  u"PRAGMA foreign_keys=ON"_s, u"PRAGMA temp_store=MEMORY"_s,
                                  u"PRAGMA busy_timeout=%1"_s.arg(kSqliteBusyTimeoutMs)}) {
        if (Status done = execRaw(pragma); !done)
            return done;
    }
    return Done{};
}

Error Database::failure(const QSqlError &error, const QString &what)
{
    if (isUniqueViolation(error))
        return {ErrorCode::Conflict, error.databaseText()};

    qCWarning(lcStorage) << what << "failed:" << error.text();
    if ((error.type() == QSqlError::ConnectionError || m_url.engine == DatabaseUrl::Engine::Postgres)
        && !connection().inTransaction && handle().isOpen() && !ping()) {
        dropConnection();
    }
    // The text may name tables and values: it is for logs and startup errors, never for API clients.
    return Error::storage(u"%1 failed: %2"_s.arg(what, error.text()));
}

Result<QList<QSqlRecord>> Database::select(const QString &sql, const QVariantList &params)
{
    Result<QSqlQuery *> ran = run(sql, params);
    if (!ran)
        return ran.error();
    QSqlQuery *query = ran.value();
    QList<QSqlRecord> rows;
    while (query->next())
        rows.append(query->record());
    // An unfinished SQLite statement keeps its read transaction open.
    query->finish();
    return rows;
}

Result<int> Database::modify(const QString &sql, const QVariantList &params)
{
    Result<QSqlQuery *> ran = run(sql, params);
    if (!ran)
        return ran.error();
    const int affected = ran.value()->numRowsAffected();
    ran.value()->finish();
    return affected;
}

Result<QSqlQuery *> Database::run(const QString &sql, const QVariantList &params)
{
    Result<QSqlQuery *> ran = runOnce(sql, params);
    // A connection that broke since this thread last used it (the server restarted) fails its
    // next statement and is dropped; outside a transaction, the statement is tried once more on
    // a new connection, so that no thread's first request after an outage fails for nothing.
    if (!ran && ran.error().code == ErrorCode::StorageUnavailable && !connection().inTransaction
        && !handle().isOpen()) {
        return runOnce(sql, params);
    }
    return ran;
}

Result<QSqlQuery *> Database::runOnce(const QString &sql, const QVariantList &params)
{
    if (Status opened = ensureOpen(); !opened)
        return opened.error();

    QHash<QString, QSqlQuery> &prepared = connection().prepared;
    auto cached = prepared.find(sql);
    if (cached == prepared.end()) {
        QSqlQuery query(handle());
        if (!query.prepare(sql))
            return failure(query.lastError(), u"prepare"_s);
        cached = prepared.insert(sql, std::move(query));
    }
    QSqlQuery &query = cached.value();
    for (qsizetype i = 0; i < params.size(); ++i)
        query.bindValue(int(i), params.at(i));
    if (!query.exec()) {
        const QSqlError error = query.lastError();
        prepared.erase(cached);
        return failure(error, u"statement"_s);
    }
    return &query;
}

Status Database::execRaw(const QString &sql)
{
    QSqlQuery query(handle());
    if (!query.exec(sql))
        return failure(query.lastError(), sql.section(u' ', 0, 1));
    return Done{};
}

Status Database::write(const std::function<Status()> &work)
{
    if (Status begun = begin(); !begun)
        return begun;
    Status result = work();
    if (!result) {
        rollback();
        return result;
    }
    return commit();
}

Status Database::begin()
{
    if (Status opened = ensureOpen(); !opened)
        return opened;
    const bool sqlite = m_url.engine == DatabaseUrl::Engine::Sqlite;
    if (Status begun = execRaw(sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s); !begun)
        return begun;
    connection().inTransaction = true;
    return Done{};
}

Status Database::savepoint()
{
    return execRaw(u"SAVEPOINT unit"_s);
}

Status Database::releaseSavepoint()
{
    return execRaw(u"RELEASE SAVEPOINT unit"_s);
}

Status Database::rollbackToSavepoint()
{
    // Rolled back and then released: the unit leaves no trace and no savepoint behind.
    if (Status rolledBack = execRaw(u"ROLLBACK TO SAVEPOINT unit"_s); !rolledBack)
        return rolledBack;
    return releaseSavepoint();
}

Status Database::commit()
{
    Status committed = execRaw(u"COMMIT"_s);
    if (!committed) {
        rollback();
        return committed;
    }
    connection().inTransaction = false;
    return Done{};
}

void Database::rollback()
{
    // Out of the transaction first: if the connection broke, the failing ROLLBACK drops it and
    // the next statement reconnects.
    connection().inTransaction = false;
    execRaw(u"ROLLBACK"_s);
}

bool Database::isReachable()
{
    if (!ensureOpen())
        return false;
    if (ping())
        return true;
    dropConnection();
    return false;
}

void Database::dropConnection()
{
    // A broken connection stays "open" in Qt's eyes; closed, the next use reconnects. Not in the
    // middle of a transaction, which must see its own failure through.
    Connection &current = connection();
    if (current.inTransaction)
        return;
    current.prepared.clear();
    handle().close();
}

bool Database::ping()
{
    QSqlQuery query(handle());
    return query.exec(u"SELECT 1"_s) && query.next();
}

} // namespace Switchboard
