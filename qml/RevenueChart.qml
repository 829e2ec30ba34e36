// SPDX-License-Identifier: GPL-3.0-or-later
// Revenue as horizontal bars per currency: each bar's length and amount come from the controller
// (the part no work was matched to drawn at its end), so the chart does no arithmetic on money.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: root

    /** Per currency {currency, total, rows: [{label, amount, unmatched, fraction,
     * unmatchedFraction, lines}]}. */
    property var groups: []
    property string note

    spacing: Theme.spacing

    Label {
        visible: root.groups.length === 0
        text: qsTr("No usage of this right in the period.")
        color: Theme.mutedText
    }

    Repeater {
        model: root.groups
        ColumnLayout {
            id: group
            required property var modelData
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label {
                    text: group.modelData.currency
                    font.bold: true
                    color: Theme.text
                }
                Item { Layout.fillWidth: true }
                Label {
                    text: qsTr("total %1").arg(group.modelData.total)
                    color: Theme.mutedText
                }
            }
            Repeater {
                model: group.modelData.rows
                RowLayout {
                    id: bar
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Label {
                        Layout.preferredWidth: 96
                        text: bar.modelData.label
                        font.family: Theme.monoFont
                        font.pixelSize: 12
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                    Item {
                        id: track
                        Layout.fillWidth: true
                        Layout.minimumWidth: 40
                        implicitHeight: 18
                        Rectangle {
                            width: Math.max(1, track.width * bar.modelData.fraction)
                            height: parent.height
                            color: Theme.accent
                            radius: 2
                        }
                        // The unmatched part, at the end of the bar: hatched by a border, not colour alone.
                        Rectangle {
                            visible: bar.modelData.unmatchedFraction > 0
                            x: track.width * (bar.modelData.fraction - bar.modelData.unmatchedFraction)
                            width: Math.max(2, track.width * bar.modelData.unmatchedFraction)
                            height: parent.height
                            color: Theme.dangerBackground
                            border.color: Theme.warning
                            border.width: 2
                            radius: 2
                        }
                    }
                    Label {
                        Layout.preferredWidth: 150
                        horizontalAlignment: Text.AlignRight
                        text: bar.modelData.amount
                        color: Theme.text
                        font.pixelSize: 12
                    }
                    ToolTip.visible: barHover.hovered
                    ToolTip.text: qsTr("%1: %2 from %3 lines").arg(bar.modelData.label).arg(bar.modelData.amount).arg(bar.modelData.lines)
                                  + (bar.modelData.unmatched.length > 0 ? "\n" + qsTr("of which unmatched: %1").arg(bar.modelData.unmatched) : "")
                    HoverHandler {
                        id: barHover
                    }
                }
            }
        }
    }

    RowLayout {
        visible: root.groups.length > 0
        spacing: Theme.spacing
        Rectangle { implicitWidth: 12; implicitHeight: 12; color: Theme.accent; radius: 2 }
        Label { text: qsTr("matched"); color: Theme.mutedText; font.pixelSize: Theme.smallFont }
        Rectangle { implicitWidth: 12; implicitHeight: 12; color: Theme.dangerBackground; border.color: Theme.warning; border.width: 2; radius: 2 }
        Label { text: qsTr("unmatched (kept apart)"); color: Theme.mutedText; font.pixelSize: Theme.smallFont }
    }
    Label {
        Layout.fillWidth: true
        visible: root.note.length > 0 && root.groups.length > 0
        text: root.note
        color: Theme.mutedText
        font.pixelSize: Theme.smallFont
        wrapMode: Text.Wrap
    }
}
