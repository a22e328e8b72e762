#pragma once

#include <QList>
#include <QString>

namespace Switchboard {

struct IceServer
{
    QStringList urls;
    QString username;
    QString credential;
};

/// What a WebRTC client needs to reach the provider's media.
struct WebRTCConfig
{
    QList<IceServer> iceServers;
};

} // namespace Switchboard
