import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// Every keyboard shortcut of the console, in the operator's language. F1 opens it anywhere (and
// `?` outside text fields); Escape, F1 or the close button closes it.
Popup {
    id: overlay

    objectName: "helpOverlay"
    anchors.centerIn: T.Overlay.overlay
    width: Math.min(640, parent ? parent.width - 2 * Theme.spacingHuge : 640)
    modal: true
    focus: true
    padding: Theme.spacingHuge
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    /// Whether the console has the Team section (an admin is signed in), reached with Ctrl+6.
    property bool showTeam: false

    readonly property var sections: [
        { title: qsTr("Anywhere"), keys: [
            showTeam ? { key: "Ctrl+1 … Ctrl+6", text: qsTr("Call, History, Contacts, Dashboard, Settings, Team") }
                     : { key: "Ctrl+1 … Ctrl+5", text: qsTr("Call, History, Contacts, Dashboard, Settings") },
            { key: qsTr("F1 or ?"), text: qsTr("This help (? only outside text fields)") },
            { key: "Tab / Shift+Tab", text: qsTr("Next / previous control") }
        ] },
        { title: qsTr("Call page"), keys: [
            { key: qsTr("0–9 + * #"), text: qsTr("Type the number; in a call, send tones") },
            { key: "Enter", text: qsTr("Call the number or the chosen recent call") },
            { key: "Esc", text: qsTr("Hang up") },
            { key: "Alt+M", text: qsTr("Mute or unmute the microphone") },
            { key: "Alt+H", text: qsTr("Hold or resume the call") },
            { key: "Alt+K", text: qsTr("Show or hide the keypad") },
            { key: "Alt+T", text: qsTr("Transfer the call") }
        ] },
        { title: qsTr("History"), keys: [
            { key: "↑ ↓", text: qsTr("Choose a call") },
            { key: "Enter", text: qsTr("Call the chosen number again") }
        ] },
        { title: qsTr("Contacts"), keys: [
            { key: "↑ ↓", text: qsTr("Choose a contact") },
            { key: "Enter", text: qsTr("Call the chosen contact") }
        ] }
    ]

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radiusLarge
        border.color: Theme.border
    }

    T.Overlay.modal: Rectangle { color: Theme.dark ? "#b0000000" : "#80000000" }

    contentItem: ColumnLayout {
        spacing: Theme.spacingLarge

        // Shortcuts outside a modal popup are off while it is open: F1 closes it from in here.
        Shortcut {
            sequence: "F1"
            enabled: overlay.opened
            onActivated: overlay.close()
        }

        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Keyboard shortcuts")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
            }
            ToolButton {
                objectName: "helpClose"
                Accessible.name: qsTr("Close")
                contentItem: Icon { name: "close"; color: Theme.text; implicitWidth: 20; implicitHeight: 20 }
                onClicked: overlay.close()
            }
        }

        Repeater {
            model: overlay.sections
            ColumnLayout {
                id: section
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacingSmall
                Label {
                    text: section.modelData.title
                    font.bold: true
                    color: Theme.accent
                }
                Repeater {
                    model: section.modelData.keys
                    RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        spacing: Theme.spacingLarge
                        Label {
                            Layout.preferredWidth: 170
                            text: modelData.key
                            font.bold: true
                            color: Theme.text
                        }
                        Label {
                            Layout.fillWidth: true
                            text: modelData.text
                            color: Theme.text
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }
    }
}
