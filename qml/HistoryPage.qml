import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Gui

// The operator's calls: search, filters, incremental loading, redial, CSV export; empty,
// loading and error-with-retry states; each call's contact name, outcome and notes (editable),
// and "add contact" for a number that is not in the address book.
Page {
    id: page

    required property ApiClient api
    property bool active: false

    signal redial(string number)

    /// Shows the calls as stored now (after a wrap-up was written elsewhere).
    function reload() { history.reload() }

    onActiveChanged: {
        if (active) {
            history.reload()
            list.forceActiveFocus()
        }
    }

    HistoryModel {
        id: history
        client: page.api
        onExportFinished: (ok, path, rows, errorText) => {
            exportStatus.text = ok ? qsTr("Exported %n call(s) to %1", "", rows).arg(path) : errorText
        }
        onAnnotated: (ok, errorText) => ok ? notesDialog.close() : notesDialog.fail(errorText)
    }

    // For "add contact" from a row; the list shows the name once it is saved.
    ContactsModel {
        id: contacts
        client: page.api
        onSaved: (ok) => { if (ok) history.reload() }
    }
    ContactDialog { id: contactEditor; contacts: contacts }
    CallNotesDialog {
        id: notesDialog
        onSubmitted: (callId, notes, outcome) => history.annotate(callId, notes, outcome)
    }

    /// A date typed as YYYY-MM-DD, or an invalid date for an empty or unreadable field.
    function parseDate(text) {
        return Date.fromLocaleString(Qt.locale("C"), text, "yyyy-MM-dd")
    }

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        background: Rectangle { color: Theme.surface }
        // Two rows: the search and the export, then the filters — room for both languages at
        // the smallest window.
        ColumnLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingLarge
            anchors.rightMargin: Theme.spacingLarge
            anchors.topMargin: Theme.spacingSmall
            anchors.bottomMargin: Theme.spacingSmall
            RowLayout {
                Icon { name: "search"; color: Theme.textMuted; Layout.leftMargin: Theme.spacingSmall }
                TextField {
                    id: search
                    objectName: "historySearch"
                    placeholderText: qsTr("Search by number")
                    Layout.fillWidth: true
                    Accessible.name: placeholderText
                    onTextEdited: searchDelay.restart()
                    Timer {
                        id: searchDelay
                        interval: 300
                        onTriggered: history.search = search.text
                    }
                }
                IconButton {
                    objectName: "historyExport"
                    iconName: "download"
                    text: qsTr("Export CSV")
                    onClicked: exportDialog.open()
                }
            }
            RowLayout {
                ChoiceBox {
                    id: statusFilter
                    objectName: "historyStatus"
                    Accessible.name: qsTr("Status")
                    textRole: "text"
                    valueRole: "value"
                    implicitContentWidthPolicy: ComboBox.WidestText
                    model: [
                        { value: "", text: qsTr("All statuses") },
                        { value: "completed", text: qsTr("Completed") },
                        { value: "failed", text: qsTr("Failed") },
                        { value: "canceled", text: qsTr("Canceled") },
                        { value: "active", text: qsTr("In call") },
                        { value: "connecting", text: qsTr("Connecting") }
                    ]
                    onActivated: history.statusFilter = currentValue
                }
                OutcomeBox {
                    objectName: "historyOutcome"
                    noneText: qsTr("All outcomes")
                    onActivated: history.outcomeFilter = currentValue
                }
                TextField {
                    id: dateFrom
                    objectName: "historyFrom"
                    placeholderText: qsTr("From (YYYY-MM-DD)")
                    Layout.preferredWidth: 170
                    validator: RegularExpressionValidator { regularExpression: /^(\d{4}-\d{2}-\d{2})?$/ }
                    Accessible.name: placeholderText
                    onEditingFinished: history.dateFrom = page.parseDate(text)
                }
                TextField {
                    id: dateTo
                    objectName: "historyTo"
                    placeholderText: qsTr("To (YYYY-MM-DD)")
                    Layout.preferredWidth: 170
                    validator: RegularExpressionValidator { regularExpression: /^(\d{4}-\d{2}-\d{2})?$/ }
                    Accessible.name: placeholderText
                    onEditingFinished: history.dateTo = page.parseDate(text)
                }
                Item { Layout.fillWidth: true }
            }
        }
    }

    FileDialog {
        id: exportDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)")]
        defaultSuffix: "csv"
        onAccepted: history.exportCsv(selectedFile)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            id: exportStatus
            objectName: "historyExportStatus"
            visible: text !== ""
            padding: 8
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }

        // Column titles
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            Layout.leftMargin: Theme.spacingLarge
            Label { text: qsTr("Date and time"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 200 }
            Label { text: qsTr("Number"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 200 }
            Label { text: qsTr("Duration"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 120 }
            Label { text: qsTr("Status"); font.bold: true; color: Theme.textMuted; Layout.fillWidth: true }
        }

        ListView {
            id: list
            objectName: "historyList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: history
            visible: history.state === HistoryModel.Ready
            keyNavigationEnabled: true
            focus: true
            // Up and Down pick a call, Enter redials it; a reload starts again at the newest.
            Keys.onReturnPressed: if (currentItem) page.redial(currentItem.phoneNumber)
            onCountChanged: if (currentIndex < 0 && count > 0) currentIndex = 0
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string phoneNumber
                required property string displayNumber
                required property string startTimeText
                required property string durationText
                required property string status
                required property string statusText
                required property string callId
                required property string contactName
                required property string notes
                required property string outcome
                required property string outcomeText

                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                leftPadding: Theme.spacingLarge
                onClicked: list.currentIndex = index

                background: Rectangle {
                    color: row.highlighted ? Theme.accentSoft : row.hovered ? Theme.surfaceAlt : "transparent"
                    Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.surfaceAlt }
                }

                contentItem: RowLayout {
                    Label { text: row.startTimeText; color: Theme.text; Layout.preferredWidth: 200 }
                    ColumnLayout {
                        spacing: 0
                        Layout.preferredWidth: 200
                        Layout.maximumWidth: 200
                        Label {
                            visible: row.contactName !== ""
                            text: row.contactName
                            font.bold: true
                            color: Theme.text
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: row.displayNumber
                            color: row.contactName !== "" ? Theme.textMuted : Theme.text
                            Layout.fillWidth: true
                        }
                    }
                    Label { text: row.durationText; color: Theme.text; Layout.preferredWidth: 120 }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label {
                            text: row.statusText
                            color: row.status === "failed" ? Theme.negative
                                 : row.status === "completed" ? Theme.positive : Theme.text
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            objectName: "historyOutcomeText"
                            visible: text !== ""
                            text: row.outcomeText + (row.notes !== "" ? (row.outcomeText !== "" ? " · " : "") + row.notes.replace(/\n/g, " ") : "")
                            color: Theme.textMuted
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                    // Icons only, with their names as tooltips: the row keeps room for the status.
                    IconOnlyButton {
                        objectName: "historyNotes"
                        iconName: "edit_note"
                        text: qsTr("Notes")
                        onClicked: notesDialog.openFor(row.callId, row.contactName !== "" ? row.contactName : row.displayNumber,
                                                       row.notes, row.outcome, false)
                    }
                    IconOnlyButton {
                        objectName: "historyAddContact"
                        enabled: row.contactName === ""
                        opacity: enabled ? 1 : 0
                        iconName: "person_add"
                        text: qsTr("Add contact")
                        onClicked: contactEditor.openFor("", "", row.phoneNumber, "", "")
                    }
                    IconButton {
                        iconName: "call"
                        text: qsTr("Redial")
                        onClicked: page.redial(row.phoneNumber)
                    }
                }
            }
        }

        // The other states take the list's place.
        ColumnLayout {
            visible: history.state !== HistoryModel.Ready
            Layout.fillWidth: true
            Layout.fillHeight: true
            Item { Layout.fillHeight: true }
            BusyIndicator {
                running: history.state === HistoryModel.Loading
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "historyState"
                color: Theme.textMuted
                Layout.alignment: Qt.AlignHCenter
                text: history.state === HistoryModel.Loading ? qsTr("Loading calls…")
                    : history.state === HistoryModel.Empty ? qsTr("No calls match.")
                    : history.state === HistoryModel.Error ? history.errorText
                    : ""
            }
            Button {
                objectName: "historyRetry"
                visible: history.state === HistoryModel.Error
                text: qsTr("Retry")
                Layout.alignment: Qt.AlignHCenter
                onClicked: history.reload()
            }
            Item { Layout.fillHeight: true }
        }

        Label {
            padding: Theme.spacing
            leftPadding: Theme.spacingLarge
            color: Theme.textMuted
            text: qsTr("%1 of %2 calls shown").arg(list.count).arg(history.total)
            visible: history.state === HistoryModel.Ready
        }
    }
}
