#pragma once

#include "apiclient.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The team for an admin: every account from GET /api/users (oldest first, as the server lists
/// them). Adding one (POST /api/users) and changing one (PATCH /api/users/{id}: role, disabled,
/// password) go through the API; a row changes once the server has answered with the account.
class UsersModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// Why the list could not be loaded, in the operator's words; empty when it was.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    /// The roles an account may have, `{value: "admin", text: "Admin"}` each, in the current language.
    Q_PROPERTY(QVariantList roleChoices READ roleChoices NOTIFY roleChoicesChanged)

public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        EmailRole,
        RoleRole,     ///< `admin` or `operator`
        RoleTextRole, ///< the role in the current language
        DisabledRole,
        CreatedTextRole, ///< date and time in the local time zone
    };

    explicit UsersModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool loading() const { return m_loading; }
    QString errorText() const;
    QVariantList roleChoices() const;

    Q_INVOKABLE void reload();
    /// Adds an account with `role` (`admin` or `operator`); added() tells how it went.
    Q_INVOKABLE void addUser(const QString &email, const QString &password, const QString &role);
    /// Changes an account's role; changed() tells how it went.
    Q_INVOKABLE void setRole(const QString &userId, const QString &role);
    /// Disables an account (it can no longer log in, its tokens stop working) or enables it again.
    Q_INVOKABLE void setDisabled(const QString &userId, bool disabled);
    /// Gives an account a new password; passwordReset() tells how it went.
    Q_INVOKABLE void resetPassword(const QString &userId, const QString &password, const QString &confirmation);

Q_SIGNALS:
    void clientChanged();
    void loadingChanged();
    void errorTextChanged();
    void roleChoicesChanged();
    void added(bool ok, const QString &errorText);
    void changed(bool ok, const QString &errorText);
    void passwordReset(bool ok, const QString &errorText);

private:
    using Done = void (UsersModel::*)(bool, const QString &);
    void change(const QString &userId, const QJsonObject &changes, Done done);
    void replaceRow(const QJsonObject &user);
    void setLoading(bool loading);
    void setErrorType(const QString &errorType);

    QPointer<ApiClient> m_client;
    QList<QJsonObject> m_users;
    bool m_loading = false;
    QString m_errorType;
};

} // namespace Switchboard::Gui
