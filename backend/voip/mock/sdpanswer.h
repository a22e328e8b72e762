#pragma once

#include <QString>

#include <gst/sdp/sdp.h>

namespace Switchboard {

/// Parses the softphone's SDP answer as webrtcbin will get it: nullptr unless it is a valid
/// description with at least one media section. The caller frees the message.
GstSDPMessage *parseSdpAnswer(const QString &sdp);

/// True when the description carries a DTLS fingerprint for every media section: at the session
/// level, or in each section.
bool hasFingerprints(const GstSDPMessage *message);

} // namespace Switchboard
