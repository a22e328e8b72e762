#pragma once

namespace Switchboard {

/// A mean opinion score from round-trip time, jitter and loss, by the simplified E-model
/// (ITU-T G.107) that VoIP monitors commonly use: 1 is unusable, 4.5 is the best narrowband rating.
double estimateMos(double rttMs, double jitterMs, double packetLossPercent);

} // namespace Switchboard
