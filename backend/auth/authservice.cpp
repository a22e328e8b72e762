#include "authservice.h"

#include "apikeyservice.h"

#include "core/clock.h"
#include "core/logging.h"
#include "credentials.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
const Error kInvalidCredentials{ErrorCode::InvalidCredentials, u"Invalid email or password"_s};

QDateTime windowStart(const QDateTime &now)
{
    return QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch() / 60 * 60, Qt::UTC);
}
} // namespace

AuthService::AuthService(UserRepository &users, RevokedTokenRepository &revoked, RateLimitRepository &rateLimits,
                         WriteQueue &writes, const JwtCodec &codec, const Clock &clock, int loginAttemptsPerMinute,
                         QObject *parent)
    : QObject(parent),
      m_users(users),
      m_revoked(revoked),
      m_rateLimits(rateLimits),
      m_writes(writes),
      m_codec(codec),
      m_clock(clock),
      m_loginAttemptsPerMinute(loginAttemptsPerMinute)
{
}

AuthSession AuthService::startSession(const User &user)
{
    const JwtCodec::Issued issued = m_codec.issue(user.id, user.email, m_clock.now());
    return {issued.token, user, issued.claims.expiresAt};
}

void AuthService::registerUser(const QString &email, const QString &password, Completion<AuthSession> done)
{
    Result<QString> normalized = normalizeEmail(email);
    if (!normalized)
        return done(normalized.error());
    if (Status valid = validatePassword(password); !valid)
        return done(valid.error());
    Result<std::optional<User>> existing = m_users.findByEmail(normalized.value());
    if (!existing)
        return done(existing.error());
    if (existing->has_value())
        return done(Error{ErrorCode::UserAlreadyExists, u"A user with this email already exists"_s});

    m_hasher.hash(password, this, [this, email = normalized.value(), done = std::move(done)](QByteArray hash) {
        if (hash.isEmpty())
            return done(Error{ErrorCode::Internal, u"Password could not be hashed"_s});
        const User user{QUuid::createUuid().toString(QUuid::WithoutBraces), email, hash, m_clock.now()};
        // The email may have been taken while hashing: the unique index decides.
        m_writes.submit(this, [this, user] { return m_users.create(user); }, [this, user, done](Status created) {
            if (!created)
                return done(created.error());
            qCInfo(lcAuth) << "registered user" << user.id;
            done(startSession(user));
        });
    });
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
                if (counts->at(i) > m_loginAttemptsPerMinute) {
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
    m_hasher.verify(password, user ? user->passwordHash : QByteArray(), this,
                    [this, user, client, done = std::move(done)](bool matches) {
                        if (!matches) {
                            qCWarning(lcAuth).noquote() << "failed login from" << client.toString()
                                                        << (user ? "for user " + user->id : u"for an unknown email"_s);
                            return done(kInvalidCredentials);
                        }
                        qCInfo(lcAuth) << "user" << user->id << "logged in";
                        done(startSession(*user));
                    });
}

void AuthService::logout(const Principal &principal, Completion<Done> done)
{
    m_writes.submit(
        this, [this, principal] { return m_revoked.revoke(principal.claims.jti, principal.claims.expiresAt); },
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
        return Principal{key->userId, {}, {}, key->scopes};
    }
    Result<TokenClaims> claims = m_codec.verify(bearerToken, m_clock.now());
    if (!claims)
        return claims.error();
    Result<bool> revoked = m_revoked.isRevoked(claims->jti);
    if (!revoked)
        return revoked.error();
    if (revoked.value())
        return Error{ErrorCode::Unauthenticated, u"Token has been revoked"_s};
    return Principal{claims->userId, claims->email, claims.value()};
}

void AuthService::purgeExpired()
{
    const QDateTime now = m_clock.now();
    m_writes.submit(
        this,
        [this, now]() -> Status {
            if (Status purged = m_revoked.purgeExpired(now); !purged)
                return purged;
            return m_rateLimits.purgeBefore(windowStart(now).addSecs(-60));
        },
        [](Status purged) {
            if (!purged)
                qCWarning(lcAuth).noquote() << "cannot purge expired revocations:" << purged.error().message;
        });
}

} // namespace Switchboard
