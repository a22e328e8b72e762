#include "sqlcallrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const QString kColumns =
    u"id, user_id, phone_number, start_time, duration, status, session_id, sdp_offer, sdp_answer, "
    "provider, instance_id, answered_at, ended_at, last_alive_at, failure_reason, "
    "rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received, on_hold, transferred_to, notes, outcome"_s;

// The owner's name for a call's number: one lookup in the contacts' (user_id, phone_number)
// unique index per call read. Selected after kColumns, as `contact_name`.
const QString kContactJoin =
    u" LEFT JOIN contacts ct ON ct.user_id = c.user_id AND ct.phone_number = c.phone_number"_s;
constexpr int kContactNameColumn = 24;

const QString kLiveStatuses = u"('initiated', 'connecting', 'active')"_s;

/// The FTS5 query for calls whose number contains `digits` (three or more). A phrase reads the
/// posting list of every trigram in it, and a number's leading trigrams (its country and area
/// code: "491", "915" of +49 151 …) are shared by a large part of all calls: 14–21 ms for
/// "4915123" over two million calls. Its last digits are what tells numbers apart, so a longer
/// search asks only for the two trigrams of its last four digits ("512" and "123": 4 ms there)
/// and the caller's LIKE keeps the numbers that contain the whole.
QString numberSearchQuery(const QString &digits)
{
    if (digits.size() < 5)
        return u'"' + digits + u'"';
    const QString lastFour = digits.right(4);
    return u"\"%1\" AND \"%2\""_s.arg(lastFour.left(3), lastFour.right(3));
}

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
    call.onHold = row.value(20).toInt() != 0;
    call.transferredTo = row.value(21).toString();
    call.notes = row.value(22).toString();
    call.outcome = row.value(23).toString();
    if (row.count() > kContactNameColumn)
        call.contactName = row.value(kContactNameColumn).toString();
    return call;
}

Status SqlCallRepository::create(const Call &call)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO calls (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s.arg(kColumns),
        QVariantList{call.id, call.userId, call.phoneNumber, formatUtc(call.startTime), call.durationSeconds,
                     toString(call.status), nullableText(call.sessionId), nullableText(call.sdpOffer),
                     nullableText(call.sdpAnswer), call.provider, call.instanceId, optionalTime(call.answeredAt),
                     optionalTime(call.endedAt), optionalTime(call.lastAliveAt), nullableText(call.failureReason)}
            + qualityValues(call.quality)
            + QVariantList{call.onHold ? 1 : 0, nullableText(call.transferredTo), nullableText(call.notes),
                           nullableText(call.outcome)});
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
        "rtt_ms = ?, jitter_ms = ?, packet_loss_percent = ?, mos = ?, packets_received = ?, on_hold = ?, "
        "transferred_to = ? WHERE id = ? AND status = ?"_s,
        QVariantList{call.durationSeconds, toString(call.status), nullableText(call.sessionId),
                     nullableText(call.sdpOffer), nullableText(call.sdpAnswer), call.instanceId,
                     optionalTime(call.answeredAt), optionalTime(call.endedAt), optionalTime(call.lastAliveAt),
                     nullableText(call.failureReason)}
            + qualityValues(call.quality)
            + QVariantList{call.onHold ? 1 : 0, nullableText(call.transferredTo), call.id, toString(expected)});
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

QString SqlCallRepository::prefixedColumns()
{
    static const QString columns = u"c."_s + QString(kColumns).replace(u", "_s, u", c."_s);
    return columns;
}

Result<std::optional<Call>> SqlCallRepository::findOne(const QString &column, const QString &value)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1, ct.name FROM calls c%2 WHERE c.%3 = ?"_s.arg(prefixedColumns(), kContactJoin, column), {value});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Call>();
    return std::optional<Call>(fromRecord(rows->first()));
}

