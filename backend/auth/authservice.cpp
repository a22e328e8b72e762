#include "authservice.h"

#include "apikeyservice.h"

#include "core/clock.h"
#include "core/logging.h"
#include "credentials.h"
#include "domain/requestfields.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
const Error kInvalidCredentials{ErrorCode::InvalidCredentials, u"Invalid email or password"_s};

const Error kAdminsOnly{ErrorCode::Forbidden, u"Only an admin may manage the team"_s};
const Error kHasherBusy{ErrorCode::Busy, u"The server is checking too many passwords at once; retry in a second"_s};

QDateTime windowStart(const QDateTime &now, int seconds = 60)
{
    return QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch() / seconds * seconds, Qt::UTC);
}
} // namespace

AuthService::AuthService(UserRepository &users, RevokedTokenRepository &revoked, RateLimitRepository &rateLimits,
                         AuditRepository &audit, WriteQueue &writes, const JwtCodec &codec, const Clock &clock, AuthLimits limits,
                         QObject *parent)
    : QObject(parent),
      m_users(users),
      m_revoked(revoked),
      m_rateLimits(rateLimits),
      m_audit(audit),
      m_writes(writes),
      m_codec(codec),
      m_clock(clock),
      m_limits(limits)
{
}

AuditEvent AuthService::auditEvent(const QString &actorId, const QString &actorEmail, const QString &action,
                                   const QString &target, const QHostAddress &client, const QString &detail) const
{
    return AuditEvent{0, m_clock.now(), actorId, actorEmail, action, target, client.toString(), detail};
}

void AuthService::recordFailedLogin(const QString &email, const QHostAddress &client, const Error &error,
                                    Completion<AuthSession> done)
{
    const AuditEvent event = auditEvent({}, {}, u"login_failed"_s, email, client, error.message);
    m_writes.submit(this, [this, event] { return m_audit.append(event); }, [error, done](Status recorded) {
        done(recorded ? error : recorded.error());
    });
}

Result<AuditPage> AuthService::auditTrail(const Principal &admin, const QString &page, const QString &limit,
                                          const QString &actorEmail, const QString &action)
{
    if (!admin.isAdmin())
        return Error{ErrorCode::Forbidden, u"Only an admin may read the audit trail"_s};
    AuditQuery query;
    Result<int> pageNumber = boundedInt(page, u"page"_s, 1, 1, 100000);
    if (!pageNumber)
        return pageNumber.error();
    Result<int> pageSize = boundedInt(limit, u"limit"_s, 50, 1, 200);
    if (!pageSize)
        return pageSize.error();
    query.page = pageNumber.value();
    query.limit = pageSize.value();
    query.actorEmail = actorEmail.trimmed().toLower();
    query.action = action.trimmed();
    return m_audit.page(query);
}

AuthSession AuthService::startSession(const User &user)
{
    const JwtCodec::Issued issued = m_codec.issue(user.id, user.email, m_clock.now());
    return {issued.token, user, issued.claims.expiresAt};
}

void AuthService::registerUser(const QString &email, const QString &password, const QHostAddress &client,
                               Completion<AuthSession> done)
{
    Result<QString> normalized = normalizeEmail(email);
    if (!normalized)
        return done(normalized.error());
    if (Status valid = validatePassword(password); !valid)
        return done(valid.error());
    if (!m_limits.registrationOpen)
        return done(Error{ErrorCode::Forbidden, u"Registration is closed; an admin creates the accounts"_s});
    checkRegistrationLimit(client, [this, email = normalized.value(), password, client, done](Status allowed) {
        if (!allowed)
            return done(allowed.error());
        Principal anonymous;
        anonymous.client = client;
        createUser(email, password, Role::Operator, anonymous, [this, done](Result<User> user) {
            if (!user)
                return done(user.error());
            done(startSession(user.value()));
        });
    });
}

void AuthService::checkRegistrationLimit(const QHostAddress &client, Completion<Done> done)
{
    if (m_limits.registrationsPerHour == 0)
        return done(Done{});
    const QDateTime window = windowStart(m_clock.now(), 3600);
    const QString bucket = u"register:"_s + client.toString();
    m_writes.submit<int>(
        this, [this, bucket, window] { return m_rateLimits.hit(bucket, window); },
        [this, bucket, window, done](Result<int> count) {
            if (!count)
                return done(count.error());
            if (count.value() > m_limits.registrationsPerHour) {
                qCWarning(lcAuth) << "registration rate limit reached for" << bucket;
                const qint64 wait = qMax<qint64>(1, m_clock.now().secsTo(window.addSecs(3600)));
                return done(Error{ErrorCode::RateLimited,
                                  u"Too many registrations from this address; try again in %1 seconds"_s.arg(wait)});
            }
            done(Done{});
        });
}

