#pragma once

#include "domain/repositories.h"
#include "domain/voipservice.h"
#include "sessionmanager.h"

#include <QObject>
#include <QHash>
#include <QTimer>

namespace Switchboard {

class Clock;

struct CallSettings
{
    QString instanceId; ///< this process among those sharing the database
    int setupTimeoutSeconds = 60;
    int sessionTtlSeconds = 4 * 3600;
    int sweepIntervalMs = 60 * 1000;
    int providerTimeoutMs = 15 * 1000;
};

/// What a history request asks for, as the client sent it (validated here).
struct HistoryRequest
{
    QString page;
    QString limit;
    QString dateFrom;
    QString dateTo;
    QString status;
    QString query;
};

/// The call use cases: initiate, answer, terminate, history, get — and the lifecycle that the
/// provider and the clock drive (far-end events, expiry sweep, reconciliation after a restart).
class CallService : public QObject
{
    Q_OBJECT
public:
    CallService(CallRepository &calls, VoipService &provider, const Clock &clock, CallSettings settings,
                QObject *parent = nullptr);

    void initiate(const QString &userId, const QString &phoneNumber, Completion<Call> done);
    void answer(const QString &userId, const QString &callId, const QString &sdpAnswer, Completion<Call> done);
    void terminate(const QString &userId, const QString &callId, Completion<Call> done);
    Result<HistoryPage> history(const QString &userId, const HistoryRequest &request);
    Result<Call> get(const QString &userId, const QString &callId);

    Result<CallStatistics> statistics() { return m_calls.statistics(); }
    const SessionManager &sessions() const { return m_sessions; }
    QString providerName() const { return m_provider.name(); }
    WebRTCConfig webrtcConfig() const { return m_provider.webrtcConfig(); }

    /// Ends what the last run of this instance left live, then sweeps every sweepIntervalMs.
    Status start();

    /// Expires overdue sessions, records that live ones are alive, and ends calls whose instance
    /// has gone quiet.
    void sweep();

    static constexpr int kDefaultHistoryLimit = 20;
    static constexpr int kMaxHistoryLimit = 100;

Q_SIGNALS:
    /// A call's stored state changed (status, answer, end); clients waiting on it are woken.
    void callChanged(const QString &callId);

private:
    void onProviderStatus(const QString &sessionId, SessionStatus status, const QString &reason);
    Result<Call> ownedCall(const QString &userId, const QString &callId);
    void endProviderSession(const QString &sessionId);
    /// Writes `changed` if the stored status is still `expected`, and tells the waiters.
    Result<bool> save(const Call &changed, CallStatus expected);
    /// Moves a live call to its final status, with its last quality sample; false when it had
    /// already moved.
    Result<bool> finish(Call &call, CallStatus status, const QString &reason, const QDateTime &at);
    void reconcile(const QList<Call> &orphans);

    CallRepository &m_calls;
    VoipService &m_provider;
    const Clock &m_clock;
    CallSettings m_settings;
    SessionManager m_sessions;
    QHash<QString, QTimer *> m_placing; ///< calls whose provider has not answered initiate yet, with their guard
    QTimer m_sweepTimer;
};

} // namespace Switchboard
