#include "tlsfiles.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<QSslConfiguration> loadTls(const QString &certificatePath, const QString &keyPath)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificatePath, QSsl::Pem);
    if (chain.isEmpty())
        return Error::validation(u"TLS_CERT %1 is not a readable PEM certificate"_s.arg(certificatePath));
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error::validation(u"TLS_KEY %1 cannot be read: %2"_s.arg(keyPath, keyFile.errorString()));
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return Error::validation(u"TLS_KEY %1 is not an unencrypted PEM RSA or EC private key"_s.arg(keyPath));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients need no certificate
    return configuration;
}

} // namespace Switchboard
