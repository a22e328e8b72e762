#include "sqlidempotencyrepository.h"

#include "core/timeformat.h"
#include "database.h"

#include <QSqlRecord>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

Status done(const Result<int> &result)
{
    if (!result)
        return result.error();
    return Done{};
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

SqlIdempotencyRepository::SqlIdempotencyRepository(Database &database) : m_database(database) {}

Result<bool> SqlIdempotencyRepository::claim(const IdempotencyRecord &record, const QDateTime &expiredBefore,
                                             const QDateTime &abandonedBefore)
{
    // One statement, so that two instances racing for a key cannot both claim it: the primary
    // key decides, and only a stale row is taken over.
    Result<int> claimed = m_database.modify(
        u"INSERT INTO idempotency_keys (user_id, idem_key, phone_number, call_id, call_status, error_message, "
        "created_at) VALUES (?, ?, ?, NULL, NULL, NULL, ?) "
        "ON CONFLICT (user_id, idem_key) DO UPDATE SET phone_number = excluded.phone_number, call_id = NULL, "
        "call_status = NULL, error_message = NULL, created_at = excluded.created_at "
        "WHERE idempotency_keys.created_at < ? OR (idempotency_keys.call_id IS NULL "
        "AND idempotency_keys.error_message IS NULL AND idempotency_keys.created_at < ?)"_s,
        {record.userId, record.key, record.phoneNumber, formatUtc(record.createdAt), formatUtc(expiredBefore),
         formatUtc(abandonedBefore)});
    if (!claimed)
        return claimed.error();
    return claimed.value() > 0;
}

Result<std::optional<IdempotencyRecord>> SqlIdempotencyRepository::find(const QString &userId, const QString &key)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT phone_number, call_id, call_status, error_message, created_at FROM idempotency_keys "
        "WHERE user_id = ? AND idem_key = ?"_s,
        {userId, key});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<IdempotencyRecord>();
    const QSqlRecord &row = rows->first();
    return std::optional<IdempotencyRecord>(IdempotencyRecord{userId, key, row.value(0).toString(),
                                                              row.value(1).toString(), row.value(2).toString(),
                                                              row.value(3).toString(), parseUtc(row.value(4).toString())});
}

Status SqlIdempotencyRepository::complete(const IdempotencyRecord &record)
{
    return done(m_database.modify(
        u"UPDATE idempotency_keys SET call_id = ?, call_status = ?, error_message = ? WHERE user_id = ? AND idem_key = ?"_s,
        {nullable(record.callId), nullable(record.callStatus), nullable(record.errorMessage), record.userId, record.key}));
}

Status SqlIdempotencyRepository::release(const QString &userId, const QString &key)
{
    return done(m_database.modify(u"DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? "
                                  "AND call_id IS NULL AND error_message IS NULL"_s,
                                  {userId, key}));
}

Status SqlIdempotencyRepository::purgeBefore(const QDateTime &createdBefore)
{
    return done(m_database.modify(u"DELETE FROM idempotency_keys WHERE created_at < ?"_s, {formatUtc(createdBefore)}));
}

} // namespace Switchboard
