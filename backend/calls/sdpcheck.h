#pragma once

#include <QString>

namespace Switchboard {

/// A quick check that `sdp` is a session description with an audio section (`v=0`, an origin,
/// an `m=audio` line). The provider parses it for real; this keeps plain garbage away from it.
bool looksLikeAudioSdp(const QString &sdp);

} // namespace Switchboard
