#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"
#include "deliverysettings.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>

#include <functional>

class QNetworkReply;

namespace Switchboard {

class Clock;

/// Delivers the webhooks' outbox: every second (and as soon as a call changes) it claims the
/// deliveries that are due — a conditional update in the writer's transaction, so that of several
/// instances on one database only one sends each — and POSTs each, signed (Standard Webhooks),
/// with a 5 s timeout and no redirects, to a public address only (WebhookDestination). A 2xx
/// answer delivers; anything else is retried on the schedule. The body is fixed at the first
/// attempt, so that retries carry the same webhook-id and body. A claim outlives the timeout, so
/// an instance that died mid-attempt leaves its deliveries to be taken again, never lost.
///
/// Thread: its own (the core thread); the repositories read on its connection.
class WebhookDispatcher : public QObject
{
    Q_OBJECT
public:
    /// The call object as the API shows it (the `data` of a delivery).
    using CallObject = std::function<QJsonObject(const Call &)>;

    static constexpr int kTimeoutMs = 5000;
    static constexpr int kClaimMs = kTimeoutMs + 10000;
    static constexpr int kPollMs = 1000;
    static constexpr int kBatch = 20;

    WebhookDispatcher(EventRepository &events, CallRepository &calls, WriteQueue &writes, const Clock &clock,
                      CallObject callObject, DeliverySettings settings, QObject *parent = nullptr);

    void start();
    /// Looks for due deliveries now rather than at the next second.
    void pollSoon();
    /// Forgets events, and deliveries that are over, older than the event stream keeps them.
    void purgeExpired();

private:
    void poll();
    void deliver(const DueDelivery &due);
    QByteArray payloadOf(const WebhookDelivery &delivery) const;
    void post(const DueDelivery &due, const QByteArray &payload, QUrl target, const QByteArray &host);
    void finish(const DueDelivery &due, const QByteArray &payload, std::optional<int> statusCode, const QString &error);
    DeliveryAttempt attemptOf(const DueDelivery &due, std::optional<int> statusCode) const;

    EventRepository &m_events;
    CallRepository &m_calls;
    WriteQueue &m_writes;
    const Clock &m_clock;
    const CallObject m_callObject;
    const DeliverySettings m_settings;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    bool m_claiming = false;
    int m_inFlight = 0;
};

} // namespace Switchboard