void AuthService::createUser(const QString &normalizedEmail, const QString &password, Role role, const Principal &actor,
                             Completion<User> done)
{
    Result<std::optional<User>> existing = m_users.findByEmail(normalizedEmail);
    if (!existing)
        return done(existing.error());
    if (existing->has_value())
        return done(Error{ErrorCode::UserAlreadyExists, u"A user with this email already exists"_s});

    const bool queued = m_hasher.hash(password, this, [this, email = normalizedEmail, role, actor, done](QByteArray hash) {
        if (hash.isEmpty())
            return done(Error{ErrorCode::Internal, u"Password could not be hashed"_s});
        User user{QUuid::createUuid().toString(QUuid::WithoutBraces), email, hash, m_clock.now()};
        user.role = role;
        // The email may have been taken while hashing: the unique index decides. The first account
        // becomes the admin in the same transaction, so two first registrations cannot both be.
        m_writes.submit<bool>(
            this,
            [this, user, event = auditEvent(actor.userId, actor.email, actor.userId.isEmpty() ? u"registered"_s : u"user_created"_s,
                                            email, actor.client, roleName(role))]() -> Result<bool> {
                if (Status created = m_users.create(user); !created)
                    return created.error();
                if (Status recorded = m_audit.append(event); !recorded)
                    return recorded.error();
                return m_users.promoteIfOnlyUser(user.id);
            },
            [user, done](Result<bool> promoted) mutable {
                if (!promoted)
                    return done(promoted.error());
                if (promoted.value())
                    user.role = Role::Admin;
                qCInfo(lcAuth).noquote() << "registered user" << user.id << "as" << roleName(user.role);
                done(user);
            });
    });
    if (!queued)
        done(kHasherBusy);
}

void AuthService::checkRateLimit(const QString &email, const QHostAddress &client, Completion<Done> done)
{
    const QDateTime window = windowStart(m_clock.now());
    const QStringList buckets{u"email:"_s + email, u"address:"_s + client.toString()};
    // Both buckets are counted in one unit: an attempt is counted against each, or against none.
    m_writes.submit<QList<int>>(
        this,
        [this, buckets, window]() -> Result<QList<int>> {
            QList<int> counts;
            for (const QString &bucket : buckets) {
                Result<int> attempts = m_rateLimits.hit(bucket, window);
                if (!attempts)
                    return attempts.error();
                counts.append(attempts.value());
            }
            return counts;
        },
        [this, buckets, window, done](Result<QList<int>> counts) {
            if (!counts)
                return done(counts.error());
            for (qsizetype i = 0; i < buckets.size(); ++i) {
                if (counts->at(i) > m_limits.loginAttemptsPerMinute) {
                    qCWarning(lcAuth) << "login rate limit reached for" << buckets.at(i);
                    const qint64 wait = qMax<qint64>(1, m_clock.now().secsTo(window.addSecs(60)));
                    return done(Error{ErrorCode::RateLimited,
                                      u"Too many login attempts; try again in %1 seconds"_s.arg(wait)});
                }
            }
            done(Done{});
        });
}

void AuthService::login(const QString &email, const QString &password, const QHostAddress &client,
                        Completion<AuthSession> done)
{
    const QString normalized = email.trimmed().toLower();
    if (normalized.isEmpty() || password.isEmpty())
        return done(Error::validation(u"email and password are required"_s));
    if (normalized.size() > kMaxEmailLength || password.size() > 4 * kMaxPasswordLength)
        return done(kInvalidCredentials);
    checkRateLimit(normalized, client, [this, normalized, password, client, done](Status allowed) {
        if (!allowed)
            return done(allowed.error());
        verifyLogin(normalized, password, client, done);
    });
}

