import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T
import Switchboard.Gui

// The operator's outcome and note for one call: edited from History, and offered as a short
// wrap-up when a call ends (which the operator may skip).
Popup {
    id: dialog

    property string callId: ""
    property bool wrapUp: false
    /// Who the call was with: a contact's name or the number.
    property string party: ""

    signal submitted(string callId, string notes, string outcome)

    function openFor(id, who, notes, outcome, asWrapUp) {
        callId = id
        party = who
        wrapUp = asWrapUp
        notesField.text = notes
        outcomeBox.select(outcome)
        error.text = ""
        open()
        // The wrap-up waits beside whatever the operator does next; it takes no keys from it.
        if (!asWrapUp)
            outcomeBox.forceActiveFocus()
    }
    function fail(errorText) { error.text = errorText }

    objectName: wrapUp ? "wrapUpDialog" : "callNotesDialog"
    parent: T.Overlay.overlay
    x: wrapUp ? parent.width - width - Theme.spacingLarge : (parent.width - width) / 2
    y: wrapUp ? parent.height - height - 3 * Theme.spacingHuge : (parent.height - height) / 2
    width: Math.min(wrapUp ? 420 : 520, parent.width - 2 * Theme.spacingHuge)
    modal: !wrapUp
    focus: !wrapUp
    padding: Theme.spacingLarge
    // A popup that closes on Escape holds the window's shortcuts while open (Qt Quick's shortcut
    // matcher): the wrap-up, which waits beside the page, closes by its buttons only.
    closePolicy: wrapUp ? Popup.NoAutoClose : Popup.CloseOnEscape
    background: Rectangle { color: Theme.surface; radius: Theme.radiusLarge; border.color: Theme.border }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Label {
            text: dialog.wrapUp ? qsTr("Call ended: %1").arg(dialog.party) : qsTr("Notes on the call with %1").arg(dialog.party)
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            visible: dialog.wrapUp
            text: qsTr("Record how it went, or skip.")
            color: Theme.textMuted
        }
        OutcomeBox { id: outcomeBox; objectName: dialog.wrapUp ? "wrapUpOutcome" : "outcomeBox"; Layout.fillWidth: true }
        TextArea {
            id: notesField
            objectName: dialog.wrapUp ? "wrapUpNotes" : "callNotes"
            Layout.fillWidth: true
            Layout.preferredHeight: 100
            wrapMode: TextArea.Wrap
            placeholderText: qsTr("Notes (up to 4000 characters)")
            Accessible.name: qsTr("Notes")
            background: Rectangle { color: Theme.background; border.color: Theme.border; radius: Theme.radiusSmall }
        }
        Label {
            id: error
            visible: text !== ""
            color: Theme.negative
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button {
                objectName: "callNotesSkip"
                text: dialog.wrapUp ? qsTr("Skip") : qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: dialog.wrapUp ? "wrapUpSave" : "callNotesSave"
                text: qsTr("Save")
                highlighted: true
                enabled: notesField.text.length <= 4000
                onClicked: dialog.submitted(dialog.callId, notesField.text, outcomeBox.currentValue)
            }
        }
    }
}
