#include "router.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

void Router::add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
                 const QString &scope)
{
    m_routes.append({method, pattern, access, std::move(handler), scope});
}

bool Router::matchPattern(const QString &pattern, const QString &path, QStringList *params)
{
    const QStringList want = pattern.split(u'/');
    const QStringList have = path.split(u'/');
    if (want.size() != have.size())
        return false;
    QStringList captured;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want[i].startsWith(u'{') && want[i].endsWith(u'}')) {
            if (have[i].isEmpty())
                return false;
            captured.append(have[i]);
        } else if (want[i] != have[i]) {
            return false;
        }
    }
    *params = captured;
    return true;
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    // A path that names a fixed route (`/api/calls/history`, `/api/contacts/import`) is that
    // route, not the `{id}` of another: only fixed routes answer for it, so a wrong method is a
    // 405 listing theirs rather than a 404 for an id that cannot exist.
    const bool fixed = std::any_of(m_routes.cbegin(), m_routes.cend(),
                                   [&path](const Route &route) { return route.pattern == path; });
    Match result;
    for (const Route &route : m_routes) {
        if (fixed && route.pattern != path)
            continue;
        QStringList params;
        if (!matchPattern(route.pattern, path, &params))
            continue;
        if (route.method == method) {
            result.route = &route;
            result.params = params;
            return result;
        }
        if (!result.allowedMethods.contains(route.method))
            result.allowedMethods.append(route.method);
    }
    return result;
}

} // namespace Switchboard
