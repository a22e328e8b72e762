#pragma once

#include "apiclient.h"

#include <QAbstractListModel>
#include <QDate>
#include <QJsonObject>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The operator's calls from GET /api/calls/history, newest first, loaded a page at a time as
/// the view scrolls (canFetchMore/fetchMore). Changing a filter reloads from the first page;
/// answers to an older query are dropped.
class HistoryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY statusFilterChanged)
    Q_PROPERTY(QString outcomeFilter READ outcomeFilter WRITE setOutcomeFilter NOTIFY outcomeFilterChanged)
    Q_PROPERTY(QDate dateFrom READ dateFrom WRITE setDateFrom NOTIFY dateFromChanged)
    Q_PROPERTY(QDate dateTo READ dateTo WRITE setDateTo NOTIFY dateToChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)

public:
    enum class State { Idle, Loading, Ready, Empty, Error };
    Q_ENUM(State)

    enum Role {
        CallIdRole = Qt::UserRole + 1,
        PhoneNumberRole,   ///< E.164, for redialling
        DisplayNumberRole, ///< formatted for reading
        StartTimeRole,     ///< QDateTime in local time
        StartTimeTextRole, ///< date and time in the local time zone, as text
        DurationRole,      ///< seconds
        DurationTextRole,  ///< m:ss or h:mm:ss
        StatusRole,        ///< the API's status key
        StatusTextRole,    ///< translated, with the failure reason when there is one
        ContactNameRole,   ///< the operator's contact with this number, or empty
        NotesRole,         ///< the operator's notes on the call
        OutcomeRole,       ///< the API's outcome key, or empty
        OutcomeTextRole,   ///< translated
    };

    explicit HistoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    QString search() const { return m_search; }
    void setSearch(const QString &search);
    QString statusFilter() const { return m_statusFilter; }
    void setStatusFilter(const QString &status);
    QString outcomeFilter() const { return m_outcomeFilter; }
    void setOutcomeFilter(const QString &outcome);
    QDate dateFrom() const { return m_dateFrom; }
    void setDateFrom(const QDate &date);
    QDate dateTo() const { return m_dateTo; }
    void setDateTo(const QDate &date);
    State state() const { return m_state; }
    QString errorText() const;
    int total() const { return m_total; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int pageSize);

    /// Loads the first page again with the current filters (also the retry after an error).
    Q_INVOKABLE void reload();
    /// Writes every call that matches the filters (not only the loaded ones) to `file` as CSV;
    /// exportFinished() tells how it went.
    Q_INVOKABLE void exportCsv(const QUrl &file);
    /// Writes the operator's notes and outcome (empty clears) on a call; the row shows them once
    /// the server has stored them, and annotated() tells how it went.
    Q_INVOKABLE void annotate(const QString &callId, const QString &notes, const QString &outcome);

    /// A duration as m:ss or h:mm:ss: 0:07, 12:34, 1:02:03.
    static QString durationText(int seconds);
    /// One CSV line (RFC 4180 quoting) of a call as the API returns it.
    static QString csvLine(const QJsonObject &call);
    static QString csvHeader();

Q_SIGNALS:
    void clientChanged();
    void searchChanged();
    void statusFilterChanged();
    void outcomeFilterChanged();
    void annotated(bool ok, const QString &errorText);
    void dateFromChanged();
    void dateToChanged();
    void stateChanged();
    void totalChanged();
    void pageSizeChanged();
    void exportFinished(bool ok, const QString &path, int rows, const QString &errorText);

private:
    /// The filters as URL query items (no paging).
    QString filterQuery() const;
    static QString pageQuery(const QString &filters, int page, int limit);
    void requestPage(int page);
    void setState(State state, const QString &errorType = {});
    void exportPage(const QString &path, const QString &filters, int page, QStringList lines);

    QPointer<ApiClient> m_client;
    QString m_search;
    QString m_statusFilter;
    QString m_outcomeFilter;
    QDate m_dateFrom;
    QDate m_dateTo;
    int m_pageSize = 50;

    QList<QJsonObject> m_calls;
    int m_total = 0;
    int m_loadedPages = 0;
    bool m_fetching = false;
    quint64 m_generation = 0; ///< bumped by every reload; older answers are dropped
    State m_state = State::Idle;
    QString m_errorType;
};

} // namespace Switchboard::Gui