void AuthService::verifyLogin(const QString &email, const QString &password, const QHostAddress &client,
                              Completion<AuthSession> done)
{
    Result<std::optional<User>> found = m_users.findByEmail(email);
    if (!found)
        return done(found.error());
    const std::optional<User> user = found.value();

    // An unknown email is verified against a decoy so that it takes as long as a wrong password.
    const bool queued = m_hasher.verify(password, user ? user->passwordHash : QByteArray(), this,
                    [this, email, user, client, done](bool matches) {
                        if (!matches) {
                            qCWarning(lcAuth).noquote() << "failed login from" << client.toString()
                                                        << (user ? "for user " + user->id : u"for an unknown email"_s);
                            return recordFailedLogin(email, client, kInvalidCredentials, done);
                        }
                        if (user->disabled) {
                            qCWarning(lcAuth) << "login refused to disabled user" << user->id;
                            return recordFailedLogin(email, client, Error{ErrorCode::Forbidden, u"The account is disabled"_s}, done);
                        }
                        const AuditEvent event = auditEvent(user->id, user->email, u"login"_s, user->email, client);
                        m_writes.submit(this, [this, event] { return m_audit.append(event); },
                                        [this, user, done](Status recorded) {
                                            if (!recorded)
                                                return done(recorded.error());
                                            qCInfo(lcAuth) << "user" << user->id << "logged in";
                                            done(startSession(*user));
                                        });
                    });
    if (!queued)
        done(kHasherBusy);
}

void AuthService::logout(const Principal &principal, Completion<Done> done)
{
    m_writes.submit(
        this,
        [this, principal, event = auditEvent(principal.userId, principal.email, u"logout"_s, principal.email, principal.client)] {
            const QDateTime lastExpiry = std::max(principal.claims.expiresAt, m_codec.sessionEnd(principal.claims));
            if (Status revoked = m_revoked.revoke(principal.claims.sessionId, lastExpiry); !revoked)
                return revoked;
            return m_audit.append(event);
        },
        [principal, done](Status revoked) {
            if (revoked)
                qCInfo(lcAuth) << "user" << principal.userId << "logged out";
            done(revoked);
        });
}

Result<Principal> AuthService::authenticate(QByteArrayView bearerToken)
{
    if (ApiKeyService::isApiKey(bearerToken)) {
        Result<ApiKey> key = m_apiKeys ? m_apiKeys->authenticate(bearerToken)
                                       : Result<ApiKey>(Error{ErrorCode::Unauthenticated, u"API keys are not accepted here"_s});
        if (!key)
            return key.error();
        // A key acts as its owner: a disabled owner's keys are refused too.
        Result<std::optional<User>> owner = m_users.findById(key->userId);
        if (!owner)
            return owner.error();
        if (!owner->has_value() || owner->value().disabled)
            return Error{ErrorCode::Unauthenticated, u"The account is disabled"_s};
        Principal principal{key->userId, owner->value().email, {}, owner->value().role};
        principal.scopes = key->scopes;
        return principal;
    }
    Result<TokenClaims> claims = m_codec.verify(bearerToken, m_clock.now());
    if (!claims)
        return claims.error();
    Result<bool> revoked = m_revoked.isRevoked(claims->sessionId);
    if (!revoked)
        return revoked.error();
    if (revoked.value())
        return Error{ErrorCode::Unauthenticated, u"Token has been revoked"_s};
    // Read on every request, so that a role change, a disabled account or "log out everywhere"
    // holds at once and on every instance sharing the database.
    Result<std::optional<User>> user = m_users.findById(claims->userId);
    if (!user)
        return user.error();
    if (!user->has_value() || user->value().disabled)
        return Error{ErrorCode::Unauthenticated, u"The account is disabled"_s};
    const QDateTime validAfter = user->value().tokensValidAfter;
    if (validAfter.isValid() && claims->issuedAt < validAfter)
        return Error{ErrorCode::Unauthenticated, u"Token has been revoked"_s};
    return Principal{claims->userId, claims->email, claims.value(), user->value().role};
}

Result<AuthSession> AuthService::refresh(const Principal &principal) const
{
    if (principal.scopes)
        return Error{ErrorCode::Forbidden, u"API keys are not refreshed"_s};
    Result<JwtCodec::Issued> issued = m_codec.refresh(principal.claims, m_clock.now());
    if (!issued)
        return issued.error();
    User user;
    user.id = principal.userId;
    user.email = principal.email;
    user.role = principal.role;
    return AuthSession{issued->token, user, issued->claims.expiresAt};
}

void AuthService::logoutEverywhere(const Principal &principal, Completion<Done> done)
{
    Result<std::optional<User>> user = m_users.findById(principal.userId);
    if (!user)
        return done(user.error());
    if (!user->has_value())
        return done(Error{ErrorCode::Unauthenticated, u"The account is gone"_s});
    User changed = user->value();
    // Token times are whole seconds: everything issued up to this second is refused.
    changed.tokensValidAfter = QDateTime::fromSecsSinceEpoch(m_clock.now().toSecsSinceEpoch() + 1, Qt::UTC);
    const AuditEvent event = auditEvent(principal.userId, principal.email, u"logout_all"_s, principal.email, principal.client);
    m_writes.submit<bool>(this,
                          [this, changed, event]() -> Result<bool> {
                              Result<bool> updated = m_users.update(changed);
                              if (!updated)
                                  return updated;
                              if (Status recorded = m_audit.append(event); !recorded)
                                  return recorded.error();
                              return updated;
                          },
                          [principal, done](Result<bool> updated) {
                              if (!updated)
                                  return done(updated.error());
                              qCInfo(lcAuth) << "user" << principal.userId << "logged out everywhere";
                              done(Done{});
                          });
}

