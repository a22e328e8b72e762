#pragma once

#include <QString>

namespace Switchboard {

/// What went wrong in a use case, independent of how the transport reports it.
enum class ErrorCode {
    Validation,
    UserAlreadyExists,
    InvalidCredentials,
    Unauthenticated,
    Forbidden,
    CallNotFound,
    NotFound, ///< another resource the request names (a user)
    ContactNotFound,
    ContactAlreadyExists,
    CallAlreadyActive,
    InvalidCallState,
    CallInitiationFailed,
    DestinationNotAllowed, ///< the calling policy does not allow the number's country
    CallLimitReached, ///< a limit of the calling policy (calls a day, calls at once)
    RateLimited,
    InsufficientScope, ///< an API key without the scope the request needs
    KeyNotFound,
    IdempotencyKeyInUse, ///< a request with the same Idempotency-Key is still being answered
    Conflict, ///< a uniqueness rule of the stored data; repositories name the rule
    StorageUnavailable,
    Busy, ///< the server has as much of this work as it takes; the client may retry shortly
    Internal,
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;

    static Error validation(const QString &message) { return {ErrorCode::Validation, message}; }
    static Error storage(const QString &message) { return {ErrorCode::StorageUnavailable, message}; }
};

} // namespace Switchboard
