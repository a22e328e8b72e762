#include "sessionmanager.h"

#include "core/logging.h"

#include <algorithm>

namespace Switchboard {

void SessionManager::add(const CallSession &session)
{
    QMutexLocker lock(&m_mutex);
    m_sessions.insert(session.sessionId, session);
    qCDebug(lcSessions) << "session" << session.sessionId << "added for call" << session.callId;
}

std::optional<CallSession> SessionManager::find(const QString &sessionId) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend())
        return std::nullopt;
    return it.value();
}

bool SessionManager::contains(const QString &sessionId) const
{
    QMutexLocker lock(&m_mutex);
    return m_sessions.contains(sessionId);
}

std::optional<CallSession> SessionManager::setStatus(const QString &sessionId, SessionStatus status,
                                                     const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return std::nullopt;
    it->status = status;
    it->lastSeenAt = now;
    if (status == SessionStatus::Active && !it->answeredAt.isValid())
        it->answeredAt = now;
    qCDebug(lcSessions) << "session" << sessionId << "status" << int(status);
    return it.value();
}

void SessionManager::setQuality(const QString &sessionId, const CallQuality &quality)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(sessionId);
    if (it != m_sessions.end())
        it->quality = quality;
}

std::optional<CallSession> SessionManager::remove(const QString &sessionId)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end())
        return std::nullopt;
    CallSession session = it.value();
    m_sessions.erase(it);
    qCDebug(lcSessions) << "session" << sessionId << "removed";
    return session;
}

int SessionManager::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_sessions.size());
}

QList<CallSession> SessionManager::all() const
{
    QMutexLocker lock(&m_mutex);
    return m_sessions.values();
}

QList<CallSession> SessionManager::takeExpired(const QDateTime &now, int setupTimeoutSeconds, int ttlSeconds)
{
    QMutexLocker lock(&m_mutex);
    QList<CallSession> expired;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (now >= deadline(it.value(), setupTimeoutSeconds, ttlSeconds)) {
            qCDebug(lcSessions) << "session" << it->sessionId << "expired";
            expired.append(it.value());
            it = m_sessions.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

std::optional<CallSession> SessionManager::takeIfExpired(const QString &sessionId, const QDateTime &now,
                                                         int setupTimeoutSeconds, int ttlSeconds)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end() || now < deadline(it.value(), setupTimeoutSeconds, ttlSeconds))
        return std::nullopt;
    qCDebug(lcSessions) << "session" << sessionId << "expired";
    CallSession session = it.value();
    m_sessions.erase(it);
    return session;
}

QDateTime SessionManager::deadline(const CallSession &session, int setupTimeoutSeconds, int ttlSeconds)
{
    if (session.status != SessionStatus::Active)
        return session.createdAt.addSecs(setupTimeoutSeconds);
    const int limit = session.maxDurationSeconds > 0 ? std::min(session.maxDurationSeconds, ttlSeconds) : ttlSeconds;
    return session.answeredAt.addSecs(limit);
}

} // namespace Switchboard
