#include "apiserver.h"
#include "calljson.h"
#include "calls/callservice.h"
#include "calls/initiateonce.h"
#include "calls/phonenumbers.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QHash>
#include <QJsonArray>
#include <QMutex>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxCallIdLength = 64;
constexpr qsizetype kMaxSdpLength = ApiServer::kMaxBodyBytes;
constexpr int kMaxWaitSeconds = 60;

/// The long polls waiting now, per operator, over every serving thread: each holds a timer and a
/// connection's answer, so one operator's script must not hold thousands.
class WaitingPolls
{
public:
    static WaitingPolls &instance()
    {
        static WaitingPolls polls;
        return polls;
    }

    bool tryEnter(const QString &userId)
    {
        QMutexLocker lock(&m_mutex);
        int &waiting = m_waiting[userId];
        if (waiting >= ApiServer::kMaxWaitingPollsPerUser)
            return false;
        ++waiting;
        return true;
    }

    void leave(const QString &userId)
    {
        QMutexLocker lock(&m_mutex);
        if (--m_waiting[userId] <= 0)
            m_waiting.remove(userId);
    }

private:
    QMutex m_mutex;
    QHash<QString, int> m_waiting;
};

QJsonObject iceServersJson(const WebRTCConfig &config)
{
    QJsonArray servers;
    for (const IceServer &server : config.iceServers) {
        QJsonObject entry{{u"urls"_s, QJsonArray::fromStringList(server.urls)}};
        if (!server.username.isEmpty()) {
            entry.insert(u"username"_s, server.username);
            entry.insert(u"credential"_s, server.credential);
        }
        servers.append(entry);
    }
    return {{u"iceServers"_s, servers}};
}

/// Reads `call_id` (and whatever else `read` wants) from a JSON body; answers 400 itself.
template<typename Fields, typename Read>
std::optional<Fields> readBody(const ApiRequest &request, const Reply &reply, Read read)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    if (!body) {
        reply.send(ApiResponse::fromError(body.error()));
        return std::nullopt;
    }
    Result<Fields> fields = read(body.value());
    if (!fields) {
        reply.send(ApiResponse::fromError(fields.error()));
        return std::nullopt;
    }
    return fields.value();
}

/// Initiate's answer, and the call object's fields a client needs to follow the call.
ApiResponse placedJson(const Call &call)
{
    return ApiResponse::json(200, {
        {u"call_id"_s, call.id},
        {u"session_id"_s, call.sessionId},
        {u"sdp_offer"_s, call.sdpOffer},
        {u"status"_s, toString(call.status)},
        {u"start_time"_s, formatUtc(call.startTime)},
        {u"phone_number"_s, call.phoneNumber},
    });
}

void initiateCall(InitiateOnce &initiate, const ApiRequest &request, const Reply &reply)
{
    const auto number = readBody<QString>(request, reply, [](const QJsonObject &body) {
        return requiredString(body, u"phone_number"_s, PhoneNumbers::kMaxInputLength);
    });
    if (!number)
        return;
    const QString idempotencyKey = QString::fromLatin1(request.header("Idempotency-Key"));
    const CallRequester requester{request.principal->userId, request.principal->client.toString()};
    initiate.initiate(requester, *number, idempotencyKey, [reply](Result<Call> call) {
        reply.send(call ? placedJson(call.value()) : ApiResponse::fromError(call.error()));
    });
}

void answerCall(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    struct Fields
    {
        QString callId;
        QString sdpAnswer;
    };
    const auto fields = readBody<Fields>(request, reply, [](const QJsonObject &body) -> Result<Fields> {
        Result<QString> callId = requiredString(body, u"call_id"_s, kMaxCallIdLength);
        if (!callId)
            return callId.error();
        Result<QString> sdp = requiredString(body, u"sdp_answer"_s, kMaxSdpLength);
        if (!sdp)
            return sdp.error();
        return Fields{callId.value(), sdp.value()};
    });
    if (!fields)
        return;
    calls.answer(request.principal->userId, fields->callId, fields->sdpAnswer, [reply](Result<Call> call) {
        if (!call)
            return reply.send(ApiResponse::fromError(call.error()));
        reply.send(ApiResponse::json(200, {{u"call_id"_s, call->id}, {u"status"_s, toString(call->status)}}));
    });
}

