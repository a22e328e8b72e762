#pragma once

#include "twiliosignature.h"

namespace Switchboard {

/// An application/x-www-form-urlencoded body (what Twilio's callbacks carry), every pair in
/// order; names may repeat.
TwilioSignature::Parameters parseFormBody(const QByteArray &body);

} // namespace Switchboard
