#pragma once

#include "apirequest.h"
#include "responsequeue.h"

#include <QList>
#include <QString>

#include <functional>

namespace Switchboard {

using Handler = std::function<void(const ApiRequest &request, const Reply &reply)>;

enum class Access { Public, Authenticated };

/// A route's handler that calls `handler(useCase, request, reply)`: route groups register named
/// functions this way instead of lambdas.
template<typename UseCase>
Handler bound(UseCase &useCase, void (*handler)(UseCase &, const ApiRequest &, const Reply &))
{
    return [&useCase, handler](const ApiRequest &request, const Reply &reply) { handler(useCase, request, reply); };
}

struct Route
{
    QByteArray method;
    QString pattern; ///< e.g. `/api/calls/{id}`
    Access access;
    Handler handler;
    /// What an API key needs to be let in (calls:read, …); a protected route with none is for
    /// logged-in operators only.
    QString scope;
};

/// Maps method and path to a handler. Knowing every method a path accepts lets it tell a wrong
/// method (405) from an unknown path (404), which QHttpServer 6.4's router cannot.
class Router
{
public:
    void add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
             const QString &scope = {});

    struct Match
    {
        const Route *route = nullptr;
        QStringList params;
        QList<QByteArray> allowedMethods; ///< when the path exists but not for this method
    };
    Match match(const QByteArray &method, const QString &path) const;

    const QList<Route> &routes() const { return m_routes; }

private:
    static bool matchPattern(const QString &pattern, const QString &path, QStringList *params);

    QList<Route> m_routes;
};

} // namespace Switchboard
