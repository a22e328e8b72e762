#include "singleinstance.h"

#include "core/privatefiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {
constexpr int kTimeoutMs = 2000;
constexpr qint64 kMaxMessage = 256;

/// A folder only this user can enter: XDG_RUNTIME_DIR (made 0700 by the session), else one of
/// ours in the temporary folder — refused if it exists and is anybody else's or open to others.
QString privateSocketFolder()
{
    // Read directly: QStandardPaths warns on stderr when it is unset (a root shell, a service).
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString folder = runtime.isEmpty() ? QDir::temp().filePath(u"switchboard-%1"_s.arg(::getuid())) : runtime;
    if (!makePrivateFolder(folder))
        return {};
    const QFileInfo info(folder);
    const auto othersMayEnter = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (info.ownerId() != ::getuid() || (info.permissions() & othersMayEnter))
        return {};
    return folder;
}

/// The user id at the other end of a local socket (SO_PEERCRED), or -1.
qint64 peerUid(qintptr descriptor)
{
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(int(descriptor), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return -1;
    return credentials.uid;
}

} // namespace

SingleInstance::SingleInstance(const QString &key, QObject *parent) : QObject(parent)
{
    const QByteArray hash = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    // A full path: a bare name would be made in /tmp, where another local user could take the
    // predictable name first and receive the numbers this user's links hand over.
    if (const QString folder = privateSocketFolder(); !folder.isEmpty())
        m_name = QDir(folder).filePath(u"switchboard-"_s + QString::fromLatin1(hash));
}

bool SingleInstance::forward(const QString &number)
{
    if (m_name.isEmpty())
        return false;
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(kTimeoutMs))
        return false;
    if (peerUid(socket.socketDescriptor()) != qint64(::getuid()))
        return false; // not this user's console
    socket.write(number.toUtf8() + '\n');
    return socket.waitForBytesWritten(kTimeoutMs);
}

bool SingleInstance::listen()
{
    if (m_name.isEmpty())
        return false;
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
            if (peerUid(socket->socketDescriptor()) != qint64(::getuid())) {
                socket->abort();
                continue;
            }
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
