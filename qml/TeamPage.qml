import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The admin's section (the rail shows it to admins only): the team's accounts, the calling
// policy and the audit trail, one tab each.
Page {
    id: page

    required property ApiClient api
    required property Session session
    property bool active: false

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingLarge
            anchors.rightMargin: Theme.spacingLarge
            spacing: Theme.spacing
            Icon { name: "group"; color: Theme.accent }
            Label {
                text: qsTr("Team")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
                Layout.rightMargin: Theme.spacingLarge
            }
            TabBar {
                id: tabs
                objectName: "teamTabs"
                Layout.fillWidth: true
                background: Item {}
                PaneTab { objectName: "teamTabUsers"; text: qsTr("Operators") }
                PaneTab { objectName: "teamTabPolicy"; text: qsTr("Calling policy") }
                PaneTab { objectName: "teamTabAudit"; text: qsTr("Audit trail") }
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: tabs.currentIndex

        TeamUsersPane {
            api: page.api
            session: page.session
            active: page.active && tabs.currentIndex === 0
        }
        CallingPolicyPane {
            api: page.api
            active: page.active && tabs.currentIndex === 1
        }
        AuditTrailPane {
            api: page.api
            active: page.active && tabs.currentIndex === 2
        }
    }
}
