import QtQuick
import QtQuick.Controls.Basic

// The outcomes an operator records for a call (the API's keys), with a first entry for none.
ChoiceBox {
    id: box

    /// The text of the first entry, whose value is "".
    property string noneText: qsTr("No outcome")

    Accessible.name: qsTr("Outcome")
    textRole: "text"
    valueRole: "value"
    implicitContentWidthPolicy: ComboBox.WidestText
    model: [
        { value: "", text: box.noneText },
        { value: "answered", text: qsTr("Answered") },
        { value: "interested", text: qsTr("Interested") },
        { value: "callback", text: qsTr("Call back") },
        { value: "not_interested", text: qsTr("Not interested") },
        { value: "wrong_number", text: qsTr("Wrong number") },
        { value: "voicemail", text: qsTr("Voicemail") },
        { value: "other", text: qsTr("Other") }
    ]

    function select(value) {
        currentIndex = Math.max(0, indexOfValue(value))
    }
}
