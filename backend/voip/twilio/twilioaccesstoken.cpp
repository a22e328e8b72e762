#include "twilioaccesstoken.h"

#include "core/hs256jwt.h"

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

TwilioAccessToken TwilioAccessToken::issue(const Grant &grant, const QDateTime &now, int ttlSeconds)
{
    const qint64 issuedAt = now.toSecsSinceEpoch();
    const qint64 expiresAt = issuedAt + ttlSeconds;

    QJsonObject voice{{u"incoming"_s, QJsonObject{{u"allow"_s, true}}}};
    if (!grant.outgoingApplicationSid.isEmpty())
        voice.insert(u"outgoing"_s, QJsonObject{{u"application_sid"_s, grant.outgoingApplicationSid}});

    const QJsonObject header{{u"typ"_s, u"JWT"_s}, {u"alg"_s, u"HS256"_s}, {u"cty"_s, u"twilio-fpa;v=1"_s}};
    const QJsonObject payload{
        // Twilio's helper libraries form the jti as key-time; a second token in the same second
        // gets the same jti, which Twilio tolerates.
        {u"jti"_s, u"%1-%2"_s.arg(grant.apiKey).arg(issuedAt)},
        {u"iss"_s, grant.apiKey},
        {u"sub"_s, grant.accountSid},
        {u"iat"_s, issuedAt},
        {u"exp"_s, expiresAt},
        {u"grants"_s, QJsonObject{{u"identity"_s, grant.identity}, {u"voice"_s, voice}}},
    };
    return {QString::fromLatin1(signHs256Jwt(header, payload, grant.apiSecret.toUtf8())), grant.identity,
            QDateTime::fromSecsSinceEpoch(expiresAt, Qt::UTC)};
}

} // namespace Switchboard
