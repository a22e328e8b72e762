#include "webhookdispatcher.h"

#include "calls/callevents.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/timeformat.h"
#include "webhookdestination.h"
#include "webhooksignature.h"

#include <QHostInfo>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRandomGenerator>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr double kJitter = 0.2;

QByteArray messageId(const WebhookDelivery &delivery)
{
    return "msg_" + QByteArray::number(delivery.id);
}

} // namespace

WebhookDispatcher::WebhookDispatcher(EventRepository &events, CallRepository &calls, WriteQueue &writes,
                                     const Clock &clock, CallObject callObject, DeliverySettings settings, QObject *parent)
    : QObject(parent), m_events(events), m_calls(calls), m_writes(writes), m_clock(clock),
      m_callObject(std::move(callObject)), m_settings(std::move(settings))
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network.setTransferTimeout(kTimeoutMs);
    connect(&m_timer, &QTimer::timeout, this, &WebhookDispatcher::poll);
}

void WebhookDispatcher::start()
{
    m_timer.start(kPollMs);
}

void WebhookDispatcher::pollSoon()
{
    QMetaObject::invokeMethod(this, &WebhookDispatcher::poll, Qt::QueuedConnection);
}

void WebhookDispatcher::purgeExpired()
{
    const QDateTime before = m_clock.now().addSecs(-qint64(CallEventFeed::kRetentionHours) * 3600);
    m_writes.submit(this, [this, before] { return m_events.purgeBefore(before); }, [](Status purged) {
        if (!purged)
            qCWarning(lcWebhooks).noquote() << "cannot purge old events:" << purged.error().message;
    });
}

void WebhookDispatcher::poll()
{
    // One claim at a time, and none while a batch is still being sent: a slow receiver holds at
    // most kBatch deliveries of this instance.
    if (m_claiming || m_inFlight > 0)
        return;
    m_claiming = true;
    const QDateTime now = m_clock.now();
    std::function<Result<QList<DueDelivery>>()> claim = [this, now] {
        return m_events.claimDue(now, now.addMSecs(kClaimMs), kBatch);
    };
    m_writes.submit<QList<DueDelivery>>(this, claim, [this](Result<QList<DueDelivery>> claimed) {
        m_claiming = false;
        if (!claimed) {
            qCWarning(lcWebhooks).noquote() << "cannot claim deliveries:" << claimed.error().message;
            return;
        }
        for (const DueDelivery &due : claimed.value())
            deliver(due);
    });
}

