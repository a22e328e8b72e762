#include "migrator.h"

#include "core/logging.h"
#include "core/timeformat.h"
#include "database.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

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
    static const QRegularExpression engineSuffix(u"\\.(sqlite|postgres)\\.sql$"_s);
    QStringList names;
    for (QString file : QDir(kMigrationsDir).entryList({u"*.sql"_s}, QDir::Files, QDir::Name)) {
        file.replace(engineSuffix, u".sql"_s);
        if (names.isEmpty() || names.constLast() != file)
            names.append(file);
    }
    return names;
}

QString Migrator::fileFor(const QString &name) const
{
    const QString engine = m_database.engine() == DatabaseUrl::Engine::Sqlite ? u"sqlite"_s : u"postgres"_s;
    const QString specific = kMigrationsDir + u'/' + name.chopped(4) + u'.' + engine + u".sql"_s;
    return QFile::exists(specific) ? specific : kMigrationsDir + u'/' + name;
}

namespace {

bool isWordBoundary(const QString &text, qsizetype at)
{
    return at < 0 || at >= text.size() || !(text.at(at).isLetterOrNumber() || text.at(at) == u'_');
}

/// True when the keyword `word` stands at `at` in `text` as a word of its own.
bool keywordAt(const QString &text, qsizetype at, QStringView word)
{
    return text.mid(at, word.size()).compare(word, Qt::CaseInsensitive) == 0 && isWordBoundary(text, at - 1)
        && isWordBoundary(text, at + word.size());
}

/// The script without its `--` comments: a line that is only a comment goes entirely, a comment
/// after code is cut off (so that a `;` in it splits nothing); `--` inside a quoted string stays.
QString withoutComments(const QString &script)
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
    return lines.join(u'\n');
}

} // namespace

QStringList Migrator::statements(const QString &script)
{
    static const QRegularExpression createTrigger(u"^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"_s,
                                                  QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression dollarTag(u"\\$[A-Za-z_]*\\$"_s);
    const QString code = withoutComments(script);
    QStringList result;
    QString current;
    bool quoted = false; // inside '…'
    QString dollarQuote; // inside $tag$…$tag$ (PostgreSQL function bodies): the tag
    bool triggerBody = false; // between a trigger's BEGIN and END (SQLite)
    int openCases = 0; // CASE … END inside a trigger body: its END is not the body's
    for (qsizetype i = 0; i < code.size(); ++i) {
        if (!dollarQuote.isEmpty()) {
            if (QStringView(code).sliced(i).startsWith(dollarQuote)) {
                current += dollarQuote;
                i += dollarQuote.size() - 1;
                dollarQuote.clear();
            } else {
                current += code.at(i);
            }
            continue;
        }
        const QChar c = code.at(i);
        if (c == u'\'')
            quoted = !quoted;
        if (!quoted && c == u'$') {
            const QRegularExpressionMatch tag =
                dollarTag.match(code, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (tag.hasMatch()) {
                dollarQuote = tag.captured();
                current += dollarQuote;
                i += dollarQuote.size() - 1;
                continue;
            }
        }
        if (!quoted && !triggerBody && keywordAt(code, i, u"BEGIN") && createTrigger.match(current).hasMatch())
            triggerBody = true;
        else if (!quoted && triggerBody && keywordAt(code, i, u"CASE"))
            ++openCases;
        else if (!quoted && triggerBody && keywordAt(code, i, u"END"))
            openCases > 0 ? --openCases : triggerBody = false;
        if (c == u';' && !quoted && !triggerBody) {
            if (const QString statement = current.trimmed(); !statement.isEmpty())
                result.append(statement);
            current.clear();
        } else {
            current += c;
        }
    }
    if (const QString statement = current.trimmed(); !statement.isEmpty())
        result.append(statement);
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
    QFile file(fileFor(name));
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
