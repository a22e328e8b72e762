import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// The operator console: the login page until the operator is in, then the console. Signing out,
// or a token the server no longer accepts, brings the login page back with a notice.
//
// Every page uses the Basic style (imported by name, so the platform cannot swap it) coloured
// from the Theme through the window's palette, which every control inherits.
ApplicationWindow {
    id: window

    required property string apiUrl
    required property string databaseName
    required property string providerName
    /// A number handed over by a tel: link, waiting for the operator to be logged in.
    property string pendingNumber

    width: 1100
    height: 760
    // The call page is laid out for 1024×680 and still fits a little below it.
    minimumWidth: 960
    minimumHeight: 640
    visible: true
    color: Theme.background
    font.pixelSize: Theme.fontBody

    palette {
        window: Theme.background
        windowText: Theme.text
        base: Theme.surface
        alternateBase: Theme.surfaceAlt
        text: Theme.text
        button: Theme.surfaceAlt
        buttonText: Theme.text
        highlight: Theme.accent
        highlightedText: Theme.onAccent
        brightText: Theme.onAccent
        dark: Theme.accent
        mid: Theme.border
        midlight: Theme.surfaceAlt
        light: Theme.surface
        shadow: Theme.border
        placeholderText: Theme.textMuted
        toolTipBase: Theme.surface
        toolTipText: Theme.text
        link: Theme.accent
    }
    title: operatorSession.loggedIn ? qsTr("Switchboard — %1").arg(operatorSession.email) : qsTr("Switchboard")

    /// Comes to the front; with a `number`, opens the call page with it in the softphone's number field.
    function dial(number) {
        if (number !== "" && consoleLoader.item)
            consoleLoader.item.dial(number)
        else if (number !== "")
            pendingNumber = number // filled in once the operator has logged in
        bringToFront()
    }

    /// Shows the window again (hidden in the tray or minimised) and gives it the focus.
    function bringToFront() {
        if (window.visibility === Window.Minimized)
            window.showNormal()
        else
            window.show()
        window.raise()
        window.requestActivate()
    }

    // Closing hides the window only where a tray icon can bring it back; otherwise it closes as ever.
    onClosing: (close) => {
        if (trayIcon.hideOnClose && trayIcon.available) {
            close.accepted = false
            window.hide()
        }
    }

    TrayIcon {
        id: trayIcon
        window: window
        inCall: consoleLoader.item ? consoleLoader.item.inCall : false
        onShowRequested: window.bringToFront()
    }

    // Told on the desktop when the operator may not be looking: the call page and the login page
    // say the same in the window.
    Connections {
        target: consoleLoader.item
        function onCallFinished(party, status, failureReason, endedAt) {
            trayIcon.notifyCallEnded(party, status, failureReason, endedAt)
        }
        // Shown from the tray or from behind other windows: the operator is in a call now.
        function onCallArrived() {
            window.bringToFront()
        }
    }
    Connections {
        target: operatorSession
        function onExpired() {
            if (!window.active)
                trayIcon.notify(qsTr("Switchboard"), operatorSession.noticeText)
        }
    }

    ApiClient {
        id: apiClient
        baseUrl: window.apiUrl
    }

    Session {
        id: operatorSession
        client: apiClient
    }

    LoginPage {
        anchors.fill: parent
        visible: !operatorSession.loggedIn
        focus: visible
        session: operatorSession
    }

    Loader {
        id: consoleLoader
        anchors.fill: parent
        active: operatorSession.loggedIn
        focus: active
        sourceComponent: ConsolePage {
            api: apiClient
            session: operatorSession
            apiUrl: window.apiUrl
            databaseName: window.databaseName
            providerName: window.providerName
            tray: trayIcon
            Component.onCompleted: {
                if (window.pendingNumber !== "")
                    dial(window.pendingNumber)
                window.pendingNumber = ""
            }
        }
    }
}
