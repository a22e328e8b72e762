#include "apiserver.h"
#include "routes.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

void serveApiDocsPage(const ApiRequest &, const Reply &reply)
{
    // The page and Redoc's bundle are read once: they are compiled in and never change.
    static const QByteArray page = compiledInFile(u":/api-docs/index.html"_s).value_or(QByteArray());
    ApiResponse response = ApiResponse::text(200, "text/html; charset=utf-8", page);
    // Redoc (React with styled-components) writes its styles as inline <style> elements and runs
    // its search index in a worker made from a blob: URL; the page's own icon is an empty data:
    // URL. Nothing else is allowed: scripts and the document come from this server only, and no
    // other page may frame this one.
    response.headers.emplaceBack("Content-Security-Policy",
                                 "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 "img-src 'self' data:; connect-src 'self'; worker-src blob:; "
                                 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    reply.send(response);
}

/// Redoc's bundle as the page needs it: Redoc 2 shows its maker's logo from cdn.redoc.ly under the
/// menu, whatever its options say. That address is emptied (an image with no source is never
/// requested, and Redoc then leaves it out), so the page loads nothing from outside this server.
QByteArray offlineRedocBundle()
{
    QByteArray bundle = compiledInFile(u":/api-docs/redoc.standalone.js"_s).value_or(QByteArray());
    return bundle.replace("https://cdn.redoc.ly/redoc/logo-mini.svg", "");
}

void serveRedocBundle(const ApiRequest &, const Reply &reply)
{
    static const QByteArray bundle = offlineRedocBundle();
    if (bundle.isEmpty()) {
        return reply.send(ApiResponse::error(404, u"file_not_found"_s,
                                             u"This build does not carry Redoc (npm ci --prefix resources/api-docs)"_s));
    }
    reply.send(ApiResponse::text(200, "text/javascript; charset=utf-8", bundle));
}

} // namespace

void addApiDocsRoutes(ApiServer &server)
{
    Router &router = server.router();
    router.add("GET", u"/api/docs"_s, Access::Public, serveApiDocsPage);
    router.add("GET", u"/api/docs/redoc.standalone.js"_s, Access::Public, serveRedocBundle);
}

} // namespace Switchboard
