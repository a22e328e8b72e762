#include "twilioclient.h"

#include "core/logging.h"
#include "oneshotbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// An attempt that could only get this little of the budget is not worth starting.
constexpr int kMinAttemptMs = 100;

/// Twilio writes numbers in its resources as strings ("42"), and null while unknown.
std::optional<int> wholeNumber(const QJsonValue &value)
{
    bool ok = false;
    const int number = value.toVariant().toString().toInt(&ok);
    return ok && number >= 0 ? std::optional<int>(number) : std::nullopt;
}

/// Twilio's resources say "Tue, 31 Aug 2010 20:36:28 +0000"; HTTP's Date header ends in GMT,
/// which Qt's RFC 2822 parser does not take.
QDateTime parseRfc2822(QString text)
{
    if (text.endsWith(u" GMT"_s))
        text = text.chopped(4) + u" +0000"_s;
    return QDateTime::fromString(text, Qt::RFC2822Date);
}

std::optional<TwilioCallResource> parseCall(const QJsonObject &json)
{
    const QString sid = json.value(u"sid"_s).toString();
    if (sid.isEmpty())
        return std::nullopt;
    TwilioCallResource call;
    call.sid = sid;
    call.status = json.value(u"status"_s).toString();
    call.to = json.value(u"to"_s).toString();
    call.from = json.value(u"from"_s).toString();
    call.parentCallSid = json.value(u"parent_call_sid"_s).toString();
    call.dateCreated = parseRfc2822(json.value(u"date_created"_s).toString());
    call.durationSeconds = wholeNumber(json.value(u"duration"_s));
    call.queueTimeMs = wholeNumber(json.value(u"queue_time"_s)).value_or(0);
    return call;
}

} // namespace

TwilioClient::TwilioClient(Account account, TwilioRetryPolicy policy, QObject *parent)
    : QObject(parent), m_account(std::move(account)), m_policy(policy), m_network(this)
{
    m_authorization = "Basic " + (m_account.username + u':' + m_account.password).toUtf8().toBase64();
}

QByteArray TwilioClient::encodeForm(const Form &form)
{
    QByteArrayList pairs;
    for (const auto &[name, value] : form)
        pairs.append(QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value));
    return pairs.join('&');
}

QUrl TwilioClient::callsUrl(const QString &callSid) const
{
    QUrl url = m_account.baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    path += u"/2010-04-01/Accounts/"_s + m_account.accountSid
        + (callSid.isEmpty() ? u"/Calls.json"_s : u"/Calls/"_s + callSid + u".json"_s);
    url.setPath(path);
    return url;
}

void TwilioClient::createCall(const Form &form, Done done)
{
    start(std::make_shared<Operation>(
        Operation{"POST", callsUrl(), encodeForm(form), Answer::Call, m_policy.onlyThrottled(), std::move(done), {}, 0}));
}

void TwilioClient::endCall(const QString &callSid, const QString &status, Done done)
{
    start(std::make_shared<Operation>(Operation{"POST", callsUrl(callSid), encodeForm({{u"Status"_s, status}}),
                                                Answer::Call, m_policy, std::move(done), {}, 0}));
}

void TwilioClient::redirectCall(const QString &callSid, const QString &twiml, Done done)
{
    start(std::make_shared<Operation>(Operation{"POST", callsUrl(callSid), encodeForm({{u"Twiml"_s, twiml}}),
                                                Answer::Call, m_policy.onlyThrottled(), std::move(done), {}, 0}));
}

void TwilioClient::fetchCall(const QString &callSid, Done done)
{
    start(std::make_shared<Operation>(Operation{"GET", callsUrl(callSid), {}, Answer::Call,
                                                TwilioRetryPolicy::once(m_policy.attemptTimeoutMs), std::move(done), {}, 0}));
}

void TwilioClient::listCalls(const Form &filters, Done done)
{
    QUrl url = callsUrl();
    // Percent-encoded by hand for the same reason as form bodies: a + must stay a +.
    url.setQuery(QString::fromLatin1(encodeForm(filters)), QUrl::StrictMode);
    start(std::make_shared<Operation>(Operation{"GET", url, {}, Answer::CallList,
                                                TwilioRetryPolicy::once(m_policy.attemptTimeoutMs), std::move(done), {}, 0}));
}

