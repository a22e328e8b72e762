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
    /// `sid`: the login this token continues (its first token's jti). Logging out revokes it, and
    /// with it every token refreshed from that login. A token from before refresh: its own jti.
    QString sessionId;
    QDateTime authTime; ///< `auth_time`: when the operator logged in (a token from before refresh: iat)
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
    /// Tokens live `ttlSeconds` unless refreshed (the idle timeout); no refresh reaches past
    /// `maxAgeSeconds` after the login (the absolute lifetime).
    JwtCodec(QByteArray secret, int ttlSeconds, int maxAgeSeconds = kDefaultMaxAgeSeconds);

    struct Issued
    {
        QString token;
        TokenClaims claims;
    };
    /// The first token of a login.
    Issued issue(const QString &userId, const QString &email, const QDateTime &now) const;
    /// A new token for the same login, living another ttl but never past the login's maximum age;
    /// ErrorCode::Unauthenticated once the login is that old.
    Result<Issued> refresh(const TokenClaims &current, const QDateTime &now) const;
    /// When the last token a login may have expires.
    QDateTime sessionEnd(const TokenClaims &claims) const;

    /// Checks signature, algorithm and times; ErrorCode::Unauthenticated with the reason otherwise.
    Result<TokenClaims> verify(QByteArrayView token, const QDateTime &now) const;

    static constexpr int kClockSkewSeconds = 30;
    static constexpr int kDefaultMaxAgeSeconds = 12 * 3600;

private:
    QByteArray sign(QByteArrayView signingInput) const;
    Issued signedToken(const TokenClaims &claims) const;

    QByteArray m_secret;
    int m_ttlSeconds;
    int m_maxAgeSeconds;
};

} // namespace Switchboard
