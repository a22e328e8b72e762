import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

Page {
    id: page

    required property ApiClient api
    required property Session session
    required property TrayIcon tray

    background: Rectangle { color: Theme.background }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingHuge
        spacing: Theme.spacingLarge

        Label { text: qsTr("Settings"); font.pixelSize: Theme.fontHeadline; color: Theme.text }
        GridLayout {
            Layout.fillWidth: true // so that the caption below the switch wraps
            columns: 2
            columnSpacing: Theme.spacingLarge
            rowSpacing: Theme.spacing
            Label { text: qsTr("Language"); color: Theme.text }
            LanguageSwitch { objectName: "settingsLanguage" }
            Label { text: qsTr("Theme"); color: Theme.text }
            ThemeSwitch { objectName: "settingsTheme" }
            Label {
                Layout.alignment: Qt.AlignTop
                Layout.preferredHeight: trayChoice.height // level with the switch, not with its caption
                verticalAlignment: Text.AlignVCenter
                text: qsTr("Window")
                color: Theme.text
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Switch {
                    id: trayChoice
                    objectName: "settingsHideOnClose"
                    leftPadding: 0
                    text: qsTr("Keep running in the tray when the window is closed")
                    checked: page.tray.hideOnClose
                    // Hidden with no tray, the window could not be brought back: the choice waits for one.
                    enabled: page.tray.available
                    palette.windowText: enabled ? Theme.text : Theme.textMuted
                    onToggled: page.tray.hideOnClose = checked
                }
                Label {
                    objectName: "settingsNoTray"
                    Layout.fillWidth: true
                    visible: !page.tray.available
                    wrapMode: Text.Wrap
                    text: qsTr("This desktop has no system tray: closing the window quits Switchboard.")
                    color: Theme.textMuted
                }
            }
        }
        Label {
            text: qsTr("Logged in as %1").arg(page.session.email)
            color: Theme.textMuted
        }
        IconButton {
            iconName: "logout"
            text: qsTr("Log out")
            onClicked: page.session.logOut()
        }
        Label { text: "Switchboard " + AppInfo.version }

        Label { text: qsTr("API keys"); font.pixelSize: Theme.fontTitle; color: Theme.text }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.textMuted
            text: qsTr("Keys let scripts and CRMs use the API as you. Create them with POST /api/keys; revoke one here and it stops working at once.")
        }
        ApiKeysModel {
            id: keys
            client: page.api
        }
        Label {
            objectName: "apiKeysState"
            visible: text.length > 0
            color: keys.errorText.length > 0 ? Theme.negative : Theme.textMuted
            text: keys.errorText.length > 0 ? keys.errorText
                  : keys.loading ? qsTr("Loading…")
                  : keyList.count === 0 ? qsTr("No API keys.") : ""
        }
        Button {
            visible: keys.errorText.length > 0
            text: qsTr("Retry")
            onClicked: keys.reload()
        }
        ListView {
            id: keyList
            objectName: "apiKeys"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: keys
            delegate: RowLayout {
                required property string keyId
                required property string name
                required property string prefix
                required property string scopesText
                required property string createdText
                required property string lastUsedText

                width: ListView.view.width
                spacing: Theme.spacingLarge
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label { text: name + "  " + prefix + "…"; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                    Label { text: scopesText; color: Theme.textMuted; elide: Text.ElideRight; Layout.fillWidth: true }
                    Label {
                        text: qsTr("created %1 · last used %2").arg(createdText).arg(lastUsedText.length > 0 ? lastUsedText : qsTr("never"))
                        color: Theme.textMuted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                IconButton {
                    iconName: "close"
                    text: qsTr("Revoke")
                    Accessible.name: qsTr("Revoke the key %1").arg(name)
                    onClicked: keys.revoke(keyId)
                }
            }
        }
    }
}
