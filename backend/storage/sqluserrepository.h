#pragma once

#include "domain/repositories.h"

namespace Switchboard {

class Database;

class SqlUserRepository final : public UserRepository
{
public:
    explicit SqlUserRepository(Database &database);

    Status create(const User &user) override;
    Result<std::optional<User>> findByEmail(const QString &email) override;
    Result<std::optional<User>> findById(const QString &id) override;

private:
    Result<std::optional<User>> findOne(const QString &column, const QString &value);

    Database &m_database;
};

} // namespace Switchboard
