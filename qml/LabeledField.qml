// SPDX-License-Identifier: GPL-3.0-or-later
// A dialog's field: its label above, the control, and under it the message that refuses it (or a
// hint); a refused field is marked in the danger colour, label and message alike.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: root

    property string label
    /** Why the value is refused; empty when it is not. */
    property string error
    /** What to type, shown while nothing is refused. */
    property string hint
    /** The objectName of the message, for tests and accessibility. */
    property string messageName
    /** The control (a TextField, a ComboBox…): give it Layout.fillWidth. */
    default property alias content: slot.data

    Layout.fillWidth: true
    Layout.preferredWidth: 10
    Layout.alignment: Qt.AlignTop
    spacing: 2

    Label {
        text: root.label
        color: root.error.length > 0 ? Theme.danger : Theme.text
        font.pixelSize: 12
        font.bold: root.error.length > 0
    }
    ColumnLayout {
        id: slot
        Layout.fillWidth: true
        spacing: 0
    }
    Label {
        objectName: root.messageName
        Layout.fillWidth: true
        visible: root.error.length > 0 || root.hint.length > 0
        text: root.error.length > 0 ? "✗ " + root.error : root.hint
        color: root.error.length > 0 ? Theme.danger : Theme.mutedText
        font.pixelSize: Theme.smallFont
        wrapMode: Text.Wrap
    }
}
