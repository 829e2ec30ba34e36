// SPDX-License-Identifier: GPL-3.0-or-later
// The terms of the licence on the link under the pointer, beside the pointer and inside the view.
import QtQuick
import QtQuick.Controls
import Cartulary.Model

ToolTip {
    id: root

    property GraphScene scene
    /** Row in scene.edges of the link under the pointer, or -1. */
    property int edge: -1
    /** The pointer, and the size of the view the tooltip stays inside. */
    property point pointer
    property real viewWidth: 0
    property real viewHeight: 0

    objectName: "edgeToolTip"
    x: Math.min(root.pointer.x + 14, root.viewWidth - root.width - 4)
    y: Math.min(root.pointer.y + 18, root.viewHeight - root.height - 4)
    delay: 250
    visible: root.edge >= 0 && root.text.length > 0
    text: root.scene && root.edge >= 0 ? root.scene.edgeTooltip(root.edge) : ""
}
