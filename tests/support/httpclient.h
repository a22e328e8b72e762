#pragma once

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

/// What an HTTP exchange produced, for assertions.
struct HttpResult
{
    int status = 0; ///< 0 when no HTTP answer came
    QByteArray body;
    QJsonObject json; ///< the body, when it is a JSON object
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;

    QByteArray header(const QByteArray &name) const;
    QString errorType() const { return json.value(QStringLiteral("error")).toString(); }
    /// True when the body is the API's error format: exactly `error` and `message`, both strings.
    bool isErrorFormat() const;
};

/// A real HTTP client (QNetworkAccessManager) for the API, with an optional bearer token.
class HttpClient
{
public:
    explicit HttpClient(const QUrl &baseUrl);

    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }

    HttpResult get(const QString &pathAndQuery);
    HttpResult post(const QString &path, const QJsonObject &body);
    HttpResult send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                    const QList<std::pair<QByteArray, QByteArray>> &headers = {});

    /// Starts a request without waiting, for tests that overlap requests.
    QNetworkReply *start(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                         const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    /// Waits for `reply` (spinning the event loop) and reads it.
    static HttpResult finish(QNetworkReply *reply, int timeoutMs = 15000);

    /// `prefix-<random>@example.com`: an email no other test uses.
    static QString uniqueEmail(const QString &prefix = QStringLiteral("operator"));

    /// Registers a new user with a unique email and keeps its token; returns the user id.
    QString registerUser(const QString &emailPrefix = QStringLiteral("operator"));

private:
    QUrl m_baseUrl;
    QString m_token;
    QNetworkAccessManager m_manager;
};
