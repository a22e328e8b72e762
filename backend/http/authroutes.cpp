#include "apiserver.h"
#include "auth/authservice.h"
#include "auth/credentials.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QJsonObject sessionJson(const AuthSession &session)
{
    return {
        {u"token"_s, session.token},
        {u"expires_at"_s, formatUtc(session.expiresAt)},
        {u"user"_s, QJsonObject{{u"id"_s, session.user.id}, {u"email"_s, session.user.email},
                                {u"role"_s, roleName(session.user.role)}}},
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
    auth.registerUser(credentials->email, credentials->password, request.peer, [reply](Result<AuthSession> session) {
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

void refreshToken(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<AuthSession> session = auth.refresh(*request.principal);
    reply.send(session ? ApiResponse::json(200, sessionJson(session.value())) : ApiResponse::fromError(session.error()));
}

void logoutEverywhere(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    auth.logoutEverywhere(*request.principal, [reply](Status done) {
        reply.send(done ? ApiResponse::noContent() : ApiResponse::fromError(done.error()));
    });
}

QJsonObject userJson(const User &user)
{
    return {{u"id"_s, user.id},
            {u"email"_s, user.email},
            {u"role"_s, roleName(user.role)},
            {u"disabled"_s, user.disabled},
            {u"created_at"_s, formatUtc(user.createdAt)}};
}

void listUsers(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<QList<User>> users = auth.listUsers(*request.principal);
    if (!users)
        return reply.send(ApiResponse::fromError(users.error()));
    QJsonArray items;
    for (const User &user : users.value())
        items.append(userJson(user));
    reply.send(ApiResponse::json(200, {{u"users"_s, items}}));
}

Result<Role> roleField(const QJsonObject &body, Role fallback)
{
    if (!body.contains(u"role"_s))
        return fallback;
    const std::optional<Role> role = roleFromName(body.value(u"role"_s).toString());
    if (!role)
        return Error::validation(u"role must be admin or operator"_s);
    return *role;
}

void addUser(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<Credentials> credentials = credentialsBody(request);
    if (!credentials)
        return reply.send(ApiResponse::fromError(credentials.error()));
    Result<Role> role = roleField(jsonObjectBody(request).value(), Role::Operator);
    if (!role)
        return reply.send(ApiResponse::fromError(role.error()));
    auth.addUser(*request.principal, credentials->email, credentials->password, role.value(), [reply](Result<User> user) {
        reply.send(user ? ApiResponse::json(201, userJson(user.value())) : ApiResponse::fromError(user.error()));
    });
}

Result<UserChanges> userChanges(const ApiRequest &request)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    if (!body)
        return body.error();
    UserChanges changes;
    if (body->contains(u"role"_s)) {
        Result<Role> role = roleField(body.value(), Role::Operator);
        if (!role)
            return role.error();
        changes.role = role.value();
    }
    if (body->contains(u"disabled"_s)) {
        if (!body->value(u"disabled"_s).isBool())
            return Error::validation(u"disabled must be true or false"_s);
        changes.disabled = body->value(u"disabled"_s).toBool();
    }
    if (body->contains(u"password"_s)) {
        Result<QString> password = requiredString(body.value(), u"password"_s, kMaxPasswordLength * 2);
        if (!password)
            return password.error();
        changes.password = password.value();
    }
    return changes;
}

void changeUser(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<UserChanges> changes = userChanges(request);
    if (!changes)
        return reply.send(ApiResponse::fromError(changes.error()));
    auth.changeUser(*request.principal, request.pathParams.value(0), changes.value(), [reply](Result<User> user) {
        reply.send(user ? ApiResponse::json(200, userJson(user.value())) : ApiResponse::fromError(user.error()));
    });
}

void readAuditTrail(AuthService &auth, const ApiRequest &request, const Reply &reply)
{
    Result<AuditPage> page = auth.auditTrail(*request.principal, request.queryValue(u"page"_s), request.queryValue(u"limit"_s),
                                             request.queryValue(u"actor"_s), request.queryValue(u"action"_s));
    if (!page)
        return reply.send(ApiResponse::fromError(page.error()));
    QJsonArray events;
    for (const AuditEvent &event : page->events) {
        events.append(QJsonObject{{u"id"_s, event.id},
                                  {u"at"_s, formatUtc(event.at)},
                                  {u"actor_id"_s, event.actorId.isEmpty() ? QJsonValue() : QJsonValue(event.actorId)},
                                  {u"actor_email"_s, event.actorEmail.isEmpty() ? QJsonValue() : QJsonValue(event.actorEmail)},
                                  {u"action"_s, event.action},
                                  {u"target"_s, event.target},
                                  {u"client"_s, event.client},
                                  {u"detail"_s, event.detail}});
    }
    reply.send(ApiResponse::json(
        200, {{u"events"_s, events}, {u"total"_s, page->total}, {u"page"_s, page->page}, {u"limit"_s, page->limit}}));
}

} // namespace

void addAuthRoutes(ApiServer &server, AuthService &auth)
{
    Router &router = server.router();
    router.add("POST", u"/api/auth/register"_s, Access::Public, bound(auth, registerUser));
    router.add("POST", u"/api/auth/login"_s, Access::Public, bound(auth, login));
    router.add("POST", u"/api/auth/logout"_s, Access::Authenticated, bound(auth, logout));
    router.add("POST", u"/api/auth/refresh"_s, Access::Authenticated, bound(auth, refreshToken));
    router.add("POST", u"/api/auth/logout-all"_s, Access::Authenticated, bound(auth, logoutEverywhere));
    router.add("GET", u"/api/users"_s, Access::Authenticated, bound(auth, listUsers));
    router.add("POST", u"/api/users"_s, Access::Authenticated, bound(auth, addUser));
    router.add("PATCH", u"/api/users/{id}"_s, Access::Authenticated, bound(auth, changeUser));
    router.add("GET", u"/api/audit"_s, Access::Authenticated, bound(auth, readAuditTrail));
}

} // namespace Switchboard
