#include "fakes.h"

#include <QTimer>

#include <algorithm>
#include <tuple>

using namespace Qt::Literals::StringLiterals;

namespace Fakes {

void WriteQueue::submit(QObject *context, Unit unit, Completion<Done> done)
{
    ++submitted;
    Status result = unit();
    if (failCommitsWith)
        result = *failCommitsWith;
    QMetaObject::invokeMethod(context, [done, result]() { done(result); }, Qt::QueuedConnection);
}

Status UserRepository::create(const User &user)
{
    if (failWith)
        return *failWith;
    for (const User &existing : users) {
        if (existing.email == user.email)
            return Error{ErrorCode::UserAlreadyExists, QStringLiteral("A user with this email already exists")};
    }
    users.append(user);
    return Done{};
}

Result<std::optional<User>> UserRepository::findByEmail(const QString &email)
{
    if (failWith)
        return *failWith;
    for (const User &user : users) {
        if (user.email == email)
            return std::optional<User>(user);
    }
    return std::optional<User>();
}

Result<std::optional<User>> UserRepository::findById(const QString &id)
{
    if (failWith)
        return *failWith;
    for (const User &user : users) {
        if (user.id == id)
            return std::optional<User>(user);
    }
    return std::optional<User>();
}

Result<QList<User>> UserRepository::list()
{
    if (failWith)
        return *failWith;
    return users;
}

Result<bool> UserRepository::update(const User &user)
{
    if (failWith)
        return *failWith;
    for (User &existing : users) {
        if (existing.id == user.id) {
            existing = user;
            return true;
        }
    }
    return false;
}

Result<bool> UserRepository::promoteIfOnlyUser(const QString &id)
{
    if (failWith)
        return *failWith;
    if (users.size() != 1 || users.first().id != id)
        return false;
    users.first().role = Role::Admin;
    return true;
}

Result<int> UserRepository::countActiveAdmins()
{
    if (failWith)
        return *failWith;
    return int(std::count_if(users.cbegin(), users.cend(),
                             [](const User &user) { return user.role == Role::Admin && !user.disabled; }));
}

Status AuditRepository::append(const AuditEvent &event)
{
    if (failWith)
        return *failWith;
    events.append(event);
    events.last().id = events.size();
    return Done{};
}

Result<AuditPage> AuditRepository::page(const AuditQuery &query)
{
    if (failWith)
        return *failWith;
    AuditPage page;
    page.page = query.page;
    page.limit = query.limit;
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if ((query.action.isEmpty() || it->action == query.action)
            && (query.actorEmail.isEmpty() || it->actorEmail == query.actorEmail)) {
            page.events.append(*it);
        }
    }
    page.total = int(page.events.size());
    page.events = page.events.mid((query.page - 1) * query.limit, query.limit);
    return page;
}

Status CallRepository::create(const Call &call)
{
    if (failWith)
        return *failWith;
    for (const Call &existing : calls) {
        if (existing.userId == call.userId && isLive(existing.status))
            return Error{ErrorCode::CallAlreadyActive, QStringLiteral("You already have a call in progress")};
    }
    calls.append(call);
    return Done{};
}

Result<bool> CallRepository::update(const Call &call, CallStatus expected)
{
    if (failWith)
        return *failWith;
    if (failUpdatesWith)
        return *failUpdatesWith;
    for (Call &existing : calls) {
        if (existing.id == call.id) {
            if (existing.status != expected)
                return false;
            // Like the real UPDATE: the lifecycle never writes what the operator wrote.
            const QString notes = existing.notes;
            const QString outcome = existing.outcome;
            existing = call;
            existing.notes = notes;
            existing.outcome = outcome;
            return true;
        }
    }
    return false;
}

Result<std::optional<Call>> CallRepository::findById(const QString &id)
{
    if (failWith)
        return *failWith;
    for (const Call &call : calls) {
        if (call.id == id)
            return std::optional<Call>(call);
    }
    return std::optional<Call>();
}

Result<std::optional<Call>> CallRepository::findBySessionId(const QString &sessionId)
{
    if (failWith)
        return *failWith;
    for (const Call &call : calls) {
        if (!sessionId.isEmpty() && call.sessionId == sessionId)
            return std::optional<Call>(call);
    }
    return std::optional<Call>();
}

Result<HistoryPage> CallRepository::history(const HistoryQuery &query)
{
    if (failWith)
        return *failWith;
    lastHistoryQuery = query;
    QList<Call> matching;
    for (const Call &call : calls) {
        if (call.userId != query.userId)
            continue;
        if (query.from && call.startTime < *query.from)
            continue;
        if (query.to && call.startTime > *query.to)
            continue;
        if (query.status && call.status != *query.status)
            continue;
        if (!query.numberContains.isEmpty() && !call.phoneNumber.contains(query.numberContains))
            continue;
        if (query.outcome && call.outcome != *query.outcome)
            continue;
        matching.append(call);
    }
    const auto newerFirst = [](const Call &a, const Call &b) {
        return a.startTime != b.startTime ? a.startTime > b.startTime : a.id > b.id;
    };
    std::sort(matching.begin(), matching.end(), newerFirst);
    HistoryPage page;
    page.total = matching.size();
    page.page = query.page;
    page.limit = query.limit;
    if (query.after) {
        Call position;
        position.startTime = query.after->startTime;
        position.id = query.after->callId;
        const auto first = std::upper_bound(matching.cbegin(), matching.cend(), position, newerFirst);
        page.calls = matching.mid(first - matching.cbegin(), query.limit);
    } else {
        page.calls = matching.mid((query.page - 1) * query.limit, query.limit);
    }
    return page;
}

