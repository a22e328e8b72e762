#pragma once

#include "call.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchboard {

/// A change of a call as the event stream and the webhooks see it, recorded by the database in
/// the transaction of the change (migration 017); ids grow in commit order.
struct CallEvent
{
    qint64 id = 0;
    QString type; ///< call.initiated, call.<new status>, or call.updated (hold, transfer, notes, quality)
    QDateTime createdAt;
    Call call; ///< the call as this change left it
};

/// Events after `afterId`, oldest first: one operator's calls, or everyone's when `userId` is empty.
struct CallEventsQuery
{
    QString userId;
    qint64 afterId = 0;
    int limit = 100;
};

/// A client's subscription to call events, delivered by signed POSTs (Standard Webhooks).
struct Webhook
{
    QString id;
    QString userId;
    QString url;
    QStringList events; ///< of webhookEventTypes()
    QString secret; ///< whsec_ and the base64 of the signing key
    bool allUsers = false; ///< an admin's: every operator's calls
    QDateTime createdAt;
};

/// The event types a webhook may subscribe to.
inline QStringList webhookEventTypes()
{
    return {QStringLiteral("call.initiated"), QStringLiteral("call.active"), QStringLiteral("call.completed"),
            QStringLiteral("call.failed"), QStringLiteral("call.canceled")};
}

enum class DeliveryStatus { Pending, Delivered, Failed };

inline QString toString(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Delivered:
        return QStringLiteral("delivered");
    case DeliveryStatus::Failed:
        return QStringLiteral("failed");
    case DeliveryStatus::Pending:
        break;
    }
    return QStringLiteral("pending");
}

/// One event on its way to one webhook (the outbox row).
struct WebhookDelivery
{
    qint64 id = 0;
    QString webhookId;
    qint64 eventId = 0;
    QString callId;
    QString eventType;
    QDateTime createdAt;
    DeliveryStatus status = DeliveryStatus::Pending;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QByteArray payload; ///< the body, fixed at the first attempt; empty before it
    std::optional<int> lastStatusCode;
    QString lastError;
    std::optional<QDateTime> deliveredAt;
};

/// A delivery taken for an attempt: where to, with what key.
struct DueDelivery
{
    WebhookDelivery delivery;
    QString url;
    QString secret;
};

/// What an attempt came to.
struct DeliveryAttempt
{
    qint64 deliveryId = 0;
    QByteArray payload; ///< the body sent (kept for the retries)
    std::optional<int> statusCode; ///< none: no answer (refused address, timeout, network error)
    QString error;
    DeliveryStatus status = DeliveryStatus::Pending; ///< delivered, pending (retry at nextAttemptAt) or failed for good
    QDateTime at;
    QDateTime nextAttemptAt;
};

} // namespace Switchboard
