#include "twilioerror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
// https://www.twilio.com/docs/api/errors
constexpr int kAuthenticationFailed = 20003;
constexpr int kNotFound = 20404;
constexpr int kTooManyRequests = 20429;
constexpr int kInvalidCallerId = 21210; // From is not a verified or Twilio number
constexpr int kInvalidToNumber = 21211;
constexpr int kNoInternationalPermission = 21215; // the account's geographic permissions
} // namespace

TwilioError TwilioError::fromResponse(int httpStatus, const QByteArray &body)
{
    TwilioError error;
    error.httpStatus = httpStatus;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    error.code = json.value(u"code"_s).toInt();
    error.message = json.value(u"message"_s).toString().left(300);

    if (httpStatus == 429 || httpStatus >= 500 || error.code == kTooManyRequests)
        error.kind = Kind::Transient;
    else if (error.code == kAuthenticationFailed || httpStatus == 401 || httpStatus == 403)
        error.kind = Kind::Credentials;
    // A 404 names the account (wrong SID) or the call, never the dialled number.
    else if (httpStatus >= 400 && httpStatus < 500 && httpStatus != 404 && error.code != kNotFound)
        error.kind = Kind::Number;
    return error;
}

Error TwilioError::toError(const QString &dialled) const
{
    switch (kind) {
    case Kind::Number:
        if (code == kInvalidToNumber)
            return Error::validation(u"%1 is not a number Twilio can call"_s.arg(dialled));
        if (code == kNoInternationalPermission)
            return Error::validation(
                u"Calls to %1 are not enabled in the Twilio account's geographic permissions"_s.arg(dialled));
        if (code == kInvalidCallerId)
            return Error::validation(u"Twilio does not accept the caller ID (VOIP_FROM_NUMBER) for this call"_s);
        return Error::validation(u"Twilio refused the call to %1: %2"_s.arg(dialled, describe()));
    case Kind::Credentials:
        return {ErrorCode::CallInitiationFailed, u"the provider refused Switchboard's credentials"_s};
    case Kind::Transient:
        return {ErrorCode::CallInitiationFailed, u"Twilio is unavailable (%1)"_s.arg(describe())};
    case Kind::Other:
        break;
    }
    return {ErrorCode::CallInitiationFailed, u"Twilio refused the request (%1)"_s.arg(describe())};
}

QString TwilioError::describe() const
{
    QString text = u"HTTP %1"_s.arg(httpStatus);
    if (code)
        text += u", code %1"_s.arg(code);
    if (!message.isEmpty())
        text += u": "_s + message;
    return text;
}

} // namespace Switchboard
