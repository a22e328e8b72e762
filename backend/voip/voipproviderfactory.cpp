#include "voipproviderfactory.h"

#include "mock/echopeer.h"
#include "mock/mockvoipservice.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<Provider> createVoipService(const QString &name, const MockSettings &mock, const TwilioOptions &twilio)
{
    if (name == u"mock"_s) {
        if (mock.media) {
            if (Status loaded = EchoPeer::initializeGStreamer(); !loaded)
                return Error::validation(loaded.error().message + u" (VOIP_MOCK_MEDIA=off runs the mock without media)"_s);
        }
        return Provider{std::make_unique<MockVoipService>(mock), nullptr};
    }
    if (name == u"twilio"_s) {
        if (Status valid = twilio.account.validate(); !valid)
            return valid.error();
        auto service = std::make_unique<TwilioVoipService>(twilio);
        TwilioVoipService *face = service.get();
        return Provider{std::move(service), face};
    }
    return Error::validation(u"VOIP_PROVIDER must be mock or twilio, not '%1'"_s.arg(name));
}

} // namespace Switchboard
