#pragma once

#include "domain/result.h"

#include <QString>

namespace Switchboard {

/// Phone numbers as libphonenumber sees them: the one place that decides what may be dialled.
namespace PhoneNumbers {

constexpr int kMaxInputLength = 32;

/// Parses an international number (`+49 151 23456789`, `0049…` is not accepted: the country
/// code must follow a `+`) and returns it in E.164. The error message names the problem.
Result<QString> toE164(const QString &input);

} // namespace PhoneNumbers

} // namespace Switchboard
