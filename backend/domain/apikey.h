#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchboard {

/// An operator's API key as stored: never the key itself, only its SHA-256.
struct ApiKey
{
    QString id;
    QString userId;
    QString name;
    QStringList scopes;
    QByteArray secretHash; ///< hex SHA-256 of the whole key
    QString prefix; ///< the key's first characters, to tell keys apart
    QDateTime createdAt;
    std::optional<QDateTime> lastUsedAt;
};

/// What a key may be allowed to do; a route names the one it needs.
namespace Scope {
inline const QString CallsRead = QStringLiteral("calls:read");
inline const QString CallsWrite = QStringLiteral("calls:write");
inline const QString ContactsRead = QStringLiteral("contacts:read");
inline const QString ContactsWrite = QStringLiteral("contacts:write");
inline const QString EventsRead = QStringLiteral("events:read");
inline const QString WebhooksManage = QStringLiteral("webhooks:manage");

inline QStringList all()
{
    return {CallsRead, CallsWrite, ContactsRead, ContactsWrite, EventsRead, WebhooksManage};
}
} // namespace Scope

} // namespace Switchboard
