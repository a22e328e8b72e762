#include "httpthread.h"

#include "core/logging.h"
#include "http/apiserver.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QSemaphore>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr int kDrainPollMs = 20;
} // namespace

HttpThread::HttpThread(int index, ApiServices services, HttpMetrics &metrics, ServingSettings settings,
                       QList<ListeningSocket> sockets)
    : m_services(std::move(services)), m_metrics(metrics), m_settings(std::move(settings)), m_sockets(std::move(sockets))
{
    setObjectName(u"switchboard-http-%1"_s.arg(index));
}

HttpThread::~HttpThread()
{
    stop();
}

void HttpThread::build(Completion<Done> ready)
{
    m_server = std::make_unique<ApiServer>(m_services.auth, m_metrics, m_settings.allowedOrigins);
    m_server->setAllowedHosts(m_settings.allowedHosts);
    addRoutes(*m_server, m_services);
    Status started = Done{};
    // Each socket is the server's from here, served or closed, also after a failure.
    for (const ListeningSocket &socket : std::as_const(m_sockets)) {
        if (!started)
            socket.close();
        else
            started = m_server->start(socket.descriptor, m_settings.timeouts, m_settings.backlog, m_settings.limits, m_settings.tls);
    }
    ready(started);
}

void HttpThread::teardown()
{
    m_server.reset();
}

void HttpThread::drain(int graceMs)
{
    QSemaphore drained;
    QMetaObject::invokeMethod(m_server.get(), [this, graceMs, &drained]() {
        m_server->stopListening();
        auto deadline = std::make_shared<QElapsedTimer>();
        deadline->start();
        auto *poll = new QTimer(m_server.get());
        poll->setInterval(kDrainPollMs);
        QObject::connect(poll, &QTimer::timeout, m_server.get(), [this, poll, deadline, graceMs, &drained]() {
            const int pending = m_server->pendingResponses();
            if (pending > 0 && deadline->elapsed() < graceMs)
                return;
            if (pending > 0)
                qCWarning(lcApp) << objectName() << "stopping with" << pending << "answers unwritten";
            poll->deleteLater();
            drained.release();
        });
        poll->start();
    });
    drained.acquire();
}

} // namespace Switchboard
