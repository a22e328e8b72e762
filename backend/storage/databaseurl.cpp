#include "databaseurl.h"

#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error::validation(u"DATABASE_URL is empty"_s);

    DatabaseUrl result;
    if (trimmed.startsWith(u"postgres://"_s) || trimmed.startsWith(u"postgresql://"_s)) {
        const QUrl url(trimmed, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return Error::validation(u"DATABASE_URL is not a valid postgres:// URL"_s);
        result.engine = Engine::Postgres;
        result.host = url.host();
        result.port = url.port(5432);
        result.databaseName = url.path().mid(1);
        result.user = url.userName();
        result.password = url.password();
        if (result.databaseName.isEmpty())
            return Error::validation(u"DATABASE_URL names no database (postgres://user:pass@host:port/db)"_s);
        return result;
    }

    if (trimmed.startsWith(u"sqlite://"_s))
        result.sqlitePath = trimmed.mid(int(u"sqlite://"_s.size()));
    else if (trimmed.contains(u"://"_s))
        return Error::validation(u"DATABASE_URL scheme is not supported: use a file path, sqlite:// or postgres://"_s);
    else
        result.sqlitePath = trimmed;

    if (result.sqlitePath.isEmpty())
        return Error::validation(u"DATABASE_URL names no SQLite file"_s);
    result.engine = Engine::Sqlite;
    return result;
}

QString DatabaseUrl::redacted() const
{
    if (engine == Engine::Sqlite)
        return u"sqlite://"_s + sqlitePath;
    return u"postgres://%1@%2:%3/%4"_s.arg(user, host).arg(port).arg(databaseName);
}

} // namespace Switchboard
