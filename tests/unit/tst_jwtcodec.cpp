#include "auth/jwtcodec.h"
#include "printers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUuid>

#include <cstring>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QByteArray kSecret = "unit-test-secret-unit-test-secret-0123456789"_ba;
constexpr int kTtl = 3600;
const QDateTime kNow = QDateTime::fromString(u"2026-01-15T10:00:00Z"_s, Qt::ISODate);

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encode(const QByteArray &bytes)
{
    return bytes.toBase64(kBase64Url);
}

QByteArray encode(const QJsonObject &object)
{
    return encode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray hmac(const QByteArray &input, const QByteArray &key = kSecret,
                QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(input, key, algorithm);
}

/// header.payload.signature with the signature computed over the parts exactly as given.
QByteArray signParts(const QByteArray &headerPart, const QByteArray &payloadPart, const QByteArray &key = kSecret,
                     QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    const QByteArray input = headerPart + '.' + payloadPart;
    return input + '.' + encode(hmac(input, key, algorithm));
}

QJsonObject standardHeader()
{
    return {{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
}

QJsonObject validClaims()
{
    const qint64 now = kNow.toSecsSinceEpoch();
    return {
        {u"sub"_s, u"user-1"_s},
        {u"email"_s, u"alice@example.com"_s},
        {u"iat"_s, now},
        {u"nbf"_s, now},
        {u"exp"_s, now + kTtl},
        {u"jti"_s, u"6f1c1f8e-4f0e-4a43-9b53-0d6b5f7b6a11"_s},
    };
}

QByteArray forge(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key = kSecret,
                 QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return signParts(encode(header), encode(payload), key, algorithm);
}

QByteArray forgeClaims(const QJsonObject &payload)
{
    return forge(standardHeader(), payload);
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

QJsonObject without(QJsonObject object, const QString &key)
{
    object.remove(key);
    return object;
}

QList<QByteArray> parts(const QByteArray &token)
{
    return token.split('.');
}

QByteArray joinParts(const QList<QByteArray> &list)
{
    return list.join('.');
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The same bytes spelled differently: sets one of the unused low bits of the last character.
/// Only meaningful when the encoding ends in a partial group (length not a multiple of 4).
QByteArray nonCanonical(QByteArray encoded)
{
    const char *position = std::strchr(kAlphabet, encoded.back());
    Q_ASSERT(position && encoded.size() % 4 != 0);
    encoded.back() = kAlphabet[(position - kAlphabet) + 1];
    return encoded;
}

/// A header whose encoding ends in a partial group, so that nonCanonical() can be applied to it.
QJsonObject headerWithPartialGroup()
{
    return with(standardHeader(), u"kid"_s, u"1"_s);
}

} // namespace

class tst_JwtCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokenVerifiesWithItsClaims();
    void issuedTokenHasStandardHeader();
    void everyTokenHasItsOwnJti();
    void ttlIsHonouredToTheSecond();
    void refresh_neverReachesPastTheMaximumAge();
    void tokenWithoutSession_isItsOwnSession();
    void handForgedTokenWithTheRightKeyIsAccepted();
    void notBeforeWithinClockSkewIsAccepted();
    void nonCanonicalPartsDecodeToTheSameBytes();
    void attacksAreRejected_data();
    void attacksAreRejected();
};

void tst_JwtCodec::issuedTokenVerifiesWithItsClaims()
{
    const JwtCodec codec(kSecret, kTtl);
    const QDateTime issuedAt = kNow.addMSecs(789); // sub-second part is dropped: NumericDate is whole seconds
    const JwtCodec::Issued issued = codec.issue(u"user-42"_s, u"bob@example.com"_s, issuedAt);

    QCOMPARE(issued.claims.userId, u"user-42"_s);
    QCOMPARE(issued.claims.email, u"bob@example.com"_s);
    QCOMPARE(issued.claims.issuedAt, kNow);
    QCOMPARE(issued.claims.notBefore, kNow);
    QCOMPARE(issued.claims.expiresAt, kNow.addSecs(kTtl));
    QVERIFY(!QUuid::fromString(issued.claims.jti).isNull());

    const Result<TokenClaims> verified = codec.verify(issued.token.toLatin1(), kNow.addSecs(10));
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message));
    QCOMPARE(verified->userId, u"user-42"_s);
    QCOMPARE(verified->email, u"bob@example.com"_s);
    QCOMPARE(verified->issuedAt, kNow);
    QCOMPARE(verified->notBefore, kNow);
    QCOMPARE(verified->expiresAt, kNow.addSecs(kTtl));
    QCOMPARE(verified->jti, issued.claims.jti);

    // The payload carries the registered claims as JSON numbers and strings.
    const QJsonObject payload =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts(issued.token.toLatin1()).at(1), kBase64Url)).object();
    QCOMPARE(payload.value(u"sub"_s).toString(), u"user-42"_s);
    QCOMPARE(payload.value(u"email"_s).toString(), u"bob@example.com"_s);
    QCOMPARE(qint64(payload.value(u"iat"_s).toDouble()), kNow.toSecsSinceEpoch());
    QCOMPARE(qint64(payload.value(u"nbf"_s).toDouble()), kNow.toSecsSinceEpoch());
    QCOMPARE(qint64(payload.value(u"exp"_s).toDouble()), kNow.toSecsSinceEpoch() + kTtl);
    QCOMPARE(payload.value(u"jti"_s).toString(), issued.claims.jti);
}

