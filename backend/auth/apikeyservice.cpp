#include "apikeyservice.h"

#include "core/clock.h"
#include "core/logging.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

constexpr int kSecretBytes = 32;
constexpr int kShownPrefixLength = 8; // "sbk_" and 4 characters: enough to tell keys apart, useless to guess with

QString newSecret()
{
    QByteArray random(kSecretBytes, Qt::Uninitialized);
    // The operating system's CSPRNG (getrandom), not a seeded generator.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()), kSecretBytes / sizeof(quint32));
    return QString::fromLatin1(ApiKeyService::kPrefix.toByteArray()
                               + random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<QStringList> validScopes(const QStringList &scopes)
{
    if (scopes.isEmpty())
        return Error::validation(u"scopes must name at least one of: "_s + Scope::all().join(u", "_s));
    QStringList valid;
    for (const QString &scope : scopes) {
        if (!Scope::all().contains(scope))
            return Error::validation(u"unknown scope \"%1\"; scopes are: %2"_s.arg(scope.left(40), Scope::all().join(u", "_s)));
        if (!valid.contains(scope))
            valid.append(scope);
    }
    return valid;
}

} // namespace

ApiKeyService::ApiKeyService(ApiKeyRepository &keys, WriteQueue &writes, const Clock &clock, QObject *parent)
    : QObject(parent), m_keys(keys), m_writes(writes), m_clock(clock)
{
}

QByteArray ApiKeyService::hashSecret(QByteArrayView secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
}

void ApiKeyService::create(const QString &userId, const QString &name, const QStringList &scopes,
                           Completion<CreatedApiKey> done)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > kMaxNameLength)
        return done(Error::validation(u"name must be 1 to %1 characters"_s.arg(kMaxNameLength)));
    Result<QStringList> valid = validScopes(scopes);
    if (!valid)
        return done(valid.error());

    CreatedApiKey created{{QUuid::createUuid().toString(QUuid::WithoutBraces), userId, trimmed, valid.value(), {}, {},
                           m_clock.now(), std::nullopt},
                          newSecret()};
    created.key.secretHash = hashSecret(created.secret.toLatin1());
    created.key.prefix = created.secret.left(kShownPrefixLength);
    const ApiKey key = created.key;
    m_writes.submit(this, [this, key] { return m_keys.create(key); }, [created, done](Status stored) {
        if (!stored)
            return done(stored.error());
        qCInfo(lcAuth).noquote() << "user" << created.key.userId << "created API key" << created.key.id << "("
                                 + created.key.scopes.join(u' ') + u")"_s;
        done(created);
    });
}

Result<QList<ApiKey>> ApiKeyService::list(const QString &userId) const
{
    return m_keys.listForUser(userId);
}

void ApiKeyService::revoke(const QString &userId, const QString &keyId, Completion<Done> done)
{
    if (QUuid::fromString(keyId).isNull())
        return done(Error{ErrorCode::KeyNotFound, u"No such API key"_s});
    m_writes.submit<bool>(
        this, [this, userId, keyId] { return m_keys.remove(userId, keyId); },
        [userId, keyId, done](Result<bool> removed) {
            if (!removed)
                return done(removed.error());
            // Another operator's key is "not found" too: its existence is not theirs to learn.
            if (!removed.value())
                return done(Error{ErrorCode::KeyNotFound, u"No such API key"_s});
            qCInfo(lcAuth) << "user" << userId << "revoked API key" << keyId;
            done(Done{});
        });
}

Result<ApiKey> ApiKeyService::authenticate(QByteArrayView secret)
{
    const Error refused{ErrorCode::Unauthenticated, u"Invalid or revoked API key"_s};
    if (!isApiKey(secret) || secret.size() > 128)
        return refused;
    // Looked up by its hash: timing reveals at most which hashes exist, never the key.
    Result<std::optional<ApiKey>> found = m_keys.findBySecretHash(hashSecret(secret));
    if (!found)
        return found.error();
    if (!found->has_value())
        return refused;
    const ApiKey key = *found.value();
    const QDateTime now = m_clock.now();
    if (!key.lastUsedAt || key.lastUsedAt->secsTo(now) >= kLastUsedResolutionSeconds) {
        m_writes.submit(this, [this, id = key.id, now] { return m_keys.markUsed(id, now); }, [](Status marked) {
            if (!marked)
                qCWarning(lcAuth).noquote() << "cannot record the use of an API key:" << marked.error().message;
        });
    }
    return key;
}

} // namespace Switchboard
