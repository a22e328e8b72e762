#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <deque>
#include <optional>

class QTcpSocket;

/// Twilio's Calls REST API (2010-04-01) on a loopback port, as its documentation describes it:
/// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json` creates a call (form-encoded To, From,
/// Twiml or Url; 201 with the Call resource, status `queued`), `POST …/Calls/{CallSid}.json` with
/// `Status=canceled|completed` updates one, `GET …/Calls/{CallSid}.json` fetches one; HTTP basic
/// auth with the Account SID or an API key; errors as `{code, message, more_info, status}`.
///
/// Plain HTTP/1.1 over a QTcpServer, so that a test can also make it fail, throttle or never
/// answer. Everything it received is kept for assertions.
class FakeTwilio : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kAccountSid = "AC0123456789abcdef0123456789abcdef";
    static constexpr const char *kAuthToken = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static constexpr const char *kApiKey = "SK0123456789abcdef0123456789abcdef";
    static constexpr const char *kApiSecret = "s3cretS3cretS3cretS3cretS3cret00";
    static constexpr const char *kFromNumber = "+14155550100";

    struct Request
    {
        QByteArray method;
        QString path;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QList<std::pair<QString, QString>> form; ///< the body, decoded, every pair in order

        QByteArray header(QByteArrayView name) const;
        QString formValue(const QString &name) const;
        QStringList formValues(const QString &name) const;
        QStringList formNames() const;
    };

    struct Call
    {
        QString sid;
        QString to;
        QString from;
        QString status = QStringLiteral("queued");
        std::optional<int> durationSeconds;
    };

    /// Accepts the Account SID with the Auth Token, or the API key with its secret.
    explicit FakeTwilio(QObject *parent = nullptr);
    bool listen();
    QUrl baseUrl() const;

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requests(const QByteArray &method) const;
    std::optional<Call> call(const QString &sid) const;
    QStringList callSids() const { return m_order; }
    /// What the far end did: a status such as ringing, in-progress or completed.
    void setCallStatus(const QString &sid, const QString &status, std::optional<int> durationSeconds = std::nullopt);

    /// The next `times` requests are answered with this Twilio error instead.
    void failNext(int httpStatus, int code, const QString &message, int times = 1);
    /// The next `times` requests are read and never answered.
    void hangNext(int times = 1);
    /// The next `times` requests are read, then the connection is closed without an answer.
    void dropNext(int times = 1);

private:
    struct Scripted
    {
        int status = 0; ///< 0: never answer; -1: close the connection
        int code = 0;
        QString message;
    };
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, Request request);
    void answer(QTcpSocket *socket, int status, const QByteArray &body);
    void answerError(QTcpSocket *socket, int status, int code, const QString &message);
    QByteArray callJson(const Call &call) const;

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    QHash<QString, Call> m_calls;
    QStringList m_order;
    std::deque<Scripted> m_script;
};
