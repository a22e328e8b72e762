#include "dashboardstats.h"
#include "apiclient.h"
#include "languagewatcher.h"
#include "texts.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

DashboardStats::DashboardStats(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &DashboardStats::refresh);
    new LanguageWatcher(this, [this] { Q_EMIT updated(); });
}

void DashboardStats::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void DashboardStats::setRunning(bool running)
{
    if (this->running() == running)
        return;
    if (running) {
        m_timer.start();
        refresh();
    } else {
        m_timer.stop();
    }
    Q_EMIT runningChanged();
}

void DashboardStats::setIntervalMs(int intervalMs)
{
    if (m_timer.interval() == intervalMs || intervalMs <= 0)
        return;
    m_timer.setInterval(intervalMs);
    Q_EMIT intervalMsChanged();
}

QString DashboardStats::errorText() const
{
    return Texts::error(m_errorType);
}

void DashboardStats::refresh()
{
    // A slow server gets one scrape at a time, not a queue of them.
    if (!m_client || m_pending)
        return;
    m_pending = true;
    m_client->get(u"/metrics"_s, this, [this](const ApiReply &reply) {
        m_pending = false;
        m_available = reply.ok();
        m_errorType = reply.errorType;
        if (reply.ok()) {
            m_values = parseMetrics(reply.body);
            m_activeHistory.append(activeSessions());
            while (m_activeHistory.size() > kHistoryLength)
                m_activeHistory.removeFirst();
        }
        Q_EMIT updated();
    });
}

QHash<QString, double> DashboardStats::parseMetrics(const QByteArray &text)
{
    QHash<QString, double> values;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#') || line.contains('{'))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        bool ok = false;
        const double value = parts.size() == 2 ? parts.at(1).toDouble(&ok) : 0.0;
        if (ok)
            values.insert(QString::fromLatin1(parts.at(0)), value);
    }
    return values;
}

} // namespace Switchboard::Gui
