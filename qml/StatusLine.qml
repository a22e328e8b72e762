import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// Where the console is connected: provider, API address, database, operator.
ToolBar {
    id: line

    required property string providerName
    required property string apiUrl
    required property string databaseName
    required property string operatorEmail

    background: Rectangle {
        implicitHeight: 28
        color: Theme.surface
        Rectangle { width: parent.width; height: 1; color: Theme.surfaceAlt }
    }

    component Field: Label {
        font.pixelSize: Theme.fontSmall
        color: Theme.textMuted
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingLarge
        anchors.rightMargin: Theme.spacingLarge
        spacing: Theme.spacingHuge
        Field { objectName: "statusProvider"; text: qsTr("Provider: %1").arg(line.providerName) }
        Field { objectName: "statusApi"; text: qsTr("API: %1").arg(line.apiUrl) }
        Field {
            objectName: "statusDatabase"
            text: qsTr("Database: %1").arg(line.databaseName)
            elide: Text.ElideMiddle
            Layout.fillWidth: true
        }
        Field { objectName: "statusOperator"; text: qsTr("Operator: %1").arg(line.operatorEmail) }
    }
}
