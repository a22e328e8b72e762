#include "sqlpolicyrepository.h"

#include "core/timeformat.h"
#include "database.h"

#include <QSqlRecord>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

SqlPolicyRepository::SqlPolicyRepository(Database &database) : m_database(database) {}

Result<CallingPolicy> SqlPolicyRepository::load()
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT allowed_countries, calls_per_operator_per_day, max_call_duration_seconds, max_concurrent_calls, "
        "updated_at, updated_by FROM calling_policy WHERE id = 1"_s);
    if (!rows)
        return rows.error();
    CallingPolicy policy;
    if (rows->isEmpty()) // the migration inserts the row; a hand-edited database may not have it
        return policy;
    const QSqlRecord &row = rows->first();
    policy.allowedCountries = row.value(0).toString().split(u',', Qt::SkipEmptyParts);
    policy.callsPerOperatorPerDay = row.value(1).toInt();
    policy.maxCallDurationSeconds = row.value(2).toInt();
    policy.maxConcurrentCalls = row.value(3).toInt();
    if (!row.isNull(4))
        policy.updatedAt = parseUtc(row.value(4).toString());
    policy.updatedBy = row.value(5).toString();
    return policy;
}

Status SqlPolicyRepository::save(const CallingPolicy &policy)
{
    Result<int> saved = m_database.modify(
        u"UPDATE calling_policy SET allowed_countries = ?, calls_per_operator_per_day = ?, "
        "max_call_duration_seconds = ?, max_concurrent_calls = ?, updated_at = ?, updated_by = ? WHERE id = 1"_s,
        {policy.allowedCountries.isEmpty() ? u""_s : policy.allowedCountries.join(u','), policy.callsPerOperatorPerDay, policy.maxCallDurationSeconds,
         policy.maxConcurrentCalls, policy.updatedAt ? QVariant(formatUtc(*policy.updatedAt)) : QVariant(QMetaType::fromType<QString>()),
         policy.updatedBy});
    if (!saved)
        return saved.error();
    if (saved.value() == 0)
        return Error::storage(u"the calling policy row is missing"_s);
    return Done{};
}

} // namespace Switchboard
