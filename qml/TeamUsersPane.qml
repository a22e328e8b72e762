import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// The team's accounts: each one's email, role (changed in place), state and creation; add an
// account, reset a password, disable (asked first) or enable one. A row shows what the server
// has: a refused change leaves it as it was, and says why above the list.
Item {
    id: pane

    required property ApiClient api
    required property Session session
    property bool active: false

    // Column widths shared by the heads and the rows; room for the Russian words.
    readonly property int roleWidth: 180
    readonly property int stateWidth: 120
    readonly property int createdWidth: 150
    readonly property int actionsWidth: 2 * 40 + Theme.spacingSmall

    onActiveChanged: {
        if (active) {
            status.text = ""
            users.reload()
        }
    }

    UsersModel {
        id: users
        client: pane.api
        onChanged: (ok, errorText) => status.text = ok ? "" : errorText
    }

    AddUserDialog { id: addDialog; users: users }
    PasswordDialog { id: passwordDialog; users: users }

    // Disabling asks first: the person is logged out at once.
    Popup {
        id: confirmDisable

        property string userId: ""
        property string email: ""

        function ask(id, who) {
            userId = id
            email = who
            open()
        }

        objectName: "userDisableConfirm"
        anchors.centerIn: T.Overlay.overlay
        width: Math.min(480, pane.width - 2 * Theme.spacingHuge)
        modal: true
        focus: true
        padding: Theme.spacingLarge
        closePolicy: Popup.CloseOnEscape
        background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }
        contentItem: ColumnLayout {
            spacing: Theme.spacing
            Label {
                text: qsTr("Disable %1?").arg(confirmDisable.email)
                color: Theme.text
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("They can no longer log in, and their open sessions end at once. You can enable the account again.")
                color: Theme.textMuted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                Button { text: qsTr("Cancel"); onClicked: confirmDisable.close() }
                Button {
                    objectName: "userDisableYes"
                    text: qsTr("Disable")
                    highlighted: true
                    onClicked: {
                        users.setDisabled(confirmDisable.userId, true)
                        confirmDisable.close()
                    }
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            Layout.leftMargin: Theme.spacingLarge
            Layout.rightMargin: Theme.spacingLarge
            spacing: Theme.spacingLarge
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: qsTr("Everyone who can log in to this console. A new role, a new password or a disabled account takes effect at once: that person is logged out.")
            }
            IconButton {
                objectName: "teamAddUser"
                iconName: "person_add"
                text: qsTr("Add account")
                onClicked: addDialog.openEmpty()
            }
        }

        Label {
            id: status
            objectName: "teamUsersStatus"
            visible: text !== ""
            Layout.fillWidth: true
            leftPadding: Theme.spacingLarge
            rightPadding: Theme.spacingLarge
            bottomPadding: Theme.spacing
            color: Theme.negative
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingLarge
            Layout.rightMargin: Theme.spacingLarge
            Layout.bottomMargin: Theme.spacingSmall
            spacing: Theme.spacing
            Label { text: qsTr("Email"); font.bold: true; color: Theme.textMuted; Layout.fillWidth: true }
            Label { text: qsTr("Role"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: pane.roleWidth }
            Label { text: qsTr("State"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: pane.stateWidth }
            Label { text: qsTr("Created"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: pane.createdWidth }
            Item { Layout.preferredWidth: pane.actionsWidth }
        }

        ListView {
            id: list
            objectName: "teamUsersList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: users
            visible: count > 0
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: row
                required property string userId
                required property string email
                required property string role
                required property bool disabled
                required property string createdText
                readonly property bool isSelf: email === pane.session.email

                width: ListView.view.width
                implicitHeight: cells.implicitHeight + 2 * Theme.spacingSmall
                color: hover.hovered ? Theme.surfaceAlt : "transparent"
                HoverHandler { id: hover }
                Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.surfaceAlt }

                RowLayout {
                    id: cells
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingLarge
                    anchors.rightMargin: Theme.spacingLarge
                    spacing: Theme.spacing
                    Label {
                        text: row.isSelf ? qsTr("%1 (you)").arg(row.email) : row.email
                        color: Theme.text
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    ChoiceBox {
                        objectName: "userRole"
                        Layout.preferredWidth: pane.roleWidth
                        Accessible.name: qsTr("Role of %1").arg(row.email)
                        model: users.roleChoices
                        textRole: "text"
                        valueRole: "value"
                        // roleChoices lists the operator first, then the admin. The box shows the
                        // role the server has: after a choice, until the server answers.
                        currentIndex: row.role === "admin" ? 1 : 0
                        onActivated: {
                            users.setRole(row.userId, currentValue)
                            currentIndex = Qt.binding(() => row.role === "admin" ? 1 : 0)
                        }
                    }
                    Label {
                        text: row.disabled ? qsTr("Disabled") : qsTr("Active")
                        color: row.disabled ? Theme.negative : Theme.text
                        font.bold: row.disabled
                        elide: Text.ElideRight
                        Layout.preferredWidth: pane.stateWidth
                    }
                    Label {
                        text: row.createdText
                        color: Theme.textMuted
                        elide: Text.ElideRight
                        Layout.preferredWidth: pane.createdWidth
                    }
                    RowLayout {
                        spacing: Theme.spacingSmall
                        Layout.preferredWidth: pane.actionsWidth
                        IconOnlyButton {
                            objectName: "userResetPassword"
                            iconName: "lock_reset"
                            text: qsTr("Reset password")
                            onClicked: passwordDialog.openFor(row.userId, row.email)
                        }
                        IconOnlyButton {
                            objectName: "userToggle"
                            iconName: row.disabled ? "how_to_reg" : "person_off"
                            text: row.disabled ? qsTr("Enable") : qsTr("Disable")
                            onClicked: row.disabled ? users.setDisabled(row.userId, false)
                                                    : confirmDisable.ask(row.userId, row.email)
                        }
                    }
                }
            }
        }

        ColumnLayout {
            visible: list.count === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Item { Layout.fillHeight: true }
            BusyIndicator {
                running: users.loading
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "teamUsersState"
                color: users.errorText !== "" ? Theme.negative : Theme.textMuted
                Layout.alignment: Qt.AlignHCenter
                text: users.errorText !== "" ? users.errorText : users.loading ? qsTr("Loading accounts…") : ""
            }
            Button {
                visible: users.errorText !== ""
                text: qsTr("Retry")
                Layout.alignment: Qt.AlignHCenter
                onClicked: users.reload()
            }
            Item { Layout.fillHeight: true }
        }
    }
}
