// The pre-flight check of a Twilio account (check-twilio) against the fake Twilio, which answers
// Twilio's test credentials with the documented magic-number outcomes: a Twilio that answers as
// documented passes; one that answers otherwise, or refuses Switchboard's callback URL, fails
// with the case named.

#include "faketwilio.h"
#include "voip/twilio/twiliolivecheck.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_TwilioLiveCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentedTwilio_passes();
    void undocumentedAnswer_fails();
    void refusedCallbackUrl_fails();

private:
    QList<TwilioLiveCheck::Result> run(FakeTwilio &twilio, const QString &publicBaseUrl = {});
};

QList<TwilioLiveCheck::Result> tst_TwilioLiveCheck::run(FakeTwilio &twilio, const QString &publicBaseUrl)
{
    TwilioLiveCheck check({QString::fromLatin1(FakeTwilio::kTestAccountSid), QString::fromLatin1(FakeTwilio::kTestAuthToken),
                           twilio.baseUrl().toString(), publicBaseUrl});
    QList<TwilioLiveCheck::Result> results;
    bool done = false;
    check.run([&](const QList<TwilioLiveCheck::Result> &all) {
        results = all;
        done = true;
    });
    if (!QTest::qWaitFor([&]() { return done; }, 10000))
        qWarning("the check did not finish");
    return results;
}

void tst_TwilioLiveCheck::documentedTwilio_passes()
{
    FakeTwilio twilio;
    QVERIFY(twilio.listen());
    const QList<TwilioLiveCheck::Result> results = run(twilio, u"https://switchboard.example.com"_s);
    QCOMPARE(results.size(), TwilioLiveCheck::documentedCases().size());
    for (const TwilioLiveCheck::Result &result : results)
        QVERIFY2(result.passed, qPrintable(TwilioLiveCheck::report(results)));
    QVERIFY(TwilioLiveCheck::passed(results));
    QVERIFY(TwilioLiveCheck::report(results).endsWith(u"Switchboard reads every answer right.\n"_s));
    // Only creates, with the test credentials, and the valid one with Switchboard's own TwiML
    // and status callback.
    QCOMPARE(twilio.requests("POST").size(), results.size());
    const FakeTwilio::Request valid = twilio.requests().first();
    QCOMPARE(valid.path, u"/2010-04-01/Accounts/%1/Calls.json"_s.arg(QLatin1StringView(FakeTwilio::kTestAccountSid)));
    QCOMPARE(valid.formValue(u"StatusCallback"_s), u"https://switchboard.example.com/api/voice/status"_s);
    QVERIFY(valid.formValue(u"Twiml"_s).startsWith(u"<Response><Dial timeout=\"15\"><Client statusCallback="_s));
    // The operator's 400s and the administrator's 503s.
    QCOMPARE(results[3].switchboard, u"400 validation_error"_s);
    QCOMPARE(results[2].switchboard, u"503 call_initiation_failed"_s);
}

void tst_TwilioLiveCheck::undocumentedAnswer_fails()
{
    // Twilio refuses the call the documentation says it creates.
    FakeTwilio twilio;
    QVERIFY(twilio.listen());
    twilio.failNext(400, 21211, u"Invalid 'To' Phone Number"_s); // the valid call, refused
    const QList<TwilioLiveCheck::Result> results = run(twilio);
    QVERIFY(!results.first().passed);
    QCOMPARE(results.first().twilioCode, 21211);
    for (qsizetype i = 1; i < results.size(); ++i)
        QVERIFY(results[i].passed);
    const QString report = TwilioLiveCheck::report(results);
    QVERIFY2(report.startsWith(u"FAIL a valid call, with Switchboard's TwiML and callbacks: expected a call (placed), "
                               "got 400 validation_error"_s),
             qPrintable(report));
    QVERIFY(report.endsWith(u"see the lines marked FAIL.\n"_s));
    QVERIFY(!TwilioLiveCheck::passed(results));
}

void tst_TwilioLiveCheck::refusedCallbackUrl_fails()
{
    // A VOICE_PUBLIC_BASE_URL Twilio will not call (an underscore in the host name: 21609).
    FakeTwilio twilio;
    QVERIFY(twilio.listen());
    const QList<TwilioLiveCheck::Result> results = run(twilio, u"https://switch_board.example.com"_s);
    QVERIFY(!results.first().passed);
    QCOMPARE(results.first().twilioCode, 21609);
    QCOMPARE(results.first().switchboard, u"503 call_initiation_failed"_s);
}

QTEST_GUILESS_MAIN(tst_TwilioLiveCheck)
#include "tst_twiliolivecheck.moc"
