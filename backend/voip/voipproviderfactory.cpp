#include "voipproviderfactory.h"

#include "echopeer.h"
#include "mockvoipservice.h"
#include "twilio/twiliovoipservice.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<std::unique_ptr<VoipService>> createVoipService(const Config &config)
{
    if (config.voipProvider == u"mock"_s) {
        if (config.mockMedia) {
            if (Status loaded = EchoPeer::initializeGStreamer(); !loaded)
                return Error::validation(loaded.error().message + u" (VOIP_MOCK_MEDIA=off runs the mock without media)"_s);
        }
        MockSettings settings;
        settings.media = config.mockMedia;
        settings.latencyMs = config.mockLatencyMs;
        settings.ringTimeoutSeconds = config.mockRingTimeoutSeconds;
        settings.ringbackMs = config.mockRingbackMs;
        settings.mediaTimeoutSeconds = config.mockMediaTimeoutSeconds;
        settings.poolSize = config.mockPoolSize;
        return std::unique_ptr<VoipService>(std::make_unique<MockVoipService>(settings));
    }
    if (config.voipProvider == u"twilio"_s) {
        if (Status valid = config.twilio.validate(); !valid)
            return valid.error();
        TwilioOptions options;
        options.account = config.twilio;
        // Twilio gives up ringing first, so that a call nobody answers fails as no_answer.
        options.ringTimeoutSeconds = qBound(5, config.callSetupTimeoutSeconds - 5, 600);
        return std::unique_ptr<VoipService>(std::make_unique<TwilioVoipService>(options));
    }
    return Error::validation(u"VOIP_PROVIDER must be mock or twilio, not '%1'"_s.arg(config.voipProvider));
}

} // namespace Switchboard
