import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// One destination of the navigation rail: an icon over its label, the current one marked.
AbstractButton {
    id: button

    required property string iconName

    implicitWidth: 88
    implicitHeight: content.implicitHeight + 2 * Theme.spacing
    focusPolicy: Qt.StrongFocus
    Accessible.role: checkable ? Accessible.PageTab : Accessible.Button
    Accessible.name: text

    contentItem: ColumnLayout {
        id: content
        spacing: Theme.spacingSmall
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 56
            implicitHeight: 32
            radius: height / 2
            color: button.checked ? Theme.accentSoft : button.hovered ? Theme.surfaceAlt : "transparent"
            border.width: button.visualFocus ? 2 : 0
            border.color: Theme.focus
            Icon {
                anchors.centerIn: parent
                width: 24
                height: 24
                name: button.iconName
                color: button.checked ? Theme.accent : Theme.text
            }
        }
        Label {
            Layout.fillWidth: true
            text: button.text
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontSmall
            font.bold: button.checked
            color: Theme.text
            elide: Text.ElideRight
        }
    }
}
