#pragma once

#include "domain/repositories.h"

#include <QSqlRecord>
#include <QVariantList>

namespace Switchboard {

class Database;

class SqlCallRepository final : public CallRepository
{
public:
    explicit SqlCallRepository(Database &database);

    Status create(const Call &call) override;
    Result<bool> update(const Call &call, CallStatus expected) override;
    Result<std::optional<Call>> findById(const QString &id) override;
    Result<std::optional<Call>> findBySessionId(const QString &sessionId) override;
    Result<HistoryPage> history(const HistoryQuery &query) override;
    Result<bool> annotate(const QString &callId, const CallAnnotation &annotation) override;
    Result<QList<Call>> orphans(const QString &instanceId, const QDateTime &staleBefore) override;
    Status heartbeat(const QString &instanceId, const QDateTime &now) override;
    Result<CallStatistics> statistics() override;
    Result<QList<CallHourCount>> countsByHour(const CallHoursQuery &query) override;
    Result<CallLoad> load(const QString &userId, const QDateTime &since) override;

    /// A call from a row that starts with the calls table's columns (callColumns()), optionally
    /// followed by the contact's name.
    static Call fromRecord(const QSqlRecord &row);
    /// The calls table's columns, qualified with the alias `c`, in the order fromRecord() reads.
    static QString prefixedColumns();

private:
    Result<std::optional<Call>> findOne(const QString &column, const QString &value);
    Result<qint64> count(const QString &from, const QString &where, const QVariantList &params);
    /// The operator's calls (with that status) from the counts kept as calls change.
    Result<qint64> countedCalls(const QString &userId, const std::optional<CallStatus> &status);
    Database &m_database;
};

} // namespace Switchboard
