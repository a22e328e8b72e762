#include "hs256jwt.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace Switchboard {

QByteArray hmacSha256(QByteArrayView input, QByteArrayView key)
{
    return QMessageAuthenticationCode::hash(input.toByteArray(), key.toByteArray(), QCryptographicHash::Sha256);
}

QByteArray signHs256Jwt(const QJsonObject &header, const QJsonObject &payload, QByteArrayView key)
{
    const QByteArray signingInput = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kJwtBase64)
        + '.' + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kJwtBase64);
    return signingInput + '.' + hmacSha256(signingInput, key).toBase64(kJwtBase64);
}

} // namespace Switchboard
