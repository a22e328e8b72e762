#include "sqluserrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
const QString kColumns = u"id, email, password_hash, created_at, role, disabled, tokens_valid_after"_s;
} // namespace

SqlUserRepository::SqlUserRepository(Database &database) : m_database(database) {}

Status SqlUserRepository::create(const User &user)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO users (id, email, password_hash, created_at, role, disabled) VALUES (?, ?, ?, ?, ?, ?)"_s,
        {user.id, user.email, QString::fromLatin1(user.passwordHash), formatUtc(user.createdAt), roleName(user.role),
         user.disabled ? 1 : 0});
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
    Result<QList<QSqlRecord>> rows = m_database.select(u"SELECT %1 FROM users ORDER BY created_at, email"_s.arg(kColumns));
    if (!rows)
        return rows.error();
    QList<User> users;
    for (const QSqlRecord &row : rows.value())
        users.append(fromRow(row));
    return users;
}

Result<bool> SqlUserRepository::update(const User &user)
{
    Result<int> changed = m_database.modify(
        u"UPDATE users SET role = ?, disabled = ?, tokens_valid_after = ?, password_hash = ? WHERE id = ?"_s,
        {roleName(user.role), user.disabled ? 1 : 0,
         user.tokensValidAfter.isValid() ? QVariant(formatUtc(user.tokensValidAfter)) : QVariant(QMetaType::fromType<QString>()),
         QString::fromLatin1(user.passwordHash), user.id});
    if (!changed)
        return changed.error();
    return changed.value() == 1;
}

Result<bool> SqlUserRepository::promoteIfOnlyUser(const QString &id)
{
    Result<int> changed = m_database.modify(
        u"UPDATE users SET role = 'admin' WHERE id = ? AND (SELECT COUNT(*) FROM users) = 1"_s, {id});
    if (!changed)
        return changed.error();
    return changed.value() == 1;
}

Result<int> SqlUserRepository::countActiveAdmins()
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"_s);
    if (!rows)
        return rows.error();
    return rows->isEmpty() ? 0 : rows->first().value(0).toInt();
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
    const QString validAfter = row.value(6).toString();
    return User{
        row.value(0).toString(),
        row.value(1).toString(),
        row.value(2).toString().toLatin1(),
        parseUtc(row.value(3).toString()),
        roleFromName(row.value(4).toString()).value_or(Role::Operator),
        row.value(5).toInt() != 0,
        validAfter.isEmpty() ? QDateTime() : parseUtc(validAfter),
    };
}

Result<std::optional<User>> SqlUserRepository::findOne(const QString &column, const QString &value)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM users WHERE %2 = ?"_s.arg(kColumns, column), {value});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<User>();
    return std::optional<User>(fromRow(rows->first()));
}

} // namespace Switchboard
