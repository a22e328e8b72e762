#include "twilioclient.h"

#include "core/logging.h"

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

std::optional<TwilioCallResource> parseCall(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QString sid = json.value(u"sid"_s).toString();
    if (sid.isEmpty())
        return std::nullopt;
    TwilioCallResource call{sid, json.value(u"status"_s).toString(), std::nullopt};
    // Twilio writes the duration as a string ("42"), and null while the call is live.
    bool ok = false;
    const int duration = json.value(u"duration"_s).toVariant().toString().toInt(&ok);
    if (ok && duration >= 0)
        call.durationSeconds = duration;
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
    start("POST", callsUrl(), encodeForm(form), m_policy, std::move(done));
}

void TwilioClient::updateCall(const QString &callSid, const QString &status, Done done)
{
    // Ending a call twice is harmless at Twilio, so an update is retried like a create.
    start("POST", callsUrl(callSid), encodeForm({{u"Status"_s, status}}), m_policy, std::move(done));
}

void TwilioClient::fetchCall(const QString &callSid, Done done)
{
    start("GET", callsUrl(callSid), {}, TwilioRetryPolicy::once(m_policy.attemptTimeoutMs), std::move(done));
}

void TwilioClient::start(QByteArray method, QUrl url, QByteArray body, TwilioRetryPolicy policy, Done done)
{
    auto operation = std::make_shared<Operation>();
    operation->method = std::move(method);
    operation->url = std::move(url);
    operation->body = std::move(body);
    operation->policy = policy;
    operation->done = std::move(done);
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
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        reply = m_network.post(request, operation->body);
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
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // An aborted reply is closed: reading it would only warn.
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        if (status >= 200 && status < 300) {
            if (std::optional<TwilioCallResource> call = parseCall(body))
                return finish(operation, {call, {}, operation->attempts});
            TwilioError malformed{TwilioError::Kind::Other, status, 0, u"the answer is not a Call resource"_s};
            return finish(operation, {std::nullopt, malformed, operation->attempts});
        }

        TwilioError error;
        if (status > 0) {
            error = TwilioError::fromResponse(status, body);
        } else {
            error.kind = TwilioError::Kind::Transient;
            error.message = *timedOut ? u"no answer within %1 ms"_s.arg(timeoutMs) : reply->errorString();
        }
        const TwilioRetryPolicy &policy = operation->policy;
        if (error.kind == TwilioError::Kind::Transient && operation->attempts < policy.maxAttempts) {
            const int pause = policy.backoffMs(operation->attempts + 1);
            if (operation->clock.elapsed() + pause + kMinAttemptMs <= policy.budgetMs) {
                qCWarning(lcVoip).noquote() << "Twilio" << operation->method << operation->url.path() << "attempt"
                                            << operation->attempts << "failed (" + error.describe() + "), retrying in"
                                            << pause << "ms";
                QTimer::singleShot(pause, this, [this, operation]() { attempt(operation); });
                return;
            }
        }
        finish(operation, {std::nullopt, error, operation->attempts});
    });
}

void TwilioClient::finish(const std::shared_ptr<Operation> &operation, TwilioOutcome outcome)
{
    Done done = std::move(operation->done);
    done(outcome);
}

} // namespace Switchboard