QByteArray WebhookDispatcher::payloadOf(const WebhookDelivery &delivery) const
{
    if (!delivery.payload.isEmpty())
        return delivery.payload;
    // The call as the event left it; once the event is purged (a receiver down for a day), as it is now.
    QJsonObject data{{u"call_id"_s, delivery.callId}};
    if (Result<std::optional<CallEvent>> event = m_events.event(delivery.eventId); event && event->has_value()) {
        data = m_callObject((*event)->call);
    } else if (Result<std::optional<Call>> call = m_calls.findById(delivery.callId); call && call->has_value()) {
        data = m_callObject(**call);
    }
    const QJsonObject body{{u"type"_s, delivery.eventType}, {u"timestamp"_s, formatUtc(delivery.createdAt)}, {u"data"_s, data}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void WebhookDispatcher::deliver(const DueDelivery &due)
{
    ++m_inFlight;
    const QByteArray payload = payloadOf(due.delivery);
    const QUrl url(due.url);
    if (m_settings.allowPrivate)
        return post(due, payload, url, {});
    // Resolved here and checked, then connected to by address (plain HTTP), so that a name that
    // resolves to a public address for the check cannot resolve to a private one for the connect.
    QHostInfo::lookupHost(url.host(), this, [this, due, payload, url](const QHostInfo &host) {
        QHostAddress chosen;
        for (const QHostAddress &address : host.addresses()) {
            if (!WebhookDestination::isPublic(address))
                return finish(due, payload, std::nullopt, u"refused: %1 resolves to %2, a private address"_s.arg(url.host(), address.toString()));
            if (chosen.isNull())
                chosen = address;
        }
        if (chosen.isNull())
            return finish(due, payload, std::nullopt, u"cannot resolve %1: %2"_s.arg(url.host(), host.errorString()));
        if (url.scheme() != u"http"_s)
            return post(due, payload, url, {}); // TLS checks the name; see docs/API.md on HTTPS and DNS
        QUrl byAddress = url;
        byAddress.setHost(chosen.toString());
        post(due, payload, byAddress, url.authority(QUrl::FullyEncoded).toUtf8());
    });
}

void WebhookDispatcher::post(const DueDelivery &due, const QByteArray &payload, QUrl target, const QByteArray &host)
{
    const qint64 timestamp = m_clock.now().toSecsSinceEpoch();
    QNetworkRequest request(target);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, "Switchboard-Webhooks/1");
    if (!host.isEmpty())
        request.setRawHeader("Host", host);
    request.setRawHeader("webhook-id", messageId(due.delivery));
    request.setRawHeader("webhook-timestamp", QByteArray::number(timestamp));
    request.setRawHeader("webhook-signature", WebhookSignature::sign(due.secret, messageId(due.delivery), timestamp, payload));
    QNetworkReply *reply = m_network.post(request, payload);
    // The answer's status is all that counts: taken as soon as the head arrives, and the body
    // (which a hostile receiver could make endless) is never read.
    auto finished = std::make_shared<bool>(false);
    auto conclude = [this, reply, due, payload, finished] {
        if (*finished)
            return;
        *finished = true;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid())
            finish(due, payload, status.toInt(), {});
        else
            finish(due, payload, std::nullopt, reply->errorString());
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, conclude);
    connect(reply, &QNetworkReply::finished, this, conclude);
}

DeliveryAttempt WebhookDispatcher::attemptOf(const DueDelivery &due, std::optional<int> statusCode) const
{
    DeliveryAttempt attempt;
    attempt.deliveryId = due.delivery.id;
    attempt.statusCode = statusCode;
    attempt.at = m_clock.now();
    attempt.nextAttemptAt = attempt.at;
    if (statusCode && *statusCode >= 200 && *statusCode < 300) {
        attempt.status = DeliveryStatus::Delivered;
        return attempt;
    }
    const int failures = due.delivery.attempts + 1;
    if (failures > m_settings.retryDelaysSeconds.size()) {
        attempt.status = DeliveryStatus::Failed;
        return attempt;
    }
    const double jitter = 1.0 + kJitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    const double delay = m_settings.retryDelaysSeconds.at(failures - 1) * jitter;
    attempt.nextAttemptAt = attempt.at.addMSecs(qint64(delay * 1000));
    return attempt;
}

void WebhookDispatcher::finish(const DueDelivery &due, const QByteArray &payload, std::optional<int> statusCode,
                               const QString &error)
{
    DeliveryAttempt attempt = attemptOf(due, statusCode);
    attempt.payload = payload;
    attempt.error = statusCode && attempt.status != DeliveryStatus::Delivered ? u"HTTP %1"_s.arg(*statusCode) : error;
    if (attempt.status != DeliveryStatus::Delivered) {
        qCInfo(lcWebhooks).noquote() << "delivery" << due.delivery.id << "of" << due.delivery.eventType << "to"
                                     << due.url << "failed:" << attempt.error;
    }
    m_writes.submit(this, [this, attempt] { return m_events.recordAttempt(attempt); }, [this](Status recorded) {
        --m_inFlight;
        // Not recorded: the claim runs out and the delivery is tried again (at least once, never lost).
        if (!recorded)
            qCWarning(lcWebhooks).noquote() << "cannot record a delivery attempt:" << recorded.error().message;
    });
}

} // namespace Switchboard
