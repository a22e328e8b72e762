#pragma once

#include "faketwiliocallbacks.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <deque>
#include <optional>

class QTcpSocket;

/// Twilio's Calls REST API (2010-04-01) on a loopback port, as its documentation describes it:
/// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json` creates a call (form-encoded To, From,
/// Twiml or Url, Timeout, StatusCallback…; 201 with the Call resource, status `queued`),
/// `POST …/Calls/{CallSid}.json` updates one (`Status=canceled|completed`, or `Twiml` to
/// redirect it), `GET …/Calls/{CallSid}.json` fetches one and `GET …/Calls.json` lists them
/// (filters To, From, ParentCallSid, Status, PageSize; newest first). HTTP basic auth with the
/// Account SID or an API key; errors as `{code, message, more_info, status}`; a Date header on
/// every answer.
///
/// Like Twilio it refuses what Twilio refuses: a To that is not E.164 (21211), a From that is
/// not the account's (21210), a country outside the geographic permissions (21215), an
/// unverified number on a trial account (21219), a Twiml over 4,000 characters (32018), a
/// StatusCallback that is no URL (21609), an unknown StatusCallbackEvent (21626), a redirect of
/// a call that is not in progress (21220). Twilio's test credentials (kTestAccountSid) get the
/// documented magic numbers and may only create calls (20008 for anything else).
///
/// Calls beyond the account's calls per second wait `queued` in a queue whose wait each call's
/// `queue_time` tells. A number given a FarEnd moves by itself once placed — rings, answers
/// (then rings the operator's softphone as its `<Dial><Client>` says), is busy or unanswered,
/// hangs up — and every status is posted as a signed callback to the call's StatusCallback,
/// with Twilio's full parameter set and one parameter Twilio has not invented yet. Other
/// numbers stay where the test puts them (setCallStatus).
///
/// Where Twilio's documentation is silent, the fake answers as follows: a `Status` update to a
/// call that has ended changes nothing and answers 200 with the call as it is; `completed` on a
/// call that is still queued or ringing ends it as `canceled` (the status Twilio documents for a
/// call hung up before it was answered); the operator's leg ends at once as the test scripted
/// it, without waiting for the Dial's timeout.
///
/// Plain HTTP/1.1 over a QTcpServer, so that a test can also make it fail, throttle or never
/// answer — before or after it created the call. Everything it received is kept for assertions.
class FakeTwilio : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kAccountSid = "AC0123456789abcdef0123456789abcdef";
    static constexpr const char *kAuthToken = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static constexpr const char *kApiKey = "SK0123456789abcdef0123456789abcdef";
    static constexpr const char *kApiSecret = "s3cretS3cretS3cretS3cretS3cret00";
    static constexpr const char *kFromNumber = "+14155550100";
    /// Twilio's test credentials: calls are validated and answered, never placed.
    static constexpr const char *kTestAccountSid = "ACfedcba9876543210fedcba9876543210";
    static constexpr const char *kTestAuthToken = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    struct Request
    {
        QByteArray method;
        QString path; ///< without the query
        QString query;
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
        QString parentCallSid;
        QString direction = QStringLiteral("outbound-api");
        QString twiml; ///< what it does once answered; a redirect replaces it
        QString statusCallback;
        QStringList callbackEvents; ///< initiated, ringing, answered, completed
        QDateTime created; ///< on the fake's clock
        QDateTime answeredAt;
        int queueTimeMs = 0;
        int ringSeconds = 60; ///< the create's Timeout
        std::optional<int> durationSeconds;
        int sequence = 0; ///< of its callbacks
    };

    /// What a dialled party does once Twilio places the call to it.
    struct FarEnd
    {
        QString outcome = QStringLiteral("in-progress"); ///< answers; or busy, no-answer, failed
        int ringMs = 50;
        int talkMs = -1; ///< hangs up this long after answering; -1: stays until the call is ended
    };

    /// Accepts the Account SID with the Auth Token, or the API key with its secret.
    explicit FakeTwilio(QObject *parent = nullptr);
    bool listen();
    QUrl baseUrl() const;

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requests(const QByteArray &method) const;
    std::optional<Call> call(const QString &sid) const;
    /// The calls created through the API, oldest first (the legs Twilio dials are not among them).
    QStringList callSids() const { return m_order; }
    /// The legs a call's TwiML dialled, oldest first.
    QStringList legsOf(const QString &parentSid) const;
    /// A call to `to` from `from` as if created through the API — by another client, or late.
    QString addCall(const QString &to, const QString &from);
    /// What the far end did: a status such as ringing, in-progress or completed.
    void setCallStatus(const QString &sid, const QString &status, std::optional<int> durationSeconds = std::nullopt);

    /// Calls to `number` move by themselves as `farEnd` says.
    void setFarEnd(const QString &number, const FarEnd &farEnd);
    /// How the operator's softphone answers the legs `<Dial><Client>` rings: in-progress (takes
    /// it), or no-answer, busy, failed.
    void setOperatorLeg(const QString &outcome);
    void setCallsPerSecond(int callsPerSecond);
    /// Twilio's clock, ahead of (or behind) this machine's.
    void setClockOffset(qint64 offsetMs);
    /// A trial account: only these numbers may be called (21219 for the rest).
    void setTrialAccount(const QStringList &verifiedNumbers);
    /// Numbers starting with one of these are outside the geographic permissions (21215).
    void setBlockedPrefixes(const QStringList &prefixes);
    /// Status callbacks are posted to this server, still signed for the URL Twilio was given.
    void deliverCallbacksTo(const QUrl &server);
    FakeTwilioCallbacks &callbacks() { return m_callbacks; }

    /// The next `times` requests are answered with this Twilio error instead.
    void failNext(int httpStatus, int code, const QString &message, int times = 1);
    /// The next `times` requests are read and never answered.
    void hangNext(int times = 1);
    /// The next `times` requests are read, then the connection is closed without an answer.
    void dropNext(int times = 1);
    /// The next create places the call, then answers this error / never answers / drops the
    /// connection: what a client sees when Twilio's answer is lost on the way.
    void failAfterCreate(int httpStatus, int code, const QString &message);
    void hangAfterCreate();
    void dropAfterCreate();

