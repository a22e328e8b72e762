// SDP answers as the answer route and the far end take them: the quick check, then GStreamer's
// parser with the far end's own acceptance rule.
#include "calls/sdpcheck.h"
#include "voip/mock/sdpanswer.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString sdp = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!Switchboard::looksLikeAudioSdp(sdp))
        return 0;
    if (GstSDPMessage *message = Switchboard::parseSdpAnswer(sdp)) {
        gchar *text = gst_sdp_message_as_text(message);
        g_free(text);
        gst_sdp_message_free(message);
    }
    return 0;
}
