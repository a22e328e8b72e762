// `switchboard backup FILE`: a consistent copy of the SQLite database while the server may be
// running (VACUUM INTO reads one snapshot, as any reader does beside the server's writes);
// PostgreSQL is pg_dump's.

#include "adminsupport.h"
#include "commands.h"
#include "postgresguidance.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

const QString kCommand = u"backup"_s;

/// An empty file only the owner may read (the backup holds password hashes): VACUUM INTO
/// accepts an empty file and keeps its mode.
bool createPrivateFile(const QString &path)
{
    const int descriptor = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (descriptor < 0)
        return false;
    ::close(descriptor);
    return true;
}

/// Flushes a file, and the folder entry naming it, to the disk.
void syncToDisk(const QString &path)
{
    for (const QString &name : {path, QFileInfo(path).absolutePath()}) {
        const int descriptor = ::open(QFile::encodeName(name).constData(), O_RDONLY | O_CLOEXEC);
        if (descriptor >= 0) {
            ::fsync(descriptor);
            ::close(descriptor);
        }
    }
}

QString sqlString(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"''"_s) + u'\'';
}

/// Writes the snapshot to `partial`, then checks it opens whole; returns what it holds.
Result<QString> writeSnapshot(Database &database, const QString &partial)
{
    if (!createPrivateFile(partial))
        return Error::storage(u"cannot create %1: %2"_s.arg(partial, QString::fromLocal8Bit(std::strerror(errno))));
    if (Status copied = database.execRaw(u"VACUUM INTO "_s + sqlString(partial)); !copied)
        return copied.error();
    const std::unique_ptr<Database> copy = openSqliteFile(kCommand, partial);
    if (!copy)
        return Error::storage(u"the copy cannot be opened"_s);
    Result<QList<QSqlRecord>> check = copy->select(u"PRAGMA integrity_check"_s);
    if (!check || check->isEmpty() || check->first().value(0).toString() != u"ok"_s)
        return Error::storage(u"the copy failed its integrity check"_s);
    return describeContents(*copy);
}

} // namespace

int runBackup(const QStringList &arguments, const QProcessEnvironment &environment)
{
    if (arguments.size() != 1 || arguments.first().startsWith(u'-'))
        return fail(kCommand, u"usage: switchboard backup FILE"_s, Usage);
    const QString file = QFileInfo(arguments.first()).absoluteFilePath();
    const std::optional<Config> config = loadConfig(kCommand, environment);
    if (!config)
        return Usage;
    const std::unique_ptr<Database> database = openDatabase(kCommand, *config, Open::Existing);
    if (!database)
        return Failure;
    if (database->engine() == DatabaseUrl::Engine::Postgres)
        return fail(kCommand, postgresGuidance(*database, u"pg_dump"_s, file), Failure);
    if (QFileInfo::exists(file))
        return fail(kCommand, u"%1 exists already: choose a new name"_s.arg(file), Failure);

    // Written beside its final name and renamed when whole, so FILE is never a partial copy.
    const QString partial = file + u".partial"_s;
    const Result<QString> contents = writeSnapshot(*database, partial);
    if (!contents) {
        QFile::remove(partial);
        return fail(kCommand, contents.error().message, Failure);
    }
    syncToDisk(partial);
    if (!QFile::rename(partial, file)) {
        QFile::remove(partial);
        return fail(kCommand, u"cannot rename %1 to %2"_s.arg(partial, file), Failure);
    }
    syncToDisk(file);
    out() << "backup of " << config->database.sqlitePath << " written to " << file << " (" << contents.value() << ")\n";
    return Success;
}

} // namespace Admin
