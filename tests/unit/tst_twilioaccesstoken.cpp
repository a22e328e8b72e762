// The softphone's Twilio Access Token, decoded by hand and checked against what Twilio
// requires of a Voice SDK token: header, claims, grant shape, signature and lifetime.

#include "voip/twilio/twilioaccesstoken.h"
#include "voip/twilio/twiliovoipservice.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QString kAccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
const QString kApiKey = u"SK0123456789abcdef0123456789abcdef"_s;
const QString kApiSecret = u"s3cretS3cretS3cretS3cretS3cret00"_s;
const QString kAppSid = u"AP0123456789abcdef0123456789abcdef"_s;

QByteArray fromBase64Url(const QByteArray &part)
{
    auto decoded = QByteArray::fromBase64Encoding(part, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                                            | QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? decoded.decoded : QByteArray();
}

struct Decoded
{
    QJsonObject header;
    QJsonObject payload;
    bool signatureValid = false;
};

Decoded decode(const QString &token, const QString &secret)
{
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return {};
    const QByteArray mac = QMessageAuthenticationCode::hash(parts[0] + '.' + parts[1], secret.toUtf8(),
                                                            QCryptographicHash::Sha256);
    return {QJsonDocument::fromJson(fromBase64Url(parts[0])).object(),
            QJsonDocument::fromJson(fromBase64Url(parts[1])).object(), fromBase64Url(parts[2]) == mac};
}

} // namespace

class tst_TwilioAccessToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerAndSignature();
    void claims();
    void voiceGrant_incomingOnly();
    void voiceGrant_withOutgoingApplication();
    void provider_issuesForTheOperatorIdentity();
    void provider_needsAnApiKey();
};

void tst_TwilioAccessToken::headerAndSignature()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const TwilioAccessToken token =
        TwilioAccessToken::issue({kAccountSid, kApiKey, kApiSecret, u"operator_1"_s, {}}, now, 3600);
    const Decoded decoded = decode(token.token, kApiSecret);
    QCOMPARE(decoded.header, (QJsonObject{{u"typ"_s, u"JWT"_s}, {u"alg"_s, u"HS256"_s}, {u"cty"_s, u"twilio-fpa;v=1"_s}}));
    QVERIFY(decoded.signatureValid);
    // Signed with the API key's secret, nothing else.
    QVERIFY(!decode(token.token, u"0123456789abcdef0123456789abcdef"_s).signatureValid);
}

void tst_TwilioAccessToken::claims()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const TwilioAccessToken token =
        TwilioAccessToken::issue({kAccountSid, kApiKey, kApiSecret, u"operator_1"_s, {}}, now, 3600);
    const QJsonObject payload = decode(token.token, kApiSecret).payload;
    QCOMPARE(payload.value(u"iss"_s).toString(), kApiKey);
    QCOMPARE(payload.value(u"sub"_s).toString(), kAccountSid);
    QCOMPARE(payload.value(u"jti"_s).toString(), kApiKey + u"-1800000000"_s);
    QCOMPARE(payload.value(u"iat"_s).toInteger(), 1'800'000'000);
    QCOMPARE(payload.value(u"exp"_s).toInteger(), 1'800'003'600);
    // Short-lived: Twilio refuses tokens that live longer than 24 hours.
    QVERIFY(payload.value(u"exp"_s).toInteger() - payload.value(u"iat"_s).toInteger() <= 24 * 3600);
    QCOMPARE(token.expiresAt, now.addSecs(3600));
    QCOMPARE(token.identity, u"operator_1"_s);
    QCOMPARE(payload.keys(), (QStringList{u"exp"_s, u"grants"_s, u"iat"_s, u"iss"_s, u"jti"_s, u"sub"_s}));
}

void tst_TwilioAccessToken::voiceGrant_incomingOnly()
{
    const TwilioAccessToken token = TwilioAccessToken::issue({kAccountSid, kApiKey, kApiSecret, u"operator_1"_s, {}},
                                                             QDateTime::currentDateTimeUtc(), 3600);
    const QJsonObject grants = decode(token.token, kApiSecret).payload.value(u"grants"_s).toObject();
    QCOMPARE(grants, (QJsonObject{{u"identity"_s, u"operator_1"_s},
                                  {u"voice"_s, QJsonObject{{u"incoming"_s, QJsonObject{{u"allow"_s, true}}}}}}));
}

void tst_TwilioAccessToken::voiceGrant_withOutgoingApplication()
{
    const TwilioAccessToken token = TwilioAccessToken::issue(
        {kAccountSid, kApiKey, kApiSecret, u"operator_1"_s, kAppSid}, QDateTime::currentDateTimeUtc(), 3600);
    const QJsonObject voice =
        decode(token.token, kApiSecret).payload.value(u"grants"_s).toObject().value(u"voice"_s).toObject();
    QCOMPARE(voice, (QJsonObject{{u"incoming"_s, QJsonObject{{u"allow"_s, true}}},
                                 {u"outgoing"_s, QJsonObject{{u"application_sid"_s, kAppSid}}}}));
}

void tst_TwilioAccessToken::provider_issuesForTheOperatorIdentity()
{
    TwilioOptions options;
    options.account = {kAccountSid, {}, kApiKey, kApiSecret, u"+14155550100"_s, u"http://127.0.0.1:9"_s, {}, kAppSid};
    TwilioVoipService twilio(options);
    QVERIFY(twilio.issuesAccessTokens());
    const QString userId = u"6f1c2b7e-0a4d-4c1e-9a53-2f0e8d6b1c42"_s;
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const TwilioAccessToken token = twilio.accessToken(userId, before);
    QCOMPARE(token.identity, u"operator_6f1c2b7e_0a4d_4c1e_9a53_2f0e8d6b1c42"_s);
    QCOMPARE(token.identity, TwilioVoipService::identityFor(userId));
    const Decoded decoded = decode(token.token, kApiSecret);
    QVERIFY(decoded.signatureValid);
    QCOMPARE(decoded.payload.value(u"grants"_s).toObject().value(u"identity"_s).toString(), token.identity);
    QCOMPARE(decoded.payload.value(u"exp"_s).toInteger() - decoded.payload.value(u"iat"_s).toInteger(),
             qint64(TwilioAccessToken::kDefaultTtlSeconds));
    QCOMPARE(decoded.payload.value(u"iat"_s).toInteger(), before.toSecsSinceEpoch());
}

void tst_TwilioAccessToken::provider_needsAnApiKey()
{
    TwilioOptions options;
    options.account = {kAccountSid, u"0123456789abcdef0123456789abcdef"_s, {}, {}, u"+14155550100"_s,
                       u"http://127.0.0.1:9"_s, {}, {}};
    TwilioVoipService twilio(options);
    QVERIFY(!twilio.issuesAccessTokens());
}

QTEST_GUILESS_MAIN(tst_TwilioAccessToken)
#include "tst_twilioaccesstoken.moc"
