#pragma once

#include "core/config.h"
#include "domain/voipservice.h"

#include <memory>

namespace Switchboard {

/// The provider VOIP_PROVIDER names (`mock` by default), or why it cannot be made.
Result<std::unique_ptr<VoipService>> createVoipService(const Config &config);

} // namespace Switchboard
