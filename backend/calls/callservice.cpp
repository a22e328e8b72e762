#include "callservice.h"

#include "sdpcheck.h"

#include "core/clock.h"
#include "core/threadhop.h"
#include "core/logging.h"
#include "core/timeformat.h"
#include "domain/calloutcome.h"
#include "domain/requestfields.h"
#include "phonenumbers.h"

#include <QRegularExpression>
#include <QUuid>

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const Error kNotFound{ErrorCode::CallNotFound, u"Call not found"_s};
const Error kForbidden{ErrorCode::Forbidden, u"No access to this call"_s};
constexpr int kMaxHistoryPage = 1000000;

int secondsBetween(const std::optional<QDateTime> &from, const QDateTime &to)
{
    if (!from || !from->isValid() || !to.isValid())
        return 0;
    return int(qMax<qint64>(0, from->secsTo(to)));
}

/// Where the next page of a history starts, handed to clients as an opaque `next_cursor`: the page
/// it is, and the last call before it. Filters are not in it: the client sends them again.
struct HistoryCursor
{
    int page = 1;
    HistoryPosition position;

    QString encode() const
    {
        const QString text = u"%1|%2|%3"_s.arg(page).arg(formatUtc(position.startTime), position.callId);
        return QString::fromLatin1(text.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }

    static std::optional<HistoryCursor> decode(const QString &text)
    {
        if (text.size() > 256)
            return std::nullopt;
        const auto decoded = QByteArray::fromBase64Encoding(
            text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
        const QStringList parts = QString::fromUtf8(decoded.decoded).split(u'|');
        if (parts.size() != 3)
            return std::nullopt;
        bool ok = false;
        const int page = parts.at(0).toInt(&ok);
        const QDateTime start = parseUtc(parts.at(1));
        if (!ok || page < 2 || page > kMaxHistoryPage || !start.isValid() || QUuid::fromString(parts.at(2)).isNull())
            return std::nullopt;
        return HistoryCursor{page, {start, parts.at(2)}};
    }
};

// Audit details are `key=value` parts, as the user_changed events' are: the console words them
// in the operator's language.

/// How a call ended: `call=<id>, status=completed, duration=42`, `…, status=failed, duration=0, reason=busy`.
QString endDetail(const Call &call)
{
    const QString reason = call.failureReason.isEmpty() ? QString() : u", reason="_s + call.failureReason;
    return u"call=%1, status=%2, duration=%3%4"_s.arg(call.id, toString(call.status)).arg(call.durationSeconds).arg(reason);
}

} // namespace

CallService::CallService(CallRepository &calls, WriteQueue &writes, VoipService &provider, const Clock &clock,
                         CallSettings settings, CallOversight oversight, QObject *parent)
    : QObject(parent),
      m_calls(calls),
      m_writes(writes),
      m_provider(provider),
      m_providerName(provider.name()),
      m_clock(clock),
      m_settings(std::move(settings)),
      m_oversight(oversight)
{
    connect(&m_provider, &VoipService::sessionStatusChanged, this, &CallService::onProviderStatus);
    connect(&m_provider, &VoipService::qualitySampled, this,
            [this](const QString &sessionId, const CallQuality &quality) { m_sessions.setQuality(sessionId, quality); });
    m_sweepTimer.setInterval(m_settings.sweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &CallService::sweep);
}

void CallService::start(Completion<Done> started)
{
    Result<QList<Call>> orphans =
        m_calls.orphans(m_settings.instanceId, m_clock.now().addMSecs(-3LL * m_settings.sweepIntervalMs));
    if (!orphans)
        return started(orphans.error());
    if (!orphans->isEmpty())
        qCInfo(lcCalls) << "reconciling" << orphans->size() << "calls left live by an earlier run";
    reconcile(orphans.value(), [this, started](Status reconciled) {
        if (reconciled)
            m_sweepTimer.start();
        started(reconciled);
    });
}

void CallService::initiate(const CallRequester &requester, const QString &phoneNumber, Completion<Call> done)
{
    if (queuedToThreadOf(this, [=, this] { initiate(requester, phoneNumber, done); }))
        return;
    Result<QString> e164 = PhoneNumbers::toE164(phoneNumber);
    if (!e164)
        return done(e164.error());
    Result<CallingPolicy> policy = this->policy();
    if (!policy)
        return done(policy.error());
    if (const QString country = PhoneNumbers::regionOf(e164.value()); !policy->allowsCountry(country)) {
        const QString where = country.isEmpty() ? e164.value() : country;
        const Error refusal{ErrorCode::DestinationNotAllowed, u"The team's calling policy does not allow calls to %1"_s.arg(where)};
        return refuse(requester, e164.value(), refusal, u"reason=destination_not_allowed, country="_s + where, done);
    }

    Call call;
    call.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    call.userId = requester.userId;
    call.phoneNumber = e164.value();
    call.startTime = m_clock.now();
    call.status = CallStatus::Initiated;
    call.provider = m_providerName;
    call.instanceId = m_settings.instanceId;
    call.lastAliveAt = call.startTime;
    // The row is committed before the provider is asked, so that a crash in between leaves a
    // trace that the next start reconciles, and the unique index refuses a second live call.
    m_live.insert(call.id, call);
    m_writes.submit<Placement>(
        this, [this, call, policy = policy.value(), client = requester.client] { return placeWithinLimits(call, policy, client); },
        [this, call, maxDuration = policy->maxCallDurationSeconds, done](Result<Placement> placed) {
            if (!placed || placed->refusal) {
                m_live.remove(call.id);
                return done(placed ? *placed->refusal : placed.error());
            }
            Q_EMIT callChanged(call.id);
            if (!m_live.contains(call.id)) // terminated while its row was being written
                return done(Error{ErrorCode::InvalidCallState, u"The call was ended while it was being placed"_s});
            askProvider(call, maxDuration, done);
        });
}

Result<CallingPolicy> CallService::policy() const
{
    return m_oversight.policy ? m_oversight.policy->load() : Result<CallingPolicy>(CallingPolicy{});
}

Result<CallService::Placement> CallService::placeWithinLimits(const Call &call, const CallingPolicy &policy,
                                                             const QString &client)
{
    if (policy.callsPerOperatorPerDay > 0 || policy.maxConcurrentCalls > 0) {
        Result<CallLoad> load = m_calls.load(call.userId, call.startTime.addDays(-1));
        if (!load)
            return load.error();
        std::optional<Error> refusal;
        QString limit;
        if (policy.maxConcurrentCalls > 0 && load->liveCalls >= policy.maxConcurrentCalls) {
            refusal = Error{ErrorCode::CallLimitReached,
                            u"The team has %1 calls in progress, as many as the calling policy allows"_s.arg(load->liveCalls)};
            limit = u"max_concurrent_calls=%1"_s.arg(policy.maxConcurrentCalls);
        } else if (policy.callsPerOperatorPerDay > 0 && load->placedByOperator >= policy.callsPerOperatorPerDay) {
            refusal = Error{ErrorCode::CallLimitReached,
                            u"You have placed %1 calls in the last 24 hours, as many as the calling policy allows"_s.arg(
                                load->placedByOperator)};
            limit = u"calls_per_operator_per_day=%1"_s.arg(policy.callsPerOperatorPerDay);
        }
        if (refusal) {
            if (Status recorded = audit(call, u"call_refused"_s, client, u"reason=call_limit_reached, "_s + limit, call.startTime);
                !recorded)
                return recorded.error();
            return Placement{refusal};
        }
    }
    if (Status created = m_calls.create(call); !created)
        return created.error();
    if (Status recorded = audit(call, u"call_placed"_s, client, u"call="_s + call.id, call.startTime); !recorded)
        return recorded.error();
    return Placement{};
}

void CallService::refuse(const CallRequester &requester, const QString &e164, const Error &refusal, const QString &detail,
                         Completion<Call> done)
{
    Call refused;
    refused.userId = requester.userId;
    refused.phoneNumber = e164;
    refused.startTime = m_clock.now();
    m_writes.submit(
        this,
        [this, refused, client = requester.client, detail] {
            return audit(refused, u"call_refused"_s, client, detail, refused.startTime);
        },
        [refusal, done](Status recorded) { done(recorded ? refusal : recorded.error()); });
}

Status CallService::audit(const Call &call, const QString &action, const QString &client, const QString &detail,
                          const QDateTime &at)
{
    if (!m_oversight.audit)
        return Done{};
    // The actor's email is left to the repository: it reads it from the users table.
    return m_oversight.audit->append(AuditEvent{0, at, call.userId, {}, action, call.phoneNumber, client, detail});
}

void CallService::askProvider(const Call &call, int maxDurationSeconds, Completion<Call> done)
{
    // Whichever comes first, the provider's answer or this guard, takes the call out of m_placing.
    auto *guard = new QTimer(this);
    guard->setSingleShot(true);
    m_placing.insert(call.id, guard);
    connect(guard, &QTimer::timeout, this, [this, call, done]() {
        if (QTimer *pending = m_placing.take(call.id)) {
            pending->deleteLater();
            failPlacing(call, Error{ErrorCode::CallInitiationFailed, u"the provider did not answer in time"_s}, done);
        }
    });
    guard->start(m_settings.providerTimeoutMs);

    m_provider.initiate({call.id, call.userId, call.phoneNumber},
                        [this, call, maxDurationSeconds, done](Result<ProviderSession> session) {
                            onPlaced(call, maxDurationSeconds, std::move(session), done);
                        });
}

void CallService::onPlaced(const Call &call, int maxDurationSeconds, Result<ProviderSession> session,
                           Completion<Call> done)
{
    QTimer *pending = m_placing.take(call.id);
    if (!pending) {
        if (session)
            endProviderSession(session->sessionId); // too late: the call has already failed
        return;
    }
    delete pending;
    if (!session)
        return failPlacing(call, session.error(), done);
    const auto held = m_live.constFind(call.id);
    if (held == m_live.cend() || held->status != CallStatus::Initiated) {
        endProviderSession(session->sessionId);
        return done(Error{ErrorCode::InvalidCallState, u"The call was ended while it was being placed"_s});
    }

    Call connecting = *held;
    connecting.status = CallStatus::Connecting;
    connecting.sessionId = session->sessionId;
    connecting.sdpOffer = session->sdpOffer;
    connecting.lastAliveAt = m_clock.now();
    const QDateTime now = m_clock.now();
    const CallSession placed{session->sessionId, call.id, call.userId, SessionStatus::Connecting, now, {}, now, {},
                             maxDurationSeconds};
    m_sessions.add(placed);
    armDeadline(placed);
    save(connecting, CallStatus::Initiated, [this, connecting, done](Result<bool> updated) {
        if (!updated)
            return done(updated.error());
        if (!updated.value()) {
            endProviderSession(connecting.sessionId);
            return done(Error{ErrorCode::InvalidCallState, u"The call was ended while it was being placed"_s});
        }
        qCInfo(lcCalls) << "call" << connecting.id << "initiated to" << connecting.phoneNumber << "session"
                        << connecting.sessionId;
        done(connecting);
    });
}

void CallService::failPlacing(const Call &call, const Error &error, Completion<Call> done)
{
    const QDateTime now = m_clock.now();
    const bool refused = error.code == ErrorCode::Validation;
    // A number the provider refuses (Twilio's 21211, …) is the operator's to correct: the
    // provider's own words, as a validation error. Anything else is the provider failing.
    if (refused)
        qCInfo(lcCalls).noquote() << "the provider refused call" << call.id << ":" << error.message;
    else
        qCCritical(lcVoip).noquote() << "initiate of call" << call.id << "failed:" << error.message;
    const Error answer = refused ? error
                                 : Error{ErrorCode::CallInitiationFailed,
                                         u"The VoIP provider could not place the call: "_s + error.message};
    const auto held = m_live.constFind(call.id);
    if (held == m_live.cend()) // terminated meanwhile: that already ended the row
        return done(answer);
    const QString reason = refused ? FailureReason::ProviderError.toString() : FailureReason::ProviderUnavailable.toString();
    finish(*held, CallStatus::Failed, reason, now, [answer, done](Result<bool>) { done(answer); });
}

Result<std::optional<Call>> CallService::current(const QString &callId) const
{
    if (const auto held = m_live.constFind(callId); held != m_live.cend())
        return std::optional<Call>(*held);
    return m_calls.findById(callId);
}

Result<Call> CallService::ownedCall(const QString &userId, const QString &callId, bool anyOwner) const
{
    if (callId.trimmed().isEmpty())
        return Error::validation(u"call_id is required"_s);
    if (QUuid::fromString(callId).isNull())
        return kNotFound;
    Result<std::optional<Call>> found = QThread::currentThread() == thread() ? current(callId) : m_calls.findById(callId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return kNotFound;
    if (found.value()->userId != userId && !anyOwner) {
        qCWarning(lcCalls) << "user" << userId << "tried to reach call" << callId << "of another user";
        return kForbidden;
    }
    return *found.value();
}

void CallService::answer(const QString &userId, const QString &callId, const QString &sdpAnswer,
                         Completion<Call> done)
{
    if (queuedToThreadOf(this, [=, this] { answer(userId, callId, sdpAnswer, done); }))
        return;
    if (sdpAnswer.trimmed().isEmpty())
        return done(Error::validation(u"sdp_answer is required"_s));
    if (!looksLikeAudioSdp(sdpAnswer))
        return done(Error::validation(u"sdp_answer is not an SDP description with an audio section"_s));
    Result<Call> call = ownedCall(userId, callId);
    if (!call)
        return done(call.error());
    // A signalling-only client's call becomes active without an answer; one posted after the
    // far end picked up still brings the operator's audio in.
    if (call->status != CallStatus::Connecting && call->status != CallStatus::Active) {
        return done(Error{ErrorCode::InvalidCallState,
                          u"The call is %1; only a connecting or active call can be answered"_s.arg(toString(call->status))});
    }
    if (!call->sdpAnswer.isEmpty())
        return done(Error{ErrorCode::InvalidCallState, u"The call has already been answered"_s});
    if (!m_sessions.contains(call->sessionId)) {
        return done(Error{ErrorCode::InvalidCallState,
                          u"The call's media is held by another Switchboard instance"_s});
    }

    // The provider's reply may never come (the far end closed before webrtcbin replied): the
    // client hears 503 after the provider's deadline, and a late reply is dropped.
    auto replied = std::make_shared<bool>(false);
    QTimer::singleShot(m_settings.providerTimeoutMs, this, [replied, done]() {
        if (std::exchange(*replied, true))
            return;
        qCWarning(lcSessions) << "the provider did not apply an answer in time";
        done(Error{ErrorCode::CallInitiationFailed, u"the provider did not apply the answer in time"_s});
    });
    m_provider.answer(call->sessionId, sdpAnswer, [this, callId, sdpAnswer, done, replied](Status accepted) {
        if (std::exchange(*replied, true))
            return;
        if (!accepted) {
            // A refused answer may have ended the call (the far end gives up): that is recorded
            // before the client hears of the refusal.
            return afterWrites([done, refused = accepted.error()](Status) { done(refused); });
        }
        const auto held = m_live.constFind(callId);
        if (held == m_live.cend() || (held->status != CallStatus::Connecting && held->status != CallStatus::Active))
            return done(Error{ErrorCode::InvalidCallState, u"The call ended while its answer was being applied"_s});
        Call answered = *held;
        answered.sdpAnswer = sdpAnswer;
        save(answered, held->status, [answered, done](Result<bool> updated) {
            if (!updated)
                return done(updated.error());
            qCDebug(lcSessions) << "session" << answered.sessionId << "got the softphone's answer";
            done(answered);
        });
    });
}

void CallService::terminate(const QString &userId, const QString &callId, Completion<Call> done)
{
    if (queuedToThreadOf(this, [=, this] { terminate(userId, callId, done); }))
        return;
    Result<Call> found = ownedCall(userId, callId);
    if (!found)
        return done(found.error());
    const Call call = found.value();
    if (!isLive(call.status))
        return done(call); // idempotent: the recorded outcome, unchanged

    const CallStatus final = call.status == CallStatus::Active ? CallStatus::Completed : CallStatus::Canceled;
    auto outcome = std::make_shared<Call>();
    *outcome = finish(call, final, {}, m_clock.now(), [this, userId, callId, outcome, done](Result<bool> finished) {
        if (!finished) {
            // The operator hung up: the far end goes even when the database cannot record it. The
            // row, no longer held, is reconciled by a sweep once the database is back.
            if (!outcome->sessionId.isEmpty())
                endProviderSession(outcome->sessionId);
            return done(finished.error());
        }
        if (!finished.value())
            return done(get(userId, callId)); // it ended meanwhile: report what it ended as
        qCInfo(lcCalls) << "call" << outcome->id << "terminated by the operator:" << toString(outcome->status)
                        << outcome->durationSeconds << "s";
        if (outcome->sessionId.isEmpty())
            return done(*outcome);
        m_provider.terminate(outcome->sessionId, [outcome, done](Status ended) {
            if (!ended)
                qCCritical(lcVoip).noquote() << "provider failed to end session" << outcome->sessionId << ":"
                                             << ended.error().message;
            done(*outcome);
        });
    });
}

Result<Call> CallService::activeCall(const QString &userId, const QString &callId, const QString &what) const
{
    Result<Call> call = ownedCall(userId, callId);
    if (call && call->status != CallStatus::Active) {
        return Error{ErrorCode::InvalidCallState,
                     u"The call is %1; only an active call can be %2"_s.arg(toString(call->status), what)};
    }
    return call;
}

void CallService::hold(const QString &userId, const QString &callId, bool on, Completion<Call> done)
{
    if (queuedToThreadOf(this, [=, this] { hold(userId, callId, on, done); }))
        return;
    Result<Call> call = activeCall(userId, callId, on ? u"put on hold"_s : u"taken off hold"_s);
    if (!call)
        return done(call.error());
    if (call->onHold == on)
        return done(call); // already so: nothing to ask the far end
    m_provider.hold(call->sessionId, on, [this, callId, on, done](Status held) {
        if (!held)
            return done(held.error());
        const auto live = m_live.constFind(callId);
        if (live == m_live.cend() || live->status != CallStatus::Active)
            return done(Error{ErrorCode::InvalidCallState, u"The call ended while it was being put on hold"_s});
        Call changed = *live;
        changed.onHold = on;
        save(changed, CallStatus::Active, [changed, done](Result<bool> updated) {
            if (!updated)
                return done(updated.error());
            qCInfo(lcCalls) << "call" << changed.id << (changed.onHold ? "put on hold" : "taken off hold");
            done(changed);
        });
    });
}

void CallService::transfer(const QString &userId, const QString &callId, const QString &phoneNumber,
                           Completion<Call> done)
{
    if (queuedToThreadOf(this, [=, this] { transfer(userId, callId, phoneNumber, done); }))
        return;
    Result<QString> target = PhoneNumbers::toE164(phoneNumber);
    if (!target)
        return done(target.error());
    Result<Call> call = activeCall(userId, callId, u"transferred"_s);
    if (!call)
        return done(call.error());
    m_provider.transfer(call->sessionId, target.value(), [this, callId, target = target.value(), done](Status handed) {
        if (!handed)
            return done(handed.error());
        const auto live = m_live.constFind(callId);
        if (live == m_live.cend() || live->status != CallStatus::Active)
            return done(Error{ErrorCode::InvalidCallState, u"The call ended while it was being transferred"_s});
        Call leaving = *live;
        leaving.transferredTo = target;
        leaving.onHold = false;
        auto outcome = std::make_shared<Call>();
        *outcome = finish(leaving, CallStatus::Completed, {}, m_clock.now(), [outcome, done](Result<bool> finished) {
            if (!finished)
                return done(finished.error());
            qCInfo(lcCalls).noquote() << "call" << outcome->id << "transferred to" << outcome->transferredTo;
            done(*outcome);
        });
    });
}

void CallService::annotate(const QString &userId, const QString &callId, const CallAnnotation &annotation,
                           Completion<Call> done)
{
    if (annotation.notes && annotation.notes->size() > kMaxNotesLength)
        return done(Error::validation(u"notes must be at most %1 characters"_s.arg(kMaxNotesLength)));
    if (annotation.outcome && !annotation.outcome->isEmpty() && !isCallOutcome(*annotation.outcome))
        return done(Error::validation(u"outcome must be one of %1, or null"_s.arg(callOutcomes().join(u", "_s))));
    if (Result<Call> call = ownedCall(userId, callId); !call)
        return done(call.error());
    // No queue to the service's thread: nothing held in memory changes. The answer is the row as
    // committed (with the contact's name), read on the thread the completion runs on.
    m_writes.submit<bool>(
        this, [this, callId, annotation] { return m_calls.annotate(callId, annotation); },
        [this, userId, callId, done](Result<bool> annotated) {
            if (!annotated)
                return done(annotated.error());
            if (!annotated.value())
                return done(kNotFound);
            Q_EMIT callChanged(callId);
            Result<std::optional<Call>> stored = m_calls.findById(callId);
            if (!stored)
                return done(stored.error());
            if (!stored->has_value())
                return done(kNotFound);
            Call call = *stored.value();
            if (const auto held = m_live.constFind(callId); held != m_live.cend()) {
                call.status = held->status; // the lifecycle's latest, which may not be committed yet
                call.durationSeconds = held->durationSeconds;
            }
            done(call);
        });
}

void CallService::afterWrites(Completion<Done> done)
{
    if (queuedToThreadOf(this, [this, done] { afterWrites(done); }))
        return;
    // The writer runs units in the order they came: this one commits with or after every earlier one.
    m_writes.submit(this, [] { return Status(Done{}); }, done);
}

Call CallService::ended(const Call &call, CallStatus status, const QString &reason, const QDateTime &at) const
{
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
    return ended;
}

Call CallService::finish(const Call &call, CallStatus status, const QString &reason, const QDateTime &at,
                         Completion<bool> done)
{
    const Call final = ended(call, status, reason, at);
    const CallStatus before = call.status;
    disarmDeadline(call.id);
    if (!call.sessionId.isEmpty())
        m_sessions.remove(call.sessionId);
    m_live.remove(final.id); // last: `call` may be the held entry this removes
    save(final, before, std::move(done));
    return final;
}

void CallService::save(const Call &changed, CallStatus expected, Completion<bool> done)
{
    if (isLive(changed.status) && m_live.contains(changed.id))
        m_live.insert(changed.id, changed);
    // A call that leaves its last live status is recorded in the audit trail with the write that ends it.
    const bool ends = isLive(expected) && !isLive(changed.status);
    m_writes.submit<bool>(
        this,
        [this, changed, expected, ends]() -> Result<bool> {
            Result<bool> updated = m_calls.update(changed, expected);
            if (!updated || !updated.value() || !ends)
                return updated;
            const QDateTime endedAt = changed.endedAt.value_or(changed.startTime);
            if (Status recorded = audit(changed, u"call_ended"_s, {}, endDetail(changed), endedAt); !recorded)
                return recorded.error();
            return true;
        },
        [this, changed, done](Result<bool> updated) {
            if (!updated && isLive(changed.status))
                abandon(changed, updated.error());
            if (updated && updated.value())
                Q_EMIT callChanged(changed.id);
            done(updated);
        });
}

void CallService::abandon(const Call &call, const Error &error)
{
    if (!m_live.remove(call.id))
        return;
    disarmDeadline(call.id);
    qCWarning(lcCalls).noquote() << "call" << call.id << "could not be recorded (" + error.message
                                        + "); its far end is ended and the row is reconciled later";
    if (!call.sessionId.isEmpty())
        endProviderSession(call.sessionId);
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
    const std::optional<CallSession> session = m_sessions.find(sessionId);
    std::optional<Call> call;
    if (session && m_live.contains(session->callId)) {
        call = m_live.value(session->callId);
    } else {
        // A session this instance does not hold (a Twilio callback for a call placed elsewhere).
        Result<std::optional<Call>> found = m_calls.findBySessionId(sessionId);
        if (found)
            call = found.value();
    }
    if (!call) {
        qCWarning(lcVoip) << "provider reported on unknown session" << sessionId;
        return;
    }
    if (!isLive(call->status))
        return;
    const QDateTime now = m_clock.now();

    if (status == SessionStatus::Active) {
        if (call->status != CallStatus::Connecting)
            return;
        Call active = *call;
        active.status = CallStatus::Active;
        active.answeredAt = now;
        active.lastAliveAt = now;
        if (std::optional<CallSession> answered = m_sessions.setStatus(sessionId, SessionStatus::Active, now))
            armDeadline(*answered);
        save(active, CallStatus::Connecting, [id = call->id](Result<bool> updated) {
            if (updated && updated.value())
                qCInfo(lcCalls) << "call" << id << "is active";
        });
        return;
    }

    CallStatus final = CallStatus::Failed;
    if (status == SessionStatus::Completed)
        final = call->status == CallStatus::Active ? CallStatus::Completed : CallStatus::Canceled;
    finish(*call, final, reason, now, [id = call->id, final, reason](Result<bool> ended) {
        if (ended && ended.value())
            qCInfo(lcCalls).noquote() << "call" << id << "ended by the far end:" << toString(final) << reason;
    });
    endProviderSession(sessionId);
}

Result<HistoryPage> CallService::history(const QString &callerId, const HistoryRequest &request, bool callerIsAdmin) const
{
    HistoryQuery query;
    query.userId = request.userId.isEmpty() ? callerId : request.userId;
    if (query.userId != callerId && !callerIsAdmin)
        return Error{ErrorCode::Forbidden, u"Only an admin may read another operator's history"_s};
    Result<int> page = boundedInt(request.page, u"page"_s, 1, 1, kMaxHistoryPage);
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
    if (!request.outcome.isEmpty()) {
        if (!isCallOutcome(request.outcome))
            return Error::validation(u"outcome must be one of %1"_s.arg(callOutcomes().join(u", "_s)));
        query.outcome = request.outcome;
    }
    if (!request.cursor.isEmpty()) {
        std::optional<HistoryCursor> cursor = HistoryCursor::decode(request.cursor);
        if (!cursor)
            return Error::validation(u"cursor is not one that this server handed out as next_cursor"_s);
        query.page = cursor->page;
        query.after = cursor->position;
    }

    Result<HistoryPage> found = m_calls.history(query);
    if (found && !found->calls.isEmpty() && qint64(query.page) * query.limit < found->total) {
        const Call &last = found->calls.constLast();
        found.value().nextCursor = HistoryCursor{query.page + 1, {last.startTime, last.id}}.encode();
    }
    return found;
}

Result<Call> CallService::get(const QString &userId, const QString &callId, bool callerIsAdmin) const
{
    Result<Call> call = ownedCall(userId, callId, callerIsAdmin);
    if (call && isLive(call->status) && !call->sessionId.isEmpty()) {
        if (std::optional<CallSession> session = m_sessions.find(call->sessionId); session && session->quality)
            call.value().quality = session->quality;
    }
    return call;
}

void CallService::sweep()
{
    const QDateTime now = m_clock.now();
    // Each call's own timer ends it on time; this catches what a timer could not (a clock that
    // jumped, a session the timer was not armed for).
    for (const CallSession &session :
         m_sessions.takeExpired(now, m_settings.setupTimeoutSeconds, m_settings.sessionTtlSeconds))
        expire(session, now);

    // A call ended through another instance sharing the database: its far end here goes too.
    for (const CallSession &session : m_sessions.all()) {
        Result<std::optional<Call>> found = m_calls.findById(session.callId);
        if (found && found.value() && !isLive(found.value()->status)) {
            qCInfo(lcCalls) << "call" << session.callId << "ended through another instance; ending its session";
            m_live.remove(session.callId);
            disarmDeadline(session.callId);
            endProviderSession(session.sessionId);
        }
    }

    // Orphans first: a row this instance no longer holds must end with the time it was last
    // known alive, not be refreshed by the heartbeat below.
    Result<QList<Call>> orphans = m_calls.orphans(m_settings.instanceId, now.addMSecs(-3LL * m_settings.sweepIntervalMs));
    if (orphans) {
        QList<Call> lost;
        for (const Call &call : orphans.value()) {
            if (!m_live.contains(call.id))
                lost.append(call);
        }
        reconcile(lost);
    }

    m_writes.submit(this, [this, now] { return m_calls.heartbeat(m_settings.instanceId, now); }, [](Status alive) {
        if (!alive)
            qCWarning(lcCalls).noquote() << "cannot record live calls:" << alive.error().message;
    });
}

void CallService::expire(const CallSession &session, const QDateTime &now)
{
    if (const auto held = m_live.constFind(session.callId); held != m_live.cend()) {
        const Call call = *held;
        const bool active = call.status == CallStatus::Active;
        finish(call, active ? CallStatus::Completed : CallStatus::Failed, FailureReason::SetupTimeout.toString(), now,
               [id = session.callId, active](Result<bool> ended) {
                   if (ended && ended.value())
                       qCInfo(lcCalls) << "call" << id << "expired as" << (active ? "completed" : "failed");
               });
    }
    disarmDeadline(session.callId);
    endProviderSession(session.sessionId);
}

void CallService::armDeadline(const CallSession &session)
{
    const QDateTime due = SessionManager::deadline(session, m_settings.setupTimeoutSeconds, m_settings.sessionTtlSeconds);
    QTimer *&timer = m_deadlines[session.callId];
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        // A coarse timer may fire 5% late: a 4 h maximum duration would overrun by 12 minutes.
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer, &QTimer::timeout, this, [this, callId = session.callId]() { onDeadline(callId); });
    }
    timer->start(int(qBound(qint64(0), m_clock.now().msecsTo(due), qint64(std::numeric_limits<int>::max()))));
}

