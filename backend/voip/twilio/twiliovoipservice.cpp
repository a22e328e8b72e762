#include "twiliovoipservice.h"

#include "core/logging.h"
#include "core/threadhop.h"
#include "domain/call.h"
#include "twiliotwiml.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// "For some call flows, we will add a 5-second buffer to the timeout value you provide"
/// (Calls API, Timeout): Twilio may ring this much longer than asked.
constexpr int kTwilioTimeoutSlackSeconds = 5;
/// Twilio's report of the outcome still has to reach us, and be applied, before the setup timeout.
constexpr int kReportMarginSeconds = 3;
constexpr int kMinRingSeconds = 5;
constexpr int kMaxRingSeconds = 600; // Twilio's maximum Timeout
/// Twilio's times, and its Date header, have a precision of one second.
constexpr int kClockToleranceMs = 2000;
/// Without a Date header our clock and Twilio's cannot be compared closely.
constexpr int kUnknownClockToleranceMs = 60000;

QString value(const TwilioSignature::Parameters &parameters, const QString &name)
{
    for (const auto &[key, item] : parameters) {
        if (key == name)
            return item;
    }
    return {};
}

std::optional<int> wholeNumber(const QString &text)
{
    bool ok = false;
    const int number = text.toInt(&ok);
    return ok && number >= 0 ? std::optional<int>(number) : std::nullopt;
}

bool isLive(const QString &status)
{
    const std::optional<TwilioCallStatus> parsed = TwilioCallStatus::parse(status);
    return parsed && parsed->stage != TwilioCallStatus::Stage::Ended;
}

/// How the operator's leg ended when nobody on our side ended it: the softphone never took it.
bool missedTheOperator(const QString &legStatus)
{
    return legStatus == u"no-answer"_s || legStatus == u"busy"_s || legStatus == u"failed"_s;
}

} // namespace

/// A create that got no answer: the looks for the call Twilio may have placed.
struct TwilioVoipService::Search
{
    OutboundCall call;
    QDateTime sentAt; ///< our clock, before the create left
    TwilioError error; ///< why the create got no answer
    Completion<ProviderSession> done; ///< empty once initiate has answered
    QList<int> pausesMs; ///< before each look still to come
    QDateTime gaveUpAt; ///< our clock, once initiate has failed: a call found later is ended
};

TwilioVoipService::TwilioVoipService(TwilioOptions options, QObject *parent)
    : VoipService(parent), m_options(std::move(options))
{
    const TwilioSettings &account = m_options.account;
    // An API key is Twilio's recommendation for REST calls: it can be revoked alone.
    const bool apiKey = !account.apiKey.isEmpty();
    m_client = new TwilioClient({QUrl(account.apiBaseUrl), account.accountSid,
                                 apiKey ? account.apiKey : account.accountSid,
                                 apiKey ? account.apiSecret : account.authToken},
                                m_options.retry, this);
    m_clock.start();
}

QString TwilioVoipService::name() const
{
    return u"twilio"_s;
}

WebRTCConfig TwilioVoipService::webrtcConfig() const
{
    return {}; // the Voice SDK brings Twilio's own ICE servers
}

void TwilioVoipService::later(std::function<void()> work)
{
    QTimer::singleShot(0, this, std::move(work));
}

QString TwilioVoipService::identityFor(const QString &userId)
{
    // Twilio recommends identities of letters, digits and underscores.
    return u"operator_"_s + QString(userId).replace(QRegularExpression(u"[^A-Za-z0-9_]"_s), u"_"_s);
}

QString TwilioVoipService::operatorTwiml(const OutboundCall &call) const
{
    // Once the dialled party answers, Twilio rings the operator's softphone; the call id lets
    // the softphone take only the leg of the call it placed.
    return TwilioTwiml::dialOperator({identityFor(call.userId), call.callId, m_options.operatorRingSeconds,
                                      statusCallbackUrl(), m_options.unreachableMessage});
}

QString TwilioVoipService::statusCallbackUrl() const
{
    return statusCallbackUrlFor(m_options.account.publicBaseUrl);
}

QString TwilioVoipService::statusCallbackUrlFor(const QString &publicBaseUrl)
{
    if (publicBaseUrl.isEmpty())
        return {};
    QString base = publicBaseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + u"/api/voice/status"_s;
}

