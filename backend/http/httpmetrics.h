#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

#include <array>

namespace Switchboard {

/// Requests by route and status, and a latency histogram, in Prometheus text form. Thread-safe:
/// every serving thread records into the one instance.
class HttpMetrics
{
public:
    void record(const QByteArray &method, const QString &route, int status, double seconds);
    /// Appends the `switchboard_http_*` families to `out`.
    void render(QByteArray &out) const;

    static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

private:
    struct Key
    {
        QByteArray method;
        QString route;
        int status;
        bool operator==(const Key &other) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed) { return qHashMulti(seed, key.method, key.route, key.status); }

    struct Latency
    {
        std::array<quint64, kBuckets.size()> buckets{};
        quint64 count = 0;
        double sum = 0;
    };

    mutable QMutex m_mutex;
    QHash<Key, quint64> m_requests;
    QHash<QString, Latency> m_latency;
};

} // namespace Switchboard
