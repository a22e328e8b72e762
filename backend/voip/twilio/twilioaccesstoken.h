#pragma once

#include <QDateTime>
#include <QString>

namespace Switchboard {

/// A Twilio Access Token with a VoiceGrant: what the softphone's Voice SDK registers with, so
/// that the call's `<Dial><Client>` reaches the operator.
///
/// A JWT signed with HS256 under the API key's secret (Twilio accepts no other key for these):
/// header `cty: twilio-fpa;v=1`, `iss` the API key SID, `sub` the Account SID, `jti` unique per
/// token, `grants.identity`, and `grants.voice` allowing incoming calls (plus the outgoing
/// TwiML application when one is configured).
struct TwilioAccessToken
{
    QString token;
    QString identity;
    QDateTime expiresAt;

    struct Grant
    {
        QString accountSid;
        QString apiKey;
        QString apiSecret;
        QString identity;
        QString outgoingApplicationSid; ///< empty: no outgoing grant
    };
    static TwilioAccessToken issue(const Grant &grant, const QDateTime &now, int ttlSeconds);

    static constexpr int kDefaultTtlSeconds = 3600;
};

} // namespace Switchboard
