import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

Page {
    id: page

    required property Session session

    background: Rectangle { color: Theme.background }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingHuge
        spacing: Theme.spacingLarge

        Label { text: qsTr("Settings"); font.pixelSize: Theme.fontHeadline; color: Theme.text }
        GridLayout {
            columns: 2
            columnSpacing: Theme.spacingLarge
            rowSpacing: Theme.spacing
            Label { text: qsTr("Language"); color: Theme.text }
            LanguageSwitch { objectName: "settingsLanguage" }
            Label { text: qsTr("Theme"); color: Theme.text }
            ThemeSwitch { objectName: "settingsTheme" }
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
        Item { Layout.fillHeight: true }
    }
}
