// SPDX-License-Identifier: GPL-3.0-or-later
// A derivation graph on screen, bound to a GraphScene: pan, zoom and fit, selection and keys; the
// parts it places are files of their own (GraphToolbar, GraphNodeDelegate, GraphEdgeLabel,
// GraphEdgeToolTip, GraphLegend, GraphMinimap, GraphStatus) and the edges are drawn by EdgeLayer.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
// Qt 6.4 does not give a module's QML files its C++ types (EdgeLayer) without the import.
import Cartulary
import Cartulary.Model

FocusScope {
    id: root

    property GraphScene scene
    /** The asset last clicked ("" for none): ringed, and its lineage highlighted. */
    property string selectedAssetId
    /** What selecting an asset highlights: "lineage", "ancestors", "descendants" or "none". */
    property string selectionHighlight: "lineage"
    /** Shown when the graph is empty and nothing is being laid out. */
    property string emptyText: qsTr("No derivations to show.")

    /** Screen pixels per layout point; the content's top-left corner is at (panX, panY). */
    property real zoom: 1
    property real panX: 0
    property real panY: 0
    readonly property real maxZoom: 4
    readonly property real minZoom: Math.min(0.25, root.fitZoom)
    /** The zoom that shows the whole graph (never above 150 %: small graphs stay small). */
    readonly property real fitZoom: {
        if (!root.scene || root.scene.width <= 0 || viewport.width <= 0 || viewport.height <= 0)
            return 1
        return Math.min((viewport.width - 2 * root.fitMargin) / root.scene.width,
                        (viewport.height - 2 * root.fitMargin) / root.scene.height, 1.5)
    }
    readonly property int fitMargin: Theme.spacing * 2
    /** Row (in scene.edges) of the link under the pointer (curve or label), or -1. */
    readonly property int hoveredEdge: edgeLayer.hoveredEdge >= 0 ? edgeLayer.hoveredEdge : root.hoveredLabel
    property int hoveredLabel: -1
    // Until the user moves the view, each new layout is fitted; afterwards it is centred on the
    // selected asset at the user's zoom.
    property bool userMoved: false
    property bool fitted: false

    signal nodeClicked(string assetId)
    signal nodeActivated(string assetId)

    /** Zooms by factor keeping the layout point under (viewX, viewY) in place. */
    function zoomAt(factor: real, viewX: real, viewY: real): void {
        const z = Math.max(root.minZoom, Math.min(root.maxZoom, root.zoom * factor))
        const pointX = (viewX - root.panX) / root.zoom
        const pointY = (viewY - root.panY) / root.zoom
        root.zoom = z
        root.panX = viewX - pointX * z
        root.panY = viewY - pointY * z
        root.userMoved = true
    }
    function zoomIn(): void {
        root.zoomAt(1.25, viewport.width / 2, viewport.height / 2)
    }
    function zoomOut(): void {
        root.zoomAt(0.8, viewport.width / 2, viewport.height / 2)
    }
    function actualSize(): void {
        root.zoomAt(1 / root.zoom, viewport.width / 2, viewport.height / 2)
    }
    function fit(): void {
        if (!root.scene)
            return
        root.zoom = root.fitZoom
        root.panX = (viewport.width - root.scene.width * root.zoom) / 2
        root.panY = (viewport.height - root.scene.height * root.zoom) / 2
        root.userMoved = false
    }
    /** Puts a layout point in the middle of the view, at the current zoom. */
    function centreOn(pointX: real, pointY: real): void {
        root.panX = viewport.width / 2 - pointX * root.zoom
        root.panY = viewport.height / 2 - pointY * root.zoom
    }
    function centreOnRow(row: int): void {
        const r = root.scene ? root.scene.nodeRect(row) : Qt.rect(0, 0, 0, 0)
        if (r.width > 0)
            root.centreOn(r.x + r.width / 2, r.y + r.height / 2)
    }
    function showLayout(): void {
        if (!root.scene || root.scene.nodeCount === 0 || viewport.width <= 0 || viewport.height <= 0)
            return
        if (!root.fitted || !root.userMoved) {
            root.fit()
        } else {
            root.zoom = Math.max(root.minZoom, Math.min(root.maxZoom, root.zoom))
            root.centreOnRow(root.scene.focusRow)
        }
        root.fitted = true
        if (root.scene.nodeRow(root.selectedAssetId) < 0)
            root.selectedAssetId = ""
        else
            root.highlightSelection()
    }
    function select(assetId: string): void {
        root.selectedAssetId = assetId
        root.highlightSelection()
    }
    function highlightSelection(): void {
        if (!root.scene)
            return
        const row = root.scene.nodeRow(root.selectedAssetId)
        root.scene.highlight(row, row >= 0 ? root.selectionHighlight : "none")
    }
    activeFocusOnTab: true
    Keys.onPressed: (event) => {
        switch (event.key) {
        case Qt.Key_Plus:
        case Qt.Key_Equal:
            root.zoomIn()
            break
        case Qt.Key_Minus:
            root.zoomOut()
            break
        case Qt.Key_0:
            root.actualSize()
            break
        case Qt.Key_F:
            root.fit()
            break
        case Qt.Key_Escape:
            if (root.selectedAssetId.length === 0)
                return
            root.select("")
            break
        default:
            return
        }
        event.accepted = true
    }

    Connections {
        target: root.scene
        function onLaidOut(): void {
            root.showLayout()
        }
        function onGraphChanged(): void {
            root.hoveredLabel = -1
        }
    }
    Component.onCompleted: root.showLayout()

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Zoom and what the graph holds
        GraphToolbar {
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.smallSpacing
            scene: root.scene
            zoom: root.zoom
            minZoom: root.minZoom
            maxZoom: root.maxZoom
            onZoomOutClicked: root.zoomOut()
            onZoomInClicked: root.zoomIn()
            onFitClicked: root.fit()
            onActualSizeClicked: root.actualSize()
        }

        Rectangle {
            id: viewport
            objectName: "graphViewport"
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.base
            border.color: Theme.border
            clip: true

            onWidthChanged: if (!root.fitted) root.showLayout()
            onHeightChanged: if (!root.fitted) root.showLayout()

            // Pan by dragging anywhere (a drag that starts on a node pans too); click empty space
            // to clear the selection; the wheel zooms around the pointer.
            DragHandler {
                id: panner
                target: null
                property real startX: 0
                property real startY: 0
                onActiveChanged: {
                    if (panner.active) {
                        panner.startX = root.panX
                        panner.startY = root.panY
                        root.userMoved = true
                        root.forceActiveFocus()
                    }
                }
                onTranslationChanged: {
                    if (panner.active) {
                        root.panX = panner.startX + panner.translation.x
                        root.panY = panner.startY + panner.translation.y
                    }
                }
            }
            TapHandler {
                // A node's own handler selects it; this one sees that tap too.
                onTapped: (eventPoint) => {
                    root.forceActiveFocus()
                    const p = canvas.mapFromItem(viewport, eventPoint.position)
                    if (root.scene && root.scene.nodeAt(p.x, p.y) < 0)
                        root.select("")
                }
            }
            WheelHandler {
                id: wheel
                acceptedDevices: PointerDevice.Mouse | PointerDevice.TouchPad
                onWheel: (event) => {
                    const steps = event.angleDelta.y / 120
                    if (steps !== 0)
                        root.zoomAt(Math.pow(1.15, steps), wheel.point.position.x, wheel.point.position.y)
                }
            }
            HoverHandler {
                id: pointer
            }

            Item {
                id: canvas
                objectName: "graphCanvas"
                x: root.panX
                y: root.panY
                width: root.scene ? root.scene.width : 0
                height: root.scene ? root.scene.height : 0
                scale: root.zoom
                transformOrigin: Item.TopLeft

                EdgeLayer {
                    id: edgeLayer
                    objectName: "edgeLayer"
                    anchors.fill: parent
                    scene: root.scene
                    zoom: root.zoom
                    color: Theme.mutedText
                    highlightColor: Theme.accent
                    dimmedColor: Qt.rgba(Theme.mutedText.r, Theme.mutedText.g, Theme.mutedText.b, 0.22)
                    revokedColor: Theme.danger
                }

                // Licence labels, where dot reserved room for them beside their links.
                Repeater {
                    model: root.scene ? root.scene.edges : null
                    delegate: GraphEdgeLabel {
                        id: label
                        hovered: root.hoveredEdge === label.index
                        onPointerHovered: (inside) => {
                            if (inside)
                                root.hoveredLabel = label.index
                            else if (root.hoveredLabel === label.index)
                                root.hoveredLabel = -1
                        }
                    }
                }

                Repeater {
                    id: nodeRepeater
                    model: root.scene ? root.scene.nodes : null
                    delegate: GraphNodeDelegate {
                        id: node
                        selected: root.selectedAssetId === node.assetId
                        onClicked: {
                            root.forceActiveFocus()
                            root.select(node.assetId)
                            root.nodeClicked(node.assetId)
                        }
                        onActivated: root.nodeActivated(node.assetId)
                    }
                }
            }

            GraphEdgeToolTip {
                scene: root.scene
                edge: root.hoveredEdge
                pointer: pointer.point.position
                viewWidth: viewport.width
                viewHeight: viewport.height
            }

            GraphLegend {
                anchors.left: parent.left
                anchors.bottom: parent.bottom
                anchors.margins: Theme.spacing
                visible: root.scene !== null && root.scene.nodeCount > 0
            }

            GraphMinimap {
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: Theme.spacing
                scene: root.scene
                source: canvas
                zoom: root.zoom
                panX: root.panX
                panY: root.panY
                viewWidth: viewport.width
                viewHeight: viewport.height
                onMoveRequested: (pointX, pointY) => {
                    root.userMoved = true
                    root.centreOn(pointX, pointY)
                }
            }

            GraphStatus {
                anchors.fill: parent
                scene: root.scene
                emptyText: root.emptyText
            }
        }
    }
}
