#pragma once

namespace Switchboard {

/// The mock provider's settings (VOIP_MOCK_*).
struct MockSettings
{
    bool media = true; ///< a real WebRTC far end (GStreamer), or a synthetic offer and no media
    int latencyMs = 0; ///< extra time initiate takes, to exercise a slow provider
    int ringTimeoutSeconds = 30; ///< when the no-answer number gives up
    int ringbackMs = 1000; ///< how long the far end rings once media connects
    int mediaTimeoutSeconds = 10; ///< how long ICE and DTLS may take after the answer, and the softphone's audio may stop
    int poolSize = 4; ///< far ends kept with their offer ready
    /// How long the far end of a call without an answer waits before it plays its part without
    /// media. A softphone answers within 0.1 s when idle, but twenty calls at once on two cores
    /// took over 2 s: a far end that picked up first then starved the other calls' offers.
    int answerWindowMs = 5000;
    int maxCalls = 100; ///< live far ends at most: each is a GStreamer pipeline with its sockets and threads
    int qualityIntervalMs = 1000; ///< how often call quality is sampled
};

} // namespace Switchboard
