#include "apiserver.h"
#include "calljson.h"
#include "calls/callservice.h"
#include "calls/phonenumbers.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxCallIdLength = 64;
constexpr qsizetype kMaxSdpLength = ApiServer::kMaxBodyBytes;

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

} // namespace

void addCallRoutes(ApiServer &server, CallService &calls)
{
    Router &router = server.router();

    router.add("POST", u"/api/calls/initiate"_s, Access::Authenticated,
               [&calls](const ApiRequest &request, const Reply &reply) {
        const auto number = readBody<QString>(request, reply, [](const QJsonObject &body) {
            return requiredString(body, u"phone_number"_s, PhoneNumbers::kMaxInputLength);
        });
        if (!number)
            return;
        calls.initiate(request.principal->userId, *number, [reply](Result<Call> call) {
            if (!call)
                return reply.send(ApiResponse::fromError(call.error()));
            reply.send(ApiResponse::json(200, {
                {u"call_id"_s, call->id},
                {u"session_id"_s, call->sessionId},
                {u"sdp_offer"_s, call->sdpOffer},
                {u"status"_s, toString(call->status)},
                {u"start_time"_s, formatUtc(call->startTime)},
                {u"phone_number"_s, call->phoneNumber},
            }));
        });
    });

    router.add("POST", u"/api/calls/answer"_s, Access::Authenticated,
               [&calls](const ApiRequest &request, const Reply &reply) {
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
    });

    router.add("POST", u"/api/calls/terminate"_s, Access::Authenticated,
               [&calls](const ApiRequest &request, const Reply &reply) {
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
    });

    router.add("GET", u"/api/calls/history"_s, Access::Authenticated,
               [&calls](const ApiRequest &request, const Reply &reply) {
        const HistoryRequest query{request.queryValue(u"page"_s),      request.queryValue(u"limit"_s),
                                   request.queryValue(u"date_from"_s), request.queryValue(u"date_to"_s),
                                   request.queryValue(u"status"_s),    request.queryValue(u"q"_s)};
        Result<HistoryPage> page = calls.history(request.principal->userId, query);
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
        }));
    });

    router.add("GET", u"/api/calls/{id}"_s, Access::Authenticated,
               [&calls](const ApiRequest &request, const Reply &reply) {
        Result<Call> call = calls.get(request.principal->userId, request.pathParams.value(0));
        reply.send(call ? ApiResponse::json(200, callJson(call.value())) : ApiResponse::fromError(call.error()));
    });

    router.add("GET", u"/api/webrtc/config"_s, Access::Authenticated,
               [&calls](const ApiRequest &, const Reply &reply) {
        reply.send(ApiResponse::json(200, iceServersJson(calls.webrtcConfig())));
    });
}

} // namespace Switchboard
