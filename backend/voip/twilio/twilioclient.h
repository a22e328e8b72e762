#pragma once

#include "twilioerror.h"
#include "twilioretrypolicy.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace Switchboard {

/// The fields of a Twilio Call resource that Switchboard uses.
struct TwilioCallResource
{
    QString sid;
    QString status;
    QString to;
    QString from;
    QString parentCallSid; ///< set on a leg that a <Dial> created
    QDateTime dateCreated; ///< Twilio's clock, second precision
    std::optional<int> durationSeconds; ///< Twilio's `duration`, null while the call is live
    int queueTimeMs = 0; ///< Twilio's estimate of how long the call waits before it is placed
};

/// How a request to Twilio ended: the resource (or page of resources), or the last error after
/// every attempt.
struct TwilioOutcome
{
    std::optional<TwilioError> error; ///< empty on success
    std::optional<TwilioCallResource> call; ///< create, update, fetch
    QList<TwilioCallResource> calls; ///< list
    QDateTime twilioTime; ///< the answer's Date header: Twilio's clock when it answered
    int attempts = 0;

    bool ok() const { return !error; }
};

/// The Calls resource of Twilio's REST API (2010-04-01): create, update, fetch, list.
///
/// Requests go through a QNetworkAccessManager on the owner's thread and complete through the
/// event loop, so that nothing else waits meanwhile. Form bodies are encoded here rather than by
/// QUrlQuery, which leaves `+` as is — in a form body that is a space, and `+4930…` would reach
/// Twilio as ` 4930…`.
class TwilioClient : public QObject
{
    Q_OBJECT
public:
    using Form = QList<std::pair<QString, QString>>;
    using Done = std::function<void(const TwilioOutcome &)>;

    struct Account
    {
        QUrl baseUrl; ///< e.g. https://api.twilio.com
        QString accountSid;
        QString username; ///< the API key SID, or the Account SID with the Auth Token
        QString password; ///< the API key secret, or the Auth Token
    };

    TwilioClient(Account account, TwilioRetryPolicy policy, QObject *parent = nullptr);

    /// POST /2010-04-01/Accounts/{AccountSid}/Calls.json. Repeated only when throttled: after a
    /// 5xx or no answer, Twilio may have placed the call, and the outcome says Unanswered.
    void createCall(const Form &form, Done done);
    /// POST …/Calls/{CallSid}.json with `Status` (canceled or completed); ending a call twice is
    /// harmless, so every transient failure is repeated.
    void endCall(const QString &callSid, const QString &status, Done done);
    /// POST …/Calls/{CallSid}.json with `Twiml`: the call carries on with these instructions.
    /// Repeated only when throttled (a repeat would restart what the TwiML does).
    void redirectCall(const QString &callSid, const QString &twiml, Done done);
    /// GET …/Calls/{CallSid}.json, tried once
    void fetchCall(const QString &callSid, Done done);
    /// GET …/Calls.json with filters (To, From, ParentCallSid, PageSize, …): the first page, tried once
    void listCalls(const Form &filters, Done done);

    static QByteArray encodeForm(const Form &form);

private:
    enum class Answer { Call, CallList };

    struct Operation
    {
        QByteArray method;
        QUrl url;
        QByteArray body;
        Answer answer = Answer::Call;
        TwilioRetryPolicy policy;
        Done done;
        QElapsedTimer clock;
        int attempts = 0;
    };

    QUrl callsUrl(const QString &callSid = {}) const;
    void start(std::shared_ptr<Operation> operation);
    void attempt(const std::shared_ptr<Operation> &operation);
    void onReply(const std::shared_ptr<Operation> &operation, QNetworkReply *reply, bool timedOut, int timeoutMs);
    bool retry(const std::shared_ptr<Operation> &operation, const TwilioError &error);
    void finish(const std::shared_ptr<Operation> &operation, TwilioOutcome outcome);

    Account m_account;
    QByteArray m_authorization;
    TwilioRetryPolicy m_policy;
    QNetworkAccessManager m_network;
};

} // namespace Switchboard
