#pragma once

#include "domain/error.h"

#include <QByteArray>
#include <QString>

namespace Switchboard {

/// What a Twilio answer other than 2xx means for us, read from Twilio's error body
/// `{code, message, more_info, status}`.
struct TwilioError
{
    enum class Kind {
        Transient, ///< 429 or 5xx: worth another attempt
        Credentials, ///< 20003 / 401 / 403: the configuration is wrong, not the call
        Number, ///< Twilio refused the dialled number or the caller ID
        Other, ///< any other refusal
    };

    Kind kind = Kind::Other;
    int httpStatus = 0;
    int code = 0; ///< Twilio's error code, 0 when the body had none
    QString message; ///< Twilio's message, for logs

    static TwilioError fromResponse(int httpStatus, const QByteArray &body);

    /// The error a use case reports. A refused number is a validation error the operator can
    /// act on; everything else means the call could not be placed.
    Error toError(const QString &dialled) const;
    /// For the log: status, code and message, never a credential.
    QString describe() const;
};

} // namespace Switchboard
