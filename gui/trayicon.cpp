#include "trayicon.h"

#include "icon.h"
#include "languagewatcher.h"
#include "texts.h"
#include "theme.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QSettings>
#include <QSvgRenderer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

const QString kHideOnCloseKey = u"ui/hideOnClose"_s;

/// One size of the tray's picture: the set's glyph in white on a disc of `fill`. The glyphs are
/// bare black shapes and panels are light or dark; white on a coloured disc reads on either.
QPixmap badge(const QString &iconName, const QColor &fill, int size)
{
    QPixmap glyph(size, size);
    glyph.fill(Qt::transparent);
    {
        QPainter painter(&glyph);
        const qreal margin = size * 0.2;
        QSvgRenderer(Icon::resourcePath(iconName)).render(&painter, QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(glyph.rect(), Qt::white);
    }
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawEllipse(pixmap.rect());
    painter.drawPixmap(0, 0, glyph);
    return pixmap;
}

/// The operator's state as the pages colour it: the accent while idle, the call button's green
/// in a call (both pairs with white are checked by tst_theme). Panels pick the size they need.
QIcon stateIcon(bool inCall)
{
    const Theme::Palette &palette = Theme::lightPalette();
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64})
        icon.addPixmap(inCall ? badge(u"call"_s, palette.positiveFill, size) : badge(u"headset_mic"_s, palette.accent, size));
    return icon;
}

bool isFailure(const QString &status)
{
    return status == u"failed"_s;
}

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent), m_available(QSystemTrayIcon::isSystemTrayAvailable()),
      m_hideOnClose(QSettings().value(kHideOnCloseKey, false).toBool())
{
    buildMenu();
    updateLook();
    new LanguageWatcher(this, [this] {
        buildMenu();
        updateLook();
    });
    connect(&m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        // A click (a double click starts with one); the context menu has its own "Show".
        if (reason == QSystemTrayIcon::Trigger)
            Q_EMIT showRequested();
    });
    connect(&m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showRequested);
    // Shown only where a tray can hold it: elsewhere there is nothing to show it in.
    if (m_available)
        m_tray.show();
}

// QSystemTrayIcon keeps a plain pointer to the menu, which (declared after it) is destroyed first.
TrayIcon::~TrayIcon()
{
    m_tray.setContextMenu(nullptr);
}

void TrayIcon::buildMenu()
{
    // QMenu is a widget: a QGuiApplication (a QML test) gets the icon without its menu.
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return;
    if (!m_menu)
        m_menu = std::make_unique<QMenu>();
    m_menu->clear();
    m_menu->addAction(tr("Show Switchboard"), this, &TrayIcon::showRequested);
    m_menu->addAction(tr("Quit"), QCoreApplication::instance(), &QCoreApplication::quit);
    m_tray.setContextMenu(m_menu.get());
}

void TrayIcon::updateLook()
{
    const QString state = m_inCall ? Texts::callStatus(u"active"_s) : tr("Idle");
    m_tray.setIcon(stateIcon(m_inCall));
    m_tray.setToolTip(tr("Switchboard — %1").arg(state));
    Q_EMIT toolTipChanged();
}

void TrayIcon::setInCall(bool inCall)
{
    if (m_inCall == inCall)
        return;
    m_inCall = inCall;
    updateLook();
    Q_EMIT inCallChanged();
}

void TrayIcon::setHideOnClose(bool hideOnClose)
{
    if (m_hideOnClose == hideOnClose)
        return;
    m_hideOnClose = hideOnClose;
    QSettings().setValue(kHideOnCloseKey, hideOnClose);
    Q_EMIT hideOnCloseChanged();
}

void TrayIcon::setWindow(QWindow *window)
{
    if (m_window == window)
        return;
    if (m_window)
        disconnect(m_window, nullptr, this, nullptr);
    m_window = window;
    m_unfocusedSince = {};
    if (m_window)
        connect(m_window, &QWindow::activeChanged, this, &TrayIcon::windowActiveChanged);
    Q_EMIT windowChanged();
}

void TrayIcon::windowActiveChanged()
{
    // The time it lost focus tells a hang-up the operator made here (before) from one they did not see.
    m_unfocusedSince = m_window->isActive() ? QDateTime() : QDateTime::currentDateTimeUtc();
}

void TrayIcon::notify(const QString &title, const QString &message)
{
    if (!m_available)
        return;
    m_tray.showMessage(title, message, m_tray.icon());
}

bool TrayIcon::endedUnseen(const QDateTime &endedAt) const
{
    if (m_window && m_window->isActive())
        return false;
    // A window never active since it was set has not shown the operator anything.
    if (!m_unfocusedSince.isValid() || !endedAt.isValid())
        return true;
    return endedAt >= m_unfocusedSince;
}

void TrayIcon::notifyCallEnded(const QString &party, const QString &status, const QString &failureReason,
                               const QDateTime &endedAt)
{
    if (endedUnseen(endedAt))
        notify(callEndedTitle(status), callEndedMessage(party, status, failureReason));
}

QString TrayIcon::callEndedTitle(const QString &status)
{
    return isFailure(status) ? tr("Call failed") : tr("Call ended");
}

QString TrayIcon::callEndedMessage(const QString &party, const QString &status, const QString &failureReason)
{
    if (!isFailure(status))
        return tr("The call with %1 has ended.").arg(party);
    return failureReason.isEmpty() ? party : u"%1 — %2"_s.arg(party, Texts::failureReason(failureReason));
}

} // namespace Switchboard::Gui
