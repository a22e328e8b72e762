#include "twiliovoipservice.h"

#include "core/logging.h"
#include "core/threadhop.h"
#include "domain/call.h"
#include "twilioclient.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

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

} // namespace

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

QString TwilioVoipService::twiml(const OutboundCall &call) const
{
    // Once the dialled party answers, Twilio rings the operator's softphone; the call id lets
    // the softphone take only the leg of the call it placed.
    return u"<Response><Dial><Client><Identity>%1</Identity>"
           "<Parameter name=\"switchboard_call_id\" value=\"%2\"/></Client></Dial></Response>"_s
        .arg(identityFor(call.userId).toHtmlEscaped(), call.callId.toHtmlEscaped());
}

QString TwilioVoipService::statusCallbackUrl() const
{
    if (m_options.account.publicBaseUrl.isEmpty())
        return {};
    QString base = m_options.account.publicBaseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + u"/api/voice/status"_s;
}

void TwilioVoipService::initiate(const OutboundCall &call, Completion<ProviderSession> done)
{
    TwilioClient::Form form{
        {u"To"_s, call.phoneNumber},
        {u"From"_s, m_options.account.fromNumber},
        {u"Twiml"_s, twiml(call)},
        {u"Timeout"_s, QString::number(m_options.ringTimeoutSeconds)},
    };
    const QString callbackUrl = statusCallbackUrl();
    if (!callbackUrl.isEmpty()) {
        form.append({u"StatusCallback"_s, callbackUrl});
        form.append({u"StatusCallbackMethod"_s, u"POST"_s});
        for (const QString &event : {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s})
            form.append({u"StatusCallbackEvent"_s, event});
    }

    m_client->createCall(form, [this, call, callbackUrl, done = std::move(done)](const TwilioOutcome &outcome) {
        if (!outcome.call) {
            const TwilioError &error = outcome.error;
            if (error.kind == TwilioError::Kind::Credentials) {
                qCCritical(lcVoip).noquote()
                    << "Twilio refused Switchboard's credentials (" + error.describe() + "): check"
                    << (m_options.account.apiKey.isEmpty() ? "VOIP_ACCOUNT_SID and VOIP_AUTH_TOKEN"
                                                           : "VOIP_ACCOUNT_SID, VOIP_API_KEY and VOIP_API_SECRET");
            } else if (error.kind == TwilioError::Kind::Number) {
                qCWarning(lcVoip).noquote() << "Twilio refused call" << call.callId << ":" << error.describe();
            } else {
                qCCritical(lcVoip).noquote() << "Twilio could not place call" << call.callId << "after"
                                             << outcome.attempts << "attempts:" << error.describe();
            }
            return done(error.toError(call.phoneNumber));
        }
        const TwilioCallResource &created = *outcome.call;
        Session session;
        if (std::optional<TwilioCallStatus> status = TwilioCallStatus::parse(created.status))
            session.stage = status->stage;
        m_sessions.insert(created.sid, session);
        if (callbackUrl.isEmpty())
            startPolling(created.sid);
        qCDebug(lcVoip) << "Twilio call" << created.sid << "created for call" << call.callId << "as" << created.status;
        done(ProviderSession{created.sid, {}});
    });
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
    if (it == m_sessions.cend())
        return later([done = std::move(done)]() { done(Done{}); });
    const TwilioCallStatus::Stage stage = it->stage;
    if (it->poll)
        it->poll->deleteLater();
    // Gone from here at once: callbacks about it from now on change nothing.
    m_sessions.remove(sessionId);
    if (stage == TwilioCallStatus::Stage::Ended)
        return later([done = std::move(done)]() { done(Done{}); });
    // `canceled` withdraws a call that has not been answered and leaves an answered one up;
    // `completed` hangs up an answered one.
    end(sessionId, stage == TwilioCallStatus::Stage::Answered ? u"completed"_s : u"canceled"_s, std::move(done));
}

void TwilioVoipService::end(const QString &sid, const QString &status, Completion<Done> done)
{
    m_client->updateCall(sid, status, [this, sid, status, done = std::move(done)](const TwilioOutcome &outcome) {
        if (!outcome.call)
            return done(outcome.error.toError({}));
        // Answered between our last news and the cancel: the cancel did nothing, so hang up.
        if (status == u"canceled"_s && outcome.call->status == u"in-progress"_s)
            return end(sid, u"completed"_s, std::move(done));
        qCDebug(lcVoip) << "Twilio call" << sid << "ended as" << outcome.call->status;
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
    connect(timer, &QTimer::timeout, this, [this, sid]() { poll(sid); });
    m_sessions[sid].poll = timer;
    timer->start();
}

void TwilioVoipService::poll(const QString &sid)
{
    auto it = m_sessions.find(sid);
    if (it == m_sessions.end() || it->fetching)
        return;
    it->fetching = true;
    m_client->fetchCall(sid, [this, sid](const TwilioOutcome &outcome) {
        auto it = m_sessions.find(sid);
        if (it == m_sessions.end())
            return;
        it->fetching = false;
        if (!outcome.call) {
            qCWarning(lcVoip).noquote() << "cannot fetch Twilio call" << sid << ":" << outcome.error.describe();
            return;
        }
        apply(sid, outcome.call->status, outcome.call->durationSeconds, std::nullopt, {});
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
    apply(value(parameters, u"CallSid"_s), value(parameters, u"CallStatus"_s),
          wholeNumber(value(parameters, u"CallDuration"_s)), wholeNumber(value(parameters, u"SequenceNumber"_s)),
          QDateTime::fromString(value(parameters, u"Timestamp"_s), Qt::RFC2822Date));
}

void TwilioVoipService::apply(const QString &sid, const QString &status, std::optional<int> durationSeconds,
                              std::optional<int> sequence, const QDateTime &timestamp)
{
    auto it = m_sessions.find(sid);
    if (it == m_sessions.end()) {
        qCDebug(lcVoip) << "Twilio status" << status << "for a call not held here:" << sid;
        return;
    }
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
    if (next->stage == TwilioCallStatus::Stage::Ended) {
        it->durationSeconds = durationSeconds;
        if (it->poll)
            it->poll->deleteLater();
    }
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
        m_sessions.remove(sid);
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
