import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// Gives an account a new password, typed twice. The person's open sessions end; the admin tells
// them the new password.
Popup {
    id: dialog

    required property UsersModel users
    property string userId: ""
    property string email: ""

    function openFor(id, who) {
        userId = id
        email = who
        password.text = ""
        confirmation.text = ""
        error.text = ""
        open()
        password.forceActiveFocus()
    }

    objectName: "passwordDialog"
    anchors.centerIn: T.Overlay.overlay
    width: Math.min(480, parent ? parent.width - 2 * Theme.spacingHuge : 480)
    modal: true
    focus: true
    padding: Theme.spacingLarge
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }

    Connections {
        target: dialog.users
        function onPasswordReset(ok, errorText) {
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
            text: qsTr("New password for %1").arg(dialog.email)
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Their open sessions end. Tell them the new password yourself.")
            color: Theme.textMuted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label { text: qsTr("New password (at least 8 characters)"); color: Theme.textMuted }
        TextField {
            id: password
            objectName: "newPassword"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            maximumLength: 128
            Accessible.name: qsTr("New password")
        }
        Label { text: qsTr("The same again"); color: Theme.textMuted }
        TextField {
            id: confirmation
            objectName: "newPasswordConfirmation"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            maximumLength: 128
            Accessible.name: qsTr("New password again")
        }
        Label {
            id: error
            objectName: "passwordError"
            visible: text !== ""
            color: Theme.negative
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button { text: qsTr("Cancel"); onClicked: dialog.close() }
            Button {
                objectName: "passwordSave"
                text: qsTr("Save")
                highlighted: true
                enabled: password.text !== ""
                onClicked: dialog.users.resetPassword(dialog.userId, password.text, confirmation.text)
            }
        }
    }
}
