#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace Switchboard {

/// One entry of the audit trail.
struct AuditEvent
{
    qint64 id = 0; ///< given by the database
    QDateTime at;
    QString actorId; ///< empty: nobody signed in (a failed login)
    QString actorEmail;
    QString action; ///< e.g. `login`, `login_failed`, `user_changed`
    QString target; ///< what it acted on: an email, a user id
    QString client; ///< the client's address
    QString detail;
};

struct AuditQuery
{
    int page = 1;
    int limit = 50;
    QString actorEmail; ///< empty: any
    QString action; ///< empty: any
};

struct AuditPage
{
    QList<AuditEvent> events;
    int total = 0;
    int page = 1;
    int limit = 50;
};

} // namespace Switchboard
