#pragma once

#include <QString>

#include <optional>

namespace Admin {

/// A new password: one line of standard input with `fromStdin` (for scripts), else asked twice on
/// the terminal without echo. Never from the command line, where `ps` would show it. Nothing
/// (after printing why) when there is no terminal to ask on or the two entries differ.
std::optional<QString> readNewPassword(const QString &command, bool fromStdin);

} // namespace Admin
