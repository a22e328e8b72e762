// Twilio's status callbacks: the form body, the signature check over it, and the CallStatus.
#include "voip/twilio/twiliocallstatus.h"
#include "voip/twilio/twilioform.h"
#include "voip/twilio/twiliosignature.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QByteArray authToken = "0123456789abcdef0123456789abcdef";
    static const QString url = u"https://switchboard.example.com/api/voice/status"_s;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const TwilioSignature::Parameters parameters = parseFormBody(body);
    // The signature Twilio would send for these parameters is accepted; a different one is not.
    const QByteArray signature = TwilioSignature::compute(authToken, url, parameters);
    if (!TwilioSignature::isValid(authToken, url, parameters, signature)
        || TwilioSignature::isValid(authToken, url, parameters, body.left(28)))
        __builtin_trap();
    for (const auto &[name, value] : parameters) {
        if (name == u"CallStatus"_s)
            (void)TwilioCallStatus::parse(value);
    }
    return 0;
}
