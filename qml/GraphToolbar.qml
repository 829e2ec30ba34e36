// SPDX-License-Identifier: GPL-3.0-or-later
// The graph's toolbar: zoom out, in, fit, actual size and the zoom shown; how many assets and
// links the graph holds and how many were left out.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

RowLayout {
    id: root

    property GraphScene scene
    property real zoom: 1
    property real minZoom: 0.25
    property real maxZoom: 4

    signal zoomOutClicked()
    signal zoomInClicked()
    signal fitClicked()
    signal actualSizeClicked()

    function percent(z: real): string {
        return qsTr("%1 %").arg(Math.round(z * 100))
    }

    spacing: Theme.smallSpacing

    ToolButton {
        objectName: "zoomOutButton"
        text: "−"
        font.pixelSize: 16
        enabled: root.zoom > root.minZoom + 1e-6
        onClicked: root.zoomOutClicked()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Zoom out (−)")
    }
    ToolButton {
        objectName: "zoomInButton"
        text: "+"
        font.pixelSize: 16
        enabled: root.zoom < root.maxZoom - 1e-6
        onClicked: root.zoomInClicked()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Zoom in (+)")
    }
    ToolButton {
        objectName: "fitButton"
        text: qsTr("Fit")
        onClicked: root.fitClicked()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Show the whole graph (F)")
    }
    ToolButton {
        objectName: "actualSizeButton"
        text: qsTr("100 %")
        onClicked: root.actualSizeClicked()
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
