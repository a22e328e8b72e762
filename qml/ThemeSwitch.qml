import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// Follow the system / Light / Dark, switched at run time and remembered.
ChoiceBox {
    objectName: "themeSwitch"
    model: [
        { mode: Theme.System, name: qsTr("Follow the system") },
        { mode: Theme.Light, name: qsTr("Light") },
        { mode: Theme.Dark, name: qsTr("Dark") }
    ]
    textRole: "name"
    valueRole: "mode"
    implicitContentWidthPolicy: ComboBox.WidestText
    currentIndex: Theme.mode === Theme.Light ? 1 : Theme.mode === Theme.Dark ? 2 : 0
    Accessible.name: qsTr("Theme")
    onActivated: Theme.mode = currentValue
}
