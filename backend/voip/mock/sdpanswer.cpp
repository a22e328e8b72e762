#include "sdpanswer.h"

namespace Switchboard {

GstSDPMessage *parseSdpAnswer(const QString &sdp)
{
    GstSDPMessage *message = nullptr;
    gst_sdp_message_new(&message);
    const QByteArray utf8 = sdp.toUtf8();
    if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8 *>(utf8.constData()), guint(utf8.size()), message)
            != GST_SDP_OK
        || gst_sdp_message_medias_len(message) == 0) {
        gst_sdp_message_free(message);
        return nullptr;
    }
    return message;
}

bool hasFingerprints(const GstSDPMessage *message)
{
    const auto present = [](const gchar *value) { return value && *value; };
    if (present(gst_sdp_message_get_attribute_val(message, "fingerprint")))
        return true;
    for (guint i = 0; i < gst_sdp_message_medias_len(message); ++i) {
        if (!present(gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(message, i), "fingerprint")))
            return false;
    }
    return true;
}

} // namespace Switchboard
