#include "serverprocess.h"

#include "httpclient.h"
#include "integrationsupport.h"

#include <QDeadlineTimer>
#include <QProcessEnvironment>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace Integration {

ServerProcess::ServerProcess(const QString &dataDir, const QHash<QString, QString> &environment,
                             const QStringList &arguments, const QStringList &launcher)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"SERVER_"_s) || name.startsWith(u"VOIP_"_s) || name.startsWith(u"JWT_"_s)
            || name == u"DATABASE_URL"_s || name == u"DATA_DIR"_s || name == u"INSTANCE_ID"_s
            || name.endsWith(u"_RATE_LIMIT"_s) || name.startsWith(u"SESSION_"_s)) {
            env.remove(name);
        }
    }
    env.insert(u"REGISTER_RATE_LIMIT"_s, u"0"_s);
    env.insert(u"DATA_DIR"_s, dataDir);
    env.insert(u"INSTANCE_ID"_s, u"headless-test"_s);
    env.insert(u"VOIP_MOCK_MEDIA"_s, u"off"_s);
    for (auto it = environment.cbegin(); it != environment.cend(); ++it) {
        if (it.value().isNull())
            env.remove(it.key());
        else
            env.insert(it.key(), it.value());
    }
    m_process.setProcessEnvironment(env);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    if (launcher.isEmpty())
        m_process.start(binary(), arguments);
    else
        m_process.start(launcher.first(), launcher.mid(1) + QStringList{binary()} + arguments);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::binary()
{
    return QStringLiteral(SWITCHBOARD_BINARY);
}

std::unique_ptr<ServerProcess> ServerProcess::serve(const QString &dataDir, const QString &database,
                                                    const QHash<QString, QString> &environment,
                                                    const QStringList &launcher)
{
    const quint16 port = freePort();
    auto server = std::make_unique<ServerProcess>(
        dataDir, environment,
        QStringList{u"--headless"_s, u"--port"_s, QString::number(port), u"--database"_s, database}, launcher);
    server->m_baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    return server;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

bool ServerProcess::waitUntilHealthy(int timeoutMs)
{
    HttpClient client(m_baseUrl);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            return false;
        const HttpResult health = client.get(u"/system/health"_s);
        if (health.status == 200 && health.json.value(u"status"_s).toString() == u"ok"_s)
            return true;
        QTest::qWait(50);
    }
    return false;
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    const bool finished = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
    output();
    return finished;
}

QString ServerProcess::sanitizerReport()
{
    const QString text = output();
    for (const QString &marker : {u"AddressSanitizer"_s, u"LeakSanitizer"_s, u"runtime error:"_s}) {
        if (text.contains(marker)) {
            qWarning().noquote() << "output of the failed run:\n" << text;
            return text.mid(text.indexOf(marker) - 200);
        }
    }
    return {};
}

} // namespace Integration
