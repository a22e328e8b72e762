import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Switchboard.Gui

// The spec's operational metrics, refreshed every two seconds while shown, and a chart of
// active sessions over the last two minutes.
Page {
    id: page

    required property ApiClient api
    property bool active: false

    DashboardStats {
        id: stats
        client: page.api
        running: page.active
    }

    component Figure: Frame {
        property alias title: titleLabel.text
        property alias value: valueLabel.text
        Layout.fillWidth: true
        ColumnLayout {
            anchors.fill: parent
            Label { id: titleLabel; color: palette.placeholderText }
            Label { id: valueLabel; font.pixelSize: 28 }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 16

        Label {
            visible: !stats.available && stats.errorText !== ""
            text: stats.errorText
            color: "#b3261e"
        }

        GridLayout {
            columns: 5
            Layout.fillWidth: true
            Figure { title: qsTr("Calls initiated"); value: stats.initiated.toLocaleString(Qt.locale(), "f", 0) }
            Figure { title: qsTr("Calls completed"); value: stats.completed.toLocaleString(Qt.locale(), "f", 0) }
            Figure { title: qsTr("Average duration"); value: qsTr("%1 s").arg(stats.averageDuration.toLocaleString(Qt.locale(), "f", 1)) }
            Figure { title: qsTr("VoIP error rate"); value: (stats.errorRate * 100).toLocaleString(Qt.locale(), "f", 1) + " %" }
            Figure { title: qsTr("Active sessions"); value: stats.activeSessions.toLocaleString(Qt.locale(), "f", 0) }
        }

        Label { text: qsTr("Active sessions, last two minutes"); font.bold: true }

        // A bar per sample (every two seconds); the scale follows the largest value shown.
        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Label {
                anchors.top: parent.top
                anchors.left: parent.left
                text: bars.peak.toLocaleString(Qt.locale(), "f", 0)
                color: palette.placeholderText
            }
            Row {
                id: bars
                anchors.fill: parent
                anchors.leftMargin: 24
                spacing: 2
                readonly property real peak: Math.max(1, ...stats.activeHistory)
                Repeater {
                    model: stats.activeHistory
                    Rectangle {
                        required property var modelData
                        width: (bars.width - bars.spacing * stats.historyLength) / stats.historyLength
                        height: Math.max(2, bars.height * modelData / bars.peak)
                        anchors.bottom: parent.bottom
                        color: modelData > 0 ? "#1f5fa8" : "#9db3cf"
                    }
                }
            }
        }
    }
}
