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

// Whether a softphone can still bring its audio in: there is an offer to answer (the mock's far
// end), or the provider rings the softphone itself once the party answers (Twilio, no offer).
bool awaitsAudio(const QJsonObject &call)
{
    return isLive(call.value(u"status"_s).toString())
           && (call.value(u"sdp_offer"_s).isString() || call.value(u"provider"_s).toString() == u"twilio"_s);
}

} // namespace

CallWatcher::CallWatcher(QObject *parent) : QObject(parent) {}

void CallWatcher::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void CallWatcher::setEvents(EventStream *events)
{
    if (m_events == events)
        return;
    if (m_events)
        disconnect(m_events, nullptr, this, nullptr);
    m_events = events;
    if (m_events) {
        connect(m_events, &EventStream::callUpdated, this, [this](const QJsonObject &call) {
            if (m_active)
                apply(call);
        });
        connect(m_events, &EventStream::connectedChanged, this, &CallWatcher::onStreamConnectedChanged);
    }
    Q_EMIT eventsChanged();
}

void CallWatcher::setUserId(const QString &userId)
{
    if (m_userId == userId)
        return;
    m_userId = userId;
    Q_EMIT userIdChanged();
}

void CallWatcher::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    if (active) {
        check();
    } else {
        setLiveCallId({});
        m_offerChecked.clear();
    }
    Q_EMIT activeChanged();
}

// The stream replays what it missed only from where it was: the first connection, or one after
// the server forgot that far back, may have missed a call placed or ended meanwhile.
void CallWatcher::onStreamConnectedChanged()
{
    if (m_active && m_events->connected())
        check();
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
        const QJsonArray newest = reply.json.value(u"calls"_s).toArray();
        if (watched.isEmpty() && newest.isEmpty())
            return;
        apply(watched.isEmpty() ? newest.first().toObject() : reply.json);
    });
}

void CallWatcher::apply(const QJsonObject &call)
{
    if (call.value(u"user_id"_s).toString() != m_userId)
        return; // another operator's, on an admin's stream
    const QString callId = call.value(u"call_id"_s).toString();
    const QString status = call.value(u"status"_s).toString();
    if (isLive(status)) {
        setLiveCallId(callId);
        if (status != u"initiated"_s && !m_offerChecked.contains(callId)) {
            m_offerChecked.insert(callId);
            offerIfUnanswered(callId);
        }
        return;
    }
    if (callId != m_liveCallId)
        return; // never seen live here: nothing the operator needs to hear of
    setLiveCallId({});
    const QString name = call.value(u"contact_name"_s).toString();
    Q_EMIT callEnded(callId, name.isEmpty() ? PhoneNumbers::formatInternational(call.value(u"phone_number"_s).toString()) : name,
                     status, call.value(u"failure_reason"_s).toString(),
                     QDateTime::fromString(call.value(u"end_time"_s).toString(), Qt::ISODateWithMs));
}

// The event's call object has no offer (history items and events stay small): the call is read
// once, and offered only if nothing has answered it by then.
void CallWatcher::offerIfUnanswered(const QString &callId)
{
    if (!m_client)
        return;
    m_client->get(u"/api/calls/"_s + callId, this, [this, callId](const ApiReply &reply) {
        if (m_active && reply.ok() && callId == m_liveCallId && awaitsAudio(reply.json))
            Q_EMIT callAwaitingAudio(callId, reply.json.toVariantMap());
    });
}

} // namespace Switchboard::Gui
