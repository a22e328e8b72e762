#include "usersmodel.h"

#include "languagewatcher.h"
#include "passwordrule.h"
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

/// The words for a failed change. The server's 409 on this route has one cause: the change would
/// leave the team without an active admin.
QString changeErrorText(const ApiReply &reply)
{
    return Texts::error(reply.errorType == u"conflict"_s ? u"team_needs_admin"_s : reply.errorType);
}

/// The GUI's own check of what the server would refuse, so that the admin is told at once.
QString passwordProblem(const QString &password)
{
    return password.size() < kMinPasswordLength ? u"password_too_short"_s : QString();
}

} // namespace

UsersModel::UsersModel(QObject *parent) : QAbstractListModel(parent)
{
    new LanguageWatcher(this, [this] {
        if (!m_users.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_users.size()) - 1), {RoleTextRole, CreatedTextRole});
        Q_EMIT errorTextChanged();
        Q_EMIT roleChoicesChanged();
    });
}

int UsersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UsersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &user = m_users.at(index.row());
    switch (role) {
    case UserIdRole:
        return user.value(u"id"_s).toString();
    case Qt::DisplayRole:
    case EmailRole:
        return user.value(u"email"_s).toString();
    case RoleRole:
        return user.value(u"role"_s).toString();
    case RoleTextRole:
        return Texts::role(user.value(u"role"_s).toString());
    case DisabledRole:
        return user.value(u"disabled"_s).toBool();
    case CreatedTextRole:
        return localTime(user.value(u"created_at"_s));
    }
    return {};
}

QHash<int, QByteArray> UsersModel::roleNames() const
{
    return {{UserIdRole, "userId"},     {EmailRole, "email"},       {RoleRole, "role"},
            {RoleTextRole, "roleText"}, {DisabledRole, "disabled"}, {CreatedTextRole, "createdText"}};
}

void UsersModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

QString UsersModel::errorText() const
{
    return Texts::error(m_errorType);
}

QVariantList UsersModel::roleChoices() const
{
    QVariantList choices;
    for (const QString &role : {u"operator"_s, u"admin"_s})
        choices.append(QVariantMap{{u"value"_s, role}, {u"text"_s, Texts::role(role)}});
    return choices;
}

void UsersModel::reload()
{
    if (!m_client)
        return;
    setLoading(true);
    m_client->get(u"/api/users"_s, this, [this](const ApiReply &reply) {
        setLoading(false);
        if (!reply.ok())
            return setErrorType(reply.errorType);
        setErrorType({});
        beginResetModel();
        m_users.clear();
        for (const QJsonValue &user : reply.json.value(u"users"_s).toArray())
            m_users.append(user.toObject());
        endResetModel();
    });
}

void UsersModel::addUser(const QString &email, const QString &password, const QString &role)
{
    if (!m_client)
        return;
    if (email.trimmed().isEmpty())
        return Q_EMIT added(false, Texts::error(u"email_required"_s));
    if (const QString problem = passwordProblem(password); !problem.isEmpty())
        return Q_EMIT added(false, Texts::error(problem));
    const QJsonObject body{{u"email"_s, email.trimmed()}, {u"password"_s, password}, {u"role"_s, role}};
    m_client->send("POST", u"/api/users"_s, body, this, [this](const ApiReply &reply) {
        if (!reply.ok())
            return Q_EMIT added(false, Texts::error(reply.errorType));
        const int row = int(m_users.size());
        beginInsertRows({}, row, row);
        m_users.append(reply.json);
        endInsertRows();
        Q_EMIT added(true, {});
    });
}

void UsersModel::setRole(const QString &userId, const QString &role)
{
    change(userId, {{u"role"_s, role}}, &UsersModel::changed);
}

void UsersModel::setDisabled(const QString &userId, bool disabled)
{
    change(userId, {{u"disabled"_s, disabled}}, &UsersModel::changed);
}

void UsersModel::resetPassword(const QString &userId, const QString &password, const QString &confirmation)
{
    if (const QString problem = passwordProblem(password); !problem.isEmpty())
        return Q_EMIT passwordReset(false, Texts::error(problem));
    if (password != confirmation)
        return Q_EMIT passwordReset(false, Texts::error(u"passwords_differ"_s));
    change(userId, {{u"password"_s, password}}, &UsersModel::passwordReset);
}

void UsersModel::change(const QString &userId, const QJsonObject &changes, Done done)
{
    if (!m_client)
        return;
    m_client->send("PATCH", u"/api/users/"_s + userId, changes, this, [this, done](const ApiReply &reply) {
        if (!reply.ok())
            return (this->*done)(false, changeErrorText(reply));
        replaceRow(reply.json);
        (this->*done)(true, {});
    });
}

void UsersModel::replaceRow(const QJsonObject &user)
{
    const QString id = user.value(u"id"_s).toString();
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).value(u"id"_s).toString() == id) {
            m_users[row] = user;
            Q_EMIT dataChanged(index(row), index(row));
            return;
        }
    }
}

void UsersModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void UsersModel::setErrorType(const QString &errorType)
{
    if (m_errorType == errorType)
        return;
    m_errorType = errorType;
    Q_EMIT errorTextChanged();
}

} // namespace Switchboard::Gui
