import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// A button with one of the set's icons before its text.
Button {
    id: button

    required property string iconName

    Accessible.name: text
    contentItem: RowLayout {
        spacing: Theme.spacingSmall
        Icon {
            name: button.iconName
            color: label.color
            Layout.preferredWidth: 18
            Layout.preferredHeight: 18
        }
        Label {
            id: label
            text: button.text
            color: button.highlighted ? Theme.onAccent : Theme.text
        }
    }
}
