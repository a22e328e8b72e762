#pragma once

#include "domain/result.h"

#include <QString>

namespace Switchboard {

/// Where the data lives, parsed from DATABASE_URL: an SQLite file or a PostgreSQL server.
struct DatabaseUrl
{
    enum class Engine { Sqlite, Postgres };

    Engine engine = Engine::Sqlite;
    QString sqlitePath;
    QString host;
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;

    /// Accepts a file path, `sqlite:///abs/path`, `sqlite://relative/path` or
    /// `postgres://user:pass@host:port/db` (also `postgresql://`).
    static Result<DatabaseUrl> parse(const QString &text);

    /// For logs and the status line: never includes the password.
    QString redacted() const;
};

} // namespace Switchboard
