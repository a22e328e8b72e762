#pragma once

#include "domain/result.h"

#include <QHostAddress>

namespace Switchboard {

/// A listening TCP socket that shares its port: SO_REUSEPORT lets each serving thread have a
/// socket of its own on one address and port, and the kernel spreads new connections among them.
struct ListeningSocket
{
    qintptr descriptor = -1;
    quint16 port = 0; ///< the port bound, also when 0 was asked for

    /// Binds `address`:`port` (0: a free port) and listens with room for `backlog` connections
    /// waiting to be accepted.
    static Result<ListeningSocket> open(const QHostAddress &address, quint16 port, int backlog);
    /// Closes a socket that no server took over.
    void close() const;
};

} // namespace Switchboard
