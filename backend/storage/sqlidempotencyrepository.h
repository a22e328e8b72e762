#pragma once

#include "domain/repositories.h"

namespace Switchboard {

class Database;

class SqlIdempotencyRepository final : public IdempotencyRepository
{
public:
    explicit SqlIdempotencyRepository(Database &database);

    Result<bool> claim(const IdempotencyRecord &record, const QDateTime &expiredBefore,
                       const QDateTime &abandonedBefore) override;
    Result<std::optional<IdempotencyRecord>> find(const QString &userId, const QString &key) override;
    Status complete(const IdempotencyRecord &record) override;
    Status release(const QString &userId, const QString &key) override;
    Status purgeBefore(const QDateTime &createdBefore) override;

private:
    Database &m_database;
};

} // namespace Switchboard