int TwilioVoipService::ringSeconds()
{
    // Twilio places callsPerSecond calls a second and queues the rest: the wait in its queue comes
    // out of the time the call may ring, so that Twilio's no-answer arrives before our setup
    // timeout gives up on the call.
    const qint64 now = m_clock.elapsed();
    const qint64 slot = qMax(now, m_queueFreeAtMs);
    m_queueFreeAtMs = slot + 1000 / qMax(1, m_options.callsPerSecond);
    const int queueSeconds = int((slot - now + 999) / 1000);
    const int seconds = m_options.setupTimeoutSeconds - kTwilioTimeoutSlackSeconds - kReportMarginSeconds - queueSeconds;
    if (seconds < kMinRingSeconds) {
        qCWarning(lcVoip) << "Twilio's call queue (" << queueSeconds << "s) leaves no time to ring within"
                          << m_options.setupTimeoutSeconds << "s (CALL_SETUP_TIMEOUT): raise the account's calls per second";
    }
    return qBound(kMinRingSeconds, seconds, kMaxRingSeconds);
}

void TwilioVoipService::noteQueueTime(int queueTimeMs)
{
    // Twilio's estimate covers every call of the account, placed by any instance.
    m_queueFreeAtMs = qMax(m_queueFreeAtMs, m_clock.elapsed() + queueTimeMs + 1000 / qMax(1, m_options.callsPerSecond));
}

TwilioClient::Form TwilioVoipService::createForm(const OutboundCall &call)
{
    TwilioClient::Form form{
        {u"To"_s, call.phoneNumber},
        {u"From"_s, m_options.account.fromNumber},
        {u"Twiml"_s, operatorTwiml(call)},
        {u"Timeout"_s, QString::number(ringSeconds())},
    };
    const QString callbackUrl = statusCallbackUrl();
    if (!callbackUrl.isEmpty()) {
        form.append({u"StatusCallback"_s, callbackUrl});
        form.append({u"StatusCallbackMethod"_s, u"POST"_s});
        for (const QString &event : {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s})
            form.append({u"StatusCallbackEvent"_s, event});
    }
    return form;
}

void TwilioVoipService::initiate(const OutboundCall &call, Completion<ProviderSession> done)
{
    const QDateTime sentAt = QDateTime::currentDateTimeUtc();
    m_client->createCall(createForm(call), [this, call, sentAt, done = std::move(done)](const TwilioOutcome &outcome) mutable {
        if (outcome.ok())
            return adopt(call, *outcome.call, std::move(done));
        if (outcome.error->kind != TwilioError::Kind::Unanswered)
            return failInitiate(call, *outcome.error, outcome.attempts, std::move(done));
        qCWarning(lcVoip).noquote() << "Twilio did not answer the create of call" << call.callId << "("
                                        + outcome.error->describe() + "): looking for it in Twilio's Calls list";
        lookForCreated(std::make_shared<Search>(Search{call, sentAt, *outcome.error, std::move(done),
                                                       m_options.findCreatedPausesMs, {}}));
    });
}

void TwilioVoipService::failInitiate(const OutboundCall &call, const TwilioError &error, int attempts,
                                     Completion<ProviderSession> done)
{
    switch (error.kind) {
    case TwilioError::Kind::Credentials:
        qCCritical(lcVoip).noquote() << "Twilio refused Switchboard's credentials (" + error.describe() + "): check"
                                     << (m_options.account.apiKey.isEmpty() ? "VOIP_ACCOUNT_SID and VOIP_AUTH_TOKEN"
                                                                            : "VOIP_ACCOUNT_SID, VOIP_API_KEY and VOIP_API_SECRET");
        break;
    case TwilioError::Kind::Configuration:
        qCCritical(lcVoip).noquote() << "Twilio refused call" << call.callId << "for the account's configuration ("
                                        + error.describe() + "):" << error.remedy();
        break;
    case TwilioError::Kind::Number:
        qCWarning(lcVoip).noquote() << "Twilio refused call" << call.callId << ":" << error.describe();
        break;
    default:
        qCCritical(lcVoip).noquote() << "Twilio could not place call" << call.callId << "after" << attempts
                                     << "attempts:" << error.describe();
    }
    done(error.toInitiateError(call.phoneNumber));
}

