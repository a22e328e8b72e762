#pragma once

#include "apiclient.h"
#include "eventstream.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// Follows the operator's calls for the console, over the event stream: when a call it saw live
/// has ended (whoever ended it) it emits callEnded() once, for the wrap-up and the tray; when a
/// live call appears whose audio no softphone has connected yet, it emits callAwaitingAudio(),
/// for the softphone page to answer it unless it placed the call itself — a call a CRM placed
/// with the operator's API key (click-to-call). `inCall` says whether the operator has a call live.
///
/// Only the calls of `userId` count: an admin's stream carries every operator's calls. While
/// `active`, it reads the newest call once when it starts and whenever the stream (re)connects,
/// so a call placed or ended while the stream was down is not missed.
class CallWatcher : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(Switchboard::Gui::EventStream *events READ events WRITE setEvents NOTIFY eventsChanged)
    Q_PROPERTY(QString userId READ userId WRITE setUserId NOTIFY userIdChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(bool inCall READ inCall NOTIFY inCallChanged)

public:
    explicit CallWatcher(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    EventStream *events() const { return m_events; }
    void setEvents(EventStream *events);
    QString userId() const { return m_userId; }
    void setUserId(const QString &userId);
    bool active() const { return m_active; }
    void setActive(bool active);
    bool inCall() const { return !m_liveCallId.isEmpty(); }

    /// Reads the newest call (or the one seen live) now.
    Q_INVOKABLE void check();

Q_SIGNALS:
    void clientChanged();
    void eventsChanged();
    void userIdChanged();
    void activeChanged();
    void inCallChanged();
    /// `party`: the contact's name, or the number formatted for reading; `failureReason` empty
    /// unless it failed; `endedAt` as the server recorded it (invalid if it did not say).
    void callEnded(const QString &callId, const QString &party, const QString &status, const QString &failureReason,
                   const QDateTime &endedAt);
    /// A live call of the operator, seen for the first time, that no softphone has answered: `call`
    /// is `GET /api/calls/{id}`'s answer, with the far end's `sdp_offer` (null with Twilio, whose
    /// audio rings the softphone instead). At most once per call.
    void callAwaitingAudio(const QString &callId, const QVariantMap &call);

private:
    void onStreamConnectedChanged();
    void apply(const QJsonObject &call);
    void offerIfUnanswered(const QString &callId);
    void setLiveCallId(const QString &callId);

    QPointer<ApiClient> m_client;
    QPointer<EventStream> m_events;
    QString m_userId;
    bool m_active = false;
    QString m_liveCallId; ///< the operator's call last seen live
    QSet<QString> m_offerChecked; ///< live calls already looked at for an answer (once each)
    bool m_asking = false;
};

} // namespace Switchboard::Gui
