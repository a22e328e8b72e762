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

void ApiClient::start(const QByteArray &method, const QString &pathAndQuery, const QByteArray &payload,
                      const QByteArray &contentType, const QString &sentToken, QObject *context, Handler handler)
{
    QNetworkRequest request(m_baseUrl.resolved(QUrl(pathAndQuery)));
    if (!sentToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + sentToken.toUtf8());
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
        // Only the token still in use can expire: an answer to an older one changes nothing.
        const bool expired = result.status == 401 && !sentToken.isEmpty() && sentToken == m_token;
        if (guard)
            handler(result);
        if (expired)
            Q_EMIT unauthorized();
    });
}

} // namespace Switchboard::Gui
