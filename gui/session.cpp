#include "session.h"
#include "apiclient.h"
#include "languagewatcher.h"
#include "passwordrule.h"
#include "texts.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLocale>

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

const QString kLogoutNotRevoked = u"logout_not_revoked"_s;

/// Whether asking again may help: nothing answered, or the server could not do it then. Any
/// other answer stands — a 401 above all: that token is no longer accepted anyway.
bool worthRetrying(const ApiReply &reply)
{
    return reply.status == 0 || reply.status >= 500;
}

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
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (m_activeAt.isValid() && m_activeAt >= m_refreshedAt)
            refresh();
        else
            m_refreshDue = true; // refreshed at the operator's next input, if the token still lives
    });
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

bool Session::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        noteActivity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void Session::noteActivity()
{
    m_activeAt = QDateTime::currentDateTimeUtc();
    if (m_refreshDue && loggedIn())
        refresh();
}

void Session::start(const QJsonObject &answer)
{
    m_client->setToken(answer.value(u"token"_s).toString());
    m_expiresAt = QDateTime::fromString(answer.value(u"expires_at"_s).toString(), Qt::ISODate);
    m_refreshedAt = QDateTime::currentDateTimeUtc();
    m_refreshDue = false;
    const qint64 lifeMs = m_refreshedAt.msecsTo(m_expiresAt);
    if (lifeMs > 0)
        m_refresh.start(int(qMin<qint64>(lifeMs * 2 / 3, std::numeric_limits<int>::max())));
}

void Session::refresh()
{
    m_refreshDue = false;
    m_client->send("POST", u"/api/auth/refresh"_s, {}, this, [this](const ApiReply &reply) {
        if (!loggedIn())
            return;
        if (reply.ok())
            return start(reply.json);
        // A 401 ends the session through ApiClient::unauthorized; a server away for a moment: the
        // next input tries again while the token lives.
        m_refreshDue = true;
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
        connect(m_client, &ApiClient::unauthorized, this, [this] {
            if (!loggedIn())
                return; // a late 401 for a session already over
            end(u"session_expired"_s);
            Q_EMIT expired();
        });
    Q_EMIT clientChanged();
}

QString Session::errorText() const
{
    return Texts::error(m_errorType);
}

QString Session::noticeText() const
{
    if (m_notice == kLogoutNotRevoked)
        return Texts::notice(m_notice).arg(QLocale().toString(m_unrevokedUntil.toLocalTime(), QLocale::ShortFormat));
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
                       const QJsonObject user = reply.json.value(u"user"_s).toObject();
                       m_email = user.value(u"email"_s).toString();
                       m_userId = user.value(u"id"_s).toString();
                       m_role = user.value(u"role"_s).toString();
                       start(reply.json);
                       m_check.start();
                       Q_EMIT loggedInChanged();
                   });
}

void Session::logOut()
{
    if (!loggedIn() || !m_client)
        return;
    // The operator leaves at once; the revocation goes on behind the login page, retried while
    // the server is unreachable or failing, since until then the token would still be accepted.
    const QString token = m_client->token();
    const QDateTime expiresAt = m_expiresAt;
    end(u"logged_out"_s);
    revoke(token, expiresAt, 1);
}

void Session::revoke(const QString &token, const QDateTime &expiresAt, int attempt)
{
    if (!m_client)
        return;
    m_client->sendWithToken(token, "POST", u"/api/auth/logout"_s, this,
                            [this, token, expiresAt, attempt](const ApiReply &reply) {
        if (reply.ok() || reply.status == 401)
            return Q_EMIT logoutFinished(true, attempt);
        if (!worthRetrying(reply) || attempt >= kLogoutAttempts)
            return revocationFailed(expiresAt, attempt);
        const int delayMs = m_logoutRetryDelayMs << (attempt - 1);
        QTimer::singleShot(delayMs, this, [this, token, expiresAt, attempt] { revoke(token, expiresAt, attempt + 1); });
    });
}

void Session::revocationFailed(const QDateTime &expiresAt, int attempts)
{
    // Told on the login page, in place of "You have logged out."; an operator who has logged in
    // again meanwhile would only see it after the next logout, where it would be wrong.
    if (!loggedIn() && m_notice == u"logged_out"_s) {
        m_unrevokedUntil = expiresAt;
        setNotice(kLogoutNotRevoked);
    }
    Q_EMIT logoutFinished(false, attempts);
}

void Session::end(const QString &notice)
{
    if (!loggedIn())
        return;
    m_check.stop();
    m_refresh.stop();
    m_refreshDue = false;
    m_client->setToken({});
    m_email.clear();
    m_userId.clear();
    m_role.clear();
    m_expiresAt = {};
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
