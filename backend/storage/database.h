#pragma once

#include "databaseurl.h"
#include "domain/result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariantList>

#include <functional>
#include <memory>

namespace Switchboard {

/// One Qt SQL connection, owned by the thread that opened it.
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

    static Result<std::unique_ptr<Database>> open(const DatabaseUrl &url, const QString &connectionName);

    DatabaseUrl::Engine engine() const { return m_url.engine; }
    const DatabaseUrl &url() const { return m_url; }

    /// Runs one prepared query with positional `?` parameters and returns all its rows.
    Result<QList<QSqlRecord>> select(const QString &sql, const QVariantList &params = {});

    /// Runs one prepared statement with positional `?` parameters; returns the rows it changed.
    Result<int> modify(const QString &sql, const QVariantList &params = {});

    /// Runs `work` in a write transaction (`BEGIN IMMEDIATE` on SQLite) and commits when it succeeds.
    Status write(const std::function<Status()> &work);

    /// Runs a statement without preparing it (DDL, pragmas).
    Status execRaw(const QString &sql);

    /// True when the database answers a trivial query. Reconnects first if the connection was
    /// lost, and drops a broken one, so that a server that went away and came back is found again.
    bool isReachable();

private:
    bool ping();
    void dropConnection();
    explicit Database(const DatabaseUrl &url, const QString &connectionName);
    Status ensureOpen();
    Status configureSqlite();
    Error failure(const QSqlError &error, const QString &what);
    Result<QSqlQuery *> run(const QString &sql, const QVariantList &params);

    DatabaseUrl m_url;
    QString m_connectionName;
    QHash<QString, QSqlQuery> m_prepared;
    bool m_inTransaction = false;
};

} // namespace Switchboard