Result<HistoryPage> SqlCallRepository::history(const HistoryQuery &query)
{
    QString from = u"calls c"_s;
    QString where = u"c.user_id = ?"_s;
    QVariantList params{query.userId};
    if (query.from) {
        where += u" AND c.start_time >= ?"_s;
        params.append(formatUtc(*query.from));
    }
    if (query.to) {
        where += u" AND c.start_time <= ?"_s;
        params.append(formatUtc(*query.to));
    }
    if (query.status) {
        where += u" AND c.status = ?"_s;
        params.append(toString(*query.status));
    }
    if (query.outcome) {
        where += u" AND c.outcome = ?"_s;
        params.append(*query.outcome);
    }
    const bool searching = !query.numberContains.isEmpty();
    // The use case lets only digits through, so neither pattern holds anything of the client's
    // but digits. The LIKE decides; three digits or more first go through the trigram index
    // (FTS5 on SQLite, pg_trgm's GIN index for that LIKE on PostgreSQL); fewer match too much
    // for an index to help.
    if (searching) {
        if (m_database.engine() == DatabaseUrl::Engine::Sqlite && query.numberContains.size() >= 3) {
            from = u"calls_number_search JOIN calls c ON c.seq = calls_number_search.rowid"_s;
            where += u" AND calls_number_search MATCH ?"_s;
            params << numberSearchQuery(query.numberContains);
        }
        where += u" AND c.phone_number LIKE ?"_s;
        params << u"%"_s + query.numberContains + u"%"_s;
    }

    Result<qint64> total = (query.from || query.to || searching || query.outcome) ? count(from, where, params)
                                                                 : countedCalls(query.userId, query.status);
    if (!total)
        return total.error();

    QString page = where;
    QVariantList pageParams = params;
    if (query.after) {
        // A row value, not `start_time < ? OR (start_time = ? AND id < ?)`: with the values bound
        // as parameters SQLite then seeks the index to the cursor (idx_calls_history's
        // `(start_time,id)<(?,?)`) instead of reading the operator's calls from the newest down
        // to it — 16 ms at page 2,500 of a million.
        page += u" AND (c.start_time, c.id) < (?, ?)"_s;
        pageParams << formatUtc(query.after->startTime) << query.after->callId;
    }
    pageParams << query.limit;
    QString sql = u"SELECT %1, ct.name FROM %2%3 WHERE %4 ORDER BY c.start_time DESC, c.id DESC LIMIT ?"_s.arg(
        prefixedColumns(), from, kContactJoin, page);
    if (!query.after) {
        sql += u" OFFSET ?"_s;
        pageParams << qint64(query.page - 1) * query.limit;
    }
    Result<QList<QSqlRecord>> rows = m_database.select(sql, pageParams);
    if (!rows)
        return rows.error();

    HistoryPage result;
    result.total = total.value();
    result.page = query.page;
    result.limit = query.limit;
    for (const QSqlRecord &row : rows.value())
        result.calls.append(fromRecord(row));
    return result;
}

Result<bool> SqlCallRepository::annotate(const QString &callId, const CallAnnotation &annotation)
{
    // Only the fields given: two operators' edits of different fields (or two tabs) both stay.
    QStringList assignments;
    QVariantList params;
    if (annotation.notes) {
        assignments << u"notes = ?"_s;
        params << nullableText(*annotation.notes);
    }
    if (annotation.outcome) {
        assignments << u"outcome = ?"_s;
        params << nullableText(*annotation.outcome);
    }
    if (assignments.isEmpty())
        assignments << u"id = id"_s;
    params << callId;
    Result<int> updated =
        m_database.modify(u"UPDATE calls SET %1 WHERE id = ?"_s.arg(assignments.join(u", "_s)), params);
    if (!updated)
        return updated.error();
    return updated.value() > 0;
}

Result<qint64> SqlCallRepository::count(const QString &from, const QString &where, const QVariantList &params)
{
    Result<QList<QSqlRecord>> rows = m_database.select(u"SELECT COUNT(*) FROM %1 WHERE %2"_s.arg(from, where), params);
    if (!rows)
        return rows.error();
    return rows->first().value(0).toLongLong();
}