Result<QList<User>> AuthService::listUsers(const Principal &admin)
{
    if (!admin.isAdmin())
        return kAdminsOnly;
    return m_users.list();
}

void AuthService::addUser(const Principal &admin, const QString &email, const QString &password, Role role,
                          Completion<User> done)
{
    if (!admin.isAdmin())
        return done(kAdminsOnly);
    Result<QString> normalized = normalizeEmail(email);
    if (!normalized)
        return done(normalized.error());
    if (Status valid = validatePassword(password); !valid)
        return done(valid.error());
    createUser(normalized.value(), password, role, admin, done);
}

void AuthService::changeUser(const Principal &admin, const QString &userId, const UserChanges &changes,
                             Completion<User> done)
{
    if (!admin.isAdmin())
        return done(kAdminsOnly);
    Result<std::optional<User>> found = m_users.findById(userId);
    if (!found)
        return done(found.error());
    if (!found->has_value())
        return done(Error{ErrorCode::NotFound, u"No such user"_s});
    User changed = found->value();
    changed.role = changes.role.value_or(changed.role);
    changed.disabled = changes.disabled.value_or(changed.disabled);
    // Whoever held this account's tokens must sign in again under its new terms.
    changed.tokensValidAfter = QDateTime::fromSecsSinceEpoch(m_clock.now().toSecsSinceEpoch() + 1, Qt::UTC);
    QStringList what;
    if (changes.role)
        what << u"role=%1"_s.arg(roleName(*changes.role));
    if (changes.disabled)
        what << (*changes.disabled ? u"disabled"_s : u"enabled"_s);
    if (changes.password)
        what << u"password"_s;
    const AuditEvent event = auditEvent(admin.userId, admin.email, u"user_changed"_s, changed.email, admin.client, what.join(u", "_s));
    if (!changes.password)
        return storeUserChange(changed, event, done);
    if (Status valid = validatePassword(*changes.password); !valid)
        return done(valid.error());
    const bool queued = m_hasher.hash(*changes.password, this, [this, changed, event, done](QByteArray hash) mutable {
        if (hash.isEmpty())
            return done(Error{ErrorCode::Internal, u"Password could not be hashed"_s});
        changed.passwordHash = hash;
        storeUserChange(changed, event, done);
    });
    if (!queued)
        done(kHasherBusy);
}

void AuthService::storeUserChange(const User &changed, const AuditEvent &event, Completion<User> done)
{
    m_writes.submit<bool>(
        this,
        [this, changed, event]() -> Result<bool> {
            if (Result<bool> updated = m_users.update(changed); !updated || !updated.value())
                return updated;
            if (Status recorded = m_audit.append(event); !recorded)
                return recorded.error();
            // Checked inside the transaction that made the change: no concurrent change can
            // leave the team without an admin.
            Result<int> admins = m_users.countActiveAdmins();
            if (!admins)
                return admins.error();
            if (admins.value() == 0)
                return Error{ErrorCode::Conflict, u"The team must keep an active admin"_s};
            return true;
        },
        [changed, done](Result<bool> updated) {
            if (!updated)
                return done(updated.error());
            if (!updated.value())
                return done(Error{ErrorCode::NotFound, u"No such user"_s});
            qCInfo(lcAuth).noquote() << "user" << changed.id << "is now" << roleName(changed.role)
                                     << (changed.disabled ? "(disabled)" : "");
            done(changed);
        });
}

void AuthService::purgeExpired()
{
    const QDateTime now = m_clock.now();
    m_writes.submit(
        this,
        [this, now]() -> Status {
            if (Status purged = m_revoked.purgeExpired(now); !purged)
                return purged;
            // Registration windows are an hour long: nothing younger than that is dropped.
            return m_rateLimits.purgeBefore(windowStart(now, 3600).addSecs(-3600));
        },
        [](Status purged) {
            if (!purged)
                qCWarning(lcAuth).noquote() << "cannot purge expired revocations:" << purged.error().message;
        });
}

} // namespace Switchboard
