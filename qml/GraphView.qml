// SPDX-License-Identifier: GPL-3.0-or-later
// A derivation graph on screen, bound to a GraphScene: pan, zoom and fit; assets with their type,
// phase and warnings; licences on the links; a legend and, for big graphs, a minimap.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
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
    function percent(z: real): string {
        return qsTr("%1 %").arg(Math.round(z * 100))
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
        RowLayout {
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.smallSpacing
            spacing: Theme.smallSpacing

            ToolButton {
                objectName: "zoomOutButton"
                text: "−"
                font.pixelSize: 16
                enabled: root.zoom > root.minZoom + 1e-6
                onClicked: root.zoomOut()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Zoom out (−)")
            }
            ToolButton {
                objectName: "zoomInButton"
                text: "+"
                font.pixelSize: 16
                enabled: root.zoom < root.maxZoom - 1e-6
                onClicked: root.zoomIn()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Zoom in (+)")
            }
            ToolButton {
                objectName: "fitButton"
                text: qsTr("Fit")
                onClicked: root.fit()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Show the whole graph (F)")
            }
            ToolButton {
                objectName: "actualSizeButton"
                text: qsTr("100 %")
                onClicked: root.actualSize()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Actual size (0)")
            }
            Label {
                objectName: "zoomLabel"
                Layout.leftMargin: Theme.smallSpacing
                text: root.percent(root.zoom)
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
                font.family: Theme.monoFont
            }
            Item { Layout.fillWidth: true }
            Label {
                objectName: "graphCounts"
                visible: root.scene !== null && root.scene.nodeCount > 0
                text: !root.scene ? ""
                                  : (root.scene.nodeCount === 1 ? qsTr("1 asset") : qsTr("%1 assets").arg(root.scene.nodeCount))
                                    + " · " + (root.scene.edgeCount === 1 ? qsTr("1 link") : qsTr("%1 links").arg(root.scene.edgeCount))
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
            }
            Label {
                objectName: "omittedNote"
                visible: root.scene !== null && root.scene.omitted > 0
                text: root.scene ? qsTr("%1 more not shown").arg(root.scene.omitted) : ""
                color: Theme.warning
                font.pixelSize: Theme.smallFont
                ToolTip.visible: omittedHover.hovered
                ToolTip.text: qsTr("The neighbourhood was capped; open an asset at the edge to see beyond it.")
                HoverHandler { id: omittedHover }
            }
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
                    delegate: Rectangle {
                        id: pill
                        required property int index
                        required property string kind
                        required property string licenceReference
                        required property string rateText
                        required property bool revoked
                        required property bool highlighted
                        required property bool dimmed
                        required property real labelX
                        required property real labelY

                        objectName: "edgeLabel"
                        readonly property bool hasLicence: pill.licenceReference.length > 0
                        // dot put the label's box (the text's size) just right of its link: the
                        // pill's padding goes to the right, so the pill's left side stays off the
                        // line.
                        x: Math.round(pill.labelX - pillText.implicitWidth / 2) + 1
                        y: Math.round(pill.labelY - pill.height / 2)
                        width: pillText.implicitWidth + 8
                        height: pillText.implicitHeight + 2
                        radius: 4
                        visible: pill.labelX !== 0 || pill.labelY !== 0
                        opacity: pill.dimmed ? 0.3 : 1
                        color: pill.revoked ? Theme.dangerBackground : Theme.base
                        border.color: pill.revoked ? Theme.danger
                                                   : pill.highlighted || root.hoveredEdge === pill.index ? Theme.accent : Theme.border
                        border.width: pill.highlighted || root.hoveredEdge === pill.index ? 1.5 : 1

                        Text {
                            id: pillText
                            anchors.centerIn: parent
                            horizontalAlignment: Text.AlignHCenter
                            // The licence and its rate; without a licence, how the asset was derived.
                            text: pill.hasLicence ? (pill.rateText.length > 0 ? pill.licenceReference + "\n" + pill.rateText
                                                                              : pill.licenceReference)
                                                  : pill.kind
                            font.pixelSize: 8
                            font.italic: !pill.hasLicence
                            font.strikeout: pill.revoked
                            lineHeight: 0.95
                            color: pill.revoked ? Theme.danger : pill.hasLicence ? Theme.text : Theme.mutedText
                        }
                        HoverHandler {
                            onHoveredChanged: {
                                if (hovered)
                                    root.hoveredLabel = pill.index
                                else if (root.hoveredLabel === pill.index)
                                    root.hoveredLabel = -1
                            }
                        }
                    }
                }

                Repeater {
                    id: nodeRepeater
                    model: root.scene ? root.scene.nodes : null
                    delegate: Rectangle {
                        id: node
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

                        objectName: "graphNode"
                        readonly property bool isFocus: node.model.focus
                        readonly property bool selected: root.selectedAssetId === node.assetId
                        readonly property int flagCount: node.flags ? node.flags.length : 0
                        x: node.model.x
                        y: node.model.y
                        width: node.model.width
                        height: node.model.height
                        radius: 6
                        opacity: node.dimmed ? 0.3 : 1
                        color: Theme.phaseTint(node.phase)
                        border.color: Theme.phaseColor(node.phase)
                        border.width: node.isFocus ? 2.5 : 1

                        // The selection ring, outside the box.
                        Rectangle {
                            anchors.fill: parent
                            anchors.margins: -4
                            radius: node.radius + 4
                            color: "transparent"
                            border.color: Theme.accent
                            border.width: 2
                            visible: node.selected
                        }
                        // The phase bar on the left, colour with the tint: phase at a glance.
                        Rectangle {
                            x: node.border.width + 2
                            y: node.border.width + 2
                            width: 3
                            height: node.height - 2 * y
                            radius: 1.5
                            color: Theme.phaseColor(node.phase)
                        }
                        Column {
                            x: 11
                            anchors.verticalCenter: parent.verticalCenter
                            width: node.width - x - 6
                            spacing: 2

                            Text {
                                width: parent.width
                                text: node.title
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
                                    color: Theme.phaseColor(node.phase)
                                    Text {
                                        id: glyph
                                        anchors.centerIn: parent
                                        text: root.typeGlyph(node.type)
                                        font.pixelSize: 8
                                        font.bold: true
                                        color: Theme.highlightedText
                                    }
                                }
                                Text {
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: parent.width - badge.width - (warning.visible ? warning.width + 4 : 0) - 4
                                    text: node.reference
                                    elide: Text.ElideRight
                                    font.pixelSize: 9
                                    font.family: Theme.monoFont
                                    color: Theme.mutedText
                                }
                                Text {
                                    id: warning
                                    anchors.verticalCenter: parent.verticalCenter
                                    visible: node.flagCount > 0
                                    text: "⚠ " + node.flagCount
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
                        ToolTip.text: node.title + "\n" + node.reference + (node.status.length > 0 ? " · " + node.status : "")
                                      + (node.flagCount > 0 ? "\n⚠ " + node.flags.join("\n⚠ ") : "")
                        TapHandler {
                            onTapped: {
                                root.forceActiveFocus()
                                root.select(node.assetId)
                                root.nodeClicked(node.assetId)
                            }
                            onDoubleTapped: root.nodeActivated(node.assetId)
                        }
                    }
                }
            }

            ToolTip {
                id: edgeTip
                objectName: "edgeToolTip"
                x: Math.min(pointer.point.position.x + 14, viewport.width - edgeTip.width - 4)
                y: Math.min(pointer.point.position.y + 18, viewport.height - edgeTip.height - 4)
                delay: 250
                visible: root.hoveredEdge >= 0 && edgeTip.text.length > 0
                text: root.scene && root.hoveredEdge >= 0 ? root.scene.edgeTooltip(root.hoveredEdge) : ""
            }

            // Legend: the four phases by name, and what the lines mean.
            Rectangle {
                id: legend
                objectName: "graphLegend"
                anchors.left: parent.left
                anchors.bottom: parent.bottom
                anchors.margins: Theme.spacing
                width: legendColumn.implicitWidth + 2 * Theme.spacing
                height: legendColumn.implicitHeight + 2 * Theme.smallSpacing + 2
                radius: 4
                color: Theme.base
                border.color: Theme.border
                opacity: 0.94
                visible: root.scene !== null && root.scene.nodeCount > 0

                Column {
                    id: legendColumn
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

            // Minimap: the whole graph small, with the part in view framed; click or drag to move.
            Rectangle {
                id: minimap
                objectName: "graphMinimap"
                readonly property real maxWidth: 200
                readonly property real sceneWidth: root.scene ? root.scene.width : 0
                readonly property real sceneHeight: root.scene ? root.scene.height : 0
                // Very wide (or tall) neighbourhoods are squeezed rather than shown as a line.
                readonly property real mapWidth: minimap.sceneWidth >= minimap.sceneHeight ? minimap.maxWidth
                                                 : Math.max(48, minimap.maxWidth * minimap.sceneWidth / Math.max(1, minimap.sceneHeight))
                readonly property real mapHeight: minimap.sceneWidth >= minimap.sceneHeight
                                                  ? Math.max(48, minimap.maxWidth * minimap.sceneHeight / Math.max(1, minimap.sceneWidth))
                                                  : minimap.maxWidth
                readonly property real scaleX: minimap.sceneWidth > 0 ? minimap.mapWidth / minimap.sceneWidth : 0
                readonly property real scaleY: minimap.sceneHeight > 0 ? minimap.mapHeight / minimap.sceneHeight : 0

                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: Theme.spacing
                width: minimap.mapWidth + 8
                height: minimap.mapHeight + 8
                radius: 4
                color: Theme.base
                border.color: Theme.border
                visible: root.scene !== null && root.scene.nodeCount > 0
                         && (minimap.sceneWidth * root.zoom > viewport.width + 1 || minimap.sceneHeight * root.zoom > viewport.height + 1)

                ShaderEffectSource {
                    id: overview
                    x: 4
                    y: 4
                    width: minimap.mapWidth
                    height: minimap.mapHeight
                    sourceItem: minimap.visible ? canvas : null
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
                onVisibleChanged: if (minimap.visible) overview.scheduleUpdate()

                Rectangle {
                    objectName: "minimapViewport"
                    x: 4 + Math.max(0, -root.panX / root.zoom * minimap.scaleX)
                    y: 4 + Math.max(0, -root.panY / root.zoom * minimap.scaleY)
                    width: Math.min(minimap.mapWidth - (x - 4), viewport.width / root.zoom * minimap.scaleX)
                    height: Math.min(minimap.mapHeight - (y - 4), viewport.height / root.zoom * minimap.scaleY)
                    color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
                    border.color: Theme.accent
                    border.width: 1.5
                }
                MouseArea {
                    anchors.fill: parent
                    preventStealing: true
                    function moveTo(mouseX: real, mouseY: real): void {
                        root.userMoved = true
                        root.centreOn((mouseX - 4) / minimap.scaleX, (mouseY - 4) / minimap.scaleY)
                    }
                    onPressed: (mouse) => moveTo(mouse.x, mouse.y)
                    onPositionChanged: (mouse) => moveTo(mouse.x, mouse.y)
                }
            }

            // State: laying out, failed, or nothing to show.
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
    }
}
