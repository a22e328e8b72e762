#pragma once

#include "domain/result.h"

#include <QList>
#include <QStringList>

#include <functional>

namespace Switchboard {

class Database;

/// Where a database stands against the migrations this build carries.
struct MigrationStatus
{
    struct Applied
    {
        QString name;
        QString appliedAt; ///< RFC 3339 UTC, as recorded
    };
    QList<Applied> applied; ///< recorded in `schema_migrations`, in order
    QStringList pending; ///< carried by this build, not applied yet
    QStringList unknown; ///< applied, but not carried by this build: a newer program migrated the database
};

/// Applies the SQL files compiled in from migrations/: each once, in order, in its own
/// transaction, recorded in `schema_migrations`. The first failure stops and is returned.
///
/// Most files run on both engines. Where the dialects differ (triggers, search indexes) a
/// migration comes as a pair, `NNN_name.sqlite.sql` and `NNN_name.postgres.sql`, recorded under
/// the one name `NNN_name.sql` whichever engine ran it.
///
/// A database that records a migration this build does not carry was migrated by a newer
/// program: it is refused, never migrated or served.
class Migrator
{
public:
    explicit Migrator(Database &database);

    Status migrate();
    /// Applies the pending migrations numbered up to `number` (the digits its file name starts with).
    Status migrateTo(int number);

    /// Reads what is applied without changing anything (a database without the version table
    /// has everything pending).
    Result<MigrationStatus> status();

    /// The number a migration file's name starts with (`007_add_quality_to_calls.sql` → 7).
    static int number(const QString &name);

    /// The migrations the build carries, by the names they are recorded under, in the order
    /// they apply.
    static QStringList available();

    /// Splits a migration file into statements at each `;` outside quoted strings, PostgreSQL's
    /// dollar-quoted bodies and SQLite's trigger bodies (`BEGIN … END`), dropping `--` comments.
    static QStringList statements(const QString &script);

private:
    Status migrateWhile(const std::function<bool(const QString &)> &wanted);
    Result<bool> hasVersionTable();
    Status ensureVersionTable();
    Status apply(const QString &name);
    /// The file to run for migration `name` on this database's engine.
    QString fileFor(const QString &name) const;

    Database &m_database;
};

} // namespace Switchboard
