#include "listeningsocket.h"

#include <QtEndian>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<ListeningSocket> ListeningSocket::open(const QHostAddress &address, quint16 port, int backlog)
{
    const bool ipv6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (ipv6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = qToBigEndian(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        in6->sin6_scope_id = address.scopeId().toUInt();
        length = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = qToBigEndian(port);
        in4->sin_addr.s_addr = qToBigEndian(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }

    const auto failed = [&](const char *what, int fd) -> Error {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        if (fd >= 0)
            ::close(fd);
        return Error{ErrorCode::Internal, u"cannot %1 %2:%3: %4"_s.arg(QString::fromLatin1(what), address.toString())
                                              .arg(port)
                                              .arg(reason)};
    };
    const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failed("open a socket for", -1);
    const int on = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0
        || ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
        return failed("configure a socket for", fd);
    }
    if (ipv6 && ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0)
        return failed("configure a socket for", fd);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return failed("listen on", fd);
    if (::listen(fd, backlog) != 0)
        return failed("listen on", fd);
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return failed("read the port of", fd);
    const quint16 bound = ipv6 ? qFromBigEndian(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port)
                               : qFromBigEndian(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    return ListeningSocket{fd, bound};
}

void ListeningSocket::close() const
{
    if (descriptor >= 0)
        ::close(int(descriptor));
}

} // namespace Switchboard
