#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Switchboard {

/// Twilio's `X-Twilio-Signature`: HMAC-SHA1, keyed with the account's Auth Token, over the full
/// URL Twilio requested followed by every POST parameter's name and value, sorted by name,
/// base64-encoded.
namespace TwilioSignature {

using Parameters = QList<std::pair<QString, QString>>;

/// The signature Twilio sends for `url` and `parameters`. A name that occurs more than once
/// contributes each of its distinct values, in sorted order (as Twilio's own validators do).
QByteArray compute(const QByteArray &authToken, const QString &url, const Parameters &parameters);

/// True when `signature` is Twilio's for `url` as given, for `url` without its port, or for `url`
/// with its scheme's default port added when it names none — the forms twilio-node's
/// validateRequest accepts, since Twilio does not always sign the port as it was configured.
/// The comparison takes the same time wherever the signatures differ.
bool isValid(const QByteArray &authToken, const QString &url, const Parameters &parameters,
             const QByteArray &signature);

} // namespace TwilioSignature

} // namespace Switchboard