void TwilioVoipService::adopt(const OutboundCall &call, const TwilioCallResource &created,
                              Completion<ProviderSession> done)
{
    // Placing, whatever Twilio said: news of a later stage (a call found after a lost answer may
    // be ringing or over) is then applied and reported like any other.
    Session session;
    session.call = call;
    m_sessions.insert(created.sid, session);
    noteQueueTime(created.queueTimeMs);
    if (statusCallbackUrl().isEmpty())
        startPolling(created.sid);
    qCDebug(lcVoip) << "Twilio call" << created.sid << "created for call" << call.callId << "as" << created.status;
    done(ProviderSession{created.sid, {}});
}

void TwilioVoipService::lookForCreated(const std::shared_ptr<Search> &search)
{
    if (search->pausesMs.isEmpty() && search->done) {
        qCCritical(lcVoip).noquote() << "Twilio could not place call" << search->call.callId << ":"
                                     << search->error.describe() << "and no call it placed turned up";
        search->done(search->error.toInitiateError(search->call.phoneNumber));
        search->done = {};
        search->gaveUpAt = QDateTime::currentDateTimeUtc();
        search->pausesMs = m_options.findOrphanPausesMs;
    }
    if (search->pausesMs.isEmpty())
        return;
    QTimer::singleShot(search->pausesMs.takeFirst(), this, [this, search]() {
        m_client->listCalls({{u"To"_s, search->call.phoneNumber},
                             {u"From"_s, m_options.account.fromNumber},
                             {u"PageSize"_s, u"20"_s}},
                            [this, search](const TwilioOutcome &outcome) { onLookedUp(search, outcome); });
    });
}

void TwilioVoipService::onLookedUp(const std::shared_ptr<Search> &search, const TwilioOutcome &outcome)
{
    if (!outcome.ok())
        qCWarning(lcVoip).noquote() << "cannot list Twilio's calls:" << outcome.error->describe();
    const std::optional<TwilioCallResource> placed = outcome.ok() ? placedFor(*search, outcome) : std::nullopt;
    if (!placed)
        return lookForCreated(search);
    if (search->done) {
        qCInfo(lcVoip).noquote() << "Twilio placed call" << placed->sid << "for call" << search->call.callId
                                 << "without answering the create: taking it";
        const QString sid = placed->sid;
        adopt(search->call, *placed, std::exchange(search->done, {}));
        // Its callbacks so far found no call with this SID: catch up on where it is.
        return later([this, sid]() { refresh(sid); });
    }
    qCWarning(lcVoip).noquote() << "Twilio placed call" << placed->sid << "for call" << search->call.callId
                                << "after Switchboard had given up on it: ending it";
    hangUp(placed->sid, u"completed"_s, [sid = placed->sid](Status ended) {
        if (!ended)
            qCCritical(lcVoip).noquote() << "cannot end Twilio call" << sid << ":" << ended.error().message;
    });
}

std::optional<TwilioCallResource> TwilioVoipService::placedFor(const Search &search, const TwilioOutcome &outcome) const
{
    // Twilio's clock, read from its answer, places our create among its calls: one to the same
    // number from our number, created since, that no call of ours holds.
    const bool synced = outcome.twilioTime.isValid();
    const qint64 offsetMs = synced ? QDateTime::currentDateTimeUtc().msecsTo(outcome.twilioTime) : 0;
    const int toleranceMs = synced ? kClockToleranceMs : kUnknownClockToleranceMs;
    const QDateTime earliest = search.sentAt.addMSecs(offsetMs - toleranceMs);
    // An orphan was created before we gave up; the operator may have dialled the number again since.
    const QDateTime latest = search.gaveUpAt.isValid() ? search.gaveUpAt.addMSecs(offsetMs + toleranceMs) : QDateTime();
    std::optional<TwilioCallResource> found;
    for (const TwilioCallResource &call : outcome.calls) {
        const bool ours = call.to == search.call.phoneNumber && call.from == m_options.account.fromNumber
            && call.parentCallSid.isEmpty() && call.dateCreated.isValid() && call.dateCreated >= earliest
            && (!latest.isValid() || call.dateCreated <= latest) && !m_sessions.contains(call.sid);
        if (!ours || (search.gaveUpAt.isValid() && !isLive(call.status)))
            continue;
        if (found)
            qCWarning(lcVoip).noquote() << "two Twilio calls may be call" << search.call.callId << ":" << found->sid << call.sid;
        if (!found || call.dateCreated < found->dateCreated)
            found = call;
    }
    return found;
}

