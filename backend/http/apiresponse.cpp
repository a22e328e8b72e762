#include "apiresponse.h"

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

ApiResponse ApiResponse::json(int status, const QJsonObject &object)
{
    return {status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

ApiResponse ApiResponse::text(int status, const QByteArray &contentType, const QByteArray &body)
{
    return {status, contentType, body, {}};
}

ApiResponse ApiResponse::noContent()
{
    return {204, {}, {}, {}};
}

ApiResponse ApiResponse::stream(const QByteArray &contentType, const QByteArray &firstPiece)
{
    return {200, contentType, firstPiece, {}, true};
}

ApiResponse ApiResponse::error(int status, const QString &type, const QString &message)
{
    return json(status, {{u"error"_s, type}, {u"message"_s, message}});
}

ApiResponse ApiResponse::fromError(const Error &error)
{
    switch (error.code) {
    case ErrorCode::Validation:
        return ApiResponse::error(400, u"validation_error"_s, error.message);
    case ErrorCode::UserAlreadyExists:
        return ApiResponse::error(409, u"user_already_exists"_s, error.message);
    case ErrorCode::InvalidCredentials:
        return ApiResponse::error(401, u"invalid_credentials"_s, error.message);
    case ErrorCode::Unauthenticated: {
        ApiResponse response = ApiResponse::error(401, u"unauthorized"_s, error.message);
        response.headers.emplaceBack("WWW-Authenticate", "Bearer");
        return response;
    }
    case ErrorCode::Forbidden:
        return ApiResponse::error(403, u"unauthorized"_s, error.message);
    case ErrorCode::CallNotFound:
        return ApiResponse::error(404, u"call_not_found"_s, error.message);
    case ErrorCode::NotFound:
        return ApiResponse::error(404, u"not_found"_s, error.message);
    case ErrorCode::ContactNotFound:
        return ApiResponse::error(404, u"contact_not_found"_s, error.message);
    case ErrorCode::ContactAlreadyExists:
        return ApiResponse::error(409, u"contact_already_exists"_s, error.message);
    case ErrorCode::CallAlreadyActive:
        return ApiResponse::error(409, u"call_already_active"_s, error.message);
    case ErrorCode::InvalidCallState:
        return ApiResponse::error(409, u"invalid_call_state"_s, error.message);
    case ErrorCode::Conflict:
        return ApiResponse::error(409, u"conflict"_s, error.message);
    case ErrorCode::CallInitiationFailed:
        return ApiResponse::error(503, u"call_initiation_failed"_s, error.message);
    case ErrorCode::DestinationNotAllowed:
        return ApiResponse::error(403, u"destination_not_allowed"_s, error.message);
    case ErrorCode::CallLimitReached:
        return ApiResponse::error(429, u"call_limit_reached"_s, error.message);
    case ErrorCode::RateLimited: {
        ApiResponse response = ApiResponse::error(429, u"rate_limited"_s, error.message);
        response.headers.emplaceBack("Retry-After", "60");
        return response;
    }
    case ErrorCode::InsufficientScope:
        return ApiResponse::error(403, u"insufficient_scope"_s, error.message);
    case ErrorCode::KeyNotFound:
        return ApiResponse::error(404, u"key_not_found"_s, error.message);
    case ErrorCode::IdempotencyKeyInUse:
        return ApiResponse::error(409, u"idempotency_key_in_use"_s, error.message);
    case ErrorCode::StorageUnavailable:
        // The storage error's own text names tables and drivers: it goes to the log, not the client.
        return ApiResponse::error(503, u"service_unavailable"_s, u"The database is unavailable; try again shortly"_s);
    case ErrorCode::Busy: {
        ApiResponse response = ApiResponse::error(503, u"server_busy"_s, error.message);
        response.headers.emplaceBack("Retry-After", "1");
        return response;
    }
    case ErrorCode::Internal:
        break;
    }
    return ApiResponse::error(500, u"internal_error"_s, u"Something went wrong on the server"_s);
}

} // namespace Switchboard
