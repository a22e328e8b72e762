#pragma once

#include "domain/voipservice.h"
#include "mock/mocksettings.h"
#include "twilio/twiliovoipservice.h"

#include <memory>

namespace Switchboard {

/// The provider the composition root built, and its Twilio face when it is Twilio: Twilio's status
/// callbacks and the softphone's Access Tokens have routes of their own.
struct Provider
{
    std::unique_ptr<VoipService> service;
    TwilioVoipService *twilio = nullptr; ///< the same object as `service` with VOIP_PROVIDER=twilio
};

/// The provider `name` names (VOIP_PROVIDER: `mock` or `twilio`) with its own settings, or why
/// it cannot be made.
Result<Provider> createVoipService(const QString &name, const MockSettings &mock, const TwilioOptions &twilio);

} // namespace Switchboard
