#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"
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
    std::optional<QStringList> scopes; ///< set when an API key authenticated: all it may do
};

class ApiKeyService;

/// Register, login, logout and the bearer-token check of every protected request.
///
/// One per serving thread: its reads run on that thread's connection, its writes (a new user, a
/// revoked token, a login attempt counted) go through the WriteQueue, and its completions come
/// back on its thread.
class AuthService : public QObject
{
    Q_OBJECT
public:
    AuthService(UserRepository &users, RevokedTokenRepository &revoked, RateLimitRepository &rateLimits,
                WriteQueue &writes, const JwtCodec &codec, const Clock &clock, int loginAttemptsPerMinute,
                QObject *parent = nullptr);

    void registerUser(const QString &email, const QString &password, Completion<AuthSession> done);
    void login(const QString &email, const QString &password, const QHostAddress &client,
               Completion<AuthSession> done);
    void logout(const Principal &principal, Completion<Done> done);
    /// A JWT, or an API key (`sbk_…`) once setApiKeys() has been called.
    Result<Principal> authenticate(QByteArrayView bearerToken);
    void setApiKeys(ApiKeyService *keys) { m_apiKeys = keys; }

    /// Drops revocations and rate-limit windows that can no longer matter.
    void purgeExpired();

private:
    /// Counts the attempt for the email and for the client address; `done` fails with
    /// ErrorCode::RateLimited when either is over the limit.
    void checkRateLimit(const QString &email, const QHostAddress &client, Completion<Done> done);
    void verifyLogin(const QString &email, const QString &password, const QHostAddress &client,
                     Completion<AuthSession> done);
    AuthSession startSession(const User &user);

    UserRepository &m_users;
    RevokedTokenRepository &m_revoked;
    RateLimitRepository &m_rateLimits;
    WriteQueue &m_writes;
    const JwtCodec &m_codec;
    const Clock &m_clock;
    int m_loginAttemptsPerMinute;
    ApiKeyService *m_apiKeys = nullptr;
    PasswordHasher m_hasher; // last: its destructor waits for hashes that call back into this object
};

} // namespace Switchboard
