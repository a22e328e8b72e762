// TrayIcon where there is no system tray (the offscreen platform, like Xvfb without a panel): it
// shows nothing and nothing fails, while the operator's state still sets the icon's tooltip and
// picture, the choice to keep running in the tray is remembered, and a call's end is notified
// only when the operator cannot have seen it happen.

#include "theme.h"
#include "trayicon.h"

#include <QApplication>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::Theme;
using Switchboard::Gui::TrayIcon;

namespace {

/// The colour of the icon's disc: a pixel inside it, above the glyph.
QColor discColour(const TrayIcon &tray)
{
    return tray.icon().pixmap(32, 32).toImage().pixelColor(16, 3);
}

/// How much of the icon is the glyph: near-white pixels on the disc (its edges are antialiased).
int glyphPixels(const TrayIcon &tray)
{
    const QImage image = tray.icon().pixmap(32, 32).toImage();
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            count += qGray(image.pixel(x, y)) > 200 ? 1 : 0;
    }
    return count;
}

} // namespace

class tst_TrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void noTray_showsNothingAndFailsNothing();
    void inCall_changesToolTipAndIcon();
    void hideOnClose_isRemembered();
    void callEnd_isUnseenOnlyAfterTheWindowLostFocus();
    void callEnd_inWords();
};

void tst_TrayIcon::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the setting stays out of the user's config
    QSettings().remove(u"ui/hideOnClose"_s);
}

void tst_TrayIcon::init()
{
    // QSystemTrayIcon warns when it is asked to show where it cannot: none of that here.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_TrayIcon::cleanup()
{
    QSettings().remove(u"ui/hideOnClose"_s);
}

void tst_TrayIcon::noTray_showsNothingAndFailsNothing()
{
    QCOMPARE(QGuiApplication::platformName(), u"offscreen"_s);
    TrayIcon tray;
    QVERIFY(!tray.available());
    QSignalSpy shown(&tray, &TrayIcon::showRequested);
    tray.notify(u"Title"_s, u"Message"_s);
    tray.setInCall(true);
    tray.notifyCallEnded(u"+44 20 7946 0970"_s, u"failed"_s, u"busy"_s, QDateTime::currentDateTimeUtc());
    tray.setInCall(false);
    QCOMPARE(shown.size(), 0);
}

void tst_TrayIcon::inCall_changesToolTipAndIcon()
{
    TrayIcon tray;
    QSignalSpy inCall(&tray, &TrayIcon::inCallChanged);
    QSignalSpy toolTip(&tray, &TrayIcon::toolTipChanged);
    QCOMPARE(tray.toolTip(), u"Switchboard — Idle"_s);
    QCOMPARE(discColour(tray), Theme::lightPalette().accent);
    QVERIFY(glyphPixels(tray) > 30); // the headset is drawn

    tray.setInCall(true);
    QCOMPARE(inCall.size(), 1);
    QCOMPARE(toolTip.size(), 1);
    QCOMPARE(tray.toolTip(), u"Switchboard — In call"_s);
    QCOMPARE(discColour(tray), Theme::lightPalette().positiveFill);
    QVERIFY(glyphPixels(tray) > 30); // the handset is drawn
    tray.setInCall(true); // no change, no signal
    QCOMPARE(inCall.size(), 1);

    tray.setInCall(false);
    QCOMPARE(inCall.size(), 2);
    QCOMPARE(tray.toolTip(), u"Switchboard — Idle"_s);
    QCOMPARE(discColour(tray), Theme::lightPalette().accent);
}

void tst_TrayIcon::hideOnClose_isRemembered()
{
    {
        TrayIcon tray;
        QVERIFY(!tray.hideOnClose()); // the window closes as it always did until the operator chooses
        QSignalSpy changed(&tray, &TrayIcon::hideOnCloseChanged);
        tray.setHideOnClose(true);
        tray.setHideOnClose(true);
        QCOMPARE(changed.size(), 1);
    }
    QCOMPARE(QSettings().value(u"ui/hideOnClose"_s).toBool(), true);
    TrayIcon next;
    QVERIFY(next.hideOnClose());
    next.setHideOnClose(false);
    QCOMPARE(QSettings().value(u"ui/hideOnClose"_s).toBool(), false);
    QVERIFY(!TrayIcon().hideOnClose());
}

// A hang-up the operator made in the window happened while it had focus; a call that ended after
// the window lost focus (the far end hung up, it failed) is what they did not see.
void tst_TrayIcon::callEnd_isUnseenOnlyAfterTheWindowLostFocus()
{
    TrayIcon tray;
    QVERIFY(tray.endedUnseen(QDateTime::currentDateTimeUtc())); // no window: nobody saw it

    QWindow window;
    window.show();
    window.requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    tray.setWindow(&window);
    QVERIFY(!tray.endedUnseen(QDateTime::currentDateTimeUtc()));

    const QDateTime beforeLeaving = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QWindow elsewhere;
    elsewhere.show();
    elsewhere.requestActivate();
    QTRY_VERIFY(!window.isActive());
    const QDateTime afterLeaving = QDateTime::currentDateTimeUtc().addMSecs(1);
    QVERIFY(!tray.endedUnseen(beforeLeaving)); // the operator hung up, then looked away
    QVERIFY(tray.endedUnseen(afterLeaving));
    QVERIFY(tray.endedUnseen(QDateTime())); // the server did not say when: better told than not

    window.requestActivate();
    QTRY_VERIFY(window.isActive());
    QVERIFY(!tray.endedUnseen(QDateTime::currentDateTimeUtc()));
    QVERIFY(!tray.endedUnseen(QDateTime()));
}

void tst_TrayIcon::callEnd_inWords()
{
    QCOMPARE(TrayIcon::callEndedTitle(u"failed"_s), u"Call failed"_s);
    QCOMPARE(TrayIcon::callEndedMessage(u"Watson"_s, u"failed"_s, u"busy"_s), u"Watson — busy"_s);
    QCOMPARE(TrayIcon::callEndedMessage(u"+44 20 7946 0970"_s, u"failed"_s, u"no_answer"_s), u"+44 20 7946 0970 — no answer"_s);
    QCOMPARE(TrayIcon::callEndedMessage(u"Watson"_s, u"failed"_s, {}), u"Watson"_s);
    QCOMPARE(TrayIcon::callEndedTitle(u"completed"_s), u"Call ended"_s);
    QCOMPARE(TrayIcon::callEndedMessage(u"Watson"_s, u"completed"_s, {}), u"The call with Watson has ended."_s);
    QCOMPARE(TrayIcon::callEndedTitle(u"canceled"_s), u"Call ended"_s);
}

QTEST_MAIN(tst_TrayIcon)
#include "tst_trayicon.moc"
