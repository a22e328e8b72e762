#pragma once

#include "domain/result.h"

#include <QStringList>

namespace Switchboard {

class Database;

/// Applies the SQL files compiled in from migrations/: each once, in order, in its own
/// transaction, recorded in `schema_migrations`. The first failure stops and is returned.
class Migrator
{
public:
    explicit Migrator(Database &database);

    Status migrate();

    /// The migration files the build carries, in the order they apply.
    static QStringList available();

    /// Splits a migration file into statements (one per `;`), dropping `--` comments (whole lines
    /// and the ends of lines; not inside quoted strings).
    static QStringList statements(const QString &script);

private:
    Status ensureVersionTable();
    Status apply(const QString &name);

    Database &m_database;
};

} // namespace Switchboard
