#include "sdpcheck.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

bool looksLikeAudioSdp(const QString &sdp)
{
    return sdp.startsWith(u"v=0"_s) && sdp.contains(u"\nm=audio "_s) && sdp.contains(u"\no="_s);
}

} // namespace Switchboard
