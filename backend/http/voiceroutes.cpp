#include "apiserver.h"
#include "calls/callservice.h"
#include "core/logging.h"
#include "core/timeformat.h"
#include "routes.h"
#include "voip/twilio/twilioform.h"
#include "voip/twilio/twiliovoipservice.h"

#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// Twilio's status callback. Public, as Twilio has no bearer token: the signature, HMAC-SHA1
/// under the Auth Token over the URL and the parameters, is what proves a callback is Twilio's.
void applyStatusCallback(TwilioVoipService *twilio, CallService &calls, const ApiRequest &request, const Reply &reply)
{
    if (!twilio || twilio->statusCallbackUrl().isEmpty()) {
        return reply.send(ApiResponse::error(
            404, u"not_enabled"_s, u"Status callbacks are off: they need VOIP_PROVIDER=twilio and VOICE_PUBLIC_BASE_URL"_s));
    }
    if (!request.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded")) {
        return reply.send(
            ApiResponse::error(400, u"validation_error"_s, u"A status callback is application/x-www-form-urlencoded"_s));
    }
    const TwilioSignature::Parameters parameters = parseFormBody(request.body);
    // Twilio signs the URL it was given, which is ours plus whatever query it carried.
    QString url = twilio->statusCallbackUrl();
    if (!request.query.isEmpty())
        url += u'?' + request.query.query(QUrl::FullyEncoded);
    if (!twilio->isSignedByTwilio(url, parameters, request.header("X-Twilio-Signature"))) {
        qCWarning(lcHttp).noquote() << "refused a status callback from" << request.peer.toString()
                                    << (request.header("X-Twilio-Signature").isEmpty() ? "without a signature"
                                                                                       : "with a wrong signature");
        return reply.send(
            ApiResponse::error(403, u"invalid_signature"_s, u"The request does not carry Twilio's signature"_s));
    }
    // Acknowledged once what it changed is committed: a 204 is Twilio's word that it is recorded.
    twilio->applyStatusCallback(parameters);
    calls.afterWrites([reply](Status recorded) {
        reply.send(recorded ? ApiResponse::noContent() : ApiResponse::fromError(recorded.error()));
    });
}

/// The token the softphone registers with Twilio's Voice SDK, to take the leg that the call's
/// TwiML dials to the operator.
void issueVoiceToken(TwilioVoipService *twilio, const ApiRequest &request, const Reply &reply)
{
    if (!twilio || !twilio->issuesAccessTokens()) {
        return reply.send(ApiResponse::error(
            404, u"not_enabled"_s, u"Voice tokens need VOIP_PROVIDER=twilio with VOIP_API_KEY and VOIP_API_SECRET"_s));
    }
    const TwilioAccessToken token = twilio->accessToken(request.principal->userId, QDateTime::currentDateTimeUtc());
    reply.send(ApiResponse::json(200, {
        {u"provider"_s, twilio->name()},
        {u"token"_s, token.token},
        {u"identity"_s, token.identity},
        {u"expires_at"_s, formatUtc(token.expiresAt)},
    }));
}

} // namespace

void addVoiceRoutes(ApiServer &server, TwilioVoipService *twilio, CallService &calls)
{
    Router &router = server.router();
    using namespace std::placeholders;
    router.add("POST", u"/api/voice/status"_s, Access::Public,
               std::bind(applyStatusCallback, twilio, std::ref(calls), _1, _2));
    router.add("GET", u"/api/voice/token"_s, Access::Authenticated, std::bind(issueVoiceToken, twilio, _1, _2));
}

} // namespace Switchboard
