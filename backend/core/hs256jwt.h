#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace Switchboard {

/// The base64url form JWTs use: URL alphabet, no padding.
inline constexpr auto kJwtBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

/// HMAC-SHA256 of `input` under `key`.
QByteArray hmacSha256(QByteArrayView input, QByteArrayView key);

/// A compact JWT `header.payload.signature` signed with HMAC-SHA256 under `key`. The header must
/// name HS256; the operators' tokens (auth/JwtCodec) and Twilio's Access Tokens both use this.
QByteArray signHs256Jwt(const QJsonObject &header, const QJsonObject &payload, QByteArrayView key);

} // namespace Switchboard