void terminateCall(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const auto callId = readBody<QString>(request, reply, [](const QJsonObject &body) {
        return requiredString(body, u"call_id"_s, kMaxCallIdLength);
    });
    if (!callId)
        return;
    calls.terminate(request.principal->userId, *callId, [reply](Result<Call> call) {
        if (!call)
            return reply.send(ApiResponse::fromError(call.error()));
        reply.send(ApiResponse::json(200, {
            {u"call_id"_s, call->id},
            {u"duration"_s, call->durationSeconds},
            {u"status"_s, toString(call->status)},
        }));
    });
}

/// Answers with the call object, or the error.
Completion<Call> callAnswer(const Reply &reply)
{
    return [reply](Result<Call> call) {
        reply.send(call ? ApiResponse::json(200, callJson(call.value())) : ApiResponse::fromError(call.error()));
    };
}

void holdCall(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const auto on = readBody<bool>(request, reply, [](const QJsonObject &body) -> Result<bool> {
        if (!body.value(u"on"_s).isBool())
            return Error::validation(u"on must be true (hold) or false (resume)"_s);
        return body.value(u"on"_s).toBool();
    });
    if (!on)
        return;
    calls.hold(request.principal->userId, request.pathParams.value(0), *on, callAnswer(reply));
}

void transferCall(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const auto number = readBody<QString>(request, reply, [](const QJsonObject &body) {
        return requiredString(body, u"phone_number"_s, PhoneNumbers::kMaxInputLength);
    });
    if (!number)
        return;
    calls.transfer(request.principal->userId, request.pathParams.value(0), *number, callAnswer(reply));
}

/// `{notes?, outcome?}`: a string or null each; the rest of a call is the server's to write.
Result<CallAnnotation> readAnnotation(const QJsonObject &body)
{
    CallAnnotation annotation;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != u"notes"_s && it.key() != u"outcome"_s) {
            return Error::validation(
                u"%1 cannot be changed: only notes and outcome are the operator's to write"_s.arg(it.key()));
        }
        if (!it.value().isString() && !it.value().isNull())
            return Error::validation(u"%1 must be a string or null"_s.arg(it.key()));
        (it.key() == u"notes"_s ? annotation.notes : annotation.outcome) = it.value().toString();
    }
    if (!annotation.notes && !annotation.outcome)
        return Error::validation(u"Send notes, outcome or both"_s);
    return annotation;
}

void annotateCall(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const auto annotation = readBody<CallAnnotation>(request, reply, readAnnotation);
    if (!annotation)
        return;
    calls.annotate(request.principal->userId, request.pathParams.value(0), *annotation, callAnswer(reply));
}

void readHistory(CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const HistoryRequest query{request.queryValue(u"page"_s),      request.queryValue(u"limit"_s),
                               request.queryValue(u"date_from"_s), request.queryValue(u"date_to"_s),
                               request.queryValue(u"status"_s),    request.queryValue(u"q"_s),
                               request.queryValue(u"cursor"_s),    request.queryValue(u"user_id"_s),
                               request.queryValue(u"outcome"_s)};
    Result<HistoryPage> page = calls.history(request.principal->userId, query, request.principal->isAdmin());
    if (!page)
        return reply.send(ApiResponse::fromError(page.error()));
    QJsonArray items;
    for (const Call &call : page->calls)
        items.append(callJson(call));
    reply.send(ApiResponse::json(200, {
        {u"calls"_s, items},
        {u"total"_s, page->total},
        {u"page"_s, page->page},
        {u"limit"_s, page->limit},
        {u"next_cursor"_s, page->nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page->nextCursor)},
    }));
}

/// GET /api/calls/{id}'s call: for its owner, while it is live and no answer was posted, the far
/// end's offer too, so that a console can bring in the audio of a call another client placed for
/// its operator (click-to-call). History items go without it: an offer is kilobytes long.
QJsonObject readableCallJson(const Call &call, const QString &readerId)
{
    QJsonObject json = callJson(call);
    const bool awaitsAnswer = call.userId == readerId && isLive(call.status) && call.sdpAnswer.isEmpty()
                              && !call.sdpOffer.isEmpty();
    json.insert(u"sdp_offer"_s, awaitsAnswer ? QJsonValue(call.sdpOffer) : QJsonValue(QJsonValue::Null));
    return json;
}

