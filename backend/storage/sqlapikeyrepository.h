#pragma once

#include "domain/repositories.h"

class QSqlRecord;

namespace Switchboard {

class Database;

class SqlApiKeyRepository final : public ApiKeyRepository
{
public:
    explicit SqlApiKeyRepository(Database &database);

    Status create(const ApiKey &key) override;
    Result<QList<ApiKey>> listForUser(const QString &userId) override;
    Result<std::optional<ApiKey>> findBySecretHash(const QByteArray &secretHash) override;
    Result<bool> remove(const QString &userId, const QString &keyId) override;
    Status markUsed(const QString &keyId, const QDateTime &at) override;

private:
    static ApiKey fromRow(const QSqlRecord &row);

    Database &m_database;
};

} // namespace Switchboard
