// Webhooks' signing and destinations: the Standard Webhooks specification's published example
// (its secret, message id, timestamp and body give the signature the specification shows), new
// secrets' shape, and which URLs and addresses a webhook may reach.

#include "webhooks/webhookdestination.h"
#include "webhooks/webhooksignature.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_WebhookSigning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sign_matchesTheSpecificationsExample();
    void sign_changesWithEveryPart();
    void newSecret_isTwentyFourRandomBytes();
    void isPublic_data();
    void isPublic();
    void parse_data();
    void parse();
};

void tst_WebhookSigning::sign_matchesTheSpecificationsExample()
{
    QCOMPARE(WebhookSignature::sign(u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s, "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                    1614265330, R"({"test": 2432232314})"),
             QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
}

void tst_WebhookSigning::sign_changesWithEveryPart()
{
    const QString secret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
    const QByteArray reference = WebhookSignature::sign(secret, "msg_1", 1000, "{}");
    QVERIFY(WebhookSignature::sign(secret, "msg_2", 1000, "{}") != reference);
    QVERIFY(WebhookSignature::sign(secret, "msg_1", 1001, "{}") != reference);
    QVERIFY(WebhookSignature::sign(secret, "msg_1", 1000, "{ }") != reference);
    QVERIFY(WebhookSignature::sign(u"whsec_AfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s, "msg_1", 1000, "{}") != reference);
}

void tst_WebhookSigning::newSecret_isTwentyFourRandomBytes()
{
    const QString first = WebhookSignature::newSecret();
    QVERIFY2(QRegularExpression(u"^whsec_[A-Za-z0-9+/]{32}$"_s).match(first).hasMatch(), qPrintable(first));
    QCOMPARE(QByteArray::fromBase64(first.mid(6).toLatin1()).size(), 24);
    QVERIFY(WebhookSignature::newSecret() != first);
}

void tst_WebhookSigning::isPublic_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("isPublic");
    QTest::addRow("public v4") << u"93.184.216.34"_s << true;
    QTest::addRow("public v6") << u"2606:2800:220:1:248:1893:25c8:1946"_s << true;
    QTest::addRow("loopback") << u"127.0.0.1"_s << false;
    QTest::addRow("loopback elsewhere") << u"127.8.9.10"_s << false;
    QTest::addRow("loopback v6") << u"::1"_s << false;
    QTest::addRow("10/8") << u"10.1.2.3"_s << false;
    QTest::addRow("172.16/12") << u"172.31.255.1"_s << false;
    QTest::addRow("172.32 is public") << u"172.32.0.1"_s << true;
    QTest::addRow("192.168/16") << u"192.168.1.1"_s << false;
    QTest::addRow("link-local (cloud metadata)") << u"169.254.169.254"_s << false;
    QTest::addRow("shared (CGNAT)") << u"100.64.0.1"_s << false;
    QTest::addRow("unspecified") << u"0.0.0.0"_s << false;
    QTest::addRow("this network") << u"0.1.2.3"_s << false;
    QTest::addRow("broadcast") << u"255.255.255.255"_s << false;
    QTest::addRow("multicast") << u"224.0.0.1"_s << false;
    QTest::addRow("unique local v6") << u"fd00::1"_s << false;
    QTest::addRow("link-local v6") << u"fe80::1"_s << false;
    QTest::addRow("v4-mapped loopback") << u"::ffff:127.0.0.1"_s << false;
    QTest::addRow("v4-mapped private") << u"::ffff:10.0.0.1"_s << false;
}

void tst_WebhookSigning::isPublic()
{
    QFETCH(QString, address);
    QFETCH(bool, isPublic);
    QCOMPARE(WebhookDestination::isPublic(QHostAddress(address)), isPublic);
}

void tst_WebhookSigning::parse_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowPrivate");
    QTest::addColumn<bool>("accepted");
    QTest::addRow("https name") << u"https://crm.example.com/hooks/switchboard"_s << false << true;
    QTest::addRow("http with port") << u"http://crm.example.com:8080/x?y=1"_s << false << true;
    QTest::addRow("public literal") << u"https://93.184.216.34/x"_s << false << true;
    QTest::addRow("ftp") << u"ftp://example.com/x"_s << false << false;
    QTest::addRow("javascript") << u"javascript:alert(1)"_s << false << false;
    QTest::addRow("relative") << u"/hooks"_s << false << false;
    QTest::addRow("no host") << u"http:///x"_s << false << false;
    QTest::addRow("user info") << u"https://user:pass@example.com/"_s << false << false;
    QTest::addRow("loopback") << u"http://127.0.0.1:9000/x"_s << false << false;
    QTest::addRow("loopback v6") << u"http://[::1]:9000/x"_s << false << false;
    QTest::addRow("localhost") << u"http://localhost/x"_s << false << false;
    QTest::addRow("sub.localhost") << u"http://a.localhost/x"_s << false << false;
    QTest::addRow("metadata") << u"http://169.254.169.254/latest/meta-data"_s << false << false;
    QTest::addRow("private") << u"http://192.168.0.10/x"_s << false << false;
    QTest::addRow("loopback allowed") << u"http://127.0.0.1:9000/x"_s << true << true;
    QTest::addRow("localhost allowed") << u"http://localhost/x"_s << true << true;
    QTest::addRow("ftp even when private allowed") << u"ftp://127.0.0.1/x"_s << true << false;
    QTest::addRow("too long") << u"https://example.com/"_s + QString(2100, u'a') << false << false;
}

void tst_WebhookSigning::parse()
{
    QFETCH(QString, url);
    QFETCH(bool, allowPrivate);
    QFETCH(bool, accepted);
    const Result<QUrl> parsed = WebhookDestination::parse(url, allowPrivate);
    QVERIFY2(parsed.ok() == accepted, parsed.ok() ? "accepted" : qPrintable(parsed.error().message));
}

QTEST_GUILESS_MAIN(tst_WebhookSigning)
#include "tst_webhooksigning.moc"
