import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Switchboard.Gui

// The operator's calls: search, filters, incremental loading, redial, CSV export; empty,
// loading and error-with-retry states.
Page {
    id: page

    required property ApiClient api
    property bool active: false

    signal redial(string number)

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
    }

    /// A date typed as YYYY-MM-DD, or an invalid date for an empty or unreadable field.
    function parseDate(text) {
        return Date.fromLocaleString(Qt.locale("C"), text, "yyyy-MM-dd")
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
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
            ComboBox {
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
            TextField {
                id: dateFrom
                objectName: "historyFrom"
                placeholderText: qsTr("From (YYYY-MM-DD)")
                Layout.preferredWidth: 160
                validator: RegularExpressionValidator { regularExpression: /^(\d{4}-\d{2}-\d{2})?$/ }
                Accessible.name: placeholderText
                onEditingFinished: history.dateFrom = page.parseDate(text)
            }
            TextField {
                id: dateTo
                objectName: "historyTo"
                placeholderText: qsTr("To (YYYY-MM-DD)")
                Layout.preferredWidth: 160
                validator: RegularExpressionValidator { regularExpression: /^(\d{4}-\d{2}-\d{2})?$/ }
                Accessible.name: placeholderText
                onEditingFinished: history.dateTo = page.parseDate(text)
            }
            Button {
                objectName: "historyExport"
                text: qsTr("Export CSV")
                onClicked: exportDialog.open()
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
            Layout.margins: 8
            Label { text: qsTr("Date and time"); font.bold: true; Layout.preferredWidth: 200 }
            Label { text: qsTr("Number"); font.bold: true; Layout.preferredWidth: 200 }
            Label { text: qsTr("Duration"); font.bold: true; Layout.preferredWidth: 120 }
            Label { text: qsTr("Status"); font.bold: true; Layout.fillWidth: true }
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

                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                onClicked: list.currentIndex = index

                contentItem: RowLayout {
                    Label { text: row.startTimeText; Layout.preferredWidth: 200 }
                    Label { text: row.displayNumber; Layout.preferredWidth: 200 }
                    Label { text: row.durationText; Layout.preferredWidth: 120 }
                    Label {
                        text: row.statusText
                        color: row.highlighted ? palette.highlightedText
                             : row.status === "failed" ? "#b3261e" : row.status === "completed" ? "#1e7d32" : palette.text
                        Layout.fillWidth: true
                    }
                    Button {
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
            padding: 8
            text: qsTr("%1 of %2 calls shown").arg(list.count).arg(history.total)
            visible: history.state === HistoryModel.Ready
        }
    }
}
