import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// One tab over a section's panes (Team: operators, policy, audit trail): its label, the current
// one in the accent and underlined. As wide as its label, so that Russian fits.
TabButton {
    id: tab

    width: implicitWidth
    leftPadding: Theme.spacingLarge
    rightPadding: Theme.spacingLarge
    Accessible.name: text

    contentItem: Label {
        text: tab.text
        color: tab.checked ? Theme.accent : Theme.text
        font.bold: tab.checked
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        implicitHeight: 40
        color: tab.hovered && !tab.checked ? Theme.surfaceAlt : "transparent"
        border.width: tab.visualFocus ? 2 : 0
        border.color: Theme.focus
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 3
            color: Theme.accent
            visible: tab.checked
        }
    }
}
