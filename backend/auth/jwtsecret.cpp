#include "jwtsecret.h"

#include "core/logging.h"
#include "core/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <sodium.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr int kSecretBytes = 48;
constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
} // namespace

Result<QByteArray> loadOrCreateJwtSecret(const QString &dataDir)
{
    if (!makePrivateFolder(dataDir))
        return Error::storage(u"cannot create the data folder %1"_s.arg(dataDir));
    const QString path = QDir(dataDir).filePath(u"jwt_secret"_s);

    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            return Error::storage(u"cannot read %1"_s.arg(path));
        const QByteArray secret = existing.readAll().trimmed();
        if (secret.size() < 32)
            return Error::storage(u"%1 holds fewer than 32 characters; delete it to make a new one"_s.arg(path));
        if (existing.permissions() & ~(kOwnerOnly | QFileDevice::ReadUser | QFileDevice::WriteUser))
            existing.setPermissions(kOwnerOnly);
        return secret;
    }

    if (sodium_init() < 0)
        return Error::storage(u"libsodium failed to initialise"_s);
    QByteArray random(kSecretBytes, Qt::Uninitialized);
    randombytes_buf(random.data(), size_t(random.size()));
    const QByteArray secret = random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnly) || file.write(secret) != secret.size()
        || !file.commit()) {
        return Error::storage(u"cannot write %1"_s.arg(path));
    }
    qCInfo(lcAuth) << "generated a new JWT signing secret in" << path;
    return secret;
}

} // namespace Switchboard
