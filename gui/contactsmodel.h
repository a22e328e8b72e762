#pragma once

#include "apiclient.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The operator's address book from GET /api/contacts, by name, loaded a page at a time as the
/// view scrolls; `search` matches name, company or digits of the number. Adding, editing,
/// deleting, importing and exporting go through the API and reload the list.
class ContactsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)

public:
    enum class State { Idle, Loading, Ready, Empty, Error };
    Q_ENUM(State)

    enum Role {
        ContactIdRole = Qt::UserRole + 1,
        NameRole,
        PhoneNumberRole,   ///< E.164, for calling
        DisplayNumberRole, ///< formatted for reading
        CompanyRole,
        NotesRole,
    };

    explicit ContactsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    QString search() const { return m_search; }
    void setSearch(const QString &search);
    State state() const { return m_state; }
    QString errorText() const;
    int total() const { return m_total; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int pageSize);

    /// Loads the first page again (also the retry after an error).
    Q_INVOKABLE void reload();
    /// Adds a contact (empty `contactId`) or changes one; saved() tells how it went.
    Q_INVOKABLE void save(const QString &contactId, const QString &name, const QString &phoneNumber,
                          const QString &company, const QString &notes);
    Q_INVOKABLE void remove(const QString &contactId);
    /// Imports a .csv or .vcf file; importFinished() reports what was added and what was skipped.
    Q_INVOKABLE void importFile(const QUrl &file);
    /// Writes every contact to `file`: vCard when it ends in .vcf or .vcard, else CSV.
    Q_INVOKABLE void exportFile(const QUrl &file);

Q_SIGNALS:
    void clientChanged();
    void searchChanged();
    void stateChanged();
    void totalChanged();
    void pageSizeChanged();
    void saved(bool ok, const QString &errorText);
    void removed(bool ok, const QString &errorText);
    /// `details`: the skipped lines, one `line N: why` each.
    void importFinished(bool ok, int imported, int skipped, const QString &details, const QString &errorText);
    void exportFinished(bool ok, const QString &path, const QString &errorText);

private:
    void requestPage(int page);
    void setState(State state, const QString &errorType = {});

    QPointer<ApiClient> m_client;
    QString m_search;
    int m_pageSize = 50;
    QList<QJsonObject> m_contacts;
    int m_total = 0;
    int m_loadedPages = 0;
    bool m_fetching = false;
    quint64 m_generation = 0; ///< bumped by every reload; older answers are dropped
    State m_state = State::Idle;
    QString m_errorType;
};

} // namespace Switchboard::Gui
