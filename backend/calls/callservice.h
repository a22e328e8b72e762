#pragma once

#include "domain/repositories.h"
#include "domain/voipservice.h"
#include "domain/writequeue.h"
#include "sessionmanager.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

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

/// What the team's admins set and see of calls: the calling policy every initiate obeys, and the
/// audit trail that records each call placed and ended. Either may be left out (the lifecycle's
/// own tests).
struct CallOversight
{
    PolicyRepository *policy = nullptr;
    AuditRepository *audit = nullptr;
};

/// Who asks for a call: the operator, and where the request came from (for the audit trail).
struct CallRequester
{
    QString userId;
    QString client;
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
    QString cursor;
    QString userId; ///< whose history (`user_id`): empty for the caller's own; an admin's only for others
    QString outcome;
};

/// The call use cases: initiate, answer, terminate, history, get — and the lifecycle that the
/// provider and the clock drive (far-end events, expiry sweep, reconciliation after a restart).
///
/// Threads: the service, its provider and its timers live on one thread. Whatever changes a
/// call may be called from any thread and runs there, in order; its completion is invoked on
/// that thread too (answers go out through Reply, which any thread may send). The reads
/// (history, get, statistics) run on the caller's thread, on its own database connection.
///
/// Writes go through the WriteQueue and are acknowledged after their commit. Until then the
/// service knows the calls it holds from memory (`m_live`, the state as last written), so that
/// an event that follows a write still in flight sees that write: the writer applies them in
/// the order they were made, and each is conditional on the status before it.
class CallService : public QObject
{
    Q_OBJECT
public:
    CallService(CallRepository &calls, WriteQueue &writes, VoipService &provider, const Clock &clock,
                CallSettings settings, CallOversight oversight = {}, QObject *parent = nullptr);

    /// Places a call as the calling policy allows: a country it does not list is
    /// ErrorCode::DestinationNotAllowed, a limit reached ErrorCode::CallLimitReached.
    void initiate(const CallRequester &requester, const QString &phoneNumber, Completion<Call> done);
    void initiate(const QString &userId, const QString &phoneNumber, Completion<Call> done)
    {
        initiate(CallRequester{userId, {}}, phoneNumber, std::move(done));
    }
    void answer(const QString &userId, const QString &callId, const QString &sdpAnswer, Completion<Call> done);
    void terminate(const QString &userId, const QString &callId, Completion<Call> done);
    /// Puts an active call's far end on hold (`on`) or takes it off hold.
    void hold(const QString &userId, const QString &callId, bool on, Completion<Call> done);
    /// Hands an active call's far end over to `phoneNumber` (a blind transfer): the operator's leg
    /// ends as completed, with `transferredTo`.
    void transfer(const QString &userId, const QString &callId, const QString &phoneNumber, Completion<Call> done);

    /// Writes the operator's notes and outcome on their call (at any stage of it) and completes
    /// with the call as stored. Any thread; the lifecycle's writes never touch these fields.
    void annotate(const QString &userId, const QString &callId, const CallAnnotation &annotation,
                  Completion<Call> done);

    /// Completes once every write the service has made so far is committed: what a provider's
    /// report changed is durable before the report is acknowledged. Runs on the service's thread
    /// after what was queued there before it.
    void afterWrites(Completion<Done> done);

    /// The history of `callerId`, or of `request.userId` when the caller is an admin (another
    /// operator's asked for by a non-admin: ErrorCode::Forbidden).
    Result<HistoryPage> history(const QString &callerId, const HistoryRequest &request, bool callerIsAdmin = false) const;
    /// The caller's call; any operator's when the caller is an admin (as for history).
    Result<Call> get(const QString &userId, const QString &callId, bool callerIsAdmin = false) const;
    Result<CallStatistics> statistics() const { return m_calls.statistics(); }

    const SessionManager &sessions() const { return m_sessions; }
    QString providerName() const { return m_providerName; }
    WebRTCConfig webrtcConfig() const { return m_provider.webrtcConfig(); }

    /// Ends what the last run of this instance left live and completes once that is committed;
    /// then sweeps every sweepIntervalMs.
    void start(Completion<Done> started);

