#include "sqlapikeyrepository.h"

#include "core/timeformat.h"
#include "database.h"

#include <QSqlRecord>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
const QString kColumns = u"id, user_id, name, scopes, secret_hash, prefix, created_at, last_used_at"_s;
} // namespace

SqlApiKeyRepository::SqlApiKeyRepository(Database &database) : m_database(database) {}

Status SqlApiKeyRepository::create(const ApiKey &key)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO api_keys (%1) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)"_s.arg(kColumns),
        {key.id, key.userId, key.name, key.scopes.join(u' '), QString::fromLatin1(key.secretHash), key.prefix,
         formatUtc(key.createdAt)});
    if (!inserted)
        return inserted.error();
    return Done{};
}

Result<QList<ApiKey>> SqlApiKeyRepository::listForUser(const QString &userId)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id"_s.arg(kColumns), {userId});
    if (!rows)
        return rows.error();
    QList<ApiKey> keys;
    for (const QSqlRecord &row : rows.value())
        keys.append(fromRow(row));
    return keys;
}

Result<std::optional<ApiKey>> SqlApiKeyRepository::findBySecretHash(const QByteArray &secretHash)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM api_keys WHERE secret_hash = ?"_s.arg(kColumns), {QString::fromLatin1(secretHash)});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<ApiKey>();
    return std::optional<ApiKey>(fromRow(rows->first()));
}

Result<bool> SqlApiKeyRepository::remove(const QString &userId, const QString &keyId)
{
    Result<int> removed = m_database.modify(u"DELETE FROM api_keys WHERE id = ? AND user_id = ?"_s, {keyId, userId});
    if (!removed)
        return removed.error();
    return removed.value() > 0;
}

Status SqlApiKeyRepository::markUsed(const QString &keyId, const QDateTime &at)
{
    Result<int> marked = m_database.modify(u"UPDATE api_keys SET last_used_at = ? WHERE id = ?"_s, {formatUtc(at), keyId});
    if (!marked)
        return marked.error();
    return Done{};
}

ApiKey SqlApiKeyRepository::fromRow(const QSqlRecord &row)
{
    ApiKey key{row.value(0).toString(),
               row.value(1).toString(),
               row.value(2).toString(),
               row.value(3).toString().split(u' ', Qt::SkipEmptyParts),
               row.value(4).toString().toLatin1(),
               row.value(5).toString(),
               parseUtc(row.value(6).toString()),
               std::nullopt};
    if (!row.value(7).isNull())
        key.lastUsedAt = parseUtc(row.value(7).toString());
    return key;
}

} // namespace Switchboard
