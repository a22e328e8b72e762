import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window

    required property string apiUrl
    required property string databaseName
    required property string providerName

    width: 960
    height: 640
    visible: true
    title: qsTr("Switchboard")

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Switchboard")
            font.pixelSize: 32
            font.bold: true
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("The call backend is running. The operator console arrives with the next release.")
        }
        GridLayout {
            Layout.alignment: Qt.AlignHCenter
            columns: 2
            columnSpacing: 16

            Label { text: qsTr("API"); font.bold: true }
            Label { text: window.apiUrl }
            Label { text: qsTr("Database"); font.bold: true }
            Label { text: window.databaseName }
            Label { text: qsTr("Provider"); font.bold: true }
            Label { text: window.providerName }
        }
    }
}
