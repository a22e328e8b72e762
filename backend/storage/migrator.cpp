#include "migrator.h"

#include "core/logging.h"
#include "core/timeformat.h"
#include "database.h"

#include <QDir>
#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
const QString kMigrationsDir = u":/migrations"_s;
// Serialises migration among instances that share one PostgreSQL database.
constexpr qint64 kPostgresMigrationLock = 0x5357424f415244; // "SWBOARD"
} // namespace

Migrator::Migrator(Database &database) : m_database(database) {}

QStringList Migrator::available()
{
    QStringList names = QDir(kMigrationsDir).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
    return names;
}

QStringList Migrator::statements(const QString &script)
{
    QStringList lines;
    bool inString = false; // "--" inside a quoted string is text, not a comment
    for (const QString &line : script.split(u'\n')) {
        qsizetype comment = -1;
        for (qsizetype i = 0; i < line.size() && comment < 0; ++i) {
            if (line.at(i) == u'\'')
                inString = !inString;
            else if (!inString && line.at(i) == u'-' && i + 1 < line.size() && line.at(i + 1) == u'-')
                comment = i;
        }
        if (comment < 0) {
            lines.append(line);
            continue;
        }
        // A comment after code is cut off, so that a ';' in it splits nothing; a line that is
        // only a comment goes entirely.
        QString code = line.first(comment);
        while (!code.isEmpty() && code.back().isSpace())
            code.chop(1);
        if (!code.trimmed().isEmpty())
            lines.append(code);
    }
    QStringList result;
    for (const QString &statement : lines.join(u'\n').split(u';')) {
        const QString trimmed = statement.trimmed();
        if (!trimmed.isEmpty())
            result.append(trimmed);
    }
    return result;
}

int Migrator::number(const QString &name)
{
    qsizetype digits = 0;
    while (digits < name.size() && name.at(digits).isDigit())
        ++digits;
    return name.first(digits).toInt();
}

Result<bool> Migrator::hasVersionTable()
{
    const QString sql = m_database.engine() == DatabaseUrl::Engine::Postgres
        ? u"SELECT table_name FROM information_schema.tables "
          "WHERE table_name = 'schema_migrations' AND table_schema = current_schema()"_s
        : u"SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"_s;
    Result<QList<QSqlRecord>> rows = m_database.select(sql);
    if (!rows)
        return rows.error();
    return !rows->isEmpty();
}

Result<MigrationStatus> Migrator::status()
{
    MigrationStatus status;
    Result<bool> tracked = hasVersionTable();
    if (!tracked)
        return tracked.error();
    if (tracked.value()) {
        Result<QList<QSqlRecord>> rows =
            m_database.select(u"SELECT version, applied_at FROM schema_migrations ORDER BY version"_s);
        if (!rows)
            return rows.error();
        for (const QSqlRecord &row : rows.value())
            status.applied.append({row.value(0).toString(), row.value(1).toString()});
    }
    const QStringList carried = available();
    QStringList applied;
    for (const MigrationStatus::Applied &migration : std::as_const(status.applied)) {
        applied.append(migration.name);
        if (!carried.contains(migration.name))
            status.unknown.append(migration.name);
    }
    for (const QString &name : carried) {
        if (!applied.contains(name))
            status.pending.append(name);
    }
    return status;
}

Status Migrator::ensureVersionTable()
{
    return m_database.execRaw(u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version VARCHAR(255) PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)"_s);
}

Status Migrator::migrate()
{
    return migrateWhile([](const QString &) { return true; });
}

Status Migrator::migrateTo(int target)
{
    return migrateWhile([target](const QString &name) { return number(name) <= target; });
}

Status Migrator::migrateWhile(const std::function<bool(const QString &)> &wanted)
{
    const bool postgres = m_database.engine() == DatabaseUrl::Engine::Postgres;
    if (postgres) {
        if (Status locked = m_database.execRaw(u"SELECT pg_advisory_lock(%1)"_s.arg(kPostgresMigrationLock)); !locked)
            return locked;
    }

    Status result = ensureVersionTable();
    if (result) {
        // Under the lock: an instance of a newer version may have migrated a moment ago.
        Result<MigrationStatus> current = status();
        if (!current)
            result = current.error();
        else if (!current->unknown.isEmpty())
            result = Error::storage(
                u"the database is newer than this program: it records migration %1, which this program "
                "does not carry (a newer Switchboard migrated it). Run that version, or restore a backup "
                "taken before the upgrade"_s.arg(current->unknown.join(u", "_s)));
    }
    for (const QString &name : available()) {
        if (!result)
            break;
        if (wanted(name))
            result = apply(name);
    }

    if (postgres)
        m_database.execRaw(u"SELECT pg_advisory_unlock(%1)"_s.arg(kPostgresMigrationLock));
    return result;
}

Status Migrator::apply(const QString &name)
{
    QFile file(kMigrationsDir + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return Error::storage(u"migration %1 cannot be read"_s.arg(name));
    const QStringList script = statements(QString::fromUtf8(file.readAll()));

    bool applied = false;
    Status status = m_database.write([&]() -> Status {
        Result<QList<QSqlRecord>> existing =
            m_database.select(u"SELECT version FROM schema_migrations WHERE version = ?"_s, {name});
        if (!existing)
            return existing.error();
        if (!existing->isEmpty())
            return Done{};
        for (const QString &statement : script) {
            if (Status done = m_database.execRaw(statement); !done)
                return Error::storage(u"migration %1 failed: %2"_s.arg(name, done.error().message));
        }
        Result<int> recorded = m_database.modify(
            u"INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"_s,
            {name, formatUtc(QDateTime::currentDateTimeUtc())});
        if (!recorded)
            return recorded.error();
        applied = true;
        return Done{};
    });
    if (status && applied)
        qCInfo(lcStorage) << "applied migration" << name;
    return status;
}

} // namespace Switchboard
