#include "webhookservice.h"

#include "auth/authservice.h"
#include "core/clock.h"
#include "core/logging.h"
#include "webhookdestination.h"
#include "webhooksignature.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const Error kNotFound{ErrorCode::NotFound, u"No such webhook"_s};

Result<QStringList> validEvents(const QStringList &events)
{
    const QStringList known = webhookEventTypes();
    if (events.isEmpty())
        return Error::validation(u"events must name at least one of: "_s + known.join(u", "_s));
    QStringList valid;
    for (const QString &event : events) {
        if (!known.contains(event))
            return Error::validation(u"unknown event \"%1\"; events are: %2"_s.arg(event.left(40), known.join(u", "_s)));
        if (!valid.contains(event))
            valid.append(event);
    }
    return valid;
}

} // namespace

WebhookService::WebhookService(EventRepository &events, WriteQueue &writes, const Clock &clock, bool allowPrivate,
                               QObject *parent)
    : QObject(parent), m_events(events), m_writes(writes), m_clock(clock), m_allowPrivate(allowPrivate)
{
}

void WebhookService::create(const Principal &owner, const WebhookRequest &request, Completion<Webhook> done)
{
    Result<QUrl> url = WebhookDestination::parse(request.url, m_allowPrivate);
    if (!url)
        return done(url.error());
    Result<QStringList> events = validEvents(request.events);
    if (!events)
        return done(events.error());
    Result<QList<Webhook>> existing = m_events.webhooks(owner.userId);
    if (!existing)
        return done(existing.error());
    if (existing->size() >= kMaxWebhooksPerUser)
        return done(Error::validation(u"An operator may have at most %1 webhooks"_s.arg(kMaxWebhooksPerUser)));

    const Webhook webhook{QUuid::createUuid().toString(QUuid::WithoutBraces), owner.userId, url->toString(),
                          events.value(), WebhookSignature::newSecret(), owner.isAdmin(), m_clock.now()};
    m_writes.submit(this, [this, webhook] { return m_events.createWebhook(webhook); }, [webhook, done](Status stored) {
        if (!stored)
            return done(stored.error());
        qCInfo(lcCalls).noquote() << "user" << webhook.userId << "created webhook" << webhook.id << "to" << webhook.url;
        done(webhook);
    });
}

Result<QList<Webhook>> WebhookService::list(const QString &userId) const
{
    return m_events.webhooks(userId);
}

Result<Webhook> WebhookService::owned(const QString &userId, const QString &webhookId) const
{
    if (QUuid::fromString(webhookId).isNull())
        return kNotFound;
    Result<std::optional<Webhook>> found = m_events.findWebhook(webhookId);
    if (!found)
        return found.error();
    if (!found->has_value() || found->value().userId != userId)
        return kNotFound;
    return found->value();
}

void WebhookService::remove(const QString &userId, const QString &webhookId, Completion<Done> done)
{
    if (Result<Webhook> webhook = owned(userId, webhookId); !webhook)
        return done(webhook.error());
    m_writes.submit<bool>(
        this, [this, webhookId] { return m_events.removeWebhook(webhookId); },
        [userId, webhookId, done](Result<bool> removed) {
            if (!removed)
                return done(removed.error());
            if (!removed.value())
                return done(kNotFound);
            qCInfo(lcCalls) << "user" << userId << "deleted webhook" << webhookId;
            done(Done{});
        });
}

Result<QList<WebhookDelivery>> WebhookService::deliveries(const QString &userId, const QString &webhookId) const
{
    if (Result<Webhook> webhook = owned(userId, webhookId); !webhook)
        return webhook.error();
    return m_events.deliveries(webhookId, kDeliveriesShown);
}

} // namespace Switchboard
