#pragma once

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

/// The status callbacks of the fake Twilio: each is posted form-encoded, with an
/// X-Twilio-Signature computed here from Twilio's documented rule (HMAC-SHA1 under the Auth
/// Token of the URL Twilio was given followed by every parameter's name and value, sorted by
/// name), to a test's server instead of the public URL it names.
class FakeTwilioCallbacks : public QObject
{
    Q_OBJECT
public:
    using Parameters = QList<std::pair<QString, QString>>;

    struct Delivery
    {
        QString url; ///< as Twilio was given it, and signed it
        Parameters parameters;
        int status = 0; ///< the server's answer; 0 until it came
    };

    explicit FakeTwilioCallbacks(QByteArray authToken, QObject *parent = nullptr);

    /// Where callbacks go (scheme, host and port; the path is the callback URL's). Empty: none are sent.
    void setServer(const QUrl &server);
    bool enabled() const { return m_server.isValid(); }

    /// Posts `parameters` as Twilio would post them to `url`.
    void post(const QString &url, const Parameters &parameters);
    const QList<Delivery> &deliveries() const { return m_deliveries; }
    /// The deliveries whose CallSid is `sid`.
    QList<Delivery> deliveriesFor(const QString &sid) const;

    static QByteArray sign(const QByteArray &authToken, const QString &url, Parameters parameters);

private:
    QByteArray m_authToken;
    QUrl m_server;
    QNetworkAccessManager m_network;
    QList<Delivery> m_deliveries;
};
