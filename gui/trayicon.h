#pragma once

#include <QDateTime>
#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>
#include <QWindow>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QMenu;

namespace Switchboard::Gui {

/// The console in the system tray: an icon that shows whether the operator is idle or in a call,
/// a small menu (Show, Quit), and desktop notifications for what happens while the operator
/// looks elsewhere. Without a tray (Xvfb, the offscreen platform, a desktop with no panel)
/// `available` is false and nothing is shown: the window behaves as it does without this class.
///
/// `hideOnClose` is the operator's choice, kept in QSettings (`ui/hideOnClose`); the window acts
/// on it (`Main.qml`'s onClosing), and only while a tray is available.
class TrayIcon : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool available READ available CONSTANT)
    Q_PROPERTY(bool inCall READ inCall WRITE setInCall NOTIFY inCallChanged)
    Q_PROPERTY(bool hideOnClose READ hideOnClose WRITE setHideOnClose NOTIFY hideOnCloseChanged)
    /// The text shown when the pointer rests on the icon: the operator's state in words.
    Q_PROPERTY(QString toolTip READ toolTip NOTIFY toolTipChanged)
    /// The console's window: whether the operator has it in front decides what is notified.
    Q_PROPERTY(QWindow *window READ window WRITE setWindow NOTIFY windowChanged)

public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    /// Whether the desktop has a system tray (checked once, when the object is made).
    bool available() const { return m_available; }
    bool inCall() const { return m_inCall; }
    void setInCall(bool inCall);
    bool hideOnClose() const { return m_hideOnClose; }
    void setHideOnClose(bool hideOnClose);
    QString toolTip() const { return m_tray.toolTip(); }
    QIcon icon() const { return m_tray.icon(); }
    QWindow *window() const { return m_window; }
    void setWindow(QWindow *window);

    /// A desktop notification; nothing without a tray.
    Q_INVOKABLE void notify(const QString &title, const QString &message);
    /// Notifies how a call ended (CallWatcher::callEnded's values) when the operator cannot have
    /// seen it: the window had lost focus before `endedAt`, so the far end (or the server) ended
    /// it, not the operator's hang-up in this window.
    Q_INVOKABLE void notifyCallEnded(const QString &party, const QString &status, const QString &failureReason,
                                     const QDateTime &endedAt);
    /// Whether a call that ended at `endedAt` ended out of the operator's sight (see above).
    bool endedUnseen(const QDateTime &endedAt) const;
    /// The notification's title and text for a call that ended with `status`, in the current language.
    static QString callEndedTitle(const QString &status);
    static QString callEndedMessage(const QString &party, const QString &status, const QString &failureReason);

Q_SIGNALS:
    void inCallChanged();
    void hideOnCloseChanged();
    void toolTipChanged();
    void windowChanged();
    /// The operator clicked the icon or chose Show: the window should come to the front.
    void showRequested();

private:
    void buildMenu();
    void updateLook();
    void windowActiveChanged();

    const bool m_available;
    bool m_inCall = false;
    bool m_hideOnClose = false;
    QSystemTrayIcon m_tray;
    std::unique_ptr<QMenu> m_menu;
    QPointer<QWindow> m_window;
    QDateTime m_unfocusedSince; ///< invalid while the window is active (or was never active)
};

} // namespace Switchboard::Gui