void TwilioClient::start(std::shared_ptr<Operation> operation)
{
    operation->clock.start();
    attempt(operation);
}

void TwilioClient::attempt(const std::shared_ptr<Operation> &operation)
{
    ++operation->attempts;
    QNetworkRequest request(operation->url);
    request.setRawHeader("Authorization", m_authorization);
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = nullptr;
    if (operation->method == "GET") {
        reply = m_network.get(request);
    } else if (operation->policy.retryUnanswered) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        reply = m_network.post(request, operation->body);
    } else {
        // Must not reach Twilio twice: not even through Qt's own silent repeat (OneShotBody).
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        request.setHeader(QNetworkRequest::ContentLengthHeader, operation->body.size());
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *body = new OneShotBody(operation->body);
        reply = m_network.post(request, body);
        body->setParent(reply);
    }

    // Our own deadline rather than QNetworkRequest's transfer timeout, which restarts whenever a
    // byte arrives: a server that answers slowly must not stretch the operator's wait.
    const int remaining = int(operation->policy.budgetMs - operation->clock.elapsed());
    const int timeoutMs = qMax(kMinAttemptMs, qMin(operation->policy.attemptTimeoutMs, remaining));
    auto timedOut = std::make_shared<bool>(false);
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, timedOut]() {
        *timedOut = true;
        reply->abort();
    });
    deadline->start(timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, operation, reply, timedOut, timeoutMs]() {
        onReply(operation, reply, *timedOut, timeoutMs);
    });
}

void TwilioClient::onReply(const std::shared_ptr<Operation> &operation, QNetworkReply *reply, bool timedOut,
                           int timeoutMs)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply is closed: reading it would only warn.
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    TwilioOutcome outcome;
    outcome.attempts = operation->attempts;
    outcome.twilioTime = parseRfc2822(QString::fromLatin1(reply->rawHeader("Date")));
    if (status >= 200 && status < 300) {
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        if (operation->answer == Answer::CallList) {
            for (const QJsonValue &item : json.value(u"calls"_s).toArray()) {
                if (std::optional<TwilioCallResource> call = parseCall(item.toObject()))
                    outcome.calls.append(*call);
            }
        } else {
            outcome.call = parseCall(json);
        }
        if (operation->answer == Answer::CallList ? !json.value(u"calls"_s).isArray() : !outcome.call)
            outcome.error = TwilioError{TwilioError::Kind::Other, status, 0, u"the answer is not what Twilio sends"_s};
        return finish(operation, outcome);
    }

    const TwilioError error = status > 0 ? TwilioError::fromResponse(status, body)
                                         : TwilioError::unanswered(timedOut ? u"no answer within %1 ms"_s.arg(timeoutMs)
                                                                            : reply->errorString());
    if (retry(operation, error))
        return;
    outcome.error = error;
    finish(operation, outcome);
}

bool TwilioClient::retry(const std::shared_ptr<Operation> &operation, const TwilioError &error)
{
    const TwilioRetryPolicy &policy = operation->policy;
    const bool repeatable = error.kind == TwilioError::Kind::Throttled
        || (error.kind == TwilioError::Kind::Unanswered && policy.retryUnanswered);
    if (!repeatable || operation->attempts >= policy.maxAttempts)
        return false;
    const int pause = policy.backoffMs(operation->attempts + 1);
    if (operation->clock.elapsed() + pause + kMinAttemptMs > policy.budgetMs)
        return false;
    qCWarning(lcVoip).noquote() << "Twilio" << operation->method << operation->url.path() << "attempt"
                                << operation->attempts << "failed (" + error.describe() + "), retrying in" << pause
                                << "ms";
    QTimer::singleShot(pause, this, [this, operation]() { attempt(operation); });
    return true;
}

void TwilioClient::finish(const std::shared_ptr<Operation> &operation, TwilioOutcome outcome)
{
    Done done = std::move(operation->done);
    done(outcome);
}

} // namespace Switchboard
