#include "historymodel.h"
#include "apiclient.h"
#include "calls/phonenumbers.h"
#include "languagewatcher.h"
#include "texts.h"

#include <QJsonArray>
#include <QLocale>
#include <QSaveFile>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

constexpr int kExportPageSize = 100; // the API's largest page

QDateTime startTime(const QJsonObject &call)
{
    return QDateTime::fromString(call.value(u"start_time"_s).toString(), Qt::ISODate).toLocalTime();
}

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\r'))
        return value;
    return u'"' + QString(value).replace(u"\""_s, u"\"\""_s) + u'"';
}

/// The API's bounds for a day range picked in the operator's time zone: from the start of the
/// first day to the end of the last, as UTC instants.
QString utcText(const QDateTime &local)
{
    return local.toUTC().toString(Qt::ISODate);
}

} // namespace

HistoryModel::HistoryModel(QObject *parent) : QAbstractListModel(parent)
{
    new LanguageWatcher(this, [this] {
        if (!m_calls.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_calls.size()) - 1), {StartTimeTextRole, StatusTextRole, OutcomeTextRole});
        Q_EMIT stateChanged();
    });
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_calls.size());
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &call = m_calls.at(index.row());
    switch (role) {
    case CallIdRole:
        return call.value(u"call_id"_s).toString();
    case PhoneNumberRole:
        return call.value(u"phone_number"_s).toString();
    case Qt::DisplayRole:
    case DisplayNumberRole:
        return PhoneNumbers::formatInternational(call.value(u"phone_number"_s).toString());
    case StartTimeRole:
        return startTime(call);
    case StartTimeTextRole:
        return QLocale().toString(startTime(call), QLocale::ShortFormat);
    case DurationRole:
        return call.value(u"duration"_s).toInt();
    case DurationTextRole:
        return durationText(call.value(u"duration"_s).toInt());
    case StatusRole:
        return call.value(u"status"_s).toString();
    case StatusTextRole: {
        const QString status = Texts::callStatus(call.value(u"status"_s).toString());
        const QString reason = call.value(u"failure_reason"_s).toString();
        return reason.isEmpty() ? status : u"%1 (%2)"_s.arg(status, Texts::failureReason(reason));
    }
    case ContactNameRole:
        return call.value(u"contact_name"_s).toString();
    case NotesRole:
        return call.value(u"notes"_s).toString();
    case OutcomeRole:
        return call.value(u"outcome"_s).toString();
    case OutcomeTextRole:
        return Texts::outcome(call.value(u"outcome"_s).toString());
    }
    return {};
}

QHash<int, QByteArray> HistoryModel::roleNames() const
{
    return {
        {CallIdRole, "callId"},
        {PhoneNumberRole, "phoneNumber"},
        {DisplayNumberRole, "displayNumber"},
        {StartTimeRole, "startTime"},
        {StartTimeTextRole, "startTimeText"},
        {DurationRole, "duration"},
        {DurationTextRole, "durationText"},
        {StatusRole, "status"},
        {StatusTextRole, "statusText"},
        {ContactNameRole, "contactName"},
        {NotesRole, "notes"},
        {OutcomeRole, "outcome"},
        {OutcomeTextRole, "outcomeText"},
    };
}

bool HistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loadedPages > 0 && !m_fetching && m_calls.size() < m_total;
}

void HistoryModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage(m_loadedPages + 1);
}

void HistoryModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void HistoryModel::setSearch(const QString &search)
{
    if (m_search == search)
        return;
    m_search = search;
    Q_EMIT searchChanged();
    reload();
}

void HistoryModel::setStatusFilter(const QString &status)
{
    if (m_statusFilter == status)
        return;
    m_statusFilter = status;
    Q_EMIT statusFilterChanged();
    reload();
}

void HistoryModel::setOutcomeFilter(const QString &outcome)
{
    if (m_outcomeFilter == outcome)
        return;
    m_outcomeFilter = outcome;
    Q_EMIT outcomeFilterChanged();
    reload();
}

void HistoryModel::annotate(const QString &callId, const QString &notes, const QString &outcome)
{
    if (!m_client)
        return;
    const QJsonObject body{{u"notes"_s, notes.isEmpty() ? QJsonValue() : QJsonValue(notes)},
                           {u"outcome"_s, outcome.isEmpty() ? QJsonValue() : QJsonValue(outcome)}};
    m_client->send("PATCH", u"/api/calls/"_s + callId, body, this, [this, callId](const ApiReply &reply) {
        if (reply.ok()) {
            // The call as stored replaces the row, if it is still shown.
            for (qsizetype row = 0; row < m_calls.size(); ++row) {
                if (m_calls.at(row).value(u"call_id"_s).toString() == callId) {
                    m_calls[row] = reply.json;
                    Q_EMIT dataChanged(index(int(row)), index(int(row)));
                }
            }
        }
        Q_EMIT annotated(reply.ok(), Texts::error(reply.errorType));
    });
}

void HistoryModel::setDateFrom(const QDate &date)
{
    if (m_dateFrom == date)
        return;
    m_dateFrom = date;
    Q_EMIT dateFromChanged();
    reload();
}

void HistoryModel::setDateTo(const QDate &date)
{
    if (m_dateTo == date)
        return;
    m_dateTo = date;
    Q_EMIT dateToChanged();
    reload();
}

void HistoryModel::setPageSize(int pageSize)
{
    if (m_pageSize == pageSize || pageSize < 1 || pageSize > kExportPageSize)
        return;
    m_pageSize = pageSize;
    Q_EMIT pageSizeChanged();
}

QString HistoryModel::errorText() const
{
    return Texts::error(m_errorType);
}

