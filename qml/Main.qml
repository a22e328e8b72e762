import QtQuick
import QtQuick.Controls
import Switchboard.Gui

// The operator console: the login page until the operator is in, then the console. Signing out,
// or a token the server no longer accepts, brings the login page back with a notice.
ApplicationWindow {
    id: window

    required property string apiUrl
    required property string databaseName
    required property string providerName
    /// A number handed over by a tel: link, waiting for the operator to be logged in.
    property string pendingNumber

    width: 1100
    height: 760
    minimumWidth: 800
    minimumHeight: 560
    visible: true
    title: operatorSession.loggedIn ? qsTr("Switchboard — %1").arg(operatorSession.email) : qsTr("Switchboard")

    /// Comes to the front; with a `number`, opens the call page with it in the softphone's number field.
    function dial(number) {
        if (number !== "" && consoleLoader.item)
            consoleLoader.item.dial(number)
        else if (number !== "")
            pendingNumber = number // filled in once the operator has logged in
        window.raise()
        window.requestActivate()
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
            Component.onCompleted: {
                if (window.pendingNumber !== "")
                    dial(window.pendingNumber)
                window.pendingNumber = ""
            }
        }
    }
}
