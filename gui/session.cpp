#include "session.h"
#include "apiclient.h"
#include "languagewatcher.h"
#include "texts.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {
// The server's rule (backend/auth/credentials.cpp), checked here too so that the operator is
// told at once, in the chosen language.
constexpr int kMinPasswordLength = 8;
} // namespace

Session::Session(QObject *parent) : QObject(parent)
{
    m_check.setInterval(30000);
    connect(&m_check, &QTimer::timeout, this, [this] {
        // Any authenticated route will do; a 401 reaches end() through ApiClient::unauthorized.
        if (m_client)
            m_client->get(u"/api/webrtc/config"_s, this, [](const ApiReply &) {});
    });
    new LanguageWatcher(this, [this] {
        Q_EMIT errorChanged();
        Q_EMIT noticeChanged();
    });
}

void Session::setCheckIntervalMs(int intervalMs)
{
    if (intervalMs == m_check.interval() || intervalMs <= 0)
        return;
    m_check.setInterval(intervalMs);
    Q_EMIT checkIntervalMsChanged();
}

void Session::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    if (m_client)
        connect(m_client, &ApiClient::unauthorized, this, [this] { end(u"session_expired"_s); });
    Q_EMIT clientChanged();
}

QString Session::errorText() const
{
    return Texts::error(m_errorType);
}

QString Session::noticeText() const
{
    return Texts::notice(m_notice);
}

void Session::logIn(const QString &email, const QString &password)
{
    if (checkInput(email, password))
        authenticate(u"/api/auth/login"_s, email, password);
}

void Session::registerOperator(const QString &email, const QString &password, const QString &confirmation)
{
    if (!checkInput(email, password))
        return;
    if (password != confirmation)
        return setError(u"passwords_differ"_s);
    authenticate(u"/api/auth/register"_s, email, password);
}

bool Session::checkInput(const QString &email, const QString &password)
{
    if (m_busy || !m_client)
        return false;
    setNotice({});
    if (email.trimmed().isEmpty()) {
        setError(u"email_required"_s);
        return false;
    }
    if (password.size() < kMinPasswordLength) {
        setError(u"password_too_short"_s);
        return false;
    }
    setError({});
    return true;
}

void Session::authenticate(const QString &path, const QString &email, const QString &password)
{
    setBusy(true);
    m_client->send("POST", path, {{u"email"_s, email.trimmed()}, {u"password"_s, password}}, this,
                   [this](const ApiReply &reply) {
                       setBusy(false);
                       if (!reply.ok())
                           return setError(reply.errorType);
                       m_client->setToken(reply.json.value(u"token"_s).toString());
                       m_email = reply.json.value(u"user"_s).toObject().value(u"email"_s).toString();
                       m_check.start();
                       Q_EMIT loggedInChanged();
                   });
}

void Session::logOut()
{
    if (!loggedIn() || !m_client)
        return;
    // The token is revoked on the server; the operator leaves at once, whatever the answer.
    m_client->send("POST", u"/api/auth/logout"_s, {}, this, [](const ApiReply &) {});
    end(u"logged_out"_s);
}

void Session::end(const QString &notice)
{
    if (!loggedIn())
        return;
    m_check.stop();
    m_client->setToken({});
    m_email.clear();
    setError({});
    setNotice(notice);
    Q_EMIT loggedInChanged();
}

void Session::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void Session::setError(const QString &type)
{
    if (m_errorType == type)
        return;
    m_errorType = type;
    Q_EMIT errorChanged();
}

void Session::setNotice(const QString &type)
{
    if (m_notice == type)
        return;
    m_notice = type;
    Q_EMIT noticeChanged();
}

} // namespace Switchboard::Gui
