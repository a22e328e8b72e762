#pragma once

#include "apiclient.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The audit trail for an admin, one page at a time from GET /api/audit, newest first as the
/// server gives it; filtered by the actor's email (exact) and by action. Changing a filter goes
/// back to the first page.
class AuditModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString actorFilter READ actorFilter WRITE setActorFilter NOTIFY actorFilterChanged)
    Q_PROPERTY(QString actionFilter READ actionFilter WRITE setActionFilter NOTIFY actionFilterChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)
    Q_PROPERTY(int page READ page NOTIFY pageChanged)
    Q_PROPERTY(int pageCount READ pageCount NOTIFY pageChanged)
    Q_PROPERTY(int total READ total NOTIFY pageChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    /// The actions a filter offers, `{value: "login", text: "Logged in"}` each, in the current
    /// language; the filter's "all" (value "") is the view's to add.
    Q_PROPERTY(QVariantList actionChoices READ actionChoices NOTIFY actionChoicesChanged)

public:
    enum Role {
        EventIdRole = Qt::UserRole + 1,
        AtTextRole, ///< date and time in the local time zone
        ActorEmailRole, ///< empty for a failed login, which has no actor
        ActionRole,
        ActionTextRole, ///< the action in the current language
        TargetRole, ///< whom it concerned (an email)
        ClientRole, ///< the address the request came from
        DetailRole, ///< what changed or why it failed, in words where the console knows them
    };

    explicit AuditModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    QString actorFilter() const { return m_actorFilter; }
    void setActorFilter(const QString &actor);
    QString actionFilter() const { return m_actionFilter; }
    void setActionFilter(const QString &action);
    int pageSize() const { return m_pageSize; }
    void setPageSize(int pageSize);
    int page() const { return m_page; }
    int pageCount() const;
    int total() const { return m_total; }
    bool loading() const { return m_loading; }
    QString errorText() const;
    QVariantList actionChoices() const;

    /// Loads the current page again (also the retry after an error).
    Q_INVOKABLE void reload();
    Q_INVOKABLE void nextPage();
    Q_INVOKABLE void previousPage();

Q_SIGNALS:
    void clientChanged();
    void actorFilterChanged();
    void actionFilterChanged();
    void pageSizeChanged();
    void pageChanged();
    void loadingChanged();
    void errorTextChanged();
    void actionChoicesChanged();

private:
    void load(int page);
    void showPage(const QJsonObject &answer);
    void setLoading(bool loading);
    void setErrorType(const QString &errorType);

    QPointer<ApiClient> m_client;
    QString m_actorFilter;
    QString m_actionFilter;
    int m_pageSize = 50;
    int m_page = 1;
    int m_total = 0;
    QList<QJsonObject> m_events;
    quint64 m_generation = 0; ///< bumped by every request; only the latest answer is shown
    bool m_loading = false;
    QString m_errorType;
};

} // namespace Switchboard::Gui
