#pragma once

#include "domain/repositories.h"

#include <QSqlRecord>

namespace Switchboard {

class Database;

class SqlEventRepository final : public EventRepository
{
public:
    explicit SqlEventRepository(Database &database);

    Result<QList<CallEvent>> eventsAfter(const CallEventsQuery &query) override;
    Result<std::optional<CallEvent>> event(qint64 id) override;
    Result<qint64> lastEventId() override;
    Status purgeBefore(const QDateTime &before) override;
    Status createWebhook(const Webhook &webhook) override;
    Result<QList<Webhook>> webhooks(const QString &userId) override;
    Result<std::optional<Webhook>> findWebhook(const QString &id) override;
    Result<bool> removeWebhook(const QString &id) override;
    Result<QList<WebhookDelivery>> deliveries(const QString &webhookId, int limit) override;
    Result<QList<DueDelivery>> claimDue(const QDateTime &now, const QDateTime &claimUntil, int limit) override;
    Status recordAttempt(const DeliveryAttempt &attempt) override;

private:
    static QString eventSelect();
    static CallEvent eventFromRow(const QSqlRecord &row);
    static Webhook webhookFromRow(const QSqlRecord &row);
    static WebhookDelivery deliveryFromRow(const QSqlRecord &row);

    Database &m_database;
};

} // namespace Switchboard
