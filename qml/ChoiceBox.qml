import QtQuick
import QtQuick.Controls.Basic
import Switchboard.Gui

// The console's drop-down list. Basic's list paints the highlighted entry in the palette's
// `light` with `highlightedText`, which the window's palette sets to the card colour and the text
// on the accent (white for selected text in fields): white on white. Here the highlighted entry,
// and the box while it is open, take the colours of the current row instead.
ComboBox {
    palette.light: Theme.accentSoft
    palette.highlightedText: Theme.text
    palette.mid: Theme.accentSoft
}
