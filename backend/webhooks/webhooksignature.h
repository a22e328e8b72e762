#pragma once

#include <QByteArray>
#include <QString>

namespace Switchboard {

/// Standard Webhooks' signing (https://www.standardwebhooks.com): a secret is "whsec_" and the
/// base64 of its key; a signature is "v1," and the base64 of HMAC-SHA256 over
/// "<webhook-id>.<webhook-timestamp>.<body>" with that key.
namespace WebhookSignature {

inline constexpr QLatin1StringView kSecretPrefix{"whsec_"};

/// A new secret of 24 random bytes from the operating system's CSPRNG.
QString newSecret();
/// The `webhook-signature` header's value.
QByteArray sign(const QString &secret, const QByteArray &messageId, qint64 timestamp, const QByteArray &body);

} // namespace WebhookSignature

} // namespace Switchboard
