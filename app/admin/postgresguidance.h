#pragma once

#include "storage/database.h"

namespace Admin {

/// What backing up or restoring a PostgreSQL database takes: the server's version, the local
/// pg_dump's (which must be at least the server's major version), and the command to run.
/// `tool` is pg_dump or pg_restore; `file` the backup's name.
QString postgresGuidance(Switchboard::Database &database, const QString &tool, const QString &file);

} // namespace Admin
