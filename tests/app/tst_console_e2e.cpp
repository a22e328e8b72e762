// The operator console end to end, as an operator uses it, under a real X server (Xvfb): the
// console's own Main.qml over the real backend (mock provider with its GStreamer far end, real
// WebRTC), driven by key presses and mouse clicks (JavaScript only reads the page, except to clear
// the number field once before the redial):
// register on the login page → the softphone page opens with the token handed over → type a
// mock number, press Enter → "In call" → Escape hangs up → Ctrl+2 opens History, where the call
// is listed as completed with its duration → the wrap-up offered after the call records an
// outcome and a note, shown on the row → "Add contact" on the row names the number, and
// Contacts (Ctrl+3) lists it → Enter on the row redials (the number is back in the
// softphone) → Ctrl+4 shows the call counted on the Dashboard → the console's permission handler
// refuses the camera and refuses the microphone to another origin → log out →
// back on the login page with a notice. The operator sees no Team section (its rail button is
// hidden, Ctrl+6 goes nowhere); the team's admin, logging in on the same console, does: Ctrl+6
// lists the accounts, an account added through its dialog appears in the list and in the audit
// trail. Once in English and once in Russian (the stored choice
// of language at start), every text checked in the language of the run. On the way, in the
// console's smallest window (1024×680): the softphone page passes the look checks (one font,
// nothing scrolls, WCAG AA contrast) idle and in a call, in the light and the dark theme, which
// reaches the page at run time; the keypad sends DTMF by mouse clicks; F1 shows the help overlay
// (Escape closes it without ending the call) and `?` shows it on the History page.
//
// With SWITCHBOARD_SCREENSHOTS=<folder> it also saves the window at each step in the light and
// the dark theme (docs/screenshots).
//
// The page only gets the microphone through the console's own permission handler (granted to the
// server's origin): Chromium runs with --use-fake-device-for-media-stream (a synthetic device),
// never --use-fake-ui-for-media-stream, which would bypass that handler.

#include "callactivitychart.h"
#include "dashboardstats.h"
#include "eventstream.h"
#include "historymodel.h"
#include "httpclient.h"
#include "testbackend.h"
#include "theme.h"
#include "trayicon.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QApplication>
#include <QJSEngine>
#include <QQmlApplicationEngine>
#include <QQmlEngineExtensionPlugin>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include <cstdio>
#include <cstdlib>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)
Q_IMPORT_QML_PLUGIN(Switchboard_GuiPlugin)

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::HistoryModel;
using Switchboard::Gui::Theme;

namespace {

constexpr auto kNumber = "+4915123456789"; // a normal number: the mock far end answers and echoes
constexpr auto kPassword = "correct horse battery";

/// Receives what WebEngineView.runJavaScript() hands its callback.
class JsResult : public QObject
{
    Q_OBJECT
public:
    bool done = false;
    QVariant value;
    Q_INVOKABLE void take(const QVariant &result)
    {
        value = result;
        done = true;
    }
};

} // namespace

class tst_ConsoleE2E : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void operator_registersCallsHangsUpAndFindsTheCall_data();
    void operator_registersCallsHangsUpAndFindsTheCall();
    void admin_managesTheTeam_data();
    void admin_managesTheTeam();
    void crm_clickToCallPopsUpAndConnects_data();
    void crm_clickToCallPopsUpAndConnects();

private:
    void screenshot(const QString &step);

    QQuickItem *item(const char *objectName);
    void click(const char *objectName);
    void clickInPage(const QString &selector);
    void type(const QString &text);
    QVariant evaluate(const QString &script);
    QStringList pageProblems(const QString &check);
    void checkPageLooks(const QString &state);
    Theme *theme();

    std::unique_ptr<TestBackend> m_backend;
    QString m_adminEmail; ///< the first account, so the team's admin; every other is an operator
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    QObject *m_view = nullptr;
};

void tst_ConsoleE2E::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the language setting stays out of the user's config
    m_backend = std::make_unique<TestBackend>(
        QHash<QString, QString>{{u"VOIP_MOCK_MEDIA"_s, u"on"_s}, {u"VOIP_MOCK_RINGBACK_MS"_s, u"300"_s}});
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    HttpClient admin(m_backend->baseUrl());
    m_adminEmail = HttpClient::uniqueEmail(u"e2e-admin"_s);
    QCOMPARE(admin.post(u"/api/auth/register"_s, {{u"email"_s, m_adminEmail}, {u"password"_s, QString::fromLatin1(kPassword)}})
                 .json.value(u"user"_s).toObject().value(u"role"_s).toString(),
             u"admin"_s);
}

