#pragma once

#include "domain/callsession.h"

#include <QHash>
#include <QList>
#include <QMutex>

#include <optional>

namespace Switchboard {

/// The provider sessions this instance holds, keyed by session id. Thread-safe: the call service
/// changes it on its thread while the serving threads read it (counts, live quality).
class SessionManager
{
public:
    void add(const CallSession &session);
    std::optional<CallSession> find(const QString &sessionId) const;
    bool contains(const QString &sessionId) const;
    /// Sets the status; returns the session as changed, or nothing when it is unknown.
    std::optional<CallSession> setStatus(const QString &sessionId, SessionStatus status, const QDateTime &now);
    /// Keeps the provider's latest quality sample of a live session.
    void setQuality(const QString &sessionId, const CallQuality &quality);
    std::optional<CallSession> remove(const QString &sessionId);
    int count() const;
    QList<CallSession> all() const;

    /// Removes and returns the sessions past their time: not answered within `setupTimeoutSeconds`
    /// of creation, or active for longer than `ttlSeconds`.
    QList<CallSession> takeExpired(const QDateTime &now, int setupTimeoutSeconds, int ttlSeconds);
    /// Removes and returns the session when it is past its time, as takeExpired judges it.
    std::optional<CallSession> takeIfExpired(const QString &sessionId, const QDateTime &now, int setupTimeoutSeconds,
                                             int ttlSeconds);

    /// When a session is past its time: `setupTimeoutSeconds` after creation until it is
    /// answered, then `ttlSeconds` (or the session's own shorter maximum) after the answer.
    static QDateTime deadline(const CallSession &session, int setupTimeoutSeconds, int ttlSeconds);

private:
    mutable QMutex m_mutex;
    QHash<QString, CallSession> m_sessions;
};

} // namespace Switchboard
