#include "sqlcallrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const QString kColumns =
    u"id, user_id, phone_number, start_time, duration, status, session_id, sdp_offer, sdp_answer, "
    "provider, instance_id, answered_at, ended_at, last_alive_at, failure_reason, "
    "rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received"_s;

const QString kLiveStatuses = u"('initiated', 'connecting', 'active')"_s;

QVariant optionalTime(const std::optional<QDateTime> &time)
{
    return time ? QVariant(formatUtc(*time)) : QVariant(QMetaType::fromType<QString>());
}

std::optional<QDateTime> optionalTime(const QVariant &value)
{
    if (value.isNull() || value.toString().isEmpty())
        return std::nullopt;
    return parseUtc(value.toString());
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

/// The five quality columns, NULL when the provider measured nothing.
QVariantList qualityValues(const std::optional<CallQuality> &quality)
{
    if (!quality) {
        const QVariant nullNumber(QMetaType::fromType<double>());
        return {nullNumber, nullNumber, nullNumber, nullNumber, QVariant(QMetaType::fromType<qint64>())};
    }
    return {quality->rttMs, quality->jitterMs, quality->packetLossPercent, quality->mos, quality->packetsReceived};
}

} // namespace

SqlCallRepository::SqlCallRepository(Database &database) : m_database(database) {}

Call SqlCallRepository::fromRecord(const QSqlRecord &row)
{
    Call call;
    call.id = row.value(0).toString();
    call.userId = row.value(1).toString();
    call.phoneNumber = row.value(2).toString();
    call.startTime = parseUtc(row.value(3).toString());
    call.durationSeconds = row.value(4).toInt();
    call.status = callStatusFromString(row.value(5).toString()).value_or(CallStatus::Failed);
    call.sessionId = row.value(6).toString();
    call.sdpOffer = row.value(7).toString();
    call.sdpAnswer = row.value(8).toString();
    call.provider = row.value(9).toString();
    call.instanceId = row.value(10).toString();
    call.answeredAt = optionalTime(row.value(11));
    call.endedAt = optionalTime(row.value(12));
    call.lastAliveAt = optionalTime(row.value(13));
    call.failureReason = row.value(14).toString();
    if (!row.value(18).isNull()) {
        call.quality = CallQuality{row.value(15).toDouble(), row.value(16).toDouble(), row.value(17).toDouble(),
                                   row.value(18).toDouble(), row.value(19).toLongLong()};
    }
    return call;
}

Status SqlCallRepository::create(const Call &call)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO calls (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s.arg(kColumns),
        QVariantList{call.id, call.userId, call.phoneNumber, formatUtc(call.startTime), call.durationSeconds,
                     toString(call.status), nullableText(call.sessionId), nullableText(call.sdpOffer),
                     nullableText(call.sdpAnswer), call.provider, call.instanceId, optionalTime(call.answeredAt),
                     optionalTime(call.endedAt), optionalTime(call.lastAliveAt), nullableText(call.failureReason)}
            + qualityValues(call.quality));
    if (!inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::CallAlreadyActive, u"You already have a call in progress"_s};
        return inserted.error();
    }
    return Done{};
}

Result<bool> SqlCallRepository::update(const Call &call, CallStatus expected)
{
    Result<int> updated = m_database.modify(
        u"UPDATE calls SET duration = ?, status = ?, session_id = ?, sdp_offer = ?, sdp_answer = ?, "
        "instance_id = ?, answered_at = ?, ended_at = ?, last_alive_at = ?, failure_reason = ?, "
        "rtt_ms = ?, jitter_ms = ?, packet_loss_percent = ?, mos = ?, packets_received = ? "
        "WHERE id = ? AND status = ?"_s,
        QVariantList{call.durationSeconds, toString(call.status), nullableText(call.sessionId),
                     nullableText(call.sdpOffer), nullableText(call.sdpAnswer), call.instanceId,
                     optionalTime(call.answeredAt), optionalTime(call.endedAt), optionalTime(call.lastAliveAt),
                     nullableText(call.failureReason)}
            + qualityValues(call.quality) + QVariantList{call.id, toString(expected)});
    if (!updated)
        return updated.error();
    return updated.value() > 0;
}