void CallService::disarmDeadline(const QString &callId)
{
    if (QTimer *timer = m_deadlines.take(callId)) {
        timer->stop();
        timer->deleteLater(); // it may be the timer whose timeout is running
    }
}

void CallService::onDeadline(const QString &callId)
{
    const auto held = m_live.constFind(callId);
    const std::optional<CallSession> session =
        held == m_live.cend() ? std::nullopt : m_sessions.find(held->sessionId);
    if (!session)
        return disarmDeadline(callId);
    const QDateTime now = m_clock.now();
    if (std::optional<CallSession> expired =
            m_sessions.takeIfExpired(session->sessionId, now, m_settings.setupTimeoutSeconds, m_settings.sessionTtlSeconds))
        return expire(*expired, now);
    armDeadline(*session); // the wall clock is behind the timer's: wait for the rest
}

void CallService::reconcile(const QList<Call> &orphans, Completion<Done> done)
{
    for (const Call &call : orphans) {
        // Only what is known: an active call lasted until it was last seen alive.
        const QDateTime lastKnown = call.lastAliveAt.value_or(call.answeredAt.value_or(call.startTime));
        const bool active = call.status == CallStatus::Active;
        finish(call, active ? CallStatus::Completed : CallStatus::Failed, FailureReason::Interrupted.toString(),
               lastKnown, [id = call.id, active](Result<bool> ended) {
                   if (ended && ended.value())
                       qCInfo(lcCalls) << "reconciled call" << id << "as" << (active ? "completed" : "failed");
               });
    }
    if (done)
        afterWrites(done);
}

} // namespace Switchboard
