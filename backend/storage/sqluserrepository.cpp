#include "sqluserrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

SqlUserRepository::SqlUserRepository(Database &database) : m_database(database) {}

Status SqlUserRepository::create(const User &user)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)"_s,
        {user.id, user.email, QString::fromLatin1(user.passwordHash), formatUtc(user.createdAt)});
    if (!inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::UserAlreadyExists, u"A user with this email already exists"_s};
        return inserted.error();
    }
    return Done{};
}

Result<std::optional<User>> SqlUserRepository::findByEmail(const QString &email)
{
    return findOne(u"email"_s, email);
}

Result<std::optional<User>> SqlUserRepository::findById(const QString &id)
{
    return findOne(u"id"_s, id);
}

Result<QList<User>> SqlUserRepository::list()
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT id, email, password_hash, created_at FROM users ORDER BY created_at, email"_s);
    if (!rows)
        return rows.error();
    QList<User> users;
    for (const QSqlRecord &row : rows.value())
        users.append(fromRow(row));
    return users;
}

Result<bool> SqlUserRepository::setPasswordHash(const QString &id, const QByteArray &passwordHash)
{
    Result<int> changed = m_database.modify(u"UPDATE users SET password_hash = ? WHERE id = ?"_s,
                                            {QString::fromLatin1(passwordHash), id});
    if (!changed)
        return changed.error();
    return changed.value() == 1;
}

User SqlUserRepository::fromRow(const QSqlRecord &row)
{
    return User{
        row.value(0).toString(),
        row.value(1).toString(),
        row.value(2).toString().toLatin1(),
        parseUtc(row.value(3).toString()),
    };
}

Result<std::optional<User>> SqlUserRepository::findOne(const QString &column, const QString &value)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT id, email, password_hash, created_at FROM users WHERE %1 = ?"_s.arg(column), {value});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<User>();
    return std::optional<User>(fromRow(rows->first()));
}

} // namespace Switchboard
