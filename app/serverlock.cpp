#include "serverlock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

struct flock wholeFile(short type)
{
    struct flock lock = {};
    lock.l_type = type;
    lock.l_whence = SEEK_SET; // l_start 0, l_len 0: the whole file
    return lock;
}

/// Who holds a lock that conflicts with `type` (0 when no one does or it cannot be told).
pid_t conflictingHolder(int descriptor, short type)
{
    struct flock probe = wholeFile(type);
    if (::fcntl(descriptor, F_GETLK, &probe) != 0 || probe.l_type == F_UNLCK)
        return 0;
    return probe.l_pid;
}

} // namespace

QString ServerLock::lockPath(const DatabaseUrl &database)
{
    return database.sqlitePath + u".lock"_s;
}

Result<std::unique_ptr<ServerLock>> ServerLock::take(const DatabaseUrl &database, Kind kind)
{
    if (database.engine != DatabaseUrl::Engine::Sqlite)
        return std::unique_ptr<ServerLock>(new ServerLock(-1));

    const QString path = lockPath(database);
    // The same words as the database's own refusal: the lock is taken first.
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error::storage(u"cannot create the folder of %1"_s.arg(database.sqlitePath));
    const int descriptor = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (descriptor < 0)
        return Error::storage(u"cannot open the lock file %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));

    const short type = kind == Kind::Serving ? F_RDLCK : F_WRLCK;
    struct flock lock = wholeFile(type);
    if (::fcntl(descriptor, F_SETLK, &lock) == 0)
        return std::unique_ptr<ServerLock>(new ServerLock(descriptor));

    const pid_t holder = conflictingHolder(descriptor, type);
    ::close(descriptor);
    const QString who = holder > 0 ? u" (process %1)"_s.arg(holder) : QString();
    if (kind == Kind::Serving) {
        return Error::storage(u"%1 is being restored or migrated by an administrator's command%2: wait for it to finish"_s
                                  .arg(database.sqlitePath, who));
    }
    return Error::storage(
        u"a Switchboard server is running on %1%2: stop it first (systemctl stop switchboard)"_s.arg(database.sqlitePath, who));
}

qint64 ServerLock::servingProcess(const DatabaseUrl &database)
{
    if (database.engine != DatabaseUrl::Engine::Sqlite)
        return 0;
    const int descriptor = ::open(QFile::encodeName(lockPath(database)).constData(), O_RDWR | O_CLOEXEC);
    if (descriptor < 0)
        return 0; // no server ever ran here
    const pid_t holder = conflictingHolder(descriptor, F_WRLCK);
    ::close(descriptor);
    return holder;
}

ServerLock::~ServerLock()
{
    if (m_descriptor >= 0)
        ::close(m_descriptor); // releases the lock
}
