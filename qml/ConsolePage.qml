import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Gui

// The logged-in console: Call, History, Dashboard and Settings, and the status line.
Page {
    id: page

    required property ApiClient api
    required property Session session
    required property string apiUrl
    required property string databaseName
    required property string providerName

    /// Shows the call page with `number` filled in (tel: links, redial from History).
    function dial(number) {
        tabs.currentIndex = 0
        callPage.setNumber(number)
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.rightMargin: 8
            TabBar {
                id: tabs
                objectName: "navigation"
                Layout.fillWidth: true
                TabButton { text: qsTr("Call"); objectName: "tabCall" }
                TabButton { text: qsTr("History"); objectName: "tabHistory" }
                TabButton { text: qsTr("Dashboard"); objectName: "tabDashboard" }
                TabButton { text: qsTr("Settings"); objectName: "tabSettings" }
            }
            Button {
                objectName: "logout"
                text: qsTr("Log out")
                onClicked: page.session.logOut()
            }
        }
    }

    // Ctrl+1…4 reach every section without a mouse.
    Repeater {
        model: 4
        Item {
            required property int index
            Shortcut {
                sequence: "Ctrl+" + (index + 1)
                onActivated: tabs.currentIndex = index
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: tabs.currentIndex

        CallPage {
            id: callPage
            api: page.api
            active: tabs.currentIndex === 0
        }
        HistoryPage {
            api: page.api
            active: tabs.currentIndex === 1
            onRedial: (number) => page.dial(number)
        }
        DashboardPage {
            api: page.api
            active: tabs.currentIndex === 2
        }
        SettingsPage {
            session: page.session
        }
    }

    footer: StatusLine {
        providerName: page.providerName
        apiUrl: page.apiUrl
        databaseName: page.databaseName
        operatorEmail: page.session.email
    }
}
