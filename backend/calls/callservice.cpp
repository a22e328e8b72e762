#include "callservice.h"

#include "sdpcheck.h"

#include "core/clock.h"
#include "core/logging.h"
#include "core/timeformat.h"
#include "phonenumbers.h"

#include <QRegularExpression>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const Error kNotFound{ErrorCode::CallNotFound, u"Call not found"_s};
const Error kForbidden{ErrorCode::Forbidden, u"No access to this call"_s};

int secondsBetween(const std::optional<QDateTime> &from, const QDateTime &to)
{
    if (!from || !from->isValid() || !to.isValid())
        return 0;
    return int(qMax<qint64>(0, from->secsTo(to)));
}

Result<int> boundedInt(const QString &text, const QString &name, int fallback, int min, int max)
{
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return Error::validation(u"%1 must be a whole number from %2 to %3"_s.arg(name).arg(min).arg(max));
    return value;
}

} // namespace

CallService::CallService(CallRepository &calls, VoipService &provider, const Clock &clock, CallSettings settings,
                         QObject *parent)
    : QObject(parent), m_calls(calls), m_provider(provider), m_clock(clock), m_settings(std::move(settings))
{
    connect(&m_provider, &VoipService::sessionStatusChanged, this, &CallService::onProviderStatus);
    m_sweepTimer.setInterval(m_settings.sweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &CallService::sweep);
}

Status CallService::start()
{
    Result<QList<Call>> orphans =
        m_calls.orphans(m_settings.instanceId, m_clock.now().addMSecs(-3LL * m_settings.sweepIntervalMs));
    if (!orphans)
        return orphans.error();
    if (!orphans->isEmpty())
        qCInfo(lcCalls) << "reconciling" << orphans->size() << "calls left live by an earlier run";
    reconcile(orphans.value());
    m_sweepTimer.start();
    return Done{};
}

void CallService::initiate(const QString &userId, const QString &phoneNumber, Completion<Call> done)
{
    Result<QString> e164 = PhoneNumbers::toE164(phoneNumber);
    if (!e164)
        return done(e164.error());

    Call call;
    call.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    call.userId = userId;
    call.phoneNumber = e164.value();
    call.startTime = m_clock.now();
    call.status = CallStatus::Initiated;
    call.provider = m_provider.name();
    call.instanceId = m_settings.instanceId;
    call.lastAliveAt = call.startTime;
    // The row exists before the provider is asked, so that a crash in between leaves a trace
    // that the next start reconciles, and the unique index refuses a second live call at once.
    if (Status created = m_calls.create(call); !created)
        return done(created.error());

    auto fail = [this, call, done](const Error &error) mutable {
        // A number the provider refuses (Twilio's 21211, …) is the operator's to correct: the
        // provider's own words, as a validation error. Anything else is the provider failing.
        if (error.code == ErrorCode::Validation) {
            qCInfo(lcCalls).noquote() << "the provider refused call" << call.id << ":" << error.message;
            finish(call, CallStatus::Failed, FailureReason::ProviderError.toString(), m_clock.now());
            return done(error);
        }
        qCCritical(lcVoip).noquote() << "initiate of call" << call.id << "failed:" << error.message;
        finish(call, CallStatus::Failed, FailureReason::ProviderUnavailable.toString(), m_clock.now());
        done(Error{ErrorCode::CallInitiationFailed, u"The VoIP provider could not place the call: "_s + error.message});
    };

    // Whichever comes first, the provider's answer or this guard, takes the call out of m_placing.
    auto *guard = new QTimer(this);
    guard->setSingleShot(true);
    m_placing.insert(call.id, guard);
    connect(guard, &QTimer::timeout, this, [this, callId = call.id, fail]() mutable {
        if (QTimer *pending = m_placing.take(callId)) {
            pending->deleteLater();
            fail(Error{ErrorCode::CallInitiationFailed, u"the provider did not answer in time"_s});
        }
    });
    guard->start(m_settings.providerTimeoutMs);

    m_provider.initiate({call.id, userId, call.phoneNumber},
                        [this, call, done, fail](Result<ProviderSession> session) mutable {
        QTimer *pending = m_placing.take(call.id);
        if (!pending) {
            if (session)
                endProviderSession(session->sessionId); // too late: the call has already failed
            return;
        }
        delete pending;
        if (!session)
            return fail(session.error());

        Call connecting = call;
        connecting.status = CallStatus::Connecting;
        connecting.sessionId = session->sessionId;
        connecting.sdpOffer = session->sdpOffer;
        connecting.lastAliveAt = m_clock.now();
        Result<bool> updated = save(connecting, CallStatus::Initiated);
        if (!updated || !updated.value()) {
            endProviderSession(session->sessionId);
            if (!updated)
                return done(updated.error());
            return done(Error{ErrorCode::InvalidCallState, u"The call was ended while it was being placed"_s});
        }
        const QDateTime now = m_clock.now();
        m_sessions.add({session->sessionId, call.id, call.userId, SessionStatus::Connecting, now, {}, now});
        qCInfo(lcCalls) << "call" << call.id << "initiated to" << call.phoneNumber << "session" << session->sessionId;
        done(connecting);
    });
}