/// Long polling: with `wait=N&status=S`, the answer waits up to N seconds for the call to leave
/// status S, so that clients follow a call without polling hard. The waiter lives on the serving
/// thread (`context`); the service's change notices reach it queued from the service's thread.
void readCall(QObject &context, CallService &calls, const ApiRequest &request, const Reply &reply)
{
    const QString userId = request.principal->userId;
    const QString callId = request.pathParams.value(0);
    const bool isAdmin = request.principal->isAdmin();
    Result<Call> call = calls.get(userId, callId, isAdmin);
    if (!call)
        return reply.send(ApiResponse::fromError(call.error()));

    const QString waitText = request.queryValue(u"wait"_s);
    if (waitText.isEmpty())
        return reply.send(ApiResponse::json(200, readableCallJson(call.value(), userId)));
    bool ok = false;
    const int waitSeconds = waitText.toInt(&ok);
    if (!ok || waitSeconds < 0 || waitSeconds > kMaxWaitSeconds) {
        return reply.send(ApiResponse::fromError(
            Error::validation(u"wait must be a whole number of seconds from 0 to %1"_s.arg(kMaxWaitSeconds))));
    }
    const QString knownStatus = request.queryValue(u"status"_s);
    if (knownStatus.isEmpty() || knownStatus != toString(call->status) || waitSeconds == 0
        || !WaitingPolls::instance().tryEnter(userId))
        return reply.send(ApiResponse::json(200, readableCallJson(call.value(), userId)));

    auto *waiter = new QObject(&context);
    QObject::connect(waiter, &QObject::destroyed, [userId] { WaitingPolls::instance().leave(userId); });
    // Answers when the status moved (or, with `force`, when the wait is over).
    auto answer = [&calls, reply, userId, callId, isAdmin, knownStatus, waiter](bool force) {
        Result<Call> now = calls.get(userId, callId, isAdmin);
        if (!force && now && toString(now->status) == knownStatus)
            return; // changed, but not its status (the answer was stored): keep waiting
        reply.send(now ? ApiResponse::json(200, readableCallJson(now.value(), userId)) : ApiResponse::fromError(now.error()));
        waiter->deleteLater();
    };
    QObject::connect(&calls, &CallService::callChanged, waiter, [answer, callId](const QString &changed) {
        if (changed == callId)
            answer(false);
    });
    QTimer::singleShot(waitSeconds * 1000, waiter, [answer]() { answer(true); });
}

void readWebRtcConfig(CallService &calls, const ApiRequest &, const Reply &reply)
{
    reply.send(ApiResponse::json(200, iceServersJson(calls.webrtcConfig())));
}

} // namespace

void addCallRoutes(ApiServer &server, CallService &calls, InitiateOnce &initiateOnce)
{
    Router &router = server.router();
    const QString &write = Scope::CallsWrite;
    const QString &read = Scope::CallsRead;
    router.add("POST", u"/api/calls/initiate"_s, Access::Authenticated, bound(initiateOnce, initiateCall), write);
    router.add("POST", u"/api/calls/answer"_s, Access::Authenticated, bound(calls, answerCall), write);
    router.add("POST", u"/api/calls/terminate"_s, Access::Authenticated, bound(calls, terminateCall), write);
    router.add("GET", u"/api/calls/history"_s, Access::Authenticated, bound(calls, readHistory), read);
    router.add("POST", u"/api/calls/{id}/hold"_s, Access::Authenticated, bound(calls, holdCall), write);
    router.add("POST", u"/api/calls/{id}/transfer"_s, Access::Authenticated, bound(calls, transferCall), write);
    router.add("GET", u"/api/calls/{id}"_s, Access::Authenticated,
               [&server, &calls](const ApiRequest &request, const Reply &reply) { readCall(server, calls, request, reply); },
               read);
    router.add("PATCH", u"/api/calls/{id}"_s, Access::Authenticated, bound(calls, annotateCall), write);
    router.add("GET", u"/api/webrtc/config"_s, Access::Authenticated, bound(calls, readWebRtcConfig), read);
}

} // namespace Switchboard
