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

/// Who may register, and how often a client may try to log in or register.
struct AuthLimits
{
    int loginAttemptsPerMinute = 10; ///< per email and per client address
    int registrationsPerHour = 20; ///< per client address; 0 = no limit
    bool registrationOpen = true; ///< REGISTRATION=open; closed: admins create the users
};

/// What an admin changes of a user; what is not set stays.
struct UserChanges
{
    std::optional<Role> role;
    std::optional<bool> disabled;
    std::optional<QString> password;
};

/// The operator an authenticated request acts for.
struct Principal
{
    QString userId;
    QString email;
    TokenClaims claims;
    Role role = Role::Operator;
    QHostAddress client; ///< where the request came from (for the audit trail)
    std::optional<QStringList> scopes; ///< set when an API key authenticated: all it may do

    bool isAdmin() const { return role == Role::Admin; }
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
                AuditRepository &audit, WriteQueue &writes, const JwtCodec &codec, const Clock &clock, AuthLimits limits,
                QObject *parent = nullptr);

    void registerUser(const QString &email, const QString &password, const QHostAddress &client,
                      Completion<AuthSession> done);
    void login(const QString &email, const QString &password, const QHostAddress &client,
               Completion<AuthSession> done);
    /// Ends the caller's login: this token and every token refreshed from the same login.
    void logout(const Principal &principal, Completion<Done> done);
    /// A fresh token for the caller's login (a client refreshes while its operator is active):
    /// another JWT_TTL, never past SESSION_MAX_AGE after the login. API keys are not refreshed.
    Result<AuthSession> refresh(const Principal &principal) const;
    /// Refuses every token the caller holds, this one included ("log out everywhere").
    void logoutEverywhere(const Principal &principal, Completion<Done> done);
    /// A JWT, or an API key (`sbk_…`) once setApiKeys() has been called.
    Result<Principal> authenticate(QByteArrayView bearerToken);
    void setApiKeys(ApiKeyService *keys) { m_apiKeys = keys; }

    // The team, for admins (ErrorCode::Forbidden for anybody else).
    Result<QList<User>> listUsers(const Principal &admin);
    void addUser(const Principal &admin, const QString &email, const QString &password, Role role,
                 Completion<User> done);
    /// Disabling a user, or changing their role or password, refuses every token they hold. The
    /// last active admin can be neither demoted nor disabled.
    void changeUser(const Principal &admin, const QString &userId, const UserChanges &changes, Completion<User> done);
    /// The audit trail, newest first; `page` and `limit` as the client wrote them (validated here).
    Result<AuditPage> auditTrail(const Principal &admin, const QString &page, const QString &limit,
                                 const QString &actorEmail, const QString &action);

    /// Drops revocations and rate-limit windows that can no longer matter.
    void purgeExpired();

private:
    /// Counts the attempt for the email and for the client address; `done` fails with
    /// ErrorCode::RateLimited when either is over the limit.
    void checkRateLimit(const QString &email, const QHostAddress &client, Completion<Done> done);
    /// Counts a registration from `client`; fails with ErrorCode::RateLimited over the hourly limit.
    void checkRegistrationLimit(const QHostAddress &client, Completion<Done> done);
    /// `actor`: the admin who adds the user, or an anonymous principal for a registration.
    void createUser(const QString &normalizedEmail, const QString &password, Role role, const Principal &actor,
                    Completion<User> done);
    /// Writes `changed` and its audit entry, refusing to leave the team without an active admin.
    void storeUserChange(const User &changed, const AuditEvent &event, Completion<User> done);
    void verifyLogin(const QString &email, const QString &password, const QHostAddress &client,
                     Completion<AuthSession> done);
    AuthSession startSession(const User &user);
    AuditEvent auditEvent(const QString &actorId, const QString &actorEmail, const QString &action,
                          const QString &target, const QHostAddress &client, const QString &detail = {}) const;
    /// Records a failed login in its own transaction; `done` runs once it is committed.
    void recordFailedLogin(const QString &email, const QHostAddress &client, const Error &error,
                           Completion<AuthSession> done);

    UserRepository &m_users;
    RevokedTokenRepository &m_revoked;
    RateLimitRepository &m_rateLimits;
    AuditRepository &m_audit;
    WriteQueue &m_writes;
    const JwtCodec &m_codec;
    const Clock &m_clock;
    AuthLimits m_limits;
    ApiKeyService *m_apiKeys = nullptr;
    PasswordHasher m_hasher; // last: its destructor waits for hashes that call back into this object
};

} // namespace Switchboard
