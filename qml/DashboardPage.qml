import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtCharts
import Switchboard.Gui

// The spec's operational metrics, refreshed every two seconds while shown, and Qt Charts of the
// calls over today, 7 or 30 days (per hour or day by outcome, average duration, quality) and of
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
        onUpdated: page.plotActiveSessions()
    }

    CallActivityChart {
        id: activity
        client: page.api
        running: page.active
        range: [CallActivityChart.Today, CallActivityChart.Week, CallActivityChart.Month][rangeTabs.currentIndex]
        onUpdated: {
            page.labelTimeAxis(callsAxis)
            page.labelTimeAxis(durationAxis)
        }
    }

    /// A count axis's top: whole ticks (four intervals), at least 4.
    function countAxisMax(largest) {
        return Math.max(4, Math.ceil(largest / 4) * 4)
    }

    /// Labels a time axis with the range's hours or days: every third hour today, every day of a
    /// week, every fifth of 30 days (24 or 30 labels do not fit a card's width).
    function labelTimeAxis(axis) {
        for (const label of axis.categoriesLabels)
            axis.remove(label)
        const labels = activity.labels
        const step = activity.range === CallActivityChart.Today ? 3 : activity.range === CallActivityChart.Week ? 1 : 5
        for (let i = 0; i < labels.length; i += step)
            axis.append(labels[i], i)
        axis.max = labels.length - 0.5
    }

    function plotActiveSessions() {
        const history = stats.activeHistory
        sessionsLine.clear()
        for (let i = 0; i < history.length; ++i)
            sessionsLine.append((history.length - 1 - i) * stats.intervalMs / 1000, history[i])
    }

    // The bars of hour or day i stand at i; the axis names some of them (labelTimeAxis).
    component TimeAxis: CategoryAxis {
        min: -0.5
        startValue: -0.5
        labelsPosition: CategoryAxis.AxisLabelsPositionOnValue
        labelsColor: Theme.textMuted
        labelsFont.pixelSize: Theme.fontSmall
        gridVisible: false
        color: Theme.border
    }

    component CountAxis: ValueAxis {
        min: 0
        tickCount: 5
        labelFormat: "%.0f"
        labelsColor: Theme.textMuted
        labelsFont.pixelSize: Theme.fontSmall
        titleFont.pixelSize: Theme.fontSmall
        titleBrush: Theme.textMuted
        gridLineColor: Theme.surfaceAlt
        color: Theme.border
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

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingLarge
            Label {
                text: activity.teamWide ? qsTr("The team's calls") : qsTr("Your calls")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
            }
            TabBar {
                id: rangeTabs
                objectName: "dashboardRange"
                background: Item {}
                PaneTab { text: qsTr("Today") }
                PaneTab { text: qsTr("7 days") }
                PaneTab { text: qsTr("30 days") }
            }
            Item { Layout.fillWidth: true }
            Label {
                visible: !activity.available && activity.errorText !== ""
                text: activity.errorText
                color: Theme.negative
            }
        }

        GridLayout {
            columns: 2
            columnSpacing: Theme.spacingLarge
            rowSpacing: Theme.spacingLarge
            Layout.fillWidth: true
            Layout.fillHeight: true

            ChartCard {
                objectName: "callsChart"
                cardTitle: activity.range === CallActivityChart.Today ? qsTr("Calls per hour") : qsTr("Calls per day")
                StackedBarSeries {
                    axisX: TimeAxis { id: callsAxis }
                    axisY: CountAxis { max: page.countAxisMax(activity.maxCalls) }
                    barWidth: 0.8
                    BarSet { label: qsTr("Completed"); values: activity.completed; color: Theme.positive; borderColor: Theme.positive }
                    BarSet { label: qsTr("Failed"); values: activity.failed; color: Theme.negative; borderColor: Theme.negative }
                    BarSet { label: qsTr("Canceled"); values: activity.canceled; color: Theme.textMuted; borderColor: Theme.textMuted }
                    BarSet { label: qsTr("In progress"); values: activity.live; color: Theme.accent; borderColor: Theme.accent }
                }
            }

            ChartCard {
                objectName: "durationChart"
                cardTitle: qsTr("Average duration of completed calls")
                legend.visible: false // one series, named by the title
                BarSeries {
                    axisX: TimeAxis { id: durationAxis }
                    axisY: CountAxis {
                        max: page.countAxisMax(activity.maxAverageDuration)
                        titleText: qsTr("seconds")
                    }
                    barWidth: 0.8
                    BarSet { label: qsTr("Average duration"); values: activity.averageDuration; color: Theme.accent; borderColor: Theme.accent }
                }
            }

            ChartCard {
                objectName: "qualityChart"
                cardTitle: qsTr("Call quality (MOS) of the calls shown")
                legend.visible: false // one series, named by the title
                // Across, so that the bands' names have room in both languages; the best at the top
                // (the first category is drawn at the bottom).
                HorizontalBarSeries {
                    axisY: BarCategoryAxis {
                        categories: activity.qualityLabels.slice().reverse()
                        labelsColor: Theme.textMuted
                        labelsFont.pixelSize: Theme.fontSmall
                        gridVisible: false
                        color: Theme.border
                    }
                    axisX: CountAxis { max: page.countAxisMax(activity.maxQuality) }
                    barWidth: 0.6
                    BarSet { label: qsTr("Calls"); values: activity.quality.slice().reverse(); color: Theme.accent; borderColor: Theme.accent }
                }
            }

            ChartCard {
                id: sessionsCard
                objectName: "sessionsChart"
                cardTitle: qsTr("Active sessions, last two minutes")
                legend.visible: false // one series, named by the title
                // One point per sample (every intervalMs), placed by its age: now (0 s) at the right.
                AreaSeries {
                    name: qsTr("Active sessions")
                    color: Theme.accentSoft
                    borderColor: Theme.accent
                    borderWidth: 2
                    axisX: ValueAxis {
                        min: 0
                        max: stats.historyLength * stats.intervalMs / 1000
                        reverse: true
                        tickCount: 5
                        labelFormat: "%.0f"
                        titleText: qsTr("seconds ago")
                        labelsColor: Theme.textMuted
                        labelsFont.pixelSize: Theme.fontSmall
                        titleFont.pixelSize: Theme.fontSmall
                        titleBrush: Theme.textMuted
                        gridLineColor: Theme.surfaceAlt
                        color: Theme.border
                    }
                    axisY: CountAxis { max: page.countAxisMax(Math.max(0, ...stats.activeHistory)) }
                    upperSeries: LineSeries { id: sessionsLine }
                }
            }
        }
    }
}
