#include "backend.h"

#include "core/logging.h"
#include "serverruntime.h"

#include <QHostAddress>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Backend::Backend(Config config) : m_config(std::move(config)) {}

Backend::~Backend()
{
    stop();
}

Result<quint16> Backend::start()
{
    m_runtime = std::make_unique<ServerRuntime>(m_config);
    Result<quint16> port = m_runtime->start();
    if (!port) {
        m_runtime.reset();
        return port;
    }
    m_port = port.value();
    return port;
}

void Backend::stop(int graceMs)
{
    if (!m_runtime)
        return;
    m_runtime->stop(graceMs);
    m_runtime.reset();
    qCInfo(lcApp) << "backend stopped";
}

QUrl Backend::baseUrl() const
{
    QUrl url;
    url.setScheme(m_config.usesTls() ? u"https"_s : u"http"_s);
    const QHostAddress address(m_config.host);
    // A wildcard bind is reached through loopback by the clients of this process.
    url.setHost(address == QHostAddress::Any || address == QHostAddress::AnyIPv6 ? u"127.0.0.1"_s : m_config.host);
    url.setPort(m_port);
    return url;
}

} // namespace Switchboard
