// SPDX-License-Identifier: GPL-3.0-or-later
// The open asset's value chain: four phases left to right, each sub-phase with its state (shape and
// colour, never colour alone) and its dated events on a small timeline; a menu per sub-phase to
// advance it, set its state or add an event.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Cartulary.Model

ColumnLayout {
    id: root

    /** An event's entry was clicked: show its proof. */
    signal proofRequested(int entryIndex)
    /** "Add event…" was chosen for a sub-phase. */
    signal eventRequested(string subPhaseId, string subPhaseTitle)

    readonly property var asset: AssetController.asset

    function openMenu(button: Item, subPhase: var): void {
        subPhaseMenu.subPhase = subPhase
        subPhaseMenu.popup(button, 0, button.height)
    }

    spacing: Theme.spacing

    // Heading and legend
    RowLayout {
        Layout.fillWidth: true
        Layout.topMargin: Theme.smallSpacing
        spacing: Theme.spacing * 2
        Label {
            text: qsTr("Value chain")
            font.bold: true
            font.pixelSize: 15
            color: Theme.text
        }
        Item { Layout.fillWidth: true }
        Repeater {
            model: AssetController.stateOptions
            Label {
                required property var modelData
                text: Theme.stateSymbol(modelData.id) + " " + modelData.title
                color: Theme.stateColor(modelData.id)
                font.pixelSize: Theme.smallFont
            }
        }
    }

    RowLayout {
        objectName: "valueChain"
        Layout.fillWidth: true
        spacing: Theme.spacing

        Repeater {
            model: AssetController.phases

            Rectangle {
                id: phaseColumn
                required property var modelData
                readonly property string phaseId: modelData.id
                readonly property bool current: modelData.current
                objectName: "phase_" + phaseColumn.phaseId
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 10
                Layout.alignment: Qt.AlignTop
                implicitHeight: phaseContent.implicitHeight + 2
                color: Theme.base
                border.color: phaseColumn.current ? Theme.phaseColor(phaseColumn.phaseId) : Theme.border
                border.width: phaseColumn.current ? 2 : 1
                radius: 4

                ColumnLayout {
                    id: phaseContent
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: phaseColumn.border.width
                    spacing: 0

                    // Heading: phase colour, name, and whether it is the current one
                    Rectangle {
                        Layout.fillWidth: true
                        implicitHeight: 34
                        color: Theme.phaseTint(phaseColumn.phaseId)
                        Rectangle {
                            width: parent.width
                            height: 3
                            color: Theme.phaseColor(phaseColumn.phaseId)
                        }
                        RowLayout {
                            anchors.fill: parent
                            anchors.topMargin: 3
                            anchors.leftMargin: Theme.spacing
                            anchors.rightMargin: Theme.spacing
                            Label {
                                Layout.fillWidth: true
                                text: phaseColumn.modelData.title
                                font.bold: true
                                font.pixelSize: phaseColumn.current ? 14 : 13
                                elide: Text.ElideRight
                                color: Theme.text
                            }
                            Label {
                                visible: phaseColumn.current
                                text: qsTr("◆ current")
                                font.pixelSize: Theme.smallFont
                                font.bold: true
                                color: Theme.phaseColor(phaseColumn.phaseId)
                            }
                        }
                    }

                    Repeater {
                        model: phaseColumn.modelData.subPhases

                        ColumnLayout {
                            id: sub
                            required property var modelData
                            required property int index
                            readonly property string subState: sub.modelData.state
                            readonly property bool applicable: sub.modelData.applicable
                            readonly property bool inactive: !sub.applicable || sub.subState === "not-applicable"
                            objectName: "subPhase_" + sub.modelData.id
                            Layout.fillWidth: true
                            Layout.leftMargin: Theme.smallSpacing
                            Layout.rightMargin: Theme.smallSpacing
                            Layout.topMargin: Theme.smallSpacing
                            Layout.bottomMargin: sub.index === phaseColumn.modelData.subPhases.length - 1 ? Theme.smallSpacing : 0
                            spacing: 0

                            Item {
                                id: subBox
                                Layout.fillWidth: true
                                implicitHeight: 28

                                // Not applicable: a dashed outline, greyed.
                                Shape {
                                    anchors.fill: parent
                                    visible: sub.inactive
                                    ShapePath {
                                        strokeColor: Theme.border
                                        strokeWidth: 1
                                        strokeStyle: ShapePath.DashLine
                                        dashPattern: [3, 3]
                                        fillColor: "transparent"
                                        startX: 0.5
                                        startY: 0.5
                                        PathLine { x: subBox.width - 0.5; y: 0.5 }
                                        PathLine { x: subBox.width - 0.5; y: 27.5 }
                                        PathLine { x: 0.5; y: 27.5 }
                                        PathLine { x: 0.5; y: 0.5 }
                                    }
                                }
                                Rectangle {
                                    anchors.fill: parent
                                    visible: !sub.inactive
                                    radius: 3
                                    color: sub.subState === "in-progress" ? Theme.noticeBackground : Theme.alternateBase
                                }

                                RowLayout {
                                    anchors.fill: parent
                                    anchors.leftMargin: Theme.smallSpacing
                                    spacing: Theme.smallSpacing
                                    opacity: sub.inactive ? 0.6 : 1
                                    Label {
                                        Layout.preferredWidth: 16
                                        horizontalAlignment: Text.AlignHCenter
                                        text: Theme.stateSymbol(sub.inactive ? "not-applicable" : sub.subState)
                                        color: Theme.stateColor(sub.subState)
                                        font.pixelSize: 15
                                    }
                                    Label {
                                        Layout.fillWidth: true
                                        text: sub.modelData.title
                                        elide: Text.ElideRight
                                        color: sub.inactive ? Theme.mutedText : Theme.text
                                        font.bold: sub.subState === "in-progress"
                                        HoverHandler { id: subHover }
                                        ToolTip.visible: subHover.hovered
                                        ToolTip.delay: 400
                                        ToolTip.text: sub.modelData.title + " — " + sub.modelData.stateTitle + "\n" + sub.modelData.description
                                                      + (sub.applicable ? "" : "\n" + qsTr("Not applicable to a %1: %2").arg(root.asset.typeTitle ?? "").arg(root.asset.typeWhy ?? ""))
                                    }
                                    // The state in words; "not started" (and any state in narrow columns) is
                                    // the symbol alone, explained by the legend: titles need the room.
                                    Label {
                                        objectName: "subPhaseState_" + sub.modelData.id
                                        visible: sub.inactive || (sub.subState !== "not-started" && subBox.width >= 220)
                                        text: sub.inactive ? qsTr("n/a") : sub.modelData.stateTitle
                                        color: Theme.stateColor(sub.subState)
                                        font.pixelSize: Theme.smallFont
                                    }
                                    ToolButton {
                                        id: menuButton
                                        objectName: "subPhaseMenu_" + sub.modelData.id
                                        visible: sub.applicable
                                        text: "⋯"
                                        implicitWidth: 26
                                        implicitHeight: 26
                                        enabled: !AssetController.busy && !AssetController.loading
                                        onClicked: root.openMenu(menuButton, sub.modelData)
                                        Accessible.name: qsTr("Actions for %1").arg(sub.modelData.title)
                                        ToolTip.visible: hovered
                                        ToolTip.delay: 600
                                        ToolTip.text: qsTr("Advance, set state, add event")
                                    }
                                    Item {
                                        visible: !sub.applicable
                                        implicitWidth: 26
                                    }
                                }
                            }

                            // Dated events, oldest first, on a small timeline.
                            Repeater {
                                model: sub.modelData.events
                                Item {
                                    id: ev
                                    required property var modelData
                                    Layout.fillWidth: true
                                    implicitHeight: evColumn.implicitHeight + 2
                                    Rectangle {   // the line
                                        x: Theme.smallSpacing + 7
                                        width: 1
                                        height: parent.height
                                        color: Theme.border
                                    }
                                    Rectangle {   // the dot
                                        x: Theme.smallSpacing + 5
                                        y: 6
                                        width: 5
                                        height: 5
                                        radius: 2.5
                                        color: Theme.phaseColor(phaseColumn.phaseId)
                                    }
                                    ColumnLayout {
                                        id: evColumn
                                        anchors.left: parent.left
                                        anchors.right: parent.right
                                        anchors.leftMargin: Theme.smallSpacing + 20
                                        spacing: 0
                                        RowLayout {
                                            Layout.fillWidth: true
                                            spacing: Theme.smallSpacing
                                            Label {
                                                text: ev.modelData.date
                                                font.family: Theme.monoFont
                                                font.pixelSize: Theme.smallFont
                                                color: Theme.mutedText
                                            }
                                            Label {
                                                Layout.fillWidth: true
                                                text: ev.modelData.title
                                                font.pixelSize: 12
                                                elide: Text.ElideRight
                                                color: Theme.text
                                            }
                                        }
                                        Label {
                                            Layout.fillWidth: true
                                            visible: text.length > 0
                                            text: [ev.modelData.actorName, ev.modelData.note].filter(s => s && s.length > 0).join(" — ")
                                            font.pixelSize: Theme.smallFont
                                            elide: Text.ElideRight
                                            color: Theme.mutedText
                                        }
                                    }
                                    MouseArea {
                                        anchors.fill: parent
                                        hoverEnabled: true
                                        cursorShape: Qt.PointingHandCursor
                                        onClicked: root.proofRequested(ev.modelData.entryIndex)
                                        ToolTip.visible: containsMouse
                                        ToolTip.delay: 400
                                        ToolTip.text: [ev.modelData.date + "  " + ev.modelData.title,
                                                       ev.modelData.actorName, ev.modelData.note,
                                                       qsTr("Signed in ledger entry %1 — click for its proof").arg(ev.modelData.entryIndex)]
                                                      .filter(s => s && s.length > 0).join("\n")
                                    }
                                }
                            }
                        }
                    }
                    Item { Layout.fillHeight: true }
                }
            }
        }
    }

    // One menu for every sub-phase: advance, set any state, add an event.
    Menu {
        id: subPhaseMenu
        objectName: "subPhaseMenu"
        property var subPhase: ({})

        MenuItem {
            objectName: "advanceMenuItem"
            text: (subPhaseMenu.subPhase.next ?? "").length > 0 ? qsTr("Advance to “%1”").arg(subPhaseMenu.subPhase.nextTitle)
                                                                : qsTr("Advance")
            enabled: (subPhaseMenu.subPhase.next ?? "").length > 0
            onTriggered: AssetController.advanceSubPhase(subPhaseMenu.subPhase.id)
        }
        MenuItem {
            objectName: "addEventMenuItem"
            text: qsTr("Add event…")
            onTriggered: root.eventRequested(subPhaseMenu.subPhase.id, subPhaseMenu.subPhase.title)
        }
        MenuSeparator {}
        Instantiator {
            model: AssetController.stateOptions
            delegate: MenuItem {
                required property var modelData
                readonly property bool isCurrent: subPhaseMenu.subPhase.state === modelData.id
                objectName: "setState_" + modelData.id
                text: qsTr("Set %1 %2").arg(Theme.stateSymbol(modelData.id)).arg(modelData.title) + (isCurrent ? qsTr(" (current)") : "")
                enabled: !isCurrent
                onTriggered: AssetController.setPhaseState(subPhaseMenu.subPhase.id, modelData.id)
            }
            onObjectAdded: (index, object) => subPhaseMenu.insertItem(index + 3, object)
            onObjectRemoved: (index, object) => subPhaseMenu.removeItem(object)
        }
    }
}
