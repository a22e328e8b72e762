import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The spec's operational metrics, refreshed every two seconds while shown, and a chart of
// active sessions over the last two minutes.
Page {
    id: page

    required property ApiClient api
    property bool active: false

    background: Rectangle { color: Theme.background }

    DashboardStats {
        id: stats
        client: page.api
        running: page.active
    }

    component Card: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.surfaceAlt
    }

    component Figure: Card {
        property alias title: titleLabel.text
        property alias value: valueLabel.text
        Layout.fillWidth: true
        Layout.fillHeight: true // the row's cards as tall as the tallest (Russian titles wrap)
        implicitHeight: figure.implicitHeight + 2 * Theme.spacingLarge
        ColumnLayout {
            id: figure
            anchors.fill: parent
            anchors.margins: Theme.spacingLarge
            Label {
                id: titleLabel
                color: Theme.textMuted
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            Label { id: valueLabel; font.pixelSize: Theme.fontHeadline + 4; color: Theme.text }
            Item { Layout.fillHeight: true }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingHuge
        spacing: Theme.spacingLarge

        Label {
            visible: !stats.available && stats.errorText !== ""
            text: stats.errorText
            color: Theme.negative
        }

        GridLayout {
            columns: 5
            columnSpacing: Theme.spacingLarge
            Layout.fillWidth: true
            Layout.fillHeight: false // the cards fill their row, the row does not fill the page
            Figure { title: qsTr("Calls initiated"); value: stats.initiated.toLocaleString(Qt.locale(), "f", 0) }
            Figure { title: qsTr("Calls completed"); value: stats.completed.toLocaleString(Qt.locale(), "f", 0) }
            Figure { title: qsTr("Average duration"); value: qsTr("%1 s").arg(stats.averageDuration.toLocaleString(Qt.locale(), "f", 1)) }
            Figure { title: qsTr("VoIP error rate"); value: (stats.errorRate * 100).toLocaleString(Qt.locale(), "f", 1) + " %" }
            Figure { title: qsTr("Active sessions"); value: stats.activeSessions.toLocaleString(Qt.locale(), "f", 0) }
        }

        // A bar per sample (every two seconds) over a baseline; the scale follows the largest value
        // shown, labelled on the left, with the time span under the bars.
        Card {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacingLarge
                spacing: Theme.spacing

                Label { text: qsTr("Active sessions, last two minutes"); font.bold: true; color: Theme.text }

                RowLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    spacing: Theme.spacing

                    // The value axis: the peak at the top, zero at the baseline.
                    Item {
                        Layout.fillHeight: true
                        implicitWidth: peakLabel.implicitWidth
                        Label { id: peakLabel; anchors.top: parent.top; anchors.right: parent.right
                                text: bars.peak.toLocaleString(Qt.locale(), "f", 0); color: Theme.textMuted }
                        Label { anchors.bottom: parent.bottom; anchors.right: parent.right; text: "0"; color: Theme.textMuted }
                    }

                    Item {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        // Top gridline at the peak and the baseline at zero.
                        Rectangle { width: parent.width; height: 1; anchors.top: parent.top; anchors.topMargin: peakLabel.height / 2; color: Theme.surfaceAlt }
                        Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.border }
                        // The newest sample at the right edge ("now"); older ones to its left.
                        Row {
                            id: bars
                            readonly property real slot: parent.width / stats.historyLength
                            anchors.top: parent.top
                            anchors.bottom: parent.bottom
                            anchors.right: parent.right
                            anchors.topMargin: peakLabel.height / 2
                            spacing: 2
                            readonly property real peak: Math.max(1, ...stats.activeHistory)
                            Repeater {
                                model: stats.activeHistory
                                Rectangle {
                                    required property var modelData
                                    width: bars.slot - bars.spacing
                                    height: modelData > 0 ? bars.height * modelData / bars.peak : 0
                                    anchors.bottom: parent.bottom
                                    radius: 2
                                    color: Theme.accent
                                }
                            }
                        }
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    Layout.leftMargin: peakLabel.implicitWidth + Theme.spacing
                    Label { text: qsTr("2 min ago"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                    Item { Layout.fillWidth: true }
                    Label { text: qsTr("now"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                }
            }
        }
    }
}
