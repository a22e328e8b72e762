#pragma once

#include "auth/authservice.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace Switchboard {

/// A copy of what a request carried: QHttpServer 6.4 reuses its request object per connection,
/// so nothing may refer to it once the handler returns and the answer comes later.
struct ApiRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;
    QStringList pathParams; ///< the `{…}` parts of the route, in order
    std::optional<Principal> principal; ///< set on authenticated routes

    /// The first header of that name (case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const;
    QString queryValue(const QString &name) const;
};

} // namespace Switchboard
