#include "httpclient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpResult::isErrorFormat() const
{
    return json.size() == 2 && json.value(u"error"_s).isString() && !json.value(u"error"_s).toString().isEmpty()
        && json.value(u"message"_s).isString() && !json.value(u"message"_s).toString().isEmpty()
        && header("Content-Type").startsWith("application/json");
}

HttpClient::HttpClient(const QUrl &baseUrl) : m_baseUrl(baseUrl) {}

QNetworkReply *HttpClient::start(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                                 const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(m_baseUrl.resolved(QUrl(pathAndQuery)));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_manager.sendCustomRequest(request, method, body);
}

HttpResult HttpClient::finish(QNetworkReply *reply, int timeoutMs)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(timeoutMs)) {
            reply->abort();
            reply->deleteLater();
            return {};
        }
    }
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.networkError = reply->error();
    const QJsonDocument document = QJsonDocument::fromJson(result.body);
    if (document.isObject())
        result.json = document.object();
    reply->deleteLater();
    return result;
}

HttpResult HttpClient::send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                            const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return finish(start(method, pathAndQuery, body, headers));
}

HttpResult HttpClient::get(const QString &pathAndQuery)
{
    return send("GET", pathAndQuery);
}

HttpResult HttpClient::post(const QString &path, const QJsonObject &body)
{
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QString HttpClient::uniqueEmail(const QString &prefix)
{
    return u"%1-%2@example.com"_s.arg(prefix, QUuid::createUuid().toString(QUuid::Id128).left(12));
}

QString HttpClient::registerUser(const QString &emailPrefix)
{
    const QString email = uniqueEmail(emailPrefix);
    const QJsonObject credentials{{u"email"_s, email}, {u"password"_s, u"correct horse battery"_s}};
    HttpResult result = post(u"/api/auth/register"_s, credentials);
    // Many operators registering at once fill the password hasher: a client waits as Retry-After
    // (one second) says, as a real one would.
    for (int retry = 0; result.status == 503 && result.json.value(u"error"_s).toString() == u"server_busy"_s && retry < 60; ++retry) {
        QTest::qWait(250);
        result = post(u"/api/auth/register"_s, credentials);
    }
    if (result.status != 201)
        qWarning("register failed: %d %s", result.status, result.body.constData());
    m_token = result.json.value(u"token"_s).toString();
    return result.json.value(u"user"_s).toObject().value(u"id"_s).toString();
}
