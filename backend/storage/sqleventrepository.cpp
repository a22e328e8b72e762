#include "sqleventrepository.h"

#include "core/timeformat.h"
#include "database.h"
#include "sqlcallrepository.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const QString kWebhookColumns = u"id, user_id, url, events, secret, all_users, created_at"_s;
const QString kDeliveryColumns =
    u"d.id, d.webhook_id, d.event_id, d.call_id, d.event_type, d.created_at, d.status, d.attempts, "
    "d.next_attempt_at, d.payload, d.last_status_code, d.last_error, d.delivered_at"_s;
constexpr int kDeliveryColumnCount = 13;

DeliveryStatus deliveryStatusFrom(const QString &text)
{
    if (text == u"delivered"_s)
        return DeliveryStatus::Delivered;
    return text == u"failed"_s ? DeliveryStatus::Failed : DeliveryStatus::Pending;
}

std::optional<QDateTime> optionalTime(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return parseUtc(value.toString());
}

/// The stored list of types: between commas, so that a trigger matches ",type," with one search.
QString storedEvents(const QStringList &events)
{
    return u","_s + events.join(u',') + u","_s;
}

} // namespace

SqlEventRepository::SqlEventRepository(Database &database) : m_database(database) {}

/// The call as the event left it: its fixed columns from the call, its changing ones from the
/// event (in the order SqlCallRepository::fromRecord reads), then the contact's name and the
/// event's id, type and time.
QString SqlEventRepository::eventSelect()
{
    static const QStringList snapshot{u"duration"_s, u"status"_s, u"answered_at"_s, u"ended_at"_s,
                                      u"failure_reason"_s, u"rtt_ms"_s, u"jitter_ms"_s, u"packet_loss_percent"_s,
                                      u"mos"_s, u"packets_received"_s, u"on_hold"_s, u"transferred_to"_s,
                                      u"notes"_s, u"outcome"_s};
    QStringList columns = SqlCallRepository::prefixedColumns().split(u", "_s);
    for (QString &column : columns) {
        if (snapshot.contains(column.sliced(2)))
            column.replace(0, 1, u"e"_s);
    }
    return u"SELECT %1, ct.name, e.id, e.type, e.created_at FROM call_events e JOIN calls c ON c.id = e.call_id "
           "LEFT JOIN contacts ct ON ct.user_id = c.user_id AND ct.phone_number = c.phone_number "_s.arg(columns.join(u", "_s));
}

CallEvent SqlEventRepository::eventFromRow(const QSqlRecord &row)
{
    const int first = row.count() - 3;
    CallEvent event;
    event.call = SqlCallRepository::fromRecord(row);
    event.id = row.value(first).toLongLong();
    event.type = row.value(first + 1).toString();
    event.createdAt = parseUtc(row.value(first + 2).toString());
    return event;
}

Result<QList<CallEvent>> SqlEventRepository::eventsAfter(const CallEventsQuery &query)
{
    QString sql = eventSelect() + u"WHERE e.id > ?"_s;
    QVariantList params{query.afterId};
    if (!query.userId.isEmpty()) {
        sql += u" AND e.user_id = ?"_s;
        params.append(query.userId);
    }
    sql += u" ORDER BY e.id LIMIT ?"_s;
    params.append(query.limit);
    Result<QList<QSqlRecord>> rows = m_database.select(sql, params);
    if (!rows)
        return rows.error();
    QList<CallEvent> events;
    for (const QSqlRecord &row : rows.value())
        events.append(eventFromRow(row));
    return events;
}

Result<std::optional<CallEvent>> SqlEventRepository::event(qint64 id)
{
    Result<QList<QSqlRecord>> rows = m_database.select(eventSelect() + u"WHERE e.id = ?"_s, {id});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<CallEvent>();
    return std::optional<CallEvent>(eventFromRow(rows->first()));
}

Result<qint64> SqlEventRepository::lastEventId()
{
    Result<QList<QSqlRecord>> rows = m_database.select(u"SELECT COALESCE(MAX(id), 0) FROM call_events"_s);
    if (!rows)
        return rows.error();
    return rows->isEmpty() ? 0 : rows->first().value(0).toLongLong();
}

Status SqlEventRepository::purgeBefore(const QDateTime &before)
{
    const QString cutoff = formatUtc(before);
    if (Result<int> events = m_database.modify(u"DELETE FROM call_events WHERE created_at < ?"_s, {cutoff}); !events)
        return events.error();
    Result<int> deliveries = m_database.modify(
        u"DELETE FROM webhook_deliveries WHERE created_at < ? AND status <> 'pending'"_s, {cutoff});
    if (!deliveries)
        return deliveries.error();
    return Done{};
}

Status SqlEventRepository::createWebhook(const Webhook &webhook)
{
    Result<int> inserted = m_database.modify(
        u"INSERT INTO webhooks (%1) VALUES (?, ?, ?, ?, ?, ?, ?)"_s.arg(kWebhookColumns),
        {webhook.id, webhook.userId, webhook.url, storedEvents(webhook.events), webhook.secret,
         webhook.allUsers ? 1 : 0, formatUtc(webhook.createdAt)});
    if (!inserted)
        return inserted.error();
    return Done{};
}

