#include "faketwiliocallbacks.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

FakeTwilioCallbacks::FakeTwilioCallbacks(QByteArray authToken, QObject *parent)
    : QObject(parent), m_authToken(std::move(authToken)), m_network(this)
{
}

void FakeTwilioCallbacks::setServer(const QUrl &server)
{
    m_server = server;
}

QByteArray FakeTwilioCallbacks::sign(const QByteArray &authToken, const QString &url, Parameters parameters)
{
    std::sort(parameters.begin(), parameters.end());
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : parameters)
        data += name.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, authToken, QCryptographicHash::Sha1).toBase64();
}

void FakeTwilioCallbacks::post(const QString &url, const Parameters &parameters)
{
    if (!enabled())
        return;
    QUrl target = m_server;
    const QUrl given(url);
    target.setPath(given.path());
    target.setQuery(given.query());
    QNetworkRequest request(target);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
    request.setRawHeader("X-Twilio-Signature", sign(m_authToken, url, parameters));
    request.setRawHeader("I-Twilio-Idempotency-Token", QByteArray::number(m_deliveries.size()));
    QByteArrayList pairs;
    for (const auto &[name, value] : parameters)
        pairs.append(QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value));

    const qsizetype index = m_deliveries.size();
    m_deliveries.append({url, parameters, 0});
    QNetworkReply *reply = m_network.post(request, pairs.join('&'));
    connect(reply, &QNetworkReply::finished, this, [this, reply, index]() {
        reply->deleteLater();
        m_deliveries[index].status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    });
}

QList<FakeTwilioCallbacks::Delivery> FakeTwilioCallbacks::deliveriesFor(const QString &sid) const
{
    QList<Delivery> found;
    for (const Delivery &delivery : m_deliveries) {
        for (const auto &[name, value] : delivery.parameters) {
            if (name == u"CallSid"_s && value == sid)
                found.append(delivery);
        }
    }
    return found;
}
