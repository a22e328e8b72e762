#pragma once

#include "domain/repositories.h"

namespace Switchboard {

class Database;

class SqlRevokedTokenRepository final : public RevokedTokenRepository
{
public:
    explicit SqlRevokedTokenRepository(Database &database);

    Status revoke(const QString &jti, const QDateTime &expiresAt) override;
    Result<bool> isRevoked(const QString &jti) override;
    Status purgeExpired(const QDateTime &now) override;

private:
    Database &m_database;
};

class SqlRateLimitRepository final : public RateLimitRepository
{
public:
    explicit SqlRateLimitRepository(Database &database);

    Result<int> hit(const QString &bucket, const QDateTime &windowStart) override;
    Status purgeBefore(const QDateTime &windowStart) override;

private:
    Database &m_database;
};

} // namespace Switchboard