void tst_ConsoleE2E::init()
{
    // The language stored by a previous run is what the console starts in; the theme starts light.
    QSettings().setValue(u"ui/language"_s, QString::fromLatin1(QTest::currentDataTag()));
    QSettings().setValue(u"ui/theme"_s, u"light"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_engine->setInitialProperties({{u"apiUrl"_s, m_backend->baseUrl().toString()},
                                    {u"databaseName"_s, u"sqlite (test)"_s},
                                    {u"providerName"_s, u"mock"_s}});
    m_engine->load(QUrl(u"qrc:/qt/qml/Switchboard/Main.qml"_s));
    QCOMPARE(m_engine->rootObjects().size(), 1);
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    QVERIFY(m_window);
    m_window->resize(1024, 680); // the smallest size the call page is designed for
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_window->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
}

void tst_ConsoleE2E::cleanup()
{
    m_view = nullptr;
    m_window = nullptr;
    m_engine.reset();
    // The view's parts that QtWebEngine deletes later go now, while Chromium still runs: after the
    // last test nothing would run them until the application's teardown, where deleting a view
    // can wait for a GPU process already gone (the test then hung after its last case passed).
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QTest::qWait(100);
}

void tst_ConsoleE2E::cleanupTestCase()
{
    QSettings().remove(u"ui/language"_s);
    QSettings().remove(u"ui/theme"_s);
    m_backend.reset();
}

void tst_ConsoleE2E::screenshot(const QString &step)
{
    const QString folder = qEnvironmentVariable("SWITCHBOARD_SCREENSHOTS");
    if (folder.isEmpty())
        return;
    for (const auto mode : {Theme::Mode::Light, Theme::Mode::Dark}) {
        theme()->setMode(mode);
        QTest::qWait(700); // let the page paint what the last step (and the theme) changed
        const QString file = u"%1/%2-%3-%4.png"_s.arg(folder, step, QString::fromLatin1(QTest::currentDataTag()),
                                                       mode == Theme::Mode::Light ? u"light"_s : u"dark"_s);
        QVERIFY2(m_window->grabWindow().save(file), qPrintable(file));
    }
    theme()->setMode(Theme::Mode::Light);
}

Theme *tst_ConsoleE2E::theme()
{
    return m_engine->singletonInstance<Theme *>(qmlTypeId("Switchboard.Gui", 1, 0, "Theme"));
}

void tst_ConsoleE2E::operator_registersCallsHangsUpAndFindsTheCall_data()
{
    QTest::addColumn<QString>("providerLine");
    QTest::addColumn<QString>("inCall");
    QTest::addColumn<QString>("finished");
    QTest::addColumn<QString>("completed");
    QTest::addColumn<QString>("loggedOut");
    QTest::addColumn<QString>("tones");
    QTest::addColumn<QString>("helpTitle");
    QTest::addColumn<QString>("onHold");
    QTest::addRow("en") << u"Provider: mock"_s << u"In call"_s << u"Finished"_s << u"Completed"_s
                        << u"You have logged out."_s << u"Tones: 1#"_s << u"Keyboard shortcuts"_s << u"On hold"_s;
    QTest::addRow("ru") << u"Оператор связи: mock"_s << u"Идёт разговор"_s << u"Завершён"_s << u"Завершён"_s
                        << u"Вы вышли из системы."_s << u"Тоны: 1#"_s << u"Сочетания клавиш"_s << u"На удержании"_s;
}

namespace {

/// The first visible item of that name under `root` in the scene (a list's rows are there, though
/// no QObject parent leads to them).
QQuickItem *visibleInScene(QQuickItem *root, QLatin1StringView objectName)
{
    for (QQuickItem *child : root->childItems()) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == objectName)
            return child;
        // Below the web view are Chromium's own items, built without RTTI: UBSan's vptr check
        // fails on them, and nothing of ours is there (a search for an item that is not shown
        // walks the whole scene).
        if (child->inherits("QQuickWebEngineView"))
            continue;
        if (QQuickItem *found = visibleInScene(child, objectName))
            return found;
    }
    return nullptr;
}

} // namespace

/// The visible item of that name (list rows and dialogs repeat names), else the first found.
QQuickItem *tst_ConsoleE2E::item(const char *objectName)
{
    if (!m_window)
        return nullptr;
    if (QQuickItem *visible = visibleInScene(m_window->contentItem(), QLatin1StringView(objectName)))
        return visible;
    return m_window->findChild<QQuickItem *>(QLatin1StringView(objectName));
}

void tst_ConsoleE2E::click(const char *objectName)
{
    QQuickItem *target = item(objectName);
    if (!target || !target->isVisible())
        QFAIL(qPrintable(u"no visible item "_s + QLatin1StringView(objectName)));
    const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
    QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
}

