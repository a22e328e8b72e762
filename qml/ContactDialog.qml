import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// Adds a contact or edits one: name, number, company, notes. The server checks the number; its
// answer (a duplicate, a number it cannot dial) is shown here and the dialog stays open.
Popup {
    id: dialog

    required property ContactsModel contacts
    property string contactId: ""

    /// Opens the dialog on a new contact (empty id) or on an existing one.
    function openFor(id, name, number, company, notes) {
        contactId = id
        nameField.text = name
        numberField.text = number
        companyField.text = company
        notesField.text = notes
        error.text = ""
        open()
        nameField.forceActiveFocus()
    }

    objectName: "contactDialog"
    anchors.centerIn: T.Overlay.overlay
    width: Math.min(520, parent ? parent.width - 2 * Theme.spacingHuge : 520)
    modal: true
    focus: true
    padding: Theme.spacingLarge
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }

    Connections {
        target: dialog.contacts
        function onSaved(ok, errorText) {
            if (!dialog.opened)
                return
            if (ok)
                dialog.close()
            else
                error.text = errorText
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Label {
            text: dialog.contactId === "" ? qsTr("New contact") : qsTr("Edit contact")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Label { text: qsTr("Name"); color: Theme.textMuted }
        TextField { id: nameField; objectName: "contactName"; Layout.fillWidth: true; maximumLength: 200; Accessible.name: qsTr("Name") }
        Label { text: qsTr("Phone number (international, with +)"); color: Theme.textMuted }
        TextField { id: numberField; objectName: "contactNumber"; Layout.fillWidth: true; maximumLength: 32; Accessible.name: qsTr("Phone number") }
        Label { text: qsTr("Company"); color: Theme.textMuted }
        TextField { id: companyField; Layout.fillWidth: true; maximumLength: 200; Accessible.name: qsTr("Company") }
        Label { text: qsTr("Notes"); color: Theme.textMuted }
        TextArea {
            id: notesField
            Layout.fillWidth: true
            Layout.preferredHeight: 80
            wrapMode: TextArea.Wrap
            Accessible.name: qsTr("Notes")
            background: Rectangle { color: Theme.background; border.color: Theme.border; radius: Theme.radiusSmall }
        }
        Label {
            id: error
            objectName: "contactError"
            visible: text !== ""
            color: Theme.negative
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button { text: qsTr("Cancel"); onClicked: dialog.close() }
            Button {
                objectName: "contactSave"
                text: qsTr("Save")
                highlighted: true
                enabled: nameField.text.trim() !== "" && numberField.text.trim() !== ""
                onClicked: dialog.contacts.save(dialog.contactId, nameField.text, numberField.text,
                                                companyField.text, notesField.text)
            }
        }
    }
}
