#include "apiserver.h"
#include "auth/apikeyservice.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QJsonArray>

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// A key as listed: never its secret.
QJsonObject keyJson(const ApiKey &key)
{
    return {
        {u"key_id"_s, key.id},
        {u"name"_s, key.name},
        {u"scopes"_s, QJsonArray::fromStringList(key.scopes)},
        {u"prefix"_s, key.prefix},
        {u"created_at"_s, formatUtc(key.createdAt)},
        {u"last_used_at"_s, key.lastUsedAt ? QJsonValue(formatUtc(*key.lastUsedAt)) : QJsonValue(QJsonValue::Null)},
    };
}

void createKey(ApiKeyService &keys, const ApiRequest &request, const Reply &reply)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    Result<QString> name = body ? requiredString(body.value(), u"name"_s, ApiKeyService::kMaxNameLength)
                                : Result<QString>(body.error());
    if (!name)
        return reply.send(ApiResponse::fromError(name.error()));
    Result<QStringList> scopes =
        requiredStringArray(body.value(), u"scopes"_s, u"scope names"_s, std::numeric_limits<qsizetype>::max());
    if (!scopes)
        return reply.send(ApiResponse::fromError(scopes.error()));
    keys.create(request.principal->userId, name.value(), scopes.value(), [reply](Result<CreatedApiKey> created) {
        if (!created)
            return reply.send(ApiResponse::fromError(created.error()));
        QJsonObject json = keyJson(created->key);
        json.insert(u"key"_s, created->secret);
        reply.send(ApiResponse::json(201, json));
    });
}

void listKeys(ApiKeyService &keys, const ApiRequest &request, const Reply &reply)
{
    Result<QList<ApiKey>> listed = keys.list(request.principal->userId);
    if (!listed)
        return reply.send(ApiResponse::fromError(listed.error()));
    QJsonArray items;
    for (const ApiKey &key : listed.value())
        items.append(keyJson(key));
    reply.send(ApiResponse::json(200, {{u"keys"_s, items}}));
}

void revokeKey(ApiKeyService &keys, const ApiRequest &request, const Reply &reply)
{
    keys.revoke(request.principal->userId, request.pathParams.value(0), [reply](Status revoked) {
        reply.send(revoked ? ApiResponse::noContent() : ApiResponse::fromError(revoked.error()));
    });
}

} // namespace

// No scope: a key cannot make or revoke keys, only a logged-in operator can.
void addKeyRoutes(ApiServer &server, ApiKeyService &keys)
{
    Router &router = server.router();
    router.add("POST", u"/api/keys"_s, Access::Authenticated, bound(keys, createKey));
    router.add("GET", u"/api/keys"_s, Access::Authenticated, bound(keys, listKeys));
    router.add("DELETE", u"/api/keys/{id}"_s, Access::Authenticated, bound(keys, revokeKey));
}

} // namespace Switchboard