/// A mouse click on the middle of the page's element `selector`, where the window shows it.
void tst_ConsoleE2E::clickInPage(const QString &selector)
{
    const QVariantList centre = evaluate(u"(() => { const r = document.querySelector(\"%1\").getBoundingClientRect(); "
                                         "return [r.x + r.width / 2, r.y + r.height / 2]; })()"_s.arg(selector))
                                    .toList();
    QVERIFY2(centre.size() == 2, qPrintable(selector));
    auto *view = qobject_cast<QQuickItem *>(m_view);
    const QPointF point = view->mapToScene(QPointF(centre[0].toDouble(), centre[1].toDouble()));
    QTest::mouseClick(m_window, Qt::LeftButton, {}, point.toPoint());
}

/// What pagechecks.js (shared with the Chromium tests) finds wrong with the page: `fonts`,
/// `overflow` or `contrast`.
QStringList tst_ConsoleE2E::pageProblems(const QString &check)
{
    if (evaluate(u"typeof window.pageChecks"_s).toString() != u"object"_s) {
        QFile file(QStringLiteral(SWITCHBOARD_PAGECHECKS));
        if (!file.open(QIODevice::ReadOnly))
            return {u"cannot read "_s + file.fileName()};
        evaluate(QString::fromUtf8(file.readAll()));
    }
    return evaluate(u"window.pageChecks.%1()"_s.arg(check)).toStringList();
}

/// The page in the console passes every look check, in the light and in the dark theme; the
/// theme reaches the page at run time.
void tst_ConsoleE2E::checkPageLooks(const QString &state)
{
    for (const auto mode : {Theme::Mode::Light, Theme::Mode::Dark}) {
        theme()->setMode(mode);
        const QString background = theme()->background().name();
        QTRY_COMPARE(evaluate(u"getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()"_s).toString(),
                     background);
        for (const QString &check : {u"fonts"_s, u"overflow"_s, u"contrast"_s}) {
            const QStringList problems = pageProblems(check);
            QVERIFY2(problems.isEmpty(), qPrintable(u"%1, %2, %3:\n"_s.arg(state, theme()->dark() ? u"dark"_s : u"light"_s, check)
                                                    + problems.join(u'\n')));
        }
    }
    theme()->setMode(Theme::Mode::Light);
}

void tst_ConsoleE2E::type(const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(m_window, c.toLatin1());
}

QVariant tst_ConsoleE2E::evaluate(const QString &script)
{
    JsResult sink;
    QQmlEngine::setObjectOwnership(&sink, QQmlEngine::CppOwnership);
    QJSValue factory = m_engine->evaluate(u"(function (sink) { return function (r) { sink.take(r); }; })"_s);
    const QJSValue callback = factory.call({m_engine->newQObject(&sink)});
    QMetaObject::invokeMethod(m_view, "runJavaScript", Q_ARG(QString, script), Q_ARG(QJSValue, callback));
    if (!QTest::qWaitFor([&sink] { return sink.done; }, 10000))
        qWarning().noquote() << "the page did not answer:" << script;
    return sink.value;
}

