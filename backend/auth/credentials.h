#pragma once

#include "domain/result.h"

#include <QString>

namespace Switchboard {

constexpr int kMaxEmailLength = 254;
constexpr int kMinPasswordLength = 8;
constexpr int kMaxPasswordLength = 128;

/// A plausible address of at most 254 characters, returned lower-case and trimmed.
Result<QString> normalizeEmail(const QString &email);

/// 8 to 128 characters (Unicode code points).
Status validatePassword(const QString &password);

} // namespace Switchboard
