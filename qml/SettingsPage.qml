import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Gui

Page {
    id: page

    required property Session session

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 16

        Label { text: qsTr("Settings"); font.pixelSize: 22 }
        RowLayout {
            spacing: 12
            Label { text: qsTr("Language") }
            LanguageSwitch {}
        }
        Label {
            text: qsTr("Logged in as %1").arg(page.session.email)
        }
        Button {
            text: qsTr("Log out")
            onClicked: page.session.logOut()
        }
        Label { text: "Switchboard " + AppInfo.version }
        Item { Layout.fillHeight: true }
    }
}
