#include "callwatcher.h"

#include "calls/phonenumbers.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

bool isLive(const QString &status)
{
    return status == u"initiated"_s || status == u"connecting"_s || status == u"active"_s;
}

} // namespace

CallWatcher::CallWatcher(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &CallWatcher::check);
}

void CallWatcher::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void CallWatcher::setActive(bool active)
{
    if (m_timer.isActive() == active)
        return;
    active ? m_timer.start() : m_timer.stop();
    if (!active)
        setLiveCallId({});
    Q_EMIT activeChanged();
}

void CallWatcher::setIntervalMs(int intervalMs)
{
    if (m_timer.interval() == intervalMs || intervalMs < 100)
        return;
    m_timer.setInterval(intervalMs);
    Q_EMIT intervalMsChanged();
}

void CallWatcher::setLiveCallId(const QString &callId)
{
    const bool wasInCall = inCall();
    m_liveCallId = callId;
    if (inCall() != wasInCall)
        Q_EMIT inCallChanged();
}

void CallWatcher::check()
{
    if (!m_client || m_client->token().isEmpty() || m_asking)
        return;
    m_asking = true;
    // The newest call, and — when it is not the one seen live — that one, to see how it ended.
    const QString watched = m_liveCallId;
    m_client->get(watched.isEmpty() ? u"/api/calls/history?limit=1"_s : u"/api/calls/"_s + watched, this,
                  [this, watched](const ApiReply &reply) {
        m_asking = false;
        if (!reply.ok()) {
            if (reply.status == 404 || reply.status == 403)
                setLiveCallId({});
            return;
        }
        const QJsonObject call = watched.isEmpty() ? reply.json.value(u"calls"_s).toArray().first().toObject() : reply.json;
        const QString status = call.value(u"status"_s).toString();
        if (isLive(status))
            return setLiveCallId(call.value(u"call_id"_s).toString());
        if (watched.isEmpty())
            return;
        setLiveCallId({});
        const QString name = call.value(u"contact_name"_s).toString();
        Q_EMIT callEnded(watched, name.isEmpty() ? PhoneNumbers::formatInternational(call.value(u"phone_number"_s).toString()) : name,
                         status, call.value(u"failure_reason"_s).toString(), QDateTime::fromString(call.value(u"end_time"_s).toString(), Qt::ISODateWithMs));
    });
}

} // namespace Switchboard::Gui
