#pragma once

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace Switchboard::Gui {

/// What one API exchange produced. `errorType` is the API's `error` field, or
/// `server_unreachable` when no HTTP answer came at all.
struct ApiReply
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
    QString errorType;

    bool ok() const { return status >= 200 && status < 300; }
};

/// The GUI's client of the REST API: the same HTTP on loopback that external clients use.
/// It carries the operator's token and tells when the server stops accepting it.
class ApiClient : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QUrl baseUrl READ baseUrl WRITE setBaseUrl NOTIFY baseUrlChanged)
    Q_PROPERTY(QString token READ token NOTIFY tokenChanged)

public:
    using Handler = std::function<void(const ApiReply &)>;

    explicit ApiClient(QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &baseUrl);
    QString token() const { return m_token; }
    void setToken(const QString &token);

    /// Sends a request; `handler` runs on completion unless `context` is gone by then.
    /// An empty `body` sends no body.
    void send(const QByteArray &method, const QString &pathAndQuery, const QJsonObject &body, QObject *context,
              Handler handler);
    /// Sends `body` as it is, with `contentType` (a file to import, say).
    void sendBytes(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                   const QByteArray &contentType, QObject *context, Handler handler);
    void get(const QString &pathAndQuery, QObject *context, Handler handler)
    {
        send("GET", pathAndQuery, {}, context, std::move(handler));
    }
    /// Sends a request without a body that carries `token` rather than the current one: for a
    /// session that has already ended here (its revocation, retried after logging out).
    /// As with send(), a 401 means unauthorized() only while `token` is the current one.
    void sendWithToken(const QString &token, const QByteArray &method, const QString &pathAndQuery, QObject *context,
                       Handler handler);

    /// Opens a response read as it arrives (the event stream), with the current token and
    /// `headers`; it is aborted when no byte came for `idleTimeoutMs`. The caller reads it and
    /// deletes it. A 401 to the token still in use means unauthorized(), as for send().
    QNetworkReply *openStream(const QString &pathAndQuery, const QList<std::pair<QByteArray, QByteArray>> &headers,
                           int idleTimeoutMs);

Q_SIGNALS:
    void baseUrlChanged();
    void tokenChanged();
    /// A request that carried the token was answered 401: it expired or was revoked.
    void unauthorized();

private:
    QNetworkRequest requestFor(const QString &pathAndQuery, const QString &token) const;
    bool expires(int status, const QString &sentToken) const;
    void start(const QByteArray &method, const QString &pathAndQuery, const QByteArray &payload,
               const QByteArray &contentType, const QString &token, QObject *context, Handler handler);

    QUrl m_baseUrl;
    QString m_token;
    QNetworkAccessManager m_network;
};

} // namespace Switchboard::Gui
