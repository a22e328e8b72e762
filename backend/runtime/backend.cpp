#include "backend.h"

#include "core/logging.h"
#include "serverruntime.h"

#include <QHostAddress>
#include <QMetaObject>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

/// Builds the runtime inside its own run(), so that every part — the SQL connection above all —
/// belongs to the server thread.
class Backend::Thread : public QThread
{
public:
    explicit Thread(Config config) : m_config(std::move(config)) {}

    std::future<Result<quint16>> started() { return m_started.get_future(); }

    void drain(int graceMs)
    {
        QMetaObject::invokeMethod(
            this->m_context, [this, graceMs]() { m_runtime->drain(graceMs, [this]() { quit(); }); },
            Qt::QueuedConnection);
    }

protected:
    void run() override
    {
        QObject context;
        m_context = &context;
        m_runtime = std::make_unique<ServerRuntime>(m_config);
        Result<quint16> port = m_runtime->start();
        const bool ok = port.ok();
        m_started.set_value(std::move(port));
        if (ok)
            exec();
        m_runtime.reset();
        m_context = nullptr;
    }

private:
    Config m_config;
    std::promise<Result<quint16>> m_started;
    std::unique_ptr<ServerRuntime> m_runtime;
    QObject *m_context = nullptr;
};

Backend::Backend(Config config) : m_config(std::move(config)) {}

Backend::~Backend()
{
    stop();
}

Result<quint16> Backend::start()
{
    m_thread = std::make_unique<Thread>(m_config);
    m_thread->setObjectName(u"switchboard-server"_s);
    std::future<Result<quint16>> started = m_thread->started();
    m_thread->start();
    Result<quint16> port = started.get();
    if (!port) {
        m_thread->wait();
        m_thread.reset();
        return port;
    }
    m_port = port.value();
    return port;
}

void Backend::stop(int graceMs)
{
    if (!m_thread)
        return;
    m_thread->drain(graceMs);
    m_thread->wait();
    m_thread.reset();
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
