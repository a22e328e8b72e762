#pragma once

#include "runtime/config.h"
#include "storage/database.h"

#include <QTextStream>

#include <memory>
#include <optional>

/// What every administrator's command needs: output, the configuration, the database.
namespace Admin {

QTextStream &out();

/// Prints `switchboard <command>: <message>` on stderr and returns `exitStatus`.
int fail(const QString &command, const QString &message, int exitStatus);

/// The configuration, as the server would read it; prints why not (exit status Usage).
std::optional<Switchboard::Config> loadConfig(const QString &command, const QProcessEnvironment &environment);

enum class Open {
    Existing, ///< the database must exist already; nothing is created or migrated
    Create, ///< created if missing, not migrated
    Migrated, ///< created and migrated as a server start would (the first admin before the first start)
};

/// Why root should not work on this SQLite file of another user (files SQLite creates beside it,
/// its journal, would be root's and lock the service out); empty when nothing stands against it.
QString foreignOwner(const Switchboard::DatabaseUrl &url);

/// True (after printing foreignOwner()'s text) when it is not empty.
bool refuseForeignOwner(const QString &command, const Switchboard::DatabaseUrl &url);

/// Opens the configured database; prints why not (refuseForeignOwner() included).
std::unique_ptr<Switchboard::Database> openDatabase(const QString &command, const Switchboard::Config &config,
                                                    Open open);

/// An SQLite file opened on its own (a backup, a copy being restored), migrated or not.
std::unique_ptr<Switchboard::Database> openSqliteFile(const QString &command, const QString &path);

/// "schema 007, 3 users, 12 calls": what a Switchboard database holds; empty when it is not one.
QString describeContents(Switchboard::Database &database);

} // namespace Admin