void tst_JwtCodec::issuedTokenHasStandardHeader()
{
    const JwtCodec codec(kSecret, kTtl);
    const QList<QByteArray> segments = parts(codec.issue(u"u"_s, u"u@example.com"_s, kNow).token.toLatin1());
    QCOMPARE(segments.size(), 3);
    const QJsonObject header = QJsonDocument::fromJson(QByteArray::fromBase64(segments.at(0), kBase64Url)).object();
    QCOMPARE(header, standardHeader());
    for (const QByteArray &segment : segments) {
        QVERIFY2(!segment.contains('=') && !segment.contains('+') && !segment.contains('/'),
                 "segments are unpadded base64url");
    }
}

void tst_JwtCodec::everyTokenHasItsOwnJti()
{
    const JwtCodec codec(kSecret, kTtl);
    const JwtCodec::Issued first = codec.issue(u"u"_s, u"u@example.com"_s, kNow);
    const JwtCodec::Issued second = codec.issue(u"u"_s, u"u@example.com"_s, kNow);
    QVERIFY(first.claims.jti != second.claims.jti);
    QVERIFY(first.token != second.token);
}

void tst_JwtCodec::ttlIsHonouredToTheSecond()
{
    const JwtCodec codec(kSecret, 90);
    const QByteArray token = codec.issue(u"u"_s, u"u@example.com"_s, kNow).token.toLatin1();
    QVERIFY(codec.verify(token, kNow.addSecs(89)).ok());

    const Result<TokenClaims> atExpiry = codec.verify(token, kNow.addSecs(90));
    QVERIFY(!atExpiry.ok());
    QCOMPARE(atExpiry.error().code, ErrorCode::Unauthenticated);
    QVERIFY2(atExpiry.error().message.contains(u"expired"_s), qPrintable(atExpiry.error().message));
}

void tst_JwtCodec::refresh_neverReachesPastTheMaximumAge()
{
    const JwtCodec codec(kSecret, 600, 1000); // 10 minutes idle, 1000 s at most
    const JwtCodec::Issued login = codec.issue(u"u"_s, u"u@example.com"_s, kNow);
    QCOMPARE(login.claims.sessionId, login.claims.jti);
    QCOMPARE(login.claims.authTime, kNow);

    const Result<JwtCodec::Issued> early = codec.refresh(login.claims, kNow.addSecs(300));
    QVERIFY(early.ok());
    QCOMPARE(early->claims.expiresAt, kNow.addSecs(900)); // another 10 minutes
    QCOMPARE(early->claims.sessionId, login.claims.sessionId);
    QVERIFY(early->claims.jti != login.claims.jti);
    const Result<TokenClaims> verified = codec.verify(early->token.toLatin1(), kNow.addSecs(301));
    QVERIFY(verified.ok());
    QCOMPARE(verified->sessionId, login.claims.sessionId);
    QCOMPARE(verified->authTime, kNow);

    const Result<JwtCodec::Issued> late = codec.refresh(verified.value(), kNow.addSecs(800));
    QVERIFY(late.ok());
    QCOMPARE(late->claims.expiresAt, kNow.addSecs(1000)); // capped at the login's maximum age
    const Result<JwtCodec::Issued> tooOld = codec.refresh(late->claims, kNow.addSecs(1000));
    QVERIFY(!tooOld.ok());
    QCOMPARE(tooOld.error().code, ErrorCode::Unauthenticated);
    QVERIFY(!codec.verify(late->token.toLatin1(), kNow.addSecs(1000)).ok());
}

