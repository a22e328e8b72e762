#include "sqlrevokedtokenrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
Status done(const Result<int> &result)
{
    if (!result)
        return result.error();
    return Done{};
}
} // namespace

SqlRevokedTokenRepository::SqlRevokedTokenRepository(Database &database) : m_database(database) {}

Status SqlRevokedTokenRepository::revoke(const QString &jti, const QDateTime &expiresAt)
{
    // Revoking twice is not an error: the second logout of a token changes nothing.
    return done(m_database.modify(
        u"INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING"_s,
        {jti, formatUtc(expiresAt)}));
}

Result<bool> SqlRevokedTokenRepository::isRevoked(const QString &jti)
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT 1 FROM revoked_tokens WHERE jti = ?"_s, {jti});
    if (!rows)
        return rows.error();
    return !rows->isEmpty();
}

Status SqlRevokedTokenRepository::purgeExpired(const QDateTime &now)
{
    return done(m_database.modify(u"DELETE FROM revoked_tokens WHERE expires_at < ?"_s, {formatUtc(now)}));
}

SqlRateLimitRepository::SqlRateLimitRepository(Database &database) : m_database(database) {}

Result<int> SqlRateLimitRepository::hit(const QString &bucket, const QDateTime &windowStart)
{
    const QString window = formatUtc(windowStart);
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"INSERT INTO rate_limits (bucket, window_start, attempts) VALUES (?, ?, 1) "
        "ON CONFLICT (bucket, window_start) DO UPDATE SET attempts = rate_limits.attempts + 1 "
        "RETURNING attempts"_s,
        {bucket, window});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::storage(u"rate limit counter returned no row"_s);
    return rows->first().value(0).toInt();
}

Status SqlRateLimitRepository::purgeBefore(const QDateTime &windowStart)
{
    return done(m_database.modify(u"DELETE FROM rate_limits WHERE window_start < ?"_s, {formatUtc(windowStart)}));
}

} // namespace Switchboard
