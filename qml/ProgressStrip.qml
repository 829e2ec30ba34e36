// SPDX-License-Identifier: GPL-3.0-or-later
// Long work in progress: what is being done, how far (indeterminate until known), and Cancel.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    /** The controller whose work this shows. */
    property WorkState work: null
    property bool cancellable: true

    visible: root.work !== null && root.work.busy
    implicitHeight: 40
    color: Theme.base
    border.color: Theme.border
    radius: 4

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        Label {
            Layout.preferredWidth: 320
            text: root.work ? root.work.progressText : ""
            color: Theme.text
            elide: Text.ElideRight
        }
        ProgressBar {
            Layout.fillWidth: true
            from: 0
            to: 1
            value: root.work ? root.work.progress : 0
            indeterminate: root.work === null || root.work.progress <= 0
        }
        Button {
            objectName: root.objectName + "Cancel"
            visible: root.cancellable
            text: qsTr("Cancel")
            onClicked: root.work.cancel()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Stop: nothing half-done is kept (Escape)")
        }
    }
}
