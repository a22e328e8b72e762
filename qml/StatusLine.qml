import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Where the console is connected: provider, API address, database, operator.
ToolBar {
    id: line

    required property string providerName
    required property string apiUrl
    required property string databaseName
    required property string operatorEmail

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 24
        Label { objectName: "statusProvider"; text: qsTr("Provider: %1").arg(line.providerName) }
        Label { objectName: "statusApi"; text: qsTr("API: %1").arg(line.apiUrl) }
        Label {
            objectName: "statusDatabase"
            text: qsTr("Database: %1").arg(line.databaseName)
            elide: Text.ElideMiddle
            Layout.fillWidth: true
        }
        Label { objectName: "statusOperator"; text: qsTr("Operator: %1").arg(line.operatorEmail) }
    }
}
