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

Status Migrator::ensureVersionTable()
{
    return m_database.execRaw(u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version VARCHAR(255) PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)"_s);
}

Status Migrator::migrate()
{
    const bool postgres = m_database.engine() == DatabaseUrl::Engine::Postgres;
    if (postgres) {
        if (Status locked = m_database.execRaw(u"SELECT pg_advisory_lock(%1)"_s.arg(kPostgresMigrationLock)); !locked)
            return locked;
    }

    Status result = ensureVersionTable();
    for (const QString &name : available()) {
        if (!result)
            break;
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
