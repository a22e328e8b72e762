#include "apiserver.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"
#include "webhooks/webhookdestination.h"
#include "webhooks/webhookservice.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QJsonValue timeOrNull(const std::optional<QDateTime> &time)
{
    return time ? QJsonValue(formatUtc(*time)) : QJsonValue(QJsonValue::Null);
}

/// A webhook as listed: never its secret.
QJsonObject webhookJson(const Webhook &webhook)
{
    return {
        {u"webhook_id"_s, webhook.id},
        {u"url"_s, webhook.url},
        {u"events"_s, QJsonArray::fromStringList(webhook.events)},
        {u"all_operators"_s, webhook.allUsers},
        {u"created_at"_s, formatUtc(webhook.createdAt)},
    };
}

QJsonObject deliveryJson(const WebhookDelivery &delivery)
{
    return {
        {u"delivery_id"_s, QString::number(delivery.id)},
        {u"event_id"_s, QString::number(delivery.eventId)},
        {u"event_type"_s, delivery.eventType},
        {u"call_id"_s, delivery.callId},
        {u"status"_s, toString(delivery.status)},
        {u"attempts"_s, delivery.attempts},
        {u"last_status_code"_s, delivery.lastStatusCode ? QJsonValue(*delivery.lastStatusCode) : QJsonValue(QJsonValue::Null)},
        {u"last_error"_s, delivery.lastError.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(delivery.lastError)},
        {u"next_attempt_at"_s, delivery.status == DeliveryStatus::Pending ? QJsonValue(formatUtc(delivery.nextAttemptAt))
                                                                          : QJsonValue(QJsonValue::Null)},
        {u"delivered_at"_s, timeOrNull(delivery.deliveredAt)},
        {u"created_at"_s, formatUtc(delivery.createdAt)},
    };
}

void createWebhook(WebhookService &webhooks, const ApiRequest &request, const Reply &reply)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    Result<QString> url = body ? requiredString(body.value(), u"url"_s, WebhookDestination::kMaxUrlLength) : Result<QString>(body.error());
    if (!url)
        return reply.send(ApiResponse::fromError(url.error()));
    Result<QStringList> events = requiredStringArray(body.value(), u"events"_s, u"event types"_s, 32);
    if (!events)
        return reply.send(ApiResponse::fromError(events.error()));
    webhooks.create(*request.principal, {url.value(), events.value()}, [reply](Result<Webhook> created) {
        if (!created)
            return reply.send(ApiResponse::fromError(created.error()));
        QJsonObject json = webhookJson(created.value());
        json.insert(u"secret"_s, created->secret);
        reply.send(ApiResponse::json(201, json));
    });
}

void listWebhooks(WebhookService &webhooks, const ApiRequest &request, const Reply &reply)
{
    Result<QList<Webhook>> listed = webhooks.list(request.principal->userId);
    if (!listed)
        return reply.send(ApiResponse::fromError(listed.error()));
    QJsonArray items;
    for (const Webhook &webhook : listed.value())
        items.append(webhookJson(webhook));
    reply.send(ApiResponse::json(200, {{u"webhooks"_s, items}}));
}

void deleteWebhook(WebhookService &webhooks, const ApiRequest &request, const Reply &reply)
{
    webhooks.remove(request.principal->userId, request.pathParams.value(0), [reply](Status removed) {
        reply.send(removed ? ApiResponse::noContent() : ApiResponse::fromError(removed.error()));
    });
}

void listDeliveries(WebhookService &webhooks, const ApiRequest &request, const Reply &reply)
{
    Result<QList<WebhookDelivery>> listed = webhooks.deliveries(request.principal->userId, request.pathParams.value(0));
    if (!listed)
        return reply.send(ApiResponse::fromError(listed.error()));
    QJsonArray items;
    for (const WebhookDelivery &delivery : listed.value())
        items.append(deliveryJson(delivery));
    reply.send(ApiResponse::json(200, {{u"deliveries"_s, items}}));
}

} // namespace

void addWebhookRoutes(ApiServer &server, WebhookService &webhooks)
{
    Router &router = server.router();
    const QString &manage = Scope::WebhooksManage;
    router.add("POST", u"/api/webhooks"_s, Access::Authenticated, bound(webhooks, createWebhook), manage);
    router.add("GET", u"/api/webhooks"_s, Access::Authenticated, bound(webhooks, listWebhooks), manage);
    router.add("DELETE", u"/api/webhooks/{id}"_s, Access::Authenticated, bound(webhooks, deleteWebhook), manage);
    router.add("GET", u"/api/webhooks/{id}/deliveries"_s, Access::Authenticated, bound(webhooks, listDeliveries), manage);
}

} // namespace Switchboard
