#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"

#include <QObject>

namespace Switchboard {

class Clock;

/// A key as its creation returns it: the only time the secret is seen.
struct CreatedApiKey
{
    ApiKey key;
    QString secret;
};

/// The operator's API keys: create (the secret shown once), list, revoke, and the check of a key
/// presented as a bearer credential.
///
/// A key is `sbk_` and 43 base64url characters (256 random bits); only its SHA-256 is stored.
/// Argon2 would add ~0.1 s of CPU to every request made with a key and protect nothing more:
/// slow hashes exist to stop guessing of low-entropy passwords, and 256 random bits cannot be
/// guessed. The prefix tells a key from a JWT without parsing either.
///
/// Threads: create and revoke may be called from any thread and complete on this object's
/// (writes go through the WriteQueue); list and authenticate read on the caller's connection.
class ApiKeyService : public QObject
{
    Q_OBJECT
public:
    static constexpr QByteArrayView kPrefix = "sbk_";
    static constexpr qsizetype kMaxNameLength = 100;
    /// How stale `last_used_at` may be: recording every use would be a write per request.
    static constexpr int kLastUsedResolutionSeconds = 60;

    ApiKeyService(ApiKeyRepository &keys, WriteQueue &writes, const Clock &clock, QObject *parent = nullptr);

    void create(const QString &userId, const QString &name, const QStringList &scopes, Completion<CreatedApiKey> done);
    Result<QList<ApiKey>> list(const QString &userId) const;
    void revoke(const QString &userId, const QString &keyId, Completion<Done> done);

    /// The stored key that `secret` is; Unauthenticated when it is none (or was revoked).
    Result<ApiKey> authenticate(QByteArrayView secret);

    static bool isApiKey(QByteArrayView bearerToken) { return bearerToken.startsWith(kPrefix); }
    static QByteArray hashSecret(QByteArrayView secret);

private:
    ApiKeyRepository &m_keys;
    WriteQueue &m_writes;
    const Clock &m_clock;
};

} // namespace Switchboard