Result<qint64> SqlCallRepository::countedCalls(const QString &userId, const std::optional<CallStatus> &status)
{
    QString sql = u"SELECT COALESCE(SUM(calls), 0) FROM call_counts WHERE user_id = ?"_s;
    QVariantList params{userId};
    if (status) {
        sql += u" AND status = ?"_s;
        params.append(toString(*status));
    }
    Result<QList<QSqlRecord>> rows = m_database.select(sql, params);
    if (!rows)
        return rows.error();
    return rows->first().value(0).toLongLong();
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
    // From the counts the triggers keep: the cost follows the operators, not the calls.
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT status, failure_reason, SUM(calls), SUM(duration_seconds) FROM call_counts "
        "GROUP BY status, failure_reason"_s);
    if (!rows)
        return rows.error();
    static const QStringList providerFailures{FailureReason::ProviderUnavailable.toString(),
                                              FailureReason::ProviderError.toString(),
                                              FailureReason::MediaFailed.toString()};
    CallStatistics statistics;
    qint64 completedSeconds = 0;
    for (const QSqlRecord &row : rows.value()) {
        const std::optional<CallStatus> status = callStatusFromString(row.value(0).toString());
        const qint64 calls = row.value(2).toLongLong();
        statistics.initiated += calls;
        if (status == CallStatus::Completed) {
            statistics.completed += calls;
            completedSeconds += row.value(3).toLongLong();
        }
        if (status && isLive(*status))
            statistics.live += calls;
        if (providerFailures.contains(row.value(1).toString()))
            statistics.providerFailures += calls;
    }
    statistics.averageDurationSeconds =
        statistics.completed ? double(completedSeconds) / double(statistics.completed) : 0.0;
    return statistics;
}

Result<QList<CallHourCount>> SqlCallRepository::countsByHour(const CallHoursQuery &query)
{
    // call_hours.hour is start_time's first 13 characters ("2026-12-06T09"), so hours compare as text.
    const auto hourKey = [](const QDateTime &time) { return formatUtc(time).first(13); };
    QString sql = u"SELECT hour, status, quality, SUM(calls), SUM(duration_seconds) FROM call_hours "
                  "WHERE hour >= ? AND hour < ?"_s;
    QVariantList values{hourKey(query.from), hourKey(query.to)};
    if (!query.userId.isEmpty()) {
        sql += u" AND user_id = ?"_s;
        values.append(query.userId);
    }
    sql += u" GROUP BY hour, status, quality HAVING SUM(calls) > 0 ORDER BY hour"_s;
    Result<QList<QSqlRecord>> rows = m_database.select(sql, values);
    if (!rows)
        return rows.error();
    QList<CallHourCount> counts;
    for (const QSqlRecord &row : rows.value()) {
        const std::optional<CallStatus> status = callStatusFromString(row.value(1).toString());
        const QDateTime hour = parseUtc(row.value(0).toString() + u":00:00.000Z"_s);
        if (!status || !hour.isValid())
            continue; // a row written by a newer version: not one this one can show
        counts.append({hour, *status, row.value(2).toString(), row.value(3).toLongLong(), row.value(4).toLongLong()});
    }
    return counts;
}

Result<CallLoad> SqlCallRepository::load(const QString &userId, const QDateTime &since)
{
    Result<QList<QSqlRecord>> live = m_database.select(
        u"SELECT COALESCE(SUM(calls), 0) FROM call_counts WHERE status IN ('initiated', 'connecting', 'active')"_s);
    if (!live)
        return live.error();
    // idx_calls_history (user_id, start_time, id) reads only the window's rows.
    Result<QList<QSqlRecord>> placed = m_database.select(
        u"SELECT COUNT(*) FROM calls WHERE user_id = ? AND start_time >= ?"_s, {userId, formatUtc(since)});
    if (!placed)
        return placed.error();
    return CallLoad{live->value(0).value(0).toLongLong(), placed->value(0).value(0).toLongLong()};
}

} // namespace Switchboard
