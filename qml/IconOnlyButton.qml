import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// A button that shows one of the set's icons alone; its text is the tooltip and the accessible name.
ToolButton {
    id: button

    required property string iconName

    Accessible.name: text
    ToolTip.visible: hovered || visualFocus
    ToolTip.text: text
    ToolTip.delay: 500
    implicitWidth: 40
    implicitHeight: 40
    contentItem: Item {
        Icon {
            anchors.centerIn: parent
            width: 20
            height: 20
            name: button.iconName
            color: Theme.text
        }
    }
}