Result<std::optional<Call>> SqlCallRepository::findById(const QString &id)
{
    return findOne(u"id"_s, id);
}

Result<std::optional<Call>> SqlCallRepository::findBySessionId(const QString &sessionId)
{
    return findOne(u"session_id"_s, sessionId);
}

Result<std::optional<Call>> SqlCallRepository::findOne(const QString &column, const QString &value)
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT %1 FROM calls WHERE %2 = ?"_s.arg(kColumns, column), {value});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Call>();
    return std::optional<Call>(fromRecord(rows->first()));
}

Result<HistoryPage> SqlCallRepository::history(const HistoryQuery &query)
{
    QString where = u"user_id = ?"_s;
    QVariantList params{query.userId};
    if (query.from) {
        where += u" AND start_time >= ?"_s;
        params.append(formatUtc(*query.from));
    }
    if (query.to) {
        where += u" AND start_time <= ?"_s;
        params.append(formatUtc(*query.to));
    }
    if (query.status) {
        where += u" AND status = ?"_s;
        params.append(toString(*query.status));
    }
    if (!query.numberContains.isEmpty()) {
        // The use case lets only digits through, so the pattern holds no wildcard of the client's.
        where += u" AND phone_number LIKE ?"_s;
        params.append(u"%"_s + query.numberContains + u"%"_s);
    }

    Result<QList<QSqlRecord>> count = m_database.select(u"SELECT COUNT(*) FROM calls WHERE "_s + where, params);
    if (!count)
        return count.error();

    QVariantList pageParams = params;
    pageParams << query.limit << (query.page - 1) * query.limit;
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM calls WHERE %2 ORDER BY start_time DESC, id DESC LIMIT ? OFFSET ?"_s.arg(kColumns, where),
        pageParams);
    if (!rows)
        return rows.error();

    HistoryPage page;
    page.total = count->first().value(0).toInt();
    page.page = query.page;
    page.limit = query.limit;
    for (const QSqlRecord &row : rows.value())
        page.calls.append(fromRecord(row));
    return page;
}

Result<QList<Call>> SqlCallRepository::orphans(const QString &instanceId, const QDateTime &staleBefore)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM calls WHERE status IN %2 AND (instance_id = ? OR last_alive_at IS NULL "
        "OR last_alive_at < ?)"_s.arg(kColumns, kLiveStatuses),
        {instanceId, formatUtc(staleBefore)});
    if (!rows)
        return rows.error();
    QList<Call> calls;
    for (const QSqlRecord &row : rows.value())
        calls.append(fromRecord(row));
    return calls;
}

Status SqlCallRepository::heartbeat(const QString &instanceId, const QDateTime &now)
{
    Result<int> updated = m_database.modify(
        u"UPDATE calls SET last_alive_at = ? WHERE instance_id = ? AND status IN %1"_s.arg(kLiveStatuses),
        {formatUtc(now), instanceId});
    if (!updated)
        return updated.error();
    return Done{};
}

Result<CallStatistics> SqlCallRepository::statistics()
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT COUNT(*), "
        "SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN failure_reason IN ('provider_unavailable', 'provider_error', 'media_failed') "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status IN %1 THEN 1 ELSE 0 END), "
        "AVG(CASE WHEN status = 'completed' THEN duration END) FROM calls"_s.arg(kLiveStatuses));
    if (!rows)
        return rows.error();
    const QSqlRecord &row = rows->first();
    return CallStatistics{row.value(0).toLongLong(), row.value(1).toLongLong(), row.value(2).toLongLong(),
                          row.value(3).toLongLong(), row.value(4).toDouble()};
}

} // namespace Switchboard
