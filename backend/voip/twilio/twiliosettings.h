#pragma once

#include "domain/result.h"

#include <QString>

namespace Switchboard {

/// The Twilio account, as configured; validated with the rest of the configuration when
/// VOIP_PROVIDER=twilio, so that a wrong setting stops start-up before anything is opened.
struct TwilioSettings
{
    QString accountSid; ///< VOIP_ACCOUNT_SID
    QString authToken; ///< VOIP_AUTH_TOKEN: REST auth when no API key, and the key of webhook signatures
    QString apiKey; ///< VOIP_API_KEY (SK…): REST auth and the issuer of the softphone's Access Tokens
    QString apiSecret; ///< VOIP_API_SECRET
    QString fromNumber; ///< VOIP_FROM_NUMBER, the caller ID
    QString apiBaseUrl; ///< VOIP_API_BASE_URL
    QString publicBaseUrl; ///< VOICE_PUBLIC_BASE_URL: where Twilio reaches our webhooks; empty: poll
    QString twimlAppSid; ///< VOIP_TWIML_APP_SID (AP…): the Access Token's outgoing grant, when set

    /// Why these settings cannot work with Twilio, naming the variable (never its value).
    Status validate() const;
};

} // namespace Switchboard
