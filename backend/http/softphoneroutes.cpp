#include "apiserver.h"
#include "routes.h"

#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QByteArray contentType(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix();
    if (suffix == u"html"_s)
        return "text/html; charset=utf-8";
    if (suffix == u"js"_s)
        return "text/javascript; charset=utf-8";
    if (suffix == u"css"_s)
        return "text/css; charset=utf-8";
    if (suffix == u"svg"_s)
        return "image/svg+xml";
    if (suffix == u"png"_s)
        return "image/png";
    return "application/octet-stream";
}

void sendFile(const QString &name, const Reply &reply)
{
    // Names come from one path segment and are looked up among the compiled-in files only.
    const std::optional<QByteArray> file =
        name.contains(u'/') || name.startsWith(u'.') ? std::nullopt : compiledInFile(u":/softphone/"_s + name);
    if (!file)
        return reply.send(ApiResponse::error(404, u"file_not_found"_s, u"No such file: %1"_s.arg(name)));
    ApiResponse response = ApiResponse::text(200, contentType(name), *file);
    // Twilio's Voice SDK (loaded only with VOIP_PROVIDER=twilio) signals over wss://*.twilio.com,
    // reports call quality over https, and plays its ringing tones from sdk.twilio.com. No other
    // page may frame the softphone (clickjacking its call buttons).
    response.headers.emplaceBack("Content-Security-Policy",
                                 "default-src 'self'; media-src 'self' blob: mediastream: https://sdk.twilio.com; "
                                 "connect-src 'self' wss://*.twilio.com https://*.twilio.com; frame-ancestors 'none'");
    reply.send(response);
}

} // namespace

void addSoftphoneRoutes(ApiServer &server)
{
    Router &router = server.router();
    router.add("GET", u"/"_s, Access::Public, [](const ApiRequest &, const Reply &reply) {
        ApiResponse response = ApiResponse::noContent();
        response.status = 302;
        response.headers.emplaceBack("Location", "/softphone/");
        reply.send(response);
    });
    router.add("GET", u"/softphone/"_s, Access::Public,
               [](const ApiRequest &, const Reply &reply) { sendFile(u"index.html"_s, reply); });
    router.add("GET", u"/softphone/{file}"_s, Access::Public,
               [](const ApiRequest &request, const Reply &reply) { sendFile(request.pathParams.value(0), reply); });
}

} // namespace Switchboard
