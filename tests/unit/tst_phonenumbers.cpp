#include "calls/phonenumbers.h"
#include "printers.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_PhoneNumbers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validNumbersBecomeE164_data();
    void validNumbersBecomeE164();
    void invalidNumbersAreRejected_data();
    void invalidNumbersAreRejected();
    void e164OutputIsAcceptedAgain();
};

void tst_PhoneNumbers::validNumbersBecomeE164_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("e164");

    QTest::addRow("Germany, mobile with spaces") << u"+49 151 23456789"_s << u"+4915123456789"_s;
    QTest::addRow("Germany, compact") << u"+4915123456789"_s << u"+4915123456789"_s;
    QTest::addRow("USA, punctuation") << u"+1 (650) 253-0000"_s << u"+16502530000"_s;
    QTest::addRow("UK, London") << u"+44 20 7946 0958"_s << u"+442079460958"_s;
    QTest::addRow("Russia, Moscow") << u"+7 495 123-45-67"_s << u"+74951234567"_s;
    QTest::addRow("France, dots") << u"+33.1.23.45.67.89"_s << u"+33123456789"_s;
    QTest::addRow("Japan") << u"+81 3-1234-5678"_s << u"+81312345678"_s;
    QTest::addRow("Brazil, mobile") << u"+55 11 91234-5678"_s << u"+5511912345678"_s;
    QTest::addRow("India, mobile") << u"+91 98765 43210"_s << u"+919876543210"_s;
    QTest::addRow("surrounding whitespace") << u"  +49 151 23456789 \t"_s << u"+4915123456789"_s;
    // Parsed once this formats as +5212838684599, which parses as +522838684599: the stored
    // number is the one that reads back as itself (found by fuzz_phone_number).
    QTest::addRow("Mexico, old mobile 1 after a stray 0") << u"+5 (202) 1283868-4599"_s << u"+522838684599"_s;
    QTest::addRow("UK, national trunk 0 in brackets") << u"+44 (0)20 7946 0958"_s << u"+442079460958"_s;
}

void tst_PhoneNumbers::validNumbersBecomeE164()
{
    QFETCH(QString, input);
    QFETCH(QString, e164);
    const Result<QString> result = PhoneNumbers::toE164(input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value(), e164);
}

void tst_PhoneNumbers::invalidNumbersAreRejected_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("message");

    QTest::addRow("empty") << QString() << u"phone_number is required"_s;
    QTest::addRow("only spaces") << u"    "_s << u"phone_number is required"_s;
    QTest::addRow("33 characters")
        << u"+49 151 2345 6789 0000 0000 00000"_s << u"phone_number must be at most 32 characters"_s;
    QTest::addRow("letters") << u"+49 151 CALLME"_s
                             << u"phone_number may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s;
    QTest::addRow("extension") << u"+1 650 253 0000 ext 12"_s
                               << u"phone_number may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s;
    QTest::addRow("SIP URI") << u"sip:+4915123456789@example.com"_s
                             << u"phone_number may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s;
    QTest::addRow("arabic-indic digits") << u"+٤٩١٥١٢٣٤٥٦٧٨٩"_s
                                         << u"phone_number may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s;
    QTest::addRow("newline") << u"+49 151\n23456789"_s
                             << u"phone_number may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s;
    QTest::addRow("no plus") << u"4915123456789"_s
                             << u"phone_number must be in international format, starting with + and the country code"_s;
    QTest::addRow("00 prefix") << u"0049 151 23456789"_s
                               << u"phone_number must be in international format, starting with + and the country code"_s;
    QTest::addRow("national format") << u"(650) 253-0000"_s
                                     << u"phone_number must be in international format, starting with + and the country code"_s;
    QTest::addRow("unknown country code +999") << u"+999 123456789"_s << u"phone_number has an unknown country code"_s;
    QTest::addRow("unknown country code +80") << u"+80 1234 5678"_s << u"phone_number has an unknown country code"_s;
    QTest::addRow("plus only") << u"+"_s << u"phone_number is not a phone number"_s;
    QTest::addRow("too short after country code") << u"+49 1"_s << u"phone_number is too short"_s;
    QTest::addRow("too short for the USA") << u"+1 650 253"_s << u"phone_number is too short for +1 (US)"_s;
    QTest::addRow("short German mobile") << u"+49 151 23"_s << u"phone_number is not a valid number for +49 (DE)"_s;
    QTest::addRow("too long for Germany")
        << u"+49 151 234567890123456"_s << u"phone_number is too long"_s;
    QTest::addRow("too long for the USA") << u"+1 650 253 00001"_s << u"phone_number is too long for +1 (US)"_s;
    QTest::addRow("invalid for the USA, area code 123")
        << u"+1 123 456 7890"_s << u"phone_number is not a valid number for +1 (US)"_s;
    QTest::addRow("invalid for the UK")
        << u"+44 99 1234 5678"_s << u"phone_number is not a valid number for +44 (GB)"_s;
}

void tst_PhoneNumbers::invalidNumbersAreRejected()
{
    QFETCH(QString, input);
    QFETCH(QString, message);
    const Result<QString> result = PhoneNumbers::toE164(input);
    QVERIFY2(!result.ok(), qPrintable(u"accepted as "_s + (result.ok() ? result.value() : QString())));
    QCOMPARE(result.error().code, ErrorCode::Validation);
    QCOMPARE(result.error().message, message);
}

void tst_PhoneNumbers::e164OutputIsAcceptedAgain()
{
    const Result<QString> first = PhoneNumbers::toE164(u"+44 (0)20 7946 0958"_s);
    QVERIFY(first.ok());
    const Result<QString> second = PhoneNumbers::toE164(first.value());
    QVERIFY(second.ok());
    QCOMPARE(second.value(), first.value());
    QVERIFY(first.value().size() <= 16); // E.164: '+' and at most 15 digits, what calls.phone_number holds
}

QTEST_GUILESS_MAIN(tst_PhoneNumbers)
#include "tst_phonenumbers.moc"
