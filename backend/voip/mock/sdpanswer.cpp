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

} // namespace Switchboard
