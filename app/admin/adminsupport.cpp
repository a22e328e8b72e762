#include "adminsupport.h"

#include "admincommands.h"
#include "storage/migrator.h"

#include <QFileInfo>
#include <QUuid>

#include <cstdio>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int fail(const QString &command, const QString &message, int exitStatus)
{
    out().flush();
    std::fprintf(stderr, "switchboard %s: %s\n", qPrintable(command), qPrintable(message));
    return exitStatus;
}

std::optional<Config> loadConfig(const QString &command, const QProcessEnvironment &environment)
{
    Result<Config> config = Config::fromEnvironment(environment);
    if (!config) {
        fail(command, u"configuration error: "_s + config.error().message, Usage);
        return std::nullopt;
    }
    return config.value();
}

QString foreignOwner(const DatabaseUrl &url)
{
    if (url.engine != DatabaseUrl::Engine::Sqlite || ::geteuid() != 0)
        return {};
    const QFileInfo file(url.sqlitePath);
    const QFileInfo owner = file.exists() ? file : QFileInfo(file.absolutePath());
    if (!owner.exists() || owner.ownerId() == 0)
        return {};
    return u"%1 belongs to user %2: run the command as that user (sudo -u %2 switchboard …), not as root"_s.arg(
        owner.filePath(), owner.owner().isEmpty() ? QString::number(owner.ownerId()) : owner.owner());
}

bool refuseForeignOwner(const QString &command, const DatabaseUrl &url)
{
    const QString mismatch = foreignOwner(url);
    if (!mismatch.isEmpty())
        fail(command, mismatch, Failure);
    return !mismatch.isEmpty();
}

std::unique_ptr<Database> openDatabase(const QString &command, const Config &config, Open open)
{
    const DatabaseUrl &url = config.database;
    if (refuseForeignOwner(command, url))
        return nullptr;
    if (open == Open::Existing && url.engine == DatabaseUrl::Engine::Sqlite && !QFileInfo::exists(url.sqlitePath)) {
        fail(command, u"there is no database at %1 (a server creates it at its first start)"_s.arg(url.sqlitePath),
             Failure);
        return nullptr;
    }
    Result<std::unique_ptr<Database>> opened =
        Database::open(url, u"admin-"_s + QUuid::createUuid().toString(QUuid::Id128));
    if (!opened) {
        fail(command, u"cannot open %1: %2"_s.arg(url.redacted(), opened.error().message), Failure);
        return nullptr;
    }
    if (open == Open::Migrated) {
        if (Status migrated = Migrator(*opened.value()).migrate(); !migrated) {
            fail(command, migrated.error().message, Failure);
            return nullptr;
        }
    }
    return std::move(opened).value();
}

std::unique_ptr<Database> openSqliteFile(const QString &command, const QString &path)
{
    Result<DatabaseUrl> url = DatabaseUrl::parse(path);
    if (!url)
        return nullptr;
    Result<std::unique_ptr<Database>> opened =
        Database::open(url.value(), u"admin-"_s + QUuid::createUuid().toString(QUuid::Id128));
    if (!opened) {
        fail(command, u"cannot open %1: %2"_s.arg(path, opened.error().message), Failure);
        return nullptr;
    }
    return std::move(opened).value();
}

QString describeContents(Database &database)
{
    Result<MigrationStatus> status = Migrator(database).status();
    if (!status || status->applied.isEmpty())
        return {};
    const QString schema = status->applied.constLast().name.section(u'_', 0, 0);
    Result<QList<QSqlRecord>> counts = database.select(
        u"SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM calls)"_s);
    if (!counts || counts->isEmpty())
        return u"schema %1"_s.arg(schema);
    return u"schema %1, %2 users, %3 calls"_s.arg(schema, counts->first().value(0).toString(),
                                                 counts->first().value(1).toString());
}

} // namespace Admin
