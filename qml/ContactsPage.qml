import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Dialogs
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// The operator's address book: search, add, edit, delete, import and export (CSV or vCard)
// through file dialogs, and a call from any row.
Page {
    id: page

    required property ApiClient api
    property bool active: false

    signal callNumber(string number)

    onActiveChanged: {
        if (active) {
            contacts.reload()
            list.forceActiveFocus()
        }
    }

    ContactsModel {
        id: contacts
        client: page.api
        onImportFinished: (ok, imported, skipped, details, errorText) => {
            status.text = !ok ? errorText
                : skipped === 0 ? qsTr("Imported %n contact(s).", "", imported)
                : qsTr("Imported %n contact(s).", "", imported) + " " + qsTr("Skipped %n line(s):", "", skipped) + "\n" + details
        }
        onExportFinished: (ok, path, errorText) => {
            status.text = ok ? qsTr("Contacts exported to %1").arg(path) : errorText
        }
        onRemoved: (ok, errorText) => { if (!ok) status.text = errorText }
    }

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingLarge
            anchors.rightMargin: Theme.spacingLarge
            Icon { name: "search"; color: Theme.textMuted; Layout.leftMargin: Theme.spacingSmall }
            TextField {
                id: search
                objectName: "contactsSearch"
                placeholderText: qsTr("Search by name, company or number")
                Layout.fillWidth: true
                Accessible.name: placeholderText
                onTextEdited: searchDelay.restart()
                Timer {
                    id: searchDelay
                    interval: 300
                    onTriggered: contacts.search = search.text
                }
            }
            IconButton {
                objectName: "contactsAdd"
                iconName: "person_add"
                text: qsTr("Add")
                onClicked: editor.openFor("", "", "", "", "")
            }
            IconButton {
                objectName: "contactsImport"
                iconName: "upload"
                text: qsTr("Import")
                onClicked: importDialog.open()
            }
            IconButton {
                objectName: "contactsExport"
                iconName: "download"
                text: qsTr("Export")
                onClicked: exportDialog.open()
            }
        }
    }

    FileDialog {
        id: importDialog
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Contact files (*.csv *.vcf)"), qsTr("CSV files (*.csv)"), qsTr("vCard files (*.vcf)")]
        onAccepted: contacts.importFile(selectedFile)
    }
    FileDialog {
        id: exportDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)"), qsTr("vCard files (*.vcf)")]
        defaultSuffix: selectedNameFilter.index === 1 ? "vcf" : "csv"
        onAccepted: contacts.exportFile(selectedFile)
    }

    ContactDialog { id: editor; contacts: contacts }

    // Deleting asks first: a contact's notes are not kept anywhere else.
    Popup {
        id: confirmDelete

        property string contactId: ""
        property string name: ""

        function ask(id, who) {
            contactId = id
            name = who
            open()
        }

        objectName: "contactDeleteConfirm"
        anchors.centerIn: T.Overlay.overlay
        modal: true
        focus: true
        padding: Theme.spacingLarge
        closePolicy: Popup.CloseOnEscape
        background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }
        contentItem: ColumnLayout {
            spacing: Theme.spacing
            Label { text: qsTr("Delete %1 from your contacts?").arg(confirmDelete.name); color: Theme.text; font.bold: true }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                Button { text: qsTr("Cancel"); onClicked: confirmDelete.close() }
                Button {
                    objectName: "contactDeleteYes"
                    text: qsTr("Delete")
                    highlighted: true
                    onClicked: {
                        contacts.remove(confirmDelete.contactId)
                        confirmDelete.close()
                    }
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            id: status
            objectName: "contactsStatus"
            visible: text !== ""
            padding: Theme.spacing
            leftPadding: Theme.spacingLarge
            color: Theme.text
            Layout.fillWidth: true
            Layout.maximumHeight: 140
            wrapMode: Text.Wrap
            elide: Text.ElideRight
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            Layout.leftMargin: Theme.spacingLarge
            Label { text: qsTr("Name"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 240 }
            Label { text: qsTr("Number"); font.bold: true; color: Theme.textMuted; Layout.preferredWidth: 200 }
            Label { text: qsTr("Company"); font.bold: true; color: Theme.textMuted; Layout.fillWidth: true }
        }

        ListView {
            id: list
            objectName: "contactsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: contacts
            visible: contacts.state === ContactsModel.Ready
            keyNavigationEnabled: true
            focus: true
            // Up and Down pick a contact, Enter calls it.
            Keys.onReturnPressed: if (currentItem) page.callNumber(currentItem.phoneNumber)
            onCountChanged: if (currentIndex < 0 && count > 0) currentIndex = 0
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string contactId
                required property string name
                required property string phoneNumber
                required property string displayNumber
                required property string company
                required property string notes

                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                leftPadding: Theme.spacingLarge
                onClicked: list.currentIndex = index
                onDoubleClicked: editor.openFor(contactId, name, phoneNumber, company, notes)

                background: Rectangle {
                    color: row.highlighted ? Theme.accentSoft : row.hovered ? Theme.surfaceAlt : "transparent"
                    Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.surfaceAlt }
                }

                contentItem: RowLayout {
                    Label { text: row.name; color: Theme.text; elide: Text.ElideRight; Layout.preferredWidth: 240 }
                    Label { text: row.displayNumber; color: Theme.text; Layout.preferredWidth: 200 }
                    Label { text: row.company; color: Theme.textMuted; elide: Text.ElideRight; Layout.fillWidth: true }
                    IconButton {
                        iconName: "call"
                        text: qsTr("Call")
                        onClicked: page.callNumber(row.phoneNumber)
                    }
                    IconOnlyButton {
                        objectName: "contactEdit"
                        iconName: "edit"
                        text: qsTr("Edit")
                        onClicked: editor.openFor(row.contactId, row.name, row.phoneNumber, row.company, row.notes)
                    }
                    IconOnlyButton {
                        objectName: "contactDelete"
                        iconName: "delete"
                        text: qsTr("Delete")
                        onClicked: confirmDelete.ask(row.contactId, row.name)
                    }
                }
            }
        }

        ColumnLayout {
            visible: contacts.state !== ContactsModel.Ready
            Layout.fillWidth: true
            Layout.fillHeight: true
            Item { Layout.fillHeight: true }
            BusyIndicator {
                running: contacts.state === ContactsModel.Loading
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "contactsState"
                color: Theme.textMuted
                Layout.alignment: Qt.AlignHCenter
                text: contacts.state === ContactsModel.Loading ? qsTr("Loading contacts…")
                    : contacts.state === ContactsModel.Empty
                        ? (search.text === "" ? qsTr("No contacts yet. Add one or import a file.") : qsTr("No contacts match."))
                    : contacts.state === ContactsModel.Error ? contacts.errorText
                    : ""
            }
            Button {
                visible: contacts.state === ContactsModel.Error
                text: qsTr("Retry")
                Layout.alignment: Qt.AlignHCenter
                onClicked: contacts.reload()
            }
            Item { Layout.fillHeight: true }
        }

        Label {
            padding: Theme.spacing
            leftPadding: Theme.spacingLarge
            color: Theme.textMuted
            text: qsTr("%1 of %2 contacts shown").arg(list.count).arg(contacts.total)
            visible: contacts.state === ContactsModel.Ready
        }
    }
}
