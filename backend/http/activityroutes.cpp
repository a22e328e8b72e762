#include "apiserver.h"
#include "auth/authservice.h"
#include "calls/callactivity.h"
#include "core/timeformat.h"
#include "routes.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr CallStatus kStatuses[] = {CallStatus::Initiated, CallStatus::Connecting, CallStatus::Active,
                                    CallStatus::Completed, CallStatus::Failed,     CallStatus::Canceled};

double averageSeconds(qint64 seconds, qint64 calls)
{
    return calls ? double(seconds) / double(calls) : 0.0;
}

QJsonObject hourJson(const HourActivity &hour)
{
    QJsonObject json{{u"hour"_s, formatUtc(hour.hour)}};
    for (CallStatus status : kStatuses)
        json.insert(toString(status), hour.callsByStatus[size_t(status)]);
    const qint64 completed = hour.callsByStatus[size_t(CallStatus::Completed)];
    json.insert(u"average_duration_seconds"_s, averageSeconds(hour.completedSeconds, completed));
    return json;
}

QJsonObject activityJson(const CallActivity &activity)
{
    QJsonArray hours;
    for (const HourActivity &hour : activity.hours)
        hours.append(hourJson(hour));
    QJsonObject quality;
    for (auto it = activity.callsByQuality.begin(); it != activity.callsByQuality.end(); ++it)
        quality.insert(it.key(), it.value());
    return {
        {u"from"_s, formatUtc(activity.from)},
        {u"to"_s, formatUtc(activity.to)},
        {u"user_id"_s, activity.userId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(activity.userId)},
        {u"hours"_s, hours},
        {u"quality"_s, quality},
        {u"calls"_s, activity.calls},
        {u"completed"_s, activity.completed},
        {u"average_duration_seconds"_s, averageSeconds(activity.completedSeconds, activity.completed)},
    };
}

void readCallActivity(CallActivityService &activity, const ApiRequest &request, const Reply &reply)
{
    const CallActivityRequest query{request.queryValue(u"from"_s), request.queryValue(u"to"_s),
                                    request.queryValue(u"user_id"_s)};
    Result<CallActivity> read = activity.read(*request.principal, query);
    reply.send(read ? ApiResponse::json(200, activityJson(read.value())) : ApiResponse::fromError(read.error()));
}

} // namespace

void addActivityRoutes(ApiServer &server, CallActivityService &activity)
{
    server.router().add("GET", u"/api/stats/calls"_s, Access::Authenticated, bound(activity, readCallActivity),
                        Scope::CallsRead);
}

} // namespace Switchboard