void tst_ConsoleE2E::operator_registersCallsHangsUpAndFindsTheCall()
{
    QFETCH(QString, providerLine);
    QFETCH(QString, inCall);
    QFETCH(QString, finished);
    QFETCH(QString, completed);
    QFETCH(QString, loggedOut);
    QFETCH(QString, tones);
    QFETCH(QString, helpTitle);
    QFETCH(QString, onHold);

    screenshot(u"login"_s);
    // --- Register on the login page: typing starts in the email field.
    QTRY_VERIFY(item("email")->hasActiveFocus());
    click("switchMode");
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY(item("confirmation")->isVisible());
    QTRY_VERIFY(item("email")->hasActiveFocus());
    type(u"e2e-%1-%2@example.com"_s.arg(QCoreApplication::applicationPid()).arg(QString::fromLatin1(QTest::currentDataTag())));
    QTest::keyClick(m_window, Qt::Key_Tab);
    type(QString::fromLatin1(kPassword));
    QTest::keyClick(m_window, Qt::Key_Tab);
    type(QString::fromLatin1(kPassword));
    QTest::keyClick(m_window, Qt::Key_Return);

    // --- The console opens on the call page: the softphone, already logged in with the handed-over token.
    QTRY_VERIFY_WITH_TIMEOUT((m_view = item("softphoneView")) != nullptr, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(m_view->property("loadProgress").toInt(), 100, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"typeof window.softphone?.dial"_s).toString(), u"function"_s, 15000);
    QVERIFY(!m_view->property("url").toUrl().toString().contains(u"token"_s)); // never in a URL
    QVERIFY(!evaluate(u"window.softphone.token"_s).toString().isEmpty());
    QCOMPARE(evaluate(u"document.getElementById('login').hidden"_s).toBool(), true);
    QCOMPARE(item("statusProvider")->property("text").toString(), providerLine);
    QCOMPARE(item("statusApi")->property("text").toString(), u"API: "_s + m_backend->baseUrl().toString());
    // An operator has no Team section: no rail button shown (Settings is), and Ctrl+6 goes nowhere.
    QVERIFY(item("tabSettings") && item("tabSettings")->isVisible());
    const QQuickItem *team = item("tabTeam");
    QVERIFY(!team || !team->isVisible());
    QTest::keyClick(m_window, Qt::Key_6, Qt::ControlModifier);
    QCOMPARE(item("navigation")->property("currentIndex").toInt(), 0);
    QVERIFY(!item("teamTabs"));

    // --- The page looks like the console, fits its window and reads well, light and dark.
    QTRY_VERIFY_WITH_TIMEOUT(m_view->property("activeFocus").toBool(), 10000);
    QTRY_COMPARE(evaluate(u"document.activeElement?.id ?? ''"_s).toString(), u"number"_s);
    checkPageLooks(u"idle"_s);
    if (QTest::currentTestFailed())
        return;

    // --- Type the number into the softphone and press Enter: the number field has the focus.
    type(QString::fromLatin1(kNumber));
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"document.getElementById('number-hint').dataset.valid"_s).toString(),
                              u"true"_s, 10000);
    QTest::keyClick(m_window, Qt::Key_Return);

    // --- Connecting, then in call (ICE/DTLS with the far end, 300 ms of ringing).
    const QString statusScript = u"document.getElementById('status').dataset.status"_s;
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(statusScript).toString() == u"active"_s
                                 || evaluate(statusScript).toString() == u"failed"_s,
                             30000);
    QCOMPARE(evaluate(statusScript).toString(), u"active"_s);
    QCOMPARE(evaluate(u"document.getElementById('status').textContent"_s).toString(), inCall);
    QElapsedTimer activeSince;
    activeSince.start();
    // The microphone came through the console's permission handler: a live fake-device track.
    QCOMPARE(evaluate(u"softphone.localStream?.getAudioTracks()[0]?.readyState ?? ''"_s).toString(), u"live"_s);
    // The timer runs and the quality figures arrive from getStats().
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"document.getElementById('timer').textContent"_s).toString(), u"0:02"_s,
                              10000);
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(u"document.getElementById('quality').textContent"_s).toString().contains(u"MOS"_s),
                             10000);

    // --- The keypad: a click shows it, clicks on its keys send tones (listed under it).
    clickInPage(u"#keypad-toggle"_s);
    QTRY_COMPARE(evaluate(u"getComputedStyle(document.getElementById('dialpad')).display"_s).toString(), u"grid"_s);
    clickInPage(u"#dialpad button[data-key='1']"_s);
    clickInPage(u"#dialpad button[data-key='#']"_s);
    QTRY_VERIFY(evaluate(u"document.getElementById('tones').textContent"_s).toString().startsWith(tones));
    checkPageLooks(u"in a call, keypad shown"_s);
    if (QTest::currentTestFailed())
        return;
    screenshot(u"call"_s);

    // --- Hold and resume by mouse, once the server offers the route (the backend adds it separately).
    const bool holdOffered = HttpClient(m_backend->baseUrl()).get(u"/api/openapi.json"_s).json
                                 .value(u"paths"_s).toObject().contains(u"/api/calls/{id}/hold"_s);
    if (holdOffered) {
        clickInPage(u"#hold"_s);
        QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"document.getElementById('hold').getAttribute('aria-pressed')"_s).toString(),
                                  u"true"_s, 10000);
        QCOMPARE(evaluate(u"document.getElementById('hold-state').textContent.trim()"_s).toString(), onHold);
        clickInPage(u"#hold"_s);
        QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"document.getElementById('hold').getAttribute('aria-pressed')"_s).toString(),
                                  u"false"_s, 10000);
    } else {
        qInfo("hold and resume: waiting for the backend's POST /api/calls/{id}/hold");
    }

    // --- F1: the help overlay lists the shortcuts in the operator's language; Escape closes it and
    // the call goes on.
    QTest::keyClick(m_window, Qt::Key_F1);
    QObject *overlay = m_window->findChild<QObject *>(u"helpOverlay"_s);
    QVERIFY(overlay);
    QTRY_VERIFY(overlay->property("opened").toBool());
    const QList<QQuickItem *> texts = overlay->findChildren<QQuickItem *>();
    QVERIFY2(std::any_of(texts.cbegin(), texts.cend(),
                         [&](const QQuickItem *text) { return text->property("text").toString() == helpTitle; }),
             qPrintable(helpTitle));
    screenshot(u"help"_s);
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_VERIFY(!overlay->property("visible").toBool());
    QCOMPARE(evaluate(statusScript).toString(), u"active"_s);
    QTRY_VERIFY(m_view->property("activeFocus").toBool());

    // --- Ctrl+4 during the call: the Dashboard shows it live; Ctrl+1 goes back to the softphone.
    QTest::keyClick(m_window, Qt::Key_4, Qt::ControlModifier);
    auto *stats = m_window->findChild<Switchboard::Gui::DashboardStats *>();
    QVERIFY(stats);
    QTRY_VERIFY(stats->running());
    QTRY_COMPARE_WITH_TIMEOUT(stats->activeSessions(), 1.0, 10000);
    // The charts of today's calls: this one is in its hour's "in progress" bar.
    auto *activity = m_window->findChild<Switchboard::Gui::CallActivityChart *>();
    QVERIFY(activity);
    QTRY_VERIFY(activity->available());
    const auto inProgress = [activity] {
        int calls = 0;
        for (const QVariant &count : activity->live())
            calls += count.toInt();
        return calls;
    };
    QTRY_COMPARE(inProgress(), 1);
    screenshot(u"dashboard"_s);
    // Ctrl+5: Settings, with the language and the theme switches.
    QTest::keyClick(m_window, Qt::Key_5, Qt::ControlModifier);
    QTRY_VERIFY(item("settingsTheme") && item("settingsTheme")->isVisible());
    QVERIFY(item("settingsLanguage")->isVisible());
    // Xvfb has no system tray: the choice to keep running in it is shown, disabled, and says why.
    QVERIFY(item("settingsHideOnClose")->isVisible());
    QVERIFY(!item("settingsHideOnClose")->isEnabled());
    QVERIFY(item("settingsNoTray")->isVisible());
    auto *tray = m_window->findChild<Switchboard::Gui::TrayIcon *>();
    QVERIFY(tray);
    QVERIFY(!tray->available());
    QCOMPARE(tray->window(), m_window); // it watches this window's focus
    QTRY_VERIFY(tray->inCall()); // the call placed above is live
    screenshot(u"settings"_s);
    QTest::keyClick(m_window, Qt::Key_1, Qt::ControlModifier);
    QTRY_VERIFY(!stats->running());
    QTRY_VERIFY(m_view->property("activeFocus").toBool());

    // --- Escape hangs up.
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(statusScript).toString(), u"completed"_s, 15000);
    const qint64 inCallSeconds = activeSince.elapsed() / 1000;
    QCOMPARE(evaluate(u"document.getElementById('status').textContent"_s).toString(), finished);
    const int duration = evaluate(u"softphone.call.duration"_s).toInt();
    QVERIFY2(duration >= 2 && duration <= inCallSeconds + 2, qPrintable(QString::number(duration)));

    // --- Ctrl+2: History lists the call, completed, with its duration.
    QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
    QQuickItem *list = nullptr;
    QTRY_VERIFY((list = item("historyList")) != nullptr && list->isVisible());
    auto *history = qobject_cast<HistoryModel *>(list->property("model").value<QObject *>());
    QVERIFY(history);
    QTRY_COMPARE(history->rowCount(), 1);
    const QModelIndex row = history->index(0);
    QCOMPARE(row.data(HistoryModel::PhoneNumberRole).toString(), QString::fromLatin1(kNumber));
    QCOMPARE(row.data(HistoryModel::DisplayNumberRole).toString(), u"+49 1512 3456789"_s);
    QCOMPARE(row.data(HistoryModel::StatusTextRole).toString(), completed);
    QCOMPARE(row.data(HistoryModel::DurationRole).toInt(), duration);
    QCOMPARE(row.data(HistoryModel::DurationTextRole).toString(), HistoryModel::durationText(duration));
    screenshot(u"history"_s);

    // --- The wrap-up offered when the call ended takes no keys from the page; its outcome and
    // note, saved, show on the call's row.
    QObject *wrapUp = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((wrapUp = m_window->findChild<QObject *>(u"wrapUpDialog"_s)) != nullptr
                                 && wrapUp->property("opened").toBool(),
                             10000);
    QVERIFY(!tray->inCall()); // the wrap-up and the tray learn of the end together
    QVERIFY(list->hasActiveFocus());
    click("wrapUpOutcome"); // its list opens
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(m_window, Qt::Key_Down); // no outcome → answered → interested → call back
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_COMPARE(item("wrapUpOutcome")->property("currentValue").toString(), u"callback"_s);
    click("wrapUpNotes");
    type(u"quote"_s);
    click("wrapUpSave");
    QTRY_VERIFY(!wrapUp->property("visible").toBool());
    QTRY_COMPARE(history->index(0).data(HistoryModel::OutcomeRole).toString(), u"callback"_s);
    QCOMPARE(history->index(0).data(HistoryModel::NotesRole).toString(), u"quote"_s);

    // --- "Add contact" on the row: the number is filled in; once saved, the row shows the name.
    QTRY_VERIFY(item("historyAddContact") && item("historyAddContact")->isVisible()); // the reloaded row is laid out
    click("historyAddContact");
    QTRY_VERIFY(item("contactName") && item("contactName")->isVisible());
    QCOMPARE(item("contactNumber")->property("text").toString(), QString::fromLatin1(kNumber));
    click("contactName");
    type(u"Anna"_s);
    click("contactSave");
    QTRY_COMPARE(history->rowCount(), 1);
    QTRY_COMPARE(history->index(0).data(HistoryModel::ContactNameRole).toString(), u"Anna"_s);
    QTRY_VERIFY(item("historyAddContact") && !item("historyAddContact")->isEnabled());
    screenshot(u"history-contact"_s);

    // --- Ctrl+3: Contacts lists her; Ctrl+2 back to History.
    QTest::keyClick(m_window, Qt::Key_3, Qt::ControlModifier);
    QQuickItem *contactList = nullptr;
    QTRY_VERIFY((contactList = item("contactsList")) != nullptr && contactList->isVisible());
    QTRY_COMPARE(contactList->property("count").toInt(), 1);
    screenshot(u"contacts"_s);
    QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
    QTRY_VERIFY(list->isVisible() && list->hasActiveFocus());

    // --- `?` outside a text field shows the help too.
    QTest::keyClick(m_window, Qt::Key_Question);
    QTRY_VERIFY(overlay->property("opened").toBool());
    QTest::keyClick(m_window, Qt::Key_F1);
    QTRY_VERIFY(!overlay->property("visible").toBool());
    QTRY_VERIFY(list->hasActiveFocus());

    // --- Enter on the row redials: back on the call page with the number filled in.
    evaluate(u"document.getElementById('number').value = ''"_s);
    QTRY_VERIFY(list->hasActiveFocus());
    QTRY_COMPARE(list->property("currentIndex").toInt(), 0); // the newest call is highlighted
    QTRY_VERIFY(qvariant_cast<QObject *>(list->property("currentItem")) != nullptr); // and laid out
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY2(m_view->property("visible").toBool() && !list->isVisible(),
                 qPrintable(u"section %1, page visible %2, list visible %3"_s
                                .arg(item("navigation")->property("currentIndex").toInt())
                                .arg(m_view->property("visible").toBool())
                                .arg(list->isVisible())));
    QTRY_COMPARE(evaluate(u"document.getElementById('number').value.replace(/[^0-9+]/g, '')"_s).toString(),
                 QString::fromLatin1(kNumber));

    // --- Ctrl+4: the Dashboard counts the call (this run's and the runs' before it), no longer active.
    QTest::keyClick(m_window, Qt::Key_4, Qt::ControlModifier);
    QTRY_VERIFY(stats->running());
    QTRY_COMPARE_WITH_TIMEOUT(stats->activeSessions(), 0.0, 10000);
    QVERIFY(stats->completed() >= 1);
    QVERIFY(stats->averageDuration() >= 2);
    QVERIFY(stats->activeHistory().contains(1.0));

    // --- The console's permission handler: the camera is refused even to the server's own page. And
    // the view does not leave the server's origin (where the token is): a navigation elsewhere —
    // the same page under another host name, a file — is refused and the softphone stays.
    QTest::keyClick(m_window, Qt::Key_1, Qt::ControlModifier);
    const QString askScript = u"window.__asked = 'pending'; navigator.mediaDevices.getUserMedia(%1)"
                              ".then(() => { window.__asked = 'granted'; }, (e) => { window.__asked = e.name; }); true"_s;
    evaluate(askScript.arg(u"{ video: true }"_s));
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"window.__asked"_s).toString(), u"NotAllowedError"_s, 10000);
    const QString ownHost = u"127.0.0.1:%1"_s.arg(m_backend->baseUrl().port());
    QCOMPARE(evaluate(u"location.host"_s).toString(), ownHost);
    m_view->setProperty("url", QUrl(u"file:///etc/hostname"_s));
    QTest::qWait(1000); // a navigation that is refused leaves nothing to wait for
    QCOMPARE(evaluate(u"location.host"_s).toString(), ownHost);
    QCOMPARE(evaluate(u"typeof window.switchboardHost?.token"_s).toString(), u"string"_s);

    // --- Log out: back on the login page, with a notice.
    click("logout");
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY(item("email") && item("email")->isVisible() && item("email")->hasActiveFocus());
    QCOMPARE(item("notice")->property("text").toString(), loggedOut);
    QTRY_VERIFY(item("softphoneView") == nullptr); // the console and its page are gone
}

