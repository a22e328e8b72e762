// `switchboard restore FILE`: puts a backup in place of the SQLite database. Only with no server
// on it (the server's lock says so), and never losing the database it replaces.

#include "adminsupport.h"
#include "commands.h"
#include "postgresguidance.h"
#include "serverlock.h"

#include "storage/migrator.h"

#include <QDateTime>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

const QString kCommand = u"restore"_s;

/// The copy must be a whole Switchboard database that this program can serve.
QString checkCopy(const QString &path)
{
    const std::unique_ptr<Database> copy = openSqliteFile(kCommand, path);
    if (!copy)
        return u"the backup cannot be opened as an SQLite database"_s;
    Result<QList<QSqlRecord>> check = copy->select(u"PRAGMA integrity_check"_s);
    if (!check || check->isEmpty() || check->first().value(0).toString() != u"ok"_s)
        return u"the backup failed its integrity check"_s;
    Result<MigrationStatus> status = Migrator(*copy).status();
    if (!status || status->applied.isEmpty())
        return u"the backup is not a Switchboard database (it records no migrations)"_s;
    if (!status->unknown.isEmpty())
        return u"the backup is newer than this program (it records %1): restore it with that version"_s.arg(
            status->unknown.join(u", "_s));
    return {};
}

/// Moves the current database aside, its write-ahead log folded in first so the kept file is whole.
Result<QString> keepCurrent(const QString &path)
{
    if (!QFileInfo::exists(path))
        return QString();
    {
        const std::unique_ptr<Database> current = openSqliteFile(kCommand, path);
        if (!current || !current->execRaw(u"PRAGMA wal_checkpoint(TRUNCATE)"_s))
            return Error::storage(u"cannot fold the write-ahead log into %1"_s.arg(path));
    }
    const QString kept = path + u".replaced-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMddThhmmssZ"_s);
    if (!QFile::rename(path, kept))
        return Error::storage(u"cannot move %1 aside to %2"_s.arg(path, kept));
    // What SQLite left beside the old file belongs to it, never to the restored one.
    QFile::remove(path + u"-wal"_s);
    QFile::remove(path + u"-shm"_s);
    return kept;
}

} // namespace

int runRestore(const QStringList &arguments, const QProcessEnvironment &environment)
{
    if (arguments.size() != 1 || arguments.first().startsWith(u'-'))
        return fail(kCommand, u"usage: switchboard restore FILE"_s, Usage);
    const QString backup = QFileInfo(arguments.first()).absoluteFilePath();
    const std::optional<Config> config = loadConfig(kCommand, environment);
    if (!config)
        return Usage;
    if (config->database.engine == DatabaseUrl::Engine::Postgres) {
        const std::unique_ptr<Database> database = openDatabase(kCommand, *config, Open::Existing);
        return database ? fail(kCommand, postgresGuidance(*database, u"pg_restore"_s, backup), Failure) : Failure;
    }
    if (!QFileInfo(backup).isReadable())
        return fail(kCommand, u"cannot read %1"_s.arg(backup), Failure);
    if (refuseForeignOwner(kCommand, config->database))
        return Failure;

    // Held until the end: no server can start on the database while it is being replaced.
    Result<std::unique_ptr<ServerLock>> lock = ServerLock::take(config->database, ServerLock::Kind::Exclusive);
    if (!lock)
        return fail(kCommand, lock.error().message, Failure);

    const QString target = config->database.sqlitePath;
    const QString incoming = target + u".restoring"_s;
    QFile::remove(incoming);
    if (!QFile::copy(backup, incoming) || !QFile::setPermissions(incoming, QFile::ReadOwner | QFile::WriteOwner))
        return fail(kCommand, u"cannot copy %1 to %2"_s.arg(backup, incoming), Failure);
    if (const QString problem = checkCopy(incoming); !problem.isEmpty()) {
        QFile::remove(incoming);
        return fail(kCommand, problem, Failure);
    }
    const Result<QString> kept = keepCurrent(target);
    if (!kept) {
        QFile::remove(incoming);
        return fail(kCommand, kept.error().message, Failure);
    }
    if (!QFile::rename(incoming, target))
        return fail(kCommand, u"cannot move %1 to %2 (the previous database is %3)"_s.arg(incoming, target, kept.value()),
                    Failure);

    const std::unique_ptr<Database> restored = openSqliteFile(kCommand, target);
    out() << "restored " << backup << " to " << target << " (" << (restored ? describeContents(*restored) : QString())
          << "); pending migrations are applied when the server starts\n";
    if (!kept->isEmpty())
        out() << "the replaced database is kept as " << kept.value() << '\n';
    return Success;
}

} // namespace Admin