Webhook SqlEventRepository::webhookFromRow(const QSqlRecord &row)
{
    Webhook webhook;
    webhook.id = row.value(0).toString();
    webhook.userId = row.value(1).toString();
    webhook.url = row.value(2).toString();
    webhook.events = row.value(3).toString().split(u',', Qt::SkipEmptyParts);
    webhook.secret = row.value(4).toString();
    webhook.allUsers = row.value(5).toInt() != 0;
    webhook.createdAt = parseUtc(row.value(6).toString());
    return webhook;
}

Result<QList<Webhook>> SqlEventRepository::webhooks(const QString &userId)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM webhooks WHERE user_id = ? ORDER BY created_at DESC, id"_s.arg(kWebhookColumns), {userId});
    if (!rows)
        return rows.error();
    QList<Webhook> webhooks;
    for (const QSqlRecord &row : rows.value())
        webhooks.append(webhookFromRow(row));
    return webhooks;
}

Result<std::optional<Webhook>> SqlEventRepository::findWebhook(const QString &id)
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT %1 FROM webhooks WHERE id = ?"_s.arg(kWebhookColumns), {id});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Webhook>();
    return std::optional<Webhook>(webhookFromRow(rows->first()));
}

Result<bool> SqlEventRepository::removeWebhook(const QString &id)
{
    // Its deliveries first: SQLite enforces the foreign key's cascade only with foreign_keys on.
    if (Result<int> deliveries = m_database.modify(u"DELETE FROM webhook_deliveries WHERE webhook_id = ?"_s, {id}); !deliveries)
        return deliveries.error();
    Result<int> removed = m_database.modify(u"DELETE FROM webhooks WHERE id = ?"_s, {id});
    if (!removed)
        return removed.error();
    return removed.value() > 0;
}

WebhookDelivery SqlEventRepository::deliveryFromRow(const QSqlRecord &row)
{
    WebhookDelivery delivery;
    delivery.id = row.value(0).toLongLong();
    delivery.webhookId = row.value(1).toString();
    delivery.eventId = row.value(2).toLongLong();
    delivery.callId = row.value(3).toString();
    delivery.eventType = row.value(4).toString();
    delivery.createdAt = parseUtc(row.value(5).toString());
    delivery.status = deliveryStatusFrom(row.value(6).toString());
    delivery.attempts = row.value(7).toInt();
    delivery.nextAttemptAt = parseUtc(row.value(8).toString());
    delivery.payload = row.value(9).toString().toUtf8();
    if (!row.value(10).isNull())
        delivery.lastStatusCode = row.value(10).toInt();
    delivery.lastError = row.value(11).toString();
    delivery.deliveredAt = optionalTime(row.value(12));
    return delivery;
}

Result<QList<WebhookDelivery>> SqlEventRepository::deliveries(const QString &webhookId, int limit)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM webhook_deliveries d WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?"_s.arg(kDeliveryColumns),
        {webhookId, limit});
    if (!rows)
        return rows.error();
    QList<WebhookDelivery> deliveries;
    for (const QSqlRecord &row : rows.value())
        deliveries.append(deliveryFromRow(row));
    return deliveries;
}

Result<QList<DueDelivery>> SqlEventRepository::claimDue(const QDateTime &now, const QDateTime &claimUntil, int limit)
{
    const QString at = formatUtc(now);
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
        "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until < ?) "
        "ORDER BY d.next_attempt_at, d.id LIMIT ?"_s.arg(kDeliveryColumns),
        {at, at, limit});
    if (!rows)
        return rows.error();
    QList<DueDelivery> claimed;
    for (const QSqlRecord &row : rows.value()) {
        const qint64 id = row.value(0).toLongLong();
        // Taken only if nobody took it since it was read (another instance, on PostgreSQL).
        Result<int> taken = m_database.modify(
            u"UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ? AND status = 'pending' "
            "AND (claimed_until IS NULL OR claimed_until < ?)"_s,
            {formatUtc(claimUntil), id, at});
        if (!taken)
            return taken.error();
        if (taken.value() == 1)
            claimed.append({deliveryFromRow(row), row.value(kDeliveryColumnCount).toString(),
                            row.value(kDeliveryColumnCount + 1).toString()});
    }
    return claimed;
}

Status SqlEventRepository::recordAttempt(const DeliveryAttempt &attempt)
{
    const bool delivered = attempt.status == DeliveryStatus::Delivered;
    Result<int> updated = m_database.modify(
        u"UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, claimed_until = NULL, "
        "payload = ?, last_status_code = ?, last_error = ?, delivered_at = ? WHERE id = ?"_s,
        {toString(attempt.status), formatUtc(attempt.nextAttemptAt), QString::fromUtf8(attempt.payload),
         attempt.statusCode ? QVariant(*attempt.statusCode) : QVariant(QMetaType::fromType<int>()),
         attempt.error.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(attempt.error.left(500)),
         delivered ? QVariant(formatUtc(attempt.at)) : QVariant(QMetaType::fromType<QString>()), attempt.deliveryId});
    if (!updated)
        return updated.error();
    return Done{};
}

} // namespace Switchboard