void tst_ConsoleE2E::admin_managesTheTeam_data()
{
    QTest::addColumn<QString>("teamLabel");
    QTest::addColumn<QString>("accountAdded");
    QTest::addRow("en") << u"Team"_s << u"Account added"_s;
    QTest::addRow("ru") << u"Команда"_s << u"Добавлена учётная запись"_s;
}

void tst_ConsoleE2E::admin_managesTheTeam()
{
    QFETCH(QString, teamLabel);
    QFETCH(QString, accountAdded);

    // --- The admin logs in on the login page.
    QTRY_VERIFY(item("email")->hasActiveFocus());
    type(m_adminEmail);
    QTest::keyClick(m_window, Qt::Key_Tab);
    type(QString::fromLatin1(kPassword));
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item("tabTeam") != nullptr && item("tabTeam")->isVisible(), 15000);
    QCOMPARE(item("tabTeam")->property("text").toString(), teamLabel);

    // --- Ctrl+6: the accounts, the admin's own among them.
    QTest::keyClick(m_window, Qt::Key_6, Qt::ControlModifier);
    QQuickItem *users = nullptr;
    QTRY_VERIFY((users = item("teamUsersList")) != nullptr && users->isVisible());
    QTRY_VERIFY(users->property("count").toInt() >= 2);
    const int accounts = users->property("count").toInt();
    screenshot(u"team"_s);

    // --- An account added through the dialog joins the list.
    click("teamAddUser");
    QTRY_VERIFY(item("addUserEmail") && item("addUserEmail")->hasActiveFocus());
    type(HttpClient::uniqueEmail(u"e2e-added-"_s + QString::fromLatin1(QTest::currentDataTag())));
    click("addUserPassword");
    type(QString::fromLatin1(kPassword));
    click("addUserSave");
    QTRY_COMPARE(users->property("count").toInt(), accounts + 1);
    QObject *dialog = m_window->findChild<QObject *>(u"addUserDialog"_s);
    QVERIFY(dialog);
    QTRY_VERIFY(!dialog->property("visible").toBool());

    // --- The audit trail has it, newest first.
    click("teamTabAudit");
    QQuickItem *audit = nullptr;
    QTRY_VERIFY((audit = item("auditList")) != nullptr && audit->isVisible());
    auto *events = qobject_cast<QAbstractItemModel *>(audit->property("model").value<QObject *>());
    QVERIFY(events);
    QTRY_VERIFY(events->rowCount() > 0);
    QCOMPARE(events->index(0, 0).data(events->roleNames().key("actionText")).toString(), accountAdded);
    screenshot(u"team-audit"_s);

    // --- The calling policy's tab opens (what it shows depends on the backend's /api/policy).
    click("teamTabPolicy");
    QTRY_VERIFY(item("policyState") || item("policyCountries"));
    click("logout");
}

