#pragma once

#include <QList>

namespace Switchboard {

/// How the dispatcher delivers: its retry schedule and whether private addresses may receive.
struct DeliverySettings
{
    /// Seconds to wait after each failed attempt (then ±20 % jitter); after the last, the delivery
    /// has failed. Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
    /// (about 27.6 hours in all).
    QList<double> retryDelaysSeconds{5, 300, 1800, 7200, 18000, 36000, 36000};
    bool allowPrivate = false; ///< WEBHOOK_ALLOW_PRIVATE=1
};

} // namespace Switchboard
