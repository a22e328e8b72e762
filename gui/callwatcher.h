#pragma once

#include "apiclient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// Tells when the operator's call ends, for the wrap-up the console offers afterwards. The call
/// page is a web page that reports nothing to the console, so this asks the API, like any client:
/// while `active`, it reads the newest call every `intervalMs`, and when a call it saw live has
/// ended (whoever ended it) it emits callEnded() once. `inCall` says whether the last check saw one live.
class CallWatcher : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY intervalMsChanged)
    Q_PROPERTY(bool inCall READ inCall NOTIFY inCallChanged)

public:
    explicit CallWatcher(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool active() const { return m_timer.isActive(); }
    void setActive(bool active);
    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int intervalMs);
    bool inCall() const { return !m_liveCallId.isEmpty(); }

    /// Reads the newest call now.
    Q_INVOKABLE void check();

Q_SIGNALS:
    void clientChanged();
    void activeChanged();
    void intervalMsChanged();
    void inCallChanged();
    /// `party`: the contact's name, or the number formatted for reading; `failureReason` empty
    /// unless it failed; `endedAt` as the server recorded it (invalid if it did not say).
    void callEnded(const QString &callId, const QString &party, const QString &status, const QString &failureReason,
                   const QDateTime &endedAt);

private:
    void setLiveCallId(const QString &callId);

    QPointer<ApiClient> m_client;
    QTimer m_timer;
    QString m_liveCallId; ///< the call seen live at the last check
    bool m_asking = false;
};

} // namespace Switchboard::Gui