void tst_ConsoleE2E::crm_clickToCallPopsUpAndConnects_data()
{
    QTest::addColumn<QString>("inCall");
    QTest::addColumn<QString>("placedElsewhere");
    QTest::addColumn<QString>("finished");
    QTest::addRow("en") << u"In call"_s << u"Call placed from another application"_s << u"Finished"_s;
    QTest::addRow("ru") << u"Идёт разговор"_s << u"Звонок начат из другого приложения"_s << u"Завершён"_s;
}

// Click-to-call: a CRM holding the operator's API key places a call over HTTP while the console
// sits hidden on another section; the console learns of it from the event stream, comes to the
// front on the call page, and the softphone answers the far end's offer, so the call's audio
// flows. The CRM then ends the call and the console is idle again.
void tst_ConsoleE2E::crm_clickToCallPopsUpAndConnects()
{
    QFETCH(QString, inCall);
    QFETCH(QString, placedElsewhere);
    QFETCH(QString, finished);

    // --- An operator with an API key for the CRM logs in on the console.
    HttpClient operatorApi(m_backend->baseUrl());
    const QString email = HttpClient::uniqueEmail(u"e2e-crm-"_s + QString::fromLatin1(QTest::currentDataTag()));
    QCOMPARE(operatorApi.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}}).status, 201);
    operatorApi.setToken(operatorApi.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}})
                             .json.value(u"token"_s).toString());
    const HttpResult key = operatorApi.post(u"/api/keys"_s, {{u"name"_s, u"CRM"_s},
                                                            {u"scopes"_s, QJsonArray{u"calls:read"_s, u"calls:write"_s}}});
    QCOMPARE(key.status, 201);
    HttpClient crm(m_backend->baseUrl());
    crm.setToken(key.json.value(u"key"_s).toString());

    QTRY_VERIFY(item("email")->hasActiveFocus());
    type(email);
    QTest::keyClick(m_window, Qt::Key_Tab);
    type(QString::fromLatin1(kPassword));
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT((m_view = item("softphoneView")) != nullptr, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"typeof window.softphoneUi?.takeCall"_s).toString(), u"function"_s, 30000);
    auto *stream = m_window->findChild<Switchboard::Gui::EventStream *>();
    QVERIFY(stream);
    QTRY_VERIFY_WITH_TIMEOUT(stream->connected(), 10000);

    // --- The operator is on History, then the window goes out of sight (as into the tray).
    QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(item("navigation")->property("currentIndex").toInt(), 1);
    m_window->hide();
    QTRY_VERIFY(!m_window->isVisible());

    // --- The CRM places the call with the operator's key: the console pops it up on the call page.
    const HttpResult placed = crm.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, QString::fromLatin1(kNumber)}});
    QCOMPARE(placed.status, 200);
    const QString callId = placed.json.value(u"call_id"_s).toString();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isVisible(), 10000);
    QTRY_COMPARE(item("navigation")->property("currentIndex").toInt(), 0);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    const QString statusScript = u"document.getElementById('status').dataset.status"_s;
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(u"softphone.call?.id ?? ''"_s).toString(), callId, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(statusScript).toString(), u"active"_s, 30000);
    QCOMPARE(evaluate(u"document.getElementById('status').textContent"_s).toString(), inCall);
    QCOMPARE(evaluate(u"document.getElementById('notice').textContent"_s).toString(), placedElsewhere);
    QTRY_COMPARE(evaluate(u"document.getElementById('call-number').textContent"_s).toString(), u"+49 1512 3456789"_s);
    QVERIFY(evaluate(u"document.getElementById('phone').classList.contains('in-call')"_s).toBool()); // the call panel

    // --- Its audio connects: the server's far end receives the page's packets, the page the far end's.
    const auto packetsReceived = [&crm, &callId] {
        return crm.get(u"/api/calls/"_s + callId).json.value(u"quality"_s).toObject().value(u"packets_received"_s).toInteger();
    };
    QTRY_VERIFY_WITH_TIMEOUT(packetsReceived() > 0, 15000);
    const QString pageReceived = u"softphone.mediaStats().then((s) => { window.__received = s?.packetsReceived ?? 0; }); "
                                 "window.__received ?? 0"_s;
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(pageReceived).toInt() > 0, 15000);
    QVERIFY(crm.get(u"/api/calls/"_s + callId).json.value(u"sdp_offer"_s).isNull()); // answered
    auto *tray = m_window->findChild<Switchboard::Gui::TrayIcon *>();
    QVERIFY(tray);
    QTRY_VERIFY(tray->inCall());

    // --- The CRM hangs up: the console is idle again, and offers the wrap-up.
    QCOMPARE(crm.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(statusScript).toString(), u"completed"_s, 30000);
    QCOMPARE(evaluate(u"document.getElementById('status').textContent"_s).toString(), finished);
    QTRY_VERIFY(!tray->inCall());
    QTRY_VERIFY(!evaluate(u"document.getElementById('phone').classList.contains('in-call')"_s).toBool());
    QObject *wrapUp = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((wrapUp = m_window->findChild<QObject *>(u"wrapUpDialog"_s)) != nullptr
                                 && wrapUp->property("opened").toBool(),
                             10000);
}

int main(int argc, char *argv[])
{
    // A synthetic microphone; the permission itself stays with the console's handler.
    QByteArray flags = qgetenv("QTWEBENGINE_CHROMIUM_FLAGS");
    qputenv("QTWEBENGINE_CHROMIUM_FLAGS", flags + " --use-fake-device-for-media-stream");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QtWebEngineQuick::initialize();
    QApplication app(argc, argv); // as the console: Qt Charts and the tray need it
    tst_ConsoleE2E test;
    const int failures = QTest::qExec(&test, argc, argv);
    // The verdict is written; what follows is Chromium's teardown inside QtWebEngine's, which on
    // a loaded machine has now and then waited for ever after every case passed (seen in full
    // parallel runs and in a clean root; never alone, so no backtrace yet). Leaving here keeps a
    // passed run from ending as a timeout. (The console loading its interface and quitting is
    // the `switchboard --self-test` test's check, not this one's.)
    std::fflush(nullptr);
    std::_Exit(failures);
}

#include "tst_console_e2e.moc"
