// SPDX-License-Identifier: GPL-3.0-or-later
// The graph's legend: the four value-chain phases by name and colour, what a line, a dashed red
// line and ⚠ mean.
pragma ComponentBehavior: Bound
import QtQuick

Rectangle {
    id: root
    objectName: "graphLegend"
    width: entries.implicitWidth + 2 * Theme.spacing
    height: entries.implicitHeight + 2 * Theme.smallSpacing + 2
    radius: 4
    color: Theme.base
    border.color: Theme.border
    opacity: 0.94

    Column {
        id: entries
        anchors.centerIn: parent
        spacing: Theme.smallSpacing
        Row {
            spacing: Theme.spacing
            Repeater {
                model: [
                    { id: "generation", title: qsTr("Generation") },
                    { id: "protection", title: qsTr("Protection") },
                    { id: "management", title: qsTr("Management") },
                    { id: "commercialization", title: qsTr("Commercialization") }
                ]
                delegate: Row {
                    id: phaseEntry
                    required property var modelData
                    spacing: Theme.smallSpacing
                    Rectangle {
                        anchors.verticalCenter: parent.verticalCenter
                        width: 14
                        height: 10
                        radius: 2
                        color: Theme.phaseTint(phaseEntry.modelData.id)
                        border.color: Theme.phaseColor(phaseEntry.modelData.id)
                        Rectangle {
                            x: 2
                            y: 2
                            width: 2
                            height: 6
                            color: Theme.phaseColor(phaseEntry.modelData.id)
                        }
                    }
                    Text {
                        text: phaseEntry.modelData.title
                        font.pixelSize: Theme.smallFont
                        color: Theme.text
                    }
                }
            }
        }
        Row {
            spacing: Theme.spacing
            Row {
                spacing: Theme.smallSpacing
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 22
                    height: 1.5
                    color: Theme.mutedText
                }
                Text {
                    text: qsTr("Licence (derived from)")
                    font.pixelSize: Theme.smallFont
                    color: Theme.text
                }
            }
            Row {
                spacing: Theme.smallSpacing
                Row {
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 3
                    Repeater {
                        model: 3
                        delegate: Rectangle {
                            width: 5
                            height: 1.5
                            color: Theme.danger
                        }
                    }
                }
                Text {
                    text: qsTr("Revoked licence")
                    font.pixelSize: Theme.smallFont
                    color: Theme.text
                }
            }
            Text {
                text: qsTr("⚠ Warnings")
                font.pixelSize: Theme.smallFont
                color: Theme.warning
            }
        }
    }
}
