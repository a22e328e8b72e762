// The small pieces of view logic: tel: links, what the softphone host allows and injects, and the
// language switch reaching every text the C++ side hands to QML.

#include "language.h"
#include "singleinstance.h"
#include "softphonehost.h"
#include "telurl.h"
#include "texts.h"

#include <QCoreApplication>
#include <QFile>
#include <QXmlStreamReader>
#include <QJSEngine>
#include <QRegularExpression>
#include <QQmlEngine>
#include <QSettings>
#include <QSignalSpy>
#include <QUuid>
#include <QStandardPaths>
#include <QFileInfo>
#include <QDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard::Gui;

class tst_ViewLogic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void telUri_data();
    void telUri();

    void ownOrigin_data();
    void ownOrigin();
    void bootstrapScript_isInertData();
    void bootstrapScript_onlyForTheServersOrigin_data();
    void bootstrapScript_onlyForTheServersOrigin();
    void navigation_staysOnTheServer_data();
    void navigation_staysOnTheServer();
    void callScript_onlyNamesAFunction();

    void singleInstance_handsTheNumberToTheRunningOne();
    void language_switchesEveryTextAndPersists();
    void texts_coverEveryApiErrorType();
    void translation_isComplete();
};

void tst_ViewLogic::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QSettings().clear();
}

void tst_ViewLogic::telUri_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("number");
    QTest::addRow("plain") << u"tel:+4915123456789"_s << u"+4915123456789"_s;
    QTest::addRow("visual separators") << u"tel:+49-151-234.567(89)"_s << u"+49-151-234.567(89)"_s;
    QTest::addRow("percent-encoded") << u"tel:%2B49%20151%2023456789"_s << u"+49 151 23456789"_s;
    QTest::addRow("parameters dropped") << u"tel:+4915123456789;phone-context=example.com"_s << u"+4915123456789"_s;
    QTest::addRow("upper case scheme") << u"TEL:+4915123456789"_s << u"+4915123456789"_s;
    QTest::addRow("script is stripped") << u"tel:+49<script>1"_s << u"+491"_s;
    QTest::addRow("not tel") << u"https://example.com"_s << QString();
    QTest::addRow("bare number") << u"+4915123456789"_s << QString();
}

void tst_ViewLogic::telUri()
{
    QFETCH(QString, argument);
    QFETCH(QString, number);
    QCOMPARE(numberFromTelUri(argument), number);
}

void tst_ViewLogic::ownOrigin_data()
{
    QTest::addColumn<QUrl>("origin");
    QTest::addColumn<bool>("own");
    QTest::addRow("the server") << QUrl(u"http://127.0.0.1:8080"_s) << true;
    QTest::addRow("the server, with /") << QUrl(u"http://127.0.0.1:8080/"_s) << true;
    QTest::addRow("another port") << QUrl(u"http://127.0.0.1:8081"_s) << false;
    QTest::addRow("localhost") << QUrl(u"http://localhost:8080"_s) << false;
    QTest::addRow("https") << QUrl(u"https://127.0.0.1:8080"_s) << false;
    QTest::addRow("a path") << QUrl(u"http://127.0.0.1:8080/softphone/"_s) << false;
    QTest::addRow("user info") << QUrl(u"http://a@127.0.0.1:8080"_s) << false;
    QTest::addRow("elsewhere") << QUrl(u"https://elsewhere.example"_s) << false;
    QTest::addRow("empty") << QUrl() << false;
}

void tst_ViewLogic::ownOrigin()
{
    QFETCH(QUrl, origin);
    QFETCH(bool, own);
    SoftphoneHost host;
    host.setBaseUrl(QUrl(u"http://127.0.0.1:8080"_s));
    QCOMPARE(host.isOwnOrigin(origin), own);
    QCOMPARE(host.pageUrl(), QUrl(u"http://127.0.0.1:8080/softphone/"_s));
}

void tst_ViewLogic::bootstrapScript_isInertData()
{
    SoftphoneHost host;
    host.setBaseUrl(QUrl(u"http://127.0.0.1:8080"_s));
    const QString hostile = u"x\"; alert(1); //</script>\u2028"_s;
    const QString script = host.bootstrapScript(hostile, u"ru"_s, {{u"--bg"_s, u"#12161c"_s}, {u"--fg"_s, hostile}});
    QJSEngine engine;
    QJSValue window = engine.newObject();
    QJSValue location = engine.newObject();
    location.setProperty(u"origin"_s, u"http://127.0.0.1:8080"_s);
    window.setProperty(u"location"_s, location);
    engine.globalObject().setProperty(u"window"_s, window);
    const QJSValue result = engine.evaluate(script);
    QVERIFY2(!result.isError(), qPrintable(result.toString()));
    const QJSValue injected = engine.globalObject().property(u"window"_s).property(u"switchboardHost"_s);
    QCOMPARE(injected.property(u"token"_s).toString(), hostile); // data, never code
    QCOMPARE(injected.property(u"language"_s).toString(), u"ru"_s);
    QCOMPARE(injected.property(u"theme"_s).property(u"--bg"_s).toString(), u"#12161c"_s);
    QCOMPARE(injected.property(u"theme"_s).property(u"--fg"_s).toString(), hostile);
    QVERIFY(!script.contains(u"</script>"_s));
}