Result<Call> CallService::ownedCall(const QString &userId, const QString &callId)
{
    if (callId.trimmed().isEmpty())
        return Error::validation(u"call_id is required"_s);
    if (QUuid::fromString(callId).isNull())
        return kNotFound;
    Result<std::optional<Call>> found = m_calls.findById(callId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return kNotFound;
    if (found.value()->userId != userId) {
        qCWarning(lcCalls) << "user" << userId << "tried to reach call" << callId << "of another user";
        return kForbidden;
    }
    return *found.value();
}

void CallService::answer(const QString &userId, const QString &callId, const QString &sdpAnswer,
                         Completion<Call> done)
{
    if (sdpAnswer.trimmed().isEmpty())
        return done(Error::validation(u"sdp_answer is required"_s));
    if (!looksLikeAudioSdp(sdpAnswer))
        return done(Error::validation(u"sdp_answer is not an SDP description with an audio section"_s));
    Result<Call> call = ownedCall(userId, callId);
    if (!call)
        return done(call.error());
    if (call->status != CallStatus::Connecting) {
        return done(Error{ErrorCode::InvalidCallState,
                          u"The call is %1; only a connecting call can be answered"_s.arg(toString(call->status))});
    }
    if (!call->sdpAnswer.isEmpty())
        return done(Error{ErrorCode::InvalidCallState, u"The call has already been answered"_s});
    if (!m_sessions.contains(call->sessionId)) {
        return done(Error{ErrorCode::InvalidCallState,
                          u"The call's media is held by another Switchboard instance"_s});
    }

    m_provider.answer(call->sessionId, sdpAnswer, [this, call = call.value(), sdpAnswer, done](Status accepted) mutable {
        if (!accepted)
            return done(accepted.error());
        Call answered = call;
        answered.sdpAnswer = sdpAnswer;
        Result<bool> updated = save(answered, CallStatus::Connecting);
        if (!updated)
            return done(updated.error());
        if (!updated.value())
            return done(get(call.userId, call.id));
        qCDebug(lcSessions) << "session" << call.sessionId << "got the softphone's answer";
        done(answered);
    });
}

void CallService::terminate(const QString &userId, const QString &callId, Completion<Call> done)
{
    Result<Call> found = ownedCall(userId, callId);
    if (!found)
        return done(found.error());
    Call call = found.value();
    if (!isLive(call.status))
        return done(call); // idempotent: the recorded outcome, unchanged

    const CallStatus final = call.status == CallStatus::Active ? CallStatus::Completed : CallStatus::Canceled;
    Result<bool> finished = finish(call, final, {}, m_clock.now());
    if (!finished) {
        // The operator hung up: the far end goes even when the database cannot record it. The
        // row, no longer held by a session, is reconciled by a sweep once the database is back.
        if (!call.sessionId.isEmpty())
            endProviderSession(call.sessionId);
        return done(finished.error());
    }
    if (!finished.value())
        return done(get(userId, callId)); // it ended meanwhile: report what it ended as

    qCInfo(lcCalls) << "call" << call.id << "terminated by the operator:" << toString(call.status)
                    << call.durationSeconds << "s";
    if (call.sessionId.isEmpty())
        return done(call);
    m_provider.terminate(call.sessionId, [call, done](Status ended) {
        if (!ended)
            qCCritical(lcVoip).noquote() << "provider failed to end session" << call.sessionId << ":"
                                         << ended.error().message;
        done(call);
    });
}

Result<bool> CallService::finish(Call &call, CallStatus status, const QString &reason, const QDateTime &at)
{
    const CallStatus expected = call.status;
    Call ended = call;
    ended.status = status;
    ended.endedAt = at;
    ended.lastAliveAt = at;
    ended.durationSeconds = secondsBetween(call.answeredAt, at);
    if (!call.sessionId.isEmpty() && call.answeredAt) {
        if (std::optional<int> measured = m_provider.durationSeconds(call.sessionId))
            ended.durationSeconds = *measured;
    }
    ended.failureReason = status == CallStatus::Failed ? reason : QString();
    if (!call.sessionId.isEmpty()) {
        if (std::optional<CallQuality> quality = m_provider.quality(call.sessionId))
            ended.quality = quality;
    }
    Result<bool> updated = save(ended, expected);
    if (updated && updated.value()) {
        call = ended;
        if (!call.sessionId.isEmpty())
            m_sessions.remove(call.sessionId);
    }
    return updated;
}

void CallService::endProviderSession(const QString &sessionId)
{
    m_sessions.remove(sessionId);
    m_provider.terminate(sessionId, [sessionId](Status ended) {
        if (!ended)
            qCCritical(lcVoip).noquote() << "provider failed to end session" << sessionId << ":" << ended.error().message;
    });
}

void CallService::onProviderStatus(const QString &sessionId, SessionStatus status, const QString &reason)
{
    Result<std::optional<Call>> found = m_calls.findBySessionId(sessionId);
    if (!found || !found->has_value()) {
        qCWarning(lcVoip) << "provider reported on unknown session" << sessionId;
        return;
    }
    Call call = *found.value();
    if (!isLive(call.status))
        return;
    const QDateTime now = m_clock.now();

    if (status == SessionStatus::Active) {
        if (call.status != CallStatus::Connecting)
            return;
        Call active = call;
        active.status = CallStatus::Active;
        active.answeredAt = now;
        active.lastAliveAt = now;
        Result<bool> updated = save(active, CallStatus::Connecting);
        if (updated && updated.value()) {
            m_sessions.setStatus(sessionId, SessionStatus::Active, now);
            qCInfo(lcCalls) << "call" << call.id << "is active";
        }
        return;
    }

    CallStatus final = CallStatus::Failed;
    if (status == SessionStatus::Completed)
        final = call.status == CallStatus::Active ? CallStatus::Completed : CallStatus::Canceled;
    Result<bool> ended = finish(call, final, reason, now);
    if (ended && ended.value()) {
        qCInfo(lcCalls).noquote() << "call" << call.id << "ended by the far end:" << toString(final) << reason;
        endProviderSession(sessionId);
    }
}

Result<HistoryPage> CallService::history(const QString &userId, const HistoryRequest &request)
{
    HistoryQuery query;
    query.userId = userId;
    Result<int> page = boundedInt(request.page, u"page"_s, 1, 1, 1000000);
    if (!page)
        return page.error();
    Result<int> limit = boundedInt(request.limit, u"limit"_s, kDefaultHistoryLimit, 1, kMaxHistoryLimit);
    if (!limit)
        return limit.error();
    query.page = page.value();
    query.limit = limit.value();

    const std::pair<const QString &, std::optional<QDateTime> *> dates[] = {
        {request.dateFrom, &query.from}, {request.dateTo, &query.to}};
    for (const auto &[text, target] : dates) {
        if (text.isEmpty())
            continue;
        *target = parseClientTime(text);
        if (!*target) {
            return Error::validation(
                u"%1 must be a date (YYYY-MM-DD) or an RFC 3339 time"_s.arg(target == &query.from ? u"date_from"_s
                                                                                                 : u"date_to"_s));
        }
    }
    // A plain date as the upper bound means the whole of that day.
    if (query.to && request.dateTo.size() == 10)
        query.to = query.to->addDays(1).addMSecs(-1);
    if (query.from && query.to && *query.from > *query.to)
        return Error::validation(u"date_from must not be after date_to"_s);

    if (!request.status.isEmpty()) {
        query.status = callStatusFromString(request.status);
        if (!query.status)
            return Error::validation(u"status must be one of initiated, connecting, active, completed, failed, canceled"_s);
    }
    if (!request.query.isEmpty()) {
        static const QRegularExpression numberish(u"^[0-9+()\\-. ]{1,32}$"_s);
        if (!numberish.match(request.query).hasMatch())
            return Error::validation(u"q may contain only digits and phone number punctuation, at most 32 characters"_s);
        query.numberContains = request.query;
        query.numberContains.remove(QRegularExpression(u"[^0-9]"_s));
    }
    return m_calls.history(query);
}

Result<Call> CallService::get(const QString &userId, const QString &callId)
{
    Result<Call> call = ownedCall(userId, callId);
    if (call && isLive(call->status) && !call->sessionId.isEmpty()) {
        if (std::optional<CallQuality> quality = m_provider.quality(call->sessionId))
            call.value().quality = quality;
    }
    return call;
}

Result<bool> CallService::save(const Call &changed, CallStatus expected)
{
    Result<bool> updated = m_calls.update(changed, expected);
    if (updated && updated.value())
        Q_EMIT callChanged(changed.id);
    return updated;
}

void CallService::sweep()
{
    const QDateTime now = m_clock.now();
    for (const CallSession &session :
         m_sessions.takeExpired(now, m_settings.setupTimeoutSeconds, m_settings.sessionTtlSeconds)) {
        Result<std::optional<Call>> found = m_calls.findById(session.callId);
        if (found && found->has_value()) {
            Call call = *found.value();
            const bool active = call.status == CallStatus::Active;
            if (isLive(call.status)) {
                finish(call, active ? CallStatus::Completed : CallStatus::Failed,
                       FailureReason::SetupTimeout.toString(), now);
                qCInfo(lcCalls) << "call" << call.id << "expired as" << toString(call.status);
            }
        }
        endProviderSession(session.sessionId);
    }

    // A call ended through another instance sharing the database: its far end here goes too.
    for (const CallSession &session : m_sessions.all()) {
        Result<std::optional<Call>> found = m_calls.findById(session.callId);
        if (found && found.value() && !isLive(found.value()->status)) {
            qCInfo(lcCalls) << "call" << session.callId << "ended through another instance; ending its session";
            endProviderSession(session.sessionId);
        }
    }

    // Orphans first: a row this instance no longer holds must end with the time it was last
    // known alive, not be refreshed by the heartbeat below.
    Result<QList<Call>> orphans = m_calls.orphans(m_settings.instanceId, now.addMSecs(-3LL * m_settings.sweepIntervalMs));
    if (orphans) {
        QList<Call> lost;
        for (const Call &call : orphans.value()) {
            const bool held = m_placing.contains(call.id) || m_sessions.contains(call.sessionId);
            if (!held)
                lost.append(call);
        }
        reconcile(lost);
    }

    if (Status alive = m_calls.heartbeat(m_settings.instanceId, now); !alive)
        qCWarning(lcCalls).noquote() << "cannot record live calls:" << alive.error().message;
}

void CallService::reconcile(const QList<Call> &orphans)
{
    for (Call call : orphans) {
        // Only what is known: an active call lasted until it was last seen alive.
        const QDateTime lastKnown = call.lastAliveAt.value_or(call.answeredAt.value_or(call.startTime));
        const bool active = call.status == CallStatus::Active;
        Result<bool> ended = finish(call, active ? CallStatus::Completed : CallStatus::Failed,
                                    FailureReason::Interrupted.toString(), lastKnown);
        if (ended && ended.value())
            qCInfo(lcCalls) << "reconciled call" << call.id << "as" << toString(call.status) << call.durationSeconds << "s";
    }
}

} // namespace Switchboard
