#include "twilioerror.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

// https://www.twilio.com/docs/api/errors
constexpr int kAuthenticationFailed = 20003;
constexpr int kTooManyRequests = 20429;
constexpr int kCallNotInProgress = 21220;

// Refusals of the dialled number: the operator can dial another.
constexpr int kInvalidToNumber = 21211;
constexpr int kToUnreachable = 21214;
constexpr int kNoGeoPermission = 21215; // the account's geographic permissions exclude the number's country
constexpr int kNumberBlocked = 21216;
constexpr int kNumberNotValid = 21217;
constexpr int kInvalidPhoneNumber = 21401;
constexpr int kNumberCodes[] = {kInvalidToNumber, kToUnreachable, kNoGeoPermission, kNumberBlocked, kNumberNotValid,
                                kInvalidPhoneNumber, 13223, 13224, 13225, 13227};

struct Remedy
{
    int code;
    const char *text;
};

constexpr const char *kUnknownAccount =
    "VOIP_ACCOUNT_SID names no account these credentials reach (or VOIP_API_BASE_URL is not Twilio's API)";

// Refusals that no number would avoid: the account or Switchboard's settings must change.
constexpr Remedy kRemedies[] = {
    {21210, "VOIP_FROM_NUMBER must be a voice-capable number of this Twilio account or one of its verified "
            "caller IDs (Console: Phone Numbers > Verified Caller IDs)"},
    {21212, "VOIP_FROM_NUMBER is not a caller ID Twilio accepts"},
    {21213, "VOIP_FROM_NUMBER is missing"},
    {21603, "VOIP_FROM_NUMBER is missing"},
    {21219, "this is a trial account, which may only call verified numbers: verify the number (Console: Phone "
            "Numbers > Verified Caller IDs) or upgrade the account"},
    {21609, "Twilio refused the StatusCallback URL: VOICE_PUBLIC_BASE_URL must be a public http(s) URL with a "
            "valid host name"},
    {21626, "Twilio refused the status callback events Switchboard asks for: check VOICE_PUBLIC_BASE_URL and "
            "that VOIP_API_BASE_URL is Twilio's API"},
    {20404, kUnknownAccount},
    {20005, "the Twilio account is suspended or closed"},
    {10001, "the Twilio account is suspended or closed"},
    {20008, "test credentials can only create calls: configure the account's live credentials"},
    {32018, "the call's TwiML is over Twilio's 4,000 characters: shorten VOICE_PUBLIC_BASE_URL"},
};

TwilioError::Kind kindOf(int httpStatus, int code)
{
    using Kind = TwilioError::Kind;
    if (httpStatus == 429 || code == kTooManyRequests)
        return Kind::Throttled;
    if (httpStatus >= 500)
        return Kind::Unanswered;
    if (code == kAuthenticationFailed || httpStatus == 401 || httpStatus == 403)
        return Kind::Credentials;
    if (code == kCallNotInProgress)
        return Kind::CallEnded;
    if (std::find(std::begin(kNumberCodes), std::end(kNumberCodes), code) != std::end(kNumberCodes))
        return Kind::Number;
    // A 404 names the account (a wrong SID) or the call, never the dialled number.
    const bool known = std::any_of(std::begin(kRemedies), std::end(kRemedies),
                                   [code](const Remedy &remedy) { return remedy.code == code; });
    if (known || httpStatus == 404)
        return Kind::Configuration;
    return Kind::Other;
}

} // namespace

TwilioError TwilioError::fromResponse(int httpStatus, const QByteArray &body)
{
    TwilioError error;
    error.httpStatus = httpStatus;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    error.code = json.value(u"code"_s).toInt();
    error.message = json.value(u"message"_s).toString().left(300);
    error.kind = kindOf(httpStatus, error.code);
    return error;
}

TwilioError TwilioError::unanswered(const QString &reason)
{
    return {Kind::Unanswered, 0, 0, reason};
}

Error TwilioError::toInitiateError(const QString &dialled) const
{
    switch (kind) {
    case Kind::Number:
        if (code == kInvalidToNumber || code == kNumberNotValid || code == kInvalidPhoneNumber)
            return Error::validation(u"%1 is not a number Twilio can call"_s.arg(dialled));
        if (code == kNoGeoPermission)
            return Error::validation(
                u"Calls to %1 are not enabled in the Twilio account's geographic permissions"_s.arg(dialled));
        if (code == kToUnreachable)
            return Error::validation(u"Twilio cannot reach %1"_s.arg(dialled));
        if (code == kNumberBlocked)
            return Error::validation(u"Twilio does not allow calls to %1 from this account"_s.arg(dialled));
        return Error::validation(u"Twilio refused the call to %1: %2"_s.arg(dialled, describe()));
    case Kind::Credentials:
        return {ErrorCode::CallInitiationFailed, u"the provider refused Switchboard's credentials"_s};
    case Kind::Configuration:
        return {ErrorCode::CallInitiationFailed, u"the provider refused Switchboard's configuration (%1)"_s.arg(describe())};
    case Kind::Throttled:
    case Kind::Unanswered:
        return {ErrorCode::CallInitiationFailed, u"Twilio is unavailable (%1)"_s.arg(describe())};
    case Kind::CallEnded:
    case Kind::Other:
        break;
    }
    return {ErrorCode::CallInitiationFailed, u"Twilio refused the request (%1)"_s.arg(describe())};
}

Error TwilioError::toCallError() const
{
    if (kind == Kind::CallEnded)
        return {ErrorCode::InvalidCallState, u"Twilio says the call is no longer in progress"_s};
    if (kind == Kind::Throttled || kind == Kind::Unanswered)
        return {ErrorCode::CallInitiationFailed, u"Twilio is unavailable (%1)"_s.arg(describe())};
    return {ErrorCode::CallInitiationFailed, u"Twilio refused the request (%1)"_s.arg(describe())};
}

QString TwilioError::remedy() const
{
    for (const Remedy &remedy : kRemedies) {
        if (remedy.code == code)
            return QString::fromUtf8(remedy.text);
    }
    return kind == Kind::Configuration ? QString::fromUtf8(kUnknownAccount) : QString();
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
