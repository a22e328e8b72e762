#include "apiserver.h"
#include "auth/authservice.h"
#include "calls/policyservice.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr qsizetype kMaxCountries = 300; // libphonenumber knows about 245 regions

QJsonObject policyJson(const CallingPolicy &policy)
{
    return {
        {u"allowed_countries"_s, QJsonArray::fromStringList(policy.allowedCountries)},
        {u"calls_per_operator_per_day"_s, policy.callsPerOperatorPerDay},
        {u"max_call_duration_seconds"_s, policy.maxCallDurationSeconds},
        {u"max_concurrent_calls"_s, policy.maxConcurrentCalls},
        {u"updated_at"_s, policy.updatedAt ? QJsonValue(formatUtc(*policy.updatedAt)) : QJsonValue(QJsonValue::Null)},
        {u"updated_by"_s, policy.updatedBy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(policy.updatedBy)},
    };
}

/// A required whole number (the range is the service's to judge).
Result<int> requiredCount(const QJsonObject &body, const QString &name)
{
    const QJsonValue value = body.value(name);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || std::abs(number) > 1e9)
        return Error::validation(u"%1 is required: a whole number, 0 for no limit"_s.arg(name));
    return int(number);
}

Result<CallingPolicy> policyBody(const ApiRequest &request)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    if (!body)
        return body.error();
    Result<QStringList> countries =
        requiredStringArray(body.value(), u"allowed_countries"_s, u"ISO 3166-1 codes, empty for all"_s, kMaxCountries);
    if (!countries)
        return countries.error();
    CallingPolicy policy;
    policy.allowedCountries = countries.value();
    for (auto [name, field] : {std::pair{u"calls_per_operator_per_day"_s, &policy.callsPerOperatorPerDay},
                               std::pair{u"max_call_duration_seconds"_s, &policy.maxCallDurationSeconds},
                               std::pair{u"max_concurrent_calls"_s, &policy.maxConcurrentCalls}}) {
        Result<int> count = requiredCount(body.value(), name);
        if (!count)
            return count.error();
        *field = count.value();
    }
    return policy;
}

void readPolicy(PolicyService &policies, const ApiRequest &request, const Reply &reply)
{
    Result<CallingPolicy> policy = policies.read(*request.principal);
    reply.send(policy ? ApiResponse::json(200, policyJson(policy.value())) : ApiResponse::fromError(policy.error()));
}

void replacePolicy(PolicyService &policies, const ApiRequest &request, const Reply &reply)
{
    Result<CallingPolicy> requested = policyBody(request);
    if (!requested)
        return reply.send(ApiResponse::fromError(requested.error()));
    policies.replace(*request.principal, requested.value(), [reply](Result<CallingPolicy> policy) {
        reply.send(policy ? ApiResponse::json(200, policyJson(policy.value())) : ApiResponse::fromError(policy.error()));
    });
}

} // namespace

void addPolicyRoutes(ApiServer &server, PolicyService &policies)
{
    Router &router = server.router();
    router.add("GET", u"/api/policy"_s, Access::Authenticated, bound(policies, readPolicy));
    router.add("PUT", u"/api/policy"_s, Access::Authenticated, bound(policies, replacePolicy));
}

} // namespace Switchboard
