import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// English / Русский, switched at run time and remembered.
ChoiceBox {
    id: box
    objectName: "languageSwitch"
    model: [
        { code: "en", name: "English" },
        { code: "ru", name: "Русский" }
    ]
    textRole: "name"
    valueRole: "code"
    currentIndex: Language.code === "ru" ? 1 : 0
    Accessible.name: qsTr("Language")
    onActivated: Language.code = currentValue
}