void tst_JwtCodec::tokenWithoutSession_isItsOwnSession()
{
    // Tokens issued before refresh existed carry neither sid nor auth_time.
    const JwtCodec codec(kSecret, kTtl);
    const Result<TokenClaims> claims = codec.verify(forgeClaims(validClaims()), kNow);
    QVERIFY(claims.ok());
    QCOMPARE(claims->sessionId, claims->jti);
    QCOMPARE(claims->authTime, claims->issuedAt);
    // A session id that is not a string, or a login after the token's issue, is refused.
    QVERIFY(!codec.verify(forgeClaims(with(validClaims(), u"sid"_s, 7)), kNow).ok());
    QVERIFY(!codec.verify(forgeClaims(with(validClaims(), u"auth_time"_s, kNow.toSecsSinceEpoch() + 3600)), kNow).ok());
}

void tst_JwtCodec::handForgedTokenWithTheRightKeyIsAccepted()
{
    // Proves the forging helpers build real tokens, so that each rejection below is for the
    // one thing the attack changes.
    const JwtCodec codec(kSecret, kTtl);
    const Result<TokenClaims> claims = codec.verify(forgeClaims(validClaims()), kNow);
    QVERIFY2(claims.ok(), qPrintable(claims.ok() ? QString() : claims.error().message));
    QCOMPARE(claims->userId, u"user-1"_s);

    QVERIFY(codec.verify(forge(headerWithPartialGroup(), validClaims()), kNow).ok());
    QVERIFY2(codec.verify(forge(QJsonObject{{u"alg"_s, u"HS256"_s}}, validClaims()), kNow).ok(),
             "typ is optional");
    QVERIFY2(codec.verify(forgeClaims(without(validClaims(), u"nbf"_s)), kNow).ok(), "nbf is optional");
}

void tst_JwtCodec::notBeforeWithinClockSkewIsAccepted()
{
    const JwtCodec codec(kSecret, kTtl);
    const qint64 now = kNow.toSecsSinceEpoch();
    const QJsonObject early = with(with(validClaims(), u"nbf"_s, now + JwtCodec::kClockSkewSeconds),
                                   u"iat"_s, now + JwtCodec::kClockSkewSeconds);
    QVERIFY(codec.verify(forgeClaims(early), kNow).ok());
}

void tst_JwtCodec::nonCanonicalPartsDecodeToTheSameBytes()
{
    // The premise of the non-canonical attack cases: a lenient decoder maps both spellings to the
    // same bytes, so only a canonical-encoding check can tell them apart.
    const QByteArray header = encode(headerWithPartialGroup());
    const QByteArray signature = parts(forgeClaims(validClaims())).at(2);
    for (const QByteArray &encoded : {header, signature}) {
        const QByteArray altered = nonCanonical(encoded);
        QVERIFY(altered != encoded);
        QCOMPARE(QByteArray::fromBase64(altered, kBase64Url), QByteArray::fromBase64(encoded, kBase64Url));
    }
}

