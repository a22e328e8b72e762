import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The console's sections down the left edge (Ctrl+1…5 reach them too, Ctrl+6 the Team section,
// which only admins see), with help and log out at the bottom.
Rectangle {
    id: rail

    property int currentIndex: 0
    /// Whether the Team section (index 5) is there: the signed-in user is an admin.
    property bool showTeam: false
    signal helpRequested()
    signal logOutRequested()

    implicitWidth: 96
    color: Theme.surface

    ButtonGroup { id: sections }

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: Theme.spacingLarge
        anchors.bottomMargin: Theme.spacing
        spacing: Theme.spacing

        Repeater {
            model: [
                { name: "tabCall", icon: "call", text: qsTr("Call") },
                { name: "tabHistory", icon: "history", text: qsTr("History") },
                { name: "tabContacts", icon: "contacts", text: qsTr("Contacts") },
                { name: "tabDashboard", icon: "monitoring", text: qsTr("Dashboard") },
                { name: "tabSettings", icon: "settings", text: qsTr("Settings") },
                { name: "tabTeam", icon: "group", text: qsTr("Team"), adminOnly: true }
            ]
            RailButton {
                required property var modelData
                required property int index
                Layout.alignment: Qt.AlignHCenter
                objectName: modelData.name
                visible: !modelData.adminOnly || rail.showTeam
                iconName: modelData.icon
                text: modelData.text
                checkable: true
                checked: rail.currentIndex === index
                ButtonGroup.group: sections
                onClicked: rail.currentIndex = index
            }
        }
        Item { Layout.fillHeight: true }
        RailButton {
            objectName: "help"
            Layout.alignment: Qt.AlignHCenter
            iconName: "help"
            text: qsTr("Help")
            onClicked: rail.helpRequested()
        }
        RailButton {
            objectName: "logout"
            Layout.alignment: Qt.AlignHCenter
            iconName: "logout"
            text: qsTr("Log out")
            onClicked: rail.logOutRequested()
        }
    }

    // The rail's edge against the page.
    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.surfaceAlt
    }
}
