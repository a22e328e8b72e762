import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// Adds an account to the team: email, a first password (the person changes nothing here; the
// admin tells them), and the role. The server's refusal (taken, not an email) shows here and the
// dialog stays open.
Popup {
    id: dialog

    required property UsersModel users

    function openEmpty() {
        email.text = ""
        password.text = ""
        role.currentIndex = 0
        error.text = ""
        open()
        email.forceActiveFocus()
    }

    objectName: "addUserDialog"
    anchors.centerIn: T.Overlay.overlay
    width: Math.min(480, parent ? parent.width - 2 * Theme.spacingHuge : 480)
    modal: true
    focus: true
    padding: Theme.spacingLarge
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }

    Connections {
        target: dialog.users
        function onAdded(ok, errorText) {
            if (!dialog.opened)
                return
            if (ok)
                dialog.close()
            else
                error.text = errorText
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Label {
            text: qsTr("New account")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Label { text: qsTr("Email"); color: Theme.textMuted }
        TextField {
            id: email
            objectName: "addUserEmail"
            Layout.fillWidth: true
            maximumLength: 254
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            Accessible.name: qsTr("Email")
        }
        Label { text: qsTr("Password (at least 8 characters)"); color: Theme.textMuted }
        TextField {
            id: password
            objectName: "addUserPassword"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            maximumLength: 128
            Accessible.name: qsTr("Password")
        }
        Label { text: qsTr("Role"); color: Theme.textMuted }
        ChoiceBox {
            id: role
            objectName: "addUserRole"
            Layout.fillWidth: true
            model: dialog.users.roleChoices
            textRole: "text"
            valueRole: "value"
            Accessible.name: qsTr("Role")
        }
        Label {
            id: error
            objectName: "addUserError"
            visible: text !== ""
            color: Theme.negative
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button { text: qsTr("Cancel"); onClicked: dialog.close() }
            Button {
                objectName: "addUserSave"
                text: qsTr("Add")
                highlighted: true
                enabled: email.text.trim() !== "" && password.text !== ""
                onClicked: dialog.users.addUser(email.text, password.text, role.currentValue)
            }
        }
    }
}
