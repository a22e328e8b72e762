#pragma once

#include <QString>

namespace Switchboard {

/// Files that hold operators' data (the SQLite database and its WAL, the token secret, backups)
/// are readable by their owner only, in folders only their owner can list.

/// Creates `folder` (and its parents) if missing; a folder made here is 0700. A folder that
/// already exists is left as it is: it may be shared (/tmp, a home directory).
bool makePrivateFolder(const QString &folder);

/// Makes `path` 0600 if it exists and belongs to this user, else creates it empty with 0600 — so
/// that SQLite, which gives its -wal and -shm files the database file's mode, makes those 0600 too.
bool keepPrivate(const QString &path);

} // namespace Switchboard
