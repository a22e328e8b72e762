#pragma once

#include "twilioerror.h"
#include "twilioretrypolicy.h"

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
    std::optional<int> durationSeconds; ///< Twilio's `duration`, null while the call is live
};

/// How a request to Twilio ended: the call resource, or the last error after every attempt.
struct TwilioOutcome
{
    std::optional<TwilioCallResource> call;
    TwilioError error; ///< meaningful when `call` is empty
    int attempts = 0;
};

/// The Calls resource of Twilio's REST API (2010-04-01): create, update, fetch.
///
/// Requests go through a QNetworkAccessManager on the owner's thread and complete through the
/// event loop, so the HTTP server on the same thread keeps serving meanwhile. Form bodies are
/// encoded here rather than by QUrlQuery, which leaves `+` as is — in a form body that is a
/// space, and `+4930…` would reach Twilio as ` 4930…`.
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

    /// POST /2010-04-01/Accounts/{AccountSid}/Calls.json
    void createCall(const Form &form, Done done);
    /// POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json with `Status`
    void updateCall(const QString &callSid, const QString &status, Done done);
    /// GET /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json, tried once
    void fetchCall(const QString &callSid, Done done);

    static QByteArray encodeForm(const Form &form);

private:
    struct Operation
    {
        QByteArray method;
        QUrl url;
        QByteArray body;
        TwilioRetryPolicy policy;
        Done done;
        QElapsedTimer clock;
        int attempts = 0;
    };

    QUrl callsUrl(const QString &callSid = {}) const;
    void start(QByteArray method, QUrl url, QByteArray body, TwilioRetryPolicy policy, Done done);
    void attempt(const std::shared_ptr<Operation> &operation);
    void finish(const std::shared_ptr<Operation> &operation, TwilioOutcome outcome);

    Account m_account;
    QByteArray m_authorization;
    TwilioRetryPolicy m_policy;
    QNetworkAccessManager m_network;
};

} // namespace Switchboard