void tst_ViewLogic::bootstrapScript_onlyForTheServersOrigin_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("injected");

    QTest::addRow("own") << u"http://127.0.0.1:8080"_s << true;
    QTest::addRow("other port") << u"http://127.0.0.1:8081"_s << false;
    QTest::addRow("other host") << u"https://evil.example"_s << false;
    QTest::addRow("opaque (data:, sandboxed)") << u"null"_s << false;
}

void tst_ViewLogic::bootstrapScript_onlyForTheServersOrigin()
{
    QFETCH(QString, origin);
    QFETCH(bool, injected);

    // The view runs the script in every document it loads; only the server's pages get the token.
    SoftphoneHost host;
    host.setBaseUrl(QUrl(u"http://127.0.0.1:8080"_s));
    QJSEngine engine;
    QJSValue window = engine.newObject();
    QJSValue location = engine.newObject();
    location.setProperty(u"origin"_s, origin);
    window.setProperty(u"location"_s, location);
    engine.globalObject().setProperty(u"window"_s, window);
    const QJSValue result = engine.evaluate(host.bootstrapScript(u"secret-token"_s, u"en"_s, {}));
    QVERIFY2(!result.isError(), qPrintable(result.toString()));
    QCOMPARE(!window.property(u"switchboardHost"_s).isUndefined(), injected);

    // So does a refreshed token handed over later.
    engine.evaluate(u"window.softphoneUi = { setToken(token) { window.handed = token; } };"_s);
    const QJSValue handed = engine.evaluate(host.tokenScript(u"fresh-token"_s));
    QVERIFY2(!handed.isError(), qPrintable(handed.toString()));
    QCOMPARE(window.property(u"handed"_s).toString() == u"fresh-token"_s, injected);
}

void tst_ViewLogic::navigation_staysOnTheServer_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<bool>("loads");
    QTest::addColumn<bool>("external");

    QTest::addRow("the softphone") << QUrl(u"http://127.0.0.1:8080/softphone/?x=1#y"_s) << true << false;
    QTest::addRow("about:blank") << QUrl(u"about:blank"_s) << true << false;
    QTest::addRow("data") << QUrl(u"data:text/html,<b>x</b>"_s) << false << false;
    QTest::addRow("a web page") << QUrl(u"https://www.twilio.com/docs"_s) << false << true;
    QTest::addRow("another port") << QUrl(u"http://127.0.0.1:9999/"_s) << false << true;
    QTest::addRow("a mail link") << QUrl(u"mailto:ops@example.com"_s) << false << true;
    QTest::addRow("a file") << QUrl(u"file:///etc/passwd"_s) << false << false;
    QTest::addRow("javascript") << QUrl(u"javascript:alert(1)"_s) << false << false;
}

void tst_ViewLogic::navigation_staysOnTheServer()
{
    QFETCH(QUrl, url);
    QFETCH(bool, loads);
    QFETCH(bool, external);

    SoftphoneHost host;
    host.setBaseUrl(QUrl(u"http://127.0.0.1:8080"_s));
    QCOMPARE(host.mayNavigate(url), loads);
    QCOMPARE(host.opensExternally(url), external);
}

void tst_ViewLogic::callScript_onlyNamesAFunction()
{
    SoftphoneHost host;
    QCOMPARE(host.callScript(u"setNumber"_s, u"+49 151\"x"_s), u"window.softphoneUi?.setNumber(\"+49 151\\\"x\");"_s);
    QVERIFY(host.callScript(u"alert(1);x"_s, {}).isEmpty());
    // The theme goes over as an object literal of data.
    QCOMPARE(host.callScript(u"setTheme"_s, QVariantMap{{u"--bg"_s, u"</script>"_s}}),
             u"window.softphoneUi?.setTheme({\"--bg\":\"\\u003c/script>\"});"_s);
}

