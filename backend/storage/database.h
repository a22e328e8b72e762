#pragma once

#include "databaseurl.h"
#include "domain/result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThreadStorage>
#include <QVariantList>

#include <functional>
#include <memory>

namespace Switchboard {

/// A database, with one Qt SQL connection per thread that uses it.
///
/// Qt SQL connections belong to the thread that opened them, so every statement runs on the
/// calling thread's own connection, opened on that thread's first use and closed when the thread
/// ends: the server's threads read in parallel (SQLite's WAL lets readers run beside the writer),
/// and the one writer thread (GroupCommitter) has its own. Every thread that used it must have
/// ended before the object is destroyed (the destroying thread's connection is closed by it).
///
/// Every statement is prepared (and the preparation cached), every failure becomes a domain
/// Error: ErrorCode::Conflict for a violated unique constraint (the repositories say which rule
/// it was), ErrorCode::StorageUnavailable for everything else. A connection that broke
/// (PostgreSQL restarted, network gone) is reopened on next use.
class Database
{
public:
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// Opens the calling thread's connection at once, so that a bad URL or an unreachable
    /// server is found at start-up. `connectionName` prefixes the connections' names.
    static Result<std::unique_ptr<Database>> open(const DatabaseUrl &url, const QString &connectionName);

    DatabaseUrl::Engine engine() const { return m_url.engine; }
    const DatabaseUrl &url() const { return m_url; }

    /// Runs one prepared query with positional `?` parameters and returns all its rows.
    Result<QList<QSqlRecord>> select(const QString &sql, const QVariantList &params = {});

    /// Runs one prepared statement with positional `?` parameters; returns the rows it changed.
    Result<int> modify(const QString &sql, const QVariantList &params = {});

    /// Runs `work` in a write transaction (`BEGIN IMMEDIATE` on SQLite) and commits when it succeeds.
    Status write(const std::function<Status()> &work);

    /// The pieces of a transaction, for a writer that batches (GroupCommitter): `begin()` opens a
    /// write transaction on this thread's connection, `savepoint()`/`rollbackToSavepoint()` bound
    /// one unit of it, `commit()` ends it (and fsyncs with SQLite's synchronous=FULL), `rollback()`
    /// abandons it.
    Status begin();
    Status savepoint();
    Status releaseSavepoint();
    Status rollbackToSavepoint();
    Status commit();
    void rollback();

    /// Runs a statement without preparing it (DDL, pragmas).
    Status execRaw(const QString &sql);

    /// True when the database answers a trivial query. Reconnects first if the connection was
    /// lost, and drops a broken one, so that a server that went away and came back is found again.
    bool isReachable();

private:
    /// The calling thread's connection: its name, prepared statements and transaction state.
    struct Connection
    {
        QString name;
        QHash<QString, QSqlQuery> prepared;
        bool inTransaction = false;
        ~Connection();
    };

    explicit Database(const DatabaseUrl &url, const QString &connectionName);
    Connection &connection();
    QSqlDatabase handle();
    bool ping();
    void dropConnection();
    Status ensureOpen();
    Status configureSqlite();
    Error failure(const QSqlError &error, const QString &what);
    Result<QSqlQuery *> run(const QString &sql, const QVariantList &params);
    Result<QSqlQuery *> runOnce(const QString &sql, const QVariantList &params);

    DatabaseUrl m_url;
    QString m_connectionName;
    QThreadStorage<Connection *> m_connections;
};

} // namespace Switchboard
