#pragma once

#include "domain/error.h"

#include <QByteArray>
#include <QString>

namespace Switchboard {

/// What an answer from Twilio other than 2xx, or no answer at all, means for us, read from
/// Twilio's error body `{code, message, more_info, status}`.
struct TwilioError
{
    enum class Kind {
        Throttled, ///< 429: Twilio did not process the request, so sending it again is safe
        Unanswered, ///< 5xx, no answer in time, a dropped connection: Twilio may have acted on it
        Credentials, ///< 20003 / 401 / 403: the account's credentials are wrong
        Configuration, ///< the account or Switchboard's Twilio settings, not the call (21210, 21219 …)
        Number, ///< the dialled number (21211, 21214, 21215, 21216, 21217 …): the operator's to correct
        CallEnded, ///< 21220: the call is no longer in progress
        Other, ///< any other refusal
    };

    Kind kind = Kind::Other;
    int httpStatus = 0;
    int code = 0; ///< Twilio's error code, 0 when the body had none
    QString message; ///< Twilio's message, for logs

    static TwilioError fromResponse(int httpStatus, const QByteArray &body);
    /// No answer: a timeout or a connection closed before the answer (`reason` says which).
    static TwilioError unanswered(const QString &reason);

    /// The error an initiate reports. A refused number is a validation error the operator can
    /// act on; everything else means the call could not be placed.
    Error toInitiateError(const QString &dialled) const;
    /// The error of an operation on a call that exists (end, hold, transfer).
    Error toCallError() const;
    /// For a Configuration error: which setting or Console page to fix; empty otherwise.
    QString remedy() const;
    /// For the log: status, code and message, never a credential.
    QString describe() const;
};

} // namespace Switchboard
