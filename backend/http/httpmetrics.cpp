#include "httpmetrics.h"

namespace Switchboard {

void HttpMetrics::record(const QByteArray &method, const QString &route, int status, double seconds)
{
    QMutexLocker lock(&m_mutex);
    ++m_requests[Key{method, route, status}];
    Latency &latency = m_latency[route];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i])
            ++latency.buckets[i];
    }
    ++latency.count;
    latency.sum += seconds;
}

void HttpMetrics::render(QByteArray &out) const
{
    QMutexLocker lock(&m_mutex);
    out += "# HELP switchboard_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE switchboard_http_requests_total counter\n";
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        out += "switchboard_http_requests_total{method=\"" + it.key().method + "\",route=\"" + it.key().route.toUtf8()
            + "\",status=\"" + QByteArray::number(it.key().status) + "\"} " + QByteArray::number(it.value()) + '\n';
    }
    out += "# HELP switchboard_http_request_duration_seconds Time from request to answer, by route.\n"
           "# TYPE switchboard_http_request_duration_seconds histogram\n";
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QByteArray route = it.key().toUtf8();
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            out += "switchboard_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\""
                + QByteArray::number(kBuckets[i]) + "\"} " + QByteArray::number(it->buckets[i]) + '\n';
        }
        out += "switchboard_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} "
            + QByteArray::number(it->count) + '\n';
        out += "switchboard_http_request_duration_seconds_sum{route=\"" + route + "\"} "
            + QByteArray::number(it->sum, 'f', 6) + '\n';
        out += "switchboard_http_request_duration_seconds_count{route=\"" + route + "\"} "
            + QByteArray::number(it->count) + '\n';
    }
}

} // namespace Switchboard
