#include "webhooksignature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace Switchboard::WebhookSignature {

namespace {
constexpr int kKeyBytes = 24;
} // namespace

QString newSecret()
{
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), kKeyBytes / sizeof(quint32));
    return kSecretPrefix + QString::fromLatin1(key.toBase64());
}

QByteArray sign(const QString &secret, const QByteArray &messageId, qint64 timestamp, const QByteArray &body)
{
    const QByteArray key = QByteArray::fromBase64(secret.sliced(kSecretPrefix.size()).toLatin1());
    const QByteArray content = messageId + '.' + QByteArray::number(timestamp) + '.' + body;
    return "v1," + QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256).toBase64();
}

} // namespace Switchboard::WebhookSignature
