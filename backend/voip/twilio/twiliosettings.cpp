#include "twiliosettings.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

bool matches(const QString &pattern, const QString &value)
{
    return QRegularExpression(u"\\A(?:"_s + pattern + u")\\z"_s).match(value).hasMatch();
}

Status checkUrl(const QString &name, const QString &value)
{
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s) || url.host().isEmpty()
        || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
        return Error::validation(u"%1 must be an http(s) URL without query or credentials"_s.arg(name));
    }
    return Done{};
}

} // namespace

Status TwilioSettings::validate() const
{
    // Values are never echoed: a secret pasted into the wrong variable must not reach the log.
    const QString hex32 = u"[0-9a-fA-F]{32}"_s;
    if (accountSid.isEmpty())
        return Error::validation(u"VOIP_PROVIDER=twilio needs VOIP_ACCOUNT_SID"_s);
    if (!matches(u"AC"_s + hex32, accountSid))
        return Error::validation(u"VOIP_ACCOUNT_SID must be AC followed by 32 hexadecimal digits"_s);
    if (fromNumber.isEmpty())
        return Error::validation(u"VOIP_PROVIDER=twilio needs VOIP_FROM_NUMBER"_s);
    if (!matches(u"\\+[1-9][0-9]{6,14}"_s, fromNumber))
        return Error::validation(u"VOIP_FROM_NUMBER must be an E.164 number such as +14155550100"_s);

    if (authToken.isEmpty() && apiKey.isEmpty() && apiSecret.isEmpty())
        return Error::validation(u"VOIP_PROVIDER=twilio needs VOIP_AUTH_TOKEN, or VOIP_API_KEY and VOIP_API_SECRET"_s);
    if (!authToken.isEmpty() && !matches(hex32, authToken))
        return Error::validation(u"VOIP_AUTH_TOKEN must be 32 hexadecimal digits"_s);
    if (!apiKey.isEmpty() || !apiSecret.isEmpty()) {
        if (apiKey.isEmpty())
            return Error::validation(u"VOIP_API_SECRET is set but VOIP_API_KEY is missing"_s);
        if (apiSecret.isEmpty())
            return Error::validation(u"VOIP_API_KEY is set but VOIP_API_SECRET is missing"_s);
        if (!matches(u"SK"_s + hex32, apiKey))
            return Error::validation(u"VOIP_API_KEY must be SK followed by 32 hexadecimal digits"_s);
        if (!matches(u"[0-9A-Za-z]{32}"_s, apiSecret))
            return Error::validation(u"VOIP_API_SECRET must be 32 letters and digits"_s);
    }
    if (!twimlAppSid.isEmpty() && !matches(u"AP"_s + hex32, twimlAppSid))
        return Error::validation(u"VOIP_TWIML_APP_SID must be AP followed by 32 hexadecimal digits"_s);

    if (Status url = checkUrl(u"VOIP_API_BASE_URL"_s, apiBaseUrl); !url)
        return url;
    if (!publicBaseUrl.isEmpty()) {
        if (Status url = checkUrl(u"VOICE_PUBLIC_BASE_URL"_s, publicBaseUrl); !url)
            return url;
        if (authToken.isEmpty()) {
            return Error::validation(u"VOICE_PUBLIC_BASE_URL needs VOIP_AUTH_TOKEN: Twilio signs its status "
                                     "callbacks with the Auth Token, and unsigned ones are refused"_s);
        }
    }
    return Done{};
}

} // namespace Switchboard
