#include "apiclient.h"

#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

ApiClient::ApiClient(QObject *parent) : QObject(parent)
{
    // The backend is on loopback: a system proxy must never see the operator's token.
    m_network.setProxy(QNetworkProxy::NoProxy);
}

void ApiClient::setBaseUrl(const QUrl &baseUrl)
{
    if (m_baseUrl == baseUrl)
        return;
    m_baseUrl = baseUrl;
    Q_EMIT baseUrlChanged();
}

void ApiClient::setToken(const QString &token)
{
    if (m_token == token)
        return;
    m_token = token;
    Q_EMIT tokenChanged();
}

void ApiClient::send(const QByteArray &method, const QString &pathAndQuery, const QJsonObject &body, QObject *context,
                     Handler handler)
{
    if (body.isEmpty())
        return sendBytes(method, pathAndQuery, {}, {}, context, std::move(handler));
    sendBytes(method, pathAndQuery, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", context,
              std::move(handler));
}

void ApiClient::sendBytes(const QByteArray &method, const QString &pathAndQuery, const QByteArray &payload,
                          const QByteArray &contentType, QObject *context, Handler handler)
{
    start(method, pathAndQuery, payload, contentType, m_token, context, std::move(handler));
}

void ApiClient::sendWithToken(const QString &token, const QByteArray &method, const QString &pathAndQuery,
                              QObject *context, Handler handler)
{
    start(method, pathAndQuery, {}, {}, token, context, std::move(handler));
}

QNetworkRequest ApiClient::requestFor(const QString &pathAndQuery, const QString &token) const
{
    QNetworkRequest request(m_baseUrl.resolved(QUrl(pathAndQuery)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

bool ApiClient::expires(int status, const QString &sentToken) const
{
    // Only the token still in use can expire: an answer to an older one changes nothing.
    return status == 401 && !sentToken.isEmpty() && sentToken == m_token;
}

QNetworkReply *ApiClient::openStream(const QString &pathAndQuery, const QList<std::pair<QByteArray, QByteArray>> &headers,
                           int idleTimeoutMs)
{
    QNetworkRequest streamRequest = requestFor(pathAndQuery, m_token);
    streamRequest.setTransferTimeout(idleTimeoutMs);
    for (const auto &[name, value] : headers)
        streamRequest.setRawHeader(name, value);
    QNetworkReply *reply = m_network.get(streamRequest);
    connect(reply, &QNetworkReply::finished, this, [this, reply, sentToken = m_token] {
        if (expires(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), sentToken))
            Q_EMIT unauthorized();
    });
    return reply;
}

void ApiClient::start(const QByteArray &method, const QString &pathAndQuery, const QByteArray &payload,
                      const QByteArray &contentType, const QString &sentToken, QObject *context, Handler handler)
{
    QNetworkRequest request = requestFor(pathAndQuery, sentToken);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, payload);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [this, reply, guard, handler = std::move(handler), sentToken] {
        reply->deleteLater();
        ApiReply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.json = QJsonDocument::fromJson(result.body).object();
        if (result.status == 0)
            result.errorType = u"server_unreachable"_s;
        else if (!result.ok())
            result.errorType = result.json.value(u"error"_s).toString(u"internal_error"_s);
        const bool expired = expires(result.status, sentToken);
        if (guard)
            handler(result);
        if (expired)
            Q_EMIT unauthorized();
    });
}

} // namespace Switchboard::Gui
