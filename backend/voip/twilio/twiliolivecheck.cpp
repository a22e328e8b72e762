#include "twiliolivecheck.h"

#include "twilioclient.h"
#include "twiliotwiml.h"
#include "twiliovoipservice.h"

#include <QUrl>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const QString kPlaced = u"placed"_s;
const QString kOperatorsFault = u"400 validation_error"_s;
const QString kProvidersFault = u"503 call_initiation_failed"_s;

// Twilio's magic numbers for test calls.
const QString kValidFrom = u"+15005550006"_s;
const QString kInvalidFrom = u"+15005550001"_s;
const QString kAnyTo = u"+14155550199"_s;

QString switchboardAnswer(const TwilioError &error)
{
    return error.toInitiateError(kAnyTo).code == ErrorCode::Validation ? kOperatorsFault : kProvidersFault;
}

} // namespace

TwilioLiveCheck::TwilioLiveCheck(Settings settings, QObject *parent) : QObject(parent), m_settings(std::move(settings))
{
}

QList<TwilioLiveCheck::Case> TwilioLiveCheck::documentedCases()
{
    return {
        {u"a valid call, with Switchboard's TwiML and callbacks"_s, kValidFrom, kAnyTo, 0, kPlaced},
        {u"an invalid caller ID"_s, kInvalidFrom, kAnyTo, 21212, kProvidersFault},
        {u"a caller ID that is not the account's"_s, u"+15005550007"_s, kAnyTo, 21210, kProvidersFault},
        {u"an invalid number"_s, kValidFrom, u"+15005550001"_s, 21217, kOperatorsFault},
        {u"a number Twilio cannot route to"_s, kValidFrom, u"+15005550002"_s, 21214, kOperatorsFault},
        {u"a number outside the geographic permissions"_s, kValidFrom, u"+15005550003"_s, 21215, kOperatorsFault},
        {u"a blocked number"_s, kValidFrom, u"+15005550004"_s, 21216, kOperatorsFault},
        {u"a wrong Auth Token"_s, kValidFrom, kAnyTo, 20003, kProvidersFault, true},
    };
}

void TwilioLiveCheck::run(std::function<void(const QList<Result> &)> done)
{
    runFrom(0, std::make_shared<QList<Result>>(), std::move(done));
}

void TwilioLiveCheck::runFrom(qsizetype index, std::shared_ptr<QList<Result>> results,
                              std::function<void(const QList<Result> &)> done)
{
    const QList<Case> cases = documentedCases();
    if (index == cases.size())
        return done(*results);
    const Case &next = cases[index];
    const QString token = next.wrongToken ? QString(32, u'0') : m_settings.testAuthToken;
    auto *client = new TwilioClient({QUrl(m_settings.apiBaseUrl), m_settings.testAccountSid, m_settings.testAccountSid,
                                     token},
                                    TwilioRetryPolicy{}, this);
    const QString callback = TwilioVoipService::statusCallbackUrlFor(m_settings.publicBaseUrl);
    TwilioClient::Form form{{u"To"_s, next.to},
                            {u"From"_s, next.from},
                            {u"Twiml"_s, TwilioTwiml::dialOperator({u"operator_check"_s, u"check-twilio"_s, 15, callback,
                                                                    u"Switchboard's check."_s})},
                            {u"Timeout"_s, u"15"_s}};
    if (!callback.isEmpty()) {
        form.append({u"StatusCallback"_s, callback});
        for (const QString &event : {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s})
            form.append({u"StatusCallbackEvent"_s, event});
    }
    client->createCall(form, [this, index, results, done, next, client](const TwilioOutcome &outcome) {
        client->deleteLater();
        Result result{next, 0, kPlaced, {}, false};
        if (outcome.ok()) {
            result.seen = u"call %1, %2"_s.arg(outcome.call->sid, outcome.call->status);
        } else {
            result.twilioCode = outcome.error->code;
            result.switchboard = outcome.error->kind == TwilioError::Kind::Unanswered ? u"no answer"_s
                                                                                      : switchboardAnswer(*outcome.error);
            result.seen = outcome.error->describe();
        }
        result.passed = result.twilioCode == next.twilioCode && result.switchboard == next.switchboard;
        results->append(result);
        runFrom(index + 1, results, done);
    });
}

bool TwilioLiveCheck::passed(const QList<Result> &results)
{
    return !results.isEmpty()
        && std::all_of(results.cbegin(), results.cend(), [](const Result &result) { return result.passed; });
}

QString TwilioLiveCheck::report(const QList<Result> &results)
{
    QString text;
    for (const Result &result : results) {
        text += u"%1 %2: expected %3 (%4), got %5 — %6\n"_s.arg(
            result.passed ? u"ok  "_s : u"FAIL"_s, result.expected.what,
            result.expected.twilioCode ? u"Twilio error %1"_s.arg(result.expected.twilioCode) : u"a call"_s,
            result.expected.switchboard, result.switchboard, result.seen);
    }
    text += passed(results) ? u"Twilio answers as documented, and Switchboard reads every answer right.\n"_s
                   : u"Twilio did not answer as documented: see the lines marked FAIL.\n"_s;
    return text;
}

} // namespace Switchboard
