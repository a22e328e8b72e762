#pragma once

#include "domain/result.h"

#include <QHostAddress>
#include <QUrl>

namespace Switchboard {

/// Where a webhook may send (server-side request forgery): only http and https URLs, and only to
/// public addresses — loopback, private, link-local, shared (CGNAT), multicast and unspecified
/// addresses reach the server's own network, its metadata services or its database. Those are
/// allowed only when the operator of the server says so (WEBHOOK_ALLOW_PRIVATE=1, for a receiver
/// on the same machine or LAN).
namespace WebhookDestination {

inline constexpr qsizetype kMaxUrlLength = 2048;

/// A URL a webhook may be created with: absolute http(s), a host, no user info; a literal
/// address must be public unless `allowPrivate`. Host names are checked when they are resolved.
Result<QUrl> parse(const QString &text, bool allowPrivate);
/// An address a delivery may connect to.
bool isPublic(const QHostAddress &address);

} // namespace WebhookDestination

} // namespace Switchboard
