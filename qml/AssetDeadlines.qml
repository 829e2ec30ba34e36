// SPDX-License-Identifier: GPL-3.0-or-later
// The open asset's deadlines (two years back to three ahead): state by shape and colour, due date,
// grace, and a way to mark each one paid.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Panel {
    id: root

    /** "Mark paid…" was pressed for a deadline. */
    signal markPaidRequested(var deadline)

    objectName: "deadlinesPanel"
    title: qsTr("Deadlines (%1)").arg(AssetController.deadlines.length)

    Label {
        visible: AssetController.deadlines.length === 0
        text: qsTr("No deadlines from two years ago to three years ahead.")
        color: Theme.mutedText
    }
    Repeater {
        model: AssetController.deadlines
        Rectangle {
            id: dl
            required property var modelData
            required property int index
            readonly property bool late: dl.modelData.state === "overdue" || dl.modelData.state === "in grace"
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
                    Layout.preferredWidth: 118
                    text: dl.modelData.graceEnd.length > 0 ? qsTr("grace %1").arg(dl.modelData.graceEnd) : ""
                    mono: true
                    font.pixelSize: Theme.smallFont
                    color: Theme.mutedText
                }
                Cell {
                    Layout.fillWidth: true
                    text: dl.modelData.label
                }
                Button {
                    objectName: "markPaid_" + dl.index
                    Layout.preferredWidth: 96
                    implicitHeight: 24
                    visible: !dl.modelData.done
                    enabled: !AssetController.busy
                    text: qsTr("Mark paid…")
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
