#include "apiserver.h"
#include "auth/authservice.h"
#include "calls/callservice.h"
#include "routes.h"
#include "voip/mock/mockscenarios.h"

#include <QJsonArray>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <sodium.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

void gauge(QByteArray &out, const char *name, const char *type, const char *help, double value)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n' + name + ' '
        + QByteArray::number(value, 'g', 12) + '\n';
}

void reportHealth(const ApiServices &services, const QElapsedTimer &uptime, const Reply &reply)
{
    if (!services.databaseReachable())
        return reply.send(ApiResponse::error(503, u"service_unavailable"_s, u"The database is unavailable"_s));
    reply.send(ApiResponse::json(200, {
        {u"status"_s, u"ok"_s},
        {u"database"_s, u"ok"_s},
        {u"provider"_s, services.calls.providerName()},
        {u"version"_s, QCoreApplication::applicationVersion()},
        {u"uptime_seconds"_s, uptime.elapsed() / 1000},
    }));
}

/// The mock provider's scenario numbers, so that the softphone can offer them to testers.
void listTestNumbers(CallService &calls, const ApiRequest &, const Reply &reply)
{
    if (calls.providerName() != u"mock"_s)
        return reply.send(ApiResponse::error(404, u"not_enabled"_s, u"Test numbers exist with VOIP_PROVIDER=mock only"_s));
    QJsonArray numbers;
    for (const QString &number : MockScenario::testNumbers()) {
        const MockScenario scenario = MockScenario::forNumber(number);
        numbers.append(QJsonObject{{u"number"_s, number},
                                   {u"outcome"_s, scenario.outcome()},
                                   {u"hang_up_after_seconds"_s, scenario.hangUpAfterSeconds}});
    }
    reply.send(ApiResponse::json(200, {{u"numbers"_s, numbers}}));
}

void renderCallStatistics(QByteArray &out, const CallService &calls)
{
    const Result<CallStatistics> stats = calls.statistics();
    gauge(out, "switchboard_database_up", "gauge", "1 when the database answered this scrape.", stats ? 1 : 0);
    if (stats) {
        const CallStatistics &s = stats.value();
        gauge(out, "switchboard_calls_initiated_total", "counter", "Calls operators initiated.", double(s.initiated));
        gauge(out, "switchboard_calls_completed_total", "counter", "Calls that ended after being answered.",
              double(s.completed));
        gauge(out, "switchboard_call_duration_seconds_average", "gauge", "Average duration of completed calls.",
              s.averageDurationSeconds);
        gauge(out, "switchboard_voip_errors_total", "counter", "Calls failed by the provider.", double(s.providerFailures));
        gauge(out, "switchboard_voip_error_rate", "gauge", "Share of initiated calls failed by the provider.",
              s.initiated ? double(s.providerFailures) / double(s.initiated) : 0.0);
        gauge(out, "switchboard_active_sessions", "gauge", "Calls connecting or active, across instances.",
              double(s.live));
    }
    gauge(out, "switchboard_instance_sessions", "gauge", "Provider sessions held by this instance.",
          calls.sessions().count());
}

/// Off loopback the figures (call counts, route latencies, instance names) are not for anybody
/// who can reach the port: METRICS_TOKEN (for a scraper) or an operator's token opens them.
bool mayReadMetrics(const ApiServices &services, const ApiRequest &request)
{
    if (services.metricsOpen)
        return true;
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer "))
        return false;
    const QByteArray presented = authorization.mid(7).trimmed();
    if (!services.metricsToken.isEmpty() && presented.size() == services.metricsToken.size()
        && sodium_memcmp(presented.constData(), services.metricsToken.constData(), size_t(presented.size())) == 0) {
        return true;
    }
    return bool(services.auth.authenticate(presented));
}

void reportMetrics(const ApiServer &server, const ApiServices &services, const ApiRequest &request, const Reply &reply)
{
    if (!mayReadMetrics(services, request)) {
        ApiResponse refused = ApiResponse::fromError(
            {ErrorCode::Unauthenticated, u"Off loopback, /metrics needs METRICS_TOKEN or an operator's token"_s});
        return reply.send(refused);
    }
    QByteArray out;
    renderCallStatistics(out, services.calls);
    if (services.storageMetrics)
        services.storageMetrics(out);
    server.metrics().render(out);
    reply.send(ApiResponse::text(200, "text/plain; version=0.0.4; charset=utf-8", out));
}

void serveOpenApi(const ApiRequest &, const Reply &reply)
{
    static const QByteArray document = compiledInFile(u":/api/openapi.json"_s).value_or(QByteArray());
    reply.send(ApiResponse::text(200, "application/json", document));
}

} // namespace

void addSystemRoutes(ApiServer &server, const ApiServices &services)
{
    Router &router = server.router();
    auto uptime = std::make_shared<QElapsedTimer>();
    uptime->start();
    router.add("GET", u"/system/health"_s, Access::Public,
               [services, uptime](const ApiRequest &, const Reply &reply) { reportHealth(services, *uptime, reply); });
    router.add("GET", u"/api/mock/test-numbers"_s, Access::Public, bound(services.calls, listTestNumbers));
    router.add("GET", u"/metrics"_s, Access::Public,
               [&server, services](const ApiRequest &request, const Reply &reply) {
                   reportMetrics(server, services, request, reply);
               });
    router.add("GET", u"/api/openapi.json"_s, Access::Public, serveOpenApi);
}

} // namespace Switchboard
