#include "apiserver.h"
#include "auth/authservice.h"
#include "auth/credentials.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QJsonObject sessionJson(const AuthSession &session)
{
    return {
        {u"token"_s, session.token},
        {u"expires_at"_s, formatUtc(session.expiresAt)},
        {u"user"_s, QJsonObject{{u"id"_s, session.user.id}, {u"email"_s, session.user.email}}},
    };
}

struct Credentials
{
    QString email;
    QString password;
};

Result<Credentials> credentialsBody(const ApiRequest &request)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    if (!body)
        return body.error();
    Result<QString> email = requiredString(body.value(), u"email"_s, kMaxEmailLength);
    if (!email)
        return email.error();
    Result<QString> password = requiredString(body.value(), u"password"_s, kMaxPasswordLength * 2);
    if (!password)
        return password.error();
    return Credentials{email.value(), password.value()};
}

void registerUser(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<Credentials> credentials = credentialsBody(request);
    if (!credentials)
        return reply.send(ApiResponse::fromError(credentials.error()));
    auth.registerUser(credentials->email, credentials->password, [reply](Result<AuthSession> session) {
        reply.send(session ? ApiResponse::json(201, sessionJson(session.value())) : ApiResponse::fromError(session.error()));
    });
}

void login(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<Credentials> credentials = credentialsBody(request);
    if (!credentials)
        return reply.send(ApiResponse::fromError(credentials.error()));
    auth.login(credentials->email, credentials->password, request.peer, [reply](Result<AuthSession> session) {
        reply.send(session ? ApiResponse::json(200, sessionJson(session.value())) : ApiResponse::fromError(session.error()));
    });
}

void logout(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    auth.logout(*request.principal, [reply](Status done) {
        reply.send(done ? ApiResponse::noContent() : ApiResponse::fromError(done.error()));
    });
}

} // namespace

void addAuthRoutes(ApiServer &server, AuthService &auth)
{
    Router &router = server.router();
    router.add("POST", u"/api/auth/register"_s, Access::Public, bound(auth, registerUser));
    router.add("POST", u"/api/auth/login"_s, Access::Public, bound(auth, login));
    router.add("POST", u"/api/auth/logout"_s, Access::Authenticated, bound(auth, logout));
}

} // namespace Switchboard
