#pragma once

#include "domain/callstatus.h"
#include "domain/error.h"

#include <QTest>

#include <optional>

namespace Switchboard {

/// Lets QCOMPARE print an ErrorCode by name when a comparison fails (found by ADL).
inline char *toString(ErrorCode code)
{
    static constexpr const char *names[] = {
        "Validation",       "UserAlreadyExists",    "InvalidCredentials", "Unauthenticated", "Forbidden",
        "CallNotFound",     "ContactNotFound",      "ContactAlreadyExists", "CallAlreadyActive",
        "InvalidCallState", "CallInitiationFailed", "RateLimited",        "Conflict",        "StorageUnavailable",
        "Internal",
    };
    const auto index = static_cast<std::size_t>(code);
    return qstrdup(index < std::size(names) ? names[index] : "unknown ErrorCode");
}

/// For PendingResult::errorCode(): no code means the use case succeeded (or has not answered).
inline char *toString(const std::optional<ErrorCode> &code)
{
    return code ? toString(*code) : qstrdup("no error");
}

} // namespace Switchboard

/// QCOMPARE cannot print a CallStatus: Switchboard::toString(CallStatus) returns a QString and wins
/// over QTest's printers by ADL. Compare the names instead, which also reads well when it fails.
#define QCOMPARE_STATUS(actual, expected) QCOMPARE(Switchboard::toString(actual), Switchboard::toString(expected))
