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
    ContactNotFound,
    ContactAlreadyExists,
    CallAlreadyActive,
    InvalidCallState,
    CallInitiationFailed,
    RateLimited,
    Conflict, ///< a uniqueness rule of the stored data; repositories name the rule
    StorageUnavailable,
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
