#include "testbackend.h"

#include <QProcessEnvironment>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

TestBackend::TestBackend(const QHash<QString, QString> &environment)
{
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, m_database.dataDir());
    env.insert(u"SERVER_HOST"_s, u"127.0.0.1"_s);
    env.insert(u"SERVER_PORT"_s, u"0"_s);
    env.insert(u"JWT_SECRET"_s, QString::fromLatin1(kSecret));
    env.insert(u"LOGIN_RATE_LIMIT"_s, u"100000"_s);
    // Tests register many operators from one address; the limit's own test turns it back on.
    env.insert(u"REGISTER_RATE_LIMIT"_s, u"0"_s);
    env.insert(u"INSTANCE_ID"_s, u"test-instance"_s);
    // Media-less mock unless a test asks for the GStreamer far end: HTTP tests answer with
    // hand-written SDP, which a real peer would rightly refuse.
    env.insert(u"VOIP_MOCK_MEDIA"_s, u"off"_s);
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());

    Result<Config> config = Config::fromEnvironment(env);
    if (!config) {
        m_error = config.error().message;
        return;
    }
    m_config = config.value();
    if (m_database.url())
        m_config.database = *m_database.url();
    else
        m_error = m_database.skipReason();
}

TestBackend::~TestBackend()
{
    stop();
}

bool TestBackend::start()
{
    if (!m_error.isEmpty())
        return false;
    m_backend = std::make_unique<Backend>(m_config);
    Result<quint16> port = m_backend->start();
    if (!port) {
        m_error = port.error().message;
        m_backend.reset();
        return false;
    }
    return true;
}

void TestBackend::stop()
{
    if (m_backend)
        m_backend->stop();
    m_backend.reset();
}

QUrl TestBackend::baseUrl() const
{
    return m_backend ? m_backend->baseUrl() : QUrl();
}
