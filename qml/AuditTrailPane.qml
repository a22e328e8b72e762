import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The audit trail, newest first, a page at a time: who did what to whom, when and from where.
// Filtered by the actor's email (as typed in full) and by action.
Item {
    id: pane

    required property ApiClient api
    property bool active: false

    onActiveChanged: if (active) audit.reload()

    AuditModel {
        id: audit
        client: pane.api
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            Layout.leftMargin: Theme.spacingLarge
            Layout.rightMargin: Theme.spacingLarge
            spacing: Theme.spacing
            Icon { name: "search"; color: Theme.textMuted }
            TextField {
                id: actor
                objectName: "auditActor"
                Layout.preferredWidth: 300
                placeholderText: qsTr("Who (full email)")
                Accessible.name: placeholderText
                onTextEdited: actorDelay.restart()
                onAccepted: audit.actorFilter = text
                Timer {
                    id: actorDelay
                    interval: 400
                    onTriggered: audit.actorFilter = actor.text
                }
            }
            ChoiceBox {
                id: action
                objectName: "auditAction"
                Accessible.name: qsTr("Action")
                textRole: "text"
                valueRole: "value"
                implicitContentWidthPolicy: ComboBox.WidestText
                model: [{ value: "", text: qsTr("All actions") }].concat(audit.actionChoices)
                onActivated: audit.actionFilter = currentValue
            }
            Item { Layout.fillWidth: true }
            IconOnlyButton {
                objectName: "auditReload"
                iconName: "refresh"
                text: qsTr("Reload")
                onClicked: audit.reload()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingLarge
            Layout.rightMargin: Theme.spacingLarge
            Layout.bottomMargin: Theme.spacingSmall
            spacing: Theme.spacing
            Label { text: qsTr("When"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 150 }
            Label { text: qsTr("What"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 240 }
            Label { text: qsTr("Whom, by whom, from where"); font.bold: true; color: Theme.textMuted; Layout.fillWidth: true }
        }

        ListView {
            id: list
            objectName: "auditList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: audit
            visible: count > 0
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: row
                required property string atText
                required property string actionText
                required property string action
                required property string target
                required property string actorEmail
                required property string client
                required property string detail

                width: ListView.view.width
                implicitHeight: cells.implicitHeight + 2 * Theme.spacingSmall
                color: "transparent"
                Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.surfaceAlt }

                // Two lines a row: what happened to whom, then how and by whom from where.
                GridLayout {
                    id: cells
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacingLarge
                    anchors.rightMargin: Theme.spacingLarge
                    anchors.topMargin: Theme.spacingSmall
                    anchors.bottomMargin: Theme.spacingSmall
                    columns: 3
                    columnSpacing: Theme.spacing
                    rowSpacing: 0
                    Label {
                        text: row.atText
                        color: Theme.textMuted
                        Layout.preferredWidth: 150
                    }
                    Label {
                        text: row.actionText
                        color: row.action === "login_failed" ? Theme.negative : Theme.text
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.preferredWidth: 240
                    }
                    Label {
                        text: row.target
                        color: Theme.text
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Item { Layout.preferredWidth: 150; implicitHeight: 1 }
                    Label {
                        text: row.detail
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                        Layout.preferredWidth: 240
                        Layout.alignment: Qt.AlignLeft | Qt.AlignTop
                    }
                    Label {
                        Layout.alignment: Qt.AlignLeft | Qt.AlignTop
                        // A call ended by its far end or the server was asked from nowhere.
                        text: (row.actorEmail === "" ? qsTr("no one logged in") : qsTr("by %1").arg(row.actorEmail))
                              + (row.client === "" ? "" : " · " + qsTr("from %1").arg(row.client))
                        color: Theme.textMuted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
            }
        }

        ColumnLayout {
            visible: list.count === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Item { Layout.fillHeight: true }
            BusyIndicator {
                running: audit.loading
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "auditState"
                color: audit.errorText !== "" ? Theme.negative : Theme.textMuted
                Layout.alignment: Qt.AlignHCenter
                text: audit.errorText !== "" ? audit.errorText
                    : audit.loading ? qsTr("Loading the audit trail…")
                    : qsTr("Nothing recorded matches.")
            }
            Button {
                visible: audit.errorText !== ""
                text: qsTr("Retry")
                Layout.alignment: Qt.AlignHCenter
                onClicked: audit.reload()
            }
            Item { Layout.fillHeight: true }
        }

        // The pages: newest first, so "Older" goes on to the next.
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacingSmall
            Layout.leftMargin: Theme.spacingLarge
            Layout.rightMargin: Theme.spacingLarge
            spacing: Theme.spacing
            Label {
                objectName: "auditPage"
                Layout.fillWidth: true
                color: Theme.textMuted
                text: qsTr("Page %1 of %2 · %n event(s)", "", audit.total).arg(audit.page).arg(audit.pageCount)
            }
            IconButton {
                objectName: "auditNewer"
                iconName: "chevron_left"
                text: qsTr("Newer")
                enabled: audit.page > 1 && !audit.loading
                onClicked: audit.previousPage()
            }
            IconButton {
                objectName: "auditOlder"
                iconName: "chevron_right"
                text: qsTr("Older")
                enabled: audit.page < audit.pageCount && !audit.loading
                onClicked: audit.nextPage()
            }
        }
    }
}