void TwilioVoipService::answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done)
{
    Q_UNUSED(sessionId)
    Q_UNUSED(sdpAnswer)
    later([done = std::move(done)]() {
        done(Error{ErrorCode::InvalidCallState,
                   u"Twilio calls carry audio through the Voice SDK; there is no SDP to answer"_s});
    });
}

void TwilioVoipService::terminate(const QString &sessionId, Completion<Done> done)
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend()) {
        // Placed by another instance sharing the database (or by this one before a restart), at
        // a stage unknown here: `completed` ends a call whether it rings or is answered.
        return hangUp(sessionId, u"completed"_s, std::move(done));
    }
    const TwilioCallStatus::Stage stage = it->stage;
    // Gone from here at once: what Twilio reports about it from now on finds the call ended.
    forget(sessionId);
    if (stage == TwilioCallStatus::Stage::Ended)
        return later([done = std::move(done)]() { done(Done{}); });
    // `canceled` withdraws a call that has not been answered and leaves an answered one up;
    // `completed` hangs up an answered one.
    hangUp(sessionId, stage == TwilioCallStatus::Stage::Answered ? u"completed"_s : u"canceled"_s, std::move(done));
}

void TwilioVoipService::hangUp(const QString &sid, const QString &status, Completion<Done> done)
{
    m_client->endCall(sid, status, [this, sid, status, done = std::move(done)](const TwilioOutcome &outcome) {
        if (!outcome.ok()) {
            // Ended already (or never Twilio's): nothing is left to end.
            if (outcome.error->kind == TwilioError::Kind::CallEnded || outcome.error->httpStatus == 404) {
                qCDebug(lcVoip).noquote() << "Twilio call" << sid << "had ended:" << outcome.error->describe();
                return done(Done{});
            }
            return done(outcome.error->toCallError());
        }
        // Answered between our last news and the cancel: the cancel did nothing, so hang up.
        if (status == u"canceled"_s && outcome.call->status == u"in-progress"_s)
            return hangUp(sid, u"completed"_s, std::move(done));
        qCDebug(lcVoip) << "Twilio call" << sid << "ended as" << outcome.call->status;
        done(Done{});
    });
}

void TwilioVoipService::hold(const QString &sessionId, bool on, Completion<Done> done)
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend() || it->stage != TwilioCallStatus::Stage::Answered) {
        return later([done = std::move(done)]() {
            done(Error{ErrorCode::InvalidCallState,
                       u"Only an answered call that this Switchboard instance placed can be held"_s});
        });
    }
    if (it->onHold == on)
        return later([done = std::move(done)]() { done(Done{}); });
    // Resuming rings the operator's softphone again, which takes the new leg for the same call id.
    const QString twiml = on ? TwilioTwiml::hold(m_options.holdMusicUrl) : operatorTwiml(it->call);
    redirect(sessionId, twiml, [this, sessionId, on]() {
        const auto it = m_sessions.find(sessionId);
        if (it == m_sessions.end())
            return;
        it->onHold = on;
        it->operatorReached = false; // a new leg to the operator, or none
        qCInfo(lcVoip).noquote() << "Twilio call" << sessionId << (on ? "is on hold" : "is off hold");
    }, std::move(done));
}

void TwilioVoipService::transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done)
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend() || it->stage != TwilioCallStatus::Stage::Answered) {
        return later([done = std::move(done)]() {
            done(Error{ErrorCode::InvalidCallState,
                       u"Only an answered call that this Switchboard instance placed can be transferred"_s});
        });
    }
    redirect(sessionId, TwilioTwiml::transfer(phoneNumber, m_options.account.fromNumber), [this, sessionId]() {
        // The call goes on between the dialled party and the transfer target: no longer ours.
        forget(sessionId);
        qCInfo(lcVoip).noquote() << "Twilio call" << sessionId << "handed over";
    }, std::move(done));
}

void TwilioVoipService::redirect(const QString &sid, const QString &twiml, std::function<void()> then,
                                 Completion<Done> done)
{
    m_client->redirectCall(sid, twiml, [then = std::move(then), done = std::move(done)](const TwilioOutcome &outcome) {
        if (!outcome.ok())
            return done(outcome.error->toCallError());
        then();
        done(Done{});
    });
}

