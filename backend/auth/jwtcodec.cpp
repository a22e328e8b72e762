#include "jwtcodec.h"

#include "core/hs256jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <algorithm>

#include <sodium.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

Error rejected(const QString &reason)
{
    return {ErrorCode::Unauthenticated, reason};
}

std::optional<QByteArray> decodeCanonical(QByteArrayView part)
{
    if (part.isEmpty())
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(part.toByteArray(),
                                                  kJwtBase64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(kJwtBase64) != part)
        return std::nullopt;
    return decoded.decoded;
}

std::optional<QJsonObject> decodeObject(QByteArrayView part)
{
    const std::optional<QByteArray> json = decodeCanonical(part);
    if (!json)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

std::optional<QDateTime> numericDate(const QJsonObject &claims, const QString &name)
{
    const QJsonValue value = claims.value(name);
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (seconds < 0 || seconds > 253402300799.0) // year 9999
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(qint64(seconds), Qt::UTC);
}

} // namespace

JwtCodec::JwtCodec(QByteArray secret, int ttlSeconds, int maxAgeSeconds)
    : m_secret(std::move(secret)), m_ttlSeconds(ttlSeconds), m_maxAgeSeconds(maxAgeSeconds)
{
}

QByteArray JwtCodec::sign(QByteArrayView signingInput) const
{
    return hmacSha256(signingInput, m_secret);
}

JwtCodec::Issued JwtCodec::issue(const QString &userId, const QString &email, const QDateTime &now) const
{
    const QDateTime issuedAt = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch(), Qt::UTC);
    const QString jti = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return signedToken(TokenClaims{userId, email, issuedAt, issuedAt,
                            issuedAt.addSecs(std::min(m_ttlSeconds, m_maxAgeSeconds)), jti, jti, issuedAt});
}

Result<JwtCodec::Issued> JwtCodec::refresh(const TokenClaims &current, const QDateTime &now) const
{
    const QDateTime issuedAt = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch(), Qt::UTC);
    const QDateTime end = sessionEnd(current);
    if (issuedAt >= end)
        return rejected(u"The session has reached its maximum age; log in again"_s);
    return signedToken(TokenClaims{current.userId, current.email, issuedAt, issuedAt,
                            std::min(issuedAt.addSecs(m_ttlSeconds), end), QUuid::createUuid().toString(QUuid::WithoutBraces),
                            current.sessionId, current.authTime});
}

QDateTime JwtCodec::sessionEnd(const TokenClaims &claims) const
{
    return claims.authTime.addSecs(m_maxAgeSeconds);
}

JwtCodec::Issued JwtCodec::signedToken(const TokenClaims &claims) const
{
    const QJsonObject header{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
    const QJsonObject payload{
        {u"sub"_s, claims.userId},
        {u"email"_s, claims.email},
        {u"iat"_s, claims.issuedAt.toSecsSinceEpoch()},
        {u"nbf"_s, claims.notBefore.toSecsSinceEpoch()},
        {u"exp"_s, claims.expiresAt.toSecsSinceEpoch()},
        {u"jti"_s, claims.jti},
        {u"sid"_s, claims.sessionId},
        {u"auth_time"_s, claims.authTime.toSecsSinceEpoch()},
    };
    return {QString::fromLatin1(signHs256Jwt(header, payload, m_secret)), claims};
}

Result<TokenClaims> JwtCodec::verify(QByteArrayView token, const QDateTime &now) const
{
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype lastDot = token.lastIndexOf('.');
    if (firstDot <= 0 || lastDot == firstDot || token.sliced(firstDot + 1, lastDot - firstDot - 1).contains('.'))
        return rejected(u"Token is malformed"_s);

    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView signingInput = token.first(lastDot);
    const std::optional<QJsonObject> header = decodeObject(headerPart);
    if (!header)
        return rejected(u"Token is malformed"_s);
    // Pinned: the header never chooses the algorithm (no "none", no HS512, no RS256 with our key).
    if (header->value(u"alg"_s) != u"HS256"_s || header->contains(u"crit"_s))
        return rejected(u"Token algorithm is not accepted"_s);
    if (header->contains(u"typ"_s) && header->value(u"typ"_s) != u"JWT"_s)
        return rejected(u"Token type is not accepted"_s);

    const std::optional<QByteArray> signature = decodeCanonical(token.sliced(lastDot + 1));
    const QByteArray expected = sign(signingInput);
    if (!signature || signature->size() != expected.size()
        || sodium_memcmp(signature->constData(), expected.constData(), size_t(expected.size())) != 0) {
        return rejected(u"Token signature is invalid"_s);
    }

    const std::optional<QJsonObject> payload = decodeObject(token.sliced(firstDot + 1, lastDot - firstDot - 1));
    if (!payload)
        return rejected(u"Token is malformed"_s);

    const std::optional<QDateTime> expiresAt = numericDate(*payload, u"exp"_s);
    if (!expiresAt)
        return rejected(u"Token has no valid expiry"_s);
    const std::optional<QDateTime> issuedAt = numericDate(*payload, u"iat"_s);
    const std::optional<QDateTime> notBefore =
        payload->contains(u"nbf"_s) ? numericDate(*payload, u"nbf"_s) : issuedAt;
    if (!issuedAt || !notBefore)
        return rejected(u"Token times are malformed"_s);
    if (now >= *expiresAt)
        return rejected(u"Token has expired"_s);
    if (now.addSecs(kClockSkewSeconds) < *notBefore || now.addSecs(kClockSkewSeconds) < *issuedAt)
        return rejected(u"Token is not valid yet"_s);

    const QJsonValue subject = payload->value(u"sub"_s);
    const QJsonValue jti = payload->value(u"jti"_s);
    if (!subject.isString() || subject.toString().isEmpty() || !jti.isString() || jti.toString().isEmpty())
        return rejected(u"Token claims are incomplete"_s);

    const QJsonValue session = payload->value(u"sid"_s);
    const std::optional<QDateTime> authTime =
        payload->contains(u"auth_time"_s) ? numericDate(*payload, u"auth_time"_s) : issuedAt;
    if ((payload->contains(u"sid"_s) && (!session.isString() || session.toString().isEmpty())) || !authTime
        || *authTime > *issuedAt)
        return rejected(u"Token claims are incomplete"_s);
    return TokenClaims{subject.toString(), payload->value(u"email"_s).toString(), *issuedAt, *notBefore, *expiresAt,
                       jti.toString(), session.isString() ? session.toString() : jti.toString(), *authTime};
}

} // namespace Switchboard