void tst_ViewLogic::singleInstance_handsTheNumberToTheRunningOne()
{
    const QString key = u"/tmp/data-"_s + QUuid::createUuid().toString(QUuid::Id128);
    SingleInstance second(key);
    QVERIFY(!second.forward(u"+4915123456789"_s)); // nobody runs yet: this start becomes the console

    SingleInstance running(key);
    QVERIFY(running.listen());
    QSignalSpy activated(&running, &SingleInstance::activated);
    QVERIFY(second.forward(u"+4915123456789"_s));
    QTRY_COMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), u"+4915123456789"_s);
    QVERIFY(second.forward(QString())); // a start without a link brings it forward
    QTRY_COMPARE(activated.size(), 2);
    QCOMPARE(activated.last().first().toString(), QString());

    // Another data directory is another console.
    SingleInstance elsewhere(key + u"-other"_s);
    QVERIFY(!elsewhere.forward(u"+4915123456789"_s));
    QCOMPARE(activated.size(), 2);

    // The socket is not at a predictable name in the shared /tmp: it is in a folder only this
    // user can enter (XDG_RUNTIME_DIR, or a 0700 folder of ours).
    const QFileInfo folder(QFileInfo(running.socketPath()).absolutePath());
    QVERIFY2(folder.absoluteFilePath() != QDir::tempPath(), qPrintable(running.socketPath()));
    QCOMPARE(folder.ownerId(), ::getuid());
    QCOMPARE(folder.permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther
                                     | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup),
             QFileDevice::Permissions());
}

void tst_ViewLogic::language_switchesEveryTextAndPersists()
{
    QQmlEngine engine;
    auto *language = Language::create(&engine, nullptr);
    QCOMPARE(language->code(), u"en"_s);
    QCOMPARE(Texts::callStatus(u"active"_s), u"In call"_s);

    language->setCode(u"ru"_s);
    QCOMPARE(language->code(), u"ru"_s);
    QCOMPARE(QSettings().value(u"ui/language"_s).toString(), u"ru"_s);
    QCOMPARE(Texts::callStatus(u"active"_s), u"Идёт разговор"_s);
    QCOMPARE(Texts::error(u"invalid_credentials"_s), u"Неверная эл. почта или пароль."_s);
    QCOMPARE(Texts::failureReason(u"busy"_s), u"занято"_s);
    QCOMPARE(QLocale().language(), QLocale::Russian);

    language->setCode(u"de"_s); // not ours: ignored
    QCOMPARE(language->code(), u"ru"_s);

    // A new start takes the stored choice.
    delete language;
    QCOMPARE(Language::stored(), u"ru"_s);
    language = Language::create(&engine, nullptr);
    QCOMPARE(Texts::notice(u"logged_out"_s), u"Вы вышли из системы."_s);
    language->setCode(u"en"_s);
    QCOMPARE(Texts::callStatus(u"active"_s), u"In call"_s);
    delete language;
}

// Every `error` type the API documents has its own words (not the fallback) in both languages.
void tst_ViewLogic::texts_coverEveryApiErrorType()
{
    const QStringList types{u"validation_error"_s,   u"invalid_credentials"_s, u"user_already_exists"_s,
                            u"rate_limited"_s,       u"unauthorized"_s,        u"call_already_active"_s,
                            u"call_initiation_failed"_s, u"call_not_found"_s,  u"invalid_call_state"_s,
                            u"service_unavailable"_s, u"server_unreachable"_s, u"payload_too_large"_s,
                            u"insufficient_scope"_s, u"key_not_found"_s, u"idempotency_key_in_use"_s,
                            u"contact_not_found"_s,  u"contact_already_exists"_s, u"not_found"_s,
                            u"server_busy"_s,
                            // The console's own, for the team section's answers.
                            u"team_needs_admin"_s,   u"policy_invalid"_s,      u"policy_unavailable"_s};
    QQmlEngine engine;
    auto *language = Language::create(&engine, nullptr);
    for (const QString &code : {u"en"_s, u"ru"_s}) {
        language->setCode(code);
        for (const QString &type : types) {
            const QString text = Texts::error(type);
            QVERIFY2(!text.isEmpty() && text != Texts::error(u"no such type"_s), qPrintable(code + u' ' + type));
            // In Russian no Latin word but the product's name (and country codes) is left:
            // nothing fell back to English.
            if (code == u"ru"_s) {
                static const QRegularExpression latin(u"[A-Za-z]"_s);
                const QString words = QString(text).remove(u"Switchboard"_s).remove(u"GB"_s).remove(u"DE"_s);
                QVERIFY2(!words.contains(latin), qPrintable(u"untranslated: "_s + text));
            }
        }
    }
    language->setCode(u"en"_s);
    delete language;
}

// Every text lupdate found in the QML pages and the C++ texts has a finished Russian translation
// (the build's `switchboard_gui_lupdate` target refreshes the file from the sources).
void tst_ViewLogic::translation_isComplete()
{
    QFile file(QStringLiteral(SWITCHBOARD_RU_TS));
    QVERIFY2(file.open(QIODevice::ReadOnly), SWITCHBOARD_RU_TS);
    QXmlStreamReader xml(&file);
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"source"_s) {
            source = xml.readElementText();
        } else if (xml.name() == u"translation"_s) {
            ++messages;
            const QString type = xml.attributes().value(u"type"_s).toString();
            QVERIFY2(type.isEmpty(), qPrintable(u"%1: %2"_s.arg(type, source)));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(u"untranslated: "_s + source));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(messages >= 80, qPrintable(QString::number(messages)));
}

QTEST_GUILESS_MAIN(tst_ViewLogic)
#include "tst_viewlogic.moc"
