#pragma once

#include "domain/repositories.h"

#include <QSqlRecord>

namespace Switchboard {

class Database;

class SqlUserRepository final : public UserRepository
{
public:
    explicit SqlUserRepository(Database &database);

    Status create(const User &user) override;
    Result<std::optional<User>> findByEmail(const QString &email) override;
    Result<std::optional<User>> findById(const QString &id) override;

    Result<QList<User>> list() override;
    Result<bool> update(const User &user) override;
    Result<bool> promoteIfOnlyUser(const QString &id) override;
    Result<int> countActiveAdmins() override;
    /// Replaces the password hash; false when there is no such user.
    Result<bool> setPasswordHash(const QString &id, const QByteArray &passwordHash);

private:
    static User fromRow(const QSqlRecord &row);
    Result<std::optional<User>> findOne(const QString &column, const QString &value);

    Database &m_database;
};

} // namespace Switchboard
