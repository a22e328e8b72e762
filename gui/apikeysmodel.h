#pragma once

#include "apiclient.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The operator's API keys from GET /api/keys (never their secrets), newest first; revoke()
/// deletes one (DELETE /api/keys/{id}) and drops its row once the server has.
class ApiKeysModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        KeyIdRole = Qt::UserRole + 1,
        NameRole,
        PrefixRole, ///< the key's first characters, to tell keys apart
        ScopesTextRole, ///< the scopes, space-separated
        CreatedTextRole, ///< date and time in the local time zone
        LastUsedTextRole, ///< likewise, or empty when never used
    };

    explicit ApiKeysModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool loading() const { return m_loading; }
    QString errorText() const;

    Q_INVOKABLE void reload();
    Q_INVOKABLE void revoke(const QString &keyId);

Q_SIGNALS:
    void clientChanged();
    void loadingChanged();
    void errorTextChanged();

private:
    void setLoading(bool loading);
    void setErrorType(const QString &errorType);

    QPointer<ApiClient> m_client;
    QList<QJsonObject> m_keys;
    bool m_loading = false;
    QString m_errorType;
};

} // namespace Switchboard::Gui
