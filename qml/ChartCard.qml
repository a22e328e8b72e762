import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtCharts
import Switchboard.Gui

// A dashboard card that is a Qt Charts view, coloured from the Theme like every other card: the
// card's surface and border drawn under the chart, the title at the top left as on the figure
// cards, the legend and (the page's) axes in the muted text colour. The series are declared
// inside it: ChartView only takes series that are its own children when it completes.
ChartView {
    id: chart

    property string cardTitle

    Layout.fillWidth: true
    Layout.fillHeight: true
    antialiasing: true
    animationOptions: ChartView.NoAnimation
    backgroundColor: "transparent"
    plotAreaColor: "transparent"
    backgroundRoundness: 0
    dropShadowEnabled: false
    margins { left: Theme.spacing; right: Theme.spacing; top: titleLabel.height + Theme.spacing; bottom: 0 }
    legend.labelColor: Theme.textMuted
    legend.font.pixelSize: Theme.fontSmall
    legend.alignment: Qt.AlignBottom

    Rectangle {
        z: -1 // under the chart's drawing
        anchors.fill: parent
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.surfaceAlt
    }

    Label {
        id: titleLabel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacingLarge
        elide: Text.ElideRight
        text: chart.cardTitle
        font.bold: true
        color: Theme.text
    }
}
