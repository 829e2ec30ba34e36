// SPDX-License-Identifier: GPL-3.0-or-later
// What the graph's view says about its state, over the graph: laying out (with Cancel), could not
// be drawn (why), or nothing to show.
import QtQuick
import QtQuick.Controls
import Cartulary.Model

Item {
    id: root

    property GraphScene scene
    /** Shown when the graph is empty and nothing is being laid out. */
    property string emptyText

    Rectangle {
        objectName: "graphError"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 1
        height: errorLabel.implicitHeight + 2 * Theme.smallSpacing
        visible: root.scene !== null && root.scene.errorString.length > 0
        color: Theme.dangerBackground
        Label {
            id: errorLabel
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            verticalAlignment: Text.AlignVCenter
            text: root.scene ? qsTr("The graph could not be drawn: %1").arg(root.scene.errorString) : ""
            wrapMode: Text.Wrap
            color: Theme.danger
        }
    }
    Label {
        anchors.centerIn: parent
        visible: root.scene !== null && root.scene.nodeCount === 0 && !root.scene.busy
                 && root.scene.errorString.length === 0
        text: root.emptyText
        color: Theme.mutedText
    }
    Rectangle {
        objectName: "graphBusy"
        anchors.centerIn: parent
        width: busyRow.implicitWidth + 2 * Theme.spacing
        height: busyRow.implicitHeight + 2 * Theme.spacing
        radius: 6
        color: Theme.base
        border.color: Theme.border
        visible: root.scene !== null && root.scene.busy
        Row {
            id: busyRow
            anchors.centerIn: parent
            spacing: Theme.spacing
            BusyIndicator {
                anchors.verticalCenter: parent.verticalCenter
                running: root.scene !== null && root.scene.busy
                implicitWidth: 28
                implicitHeight: 28
            }
            Label {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("Laying out the graph…")
                color: Theme.text
            }
            Button {
                text: qsTr("Cancel")
                onClicked: root.scene.cancel()
            }
        }
    }
}
