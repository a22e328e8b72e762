#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"

#include <QObject>

namespace Switchboard {

class Clock;
struct Principal;

/// What POST /api/webhooks asks for.
struct WebhookRequest
{
    QString url;
    QStringList events;
};

/// Webhooks as their owner manages them: create (the secret is shown once, in the answer),
/// list, delete, and the deliveries of one. An operator's webhook hears its own calls, an
/// admin's every operator's (as the event stream). Another's webhook is "not found".
///
/// Threads: any for the reads; writes complete on this object's thread.
class WebhookService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxWebhooksPerUser = 20;
    static constexpr int kDeliveriesShown = 100;

    WebhookService(EventRepository &events, WriteQueue &writes, const Clock &clock, bool allowPrivate,
                   QObject *parent = nullptr);

    void create(const Principal &owner, const WebhookRequest &request, Completion<Webhook> done);
    Result<QList<Webhook>> list(const QString &userId) const;
    void remove(const QString &userId, const QString &webhookId, Completion<Done> done);
    Result<QList<WebhookDelivery>> deliveries(const QString &userId, const QString &webhookId) const;

private:
    Result<Webhook> owned(const QString &userId, const QString &webhookId) const;

    EventRepository &m_events;
    WriteQueue &m_writes;
    const Clock &m_clock;
    const bool m_allowPrivate;
};

} // namespace Switchboard
