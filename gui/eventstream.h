#pragma once

#include "apiclient.h"
#include "sseparser.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QNetworkReply;

namespace Switchboard::Gui {

/// The console's subscription to `GET /api/events` (Server-Sent Events): every change of the
/// operator's calls (an admin's: everyone's) as it happens, instead of one long poll per call.
/// While `active` and the client holds a token, it keeps the stream open: a stream that ends or
/// fails is opened again after 1, 2, 4… (at most 30) seconds with `Last-Event-ID`, so the server
/// replays what was missed; a stream silent for three keep-alives is taken for dead. A 401 to
/// the token in use is the session's end (ApiClient::unauthorized) and stops it, as does
/// logging out (the token cleared).
class EventStream : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(bool connected READ connected NOTIFY connectedChanged)

public:
    /// The server sends a comment every 15 s; this much silence means the connection is gone.
    static constexpr int kIdleTimeoutMs = 45'000;
    static constexpr int kFirstRetryMs = 1'000;
    static constexpr int kMaxRetryMs = 30'000;

    explicit EventStream(QObject *parent = nullptr);
    ~EventStream() override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool active() const { return m_active; }
    void setActive(bool active);
    bool connected() const { return m_connected; }
    /// The id of the last event received whole: where the next connection resumes.
    QString lastEventId() const { return m_parser.lastEventId(); }
    /// How long the next reconnection waits.
    int retryDelayMs() const { return m_retryDelayMs; }

Q_SIGNALS:
    void clientChanged();
    void activeChanged();
    /// Also each time a connection opens: what happened before it and was not replayed (the
    /// first connection replays nothing) is for the listener to read.
    void connectedChanged();
    /// A `call.updated` event: the call object as `GET /api/calls/{id}` answers it.
    void callUpdated(const QJsonObject &call);

private:
    void update();
    void open();
    void close();
    void onReadyRead();
    void onFinished();
    void retryLater();
    void setConnected(bool connected);
    void deliver(const QList<ServerSentEvent> &events);

    QPointer<ApiClient> m_client;
    bool m_active = false;
    bool m_connected = false;
    /// Guarded: the reply is the client's network manager's child and goes with it, which may
    /// be before this object when QML tears the page down.
    QPointer<QNetworkReply> m_reply;
    QString m_sentToken;
    SseParser m_parser;
    QTimer m_retry;
    int m_retryDelayMs = kFirstRetryMs;
};

} // namespace Switchboard::Gui
