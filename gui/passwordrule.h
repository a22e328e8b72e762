#pragma once

namespace Switchboard::Gui {

/// The server's rule (backend/auth/credentials.h), checked in the console too so that the
/// operator is told at once, in the chosen language, before anything is sent.
inline constexpr int kMinPasswordLength = 8;

} // namespace Switchboard::Gui
