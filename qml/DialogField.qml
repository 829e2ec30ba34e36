// SPDX-License-Identifier: GPL-3.0-or-later
// A labelled text field of a dialog, marked when refused (see LabeledField).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

LabeledField {
    id: root

    property alias text: input.text
    property alias placeholderText: input.placeholderText
    /** objectName of the text field; its message is named the same with "Error" appended. */
    property alias fieldName: input.objectName
    /** Set when created: codes, references and dates in the monospaced face. */
    property bool mono: false
    property int horizontalAlignment: TextInput.AlignLeft

    signal accepted()

    function focusField(): void {
        input.forceActiveFocus()
    }

    messageName: input.objectName.length > 0 ? input.objectName + "Error" : ""

    TextField {
        id: input
        Layout.fillWidth: true
        implicitHeight: 30
        selectByMouse: true
        horizontalAlignment: root.horizontalAlignment
        Component.onCompleted: if (root.mono) input.font.family = Theme.monoFont
        palette.base: root.error.length > 0 ? Theme.dangerBackground : Theme.base
        onAccepted: root.accepted()
        Accessible.name: root.label
    }
}
