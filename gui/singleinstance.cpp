#include "singleinstance.h"

#include <QCryptographicHash>
#include <QLocalSocket>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {
constexpr int kTimeoutMs = 2000;
constexpr qint64 kMaxMessage = 256;
} // namespace

SingleInstance::SingleInstance(const QString &key, QObject *parent) : QObject(parent)
{
    const QByteArray hash = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    m_name = u"switchboard-"_s + QString::fromLatin1(hash);
}

bool SingleInstance::forward(const QString &number)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(kTimeoutMs))
        return false;
    socket.write(number.toUtf8() + '\n');
    return socket.waitForBytesWritten(kTimeoutMs);
}

bool SingleInstance::listen()
{
    // Only the owner may connect; a socket left behind by a crashed run is replaced.
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server.listen(m_name)) {
        QLocalServer::removeServer(m_name);
        if (!m_server.listen(m_name))
            return false;
    }
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                if (!socket->canReadLine()) {
                    if (socket->bytesAvailable() > kMaxMessage)
                        socket->abort();
                    return;
                }
                const QString number = QString::fromUtf8(socket->readLine(kMaxMessage)).trimmed();
                socket->disconnectFromServer();
                Q_EMIT activated(number);
            });
        }
    });
    return true;
}

} // namespace Switchboard::Gui
