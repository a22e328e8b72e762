#include "callquality.h"

#include <algorithm>

namespace Switchboard {

double estimateMos(double rttMs, double jitterMs, double packetLossPercent)
{
    // Effective one-way latency: half the round trip, jitter buffering, and codec delay.
    const double latency = rttMs / 2.0 + 2.0 * jitterMs + 10.0;
    double r = latency < 160.0 ? 93.2 - latency / 40.0 : 93.2 - (latency - 120.0) / 10.0;
    r -= 2.5 * std::clamp(packetLossPercent, 0.0, 100.0);
    r = std::clamp(r, 0.0, 100.0);
    const double mos = 1.0 + 0.035 * r + 0.000007 * r * (r - 60.0) * (100.0 - r);
    return std::clamp(mos, 1.0, 4.5);
}

} // namespace Switchboard
