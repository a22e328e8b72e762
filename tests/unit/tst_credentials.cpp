#include "auth/credentials.h"
#include "printers.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

/// `count` copies of one Unicode code point, which may take two UTF-16 units.
QString codePoints(char32_t codePoint, int count)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += QString::fromUcs4(&codePoint, 1);
    return text;
}

/// An address of exactly `length` characters (197 < length <= 260): a 64-character local part and
/// three domain labels of at most 63 characters each.
QString emailOfLength(int length)
{
    const QString fixed = QString(64, u'l') + u'@' + QString(63, u'a') + u'.' + QString(63, u'b') + u'.';
    const QString tld = u".com"_s;
    return fixed + QString(length - int(fixed.size()) - int(tld.size()), u'c') + tld;
}

} // namespace

class tst_Credentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emailIsNormalized_data();
    void emailIsNormalized();
    void invalidEmailIsRejected_data();
    void invalidEmailIsRejected();
    void emailLengthLimitIs254();
    void passwordLength_data();
    void passwordLength();
};

void tst_Credentials::emailIsNormalized_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::addRow("plain") << u"alice@example.com"_s << u"alice@example.com"_s;
    QTest::addRow("upper case") << u"Alice.Smith@Example.COM"_s << u"alice.smith@example.com"_s;
    QTest::addRow("surrounding whitespace") << u"  bob@example.org \t\n"_s << u"bob@example.org"_s;
    QTest::addRow("plus tag") << u"ops+calls@mail.example.co.uk"_s << u"ops+calls@mail.example.co.uk"_s;
    QTest::addRow("punctuation in local part") << u"o'neil_{x}~#@example.com"_s << u"o'neil_{x}~#@example.com"_s;
    QTest::addRow("hyphen and digits in domain") << u"a@sub-1.example-2.io"_s << u"a@sub-1.example-2.io"_s;
    QTest::addRow("64-character local part") << QString(64, u'x') + u"@example.com"_s
                                             << QString(64, u'x') + u"@example.com"_s;
}

void tst_Credentials::emailIsNormalized()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QString> normalized = normalizeEmail(input);
    QVERIFY2(normalized.ok(), qPrintable(normalized.ok() ? QString() : normalized.error().message));
    QCOMPARE(normalized.value(), expected);
}

void tst_Credentials::invalidEmailIsRejected_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("message");

    QTest::addRow("empty") << QString() << u"email is required"_s;
    QTest::addRow("only whitespace") << u"   "_s << u"email is required"_s;
    QTest::addRow("no @") << u"alice.example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("two @") << u"alice@bob@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("no local part") << u"@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("no domain") << u"alice@"_s << u"email is not a valid address"_s;
    QTest::addRow("domain without dot") << u"alice@localhost"_s << u"email is not a valid address"_s;
    QTest::addRow("domain label starts with hyphen") << u"alice@-example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("domain label ends with hyphen") << u"alice@example-.com"_s << u"email is not a valid address"_s;
    QTest::addRow("empty domain label") << u"alice@example..com"_s << u"email is not a valid address"_s;
    QTest::addRow("trailing dot") << u"alice@example.com."_s << u"email is not a valid address"_s;
    QTest::addRow("64-character domain label")
        << u"alice@"_s + QString(64, u'd') + u".com"_s << u"email is not a valid address"_s;
    QTest::addRow("space inside") << u"alice smith@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("newline inside") << u"alice@exa\nmple.com"_s << u"email is not a valid address"_s;
    QTest::addRow("NUL inside") << u"alice\0@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("65-character local part")
        << QString(65, u'x') + u"@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("unicode local part") << u"jürgen@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("unicode domain") << u"alice@bücher.de"_s << u"email is not a valid address"_s;
    QTest::addRow("cyrillic homograph") << u"аlice@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("emoji") << u"\U0001F600@example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("fullwidth at sign") << u"alice\uFF20example.com"_s << u"email is not a valid address"_s;
    QTest::addRow("SQL") << u"' OR 1=1 --@example.com"_s << u"email is not a valid address"_s;
}

void tst_Credentials::invalidEmailIsRejected()
{
    QFETCH(QString, input);
    QFETCH(QString, message);
    const Result<QString> normalized = normalizeEmail(input);
    QVERIFY2(!normalized.ok(), qPrintable(u"accepted as "_s + (normalized.ok() ? normalized.value() : QString())));
    QCOMPARE(normalized.error().code, ErrorCode::Validation);
    QCOMPARE(normalized.error().message, message);
}

void tst_Credentials::emailLengthLimitIs254()
{
    const QString longest = emailOfLength(kMaxEmailLength);
    QCOMPARE(longest.size(), 254);
    const Result<QString> accepted = normalizeEmail(longest);
    QVERIFY2(accepted.ok(), qPrintable(accepted.ok() ? QString() : accepted.error().message));
    QCOMPARE(accepted.value(), longest);

    // Surrounding whitespace does not count towards the limit.
    QVERIFY(normalizeEmail(u"  "_s + longest + u"  "_s).ok());

    const QString tooLong = emailOfLength(kMaxEmailLength + 1);
    QCOMPARE(tooLong.size(), 255);
    const Result<QString> rejected = normalizeEmail(tooLong);
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.error().code, ErrorCode::Validation);
    QCOMPARE(rejected.error().message, u"email must be at most 254 characters"_s);
}

void tst_Credentials::passwordLength_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("accepted");

    QTest::addRow("empty") << QString() << false;
    QTest::addRow("7 characters") << u"abcdefg"_s << false;
    QTest::addRow("8 characters") << u"abcdefgh"_s << true;
    QTest::addRow("8 spaces") << QString(8, u' ') << true;
    QTest::addRow("128 characters") << QString(128, u'p') << true;
    QTest::addRow("129 characters") << QString(129, u'p') << false;
    QTest::addRow("1000 characters") << QString(1000, u'p') << false;
    // Counted in code points: an emoji is two UTF-16 units but one character.
    QTest::addRow("7 emoji (14 UTF-16 units)") << codePoints(U'\U0001F511', 7) << false;
    QTest::addRow("8 emoji") << codePoints(U'\U0001F511', 8) << true;
    QTest::addRow("128 emoji (256 UTF-16 units)") << codePoints(U'\U0001F511', 128) << true;
    QTest::addRow("129 emoji") << codePoints(U'\U0001F511', 129) << false;
    QTest::addRow("8 cyrillic letters") << u"пароль12"_s << true;
    QTest::addRow("7 CJK characters") << u"密码密码密码密"_s << false;
}

void tst_Credentials::passwordLength()
{
    QFETCH(QString, password);
    QFETCH(bool, accepted);
    const Status valid = validatePassword(password);
    QCOMPARE(valid.ok(), accepted);
    if (!accepted) {
        QCOMPARE(valid.error().code, ErrorCode::Validation);
        QCOMPARE(valid.error().message, u"password must be 8 to 128 characters long"_s);
    }
}

QTEST_GUILESS_MAIN(tst_Credentials)
#include "tst_credentials.moc"