std::optional<int> TwilioVoipService::durationSeconds(const QString &sessionId) const
{
    const auto it = m_sessions.constFind(sessionId);
    return it == m_sessions.cend() ? std::nullopt : it->durationSeconds;
}

void TwilioVoipService::startPolling(const QString &sid)
{
    auto *timer = new QTimer(this);
    timer->setInterval(m_options.pollIntervalMs);
    connect(timer, &QTimer::timeout, this, [this, sid]() { refresh(sid); });
    m_sessions[sid].poll = timer;
    timer->start();
}

void TwilioVoipService::forget(const QString &sid)
{
    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end())
        return;
    if (it->poll)
        it->poll->deleteLater();
    m_sessions.erase(it);
}

void TwilioVoipService::refresh(const QString &sid)
{
    auto it = m_sessions.find(sid);
    if (it == m_sessions.end() || it->refreshing)
        return;
    it->refreshing = true;
    m_client->fetchCall(sid, [this, sid](const TwilioOutcome &outcome) {
        if (!m_sessions.contains(sid))
            return;
        if (!outcome.ok()) {
            qCWarning(lcVoip).noquote() << "cannot fetch Twilio call" << sid << ":" << outcome.error->describe();
            return checkOperatorLeg(sid);
        }
        const TwilioCallResource call = *outcome.call;
        const std::optional<TwilioCallStatus> status = TwilioCallStatus::parse(call.status);
        if (status && status->stage == TwilioCallStatus::Stage::Ended) {
            // Twilio ends a call whose operator never took the leg by itself, once the party has
            // heard why: the legs say so, and they are read before the end is reported.
            return checkOperatorLeg(sid, [this, sid, call] {
                apply(sid, call.status, call.durationSeconds, std::nullopt, {});
            });
        }
        apply(sid, call.status, call.durationSeconds, std::nullopt, {});
        checkOperatorLeg(sid);
    });
}

void TwilioVoipService::checkOperatorLeg(const QString &sid, const std::function<void()> &otherwise)
{
    // Without callbacks, the operator's leg is read from Twilio's list of the call's legs,
    // until the softphone has taken one.
    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end())
        return;
    if (it->stage != TwilioCallStatus::Stage::Answered || it->operatorReached || it->onHold
        || !statusCallbackUrl().isEmpty()) {
        it->refreshing = false;
        if (otherwise)
            otherwise();
        return;
    }
    m_client->listCalls({{u"ParentCallSid"_s, sid}}, [this, sid, otherwise](const TwilioOutcome &outcome) {
        const auto it = m_sessions.find(sid);
        if (it == m_sessions.end())
            return;
        it->refreshing = false;
        if (std::any_of(outcome.calls.cbegin(), outcome.calls.cend(),
                        [](const TwilioCallResource &leg) { return leg.status == u"in-progress"_s; }))
            it->operatorReached = true;
        for (const TwilioCallResource &leg : outcome.calls) {
            if (!it->operatorReached && missedTheOperator(leg.status))
                return applyOperatorLeg(sid, leg.status);
        }
        if (otherwise)
            otherwise();
    });
}

bool TwilioVoipService::isSignedByTwilio(const QString &url, const TwilioSignature::Parameters &parameters,
                                         const QByteArray &signature) const
{
    return TwilioSignature::isValid(m_options.account.authToken.toUtf8(), url, parameters, signature);
}

void TwilioVoipService::applyStatusCallback(const TwilioSignature::Parameters &parameters)
{
    if (queuedToThreadOf(this, [this, parameters] { applyStatusCallback(parameters); }))
        return;
    const QString accountSid = value(parameters, u"AccountSid"_s);
    if (!accountSid.isEmpty() && accountSid != m_options.account.accountSid) {
        qCWarning(lcVoip) << "ignored a status callback for another Twilio account";
        return;
    }
    const QString sid = value(parameters, u"CallSid"_s);
    const QString parentSid = value(parameters, u"ParentCallSid"_s);
    if (!parentSid.isEmpty())
        return applyOperatorLeg(parentSid, value(parameters, u"CallStatus"_s));
    // Another instance sharing the database may have placed the call: applied here all the same
    // (CallService finds the call by its SID), then forgotten.
    const bool placedHere = m_sessions.contains(sid);
    if (!placedHere)
        m_sessions.insert(sid, Session{});
    apply(sid, value(parameters, u"CallStatus"_s), wholeNumber(value(parameters, u"CallDuration"_s)),
          wholeNumber(value(parameters, u"SequenceNumber"_s)),
          QDateTime::fromString(value(parameters, u"Timestamp"_s), Qt::RFC2822Date));
    if (!placedHere)
        m_sessions.remove(sid);
}

