// X-Twilio-Signature: Twilio's documented example, and vectors computed independently (Python's
// hmac over the same rule) for the cases the example leaves out: the port spelled or not,
// repeated parameter names, non-ASCII values.

#include "voip/twilio/twiliosignature.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;
using Parameters = TwilioSignature::Parameters;

namespace {

const QByteArray kToken = "0123456789abcdef0123456789abcdef";
const Parameters kCallback{{u"CallSid"_s, u"CA0123456789abcdef0123456789abcdef"_s},
                           {u"CallStatus"_s, u"in-progress"_s},
                           {u"SequenceNumber"_s, u"2"_s}};

} // namespace

class tst_TwilioSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentedExample();
    void documentedExample_tamperedIsRejected_data();
    void documentedExample_tamperedIsRejected();
    void ownVectors_data();
    void ownVectors();
    void defaultPort_eitherSpelling_data();
    void defaultPort_eitherSpelling();
    void otherPort_mustMatch();
    void configuredPort_signedWithout_isAccepted();
    void duplicateParameters();
    void missingOrEmpty_isRejected();
};

void tst_TwilioSignature::documentedExample()
{
    // twilio.com/docs/usage/security, "Validating requests": auth token 12345.
    const QString url = u"https://mycompany.com/myapp.php?foo=1&bar=2"_s;
    const Parameters parameters{{u"CallSid"_s, u"CA1234567890ABCDE"_s},
                                {u"Caller"_s, u"+14158675310"_s},
                                {u"Digits"_s, u"1234"_s},
                                {u"From"_s, u"+14158675310"_s},
                                {u"To"_s, u"+18005551212"_s}};
    QCOMPARE(TwilioSignature::compute("12345", url, parameters), QByteArray("GvWf1cFY/Q7PnoempGyD5oXAezc="));
    QVERIFY(TwilioSignature::isValid("12345", url, parameters, "GvWf1cFY/Q7PnoempGyD5oXAezc="));

    // The order the parameters arrive in does not matter: they are sorted.
    Parameters shuffled(parameters.crbegin(), parameters.crend());
    QVERIFY(TwilioSignature::isValid("12345", url, shuffled, "GvWf1cFY/Q7PnoempGyD5oXAezc="));
}

void tst_TwilioSignature::documentedExample_tamperedIsRejected_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("url");
    QTest::addColumn<Parameters>("parameters");
    QTest::addColumn<QByteArray>("signature");

    const QString url = u"https://mycompany.com/myapp.php?foo=1&bar=2"_s;
    const Parameters parameters{{u"CallSid"_s, u"CA1234567890ABCDE"_s},
                                {u"Caller"_s, u"+14158675310"_s},
                                {u"Digits"_s, u"1234"_s},
                                {u"From"_s, u"+14158675310"_s},
                                {u"To"_s, u"+18005551212"_s}};
    const QByteArray signature = "GvWf1cFY/Q7PnoempGyD5oXAezc=";
    Parameters changed = parameters;
    changed[2].second = u"1235"_s;
    Parameters added = parameters;
    added.append({u"CallStatus"_s, u"completed"_s});

    QTest::addRow("other token") << QByteArray("54321") << url << parameters << signature;
    QTest::addRow("changed value") << QByteArray("12345") << url << changed << signature;
    QTest::addRow("added parameter") << QByteArray("12345") << url << added << signature;
    QTest::addRow("dropped parameter") << QByteArray("12345") << url << parameters.mid(1) << signature;
    QTest::addRow("other query") << QByteArray("12345") << u"https://mycompany.com/myapp.php?foo=1&bar=3"_s
                                 << parameters << signature;
    QTest::addRow("http for https") << QByteArray("12345") << u"http://mycompany.com/myapp.php?foo=1&bar=2"_s
                                    << parameters << signature;
    QTest::addRow("one bit off") << QByteArray("12345") << url << parameters << QByteArray("GvWf1cFY/Q7PnoempGyD5oXAezd=");
    QTest::addRow("no padding") << QByteArray("12345") << url << parameters << QByteArray("GvWf1cFY/Q7PnoempGyD5oXAezc");
    QTest::addRow("lower case") << QByteArray("12345") << url << parameters << QByteArray("gvwf1cfy/q7pnoempgyd5oxaezc=");
}

void tst_TwilioSignature::documentedExample_tamperedIsRejected()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, url);
    QFETCH(Parameters, parameters);
    QFETCH(QByteArray, signature);
    QVERIFY(!TwilioSignature::isValid(token, url, parameters, signature));
}

void tst_TwilioSignature::ownVectors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<Parameters>("parameters");
    QTest::addColumn<QByteArray>("signature");

    QTest::addRow("callback, https with :443") << u"https://switchboard.example.com:443/api/voice/status"_s << kCallback
                                              << QByteArray("6w5MHbkBjQNUezUOLo7no3zU8qI=");
    QTest::addRow("callback, https") << u"https://switchboard.example.com/api/voice/status"_s << kCallback
                                    << QByteArray("JvV0G2oX/I5nvBn5Sm/9xThWouw=");
    QTest::addRow("callback, http with :80") << u"http://switchboard.example.com:80/api/voice/status"_s << kCallback
                                            << QByteArray("sRHaYaAko8LDBMFLVQmeYqJmeAY=");
    QTest::addRow("callback, https with :8443") << u"https://switchboard.example.com:8443/api/voice/status"_s
                                               << kCallback << QByteArray("/ddyC2LaWKNZW+3bpAP2VHYiEw8=");
    QTest::addRow("non-ASCII, signed as UTF-8")
        << u"https://example.com/hook"_s << Parameters{{u"To"_s, u"+4930"_s}, {u"Caller"_s, u"Zoë +1"_s}}
        << QByteArray("fZ0mwm7DgRFIbUL5LyYGsfVY7Cc=");
}