Result<bool> CallRepository::annotate(const QString &callId, const CallAnnotation &annotation)
{
    if (failWith)
        return *failWith;
    for (Call &call : calls) {
        if (call.id != callId)
            continue;
        if (annotation.notes)
            call.notes = *annotation.notes;
        if (annotation.outcome)
            call.outcome = *annotation.outcome;
        return true;
    }
    return false;
}

Result<QList<Call>> CallRepository::orphans(const QString &instanceId, const QDateTime &staleBefore)
{
    if (failWith)
        return *failWith;
    QList<Call> result;
    for (const Call &call : calls) {
        if (!isLive(call.status))
            continue;
        if (call.instanceId == instanceId || !call.lastAliveAt || *call.lastAliveAt < staleBefore)
            result.append(call);
    }
    return result;
}

Status CallRepository::heartbeat(const QString &instanceId, const QDateTime &now)
{
    if (failWith)
        return *failWith;
    for (Call &call : calls) {
        if (call.instanceId == instanceId && isLive(call.status))
            call.lastAliveAt = now;
    }
    return Done{};
}

Result<CallLoad> CallRepository::load(const QString &userId, const QDateTime &since)
{
    if (failWith)
        return *failWith;
    CallLoad load;
    for (const Call &call : calls) {
        load.liveCalls += isLive(call.status) ? 1 : 0;
        load.placedByOperator += call.userId == userId && call.startTime >= since ? 1 : 0;
    }
    return load;
}

Result<QList<CallHourCount>> CallRepository::countsByHour(const CallHoursQuery &query)
{
    if (failWith)
        return *failWith;
    // The bands of migration 016's call_quality_band, best first.
    const auto band = [](const std::optional<CallQuality> &quality) -> QString {
        if (!quality)
            return {};
        const double mos = quality->mos;
        return mos >= 4.3 ? u"excellent"_s : mos >= 4.0 ? u"good"_s : mos >= 3.6 ? u"fair"_s : mos >= 3.1 ? u"poor"_s : u"bad"_s;
    };
    QMap<std::tuple<QDateTime, int, QString>, CallHourCount> counts;
    for (const Call &call : calls) {
        const QDateTime utc = call.startTime.toUTC();
        const QDateTime hour(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
        if ((!query.userId.isEmpty() && call.userId != query.userId) || hour < query.from || hour >= query.to)
            continue;
        CallHourCount &count = counts[{hour, int(call.status), band(call.quality)}];
        count = {hour, call.status, band(call.quality), count.calls + 1, count.durationSeconds + call.durationSeconds};
    }
    return counts.values();
}

Result<CallStatistics> CallRepository::statistics()
{
    if (failWith)
        return *failWith;
    CallStatistics stats;
    qint64 durations = 0;
    for (const Call &call : calls) {
        ++stats.initiated;
        if (call.status == CallStatus::Completed) {
            ++stats.completed;
            durations += call.durationSeconds;
        }
        if (isLive(call.status))
            ++stats.live;
        if (call.failureReason == FailureReason::ProviderUnavailable)
            ++stats.providerFailures;
    }
    stats.averageDurationSeconds = stats.completed ? double(durations) / double(stats.completed) : 0.0;
    return stats;
}

Status RevokedTokenRepository::revoke(const QString &jti, const QDateTime &expiresAt)
{
    if (failWith)
        return *failWith;
    revoked.insert(jti, expiresAt);
    return Done{};
}

Result<bool> RevokedTokenRepository::isRevoked(const QString &jti)
{
    if (failWith)
        return *failWith;
    return revoked.contains(jti);
}

Status RevokedTokenRepository::purgeExpired(const QDateTime &now)
{
    if (failWith)
        return *failWith;
    revoked.removeIf([&now](const auto &entry) { return entry.value() < now; });
    return Done{};
}

Result<int> RateLimitRepository::hit(const QString &bucket, const QDateTime &windowStart)
{
    if (failWith)
        return *failWith;
    return ++attempts[bucket + QLatin1Char('@') + windowStart.toString(Qt::ISODate)];
}

Status RateLimitRepository::purgeBefore(const QDateTime &)
{
    if (failWith)
        return *failWith;
    return Done{};
}

void VoipService::initiate(const OutboundCall &call, Completion<ProviderSession> done)
{
    initiated.append(call);
    if (neverAnswerInitiate)
        return;
    QTimer::singleShot(initiateDelayMs, this, [this, call, done = std::move(done)]() {
        if (initiateError)
            return done(*initiateError);
        const QString sessionId = QStringLiteral("fake-session-") + call.callId;
        done(ProviderSession{sessionId, QStringLiteral("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n")});
    });
}

void VoipService::answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done)
{
    answers.append({sessionId, sdpAnswer});
    if (neverApplyAnswer)
        return;
    QTimer::singleShot(0, this, [this, done = std::move(done)]() {
        if (answerError)
            return done(*answerError);
        done(Done{});
    });
}

void VoipService::terminate(const QString &sessionId, Completion<Done> done)
{
    terminated.append(sessionId);
    QTimer::singleShot(0, this, [this, done = std::move(done)]() {
        if (terminateError)
            return done(*terminateError);
        done(Done{});
    });
}

void VoipService::hold(const QString &sessionId, bool on, Completion<Done> done)
{
    holds.append({sessionId, on});
    QTimer::singleShot(0, this, [this, done = std::move(done)]() { done(holdError ? Status(*holdError) : Done{}); });
}

void VoipService::transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done)
{
    transfers.append({sessionId, phoneNumber});
    QTimer::singleShot(0, this, [this, done = std::move(done)]() {
        done(transferError ? Status(*transferError) : Done{});
    });
}

void VoipService::emitStatus(const QString &sessionId, SessionStatus status, const QString &reason)
{
    Q_EMIT sessionStatusChanged(sessionId, status, reason);
}

} // namespace Fakes
