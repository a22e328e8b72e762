#include "auditmodel.h"

#include "languagewatcher.h"
#include "texts.h"

#include <QJsonArray>
#include <QLocale>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

QString localTime(const QJsonValue &utc)
{
    const QDateTime time = QDateTime::fromString(utc.toString(), Qt::ISODateWithMs);
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : QString();
}


} // namespace

AuditModel::AuditModel(QObject *parent) : QAbstractListModel(parent)
{
    new LanguageWatcher(this, [this] {
        if (!m_events.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_events.size()) - 1), {AtTextRole, ActionTextRole, DetailRole});
        Q_EMIT errorTextChanged();
        Q_EMIT actionChoicesChanged();
    });
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &event = m_events.at(index.row());
    switch (role) {
    case EventIdRole:
        return event.value(u"id"_s).toInteger();
    case AtTextRole:
        return localTime(event.value(u"at"_s));
    case ActorEmailRole:
        return event.value(u"actor_email"_s).toString();
    case ActionRole:
        return event.value(u"action"_s).toString();
    case Qt::DisplayRole:
    case ActionTextRole:
        return Texts::auditAction(event.value(u"action"_s).toString());
    case TargetRole:
        return Texts::auditTarget(event.value(u"target"_s).toString());
    case ClientRole:
        return event.value(u"client"_s).toString();
    case DetailRole:
        return Texts::auditDetail(event.value(u"action"_s).toString(), event.value(u"detail"_s).toString());
    }
    return {};
}

QHash<int, QByteArray> AuditModel::roleNames() const
{
    return {{EventIdRole, "eventId"},       {AtTextRole, "atText"}, {ActorEmailRole, "actorEmail"},
            {ActionRole, "action"},         {ActionTextRole, "actionText"}, {TargetRole, "target"},
            {ClientRole, "client"},         {DetailRole, "detail"}};
}

void AuditModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void AuditModel::setActorFilter(const QString &actor)
{
    if (m_actorFilter == actor)
        return;
    m_actorFilter = actor;
    Q_EMIT actorFilterChanged();
    load(1);
}

void AuditModel::setActionFilter(const QString &action)
{
    if (m_actionFilter == action)
        return;
    m_actionFilter = action;
    Q_EMIT actionFilterChanged();
    load(1);
}

void AuditModel::setPageSize(int pageSize)
{
    // The server's bounds (1…200).
    if (m_pageSize == pageSize || pageSize < 1 || pageSize > 200)
        return;
    m_pageSize = pageSize;
    Q_EMIT pageSizeChanged();
}

int AuditModel::pageCount() const
{
    return std::max(1, (m_total + m_pageSize - 1) / m_pageSize);
}

QString AuditModel::errorText() const
{
    return Texts::error(m_errorType);
}

QVariantList AuditModel::actionChoices() const
{
    QVariantList choices;
    for (const QString &action : Texts::auditActions())
        choices.append(QVariantMap{{u"value"_s, action}, {u"text"_s, Texts::auditAction(action)}});
    return choices;
}

void AuditModel::reload()
{
    load(m_page);
}

void AuditModel::nextPage()
{
    if (m_page < pageCount())
        load(m_page + 1);
}

void AuditModel::previousPage()
{
    if (m_page > 1)
        load(m_page - 1);
}

void AuditModel::load(int page)
{
    if (!m_client || m_client->token().isEmpty())
        return;
    const quint64 generation = ++m_generation;
    setLoading(true);
    QUrlQuery query;
    query.addQueryItem(u"page"_s, QString::number(page));
    query.addQueryItem(u"limit"_s, QString::number(m_pageSize));
    if (const QString actor = m_actorFilter.trimmed(); !actor.isEmpty())
        query.addQueryItem(u"actor"_s, QString::fromLatin1(QUrl::toPercentEncoding(actor)));
    if (!m_actionFilter.isEmpty())
        query.addQueryItem(u"action"_s, QString::fromLatin1(QUrl::toPercentEncoding(m_actionFilter)));
    m_client->get(u"/api/audit?"_s + query.toString(QUrl::FullyEncoded), this, [this, generation](const ApiReply &reply) {
        if (generation != m_generation)
            return;
        setLoading(false);
        if (!reply.ok())
            return setErrorType(reply.errorType);
        setErrorType({});
        showPage(reply.json);
    });
}

void AuditModel::showPage(const QJsonObject &answer)
{
    beginResetModel();
    m_events.clear();
    for (const QJsonValue &event : answer.value(u"events"_s).toArray())
        m_events.append(event.toObject());
    endResetModel();
    m_page = answer.value(u"page"_s).toInt(1);
    m_total = answer.value(u"total"_s).toInt();
    Q_EMIT pageChanged();
}

void AuditModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void AuditModel::setErrorType(const QString &errorType)
{
    if (m_errorType == errorType)
        return;
    m_errorType = errorType;
    Q_EMIT errorTextChanged();
}

} // namespace Switchboard::Gui
