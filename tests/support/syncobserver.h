#pragma once

#include <QtGlobal>

/// Watches SQLite's durability from inside the test process: an SQLite VFS that wraps the default
/// one, made the default itself, and counts every xSync (the fsync of a commit under
/// synchronous=FULL). It can also make every write fail from a moment on, as a full disk does.
///
/// SQLite's VFS registry is per process and Qt's SQLite driver uses Debian's libsqlite3, so
/// installing this before a connection opens puts every connection of the process under it.
namespace SyncObserver {

/// Makes the counting VFS SQLite's default; idempotent.
void install();
/// xSync calls so far, on every file of every connection.
quint64 syncs();
/// From now on every xWrite and xSync fails with SQLITE_FULL (true) — or works again (false).
void setDiskFull(bool full);

} // namespace SyncObserver
