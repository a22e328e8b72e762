// GET /api/phone/regions and GET /api/phone/check over real HTTP: public, every libphonenumber
// region with both names and its dial code, and a check that agrees with what initiate accepts.

#include "httpclient.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace {

QString percent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

class tst_PhoneApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void regions_everyRegionWithNamesAndDialCode();
    void check_data();
    void check();
    void check_agreesWithInitiate_data();
    void check_agreesWithInitiate();
    void check_overlongInput_rejected();

private:
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_client;
};

void tst_PhoneApi::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_client = std::make_unique<HttpClient>(m_backend->baseUrl());
}

void tst_PhoneApi::cleanupTestCase()
{
    m_client.reset();
    m_backend.reset();
}

void tst_PhoneApi::regions_everyRegionWithNamesAndDialCode()
{
    const HttpResult result = m_client->get(u"/api/phone/regions"_s); // no token: public
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    const QJsonArray regions = result.json.value(u"regions"_s).toArray();
    // libphonenumber 8.12 knows about 245 regions; fewer would mean a list cut short.
    QVERIFY2(regions.size() >= 240, qPrintable(QString::number(regions.size())));

    QHash<QString, QJsonObject> byCode;
    QString previous;
    for (const QJsonValue &value : regions) {
        const QJsonObject region = value.toObject();
        const QString code = region.value(u"code"_s).toString();
        QVERIFY2(code.size() == 2 || code == u"001"_s, qPrintable(code));
        QVERIFY2(code > previous, qPrintable(u"not sorted at "_s + code));
        previous = code;
        QVERIFY2(region.value(u"dial_code"_s).toInt() > 0, qPrintable(code));
        QVERIFY2(!region.value(u"name_en"_s).toString().isEmpty(), qPrintable(code));
        QVERIFY2(!region.value(u"name_ru"_s).toString().isEmpty(), qPrintable(code));
        byCode.insert(code, region);
    }
    QCOMPARE(byCode.value(u"DE"_s).value(u"dial_code"_s).toInt(), 49);
    QCOMPARE(byCode.value(u"DE"_s).value(u"name_en"_s).toString(), u"Germany"_s);
    QCOMPARE(byCode.value(u"DE"_s).value(u"name_ru"_s).toString(), u"Германия"_s);
    QCOMPARE(byCode.value(u"RU"_s).value(u"dial_code"_s).toInt(), 7);
    QCOMPARE(byCode.value(u"RU"_s).value(u"name_ru"_s).toString(), u"Россия"_s);
    QCOMPARE(byCode.value(u"US"_s).value(u"dial_code"_s).toInt(), 1);
    QCOMPARE(byCode.value(u"KZ"_s).value(u"dial_code"_s).toInt(), 7);
}

void tst_PhoneApi::check_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("formatted");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("region");

    QTest::addRow("valid German mobile") << u"+4915123456789"_s << true << u"+49 1512 3456789"_s << QString() << u"DE"_s;
    QTest::addRow("valid, typed with spaces") << u"+1 650 253 0000"_s << true << u"+1 650-253-0000"_s << QString()
                                              << u"US"_s;
    QTest::addRow("still typing") << u"+4915"_s << false << u"+49 15"_s << u"too_short"_s << u"DE"_s;
    QTest::addRow("empty") << QString() << false << QString() << u"required"_s << QString();
    QTest::addRow("no plus") << u"4915123456789"_s << false << u"4915123456789"_s << u"not_international"_s
                             << QString();
    QTest::addRow("letters") << u"+49 CALL"_s << false << u"+49 "_s << u"invalid_characters"_s << QString();
    QTest::addRow("unknown country code") << u"+999 1234567"_s << false << u"+9991234567"_s
                                          << u"invalid_country_code"_s << QString();
    QTest::addRow("too long for the USA") << u"+1 650 253 00001"_s << false << u"+165025300001"_s << u"too_long"_s
                                          << u"US"_s;
    // The formatter stops formatting once no pattern of the country fits.
    QTest::addRow("invalid for the USA") << u"+1 123 456 7890"_s << false << u"+11234567890"_s
                                         << u"invalid_number"_s << u"US"_s;
}

void tst_PhoneApi::check()
{
    QFETCH(QString, input);
    QFETCH(bool, valid);
    QFETCH(QString, formatted);
    QFETCH(QString, reason);
    QFETCH(QString, region);

    const HttpResult result = m_client->get(u"/api/phone/check?number="_s + percent(input));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.value(u"input"_s).toString(), input);
    QCOMPARE(result.json.value(u"valid"_s).toBool(), valid);
    QCOMPARE(result.json.value(u"formatted"_s).toString(), formatted);
    QCOMPARE(result.json.value(u"reason"_s).toString(), reason);
    QCOMPARE(result.json.value(u"reason"_s).isNull(), reason.isEmpty());
    QCOMPARE(result.json.value(u"region"_s).toString(), region);
    QCOMPARE(result.json.value(u"e164"_s).isString(), valid);
    QCOMPARE(result.json.value(u"message"_s).isString(), !valid);
}

void tst_PhoneApi::check_agreesWithInitiate_data()
{
    QTest::addColumn<QString>("input");
    for (const QString &input : {u"+49 151 23456789"_s, u"+44 20 7946 0958"_s, u"+7 495 123-45-67"_s, u"+49 151 23"_s,
                                 u"+1 650 253"_s, u"+999 123456789"_s, u"0049 151 23456789"_s, u"+44 (0)20 7946 0958"_s})
        QTest::addRow("%s", qPrintable(input)) << input;
}

// One source of truth: what the check calls valid, initiate takes, with the same E.164; what it
// refuses, initiate refuses with the same message.
void tst_PhoneApi::check_agreesWithInitiate()
{
    QFETCH(QString, input);
    HttpClient client(m_backend->baseUrl());
    client.registerUser(u"check"_s);

    const HttpResult check = client.get(u"/api/phone/check?number="_s + percent(input));
    QCOMPARE(check.status, 200);
    const HttpResult initiated = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, input}});
    if (check.json.value(u"valid"_s).toBool()) {
        QCOMPARE(initiated.status, 200);
        QCOMPARE(initiated.json.value(u"phone_number"_s).toString(), check.json.value(u"e164"_s).toString());
        const HttpResult ended = client.post(u"/api/calls/terminate"_s,
                                             {{u"call_id"_s, initiated.json.value(u"call_id"_s).toString()}});
        QCOMPARE(ended.status, 200);
    } else {
        QCOMPARE(initiated.status, 400);
        QCOMPARE(initiated.json.value(u"message"_s).toString(), check.json.value(u"message"_s).toString());
    }
}

void tst_PhoneApi::check_overlongInput_rejected()
{
    const HttpResult result = m_client->get(u"/api/phone/check?number="_s + QString(129, u'1'));
    QCOMPARE(result.status, 400);
    QVERIFY(result.isErrorFormat());
    QCOMPARE(result.errorType(), u"validation_error"_s);
}

QTEST_GUILESS_MAIN(tst_PhoneApi)
#include "tst_phoneapi.moc"