void tst_TwilioSignature::ownVectors()
{
    QFETCH(QString, url);
    QFETCH(Parameters, parameters);
    QFETCH(QByteArray, signature);
    QCOMPARE(TwilioSignature::compute(kToken, url, parameters), signature);
    QVERIFY(TwilioSignature::isValid(kToken, url, parameters, signature));
}

void tst_TwilioSignature::defaultPort_eitherSpelling_data()
{
    QTest::addColumn<QString>("signedUrl");
    QTest::addColumn<QString>("receivedUrl");
    QTest::addRow("signed with :443, seen without") << u"https://switchboard.example.com:443/api/voice/status"_s
                                                   << u"https://switchboard.example.com/api/voice/status"_s;
    QTest::addRow("signed without, seen with :443") << u"https://switchboard.example.com/api/voice/status"_s
                                                   << u"https://switchboard.example.com:443/api/voice/status"_s;
    QTest::addRow("signed with :80, seen without") << u"http://switchboard.example.com:80/api/voice/status"_s
                                                  << u"http://switchboard.example.com/api/voice/status"_s;
    QTest::addRow("with a query") << u"https://switchboard.example.com/api/voice/status?x=1"_s
                                  << u"https://switchboard.example.com:443/api/voice/status?x=1"_s;
}

void tst_TwilioSignature::defaultPort_eitherSpelling()
{
    QFETCH(QString, signedUrl);
    QFETCH(QString, receivedUrl);
    const QByteArray signature = TwilioSignature::compute(kToken, signedUrl, kCallback);
    QVERIFY(TwilioSignature::isValid(kToken, receivedUrl, kCallback, signature));
}

void tst_TwilioSignature::otherPort_mustMatch()
{
    // A port Twilio did not sign is never invented: only the scheme's default may be added.
    const QByteArray on8443 = "/ddyC2LaWKNZW+3bpAP2VHYiEw8=";
    QVERIFY(!TwilioSignature::isValid(kToken, u"https://switchboard.example.com/api/voice/status"_s, kCallback, on8443));
    QVERIFY(!TwilioSignature::isValid(kToken, u"https://switchboard.example.com:443/api/voice/status"_s, kCallback, on8443));
    const QByteArray with443 = "6w5MHbkBjQNUezUOLo7no3zU8qI=";
    QVERIFY(!TwilioSignature::isValid(kToken, u"http://switchboard.example.com/api/voice/status"_s, kCallback, with443));
    QVERIFY(!TwilioSignature::isValid(kToken, u"https://switchboard.example.com:8443/api/voice/status"_s, kCallback, with443));
}

void tst_TwilioSignature::configuredPort_signedWithout_isAccepted()
{
    // VOICE_PUBLIC_BASE_URL=https://host:8443 and Twilio signing the URL without the port: as
    // twilio-node's validateRequest, the URL with its port removed is tried too.
    const QByteArray withoutPort = TwilioSignature::compute(
        kToken, u"https://switchboard.example.com/api/voice/status"_s, kCallback);
    QVERIFY(TwilioSignature::isValid(kToken, u"https://switchboard.example.com:8443/api/voice/status"_s, kCallback,
                                     withoutPort));
    // Signed with the port, seen with it: as before.
    const QByteArray on8443 = "/ddyC2LaWKNZW+3bpAP2VHYiEw8=";
    QVERIFY(TwilioSignature::isValid(kToken, u"https://switchboard.example.com:8443/api/voice/status"_s, kCallback,
                                     on8443));
    // Another port is not the same URL.
    QVERIFY(!TwilioSignature::isValid(kToken, u"https://switchboard.example.com:9443/api/voice/status"_s, kCallback,
                                      on8443));
}

void tst_TwilioSignature::duplicateParameters()
{
    const QString url = u"https://example.com/hook"_s;
    // A repeated name contributes each value, values sorted: a1 ax b2.
    const Parameters repeated{{u"b"_s, u"2"_s}, {u"a"_s, u"x"_s}, {u"a"_s, u"1"_s}};
    QCOMPARE(TwilioSignature::compute(kToken, url, repeated), QByteArray("T/8qQ6nY12aj/Jya5KqTBpH7RoE="));
    // An exact duplicate counts once, as in Twilio's validators.
    const QByteArray once = "9SFZe+xbBSz1Pl/X+rOCtza9ILc=";
    QCOMPARE(TwilioSignature::compute(kToken, url, {{u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}}), once);
    QCOMPARE(TwilioSignature::compute(kToken, url, {{u"a"_s, u"1"_s}, {u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}}), once);
    // A second value is not free to add.
    QVERIFY(!TwilioSignature::isValid(kToken, url, {{u"a"_s, u"1"_s}, {u"a"_s, u"2"_s}, {u"b"_s, u"2"_s}}, once));
}

void tst_TwilioSignature::missingOrEmpty_isRejected()
{
    const QString url = u"https://switchboard.example.com/api/voice/status"_s;
    const QByteArray signature = TwilioSignature::compute(kToken, url, kCallback);
    QVERIFY(TwilioSignature::isValid(kToken, url, kCallback, signature));
    QVERIFY(!TwilioSignature::isValid(kToken, url, kCallback, {}));
    // Without an Auth Token nothing verifies, not even a signature made with an empty key.
    QVERIFY(!TwilioSignature::isValid({}, url, kCallback, TwilioSignature::compute({}, url, kCallback)));
}

QTEST_GUILESS_MAIN(tst_TwilioSignature)
#include "tst_twiliosignature.moc"