private:
    struct Scripted
    {
        enum class When { Instead, AfterCreate };
        When when = When::Instead;
        int status = 0; ///< 0: never answer; -1: close the connection
        int code = 0;
        QString message;
    };
    struct Refusal
    {
        int status = 0;
        int code = 0;
        QString message;
    };

    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, Request request);
    bool scripted(QTcpSocket *socket, Scripted::When when);
    void create(QTcpSocket *socket, const Request &request, bool testAccount);
    std::optional<Refusal> refusal(const Request &request, bool testAccount) const;
    std::optional<Refusal> refusalForTestAccount(const Request &request) const;
    void update(QTcpSocket *socket, Call &call, const Request &request);
    void list(QTcpSocket *socket, const Request &request);

    QDateTime now() const;
    void place(const QString &sid);
    void ring(const QString &sid);
    void pickUp(const QString &sid, const QString &outcome);
    void execute(const QString &sid);
    void dialOperator(const QString &parentSid, const QString &twiml);
    void endLegs(const QString &parentSid);
    void moveTo(Call &call, const QString &status);
    void later(int ms, std::function<void()> work);

    void answer(QTcpSocket *socket, int status, const QByteArray &body);
    void answerError(QTcpSocket *socket, int status, int code, const QString &message);
    QJsonObject callJson(const Call &call) const;

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    QHash<QString, Call> m_calls;
    QStringList m_order;
    std::deque<Scripted> m_script;
    QHash<QString, FarEnd> m_farEnds;
    QString m_operatorLeg = QStringLiteral("in-progress");
    int m_callsPerSecond = 1;
    QElapsedTimer m_clock;
    qint64 m_queueFreeAtMs = 0;
    qint64 m_clockOffsetMs = 0;
    std::optional<QStringList> m_trialVerified;
    QStringList m_blockedPrefixes;
    FakeTwilioCallbacks m_callbacks;
};