void tst_JwtCodec::attacksAreRejected_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("reason"); // a word of the rejection message: rejected for the right reason

    const QByteArray valid = forgeClaims(validClaims());
    const QByteArray validHeader = parts(valid).at(0);
    const QByteArray validPayload = parts(valid).at(1);
    const QByteArray validSignature = parts(valid).at(2);
    const qint64 now = kNow.toSecsSinceEpoch();

    // The algorithm is pinned: the header never chooses it.
    const QJsonObject none{{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}};
    QTest::addRow("alg none, no signature") << encode(none) + '.' + validPayload + '.' << u"algorithm"_s;
    QTest::addRow("alg none, signed") << forge(none, validClaims()) << u"algorithm"_s;
    QTest::addRow("alg None, signed") << forge(with(none, u"alg"_s, u"None"_s), validClaims()) << u"algorithm"_s;
    QTest::addRow("alg missing") << forge(QJsonObject{{u"typ"_s, u"JWT"_s}}, validClaims()) << u"algorithm"_s;
    QTest::addRow("alg lower-case hs256")
        << forge(with(standardHeader(), u"alg"_s, u"hs256"_s), validClaims()) << u"algorithm"_s;
    QTest::addRow("HS512 signed with the same key")
        << forge(with(standardHeader(), u"alg"_s, u"HS512"_s), validClaims(), kSecret, QCryptographicHash::Sha512)
        << u"algorithm"_s;
    QTest::addRow("HS384 signed with the same key")
        << forge(with(standardHeader(), u"alg"_s, u"HS384"_s), validClaims(), kSecret, QCryptographicHash::Sha384)
        << u"algorithm"_s;
    QTest::addRow("RS256 header, HMAC signature")
        << forge(with(standardHeader(), u"alg"_s, u"RS256"_s), validClaims()) << u"algorithm"_s;
    QTest::addRow("crit header")
        << forge(with(standardHeader(), u"crit"_s, QJsonArray{u"exp"_s}), validClaims()) << u"algorithm"_s;
    QTest::addRow("typ JWS") << forge(with(standardHeader(), u"typ"_s, u"JWS"_s), validClaims()) << u"type"_s;
    QTest::addRow("typ at+jwt") << forge(with(standardHeader(), u"typ"_s, u"at+jwt"_s), validClaims()) << u"type"_s;

    // The signature.
    QTest::addRow("wrong key") << forge(standardHeader(), validClaims(), "another-secret-another-secret-0123456789"_ba)
                               << u"signature"_s;
    QTest::addRow("empty key") << forge(standardHeader(), validClaims(), QByteArray()) << u"signature"_s;
    QTest::addRow("sub changed, signature kept")
        << joinParts({validHeader, encode(with(validClaims(), u"sub"_s, u"admin"_s)), validSignature})
        << u"signature"_s;
    QTest::addRow("exp extended, signature kept")
        << joinParts({validHeader, encode(with(validClaims(), u"exp"_s, now + 365 * 86400)), validSignature})
        << u"signature"_s;
    QTest::addRow("header changed, signature kept")
        << joinParts({encode(headerWithPartialGroup()), validPayload, validSignature}) << u"signature"_s;
    QTest::addRow("signature of another token")
        << joinParts({validHeader, validPayload,
                      parts(forgeClaims(with(validClaims(), u"sub"_s, u"other"_s))).at(2)})
        << u"signature"_s;
    QTest::addRow("empty signature") << validHeader + '.' + validPayload + '.' << u"signature"_s;
    QTest::addRow("truncated signature") << valid.chopped(1) << u"signature"_s;
    QTest::addRow("signature with padding") << valid + '=' << u"signature"_s;
    QTest::addRow("signature in standard base64")
        << validHeader + '.' + validPayload + '.' + hmac(validHeader + '.' + validPayload).toBase64()
        << u"signature"_s;
    QTest::addRow("signature non-canonical")
        << joinParts({validHeader, validPayload, nonCanonical(validSignature)}) << u"signature"_s;
    QTest::addRow("signature with non-base64url character")
        << joinParts({validHeader, validPayload, validSignature.left(10) + '*' + validSignature.mid(11)})
        << u"signature"_s;

    // Times.
    QTest::addRow("expired") << forgeClaims(with(validClaims(), u"exp"_s, now - 1)) << u"expired"_s;
    QTest::addRow("expires this second") << forgeClaims(with(validClaims(), u"exp"_s, now)) << u"expired"_s;
    QTest::addRow("nbf beyond clock skew")
        << forgeClaims(with(validClaims(), u"nbf"_s, now + JwtCodec::kClockSkewSeconds + 1)) << u"not valid yet"_s;
    QTest::addRow("nbf an hour ahead")
        << forgeClaims(with(validClaims(), u"nbf"_s, now + 3600)) << u"not valid yet"_s;
    QTest::addRow("iat in the future, no nbf")
        << forgeClaims(with(without(validClaims(), u"nbf"_s), u"iat"_s, now + 600)) << u"not valid yet"_s;
    QTest::addRow("missing exp") << forgeClaims(without(validClaims(), u"exp"_s)) << u"expiry"_s;
    QTest::addRow("exp as string")
        << forgeClaims(with(validClaims(), u"exp"_s, QString::number(now + kTtl))) << u"expiry"_s;
    QTest::addRow("exp null") << forgeClaims(with(validClaims(), u"exp"_s, QJsonValue::Null)) << u"expiry"_s;
    QTest::addRow("exp negative") << forgeClaims(with(validClaims(), u"exp"_s, -1)) << u"expiry"_s;
    QTest::addRow("exp after year 9999") << forgeClaims(with(validClaims(), u"exp"_s, 1e300)) << u"expiry"_s;
    QTest::addRow("missing iat") << forgeClaims(without(validClaims(), u"iat"_s)) << u"times"_s;
    QTest::addRow("nbf as string")
        << forgeClaims(with(validClaims(), u"nbf"_s, QString::number(now))) << u"times"_s;

    // Required claims.
    QTest::addRow("missing sub") << forgeClaims(without(validClaims(), u"sub"_s)) << u"incomplete"_s;
    QTest::addRow("empty sub") << forgeClaims(with(validClaims(), u"sub"_s, QString())) << u"incomplete"_s;
    QTest::addRow("numeric sub") << forgeClaims(with(validClaims(), u"sub"_s, 42)) << u"incomplete"_s;
    QTest::addRow("missing jti") << forgeClaims(without(validClaims(), u"jti"_s)) << u"incomplete"_s;
    QTest::addRow("empty jti") << forgeClaims(with(validClaims(), u"jti"_s, QString())) << u"incomplete"_s;

    // Garbled strings.
    QTest::addRow("empty") << QByteArray() << u"malformed"_s;
    QTest::addRow("one segment") << validHeader << u"malformed"_s;
    QTest::addRow("two segments") << validHeader + '.' + validPayload << u"malformed"_s;
    QTest::addRow("four segments") << valid + '.' + validSignature << u"malformed"_s;
    QTest::addRow("only dots") << ".."_ba << u"malformed"_s;
    QTest::addRow("empty header") << '.' + validPayload + '.' + validSignature << u"malformed"_s;
    QTest::addRow("leading space") << ' ' + valid << u"malformed"_s;
    QTest::addRow("Bearer prefix left in") << "Bearer " + valid << u"malformed"_s;
    QTest::addRow("header not base64url") << joinParts({"!!!!", validPayload, validSignature}) << u"malformed"_s;
    QTest::addRow("header not JSON")
        << signParts(encode("not json"_ba), validPayload) << u"malformed"_s;
    QTest::addRow("header a JSON array")
        << signParts(encode(R"(["alg","HS256"])"_ba), validPayload) << u"malformed"_s;
    QTest::addRow("header padded")
        << signParts(encode(headerWithPartialGroup()) + "==", validPayload) << u"malformed"_s;
    QTest::addRow("header non-canonical")
        << signParts(nonCanonical(encode(headerWithPartialGroup())), validPayload) << u"malformed"_s;
    QTest::addRow("header in standard base64 with '+'")
        << signParts(QByteArray(R"({"alg":"HS256","typ":"JWT","x":">>>"})").toBase64(), validPayload)
        << u"malformed"_s;

    // A valid signature over a payload that is not a canonical JSON object.
    const QByteArray paddedPayload = encode(with(validClaims(), u"x"_s, u"1"_s));
    QVERIFY(paddedPayload.size() % 4 != 0);
    QTest::addRow("payload padded")
        << signParts(validHeader, paddedPayload + QByteArray(4 - paddedPayload.size() % 4, '=')) << u"malformed"_s;
    QTest::addRow("payload non-canonical")
        << signParts(validHeader, nonCanonical(paddedPayload)) << u"malformed"_s;
    QTest::addRow("payload not JSON") << signParts(validHeader, encode("{\"sub\":"_ba)) << u"malformed"_s;
    QTest::addRow("payload a JSON array")
        << signParts(validHeader, encode(R"([{"sub":"user-1"}])"_ba)) << u"malformed"_s;
    QTest::addRow("payload empty") << signParts(validHeader, QByteArray()) << u"malformed"_s;
}

void tst_JwtCodec::attacksAreRejected()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, reason);

    const JwtCodec codec(kSecret, kTtl);
    const Result<TokenClaims> claims = codec.verify(token, kNow);
    QVERIFY2(!claims.ok(), "the token was accepted");
    QCOMPARE(claims.error().code, ErrorCode::Unauthenticated);
    QVERIFY2(claims.error().message.contains(reason, Qt::CaseInsensitive),
             qPrintable(u"message \"%1\" does not say \"%2\""_s.arg(claims.error().message, reason)));
}

QTEST_GUILESS_MAIN(tst_JwtCodec)
#include "tst_jwtcodec.moc"