QString HistoryModel::filterQuery() const
{
    QUrlQuery query;
    // Only digits and '+' reach the server: it searches the stored E.164 text.
    QString digits;
    for (const QChar c : m_search) {
        if (c.isDigit() || c == u'+')
            digits += c;
    }
    if (!digits.isEmpty())
        query.addQueryItem(u"q"_s, QString::fromLatin1(QUrl::toPercentEncoding(digits)));
    if (!m_statusFilter.isEmpty())
        query.addQueryItem(u"status"_s, m_statusFilter);
    if (!m_outcomeFilter.isEmpty())
        query.addQueryItem(u"outcome"_s, m_outcomeFilter);
    if (m_dateFrom.isValid())
        query.addQueryItem(u"date_from"_s, utcText(m_dateFrom.startOfDay()));
    if (m_dateTo.isValid())
        query.addQueryItem(u"date_to"_s, utcText(m_dateTo.endOfDay()));
    return query.toString(QUrl::FullyEncoded);
}

QString HistoryModel::pageQuery(const QString &filters, int page, int limit)
{
    return u"/api/calls/history?page=%1&limit=%2&%3"_s.arg(page).arg(limit).arg(filters);
}

void HistoryModel::reload()
{
    ++m_generation;
    if (!m_calls.isEmpty()) {
        beginResetModel();
        m_calls.clear();
        endResetModel();
    }
    m_loadedPages = 0;
    m_fetching = false;
    requestPage(1);
}

void HistoryModel::requestPage(int page)
{
    if (!m_client || m_client->token().isEmpty())
        return;
    m_fetching = true;
    if (page == 1)
        setState(State::Loading);
    const quint64 generation = m_generation;
    m_client->get(pageQuery(filterQuery(), page, m_pageSize), this, [this, generation, page](const ApiReply &reply) {
        if (generation != m_generation)
            return;
        if (!reply.ok()) {
            m_fetching = false;
            return setState(State::Error, reply.errorType);
        }
        // The page counts as loaded before its rows arrive, and fetching ends only after: a view
        // that asks for more while the rows are inserted gets the next page, never this one again.
        m_loadedPages = page;
        const int total = reply.json.value(u"total"_s).toInt();
        const QJsonArray calls = reply.json.value(u"calls"_s).toArray();
        if (!calls.isEmpty()) {
            beginInsertRows({}, int(m_calls.size()), int(m_calls.size() + calls.size()) - 1);
            for (const QJsonValue &call : calls)
                m_calls.append(call.toObject());
            endInsertRows();
        }
        m_fetching = false;
        if (total != m_total) {
            m_total = total;
            Q_EMIT totalChanged();
        }
        setState(m_calls.isEmpty() ? State::Empty : State::Ready);
    });
}

void HistoryModel::setState(State state, const QString &errorType)
{
    if (m_state == state && m_errorType == errorType)
        return;
    m_state = state;
    m_errorType = errorType;
    Q_EMIT stateChanged();
}

QString HistoryModel::durationText(int seconds)
{
    const int hours = seconds / 3600;
    const int minutes = seconds / 60 % 60;
    const QString rest = u"%1:%2"_s.arg(minutes, hours ? 2 : 1, 10, QLatin1Char('0')).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return hours ? u"%1:%2"_s.arg(hours).arg(rest) : rest;
}

QString HistoryModel::csvHeader()
{
    return u"call_id,start_time,phone_number,contact_name,duration_seconds,status,failure_reason,outcome,notes"_s;
}

QString HistoryModel::csvLine(const QJsonObject &call)
{
    const QStringList fields{
        call.value(u"call_id"_s).toString(),
        call.value(u"start_time"_s).toString(),
        call.value(u"phone_number"_s).toString(),
        call.value(u"contact_name"_s).toString(),
        QString::number(call.value(u"duration"_s).toInt()),
        call.value(u"status"_s).toString(),
        call.value(u"failure_reason"_s).toString(),
        call.value(u"outcome"_s).toString(),
        call.value(u"notes"_s).toString(),
    };
    QStringList quoted;
    for (const QString &field : fields)
        quoted.append(csvField(field));
    return quoted.join(u',');
}

void HistoryModel::exportCsv(const QUrl &file)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    if (!m_client || path.isEmpty())
        return Q_EMIT exportFinished(false, path, 0, Texts::error(u"export_failed"_s));
    // The filters as they are now: changing them during the export does not mix two lists.
    exportPage(path, filterQuery(), 1, {csvHeader()});
}

void HistoryModel::exportPage(const QString &path, const QString &filters, int page, QStringList lines)
{
    m_client->get(pageQuery(filters, page, kExportPageSize), this,
                  [this, path, filters, page, lines](const ApiReply &reply) mutable {
        if (!reply.ok())
            return Q_EMIT exportFinished(false, path, 0, Texts::error(reply.errorType));
        const QJsonArray calls = reply.json.value(u"calls"_s).toArray();
        for (const QJsonValue &call : calls)
            lines.append(csvLine(call.toObject()));
        const int total = reply.json.value(u"total"_s).toInt();
        if (!calls.isEmpty() && lines.size() - 1 < total)
            return exportPage(path, filters, page + 1, std::move(lines));

        QSaveFile out(path);
        const QByteArray content = (lines.join(u"\r\n"_s) + u"\r\n"_s).toUtf8();
        if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size() || !out.commit())
            return Q_EMIT exportFinished(false, path, 0, Texts::error(u"export_failed"_s));
        Q_EMIT exportFinished(true, path, int(lines.size()) - 1, {});
    });
}

} // namespace Switchboard::Gui
