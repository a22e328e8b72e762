#include "voipproviderfactory.h"

#include "echopeer.h"
#include "mockvoipservice.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

Status checkTwilioSettings(const TwilioSettings &twilio)
{
    const std::pair<QString, QString> required[] = {
        {u"VOIP_ACCOUNT_SID"_s, twilio.accountSid},
        {u"VOIP_FROM_NUMBER"_s, twilio.fromNumber},
    };
    for (const auto &[name, value] : required) {
        if (value.isEmpty())
            return Error::validation(u"VOIP_PROVIDER=twilio needs %1"_s.arg(name));
    }
    if (twilio.authToken.isEmpty() && (twilio.apiKey.isEmpty() || twilio.apiSecret.isEmpty()))
        return Error::validation(u"VOIP_PROVIDER=twilio needs VOIP_AUTH_TOKEN, or VOIP_API_KEY and VOIP_API_SECRET"_s);
    return Done{};
}

} // namespace

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
        if (Status valid = checkTwilioSettings(config.twilio); !valid)
            return valid.error();
        return Error::validation(u"VOIP_PROVIDER=twilio: the Twilio provider is not part of this build yet"_s);
    }
    return Error::validation(u"VOIP_PROVIDER must be mock or twilio, not '%1'"_s.arg(config.voipProvider));
}

} // namespace Switchboard
