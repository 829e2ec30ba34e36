// SPDX-License-Identifier: GPL-3.0-or-later
// The open asset's deadlines (open ones three years ahead, settled ones two years back): state by
// shape and colour, due date, grace, what a lost right's remedy is or what a deadline waits on, and
// a way to record each one paid — or, for a lost right, what happened.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Panel {
    id: root

    /** "Mark paid…" (or "Record…" for a lost right) was pressed for a deadline. */
    signal markPaidRequested(var deadline)

    objectName: "deadlinesPanel"
    title: qsTr("Deadlines (%1)").arg(AssetController.deadlines.length)

    Label {
        visible: AssetController.deadlines.length === 0
        text: qsTr("Nothing open, nothing settled in the last two years, nothing due in the next three.")
        color: Theme.mutedText
    }
    Repeater {
        model: AssetController.deadlines
        Rectangle {
            id: dl
            required property var modelData
            required property int index
            readonly property bool late: dl.modelData.overdue
            Layout.fillWidth: true
            implicitHeight: Theme.rowHeight
            color: dl.index % 2 ? Theme.alternateBase : Theme.base
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.smallSpacing
                spacing: Theme.spacing
                Cell {
                    Layout.preferredWidth: 90
                    text: Theme.deadlineSymbol(dl.modelData.state) + " " + dl.modelData.stateTitle
                    color: Theme.deadlineColor(dl.modelData.state)
                    font.bold: dl.late
                    font.pixelSize: 12
                }
                Cell {
                    Layout.preferredWidth: 86
                    text: dl.modelData.due
                    mono: true
                }
                Cell {
                    Layout.preferredWidth: 150
                    text: dl.modelData.graceEnd.length > 0 ? qsTr("grace %1").arg(dl.modelData.graceEnd) : ""
                    mono: true
                    font.pixelSize: Theme.smallFont
                    color: Theme.mutedText
                }
                Cell {
                    id: deadlineLabel
                    objectName: "deadlineLabel_" + dl.index
                    Layout.fillWidth: true
                    text: dl.modelData.label
                          + (dl.modelData.state === "rights lost" && dl.modelData.dependents > 0
                             ? qsTr(" — %n later deadline(s) depend on it", "", dl.modelData.dependents) : "")
                          + (dl.modelData.blockedBy.length > 0 ? qsTr(" — waits on %1").arg(dl.modelData.blockedByLabel) : "")
                          + (dl.modelData.remedy.length > 0 ? qsTr(" — remedy: %1").arg(dl.modelData.remedy) : "")
                    HoverHandler { id: labelHover }
                    ToolTip.visible: labelHover.hovered && (deadlineLabel.truncated || dl.modelData.remedyEnds.length > 0)
                    ToolTip.delay: 500
                    ToolTip.text: deadlineLabel.text
                                  + (dl.modelData.remedyEnds.length > 0 ? "\n" + qsTr("Remedy at the latest by %1").arg(dl.modelData.remedyEnds) : "")
                }
                Button {
                    objectName: "markPaid_" + dl.index
                    Layout.preferredWidth: 96
                    implicitHeight: 24
                    visible: !dl.modelData.done
                    enabled: !AssetController.busy
                    text: dl.modelData.state === "rights lost" ? qsTr("Record…") : qsTr("Mark paid…")
                    font.pixelSize: 12
                    onClicked: root.markPaidRequested(dl.modelData)
                }
                Item {
                    visible: dl.modelData.done
                    Layout.preferredWidth: 96
                }
            }
        }
    }
}
