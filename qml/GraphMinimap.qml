// SPDX-License-Identifier: GPL-3.0-or-later
// The graph's minimap: the whole graph small, with the part in view framed; click or drag to move
// the view there. Shown only when the graph does not fit the view.
import QtQuick
import Cartulary.Model

Rectangle {
    id: root

    property GraphScene scene
    /** What is drawn small: the item holding the graph at zoom 1 (in layout points). */
    property Item source
    /** The view: its zoom, its pan (where the source's top-left corner is) and its size. */
    property real zoom: 1
    property real panX: 0
    property real panY: 0
    property real viewWidth: 0
    property real viewHeight: 0

    /** The user clicked or dragged to a layout point: the view should be centred on it. */
    signal moveRequested(real pointX, real pointY)

    objectName: "graphMinimap"
    readonly property real maxWidth: 200
    readonly property real sceneWidth: root.scene ? root.scene.width : 0
    readonly property real sceneHeight: root.scene ? root.scene.height : 0
    // Very wide (or tall) neighbourhoods are squeezed rather than shown as a line.
    readonly property real mapWidth: root.sceneWidth >= root.sceneHeight ? root.maxWidth
                                     : Math.max(48, root.maxWidth * root.sceneWidth / Math.max(1, root.sceneHeight))
    readonly property real mapHeight: root.sceneWidth >= root.sceneHeight
                                      ? Math.max(48, root.maxWidth * root.sceneHeight / Math.max(1, root.sceneWidth))
                                      : root.maxWidth
    readonly property real scaleX: root.sceneWidth > 0 ? root.mapWidth / root.sceneWidth : 0
    readonly property real scaleY: root.sceneHeight > 0 ? root.mapHeight / root.sceneHeight : 0

    width: root.mapWidth + 8
    height: root.mapHeight + 8
    radius: 4
    color: Theme.base
    border.color: Theme.border
    visible: root.scene !== null && root.scene.nodeCount > 0
             && (root.sceneWidth * root.zoom > root.viewWidth + 1 || root.sceneHeight * root.zoom > root.viewHeight + 1)

    ShaderEffectSource {
        id: overview
        x: 4
        y: 4
        width: root.mapWidth
        height: root.mapHeight
        sourceItem: root.visible ? root.source : null
        live: false
        smooth: true
    }
    Connections {
        target: root.scene
        function onLaidOut(): void {
            overview.scheduleUpdate()
        }
        function onHighlightChanged(): void {
            overview.scheduleUpdate()
        }
    }
    Connections {
        target: Theme
        function onDarkChanged(): void {
            overview.scheduleUpdate()
        }
    }
    onVisibleChanged: if (root.visible) overview.scheduleUpdate()

    Rectangle {
        objectName: "minimapViewport"
        x: 4 + Math.max(0, -root.panX / root.zoom * root.scaleX)
        y: 4 + Math.max(0, -root.panY / root.zoom * root.scaleY)
        width: Math.min(root.mapWidth - (x - 4), root.viewWidth / root.zoom * root.scaleX)
        height: Math.min(root.mapHeight - (y - 4), root.viewHeight / root.zoom * root.scaleY)
        color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
        border.color: Theme.accent
        border.width: 1.5
    }
    MouseArea {
        anchors.fill: parent
        preventStealing: true
        function moveTo(mouseX: real, mouseY: real): void {
            root.moveRequested((mouseX - 4) / root.scaleX, (mouseY - 4) / root.scaleY)
        }
        onPressed: (mouse) => moveTo(mouse.x, mouse.y)
        onPositionChanged: (mouse) => moveTo(mouse.x, mouse.y)
    }
}
