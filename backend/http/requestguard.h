#pragma once

#include "apiresponse.h"

#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace Switchboard {

/// A QTcpServer that puts a RequestGuard on each connection before QHttpServer takes it.
///
/// QHttpServer 6.4 buffers a request of any size before the server sees it: a client that
/// announces a gigabyte is waited for and stored. The guard reads each request's head first and
/// refuses one whose head is too large (431), whose Content-Length is over the body limit, or
/// whose chunked body grows past it (413); `refuse` writes the answer.
class GuardedTcpServer : public QTcpServer
{
public:
    using Refuse = std::function<void(QTcpSocket *, const QByteArray &method, const ApiResponse &)>;

    GuardedTcpServer(Refuse refuse, QObject *parent);
    QTcpSocket *nextPendingConnection() override;

private:
    Refuse m_refuse;
};

} // namespace Switchboard
