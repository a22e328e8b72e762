#pragma once

#include "apiclient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The operator's session: log in, register, log out, and the way back to the login page with a
/// notice when the server stops accepting the token (expired or revoked).
///
/// A token lives JWT_TTL unless refreshed, and that is the server's idle timeout: the session
/// refreshes the token before it runs out when the operator has used the console (a key, a click,
/// a touch in any of its windows) since the last refresh, and lets it expire otherwise.
class Session : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool loggedIn READ loggedIn NOTIFY loggedInChanged)
    Q_PROPERTY(QString email READ email NOTIFY loggedInChanged)
    /// The operator's id, as the login or registration answered; empty while logged out.
    Q_PROPERTY(QString userId READ userId NOTIFY loggedInChanged)
    /// `admin` or `operator`, as the login or registration answered; empty while logged out.
    Q_PROPERTY(QString role READ role NOTIFY loggedInChanged)
    Q_PROPERTY(bool isAdmin READ isAdmin NOTIFY loggedInChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorType READ errorType NOTIFY errorChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
    Q_PROPERTY(QString noticeText READ noticeText NOTIFY noticeChanged)
    Q_PROPERTY(int checkIntervalMs READ checkIntervalMs WRITE setCheckIntervalMs NOTIFY checkIntervalMsChanged)

public:
    explicit Session(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool loggedIn() const { return !m_email.isEmpty(); }
    QString email() const { return m_email; }
    QString userId() const { return m_userId; }
    QString role() const { return m_role; }
    bool isAdmin() const { return m_role == QLatin1StringView("admin"); }
    bool busy() const { return m_busy; }
    QString errorType() const { return m_errorType; }
    QString errorText() const;
    QString noticeText() const;
    /// How often a logged-in session asks the server whether the token still holds, so that an
    /// expired or revoked token ends the session even while nothing else calls the API.
    int checkIntervalMs() const { return m_check.interval(); }
    void setCheckIntervalMs(int intervalMs);
    /// How long logging out waits before asking the server again to revoke the token, after a
    /// network error or a 5xx; doubled for each further attempt.
    int logoutRetryDelayMs() const { return m_logoutRetryDelayMs; }
    void setLogoutRetryDelayMs(int delayMs) { m_logoutRetryDelayMs = delayMs; }
    /// How many times logging out asks the server in all before telling the operator it could not.
    static constexpr int kLogoutAttempts = 4;

    Q_INVOKABLE void logIn(const QString &email, const QString &password);
    Q_INVOKABLE void registerOperator(const QString &email, const QString &password, const QString &confirmation);
    Q_INVOKABLE void logOut();
    /// The operator did something (the application's input events call it): the token may be refreshed.
    void noteActivity();

Q_SIGNALS:
    void clientChanged();
    void loggedInChanged();
    void busyChanged();
    void errorChanged();
    void noticeChanged();
    void checkIntervalMsChanged();
    /// The revocation asked for by logOut() has ended: `revoked` is false when the server could
    /// not be told (noticeText then says so, while the operator is still on the login page).
    void logoutFinished(bool revoked, int attempts);
    /// The server stopped accepting the token (it expired or was revoked elsewhere) and the session
    /// has ended with the `session_expired` notice; not emitted when the operator logs out.
    void expired();

private:
    void authenticate(const QString &path, const QString &email, const QString &password);
    bool checkInput(const QString &email, const QString &password);
    void end(const QString &notice);
    void start(const QJsonObject &answer);
    void refresh();
    void revoke(const QString &token, const QDateTime &expiresAt, int attempt);
    void revocationFailed(const QDateTime &expiresAt, int attempts);
    void setBusy(bool busy);
    void setError(const QString &type);
    void setNotice(const QString &type);

    QPointer<ApiClient> m_client;
    QString m_email;
    QString m_userId;
    QString m_role;
    QDateTime m_expiresAt;
    int m_logoutRetryDelayMs = 1000;
    QDateTime m_unrevokedUntil; ///< for the notice after a logout the server never heard of
    bool m_busy = false;
    QString m_errorType;
    QString m_notice;
    QTimer m_check;
    QTimer m_refresh; ///< at two thirds of the token's life
    QDateTime m_activeAt; ///< the operator's last input
    QDateTime m_refreshedAt; ///< when the token in use was issued to us
    bool m_refreshDue = false; ///< the refresh time came while the operator was away
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace Switchboard::Gui
