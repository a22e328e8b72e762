#pragma once

#include "domain/result.h"

#include <QStringList>

namespace Switchboard {

class Database;

/// Applies the SQL files compiled in from migrations/: each once, in order, in its own
/// transaction, recorded in `schema_migrations`. The first failure stops and is returned.
///
/// Most files run on both engines. Where the dialects differ (triggers, search indexes) a
/// migration comes as a pair, `NNN_name.sqlite.sql` and `NNN_name.postgres.sql`, recorded under
/// the one name `NNN_name.sql` whichever engine ran it.
class Migrator
{
public:
    explicit Migrator(Database &database);

    Status migrate();

    /// The migrations the build carries, by the names they are recorded under, in the order
    /// they apply.
    static QStringList available();

    /// Splits a migration file into statements at each `;` outside quoted strings, PostgreSQL's
    /// dollar-quoted bodies and SQLite's trigger bodies (`BEGIN … END`), dropping `--` comments.
    static QStringList statements(const QString &script);

private:
    Status ensureVersionTable();
    Status apply(const QString &name);
    /// The file to run for migration `name` on this database's engine.
    QString fileFor(const QString &name) const;

    Database &m_database;
};

} // namespace Switchboard