void TwilioVoipService::applyOperatorLeg(const QString &parentSid, const QString &status)
{
    // completed and canceled: we ended the leg (hang-up, hold, transfer), or the operator did.
    if (!missedTheOperator(status))
        return;
    auto it = m_sessions.find(parentSid);
    if (it != m_sessions.end() && it->stage == TwilioCallStatus::Stage::Ended)
        return;
    if (it == m_sessions.end())
        it = m_sessions.insert(parentSid, Session{});
    // Twilio tells the dialled party why and hangs up by itself (TwilioTwiml::dialOperator):
    // nothing is left for us to end, and a hang-up now would cut the message short.
    it->stage = TwilioCallStatus::Stage::Ended;
    qCWarning(lcVoip).noquote() << "the operator's softphone did not take Twilio call" << parentSid << "(" + status + ")";
    Q_EMIT sessionStatusChanged(parentSid, SessionStatus::Failed, FailureReason::OperatorUnreachable.toString());
    forget(parentSid);
}

void TwilioVoipService::apply(const QString &sid, const QString &status, std::optional<int> durationSeconds,
                              std::optional<int> sequence, const QDateTime &timestamp)
{
    auto it = m_sessions.find(sid);
    if (it == m_sessions.end())
        return;
    if ((sequence && *sequence <= it->lastSequence)
        || (timestamp.isValid() && it->lastTimestamp.isValid() && timestamp < it->lastTimestamp)) {
        qCDebug(lcVoip) << "ignored Twilio status" << status << "for" << sid << "that arrived out of order";
        return;
    }
    const std::optional<TwilioCallStatus> next = TwilioCallStatus::parse(status);
    if (!next) {
        qCWarning(lcVoip) << "ignored unknown Twilio status" << status << "for" << sid;
        return;
    }
    if (int(next->stage) < int(it->stage)) {
        qCDebug(lcVoip) << "ignored Twilio status" << status << "for" << sid << "that arrived late";
        return;
    }
    if (sequence)
        it->lastSequence = *sequence;
    if (timestamp.isValid())
        it->lastTimestamp = timestamp;
    if (!next->isAfter(it->stage))
        return; // e.g. queued → ringing: still placing

    const TwilioCallStatus::Stage previous = it->stage;
    it->stage = next->stage;
    if (next->stage == TwilioCallStatus::Stage::Ended)
        it->durationSeconds = durationSeconds;
    qCDebug(lcVoip) << "Twilio call" << sid << "is" << status;
    // A completed call with a duration was answered, even if the answer itself went unseen (a
    // poll between two fetches): report it, so the call counts as completed with its duration.
    if (previous == TwilioCallStatus::Stage::Placing && next->session == SessionStatus::Completed
        && status == u"completed"_s && durationSeconds.value_or(0) > 0) {
        Q_EMIT sessionStatusChanged(sid, SessionStatus::Active, {});
    }
    Q_EMIT sessionStatusChanged(sid, next->session, next->failureReason);
    // CallService has taken the duration; an ended call whose row had already ended (so nobody
    // terminates it) must not stay here.
    if (next->stage == TwilioCallStatus::Stage::Ended)
        forget(sid);
}

bool TwilioVoipService::issuesAccessTokens() const
{
    return !m_options.account.apiKey.isEmpty() && !m_options.account.apiSecret.isEmpty();
}

TwilioAccessToken TwilioVoipService::accessToken(const QString &userId, const QDateTime &now) const
{
    return TwilioAccessToken::issue({m_options.account.accountSid, m_options.account.apiKey,
                                     m_options.account.apiSecret, identityFor(userId),
                                     m_options.account.twimlAppSid},
                                    now, TwilioAccessToken::kDefaultTtlSeconds);
}

} // namespace Switchboard
