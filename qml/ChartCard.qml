import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtCharts
import Switchboard.Gui

// A dashboard card holding one Qt Charts view, coloured from the Theme like every other card:
// the chart's own background and title give way to the card's, its axes and legend take the
// muted text colour. `chart` is the ChartView, for the series and axes the page puts in it.
Rectangle {
    id: card

    property alias title: titleLabel.text
    default property alias series: chartView.data
    readonly property alias chart: chartView

    color: Theme.surface
    radius: Theme.radiusLarge
    border.color: Theme.surfaceAlt
    Layout.fillWidth: true
    Layout.fillHeight: true

    Label {
        id: titleLabel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacingLarge
        elide: Text.ElideRight
        font.bold: true
        color: Theme.text
    }

    ChartView {
        id: chartView
        anchors.top: titleLabel.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacingSmall
        antialiasing: true
        animationOptions: ChartView.NoAnimation
        backgroundColor: "transparent"
        plotAreaColor: "transparent"
        backgroundRoundness: 0
        dropShadowEnabled: false
        margins { left: 0; right: 0; top: 0; bottom: 0 }
        legend.labelColor: Theme.textMuted
        legend.font.pixelSize: Theme.fontSmall
        legend.alignment: Qt.AlignBottom
    }
}
