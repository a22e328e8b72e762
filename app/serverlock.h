#pragma once

#include "domain/result.h"
#include "storage/databaseurl.h"

#include <QString>

#include <memory>

/// Tells a running server and the administrator's tools apart on one SQLite database: a server
/// holds a shared lock on `<database>.lock` for as long as it runs; `restore` and `migrate --to`
/// take it exclusively. The kernel drops the lock when the process ends however it ends, so a
/// crashed server leaves nothing stale behind. A PostgreSQL database needs no such lock here
/// (restore is pg_restore's; migrations take PostgreSQL's own advisory lock): taking one there
/// always succeeds and holds nothing.
///
/// POSIX record locks (fcntl) rather than flock: F_GETLK names the holding process for the
/// message. They belong to the process, and closing any descriptor of the lock file in it would
/// drop them: only this class opens that file.
class ServerLock
{
public:
    enum class Kind {
        Serving, ///< shared: any number of servers
        Exclusive, ///< no server may run meanwhile
    };

    ~ServerLock();
    ServerLock(const ServerLock &) = delete;
    ServerLock &operator=(const ServerLock &) = delete;

    /// Fails (without waiting) when a holder of the other kind has it; the message says who.
    static Switchboard::Result<std::unique_ptr<ServerLock>> take(const Switchboard::DatabaseUrl &database, Kind kind);

    /// The process of a server running on `database`, or 0; takes no lock (so it never stands in
    /// the way of a server starting meanwhile).
    static qint64 servingProcess(const Switchboard::DatabaseUrl &database);

    /// The lock file of an SQLite database.
    static QString lockPath(const Switchboard::DatabaseUrl &database);

private:
    explicit ServerLock(int descriptor) : m_descriptor(descriptor) {}

    int m_descriptor = -1;
};
