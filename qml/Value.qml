// SPDX-License-Identifier: GPL-3.0-or-later
// A value in a key–value grid: selectable, so numbers, keys and hashes can be copied; "—" when empty.
import QtQuick
import QtQuick.Layouts

TextEdit {
    id: root

    /** Hashes, keys, dates and references: monospaced, broken anywhere (set when created). */
    property bool mono: false
    /** The value; empty shows "—". */
    property string value

    text: root.value.length > 0 ? root.value : "—"
    readOnly: true
    selectByMouse: true
    wrapMode: root.mono ? TextEdit.WrapAnywhere : TextEdit.Wrap
    color: Theme.text
    selectionColor: Theme.accent
    selectedTextColor: Theme.highlightedText
    Layout.fillWidth: true
    Layout.preferredWidth: 10
    Layout.alignment: Qt.AlignTop | Qt.AlignLeft
    Component.onCompleted: {
        if (root.mono) {
            root.font.family = Theme.monoFont
            root.font.pixelSize = 12
        }
    }
}
