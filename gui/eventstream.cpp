#include "eventstream.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QNetworkReply>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

EventStream::EventStream(QObject *parent) : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventStream::open);
}

EventStream::~EventStream()
{
    close();
}

void EventStream::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    close();
    m_client = client;
    if (m_client)
        connect(m_client, &ApiClient::tokenChanged, this, &EventStream::update);
    Q_EMIT clientChanged();
    update();
}

void EventStream::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    update();
}

// Open while wanted and signed in. A refreshed token changes nothing on an open stream (the
// server checked the one it opened with); a cleared one is a logout: the stream closes, and the
// next session starts without the last one's position.
void EventStream::update()
{
    const bool signedIn = m_client && !m_client->token().isEmpty();
    if (!signedIn)
        m_parser = SseParser();
    if (!m_active || !signedIn) {
        close();
        m_retryDelayMs = kFirstRetryMs;
        return;
    }
    if (!m_reply && !m_retry.isActive())
        open();
}

void EventStream::open()
{
    if (!m_client || m_client->token().isEmpty())
        return;
    QList<std::pair<QByteArray, QByteArray>> headers{{"Accept", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    if (!m_parser.lastEventId().isEmpty())
        headers.append({"Last-Event-ID", m_parser.lastEventId().toUtf8()});
    m_parser.restart();
    m_sentToken = m_client->token();
    m_reply = m_client->openStream(u"/api/events"_s, headers, kIdleTimeoutMs);
    connect(m_reply, &QNetworkReply::readyRead, this, &EventStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &EventStream::onFinished);
}

void EventStream::close()
{
    m_retry.stop();
    if (QNetworkReply *reply = std::exchange(m_reply, nullptr)) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    setConnected(false);
}

void EventStream::onReadyRead()
{
    if (!m_connected) {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        if (status != 200)
            return; // an error's body: onFinished() decides what comes next
        if (!type.startsWith("text/event-stream"))
            return m_reply->abort(); // not a stream: try again later
        m_retryDelayMs = kFirstRetryMs;
        setConnected(true);
    }
    deliver(m_parser.feed(m_reply->readAll()));
}

void EventStream::deliver(const QList<ServerSentEvent> &events)
{
    for (const ServerSentEvent &event : events) {
        if (event.type != u"call.updated"_s)
            continue;
        const QJsonObject call = QJsonDocument::fromJson(event.data.toUtf8()).object();
        if (call.isEmpty()) {
            qCWarning(lcApp) << "event" << event.id << "carries no call object";
            continue;
        }
        Q_EMIT callUpdated(call);
        if (!m_reply)
            return; // a listener closed the stream (a logout): the rest belongs to no one
    }
}

void EventStream::onFinished()
{
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    if (!reply)
        return;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    setConnected(false);
    if (status == 401 && m_client && m_sentToken == m_client->token()) {
        qCInfo(lcApp) << "the event stream was refused: the session has ended";
        return; // ApiClient::unauthorized ends the session
    }
    qCInfo(lcApp) << "the event stream ended (HTTP" << status << reply->errorString() << "); again in"
                     << m_retryDelayMs << "ms";
    retryLater();
}

void EventStream::retryLater()
{
    if (!m_active || !m_client || m_client->token().isEmpty())
        return;
    m_retry.start(m_retryDelayMs);
    m_retryDelayMs = qMin(m_retryDelayMs * 2, kMaxRetryMs);
}

void EventStream::setConnected(bool connected)
{
    if (m_connected == connected)
        return;
    m_connected = connected;
    Q_EMIT connectedChanged();
}

} // namespace Switchboard::Gui
