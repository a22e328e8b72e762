#pragma once

#include "domain/repositories.h"
#include "jwtcodec.h"
#include "passwordhasher.h"

#include <QHostAddress>
#include <QObject>

namespace Switchboard {

class Clock;

/// A logged-in operator: what register and login return.
struct AuthSession
{
    QString token;
    User user;
    QDateTime expiresAt;
};

/// The operator an authenticated request acts for.
struct Principal
{
    QString userId;
    QString email;
    TokenClaims claims;
};

/// Register, login, logout and the bearer-token check of every protected request.
class AuthService : public QObject
{
    Q_OBJECT
public:
    AuthService(UserRepository &users, RevokedTokenRepository &revoked, RateLimitRepository &rateLimits,
                const JwtCodec &codec, const Clock &clock, int loginAttemptsPerMinute, QObject *parent = nullptr);

    void registerUser(const QString &email, const QString &password, Completion<AuthSession> done);
    void login(const QString &email, const QString &password, const QHostAddress &client,
               Completion<AuthSession> done);
    Status logout(const Principal &principal);
    Result<Principal> authenticate(QByteArrayView bearerToken);

    /// Drops revocations and rate-limit windows that can no longer matter.
    void purgeExpired();

private:
    Status checkRateLimit(const QString &email, const QHostAddress &client);
    AuthSession startSession(const User &user);

    UserRepository &m_users;
    RevokedTokenRepository &m_revoked;
    RateLimitRepository &m_rateLimits;
    const JwtCodec &m_codec;
    const Clock &m_clock;
    int m_loginAttemptsPerMinute;
    PasswordHasher m_hasher; // last: its destructor waits for hashes that call back into this object
};

} // namespace Switchboard
