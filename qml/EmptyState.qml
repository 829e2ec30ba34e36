// SPDX-License-Identifier: GPL-3.0-or-later
// What an empty table or area says: what would be here, why there is nothing, and the next action.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: root

    property string title
    property string text
    /** The next action's button ("" for none), and a second one beside it. */
    property string actionText
    property string actionName
    property string secondText
    property string secondName

    signal action()
    signal secondAction()

    anchors.centerIn: parent
    width: Math.min(520, parent ? parent.width - Theme.spacing * 4 : 520)
    spacing: Theme.spacing

    Label {
        Layout.alignment: Qt.AlignHCenter
        text: root.title
        font.pixelSize: 18
        color: Theme.text
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: root.text
        color: Theme.mutedText
    }
    RowLayout {
        Layout.alignment: Qt.AlignHCenter
        spacing: Theme.spacing
        visible: root.actionText.length > 0
        Button {
            objectName: root.actionName
            text: root.actionText
            highlighted: true
            onClicked: root.action()
        }
        Button {
            objectName: root.secondName
            visible: root.secondText.length > 0
            text: root.secondText
            onClicked: root.secondAction()
        }
    }
}
