#include "postgresguidance.h"

#include <QProcess>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

/// "15.8 (Debian 15.8-0+deb12u1)" → 15; pre-10 numbering (9.6) counts its first two parts.
int majorVersion(const QString &version)
{
    const QRegularExpressionMatch match = QRegularExpression(u"(\\d+)(?:\\.(\\d+))?"_s).match(version);
    if (!match.hasMatch())
        return 0;
    const int first = match.captured(1).toInt();
    return first >= 10 ? first : first * 10 + match.captured(2).toInt();
}

/// The version the local tool prints, or empty when it is not installed.
QString localToolVersion(const QString &tool)
{
    QProcess process;
    process.start(tool, {u"--version"_s});
    if (!process.waitForFinished(10000) || process.exitCode() != 0)
        return {};
    // "pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)"
    return QString::fromUtf8(process.readAllStandardOutput()).section(u") "_s, 1).trimmed();
}

/// The URL without its password: the tools ask for it, or read ~/.pgpass or PGPASSWORD.
QString connectionUrl(const DatabaseUrl &url)
{
    QUrl redacted;
    redacted.setScheme(u"postgresql"_s);
    redacted.setUserName(url.user);
    redacted.setHost(url.host);
    redacted.setPort(url.port);
    redacted.setPath(u'/' + url.databaseName);
    return redacted.toString();
}

} // namespace

QString postgresGuidance(Database &database, const QString &tool, const QString &file)
{
    Result<QList<QSqlRecord>> rows = database.select(u"SELECT current_setting('server_version')"_s);
    const QString serverVersion = rows && !rows->isEmpty() ? rows->first().value(0).toString() : u"unknown"_s;
    const QString localVersion = localToolVersion(tool);
    const int serverMajor = majorVersion(serverVersion);

    QString text = u"PostgreSQL databases are backed up and restored with PostgreSQL's own tools, not by this command.\n"_s;
    text += u"  server:   PostgreSQL %1\n"_s.arg(serverVersion);
    if (localVersion.isEmpty()) {
        text += u"  %1: not installed here (Debian: apt install postgresql-client-%2)\n"_s.arg(tool).arg(serverMajor);
    } else if (majorVersion(localVersion) < serverMajor) {
        text += u"  %1: %2, older than the server: use %1 %3 or newer (apt install postgresql-client-%3)\n"_s
                    .arg(tool, localVersion)
                    .arg(serverMajor);
    } else {
        text += u"  %1: %2 (fits: at least the server's major version, %3)\n"_s.arg(tool, localVersion).arg(serverMajor);
    }
    const QString target = connectionUrl(database.url());
    if (tool == u"pg_dump"_s)
        text += u"  run:      pg_dump --format=custom --file='%1' '%2'"_s.arg(file, target);
    else
        text += u"  run:      pg_restore --clean --if-exists --no-owner --dbname='%2' '%1' (servers stopped)"_s.arg(file, target);
    return text;
}

} // namespace Admin
