// SPDX-License-Identifier: GPL-3.0-or-later
// An asset in the graph, where the layout put it: phase tint and colour, type badge, title,
// reference and warnings; ringed when selected, bold when it is the focus.
import QtQuick
import QtQuick.Controls

Rectangle {
    id: root
    required property var model
    required property int index
    required property string assetId
    required property string reference
    required property string title
    required property string type
    required property string phase
    required property string status
    required property var flags
    required property bool highlighted
    required property bool dimmed

    signal clicked()
    signal activated()

    /** Short letters for an asset type, shown in the node's badge. */
    function typeGlyph(type: string): string {
        switch (type) {
        case "patent": return "PAT"
        case "utility-model": return "UM"
        case "trademark": return "TM"
        case "design": return "DES"
        case "copyright": return "©"
        case "dataset": return "DS"
        case "model": return "ML"
        case "software": return "SW"
        case "trade-secret": return "TS"
        case "plant-variety": return "PV"
        case "domain-name": return "WWW"
        }
        return type.substring(0, 3).toUpperCase()
    }

    objectName: "graphNode"
    readonly property bool isFocus: root.model.focus
    /** Ringed: the asset last clicked. */
    property bool selected: false
    readonly property int flagCount: root.flags ? root.flags.length : 0
    x: root.model.x
    y: root.model.y
    width: root.model.width
    height: root.model.height
    radius: 6
    opacity: root.dimmed ? 0.3 : 1
    color: Theme.phaseTint(root.phase)
    border.color: Theme.phaseColor(root.phase)
    border.width: root.isFocus ? 2.5 : 1

    // The selection ring, outside the box.
    Rectangle {
        anchors.fill: parent
        anchors.margins: -4
        radius: root.radius + 4
        color: "transparent"
        border.color: Theme.accent
        border.width: 2
        visible: root.selected
    }
    // The phase bar on the left, colour with the tint: phase at a glance.
    Rectangle {
        x: root.border.width + 2
        y: root.border.width + 2
        width: 3
        height: root.height - 2 * y
        radius: 1.5
        color: Theme.phaseColor(root.phase)
    }
    Column {
        x: 11
        anchors.verticalCenter: parent.verticalCenter
        width: root.width - x - 6
        spacing: 2

        Text {
            objectName: "graphNodeTitle"
            width: parent.width
            text: root.title
            elide: Text.ElideRight
            maximumLineCount: 1
            font.pixelSize: 10
            color: Theme.text
        }
        Row {
            width: parent.width
            spacing: 4
            Rectangle {
                id: badge
                anchors.verticalCenter: parent.verticalCenter
                width: glyph.implicitWidth + 6
                height: 13
                radius: 3
                color: Theme.phaseColor(root.phase)
                Text {
                    id: glyph
                    anchors.centerIn: parent
                    text: root.typeGlyph(root.type)
                    font.pixelSize: 8
                    font.bold: true
                    color: Theme.highlightedText
                }
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width - badge.width - (warning.visible ? warning.width + 4 : 0) - 4
                text: root.reference
                elide: Text.ElideRight
                font.pixelSize: 9
                font.family: Theme.monoFont
                color: Theme.mutedText
            }
            Text {
                id: warning
                anchors.verticalCenter: parent.verticalCenter
                visible: root.flagCount > 0
                text: "⚠ " + root.flagCount
                font.pixelSize: 9
                font.bold: true
                color: Theme.warning
            }
        }
    }

    HoverHandler {
        id: nodeHover
    }
    ToolTip.visible: nodeHover.hovered
    ToolTip.delay: 500
    ToolTip.text: root.title + "\n" + root.reference + (root.status.length > 0 ? " · " + root.status : "")
                  + (root.flagCount > 0 ? "\n⚠ " + root.flags.join("\n⚠ ") : "")
    TapHandler {
        onTapped: root.clicked()
        onDoubleTapped: root.activated()
    }
}
