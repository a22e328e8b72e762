#include "database.h"

#include "core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>

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
    m_prepared.clear();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseUrl &url, const QString &connectionName)
{
    const QString driver = url.engine == DatabaseUrl::Engine::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
    if (!QSqlDatabase::isDriverAvailable(driver))
        return Error::storage(u"Qt SQL driver %1 is not installed"_s.arg(driver));

    // Scoped: removeDatabase() (here or in ~Database on failure) warns and misbehaves while a
    // QSqlDatabase handle of the connection is still alive.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, connectionName);
        if (url.engine == DatabaseUrl::Engine::Sqlite) {
            const QFileInfo file(url.sqlitePath);
            if (!QDir().mkpath(file.absolutePath())) {
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(connectionName);
                return Error::storage(u"cannot create the folder of %1"_s.arg(url.sqlitePath));
            }
            db.setDatabaseName(url.sqlitePath);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kSqliteBusyTimeoutMs));
        } else {
            db.setHostName(url.host);
            db.setPort(url.port);
            db.setDatabaseName(url.databaseName);
            db.setUserName(url.user);
            db.setPassword(url.password);
            db.setConnectOptions(u"connect_timeout=%1"_s.arg(kPostgresConnectTimeoutSeconds));
        }
    }

    std::unique_ptr<Database> database(new Database(url, connectionName));
    if (Status opened = database->ensureOpen(); !opened)
        return opened.error();
    return database;
}

Status Database::ensureOpen()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (db.isOpen())
        return Done{};
    m_prepared.clear();
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
    for (const QString &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=NORMAL"_s,
                                  u"PRAGMA foreign_keys=ON"_s,
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
        && !m_inTransaction && QSqlDatabase::database(m_connectionName, false).isOpen() && !ping()) {
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
    if (Status opened = ensureOpen(); !opened)
        return opened.error();

    auto cached = m_prepared.find(sql);
    if (cached == m_prepared.end()) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        if (!query.prepare(sql))
            return failure(query.lastError(), u"prepare"_s);
        cached = m_prepared.insert(sql, std::move(query));
    }
    QSqlQuery &query = cached.value();
    for (qsizetype i = 0; i < params.size(); ++i)
        query.bindValue(int(i), params.at(i));
    if (!query.exec()) {
        const QSqlError error = query.lastError();
        m_prepared.erase(cached);
        return failure(error, u"statement"_s);
    }
    return &query;
}

Status Database::execRaw(const QString &sql)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(sql))
        return failure(query.lastError(), sql.section(u' ', 0, 1));
    return Done{};
}

Status Database::write(const std::function<Status()> &work)
{
    if (Status opened = ensureOpen(); !opened)
        return opened;
    const bool sqlite = m_url.engine == DatabaseUrl::Engine::Sqlite;
    if (Status begun = execRaw(sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s); !begun)
        return begun;

    m_inTransaction = true;
    Status result = work();
    m_inTransaction = false;

    if (!result) {
        execRaw(u"ROLLBACK"_s);
        return result;
    }
    if (Status committed = execRaw(u"COMMIT"_s); !committed) {
        execRaw(u"ROLLBACK"_s);
        return committed;
    }
    return Done{};
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
    if (m_inTransaction)
        return;
    m_prepared.clear();
    QSqlDatabase::database(m_connectionName, false).close();
}

bool Database::ping()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    return query.exec(u"SELECT 1"_s) && query.next();
}

} // namespace Switchboard
