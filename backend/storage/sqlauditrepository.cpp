#include "sqlauditrepository.h"

#include "core/timeformat.h"
#include "database.h"

#include <QSqlRecord>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

SqlAuditRepository::SqlAuditRepository(Database &database) : m_database(database) {}

Status SqlAuditRepository::append(const AuditEvent &event)
{
    // An event that names its actor by id alone (the call service knows no emails) gets the email
    // from the users table, so that the trail can be filtered by actor either way.
    Result<int> inserted = m_database.modify(
        u"INSERT INTO audit_events (at, actor_id, actor_email, action, target, client, detail) "
        "VALUES (?, ?, COALESCE(?, (SELECT email FROM users WHERE id = ?)), ?, ?, ?, ?)"_s,
        {formatUtc(event.at), textOrNull(event.actorId), textOrNull(event.actorEmail), textOrNull(event.actorId),
         event.action, textOrNull(event.target), textOrNull(event.client), textOrNull(event.detail)});
    if (!inserted)
        return inserted.error();
    return Done{};
}

Result<AuditPage> SqlAuditRepository::page(const AuditQuery &query)
{
    QStringList conditions;
    QVariantList params;
    if (!query.actorEmail.isEmpty()) {
        conditions << u"actor_email = ?"_s;
        params << query.actorEmail;
    }
    if (!query.action.isEmpty()) {
        conditions << u"action = ?"_s;
        params << query.action;
    }
    const QString where = conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
    Result<QList<QSqlRecord>> counted = m_database.select(u"SELECT COUNT(*) FROM audit_events"_s + where, params);
    if (!counted)
        return counted.error();
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT id, at, actor_id, actor_email, action, target, client, detail FROM audit_events%1 "
        "ORDER BY id DESC LIMIT %2 OFFSET %3"_s.arg(where).arg(query.limit).arg(qint64(query.page - 1) * query.limit),
        params);
    if (!rows)
        return rows.error();
    AuditPage page;
    page.page = query.page;
    page.limit = query.limit;
    page.total = counted->isEmpty() ? 0 : counted->first().value(0).toInt();
    for (const QSqlRecord &row : rows.value()) {
        page.events.append({row.value(0).toLongLong(), parseUtc(row.value(1).toString()), row.value(2).toString(),
                            row.value(3).toString(), row.value(4).toString(), row.value(5).toString(),
                            row.value(6).toString(), row.value(7).toString()});
    }
    return page;
}

} // namespace Switchboard
