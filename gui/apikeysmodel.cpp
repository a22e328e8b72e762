#include "apikeysmodel.h"

#include "texts.h"

#include <QJsonArray>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

QString localTime(const QJsonValue &utc)
{
    const QDateTime time = QDateTime::fromString(utc.toString(), Qt::ISODateWithMs);
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

ApiKeysModel::ApiKeysModel(QObject *parent) : QAbstractListModel(parent) {}

int ApiKeysModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

QVariant ApiKeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &key = m_keys.at(index.row());
    switch (role) {
    case KeyIdRole:
        return key.value(u"key_id"_s).toString();
    case Qt::DisplayRole:
    case NameRole:
        return key.value(u"name"_s).toString();
    case PrefixRole:
        return key.value(u"prefix"_s).toString();
    case ScopesTextRole: {
        QStringList scopes;
        for (const QJsonValue &scope : key.value(u"scopes"_s).toArray())
            scopes.append(scope.toString());
        return scopes.join(u' ');
    }
    case CreatedTextRole:
        return localTime(key.value(u"created_at"_s));
    case LastUsedTextRole:
        return localTime(key.value(u"last_used_at"_s));
    }
    return {};
}

QHash<int, QByteArray> ApiKeysModel::roleNames() const
{
    return {{KeyIdRole, "keyId"},           {NameRole, "name"},
            {PrefixRole, "prefix"},         {ScopesTextRole, "scopesText"},
            {CreatedTextRole, "createdText"}, {LastUsedTextRole, "lastUsedText"}};
}

void ApiKeysModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
    reload();
}

QString ApiKeysModel::errorText() const
{
    return m_errorType.isEmpty() ? QString() : Texts::error(m_errorType);
}

void ApiKeysModel::reload()
{
    if (!m_client)
        return;
    setLoading(true);
    m_client->get(u"/api/keys"_s, this, [this](const ApiReply &reply) {
        setLoading(false);
        if (!reply.ok())
            return setErrorType(reply.errorType);
        setErrorType({});
        beginResetModel();
        m_keys.clear();
        for (const QJsonValue &key : reply.json.value(u"keys"_s).toArray())
            m_keys.append(key.toObject());
        endResetModel();
    });
}

void ApiKeysModel::revoke(const QString &keyId)
{
    if (!m_client)
        return;
    m_client->send("DELETE", u"/api/keys/"_s + keyId, {}, this, [this, keyId](const ApiReply &reply) {
        // Gone either way: revoked now, or already (key_not_found).
        if (!reply.ok() && reply.errorType != u"key_not_found"_s)
            return setErrorType(reply.errorType);
        setErrorType({});
        for (int row = 0; row < m_keys.size(); ++row) {
            if (m_keys.at(row).value(u"key_id"_s).toString() == keyId) {
                beginRemoveRows({}, row, row);
                m_keys.removeAt(row);
                endRemoveRows();
                return;
            }
        }
    });
}

void ApiKeysModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void ApiKeysModel::setErrorType(const QString &errorType)
{
    if (m_errorType == errorType)
        return;
    m_errorType = errorType;
    Q_EMIT errorTextChanged();
}

} // namespace Switchboard::Gui
