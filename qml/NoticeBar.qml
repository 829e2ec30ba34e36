// SPDX-License-Identifier: GPL-3.0-or-later
// The outcome of the last action, as a dismissable bar; errors in the danger style.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    /** The controller whose notice this shows; or set text and error yourself. */
    property WorkState work: null
    property string text: root.work ? root.work.notice : ""
    property bool error: root.work ? root.work.noticeIsError : false

    signal dismissed()

    visible: root.text.length > 0
    implicitHeight: noticeLabel.implicitHeight + Theme.spacing * 2
    color: root.error ? Theme.dangerBackground : Theme.noticeBackground
    border.color: root.error ? Theme.danger : "transparent"
    radius: 4

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.smallSpacing
        spacing: Theme.spacing
        Label {
            id: noticeLabel
            objectName: root.objectName + "Label"
            Layout.fillWidth: true
            text: (root.error ? "✗ " : "✓ ") + root.text
            wrapMode: Text.Wrap
            color: Theme.text
        }
        ToolButton {
            text: "✕"
            implicitHeight: 24
            implicitWidth: 24
            onClicked: {
                if (root.work)
                    root.work.clearNotice()
                root.dismissed()
            }
            Accessible.name: qsTr("Dismiss")
        }
    }
}
