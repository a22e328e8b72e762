#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Switchboard {

struct TokenClaims
{
    QString userId; ///< `sub`
    QString email;
    QDateTime issuedAt;
    QDateTime notBefore;
    QDateTime expiresAt;
    QString jti;
};

/// JSON Web Tokens signed with HS256, and nothing else.
///
/// Written here rather than taken from Debian's libjwt 1.10 (no claim validation, accepts HS512
/// under an HS256 key) or cpp-jwt 1.4 (accepts tokens without `exp`, compares MACs in variable
/// time): the algorithm is pinned, `exp` is required, the MAC comparison is constant-time, and
/// base64url must be canonical so that no two strings verify as the same token.
class JwtCodec
{
public:
    JwtCodec(QByteArray secret, int ttlSeconds);

    struct Issued
    {
        QString token;
        TokenClaims claims;
    };
    Issued issue(const QString &userId, const QString &email, const QDateTime &now) const;

    /// Checks signature, algorithm and times; ErrorCode::Unauthenticated with the reason otherwise.
    Result<TokenClaims> verify(QByteArrayView token, const QDateTime &now) const;

    static constexpr int kClockSkewSeconds = 30;

private:
    QByteArray sign(QByteArrayView signingInput) const;

    QByteArray m_secret;
    int m_ttlSeconds;
};

} // namespace Switchboard