    /// Expires overdue sessions, records that live ones are alive, and ends calls whose instance
    /// has gone quiet.
    void sweep();

    static constexpr int kDefaultHistoryLimit = 20;
    static constexpr int kMaxHistoryLimit = 100;
    static constexpr int kMaxNotesLength = 4000;

Q_SIGNALS:
    /// A call was stored or its stored state changed (status, answer, end, notes) and that is
    /// committed; clients waiting on it, the event streams and the webhooks are woken.
    void callChanged(const QString &callId);

private:
    /// The calling policy in force (none: no limits).
    Result<CallingPolicy> policy() const;
    /// What the writer did with a new call: stored it, or refused it over a limit (and recorded that).
    struct Placement
    {
        std::optional<Error> refusal;
    };
    /// The writer's unit that stores a new call: the policy's limits are counted in the same
    /// transaction as the insert, so that two requests cannot both take the last place.
    Result<Placement> placeWithinLimits(const Call &call, const CallingPolicy &policy, const QString &client);
    /// Answers `refusal` (a policy's no) once the attempt is in the audit trail with `detail`.
    void refuse(const CallRequester &requester, const QString &e164, const Error &refusal, const QString &detail,
                Completion<Call> done);
    /// Appends to the audit trail in the writer's transaction (nothing without an audit trail).
    /// `at` comes from outside the unit: a unit may run again and must write the same.
    Status audit(const Call &call, const QString &action, const QString &client, const QString &detail,
                 const QDateTime &at);
    void askProvider(const Call &call, int maxDurationSeconds, Completion<Call> done);
    void onPlaced(const Call &call, int maxDurationSeconds, Result<ProviderSession> session, Completion<Call> done);
    void failPlacing(const Call &call, const Error &error, Completion<Call> done);
    void onProviderStatus(const QString &sessionId, SessionStatus status, const QString &reason);
    /// The call as this instance knows it: from memory while it holds it, else from the database.
    Result<std::optional<Call>> current(const QString &callId) const;
    /// The call when `userId` owns it (or, with `anyOwner`, whoever does); Forbidden otherwise.
    Result<Call> ownedCall(const QString &userId, const QString &callId, bool anyOwner = false) const;
    /// The caller's call when it is active; InvalidCallState naming `what` otherwise.
    Result<Call> activeCall(const QString &userId, const QString &callId, const QString &what) const;
    void endProviderSession(const QString &sessionId);
    /// Writes `changed` if the stored status is still `expected`; `done` gets whether it was.
    void save(const Call &changed, CallStatus expected, Completion<bool> done);
    /// Moves a live call to its final status, with its last quality sample, and returns it as
    /// ended; `done` gets false when the stored call had already moved.
    Call finish(const Call &call, CallStatus status, const QString &reason, const QDateTime &at,
                Completion<bool> done);
    Call ended(const Call &call, CallStatus status, const QString &reason, const QDateTime &at) const;
    /// Forgets a held call whose state could not be written: its far end goes, and the row is
    /// reconciled by a sweep once the database is back.
    void abandon(const Call &call, const Error &error);
    /// Ends the calls no instance holds any more; `done` (optional) once that is committed.
    void reconcile(const QList<Call> &orphans, Completion<Done> done = {});
    /// Sets the call's timer to its session's deadline (the setup timeout, then the maximum
    /// duration), so that it ends on time rather than at the next sweep.
    void armDeadline(const CallSession &session);
    void disarmDeadline(const QString &callId);
    void onDeadline(const QString &callId);
    /// Ends the call of a session that ran out of time.
    void expire(const CallSession &session, const QDateTime &now);

    CallRepository &m_calls;
    WriteQueue &m_writes;
    VoipService &m_provider;
    const QString m_providerName;
    const Clock &m_clock;
    CallSettings m_settings;
    CallOversight m_oversight;
    SessionManager m_sessions;
    QHash<QString, Call> m_live; ///< the calls this instance holds, by id, as last written
    QHash<QString, QTimer *> m_placing; ///< calls whose provider has not answered initiate yet, with their guard
    QHash<QString, QTimer *> m_deadlines; ///< per held call, by id: when its session runs out of time
    QTimer m_sweepTimer;
};

} // namespace Switchboard
