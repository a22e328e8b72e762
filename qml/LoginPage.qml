import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// Log in or register (email, password, confirmation). Errors come from Session by type, in the
// chosen language; so does the notice after logging out or an expired session.
Page {
    id: page

    required property Session session
    property bool registering: false

    // Typing starts in the email field: on start, after switching between log in and register,
    // and when the page comes back after logging out.
    onRegisteringChanged: email.forceActiveFocus()
    onVisibleChanged: if (visible) email.forceActiveFocus()

    function submit() {
        if (registering)
            session.registerOperator(email.text, password.text, confirmation.text)
        else
            session.logIn(email.text, password.text)
    }

    Connections {
        target: page.session
        function onLoggedInChanged() {
            password.text = ""
            confirmation.text = ""
        }
    }

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingLarge
            anchors.rightMargin: Theme.spacingLarge
            spacing: Theme.spacing
            Icon { name: "call"; color: Theme.accent }
            Label {
                text: qsTr("Switchboard")
                font.bold: true
                font.pixelSize: Theme.fontTitle
                color: Theme.text
                Layout.fillWidth: true
            }
            ThemeSwitch {}
            LanguageSwitch {}
        }
    }

    // The form on a card in the middle of the window.
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(400, parent.width - 2 * Theme.spacingHuge)
        height: form.implicitHeight + 2 * Theme.spacingHuge
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.surfaceAlt
    }

    ColumnLayout {
        id: form
        anchors.centerIn: parent
        width: Math.min(400, parent.width - 2 * Theme.spacingHuge) - 2 * Theme.spacingHuge
        spacing: Theme.spacing + 2

        Label {
            text: page.registering ? qsTr("Create an operator account") : qsTr("Log in to the operator console")
            font.pixelSize: Theme.fontTitle
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        Label {
            objectName: "notice"
            visible: text !== ""
            text: page.session.noticeText
            color: Theme.accent
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        TextField {
            id: email
            objectName: "email"
            placeholderText: qsTr("Email")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            Layout.fillWidth: true
            focus: true
            Accessible.name: qsTr("Email")
            onAccepted: password.forceActiveFocus()
        }
        TextField {
            id: password
            objectName: "password"
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            Layout.fillWidth: true
            Accessible.name: qsTr("Password")
            onAccepted: page.registering ? confirmation.forceActiveFocus() : page.submit()
        }
        TextField {
            id: confirmation
            objectName: "confirmation"
            visible: page.registering
            placeholderText: qsTr("Repeat the password")
            echoMode: TextInput.Password
            Layout.fillWidth: true
            Accessible.name: qsTr("Repeat the password")
            onAccepted: page.submit()
        }
        Label {
            objectName: "error"
            visible: text !== ""
            text: page.session.errorText
            color: Theme.negative
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            objectName: "submit"
            text: page.registering ? qsTr("Register") : qsTr("Log in")
            highlighted: true
            enabled: !page.session.busy
            Layout.fillWidth: true
            onClicked: page.submit()
        }
        BusyIndicator {
            running: page.session.busy
            visible: running
            Layout.alignment: Qt.AlignHCenter
        }
        Button {
            objectName: "switchMode"
            flat: true
            text: page.registering ? qsTr("I already have an account") : qsTr("Create an account")
            Layout.alignment: Qt.AlignHCenter
            onClicked: page.registering = !page.registering
        }
    }
}
